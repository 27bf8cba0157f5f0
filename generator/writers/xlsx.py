"""The DMVESM workbook (S1SR Annex A) as .xlsx, byte-for-byte reproducible.

Four sheets: **DMVESM** (SRV × Device Model → current clause numbers), **Clauses** (clause ×
Device Model, marked where the clause applies), **Device Models** (the registry) and
**About** (document, version, status, date, content hash).

Every text cell is stored as a string (never a formula, error or number). The sheets are built
as plain cell dictionaries and written as SpreadsheetML text by :mod:`generator.ooxml.spreadsheet`
(not through openpyxl's object per cell): entries in a fixed order with fixed timestamps and
permissions, document properties dated from ``options.date``. Two writes of one project give
identical bytes. The redline (:mod:`generator.writers.redline_xlsx`) marks copies of the sheets
the last write of the same project made, instead of building them again.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from generator.model import Clause, DeviceModel, MatrixCell, Project, cite_map, plain_text, walk
from generator.model.devices import DEVICE_TYPES
from generator.ooxml.package import zip_time
from generator.ooxml.spreadsheet import (
    Note,
    PrintSetup,
    Properties,
    Sheet,
    clean_text,
    column_letter,
    look,
    workbook_package,
)
from generator.writers.json_export import matrix_file_name
from generator.writers.options import WriterOptions

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["build_sheets", "clause_url", "workbook_name", "write_xlsx"]

_SHEET_MATRIX = "DMVESM"
_SHEET_CLAUSES = "Clauses"
_SHEET_DEVICES = "Device Models"
_SHEET_ABOUT = "About"
_ANNEX_NAME = "Device Model Variations to Equivalent Steps Matrix (DMVESM)"
_MARK = "✓"
NO_VARIATION = "–"  # an en dash: read back (and by any reader of a DMVESM) as "no variation"
NOT_APPLICABLE = "N/A"
# The key printed under every DMVESM page and on the About sheet.
LEGEND = (("18.5p, 20.5a", "the clauses of the S1SR that describe the variation for that SRV and Device Model"),
          (NO_VARIATION, "no variation: the Device Model behaves as GBCS describes for that SRV"),
          (NOT_APPLICABLE, "not applicable: the SRV does not apply to that Device Model"))
# Printed at 80 %: the 11 pt text prints at 8.8 pt, on as many A3 pages as the matrix needs.
PRINT_SCALE = 80
_NOT_REGISTERED = "Not in the Device Model registry"

# The named looks (cell styles) of the workbook: generator.ooxml.spreadsheet.BASES.
_WRAPPED = {"S1SR text", "S1SR label", "S1SR link", "S1SR heading", "S1SR group heading"}
_BOLD = {"S1SR label", "S1SR heading", "S1SR group heading"}
_LOOKS = {name: look(name) for name in ("S1SR text", "S1SR label", "S1SR link", "S1SR mark", "S1SR none",
                                        "S1SR n/a", "S1SR heading", "S1SR group heading")}
_QUOTED = {name: look(name, quote=True) for name in _LOOKS}


def workbook_name(project: Project) -> str:
    """``DMVESM-v13.0.xlsx``: the annex keeps the S1SR's version."""
    return matrix_file_name(project)


def clause_url(site_url: str, clause: Clause) -> str:
    """The clause on the published site; "" when there is no site.

    ``s1sr/clauses.html#c-<id>`` is the site's stable address for a clause: it redirects to
    the clause on its section page, wherever renumbering has put it.
    """
    if not site_url:
        return ""
    return f"{site_url.rstrip('/')}/s1sr/clauses.html#c-{quote(clause.id, safe=':')}"


# -- the columns ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class _Column:
    device_id: str
    device_type: str
    manufacturer: str
    model: str
    index: int  # 1-based worksheet column


def _group_title(col: _Column) -> str:
    if not col.device_type:
        return _NOT_REGISTERED
    return f"{col.device_type} — {col.manufacturer}" if col.manufacturer else col.device_type


