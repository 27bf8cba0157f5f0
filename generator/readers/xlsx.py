"""A DMVESM workbook (ours, or a hand-kept one) read back into SRV × Device Model → clause numbers.

The matrix is found by its headers, not by position, on whichever sheet holds it: title rows
above the header, header bands of one to three rows (device type over manufacturer over model,
merged or not; firmware, cohort and Device Model id rows below), columns that are not Device
Models (SRV name, notes, comments, firmware; told by their header or by their content: the DUIS
names of the rows' SRVs, or words), blank rows and section rows are all allowed.

A cell is in one of three states: it cites clauses (``18.5p(i)``, ``18.5p (i)``, ``Clause
18.5q``, ``S1SR 18.5q``, ranges ``18.5p(i)–(iii)``, ``18.5a to 18.5c``, ``18.5a-c``, separated by
commas, semicolons, ``and`` or line breaks), says there is no variation (blank, ``-``, ``None``),
or says the SRV does not apply (``N/A``, ``Not supported``, ``NS``). Words around a number are
kept as a note and reported, never guessed away. References are only normalised here; whether
they name real clauses is for the caller, who knows the numbering scheme. Anything that cannot
be read is a Diagnostic at its sheet and cell (one per column when a column has several).

The file is opened, unpacked and parsed through the one package guard of
:mod:`generator.ooxml.guard` (size, OLE, zip integrity, unpacked sizes and ratios counted as
each part unpacks, no DTD or entity declaration, one hardened parser). The worksheets are
streamed cell by cell through that parser; openpyxl is not imported at all. Merged ranges are
counted before a sheet's cells are read, and a workbook whose merges cover more than a million
cells is refused. Reading never creates cells, so a lone value in the last row of a sheet
costs nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import functools
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import safety as S
from generator.diagnostics.rules import xlsx as R
from generator.model import counters
from generator.model.dates import day_month
from generator.ooxml import guard

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_MERGED_CELLS",
    "CellReading",
    "CitedCell",
    "DeviceColumn",
    "SheetValues",
    "SrvRow",
    "WorkbookMatrix",
    "column_letter",
    "column_number",
    "normalise_references",
    "read_cell",
    "read_sheets",
    "read_xlsx",
]

MAX_FILE_BYTES = guard.LIMITS.max_file
MAX_MERGED_CELLS = 1_000_000  # the reader maps every cell of a merged range to its anchor
_HEADER_ROWS = 50  # the header must start within the first rows of a sheet
_MAX_COLUMNS = 2000
MAX_MERGED = 2_000  # cells of one merged range that are read (a whole DMVESM has about 130 × 40)
_DEVICE_TYPES = ("ESME", "GSME", "CHF", "PPMID", "IHD")


# -- the result ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceColumn:
    """One Device Model column, with what its headers say (``""`` where they say nothing)."""

    column: str  # the column letter, e.g. "F"
    device_type: str
    manufacturer: str
    model: str
    device_id: str = ""  # when the workbook's own "Device Models" sheet, or a header row, names the column
    firmware: str = ""  # from a "Firmware" header row
    cohort: str = ""  # from a "Cohort" header row

    @property
    def label(self) -> str:
        name = " ".join(p for p in (self.manufacturer, self.model) if p)
        return f"{name} ({self.device_type})" if self.device_type else name


@dataclass(frozen=True, slots=True, kw_only=True)
class CitedCell:
    """A matrix cell that cites at least one clause."""

    srv: str
    device_label: str
    device_id: str
    numbers: tuple[str, ...]  # normalised references, in the order written; () when not applicable
    sheet: str
    cell_ref: str  # e.g. "F12"
    note: str = ""  # words written around the numbers (or after "N/A"), kept
    number_notes: tuple[tuple[str, str], ...] = ()  # (number, the words about it and about the cell)


@dataclass(frozen=True, slots=True, kw_only=True)
class SrvRow:
    srv: str
    name: str
    row: int
    note: str = ""  # what the row's notes, comments and firmware columns say


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkbookMatrix:
    file: str
    sheet: str
    devices: tuple[DeviceColumn, ...] = ()
    srvs: tuple[SrvRow, ...] = ()
    cells: tuple[CitedCell, ...] = ()
    not_applicable: tuple[CitedCell, ...] = ()  # cells saying the SRV does not apply (N/A, Not supported)

    def by_device_id(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """(SRV, Device Model id) → numbers, for cells whose column has an id."""
        return _index(((c.srv, c.device_id), c.numbers) for c in self.cells if c.device_id)

    def by_label(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """(SRV, device label as found) → numbers."""
        return _index(((c.srv, c.device_label), c.numbers) for c in self.cells)


def _index(pairs: Iterable[tuple[tuple[str, str], tuple[str, ...]]]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Numbers by key; two cells with one key (a duplicated row or column) are united."""
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for key, numbers in pairs:
        out[key] = tuple(dict.fromkeys(out.get(key, ()) + numbers))
    return out


# -- references ---------------------------------------------------------------------------------
# The three states of a matrix cell: clause references; no variation (the Device Model follows
# GBCS for the SRV); not applicable (the SRV does not apply to, or is not supported by, it).
_NONE = {"", "-", "–", "—", "none", "nil", "no variation", "no variations", "no", "n/v", "nv", "gbcs"}
_NOT_APPLICABLE = re.compile(
    r"^\s*(n\s*/\s*a|n\.\s*a\.?|na|not\s+applicable|not\s+supported|unsupported|n\s*/\s*s|ns)(?![\w/])"
    r"[\s.:;,\-–—]*(?P<note>.*?)\s*$", re.IGNORECASE | re.DOTALL)
_PREFIX = re.compile(
    r"^(?:(?:S1SR|SEC\s+Appendix\s+AM|Appendix\s+AM)\s*[:,]?\s*)?"
    r"(?:(?:clauses?|cl\.?|paragraphs?|paras?\.?|section|annex|§)\s*)?",
    re.IGNORECASE,
)
# A number (18, 18.5, 18.5A, 18.5p, 18.5pa) and items in brackets: roman with an insertion letter
# ((i), (ia), (IV)), one or two letters ((a), (aa)) or a number ((1)); not words, so that in
# "18.5q (half-hourly)" the words are a note, not an item called "half-hourly".
_ITEM_INNER = r"[ivxlcdm]+[a-z]?|[IVXLCDM]+[A-Za-z]?|[a-z]{1,2}|[A-Z]{1,2}|\d{1,3}[A-Za-z]?"
_ITEM = rf"\((?:{_ITEM_INNER})\)"
# An annex clause (A.1, B.2a, Ba.1, B.1a(i)): the annex's capital letter, always followed by a
# clause number, so that a lone letter or a word is never read as a reference. Upper case even
# where the rest of a pattern ignores case ("a.1" is not an annex clause).
_ANNEX_REF = r"(?-i:[A-Z][a-z]?)(?:\.\d+[A-Za-z]{0,3})+"
_REF = rf"(?:\d+[A-Za-z]{{0,3}}(?:\.\d+[A-Za-z]{{0,3}})*|{_ANNEX_REF})(?:{_ITEM})*"
_REFERENCE = re.compile(_REF)
_ITEM_ONLY = re.compile(_ITEM)
_ITEM_WORD = re.compile(_ITEM_INNER)
_DASH = r"(?:\s*[-–—]\s*|\s+(?:to|through|thru)(?:\s+|(?=\()))"
# A range: 18.5a to 18.5c, 18.5a-c, 18.5p(i)–(iii), 18.1-18.4.
_RANGE_PATTERN = rf"(?P<a>{_REF}){_DASH}(?P<b>{_REF}|{_ITEM}|[A-Za-z]{{1,3}}|\d{{1,3}})"
_RANGE = re.compile(r"\d.*(?:\s+to\s+|\s*[-–—]\s*)\S", re.IGNORECASE)
# A reference (or range) standing among words, not part of a version, SRV or other number.
_IN_WORDS_PATTERN = (rf"(?<![\w.(/])(?<!firmware )(?<!version )(?<!SRV )(?<!srv )(?<!v)(?<!fw )(?<!release )"
                     rf"(?:{_RANGE_PATTERN}|{_REF})(?![\w.])")


# The two longest patterns, compiled when a cell first holds a range or words (a third of the
# reader's start-up, which at 1x is most of its time): a matrix of bare numbers never needs them.
@functools.cache
def _range_rx() -> re.Pattern[str]:
    return re.compile(_RANGE_PATTERN, re.IGNORECASE)


@functools.cache
def _in_words() -> re.Pattern[str]:
    return re.compile(_IN_WORDS_PATTERN)


# Words that change what the number means: never read the number from them.
_NEGATION = re.compile(r"\b(not|except|excluding|excludes?|no\s+longer|removed|deleted|superseded|replaced|was|"
                       r"formerly|previously|old|wrong|incorrect|tbc|tbd|unclear)\b|\?", re.IGNORECASE)
