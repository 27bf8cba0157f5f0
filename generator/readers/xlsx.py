"""A DMVESM workbook (ours, or a hand-kept one) read back into SRV × Device Model → clause numbers.

The matrix is found by its headers, not by position: title rows above the header, extra
columns (notes, firmware), merged header cells, blank rows and section rows are all allowed.
Cells may cite several clauses (``18.5p(i)``, ``18.5p (i)``, ``Clause 18.5q``, ``S1SR 18.5q``)
separated by commas, semicolons, ``and`` or line breaks, or say "none" (``-``, ``N/A``, blank).
References are only normalised here (spacing, prefixes); whether they name real clauses is for
the caller, who knows the numbering scheme. Anything that cannot be read is a Diagnostic at its
sheet and cell, never a guess.

The file is checked before openpyxl sees it: size, OLE (encrypted or .xls), zip integrity,
the unpacked size and compression ratio of every part, counted as it unpacks (zip bombs), the
cells that merged ranges cover (openpyxl would create each one), and the absence of any DTD or
entity declaration in its XML (openpyxl also parses through defusedxml when it is installed).
Reading never creates cells, so a lone value in the last row of a sheet costs nothing.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as _dt
import io
import os
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import xlsx as R

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_MERGED_CELLS",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "CitedCell",
    "DeviceColumn",
    "SrvRow",
    "WorkbookMatrix",
    "normalise_references",
    "open_workbook",
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
    device_id: str = ""  # when the workbook's own "Device Models" sheet names the column

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
    numbers: tuple[str, ...]  # normalised references, in the order written
    sheet: str
    cell_ref: str  # e.g. "F12"


@dataclass(frozen=True, slots=True, kw_only=True)
class SrvRow:
    srv: str
    name: str
    row: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkbookMatrix:
    file: str
    sheet: str
    devices: tuple[DeviceColumn, ...] = ()
    srvs: tuple[SrvRow, ...] = ()
    cells: tuple[CitedCell, ...] = ()

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
_NONE = {"", "-", "–", "—", "n/a", "na", "n.a.", "none", "nil", "no variation", "not applicable", "no"}
_SPLIT = re.compile(r"[,;\n]+|\s+and\s+|\s*&\s*", re.IGNORECASE)
_PREFIX = re.compile(
    r"^(?:(?:S1SR|SEC\s+Appendix\s+AM|Appendix\s+AM)\s*[:,]?\s*)?"
    r"(?:(?:clauses?|cl\.?|paragraphs?|paras?\.?|section|§)\s*)?",
    re.IGNORECASE,
)
# A number (18, 18.5, 18.5A, 18.5p, 18.5pa) and items in brackets: roman with an insertion letter
# ((i), (ia), (IV)), one or two letters ((a), (aa)) or a number ((1)); not words, so that
# "18.5q (note)" is reported rather than read as an item called "note".
_ITEM = r"\((?:[ivxlcdm]+[a-z]?|[IVXLCDM]+[A-Za-z]?|[a-z]{1,2}|[A-Z]{1,2}|\d{1,3}[A-Za-z]?)\)"
_REFERENCE = re.compile(rf"\d+[A-Za-z]{{0,3}}(?:\.\d+[A-Za-z]{{0,3}})*(?:{_ITEM})*")
_ITEM_ONLY = re.compile(_ITEM)
_RANGE = re.compile(r"\d.*(?:\s+to\s+|\s*[-–—]\s*)\S", re.IGNORECASE)


def normalise_references(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``"Clause 18.5p (i) and (ii); S1SR 18.5q"`` → ``(("18.5p(i)", "18.5p(ii)", "18.5q"), ())``.

    Returns the references read and the parts that could not be read (for a Diagnostic).
    A bare item (``(ii)``) right after a full reference with an item takes that reference's
    stem; nothing else is inferred.
    """
    text = text.replace("_x000D_", "").replace("\r", "\n").replace("\u00a0", " ")
    if text.strip().rstrip(".").lower() in _NONE:
        return (), ()
    found: dict[str, None] = {}
    bad: list[str] = []
    previous = ""
    for raw in _SPLIT.split(text):
        part = raw.strip().rstrip(".").strip()
        if part.lower() in _NONE:
            continue
        part = _PREFIX.sub("", part, count=1)
        part = re.sub(r"\s*\(\s*", "(", part)
        part = re.sub(r"\s*\)", ")", part).strip()
        if _ITEM_ONLY.fullmatch(part) and "(" in previous:
            part = previous[: previous.rindex("(")] + part
        if _REFERENCE.fullmatch(part):
            found.setdefault(part, None)
            previous = part
        else:
            bad.append(raw.strip())
            previous = ""
    return tuple(found), tuple(bad)


