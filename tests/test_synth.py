"""The synthetic corpus generator (bench/synth.py) and, slow, the benchmark end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import synth
from generator.app import api
from generator.diagnostics import Severity

REPO = Path(__file__).resolve().parent.parent


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    synth.generate(tmp_path / "a", scale=0.1, seed=7)
    synth.generate(tmp_path / "b", scale=0.1, seed=7)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert "releases/r1.json" in a and "changes.yaml" in a
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_another_seed_gives_other_content(tmp_path: Path) -> None:
    synth.generate(tmp_path / "a", scale=0.1, seed=1, release=False)
    synth.generate(tmp_path / "b", scale=0.1, seed=2, release=False)
    assert _files(tmp_path / "a")["devices.yaml"] != _files(tmp_path / "b")["devices.yaml"]


def test_counts_at_1x_are_as_specified(tmp_path: Path) -> None:
    s = synth.generate(tmp_path / "c", scale=1, release=False)
    assert s.sections == 25
    assert 1450 <= s.clauses <= 1550
    assert s.depth == 4
    assert s.devices == 40
    assert s.srvs == 129  # the whole DUIS list
    assert s.cells == 600
    assert 20 <= s.tables <= 45  # about 2% of clauses
    assert 90 <= s.xrefs <= 200  # about one clause in ten cites another
    assert s.groups >= 5
    # The files are a real content folder.
    assert not (tmp_path / "c" / "srvs.csv").exists()  # the DUIS list comes from the package
    assert len(list((tmp_path / "c" / "sections").glob("*.yaml"))) == 25


def test_10x_scales_every_count_but_the_srvs(tmp_path: Path) -> None:
    gen = synth._Gen(seed=1, scale=10)
    gen.make_devices()
    gen.make_tree()
    assert len(gen.sections) == 250
    assert len(gen.devices) == 400
    assert 14500 <= len(gen.all_nodes()) <= 15500
    assert len(gen.srvs) == 129


def test_the_draft_checks_clean_against_its_release(tmp_path: Path) -> None:
    root = tmp_path / "content"
    s = synth.generate(root, scale=0.2, seed=3)
    diags = api.check(str(root))
    bad = [f"{d.code} {d.message}" for d in diags if d.severity in (Severity.ERROR, Severity.WARNING)]
    assert bad == []
    # The change is realistic: 2% amended, 1% added, 0.5% [Not used], one declared renumbering.
    assert len(s.amended) >= round(0.02 * 300) and len(s.added) >= 3 and len(s.not_used) >= 1
    assert len(s.renumbered) == 3  # the list's items; the sub-clause numbers they leave read [Not used]
    declared = [d for d in diags if d.code == "S1SR104"]
    assert {d.location.clause_id for d in declared} == set(s.renumbered)
    project, _ = api.load(str(root))
    assert project is not None and project.baseline is not None and project.baseline.name == "r1"


@pytest.mark.slow
def test_benchmark_runs_end_to_end_at_a_small_scale(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--scales", "0.1", "--runs", "1", "--skip", "strictdoc",
         "--work", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=170, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = (tmp_path / "results.md").read_text()
    assert "### Scale 0.1×" in report and "### Targets" in report
    for stage in ("load (read YAML)", "source check", ".docx writer", "lxml document.xml floor", "StrictDoc"):
        assert stage in report
    assert (tmp_path / "results.json").exists()
