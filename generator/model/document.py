"""A clause-numbered document and its numbering scheme."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.clause import Clause
from generator.model.location import NOWHERE, Span

COUNTER_STYLES = ("decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman")


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberingLevel:
    """One level of the scheme.

    ``ref`` forms the full reference from ``{parent}`` (the parent's reference) and
    ``{n}`` (this level's counter plus any insertion suffix); ``label`` is what prints
    before the clause text and may use ``{ref}`` and ``{n}``.
    """

    name: str
    style: str
    ref: str
    label: str = "{ref}"
    insert: str = "upper-alpha"
    start: int = 1
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberingScheme:
    levels: tuple[NumberingLevel, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    id: str
    title: str
    short_title: str
    appendix: str = ""
    status: str = "draft"
    version: str = ""
    date: str = ""
    site_url: str = ""
    scheme: NumberingScheme
    sections: tuple[Clause, ...] = ()
    span: Span = NOWHERE


# The S1SR's own scheme: section 18, clause 18.5, sub-clause 18.5p, item 18.5p(i);
# insertions 18A, 18.5A, 18.5pa, 18.5p(ia). The default wherever no document says otherwise.
S1SR_SCHEME = NumberingScheme(levels=(
    NumberingLevel(name="section", style="decimal", ref="{n}", insert="upper-alpha"),
    NumberingLevel(name="clause", style="decimal", ref="{parent}.{n}", insert="upper-alpha"),
    NumberingLevel(name="sub-clause", style="lower-alpha", ref="{parent}{n}", label="({n})", insert="lower-alpha"),
    NumberingLevel(name="item", style="lower-roman", ref="{parent}({n})", label="({n})", insert="lower-alpha"),
))
