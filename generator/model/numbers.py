"""Numbers as a letter writes them, and back: ``7`` → ``seven``, ``"twenty-one"`` → ``21``.

One copy for the writers (which print counts) and the letter pass (which checks a count a
drafter typed against the one the tool makes), so the words printed and the words checked
cannot disagree.
"""

from __future__ import annotations

import re

__all__ = ["WORDS_BELOW", "cardinal", "in_words", "parse_count"]

# GOV.UK style: one to nine in words, 10 and above in figures.
WORDS_BELOW = 10

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ZERO_WORDS = {"no", "none", "nil", "zero"}
_FIGURES = re.compile(r"\d{1,3}(?:,\d{3})*|\d+")


def cardinal(n: int) -> str:
    """``n`` (0 to 999,999) in words, British style: ``one hundred and twenty-one``."""
    if n < 0 or n > 999_999:
        raise ValueError(f"{n} is outside what cardinal() writes in words")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {cardinal(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    tail = "" if not rest else (f" and {cardinal(rest)}" if rest < 100 else f" {cardinal(rest)}")
    return f"{cardinal(thousands)} thousand{tail}"


def in_words(n: int) -> str:
    """How a letter prints a count: ``no`` for zero, words below ten, figures from ten."""
    if n == 0:
        return "no"
    if 0 < n < WORDS_BELOW:
        return _ONES[n]
    return f"{n:,}"


_WORD_VALUES: dict[str, int] = {}


def _word_values() -> dict[str, int]:
    if not _WORD_VALUES:
        _WORD_VALUES.update({cardinal(n).replace("-", " "): n for n in range(1000)})
    return _WORD_VALUES


def parse_count(text: str) -> int | None:
    """The number ``text`` says (``6``, ``1,200``, ``six``, ``Twenty-one``, ``no``), or None. Words
    are read up to nine hundred and ninety-nine; larger counts are written in figures."""
    said = " ".join(text.replace("\u2011", "-").split()).lower()
    if not said:
        return None
    if _FIGURES.fullmatch(said):
        return int(said.replace(",", ""))
    if said in _ZERO_WORDS:
        return 0
    return _word_values().get(" ".join(said.replace("-", " ").split()))