def _device_columns(project: Project, first: int) -> list[_Column]:
    """Registry devices grouped by device type, then manufacturer (first seen), then registry order;
    devices the matrix names but the registry lacks come last."""
    type_rank = {t: i for i, t in enumerate(DEVICE_TYPES)}
    maker_rank: dict[str, int] = {}
    for d in project.devices:
        maker_rank.setdefault(d.manufacturer, len(maker_rank))
    ordered: list[DeviceModel] = sorted(
        project.devices,
        key=lambda d: (type_rank.get(d.device_type, len(type_rank)), d.device_type, maker_rank[d.manufacturer]),
    )
    cols = [
        _Column(device_id=d.id, device_type=d.device_type, manufacturer=d.manufacturer, model=d.model,
                index=first + i)
        for i, d in enumerate(ordered)
    ]
    known = {d.id for d in project.devices}
    extra: dict[str, None] = {}
    for m in project.matrix:
        if m.device not in known:
            extra.setdefault(m.device, None)
    for dev in extra:
        cols.append(_Column(device_id=dev, device_type="", manufacturer="", model=dev, index=first + len(cols)))
    return cols


def _groups(cols: Sequence[_Column]) -> list[tuple[str, int, int]]:
    """Runs of adjacent columns with the same group title: (title, first index, last index)."""
    runs: list[tuple[str, int, int]] = []
    for c in cols:
        title = _group_title(c)
        if runs and runs[-1][0] == title:
            runs[-1] = (title, runs[-1][1], c.index)
        else:
            runs.append((title, c.index, c.index))
    return runs


# -- cells ------------------------------------------------------------------------------------
_clean = clean_text


def _width(texts: Iterable[str], lo: float, hi: float) -> float:
    longest = 0
    for t in texts:
        for line in t.split("\n"):
            longest = max(longest, len(line))
    return float(max(lo, min(hi, longest + 2)))


def _room(width: float, bold: bool) -> int:
    """How many characters a line of a column ``width`` characters wide holds, safely."""
    return max(1, int((width - 1.5) * (0.9 if bold else 1.1)))