# -- header words ------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(re.sub(r"[.:#_()\[\]]", " ", text.lower()).split())


_SRV_HEADERS = {"srv", "srv no", "srv number", "srv ref", "srv reference", "srv id", "srv code",
                "service reference variant", "service reference variant srv"}
_NAME_HEADERS = {"srv name", "name", "service name", "srv description", "description", "srv title",
                 "service reference variant name", "title", "service"}
_EXTRA_HEADERS = {"notes", "note", "comments", "comment", "remarks", "remark", "firmware",
                  "firmware version", "firmware versions", "version", "critical", "on demand",
                  "owner", "status", "change", "changes", "category", "dcc notes", "reference",
                  "rationale", "impact", "last updated", "updated"}
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


def _sheets_in_order(wb: Any) -> list[Any]:
    sheets = [ws for ws in wb.worksheets if hasattr(ws, "merged_cells")]

    def rank(ws: Any) -> int:
        name = ws.title.strip().lower()
        return 0 if name == "dmvesm" else 1 if "dmvesm" in name else 2 if "matrix" in name else 3

    return sorted(sheets, key=rank)


def _find_srv_header(g: _Grid) -> tuple[int, int] | None:
    for r in range(1, min(g.max_row, _HEADER_ROWS) + 1):
        for c in range(1, g.max_col + 1):
            v = g.value(r, c)
            if isinstance(v, str) and _norm(v) in _SRV_HEADERS:
                return r, c
    return None


def _looks_like_references(text: str) -> bool:
    found, bad = normalise_references(text)
    return bool(found) and not bad


