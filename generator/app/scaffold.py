"""``s1sr init DIR``: a new clause-source repository that builds and checks clean at once.

The files come from package data (``generator/data/init/``, the schemas from
``generator/data/schema/``), never from Python strings. The DUIS SRV list is not copied: the
reader falls back to the package's ``generator/data/srvs.csv``. An existing file is never overwritten: ``init`` refuses a folder that is not
empty, and with ``force`` it adds only the files that are missing and reports the rest as
skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources

from generator import __version__
from generator.errors import UsageError

__all__ = ["InitResult", "init_project", "template_files"]

# Template path under data/init → path in the new repository. Dot-names are stored without
# the dot so that packaging never drops them.
_RENAME = {
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "github/workflows/s1sr.yml": ".github/workflows/s1sr.yml",
    "vscode/settings.json": ".vscode/settings.json",
}
_SUBSTITUTE = {"@S1SR_VERSION@": __version__}


@dataclass
class InitResult:
    root: str
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _walk(node: resources.abc.Traversable, prefix: str = "") -> list[tuple[str, resources.abc.Traversable]]:
    out: list[tuple[str, resources.abc.Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name == "__pycache__":
            continue
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            out += _walk(child, rel + "/")
        else:
            out.append((rel, child))
    return out


def template_files() -> dict[str, bytes]:
    """Every file ``init`` writes: path in the new repository → content."""
    from generator.app.schemas import SCHEMAS, schema_bytes

    data = resources.files("generator").joinpath("data")
    files: dict[str, bytes] = {}
    for rel, item in _walk(data.joinpath("init")):
        content = item.read_bytes()
        text = content.decode("utf-8")
        for key, value in _SUBSTITUTE.items():
            text = text.replace(key, value)
        files[_RENAME.get(rel, rel)] = text.encode("utf-8")
    for name in SCHEMAS:
        files[f"schema/{name}.schema.json"] = schema_bytes(name)
    return dict(sorted(files.items()))


def _refuse(root: str, *, force: bool) -> None:
    """``init`` only makes new repositories: never into a file, a clause source or (with --force)
    the root or home folder."""
    from generator.app.outputs import protected
    from generator.model.names import printable

    shown = printable(root)
    real = os.path.realpath(root)
    probe = real
    while probe and not os.path.lexists(probe):
        probe = os.path.dirname(probe)
    if probe and not os.path.isdir(probe):
        raise UsageError(f"{shown}: {printable(probe)} is a file, not a folder; choose a new folder for the repository")
    if force:
        for folder, name in protected():
            if real == folder:
                raise UsageError(f"{shown} is {name}; init --force adds files only to a repository folder of its own")
    for up in (real, *(p for p in _ancestors(real))):
        if os.path.isfile(os.path.join(up, "document.yaml")):
            raise UsageError(f"{shown} is inside a clause source ({printable(up)} holds document.yaml); choose a "
                             "folder outside it")


def _ancestors(path: str) -> list[str]:
    out = []
    while (parent := os.path.dirname(path)) != path:
        out.append(parent)
        path = parent
    return out


def init_project(root: str, *, force: bool = False) -> InitResult:
    """Write a new clause-source repository into ``root``.

    ``root`` must not exist or be empty. With ``force`` a non-empty folder is accepted, and
    every file that already exists is left as it is and listed in ``skipped``.
    """
    _refuse(root, force=force)
    if os.path.isdir(root) and os.listdir(root) and not force:
        raise UsageError(f"{root} is not empty; choose a new folder, or use --force to add only the files "
                         "that are missing (existing files are never overwritten)")
    result = InitResult(root=root)
    for rel, content in template_files().items():
        path = os.path.join(root, *rel.split("/"))
        if os.path.lexists(path):
            result.skipped.append(rel)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # "x": fail rather than overwrite, even if the file appeared since we looked.
        try:
            with open(path, "xb") as fh:
                fh.write(content)
        except FileExistsError:
            result.skipped.append(rel)
            continue
        result.created.append(rel)
    return result
