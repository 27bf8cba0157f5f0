"""A consultation against the comparison it consulted on: the amendments each part proposes, the
counts of every part (computed from the answers, never typed), and the order and anonymous
numbers in which documents list the respondents."""

from __future__ import annotations

from dataclasses import replace

from generator.diagnostics import Diagnostic
from generator.diagnostics.rules import consultation as C
from generator.model import Project
from generator.model.consultation import Answer, Consultation, Respondent, tally
from generator.model.diff import VACATED, Changes
from generator.model.letter import ListBlock, NoteRef
from generator.passes.letter import ChangeIndex, Filler, select_rows

__all__ = ["resolve_consultation"]


def _ordered(respondents: tuple[Respondent, ...]) -> tuple[Respondent, ...]:
    """Named respondents by organisation, then the confidential ones, numbered 1, 2, … in the
    order of their files (so that the list does not hint at who they are)."""
    named = sorted((r for r in respondents if not r.confidential), key=lambda r: (r.organisation.casefold(), r.id))
    hidden = [replace(r, anonymous=i) for i, r in enumerate((r for r in respondents if r.confidential), start=1)]
    return (*named, *hidden)


def resolve_consultation(consultation: Consultation, changes: Changes | None = None, old: Project | None = None,
                         new: Project | None = None) -> tuple[Consultation, list[Diagnostic]]:
    """``consultation`` with its parts' amendments and counts filled from ``changes`` (``old`` →
    ``new``; without a comparison, no part amends anything) and its narrative resolved."""
    diags: list[Diagnostic] = []
    ix = ChangeIndex(old, new, changes) if changes is not None and old is not None and new is not None else None
    parts = []
    for p in consultation.parts:
        rows = select_rows(p.proposes, ix, diags, unknown_clause=C.UNKNOWN_PROPOSAL,
                           unknown_selector=C.UNKNOWN_PROPOSAL, unchanged=None,
                           who=f"part '{p.id}' of the consultation") if ix is not None else ()
        parts.append(replace(p, rows=rows, tally=tally(consultation, p.id, clauses=sum(1 for r in rows if VACATED not in r.kinds))))
    counted = replace(consultation, parts=tuple(parts), respondents=_ordered(consultation.respondents))
    if ix is None:
        return counted, diags
    fill = Filler(ix, counted, diags)
    diags += _no_footnotes(counted)
    return replace(
        counted, summary=fill.blocks(counted.summary), next_steps=fill.blocks(counted.next_steps),
        parts=tuple(replace(p, conclusion=fill.blocks(p.conclusion)) for p in counted.parts),
        respondents=tuple(replace(r, answers=tuple(_answer(a, fill) for a in r.answers))
                          for r in counted.respondents),
    ), diags


def _no_footnotes(c: Consultation) -> list[Diagnostic]:
    """The consultation documents have no footnotes: a mark in their narrative would print alone."""
    narratives = [c.summary, c.next_steps, *(p.conclusion for p in c.parts),
                  *(a.our_view for r in c.respondents for a in r.answers)]
    out: list[Diagnostic] = []
    for blocks in narratives:
        for b in blocks:
            items = b.items if isinstance(b, ListBlock) else (b.inlines,)
            for inlines in items:
                out += [Diagnostic.make(C.BAD_FIELD, f"the consultation's documents have no footnotes, so [^{i.id}] "
                                        "would print alone", i.span, help="write the note's words in the text")
                        for i in inlines if isinstance(i, NoteRef)]
    return out


def _answer(a: Answer, fill: Filler) -> Answer:
    return replace(a, our_view=fill.blocks(a.our_view)) if a.our_view else a
