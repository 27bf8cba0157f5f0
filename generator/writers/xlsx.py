"""The DMVESM workbook (S1SR Annex A) as .xlsx, byte-for-byte reproducible.

Four sheets: **DMVESM** (SRV × Device Model → current clause numbers), **Clauses** (clause ×
Device Model, marked where the clause applies), **Device Models** (the registry) and
**About** (document, version, status, date, content hash).

Every text cell is stored as a string (never a formula, error or number), and the zip is
rewritten after openpyxl saves it: entries in a fixed order with fixed timestamps and
permissions, document properties dated from ``options.date``. Two writes of one project give
identical bytes.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from generator.model import Clause, DeviceModel, MatrixCell, Project, cite_map, plain_text, walk
from generator.model.devices import DEVICE_TYPES
from generator.writers.json_export import matrix_file_name
from generator.writers.options import WriterOptions

__all__ = ["build_workbook", "clause_url", "workbook_name", "write_xlsx"]

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
_MAX_CELL = 32767  # Excel's limit on the characters in one cell
_NOT_REGISTERED = "Not in the Device Model registry"

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY_ALIGN = Alignment(vertical="top", wrap_text=True)
_HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


# Cell styles, registered once per workbook as named styles: assigning a name to a cell copies
# one prepared style, where assigning fonts and alignments one by one hashes each of them.
def _font(**kw: object) -> Font:
    return Font(name="Calibri", family=2, size=11, scheme="minor", **kw)  # type: ignore[arg-type]


_STYLES: dict[str, dict[str, object]] = {
    "S1SR text": {"alignment": _BODY_ALIGN, "font": _font()},
    "S1SR label": {"alignment": _BODY_ALIGN, "font": _font(bold=True)},
    "S1SR link": {"alignment": _BODY_ALIGN, "font": _font(color="FF0563C1", underline="single")},
    "S1SR mark": {"alignment": Alignment(horizontal="center", vertical="top"), "font": _font()},
    # The three states of a DMVESM cell: clause numbers (S1SR text), no variation, not applicable.
    "S1SR none": {"alignment": Alignment(horizontal="center", vertical="top"), "font": _font(color="FF808080")},
    "S1SR n/a": {"alignment": Alignment(horizontal="center", vertical="top"), "font": _font(),
                 "fill": _fill("FFE7E6E6")},
    "S1SR heading": {"alignment": _HEAD_ALIGN, "font": _font(bold=True), "fill": _fill("FFD9E1F2"),
                     "border": _BORDER},
    "S1SR group heading": {"alignment": _HEAD_ALIGN, "font": _font(bold=True), "fill": _fill("FFB4C6E7"),
                           "border": _BORDER},
}
_WRAPPED = {name for name, spec in _STYLES.items() if getattr(spec["alignment"], "wrap_text", False)}
_BOLD = {name for name, spec in _STYLES.items() if getattr(spec.get("font"), "b", False)}


def _add_styles(wb: Workbook) -> None:
    for name, spec in _STYLES.items():
        wb.add_named_style(NamedStyle(name=name, **spec))  # type: ignore[arg-type]


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
def _clean(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:_MAX_CELL]


def _width(texts: Iterable[str], lo: float, hi: float) -> float:
    longest = 0
    for t in texts:
        for line in t.split("\n"):
            longest = max(longest, len(line))
    return float(max(lo, min(hi, longest + 2)))


def _lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a safe estimate:
    neither Excel nor LibreOffice grows a row for wrapped text that it did not lay out itself)."""
    room = max(1, int((width - 1.5) * (0.9 if bold else 1.1)))
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
    """Writes string cells and keeps each row tall enough for its wrapped text."""

    def __init__(self, ws: Worksheet, widths: dict[int, float]) -> None:
        self.ws = ws
        self.widths = widths
        self._lines: dict[int, int] = {}
        # Named style → the style record a cell gets from it: openpyxl looks the name up in a list
        # on every assignment (the most expensive part of writing 100,000 cells).
        self._styles: dict[str, StyleArray] = {}

    def text(self, row: int, col: int, value: str, *, style: str = "S1SR text", span: int = 1) -> Cell:
        """A string cell, whatever the text looks like (``=SUM(A1)`` stays text)."""
        cell = self.ws.cell(row=row, column=col)
        assert isinstance(cell, Cell), "a merged range's inner cell is never written"
        known = self._styles.get(style)
        raw: Any = cell  # the style record (StyleArray) is openpyxl's own attribute, not in its stubs
        if known is None:
            cell.style = style
            self._styles[style] = copy.copy(raw._style)
        else:
            raw._style = copy.copy(known)
        text = _clean(value)
        if text:
            cell.value = text
            cell.data_type = "s"  # openpyxl infers 'f' from a leading '=' and 'e' from '#N/A'
            if text[0] in ("=", "+", "-", "@"):
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
            if style in _WRAPPED:
                width = sum(self.widths.get(col + i, 8.43) for i in range(span))
                n = _lines(text, width, bold=style in _BOLD)
                if n > self._lines.get(row, 1):
                    self._lines[row] = n
        return cell

    def head(self, row: int, col: int, value: str, *, style: str = "S1SR heading", span: int = 1) -> Cell:
        return self.text(row, col, value, style=style, span=span)

    def two_row_header(self, fixed: Sequence[str], cols: Sequence[_Column]) -> None:
        """Row 1: fixed column titles (merged down) and device group titles (merged across);
        row 2: the model names."""
        for i, title in enumerate(fixed, start=1):
            self.head(1, i, title)
            self.head(2, i, "")
            self.ws.merge_cells(start_row=1, start_column=i, end_row=2, end_column=i)
        for title, start, end in _groups(cols):
            self.head(1, start, title, style="S1SR group heading", span=end - start + 1)
            for i in range(start + 1, end + 1):
                self.head(1, i, "", style="S1SR group heading")
            if end > start:
                self.ws.merge_cells(start_row=1, start_column=start, end_row=1, end_column=end)
        for c in cols:
            self.head(2, c.index, c.model)

    def finish(self) -> None:
        for col, width in sorted(self.widths.items()):
            self.ws.column_dimensions[get_column_letter(col)].width = width
        for row, n in sorted(self._lines.items()):
            self.ws.row_dimensions[row].height = 15 * n


