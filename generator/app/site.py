"""The sites as outputs of ``s1sr build``: the S1SR site and, where the project has one, its
user guide.

The S1SR site (the document in every version, the DMVESM, the releases, the letters) is built
by MkDocs with the project's own ``mkdocs.yml`` (found beside the content folder), or with the
built-in settings when there is none (the generated pages only, at the site root). The user
guide is a second, separate site with its own navigation and search, built from
``mkdocs-guide.yml`` beside the content folder when there is one (this repository's guide for
drafters: ``docs/`` and the finding codes). Each build writes into a staging folder; the caller
swaps them in.

This layer does not import MkDocs or the plugin: the command on top (the CLI) hands in the
function that runs MkDocs (``generator.mkdocs_plugin.build_site``), together with the
Project the build already resolved and the versions it read, so the site shows exactly what
the documents show.
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from generator.app.publication import Published
    from generator.diagnostics import Diagnostic
    from generator.model import Project

__all__ = ["GUIDE_CONFIG", "SiteBuilder", "build_guide", "build_site", "find_config", "find_guide_config"]

GUIDE_CONFIG = "mkdocs-guide.yml"
"""The user guide's MkDocs settings, beside the content folder (and beside ``mkdocs.yml``)."""


class SiteBuilder(Protocol):
    """Runs MkDocs on ``config_file`` into ``site_dir``, with the S1SR pages made from ``project``."""

    def __call__(self, config_file: str, site_dir: str, *, content: str, project: Project | None = None,
                 published: Published | None = None, downloads: str = "", release: str = "",
                 docs_dir: str = "") -> list[Diagnostic]: ...


def find_config(content: str) -> str:
    """The project's ``mkdocs.yml`` (beside the content folder), or "" when there is none."""
    project_root = os.path.dirname(os.path.abspath(content))
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        path = os.path.join(project_root, name)
        if os.path.isfile(path):
            return path
    return ""


def find_guide_config(content: str) -> str:
    """The project's ``mkdocs-guide.yml`` (beside the content folder), or "" when there is none."""
    path = os.path.join(os.path.dirname(os.path.abspath(content)), GUIDE_CONFIG)
    return path if os.path.isfile(path) else ""


def build_site(builder: SiteBuilder, project: Project, content: str, stage: str, *, downloads: str = "",
               release: str = "", published: Published | None = None) -> list[Diagnostic]:
    """Build the S1SR site for ``project`` (read from ``content``) into the folder ``stage``,
    publishing ``downloads`` and, from ``published``, every release's files.

    Returns MkDocs's warnings as findings (MD101: a page of the site links to nothing, …);
    the builder raises ``WriteError`` when MkDocs cannot build the site at all.
    """
    config_file = find_config(content)
    if config_file:
        return builder(config_file, stage, content=content, project=project, published=published,
                       downloads=downloads, release=release)
    default = resources.files("generator").joinpath("data", "site", "mkdocs.yml")
    with resources.as_file(default) as cfg, tempfile.TemporaryDirectory(prefix="s1sr-docs-") as docs:
        return builder(str(cfg), stage, content=content, project=project, published=published,
                       downloads=downloads, release=release, docs_dir=docs)


def build_guide(builder: SiteBuilder, content: str, stage: str) -> list[Diagnostic]:
    """Build the user guide (``mkdocs-guide.yml``) into ``stage``; [] and nothing built when the
    project has no guide."""
    config_file = find_guide_config(content)
    if not config_file:
        return []
    return builder(config_file, stage, content=content)
