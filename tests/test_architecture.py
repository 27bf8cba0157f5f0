"""The import rules of STYLE.md §3, and the fast check path (§5.4), enforced."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "generator"

# package part → what it may import (of ours). Every module of the package belongs to a part:
# a module the table does not name fails the test, so a new layer must be placed on purpose.
ALLOWED: dict[str, set[str]] = {
    "__init__": set(),
    "__main__": {"cli"},
    "errors": set(),
    "model": {"model"},
    "diagnostics": {"model", "diagnostics"},
    "readers": {"model", "diagnostics", "readers", "ooxml"},
    "passes": {"model", "diagnostics", "passes"},
    "writers": {"model", "diagnostics", "writers", "ooxml"},
    "ooxml": {"ooxml"},
    # The orchestration layer: the only part that puts readers, passes and writers together.
    "app": {"__init__", "model", "diagnostics", "errors", "readers", "passes", "writers", "ooxml", "app"},
    # On top of the orchestration layer; neither reaches past it to readers, passes or writers
    # (the plugin renders the site pages through writers.markdown, as STYLE.md §3 allows).
    "cli": {"__init__", "app", "diagnostics", "errors", "mkdocs_plugin"},
    "mkdocs_plugin": {"app", "diagnostics", "errors", "model", "writers"},
}
# Third-party packages a part may not import (its purity, and the fast check path).
_OFFICE_AND_SITE = {"yaml", "lxml", "docx", "openpyxl", "jinja2", "mkdocs", "defusedxml", "ruamel"}
THIRD_PARTY_FORBIDDEN = {
    "model": _OFFICE_AND_SITE,
    "passes": _OFFICE_AND_SITE,
    "diagnostics": _OFFICE_AND_SITE,
    "errors": _OFFICE_AND_SITE,
    "ooxml": {"yaml", "openpyxl", "jinja2", "mkdocs"},
    "app": {"mkdocs"},
    "cli": {"mkdocs", "lxml", "docx", "openpyxl", "jinja2", "yaml"},
}


def _modules() -> list[Path]:
    """The package's modules. generator/data/ holds package data, not modules: its scripts run in
    other interpreters (LibreOffice's own Python for the PDF export)."""
    return [p for p in PKG.rglob("*.py") if p.relative_to(PKG).parts[0] != "data"]


def _part(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _module(path: Path) -> list[str]:
    rel = path.relative_to(PKG).with_suffix("")
    parts = ["generator", *rel.parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path, source: str | None = None) -> list[tuple[str, int]]:
    """Every import in ``path`` as an absolute module name, relative imports resolved."""
    tree = ast.parse(path.read_text() if source is None else source, str(path))
    package = _module(path) if path.name == "__init__.py" else _module(path)[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                names = [node.module] if node.module else [a.name for a in node.names]
                out += [(".".join([*base, n]), node.lineno) for n in names]
            elif node.module:
                out.append((node.module, node.lineno))
                if node.module == "generator":  # from generator import api
                    out += [(f"generator.{a.name}", node.lineno) for a in node.names if a.name != "__version__"]
    return out


def test_every_module_has_a_part() -> None:
    unknown = sorted({_part(p) for p in _modules()} - set(ALLOWED))
    assert not unknown, f"modules outside every layer of the import rules: {unknown}"


def test_import_rules() -> None:
    problems = []
    for path in _modules():
        part = _part(path)
        for name, line in _imports(path):
            top, _, rest = name.partition(".")
            if top == "generator":
                target = rest.split(".")[0] if rest else "__init__"
                if target not in ALLOWED[part]:
                    problems.append(f"{path.relative_to(PKG)}:{line}: {part} imports generator.{target}")
            elif top in THIRD_PARTY_FORBIDDEN.get(part, set()):
                problems.append(f"{path.relative_to(PKG)}:{line}: {part} imports {top}")
    assert not problems, "\n".join(problems)


def test_relative_imports_are_resolved() -> None:
    """The walker sees ``from ..writers import x`` as generator.writers (a rule cannot be dodged)."""
    got = _imports(PKG / "app" / "api.py", "from ..writers import docx\nfrom . import outputs\nfrom .site import x\n")
    assert [n for n, _ in got] == ["generator.writers", "generator.app.outputs", "generator.app.site"]


def test_check_path_stays_light(mini: Path) -> None:
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        f"status = main(['check', '--content', {str(mini)!r}])\n"
        "heavy = sorted(m for m in ('docx', 'openpyxl', 'lxml', 'jinja2', 'mkdocs', 'defusedxml', 'ruamel')"
        " if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
        "sys.exit(status)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout, proc.stdout
