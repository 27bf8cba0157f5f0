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

import copy

from generator.model import Project
from generator.model.diff import ADDED, CHANGED, CLAUSE_KINDS, REMOVED, RENUMBERED, Changes, MatrixChange
from generator.model.names import safe_name
from generator.ooxml.spreadsheet import Look, Note, PrintSetup, Sheet, Value, clean_text, column_index, look
from generator.writers.options import WriterOptions
from generator.writers.xlsx import NO_VARIATION, NOT_APPLICABLE, build_sheets, package

__all__ = ["redline_name", "write_redline_xlsx"]

CHANGES_SHEET = "Changes"
_FILL = {CHANGED: "changed", ADDED: "added", REMOVED: "removed"}
# The marks, as the S1SR redline prints them: old text red and struck through, new text blue
# and underlined (runs of rich text, so that they print).
_OLD, _NEW = "old", "new"
KEY = (("old text", "struck through in red: what version {old} cited"),
       ("new text", "underlined in blue: what version {new} cites"),
       ("yellow fill", "a cell whose citation changed"), ("green fill", "a new cell or clause"),
       ("orange fill", "a cell that is gone"))
_KIND_WORDS = {ADDED: "added", REMOVED: "removed", CHANGED: "changed"}
_WRAP = look("wrap")
_BOLD = look("plain", font="b")


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
    matrix, clauses, devices, about_sheet = build_sheets(project, options, about, reuse=True)
    author = changes.author or options.author or "s1sr"
    matrix = _mark_matrix(matrix, devices, changes, author, old_label, new_label)
    clauses = _mark_clauses(clauses, changes, author, old_label)
    names = {d.id: f"{d.manufacturer} {d.model}" for d in (*(baseline.devices if baseline else ()), *project.devices)}
    names.update({g.id: g.name or g.id for g in (*(baseline.groups if baseline else ()), *project.groups)})
    sheets = [matrix, _changes_sheet(changes, old_label, new_label, names, project), clauses, devices, about_sheet]
    return {redline_name(project, changes): package(project, options, sheets, author=options.author,
                                                    date=changes.date or options.date)}


def _comment(text: str, author: str) -> Note:
    return Note(text, author, width=260, height=90)


def _cited(numbers: tuple[str, ...]) -> str:
    return ", ".join(numbers) or "(empty)"


