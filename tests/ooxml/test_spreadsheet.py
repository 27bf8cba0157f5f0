"""SpreadsheetML written as text: what openpyxl (an independent reader) makes of it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from generator.ooxml.spreadsheet import (
    Note,
    PrintSetup,
    Properties,
    Sheet,
    clean_text,
    column_index,
    column_letter,
    look,
    workbook_package,
)

PROPS = Properties(title="T & t", subject="S", creator="me <x>", when=dt.datetime(2025, 3, 31))
WHEN = (2025, 3, 31, 0, 0, 0)


def _book(*sheets: Sheet) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_package(sheets, PROPS, WHEN)), rich_text=True)


@given(st.integers(min_value=1, max_value=16384))
def test_column_letters_round_trip(col: int) -> None:
    assert column_index(column_letter(col)) == col
    assert column_letter(col) == openpyxl.utils.get_column_letter(col)


@given(st.text(max_size=40))
def test_any_text_is_read_back_as_written_once_cleaned(text: str) -> None:
    sheet = Sheet(title="A")
    sheet.put(1, 1, look("S1SR text"), text)
    sheet.put(1, 2, look("plain"), "x")  # the row is never empty
    ws = _book(sheet)["A"]
    cleaned = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    assert (ws["A1"].value or "").replace("\r\n", "\n").replace("\r", "\n") == cleaned


def test_cells_merges_links_notes_and_print_setup() -> None:
    sheet = Sheet(title="It's", widths={1: 12.0, 2: 30.5}, heights={2: 45.0}, freeze=(1, 1), auto_filter="A1:C2")
    sheet.put(1, 1, look("S1SR heading"), "Head")
    sheet.put(1, 2, look("S1SR heading"), "")
    sheet.put(1, 3, look("S1SR heading"), "")
    sheet.merge(1, 1, 1, 3)
    sheet.put(2, 1, look("S1SR link"), "18.5p")
    sheet.links[(2, 1)] = "https://example.org/a?b=1&c=2"
    sheet.put(2, 2, look("S1SR text", quote=True), "=SUM(A1)")
    sheet.put(2, 3, look("S1SR text", fill="changed"), (("old", "1.1"), ("", " "), ("new", "1.2")))
    sheet.notes[(2, 3)] = Note("was 1.1\nnow 1.2", "Team & co", width=260)
    sheet.print = PrintSetup(title_rows="1:1", title_cols="A:A", header="Title && more", footer_right="Page &P")
    other = Sheet(title="B")
    other.put(1, 1, look("plain"), " spaced ")
    other.notes[(1, 1)] = Note("second sheet", "x")
    wb = _book(sheet, other)
    ws = wb["It's"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:C1"]
    assert ws["A1"].value == "Head" and ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FFD9E1F2"
    assert ws["C1"].border.right.style == "thin" and ws["B1"].border.left.style is None
    assert ws["A2"].hyperlink.target == "https://example.org/a?b=1&c=2" and ws["A2"].font.u == "single"
    assert ws["B2"].value == "=SUM(A1)" and ws["B2"].data_type == "s" and ws["B2"].quotePrefix
    old, space, new = ws["C2"].value
    assert (old.text, old.font.strike, str(space), new.text, new.font.u) == ("1.1", True, " ", "1.2", "single")
    assert ws["C2"].fill.fgColor.rgb == "FFFFF2CC" and ws["C2"].alignment.wrap_text
    assert (ws["C2"].comment.text, ws["C2"].comment.author) == ("was 1.1\nnow 1.2", "Team & co")
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:C2"
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A"
    assert ws.column_dimensions["B"].width == 30.5 and ws.row_dimensions[2].height == 45
    assert ws.oddHeader.center.text == "Title && more" and ws.page_setup.paperSize == 8 and ws.page_setup.fitToWidth == 1
    assert wb["B"]["A1"].value == " spaced " and wb["B"]["A1"].comment.text == "second sheet"
    assert wb.properties.title == "T & t" and wb.properties.creator == "me <x>"


def test_each_drawing_owns_its_shape_ids() -> None:
    """Shape ids are unique across the workbook, however many notes a sheet has."""
    sheets = []
    for title, count in (("A", 1500), ("B", 3)):
        s = Sheet(title=title)
        for r in range(1, count + 1):
            s.put(r, 1, look("plain"), str(r))
            s.notes[(r, 1)] = Note(f"note {r}", "x")
        sheets.append(s)
    data = workbook_package(sheets, PROPS, WHEN)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        ids: list[int] = []
        for name in ("xl/drawings/vmlDrawing1.vml", "xl/drawings/vmlDrawing2.vml"):
            vml = z.read(name).decode()
            blocks = [int(b) for b in re.search(r'data="([\d,]+)"', vml).group(1).split(",")]  # type: ignore[union-attr]
            mine = [int(i) for i in re.findall(r'id="_x0000_s(\d+)"', vml)]
            assert all(i // 1024 in blocks for i in mine)
            ids += mine
    assert len(ids) == len(set(ids)) == 1503


def test_same_sheets_same_bytes() -> None:
    def sheet() -> Sheet:
        s = Sheet(title="A")
        s.put(1, 1, look("S1SR text"), "x")
        s.notes[(1, 1)] = Note("n", "a")
        return s

    assert workbook_package([sheet()], PROPS, WHEN) == workbook_package([sheet()], PROPS, WHEN)
    with zipfile.ZipFile(io.BytesIO(workbook_package([sheet()], PROPS, WHEN))) as z:
        assert z.namelist()[:2] == ["[Content_Types].xml", "_rels/.rels"]
        assert {i.date_time for i in z.infolist()} == {WHEN}
