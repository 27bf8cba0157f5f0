"""The build and the check need no network: run them with networking switched off."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support import missing


def _unshare() -> list[str]:
    tool = shutil.which("unshare")
    if not tool or subprocess.run([tool, "-n", "true"], capture_output=True, check=False).returncode != 0:
        missing("a network namespace (unshare -n)", "run the tests as root, as scripts/test.sh in CI does")
    return [tool, "-n"]


def test_no_network_really_means_none() -> None:
    probe = "import socket; s = socket.socket(); s.settimeout(2); print(s.connect_ex(('192.0.2.1', 80)))"
    proc = subprocess.run([*_unshare(), sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert proc.stdout.strip() not in ("", "0")


@pytest.mark.e2e
def test_build_and_check_offline(tmp_path: Path) -> None:
    cmd = _unshare()
    out, site = tmp_path / "build", tmp_path / "site"
    build = [sys.executable, "-m", "generator", "build", "--content", str(REPO / "content"), "--out", str(out)]
    help_text = subprocess.run([sys.executable, "-m", "generator", "build", "--help"], capture_output=True,
                               text=True, check=False).stdout
    if "--site" in help_text:
        build += ["--site", str(site)]
    proc = subprocess.run([*cmd, *build], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert any(out.iterdir())
    proc = subprocess.run([*cmd, sys.executable, "-m", "generator", "check", "--content", str(REPO / "content")],
                          cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
