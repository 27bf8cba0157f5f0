"""The DMVESM redline: the amended workbook with every change against the baseline marked.

The workbook is the DMVESM writer's own (same sheets, same layout); on top of it, a changed
cell shows its old text struck through in red and its new text underlined in blue (rich text,
so it prints), with a fill and a comment; a cell that is new shows its text underlined, a cell
that is gone keeps its old value struck through, rows for SRVs that gained or lost every cell
are marked. The About sheet names both versions and gives the key; a **Changes** sheet lists
every change of the diff (clauses by number, DMVESM cells by SRV and Device Model name,
Device Models and groups) and prints. Bytes are reproducible: the date and author come from
the change set, never the clock.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Color, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from generator.model import Project
from generator.model.diff import ADDED, CHANGED, CLAUSE_KINDS, REMOVED, RENUMBERED, Changes, MatrixChange
from generator.model.names import safe_name
from generator.ooxml.package import normalise_zip, zip_time
from generator.writers.options import WriterOptions
from generator.writers.xlsx import NO_VARIATION, NOT_APPLICABLE, build_workbook

__all__ = ["redline_name", "write_redline_xlsx"]

CHANGES_SHEET = "Changes"
_FILL = {
    CHANGED: PatternFill(fill_type="solid", start_color="FFFFF2CC", end_color="FFFFF2CC"),
    ADDED: PatternFill(fill_type="solid", start_color="FFE2EFDA", end_color="FFE2EFDA"),
    REMOVED: PatternFill(fill_type="solid", start_color="FFF8CBAD", end_color="FFF8CBAD"),
}
_STRUCK = Font(strike=True, color="FFC00000")
_BOLD = Font(bold=True)
# The marks, as the S1SR redline prints them: old text red and struck through, new text blue
# and underlined.
_OLD = InlineFont(rFont="Calibri", sz=11, strike=True, color=Color(rgb="FFC00000"))
_NEW = InlineFont(rFont="Calibri", sz=11, u="single", color=Color(rgb="FF1F4E9F"))
KEY = (("old text", "struck through in red: what version {old} cited"),
       ("new text", "underlined in blue: what version {new} cites"),
       ("yellow fill", "a cell whose citation changed"), ("green fill", "a new cell or clause"),
       ("orange fill", "a cell that is gone"))
_KIND_WORDS = {ADDED: "added", REMOVED: "removed", CHANGED: "changed"}
_WRAP = Alignment(vertical="top", wrap_text=True)


def redline_name(project: Project, changes: Changes) -> str:
    """``DMVESM-redline-v12-to-v13.0.xlsx``."""
    return safe_name(f"DMVESM-redline-{changes.from_label}-to-v{project.document.version}.xlsx")


def write_redline_xlsx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    changes = options.changes
    if changes is None:
        return {}
    old_label, new_label = changes.from_label, f"v{project.document.version}"
    baseline = options.baseline
    old_version = baseline.document.version if baseline is not None else changes.from_version
    about = [("Marked against", f"version {old_version} (release {old_label})"),
             ("Changes", f"every change from version {old_version} to version {project.document.version} is marked"),
             *(("Redline key" if i == 0 else "", f"{mark}: {what.format(old=old_version, new=project.document.version)}")
               for i, (mark, what) in enumerate(KEY))]
    wb = build_workbook(project, options, about)
    author = changes.author or options.author or "s1sr"
    _mark_matrix(wb, changes, author, old_label, new_label)
    _mark_clauses(wb, changes, author, old_label)
    names = {d.id: f"{d.manufacturer} {d.model}" for d in (*(baseline.devices if baseline else ()), *project.devices)}
    names.update({g.id: g.name or g.id for g in (*(baseline.groups if baseline else ()), *project.groups)})
    _changes_sheet(wb.create_sheet(CHANGES_SHEET, 1), changes, old_label, new_label, names, project)
    buf = io.BytesIO()
    # ExcelWriter rather than wb.save(), which stamps the clock into the document properties.
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)).save()
    return {redline_name(project, changes): normalise_zip(buf.getvalue(), zip_time(changes.date or options.date))}


def _comment(text: str, author: str) -> Comment:
    c = Comment(text, author)
    c.width, c.height = 260, 90
    return c


def _cited(numbers: tuple[str, ...]) -> str:
    return ", ".join(numbers) or "(empty)"


def _positions(wb: Workbook) -> tuple[Worksheet, dict[str, int], dict[str, int]]:
    """The DMVESM sheet, SRV → row and Device Model id → column, read from the workbook itself."""
    matrix, devices = wb["DMVESM"], wb["Device Models"]
    heads = [c.value for c in devices[1]]
    id_col, letter_col = heads.index("ID") + 1, heads.index("DMVESM column") + 1
    columns = {str(r[id_col - 1]): column_index_from_string(str(r[letter_col - 1]))
               for r in devices.iter_rows(min_row=2, values_only=True) if r[id_col - 1]}
    rows = {str(v): i for i, (v,) in enumerate(matrix.iter_rows(min_row=3, max_col=1, values_only=True), start=3)
            if v is not None}
    return matrix, rows, columns


def _mark_matrix(wb: Workbook, changes: Changes, author: str, old: str, new: str) -> None:
    ws, rows, columns = _positions(wb)
    last_row = ws.max_row
    last_col = max(columns.values(), default=2)
    by_srv: dict[str, list[MatrixChange]] = {}
    for m in changes.matrix:
        by_srv.setdefault(m.srv, []).append(m)
    for srv, cells in by_srv.items():
        if srv not in rows:  # every cell of the row is gone: show the row as it was
            last_row += 1
            rows[srv] = last_row
            ws.cell(row=last_row, column=1, value=srv).font = _STRUCK
            for col in (1, 2):
                ws.cell(row=last_row, column=col).fill = _FILL[REMOVED]
            ws.cell(row=last_row, column=1).comment = _comment(f"Row removed: no Device Model has a variation "
                                                               f"for SRV {srv} in {new}.", author)
        elif all(m.kind == ADDED for m in cells) and len(cells) == _filled(ws, rows[srv], columns):
            for col in (1, 2):
                ws.cell(row=rows[srv], column=col).fill = _FILL[ADDED]
            ws.cell(row=rows[srv], column=1).comment = _comment(f"Row added: SRV {srv} had no variation in {old}.",
                                                                author)
        for m in cells:
            if m.device not in columns:
                last_col += 1
                columns[m.device] = last_col
                ws.cell(row=2, column=last_col, value=m.device).font = _STRUCK
            cell = ws.cell(row=rows[srv], column=columns[m.device])
            cell.fill = _FILL[m.kind]
            if m.kind == REMOVED:
                cell.value = _cited(m.old_numbers)
                cell.data_type = "s"
                cell.font = _STRUCK
                cell.comment = _comment(f"Removed. {old}: {_cited(m.old_numbers)}", author)
            elif m.kind == ADDED:
                cell.value = CellRichText([TextBlock(_NEW, _cited(m.new_numbers))])
                cell.comment = _comment(f"New in {new}; empty in {old}.", author)
            else:
                blocks: list[str | TextBlock] = [TextBlock(_OLD, _cited(m.old_numbers)), " ",
                                                 TextBlock(_NEW, _cited(m.new_numbers))]
                cell.value = CellRichText(blocks)
                note = ""
                if m.old_numbers == m.new_numbers:
                    note = (f"\nThe same numbers now cite other clauses: {', '.join(m.old_clauses)} in {old}, "
                            f"{', '.join(m.new_clauses)} in {new}.")
                cell.comment = _comment(f"{old}: {_cited(m.old_numbers)}{note}", author)


def _filled(ws: Worksheet, row: int, columns: dict[str, int]) -> int:
    return sum(1 for col in columns.values()
               if ws.cell(row=row, column=col).value not in (None, "", NO_VARIATION, NOT_APPLICABLE))


def _mark_clauses(wb: Workbook, changes: Changes, author: str, old: str) -> None:
    """On the Clauses sheet: new clauses filled green, renumbered ones filled with the old number."""
    ws = wb["Clauses"]
    by_number = {c.new_number: c for c in changes.clauses if c.new_number}
    for (value,) in ws.iter_rows(min_row=3, max_col=1):
        ch = by_number.get(str(value.value))
        if ch is None:
            continue
        if ch.has(ADDED):
            value.fill = _FILL[ADDED]
            value.comment = _comment(f"New clause; not in {old}.", author)
        elif ch.has(RENUMBERED):
            value.fill = _FILL[CHANGED]
            declared = f" (declared: {ch.reason})" if ch.declared else " (not declared)"
            value.comment = _comment(f"{old}: {ch.old_number}{declared}", author)


def _changes_sheet(ws: Worksheet, changes: Changes, old: str, new: str, names: dict[str, str],
                   project: Project) -> None:
    heads = ("What", "Item", "Change", old, new, "Declared", "Notes")
    rows: list[tuple[str, str, str, str, str, str, str, str]] = []  # last: fill kind
    for c in changes.clauses:
        kinds = [k for k in CLAUSE_KINDS if k in c.kinds]
        notes = c.reason if c.declared else ("the printed numbers of cross-references follow other changes"
                                             if kinds == ["references"] else "")
        if c.dropped:
            notes = "deleted from the source instead of being kept as [Not used]"
        if c.vacated_by:
            notes = (f"{c.old_number} is given back by a declaration (takes_over)" if c.dropped else
                     f"{c.new_number} reads [Not used]: '{c.vacated_by}' left it")
        rows.append(("Clause", c.new_number or c.old_number, ", ".join(kinds), c.old_number, c.new_number,
                     ("yes" if c.declared else "no") if c.has(RENUMBERED) else "", notes,
                     ADDED if c.has(ADDED) else REMOVED if c.has(REMOVED) else CHANGED))
    for m in changes.matrix:
        note = "same numbers, other clauses" if m.old_numbers == m.new_numbers and m.kind == CHANGED else ""
        rows.append(("DMVESM cell", f"SRV {m.srv} × {names.get(m.device, m.device)}", _KIND_WORDS[m.kind],
                     ", ".join(m.old_numbers),
                     ", ".join(m.new_numbers), "", note, m.kind))
    for e in changes.entities:
        what = "Device Model" if e.entity == "device" else "Group"
        for f in e.fields or ():
            rows.append((what, names.get(e.id, e.name or e.id), f"{f.name} changed", f.old, f.new, "", e.name,
                         CHANGED))
        if not e.fields:
            rows.append((what, names.get(e.id, e.name or e.id), _KIND_WORDS[e.kind], "" if e.kind == ADDED else e.name,
                         e.name if e.kind == ADDED else "", "", "", e.kind))
    widths = (14, 34, 26, 16, 16, 10, 60)
    for i, (h, w) in enumerate(zip(heads, widths, strict=True), start=1):
        ws.cell(row=1, column=i, value=h).font = _BOLD
        ws.column_dimensions[get_column_letter(i)].width = w
    for r, row in enumerate(rows, start=2):
        for i, value in enumerate(row[:7], start=1):
            cell = ws.cell(row=r, column=i)
            assert isinstance(cell, Cell)  # no merged ranges on this sheet
            if value:
                cell.value = value
                cell.data_type = "s"
            cell.alignment = _WRAP
        ws.cell(row=r, column=3).fill = _FILL[row[7]]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:G{max(1, len(rows) + 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    d = project.document
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None
    header.center.text = f"{d.short_title or d.id} v{d.version}: changes against {old}".replace("&", "&&")
    footer.right.text = "Page &P of &N"
