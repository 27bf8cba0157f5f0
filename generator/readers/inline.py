"""Inline markup → tokens, for clause text and for letters alike (one grammar, one scanner).

Clause text: ``*emphasis*``, ``**Defined Term**``, ``[[clause-id]]`` cross-references (``[[#clause-id]]``
for the bare number) and ``SRV 6.12`` mentions. Letters add ``[^note]`` footnote marks, `` `code` ``, counts
(``[six]{tag:alerts}``), links (``[text](https://…)`` and ``<https://…>``), and read ``**…**`` as strong text.
Anything else is literal text: no HTML, no templates.
"""

from __future__ import annotations

import re

from generator.diagnostics import Diagnostic
from generator.diagnostics.rules import source as R
from generator.model import Inline, Span
from generator.model.clause import emph_node, srv_node, term_node, text_node, xref_node

__all__ = ["CLAUSE_MARKUP", "LETTER_MARKUP", "clean_text", "markup", "parse_inline", "scan"]

# Each kind of markup: (its first character, its pattern with one named group, the content). Each
# pattern begins with its first character itself (a test before it is written as a look back
# after it), so that a scanner's branches all begin with a literal: the regex engine then skips
# plain text in C, to the next character that can begin a branch.
_KINDS = {
    "note": ("[", r"\[\^(?P<note>[A-Za-z0-9_.-]+)\]"),
    "xref": ("[", r"\[\[(?P<xref>[^\[\]\s|]+)\]\]"),
    "strong": ("*", r"\*\*(?P<strong>[^*\n]+?)\*\*"),
    "emph": ("*", r"\*(?<![\w*]\*)(?P<emph>[^*\s](?:[^*\n]*?[^*\s])?)\*(?![\w*])"),  # no word or * before
    "code": ("`", r"`(?P<code>[^`\n]+)`"),
    "count": ("[", r"\[(?P<said>[^\[\]\n]{0,40})\]\{(?P<count>[a-z][a-z-]*(?::[^{}\s]+)?)\}"),
    "url": ("[", r"\[(?P<ltext>[^\[\]\n]+)\]\((?P<url>[^()\s]*)\)"),
    "auto": ("<", r"<(?P<auto>(?:https?://|mailto:)[^<>\s]+)>"),
    "srv": ("S", r"S(?<!\wS)RVs? ?(?P<srv>\d+(?:\.\d+){1,2})\b"),  # a word's start: no word character before
}


def markup(*kinds: str) -> re.Pattern[str]:
    """The scanner for ``kinds`` (tried in that order). Every branch begins with its first
    character, so the engine looks for those alone across plain text instead of trying each
    branch (or a lookahead) at every position: 6x faster than trying the branches, 1.7x faster
    than a leading lookahead on a 15,000-clause source."""
    if any(not _KINDS[k][1].startswith(("\\" + _KINDS[k][0], _KINDS[k][0])) for k in kinds):
        raise AssertionError("a markup pattern must begin with its first character")  # pragma: no cover
    return re.compile("|".join(_KINDS[k][1] for k in kinds))


CLAUSE_MARKUP = markup("xref", "strong", "emph", "srv")
LETTER_MARKUP = markup("note", "xref", "count", "url", "auto", "strong", "emph", "code")
# Kinds with a label before their content: the words a count says, a link's text.
_LABELS = {"count": "said", "url": "ltext"}


def scan(raw: str, pattern: re.Pattern[str]) -> list[tuple[str, str, str, str]]:
    """(kind, content, the text as written, label) for each piece of ``raw``; kind "" is plain
    text; label is the words of a count or a link ("" for every other kind)."""
    out: list[tuple[str, str, str, str]] = []
    pos = 0
    for m in pattern.finditer(raw):
        start = m.start()
        if start > pos:
            out.append(("", raw[pos:start], raw[pos:start], ""))
        kind = m.lastgroup or ""  # the group that closes last: the content, after any label
        out.append((kind, m.group(kind), m.group(), m.group(_LABELS[kind]) if kind in _LABELS else ""))
        pos = m.end()
    if pos < len(raw):
        out.append(("", raw[pos:], raw[pos:], ""))
    return out
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(raw: str, span: Span, diags: list[Diagnostic], clause_id: str = "") -> str:
    """Report and drop control characters (Word cannot store them)."""
    if not _CONTROL.search(raw):  # the common case: one scan, not two
        return raw
    for m in _CONTROL.finditer(raw):
        diags.append(
            Diagnostic.make(
                R.CONTROL_CHAR,
                f"text contains control character U+{ord(m.group()):04X} at offset {m.start()}",
                span,
                help="delete the character; it cannot be printed or stored in Word",
                clause_id=clause_id,
            )
        )
    return _CONTROL.sub("", raw)


def parse_inline(raw: str, span: Span) -> tuple[Inline, ...]:
    """Clause text as inline nodes (``scan`` with CLAUSE_MARKUP, made into nodes in the same loop:
    a clause each, 15,000 at 10×)."""
    # Every kind of clause markup holds one of these: text without any (half of it) is plain.
    if "*" not in raw and "[[" not in raw and "SRV" not in raw:
        return (text_node(raw),) if raw else ()
    out: list[Inline] = []
    pos = 0
    for m in CLAUSE_MARKUP.finditer(raw):
        start = m.start()
        if start > pos:
            out.append(text_node(raw[pos:start]))
        kind = m.lastgroup
        if kind == "srv":
            out.append(srv_node(m.group("srv"), m.group()))
        elif kind == "xref":
            content = m.group("xref")
            bare = content.startswith("#")  # [[#id]]: the number alone
            out.append(xref_node(content[1:] if bare else content, bare, span))
        elif kind == "strong":
            out.append(term_node(m.group("strong")))
        else:
            out.append(emph_node(m.group("emph")))
        pos = m.end()
    if pos < len(raw):
        out.append(text_node(raw[pos:]))
    return tuple(out)
