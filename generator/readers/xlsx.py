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

The file is checked before openpyxl sees it: size, OLE (encrypted or .xls), zip integrity,
the unpacked size and compression ratio of every part, counted as it unpacks (zip bombs), the
cells that merged ranges cover (openpyxl would create each one), and the absence of any DTD or
entity declaration in its XML (openpyxl also parses through defusedxml when it is installed).
Reading never creates cells, so a lone value in the last row of a sheet costs nothing.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import datetime as _dt
import difflib
import functools
import io
import os
import re
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import xlsx as R
from generator.model import counters

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_MERGED_CELLS",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "CellReading",
    "CitedCell",
    "DeviceColumn",
    "SrvRow",
    "WorkbookMatrix",
    "normalise_references",
    "open_workbook",
    "read_cell",
    "read_xlsx",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed, for parts over _RATIO_GRACE
_RATIO_GRACE = 1024 * 1024
MAX_MERGED_CELLS = 1_000_000  # openpyxl makes an object for every cell of a merged range
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
    r"(?:(?:clauses?|cl\.?|paragraphs?|paras?\.?|section|§)\s*)?",
    re.IGNORECASE,
)
# A number (18, 18.5, 18.5A, 18.5p, 18.5pa) and items in brackets: roman with an insertion letter
# ((i), (ia), (IV)), one or two letters ((a), (aa)) or a number ((1)); not words, so that in
# "18.5q (half-hourly)" the words are a note, not an item called "half-hourly".
_ITEM_INNER = r"[ivxlcdm]+[a-z]?|[IVXLCDM]+[A-Za-z]?|[a-z]{1,2}|[A-Z]{1,2}|\d{1,3}[A-Za-z]?"
_ITEM = rf"\((?:{_ITEM_INNER})\)"
_REF = rf"\d+[A-Za-z]{{0,3}}(?:\.\d+[A-Za-z]{{0,3}})*(?:{_ITEM})*"
_REFERENCE = re.compile(_REF)
_ITEM_ONLY = re.compile(_ITEM)
_ITEM_WORD = re.compile(_ITEM_INNER)
_DASH = r"(?:\s*[-–—]\s*|\s+(?:to|through|thru)(?:\s+|(?=\()))"
# A range: 18.5a to 18.5c, 18.5a-c, 18.5p(i)–(iii), 18.1-18.4.
_RANGE_RX = re.compile(rf"(?P<a>{_REF}){_DASH}(?P<b>{_REF}|{_ITEM}|[A-Za-z]{{1,3}}|\d{{1,3}})", re.IGNORECASE)
_RANGE = re.compile(r"\d.*(?:\s+to\s+|\s*[-–—]\s*)\S", re.IGNORECASE)
# A reference (or range) standing among words, not part of a version, SRV or other number.
_IN_WORDS = re.compile(
    rf"(?<![\w.(/])(?<!firmware )(?<!version )(?<!SRV )(?<!srv )(?<!v)(?<!fw )(?<!release )"
    rf"(?:{_RANGE_RX.pattern}|{_REF})(?![\w.])")
# Words that change what the number means: never read the number from them.
_NEGATION = re.compile(r"\b(not|except|excluding|excludes?|no\s+longer|removed|deleted|superseded|replaced|was|"
                       r"formerly|previously|old|wrong|incorrect|tbc|tbd|unclear)\b|\?", re.IGNORECASE)
_MAX_RANGE = 100
_MAX_NOTE = 300  # longer words around a number are not a note on it but text to move elsewhere
# "S1SR clause" right before a number among words: part of the reference, not of the note.
_PREFIX_END = re.compile(r"(?:\b(?:S1SR|SEC\s+Appendix\s+AM|Appendix\s+AM)\s*[:,]?\s*)?"
                         r"(?:\b(?:clauses?|cl\.?|paragraphs?|paras?\.?|section|§)\s*)?$", re.IGNORECASE)


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
    return bool(re.match(r"\d|\(\s*(?:" + _ITEM_INNER + r")\s*\)", rest))


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
    m = _RANGE_RX.fullmatch(part)
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
    hits = list(_IN_WORDS.finditer(core))
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
            m = _RANGE_RX.fullmatch(part)
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


