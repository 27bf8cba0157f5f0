"""A clause-numbered document and its numbering scheme."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.clause import Clause, walk
from generator.model.location import NOWHERE, Span

COUNTER_STYLES = ("decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman")


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberingLevel:
    """One level of the scheme.

    ``ref`` forms the full reference from ``{parent}`` (the parent's reference) and
    ``{n}`` (this level's counter plus any insertion suffix); ``label`` is what prints
    before the clause text and may use ``{ref}`` and ``{n}``; ``cite`` is how a
    cross-reference to a clause at this level reads in prose (``Section {ref}``,
    ``clause {ref}``, ``Annex {ref}``), capitalised at the start of a sentence.
    """

    name: str
    style: str
    ref: str
    label: str = "{ref}"
    cite: str = "{ref}"
    insert: str = "upper-alpha"
    start: int = 1
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberingScheme:
    """The body's levels, and the annexes' (level 1 is the annex itself: Annex B, then B.1 …)."""

    levels: tuple[NumberingLevel, ...]
    annex: tuple[NumberingLevel, ...] = ()

    def levels_for(self, annex: bool) -> tuple[NumberingLevel, ...]:
        return self.annex if annex else self.levels

    def level(self, level: int, annex: bool = False) -> NumberingLevel | None:
        """The scheme's level ``level`` (1-based) for the body or the annexes; None past the last."""
        levels = self.levels_for(annex)
        return levels[level - 1] if 0 < level <= len(levels) else None


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
    # The body's sections, then the annexes (clauses with ``annex``), in document order.
    sections: tuple[Clause, ...] = ()
    # The id of the annex that is the DMVESM, published as a workbook ("" for none).
    matrix_annex: str = ""
    span: Span = NOWHERE


def default_annex_levels(levels: tuple[NumberingLevel, ...]) -> tuple[NumberingLevel, ...]:
    """Annexes lettered A, B, … (cited "Annex B"; one inserted after B is Ba), their clauses
    numbered under the letter as the body's clauses are under a section (B.1, B.1a, B.1a(i))."""
    annex = NumberingLevel(name="annex", style="upper-alpha", ref="{n}", label="Annex {n}", cite="Annex {ref}",
                           insert="lower-alpha")
    return (annex, *levels[1:])


def cite_text(level: NumberingLevel | None, number: str) -> str:
    """How a cross-reference to the clause numbered ``number`` at ``level`` reads in prose."""
    return (level.cite if level else "{ref}").replace("{ref}", number)


def capitalise(text: str) -> str:
    """The first letter upper-cased (a citation at the start of a sentence)."""
    return text[:1].upper() + text[1:]


# The S1SR's own scheme: section 18, clause 18.5, sub-clause 18.5p, item 18.5p(i);
# insertions 18A, 18.5A, 18.5pa, 18.5p(ia); annexes A, B (B.1, B.1a). Cited in prose as
# "Section 18", "clause 18.5", "clause 18.5p", "paragraph 18.5p(i)", "Annex B".
# The default wherever no document says otherwise.
_S1SR_LEVELS = (
    NumberingLevel(name="section", style="decimal", ref="{n}", insert="upper-alpha", cite="Section {ref}"),
    NumberingLevel(name="clause", style="decimal", ref="{parent}.{n}", insert="upper-alpha", cite="clause {ref}"),
    NumberingLevel(name="sub-clause", style="lower-alpha", ref="{parent}{n}", label="({n})", insert="lower-alpha",
                   cite="clause {ref}"),
    NumberingLevel(name="item", style="lower-roman", ref="{parent}({n})", label="({n})", insert="lower-alpha",
                   cite="paragraph {ref}"),
)
S1SR_SCHEME = NumberingScheme(levels=_S1SR_LEVELS, annex=default_annex_levels(_S1SR_LEVELS))


def cite_map(document: Document) -> dict[str, str]:
    """Clause id → how a cross-reference to it reads in prose ("Section 2", "Annex B").

    A check asks for the draft's map and the release's more than once (references, the diff,
    the letters): a Document is frozen, so the map of the last few is kept (a fresh copy each
    time, as callers may add to it)."""
    made = _CITES.get(id(document))
    if made is None or made[0] is not document:
        scheme = document.scheme
        # cite_text(), with each (annex, level)'s template looked up once, not per clause (15,000 at 10×).
        templates: dict[tuple[bool, int], str] = {}
        cites: dict[str, str] = {}
        for c in walk(document.sections):
            if c.number:
                template = templates.get((c.annex, c.level))
                if template is None:
                    lv = scheme.level(c.level, c.annex)
                    template = templates[(c.annex, c.level)] = lv.cite if lv else "{ref}"
                cites[c.id] = template.replace("{ref}", c.number)
        made = (document, cites)
        if len(_CITES) >= 4:
            _CITES.pop(next(iter(_CITES)))
        _CITES[id(document)] = made
    return dict(made[1])


# id(document) → (that document, its map); the document is held so that its id is not reused.
_CITES: dict[int, tuple[Document, dict[str, str]]] = {}
