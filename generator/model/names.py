"""The one way from data to a file name, and the one test of text that can lie.

Every file name that holds a value from the source or from an imported file (short title,
version, release name, letter id, a version read from a workbook) passes through
:func:`name_problem` / :func:`safe_name`; every relative output path through
:func:`safe_relpath`. A name that would leave its folder (a separator, ``..``, an absolute
path, a drive), hide itself, break a terminal (control characters) or be unusable on Windows
(``CON``, ``NUL``, ``a:b``, a trailing dot) is refused, never repaired: a repaired name would
silently differ from the one the drafter wrote.

The invisible-character tests live here too because they are the same kind of fact: what a
string shows is not what it holds.
"""

from __future__ import annotations

import re

__all__ = ["INVISIBLE", "MAX_NAME", "UnsafeName", "invisible_chars", "name_problem", "printable", "safe_name",
           "safe_relpath", "url_problem"]

MAX_NAME = 120  # characters of one data value in a file name; whole names stay far below 255 bytes

# Windows refuses these as a file's stem, whatever the extension ("NUL.txt" is the null device).
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
             *(f"COM{c}" for c in "123456789¹²³"), *(f"LPT{c}" for c in "123456789¹²³")}
_WINDOWS_BAD = set('<>:"|?*')

# Bidirectional controls (embeddings, overrides, isolates, marks) and zero-width characters:
# they change what a reader sees without showing themselves (Unicode TR36 §2, TR39 §3.1).
INVISIBLE = {
    "\u061c": "ARABIC LETTER MARK", "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE", "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER", "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER", "\u2061": "FUNCTION APPLICATION", "\u2062": "INVISIBLE TIMES",
    "\u2063": "INVISIBLE SEPARATOR", "\u2064": "INVISIBLE PLUS", "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u00ad": "SOFT HYPHEN", "\u180e": "MONGOLIAN VOWEL SEPARATOR",
}
_INVISIBLE_RE = re.compile("[" + "".join(INVISIBLE) + "]")
# C0 and C1 controls and DEL; plus the invisible characters above, which a terminal also obeys.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(INVISIBLE) + "]")


class UnsafeName(ValueError):
    """A value cannot be (part of) a file name; ``str()`` says why."""


def invisible_chars(text: str) -> list[tuple[int, str]]:
    """(offset, character) of every bidi control or zero-width character in ``text``."""
    return [(m.start(), m.group()) for m in _INVISIBLE_RE.finditer(text)]


def printable(text: str, limit: int = 0) -> str:
    """``text`` safe for a terminal or a CI log: controls and invisible characters as ``\\xNN`` /
    ``\\uNNNN``; with ``limit``, cut to that many characters with a note of how much was left out."""
    out = _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", text)
    if limit and len(out) > limit:
        out = f"{out[:limit]}… [{len(out) - limit} more characters]"
    return out


def name_problem(value: str) -> str:
    """Why ``value`` cannot be part of a file name, or "" when it can."""
    if not value:
        return "it is empty"
    if len(value) > MAX_NAME:
        return f"it is {len(value)} characters long (at most {MAX_NAME})"
    if m := _CONTROL_RE.search(value):
        return f"it holds the invisible or control character U+{ord(m.group()):04X}"
    if "/" in value or "\\" in value:
        return "it holds a path separator ('/' or '\\'), so the file would land in another folder"
    if value in (".", "..") or value.startswith(".."):
        return "it is '..' or starts with it, which names the folder above"
    if value.startswith("."):
        return "it starts with '.', which makes a hidden file"
    if bad := sorted(set(value) & _WINDOWS_BAD):
        return f"it holds {' '.join(repr(c) for c in bad)}, which Windows does not allow in a file name"
    if value[-1] in ". " or value[0] == " ":
        return "it starts or ends with a space, or ends with '.', which Windows drops from file names"
    stem = value.split(".", 1)[0].rstrip(" ").upper()
    if stem in _RESERVED:
        return f"'{stem}' is a device name on Windows (CON, PRN, AUX, NUL, COM1…, LPT1…) and cannot name a file"
    return ""


def safe_name(value: str, what: str = "a file name") -> str:
    """``value`` unchanged when it can be (part of) a file name; else :class:`UnsafeName`."""
    problem = name_problem(value)
    if problem:
        raise UnsafeName(f"{what} '{printable(value, 80)}' cannot name a file: {problem}")
    return value


def safe_relpath(path: str, what: str = "an output") -> str:
    """A relative path made of safe names (``a/b.md``), never leaving its folder."""
    if not path or path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        raise UnsafeName(f"{what} '{printable(path, 80)}' is not a relative path inside the output folder")
    for part in path.split("/"):
        safe_name(part, what)
    return path


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")


def url_problem(url: str) -> str:
    """Why ``url`` may not become a link in an output, or "" when it may: http, https, mailto or a
    relative address. Whitespace and controls are refused outright (browsers drop them, so
    ``java\tscript:`` would still run)."""
    if not url:
        return ""
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in INVISIBLE for ch in url):
        return "it holds a space, a control or an invisible character"
    m = _SCHEME.match(url)
    if m and m.group(1).lower() not in SAFE_SCHEMES:
        return f"its scheme '{m.group(1)}:' is not http, https or mailto"
    return ""