# -- the file, before openpyxl -----------------------------------------------------------------
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NEEDLES = tuple(s.encode(enc) for s in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_XML_SUFFIXES = (".xml", ".rels", ".vml")


class _Refused(Exception):
    """The file cannot be read at all; carries the fatal Diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _refuse(rule: Any, file: str, message: str, help: str = "") -> _Refused:
    return _Refused(Diagnostic.make(rule, message, Location(file=file), help=help or rule.summary))


def _load_bytes(path: str, file: str) -> bytes:
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise _refuse(R.TOO_LARGE, file,
                          f"{file} is {size / 1048576:.1f} MB; the reader accepts workbooks up to "
                          f"{MAX_FILE_BYTES // 1048576} MB",
                          "delete unused rows, columns, images and sheets, save, and try again")
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _refuse(R.NOT_A_WORKBOOK, file, f"{file} cannot be opened: {exc.strerror or exc}",
                      "check the path and that the file is readable") from exc


def _sniff(data: bytes, file: str) -> None:
    if not data:
        raise _refuse(R.NOT_A_WORKBOOK, file, f"{file} is empty (0 bytes)", "fetch or save the workbook again")
    if data.startswith(_OLE):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise _refuse(R.ENCRYPTED, file, f"{file} is password-protected (an encrypted workbook)",
                          "open it in Excel, remove the password (File > Info > Protect Workbook), save, "
                          "and give s1sr that copy")
        raise _refuse(R.ENCRYPTED, file, f"{file} is an old binary Excel 97-2003 (.xls) workbook, or encrypted",
                      "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)")
    if not data.startswith(b"PK"):
        head = data[:512].lstrip().lower()
        kind = ("a PDF" if head.startswith(b"%pdf") else
                "a web page" if head.startswith((b"<!doctype html", b"<html")) else
                "an XML file (perhaps an 'XML Spreadsheet 2003')" if head.startswith(b"<?xml") else
                "not a zip package")
        raise _refuse(R.NOT_A_WORKBOOK, file, f"{file} is {kind}, not an .xlsx workbook",
                      "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)")


def _check_package(data: bytes, file: str, kind: str = "the DMVESM workbook") -> None:
    """Zip integrity, document kind, unpacked sizes (read, not trusted from headers), no DTDs."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _refuse(R.NOT_A_WORKBOOK, file, f"{file} is a damaged or incomplete zip package ({exc})",
                      "the file was probably cut short while downloading or copying; fetch or save it again") from exc
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
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
        if any(i.flag_bits & 0x1 for i in infos):
            raise _refuse(R.ENCRYPTED, file, f"{file} has encrypted zip entries",
                          "save an unencrypted copy of the workbook")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNPACKED_BYTES:
            raise _bomb(file, f"its parts unpack to {declared / 1048576:.0f} MB")
        for i in infos:
            if i.file_size > _RATIO_GRACE and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise _bomb(file, f"part {i.filename} expands {i.file_size // max(i.compress_size, 1)}-fold")
        totals = _Scan()
        for i in infos:
            _scan_part(zf, i, totals, file)


def _bomb(file: str, why: str) -> _Refused:
    return _refuse(R.TOO_LARGE, file,
                   f"{file} is refused: {why} (limits {MAX_UNPACKED_BYTES // 1048576} MB unpacked, "
                   f"{MAX_RATIO}-fold per part)",
                   "a real DMVESM unpacks to a few megabytes; delete unused rows and sheets, or do not use this file")


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["\']([^"\']*)["\']')
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def _area(ref: str) -> int:
    """Cells in a range such as ``A1:C3`` (9); a reference that does not parse counts as one."""
    ends = [m for m in (_CELL_REF.fullmatch(p) for p in ref.split(":")) if m]
    if len(ends) != 2:
        return 1
    (c1, r1), (c2, r2) = ((column_index_from_string(m.group(1).upper()), int(m.group(2))) for m in ends)
    return (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)


