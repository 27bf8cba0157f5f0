"""Clauses and the inline text inside them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.model.location import NOWHERE, Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Emph:
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """A defined term (printed bold)."""

    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Xref:
    """A cross-reference by stable id; writers print the target's current number."""

    target: str
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class SrvRef:
    """A mention of a DUIS Service Reference Variant, e.g. ``SRV 6.12``."""

    srv: str
    text: str


Inline = Text | Emph | Term | Xref | SrvRef


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AppliesTo:
    """SRVs × Device Models (or group ids) that a clause describes."""

    srvs: tuple[str, ...]
    devices: tuple[str, ...]
    note: str = ""  # qualifies the DMVESM cells, e.g. "firmware 2.1 and later"
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Clause:
    id: str
    heading: str = ""
    raw_text: str = ""
    text: tuple[Inline, ...] = ()
    table: Table | None = None
    children: tuple[Clause, ...] = ()
    not_used: bool = False
    applies_to: tuple[AppliesTo, ...] = ()
    tags: tuple[str, ...] = ()
    span: Span = NOWHERE
    # Filled by the numbering pass; never typed by a drafter.
    level: int = 0
    ordinal: tuple[int, int] = (0, 0)
    number: str = ""
    label: str = ""
    parent: str = ""

    def srvs(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for a in self.applies_to:
            for s in a.srvs:
                seen.setdefault(s, None)
        return tuple(seen)


def walk(clauses: tuple[Clause, ...]) -> Iterator[Clause]:
    """Every clause in document order (pre-order)."""
    stack = list(reversed(clauses))
    while stack:
        c = stack.pop()
        yield c
        stack.extend(reversed(c.children))


def plain_text(inlines: tuple[Inline, ...], numbers: dict[str, str] | None = None) -> str:
    """Inline nodes as plain text, cross-references as the target's number."""
    parts: list[str] = []
    for i in inlines:
        if isinstance(i, Xref):
            parts.append((numbers or {}).get(i.target, i.target))
        else:
            parts.append(i.text)
    return "".join(parts)
