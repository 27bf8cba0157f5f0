"""A change letter (``content/letters/*.yaml``): who writes to whom about which amendments.

The reader fills everything a drafter wrote (narrative already parsed from its Markdown);
``passes.letter`` fills each appendix's amendment rows from the diff and every count from the
diff or the consultation, so no amendment and no number is typed twice; the orchestration
attaches the consultation, counted against the versions the letter goes with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.model.clause import Table
from generator.model.location import NOWHERE, Span

if TYPE_CHECKING:
    from generator.model.consultation import Consultation


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """``[text](https://…)`` or ``<https://…>``: a link the reader can click (http, https, mailto)."""

    text: str
    url: str
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Count:
    """``[six]{tag:apr-2025-device-behaviours}``: a number tied to something the tool can count.

    ``said`` is what the drafter typed ("" to let the tool print the count); passes.letter fills
    ``value`` (the count) and ``text`` (what is printed) and warns when ``said`` disagrees."""

    selector: str
    said: str = ""
    value: int = -1
    text: str = ""
    span: Span = NOWHERE


LInline = Run | NoteRef | ClauseRef | Link | Count


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
class Image:
    """A picture the letter embeds (the signature): PNG or JPEG, read from the content folder."""

    name: str  # the part name in the .docx, e.g. signature.png
    media_type: str  # image/png or image/jpeg
    data: bytes
    width: int  # pixels
    height: int
    span: Span = NOWHERE


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
    # The version whose number a renumbered clause takes back ("11.0"), "" when it is new.
    restored: str = ""
    parent_number: str = ""  # the number of the clause it now sits under ("" at the top)
    summary: str = ""  # heading, else the start of the text
    # Its own, else those of the nearest clause above it that names some (items inherit them).
    srvs: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()  # display names (group names where the clause names a group)
    text: tuple[LInline, ...] = ()  # the amended text as printed (for quoting)
    table: Table | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Part:
    heading: tuple[LInline, ...] = ()
    narrative: tuple[Block, ...] = ()
    select: Selection = Selection()
    quote: bool = False  # print the amended text of each selected clause after the table
    rows: tuple[AmendmentRow, ...] = ()
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Appendix:
    id: str  # "A"
    title: tuple[LInline, ...]
    narrative: tuple[Block, ...] = ()
    parts: tuple[Part, ...] = ()
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Letter:
    id: str  # the file stem: letter-<id>.docx
    against: str = ""  # the release the amendments are against ("" = the change set's)
    # The version the letter goes with (a release name, e.g. v13). Until that release exists
    # the letter follows the draft; from then on it is rendered against the release, forever.
    version: str = ""
    version_span: Span = NOWHERE
    against_span: Span = NOWHERE
    date: str = ""
    reference: str = ""
    sender: Person = Person()
    addressee: Person = Person()
    delivery: str = ""
    salutation: str = ""
    subject: tuple[LInline, ...] = ()
    summary: tuple[Block, ...] = ()
    consultation_id: str = ""  # a folder under content/consultations/
    consultation_span: Span = NOWHERE
    concerns: tuple[Block, ...] = ()  # what the respondents raised, and our answer
    body: tuple[Block, ...] = ()
    closing: str = ""
    signatory: Person = Person()
    signature: Image | None = None
    enclosures: tuple[tuple[LInline, ...], ...] = ()
    cc: tuple[str, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    appendices: tuple[Appendix, ...] = ()
    # Filled by the orchestration: the consultation, its counts made against this letter's versions.
    consultation: Consultation | None = None
    # Filled by passes.letter: the versions compared, e.g. "v12" and "v13.0".
    from_label: str = ""
    to_label: str = ""
    span: Span = NOWHERE


def plain(inlines: tuple[LInline, ...]) -> str:
    """Inlines as plain text: footnote marks dropped, references and counts as printed."""
    out: list[str] = []
    for i in inlines:
        if isinstance(i, Run | Link):
            out.append(i.text)
        elif isinstance(i, ClauseRef):
            out.append(i.number or i.target)
        elif isinstance(i, Count):
            out.append(i.text or i.said)
    return "".join(out)
