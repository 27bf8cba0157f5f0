"""Counter styles: render a position as a label token and read it back (pure; shared by the
numbering pass and the Word reader).

A level's token ``{n}`` is the counter followed by an optional insertion suffix
(``5`` + ``A`` → ``5A``; ``p`` + ``a`` → ``pa``; ``i`` + ``a`` → ``ia``). Alphabetic counters
go a…z, aa, bb, … as Word and LibreOffice print them.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)
_ROMAN_RE = re.compile(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")

CHARS = {
    "decimal": "0-9",
    "lower-alpha": "a-z",
    "upper-alpha": "A-Z",
    "lower-roman": "ivxlcdm",
    "upper-roman": "IVXLCDM",
}


def render(n: int, style: str) -> str:
    """``n`` (≥ 1, or 0 for decimal) in ``style``."""
    if style == "decimal":
        return str(n)
    if n < 1:
        raise ValueError(f"{style} cannot show {n}")
    if style in ("lower-alpha", "upper-alpha"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if style == "lower-alpha" else letter.upper()
    if style in ("lower-roman", "upper-roman"):
        out = []
        for value, sym in _ROMAN:
            while n >= value:
                out.append(sym)
                n -= value
        text = "".join(out)
        return text if style == "lower-roman" else text.upper()
    raise ValueError(f"unknown counter style {style}")


def parse(text: str, style: str) -> int | None:
    """Inverse of :func:`render`; ``None`` when ``text`` is not a canonical value."""
    if not text:
        return None
    if style == "decimal":
        return int(text) if text.isdigit() and (text == "0" or not text.startswith("0")) else None
    if style in ("lower-alpha", "upper-alpha"):
        ok = text.islower() if style == "lower-alpha" else text.isupper()
        if not ok or not text.isalpha() or not text.isascii() or len(set(text)) != 1:
            return None
        return (len(text) - 1) * 26 + (ord(text[0].lower()) - ord("a")) + 1
    if style in ("lower-roman", "upper-roman"):
        low = text.lower()
        if (text != low) != (style == "upper-roman") or not _ROMAN_RE.fullmatch(low):
            return None
        n = 0
        i = 0
        while i < len(low):
            for value, sym in _ROMAN:
                if low.startswith(sym, i):
                    n += value
                    i += len(sym)
                    break
        return n or None
    raise ValueError(f"unknown counter style {style}")


def _prefixes(text: str, style: str) -> list[tuple[int, int]]:
    """Candidate (counter, length) splits, longest counter first."""
    out = []
    for k in range(len(text), 0, -1):
        v = parse(text[:k], style)
        if v is not None:
            out.append((v, k))
    return out


def split_token(token: str, style: str, insert: str) -> tuple[int, int] | None:
    """Read ``{n}`` back as (counter, insertion suffix index; 0 = none).

    The longest counter prefix wins; :func:`token` never emits a label this would misread.
    """
    for counter, k in _prefixes(token, style):
        rest = token[k:]
        if not rest:
            return (counter, 0)
        suffix = parse(rest, insert)
        if suffix is not None and suffix > 0:
            return (counter, suffix)
    return None


@lru_cache(maxsize=4096)  # pure; the numbering pass asks for a token per clause, mostly the same few
def token(counter: int, suffix: int, style: str, insert: str) -> str:
    return render(counter, style) + (render(suffix, insert) if suffix else "")


def unambiguous(counter: int, suffix: int, style: str, insert: str) -> bool:
    return split_token(token(counter, suffix, style, insert), style, insert) == (counter, suffix)


def pattern(style: str, insert: str) -> str:
    """A regex character run matching any token of this level."""
    chars = CHARS[style] if CHARS[style] == CHARS[insert] else CHARS[style] + CHARS[insert]
    if style == "decimal" and insert != "decimal":
        return f"[0-9]+[{CHARS[insert]}]*"
    return f"[{chars}]+"


@lru_cache(maxsize=4096)  # pure, and asked again for every candidate number of a long document
def next_suffix(counter: int, suffix: int, style: str, insert: str) -> int:
    """The insertion suffix after (counter, suffix): the next one whose label reads back
    unambiguously (after ``a`` comes ``ab``, since ``aa`` is the 27th counter)."""
    k = suffix + 1
    if counter >= (0 if style == "decimal" else 1):
        while not unambiguous(counter, k, style, insert):
            k += 1
    return k