@dataclass(slots=True)
class _Scan:
    """Running totals over the parts of one package."""

    unpacked: int = 0
    merged: int = 0


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, totals: _Scan, file: str) -> None:
    """Unpack one part in chunks, counting what really comes out; in XML, look for DTDs and
    entity declarations, and add up the cells that merged ranges cover."""
    is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
    carry = b""
    size = 0
    decoder: Any = None
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 16):
                size += len(chunk)
                totals.unpacked += len(chunk)
                if size > info.file_size or totals.unpacked > MAX_UNPACKED_BYTES:
                    raise _bomb(file, f"part {info.filename} unpacks to more than it declares")
                if not is_xml:
                    continue
                if any(n in carry[-32:] + chunk for n in _NEEDLES):
                    raise _refuse(R.UNSAFE_XML, file,
                                  f"{file} is refused: its part {info.filename} declares a DTD or XML entities",
                                  "Excel never writes these; do not use the file, ask the sender for a copy "
                                  "saved by Excel or LibreOffice")
                if size == len(chunk) and chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                    enc = "utf-16-be" if chunk.startswith((b"\xfe\xff", b"\x00<")) else "utf-16-le"
                    decoder = codecs.getincrementaldecoder(enc)()
                text = decoder.decode(chunk).encode("utf-8") if decoder else chunk
                window = carry + text
                end = 0
                for m in _MERGE.finditer(window):
                    totals.merged += _area(m.group(1).decode("ascii", "replace"))
                    end = m.end()
                if totals.merged > MAX_MERGED_CELLS:
                    raise _refuse(R.TOO_LARGE, file,
                                  f"{file} is refused: its merged cells cover more than {MAX_MERGED_CELLS:,} cells",
                                  "a real DMVESM merges a few header cells; unmerge whole rows or columns and "
                                  "save again")
                carry = window[max(end, len(window) - 256):]
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(R.NOT_A_WORKBOOK, file, f"{file} is damaged: part {info.filename} cannot be unpacked ({exc})",
                      "fetch or save the workbook again") from exc


def _open_workbook(data: bytes, file: str) -> Any:
    import openpyxl

    try:
        # openpyxl prints some complaints ("0 is out of range" for a style a cell cannot have)
        # on stdout, where they would corrupt s1sr's JSON or SARIF output: catch them too.
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")  # "extension not supported" and the like
            return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False,
                                          keep_links=False, rich_text=False)
    except Exception as exc:  # the input is untrusted: any failure inside openpyxl is bad input
        first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise _refuse(R.NOT_A_WORKBOOK, file, f"{file} cannot be opened as a workbook: {first}",
                      "open it in Excel or LibreOffice and save it again as Excel Workbook (.xlsx)") from exc