def _lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a safe estimate:
    neither Excel nor LibreOffice grows a row for wrapped text that it did not lay out itself)."""
    room = _room(width, bold)
    total = 0
    for para in text.split("\n"):
        used, lines = 0, 1
        for word in para.split():
            n = len(word)
            if used and used + 1 + n <= room:
                used += 1 + n
            elif used:
                lines += 1 + (n - 1) // room
                used = n % room or room
            else:
                lines += (n - 1) // room
                used = n % room or room
        total += lines
    return max(1, total)


class _Sheet:
    """Writes string cells into a :class:`Sheet` and keeps each row tall enough for its wrapped text."""

    def __init__(self, title: str, widths: dict[int, float]) -> None:
        self.sheet = Sheet(title=title, widths=widths)
        self.widths = widths
        self._lines: dict[int, int] = {}

    def text(self, row: int, col: int, value: str, *, style: str = "S1SR text", span: int = 1) -> None:
        """A string cell, whatever the text looks like (``=SUM(A1)`` stays text)."""
        text = _clean(value)
        if text and text[0] in ("=", "+", "-", "@"):
            self.sheet.put(row, col, _QUOTED[style], text)  # and Excel keeps it text when the cell is edited
        else:
            self.sheet.put(row, col, _LOOKS[style], text)
        if text and style in _WRAPPED:
            width = self.widths.get(col, 8.43) if span == 1 else sum(self.widths.get(col + i, 8.43) for i in range(span))
            bold = style in _BOLD
            if len(text) <= _room(width, bold) and "\n" not in text:
                return  # one line: what _lines says of any text no longer than its room
            n = _lines(text, width, bold=bold)
            if n > self._lines.get(row, 1):
                self._lines[row] = n

    def head(self, row: int, col: int, value: str, *, style: str = "S1SR heading", span: int = 1) -> None:
        self.text(row, col, value, style=style, span=span)

    def two_row_header(self, fixed: Sequence[str], cols: Sequence[_Column]) -> None:
        """Row 1: fixed column titles (merged down) and device group titles (merged across);
        row 2: the model names."""
        for i, title in enumerate(fixed, start=1):
            self.head(1, i, title)
            self.head(2, i, "")
            self.sheet.merge(1, i, 2, i)
        for title, start, end in _groups(cols):
            self.head(1, start, title, style="S1SR group heading", span=end - start + 1)
            for i in range(start + 1, end + 1):
                self.head(1, i, "", style="S1SR group heading")
            if end > start:
                self.sheet.merge(1, start, 1, end)
        for c in cols:
            self.head(2, c.index, c.model)

    def finish(self) -> Sheet:
        self.sheet.heights.update({row: 15.0 * n for row, n in self._lines.items()})
        return self.sheet


def _print_setup(sheet: Sheet, title: str, *, title_rows: str, title_cols: str = "", legend: str = "") -> None:
    """A3 landscape at a fixed, readable scale over as many pages as the sheet needs, the header
    rows (and the SRV columns) repeated on every page."""
    sheet.print = PrintSetup(title_rows=title_rows, title_cols=title_cols, paper=8, scale=PRINT_SCALE,
                             bottom=0.9 if legend else 0.75, header=title.replace("&", "&&"),
                             footer_left=sheet.title.replace("&", "&&"), footer_centre=legend.replace("&", "&&"),
                             footer_right="Page &P of &N")


def legend_text() -> str:
    return "Key: " + "; ".join(f"{mark} = {meaning.split(':')[0]}" for mark, meaning in LEGEND)


# -- sheets -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class _Facts:
    """What every sheet needs, computed once (all lookups are dictionaries: linear cost)."""

    clauses: dict[str, Clause]
    numbers: dict[str, str]  # clause id → current number (the id when unnumbered)
    cites: dict[str, str]  # clause id → its prose citation ("clause 18.5", "Annex B")
    cols: list[_Column]
    srv_rows: list[str]  # SRVs with a variation or an N/A, in SRV list order
    srv_names: dict[str, str]
    cells: dict[tuple[str, str], MatrixCell]

    def number(self, clause_id: str) -> str:
        return self.numbers.get(clause_id, clause_id)


def _facts(project: Project) -> _Facts:
    clauses = {c.id: c for c in walk(project.document.sections)}
    listed = [s.number for s in project.srvs]
    # A row for every SRV with a variation or declared not applicable to some Device Model: an
    # SRV that is only N/A still shows its N/A cells, as the Device Models say.
    with_cells: dict[str, None] = {}
    for m in project.matrix:
        with_cells.setdefault(m.srv, None)
    for d in project.devices:
        for srv in d.not_applicable:
            with_cells.setdefault(srv, None)
    srv_rows = [s for s in listed if s in with_cells]
    srv_rows += [s for s in with_cells if s not in set(listed)]
    return _Facts(
        clauses=clauses,
        numbers={cid: c.number or cid for cid, c in clauses.items()},
        cites=cite_map(project.document),
        cols=_device_columns(project, first=3),
        srv_rows=list(dict.fromkeys(srv_rows)),
        srv_names={s.number: s.name for s in project.srvs},
        cells={(m.srv, m.device): m for m in project.matrix},
    )


def _matrix_sheet(project: Project, facts: _Facts) -> Sheet:
    cols = facts.cols
    col_of = {c.device_id: c.index for c in cols}
    # SRV → its cells that cite clauses, (column, clause list, note), and the columns it does not apply to.
    cited: dict[str, list[tuple[int, str, str]]] = {}
    for (srv, device), m in facts.cells.items():
        cited.setdefault(srv, []).append((col_of[device], ", ".join(facts.number(cid) for cid in m.clauses), m.note))
    not_applicable: dict[str, list[int]] = {}
    for d in project.devices:
        for srv in d.not_applicable:
            not_applicable.setdefault(srv, []).append(col_of[d.id])
    seen: dict[int, list[str]] = {c.index: [c.model] for c in cols}
    for cells in cited.values():
        for index, value, _note in cells:
            seen[index].append(value)
    names = [facts.srv_names.get(srv, "") for srv in facts.srv_rows]
    widths = {1: 10.0, 2: _width(names, 20, 48)}
    widths.update({c.index: _width(seen[c.index], 10, 24) for c in cols})
    sh = _Sheet(_SHEET_MATRIX, widths)
    sh.two_row_header(("SRV", "SRV name"), cols)
    # Most cells of a matrix say "no variation": one shared cell, nothing to clean or wrap.
    none, n_a = (_LOOKS["S1SR none"], NO_VARIATION), (_LOOKS["S1SR n/a"], NOT_APPLICABLE)
    blank = {c.index: none for c in cols}
    for r, (srv, name) in enumerate(zip(facts.srv_rows, names, strict=True), start=3):
        row = sh.sheet.rows[r] = dict(blank)
        for index in not_applicable.get(srv, ()):
            row[index] = n_a
        sh.text(r, 1, srv)
        sh.text(r, 2, name)
        for index, value, note in cited.get(srv, ()):
            if value == NO_VARIATION:
                row[index] = none
            elif value == NOT_APPLICABLE:
                row[index] = n_a
            else:
                sh.text(r, index, value)
            if note:
                # A note on the cell, as a reviewer would leave one: the text stays the bare clause list
                # that the check reads, and the drafter's reason travels with it.
                sh.sheet.notes[(r, index)] = Note(_clean(note), "s1sr", width=240, height=90)
    sheet = sh.finish()
    sheet.freeze = (2, 2)
    sheet.auto_filter = f"A2:{column_letter(2 + len(cols))}{2 + len(facts.srv_rows)}"
    _print_setup(sheet, _title(project, f"{_annex_title(project)}: DMVESM"), title_rows="1:2", title_cols="A:B",
                 legend=legend_text())
    return sheet


def _matrix_clauses(project: Project, facts: _Facts) -> dict[str, tuple[list[str], set[str]]]:
    """clause id → (its SRVs in row order, the Device Model ids it applies to)."""
    srv_rank = {s: i for i, s in enumerate(facts.srv_rows)}
    out: dict[str, tuple[list[str], set[str]]] = {}
    for m in project.matrix:
        for cid in m.clauses:
            srvs, devices = out.setdefault(cid, ([], set()))
            if m.srv not in srvs:
                srvs.append(m.srv)
            devices.add(m.device)
    for srvs, _ in out.values():
        srvs.sort(key=lambda s: srv_rank.get(s, len(srv_rank)))
    return out


def _summary(c: Clause, facts: _Facts) -> str:
    """The clause whole: its heading, then its text, as the S1SR prints them."""
    text = " ".join(plain_text(c.text, facts.numbers, facts.cites).split()) if c.text else " ".join(c.raw_text.split())
    return "\n".join(x for x in (c.heading, text) if x)


def _clauses_sheet(project: Project, facts: _Facts, site_url: str) -> Sheet:
    cols = [_Column(device_id=c.device_id, device_type=c.device_type, manufacturer=c.manufacturer,
                    model=c.model, index=c.index + 1) for c in facts.cols]
    applies = _matrix_clauses(project, facts)
    listed = [c for c in facts.clauses.values() if c.id in applies]
    widths = {1: 12.0, 2: 70.0, 3: 18.0}
    widths.update({c.index: _width([c.model], 10, 24) for c in cols})
    sh = _Sheet(_SHEET_CLAUSES, widths)
    sh.two_row_header(("Clause", "Heading or text", "SRVs"), cols)
    mark = (_LOOKS["S1SR mark"], _MARK)
    col_of = {c.device_id: c.index for c in cols}
    for row, c in enumerate(listed, start=3):
        srvs, devices = applies[c.id]
        url = clause_url(site_url, c)
        sh.text(row, 1, facts.number(c.id), style="S1SR link" if url else "S1SR text")
        if url:
            sh.sheet.links[(row, 1)] = url
        sh.text(row, 2, _summary(c, facts))
        sh.text(row, 3, ", ".join(srvs))
        cells = sh.sheet.rows[row]
        for device in devices:
            cells[col_of[device]] = mark
    sheet = sh.finish()
    sheet.freeze = (2, 3)
    sheet.auto_filter = f"A2:{column_letter(3 + len(cols))}{2 + len(listed)}"
    _print_setup(sheet, _title(project, f"{_annex_title(project)}: clauses by Device Model"), title_rows="1:2",
                 title_cols="A:B")
    return sheet


def _expanded_groups(project: Project) -> dict[str, list[str]]:
    """Device Model id → names of the groups that hold it, directly or through other groups."""
    by_id = {g.id: g for g in project.groups}

    def members(gid: str, seen: frozenset[str]) -> set[str]:
        out: set[str] = set()
        for m in by_id[gid].members:
            if m in by_id:
                if m not in seen:
                    out |= members(m, seen | {m})
            else:
                out.add(m)
        return out

    holders: dict[str, list[str]] = {}
    for g in project.groups:
        for dev in sorted(members(g.id, frozenset({g.id}))):
            holders.setdefault(dev, []).append(g.name or g.id)
    return holders


def _devices_sheet(project: Project, facts: _Facts) -> Sheet:
    heads = ("ID", "Manufacturer", "Model", "Type", "Cohort", "Firmware", "Groups", "DMVESM column")
    registry = {d.id: d for d in project.devices}
    holders = _expanded_groups(project)
    rows: list[tuple[str, ...]] = []
    for col in facts.cols:
        d = registry.get(col.device_id)
        rows.append((col.device_id, col.manufacturer, col.model, col.device_type,
                     d.cohort if d else "", d.firmware if d else "",
                     "\n".join(holders.get(col.device_id, ())), column_letter(col.index)))
    widths = {i: _width([h, *(r[i - 1] for r in rows)], 8, 40) for i, h in enumerate(heads, start=1)}
    sh = _Sheet(_SHEET_DEVICES, widths)
    for i, h in enumerate(heads, start=1):
        sh.head(1, i, h)
    for r, row in enumerate(rows, start=2):
        for i, value in enumerate(row, start=1):
            sh.text(r, i, value)
    sheet = sh.finish()
    sheet.freeze = (1, 0)
    sheet.auto_filter = f"A1:{column_letter(len(heads))}{1 + len(rows)}"
    _print_setup(sheet, _title(project, "Device Models"), title_rows="1:1")
    return sheet


def _about_sheet(project: Project, options: WriterOptions, options_rows: Sequence[tuple[str, str]] = ()) -> Sheet:
    d = project.document
    rows = [
        ("Document", d.title),
        ("Appendix", d.appendix),
        ("Annex", _annex_title(project, full=True)),
        ("Version", d.version),
        ("Status", d.status),
        ("Date", options.date),
        ("Content hash", options.source_hash),
        ("Published at", options.site_url),
        ("Generated by", "s1sr, from the clause source; do not edit by hand"),
        *(("Key" if i == 0 else "", f"{mark}: {meaning}") for i, (mark, meaning) in enumerate(LEGEND)),
        *options_rows,
    ]
    sh = _Sheet(_SHEET_ABOUT, {1: 16.0, 2: _width([v for _, v in rows], 20, 80)})
    sh.head(1, 1, "Field")
    sh.head(1, 2, "Value")
    for r, (k, v) in enumerate(rows, start=2):
        sh.text(r, 1, k, style="S1SR label")
        sh.text(r, 2, v)
    sheet = sh.finish()
    _print_setup(sheet, _title(project, "About"), title_rows="1:1")
    return sheet


def _annex_title(project: Project, *, full: bool = False) -> str:
    """"Annex A" (``full``: with its title), as the S1SR cites the annex that is the DMVESM."""
    d = project.document
    annex = next((c for c in d.sections if c.id == d.matrix_annex and c.annex), None)
    cite = cite_map(d).get(annex.id, annex.number) if annex is not None else "Annex A"
    heading = annex.heading if annex is not None and annex.heading else _ANNEX_NAME
    return f"{cite}: {heading}" if full else cite


def _title(project: Project, what: str) -> str:
    d = project.document
    status = f" ({d.status})" if d.status and d.status != "designated" else ""
    return f"{d.short_title or d.id} v{d.version}{status}: {what}"


# -- reproducible bytes -------------------------------------------------------------------------
def _stamp(date: str) -> _dt.datetime:
    day = _dt.date.fromisoformat(date)
    day = min(max(day, _dt.date(1980, 1, 1)), _dt.date(2107, 12, 31))  # what a zip can hold
    return _dt.datetime(day.year, day.month, day.day)


def _part_order(name: str) -> tuple[int, str]:
    first = {"[Content_Types].xml": 0, "_rels/.rels": 1}
    return (first.get(name, 2), name)


def _normalised_zip(data: bytes, when: _dt.datetime) -> bytes:
    """The same parts, in a fixed order, with fixed timestamps and permissions."""
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in sorted(src.namelist(), key=_part_order):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, on every platform
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
            dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()


def workbook_bytes(wb: Workbook, date: str) -> bytes:
    """An openpyxl workbook's reproducible bytes (the consultation's response table): created,
    modified and zip entries dated ``date``, never the clock."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = _stamp(date)
    buf = io.BytesIO()
    # ExcelWriter rather than wb.save(): save() stamps the clock into docProps/core.xml.
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()  # closes the archive
    return _normalised_zip(buf.getvalue(), _stamp(date))


