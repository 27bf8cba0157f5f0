"""Random clause trees and edits of them, for the diff and redline property tests."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from generator.model import Clause, Span
from generator.readers.inline import parse_inline


def c(cid: str, *children: Clause, text: str = "", not_used: bool = False, **kw: object) -> Clause:
    raw = "" if not_used else (text or f"text of {cid}")
    return Clause(id=cid, raw_text=raw, text=parse_inline(raw, Span(file="t.yaml")), children=tuple(children),
                  not_used=not_used, **kw)  # type: ignore[arg-type]


_WORDS = st.sampled_from(["the", "Device", "shall", "send", "an", "Alert", "SRV 4.8.1", "**Supplier**", "*not*",
                          "[[n0]]", "profile", "data", ","])
_TEXT = st.lists(_WORDS, min_size=1, max_size=8).map(" ".join)


@st.composite
def tree(draw: st.DrawFn) -> tuple[Clause, ...]:
    counter = [0]

    def make(level: int) -> Clause:
        cid = f"n{counter[0]}"
        counter[0] += 1
        kids = () if level >= 3 else tuple(make(level + 1) for _ in range(draw(st.integers(0, 3))))
        return c(cid, *kids, text=draw(_TEXT))

    return tuple(make(1) for _ in range(draw(st.integers(1, 3))))


@st.composite
def edited(draw: st.DrawFn, sections: tuple[Clause, ...]) -> tuple[Clause, ...]:
    fresh = [0]

    def edit(cl: Clause) -> list[Clause]:
        action = draw(st.sampled_from(["keep", "keep", "amend", "retire", "drop"]))
        if action == "drop":
            return []
        kids: list[Clause] = []
        for k in cl.children:
            kids += edit(k)
        if cl.level < 3 and draw(st.booleans()):
            kids.insert(draw(st.integers(0, len(kids))), c(f"new{fresh[0]}", text=draw(_TEXT)))
            fresh[0] += 1
        kids = _relocate(draw, kids, cl.level + 1)
        if action == "retire" and not cl.not_used:
            return [c(cl.id, not_used=True)]
        out = c(cl.id, *kids, text=draw(_TEXT) if action == "amend" else cl.raw_text, not_used=cl.not_used)
        return [replace(out, level=cl.level)]

    out: list[Clause] = []
    for s in sections:
        out += edit(s)
    return tuple(out) or (c("only"),)


def _relocate(draw: st.DrawFn, kids: list[Clause], level: int) -> list[Clause]:
    """Sometimes swap two siblings, or put a childless clause under the sibling before it
    (as version 12 did to the items of 18.5p)."""
    move = draw(st.sampled_from(["none", "none", "none", "swap", "nest"]))
    if len(kids) < 2 or move == "none":
        return kids
    i = draw(st.integers(1, len(kids) - 1))
    if move == "swap":
        kids[i - 1], kids[i] = kids[i], kids[i - 1]
    elif level < 4 and not kids[i].children and not kids[i - 1].not_used:
        kids[i - 1] = replace(kids[i - 1], children=(*kids[i - 1].children, kids.pop(i)))
    return kids


def levels(sections: tuple[Clause, ...], level: int = 1) -> tuple[Clause, ...]:
    return tuple(replace(s, level=level, children=levels(s.children, level + 1)) for s in sections)


