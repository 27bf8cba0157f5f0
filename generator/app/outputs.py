"""Atomic output folders: stage everything, then swap the folder in whole.

A build killed at any instant leaves either the previous folder or the new one, never a
mixture: files are written into a sibling staging folder, fsynced, and exchanged with the
live folder by one ``renameat2(RENAME_EXCHANGE)`` call where Linux offers it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Mapping

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: str, b: str) -> bool:
    """Atomically swap two paths; False where the platform cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(rc == 0)


def recover(target: str) -> None:
    """Finish or undo a swap that an earlier, killed build left half done."""
    parent = os.path.dirname(os.path.abspath(target)) or "."
    base = os.path.basename(os.path.abspath(target))
    for name in os.listdir(parent):
        if name.startswith(f".{base}.old-") and not os.path.exists(target):
            os.rename(os.path.join(parent, name), target)
        elif name.startswith(f".{base}.old-") or name.startswith(f".{base}.stage-"):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def stage_dir(target: str) -> str:
    parent = os.path.dirname(os.path.abspath(target)) or "."
    os.makedirs(parent, exist_ok=True)
    recover(target)
    return tempfile.mkdtemp(prefix=f".{os.path.basename(os.path.abspath(target))}.stage-", dir=parent)


def write_files(folder: str, files: Mapping[str, bytes]) -> None:
    for name, data in sorted(files.items()):
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def swap_in(stage: str, target: str) -> None:
    """Make ``stage`` the new ``target``; the old target is removed afterwards."""
    target = os.path.abspath(target)
    os.chmod(stage, 0o755)
    if not os.path.exists(target):
        os.rename(stage, target)
        return
    if _exchange(stage, target):
        shutil.rmtree(stage, ignore_errors=True)  # stage now holds the old outputs
        return
    parent = os.path.dirname(target)
    old = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=parent)
    os.rmdir(old)
    os.rename(target, old)
    os.rename(stage, target)
    shutil.rmtree(old, ignore_errors=True)


def replace_file(path: str, data: bytes) -> None:
    """Write one file atomically (temporary file beside it, then rename)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", dir=folder)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a snapshot is an ordinary file
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
