"""The consultation documents: the response table (.docx, .xlsx) and our conclusions (.docx, .md),
from the letter templates, with every count computed and confidential respondents anonymised;
LibreOffice opens all of them and reads the same text."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from generator.app import api
from generator.model import Project
from generator.model.consultation import Consultation
from generator.writers import WRITERS
from generator.writers.consultation import file_names, write_consultation
from generator.writers.options import WriterOptions
from tests.support import REPO, soffice_convert

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONFIDENTIAL = "Small Supplier B"  # the organisation that asked for its response to be kept confidential


@pytest.fixture(scope="module")
def example() -> tuple[Project, Consultation, WriterOptions]:
    project, _ = api.load(str(REPO / "content"))
    assert project is not None
    found = api.correspondence(project)
    assert found.diags == []
    (consultation,) = found.consultations
    return project, consultation, WriterOptions(consultations=(consultation,))


@pytest.fixture(scope="module")
def files(example: tuple) -> dict[str, bytes]:
    project, _, opts = example
    return write_consultation(project, opts)


def _texts(data: bytes, part: str = "word/document.xml") -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read(part))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def test_registered_and_named(example: tuple, files: dict[str, bytes]) -> None:
    assert WRITERS["consultation"] == "generator.writers.consultation:write_consultation"
    assert sorted(files) == sorted(file_names(example[1])) == [
        "consultation-2025-02-s1sr-v13-conclusions.docx", "consultation-2025-02-s1sr-v13-conclusions.md",
        "consultation-2025-02-s1sr-v13-responses.docx", "consultation-2025-02-s1sr-v13-responses.xlsx"]
    assert write_consultation(example[0], WriterOptions()) == {}


def test_confidential_respondents_are_never_named(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        if name.endswith(".md"):
            assert CONFIDENTIAL not in data.decode("utf-8"), name
            continue
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for part in z.namelist():
                assert CONFIDENTIAL.encode() not in z.read(part), f"{name}: {part}"
    assert any("Confidential respondent 1" in t for t in _texts(files["consultation-2025-02-s1sr-v13-responses.docx"]))


def test_the_response_table_has_a_row_per_answer(example: tuple, files: dict[str, bytes]) -> None:
    _, c, _ = example
    wb = openpyxl.load_workbook(io.BytesIO(files["consultation-2025-02-s1sr-v13-responses.xlsx"]))
    rows = list(wb["Responses"].iter_rows(values_only=True))
    assert rows[0] == ("Respondent", "Kind of party", "Part", "Response", "Their comments", "Our view")
    answers = sum(len(r.answers) for r in c.respondents)
    assert len(rows) - 1 == answers == 20
    # Named respondents by name, then the confidential one; each answer in the part's order.
    assert [r[0] for r in rows[1:]][:3] == ["Gas Network Operator A", "Large Supplier A", "Large Supplier A"]
    assert rows[-1][:4] == ("Confidential respondent 1", "Small Supplier",
                            "Question 3: Configuration requirements for L&G FOC ESME", "Agree")
    disagree = next(r for r in rows if r[3] == "Disagree")
    assert disagree[0] == "Large Supplier B" and "twelve months" in disagree[4] and "kept six months" in disagree[5]
    summary = list(wb["Summary"].iter_rows(values_only=True))
    assert summary[1:] == [
        (1, "Restoring the version 11 references in clause 18.5", 6, 9, 8, 0, 1),
        (2, "New device behaviours", 6, 4, 4, 0, 5),
        (3, "Configuration requirements for L&G FOC ESME", 7, 7, 6, 1, 2),
    ]


def test_the_conclusions_say_what_was_counted(files: dict[str, bytes]) -> None:
    md = files["consultation-2025-02-s1sr-v13-conclusions.md"].decode("utf-8")
    assert md.startswith("# Our conclusions on the consultation: ")
    assert "received nine responses" in md
    assert "Four responses to this part, all of which supported it." in md
    assert "Seven responses to this part, all but one of which supported it (the other opposed it)." in md
    assert "This part amends six clauses: 6.3A, 7.4c, 9.3c, 12.3A, 12.5ba and 16.7." in md
    assert "16.7 already says up to fifteen minutes" in md  # [[fw-secure-chf]] in a conclusion
    assert "one respondent who asked that its response be kept confidential" in md
    docx = "\n".join(_texts(files["consultation-2025-02-s1sr-v13-conclusions.docx"]))
    for line in ("Question 2: New device behaviours", "Four responses to this part, all of which supported it.",
                 "This part amends seven clauses: 20.5d, 20.5e, D, D.1, D.2, D.3 and D.4."):
        assert line in docx


def test_the_same_input_gives_the_same_bytes(example: tuple, files: dict[str, bytes]) -> None:
    project, _, opts = example
    assert write_consultation(project, opts) == files
    for name in ("consultation-2025-02-s1sr-v13-responses.docx", "consultation-2025-02-s1sr-v13-responses.xlsx"):
        with zipfile.ZipFile(io.BytesIO(files[name])) as z:
            assert {i.date_time for i in z.infolist()} == {(2025, 3, 28, 0, 0, 0)}  # the day it closed


def test_openxml_audit_finds_nothing(files: dict[str, bytes], tmp_path: Path) -> None:
    validator = pytest.importorskip("openxml_audit")
    for name in ("consultation-2025-02-s1sr-v13-responses.docx", "consultation-2025-02-s1sr-v13-conclusions.docx"):
        path = tmp_path / name
        path.write_bytes(files[name])
        assert [e.description for e in validator.OpenXmlValidator(max_errors=0).validate(path).errors] == [], name


@pytest.mark.e2e
def test_libreoffice_opens_the_response_table_and_the_conclusions(files: dict[str, bytes], tmp_path: Path) -> None:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    table = soffice_convert(tmp_path / "consultation-2025-02-s1sr-v13-responses.docx", "txt:Text (encoded):UTF8",
                            tmp_path).read_text(encoding="utf-8-sig")
    assert "Confidential respondent 1" in table and CONFIDENTIAL not in table
    assert re.search(r"Large Supplier B\s+Large Supplier\s+Question 3: Configuration requirements for L&G FOC "
                     r"ESME\s+Disagree\s+We operate one of the largest", table)
    conclusions = soffice_convert(tmp_path / "consultation-2025-02-s1sr-v13-conclusions.docx",
                                  "txt:Text (encoded):UTF8", tmp_path).read_text(encoding="utf-8-sig")
    assert "Seven responses to this part, all but one of which supported it (the other opposed it)." in conclusions
    assert "Our conclusion" in conclusions and "Next steps" in conclusions
    out = tmp_path / "csv"
    out.mkdir()
    sheet = soffice_convert(tmp_path / "consultation-2025-02-s1sr-v13-responses.xlsx",
                            "csv:Text - txt - csv (StarCalc)", out,
                            filter_options="44,34,76,1").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(sheet)))
    assert rows[0] == ["Respondent", "Kind of party", "Part", "Response", "Their comments", "Our view"]
    assert len(rows) == 21 and rows[-1][0] == "Confidential respondent 1"
    for name in ("consultation-2025-02-s1sr-v13-responses.docx", "consultation-2025-02-s1sr-v13-conclusions.docx"):
        pdf = soffice_convert(tmp_path / name, "pdf", tmp_path)
        assert pdf.stat().st_size > 10_000
