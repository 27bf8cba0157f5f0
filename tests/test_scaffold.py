"""`s1sr init`: a new clause-source repository that checks and builds clean at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.app import schemas
from generator.app.scaffold import init_project, template_files
from tests.support import run_cli

REPO = Path(__file__).resolve().parent.parent


run = run_cli


def test_init_then_build_and_check_exit_0(tmp_path: Path) -> None:
    """The issue's 'done when': init, then build and check there, as a user would (subprocesses)."""
    target = tmp_path / "my-s1sr"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("CI", None)
    s1sr = [sys.executable, "-m", "generator"]
    init = subprocess.run([*s1sr, "init", str(target)], capture_output=True, text=True, env=env, timeout=120)
    assert init.returncode == 0, init.stderr
    build = subprocess.run([*s1sr, "build"], cwd=target, capture_output=True, text=True, env=env, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    check = subprocess.run([*s1sr, "check"], cwd=target, capture_output=True, text=True, env=env, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 error(s), 0 warning(s)" in check.stdout
    assert list((target / "build").iterdir()), "build wrote nothing"


def test_init_writes_every_template(tmp_path: Path) -> None:
    result = init_project(str(tmp_path / "new"))
    expected = set(template_files())
    assert set(result.created) == expected and not result.skipped
    for rel in (".pre-commit-config.yaml", ".github/workflows/s1sr.yml", "mkdocs.yml",
                "content/document.yaml", "content/devices.yaml", "schema/section.schema.json"):
        assert rel in expected
    assert "content/srvs.csv" not in expected  # the reader falls back to the package's DUIS list
    assert "@S1SR_VERSION@" not in "".join(c.decode() for c in template_files().values())


def test_init_content_matches_the_schemas(tmp_path: Path) -> None:
    init_project(str(tmp_path))
    content = tmp_path / "content"
    pairs = [("document", content / "document.yaml"), ("devices", content / "devices.yaml")]
    pairs += [("section", p) for p in (content / "sections").glob("*.yaml")]
    for kind, path in pairs:
        schema = json.loads(schemas.schema_bytes(kind))
        jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(path.read_text()))
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        assert (path.parent / first.split("=", 1)[1]).resolve() == (tmp_path / "schema" / f"{kind}.schema.json")


def test_ci_workflow_and_hook_config_are_valid_yaml(tmp_path: Path) -> None:
    init_project(str(tmp_path))
    workflow = yaml.safe_load((tmp_path / ".github/workflows/s1sr.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    assert any("--format sarif" in s.get("run", "") for s in steps)
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    hook = hooks["repos"][0]["hooks"][0]
    assert hook["id"] == "s1sr-check" and hook["pass_filenames"] is False and hook["files"] == "^content/"


def test_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = run(capsys, "init", str(tmp_path))
    assert code == 2 and "not empty" in err and "--force" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("x")
    code, _, err = run(capsys, "init", str(tmp_path / "f"))
    assert code == 2 and "not a folder" in err


def test_force_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "document.yaml").write_text("# my own\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: Mine\n")
    code, out, _ = run(capsys, "init", "--force", str(tmp_path))
    assert code == 0
    assert (tmp_path / "content" / "document.yaml").read_text() == "# my own\n"
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: Mine\n"
    assert f"skipped {tmp_path / 'content' / 'document.yaml'}" in out
    assert f"skipped {tmp_path / 'mkdocs.yml'}" in out
    assert (tmp_path / "content" / "devices.yaml").exists()
    # A second run adds nothing and overwrites nothing.
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code, out, _ = run(capsys, "init", "--force", str(tmp_path))
    assert code == 0 and "created" not in out
    assert before == {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}


def test_quiet_init_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--quiet", "init", str(tmp_path / "q"))
    assert code == 0 and out == "" and err == ""


def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "--out", str(tmp_path / "s"))
    assert code == 0
    for name in schemas.SCHEMAS:
        assert (tmp_path / "s" / f"{name}.schema.json").read_bytes() == schemas.schema_bytes(name)
    code, out, _ = run(capsys, "schema")
    assert code == 0 and all(Path(line).is_file() for line in out.splitlines())


def test_init_site_builds_strict(tmp_path: Path) -> None:
    init_project(str(tmp_path))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path, capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "site" / "s1sr" / "index.html").is_file()
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    assert config["plugins"][0] == "search" and "s1sr" in config["plugins"][1]
    assert config["theme"]["font"] is False and config["use_directory_urls"] is False
