"""A build killed at any instant leaves the previous outputs whole (or the new ones whole)."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

RUNS = 20


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(content: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--content", str(content),
                             "--out", str(out)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_sigkill_at_random_points_never_leaves_a_mixture(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    out = tmp_path / "build"
    t0 = time.monotonic()
    assert _build(content, out).wait() == 0
    duration = time.monotonic() - t0
    old = _digest(out)
    assert old
    # Change the source so the next build's outputs differ from the previous ones.
    doc = content / "document.yaml"
    doc.write_text(doc.read_text().replace('version: "13.0"', 'version: "13.1"'))
    rng = random.Random(20261124)
    outcomes = {"old": 0, "new": 0}
    new: dict[str, str] | None = None
    for _ in range(RUNS):
        proc = _build(content, out)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _digest(out)
        if now == old:
            outcomes["old"] += 1
            continue
        if new is None:
            # The first complete new build: establish what "new" looks like from a clean run.
            ref = tmp_path / "ref"
            assert _build(content, ref).wait() == 0
            new = _digest(ref)
        assert now == new, "a killed build left a mixture of old and new outputs"
        outcomes["new"] += 1
        # Put the old outputs back so the next kill again has something to lose.
        shutil.rmtree(out)
        doc.write_text(doc.read_text().replace('version: "13.1"', 'version: "13.0"'))
        assert _build(content, out).wait() == 0
        doc.write_text(doc.read_text().replace('version: "13.0"', 'version: "13.1"'))
        assert _digest(out) == old
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".build.")]
    # Staging folders of killed builds are cleaned up by the next build, never mistaken for outputs.
    assert outcomes["old"] + outcomes["new"] == RUNS
    assert outcomes["old"] >= 1, outcomes
    print(f"kill runs: {RUNS}, previous outputs intact: {outcomes['old']}, completed before the kill: "
          f"{outcomes['new']}, staging leftovers: {len(leftovers)}")
    assert os.path.isdir(out)
