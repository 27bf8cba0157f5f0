"""The content folder as it was at a git revision, read without a checkout.

``git archive REV -- <content path>`` streams the folder's files at that revision into a
temporary folder, which is then read like any content folder. Nothing in the working tree
or the index is touched.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from dataclasses import replace

from generator.diagnostics import Diagnostic
from generator.model import Project
from generator.readers.yaml_source import read_source

__all__ = ["RevisionError", "locate", "read_git_source"]

_TIMEOUT = 120


class RevisionError(ValueError):
    """The revision, the repository or the content folder at that revision cannot be read."""


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=_TIMEOUT, check=False)
    except FileNotFoundError as exc:
        raise RevisionError("git is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise RevisionError(f"git {args[0]} took longer than {_TIMEOUT} s") from exc


def _last_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[-1] if text else ""


def locate(root: str, rev: str) -> tuple[str, str, str]:
    """(repository top, content path inside it, full commit id) for ``root`` at ``rev``."""
    folder = os.path.abspath(root)
    if not os.path.isdir(folder):
        raise RevisionError(f"{root} is not a folder")
    if not rev or rev.startswith("-"):
        raise RevisionError(f"'{rev}' is not a git revision")
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise RevisionError(f"{root} is not inside a git repository")
    toplevel = top.stdout.decode().strip()
    prefix = os.path.relpath(os.path.realpath(folder), os.path.realpath(toplevel))
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], toplevel)
    if commit.returncode != 0:
        raise RevisionError(f"there is no revision '{rev}' in {toplevel}")
    return toplevel, ("" if prefix == "." else prefix), commit.stdout.decode().strip()


def read_git_source(root: str, rev: str) -> tuple[Project | None, list[Diagnostic]]:
    """The content folder ``root`` as committed at ``rev``; raises RevisionError.

    Files are shown as ``git:REV:path`` in findings. The returned project keeps ``root`` as
    its root (templates and outputs belong to the working tree, not to the revision).
    """
    toplevel, prefix, commit = locate(root, rev)
    archive = _git(["archive", "--format=tar", commit, "--", prefix or "."], toplevel)
    if archive.returncode != 0:
        raise RevisionError(f"revision '{rev}' has no folder {prefix or '.'}: {_last_line(archive.stderr)}")
    with tempfile.TemporaryDirectory(prefix="s1sr-git-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            try:
                tar.extractall(tmp, filter="data")
            except tarfile.FilterError as exc:
                # An absolute link, or one that climbs out of the tree: the revision would be read
                # from outside itself, so it is not read at all.
                member = getattr(exc, "tarinfo", None)
                what = f"{member.name} → {member.linkname}" if member is not None else str(exc)
                raise RevisionError(f"revision '{rev}' holds a link that leads outside its own files ({what}); "
                                    "s1sr reads only files inside the content folder. Replace the link by the "
                                    "file in a new commit") from exc
        content = os.path.join(tmp, prefix)
        if not os.path.isfile(os.path.join(content, "document.yaml")):
            raise RevisionError(f"revision '{rev}' has no {os.path.join(prefix, 'document.yaml')}")

        def show(path: str) -> str:
            return f"git:{rev}:{os.path.join(prefix, os.path.relpath(path, content))}"

        project, diags = read_source(content, rel=show)
    if project is None:
        return None, diags
    return replace(project, root=root), diags
