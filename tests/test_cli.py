"""The s1sr command end to end on a small source: release, numbering after release, build, verify."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import run_cli

run = run_cli


def export(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> dict[str, str]:
    code, out, _ = run(capsys, "export", "--content", str(root), *extra)
    assert code == 0
    return {c["id"]: c["number"] for c in json.loads(out)["documents"][0]["clauses"]}


def test_release_freezes_numbers(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    code, out, _ = run(capsys, "release", "--content", str(mini), "v1")
    assert code == 0 and "released v1" in out
    snap = json.loads((mini / "releases" / "v1.json").read_text())
    assert snap["format"] == "s1sr-release/1" and snap["content_hash"].startswith("sha256:")
    assert snap["outputs"], "the release records the SHA-256 of its outputs"
    section = mini / "sections" / "01-general.yaml"
    section.write_text(section.read_text().replace(
        "  - id: annex\n", "  - id: inserted\n    text: A new clause between two released ones.\n  - id: annex\n"))
    numbers = export(capsys, mini)
    assert numbers["inserted"] == "1.1A"
    assert numbers["annex"] == "1.2"
    assert export(capsys, mini, "--release", "v1")["annex"] == "1.2"


def test_release_is_never_overwritten(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    assert run(capsys, "release", "--content", str(mini), "v1")[0] == 0
    before = (mini / "releases" / "v1.json").read_bytes()
    code, _, err = run(capsys, "release", "--content", str(mini), "v1")
    assert code == 2 and "already exists" in err
    assert (mini / "releases" / "v1.json").read_bytes() == before


def test_release_refuses_a_source_with_errors(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    section = mini / "sections" / "01-general.yaml"
    section.write_text(section.read_text().replace("[[annex]]", "[[nowhere]]"))
    code, _, err = run(capsys, "release", "--content", str(mini), "v1")
    assert code == 1
    assert "S1SR201" in err and "nothing was written" in err
    assert not (mini / "releases").exists()


def test_unknown_release_is_a_clear_error(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    code, _, err = run(capsys, "export", "--content", str(mini), "--release", "v9")
    assert code == 2 and "there is no release 'v9'" in err


def test_build_is_reproducible_and_verify_agrees(capsys: pytest.CaptureFixture[str], mini: Path,
                                                 tmp_path: Path) -> None:
    assert run(capsys, "release", "--content", str(mini), "v1")[0] == 0
    code, out, _ = run(capsys, "verify", "--content", str(mini), "v1")
    assert code == 0 and "every output matches" in out
    # Tamper with the recorded hash: verify must notice.
    path = mini / "releases" / "v1.json"
    snap = json.loads(path.read_text())
    name = sorted(snap["outputs"])[0]
    snap["outputs"][name] = "0" * 64
    path.write_text(json.dumps(snap))
    code, out, _ = run(capsys, "verify", "--content", str(mini), "v1")
    assert code == 1 and name in out


def _build_in_process(root: Path, out: Path, cwd: Path, epoch: str) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch, TZ="Pacific/Auckland" if epoch == "1" else "UTC")
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(root), "--out", str(out),
                           "--site", str(out) + "-site"],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_two_builds_in_separate_processes_are_byte_identical(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _build_in_process(mini, tmp_path / "out1", tmp_path / "a", "1")
    _build_in_process(mini, tmp_path / "out2", tmp_path / "b", "1700000000")
    for a, b in (("out1", "out2"), ("out1-site", "out2-site")):
        files1 = sorted(p.relative_to(tmp_path / a) for p in (tmp_path / a).rglob("*") if p.is_file())
        files2 = sorted(p.relative_to(tmp_path / b) for p in (tmp_path / b).rglob("*") if p.is_file())
        assert files1 == files2 and files1
        for f in files1:
            assert (tmp_path / a / f).read_bytes() == (tmp_path / b / f).read_bytes(), f


def test_help_of_every_command_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main_parser

    parser = main_parser()
    subs = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in subs.choices.items():  # type: ignore[attr-defined]
        assert "example" in sub.format_help(), name
