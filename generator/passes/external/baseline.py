"""Comparing with a baseline pair: clause text that moved to another number (matched by text,
tolerant to small edits, without comparing every pair), and every matrix cell that now points at
other text than it did.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import external as R
from generator.model.external import Citation, ReadClause, Workbook
from generator.passes.external.devices import _WORD, _norm_name
from generator.passes.external.numbering import _where
from generator.passes.external.placement import Placed, _short


# -- against a baseline --------------------------------------------------------------------------
def _norm_text(c: ReadClause) -> str:
    return " ".join(_WORD.findall(c.full_text.lower()))


def _shingles(words: list[str]) -> dict[str, None]:
    """The text's word triples, each once, in the order they come: the votes below are counted in
    that order, so the candidates tied on votes are the same in every run (a set's order follows
    the process's string hashing, and so did the clauses matched)."""
    if len(words) < 3:
        return {" ".join(words): None} if words else {}
    return dict.fromkeys(" ".join(words[k:k + 3]) for k in range(len(words) - 2))


def match_texts(old: Sequence[ReadClause], new: Sequence[ReadClause], *, threshold: float = 0.75
                ) -> dict[int, int]:
    """Old clause index → new clause index of the same text (tolerant to small edits).

    Exact normalised text first (in order, so repeated texts pair up in sequence, the same number
    preferred); then, for the rest, candidates that share rare word shingles, scored with
    difflib — never every pair.
    """
    result: dict[int, int] = {}
    taken: set[int] = set()
    exact: dict[str, list[int]] = {}
    new_norm = [_norm_text(c) for c in new]
    for j, t in enumerate(new_norm):
        if t and not new[j].not_used:
            exact.setdefault(t, []).append(j)
    rest: list[int] = []
    for i, c in enumerate(old):
        t = _norm_text(c)
        if not t or c.not_used:
            continue
        js = [j for j in exact.get(t, ()) if j not in taken]
        if not js:
            rest.append(i)
            continue
        same = [j for j in js if new[j].number == c.number]
        j = same[0] if same else js[0]
        result[i] = j
        taken.add(j)
    if not rest:
        return result
    free = [j for j in range(len(new)) if j not in taken and new_norm[j] and not new[j].not_used]
    index: dict[str, list[int]] = {}
    new_words: dict[int, list[str]] = {}
    for j in free:
        words = new_norm[j].split()
        new_words[j] = words
        for sh in _shingles(words):
            index.setdefault(sh, []).append(j)
    common = max(50, len(free) // 20)
    pairs: list[tuple[float, int, int]] = []
    for i in rest:
        words = _norm_text(old[i]).split()
        votes: Counter[int] = Counter()
        for sh in _shingles(words):
            hits = index.get(sh, ())
            if len(hits) <= common:
                votes.update(hits)
        for j, _ in votes.most_common(5):
            sm = difflib.SequenceMatcher(None, words, new_words[j], autojunk=False)
            if sm.real_quick_ratio() < threshold or sm.quick_ratio() < threshold:
                continue
            r = sm.ratio()
            if r >= threshold:
                pairs.append((r + (0.001 if new[j].number == old[i].number else 0.0), i, j))
    for _r, i, j in sorted(pairs, reverse=True):
        if i not in result and j not in taken:
            result[i] = j
            taken.add(j)
    return result


def _names_device(placed: Placed, c: ReadClause, device: str) -> bool:
    """The clause's own text (or the lead-in of the list it continues) names the Device Model."""
    if not device:
        return False
    lead = placed.lead_of().get(c.number)
    return device in c.devices or (lead is not None and device in lead.devices)


def compare_baseline(old: Placed, new: Placed, old_book: Workbook | None, new_book: Workbook | None,
                     matched: dict[int, int] | None = None) -> list[Diagnostic]:
    """Clauses whose text moved to another number (EXT201); matrix cells that now point at other
    text than they did in the baseline (EXT202), or at text that is gone (EXT203). A cell whose new
    text names its Device Model where the old text did not is a correction (EXT204, a note)."""
    diags: list[Diagnostic] = []
    if matched is None:
        matched = match_texts(old.clauses, new.clauses)
    moved_to: dict[str, ReadClause] = {}  # old number → the new clause holding its text
    for i, j in sorted(matched.items()):
        was_c, now_c = old.clauses[i], new.clauses[j]
        moved_to.setdefault(was_c.number, now_c)
        if was_c.number != now_c.number:
            diags.append(Diagnostic.make(
                R.TEXT_MOVED,
                f"the text of {was_c.number} in the baseline ('{_short(was_c.full_text)}') is now {now_c.number}",
                _where(new.file, now_c), related=[_where(old.file, was_c)],
                help=f"restore {was_c.number}, or declare the renumbering and update every DMVESM cell citing "
                f"{was_c.number}"))
    if old_book is None or new_book is None:
        return diags
    old_by = old.by_number()
    new_by = new.by_number()
    old_cells: dict[tuple[str, str], Citation] = {}
    for cite in old_book.citations:
        old_cells.setdefault(_cell_key(cite), cite)
    gone: set[str] = {old.clauses[i].number for i in range(len(old.clauses)) if i not in matched}
    for cite in new_book.citations:
        before = old_cells.get(_cell_key(cite))
        if before is None:
            continue
        who = f"{cite.sheet}!{cite.cell} (SRV {cite.srv}, {cite.device_label})"
        for n in cite.numbers:
            if n not in before.numbers or n not in old_by:
                continue
            where = Location(file=new_book.file, sheet=cite.sheet, cell=cite.cell, clause_number=n)
            was = old_by[n]
            now = new_by.get(n)
            home = moved_to.get(n)
            if home is not None and home.number == n:
                continue
            if home is not None and now is not None and _names_device(new, now, cite.device) \
                    and not _names_device(old, was, cite.device):
                diags.append(Diagnostic.make(
                    R.CELL_CORRECTED,
                    f"{who} cites {n}, which now reads '{_short(now.full_text)}', about this Device Model; in the "
                    f"baseline {n} read '{_short(was.full_text)}' (now {home.number})", where,
                    related=[_where(new.file, now), _where(new.file, home)],
                    help="a correction: declare the renumbering in the change set so the letter lists it"))
            elif home is not None:
                reads = f"; {n} now reads '{_short(now.full_text)}'" if now is not None else f"; {n} no longer exists"
                diags.append(Diagnostic.make(
                    R.CELL_RETARGETED,
                    f"{who} cites {n}, which in the baseline read '{_short(was.full_text)}'; that text is now "
                    f"{home.number}{reads}", where,
                    related=[_where(new.file, home), *([_where(new.file, now)] if now is not None else [])],
                    help=f"cite {home.number} in {cite.sheet}!{cite.cell}, or restore the S1SR's numbering so the "
                    f"text is {n} again"))
            elif n in gone:
                diags.append(Diagnostic.make(
                    R.CITED_TEXT_GONE,
                    f"{who} cites {n}, whose baseline text ('{_short(was.full_text)}') is nowhere in the new S1SR"
                    + (f"; {n} now reads '{_short(now.full_text)}'" if now is not None else ""), where,
                    help="check that the clause now cited still describes the variation"))
    return diags


def _cell_key(c: Citation) -> tuple[str, str]:
    return (c.srv, c.device or _norm_name(c.device_label))

