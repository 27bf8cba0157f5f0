"""The import rules of STYLE.md §3, and the fast check path (§5.4), enforced."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "generator"

# package part → what it may import (of ours); third-party limits below.
ALLOWED: dict[str, set[str]] = {
    "model": {"model"},
    "diagnostics": {"model", "diagnostics"},
    "errors": set(),
    "readers": {"model", "diagnostics", "readers"},
    "passes": {"model", "diagnostics", "passes"},
    "writers": {"model", "diagnostics", "writers", "ooxml"},
    "ooxml": {"ooxml"},
}
THIRD_PARTY_FORBIDDEN = {
    "model": {"yaml", "lxml", "docx", "openpyxl", "jinja2", "mkdocs"},
    "passes": {"yaml", "lxml", "docx", "openpyxl", "jinja2", "mkdocs", "defusedxml"},
    "diagnostics": {"yaml", "lxml", "docx", "openpyxl", "jinja2", "mkdocs"},
}


def _part(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(), str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
    return out


def test_import_rules() -> None:
    problems = []
    for path in PKG.rglob("*.py"):
        part = _part(path)
        for name, line in _imports(path):
            top, _, rest = name.partition(".")
            if top == "generator" and part in ALLOWED:
                target = rest.split(".")[0]
                if target not in ALLOWED[part]:
                    problems.append(f"{path.relative_to(PKG)}:{line}: {part} imports generator.{target}")
            elif top in THIRD_PARTY_FORBIDDEN.get(part, set()):
                problems.append(f"{path.relative_to(PKG)}:{line}: {part} imports {top}")
    assert not problems, "\n".join(problems)


def test_check_path_stays_light(mini: Path) -> None:
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        f"status = main(['check', '--content', {str(mini)!r}])\n"
        "heavy = sorted(m for m in ('docx', 'openpyxl', 'lxml', 'jinja2', 'mkdocs', 'defusedxml') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
        "sys.exit(status)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout, proc.stdout
