"""The source check with its reference checks or its letters' comparison in a forked child gives
the same findings, in the same order, as the check done in one process; a child that fails
leaves the work to the parent (generator/app/forked.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import synth
from generator.app import api, forked
from generator.diagnostics import Diagnostic, Severity
from tests.support import CONTENT, count_forks

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="no fork here (not Linux, or other threads)")


def _checked(root: Path, monkeypatch: pytest.MonkeyPatch, *, child: bool) -> tuple[list[Diagnostic], int]:
    """The findings of ``api.check`` and the number of children forked for it."""
    forks = count_forks(monkeypatch)
    monkeypatch.setattr(forked, "spare_cpu", lambda: child)
    monkeypatch.setattr(api, "_FORK_CLAUSES", 1)  # the examples are small: fork for any size
    return api.check(str(root)), len(forks)


def _findings(diags: list[Diagnostic]) -> list[str]:
    return [repr(d) for d in diags]


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic source with a release, a change set and a letter: every kind of finding the
    numbering, references and letters passes make on a draft that moved on."""
    root = tmp_path_factory.mktemp("synth") / "content"
    synth.generate(root, scale=0.3, seed=3)
    return root


def test_the_example_checks_the_same_with_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    in_child, forks = _checked(CONTENT, monkeypatch, child=True)
    assert forks == 1
    here, forks = _checked(CONTENT, monkeypatch, child=False)
    assert forks == 0
    assert _findings(in_child) == _findings(here)


def test_a_changed_draft_checks_the_same_with_a_child(changed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_child, forks = _checked(changed, monkeypatch, child=True)
    assert forks == 1
    here, _ = _checked(changed, monkeypatch, child=False)
    assert _findings(in_child) == _findings(here)
    assert any(d.severity == Severity.INFO for d in here)  # the declared renumbering, reported


def test_findings_of_both_halves_come_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken cross-reference (the reference checks) and a letter naming a version that does
    not exist (the letters' check): one from each side of the fork, both reported."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    section = next(p for p in sorted((root / "sections").glob("*.yaml")) if "[[" in p.read_text(encoding="utf-8"))
    text = section.read_text(encoding="utf-8")
    start = text.index("[[") + 2
    section.write_text(text[:start] + "no-such-clause" + text[text.index("]]", start):], encoding="utf-8")
    letter = next((root / "letters").glob("*.yaml"))
    lines = letter.read_text(encoding="utf-8").splitlines(keepends=True)
    letter.write_text("".join("version: v99\n" if ln.startswith("version:") else ln for ln in lines),
                      encoding="utf-8")
    in_child, forks = _checked(root, monkeypatch, child=True)
    assert forks == 1
    here, _ = _checked(root, monkeypatch, child=False)
    assert _findings(in_child) == _findings(here)
    codes = {d.code for d in here}
    assert "no-such-clause" in "".join(d.message for d in here)
    assert len(codes) >= 2 and any("v99" in d.message for d in here)


def test_a_child_that_fails_leaves_the_work_to_the_parent(changed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here, _ = _checked(changed, monkeypatch, child=False)

    def broken(obj: object) -> bytes:
        raise RuntimeError("cannot pickle")

    monkeypatch.setattr(forked, "dumps", broken)
    in_child, forks = _checked(changed, monkeypatch, child=True)
    assert forks == 1
    assert _findings(in_child) == _findings(here)


def test_in_child_returns_the_work_result_or_raises_its_error() -> None:
    assert forked.in_child(lambda: {"cells": (1, 2, 3)})() == {"cells": (1, 2, 3)}

    def fails() -> int:
        raise ValueError("bad snapshot")

    finish = forked.in_child(fails)
    with pytest.raises(ValueError, match="bad snapshot"):
        finish()  # the child exits non-zero; the parent does the work, and raises its error


@pytest.mark.parametrize(("text", "running"), [
    ("0.50 0.61 0.70 2/345 6789\n", 2),
    ("1.52 1.68 1.56 1/91 25838", 1),
    ("0.00 0.00 0.00", None),
    ("0.1 0.1 0.1 x/91 1", None),
    ("", None),
])
def test_runnable_now_reads_the_fourth_field_of_proc_loadavg(text: str, running: int | None) -> None:
    assert forked.runnable_now(text) == running


def test_a_busy_machine_gets_no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two CPUs: a child only when this process is the one task runnable now."""
    monkeypatch.setattr(forked.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(forked, "runnable_now", lambda text: 1)
    assert forked.spare_cpu()
    monkeypatch.setattr(forked, "runnable_now", lambda text: 2)
    assert not forked.spare_cpu()
    monkeypatch.setattr(forked.os, "sched_getaffinity", lambda pid: {0})
    monkeypatch.setattr(forked, "runnable_now", lambda text: 1)
    assert not forked.spare_cpu()
