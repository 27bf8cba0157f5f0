"""DMVESM workbooks read back: ours (round trip), hand-kept variations, and hostile files."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from generator.app import api
from generator.diagnostics import Diagnostic, exit_status
from generator.model import Clause, DeviceModel, Document, MatrixCell, Project, Srv, walk
from generator.model.devices import COHORTS, DEVICE_TYPES
from generator.ooxml import guard
from generator.ooxml.guard import Limits
from generator.readers import xlsx as reader
from generator.readers.xlsx import WorkbookMatrix, normalise_references, read_cell, read_xlsx
from generator.writers.options import WriterOptions
from generator.writers.xlsx import write_xlsx
from tests.factories import S1SR_SCHEME
from tests.support import CONTENT, REPO, soffice_convert

OPTIONS = WriterOptions(date="2025-04-30")


def written(project: Project, tmp_path: Path, name: str = "DMVESM-v13.0.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(next(iter(write_xlsx(project, OPTIONS).values())))
    return path


def expected(project: Project) -> dict[tuple[str, str], tuple[str, ...]]:
    numbers = {c.id: c.number for c in walk(project.document.sections)}
    return {(m.srv, m.device): tuple(numbers[c] for c in m.clauses) for m in project.matrix}


def read_ok(path: Path) -> WorkbookMatrix:
    matrix, diags = read_xlsx(path)
    assert diags == []
    assert matrix is not None
    return matrix


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def where(d: Diagnostic) -> str:
    return f"{d.location.sheet}!{d.location.cell}"


# -- references -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "numbers"), [
    ("18.5p(i)", ("18.5p(i)",)),
    ("18.5p (i)", ("18.5p(i)",)),
    ("18.5p ( i )", ("18.5p(i)",)),
    ("Clause 18.5q", ("18.5q",)),
    ("clauses 18.5q", ("18.5q",)),
    ("S1SR 18.5q", ("18.5q",)),
    ("S1SR clause 18.5q.", ("18.5q",)),
    ("18.5A", ("18.5A",)),
    ("18.5pa, 18.5p(ia)", ("18.5pa", "18.5p(ia)")),
    ("18.5p, 18.5q; 18.5r and 18.5s\n18.5t\r\n18.5u", ("18.5p", "18.5q", "18.5r", "18.5s", "18.5t", "18.5u")),
    ("18.5p(i) and (ii)", ("18.5p(i)", "18.5p(ii)")),
    ("18.5p(i), (ii), (iii)", ("18.5p(i)", "18.5p(ii)", "18.5p(iii)")),
    ("18.5p, 18.5p", ("18.5p",)),
    ("-", ()), ("–", ()), ("N/A", ()), ("n/a", ()), ("", ()), ("  ", ()), ("None", ()),
])
def test_references_are_normalised(text: str, numbers: tuple[str, ...]) -> None:
    assert normalise_references(text) == (numbers, ())


@pytest.mark.parametrize("text", ["see above", "18.5s to 18.5p", "18.5p-18.5q(ii)", "18.5p?", "(ii)", "TBC",
                                  "18.5 p", "not 18.5p", "18.5p (was 18.5q)", "18.5A-C", "18.5a to 18.6c",
                                  "18.5p except Secure", "Liberty 100"])
def test_what_is_not_a_reference_is_returned_not_guessed(text: str) -> None:
    assert normalise_references(text) == ((), (text,))


@pytest.mark.parametrize(("text", "numbers"), [
    ("18.5p(i)–(iii)", ("18.5p(i)", "18.5p(ii)", "18.5p(iii)")),
    ("18.5p(i) to (iii)", ("18.5p(i)", "18.5p(ii)", "18.5p(iii)")),
    ("18.5p (i)-(iii)", ("18.5p(i)", "18.5p(ii)", "18.5p(iii)")),
    ("18.5p(i)-18.5p(iii)", ("18.5p(i)", "18.5p(ii)", "18.5p(iii)")),
    ("18.5a to 18.5c", ("18.5a", "18.5b", "18.5c")),
    ("18.5a-c", ("18.5a", "18.5b", "18.5c")),
    ("18.5a – c", ("18.5a", "18.5b", "18.5c")),
    ("18.5y-aa", ("18.5y", "18.5z", "18.5aa")),
    ("18.1 to 18.4", ("18.1", "18.2", "18.3", "18.4")),
    ("Clauses 18.5a-c and 18.6", ("18.5a", "18.5b", "18.5c", "18.6")),
    ("18.5p(iv and v)", ("18.5p(iv)", "18.5p(v)")),
    ("18.5p(i, iii)", ("18.5p(i)", "18.5p(iii)")),
    ("18.5p(ii) to (iv), 18.5q", ("18.5p(ii)", "18.5p(iii)", "18.5p(iv)", "18.5q")),
])
def test_ranges_are_expanded(text: str, numbers: tuple[str, ...]) -> None:
    assert normalise_references(text) == (numbers, ())


@pytest.mark.parametrize(("text", "numbers", "note"), [
    ("see 18.5p", ("18.5p",), "see"),
    ("18.5p (firmware 2.1 and later)", ("18.5p",), "firmware 2.1 and later"),
    ("18.5p for firmware 2.1 and later", ("18.5p",), "for firmware 2.1 and later"),
    ("18.5q (half-hourly)", ("18.5q",), "half-hourly"),
    ("refer to S1SR clause 18.5p(ii)", ("18.5p(ii)",), "refer to"),
    ("18.5a-c (all firmware)", ("18.5a", "18.5b", "18.5c"), "all firmware"),
])
def test_a_number_among_words_is_read_with_the_words_kept(text: str, numbers: tuple[str, ...], note: str) -> None:
    reading = read_cell(text)
    assert (reading.numbers, reading.note, reading.bad, reading.not_applicable) == (numbers, note, (), False)
    assert reading.worded == ((text, ", ".join(numbers)),)


@pytest.mark.parametrize(("text", "state", "note"), [
    ("", "none", ""), ("-", "none", ""), ("–", "none", ""), ("None", "none", ""), ("none.", "none", ""),
    ("No variation", "none", ""),
    ("N/A", "n/a", ""), ("n/a", "n/a", ""), ("NA", "n/a", ""), ("Not applicable", "n/a", ""),
    ("Not supported", "n/a", ""), ("NS", "n/a", ""), ("ns", "n/a", ""), ("Unsupported", "n/a", ""),
    ("N/A - no HAN interface", "n/a", "no HAN interface"), ("Not supported (firmware 1.x)", "n/a", "firmware 1.x"),
    ("18.5p", "cites", ""), ("18.5p; N/A before firmware 2.1", "cites", "N/A before firmware 2.1"),
])
def test_three_cell_states(text: str, state: str, note: str) -> None:
    reading = read_cell(text)
    got = "cites" if reading.numbers else "n/a" if reading.not_applicable else "none"
    assert (got, reading.note, reading.bad) == (state, note, ())


def test_good_parts_are_kept_beside_a_bad_one() -> None:
    assert normalise_references("18.5p, see note") == (("18.5p",), ("see note",))


# -- round trip ----------------------------------------------------------------------------------
def test_example_round_trip(tmp_path: Path) -> None:
    project, diags = api.load(str(CONTENT))
    assert project is not None, diags
    path = tmp_path / "DMVESM-v13.0.xlsx"
    path.write_bytes(api.render(project, only=("xlsx",))["DMVESM-v13.0.xlsx"])
    matrix = read_ok(path)
    assert matrix.sheet == "DMVESM"
    assert matrix.by_device_id() == expected(project)
    assert {d.device_id for d in matrix.devices} == {d.id for d in project.devices}
    names = {s.number: s.name for s in project.srvs}
    assert all(row.name == names[row.srv] for row in matrix.srvs)
    first = next(c for c in matrix.cells)
    assert (first.sheet, first.cell_ref[1:]) == ("DMVESM", "3")


def test_without_the_registry_sheet_devices_read_by_their_headers(tmp_path: Path) -> None:
    project, _ = api.load(str(CONTENT))
    assert project is not None
    wb = openpyxl.load_workbook(written(project, tmp_path))
    del wb["Device Models"]
    path = tmp_path / "hand.xlsx"
    wb.save(path)
    matrix, diags = read_xlsx(path)
    assert matrix is not None
    assert codes(diags) == ["XLSX143"]  # without the registry, the N/A cells are listed as read
    assert all(d.device_id == "" for d in matrix.devices)
    label = {d.id: f"{d.manufacturer} {d.model} ({d.device_type})" for d in project.devices}
    assert matrix.by_label() == {(s, label[d]): n for (s, d), n in expected(project).items()}
    # the workbook has a row for each SRV with a variation or an N/A, so every N/A is read
    assert {(c.srv, c.device_label) for c in matrix.not_applicable} == {
        (s, label[d.id]) for d in project.devices for s in d.not_applicable}


_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")), min_size=1, max_size=12,
).filter(lambda s: s.strip() != "")
_TRICKY = st.sampled_from(["=1+1", "#N/A", "Notes", "SRV", "Name", "Landis+Gyr", "Honeywell/Elster", "L&G",
                           "ESME", "-", "18.5p", "  spaced  out  "])


@st.composite
def projects(draw: st.DrawFn) -> Project:
    n_dev = draw(st.integers(0, 6))
    devices = tuple(
        DeviceModel(id=f"dev-{i}", manufacturer=draw(_WORDS | _TRICKY | st.just("")), model=draw(_WORDS | _TRICKY),
                    device_type=draw(st.sampled_from(DEVICE_TYPES)), cohort=draw(st.sampled_from(COHORTS)))
        for i in range(n_dev))
    srv_numbers = draw(st.lists(st.lists(st.integers(1, 19), min_size=2, max_size=3).map(
        lambda t: ".".join(map(str, t))), unique=True, max_size=6))
    srvs = tuple(Srv(number=s, name=draw(_WORDS | _TRICKY)) for s in srv_numbers)
    numbers = draw(st.lists(st.builds(
        lambda a, b, letters, item: f"{a}.{b}{letters}{f'({item})' if item else ''}",
        st.integers(1, 30), st.integers(1, 12), st.sampled_from(["", "a", "p", "pa", "A", "zz"]),
        st.sampled_from(["", "i", "ii", "ia", "iv"])), unique=True, min_size=1, max_size=8))
    clauses = tuple(Clause(id=f"c{i}", number=n, raw_text=f"text {i}") for i, n in enumerate(numbers))
    cells = []
    for s in srvs:
        for d in devices:
            if draw(st.booleans()):
                ids = draw(st.lists(st.sampled_from([c.id for c in clauses]), min_size=1, max_size=3, unique=True))
                cells.append(MatrixCell(srv=s.number, device=d.id, clauses=tuple(ids)))
    doc = Document(id="s1sr", title="T", short_title="S1SR", version="1.0", scheme=S1SR_SCHEME,
                   sections=(Clause(id="root", number="1", children=clauses),))
    return Project(root="content", document=doc, devices=devices, srvs=srvs, matrix=tuple(cells))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(project=projects())
def test_random_matrices_round_trip(project: Project, tmp_path: Path) -> None:
    matrix = read_ok(written(project, tmp_path))
    assert matrix.by_device_id() == expected(project)
    squash = " ".join
    found = {d.device_id: d for d in matrix.devices}
    for d in project.devices:
        got = found[d.id]
        assert (got.device_type, got.manufacturer, got.model) == (
            d.device_type, squash(d.manufacturer.split()), squash(d.model.split()))
    names = {s.number: squash(s.name.split()) for s in project.srvs}
    assert {(r.srv, r.name) for r in matrix.srvs} == {(s, names[s]) for s in {m.srv for m in project.matrix}}


# -- hand-kept workbooks -------------------------------------------------------------------------------
def save(wb: openpyxl.Workbook, tmp_path: Path, name: str = "hand.xlsx") -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


def new_sheet(title: str = "Annex A") -> tuple[openpyxl.Workbook, Worksheet]:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = title
    return wb, ws


def test_a_hand_kept_workbook_with_titles_notes_merges_and_blank_rows(tmp_path: Path) -> None:
    wb, ws = new_sheet()
    ws["A1"] = "Annex A - Device Model Variations to Equivalent Steps Matrix (version 12)"
    ws.merge_cells("A1:H1")
    ws["A2"] = "Last updated 12 March 2024"
    ws["C4"] = "Secure ESME"
    ws.merge_cells("C4:D4")
    ws["E4"] = "ESME: L&G"
    ws["F4"] = "GSME – Flonidan"
    for col, head in zip("ABCDEFGH", ["SRV No.", "Service name", "Liberty 100", "Liberty 110", "E470",
                                       "Uniflo G4SZV", "Notes", "Firmware"], strict=True):
        ws[f"{col}5"] = head
    ws["A7"] = "Section 4: reads"
    ws.append([])
    for col, value in zip("ABCDEFGH", ["SRV 4.8.1", "Read Active Import Profile Data", "18.5p(i)", "18.5p (i)",
                                        "Clause 18.5q", "S1SR 18.5q", "see the note on 18.5 and all that", "1.2.3"],
                          strict=True):
        ws[f"{col}8"] = value
    ws["A9"], ws["C9"], ws["D9"], ws["E9"] = "4.8.2", "18.5p, 18.5q; 18.5r and 18.5s\n18.5t", "-", "N/A"
    ws["A11"], ws["C11"], ws["E11"], ws["F11"] = "6.12", "7.4a", "18.5p(i) and (ii)", " n/a "
    ws.merge_cells("C11:D11")
    ws["A13"] = "Key: '-' means the Device Model follows GBCS for this SRV"
    matrix, diags = read_xlsx(save(wb, tmp_path))
    assert matrix is not None
    assert codes(diags) == ["XLSX143"]  # the two N/A cells, listed
    assert {(c.srv, c.device_label, c.cell_ref) for c in matrix.not_applicable} == {
        ("4.8.2", "L&G E470 (ESME)", "E9"), ("6.12", "Flonidan Uniflo G4SZV (GSME)", "F11")}
    assert matrix.sheet == "Annex A"
    assert [(d.column, d.label) for d in matrix.devices] == [
        ("C", "Secure Liberty 100 (ESME)"), ("D", "Secure Liberty 110 (ESME)"), ("E", "L&G E470 (ESME)"),
        ("F", "Flonidan Uniflo G4SZV (GSME)")]
    assert matrix.by_label() == {
        ("4.8.1", "Secure Liberty 100 (ESME)"): ("18.5p(i)",),
        ("4.8.1", "Secure Liberty 110 (ESME)"): ("18.5p(i)",),
        ("4.8.1", "L&G E470 (ESME)"): ("18.5q",),
        ("4.8.1", "Flonidan Uniflo G4SZV (GSME)"): ("18.5q",),
        ("4.8.2", "Secure Liberty 100 (ESME)"): ("18.5p", "18.5q", "18.5r", "18.5s", "18.5t"),
        ("6.12", "Secure Liberty 100 (ESME)"): ("7.4a",),
        ("6.12", "Secure Liberty 110 (ESME)"): ("7.4a",),
        ("6.12", "L&G E470 (ESME)"): ("18.5p(i)", "18.5p(ii)"),
    }
    assert [(r.srv, r.name, r.row) for r in matrix.srvs] == [
        ("4.8.1", "Read Active Import Profile Data", 8), ("4.8.2", "", 9), ("6.12", "", 11)]
    assert {c.cell_ref for c in matrix.cells if c.srv == "6.12"} == {"C11", "D11", "E11"}


def test_a_title_merged_right_above_the_header_is_not_a_group(tmp_path: Path) -> None:
    wb, ws = new_sheet("Matrix")
    ws["A1"] = "DMVESM v12"
    ws.merge_cells("A1:E1")
    ws.append(["", "", "ESME", "ESME", "GSME"])
    ws.append(["SRV", "SRV name", "Liberty 100", "E470", "G4"])
    ws.append(["4.8.1", "Read", "18.5p", "", "18.6"])
    matrix = read_ok(save(wb, tmp_path))
    assert [(d.device_type, d.manufacturer, d.model) for d in matrix.devices] == [
        ("ESME", "", "Liberty 100"), ("ESME", "", "E470"), ("GSME", "", "G4")]


def test_type_and_manufacturer_on_two_header_rows(tmp_path: Path) -> None:
    wb, ws = new_sheet()
    ws.append(["", "", "ESME", None, None, "GSME"])
    ws.merge_cells("C1:E1")
    ws.append(["", "", "Secure", None, "Landis+Gyr", "Flonidan"])
    ws.merge_cells("C2:D2")
    ws.append(["SRV", "", "Liberty 100", "Liberty 110", "E470", "G4SZV"])
    ws.append(["4.8.1", "", "18.5p", "18.5q", "18.5r", "18.5s"])
    matrix = read_ok(save(wb, tmp_path))
    assert [d.label for d in matrix.devices] == [
        "Secure Liberty 100 (ESME)", "Secure Liberty 110 (ESME)", "Landis+Gyr E470 (ESME)",
        "Flonidan G4SZV (GSME)"]


def test_srv_header_on_the_group_row_with_models_below(tmp_path: Path) -> None:
    wb, ws = new_sheet()
    ws.append(["SRV", "Name", "ESME — Secure", None])
    ws.merge_cells("C1:D1")
    ws.append([None, None, "Liberty 100", "Liberty 110"])
    ws.append(["4.8.1", "Read", "18.5p", "18.5q"])
    matrix = read_ok(save(wb, tmp_path))
    assert matrix.by_label() == {("4.8.1", "Secure Liberty 100 (ESME)"): ("18.5p",),
                                 ("4.8.1", "Secure Liberty 110 (ESME)"): ("18.5q",)}


# -- any layout a team keeps ------------------------------------------------------------------------------
DUIS = {"4.8.1": "Read Active Import Profile Data", "4.8.2": "Read Active Export Profile Data",
        "6.8": "Update Device Configuration (Billing Calendar)", "6.12": "Update Device Configuration (Instantaneous "
        "Power Threshold)", "11.1": "Update Firmware"}


def test_name_and_notes_columns_and_the_three_cell_states(tmp_path: Path) -> None:
    """The layout that gave 19 errors on a clean pair: 'SRV | Service Request Name | Notes | devices'."""
    wb, ws = new_sheet("DMVESM")
    ws.append(["SRV", "Service Request Name", "Notes", "Secure Liberty 100", "L&G E470", "EDMI Atlas"])
    ws.append(["4.8.1", DUIS["4.8.1"], "Half-hourly data", "18.5p(i)", "-", "Not supported"])
    ws.append(["6.8", DUIS["6.8"], "", "N/A", "None", "18.6"])
    ws.append(["11.1", DUIS["11.1"], "See the firmware annex", "", "NS", "18.7a-c"])
    matrix, diags = read_xlsx(save(wb, tmp_path))
    assert matrix is not None
    assert codes(diags) == ["XLSX143"]
    assert [d.model for d in matrix.devices] == ["Secure Liberty 100", "L&G E470", "EDMI Atlas"]
    assert [(r.srv, r.name, r.note) for r in matrix.srvs] == [
        ("4.8.1", DUIS["4.8.1"], "Half-hourly data"), ("6.8", DUIS["6.8"], ""), ("11.1", DUIS["11.1"],
                                                                                 "See the firmware annex")]
    assert matrix.by_label() == {("4.8.1", "Secure Liberty 100"): ("18.5p(i)",), ("6.8", "EDMI Atlas"): ("18.6",),
                                 ("11.1", "EDMI Atlas"): ("18.7a", "18.7b", "18.7c")}
    assert {(c.srv, c.device_label) for c in matrix.not_applicable} == {
        ("4.8.1", "EDMI Atlas"), ("6.8", "Secure Liberty 100"), ("11.1", "L&G E470")}
    assert "3 cells say that the SRV does not apply" in diags[0].message


def test_the_name_column_is_told_by_the_duis_names(tmp_path: Path) -> None:
    wb, ws = new_sheet("DMVESM")
    ws.append(["SRV", "What it does", "Liberty 100"])
    ws.append(["4.8.1", "Read active import profile data", "18.5p"])
    ws.append(["4.8.2", DUIS["4.8.2"], "18.5q"])
    ws.append(["6.8", "Update device configuration (billing calendar)", "-"])
    path = save(wb, tmp_path)
    matrix, diags = read_xlsx(path, srv_names=DUIS)
    assert matrix is not None and diags == []
    assert [d.model for d in matrix.devices] == ["Liberty 100"]
    assert matrix.srvs[1].name == DUIS["4.8.2"]
    # Without the SRV list the column is words, not references: read as notes, said once.
    matrix, diags = read_xlsx(path)
    assert matrix is not None
    assert codes(diags) == ["XLSX141"] and "'What it does'" in diags[0].message
    assert [d.model for d in matrix.devices] == ["Liberty 100"]


def test_a_column_of_words_under_an_unknown_header_is_notes(tmp_path: Path) -> None:
    wb, ws = new_sheet("DMVESM")
    ws.append(["SRV", "Name", "Liberty 100", "DCC view"])
    ws.append(["4.8.1", "Read", "18.5p", "Profile data comes back in two parts"])
    ws.append(["4.8.2", "Read", "18.5q", "As for 4.8.1"])
    ws.append(["6.8", "Update", "-", "Only for the MOC cohort"])
    matrix, diags = read_xlsx(save(wb, tmp_path))
    assert matrix is not None
    assert codes(diags) == ["XLSX141"]
    assert [d.model for d in matrix.devices] == ["Liberty 100"]
    assert matrix.srvs[2].note == "DCC view: Only for the MOC cohort"


def test_three_header_rows_merged_with_firmware_and_ids_below(tmp_path: Path) -> None:
    wb, ws = new_sheet("Annex A")
    ws.append(["", "", "ESME", None, None, "GSME"])
    ws.merge_cells("C1:E1")
    ws.append(["", "", "Secure", None, "Landis+Gyr", "Secure"])
    ws.merge_cells("C2:D2")
    ws.append(["SRV", "SRV Name", "Liberty 100", "Liberty 110", "E470 5394", "Europa G4"])
    ws.append(["Firmware", "", "LB100 5.2", "LB110 5.2", "E470 10.3", "EG4 3.7"])
    ws.append(["Device Model ID", "", "secure-liberty100", "secure-liberty110", "lg-e470-5394", "secure-europa-g4"])
    ws.append(["4.8.1", DUIS["4.8.1"], "18.5p(i)–(iii)", "18.5p(i)", "18.5q", "n/a"])
    matrix, diags = read_xlsx(save(wb, tmp_path))
    assert matrix is not None
    assert codes(diags) == ["XLSX143"]
    assert [(d.device_type, d.manufacturer, d.model, d.firmware, d.device_id) for d in matrix.devices] == [
        ("ESME", "Secure", "Liberty 100", "LB100 5.2", "secure-liberty100"),
        ("ESME", "Secure", "Liberty 110", "LB110 5.2", "secure-liberty110"),
        ("ESME", "Landis+Gyr", "E470 5394", "E470 10.3", "lg-e470-5394"),
        ("GSME", "Secure", "Europa G4", "EG4 3.7", "secure-europa-g4")]
    assert matrix.by_device_id() == {("4.8.1", "secure-liberty100"): ("18.5p(i)", "18.5p(ii)", "18.5p(iii)"),
                                     ("4.8.1", "secure-liberty110"): ("18.5p(i)",),
                                     ("4.8.1", "lg-e470-5394"): ("18.5q",)}
    assert [r.srv for r in matrix.srvs] == ["4.8.1"]


def test_the_matrix_sheet_among_notes_legend_and_an_old_copy(tmp_path: Path) -> None:
    wb, notes = new_sheet("Notes")
    notes.append(["SRV", "Note"])
    notes.append(["4.8.1", "Read in two parts"])
    legend = wb.create_sheet("Legend")
    legend.append(["SRV", "Liberty 100"])
    legend.append(["1.1", "N/A means not supported"])
    old = wb.create_sheet("Matrix v11")
    old.append(["SRV", "Name", "Liberty 100"])
    old.append(["4.8.1", "Read", "18.5q"])
    new = wb.create_sheet("Matrix v12")
    new.append(["SRV", "Name", "Liberty 100", "E470"])
    new.append(["4.8.1", "Read", "18.5r", "18.5s"])
    new.append(["4.8.2", "Read", "18.5t", "-"])
    matrix, diags = read_xlsx(save(wb, tmp_path))
    assert matrix is not None and matrix.sheet == "Matrix v12"
    assert codes(diags) == ["XLSX144"] and "'Matrix v11'" in diags[0].message and "Legend" not in diags[0].message


def test_a_column_that_cannot_be_read_is_one_finding(tmp_path: Path) -> None:
    wb, ws = new_sheet("DMVESM")
    ws.append(["", "", "ESME", "ESME"])
    ws.append(["SRV", "Name", "Liberty 100", "E470"])
    for k, srv in enumerate(["4.8.1", "4.8.2", "6.8", "6.12"]):
        ws.append([srv, "x", "TBC", "18.5p" if k else "see above"])
    matrix, diags = read_xlsx(save(wb, tmp_path))
    assert matrix is not None
    assert [(d.code, where(d)) for d in diags] == [("XLSX140", "DMVESM!C3"), ("XLSX111", "DMVESM!D3")]
    assert "4 cells" in diags[0].message and len(diags[0].related) == 3


def test_numbers_among_words_are_one_finding_per_column(tmp_path: Path) -> None:
    wb, ws = new_sheet("DMVESM")
    ws.append(["SRV", "Name", "Liberty 100"])
    ws.append(["4.8.1", "x", "see 18.5p"])
    ws.append(["4.8.2", "x", "18.5q (firmware 2.1 and later)"])
    matrix, diags = read_xlsx(save(wb, tmp_path))
    assert matrix is not None
    assert codes(diags) == ["XLSX142"]
    assert "C2 'see 18.5p' → 18.5p" in diags[0].message
    assert [(c.numbers, c.note) for c in matrix.cells] == [(("18.5p",), "see"),
                                                           (("18.5q",), "firmware 2.1 and later")]


# -- what cannot be read, located by sheet and cell ------------------------------------------------------
def one_row(tmp_path: Path, fill: Callable[[Worksheet], None]) -> tuple[WorkbookMatrix | None, list[Diagnostic]]:
    wb, ws = new_sheet("DMVESM")
    ws.append(["SRV", "SRV name", "Liberty 100", "E470", "Notes"])
    ws.append(["4.8.1", "Read Active Import Profile Data", "18.5p", "18.5q", "free text is fine here"])
    fill(ws)
    return read_xlsx(save(wb, tmp_path))


def test_unreadable_text_is_located_and_the_rest_of_the_cell_kept(tmp_path: Path) -> None:
    def fill(ws: Worksheet) -> None:
        ws["C2"] = "18.5p, see above"
        ws["D2"] = "18.5s to 18.5p"

    matrix, diags = one_row(tmp_path, fill)
    assert matrix is not None
    assert [(d.code, where(d)) for d in diags] == [("XLSX111", "DMVESM!C2"), ("XLSX111", "DMVESM!D2")]
    assert "'see above'" in diags[0].message and "SRV 4.8.1" in diags[0].message
    assert "range" in diags[1].help
    assert matrix.by_label() == {("4.8.1", "Liberty 100"): ("18.5p",)}
    assert str(diags[0].location).endswith("hand.xlsx: DMVESM!C2")


def test_a_date_is_never_turned_back_into_a_number(tmp_path: Path) -> None:
    import datetime

    def fill(ws: Worksheet) -> None:
        ws["C2"] = datetime.datetime(2024, 5, 18)

    matrix, diags = one_row(tmp_path, fill)
    assert [(d.code, d.severity.value, where(d)) for d in diags] == [("XLSX112", "error", "DMVESM!C2")]
    assert "18 May" in diags[0].message
    assert matrix is not None and ("4.8.1", "Liberty 100") not in matrix.by_label()


def test_numbers_are_read_as_displayed_with_a_warning(tmp_path: Path) -> None:
    def fill(ws: Worksheet) -> None:
        ws["C2"] = 18.1
        ws["C2"].number_format = "0.00"
        ws["D2"] = 7.4

    matrix, diags = one_row(tmp_path, fill)
    assert [(d.code, d.severity.value, where(d)) for d in diags] == [
        ("XLSX113", "warning", "DMVESM!C2"), ("XLSX113", "warning", "DMVESM!D2")]
    assert matrix is not None
    assert matrix.by_label() == {("4.8.1", "Liberty 100"): ("18.10",), ("4.8.1", "E470"): ("7.4",)}


def test_formulas_are_not_evaluated(tmp_path: Path) -> None:
    def fill(ws: Worksheet) -> None:
        ws["C2"] = "=D2"

    matrix, diags = one_row(tmp_path, fill)
    assert [(d.code, where(d)) for d in diags] == [("XLSX114", "DMVESM!C2")]
    assert matrix is not None and ("4.8.1", "Liberty 100") not in matrix.by_label()


def test_srv_problems(tmp_path: Path) -> None:
    def fill(ws: Worksheet) -> None:
        ws.append(["Read profile", "", "18.6"])       # references, no SRV
        ws.append(["4.8.1", "again", "", "18.7"])    # the same SRV twice
        ws.append([6.1, "numeric SRV", "18.8"])      # typed as a number
        ws.append(["Section 6", "", "", "", "a note, no references"])  # a section row: fine

    matrix, diags = one_row(tmp_path, fill)
    assert [(d.code, where(d)) for d in diags] == [
        ("XLSX115", "DMVESM!A3"), ("XLSX116", "DMVESM!A4"), ("XLSX113", "DMVESM!A5")]
    assert diags[1].related[0].cell == "A2"
    assert matrix is not None
    assert matrix.by_label()[("4.8.1", "E470")] == ("18.5q", "18.7")
    assert matrix.by_label()[("6.1", "Liberty 100")] == ("18.8",)


def test_column_problems(tmp_path: Path) -> None:
    def fill(ws: Worksheet) -> None:
        ws["F1"] = "Liberty 100"
        ws["F2"] = "18.9"
        ws["H2"] = "18.5z"

    matrix, diags = one_row(tmp_path, fill)
    assert [(d.code, where(d)) for d in diags] == [("XLSX118", "DMVESM!F1"), ("XLSX117", "DMVESM!H2")]
    assert matrix is not None
    assert matrix.by_label()[("4.8.1", "Liberty 100")] == ("18.5p", "18.9")


def test_no_matrix_sheet(tmp_path: Path) -> None:
    wb, ws = new_sheet("Sheet1")
    ws.append(["Service", "Liberty 100"])
    ws.append(["4.8.1", "18.5p"])
    matrix, diags = read_xlsx(save(wb, tmp_path))
    assert matrix is None
    assert codes(diags) == ["XLSX110"] and "Sheet1" in diags[0].message
    assert exit_status(diags) == 1


# -- hostile and broken files: one fatal finding, exit 2, never a traceback ----------------------------
def fatal(path: Path, code: str) -> Diagnostic:
    matrix, diags = read_xlsx(path)
    assert matrix is None
    assert codes(diags) == [code], diags
    assert diags[0].fatal and exit_status(diags) == 2
    assert diags[0].location.file == str(path)
    return diags[0]


def rezip(src: bytes, changes: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            zout.writestr(name, changes.pop(name, zin.read(name)))
        for name, data in changes.items():
            zout.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def ours(tmp_path: Path) -> bytes:
    project, _ = api.load(str(CONTENT))
    assert project is not None
    return written(project, tmp_path, "ours.xlsx").read_bytes()


def test_missing_and_empty_files(tmp_path: Path) -> None:
    assert "cannot be opened" in fatal(tmp_path / "nowhere.xlsx", "XLSX101").message
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert "empty" in fatal(tmp_path / "empty.xlsx", "XLSX101").message


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "matrix.xlsx"
    path.write_text("SRV,Liberty 100\n4.8.1,18.5p\n")
    assert "not a zip" in fatal(path, "XLSX101").message


def test_truncated(tmp_path: Path, ours: bytes) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(ours[: len(ours) // 2])
    assert "damaged or incomplete" in fatal(path, "XLSX101").message


def test_encrypted_and_legacy(tmp_path: Path) -> None:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    (tmp_path / "locked.xlsx").write_bytes(header + "EncryptionInfo".encode("utf-16-le") + bytes(100))
    assert "password" in fatal(tmp_path / "locked.xlsx", "XLSX102").message
    (tmp_path / "old.xlsx").write_bytes(header + "Workbook".encode("utf-16-le") + bytes(100))
    assert ".xls" in fatal(tmp_path / "old.xlsx", "XLSX102").message


def test_a_word_document_given_as_the_workbook(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "S1SR-v13.0.xlsx"
    docx.Document().save(str(path))
    assert "Word document" in fatal(path, "XLSX104").message


def test_an_opendocument_spreadsheet(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    (tmp_path / "m.xlsx").write_bytes(out.getvalue())
    assert "OpenDocument" in fatal(tmp_path / "m.xlsx", "XLSX104").message


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as fh:
        fh.truncate(reader.MAX_FILE_BYTES + 1)  # sparse: costs nothing to make
    assert "50 MB" in fatal(path, "XLSX103").message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, ours: bytes) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(rezip(ours, {"xl/media/padding.bin": bytes(8 * 1024 * 1024)}))  # ~1000-fold
    assert "expands" in fatal(path, "XLSX103").message


def test_the_unpacked_total_is_limited(tmp_path: Path, ours: bytes) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(ours)
    matrix, diags = read_xlsx(path, limits=Limits(max_unpacked=20_000))
    assert matrix is None and [d.code for d in diags] == ["XLSX103"]
    assert "unpacks to" in diags[0].message


def test_a_part_that_lies_about_its_size(tmp_path: Path, ours: bytes) -> None:
    data = bytearray(ours)
    # Shrink the declared size of every part in the central directory.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, 10)
        at = data.find(b"PK\x01\x02", at + 4)
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(data))
    fatal(path, "XLSX101")


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>')
XXE = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
       b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


@pytest.mark.parametrize("part", [LAUGHS + SHEET, XXE, (LAUGHS + SHEET).decode().encode("utf-16")])
def test_dtds_and_entities_are_refused(tmp_path: Path, ours: bytes, part: bytes) -> None:
    path = tmp_path / "evil.xlsx"
    path.write_bytes(rezip(ours, {"xl/worksheets/sheet1.xml": part}))
    assert "xl/worksheets/sheet1.xml" in fatal(path, "XLSX105").message


def test_without_the_scan_the_parser_still_expands_no_entity(tmp_path: Path, ours: bytes,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The second line of defence: with the guard's DTD scan switched off, the one parser leaves
    the billion laughs unexpanded; the sheet reads as a sheet with no matrix, in no time or memory."""
    monkeypatch.setattr(guard, "_NEEDLES", (b"\x00never\x00",))
    path = tmp_path / "evil.xlsx"
    path.write_bytes(rezip(ours, {"xl/worksheets/sheet1.xml": LAUGHS + SHEET}))
    matrix, diags = read_xlsx(path)
    assert "lol" not in str(matrix) + str(diags)
    assert [d.code for d in diags] in (["XLSX110"], ["XLSX101"])


