"""The response spreadsheet reader: one row per respondent, one column per question, in .xlsx
(cells written here with openpyxl) and .csv; every problem located at its sheet and cell, or line."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model.consultation import AGREE, CATEGORIES, DISAGREE, NO_VIEW, RESPONSES, Consultation, Part
from generator.readers.consultation_sheet import read_response_sheet

CONSULTATION = Consultation(id="c", title="C", parts=(
    Part(id="references", number=1, title="Restoring the references", question="Do you agree?"),
    Part(id="behaviours", number=2, title="New device behaviours"),
))


def _xlsx(path: Path, rows: list[list[object]], title: str = "Responses") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


HEADER = ["Organisation", "Category", "Confidential", "Q1", "Q1 comments", "behaviours"]
ROWS = [
    HEADER,
    ["Large Supplier A", "Large Supplier", "no", "Agree", "We support it.", "Agree. They match our estate."],
    ["Gas Co", "gas network parties", "", "No view", "", ""],
    ["Small Supplier B", "Small Supplier", "Yes", "disagree", "Too soon.\n\nAsk again.", "no-view"],
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_sheet_of_responses(tmp_path: Path, kind: str) -> None:
    rows = [["Responses to the consultation"], [], *ROWS]  # a title above the header is fine
    path = _xlsx(tmp_path / "r.xlsx", rows) if kind == "xlsx" else _csv(tmp_path / "r.csv", rows)
    got, diags = read_response_sheet(str(path), CONSULTATION, display="r")
    assert diags == [] and got is not None
    a, gas, b = got.respondents
    assert (a.organisation, a.category, a.confidential) == ("Large Supplier A", "Large Supplier", False)
    assert [(x.part, x.response, x.text) for x in a.answers] == [
        ("references", AGREE, ("We support it.",)), ("behaviours", AGREE, ("They match our estate.",))]
    assert gas.category == "Gas Network Party" and [(x.part, x.response) for x in gas.answers] == [
        ("references", NO_VIEW)]  # an empty cell: the part was not answered
    assert b.confidential and [(x.response, x.text) for x in b.answers] == [
        (DISAGREE, ("Too soon.", "Ask again.")), (NO_VIEW, ())]
    assert got.sheet == ("Responses" if kind == "xlsx" else "")


def test_headers_by_title_and_question_text(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "r.xlsx", [
        ["Respondent", "Kind of party", "Question 1: Do you agree?", "New device behaviours", "Email"],
        ["A", "Non-SEC Party", "agree", "disagree", "a@example.org"]])
    got, diags = read_response_sheet(str(path), CONSULTATION)
    assert diags == [] and got is not None
    assert [(x.part, x.response) for x in got.respondents[0].answers] == [("references", AGREE),
                                                                          ("behaviours", DISAGREE)]


def test_problems_are_located_by_sheet_and_cell(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "r.xlsx", [
        [*HEADER, "Q3"],
        ["A", "Large Supplier", "no", "Agree", "", ""],
        ["a", "Large Supplier", "no", "Agree", "", ""],
        ["B", "Supplier", "perhaps", "Yes", "", ""],
        ["C", "Small Supplier", "", "", "a comment", ""],
        ["", "Small Supplier", "", "agree", "", ""],
    ])
    got, diags = read_response_sheet(str(path), CONSULTATION, display="r.xlsx")
    assert got is not None
    found = sorted((d.code, str(d.location)) for d in diags)
    assert found == [
        ("CNS101", "r.xlsx: Responses!A6"),  # a row with answers but no organisation
        ("CNS101", "r.xlsx: Responses!C4"),  # perhaps confidential
        ("CNS102", "r.xlsx: Responses!G1"),  # Q3: the consultation has two parts
        ("CNS103", "r.xlsx: Responses!A3"),  # 'a' has already responded (as 'A')
        ("CNS104", "r.xlsx: Responses!D4"),  # Yes is not an answer
        ("CNS105", "r.xlsx: Responses!B4"),  # Supplier is not a kind of party
        ("CNS109", "r.xlsx: Responses!D5"),  # a comment without an answer
    ]
    dup = next(d for d in diags if d.code == "CNS103")
    assert str(dup.related[0]) == "r.xlsx: Responses!A2"
    assert all(d.help for d in diags)


def test_csv_problems_are_located_by_line(tmp_path: Path) -> None:
    path = _csv(tmp_path / "r.csv", [HEADER, ["A", "Large Supplier", "", "Agreed", "", ""]])
    _, diags = read_response_sheet(str(path), CONSULTATION, display="r.csv")
    assert [(d.code, str(d.location)) for d in diags] == [("CNS104", "r.csv:2:4")]


@pytest.mark.parametrize(("rows", "expect"), [
    ([["Name only"], ["A"]], "no header row with an Organisation column"),
    ([["Organisation", "Q1"], ["A", "agree"]], "has no Category column"),
    ([["Organisation", "Category"], ["A", "Large Supplier"]], "no column holds the answers"),
])
def test_layouts_that_cannot_be_read(tmp_path: Path, rows: list[list[object]], expect: str) -> None:
    got, diags = read_response_sheet(str(_xlsx(tmp_path / "r.xlsx", rows)), CONSULTATION)
    assert got is None and any(expect in d.message for d in diags)
    assert all(d.code == "CNS108" and d.fatal for d in diags)


def test_files_that_are_not_sheets(tmp_path: Path) -> None:
    word = tmp_path / "r.xlsx"
    word.write_bytes(b"%PDF-1.4 not a workbook")
    got, diags = read_response_sheet(str(word), CONSULTATION, display="r.xlsx")
    assert got is None and diags and diags[0].fatal and "PDF" in diags[0].message
    binary = tmp_path / "r.csv"
    binary.write_bytes(b"Organisation,Category\x00\x01")
    got, diags = read_response_sheet(str(binary), CONSULTATION)
    assert got is None and "not a text file" in diags[0].message


def test_a_windows_csv_is_read(tmp_path: Path) -> None:
    path = _csv(tmp_path / "r.csv", [HEADER, ["Société Générale Énergie", "Non-SEC Party", "", "agree", "", ""]],
                encoding="cp1252")
    got, diags = read_response_sheet(str(path), CONSULTATION)
    assert diags == [] and got is not None and got.respondents[0].organisation == "Société Générale Énergie"


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60).map(lambda t: " ".join(t.split()))
_ROW = st.tuples(_TEXT.filter(lambda t: t and t[0].isalpha()), st.sampled_from(CATEGORIES), st.booleans(),
                 st.sampled_from(("", *RESPONSES)), _TEXT, st.sampled_from(("", *RESPONSES)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROW, min_size=1, max_size=6, unique_by=lambda r: r[0].casefold()))
def test_whatever_the_cells_say_the_answers_come_back(tmp_path: Path, rows: list[tuple]) -> None:
    sheet = [HEADER] + [[org, cat, "yes" if conf else "", q1, words if q1 else "", q2]
                        for org, cat, conf, q1, words, q2 in rows]
    got, diags = read_response_sheet(str(_xlsx(tmp_path / "r.xlsx", sheet)), CONSULTATION)
    assert diags == [] and got is not None
    for r, (org, cat, conf, q1, words, q2) in zip(got.respondents, rows, strict=True):
        assert (r.organisation, r.category, r.confidential) == (org, cat, conf)
        expected = [("references", q1, (words,) if words else ()), ("behaviours", q2, ())]
        assert [(a.part, a.response, a.text) for a in r.answers] == [e for e in expected if e[1]]
