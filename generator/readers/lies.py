"""Text that lies: invisible characters and mixed-script look-alikes, found where they are read.

A bidi control (U+202E …) or a zero-width character changes what a reader sees without
showing itself; a Cyrillic 'а' in a Latin word reads the same and is a different string. In an
id either is an error (two ids that look the same must not be two ids); in text a warning.

Mixed-script detection follows Unicode TR39 §5.1: each letter's Script_Extensions (from the
``regex`` module's Unicode tables), Common and Inherited characters ignored, Han augmented as
TR39 says (Japanese and Korean writing mix scripts legitimately); a word whose letters share no
script is mixed. ASCII text is all Latin and skips the work.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic
from generator.diagnostics.rules import safety as S
from generator.model import Span
from generator.model.names import INVISIBLE, printable

if TYPE_CHECKING:
    import regex

__all__ = ["check_id", "check_text", "mixed_script"]

# The scripts a letter is tested against (others get a script named from the character's name).
_SCRIPTS = ("Latin", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Syriac", "Thaana", "Nko", "Devanagari",
            "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Thai",
            "Lao", "Tibetan", "Myanmar", "Georgian", "Hangul", "Ethiopic", "Cherokee", "Canadian_Aboriginal",
            "Ogham", "Runic", "Khmer", "Mongolian", "Hiragana", "Katakana", "Bopomofo", "Han", "Yi", "Coptic",
            "Glagolitic", "Tifinagh", "Vai", "Lisu", "Osage", "Adlam", "Gothic", "Deseret")
# TR39 augmented script sets: Han is also Japanese, Korean and Han-with-Bopomofo writing.
_AUGMENT = {"Han": {"Jpan", "Kore", "Hanb"}, "Hiragana": {"Jpan"}, "Katakana": {"Jpan"}, "Hangul": {"Kore"},
            "Bopomofo": {"Hanb"}}


@functools.cache
def _patterns() -> dict[str, regex.Pattern[str]]:
    import regex

    return {name: regex.compile(rf"\p{{Script_Extensions={name}}}") for name in
            ("Common", "Inherited", *_SCRIPTS)}


@functools.lru_cache(maxsize=4096)
def _scripts(ch: str) -> frozenset[str]:
    """The augmented Script_Extensions of ``ch``; empty for Common and Inherited characters."""
    pats = _patterns()
    found = {name for name in _SCRIPTS if pats[name].match(ch)}
    if not found:
        if pats["Common"].match(ch) or pats["Inherited"].match(ch) or not ch.isalpha():
            return frozenset()
        found = {unicodedata.name(ch, "UNKNOWN").split(" ")[0].title()}
    for name in list(found):
        found |= _AUGMENT.get(name, set())
    return frozenset(found)


def _script_name(ch: str) -> str:
    names = sorted(s for s in _scripts(ch) if s not in ("Jpan", "Kore", "Hanb"))
    return "/".join(names) or "Common"


def mixed_script(word: str) -> tuple[str, str] | None:
    """(the first character that leaves the word's script, its description) when ``word``'s
    letters share no script; None for a single-script word."""
    if word.isascii():
        return None
    common: frozenset[str] | None = None
    first = ""
    for ch in word:
        sc = _scripts(ch) if not ch.isascii() else (frozenset({"Latin"}) if ch.isalpha() else frozenset())
        if not sc:
            continue
        if common is None:
            common, first = sc, ch
            continue
        if not common & sc:
            return ch, (f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, '?')}, {_script_name(ch)}) in a word "
                        f"written in {_script_name(first)}")
        common &= sc
    return None


def _words(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    start = -1
    for i, ch in enumerate(text):
        if ch.isalnum() or unicodedata.category(ch).startswith("M") or ch in "_-":
            if start < 0:
                start = i
        elif start >= 0:
            out.append((start, text[start:i]))
            start = -1
    if start >= 0:
        out.append((start, text[start:]))
    return out


def _invisible(text: str, *, controls: bool) -> tuple[int, str] | None:
    for i, ch in enumerate(text):
        if ch in INVISIBLE or (controls and (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F)):
            return i, ch
    return None


def check_id(value: str, what: str, span: Span, diags: list[Diagnostic]) -> bool:
    """Report an invisible, control or mixed-script character in the id ``value``; True if clean."""
    if value.isascii() and value.isprintable():
        return True
    if found := _invisible(value, controls=True):
        i, ch = found
        diags.append(Diagnostic.make(
            S.INVISIBLE_IN_ID, f"{what} '{printable(value, 80)}' holds the invisible character U+{ord(ch):04X} "
            f"{INVISIBLE.get(ch) or unicodedata.name(ch, 'control character')} at offset {i}", span,
            help="retype the id; two ids that look the same must be the same id"))
        return False
    if m := mixed_script(value):
        diags.append(Diagnostic.make(
            S.MIXED_SCRIPT_ID, f"{what} '{printable(value, 80)}' mixes scripts: {m[1]}", span,
            help="retype the id in one script (a look-alike letter makes it a different id)"))
        return False
    return True


def check_text(value: str, what: str, span: Span, diags: list[Diagnostic], clause_id: str = "") -> None:
    """Warn about invisible characters and mixed-script words in the text ``value``."""
    if value.isascii():
        return
    if found := _invisible(value, controls=False):
        i, ch = found
        diags.append(Diagnostic.make(
            S.INVISIBLE_IN_TEXT, f"{what} holds the invisible character U+{ord(ch):04X} {INVISIBLE[ch]} at offset "
            f"{i}: the text shown is not the text written", span, clause_id=clause_id,
            help="delete the character; retype the words around it"))
    for offset, word in _words(value):
        if m := mixed_script(word):
            diags.append(Diagnostic.make(
                S.MIXED_SCRIPT_TEXT, f"{what}: the word '{printable(word, 60)}' at offset {offset} mixes scripts: "
                f"{m[1]}", span, clause_id=clause_id, help="retype the word in one script"))
            break  # one per text is enough to send the drafter to it