def test_a_merge_over_the_whole_sheet_is_refused_before_a_cell_is_read(
        tmp_path: Path, ours: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    with zipfile.ZipFile(io.BytesIO(ours)) as zf:
        sheet1 = zf.read("xl/worksheets/sheet1.xml")
    merges = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    bombed = sheet1.replace(b"</sheetData>", b"</sheetData>" + merges, 1)
    assert bombed != sheet1
    path = tmp_path / "merged.xlsx"
    path.write_bytes(rezip(ours, {"xl/worksheets/sheet1.xml": bombed}))

    parsed: list[str] = []
    iterparse = guard.iterparse

    def recorded(data: bytes, name: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(name)
        return iterparse(data, name, *args, **kwargs)

    monkeypatch.setattr(guard, "iterparse", recorded)
    assert "merged cells" in fatal(path, "XLSX103").message
    assert "xl/worksheets/sheet1.xml" not in parsed  # refused before a cell of it was read


def test_one_far_away_cell_costs_nothing(tmp_path: Path) -> None:
    wb, ws = new_sheet("DMVESM")
    ws.append(["SRV", "SRV name", "Liberty 100"])
    ws.append(["4.8.1", "Read", "18.5p"])
    ws["C1048576"] = "18.5q"
    path = save(wb, tmp_path)
    looked_at: list[tuple[int, int]] = []
    text = reader._Grid.text

    def counted(grid: reader._Grid, r: int, c: int) -> str:
        looked_at.append((r, c))
        return text(grid, r, c)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reader._Grid, "text", counted)
        matrix, diags = read_xlsx(path)
    # The rows between are never visited: the cost follows the cells the sheet has, not its extent.
    assert len(looked_at) < 100, len(looked_at)
    assert [(d.code, where(d)) for d in diags] == [("XLSX115", "DMVESM!A1048576")]
    assert matrix is not None and matrix.by_label() == {("4.8.1", "Liberty 100"): ("18.5p",)}


def test_garbage_inside_a_valid_package(tmp_path: Path, ours: bytes) -> None:
    path = tmp_path / "garbage.xlsx"
    path.write_bytes(rezip(ours, {"xl/workbook.xml": b"<workbook><sheets><sheet"}))
    fatal(path, "XLSX101")


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "hello")
    (tmp_path / "a.xlsx").write_bytes(out.getvalue())
    assert "not an Excel workbook" in fatal(tmp_path / "a.xlsx", "XLSX101").message


