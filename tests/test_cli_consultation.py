"""`s1sr consultation import`: a spreadsheet of responses becomes one file per respondent in the
consultation's responses/ folder, and nowhere else; nothing is replaced silently; a bad sheet
writes nothing and says where it is wrong."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from generator.readers.consultation import read_consultation
from tests.support import REPO, run_cli

CID = "2025-02-s1sr-v13"


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _example_sheet(path: Path) -> Path:
    """The example's responses as the spreadsheet they were gathered in (one row per respondent)."""
    c, _ = read_consultation(str(REPO / "content" / "consultations" / CID), "x")
    assert c is not None
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Organisation", "Category", "Confidential", *(f"Q{p.number} {p.title}" for p in c.parts),
               *(f"Q{p.number} comments" for p in c.parts)])
    for r in c.respondents:
        answers = [r.answer(p.id) for p in c.parts]
        ws.append([r.organisation, r.category, "yes" if r.confidential else "no",
                   *(a.response if a else None for a in answers),
                   *("\n\n".join(a.text) if a else None for a in answers)])
    wb.save(path)
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    shutil.rmtree(root / "consultations" / CID / "responses")
    return root


def test_the_example_responses_come_back_from_their_spreadsheet(content: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    sheet = _example_sheet(tmp_path / "responses.xlsx")
    before = _tree(content)
    code, out, err = run_cli(capsys, "consultation", "import", str(sheet), "--content", str(content))
    assert code == 0, err
    assert out.count("wrote ") == 9 and "9 respondent(s), 20 answer(s)" in out
    after = _tree(content)
    added = sorted(set(after) - set(before))
    assert all(p.startswith(f"consultations/{CID}/responses/") for p in added) and len(added) == 9
    assert {k: v for k, v in after.items() if k in before} == before, "the import changed another file"
    original, _ = read_consultation(str(REPO / "content" / "consultations" / CID), "x")
    imported, diags = read_consultation(str(content / "consultations" / CID), "x")
    assert diags == [] and original is not None and imported is not None

    def facts(c: object) -> list[tuple]:
        return sorted((r.organisation, r.category, r.confidential, [(a.part, a.response, a.text) for a in r.answers])
                      for r in c.respondents)  # type: ignore[attr-defined]

    assert facts(imported) == facts(original)
    code, _, err = run_cli(capsys, "check", "--content", str(content), "-q")
    assert code == 0, err


def test_nothing_is_replaced_silently(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = _example_sheet(tmp_path / "responses.xlsx")
    assert run_cli(capsys, "consultation", "import", str(sheet), "--content", str(content), "-q")[0] == 0
    again = run_cli(capsys, "consultation", "import", str(sheet), "--content", str(content))
    assert again[0] == 0 and again[1].count("unchanged ") == 9
    edited = content / "consultations" / CID / "responses" / "large-supplier-b.yaml"
    edited.write_text(edited.read_text() + "# our note\n")
    snapshot = _tree(content)
    code, out, err = run_cli(capsys, "consultation", "import", str(sheet), "--content", str(content))
    assert code == 2 and "would replace" in out and "large-supplier-b.yaml" in out and "--force" in err
    assert _tree(content) == snapshot
    code, out, _ = run_cli(capsys, "consultation", "import", str(sheet), "--content", str(content), "--dry-run",
                           "--force")
    assert code == 0 and "would replace" in out and "nothing was written" in out and _tree(content) == snapshot
    code, out, _ = run_cli(capsys, "consultation", "import", str(sheet), "--content", str(content), "--force")
    assert code == 0 and "replaced " in out and "# our note" not in edited.read_text()


def test_a_bad_sheet_writes_nothing_and_says_where(content: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Responses"
    for row in (["Organisation", "Category", "Q1", "Q4"], ["A", "Large Supplier", "agree", ""],
                ["B", "Small Supplier", "maybe", ""]):
        ws.append(row)
    wb.save(tmp_path / "bad.xlsx")
    before = _tree(content)
    code, _, err = run_cli(capsys, "consultation", "import", str(tmp_path / "bad.xlsx"), "--content", str(content))
    assert code == 1 and _tree(content) == before
    assert "Responses!D1: CNS102 error: the column 'Q4' names no part" in err
    assert "Responses!C3: CNS104 error: 'maybe' is not an answer to Q1" in err
    assert "nothing was written" in err


@pytest.mark.parametrize(("args", "expect"), [
    (["--consultation", "no-such"], "there is no consultation 'no-such'"),
    (["--consultation", "../../etc"], "there is no consultation '../../etc'"),
])
def test_usage_errors(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                      expect: str) -> None:
    sheet = _example_sheet(tmp_path / "responses.xlsx")
    code, _, err = run_cli(capsys, "consultation", "import", str(sheet), "--content", str(content), *args)
    assert code == 2 and expect in err
    code, _, err = run_cli(capsys, "consultation", "import", str(tmp_path / "absent.xlsx"), "--content", str(content))
    assert code == 2 and "is not a file" in err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "consultation", "import", "--help")
    assert code == 0 and "one column per question" in out and "--force" in out and "example" in out
    code, out, _ = run_cli(capsys, "consultation")
    assert code == 2 and "import" in out
