"""``s1sr absorb``: build, edit the .docx as a reviewer would (python-docx), take it back, rebuild.

The oracle is the edited document itself, read by python-docx (not by our reader): after the
edits are taken back and the documents rebuilt, every clause paragraph reads as the edited one
with all changes accepted, and the numbers follow the source's rules (18.5ba for a paragraph
inserted between 18.5b and 18.5c after release v12).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from tests import review_edits as E
from tests.support import CONTENT, run_cli

DOCX = "S1SR-v13.0.docx"
XLSX = "DMVESM-v13.0.xlsx"


@pytest.fixture
def work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A copy of the example content (under git, as a content repository is) and its build."""
    shutil.copytree(CONTENT, tmp_path / "content")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "content"], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit",
                    "-qm", "content"], check=True)
    code, _, err = run_cli(capsys, "build", "--content", str(tmp_path / "content"), "--out",
                           str(tmp_path / "build"), "--no-site", "-q")
    assert code == 0, err
    return tmp_path


def _absorb(capsys: pytest.CaptureFixture[str], work: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, "absorb", "--content", str(work / "content"), *args)


def _rebuild(capsys: pytest.CaptureFixture[str], work: Path) -> Path:
    code, _, err = run_cli(capsys, "build", "--content", str(work / "content"), "--out", str(work / "rebuilt"),
                           "--no-site", "-q")
    assert code == 0, err
    return work / "rebuilt" / DOCX


def _accepted_paragraphs(path: Path) -> list[str]:
    """Body paragraph texts from the first clause on, tracked changes accepted, read with lxml
    over python-docx's element tree (w:ins kept, w:del dropped, deleted paragraph marks joined)."""
    d = docx.Document(str(path))
    W = E.W
    out: list[str] = []
    carry = ""
    for p in d.element.body.iter(W + "p"):
        parts = []
        for el in p.iter(W + "t", W + "tab", W + "br"):
            up, gone = el.getparent(), False
            while up is not None and up is not p:
                if up.tag in (W + "del", W + "moveFrom"):
                    gone = True
                up = up.getparent()
            if not gone:
                parts.append(el.text or "" if el.tag == W + "t" else "\t" if el.tag == W + "tab" else "\n")
        text = carry + "".join(parts)
        mark = p.find(f"{W}pPr/{W}rPr/{W}del")
        if mark is not None:
            carry = text
            continue
        carry = ""
        if text.strip():
            out.append(text)
    first = next(i for i, t in enumerate(out) if t.startswith("1\tIntroduction") and i > 5)
    return out[first:]


def _words(paragraph: str) -> str:
    """A paragraph without the number before its tab."""
    label, tab, rest = paragraph.partition("\t")
    return rest if tab and len(label) <= 12 else paragraph


def _git_diff(work: Path) -> str:
    return subprocess.run(["git", "-C", str(work), "diff", "--stat"], capture_output=True, text=True,
                          check=True).stdout


