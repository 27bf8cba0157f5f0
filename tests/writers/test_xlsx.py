"""The DMVESM workbook: layout, text-only cells, reproducible bytes, LibreOffice, scale."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from generator.app import api
from generator.model import (
    Clause,
    DeviceGroup,
    DeviceModel,
    Document,
    MatrixCell,
    Project,
    Srv,
    walk,
)
from generator.writers import WRITERS, get_writer
from generator.writers.options import WriterOptions
from generator.writers.xlsx import clause_url, workbook_name, write_xlsx
from tests.factories import S1SR_SCHEME
from tests.support import CONTENT, REPO, require_module, soffice_convert

OPTIONS = WriterOptions(date="2025-04-30", author="S1SR Drafting Team", source_hash="sha256:abc123")


def small_project() -> Project:
    """Two ESME makers (one listed out of group order), a GSME, nested groups, tricky text."""
    section = Clause(id="s18", heading="Profiles", number="18", children=(
        Clause(id="c185", heading="Profile data", number="18.5", children=(
            Clause(id="p", raw_text="Half-hourly profile data is read as follows.", number="18.5p", children=(
                Clause(id="pi", raw_text="the first item", number="18.5p(i)"),
            )),
            Clause(id="q", raw_text="=SUM(A1) stays text", number="18.5q"),
        )),
    ))
    return Project(
        root="content",
        document=Document(id="s1sr", title="SMETS1 Supporting Requirements", short_title="S1SR",
                          appendix="SEC Appendix AM", status="draft", version="13.0", date="2025-04-30",
                          scheme=S1SR_SCHEME, sections=(section,)),
        devices=(
            DeviceModel(id="sec-l100", manufacturer="Secure", model="Liberty 100", device_type="ESME", cohort="FOC"),
            DeviceModel(id="lg-e470", manufacturer="Landis+Gyr", model="E470", device_type="ESME", cohort="FOC",
                        firmware="=cmd|' /C calc'!A0"),
            DeviceModel(id="sec-g4", manufacturer="Secure", model="Europa G4", device_type="GSME", cohort="FOC"),
            DeviceModel(id="sec-l110", manufacturer="Secure", model="#N/A", device_type="ESME", cohort="IOC"),
        ),
        groups=(
            DeviceGroup(id="secure-esme", name="Secure ESME", members=("sec-l100", "sec-l110")),
            DeviceGroup(id="all-secure", name="All Secure", members=("secure-esme", "sec-g4")),
        ),
        srvs=(Srv(number="1.1.1", name="Update Import Tariff (Primary Element)"),
              Srv(number="4.8.1", name="Read Active Import Profile Data"),
              Srv(number="6.12", name="=1+1")),
        matrix=(
            MatrixCell(srv="4.8.1", device="sec-l100", clauses=("p", "pi")),
            MatrixCell(srv="4.8.1", device="lg-e470", clauses=("q",)),
            MatrixCell(srv="6.12", device="sec-g4", clauses=("q",)),
            MatrixCell(srv="6.12", device="sec-l110", clauses=("pi",)),
        ),
    )


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet(wb: openpyxl.Workbook, name: str) -> Worksheet:
    ws = wb[name]
    assert isinstance(ws, Worksheet)
    return ws


def only(files: dict[str, bytes]) -> bytes:
    assert len(files) == 1
    return next(iter(files.values()))


def values(ws: Worksheet) -> list[list[str | None]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


# -- registry and name ------------------------------------------------------------------------
def test_registered_and_named_by_version() -> None:
    assert WRITERS["xlsx"] == "generator.writers.xlsx:write_xlsx"
    assert get_writer("xlsx") is write_xlsx
    assert list(write_xlsx(small_project(), OPTIONS)) == ["DMVESM-v13.0.xlsx"]
    assert workbook_name(small_project()) == "DMVESM-v13.0.xlsx"


# -- the DMVESM sheet ---------------------------------------------------------------------------
def test_matrix_sheet_rows_columns_and_numbers() -> None:
    wb = workbook(only(write_xlsx(small_project(), OPTIONS)))
    assert wb.sheetnames == ["DMVESM", "Clauses", "Device Models", "About"]
    ws = sheet(wb, "DMVESM")
    rows = values(ws)
    # Grouped by type, then manufacturer: Secure's second ESME joins its first.
    assert rows[0] == ["SRV", "SRV name", "ESME — Secure", None, "ESME — Landis+Gyr", "GSME — Secure"]
    assert rows[1] == [None, None, "Liberty 100", "#N/A", "E470", "Europa G4"]
    # Only SRVs with a variation, in SRV list order; numbers joined by ", "; "–" where no
    # variation applies (N/A where the SRV does not apply to the Device Model).
    assert rows[2] == ["4.8.1", "Read Active Import Profile Data", "18.5p, 18.5p(i)", "–", "18.5q", "–"]
    assert rows[3] == ["6.12", "=1+1", "–", "18.5p(i)", "–", "18.5q"]
    assert len(rows) == 4
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:A2", "B1:B2", "C1:D1"}


def test_matrix_sheet_is_set_up_for_screen_and_print() -> None:
    ws = sheet(workbook(only(write_xlsx(small_project(), OPTIONS))), "DMVESM")
    assert ws.freeze_panes == "C3"
    assert ws.auto_filter.ref == "A2:F4"
    assert ws.print_title_rows == "$1:$2" and ws.print_title_cols == "$A:$B"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A3)
    # A fixed scale, never fit-to-page: 11 pt prints at 8.8 pt over as many pages as needed.
    assert int(ws.page_setup.scale) * 11 / 100 >= 8
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert "no variation" in ws.oddFooter.center.text and "N/A" in ws.oddFooter.center.text
    assert ws["C3"].alignment.wrap_text
    assert 10 <= ws.column_dimensions["C"].width <= 24
    assert ws.column_dimensions["B"].width >= 20


def test_an_empty_matrix_still_has_its_headers() -> None:
    p = replace(small_project(), matrix=())
    ws = sheet(workbook(only(write_xlsx(p, OPTIONS))), "DMVESM")
    assert ws.max_row == 2
    assert ws["C2"].value == "Liberty 100"


# -- text is text -------------------------------------------------------------------------------
def test_text_that_looks_like_a_formula_or_an_error_stays_text() -> None:
    data = only(write_xlsx(small_project(), OPTIONS))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name
                assert b't="e"' not in zf.read(name), name
    wb = workbook(data)
    srv_name = sheet(wb, "DMVESM")["B4"]
    assert (srv_name.value, srv_name.data_type) == ("=1+1", "s")
    assert srv_name.quotePrefix  # stays text when edited in Excel
    model = sheet(wb, "DMVESM")["D2"]
    assert (model.value, model.data_type) == ("#N/A", "s")
    firmware = sheet(wb, "Device Models")["F4"]
    assert (firmware.value, firmware.data_type) == ("=cmd|' /C calc'!A0", "s")


def test_control_characters_cannot_break_the_workbook() -> None:
    p = small_project()
    p = replace(p, srvs=(*p.srvs[:2], Srv(number="6.12", name="bell\x07 and form feed\x0c")))
    ws = sheet(workbook(only(write_xlsx(p, OPTIONS))), "DMVESM")
    assert ws["B4"].value == "bell\ufffd and form feed\ufffd"


# -- the other sheets ---------------------------------------------------------------------------
def test_clauses_sheet_marks_each_clause_by_device_model() -> None:
    ws = sheet(workbook(only(write_xlsx(small_project(), OPTIONS))), "Clauses")
    rows = values(ws)
    assert rows[0][:4] == ["Clause", "Heading or text", "SRVs", "ESME — Secure"]
    assert rows[1][3:] == ["Liberty 100", "#N/A", "E470", "Europa G4"]
    assert rows[2] == ["18.5p", "Half-hourly profile data is read as follows.", "4.8.1", "✓", None, None, None]
    assert rows[3] == ["18.5p(i)", "the first item", "4.8.1, 6.12", "✓", "✓", None, None]
    assert rows[4] == ["18.5q", "=SUM(A1) stays text", "4.8.1, 6.12", None, None, "✓", "✓"]
    assert ws.freeze_panes == "D3"
    assert all(ws.cell(row=r, column=1).hyperlink is None for r in range(3, 6))


def test_clause_numbers_link_to_the_site_only_when_it_is_set() -> None:
    opts = replace(OPTIONS, site_url="https://example.org/s1sr-site/")
    ws = sheet(workbook(only(write_xlsx(small_project(), opts))), "Clauses")
    assert ws["A3"].hyperlink.target == "https://example.org/s1sr-site/s1sr/clauses.html#c-p"
    assert ws["A4"].hyperlink.target == "https://example.org/s1sr-site/s1sr/clauses.html#c-pi"


def test_clause_url() -> None:
    c = Clause(id="hh-profile:a b", number="18.5p")
    assert clause_url("", c) == ""
    assert clause_url("https://x.org", c) == "https://x.org/s1sr/clauses.html#c-hh-profile:a%20b"


def test_device_models_sheet_is_the_registry_with_groups_and_columns() -> None:
    rows = values(sheet(workbook(only(write_xlsx(small_project(), OPTIONS))), "Device Models"))
    assert rows[0] == ["ID", "Manufacturer", "Model", "Type", "Cohort", "Firmware", "Groups", "DMVESM column"]
    assert rows[1] == ["sec-l100", "Secure", "Liberty 100", "ESME", "FOC", None, "Secure ESME\nAll Secure", "C"]
    assert rows[2] == ["sec-l110", "Secure", "#N/A", "ESME", "IOC", None, "Secure ESME\nAll Secure", "D"]
    assert rows[4] == ["sec-g4", "Secure", "Europa G4", "GSME", "FOC", None, "All Secure", "F"]


def test_about_sheet() -> None:
    about = dict(values(sheet(workbook(only(write_xlsx(small_project(), OPTIONS))), "About"))[1:])
    assert about["Document"] == "SMETS1 Supporting Requirements"
    assert about["Version"] == "13.0"
    assert about["Status"] == "draft"
    assert about["Date"] == "2025-04-30"
    assert about["Content hash"] == "sha256:abc123"


# -- reproducible bytes ---------------------------------------------------------------------------
def test_two_writes_give_identical_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    first = only(write_xlsx(small_project(), OPTIONS))
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 400)  # a year later, same bytes
    monkeypatch.setattr(time, "localtime", lambda *a: time.gmtime(real() + 86400 * 400))
    assert only(write_xlsx(small_project(), OPTIONS)) == first


def test_same_bytes_in_fresh_processes_with_different_hash_seeds() -> None:
    code = ("import hashlib; from tests.writers.test_xlsx import small_project, OPTIONS, only; "
            "from generator.writers.xlsx import write_xlsx; "
            "print(hashlib.sha256(only(write_xlsx(small_project(), OPTIONS))).hexdigest())")
    digests = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }
    assert digests == {hashlib.sha256(only(write_xlsx(small_project(), OPTIONS))).hexdigest()}


def test_zip_entries_are_fixed_and_dated_from_the_options() -> None:
    data = only(write_xlsx(small_project(), OPTIONS))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos[:2]] == ["[Content_Types].xml", "_rels/.rels"]
        assert {i.date_time for i in infos} == {(2025, 4, 30, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert {i.create_system for i in infos} == {3}
        core = zf.read("docProps/core.xml").decode()
    assert "2025-04-30T00:00:00Z" in core
    assert "<dc:creator" in core and "S1SR Drafting Team" in core
    wb = workbook(data)
    assert wb.properties.created.isoformat() == wb.properties.modified.isoformat() == "2025-04-30T00:00:00"


def test_the_date_changes_the_bytes_and_nothing_else_does() -> None:
    a = only(write_xlsx(small_project(), OPTIONS))
    b = only(write_xlsx(small_project(), replace(OPTIONS, date="2025-05-01")))
    assert a != b


# -- the example --------------------------------------------------------------------------------
def example() -> Project:
    project, diags = api.load(str(CONTENT))
    assert project is not None, diags
    return project


def expected_rows(project: Project) -> dict[str, dict[str, str]]:
    numbers = {c.id: c.number for c in walk(project.document.sections)}
    out: dict[str, dict[str, str]] = {}
    for m in project.matrix:
        out.setdefault(m.srv, {})[m.device] = ", ".join(numbers[c] for c in m.clauses)
    return out


def test_example_workbook_cites_every_matrix_cell() -> None:
    project = example()
    ws = sheet(workbook(only(api.render(project, only=("xlsx",)))), "DMVESM")
    column = {ws.cell(row=2, column=c).value: c for c in range(3, ws.max_column + 1)}
    by_model = {d.id: column[d.model] for d in project.devices}
    rows = {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}
    for srv, cells in expected_rows(project).items():
        for device, text in cells.items():
            assert ws.cell(row=rows[srv], column=by_model[device]).value == text


# -- LibreOffice --------------------------------------------------------------------------------
@pytest.mark.e2e
def test_libreoffice_reads_the_matrix_as_text(tmp_path: Path) -> None:
    project = example()
    path = tmp_path / workbook_name(project)
    path.write_bytes(only(api.render(project, only=("xlsx",))))
    # Sheet 1 (the DMVESM), UTF-8, comma-separated, every cell quoted as text.
    out = soffice_convert(path, "csv:Text - txt - csv (StarCalc)", tmp_path, filter_options="44,34,76,1")
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:2] == ["SRV", "SRV name"]
    models = rows[1]
    by_srv = {r[0]: r for r in rows[2:]}
    expected = expected_rows(project)
    assert set(by_srv) == set(expected) | {s for d in project.devices for s in d.not_applicable}
    for d in project.devices:
        col = models.index(d.model)
        for srv, cells in expected.items():
            assert by_srv[srv][col] == cells.get(d.id, "N/A" if srv in d.not_applicable else "–"), (srv, d.id)


@pytest.mark.e2e
def test_libreoffice_does_not_evaluate_text_that_looks_like_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "DMVESM-v13.0.xlsx"
    path.write_bytes(only(write_xlsx(small_project(), OPTIONS)))
    out = soffice_convert(path, "csv:Text - txt - csv (StarCalc)", tmp_path, filter_options="44,34,76,1")
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[3][:2] == ["6.12", "=1+1"]
    assert rows[1][3] == "#N/A"


# -- openxml-audit ----------------------------------------------------------------------------------
# What openxml-audit reports on our workbooks, and why it is acceptable.
_AUDIT_ACCEPTED = (
    # Strings are stored inline (valid ECMA-376, as openpyxl stored them); Excel moves them to a
    # shared-string table when it next saves. Nothing is lost or misread.
    re.compile(r"inline-string cell\(s\) .* no populated `xl/sharedStrings.xml`"),
)


def test_openxml_audit_finds_only_inline_strings(tmp_path: Path) -> None:
    audit = require_module("openxml_audit", "openxml-audit")
    path = tmp_path / "DMVESM-v13.0.xlsx"
    path.write_bytes(only(write_xlsx(small_project(), replace(OPTIONS, site_url="https://example.org"))))
    errors = audit.OpenXmlValidator(max_errors=0).validate(path).errors
    unexpected = [e.description for e in errors if not any(rx.search(e.description) for rx in _AUDIT_ACCEPTED)]
    assert unexpected == []


def test_not_applicable_cells_say_so() -> None:
    p = small_project()
    gas = next(d for d in p.devices if d.model == "Europa G4")
    p = replace(p, devices=tuple(replace(d, not_applicable=("4.8.1",)) if d is gas else d for d in p.devices))
    ws = sheet(workbook(only(write_xlsx(p, OPTIONS))), "DMVESM")
    assert values(ws)[2][-1] == "N/A" and values(ws)[3][-1] == "18.5q"  # a cited clause wins


def test_an_srv_that_is_only_not_applicable_still_has_its_row() -> None:
    """The Device Models say a gas meter does not do 1.1.1; no clause varies it: the row shows the N/A."""
    p = small_project()
    p = replace(p, devices=tuple(replace(d, not_applicable=("1.1.1",)) if d.model == "Europa G4" else d
                                 for d in p.devices))
    rows = values(sheet(workbook(only(write_xlsx(p, OPTIONS))), "DMVESM"))
    header = rows[1]
    first = rows[2]
    assert first[:2] == ["1.1.1", "Update Import Tariff (Primary Element)"]
    assert first[header.index("Europa G4")] == "N/A"
    assert {first[header.index(m)] for m in ("Liberty 100", "E470", "#N/A")} == {"–"}
    assert [r[0] for r in rows[2:]] == ["1.1.1", "4.8.1", "6.12"]  # SRV list order


def test_the_notes_behind_a_cell_travel_as_its_comment() -> None:
    """A note on an applies_to entry reaches the reader of the workbook as a comment on the cell; the
    cell's own text stays the bare clause list that the check reads."""
    p = small_project()
    noted = "Firmware 2.1 and later only"
    p = replace(p, matrix=tuple(replace(m, note=noted) if m.device == "lg-e470" else m for m in p.matrix))
    data = only(write_xlsx(p, OPTIONS))
    ws = sheet(workbook(data), "DMVESM")
    commented = {(ws.cell(row=2, column=c.column).value, ws.cell(row=c.row, column=1).value, c.value, c.comment.text)
                 for row in ws.iter_rows() for c in row if c.comment}
    assert commented == {("E470", "4.8.1", "18.5q", noted)}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # in the package itself, not only as openpyxl sees it
        comments = [n for n in zf.namelist() if "comments" in n]
        assert comments and noted.encode() in zf.read(comments[0])
    assert data == only(write_xlsx(p, OPTIONS))


def test_clauses_sheet_shows_whole_texts() -> None:
    project = example()
    ws = sheet(workbook(only(write_xlsx(project, OPTIONS))), "Clauses")
    rows = values(ws)[2:]
    at, longest = max(enumerate(str(r[1]) for r in rows), key=lambda x: len(x[1]))
    assert len(longest) > 300 and not longest.endswith("…")
    assert ws["B3"].alignment.wrap_text
    assert ws.row_dimensions[at + 3].height >= 15 * 5  # tall enough for the wrapped lines
