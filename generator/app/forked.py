"""Work done beside the main line in a forked child, when a second CPU is idle.

A command whose work splits into two independent parts of similar length (the Word and workbook
readers of the external check; the letters' comparison and the reference checks of the source
check) runs one of them in a child made by ``fork``: the child shares everything read so far
without copying it, and sends its result back pickled through a pipe. Whatever goes wrong in the
child (no fork, a crash, a result that does not arrive whole) makes the parent do the work itself,
as it would have without a child: the same result either way, and an unexpected error raised
where it always was.
"""

from __future__ import annotations

import dataclasses
import gc
import io
import operator
import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["can_fork", "dumps", "in_child", "runnable_now", "spare_cpu"]

T = TypeVar("T")


def in_child(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work`` in a forked child; the function returned gives its result (waiting for the
    child), or does the work here if the child could not. The caller decides whether a child is
    worth it (:func:`can_fork`, :func:`spare_cpu`, the size of the work)."""
    try:
        rfd, wfd = os.pipe()
    except OSError:
        return work
    try:
        pid = os.fork()
    except OSError:
        os.close(rfd)
        os.close(wfd)
        return work
    if pid == 0:  # the child: work, send, and leave without running the parent's exit handlers
        code = 1
        try:
            os.close(rfd)
            gc.disable()  # short-lived, and what it shares with the parent holds no cycle to free
            data = dumps(work())
            with os.fdopen(wfd, "wb") as out:
                out.write(len(data).to_bytes(8, "big"))
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(wfd)

    def finish() -> T:
        try:
            with os.fdopen(rfd, "rb") as fh:
                data = fh.read()
        finally:
            _, status = os.waitpid(pid, 0)
        size = int.from_bytes(data[:8], "big")
        if status == 0 and len(data) == 8 + size:
            try:
                result: T = pickle.loads(data[8:])  # our own child's bytes, not a file's
                return result
            except Exception:  # a result that does not load: the work again, here
                pass
        return work()

    return finish


def spare_cpu() -> bool:
    """A second CPU that is idle now: on a machine already busy the child would only queue behind
    the parent: the same wall time, and the fork's and the transfer's CPU on top.

    Linux counts the tasks runnable at this instant (``/proc/loadavg``'s fourth field, this
    process included): a job keeping a CPU busy shows there, while the one-minute load average
    still remembers one that has just ended (a benchmark's previous command, a build) and would
    keep the child from a CPU that is free."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return False
    if cpus < 2:
        return False
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            running = runnable_now(fh.read())
    except (OSError, UnicodeDecodeError):
        running = None
    if running is not None:
        return running < cpus  # this process and fewer others than the CPUs left
    try:
        return os.getloadavg()[0] < cpus - 0.5
    except OSError:
        return False


def runnable_now(loadavg: str) -> int | None:
    """The tasks runnable at this instant, from ``/proc/loadavg`` ("0.50 0.61 0.70 2/345 6789")."""
    fields = loadavg.split()
    if len(fields) < 4 or "/" not in fields[3]:
        return None
    running = fields[3].split("/", 1)[0]
    return int(running) if running.isdigit() else None


def can_fork() -> bool:
    # Linux only, and only in a process with no other thread (a lock another thread holds would
    # stay held in the child): macOS's system libraries are not fork-safe, Windows has no fork.
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


class _Pickler(pickle.Pickler):
    """Our frozen, slotted dataclasses (cells, findings) pickled as their field values, read by
    one C-level attrgetter: the default goes through dataclasses' __getstate__, which calls
    fields() for every object, as long as a tenth of reading a workbook."""

    def reducer_override(self, obj: object) -> Any:
        cls = type(obj)
        if cls not in _REDUCE:
            _REDUCE[cls] = _reduction(cls)
        how = _REDUCE[cls]
        if how is None:
            return NotImplemented
        names, get = how
        return _rebuild, (cls, names, get(obj))


_Reduction = tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]


def _reduction(cls: type) -> _Reduction | None:
    if not (cls.__module__.startswith("generator.") and dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__):
        return None
    names = tuple(f.name for f in dataclasses.fields(cls))
    if len(names) < 2:  # attrgetter of one name gives the value, not a tuple
        return None
    return names, operator.attrgetter(*names)


_REDUCE: dict[type, _Reduction | None] = {}


def _rebuild(cls: type, names: tuple[str, ...], values: tuple[Any, ...]) -> object:
    """As dataclasses' own __setstate__ does: the fields set, __init__ not run again."""
    obj: object = object.__new__(cls)
    for name, value in zip(names, values, strict=True):
        object.__setattr__(obj, name, value)
    return obj


def dumps(obj: object) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()