def _header(g: _Grid, claimed: frozenset[str] = frozenset()) -> _Header | None:
    """The header of the matrix; ``claimed`` are columns the workbook's registry names as devices."""
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
        elif key in _EXTRA_HEADERS or key in _NAME_HEADERS or key in _SRV_HEADERS:
            continue
        else:
            candidates.append(c)
    if not candidates and g.ws.title.strip().upper() != "DMVESM":
        return None  # a sheet named DMVESM may be empty: a registry without Device Models
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
        h.devices[c] = DeviceColumn(column=get_column_letter(c), device_type=dtype, manufacturer=maker,
                                    model=g.text(model_row, c))
    return h


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
            did = ids[0] if len(ids) == 1 else ""
        out[c] = DeviceColumn(column=d.column, device_type=d.device_type, manufacturer=d.manufacturer,
                              model=d.model, device_id=did)
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

    def references(self, r: int, c: int, srv: str, device: DeviceColumn) -> tuple[str, ...]:
        text, numeric = self.typed(r, c, "a clause reference")
        if not text:
            return ()
        found, bad = normalise_references(text)
        if numeric and found:
            self.diags.append(Diagnostic.make(
                R.NUMBER_CELL, f"{self.where(r, c)} holds {text} as a number, not text (SRV {srv}, {device.label}); "
                "18.10 and 18.1 are the same number", self.loc(r, c),
                help="format the column as Text and type the clause number again"))
        for part in bad:
            hint = ("write each clause of a range separately, separated by commas" if _RANGE.search(part) else
                    "write clause numbers such as 18.5p or 18.5p(i), separated by commas; "
                    "'-' or 'N/A' for none; move comments to a Notes column")
            self.diags.append(Diagnostic.make(
                R.BAD_REFERENCE, f"{self.where(r, c)}: cannot read '{part[:80]}' as a clause reference "
                f"(SRV {srv}, {device.label})", self.loc(r, c), help=hint))
        return found


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
    cells: list[CitedCell] = []
    srvs: list[SrvRow] = []
    first_row: dict[str, int] = {}
    reported: set[int] = set()
    for r in g.rows_after(h.model_row):
        has = {c: g.value(r, c) is not None and g.text(r, c).lower().rstrip(".") not in _NONE
               for c in h.devices}
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
        srvs.append(SrvRow(srv=srv, name=name, row=r))
        for c, d in h.devices.items():
            if not has[c]:
                continue
            numbers = rd.references(r, c, srv, d)
            if numbers:
                cells.append(CitedCell(srv=srv, device_label=d.label, device_id=d.device_id, numbers=numbers,
                                       sheet=g.ws.title, cell_ref=_ref(r, c)))
        for c in h.unlabelled:
            if c not in reported and g.value(r, c) is not None and g.text(r, c):
                reported.add(c)
                rd.diags.append(Diagnostic.make(
                    R.UNLABELLED_COLUMN, f"{rd.where(r, c)} holds '{g.text(r, c)[:40]}' but its column has no "
                    "header; the column is ignored", rd.loc(r, c),
                    help="name the Device Model in the header row, or move the values"))
    if h.devices and not srvs and not registry:  # ours: an empty matrix is the source's
        rd.diags.append(Diagnostic.make(
            R.EMPTY_MATRIX, f"{g.ws.title}!{_ref(h.model_row + 1, h.srv_col)}: the matrix names {len(h.devices)} Device "
            "Model(s) but has no SRV row below its header, so it cites no clause and nothing in it can be checked",
            Location(file=file, sheet=g.ws.title, cell=_ref(h.model_row + 1, h.srv_col)),
            help="give the DMVESM with its rows (one per SRV, the SRV number in the SRV column)"))
    matrix = WorkbookMatrix(file=file, sheet=g.ws.title, devices=tuple(d for _, d in sorted(h.devices.items())),
                            srvs=tuple(srvs), cells=tuple(cells))
    return matrix, rd.diags


def _iter_matrix_sheets(wb: Any, entries: list[_Entry]) -> Iterator[tuple[_Grid, _Header]]:
    claimed = frozenset(e[4] for e in entries)
    for ws in _sheets_in_order(wb):
        g = _Grid(ws)
        h = _header(g, claimed if ws.title == "DMVESM" else frozenset())
        if h is not None:
            yield g, h


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


def read_xlsx(path: str | os.PathLike[str], *, name: str = "") -> tuple[WorkbookMatrix | None, list[Diagnostic]]:
    """The DMVESM in ``path``; ``None`` (with a Diagnostic) when there is none to read.

    ``name`` is how the file is called in findings (default: the path as given).
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
        found = next(_iter_matrix_sheets(wb, entries), None)
        if found is None:
            names = ", ".join(ws.title for ws in wb.worksheets) or "none"
            return None, [Diagnostic.make(
                R.NO_MATRIX, f"{file}: no sheet has a header row with an 'SRV' column and Device Model "
                f"columns (sheets: {names})", Location(file=file),
                help="label the column of SRV numbers 'SRV' and put the Device Model names in the same row")]
        g, h = found
        h.devices = _device_ids(entries, h.devices)
        matrix, diags = _read_sheet(file, g, h, registry=bool(entries))
        if g.cut:
            from generator.diagnostics.rules import safety as S

            diags = [Diagnostic.make(S.XLSX_BEYOND_USED_RANGE, f"{file}: the merged cells {rng} of sheet {g.ws.title} "
                                     f"reach far beyond the rows in use; only their first {MAX_MERGED} cells are read",
                                     Location(file=file, sheet=g.ws.title, cell=rng.split(":")[0])) for rng in g.cut
                     ] + diags
        return matrix, diags
    finally:
        wb.close()
