"""Output folders the tool owns, written atomically.

A build killed at any instant leaves either the previous folder or the new one, never a
mixture: files are written into a sibling staging folder, fsynced, and exchanged with the
live folder by one ``renameat2(RENAME_EXCHANGE)`` call where Linux offers it.

s1sr replaces only what it made itself. Before anything is staged, :func:`claim` checks the
folder: a new or empty folder, one holding only files s1sr would write, or one carrying the
marker file (:data:`MARKER`) of an earlier run is ours; anything else is refused with a message
naming what is there, unless ``force``. The content folder, a templates folder, the project
root, ``/``, the home folder, any ancestor of the content folder and any folder inside it are
refused even with ``force``. A lock beside the folder makes a second command into the same
folder wait for the first (and never clean up the first one's staging folder). A folder that
cannot be renamed over (a mount point: a container volume) is filled in place instead, file by
file, each file replaced atomically.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping

from generator.errors import UsageError, WriteError
from generator.model.names import printable

MARKER = ".s1sr-output"
MARKER_TEXT = (b"This folder is written by s1sr. The next s1sr command that writes here replaces it whole:\n"
               b"keep nothing else in it. (s1sr refuses to write into a folder without this file.)\n")
LOCK_WAIT = 600.0  # seconds a second command waits for the first to finish writing the same folder

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# A rename that cannot replace the folder: it is a mount point, busy, or on another device.
_IN_PLACE_ERRNOS = {errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES}


def _exchange(a: str, b: str) -> bool:
    """Atomically swap two paths; False where the platform cannot."""
    import ctypes  # here: ctypes.util starts subprocess, which a command that writes nothing never needs
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc != 0:
        err = ctypes.get_errno()
        if err in _IN_PLACE_ERRNOS:
            raise OSError(err, os.strerror(err), b)
        return False
    return True


def _swap_dirs(stage: str, target: str) -> None:
    """Replace the folder ``target`` by ``stage`` (the test hook for a folder that cannot be
    renamed over: make this raise OSError(EBUSY))."""
    if _exchange(stage, target):
        shutil.rmtree(stage, ignore_errors=True)  # stage now holds the old outputs
        return
    parent = os.path.dirname(target)
    old = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=parent)
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(stage, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


# -- which folders are ours ---------------------------------------------------------------------
def _real(path: str) -> str:
    return os.path.realpath(os.path.abspath(path))


def _inside(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or lies inside it (both real paths)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def protected(content: str = "") -> list[tuple[str, str]]:
    """(real path, what it is) of every folder no command may replace, even with --force."""
    home = os.path.expanduser("~")
    out = [("/", "the root folder"), (_real(home), "your home folder")] if home and home != "~" else [
        ("/", "the root folder")]
    if content:
        root = _real(content)
        project = os.path.dirname(root)
        out += [(root, "the content folder"), (project, "the project folder (it holds the content folder)"),
                (os.path.join(project, "templates"), "the templates folder")]
    return out


def refuse_protected(target: str, *, content: str = "", what: str = "--out") -> None:
    """UsageError when ``target`` is a folder s1sr must never replace or fill."""
    real = _real(target)
    for folder, name in protected(content):
        if real == folder:
            raise UsageError(f"{what} {printable(target)} is {name}; s1sr never writes its outputs there. "
                             "Choose a folder of its own, e.g. build")
    if content:
        root = _real(content)
        if _inside(root, real):
            raise UsageError(f"{what} {printable(target)} holds the content folder {printable(content)}; "
                             "replacing it would delete the source. Choose a folder of its own, e.g. build")
        if _inside(real, root):
            raise UsageError(f"{what} {printable(target)} is inside the content folder {printable(content)}; "
                             "outputs never go into the source. Choose a folder outside it, e.g. build")
        templates = os.path.join(os.path.dirname(root), "templates")
        if _inside(real, templates):
            raise UsageError(f"{what} {printable(target)} is inside the templates folder; outputs never go there. "
                             "Choose a folder of its own, e.g. build")
    # A folder holding a repository or a clause source is someone's work, whatever --content says.
    if os.path.isdir(real):
        for sign, name in ((".git", "a git repository"), ("document.yaml", "a clause source (document.yaml)")):
            if os.path.lexists(os.path.join(real, sign)):
                raise UsageError(f"{what} {printable(target)} holds {name}; s1sr never replaces it. "
                                 "Choose a folder of its own")


def _listing(folder: str) -> list[str]:
    return sorted(os.listdir(folder))


def claim(target: str, *, content: str = "", force: bool = False, what: str = "--out",
          names: Iterable[str] = ()) -> None:
    """Check that s1sr may replace the folder ``target`` (see the module docstring); UsageError if not.

    ``names`` are the top-level entries this command writes: a folder holding only those is ours too.
    """
    refuse_protected(target, content=content, what=what)
    probe = os.path.dirname(os.path.abspath(target))
    while probe and not os.path.lexists(probe):
        probe = os.path.dirname(probe)
    if probe and not os.path.isdir(probe):
        raise UsageError(f"{what} {printable(target)}: {printable(probe)} is a file, not a folder; choose another path")
    if not os.path.lexists(target):
        return
    if os.path.islink(target) and not os.path.isdir(target):
        raise UsageError(f"{what} {printable(target)} is a broken symbolic link; remove it or choose another folder")
    if not os.path.isdir(target):
        raise UsageError(f"{what} {printable(target)} is a file, not a folder; choose a folder (it is left as it is)")
    entries = _listing(target)
    if not entries or MARKER in entries or force:
        return
    ours = {*names, MARKER}
    if all(e in ours for e in entries):
        return
    shown = ", ".join(printable(e, 60) for e in entries[:5]) + (f" and {len(entries) - 5} more" if len(entries) > 5
                                                                  else "")
    raise UsageError(f"{what} {printable(target)} is not empty and was not written by s1sr (it holds {shown}); "
                     "choose a new or empty folder, or use --force to replace it whole")


def need_file(path: str, what: str) -> None:
    """UsageError unless ``path`` is an ordinary file (a pipe would hang the reader, a device never end)."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UsageError(f"{what} {printable(path)}: no such file") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{what} {printable(path)} is a folder; name the file itself")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{what} {printable(path)} is not an ordinary file (a pipe, socket or device); "
                         "save it as a file and name that")