# -- a workbook saved again by another office suite ---------------------------------------------------
@pytest.mark.e2e
def test_libreoffice_resaved_workbook_reads_the_same(tmp_path: Path) -> None:
    project, _ = api.load(str(CONTENT))
    assert project is not None
    (tmp_path / "in").mkdir()
    src = written(project, tmp_path / "in")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    resaved = soffice_convert(src, "xlsx", out_dir)
    assert resaved.read_bytes() != src.read_bytes()
    matrix = read_ok(resaved)
    assert matrix.by_device_id() == expected(project)


def test_only_the_sheets_it_needs_are_parsed(tmp_path: Path, ours: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry and the DMVESM are read; the Clauses and About sheets, which can be neither the
    matrix nor a rival copy of it beside a sheet named DMVESM, are never unpacked."""
    with zipfile.ZipFile(io.BytesIO(ours)) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
    titles = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook)
    assert titles[:2] == ["DMVESM", "Clauses"], titles
    parsed: list[str] = []
    iterparse = guard.iterparse

    def recorded(data: bytes, name: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(name)
        return iterparse(data, name, *args, **kwargs)

    monkeypatch.setattr(guard, "iterparse", recorded)
    path = tmp_path / "ours.xlsx"
    path.write_bytes(ours)
    matrix, _ = read_xlsx(path)
    assert matrix is not None and matrix.sheet == "DMVESM"
    assert sorted(parsed) == ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml"]  # DMVESM, Device Models


def test_reading_a_workbook_imports_no_openpyxl(tmp_path: Path, ours: bytes) -> None:
    path = tmp_path / "ours.xlsx"
    path.write_bytes(ours)
    probe = ("import sys; from generator.readers.xlsx import read_xlsx; m, d = read_xlsx(sys.argv[1]); "
             "assert m is not None; print(sorted(k for k in sys.modules if k.split('.')[0] == 'openpyxl'))")
    proc = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=False,
                          cwd=str(REPO))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# -- properties of the cell reader -------------------------------------------------------------------
_STYLES = {"lower-alpha": ("18.5", "", ""), "lower-roman": ("18.5p(", ")", "item"), "decimal": ("18.", "", "")}


@given(style=st.sampled_from(sorted(_STYLES)), lo=st.integers(1, 60), span=st.integers(1, 40),
       form=st.sampled_from(["{a} to {b}", "{a}-{b}", "{a} – {b}", "{a}-{t}", "{a} to {t}"]))
def test_every_range_reads_as_its_numbers(style: str, lo: int, span: int, form: str) -> None:
    from generator.model import counters

    stem, close, _ = _STYLES[style]
    hi = lo + span
    if (style == "lower-roman" and hi >= 40) or (style == "lower-alpha" and hi > 78):
        return  # references are at most three letters (zz, aaa) or a short roman numeral
    ref = [f"{stem}{counters.render(k, style)}{close}" for k in range(lo, hi + 1)]
    tail = counters.render(hi, style)
    text = form.format(a=ref[0], b=ref[-1], t=f"({tail})" if close else tail)
    assert normalise_references(text) == (tuple(ref), ())


@given(st.text(max_size=60))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_is_read_or_returned_never_guessed(text: str) -> None:
    reading = read_cell(text)
    # every state is one of the three, and unread text is handed back whole
    assert not (reading.numbers and reading.not_applicable)
    for part in reading.bad:
        assert part in text.replace("\r", "\n").replace("\u00a0", " ").replace("_x000D_", "") or part.strip()
    for n in reading.numbers:
        assert n[0].isdigit() or re.match(r"[A-Z][a-z]?\.\d", n), n  # a body clause, or an annex clause (A.1)


def test_words_belong_to_their_number_and_cell_notes_to_every_number() -> None:
    reading = read_cell("18.1c, 18.2b (firmware 2.1 and later); N/A before firmware 2.0")
    assert reading.numbers == ("18.1c", "18.2b")
    assert reading.note_of("18.1c") == "N/A before firmware 2.0"
    assert reading.note_of("18.2b") == "firmware 2.1 and later; N/A before firmware 2.0"


@pytest.mark.parametrize(("text", "numbers"), [
    ("A.1", ("A.1",)),
    ("Annex B.2a", ("B.2a",)),
    ("B.1a(i) and (ii)", ("B.1a(i)", "B.1a(ii)")),
    ("18.5p; A.3", ("18.5p", "A.3")),
    ("A.1 to A.3", ("A.1", "A.2", "A.3")),
    ("Ba.1", ("Ba.1",)),
])
def test_an_annex_clause_reads_as_its_number(text: str, numbers: tuple[str, ...]) -> None:
    assert normalise_references(text) == (numbers, ())


@pytest.mark.parametrize("text", ["A", "a.1", "Annex", "E.g. this"])
def test_a_letter_or_a_word_is_not_an_annex_clause(text: str) -> None:
    assert normalise_references(text)[0] == ()


@pytest.mark.parametrize("name", ["", "   "])
def test_a_blank_tab_name_still_gives_findings_a_place(tmp_path: Path, name: str) -> None:
    """Excel never saves a blank tab name, but a damaged file can hold one: the sheet is named by its
    place, so a finding on one of its cells still says where to look (found by the Office fuzzer)."""
    wb, ws = new_sheet("DMVESM")
    ws.append(["SRV", "SRV name", "Liberty 100"])
    ws.append(["4.8.1", "Read", "=A1"])
    path = save(wb, tmp_path)
    with zipfile.ZipFile(path) as zf:
        book = zf.read("xl/workbook.xml")
    assert b'name="DMVESM"' in book
    path.write_bytes(rezip(path.read_bytes(), {"xl/workbook.xml": book.replace(b'name="DMVESM"',
                                                                                f'name="{name}"'.encode())}))
    _, diags = read_xlsx(path)
    assert [(d.code, where(d)) for d in diags] == [("XLSX114", "(sheet 1)!C2")]