def _print_setup(ws: Worksheet, title: str, *, title_rows: str, title_cols: str = "", legend: str = "") -> None:
    """A3 landscape at a fixed, readable scale over as many pages as the sheet needs, the header
    rows (and the SRV columns) repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.scale = PRINT_SCALE
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.print_options.gridLines = True
    ws.page_margins.bottom = 0.9 if legend else 0.75
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None  # openpyxl makes both with every sheet
    header.center.text = title.replace("&", "&&")
    footer.left.text = ws.title.replace("&", "&&")
    if legend:
        footer.center.text = legend.replace("&", "&&")
    footer.right.text = "Page &P of &N"


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


def _matrix_sheet(ws: Worksheet, project: Project, facts: _Facts) -> None:
    cols = facts.cols
    rows: list[tuple[str, str, dict[int, str]]] = []
    notes: dict[tuple[int, int], str] = {}  # (row, column) → the applies_to notes behind the cell
    seen: dict[int, list[str]] = {c.index: [c.model] for c in cols}
    not_applicable = {(s, d.id) for d in project.devices for s in d.not_applicable}
    for srv in facts.srv_rows:
        values: dict[int, str] = {}
        for c in cols:
            m = facts.cells.get((srv, c.device_id))
            if m is not None:
                values[c.index] = ", ".join(facts.number(cid) for cid in m.clauses)
                if m.note:
                    notes[(3 + len(rows), c.index)] = m.note
                seen[c.index].append(values[c.index])
            else:
                values[c.index] = NOT_APPLICABLE if (srv, c.device_id) in not_applicable else NO_VARIATION
        rows.append((srv, facts.srv_names.get(srv, ""), values))
    widths = {1: 10.0, 2: _width((r[1] for r in rows), 20, 48)}
    widths.update({c.index: _width(seen[c.index], 10, 24) for c in cols})
    sh = _Sheet(ws, widths)
    sh.two_row_header(("SRV", "SRV name"), cols)
    for r, (srv, name, values) in enumerate(rows, start=3):
        sh.text(r, 1, srv)
        sh.text(r, 2, name)
        for index, value in values.items():
            style = "S1SR none" if value == NO_VARIATION else "S1SR n/a" if value == NOT_APPLICABLE else "S1SR text"
            cell = sh.text(r, index, value, style=style)
            if (r, index) in notes:
                # A note on the cell, as a reviewer would leave one: the text stays the bare clause list
                # that the check reads, and the drafter's reason travels with it.
                cell.comment = Comment(_clean(notes[(r, index)]), "s1sr", width=240, height=90)
    sh.finish()
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(2 + len(cols))}{2 + len(rows)}"
    _print_setup(ws, _title(project, f"{_annex_title(project)}: DMVESM"), title_rows="1:2", title_cols="A:B",
                 legend=legend_text())


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


def _clauses_sheet(ws: Worksheet, project: Project, facts: _Facts, options: WriterOptions) -> None:
    cols = [_Column(device_id=c.device_id, device_type=c.device_type, manufacturer=c.manufacturer,
                    model=c.model, index=c.index + 1) for c in facts.cols]
    applies = _matrix_clauses(project, facts)
    listed = [c for c in facts.clauses.values() if c.id in applies]
    widths = {1: 12.0, 2: 70.0, 3: 18.0}
    widths.update({c.index: _width([c.model], 10, 24) for c in cols})
    sh = _Sheet(ws, widths)
    sh.two_row_header(("Clause", "Heading or text", "SRVs"), cols)
    for row, c in enumerate(listed, start=3):
        srvs, devices = applies[c.id]
        url = clause_url(options.site_url, c)
        cell = sh.text(row, 1, facts.number(c.id), style="S1SR link" if url else "S1SR text")
        if url:
            cell.hyperlink = url
        sh.text(row, 2, _summary(c, facts))
        sh.text(row, 3, ", ".join(srvs))
        for col in cols:
            if col.device_id in devices:
                sh.text(row, col.index, _MARK, style="S1SR mark")
    sh.finish()
    ws.freeze_panes = "D3"
    ws.auto_filter.ref = f"A2:{get_column_letter(3 + len(cols))}{2 + len(listed)}"
    _print_setup(ws, _title(project, f"{_annex_title(project)}: clauses by Device Model"), title_rows="1:2",
                 title_cols="A:B")


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


def _devices_sheet(ws: Worksheet, project: Project, facts: _Facts) -> None:
    heads = ("ID", "Manufacturer", "Model", "Type", "Cohort", "Firmware", "Groups", "DMVESM column")
    registry = {d.id: d for d in project.devices}
    holders = _expanded_groups(project)
    rows: list[tuple[str, ...]] = []
    for col in facts.cols:
        d = registry.get(col.device_id)
        rows.append((col.device_id, col.manufacturer, col.model, col.device_type,
                     d.cohort if d else "", d.firmware if d else "",
                     "\n".join(holders.get(col.device_id, ())), get_column_letter(col.index)))
    widths = {i: _width([h, *(r[i - 1] for r in rows)], 8, 40) for i, h in enumerate(heads, start=1)}
    sh = _Sheet(ws, widths)
    for i, h in enumerate(heads, start=1):
        sh.head(1, i, h)
    for r, row in enumerate(rows, start=2):
        for i, value in enumerate(row, start=1):
            sh.text(r, i, value)
    sh.finish()
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{1 + len(rows)}"
    _print_setup(ws, _title(project, "Device Models"), title_rows="1:1")


def _about_sheet(ws: Worksheet, project: Project, options: WriterOptions,
                 options_rows: Sequence[tuple[str, str]] = ()) -> None:
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
    sh = _Sheet(ws, {1: 16.0, 2: _width([v for _, v in rows], 20, 80)})
    sh.head(1, 1, "Field")
    sh.head(1, 2, "Value")
    for r, (k, v) in enumerate(rows, start=2):
        sh.text(r, 1, k, style="S1SR label")
        sh.text(r, 2, v)
    sh.finish()
    _print_setup(ws, _title(project, "About"), title_rows="1:1")


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


def _workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    # ExcelWriter rather than wb.save(): save() stamps the clock into docProps/core.xml.
    ExcelWriter(wb, archive).save()  # closes the archive
    return buf.getvalue()


def workbook_bytes(wb: Workbook, date: str) -> bytes:
    """A workbook's reproducible bytes: created, modified and zip entries dated ``date``, never
    the clock."""
    wb.properties.created = wb.properties.modified = _stamp(date)
    return _normalised_zip(_workbook_bytes(wb), _stamp(date))


def build_workbook(project: Project, options: WriterOptions, about: Sequence[tuple[str, str]] = ()) -> Workbook:
    """The workbook, before it is saved (for tests and callers that add sheets)."""
    facts = _facts(project)
    wb = Workbook()
    _add_styles(wb)
    matrix = wb.active
    assert isinstance(matrix, Worksheet)
    matrix.title = _SHEET_MATRIX
    _matrix_sheet(matrix, project, facts)
    _clauses_sheet(wb.create_sheet(_SHEET_CLAUSES), project, facts, options)
    _devices_sheet(wb.create_sheet(_SHEET_DEVICES), project, facts)
    _about_sheet(wb.create_sheet(_SHEET_ABOUT), project, options, about)
    when = _stamp(options.date)
    d = project.document
    props = wb.properties
    props.creator = options.author or "s1sr"
    props.lastModifiedBy = options.author or "s1sr"
    props.title = f"{d.short_title or d.id} {_annex_title(project, full=True)}"
    props.subject = f"{d.title} v{d.version}"
    props.created = when
    props.modified = when
    return wb


def write_xlsx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    wb = build_workbook(project, options)
    return {workbook_name(project): _normalised_zip(_workbook_bytes(wb), _stamp(options.date))}
