"""The docs site as an output of ``s1sr build``.

The site is built by MkDocs with the project's own ``mkdocs.yml`` (found beside the
content folder), or with the built-in settings when there is none (the generated pages
only, at the site root). The build writes into a staging folder; the caller swaps it in.

This layer does not import MkDocs or the plugin: the command on top (the CLI) hands in the
function that runs MkDocs (``generator.mkdocs_plugin.build_site``), together with the
Project the build already resolved, so the site shows exactly what the documents show.
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from generator.diagnostics import Diagnostic
    from generator.model import Project

__all__ = ["SiteBuilder", "build_site", "find_config"]


class SiteBuilder(Protocol):
    """Runs MkDocs on ``config_file`` into ``site_dir``, with the S1SR pages made from ``project``."""

    def __call__(self, config_file: str, site_dir: str, *, content: str, project: Project | None = None,
                 downloads: str = "", release: str = "", docs_dir: str = "") -> list[Diagnostic]: ...


def find_config(content: str) -> str:
    """The project's ``mkdocs.yml`` (beside the content folder), or "" when there is none."""
    project_root = os.path.dirname(os.path.abspath(content))
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        path = os.path.join(project_root, name)
        if os.path.isfile(path):
            return path
    return ""


def build_site(builder: SiteBuilder, project: Project, content: str, stage: str, *, downloads: str = "",
               release: str = "") -> list[Diagnostic]:
    """Build the site for ``project`` (read from ``content``) into the folder ``stage``,
    publishing ``downloads``.

    Returns MkDocs's warnings as findings (MD101: a page of the guide links to nothing, …);
    the builder raises ``WriteError`` when MkDocs cannot build the site at all.
    """
    config_file = find_config(content)
    if config_file:
        return builder(config_file, stage, content=content, project=project, downloads=downloads, release=release)
    default = resources.files("generator").joinpath("data", "site", "mkdocs.yml")
    with resources.as_file(default) as cfg, tempfile.TemporaryDirectory(prefix="s1sr-docs-") as docs:
        return builder(str(cfg), stage, content=content, project=project, downloads=downloads, release=release,
                       docs_dir=docs)
