"""``s1sr diff`` and ``s1sr build --against``: versions by release name, ``draft`` or ``git:REV``;
bad input is a located error with exit status 2 and nothing written."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import REPO, require, run_cli

CONTENT = str(REPO / "content")


run = run_cli


def test_v12_to_draft_lists_restored_references_as_declared_and_new_clauses(capsys: pytest.CaptureFixture[str],
                                                                            ) -> None:
    code, out, _ = run(capsys, "diff", "--content", CONTENT, "v12", "draft")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "v12 → draft"
    restored = {"pd-clock-before": "18.5q → 18.5p(i)", "pd-secure-gsme": "18.5t → 18.5q",
                "pd-other-gsme": "18.5v → 18.5s"}
    for cid, numbers in restored.items():
        line = next(x for x in lines if f" {cid} " in x)
        assert numbers in line and "renumbered (declared)" in line
    for cid, number in (("tariff-honeywell-activation", "6.3A"), ("cfg-lg-non-gbcs-alerts", "20.5d")):
        line = next(x for x in lines if f" {cid} " in x)
        assert line.split()[0] == number and line.rstrip().endswith("added")
    assert "0 undeclared" in lines[1] and "S1SR401" not in out


def test_v11_to_v12_shows_the_undeclared_shift(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", "--content", CONTENT, "v11", "v12")
    assert code == 0
    assert "6 renumbered (0 declared, 6 undeclared)" in out
    assert "18.5q → 18.5t      pd-secure-gsme" in out and "(NOT declared)" in out
    assert out.count("S1SR401 warning") == 6
    assert "S1SR402 warning: 18.5q named clause 'pd-secure-gsme' in v11 but names 'pd-clock-before' in v12" in out
    assert "18.5q [pd-secure-gsme] → 18.5q [pd-clock-before]" in out  # the DMVESM kept citing 18.5q


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", "--content", CONTENT, "v11", "v12", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["format"] == "s1sr-diff/1"
    assert data["summary"]["renumbered"] == 6 and data["summary"]["declared"] == 0
    moved = {c["id"]: c for c in data["clauses"]}["pd-clock-before"]
    assert moved["kinds"] == ["moved", "renumbered"] and moved["declared"] is False
    assert (moved["old_number"], moved["new_number"]) == ("18.5p(i)", "18.5q")
    amended = {c["id"]: c for c in data["clauses"]}["fw-activation"]
    assert {"op": "insert", "text": "time, and the Device restarts at once."} in amended["words"]
    assert {f["code"] for f in data["findings"]} == {"S1SR401", "S1SR402"}


def test_the_same_version_twice_has_no_differences(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", "--content", CONTENT, "v12", "v12")
    assert code == 0 and "no differences" in out


@pytest.mark.parametrize(("old", "new", "message"), [
    ("v99", "draft", "there is no release 'v99'"),
    ("v12", "git:no-such-revision", "git:no-such-revision: there is no revision 'no-such-revision'"),
    ("git:--output=x", "draft", "is not a git revision"),
])
def test_versions_that_do_not_exist(capsys: pytest.CaptureFixture[str], old: str, new: str, message: str) -> None:
    code, out, err = run(capsys, "diff", "--content", CONTENT, old, new)
    assert code == 2 and out == "" and message in err


def test_a_folder_outside_git(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    code, _, err = run(capsys, "diff", "--content", str(mini), "git:HEAD", "draft")
    assert code == 2 and "is not inside a git repository" in err


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args], cwd=repo,
                   check=True, capture_output=True)


def test_git_revisions_are_read_without_a_checkout(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                   mini: Path) -> None:
    require("git")
    repo = tmp_path / "repo"
    shutil.copytree(mini, repo / "content")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first")
    _git(repo, "tag", "v1")
    section = repo / "content" / "sections" / "01-general.yaml"
    section.write_text(section.read_text().replace("first item", "first item, amended"))
    _git(repo, "commit", "-qam", "second")
    section.write_text(section.read_text().replace("      - id: annex-a\n",
                                                   "      - id: annex-new\n        text: New.\n      - id: annex-a\n"))
    before = section.read_text()
    code, out, _ = run(capsys, "diff", "--content", str(repo / "content"), "git:v1", "git:HEAD")
    assert code == 0 and "annex-a" in out and "[-item-]{+item, amended+}" in out and "annex-new" not in out
    code, out, _ = run(capsys, "diff", "--content", str(repo / "content"), "git:HEAD~1", "draft")
    assert code == 0 and "annex-new" in out and "added" in out
    assert section.read_text() == before, "the working tree is untouched"
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True)
    assert status.stdout.strip() == "M content/sections/01-general.yaml"


def test_a_git_revision_without_the_content_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                   mini: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README").write_text("empty")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first")
    shutil.copytree(mini, repo / "content")
    code, _, err = run(capsys, "diff", "--content", str(repo / "content"), "git:HEAD", "draft")
    assert code == 2 and "revision 'HEAD' has no folder content" in err


def test_build_writes_redlines_and_the_letter(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "build", "--content", CONTENT, "--out", str(tmp_path / "build"), "--no-site")
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "build").iterdir())
    for name in ("S1SR-redline-v12-to-v13.0.docx", "DMVESM-redline-v12-to-v13.0.xlsx",
                 "letter-2025-04-recommendation.docx", "letter-2025-04-recommendation.md"):
        assert name in names and f"wrote {tmp_path / 'build' / name}" in out


def test_build_against_another_release(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, _ = run(capsys, "build", "--content", CONTENT, "--out", str(tmp_path / "b"), "--no-site",
                     "--against", "v11")
    names = {p.name for p in (tmp_path / "b").iterdir()}
    assert code == 0 and {"S1SR-redline-v11-to-v13.0.docx", "DMVESM-redline-v11-to-v13.0.xlsx"} <= names
    code, _, err = run(capsys, "build", "--content", CONTENT, "--out", str(tmp_path / "c"), "--no-site",
                       "--against", "v7")
    assert code == 2 and "there is no release 'v7'" in err and not (tmp_path / "c").exists()


def test_a_letter_selecting_an_unknown_clause_stops_the_build(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    letter = content / "letters" / "2025-04-recommendation.yaml"
    letter.write_text(letter.read_text().replace("- pd-lg-gsme\n", "- pd-lg-gsm\n"))
    code, out, err = run(capsys, "build", "--content", str(content), "--out", str(tmp_path / "build"), "--no-site")
    assert code == 2 and out == "" and not (tmp_path / "build").exists()
    line = next(i for i, x in enumerate(letter.read_text().splitlines(), start=1) if "pd-lg-gsm" in x)
    assert f"2025-04-recommendation.yaml:{line}:" in err and "LTR102 error" in err
    assert "did you mean 'pd-lg-gsme'?" in err
    code, out, _ = run(capsys, "check", "--content", str(content))
    assert code == 2 and "LTR102" in out
