"""Terminal manners for the CLI: colour only on a terminal (never with ``NO_COLOR``), a
progress line only on an interactive terminal (never in CI or when piped).

The environment is passed in by ``cli`` (the only module that reads it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

__all__ = ["ProgressLine", "show_progress", "use_color"]


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def use_color(stream: TextIO, env: Mapping[str, str]) -> bool:
    """Colour when ``stream`` is a terminal, unless ``NO_COLOR`` is set (https://no-color.org)
    or the terminal is ``dumb``; ``FORCE_COLOR`` forces it (still not over ``NO_COLOR``)."""
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    return _isatty(stream) and env.get("TERM") != "dumb"


def show_progress(stream: TextIO, env: Mapping[str, str], *, quiet: bool = False) -> bool:
    """A progress line only for a person watching a terminal: not quiet, not CI, not piped."""
    return not quiet and not env.get("CI") and _isatty(stream) and env.get("TERM") != "dumb"


class ProgressLine:
    """One line on a terminal, rewritten in place: ``[2/5] docx …``; erased by ``close``."""

    def __init__(self, stream: TextIO, prefix: str = "") -> None:
        self._stream = stream
        self._prefix = prefix
        self._shown = False

    def __call__(self, step: str, done: int, total: int) -> None:
        self._stream.write(f"\r\033[K{self._prefix}[{done + 1}/{total}] {step} …")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._shown = False
