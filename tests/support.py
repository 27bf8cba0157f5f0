"""Shared test helpers: real LibreOffice and real Chromium, run headless and offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"


def require(tool: str) -> str:
    """The tool's path; in CI a missing tool fails the test, elsewhere it skips."""
    path = shutil.which(tool)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is not installed (scripts/test.sh installs it)")
    pytest.skip(f"{tool} is not installed")
    raise AssertionError  # unreachable


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
