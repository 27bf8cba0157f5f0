"""The versions the site publishes: every release as designated, with its files, and the draft.

``versions(project)`` reads each release's snapshot once, compares each version with the one
before it (``passes.diff``, word by word, as ``s1sr diff`` does), and, with ``files=True``,
renders each release's files from its snapshot with the writers ``s1sr release`` recorded them
with, and holds each file's SHA-256 to the one the release recorded (MD110 when they differ).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Location
from generator.model import Project, Release
from generator.passes.diff import diff_projects
from generator.writers.publication import Version, VersionFile

__all__ = ["Published", "versions"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Published:
    versions: tuple[Version, ...]  # oldest first; the last is the one the site is for
    files: Mapping[str, Mapping[str, bytes]]  # release name → file name → bytes
    diagnostics: tuple[Diagnostic, ...] = ()


def _order(project: Project, release: str) -> list[Release]:
    """The releases on record, oldest first, up to ``release`` (all of them for the draft)."""
    known = sorted(project.releases, key=lambda r: (r.date, r.name))
    if release:
        at = next(i for i, r in enumerate(known) if r.name == release)
        return known[:at + 1]
    return known


def versions(project: Project, *, release: str = "", files: bool = True, env_epoch: str | None = None,
             rendered: Mapping[str, Mapping[str, bytes]] | None = None) -> Published:
    """Every version the site for ``project`` publishes (``project`` is the draft, or release
    ``release`` as designated). ``rendered`` holds files already rendered (release name → files)."""
    from generator.app import api
    from generator.diagnostics.rules.markdown import RELEASE_FILE_DIFFERS

    chain = _order(project, release)
    projects: list[tuple[str, Project, Release | None]] = []
    for rel in chain:
        projects.append((rel.name, project if rel.name == release else api.release_project(project, rel.name), rel))
    if not release:
        projects.append(("", project, None))
    out: list[Version] = []
    all_files: dict[str, Mapping[str, bytes]] = {}
    diags: list[Diagnostic] = []
    labels = [name or "draft" for name, _, _ in projects]
    for i, (name, p, r) in enumerate(projects):
        changes = None
        if i:
            # The draft is compared with the release it is numbered against, as its redline is.
            against = labels[i - 1]
            if not name and project.baseline is not None and project.baseline.name in labels:
                against = project.baseline.name
            changes = diff_projects(projects[labels.index(against)][1], p, from_label=against, to_label=labels[i])[0]
        vfiles: tuple[VersionFile, ...] = ()
        if name and files and r is not None:
            data = dict((rendered or {}).get(name) or api.render(p, env_epoch=env_epoch))
            all_files[name] = data
            recorded = dict(r.outputs)
            vfiles = tuple(VersionFile(name=n, size=len(b), sha256=api.sha256(b), recorded=recorded.get(n, ""))
                           for n, b in sorted(data.items()))
            for f in vfiles:
                if f.recorded and f.recorded != f.sha256:
                    diags.append(Diagnostic.make(
                        RELEASE_FILE_DIFFERS,
                        f"{f.name} rendered from release {name}'s snapshot has SHA-256 {f.sha256[:16]}…, but the "
                        f"release recorded {f.recorded[:16]}…",
                        Location(file=os.path.relpath(os.path.join(project.root, "releases", f"{name}.json"))),
                        help=f"run 's1sr verify {name}'; the site publishes the file as rendered now and marks it "
                             "as not the designated one"))
        out.append(Version(name=name, project=p, release=r, changes=changes, files=vfiles))
    return Published(versions=tuple(out), files=all_files, diagnostics=tuple(diags))
