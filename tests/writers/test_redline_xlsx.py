"""The DMVESM redline: changed cells filled and commented with the old value, new and removed cells
and rows marked, a Changes sheet listing every change; reproducible bytes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from generator.app import api
from generator.model import AppliesTo, DeviceModel, Project
from generator.passes.diff import diff_projects
from generator.passes.matrix import build_matrix
from generator.passes.numbering import number_project
from generator.writers import WRITERS
from generator.writers.options import WriterOptions
from generator.writers.redline_xlsx import CHANGES_SHEET, redline_name, write_redline_xlsx
from tests.diff_cases import c
from tests.factories import project
from tests.support import REPO, soffice_convert


def _redline(old: Project, new: Project, label: str = "v1") -> tuple[bytes, object]:
    changes = diff_projects(old, new, from_label=label, to_label="draft")[0]
    opts = WriterOptions(date="2025-04-30", author="S1SR Drafting Team", baseline=old, changes=changes)
    files = write_redline_xlsx(new, opts)
    assert list(files) == [redline_name(new, changes)]
    return files[redline_name(new, changes)], changes


@pytest.fixture(scope="module")
def example() -> tuple[bytes, object, Project]:
    draft, _ = api.load(str(REPO / "content"))
    assert draft is not None
    data, changes = _redline(api.release_project(draft, "v12"), draft, "v12")
    return data, changes, draft


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _cell(wb: openpyxl.Workbook, srv: str, device: str) -> openpyxl.cell.Cell:
    devices = wb["Device Models"]
    heads = [x.value for x in devices[1]]
    col = next(r[heads.index("DMVESM column")] for r in devices.iter_rows(min_row=2, values_only=True)
               if r[heads.index("ID")] == device)
    row = next(r[0].row for r in wb["DMVESM"].iter_rows(min_row=3, max_col=1) if r[0].value == srv)
    return wb["DMVESM"][f"{col}{row}"]


def test_registered_and_named(example: tuple) -> None:
    assert WRITERS["redline-xlsx"] == "generator.writers.redline_xlsx:write_redline_xlsx"
    assert redline_name(example[2], example[1]) == "DMVESM-redline-v12-to-v13.0.xlsx"


def test_no_redline_without_changes(example: tuple) -> None:
    assert write_redline_xlsx(example[2], WriterOptions()) == {}


def test_changed_cells_are_filled_and_commented_with_the_old_value(example: tuple) -> None:
    data, changes, _ = example
    wb = _book(data)
    for m in changes.matrix:
        cell = _cell(wb, m.srv, m.device)
        assert cell.fill.fgColor.rgb in ("FFFFF2CC", "FFE2EFDA"), (m, cell.fill.fgColor.rgb)
        assert cell.comment is not None and cell.comment.author == "S1SR Drafting Team"
        if m.kind == "changed":
            assert cell.comment.text.startswith(f"v12: {', '.join(m.old_numbers)}")
            # Old and new text in the cell itself (rich text: old struck through, new underlined).
            assert cell.value == f"{', '.join(m.old_numbers)} {', '.join(m.new_numbers)}"
    # The incident: the same number, other text. The comment says so.
    restored = _cell(wb, "4.8.1", "secure-europa-g4")
    assert restored.value == "18.5q 18.5q" and "other clauses" in restored.comment.text
    rich = openpyxl.load_workbook(io.BytesIO(data), rich_text=True)["DMVESM"][restored.coordinate].value
    old, _, new = list(rich)
    assert old.font.strike and old.text == "18.5q" and new.font.u == "single" and new.text == "18.5q"


def test_the_changes_sheet_lists_every_change(example: tuple) -> None:
    data, changes, _ = example
    wb = _book(data)
    assert wb.sheetnames[:2] == ["DMVESM", CHANGES_SHEET]
    rows = list(wb[CHANGES_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(changes.clauses) + len(changes.matrix) + len(changes.entities)
    by_item = {r[1]: r for r in rows}  # clauses by number, cells by SRV and Device Model name
    assert by_item["18.5p(i)"][3:6] == ("18.5q", "18.5p(i)", "yes")
    assert by_item["18.5p(i)"][6] == "Restore the version 11 references in 18.5."
    added = changes.by_id()["tariff-honeywell-activation"].new_number
    assert by_item[added][2] == "added"
    assert by_item["SRV 6.22 × Landis+Gyr E470 5394 (single phase)"][2:5] == ("added", None, "20.5d")
    ws = wb[CHANGES_SHEET]
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Marked against"] == "version 12.0 (release v12)"
    assert about["Redline key"].startswith("old text: struck through in red")


def test_renumbered_and_new_clauses_are_marked_on_the_clauses_sheet(example: tuple) -> None:
    wb = _book(example[0])
    marked = {r[0].value: r[0].comment.text for r in wb["Clauses"].iter_rows(min_row=3, max_col=1) if r[0].comment}
    assert marked["18.5q"].startswith("v12: 18.5t (declared")
    assert marked["20.5d"] == "New clause; not in v12."


def _with_devices(p: Project) -> Project:
    return replace(p, devices=(
        DeviceModel(id="d1", manufacturer="Secure", model="M1", device_type="ESME", cohort="FOC"),
        DeviceModel(id="d2", manufacturer="Itron", model="M2", device_type="ESME", cohort="FOC")))


def _numbered(*sections) -> Project:
    p, _ = number_project(_with_devices(project(*sections)))
    return build_matrix(p)


def test_removed_cells_keep_the_old_value_struck_through_and_rows_are_marked() -> None:
    def at(srv: str, *devices: str) -> tuple[AppliesTo, ...]:
        return (AppliesTo(srvs=(srv,), devices=devices),)

    old = _numbered(c("s", c("a", applies_to=at("4.8.1", "d1", "d2")), c("b", applies_to=at("6.12", "d1"))))
    new = _numbered(c("s", c("a", applies_to=at("4.8.1", "d1")), c("b", not_used=True),
                      c("n", applies_to=at("1.1.1", "d2"))))
    data, _ = _redline(old, new)
    wb = _book(data)
    gone = _cell(wb, "4.8.1", "d2")
    assert gone.value == "1.1" and gone.font.strike and gone.comment.text.startswith("Removed. v1: 1.1")
    row_gone = next(r for r in wb["DMVESM"].iter_rows(min_row=3) if r[0].value == "6.12")
    assert row_gone[0].font.strike and "Row removed" in row_gone[0].comment.text
    assert _cell(wb, "6.12", "d1").value == "1.2" and _cell(wb, "6.12", "d1").font.strike
    row_new = next(r for r in wb["DMVESM"].iter_rows(min_row=3) if r[0].value == "1.1.1")
    assert "Row added" in row_new[0].comment.text and row_new[0].fill.fgColor.rgb == "FFE2EFDA"


def test_the_same_input_gives_the_same_bytes(example: tuple) -> None:
    data, changes, draft = example
    opts = WriterOptions(date="2025-04-30", author="S1SR Drafting Team",
                         baseline=api.release_project(draft, "v12"), changes=changes)
    assert write_redline_xlsx(draft, opts)[redline_name(draft, changes)] == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 4, 30, 0, 0, 0)}


@pytest.mark.e2e
def test_libreoffice_opens_it_with_comments(example: tuple, tmp_path: Path) -> None:
    path = tmp_path / "redline.xlsx"
    path.write_bytes(example[0])
    ods = soffice_convert(path, "ods", tmp_path)
    with zipfile.ZipFile(ods) as z:
        content = z.read("content.xml").decode("utf-8")
    comments = sum(1 for ws in _book(example[0]).worksheets for row in ws.iter_rows() for x in row if x.comment)
    assert 'table:name="Changes"' in content and content.count("<office:annotation") == comments
    assert comments >= len(example[1].matrix)


def test_reusing_the_drafts_sheets_changes_neither_workbook(example: tuple) -> None:
    """The redline marks copies of the sheets the DMVESM writer just made: the redline is the one it
    would be alone, and the DMVESM written again after it is the one written before it."""
    from generator.writers import xlsx

    data, changes, draft = example
    opts = WriterOptions(date="2025-04-30", author="S1SR Drafting Team",
                         baseline=api.release_project(draft, "v12"), changes=changes)
    before = xlsx.write_xlsx(draft, opts)
    reused = write_redline_xlsx(draft, opts)
    assert xlsx.write_xlsx(draft, opts) == before
    xlsx._LAST.clear()
    assert write_redline_xlsx(draft, opts) == reused
    assert only_value(reused) == data


def only_value(files: dict[str, bytes]) -> bytes:
    (value,) = files.values()
    return value


def test_changed_cells_are_rich_text_old_struck_new_underlined(example: tuple) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(example[0]), rich_text=True)
    m = next(m for m in example[1].matrix if m.kind == "changed")
    cell = _cell(wb, m.srv, m.device)
    old, _, new = cell.value
    assert old.text == ", ".join(m.old_numbers) and old.font.strike and old.font.color.rgb == "FFC00000"
    assert new.text == ", ".join(m.new_numbers) and new.font.u == "single" and new.font.color.rgb == "FF1F4E9F"


def test_openxml_audit_finds_only_inline_strings(example: tuple, tmp_path: Path) -> None:
    from tests.support import require_module
    from tests.writers.test_xlsx import _AUDIT_ACCEPTED

    audit = require_module("openxml_audit", "openxml-audit")
    path = tmp_path / "redline.xlsx"
    path.write_bytes(example[0])
    errors = audit.OpenXmlValidator(max_errors=0).validate(path).errors
    assert [e.description for e in errors if not any(rx.search(e.description) for rx in _AUDIT_ACCEPTED)] == []