class _Marks:
    """A copy of a shared sheet to mark: a row's cells are copied the first time one changes."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = copy.copy(sheet)
        self.sheet.rows = dict(sheet.rows)
        self.sheet.notes = dict(sheet.notes)
        self._copied: set[int] = set()

    def cell(self, row: int, col: int) -> tuple[Look, Value]:
        return self.sheet.get(row, col) or (look("plain"), "")

    def set(self, row: int, col: int, *, value: Value | None = None, font: str | None = None,
            fill: str | None = None) -> None:
        if row not in self._copied:
            self.sheet.rows[row] = dict(self.sheet.rows.get(row, {}))
            self._copied.add(row)
        (base, old_font, old_fill, quoted), old_value = self.cell(row, col)
        self.sheet.rows[row][col] = ((base, old_font if font is None else font, old_fill if fill is None else fill,
                                      quoted), old_value if value is None else value)

    def note(self, row: int, col: int, note: Note) -> None:
        self.sheet.notes[(row, col)] = note


def _text(sheet: Sheet, row: int, col: int) -> str:
    cell = sheet.get(row, col)
    return cell[1] if cell is not None and isinstance(cell[1], str) else ""


def _positions(matrix: Sheet, devices: Sheet) -> tuple[dict[str, int], dict[str, int]]:
    """SRV → row of the DMVESM sheet and Device Model id → its column, read from the sheets themselves
    (the Device Models sheet names each model's DMVESM column)."""
    heads = [_text(devices, 1, c) for c in range(1, devices.max_col + 1)]
    id_col, letter_col = heads.index("ID") + 1, heads.index("DMVESM column") + 1
    columns = {_text(devices, r, id_col): column_index(_text(devices, r, letter_col))
               for r in sorted(devices.rows) if r >= 2 and _text(devices, r, id_col)}
    rows = {_text(matrix, r, 1): r for r in sorted(matrix.rows) if r >= 3 and _text(matrix, r, 1)}
    return rows, columns


def _mark_matrix(matrix: Sheet, devices: Sheet, changes: Changes, author: str, old: str, new: str) -> Sheet:
    rows, columns = _positions(matrix, devices)
    ws = _Marks(matrix)
    last_row = matrix.max_row
    last_col = max(columns.values(), default=2)
    by_srv: dict[str, list[MatrixChange]] = {}
    for m in changes.matrix:
        by_srv.setdefault(m.srv, []).append(m)
    for srv, cells in by_srv.items():
        if srv not in rows:  # every cell of the row is gone: show the row as it was
            last_row += 1
            rows[srv] = last_row
            ws.set(last_row, 1, value=srv, font="struck")
            for col in (1, 2):
                ws.set(last_row, col, fill=_FILL[REMOVED])
            ws.note(last_row, 1, _comment(f"Row removed: no Device Model has a variation for SRV {srv} in {new}.",
                                          author))
        elif all(m.kind == ADDED for m in cells) and len(cells) == _filled(ws, rows[srv], columns):
            for col in (1, 2):
                ws.set(rows[srv], col, fill=_FILL[ADDED])
            ws.note(rows[srv], 1, _comment(f"Row added: SRV {srv} had no variation in {old}.", author))
        for m in cells:
            if m.device not in columns:
                last_col += 1
                columns[m.device] = last_col
                ws.set(2, last_col, value=m.device, font="struck")
            row, col = rows[srv], columns[m.device]
            if m.kind == REMOVED:
                ws.set(row, col, value=_cited(m.old_numbers), font="struck", fill=_FILL[m.kind])
                ws.note(row, col, _comment(f"Removed. {old}: {_cited(m.old_numbers)}", author))
            elif m.kind == ADDED:
                ws.set(row, col, value=((_NEW, _cited(m.new_numbers)),), fill=_FILL[m.kind])
                ws.note(row, col, _comment(f"New in {new}; empty in {old}.", author))
            else:
                ws.set(row, col, value=((_OLD, _cited(m.old_numbers)), ("", " "), (_NEW, _cited(m.new_numbers))),
                       fill=_FILL[m.kind])
                note = ""
                if m.old_numbers == m.new_numbers:
                    note = (f"\nThe same numbers now cite other clauses: {', '.join(m.old_clauses)} in {old}, "
                            f"{', '.join(m.new_clauses)} in {new}.")
                ws.note(row, col, _comment(f"{old}: {_cited(m.old_numbers)}{note}", author))
    return ws.sheet


def _filled(ws: _Marks, row: int, columns: dict[str, int]) -> int:
    return sum(1 for col in columns.values() if ws.cell(row, col)[1] not in ("", NO_VARIATION, NOT_APPLICABLE))


def _mark_clauses(clauses: Sheet, changes: Changes, author: str, old: str) -> Sheet:
    """On the Clauses sheet: new clauses filled green, renumbered ones filled with the old number."""
    ws = _Marks(clauses)
    by_number = {c.new_number: c for c in changes.clauses if c.new_number}
    for r in sorted(clauses.rows):
        if r < 3:
            continue
        first = clauses.get(r, 1)
        ch = by_number.get(first[1]) if first is not None and isinstance(first[1], str) else None
        if ch is None:
            continue
        if ch.has(ADDED):
            ws.set(r, 1, fill=_FILL[ADDED])
            ws.note(r, 1, _comment(f"New clause; not in {old}.", author))
        elif ch.has(RENUMBERED):
            ws.set(r, 1, fill=_FILL[CHANGED])
            declared = f" (declared: {ch.reason})" if ch.declared else " (not declared)"
            ws.note(r, 1, _comment(f"{old}: {ch.old_number}{declared}", author))
    return ws.sheet


def _changes_sheet(changes: Changes, old: str, new: str, names: dict[str, str], project: Project) -> Sheet:
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
    ws = Sheet(title=CHANGES_SHEET, widths={i: float(w) for i, w in enumerate(widths, start=1)})
    for i, h in enumerate(heads, start=1):
        ws.put(1, i, _BOLD, h)
    for r, row in enumerate(rows, start=2):
        for i, value in enumerate(row[:7], start=1):
            ws.put(r, i, _WRAP, clean_text(value))
        ws.put(r, 3, look("wrap", fill=_FILL[row[7]]), clean_text(row[2]))
    ws.freeze = (1, 0)
    ws.auto_filter = f"A1:G{max(1, len(rows) + 1)}"
    d = project.document
    ws.print = PrintSetup(title_rows="1:1", paper=9, scale=0,
                          bottom=1.0,
                          header=f"{d.short_title or d.id} v{d.version}: changes against {old}".replace("&", "&&"),
                          footer_right="Page &P of &N")
    return ws