# -- a sheet, with merged cells read as the value they show ------------------------------------
class _Grid:
    """Cell values of one worksheet, where each merged cell shows its range's value.

    Cells are looked up in the worksheet's own table of the cells it read: ``ws.cell()`` would
    create every cell it is asked for, and a sheet with one value in row 1,048,576 would then
    fill memory with empty ones.
    """

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self._cells: dict[tuple[int, int], Any] = ws._cells  # openpyxl's table of the cells read
        self.max_row: int = ws.max_row
        self.max_col: int = min(ws.max_column, _MAX_COLUMNS)
        self.cut: list[str] = []  # merged ranges read only in part (XLSX130)
        self._anchor: dict[tuple[int, int], tuple[int, int]] = {}
        self._bottom: dict[tuple[int, int], int] = {}
        for rng in ws.merged_cells.ranges:
            top, left = rng.min_row, rng.min_col
            self._bottom[(top, left)] = rng.max_row
            # A merged range down to row 1,048,576 (with a stray cell there) must not fill memory
            # with a million anchors: its first MAX_MERGED cells are read.
            bottom = min(rng.max_row, self.max_row)
            rows = max(1, MAX_MERGED // max(1, min(rng.max_col, self.max_col) - left + 1))  # cells, not just rows
            if bottom - top >= rows:
                self.cut.append(rng.coord)
                bottom = top + rows - 1
            for r in range(top, bottom + 1):
                for c in range(left, min(rng.max_col, self.max_col) + 1):
                    self._anchor[(r, c)] = (top, left)

    def rows_after(self, row: int) -> list[int]:
        """The rows below ``row`` that hold any cell, in order."""
        # A row that holds only the covered cells of a merged range read in part is not in use.
        return sorted({r for (r, c), cell in self._cells.items()
                       if (r > row and (r, c) in self._anchor) or (r > row and type(cell).__name__ != "MergedCell")})

    def cell(self, r: int, c: int) -> Any:
        """The cell shown at (r, c), or None where the sheet has none."""
        return self._cells.get(self._anchor.get((r, c), (r, c)))

    def value(self, r: int, c: int) -> Any:
        cell = self.cell(r, c)
        return None if cell is None else cell.value

    def text(self, r: int, c: int) -> str:
        v = self.value(r, c)
        if v is None:
            return ""
        return " ".join(str(v).split()) if isinstance(v, str) else str(v)

    def merged(self, r: int, c: int) -> bool:
        return (r, c) in self._anchor

    def anchor_of(self, r: int, c: int) -> tuple[int, int]:
        return self._anchor.get((r, c), (r, c))

    def anchor_col(self, r: int, c: int) -> int:
        return self._anchor.get((r, c), (r, c))[1]

    def merged_bottom(self, r: int, c: int) -> int:
        return self._bottom.get((r, c), r)


def _ref(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


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


def _sheets_in_order(wb: Any) -> list[Any]:
    sheets = [ws for ws in wb.worksheets if hasattr(ws, "merged_cells")]

    def rank(ws: Any) -> int:
        name = ws.title.strip().lower()
        return 0 if name == "dmvesm" else 1 if "dmvesm" in name else 2 if "matrix" in name else \
            4 if _ASIDE.search(name) else 3

    return sorted(sheets, key=rank)


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
    model_row = g.merged_bottom(hr, sc)
    below = model_row + 1
    if (model_row == hr and below <= g.max_row and not g.text(below, sc)
            and not g.merged(below, sc)):
        texts = [g.text(below, c) for c in range(sc + 1, g.max_col + 1)]
        texts = [t for t in texts if t]
        if texts and not any(_looks_like_references(t) for t in texts):
            model_row = below  # the SRV header sits in the group row; the models are one row down
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
        if head and get_column_letter(c) in claimed:
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
        if get_column_letter(c) in claimed:
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
        values: list[str] = []
        for r in band:
            t = g.text(r, c)
            if t and (not values or values[-1] != t):
                values.append(t)
        dtype, maker = "", ""
        rest: list[str] = []
        for v in values:
            t, other = _split_group(v)
            if t and not dtype:
                dtype = t
                if other:
                    rest.append(other)
            else:
                rest.append(v)
        maker = " ".join(rest)
        h.devices[c] = DeviceColumn(
            column=get_column_letter(c), device_type=dtype, manufacturer=maker, model=g.text(model_row, c),
            device_id=g.text(labels["id"], c) if "id" in labels else "",
            firmware=g.text(labels["firmware"], c) if "firmware" in labels else "",
            cohort=g.text(labels["cohort"], c).upper() if "cohort" in labels else "")
    return h


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


def _registry(wb: Any) -> list[_Entry]:
    """The workbook's own "Device Models" sheet (as this package writes it), if it has one."""
    sheet = next((ws for ws in wb.worksheets if ws.title.strip().lower() == "device models"
                  and hasattr(ws, "merged_cells")), None)
    if sheet is None:
        return []
    g = _Grid(sheet)
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
        v = None if cell is None else cell.value
        if v is None:
            return "", False
        if cell.data_type == "f" or (isinstance(v, str) and v.startswith("=") and cell.data_type != "s"):
            self.diags.append(Diagnostic.make(
                R.FORMULA_CELL, f"{self.where(r, c)} holds a formula ({str(v)[:60]}); {what} is not evaluated",
                self.loc(r, c), help="replace the formula by its value (Paste Special > Values)"))
            return None, False
        if isinstance(v, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
            shown = v.strftime("%d %B") if isinstance(v, (_dt.datetime, _dt.date)) else str(v)
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


def _read_sheet(file: str, g: _Grid, h: _Header, *, registry: bool = False) -> tuple[WorkbookMatrix, list[Diagnostic]]:
    rd = _Reader(file, g)
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
            R.TEXT_COLUMN, f"column {get_column_letter(c)} ('{head[:40]}') holds words, "
            f"not clause references ({bad_n} of its {filled} cells), so it is read as notes, not as a Device Model",
            rd.loc(h.model_row, c),
            help="if it is a Device Model, write clause numbers in its cells; otherwise head it 'Notes'"))
    cells: list[CitedCell] = []
    not_applicable: list[CitedCell] = []
    srvs: list[SrvRow] = []
    first_row: dict[str, int] = {}
    reported: set[int] = set()
    bad: dict[int, list[tuple[int, str, str]]] = {}
    worded: dict[int, list[tuple[int, str, str, str]]] = {}
    for r in g.rows_after(h.model_row):
        if r in h.band_rows:
            continue
        has = {c: g.value(r, c) is not None and g.text(r, c).lower().rstrip(".") not in _NONE for c in h.devices}
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


def _matrix_sheets(wb: Any, entries: list[_Entry], srv_names: Mapping[str, str] | None
                   ) -> list[tuple[_Grid, _Header, int]]:
    """Every sheet that has a matrix header, with how many of its SRV rows' device cells are filled."""
    claimed = frozenset(e[4] for e in entries)
    out: list[tuple[_Grid, _Header, int]] = []
    for ws in _sheets_in_order(wb):
        g = _Grid(ws)
        h = _header(g, claimed if ws.title == "DMVESM" else frozenset(), srv_names)
        if h is None:
            continue
        filled = sum(1 for r in g.rows_after(h.model_row) if r not in h.band_rows and "." in _srv_text(g, r, h.srv_col)
                     for c in h.devices if g.text(r, c))
        out.append((g, h, filled))
    return out


def _choose(found: list[tuple[_Grid, _Header, int]]) -> tuple[tuple[_Grid, _Header], list[str]]:
    """The matrix among the sheets that look like one: a sheet named DMVESM, else the fullest that
    is not a notes or legend sheet; the others' names."""
    named = [x for x in found if x[0].ws.title.strip().upper() == "DMVESM"]
    main = [x for x in found if not _ASIDE.search(x[0].ws.title)] or found
    best = named[0] if named else max(main, key=lambda x: x[2])  # max keeps the first of equals: sheet order
    others = [x[0].ws.title for x in found if x is not best and x[2] > 0 and not _ASIDE.search(x[0].ws.title)]
    return (best[0], best[1]), others


def open_workbook(path: str | os.PathLike[str], *, name: str = "", kind: str = "a workbook",
                  ) -> tuple[Any | None, list[Diagnostic]]:
    """Any .xlsx opened through the guards ``read_xlsx`` uses (size and zip-bomb limits, no DTDs,
    no encryption, the right kind of file); ``None`` with the finding when it cannot be read.
    The caller closes the workbook."""
    file = name or os.fspath(path)
    try:
        data = _load_bytes(os.fspath(path), file)
        _sniff(data, file)
        _check_package(data, file, kind)
        return _open_workbook(data, file), []
    except _Refused as exc:
        return None, [exc.diagnostic]


def read_xlsx(path: str | os.PathLike[str], *, name: str = "", srv_names: Mapping[str, str] | None = None
              ) -> tuple[WorkbookMatrix | None, list[Diagnostic]]:
    """The DMVESM in ``path``; ``None`` (with a Diagnostic) when there is none to read.

    ``name`` is how the file is called in findings (default: the path as given); ``srv_names``
    (SRV number → DUIS name, from the SRV list) let a column of SRV names be told by its content.
    """
    file = name or os.fspath(path)
    try:
        data = _load_bytes(os.fspath(path), file)
        _sniff(data, file)
        _check_package(data, file)
        wb = _open_workbook(data, file)
    except _Refused as exc:
        return None, [exc.diagnostic]
    try:
        entries = _registry(wb)
        found = _matrix_sheets(wb, entries, srv_names)
        if not found:
            names = ", ".join(ws.title for ws in wb.worksheets) or "none"
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
        if g.cut:
            from generator.diagnostics.rules import safety as S

            diags = [Diagnostic.make(S.XLSX_BEYOND_USED_RANGE, f"{file}: the merged cells {rng} of sheet {g.ws.title} "
                                     f"reach far beyond the rows in use; only their first {MAX_MERGED} cells are read",
                                     Location(file=file, sheet=g.ws.title, cell=rng.split(":")[0])) for rng in g.cut
                     ] + diags
        return matrix, diags
    finally:
        wb.close()