# -- locking ------------------------------------------------------------------------------------
@contextlib.contextmanager
def locked(targets: Iterable[str], wait: float | None = None) -> Iterator[None]:
    """Hold the lock of each folder in ``targets`` (in a fixed order, so two commands never
    deadlock). A second command waits up to ``wait`` seconds, then is refused."""
    with contextlib.ExitStack() as stack:
        for target in sorted({os.path.abspath(t) for t in targets}):
            stack.enter_context(_lock_one(target, LOCK_WAIT if wait is None else wait))
        yield


@contextlib.contextmanager
def _lock_one(target: str, wait: float) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not Linux or macOS: no lock, as before
        yield
        return
    parent = os.path.dirname(target) or "."
    os.makedirs(parent, exist_ok=True)
    path = os.path.join(parent, f".{os.path.basename(target)}.s1sr-lock")
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() > deadline:
                raise UsageError(f"another s1sr command is still writing {printable(target)} (lock "
                                 f"{printable(path)}); wait for it to finish and run again") from None
            time.sleep(0.1)
            continue
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed the lock file: lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


# -- staging and swapping -----------------------------------------------------------------------
def recover(target: str) -> None:
    """Finish or undo a swap that an earlier, killed command left half done (call under the lock)."""
    parent = os.path.dirname(os.path.abspath(target)) or "."
    base = os.path.basename(os.path.abspath(target))
    for name in _listing(parent):
        if name.startswith(f".{base}.old-") and not os.path.exists(target):
            os.rename(os.path.join(parent, name), target)
        elif name.startswith(f".{base}.old-") or name.startswith(f".{base}.stage-"):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def stage_dir(target: str, tag: str = "") -> str:
    """A new staging folder beside ``target`` (``tag`` tells apart two stages of one command)."""
    parent = os.path.dirname(os.path.abspath(target)) or "."
    os.makedirs(parent, exist_ok=True)
    return tempfile.mkdtemp(prefix=f".{os.path.basename(os.path.abspath(target))}.stage-{tag}", dir=parent)


def write_files(folder: str, files: Mapping[str, bytes], *, marker: bool = False) -> None:
    from generator.model.names import safe_relpath

    for name, data in sorted(files.items()):
        path = os.path.join(folder, *safe_relpath(name).split("/"))
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            if exc.filename is None:  # a failed write or fsync names no file: name it for the message
                exc.filename = path
            raise
    if marker:
        with open(os.path.join(folder, MARKER), "wb") as fh:
            fh.write(MARKER_TEXT)


def swap_in(stage: str, target: str) -> None:
    """Make ``stage`` the new ``target``; the old target is removed afterwards. A target that
    cannot be renamed over (a mount point) is filled in place instead."""
    target = os.path.abspath(target)
    os.chmod(stage, 0o755)
    if not os.path.lexists(target):
        os.rename(stage, target)
        return
    if os.path.ismount(target):
        _fill_in_place(stage, target)
        return
    try:
        _swap_dirs(stage, target)
    except OSError as exc:
        if exc.errno not in _IN_PLACE_ERRNOS:
            raise
        _fill_in_place(stage, target)


def _fill_in_place(stage: str, target: str) -> None:
    """Copy ``stage`` into the folder ``target`` file by file (each replaced atomically), then
    remove what the new outputs no longer have; ``stage`` is removed."""
    try:
        wanted: set[str] = set()
        for top, dirs, files in os.walk(stage):
            rel = os.path.relpath(top, stage)
            dest_dir = target if rel == "." else os.path.join(target, rel)
            if (os.path.lexists(dest_dir) and not os.path.isdir(dest_dir)) or os.path.islink(dest_dir):
                os.unlink(dest_dir)
            os.makedirs(dest_dir, exist_ok=True)
            wanted.update(os.path.normpath(os.path.join(rel, d)) for d in dirs)
            for name in files:
                wanted.add(os.path.normpath(os.path.join(rel, name)))
                with open(os.path.join(top, name), "rb") as fh:
                    replace_file(os.path.join(dest_dir, name), fh.read())
        for top, dirs, files in os.walk(target, topdown=False):
            rel = os.path.relpath(top, target)
            for name in files + [d for d in dirs if os.path.islink(os.path.join(top, d))]:
                if os.path.normpath(os.path.join(rel, name)) not in wanted:
                    os.unlink(os.path.join(top, name))
            for d in dirs:
                p = os.path.join(top, d)
                if os.path.normpath(os.path.join(rel, d)) not in wanted and os.path.isdir(p) \
                        and not os.path.islink(p):
                    shutil.rmtree(p)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(stage: str, target: str) -> None:
    """``swap_in`` that names the folder when the system refuses (one line, no traceback)."""
    try:
        swap_in(stage, target)
    except OSError as exc:
        raise WriteError(f"{printable(target)} cannot be replaced: {exc.strerror or exc}; the previous outputs "
                         "are left as they were") from exc


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
    except OSError as exc:
        if exc.filename is None:
            exc.filename = path
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
