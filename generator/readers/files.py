"""Reading stays inside: only ordinary files inside the content folder are read.

A name the source gives (a section file, devices.yaml, the SRV list) is refused with a located
finding when it is absolute, climbs out with ``..``, is a symbolic link that leads outside the
folder, or is a folder, a named pipe, a socket or a device. Files are opened without blocking
and checked again on the open descriptor, so a pipe can never hang a check (or a pre-commit
hook) even if it appears between the look and the read.
"""

from __future__ import annotations

import os
import stat

from generator.diagnostics import Diagnostic
from generator.diagnostics.rules import safety as S
from generator.model import Span
from generator.model.names import printable

__all__ = ["NotRegular", "inside", "kind_of", "read_regular"]


class NotRegular(OSError):
    """The path is not an ordinary file; ``str()`` says what it is."""


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, in words ("" for an ordinary file)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not an ordinary file"


def read_regular(path: str, limit: int) -> bytes:
    """At most ``limit`` bytes of the ordinary file ``path``; NotRegular for anything else."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        kind = kind_of(os.fstat(fd).st_mode)
        if kind:
            raise NotRegular(f"it is {kind}")
        chunks: list[bytes] = []
        left = limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def inside(root: str, name: str, display: str, diags: list[Diagnostic], span: Span | None = None) -> str | None:
    """The path of the file ``name`` (as the source wrote it, relative to ``root``) when reading it
    stays inside ``root``; otherwise a located finding (at ``span``, else at the file) and None.
    A file that does not exist is returned as a path: the caller reports it as missing."""
    where = span or Span(file=display)
    shown = printable(name, 120)
    if os.path.isabs(name) or name.startswith("~"):
        diags.append(Diagnostic.make(
            S.OUTSIDE_FOLDER, f"'{shown}' is an absolute path; the source reads only files inside the content folder",
            where, help="copy the file into the content folder and name it relative to it, e.g. sections/18.yaml"))
        return None
    path = os.path.join(root, name)
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if not _within(real, real_root):
        climbs = ".." in name.replace("\\", "/").split("/")
        how = "climbs" if climbs else "is (or passes through) a link that leads"
        diags.append(Diagnostic.make(
            S.OUTSIDE_FOLDER, f"'{shown}' {how} outside the content folder (to {printable(real, 200)})", where,
            help="copy the file into the content folder (a link must stay inside it)"))
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path  # missing or unreadable: the reader says so where it opens it
    kind = kind_of(mode)
    if kind:
        diags.append(Diagnostic.make(
            S.NOT_REGULAR, f"'{shown}' is {kind}, not a file the source can read", where,
            help="name the YAML or CSV file itself; a pipe or device cannot be a source file"))
        return None
    return path
