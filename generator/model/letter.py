"""A change letter (``content/letters/*.yaml``): who writes to whom about which amendments.

The reader fills everything a drafter wrote (narrative already parsed from its Markdown);
``passes.letter`` fills each appendix's amendment rows from the diff, so no amendment is
typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.clause import Table
from generator.model.location import NOWHERE, Span


# -- narrative (a small Markdown subset) ---------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    text: str
    style: str = ""  # "", "strong", "emph", "code"


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteRef:
    """``[^id]``: a footnote mark."""

    id: str
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class ClauseRef:
    """``[[clause-id]]``: prints the clause as the amended version cites it ("clause 18.5",
    "Annex D"); ``[[#clause-id]]`` (``bare``) prints the number alone."""

    target: str
    bare: bool = False
    number: str = ""  # what prints, filled by passes.letter
    span: Span = NOWHERE


LInline = Run | NoteRef | ClauseRef


@dataclass(frozen=True, slots=True, kw_only=True)
class Para:
    inlines: tuple[LInline, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Heading:
    level: int  # 1 under the appendix title
    inlines: tuple[LInline, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[LInline, ...], ...]


Block = Para | Heading | ListBlock


# -- the letter ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    name: str = ""
    role: str = ""
    organisation: str = ""
    address: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Footnote:
    id: str
    inlines: tuple[LInline, ...]
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Proposal:
    id: str
    title: str
    supported: int = 0
    opposed: int = 0
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Consultation:
    opened: str = ""
    closed: str = ""
    responses: int = 0
    proposals: tuple[Proposal, ...] = ()
    concerns: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Selected:
    value: str
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """The amendments a part of an appendix explains: by clause id, by tag or by SRV."""

    clauses: tuple[Selected, ...] = ()
    tags: tuple[Selected, ...] = ()
    srvs: tuple[Selected, ...] = ()
    span: Span = NOWHERE

    def __bool__(self) -> bool:
        return bool(self.clauses or self.tags or self.srvs)


@dataclass(frozen=True, slots=True, kw_only=True)
class AmendmentRow:
    """One row of a generated amendment table (filled from the diff by passes.letter)."""

    clause_id: str
    number: str  # the number in the amended version, else the old one
    old_number: str
    new_number: str
    kinds: tuple[str, ...]
    declared: bool = False
    summary: str = ""  # heading, else the start of the text
    srvs: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()  # display names (group names where the clause names a group)
    text: tuple[LInline, ...] = ()  # the amended text as printed (for quoting)
    table: Table | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Part:
    heading: str = ""
    narrative: tuple[Block, ...] = ()
    select: Selection = Selection()
    quote: bool = False  # print the amended text of each selected clause after the table
    rows: tuple[AmendmentRow, ...] = ()
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Appendix:
    id: str  # "A"
    title: str
    narrative: tuple[Block, ...] = ()
    parts: tuple[Part, ...] = ()
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Letter:
    id: str  # the file stem: letter-<id>.docx
    against: str = ""  # the release the amendments are against ("" = the change set's)
    date: str = ""
    reference: str = ""
    sender: Person = Person()
    addressee: Person = Person()
    delivery: str = ""
    salutation: str = ""
    subject: str = ""
    summary: tuple[Block, ...] = ()
    consultation: Consultation = Consultation()
    body: tuple[Block, ...] = ()
    closing: str = ""
    signatory: Person = Person()
    footnotes: tuple[Footnote, ...] = ()
    appendices: tuple[Appendix, ...] = ()
    # Filled by passes.letter: the versions compared, e.g. "v12" and "v13.0".
    from_label: str = ""
    to_label: str = ""
    span: Span = NOWHERE
