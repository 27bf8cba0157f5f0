"""The docs site as an output of ``s1sr build``.

The site is built by MkDocs with the project's own ``mkdocs.yml`` (found beside the
content folder), or with the built-in settings when there is none (the generated pages
only, at the site root). The build writes into a staging folder; the caller swaps it in.
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.diagnostics import Diagnostic

__all__ = ["build_site", "find_config"]


def find_config(content: str) -> str:
    """The project's ``mkdocs.yml`` (beside the content folder), or "" when there is none."""
    project_root = os.path.dirname(os.path.abspath(content))
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        path = os.path.join(project_root, name)
        if os.path.isfile(path):
            return path
    return ""


def build_site(content: str, stage: str, *, downloads: str = "", release: str = "",
               config_file: str = "") -> list[Diagnostic]:
    """Build the site for ``content`` into the folder ``stage``, publishing ``downloads``.

    Returns MkDocs's warnings as findings (MD101: a page of the guide links to nothing, …);
    raises ``WriteError`` when MkDocs cannot build the site at all.
    """
    from generator.mkdocs_plugin import build_site as mkdocs_build

    config_file = config_file or find_config(content)
    if config_file:
        return mkdocs_build(config_file, stage, content=content, downloads=downloads, release=release)
    default = resources.files("generator").joinpath("data", "site", "mkdocs.yml")
    with resources.as_file(default) as cfg, tempfile.TemporaryDirectory(prefix="s1sr-docs-") as docs:
        return mkdocs_build(str(cfg), stage, content=content, downloads=downloads, release=release, docs_dir=docs)
