"""Shared test helpers: real LibreOffice and real Chromium, run headless and offline; the children
the checks fork, counted."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import uuid
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SYSTEM_PYTHON = Path("/usr/bin/python3")  # LibreOffice's UNO bridge (python3-uno) lives there


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing(what: str, how: str) -> NoReturn:
    """An end-to-end dependency is missing: in CI (CI=true) that fails the test, elsewhere it skips."""
    if in_ci():
        pytest.fail(f"{what} is missing; in CI that is a failure, not a skip ({how})", pytrace=False)
    pytest.skip(f"{what} is missing ({how})", allow_module_level=True)


def require(tool: str) -> str:
    """The tool's path; in CI a missing tool fails the test, elsewhere it skips."""
    path = shutil.which(tool)
    if path:
        return path
    missing(tool, "scripts/test.sh installs it from Debian when run as root")


def require_module(name: str, package: str = "") -> ModuleType:
    """A Python module of the test extra (``pip install -e '.[test]'``); missing fails in CI."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"the Python module {name!r}", f"pip install -e '.[test]' installs {package or name}")


@cache
def _system_python_has_uno() -> bool:
    return SYSTEM_PYTHON.exists() and subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, check=False).returncode == 0


def require_uno() -> str:
    """The system python3 with LibreOffice's UNO bridge (Debian's python3-uno)."""
    if _system_python_has_uno():
        return str(SYSTEM_PYTHON)
    missing("python3-uno for /usr/bin/python3", "scripts/test.sh installs python3-uno from Debian when run as root")


def soffice_convert(src: Path, fmt: str, outdir: Path, *, filter_options: str = "", timeout: int = 240) -> Path:
    """Convert ``src`` with LibreOffice headless; returns the output path.

    Each call gets its own profile so conversions can run in parallel.
    """
    soffice = require("soffice")
    profile = Path("/tmp") / f"lo-profile-{uuid.uuid4().hex}"
    target = f"{fmt}:{filter_options}" if filter_options else fmt
    try:
        proc = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(outdir), str(src)],
            capture_output=True, text=True, timeout=timeout, check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice did not convert {src.name} to {fmt}: {proc.stdout}\n{proc.stderr}"
    return out


CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]


def chromium() -> str:
    return require("chromium")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``s1sr ARGS`` in-process: (exit status, stdout, stderr); a traceback fails the test."""
    from generator.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children generator.app.forked makes from now on (filled as they are made)."""
    from generator.app import forked

    forks: list[int] = []
    real_fork = forked.os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(forked.os, "fork", counting_fork)
    return forks
