"""The pre-commit hook (.pre-commit-hooks.yaml) run by the real pre-commit tool.

`pre-commit try-repo` builds a virtual environment and pip-installs this repository into it
(at the committed HEAD), so the first run needs the package index for the dependencies.
Each run takes 10-35 s, so the try-repo test is marked slow (CI runs it in its bounded step:
``pytest -m slow``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.app.scaffold import init_project
from tests.support import missing, require

REPO = Path(__file__).resolve().parent.parent
_NETWORK = ("NewConnectionError", "Temporary failure in name resolution", "No matching distribution",
            "Could not find a version", "Network is unreachable", "ReadTimeoutError")


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60, check=True)
    return proc.stdout.strip()


def _try_repo(cwd: Path, home: Path, ref: str) -> subprocess.CompletedProcess[str]:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        missing("pre-commit", "pip install -e '.[test]' installs it")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    wheelhouse = os.environ.get("S1SR_WHEELHOUSE")
    if wheelhouse:
        # Install the hook's dependencies from wheels fetched at set-up: no network at test time.
        env |= {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": wheelhouse}
    try:
        proc = subprocess.run([pre_commit, "try-repo", str(REPO), "s1sr-check", "--all-files", "--ref", ref],
                              cwd=cwd, capture_output=True, text=True, env=env, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("pre-commit try-repo took more than 10 minutes")
    output = proc.stdout + proc.stderr
    if proc.returncode not in (0, 1) or ("Installing environment" in output and "s1sr check" not in output):
        if any(s in output for s in _NETWORK) and not os.environ.get("CI"):
            pytest.skip("pre-commit could not install the hook's dependencies (no package index reachable)")
    return proc


def test_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "s1sr-check")
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["files"] == "^content/"
    assert hook["entry"].split()[:2] == ["s1sr", "check"]


@pytest.mark.slow
def test_try_repo_fails_on_a_broken_clause_and_passes_when_fixed(tmp_path: Path) -> None:
    require("git")
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: try-repo needs this repository's history")
    ref = _git(REPO, "rev-parse", "HEAD")
    if ".pre-commit-hooks.yaml" not in _git(REPO, "ls-tree", "--name-only", ref):
        pytest.skip(".pre-commit-hooks.yaml is not committed yet")
    repo = tmp_path / "repo"
    init_project(str(repo))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "s1sr init")
    section = repo / "content" / "sections" / "01-general.yaml"
    good = section.read_text()
    assert "[[general-interpretation]]" in good

    section.write_text(good.replace("[[general-interpretation]]", "[[general-interp]]"))
    _git(repo, "add", "-u")
    broken = _try_repo(repo, tmp_path / "pre-commit-home", ref)
    out = broken.stdout + broken.stderr
    assert broken.returncode == 1, out
    assert "s1sr check" in out and "Failed" in out
    assert "S1SR201" in out and "general-interp" in out

    section.write_text(good)
    _git(repo, "add", "-u")
    fixed = _try_repo(repo, tmp_path / "pre-commit-home", ref)
    out = fixed.stdout + fixed.stderr
    assert fixed.returncode == 0, out
    assert "Passed" in out


def test_init_config_runs_the_installed_s1sr(tmp_path: Path) -> None:
    """The .pre-commit-config.yaml that `s1sr init` writes (a `local` hook using the installed s1sr)."""
    require("git")
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit is None:
        missing("pre-commit", "pip install -e '.[test]' installs it")
    repo = tmp_path / "repo"
    init_project(str(repo))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home"), "PRE_COMMIT_COLOR": "never",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([pre_commit, "run", "s1sr-check", "--all-files"], cwd=repo, capture_output=True,
                              text=True, env=env, timeout=300, check=False)

    ok = run()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    devices = repo / "content" / "devices.yaml"
    devices.write_text(devices.read_text().replace("cohort: FOC            # FOC, IOC or MOC", "cohort: XOC"))
    _git(repo, "add", "-u")
    bad = run()
    assert bad.returncode == 1 and "S1SR011" in bad.stdout, bad.stdout + bad.stderr
