"""Clause text → inline nodes: ``parse_inline`` (its own loop, its nodes made by filling slots)
against ``scan``'s pieces made into nodes through the model's constructors."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import Emph, Inline, Span, SrvRef, Term, Text, Xref
from generator.readers.inline import CLAUSE_MARKUP, LETTER_MARKUP, parse_inline, scan

_SPAN = Span(file="s.yaml", line=3, col=9)


def _oracle(raw: str) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for kind, content, written, _label in scan(raw, CLAUSE_MARKUP):
        if kind == "":
            out.append(Text(text=content))
        elif kind == "srv":
            out.append(SrvRef(srv=content, text=written))
        elif kind == "xref":
            out.append(Xref(target=content.removeprefix("#"), bare=content.startswith("#"), span=_SPAN))
        else:
            out.append(Term(text=content) if kind == "strong" else Emph(text=content))
    return tuple(out)


@settings(max_examples=500, deadline=None)
@given(raw=st.one_of(st.text(alphabet="*[]#SRVs 6.12ab-\n", max_size=40), st.lists(st.sampled_from(
    ["SRV 6.12", "SRVs 8.1.1", "SRV", "S", "**", "*", "[[", "]]", "#", "c-1", " ", "a", "\n", "x*y", "."]),
    max_size=12).map("".join)))
def test_parse_inline_gives_the_nodes_scan_finds(raw: str) -> None:
    assert parse_inline(raw, _SPAN) == _oracle(raw)


def test_plain_text_is_one_run_and_markup_is_found() -> None:
    assert parse_inline("", _SPAN) == ()
    assert parse_inline("Supplier shall send it.", _SPAN) == (Text(text="Supplier shall send it."),)
    assert parse_inline("a **Term**, *so*, SRV 6.12 and [[#c-1]]", _SPAN) == (
        Text(text="a "), Term(text="Term"), Text(text=", "), Emph(text="so"), Text(text=", "),
        SrvRef(srv="6.12", text="SRV 6.12"), Text(text=" and "), Xref(target="c-1", bare=True, span=_SPAN))


# The scanners as first written: a leading lookahead, the emphasis and SRV tests before the
# character. The patterns written for speed must find exactly what these find.
_FIRST = {
    "note": r"\[\^(?P<note>[A-Za-z0-9_.-]+)\]", "xref": r"\[\[(?P<xref>[^\[\]\s|]+)\]\]",
    "strong": r"\*\*(?P<strong>[^*\n]+?)\*\*", "emph": r"(?<![\w*])\*(?P<emph>[^*\s](?:[^*\n]*?[^*\s])?)\*(?![\w*])",
    "code": r"`(?P<code>[^`\n]+)`", "count": r"\[(?P<said>[^\[\]\n]{0,40})\]\{(?P<count>[a-z][a-z-]*(?::[^{}\s]+)?)\}",
    "url": r"\[(?P<ltext>[^\[\]\n]+)\]\((?P<url>[^()\s]*)\)", "auto": r"<(?P<auto>(?:https?://|mailto:)[^<>\s]+)>",
    "srv": r"\bSRVs? ?(?P<srv>\d+(?:\.\d+){1,2})\b",
}


def _first(*kinds: str) -> re.Pattern[str]:
    return re.compile(r"(?=[\[*`<S])(?:" + "|".join(_FIRST[k] for k in kinds) + ")")


_MARKUP_TEXT = st.lists(st.sampled_from(
    ["SRV 6.12", "SRVs 8.1.1", "SRV", "S", "xS", "é", "_", "**", "*", "[[", "]]", "[^n1]", "[six]{tag:a}", "(", ")",
     "](https://x)", "<https://x>", "`", "#", "c-1", " ", "a", "\n", "."]), max_size=14).map("".join)


@settings(max_examples=500, deadline=None)
@given(raw=_MARKUP_TEXT)
def test_the_scanners_find_what_the_first_patterns_found(raw: str) -> None:
    for scanner, oracle in ((CLAUSE_MARKUP, _first("xref", "strong", "emph", "srv")),
                            (LETTER_MARKUP, _first("note", "xref", "count", "url", "auto", "strong", "emph", "code"))):
        assert [(m.span(), m.lastgroup, m.groupdict()) for m in scanner.finditer(raw)] == \
               [(m.span(), m.lastgroup, m.groupdict()) for m in oracle.finditer(raw)]