def test_unedited_document_changes_nothing(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _absorb(capsys, work, str(work / "build" / DOCX), "--write")
    assert code == 0, err
    assert "ABS115" in err and not out.startswith("---")
    assert _git_diff(work) == ""


def test_round_trip_python_docx(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = E.open_doc(work / "build" / DOCX)
    E.replace_text(E.clause_paragraph(doc, "18.4"), "thirteen months", "twelve months")
    b = E.clause_paragraph(doc, "18.5|(b)")
    E.insert_after(b, "(ba)\tA Secure ESME returns reactive import Profile Data for the last three months only.",
                   author="Alice Reviewer")
    E.tracked_replace(E.clause_paragraph(doc, "18.5|(d)"), "ten days", "seven days", "Alice Reviewer")
    E.make_bold(E.clause_paragraph(doc, "18.5|(a)"), "thirteen months")
    # A draft-only clause (Annex D is new in v13): removed for good, not a tombstone.
    E.delete(E.clause_paragraph(doc, "D.3"), author="Bob Checker")
    E.comment(doc, E.clause_paragraph(doc, "18.5|(c)"), "Still true for firmware 5.3?", "Carol Commenter", "CC")
    edited = work / "edited.docx"
    doc.save(str(edited))

    code, out, err = _absorb(capsys, work, str(edited))
    assert code == 0, err
    assert out.startswith("--- a/") and "+      - id: pd-secure-esme-returns-reactive" in out
    assert "new clause pd-secure-esme-returns-reactive → 18.5ba" in out
    assert _git_diff(work) == "", "without --write nothing is written"

    code, out, err = _absorb(capsys, work, str(edited), "--write")
    assert code == 0, err
    yaml = (work / "content" / "sections" / "18-profile-data.yaml").read_text()
    assert "up to twelve months ending" in yaml
    assert "most recent **thirteen months**" in yaml
    assert "no more than seven days" in yaml
    # Only the edited lines change: the diff of 18-profile-data.yaml is a few lines, not the file.
    stat = subprocess.run(["git", "-C", str(work), "diff", "--numstat", "--", "content/sections/18-profile-data.yaml"],
                          capture_output=True, text=True, check=True).stdout.split()
    assert int(stat[0]) <= 6 and int(stat[1]) <= 4, stat
    review = json.loads((work / "edited.review.json").read_text())
    (c,) = review["comments"]
    assert (c["number"], c["clause"], c["author"], c["text"]) == \
        ("18.5c", "pd-secure-liberty100-export", "Carol Commenter", "Still true for firmware 5.3?")
    authors = {a["author"] for a in review["tracked_changes"]}
    assert authors == {"Alice Reviewer", "Bob Checker"}
    assert "clause 18.5c" in (work / "edited.review.md").read_text()

    rebuilt = _accepted_paragraphs(_rebuild(capsys, work))
    expected = _accepted_paragraphs(edited)
    # The words are the edited ones; the numbers are computed by the source's rules.
    assert [_words(t) for t in rebuilt] == [_words(t) for t in expected]
    assert "(ba)\tA Secure ESME returns reactive import Profile Data for the last three months only." in rebuilt
    # Annex D is draft-only: with D.3 removed, D.4 takes its number (nothing designated moves).
    assert any(t.startswith("D.3\tThe DCC shall apply this configuration") for t in rebuilt)
    assert [t for t in rebuilt if t.startswith("(") and "\t" in t and t.split("\t")[0] in ("(a)", "(b)", "(c)")] == \
        [t for t in expected if t.startswith("(") and "\t" in t and t.split("\t")[0] in ("(a)", "(b)", "(c)")]

    # Taking the same document back again changes nothing: every edit is already in the source.
    before = _git_diff(work)
    code, out, err = _absorb(capsys, work, str(edited), "--write")
    assert code == 0, err
    assert _git_diff(work) == before


def test_designated_clause_removed_becomes_not_used(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = E.open_doc(work / "build" / DOCX)
    E.delete(E.clause_paragraph(doc, "18.5|(e)"))
    edited = work / "edited.docx"
    doc.save(str(edited))
    code, _, err = _absorb(capsys, work, str(edited), "--write")
    assert code == 0, err
    rebuilt = _accepted_paragraphs(_rebuild(capsys, work))
    assert "(e)\t[Not used]" in rebuilt
    assert not any("marks as invalid any entry" in t for t in rebuilt)


def test_source_changed_since_build_merges_and_reports_conflicts(work: Path, capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    doc = E.open_doc(work / "build" / DOCX)
    E.replace_text(E.clause_paragraph(doc, "18.4"), "thirteen months", "twelve months")  # merges
    E.replace_text(E.clause_paragraph(doc, "18.5|(b)"), "varh", "VArh")  # conflicts
    edited = work / "edited.docx"
    doc.save(str(edited))
    section = work / "content" / "sections" / "18-profile-data.yaml"
    text = section.read_text()
    text = text.replace("Where a meter holds Profile Data for a shorter period", "Where a meter holds Profile Data "
                        "for any shorter period")
    text = text.replace("records reactive import Profile Data in varh", "records reactive import Profile Data in Wh")
    section.write_text(text)

    code, _out, err = _absorb(capsys, work, str(edited), "--write")
    assert code == 1
    assert "ABS110" in err and "ABS101" in err and "pd-secure-esme-reactive" in err
    merged = section.read_text()
    assert "up to twelve months" in merged and "for any shorter period" in merged
    assert "Profile Data in Wh" in merged, "a conflict leaves the source as it is"


def test_workbook_cell_edit_becomes_applies_to(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = work / "build" / XLSX
    wb = openpyxl.load_workbook(path)
    ws = wb["DMVESM"]
    heads = {str(ws.cell(2, c).value): c for c in range(3, ws.max_column + 1)}
    rows = {str(ws.cell(r, 1).value): r for r in range(3, ws.max_row + 1)}
    col = heads["Liberty 100"]
    row = rows["4.8.2"]
    before = str(ws.cell(row, col).value or "")
    ws.cell(row, col).value = ", ".join(x for x in (before, "18.5c") if x)
    edited = work / "edited.xlsx"
    wb.save(edited)

    code, out, err = _absorb(capsys, work, "--xlsx", str(edited), "--write")
    assert code == 0, err
    yaml = (work / "content" / "sections" / "18-profile-data.yaml").read_text()
    block = yaml[yaml.index("- id: pd-secure-liberty100-export"):yaml.index("- id: pd-lg-range")]
    assert '"4.8.2"' in block and "secure-liberty100" in block
    code, out, _ = run_cli(capsys, "export", "--content", str(work / "content"))
    matrix = json.loads(out)["matrix"]
    cell = next(m for m in matrix if m["srv"] == "4.8.2" and m["device"] == "secure-liberty100")
    assert "pd-secure-liberty100-export" in cell["clauses"]


def test_a_document_not_built_by_s1sr_is_refused(work: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                 ) -> None:
    plain = tmp_path / "plain.docx"
    d = docx.Document()
    d.add_paragraph("18.5\tHello")
    d.save(str(plain))
    code, out, err = _absorb(capsys, work, str(plain), "--write")
    assert code == 2 and "DOCX280" in err and out == ""
    code, out, err = _absorb(capsys, work, str(tmp_path / "missing.docx"))
    assert code == 2 and "no such file" in err


def test_workbook_of_another_build_is_refused(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "build", "--content", str(work / "content"), "--release", "v12", "--out",
                             str(work / "b12"), "--no-site", "-q")
    assert code == 0, err
    code, _, err = _absorb(capsys, work, str(work / "build" / DOCX), "--xlsx", str(work / "b12" / "DMVESM-v12.0.xlsx"))
    assert code == 2 and "XLSX180" in err
