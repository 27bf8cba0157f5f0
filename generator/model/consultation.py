"""A consultation (``content/consultations/<id>/``): what it asked, who answered and how.

The counts a letter prints (responses, supported, opposed, no view) are never typed: they are
computed here from the responses, one file per respondent, so a count cannot drift from the
answers it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model.letter import AmendmentRow, Block, Selection
from generator.model.location import NOWHERE, Span

__all__ = ["AGREE", "CATEGORIES", "DISAGREE", "NO_VIEW", "RESPONSES", "Answer", "Consultation", "Part",
           "Respondent", "Tally", "tally"]

AGREE = "agree"
DISAGREE = "disagree"
NO_VIEW = "no view"
RESPONSES = (AGREE, DISAGREE, NO_VIEW)

# The kinds of party a respondent can be (the SEC's Party Categories, and everyone else).
CATEGORIES = (
    "Large Supplier",
    "Small Supplier",
    "Electricity Network Party",
    "Gas Network Party",
    "Other SEC Party",
    "Non-SEC Party",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """How the respondents answered one part. ``no_view`` counts both the respondents who said
    "no view" and those who left the part unanswered."""

    respondents: int = 0  # responses to the consultation as a whole
    answered: int = 0  # responses to this part: agree, disagree or no view
    supported: int = 0
    opposed: int = 0
    no_view_given: int = 0  # answered "no view"
    clauses: int = 0  # clauses the part amends (filled from the comparison)

    @property
    def not_answered(self) -> int:
        return self.respondents - self.answered

    @property
    def no_view(self) -> int:
        return self.no_view_given + self.not_answered


@dataclass(frozen=True, slots=True, kw_only=True)
class Part:
    """One part (question) of the consultation, tied to the amendments it proposes."""

    id: str
    number: int  # 1-based: "Question 1"
    title: str
    question: str = ""
    proposes: Selection = field(default_factory=Selection)
    conclusion: tuple[Block, ...] = ()  # our conclusion, for the conclusions document
    span: Span = NOWHERE
    # Filled by passes.consultation.
    rows: tuple[AmendmentRow, ...] = ()
    tally: Tally = Tally()


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    part: str  # a Part id
    response: str  # one of RESPONSES
    text: tuple[str, ...] = ()  # the respondent's words, one paragraph each, printed as written
    our_view: tuple[Block, ...] = ()
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Respondent:
    id: str  # the file stem under responses/
    organisation: str
    category: str  # one of CATEGORIES
    confidential: bool = False
    answers: tuple[Answer, ...] = ()
    span: Span = NOWHERE
    # Filled by passes.consultation: 1, 2, … among the confidential respondents (0 otherwise),
    # so documents name them "Confidential respondent 1" and never by organisation.
    anonymous: int = 0

    def answer(self, part: str) -> Answer | None:
        return next((a for a in self.answers if a.part == part), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Consultation:
    id: str  # the folder name under consultations/
    title: str
    reference: str = ""
    opened: str = ""
    closed: str = ""
    summary: tuple[Block, ...] = ()  # what was consulted on, for the conclusions document
    next_steps: tuple[Block, ...] = ()
    parts: tuple[Part, ...] = ()
    respondents: tuple[Respondent, ...] = ()  # in the order documents list them
    span: Span = NOWHERE

    @property
    def responses(self) -> int:
        return len(self.respondents)

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)


def tally(consultation: Consultation, part_id: str, *, clauses: int = 0) -> Tally:
    """The counts for one part, from the answers themselves."""
    answers = [a for r in consultation.respondents if (a := r.answer(part_id)) is not None]
    return Tally(
        respondents=consultation.responses,
        answered=len(answers),
        supported=sum(a.response == AGREE for a in answers),
        opposed=sum(a.response == DISAGREE for a in answers),
        no_view_given=sum(a.response == NO_VIEW for a in answers),
        clauses=clauses,
    )
