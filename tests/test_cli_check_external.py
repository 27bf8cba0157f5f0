"""`s1sr check --docx … --xlsx …` on real files: the example's releases rendered as designated.

The v12 pair (with the 18.5 error; its DMVESM cites v11's numbers) against the v11 pair must name
each shifted 18.5 clause and each affected DMVESM cell; the draft pair and the v11 pair are aligned.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli
from generator.app import api
from generator.model import Project
from generator.readers.xlsx import read_xlsx
from tests.support import CONTENT, count_forks

SHIFTED = ("18.5q", "18.5r", "18.5s", "18.5t", "18.5u", "18.5v")


def _render(project: Project, folder: Path, name: str) -> tuple[Path, Path]:
    files = api.render(project, only=("docx", "xlsx"))
    docx = next(n for n in files if n.endswith(".docx") and n.startswith("S1SR-v"))
    xlsx = next(n for n in files if n.endswith(".xlsx") and n.startswith("DMVESM-v"))
    out = []
    for n, ext in ((docx, "docx"), (xlsx, "xlsx")):
        path = folder / f"{name}.{ext}"
        path.write_bytes(files[n])
        out.append(path)
    return out[0], out[1]


def _built(folder: Path, name: str) -> tuple[Path, Path]:
    """`s1sr build [--release NAME] --no-site`: the pair as designated (or the draft's)."""
    out = folder / name
    argv = ["build", "--content", str(CONTENT), "--out", str(out), "--no-site", "-q"]
    assert cli.main([*argv, "--release", name] if name != "draft" else argv) == 0
    docx = next(p for p in out.iterdir() if p.name.startswith("S1SR-v") and p.suffix == ".docx")
    xlsx = next(p for p in out.iterdir() if p.name.startswith("DMVESM-v") and p.suffix == ".xlsx")
    return docx, xlsx


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("pairs")
    return {name: _built(folder, name) for name in ("v11", "v12", "draft")}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(["check", "--content", str(CONTENT), *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_v12_against_v11_names_every_shifted_clause_and_cell(pairs: dict[str, tuple[Path, Path]],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    (d12, x12), (d11, x11) = pairs["v12"], pairs["v11"]
    status, out, _ = run(capsys, "--docx", str(d12), "--xlsx", str(x12), "--baseline-docx", str(d11),
                         "--baseline-xlsx", str(x11), "--format", "json")
    assert status == 1
    findings = json.loads(out)["findings"]
    # The root cause leads, alone; each shifted clause and each DMVESM cell is a related location.
    (pattern,) = findings
    assert pattern["code"] == "DOCX214"
    assert "18.5p introduces a list" in pattern["message"] and "18.5p(i)" in pattern["message"]
    related = [r for r in pattern["related"] if "note" in r]
    moved = {r["clause_number"] for r in related if r["note"].startswith("EXT201 ")}
    assert moved == set(SHIFTED)
    matrix, _ = read_xlsx(x12)
    assert matrix is not None
    affected = {c.cell_ref for c in matrix.cells if set(c.numbers) & {"18.5q", "18.5r", "18.5s"}}
    retargeted = {r["cell"]: r["note"] for r in related if r["note"].startswith("EXT202 error: ")}
    assert set(retargeted) == affected and len(affected) == 6
    for cell, message in retargeted.items():
        # the cell, the number it cites, and the number where its old text now lives
        assert f"DMVESM!{cell}" in message
        assert any(f"cites {n}, which in the baseline read" in message for n in ("18.5q", "18.5r", "18.5s"))
        assert any(f"that text is now {n}" in message for n in ("18.5t", "18.5u", "18.5v"))


def test_draft_against_v12_is_a_correction(pairs: dict[str, tuple[Path, Path]],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The draft restores v11's numbers: the moves are listed, the cells that follow them are notes."""
    (dd, xd), (d12, x12) = pairs["draft"], pairs["v12"]
    status, out, _ = run(capsys, "--docx", str(dd), "--xlsx", str(xd), "--baseline-docx", str(d12),
                         "--baseline-xlsx", str(x12), "--format", "json")
    assert status == 0
    findings = json.loads(out)["findings"]
    (restored,) = findings  # the correction leads; the moves and the cells that follow are under it
    assert restored["code"] == "EXT111" and restored["severity"] == "warning"
    assert "18.5q to 18.5s of the baseline are items of 18.5p again" in restored["message"]
    related = [r for r in restored["related"] if "note" in r]
    assert {r["clause_number"] for r in related if r["note"].startswith("EXT201 ")} == {
        "18.5p(i)", "18.5p(ii)", "18.5p(iii)", "18.5q", "18.5r", "18.5s"}
    notes = [r for r in related if r["note"].startswith("EXT204 ")]
    assert len(notes) == 6 and all("about this Device Model" in r["note"] for r in notes)


def test_v12_alone_shows_the_pattern(pairs: dict[str, tuple[Path, Path]], capsys: pytest.CaptureFixture[str]) -> None:
    d12, x12 = pairs["v12"]
    status, out, _ = run(capsys, "--docx", str(d12), "--xlsx", str(x12))
    assert status == 1
    assert "DOCX214 error: 18.5p introduces a list" in out
    assert "EXT102 warning" in out  # the cited items concern other Device Models


@pytest.mark.parametrize("name", ["draft", "v11"])
def test_aligned_pairs_exit_0(name: str, pairs: dict[str, tuple[Path, Path]],
                              capsys: pytest.CaptureFixture[str]) -> None:
    docx, xlsx = pairs[name]
    status, out, _ = run(capsys, "--docx", str(docx), "--xlsx", str(xlsx))
    assert status == 0, out
    assert out.endswith("0 error(s), 0 warning(s), 0 note(s)\n")


def test_aligned_without_a_content_folder(pairs: dict[str, tuple[Path, Path]], capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    docx, xlsx = pairs["draft"]
    status = cli.main(["check", "--content", str(tmp_path / "none"), "--docx", str(docx), "--xlsx", str(xlsx)])
    assert status == 0, capsys.readouterr().out


def test_sarif(pairs: dict[str, tuple[Path, Path]], capsys: pytest.CaptureFixture[str]) -> None:
    (d12, x12), (d11, x11) = pairs["v12"], pairs["v11"]
    status, out, _ = run(capsys, "--docx", str(d12), "--xlsx", str(x12), "--baseline-docx", str(d11),
                         "--baseline-xlsx", str(x11), "--format", "sarif")
    assert status == 1
    data = json.loads(out)
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = data["runs"]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert {"S1SR102", "DOCX214", "EXT202", "XLSX101"} <= set(ids)
    for res in run_["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
    clause = next(r for r in run_["results"] if r["ruleId"] == "DOCX214")
    assert clause["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "clause 18.5q"
    # The cells it explains are its related locations, each with its own message.
    cells = [r for r in clause["relatedLocations"] if r.get("message", {}).get("text", "").startswith("EXT202 ")]
    assert len(cells) == 6
    loc = cells[0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("DMVESM-v12.0.xlsx")
    assert loc["logicalLocations"][0]["name"].startswith("DMVESM!")
    assert [r["id"] for r in clause["relatedLocations"]] == list(range(1, len(clause["relatedLocations"]) + 1))


def test_sarif_on_the_source_has_regions(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    sec = mini / "sections" / "01-general.yaml"
    sec.write_text(sec.read_text().replace("[[annex]]", "[[anex]]"))
    status = cli.main(["check", "--content", str(mini), "--format", "sarif"])
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    res = next(r for r in data["runs"][0]["results"] if r["ruleId"] == "S1SR201")
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] > 0 and region["startColumn"] > 0


@pytest.mark.parametrize(("which", "data", "code", "words"), [
    ("docx", b"%PDF-1.4 a pdf", "DOCX201", "is not a Word .docx document (a PDF file)"),
    ("docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "DOCX203", "encrypted with a password"),
    ("xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "XLSX102", ""),
    ("xlsx", b"not a workbook", "XLSX101", ""),
])
def test_unreadable_files_exit_2(which: str, data: bytes, code: str, words: str, tmp_path: Path,
                                 pairs: dict[str, tuple[Path, Path]], capsys: pytest.CaptureFixture[str]) -> None:
    docx, xlsx = pairs["draft"]
    bad = tmp_path / f"bad.{which}"
    bad.write_bytes(data)
    args = ["--docx", str(bad if which == "docx" else docx), "--xlsx", str(bad if which == "xlsx" else xlsx)]
    status, out, _ = run(capsys, *args)
    assert status == 2
    assert f"{code} error" in out and words in out


def test_swapped_files_exit_2(pairs: dict[str, tuple[Path, Path]], capsys: pytest.CaptureFixture[str]) -> None:
    docx, xlsx = pairs["draft"]
    status, out, _ = run(capsys, "--docx", str(xlsx), "--xlsx", str(docx))
    assert status == 2
    assert "is an Excel workbook, not the S1SR Word document" in out


@pytest.mark.parametrize("argv", [["--xlsx", "x.xlsx"], ["--docx", "missing.docx"]])
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["check", "--content", str(CONTENT), *argv])
    assert exc.value.code == 2
    assert "s1sr: error:" in capsys.readouterr().err


def test_source_check_stays_light() -> None:
    code = ("import sys\nfrom generator.cli import main\n"
            f"main(['check', '--content', {str(CONTENT)!r}])\n"
            "print(sorted(m for m in ('lxml', 'docx', 'openpyxl', 'generator.readers.docx') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False).stdout
    assert out.strip().endswith("[]")


def test_automatic_numbering_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A hand-kept S1SR numbered by Word: the numbers are computed as Word shows them, and the 18.5
    error made with list levels (items at the sub-clause level) is found the same way."""
    from tests.readers.docx_fixtures import abstract, lvl, num, p, style, write_docx

    levels = abstract(0, lvl(0, "decimal", "%1", start=18), lvl(1, "decimal", "%1.%2", start=5),
                      lvl(2, "lowerLetter", "(%3)", start=15), lvl(3, "lowerRoman", "(%4)"))
    styles = style("Sec", "Section", num_id=1, ilvl=0) + style("Cl", "Clause", num_id=1, ilvl=1) + \
        style("Sub", "Sub-clause", num_id=1, ilvl=2)
    body = (p("Profile Data", style="Sec") + p("Device-specific behaviour:", style="Cl")
            + p("An IOC ESME does not return the current period.", style="Sub")
            + p("Where the clock was adjusted, the Device returns Profile Data as follows:", style="Sub")
            + p("entries before the adjustment keep their timestamps;", style="Sub")
            + p("where the clock was set back, an entry is returned once.", style="Sub")
            + p("A Secure GSME records gas Profile Data in cubic metres.", style="Sub"))
    docx = write_docx(tmp_path / "word-numbered.docx", body, levels + num(1, 0), styles)
    status, out, _ = run(capsys, "--docx", str(docx))
    assert status == 1
    assert "18.5p introduces a list" in out and "18.5q and 18.5r" in out and "18.5p(i) and 18.5p(ii)" in out
    assert "from 18.5s on is numbered 2 places later" in out


def test_automatic_and_typed_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.readers.docx_fixtures import abstract, lvl, num, p, write_docx

    body = p("Section", 1, 0) + p("1.1 typed as well as numbered", 1, 1)
    docx = write_docx(tmp_path / "two.docx", body, abstract(0, lvl(0, "decimal", "%1"),
                                                            lvl(1, "decimal", "%1.%2")) + num(1, 0))
    _status, out, _ = run(capsys, "--docx", str(docx))
    assert "DOCX216 warning: paragraph 2 shows the automatic number 1.1 and then the typed number '1.1'" in out


def test_shipped_srv_names_are_the_checked_list() -> None:
    """The external check reads the shipped SRV list with csv alone; the source reader's
    read_srvs, which checks a user's list, reads the same file to the same names."""
    from importlib import resources

    from generator.app.external import shipped_srv_names
    from generator.readers.yaml_source import read_srvs

    diags: list = []
    with resources.as_file(resources.files("generator").joinpath("data", "srvs.csv")) as path:
        checked = {s.number: s.name for s in read_srvs(str(path), "srvs.csv", diags)}
    assert not diags
    assert shipped_srv_names() == checked
    assert len(checked) > 100


def test_external_check_stays_light(pairs: dict[str, tuple[Path, Path]]) -> None:
    """Without a content folder the external check loads no YAML reader and no model it does
    not use (start-up is most of its time on a small pair)."""
    docx, xlsx = pairs["v11"]
    code = ("import sys\nfrom generator.cli import main\n"
            f"main(['check', '--docx', {str(docx)!r}, '--xlsx', {str(xlsx)!r}, '-q'])\n"
            "print('LOADED', sorted(m for m in ('yaml', 'generator.readers.yaml_source', 'generator.model.letter',"
            " 'generator.model.consultation', 'generator.model.diff', 'ctypes', 'openpyxl', 'docx') "
            "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                         cwd=str(docx.parent)).stdout
    assert "LOADED []" in out, out


def test_the_parent_leaves_the_workbooks_to_the_child(pairs: dict[str, tuple[Path, Path]]) -> None:
    """With the workbooks read in a child, the process reading the .docx never loads the workbook
    reader nor the SRV list: the child sends them back as citations, and the findings are those
    of the workbooks read here."""
    from generator.app import forked

    if not forked.can_fork():
        pytest.skip("no fork here (not Linux, or other threads)")
    docx, xlsx = pairs["v12"]
    code = ("import sys\nfrom generator.app import external, forked\n"
            "forked.spare_cpu = lambda: FORK\n"
            f"diags = external.check_documents({str(docx)!r}, {str(xlsx)!r})\n"
            "print('LOADED', sorted(m for m in ('generator.readers.xlsx', 'csv') if m in sys.modules))\n"
            "print('FOUND', [repr(d) for d in diags])\n"
            "print('SHEETS', sorted({x.sheet for d in diags for x in (d.location, *d.related) if x.sheet}))\n")

    def run_check(fork: bool) -> list[str]:
        out = subprocess.run([sys.executable, "-c", code.replace("FORK", str(fork))], capture_output=True, text=True,
                             check=False, cwd=str(docx.parent)).stdout
        return out.splitlines()

    forked_run, here = run_check(True), run_check(False)
    assert "LOADED []" in forked_run, forked_run
    assert "LOADED ['csv', 'generator.readers.xlsx']" in here, here
    found = [line for line in forked_run if line.startswith("FOUND")]
    assert found == [line for line in here if line.startswith("FOUND")]
    assert "SHEETS ['DMVESM']" in forked_run  # findings at the workbook's cells came back


def _findings(diags: list[object]) -> list[str]:
    return [repr(d) for d in diags]


def test_workbooks_read_in_a_child_give_the_same_findings(pairs: dict[str, tuple[Path, Path]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The workbooks read in a forked child (when a second CPU is idle) come back whole: the
    same findings, in the same order, as read in the process itself, with a baseline pair too."""
    from generator.app import external, forked

    if not forked.can_fork():
        pytest.skip("no fork here (not Linux, or other threads)")
    (docx, xlsx), (old_docx, old_xlsx) = pairs["v12"], pairs["v11"]
    args = dict(baseline_docx=str(old_docx), baseline_xlsx=str(old_xlsx), content=str(CONTENT))
    forks = count_forks(monkeypatch)
    monkeypatch.setattr(forked, "spare_cpu", lambda: True)
    in_child = external.check_documents(str(docx), str(xlsx), **args)
    assert len(forks) == 1
    monkeypatch.setattr(forked, "spare_cpu", lambda: False)
    here = external.check_documents(str(docx), str(xlsx), **args)
    assert len(forks) == 1
    assert _findings(in_child) == _findings(here)
    # what the workbooks said is there: the cells citing moved numbers, at their sheet and cell
    assert any(loc.sheet and loc.cell for d in here for loc in (d.location, *d.related))


def test_a_child_that_fails_leaves_the_read_to_the_parent(pairs: dict[str, tuple[Path, Path]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that cannot send its result (here: the pickling fails) exits non-zero; the parent
    reads the workbooks itself and finds what it always did."""
    from generator.app import external, forked

    if not forked.can_fork():
        pytest.skip("no fork here (not Linux, or other threads)")
    docx, xlsx = pairs["v12"]
    monkeypatch.setattr(forked, "spare_cpu", lambda: False)
    expected = external.check_documents(str(docx), str(xlsx))

    def broken(obj: object) -> bytes:
        raise RuntimeError("cannot pickle")

    monkeypatch.setattr(forked, "spare_cpu", lambda: True)
    monkeypatch.setattr(forked, "dumps", broken)
    assert _findings(external.check_documents(str(docx), str(xlsx))) == _findings(expected)