_MAX_RANGE = 100
_MAX_NOTE = 300  # longer words around a number are not a note on it but text to move elsewhere
# "S1SR clause" right before a number among words: part of the reference, not of the note.
_PREFIX_END = re.compile(r"(?:\b(?:S1SR|SEC\s+Appendix\s+AM|Appendix\s+AM)\s*[:,]?\s*)?"
                         r"(?:\b(?:clauses?|cl\.?|paragraphs?|paras?\.?|section|annex|§)\s*)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CellReading:
    """What a matrix cell says: its clause references (in the order written), or that the SRV is
    not applicable to the Device Model; the words around a number, kept as notes; the parts that
    cannot be read."""

    numbers: tuple[str, ...] = ()
    not_applicable: bool = False
    notes: tuple[str, ...] = ()
    worded: tuple[tuple[str, str], ...] = ()  # (part as written, the numbers read from it) with words around
    bad: tuple[str, ...] = ()
    cell_notes: tuple[str, ...] = ()  # the notes about the whole cell ("N/A before firmware 2.1")
    number_notes: tuple[tuple[str, str], ...] = ()  # (number, the words written around it)

    @property
    def note(self) -> str:
        return "; ".join(self.notes)

    def note_of(self, number: str) -> str:
        """The words about one number: its own, then those about the whole cell."""
        own = [n for x, n in self.number_notes if x == number]
        return "; ".join([*own, *self.cell_notes])


def _split_parts(text: str) -> list[str]:
    """Parts of a cell: separated by commas, semicolons and line breaks outside brackets, and by
    'and' / '&' / 'or' only where every piece then starts like a reference."""
    out: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        if ch in ",;\n" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    parts: list[str] = []
    for chunk in out:
        pieces = re.split(r"\s+(?:and|or)\s+|\s*&\s*", chunk, flags=re.IGNORECASE)
        if len(pieces) > 1 and all(_starts_like_reference(x) for x in pieces):
            parts.extend(pieces)
        else:
            parts.append(chunk)
    return parts


def _starts_like_reference(piece: str) -> bool:
    rest = _PREFIX.sub("", piece.strip(), count=1).lstrip()
    return bool(re.match(r"\d|[A-Z][a-z]?\.\d|\(\s*(?:" + _ITEM_INNER + r")\s*\)", rest))


def _tidy(part: str) -> str:
    part = _PREFIX.sub("", part.strip(), count=1)
    part = re.sub(r"\s*\(\s*", "(", part)
    return re.sub(r"\s*\)", ")", part).strip()


def _split_last(ref: str) -> tuple[str, str, str, tuple[str, ...]] | None:
    """(stem, last token, closing text, counter styles it may be in) of a reference's last
    counter: 18.5p(ii) → ("18.5p(", "ii", ")", roman first); 18.5p → ("18.5", "p", "", alpha);
    18.4 → ("18.", "4", "", decimal). None when it ends in an insertion number (18.5A)."""
    m = re.fullmatch(r"(.*\()([^()]+)\)", ref)
    if m:
        return m.group(1), m.group(2), ")", ("lower-roman", "lower-alpha", "upper-roman", "upper-alpha", "decimal")
    m = re.fullmatch(r"(.*\d)([a-z]{1,3})", ref)
    if m:
        return m.group(1), m.group(2), "", ("lower-alpha",)
    m = re.fullmatch(r"((?:.*\.)?)(\d+)", ref)
    if m:
        return m.group(1), m.group(2), "", ("decimal",)
    return None


def _expand(a: str, b: str) -> tuple[str, ...] | None:
    """The references from ``a`` to ``b`` (``b`` whole, or only its last counter), or None."""
    first = _split_last(a)
    if first is None:
        return None
    stem, tok_a, close, styles = first
    if b.startswith("(") and close:
        tok_b = b[1:-1]
    elif b.startswith(stem) and b.endswith(close):
        tok_b = b[len(stem):len(b) - len(close)]
    elif "." not in b and "(" not in b:
        tok_b = b
    else:
        return None
    for style in styles:
        lo, hi = counters.parse(tok_a, style), counters.parse(tok_b, style)
        if lo is not None and hi is not None and lo < hi <= lo + _MAX_RANGE:
            return tuple(f"{stem}{counters.render(k, style)}{close}" for k in range(lo, hi + 1))
    return None


def _read_reference(part: str) -> tuple[str, ...] | None:
    """A reference or a range written alone, or None."""
    if _REFERENCE.fullmatch(part):
        return (part,)
    m = _range_rx().fullmatch(part)
    return _expand(m.group("a"), m.group("b")) if m else None


def _read_worded(raw: str) -> tuple[tuple[str, ...], str] | None:
    """A reference with words around it ("see 18.5p", "18.5p (firmware 2.1 and later)"): the
    numbers and the words, or None when the words could change what the number means."""
    if _NEGATION.search(raw):
        return None
    notes: list[str] = []

    def aside(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if _ITEM_WORD.fullmatch(inner):
            return f"({inner})"
        notes.append(inner)
        return " "

    text = _PREFIX.sub("", raw.strip(), count=1)
    core = re.sub(r"\s*\(([^()]*)\)", aside, text)
    hits = list(_in_words().finditer(core))
    if len(hits) != 1:
        return None
    hit = hits[0]
    if "." not in hit.group():
        return None  # a bare number among words ("Liberty 100") is not a clause reference
    numbers = _read_reference(_tidy(hit.group()))
    if numbers is None:
        return None
    before = _PREFIX_END.sub("", core[:hit.start()]).strip(" -–—:,")
    words = [w for w in (before, core[hit.end():].strip(" -–—:,")) if w]
    note = "; ".join(x for x in (*words, *notes) if x)
    # Words, not a stray letter ("18.5 p" is a mistyped 18.5p) nor a run of characters: a short note.
    if not re.search(r"[A-Za-z]{3}", note) or len(note) > _MAX_NOTE or any(len(w) > 40 for w in note.split()):
        return None
    return numbers, note


def _read_item_list(part: str) -> tuple[str, ...] | None:
    """Items listed in one bracket: 18.5p(iv and v), 18.5p(i, ii), 18.5p(i-iii)."""
    m = re.fullmatch(r"(.+?)\(([^()]*)\)", part)
    if not m or not _REFERENCE.fullmatch(m.group(1)):
        return None
    out: list[str] = []
    for piece in re.split(r"\s*(?:,|;|&|\band\b|\bor\b)\s*", m.group(2).strip(), flags=re.IGNORECASE):
        numbers = _read_reference(_tidy(f"{m.group(1)}({piece})")) if _ITEM_WORD.fullmatch(piece) else None
        if numbers is None:
            r = re.fullmatch(rf"({_ITEM_INNER}){_DASH}({_ITEM_INNER})", piece)
            numbers = _expand(f"{m.group(1)}({r.group(1)})", f"({r.group(2)})") if r else None
        if numbers is None:
            return None
        out.extend(numbers)
    return tuple(out) or None


@functools.lru_cache(maxsize=8192)
def read_cell(text: str) -> CellReading:
    """``"Clause 18.5p (i) and (ii); S1SR 18.5q"`` → numbers ``18.5p(i)``, ``18.5p(ii)``, ``18.5q``.

    Ranges are expanded; a bare item (``(ii)``) right after a full reference with an item takes
    that reference's stem; words around a number are kept as a note, never guessed away; "N/A",
    "Not supported", "NS" say the SRV does not apply. Nothing else is inferred: what cannot be
    read is returned in ``bad``.
    """
    text = text.replace("_x000D_", "").replace("\r", "\n").replace("\u00a0", " ")
    if text.strip().rstrip(".").lower() in _NONE:
        return CellReading()
    na = _NOT_APPLICABLE.match(text)
    if na and not _REFERENCE.match(text.strip()):
        note = " ".join(na.group("note").split()).strip("()")
        return CellReading(not_applicable=True, notes=(note,) if note else ())
    cell_notes: list[str] = []
    number_notes: list[tuple[str, str]] = []
    found: dict[str, None] = {}
    notes: list[str] = []
    worded: list[tuple[str, str]] = []
    bad: list[str] = []
    previous = ""
    for raw in _split_parts(text):
        stripped = raw.strip().rstrip(".").strip()
        if stripped.lower() in _NONE:
            continue
        if _NOT_APPLICABLE.match(stripped):
            notes.append(" ".join(stripped.split()))  # "N/A for firmware 1.x" beside a reference
            cell_notes.append(notes[-1])
            continue
        part = _tidy(stripped)
        if _ITEM_ONLY.fullmatch(part) and "(" in previous:
            part = previous[: previous.rindex("(")] + part
        numbers = _read_reference(part)
        if numbers is None:
            m = _range_rx().fullmatch(part)
            if m and _ITEM_ONLY.fullmatch(m.group("a")) and "(" in previous:
                numbers = _expand(previous[: previous.rindex("(")] + m.group("a"), m.group("b"))
        if numbers is None:
            numbers = _read_item_list(part)
        if numbers is None:
            read = _read_worded(stripped)
            if read is not None:
                numbers, note = read
                notes.append(note)
                worded.append((" ".join(stripped.split()), ", ".join(numbers)))
                number_notes.extend((n, note) for n in numbers)
        if numbers is None:
            bad.append(raw.strip())
            previous = ""
            continue
        found.update(dict.fromkeys(numbers))
        previous = numbers[-1]
    return CellReading(numbers=tuple(found), notes=tuple(notes), worded=tuple(worded), bad=tuple(bad),
                       cell_notes=tuple(cell_notes), number_notes=tuple(number_notes))


def normalise_references(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``"Clause 18.5p (i) and (ii); S1SR 18.5q"`` → ``(("18.5p(i)", "18.5p(ii)", "18.5q"), ())``.

    Returns the references read and the parts that could not be read (see :func:`read_cell`).
    """
    reading = read_cell(text)
    return reading.numbers, reading.bad


# -- header words ------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(re.sub(r"[.:#_()\[\]]", " ", text.lower()).split())


_SRV_HEADERS = {"srv", "srv no", "srv number", "srv ref", "srv reference", "srv id", "srv code",
                "service reference variant", "service reference variant srv"}
_NAME_HEADERS = {"srv name", "name", "service name", "srv description", "description", "srv title",
                 "service reference variant name", "title", "service", "service request name", "service request",
                 "request name", "duis name", "service request description", "srv request name",
                 "service description", "description of srv", "service request variant name"}
# Columns of words about the row: kept with the SRV as its note.
_NOTE_HEADERS = {"notes", "note", "comments", "comment", "remarks", "remark", "dcc notes", "rationale", "impact",
                 "additional information", "explanation", "clarification", "general notes", "firmware",
                 "firmware version", "firmware versions", "applicable firmware"}
# Notes kept as written; any other column's words are kept after its header ("Firmware: 2.1").
_PLAIN_NOTES = _NOTE_HEADERS - {"firmware", "firmware version", "firmware versions", "applicable firmware"}
_EXTRA_HEADERS = _NOTE_HEADERS | {
    "version", "critical", "on demand", "owner", "status", "change", "changes", "category", "reference",
    "last updated", "updated", "device model id", "device model ids", "model id", "id", "cohort", "priority",
    "gbcs use case", "use case", "message", "duis", "eui"}
# Header rows under the Device Model names, labelled in the SRV column.
_BAND_LABELS = {"firmware": "firmware", "firmware version": "firmware", "firmware versions": "firmware",
                "device model id": "id", "device model ids": "id", "model id": "id", "id": "id", "device id": "id",
                "cohort": "cohort"}
_TYPES_RX = "|".join(_DEVICE_TYPES)
_TYPE_FIRST = re.compile(rf"^\s*({_TYPES_RX})\b[\s\-–—:/|,]*(.*)$", re.IGNORECASE)
_TYPE_LAST = re.compile(rf"^(.*?)[\s\-–—:/|,]*\b({_TYPES_RX})\s*$", re.IGNORECASE)
_SRV_VALUE = re.compile(r"^(?:SRV\s*[:.]?\s*)?(\d+(?:\.\d+)*)(?:\s*[-–—:]\s*|\s+|$)(.*)$", re.IGNORECASE | re.DOTALL)


def _split_group(value: str) -> tuple[str, str]:
    """A group header → (device type, the rest), e.g. "ESME — Secure" → ("ESME", "Secure")."""
    left, sep, right = value.partition(" — ")  # as this package writes it
    if sep and left.strip().upper() in _DEVICE_TYPES:
        return left.strip().upper(), right.strip()
    m = _TYPE_FIRST.match(value)
    if m:
        return m.group(1).upper(), m.group(2).strip()
    m = _TYPE_LAST.match(value)
    if m:
        return m.group(2).upper(), m.group(1).strip()
    return "", value.strip()


# -- the file: the one package guard of generator.ooxml, then what is ours -----------------------
class _Refused(Exception):
    """The file cannot be read at all; carries the fatal Diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _refuse(rule: Any, file: str, message: str, help: str = "") -> _Refused:
    return _Refused(Diagnostic.make(rule, message, Location(file=file), help=help or rule.summary))


_RULES = {
    guard.Refusal.UNREADABLE: R.NOT_A_WORKBOOK, guard.Refusal.NOT_A_PACKAGE: R.NOT_A_WORKBOOK,
    guard.Refusal.ENCRYPTED: R.ENCRYPTED, guard.Refusal.TOO_LARGE: R.TOO_LARGE,
    guard.Refusal.DAMAGED: R.NOT_A_WORKBOOK, guard.Refusal.UNSAFE_XML: R.UNSAFE_XML,
}
_HELP = {
    guard.Refusal.UNREADABLE: "check the path and that the file is readable",
    guard.Refusal.NOT_A_PACKAGE: "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)",
    guard.Refusal.ENCRYPTED: "open it in Excel, remove the password (File > Info > Protect Workbook) or save it as "
                             "Excel Workbook (.xlsx), and give s1sr that copy",
    guard.Refusal.TOO_LARGE: "a real DMVESM unpacks to a few megabytes; delete unused rows, columns, images and "
                             "sheets, or do not use this file",
    guard.Refusal.DAMAGED: "the file was probably cut short while downloading or copying; fetch or save it again",
    guard.Refusal.UNSAFE_XML: "Excel never writes these; do not use the file, ask the sender for a copy saved by "
                              "Excel or LibreOffice",
}


def _check_kind(pkg: guard.Package, file: str, kind: str = "the DMVESM workbook") -> None:
    """A workbook, not another kind of Office file (the guard has checked the package itself);
    ``kind`` names the workbook expected in messages."""
    names = pkg.names
    if "word/document.xml" in names:
        raise _refuse(R.WRONG_KIND, file, f"{file} is a Word document (.docx), not {kind}",
                      f"give {kind} (.xlsx) here" + (" (were the S1SR and the DMVESM given the wrong way round?)"
                                                     if "DMVESM" in kind else ""))
    if "ppt/presentation.xml" in names:
        raise _refuse(R.WRONG_KIND, file, f"{file} is a PowerPoint presentation, not {kind}")
    if "mimetype" in names or "content.xml" in names:
        raise _refuse(R.WRONG_KIND, file, f"{file} is an OpenDocument file, not an .xlsx workbook",
                      "open it in LibreOffice and save it as Excel 2007-365 (.xlsx)")
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _refuse(R.NOT_A_WORKBOOK, file, f"{file} is a zip archive but not an Excel workbook",
                      f"give {kind} saved by Excel or LibreOffice as .xlsx")


def _utf8(data: bytes) -> bytes:
    """An XML part as UTF-8 (Excel writes UTF-8; a UTF-16 part is allowed by XML)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace").encode("utf-8")
    if data[:2] in (b"<\x00", b"\x00<"):
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", "replace").encode("utf-8")
    return data


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["\']([^"\']*)["\']')
# -- the workbook: only the sheets asked for, parsed through the guard's parser ------------------
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_C, _V, _F, _IS, _T = _MAIN + "c", _MAIN + "v", _MAIN + "f", _MAIN + "is", _MAIN + "t"
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")
_ASCII_DIGITS = "0123456789"
# Built-in number formats (ECMA-376 Part 1, 18.8.30) that show a date or a time, and the two
# that show fixed decimals, which _number_text needs.
_DATE_FORMAT_IDS = frozenset((14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47))
_BUILTIN_FORMATS = {1: "0", 2: "0.00"}
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_NOT_DATE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


@dataclass(frozen=True, slots=True)
class _Cell:
    """What the reader needs of a cell: its value as Excel shows it (a date as a date), whether it
    holds a formula ("f") or text ("s"), and its number format."""

    value: Any
    data_type: str = "n"
    number_format: str = "General"


@dataclass(slots=True)
class _Sheet:
    title: str
    cells: dict[tuple[int, int], _Cell]
    merged: list[tuple[int, int, int, int]]  # (top, left, bottom, right)
    max_row: int
    max_column: int


def column_number(letters: str) -> int:
    """``A`` → 1, ``AA`` → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(n: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _is_date_format(code: str) -> bool:
    bare = _NOT_DATE.sub("", code)
    return bare.lower() != "general" and bool(_DATE_CODE.search(bare))


class _Workbook:
    """The sheets of an .xlsx by title, each parsed on first use: the matrix is looked for only
    where it may be (see _matrix_sheets), so a workbook of ours parses its DMVESM and Device
    Models sheets and never unpacks the others (the Clauses sheet is the largest)."""

    def __init__(self, pkg: guard.Package, file: str) -> None:
        self.pkg = pkg
        self.file = file
        main = self._main_part()
        folder = main.rpartition("/")[0]
        root = self._xml(main)
        rels = self._rels(f"{folder}/_rels/{main.rpartition('/')[2]}.rels", folder)
        pr = root.find(f"{_MAIN}workbookPr")
        self.epoch = _dt.datetime(1904, 1, 1) if pr is not None and pr.get("date1904") in ("1", "true") \
            else _dt.datetime(1899, 12, 30)
        self.parts: dict[str, str] = {}
        self.titles: list[str] = []
        for s in root.iter(f"{_MAIN}sheet"):
            target = rels.get(s.get(_R_ID, ""))
            if target is not None and target[1] == _WORKSHEET:  # chart sheets hold no cells
                title = s.get("name", "")
                if not title.strip() or title in self.parts:
                    # Excel never saves a blank or repeated tab name, but a damaged file can hold one:
                    # name the sheet by its place, so that a finding still says where to look.
                    title = f"(sheet {len(self.titles) + 1})"
                self.titles.append(title)
                self.parts[title] = target[0]
        self._strings: list[str] | None = None
        self._formats: list[str] | None = None
        self._sheets: dict[str, _Sheet] = {}
        self._by_style: dict[str | None, str] = {}  # cell style → number format, as _format found it
        self._same: dict[tuple[str, str], _Cell] = {}  # (text, number format) → the one inline-string cell
        self.styles_part = next((t for t, kind in rels.values() if kind.endswith("/styles")), "")
        self.strings_part = next((t for t, kind in rels.values() if kind.endswith("/sharedStrings")), "")

    # parts
    def _xml(self, name: str) -> _Element:
        data = self.pkg.read(name)
        if data is None:
            raise _refuse(R.NOT_A_WORKBOOK, self.file, f"{self.file} has no part {name}, so it cannot be read as a "
                          "workbook", "open it in Excel or LibreOffice and save it again as Excel Workbook (.xlsx)")
        return guard.parse(data, name, self.file)

    def _main_part(self) -> str:
        root = self._xml("_rels/.rels") if "_rels/.rels" in self.pkg.names else None
        for rel in root.iter(f"{_RELS_NS}Relationship") if root is not None else ():
            if rel.get("Type") == _OFFICE_DOC:
                return str(rel.get("Target", "")).lstrip("/")
        return "xl/workbook.xml"

    def _rels(self, name: str, folder: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (part name, type) of one part's relationships."""
        if name not in self.pkg.names:
            return {}
        out: dict[str, tuple[str, str]] = {}
        for rel in self._xml(name).iter(f"{_RELS_NS}Relationship"):
            target = str(rel.get("Target", ""))
            if rel.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{folder}/{target}")
            out[str(rel.get("Id", ""))] = (path, str(rel.get("Type", "")))
        return out

    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            if self.strings_part:
                for si in self._xml(self.strings_part).iter(f"{_MAIN}si"):
                    self._strings.append("".join(t.text or "" for t in si.iter(_T)))
        return self._strings

    def formats(self) -> list[str]:
        """Number format code of each cell style (``s`` attribute) of the workbook."""
        if self._formats is None:
            self._formats = []
            if self.styles_part:
                root = self._xml(self.styles_part)
                codes = dict(_BUILTIN_FORMATS)
                for nf in root.iter(f"{_MAIN}numFmt"):
                    codes[int(nf.get("numFmtId", "0"))] = nf.get("formatCode", "")
                xfs = root.find(f"{_MAIN}cellXfs")
                for xf in xfs.iter(f"{_MAIN}xf") if xfs is not None else ():
                    fid = int(xf.get("numFmtId", "0"))
                    self._formats.append("m/d/yyyy" if fid in _DATE_FORMAT_IDS else codes.get(fid, "General"))
        return self._formats

    # sheets
    def sheet(self, title: str) -> _Sheet:
        if title not in self._sheets:
            self._sheets[title] = self._parse_sheet(title, self.parts[title])
        return self._sheets[title]

    def _parse_sheet(self, title: str, part: str) -> _Sheet:
        data = self.pkg.read(part)
        if data is None:
            raise _refuse(R.NOT_A_WORKBOOK, self.file, f"{self.file}: the sheet '{title}' has no part {part}",
                          "open it in Excel or LibreOffice and save it again as Excel Workbook (.xlsx)")
        merged = _merged_ranges(data, self.file)
        cells: dict[tuple[int, int], _Cell] = {}
        last = (0, 0)
        columns: dict[str, int] = {}  # column letters → number: a few hundred for any sheet
        empty: dict[str | None, _Cell] = {}  # a cell with no value, by style: one shared (frozen)
        fullmatch = _CELL_REF.fullmatch
        by_style, same = self._by_style, self._same
        for _event, c in guard.iterparse(data, part, self.file, tag=_C):
            at = c.get("r", "")
            letters = at.rstrip(_ASCII_DIGITS)
            col = columns.get(letters)  # letters seen before, checked then: only the row to read
            row = at[len(letters):]
            if col is not None and 0 < len(row) <= 7:
                r = int(row)
            elif ref := fullmatch(at):
                letters = ref.group(1)
                col = columns.get(letters) or columns.setdefault(letters, column_number(letters))
                r = int(ref.group(2))
            else:  # a cell without a reference follows the one before it (Excel always writes r)
                r, col = last[0] or 1, last[1] + 1
            last = (r, col)
            if col <= _MAX_COLUMNS:
                n = len(c)
                if n == 1 and (box := c[0]).tag == _IS and len(box) == 1 and c.get("t") == "inlineStr" and (
                        t := box[0]).tag == _T and not len(t):
                    # <c t="inlineStr"><is><t>…</t></is></c>, most cells of a matrix: what _cell
                    # says of it, without its general walk
                    style = c.get("s")
                    fmt = by_style.get(style) or self._format(style)
                    key = (t.text or "", fmt)
                    cell = same.get(key)
                    if cell is None:
                        cell = same[key] = _Cell(value=key[0], data_type="s", number_format=fmt)
                    cells[(r, col)] = cell
                elif n or c.get("t") == "inlineStr":
                    cells[(r, col)] = self._cell(c)
                else:  # no <v>, <f> or <is>: the styled empty cells of a formatted matrix, most of them
                    style = c.get("s")
                    cell = empty.get(style)
                    if cell is None:
                        cell = empty[style] = _Cell(value=None, number_format=self._format(style))
                    cells[(r, col)] = cell
            c.clear()
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        return _Sheet(title=title, cells=cells, merged=merged, max_row=max(rows, default=1),
                      max_column=max(cols, default=1))

    def _format(self, style: str | None) -> str:
        """The number format of cell style ``style`` (the ``s`` attribute)."""
        fmt = self._by_style.get(style)
        if fmt is None:
            fmt = "General"
            if style is not None and style.isdigit():
                formats = self.formats()
                fmt = formats[int(style)] if int(style) < len(formats) else "General"
            self._by_style[style] = fmt
        return fmt

    def _cell(self, c: _Element) -> _Cell:
        kind = c.get("t", "n")
        fmt = self._format(c.get("s"))
        # The first <f>, <v> and <is>, as c.find() would give them, in one loop over the cell's one
        # or two children (find() goes through ElementPath: most of the cost of a cell).
        f = v = box = None
        for child in c:
            tag = child.tag
            if tag == _F:
                f = child if f is None else f
            elif tag == _V:
                v = child if v is None else v
            elif tag == _IS:
                box = child if box is None else box
        if f is not None and (f.text or f.get("t") == "shared"):
            return _Cell(value="=" + (f.text or ""), data_type="f", number_format=fmt)
        if kind == "inlineStr":
            if box is None:
                text = ""
            elif len(box) == 1 and box[0].tag == _T and not len(box[0]):  # <is><t>…</t></is>: the usual
                text = box[0].text or ""
            else:
                text = "".join(t.text or "" for t in box.iter(_T))
            key = (text, fmt)
            cell = self._same.get(key)
            if cell is None:  # cells that read the same share one (frozen) _Cell: a matrix is mostly "–"
                cell = self._same[key] = _Cell(value=text, data_type="s", number_format=fmt)
            return cell
        raw = v.text if v is not None else None
        if raw is None:
            return _Cell(value=None, number_format=fmt)
        if kind == "s":
            strings = self.strings()
            index = int(raw)
            return _Cell(value=strings[index] if 0 <= index < len(strings) else "", data_type="s", number_format=fmt)
        if kind in ("str", "e"):
            return _Cell(value=raw, data_type="s" if kind == "str" else "e", number_format=fmt)
        if kind == "b":
            return _Cell(value=raw.strip() in ("1", "true"), data_type="b", number_format=fmt)
        if kind == "d":
            return _Cell(value=_dt.datetime.fromisoformat(raw.strip()), data_type="d", number_format=fmt)
        number = float(raw)
        if _is_date_format(fmt) and 0 <= number < 2958466:  # before 10000-01-01
            return _Cell(value=self.epoch + _dt.timedelta(days=number), data_type="d", number_format=fmt)
        plain = raw.strip()
        value: int | float = int(plain) if plain.lstrip("-").isdigit() else number
        return _Cell(value=value, number_format=fmt)


def _merged_ranges(data: bytes, file: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, refused before any cell is made when they cover too many."""
    text = _utf8(data)
    out: list[tuple[int, int, int, int]] = []
    covered = 0
    for m in _MERGE.finditer(text):
        ref = m.group(1).decode("ascii", "replace").replace("$", "").upper()
        ends = [_CELL_REF.fullmatch(p) for p in ref.split(":")]
        if len(ends) != 2 or not all(ends):
            continue
        (c1, r1), (c2, r2) = ((column_number(e.group(1)), int(e.group(2))) for e in ends if e)
        top, bottom, left, right = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
        covered += (bottom - top + 1) * (right - left + 1)
        if covered > MAX_MERGED_CELLS:
            raise _refuse(R.TOO_LARGE, file,
                          f"{file} is refused: its merged cells cover more than {MAX_MERGED_CELLS:,} cells",
                          "a real DMVESM merges a few header cells; unmerge whole rows or columns and save again")
        out.append((top, left, bottom, right))
    return out


# -- a sheet, with merged cells read as the value they show ------------------------------------
class _Grid:
    """Cell values of one worksheet, where each merged cell shows its range's value.

    Cells are looked up in the table of the cells the sheet holds: a sheet with one value in row
    1,048,576 costs one cell, not a million empty ones.
    """

    def __init__(self, ws: _Sheet) -> None:
        self.ws = ws
        self._cells = ws.cells
        self.max_row: int = ws.max_row
        self.max_col: int = min(ws.max_column, _MAX_COLUMNS)
        self.cut: list[str] = []  # merged ranges read only in part (XLSX130)
        self._unread: list[tuple[int, int, int, int]] = []  # what is left of them
        self._anchor: dict[tuple[int, int], tuple[int, int]] = {}
        self._bottom: dict[tuple[int, int], int] = {}
        self._by_row: dict[int, set[int]] | None = None
        self._texts: dict[str, str] = {}  # cell text → as shown, with its whitespace runs made one space
        for top, left, bottom, right in ws.merged:
            self._bottom[(top, left)] = bottom
            # A merged range down to row 1,048,576 (a format dragged down, a stray cell there) must
            # not fill memory with a million anchors: its first MAX_MERGED cells are read.
            low, width = bottom, min(right, self.max_col) - left + 1
            rows = max(1, MAX_MERGED // max(1, width))  # cells, not just rows
            if low - top >= rows:
                self.cut.append(f"{_ref(top, left)}:{_ref(bottom, right)}")
                low = top + rows - 1
                self._unread.append((low + 1, left, bottom, right))
            for r in range(top, low + 1):
                for c in range(left, left + width):
                    self._anchor[(r, c)] = (top, left)

    def rows_after(self, row: int) -> list[int]:
        """The rows below ``row`` that hold any cell, in order."""
        if not self._unread:
            return sorted({r for r, _ in self._cells if r > row})
        # A row that holds only the covered cells of a merged range read in part is not in use.
        return sorted({r for r, c in self._cells if r > row and not any(
            t <= r <= b and lf <= c <= rt for t, lf, b, rt in self._unread)})

    def columns_in(self, row: int) -> set[int]:
        """The columns where row ``row`` shows a cell (its own, or a merged range's): a sparse
        matrix row is read where it has cells, not across every Device Model column."""
        if self._by_row is None:
            self._by_row = {}
            for r, c in (*self._cells, *self._anchor):
                self._by_row.setdefault(r, set()).add(c)
        return self._by_row.get(row, set())

    def cell(self, r: int, c: int) -> _Cell | None:
        """The cell shown at (r, c), or None where the sheet has none."""
        return self._cells.get(self._anchor.get((r, c), (r, c)))

    def value(self, r: int, c: int) -> Any:
        cell = self.cell(r, c)
        return None if cell is None else cell.value

    def text(self, r: int, c: int) -> str:
        cell = self._cells.get(self._anchor.get((r, c), (r, c)))
        v = None if cell is None else cell.value
        if v is None:
            return ""
        if not isinstance(v, str):
            return str(v)
        shown = self._texts.get(v)
        if shown is None:  # a matrix repeats a few values ("–", "N/A") thousands of times
            shown = self._texts[v] = " ".join(v.split())
        return shown

    def merged(self, r: int, c: int) -> bool:
        return (r, c) in self._anchor

    def anchor_of(self, r: int, c: int) -> tuple[int, int]:
        return self._anchor.get((r, c), (r, c))

    def anchor_col(self, r: int, c: int) -> int:
        return self._anchor.get((r, c), (r, c))[1]

    def merged_bottom(self, r: int, c: int) -> int:
        return self._bottom.get((r, c), r)


def _ref(r: int, c: int) -> str:
    return f"{column_letter(c)}{r}"


# -- finding the matrix -------------------------------------------------------------------------
@dataclass(slots=True)
class _Header:
    srv_col: int
    model_row: int
    name_col: int = 0
    devices: dict[int, DeviceColumn] = field(default_factory=dict)
    unlabelled: list[int] = field(default_factory=list)
    note_cols: list[tuple[int, str]] = field(default_factory=list)  # (column, header) of words about the row
    text_cols: list[tuple[int, str, int, int]] = field(default_factory=list)  # read as notes by their content
    band_rows: set[int] = field(default_factory=set)  # header rows below the Device Model names
    name_by_content: bool = False


# Sheets a workbook keeps beside the matrix: never read as the matrix while another sheet is one.
_ASIDE = re.compile(r"(?i)\b(notes?|legend|key|read\s*me|instructions?|guidance|glossary|change\s*log|history|about|"
                    r"cover|contents|definitions?|lookup|lists?|device\s+models|clauses)\b")


def _sheets_in_order(wb: _Workbook) -> list[str]:
    """The worksheets' titles, the likeliest matrix first (chart sheets hold no cells)."""

    def rank(title: str) -> int:
        name = title.strip().lower()
        return 0 if name == "dmvesm" else 1 if "dmvesm" in name else 2 if "matrix" in name else \
            4 if _ASIDE.search(name) else 3

    return sorted(wb.titles, key=rank)


def _find_srv_header(g: _Grid) -> tuple[int, int] | None:
    for r in range(1, min(g.max_row, _HEADER_ROWS) + 1):
        for c in range(1, g.max_col + 1):
            v = g.value(r, c)
            if isinstance(v, str) and _norm(v) in _SRV_HEADERS:
                return r, c
    return None


def _looks_like_references(text: str) -> bool:
    reading = read_cell(text)
    return bool(reading.numbers) and not reading.bad and not reading.worded


def _srv_text(g: _Grid, r: int, c: int) -> str:
    """The SRV a row's SRV cell holds, read quietly (the findings come when the row is read)."""
    cell = g.cell(r, c)
    v = None if cell is None else cell.value
    if isinstance(v, bool) or v is None:
        return ""
    text = _number_text(cell) if isinstance(v, (int, float)) else str(v) if isinstance(v, str) else ""
    m = _SRV_VALUE.match(" ".join(text.split()))
    return m.group(1) if m else ""


def _same_name(a: str, b: str) -> bool:
    x, y = _norm(a), _norm(b)
    if not x or not y:
        return False
    if x == y or (min(len(x), len(y)) >= 8 and (x in y or y in x)):
        return True
    if min(len(x), len(y)) < 0.7 * max(len(x), len(y)):
        return False
    sm = difflib.SequenceMatcher(None, x, y)
    return sm.quick_ratio() >= 0.85 and sm.ratio() >= 0.85


def _header(g: _Grid, claimed: frozenset[str] = frozenset(), srv_names: Mapping[str, str] | None = None
            ) -> _Header | None:
    """The header of the matrix; ``claimed`` are columns the workbook's registry names as devices;
    ``srv_names`` (SRV → DUIS name) tell the column of SRV names by its content."""
    at = _find_srv_header(g)
    if at is None:
        return None
    hr, sc = at
    model_row = _model_row(g, hr, sc)
    h = _Header(srv_col=sc, model_row=model_row)
    labels: dict[str, int] = {}  # band label → its row, below the Device Model names
    data: list[tuple[int, str]] = []  # (row, SRV)
    for r in g.rows_after(model_row):
        srv = _srv_text(g, r, sc)
        if srv:
            data.append((r, srv))
            continue
        label = _BAND_LABELS.get(_norm(g.text(r, sc)))
        if label and not data:
            labels.setdefault(label, r)
            h.band_rows.add(r)
    candidates: list[int] = []
    for c in range(sc + 1, g.max_col + 1):
        head = next((t for r in range(model_row, hr - 1, -1) if (t := g.text(r, c))), "")
        key = _norm(head)
        if head and column_letter(c) in claimed:
            candidates.append(c)
        elif not head:
            h.unlabelled.append(c)
        elif key in _NAME_HEADERS and not h.name_col:
            h.name_col = c
        elif key in _NOTE_HEADERS:
            h.note_cols.append((c, head))
        elif key in _EXTRA_HEADERS or key in _NAME_HEADERS or key in _SRV_HEADERS:
            continue
        else:
            candidates.append(c)
    if not candidates and g.ws.title.strip().upper() != "DMVESM":
        return None  # a sheet named DMVESM may be empty: a registry without Device Models
    band = _group_rows(g, model_row, candidates)
    for c in list(candidates):
        if column_letter(c) in claimed:
            continue
        kind = _by_content(g, c, data, srv_names or {}, grouped=any(g.text(r, c) for r in band))
        head = g.text(model_row, c)
        if kind == "name" and not h.name_col:
            h.name_col, h.name_by_content = c, True
            candidates.remove(c)
        elif kind.startswith("text"):
            _, bad, filled = kind.split(":")
            h.text_cols.append((c, head, int(bad), int(filled)))
            h.note_cols.append((c, head))
            candidates.remove(c)
    if not candidates and g.ws.title.strip().upper() != "DMVESM":
        return None
    band = _group_rows(g, model_row, candidates)
    for c in candidates:
        h.devices[c] = _device_column(g, c, band, model_row, labels)
    return h


def _model_row(g: _Grid, hr: int, sc: int) -> int:
    """The row of the Device Model names: the SRV header's (its merged bottom), or the row below
    when the SRV header sits in a group row and the row below names models, not clauses."""
    model_row = g.merged_bottom(hr, sc)
    below = model_row + 1
    if (model_row == hr and below <= g.max_row and not g.text(below, sc)
            and not g.merged(below, sc)):
        texts = [g.text(below, c) for c in range(sc + 1, g.max_col + 1)]
        texts = [t for t in texts if t]
        if texts and not any(_looks_like_references(t) for t in texts):
            return below
    return model_row


def _device_column(g: _Grid, c: int, band: list[int], model_row: int, labels: dict[str, int]) -> DeviceColumn:
    """A Device Model column from its header band (type and manufacturer above the model name;
    id, firmware and cohort rows below it)."""
    values: list[str] = []
    for r in band:
        t = g.text(r, c)
        if t and (not values or values[-1] != t):
            values.append(t)
    dtype = ""
    rest: list[str] = []
    for v in values:
        t, other = _split_group(v)
        if t and not dtype:
            dtype = t
            if other:
                rest.append(other)
        else:
            rest.append(v)
    return DeviceColumn(
        column=column_letter(c), device_type=dtype, manufacturer=" ".join(rest), model=g.text(model_row, c),
        device_id=g.text(labels["id"], c) if "id" in labels else "",
        firmware=g.text(labels["firmware"], c) if "firmware" in labels else "",
        cohort=g.text(labels["cohort"], c).upper() if "cohort" in labels else "")


def _by_content(g: _Grid, c: int, data: list[tuple[int, str]], srv_names: Mapping[str, str], *, grouped: bool) -> str:
    """What a column with a header that says nothing known is, by what its SRV rows hold:
    "name" (the DUIS names of the rows' SRVs), "text:BAD:FILLED" (words, not clause references),
    or "device"."""
    filled = bad = named = 0
    for r, srv in data:
        t = g.text(r, c)
        if not t:
            continue
        filled += 1
        # The names are looked for while they could still be the majority.
        if srv_names and named * 2 + 6 >= filled and _same_name(t, srv_names.get(srv, "")):
            named += 1
        reading = read_cell(t)
        if reading.bad and not reading.numbers and not reading.not_applicable:
            bad += 1
    if named >= 2 and named * 2 >= filled:
        return "name"
    if not grouped and filled >= 2 and bad * 2 > filled:
        return f"text:{bad}:{filled}"
    return "device"


def _group_rows(g: _Grid, model_row: int, cols: list[int]) -> list[int]:
    """The rows above the model row that name device types and manufacturers (top first)."""
    rows: list[int] = []
    if not cols:
        return rows
    first = min(cols)
    for r in range(model_row - 1, max(0, model_row - 3), -1):
        filled = [c for c in cols if g.text(r, c)]
        if not filled:
            break
        anchors = {g.anchor_col(r, c) for c in filled}
        if anchors and max(anchors) < first:
            break  # a title merged across the sheet from its left edge
        if len(filled) == 1 and len(cols) >= 3 and not g.merged(r, filled[0]):
            break  # one stray value over many columns: a title, not a group header
        rows.append(r)
    return list(reversed(rows))


_Entry = tuple[str, str, str, str, str]  # id, manufacturer, model, type, DMVESM column


def _registry(wb: _Workbook) -> list[_Entry]:
    """The workbook's own "Device Models" sheet (as this package writes it), if it has one."""
    title = next((t for t in wb.titles if t.strip().lower() == "device models"), None)
    if title is None:
        return []
    g = _Grid(wb.sheet(title))
    heads: dict[str, int] = {}
    for c in range(g.max_col, 0, -1):  # the first of two equal headers wins
        if isinstance(v := g.value(1, c), str):
            heads[_norm(v)] = c
    need = ("id", "manufacturer", "model", "type", "dmvesm column")
    if not all(k in heads for k in need):
        return []
    entries: list[_Entry] = []
    for r in g.rows_after(1):
        vals = [g.value(r, heads[k]) for k in need]
        if vals[0] is None:
            continue
        did, maker, model, dtype, letter = ("" if v is None else " ".join(str(v).split()) for v in vals)
        entries.append((did, maker, model, dtype.upper(), letter.upper()))
    return entries


def _device_ids(entries: list[_Entry], devices: dict[int, DeviceColumn]) -> dict[int, DeviceColumn]:
    """Each column's Device Model id: the registry entry naming its letter, if the header agrees,
    else the one entry with its type, manufacturer and model; "" when neither holds."""
    if not entries:
        return devices
    by_letter = {e[4]: e for e in entries}
    by_name: dict[tuple[str, str, str], list[str]] = {}
    for e in entries:
        by_name.setdefault((e[3], e[1], e[2]), []).append(e[0])
    out: dict[int, DeviceColumn] = {}
    for c, d in devices.items():
        found = by_letter.get(d.column)
        if found and found[2] == d.model and d.manufacturer in ("", found[1]) and d.device_type in ("", found[3]):
            did = found[0]
        else:
            ids = by_name.get((d.device_type, d.manufacturer, d.model), [])
            did = ids[0] if len(ids) == 1 else d.device_id
        out[c] = dataclasses.replace(d, device_id=did)
    return out


# -- reading the cells --------------------------------------------------------------------------
def _number_text(cell: Any) -> str:
    """A numeric cell as the digits it displays (``0.00`` shows 18.1 as 18.10)."""
    v = cell.value
    if isinstance(v, int):
        return str(v)
    m = re.fullmatch(r"0\.(0+)", str(cell.number_format or ""))
    if m:
        return f"{v:.{len(m.group(1))}f}"
    return repr(float(v)).removesuffix(".0")


class _Reader:
    def __init__(self, file: str, g: _Grid) -> None:
        self.file = file
        self.g = g
        self.sheet = g.ws.title
        self.diags: list[Diagnostic] = []

    def loc(self, r: int, c: int) -> Location:
        top, left = self.g.anchor_of(r, c)
        return Location(file=self.file, sheet=self.sheet, cell=_ref(top, left))

    def where(self, r: int, c: int) -> str:
        return f"{self.sheet}!{_ref(*self.g.anchor_of(r, c))}"

    def typed(self, r: int, c: int, what: str) -> tuple[str | None, bool]:
        """(text of the cell or None when it cannot be used, whether it held a number)."""
        cell = self.g.cell(r, c)
        if cell is None or cell.value is None:
            return "", False
        v = cell.value
        if cell.data_type == "f" or (isinstance(v, str) and v.startswith("=") and cell.data_type != "s"):
            self.diags.append(Diagnostic.make(
                R.FORMULA_CELL, f"{self.where(r, c)} holds a formula ({str(v)[:60]}); {what} is not evaluated",
                self.loc(r, c), help="replace the formula by its value (Paste Special > Values)"))
            return None, False
        if isinstance(v, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
            shown = day_month(v) if isinstance(v, (_dt.datetime, _dt.date)) else str(v)
            self.diags.append(Diagnostic.make(
                R.DATE_CELL, f"{self.where(r, c)} holds a date ({shown}), not {what}; Excel may have "
                "converted a number such as 18.5 into a date", self.loc(r, c),
                help="format the column as Text and type the value again"))
            return None, False
        if isinstance(v, bool):
            return None, False
        if isinstance(v, (int, float)):
            return _number_text(cell), True
        return str(v), False

    def srv(self, r: int, c: int) -> tuple[str, str, bool]:
        """(SRV number, name written beside it, whether the cell was unusable)."""
        text, numeric = self.typed(r, c, "an SRV number")
        if text is None:
            return "", "", True
        m = _SRV_VALUE.match(" ".join(text.split()))
        if not m:
            return "", "", False
        if numeric:
            self.diags.append(Diagnostic.make(
                R.NUMBER_CELL, f"{self.where(r, c)} holds the SRV as a number; read as {m.group(1)}, "
                "but 6.10 and 6.1 are the same number", self.loc(r, c),
                help="format the SRV column as Text and type the SRV again"))
        return m.group(1), m.group(2).strip(), False

    def reading(self, r: int, c: int, srv: str, device: DeviceColumn) -> tuple[CellReading, list[str]]:
        """What the cell says, and the parts it holds that cannot be read (for its column's finding)."""
        text, numeric = self.typed(r, c, "a clause reference")
        if not text:
            return CellReading(), []
        reading = read_cell(text)
        if numeric and reading.numbers:
            self.diags.append(Diagnostic.make(
                R.NUMBER_CELL, f"{self.where(r, c)} holds {text} as a number, not text (SRV {srv}, {device.label}); "
                "18.10 and 18.1 are the same number", self.loc(r, c),
                help="format the column as Text and type the clause number again"))
        return reading, list(reading.bad)


_HINT = ("write clause numbers such as 18.5p, 18.5p(i) or a range 18.5p(i)-(iii), separated by commas; '-' or "
         "'None' for no variation, 'N/A' or 'Not supported' where the SRV does not apply; move comments to a Notes "
         "column")


def _column_findings(rd: _Reader, d: DeviceColumn, c: int, bad: list[tuple[int, str, str]],
                     worded: list[tuple[int, str, str, str]]) -> None:
    """One finding per column for what its cells hold that cannot be read (one cell: at the cell),
    and one for the numbers read from among words."""
    if len(bad) == 1:
        r, srv, part = bad[0]
        rd.diags.append(Diagnostic.make(
            R.BAD_REFERENCE, f"{rd.where(r, c)}: cannot read '{part[:80]}' as a clause reference "
            f"(SRV {srv}, {d.label})", rd.loc(r, c),
            help="a range reads as 18.5a-c or 18.5p(i)-(iii), in one counter style" if _RANGE.search(part) else _HINT))
    elif bad:
        cells = list(dict.fromkeys(rd.where(r, c) for r, _, _ in bad))
        examples = "; ".join(f"{rd.where(r, c).split('!')[-1]} '{part[:40]}'" for r, _, part in bad[:3])
        rd.diags.append(Diagnostic.make(
            R.UNREADABLE_COLUMN, f"column {d.column} ({d.label}) has {len(cells)} cells that "
            f"cannot be read as clause references ({examples}{' …' if len(bad) > 3 else ''})",
            rd.loc(bad[0][0], c), related=tuple(rd.loc(r, c) for r, _, _ in bad[1:]), help=_HINT))
    if worded:
        shown = "; ".join(f"{rd.where(r, c).split('!')[-1]} '{part[:50]}' → {numbers}"
                          for r, part, numbers, _ in worded[:4])
        rd.diags.append(Diagnostic.make(
            R.REFERENCE_WITH_WORDS, f"column {d.column} ({d.label}) has {len(worded)} "
            f"cell{'s' if len(worded) > 1 else ''} citing a clause among words, read as the number with the words "
            f"kept as a note: {shown}{' …' if len(worded) > 4 else ''}",
            rd.loc(worded[0][0], c), related=tuple(rd.loc(r, c) for r, _, _, _ in worded[1:]),
            help="check each number read; move the words to a Notes column if they are not about the cell"))


def _header_findings(rd: _Reader, h: _Header) -> None:
    """A Device Model named twice in the header; columns read as notes because they hold words."""
    seen: dict[tuple[str, str, str, str], int] = {}
    for c, d in sorted(h.devices.items()):
        key = (d.device_type, d.manufacturer, d.model, d.device_id)  # the registry may tell them apart
        if key in seen:
            rd.diags.append(Diagnostic.make(
                R.DUPLICATE_DEVICE, f"{rd.where(h.model_row, c)} names {d.label} again (first in column "
                f"{h.devices[seen[key]].column})", rd.loc(h.model_row, c),
                related=(rd.loc(h.model_row, seen[key]),)))
        else:
            seen[key] = c
    for c, head, bad_n, filled in h.text_cols:
        rd.diags.append(Diagnostic.make(
            R.TEXT_COLUMN, f"column {column_letter(c)} ('{head[:40]}') holds words, "
            f"not clause references ({bad_n} of its {filled} cells), so it is read as notes, not as a Device Model",
            rd.loc(h.model_row, c),
            help="if it is a Device Model, write clause numbers in its cells; otherwise head it 'Notes'"))


def _read_sheet(file: str, g: _Grid, h: _Header, *, registry: bool = False) -> tuple[WorkbookMatrix, list[Diagnostic]]:
    rd = _Reader(file, g)
    _header_findings(rd, h)
    cells: list[CitedCell] = []
    not_applicable: list[CitedCell] = []
    srvs: list[SrvRow] = []
    first_row: dict[str, int] = {}
    reported: set[int] = set()
    bad: dict[int, list[tuple[int, str, str]]] = {}
    worded: dict[int, list[tuple[int, str, str, str]]] = {}
    says: dict[str, bool] = {}  # a cell's text → whether it says anything (not one of _NONE)
    for r in g.rows_after(h.model_row):
        if r in h.band_rows:
            continue
        # (an empty cell's text is "", one of _NONE)
        has = {}
        for c in h.devices:
            t = g.text(r, c)
            filled = says.get(t)
            if filled is None:  # a matrix repeats a few values ("–", "N/A") thousands of times
                filled = says[t] = t.lower().rstrip(".") not in _NONE
            has[c] = filled
        srv, name_beside, unusable = rd.srv(r, h.srv_col)
        if not srv:
            if any(has.values()) and not unusable:
                raw = g.text(r, h.srv_col)
                what = f"'{raw[:60]}'" if raw else "nothing"
                rd.diags.append(Diagnostic.make(
                    R.BAD_SRV, f"{rd.where(r, h.srv_col)}: row {r} cites clauses but its SRV cell holds {what}",
                    rd.loc(r, h.srv_col), help="put the SRV number (e.g. 4.8.1) in the SRV column of this row"))
            continue
        if srv in first_row:
            rd.diags.append(Diagnostic.make(
                R.DUPLICATE_SRV, f"{rd.where(r, h.srv_col)}: SRV {srv} has a second row (first on row "
                f"{first_row[srv]})", rd.loc(r, h.srv_col),
                related=(rd.loc(first_row[srv], h.srv_col),), help="merge the two rows into one"))
        else:
            first_row[srv] = r
        name = g.text(r, h.name_col) if h.name_col else name_beside
        notes = []
        for c, head in h.note_cols:
            t = g.text(r, c)
            if t:
                notes.append(t if _norm(head) in _PLAIN_NOTES else f"{head}: {t}")
        srvs.append(SrvRow(srv=srv, name=name, row=r, note="; ".join(notes)))
        for c, d in h.devices.items():
            if not has[c]:
                continue
            reading, parts = rd.reading(r, c, srv, d)
            bad.setdefault(c, []).extend((r, srv, part) for part in parts)
            worded.setdefault(c, []).extend((r, part, numbers, srv) for part, numbers in reading.worded)
            if reading.numbers:
                cells.append(CitedCell(srv=srv, device_label=d.label, device_id=d.device_id, numbers=reading.numbers,
                                       sheet=g.ws.title, cell_ref=_ref(r, c), note=reading.note,
                                       number_notes=tuple((n, reading.note_of(n)) for n in reading.numbers
                                                          if reading.note_of(n))))
            elif reading.not_applicable:
                not_applicable.append(CitedCell(srv=srv, device_label=d.label, device_id=d.device_id, numbers=(),
                                                sheet=g.ws.title, cell_ref=_ref(r, c),
                                                note=reading.note))
        for c in h.unlabelled:
            if c not in reported and g.value(r, c) is not None and g.text(r, c):
                reported.add(c)
                rd.diags.append(Diagnostic.make(
                    R.UNLABELLED_COLUMN, f"{rd.where(r, c)} holds '{g.text(r, c)[:40]}' but its column has no "
                    "header; the column is ignored", rd.loc(r, c),
                    help="name the Device Model in the header row, or move the values"))
    for c, d in sorted(h.devices.items()):
        _column_findings(rd, d, c, bad.get(c, []), worded.get(c, []))
    if not_applicable and not registry:  # ours: the source's not_applicable lists, compared by the read-back
        by_device: dict[str, list[str]] = {}
        for x in not_applicable:
            by_device.setdefault(x.device_label, []).append(x.srv)
        shown = "; ".join(f"{d}: SRV {', '.join(ss[:4])}{' …' if len(ss) > 4 else ''}"
                          for d, ss in list(by_device.items())[:4])
        first = not_applicable[0]
        n = len(not_applicable)
        rd.diags.append(Diagnostic.make(
            R.NOT_APPLICABLE_CELLS, f"{n} cell{'s say' if n > 1 else ' says'} that the SRV does not apply to the "
            f"Device Model (N/A, not supported), read as 'not applicable': {shown}{' …' if len(by_device) > 4 else ''}",
            Location(file=file, sheet=g.ws.title, cell=first.cell_ref),
            help="nothing to do if intended: these cells cite no clause and are kept as 'not applicable'"))
    if h.devices and not srvs and not registry:  # ours: an empty matrix is the source's
        rd.diags.append(Diagnostic.make(
            R.EMPTY_MATRIX, f"{g.ws.title}!{_ref(h.model_row + 1, h.srv_col)}: the matrix names {len(h.devices)} Device "
            "Model(s) but has no SRV row below its header, so it cites no clause and nothing in it can be checked",
            Location(file=file, sheet=g.ws.title, cell=_ref(h.model_row + 1, h.srv_col)),
            help="give the DMVESM with its rows (one per SRV, the SRV number in the SRV column)"))
    matrix = WorkbookMatrix(file=file, sheet=g.ws.title, devices=tuple(d for _, d in sorted(h.devices.items())),
                            srvs=tuple(srvs), cells=tuple(cells), not_applicable=tuple(not_applicable))
    return matrix, rd.diags


def _matrix_sheets(wb: _Workbook, entries: list[_Entry], srv_names: Mapping[str, str] | None
                   ) -> list[tuple[_Grid, _Header]]:
    """Every sheet that has a matrix header."""
    claimed = frozenset(e[4] for e in entries)
    out: list[tuple[_Grid, _Header]] = []
    for title in _sheets_in_order(wb):
        if _ASIDE.search(title) and any(x[0].ws.title.strip().upper() == "DMVESM" for x in out):
            # Beside a sheet named DMVESM, a notes, registry or Clauses sheet is neither the matrix
            # nor a rival copy of it (_choose): it is never parsed (the Clauses sheet is the largest).
            continue
        g = _Grid(wb.sheet(title))
        h = _header(g, claimed if title == "DMVESM" else frozenset(), srv_names)
        if h is None:
            continue
        out.append((g, h))
    return out


def _filled(g: _Grid, h: _Header) -> int:
    """How many of the sheet's SRV rows' device cells are filled."""
    return sum(1 for r in g.rows_after(h.model_row) if r not in h.band_rows and "." in _srv_text(g, r, h.srv_col)
               for c in h.devices if g.text(r, c))


def _choose(found: list[tuple[_Grid, _Header]]) -> tuple[tuple[_Grid, _Header], list[str]]:
    """The matrix among the sheets that look like one: a sheet named DMVESM, else the fullest that
    is not a notes or legend sheet; the others' names. (How full a sheet is, is counted only where
    it decides: a lone sheet named DMVESM is not read twice.)"""
    named = [x for x in found if x[0].ws.title.strip().upper() == "DMVESM"]
    main = [x for x in found if not _ASIDE.search(x[0].ws.title)] or found
    counted: dict[int, int] = {}

    def filled(x: tuple[_Grid, _Header]) -> int:
        n = counted.get(id(x))
        if n is None:
            n = counted[id(x)] = _filled(*x)
        return n

    best = named[0] if named else max(main, key=filled)  # max keeps the first of equals: sheet order
    others = [x[0].ws.title for x in found if x is not best and not _ASIDE.search(x[0].ws.title) and filled(x) > 0]
    return best, others


def read_xlsx(path: str | os.PathLike[str], *, name: str = "", srv_names: Mapping[str, str] | None = None,
              limits: guard.Limits | None = None) -> tuple[WorkbookMatrix | None, list[Diagnostic]]:
    """The DMVESM in ``path``; ``None`` (with a Diagnostic) when there is none to read.

    ``name`` is how the file is called in findings (default: the path as given); ``srv_names``
    (SRV number → DUIS name, from the SRV list) let a column of SRV names be told by its content.
    """
    file = name or os.fspath(path)
    try:
        with guard.open_package(os.fspath(path), file, "workbook", limits or guard.LIMITS) as pkg:
            _check_kind(pkg, file)
            return _read_workbook(_Workbook(pkg, file), file, srv_names)
    except guard.Refused as exc:
        return None, [Diagnostic.make(_RULES[exc.reason], exc.message, Location(file=file), help=_HELP[exc.reason])]
    except _Refused as exc:
        return None, [exc.diagnostic]
    except (ValueError, KeyError, IndexError, OverflowError) as exc:  # a value no workbook would hold
        return None, [Diagnostic.make(R.NOT_A_WORKBOOK, f"{file} cannot be read as a workbook: {exc}",
                                      Location(file=file),
                                      help="open it in Excel or LibreOffice and save it again as Excel Workbook "
                                           "(.xlsx)")]


def _read_workbook(wb: _Workbook, file: str, srv_names: Mapping[str, str] | None
                   ) -> tuple[WorkbookMatrix | None, list[Diagnostic]]:
    entries = _registry(wb)
    found = _matrix_sheets(wb, entries, srv_names)
    if not found:
        names = ", ".join(wb.titles) or "none"
        return None, [Diagnostic.make(
            R.NO_MATRIX, f"{file}: no sheet has a header row with an 'SRV' column and Device Model "
            f"columns (sheets: {names})", Location(file=file),
            help="label the column of SRV numbers 'SRV' and put the Device Model names in the same row")]
    (g, h), others = _choose(found)
    h.devices = _device_ids(entries, h.devices)
    matrix, diags = _read_sheet(file, g, h, registry=bool(entries))
    if others:
        diags.insert(0, Diagnostic.make(
            R.OTHER_MATRIX_SHEETS, f"{file}: the matrix is read from sheet '{g.ws.title}'; "
            f"{', '.join(repr(x) for x in others[:4])} also {'look' if len(others) > 1 else 'looks'} like a "
            "matrix and is not read", Location(file=file, sheet=g.ws.title),
            help="delete or rename old copies of the matrix, or name the current sheet 'DMVESM'"))
    cut = [Diagnostic.make(S.XLSX_BEYOND_USED_RANGE, f"{file}: the merged cells {rng} of sheet {g.ws.title} reach "
                           f"far beyond the rows in use; only their first {MAX_MERGED} cells are read",
                           Location(file=file, sheet=g.ws.title, cell=rng.split(":")[0])) for rng in g.cut]
    return matrix, cut + diags


# -- any workbook's sheets as values (the consultation's response sheets) -----------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class SheetValues:
    """One worksheet's values as Excel shows them (a date as a datetime, a formula as ``=…``),
    by row and column number; rows and cells that hold nothing are absent."""

    title: str
    rows: dict[int, dict[int, Any]]
    max_row: int
    max_column: int


def read_sheets(path: str | os.PathLike[str], *, name: str = "", kind: str = "a workbook",
                ) -> tuple[list[SheetValues] | None, list[Diagnostic]]:
    """The worksheets of any .xlsx, in order, read through the guard ``read_xlsx`` uses; ``None``
    with the finding when the file cannot be read. ``kind`` names the workbook expected in
    messages."""
    file = name or os.fspath(path)
    try:
        with guard.open_package(os.fspath(path), file, "workbook") as pkg:
            _check_kind(pkg, file, kind)
            wb = _Workbook(pkg, file)
            out: list[SheetValues] = []
            for title in wb.titles:
                ws = wb.sheet(title)
                rows: dict[int, dict[int, Any]] = {}
                for (r, c), cell in sorted(ws.cells.items()):
                    if cell.value is not None:
                        rows.setdefault(r, {})[c] = cell.value
                out.append(SheetValues(title=title, rows=rows, max_row=max(rows, default=0),
                                       max_column=max((c for row in rows.values() for c in row), default=0)))
            return out, []
    except guard.Refused as exc:
        return None, [Diagnostic.make(_RULES[exc.reason], exc.message, Location(file=file), help=_HELP[exc.reason])]
    except _Refused as exc:
        return None, [exc.diagnostic]
    except (ValueError, KeyError, IndexError, OverflowError) as exc:  # a value no workbook would hold
        return None, [Diagnostic.make(R.NOT_A_WORKBOOK, f"{file} cannot be read as a workbook: {exc}",
                                      Location(file=file),
                                      help="open it in Excel or LibreOffice and save it again as Excel Workbook "
                                           "(.xlsx)")]