# The DMVESM, Clauses and Device Models sheets of the last project written: the redline of the same
# build marks copies of them instead of building them again. A project is frozen, so the same object
# always gives the same sheets; they are never changed once made.
_LAST: list[tuple[Project, str, tuple[Sheet, Sheet, Sheet]]] = []


def _main_sheets(project: Project, site_url: str, *, reuse: bool) -> tuple[Sheet, Sheet, Sheet]:
    for p, url, sheets in _LAST if reuse else ():
        if p is project and url == site_url:
            return sheets
    facts = _facts(project)
    sheets = (_matrix_sheet(project, facts), _clauses_sheet(project, facts, site_url), _devices_sheet(project, facts))
    _LAST[:] = [(project, site_url, sheets)]
    return sheets


def build_sheets(project: Project, options: WriterOptions, about: Sequence[tuple[str, str]] = (), *,
                 reuse: bool = False) -> list[Sheet]:
    """The workbook's sheets, before they are written. With ``reuse`` (the redline, which marks copies
    of them), the sheets the last :func:`write_xlsx` of this same project made, where there are any:
    shared, so copy a sheet's rows before changing them."""
    return [*_main_sheets(project, options.site_url, reuse=reuse), _about_sheet(project, options, about)]


def package(project: Project, options: WriterOptions, sheets: Sequence[Sheet], *, author: str = "",
            date: str = "") -> bytes:
    """``sheets`` as the DMVESM workbook's bytes, dated ``date`` (default: the options' date)."""
    d = project.document
    props = Properties(title=f"{d.short_title or d.id} {_annex_title(project, full=True)}",
                       subject=f"{d.title} v{d.version}", creator=author or options.author or "s1sr",
                       when=_stamp(options.date))
    if date:
        return workbook_package(sheets, props, zip_time(date))
    when = _stamp(options.date)
    return workbook_package(sheets, props, (when.year, when.month, when.day, 0, 0, 0))


def write_xlsx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    return {workbook_name(project): package(project, options, build_sheets(project, options))}
