"""Documents read from outside: a Word S1SR as a reader sees it, and the clauses found in it.

The .docx reader gives :class:`WordDocument` (paragraphs with the number each one displays);
the external pass turns it into :class:`ReadClause` records (full reference, level, text,
heading context, SRV and Device Model mentions) and compares them with a DMVESM workbook.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """One body paragraph of a .docx, as displayed."""

    index: int  # 1-based position among the body's paragraphs
    label: str  # the number printed at its start: Word's automatic number, or the typed one; "" none
    text: str  # the text after the label (and after a run-in heading)
    run_in: str = ""  # a run-in heading: bold or heading-styled text ending the paragraph's first line
    # Inline marks on ``text``: (start, end, kind, value); kind "term" (bold or a defined-term style,
    # value ""), "emph" (italic), "link" (an internal hyperlink; value: the bookmark it goes to).
    marks: tuple[tuple[int, int, str, str], ...] = ()
    bookmarks: tuple[str, ...] = ()  # bookmarks that start in the paragraph
    auto: bool = False  # the label is Word automatic numbering
    libreoffice_label: str = ""  # when LibreOffice would print another automatic number than Word
    list_id: str = ""  # automatic numbering: the list it belongs to
    list_level: int = 0  # automatic numbering: 1-based level in its list
    style: str = ""  # paragraph style name
    heading: int = 0  # outline level (1-9) for a heading paragraph, else 0
    table: int = 0  # 1-based ordinal of the table holding it; 0 for body text
    row: int = 0  # 1-based row and column in that table
    col: int = 0
    # Tracked changes: the number the paragraph shows in the original view (every change
    # rejected) when that differs from ``label`` (the view with every change accepted, as
    # Word shows the document once they are); None when it is the same.
    original_label: str | None = None
    inserted: bool = False  # the paragraph is a tracked insertion: it is not in the original view

    @property
    def in_table(self) -> bool:
        return self.table > 0


@dataclass(frozen=True, slots=True, kw_only=True)
class WordDocument:
    file: str  # as shown in findings
    paragraphs: tuple[Paragraph, ...]
    title: str = ""  # core property dc:title
    version: str = ""  # the version the document states about itself, if found
    tracked: bool = False  # the document holds tracked changes (paragraphs are read with all accepted)
    deleted: tuple[str, ...] = ()  # numbers of the numbered paragraphs that tracked deletions remove


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadClause:
    """A clause found in a read document: what its number shows and what its text says."""

    number: str  # full reference, e.g. 18.5p(i)
    label: str  # as printed, e.g. (i)
    level: int  # 1-based
    ordinal: tuple[int, int]  # counter and insertion suffix (18.5A → (5, 1))
    parent: str  # the parent's full reference; "" at level 1
    text: str
    heading: str = ""  # the clause's own heading (a numbered heading paragraph)
    context: tuple[str, ...] = ()  # headings and lead-in text of the clauses above it
    srvs: tuple[str, ...] = ()  # SRV numbers its text mentions
    devices: tuple[str, ...] = ()  # Device Model ids its text mentions
    context_srvs: tuple[str, ...] = ()  # SRVs that the headings and clauses above it mention
    context_devices: tuple[str, ...] = ()  # Device Models that the headings and clauses above it mention
    paragraph: int = 0  # index of its numbered paragraph
    not_used: bool = False
    marks: tuple[tuple[int, int, str, str], ...] = ()  # inline marks on ``text`` (see Paragraph.marks)
    anchors: tuple[str, ...] = ()  # bookmarks in its paragraphs: where internal links to it land

    @property
    def full_text(self) -> str:
        return f"{self.heading} {self.text}".strip()


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """One DMVESM cell citing clauses: SRV × Device Model → clause numbers, with its place."""

    srv: str
    device: str  # Device Model id, "" when the column matches no known model
    device_label: str  # the column's name as the workbook gives it
    numbers: tuple[str, ...]  # () for a cell that says the SRV does not apply
    sheet: str
    cell: str  # e.g. "F12"
    note: str = ""  # words written around the numbers, or after "N/A"


@dataclass(frozen=True, slots=True, kw_only=True)
class Workbook:
    """The citations of a DMVESM workbook, and the Device Models its columns name."""

    file: str
    citations: tuple[Citation, ...]
    columns: tuple[tuple[str, str, str, str], ...] = ()  # (device id or "", type, manufacturer, model)
    not_applicable: tuple[Citation, ...] = ()  # cells saying the SRV does not apply to the Device Model
