"""Root causes first: when one numbering error explains other findings, it leads and they follow.

The 18.5 pattern (a list's items numbered as siblings of its lead-in, DOCX214) moves every later
clause of the list's parent; a clause numbered in sequence where it should have taken an
insertion number, or a clause taken out instead of being left [Not used] (EXT110), moves every
clause after it. Each moved clause then reads as text that moved (EXT201), and each DMVESM cell
citing a moved number as pointing at other text (EXT202-EXT204) or at a clause about something
else (EXT102, EXT103). Listed one by one, these symptoms bury the cause among dozens of lines;
here each symptom becomes a related location of its cause, with its own message as the note, so
the cause leads and nothing is lost.

This module only assembles findings: the checks that make them are elsewhere in the package.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from generator.diagnostics import Diagnostic, Severity
from generator.diagnostics.rules import external as R
from generator.model import counters
from generator.model.external import ReadClause
from generator.passes.external.numbering import _where
from generator.passes.external.placement import Placed, _short
from generator.passes.external.scheme import _ref

__all__ = ["Cause", "lead_with_causes", "list_run_causes", "shift_causes"]

# The findings a moved number explains, and what each is, for the leader's summary.
_SYMPTOMS = {
    R.TEXT_MOVED.code: "clause", R.CITED_MISSING.code: "cell", R.CELL_RETARGETED.code: "cell",
    R.CITED_TEXT_GONE.code: "cell",
    R.CELL_CORRECTED.code: "cell", R.CITED_OFF_TOPIC.code: "cell", R.CITED_UNRELATED.code: "cell",
}


@dataclass(frozen=True, slots=True)
class Cause:
    """A root-cause finding and the numbers it moved (in either version), in ``files``."""

    finding: Diagnostic
    numbers: frozenset[str]
    files: frozenset[str]


def list_run_causes(placed: Placed, diags: Sequence[Diagnostic], files: Iterable[str]) -> list[Cause]:
    """Each 18.5 pattern finding (DOCX214) with the numbers of its items and of the clauses after them."""
    runs = {run.items[0].number: run for run in placed.list_runs()}
    out: list[Cause] = []
    for d in diags:
        run = runs.get(d.location.clause_number) if d.code == R.LIST_AS_SIBLINGS.code else None
        if run is not None and d.location.file == placed.file:
            moved = {c.number for c in (*run.items, *run.later)}
            out.append(Cause(d, frozenset(_with_descendants(moved, placed)), frozenset(files)))
    return out


def _with_descendants(numbers: set[str], *placed: Placed) -> set[str]:
    """``numbers`` and the numbers of every clause under them: a moved clause moves its children."""
    out = set(numbers)
    for p in placed:
        for c in p.clauses:  # document order: a parent comes before its children
            if c.parent in out:
                out.add(c.number)
    return out


def shift_causes(old: Placed, new: Placed, matched: dict[int, int], files: Iterable[str]) -> list[Cause]:
    """Runs of two or more siblings whose texts all moved by the same number of places (EXT110),
    unless the 18.5 pattern explains them, with what moved them when it can be seen."""
    explained = {c.number for run in new.list_runs() for c in (*run.items, *run.later)}
    back = {j: i for i, j in matched.items()}
    delta: dict[int, int] = {}
    for j, i in back.items():
        a, b = old.clauses[i], new.clauses[j]
        if a.level == b.level and a.parent == b.parent and a.ordinal[1] == b.ordinal[1] and a.ordinal != b.ordinal:
            delta[j] = b.ordinal[0] - a.ordinal[0]
    siblings: dict[tuple[str, int], list[int]] = {}
    for j, c in enumerate(new.clauses):
        siblings.setdefault((c.parent, c.level), []).append(j)
    old_siblings: dict[tuple[str, int], list[int]] = {}
    for i, c in enumerate(old.clauses):
        old_siblings.setdefault((c.parent, c.level), []).append(i)
    out: list[Cause] = []
    for key, js in siblings.items():
        k = 0
        while k < len(js):
            d = delta.get(js[k])
            end = k
            while d is not None and end + 1 < len(js) and delta.get(js[end + 1]) == d:
                end += 1
            run = js[k:end + 1]
            if d is not None and len(run) >= 2 and new.clauses[run[0]].number not in explained:
                # What moved them: new text just before the run (numbered in sequence), or baseline
                # text just before where the run stood that is gone (taken out, not left [Not used]).
                before = _unmatched_before(js, k, back, d)
                olds = old_siblings.get(key, [])
                gone = _unmatched_before(olds, olds.index(back[run[0]]), matched, -d)
                p = k - 1 - len(before)
                # Or an insertion number given up: the clause before the run kept its text but now
                # takes the number in sequence (18.5ja typed as 18.5k).
                renumbered = None
                demoted = _demoted(new, olds, olds.index(back[run[0]]), matched, -d) if d < 0 and not gone \
                    else []
                if demoted:
                    out.append(_restored(old, new, [old.clauses[back[j]] for j in run], [new.clauses[j] for j in run],
                                         [(old.clauses[i], new.clauses[matched[i]]) for i in demoted],
                                         frozenset(files)))
                    k = end + 1
                    continue
                if not before and not gone and p >= 0 and js[p] in back:
                    was_c, now_c = old.clauses[back[js[p]]], new.clauses[js[p]]
                    if was_c.ordinal[1] and not now_c.ordinal[1] and now_c.ordinal == old.clauses[back[run[0]]].ordinal:
                        renumbered = (was_c, now_c)
                        p -= 1
                out.append(_shift(old, new, [old.clauses[back[j]] for j in run], [new.clauses[j] for j in run],
                                  [new.clauses[j] for j in before], [old.clauses[i] for i in gone], renumbered,
                                  new.clauses[js[p]] if p >= 0 else None, d, frozenset(files)))
            k = end + 1
    return out


def _unmatched_before(order: list[int], at: int, matched: dict[int, int], count: int) -> list[int]:
    """Up to ``count`` positions of ``order`` directly before ``at`` whose text has no match."""
    out: list[int] = []
    p = at - 1
    while count > 0 and p >= 0 and order[p] not in matched and len(out) < count:
        out.insert(0, order[p])
        p -= 1
    return out


def _demoted(new: Placed, order: list[int], at: int, matched: dict[int, int], count: int) -> list[int]:
    """The ``count`` baseline siblings directly before ``at`` if their texts are now the items of the
    sibling before them (the 18.5 pattern undone), else []."""
    if at - count - 1 < 0:
        return []
    lead, items = order[at - count - 1], order[at - count:at]
    if lead not in matched or any(i not in matched for i in items):
        return []
    lead_now = new.clauses[matched[lead]].number
    return items if all(new.clauses[matched[i]].parent == lead_now for i in items) else []


def _restored(old: Placed, new: Placed, was: list[ReadClause], now: list[ReadClause],
              items: list[tuple[ReadClause, ReadClause]], files: frozenset[str]) -> Cause:
    lead = items[0][1].parent
    n = len(items)
    message = (f"{_range([a for a, _ in items])} of the baseline are items of {lead} again "
               f"({_range([b for _, b in items])}), so {_range(was)} of the baseline are now {_range(now)}, "
               f"{n} place{'s' if n > 1 else ''} earlier: the 18.5 pattern undone")
    finding = Diagnostic.make(R.NUMBERS_RESTORED, message, _where(new.file, items[0][1]),
                              related=[_where(old.file, items[0][0])])
    numbers = _with_descendants({c.number for c in (*was, *now, *(x for pair in items for x in pair))}, old, new)
    return Cause(finding, frozenset(numbers), files)


def _shift(old: Placed, new: Placed, was: list[ReadClause], now: list[ReadClause], inserted: list[ReadClause],
           removed: list[ReadClause], renumbered: tuple[ReadClause, ReadClause] | None, prev: ReadClause | None,
           d: int, files: frozenset[str]) -> Cause:
    places = f"{abs(d)} place{'s' if abs(d) > 1 else ''} {'later' if d > 0 else 'earlier'}"
    moved = (f"{_range(was)} of the baseline {'is' if len(was) == 1 else 'are'} now {_range(now)}, {places}, so "
             "every citation of them points at other text")
    if inserted:
        names = ", ".join(c.number for c in inserted)
        where = _where(new.file, inserted[0])
        message = (f"{names} ('{_short(inserted[0].full_text)}') {'is' if len(inserted) == 1 else 'are'} new in "
                   f"this version but numbered in sequence, so {moved}")
        fix = (f"give {names} an insertion number ({_insertion(new, prev)}) so the later clauses keep their numbers"
               if prev is not None else "give the new clause an insertion number so the later clauses keep theirs")
    elif renumbered is not None:
        was_c, now_c = renumbered
        inserted = [now_c]
        where = _where(new.file, now_c)
        message = (f"the text of {was_c.number} ('{_short(was_c.full_text)}') is now numbered {now_c.number}, in "
                   f"sequence, instead of keeping its insertion number, so {moved}")
        fix = f"number it {was_c.number} again so the later clauses keep their numbers"
        removed = [was_c]
    elif removed:
        names = ", ".join(c.number for c in removed)
        where = _where(new.file, now[0])
        message = (f"{names} of the baseline ('{_short(removed[0].full_text)}') was taken out instead of being "
                   f"left '[Not used]', so {moved}")
        fix = f"put {names} back as '[Not used]' so the later clauses keep their numbers"
    else:
        where = _where(new.file, now[0])
        message = f"{moved[0].upper()}{moved[1:]}"
        fix = "put the numbers back; a new clause takes an insertion number, a removed one stays as '[Not used]'"
    finding = Diagnostic.make(R.NUMBERS_SHIFTED, message, where,
                              related=[_where(old.file, c) for c in (*removed, was[0])], help=fix)
    numbers = _with_descendants({c.number for c in (*was, *now, *inserted, *removed)}, old, new)
    return Cause(finding, frozenset(numbers), files)


def _range(clauses: list[ReadClause]) -> str:
    return clauses[0].number if len(clauses) == 1 else f"{clauses[0].number} to {clauses[-1].number}"


def _insertion(placed: Placed, prev: ReadClause) -> str:
    lv = placed.scheme.levels[prev.level - 1]
    k = counters.next_suffix(prev.ordinal[0], prev.ordinal[1], lv.style, lv.insert)
    return _ref(placed.scheme, prev.level, prev.parent, counters.token(prev.ordinal[0], k, lv.style, lv.insert))


def lead_with_causes(diags: Sequence[Diagnostic], causes: Sequence[Cause]) -> list[Diagnostic]:
    """``diags`` with every symptom of a cause moved under it: the cause's related locations gain
    one location per symptom, noted with the symptom's code and message."""
    if not causes:
        return list(diags)
    under: dict[int, list[Diagnostic]] = {}
    taken: set[int] = set()
    for k, d in enumerate(diags):
        if d.code not in _SYMPTOMS:
            continue
        for n, cause in enumerate(causes):
            if d.location.clause_number in cause.numbers and d.location.file in cause.files:
                under.setdefault(n, []).append(d)
                taken.add(k)
                break
    leaders = {id(c.finding): n for n, c in enumerate(causes)}
    out: list[Diagnostic] = []
    for k, d in enumerate(diags):
        if k in taken:
            continue
        n = leaders.get(id(d), -1)
        symptoms = under.get(n, []) if n >= 0 else []
        out.append(_lead(d, symptoms) if symptoms else d)
    return out


def _lead(cause: Diagnostic, symptoms: list[Diagnostic]) -> Diagnostic:
    clauses = sum(1 for s in symptoms if _SYMPTOMS[s.code] == "clause")
    cells = {(s.location.sheet, s.location.cell) for s in symptoms if _SYMPTOMS[s.code] == "cell"}
    parts = ([f"{clauses} clause{'s' if clauses > 1 else ''} whose text moved"] if clauses else []) + (
        [f"{len(cells)} DMVESM cell{'s' if len(cells) > 1 else ''} citing a moved number"] if cells else [])
    related = [*cause.related, *(replace(s.location, note=f"{s.code} {s.severity.value}: {s.message}")
                                 for s in symptoms)]
    # Folding never hides an error: the cause is as severe as the worst finding it explains.
    severity = min((cause.severity, *(s.severity for s in symptoms)), key=_RANK.index)
    return replace(cause, message=f"{cause.message}. It explains {' and '.join(parts)}, listed below",
                   related=tuple(related), severity=severity)


_RANK = [Severity.ERROR, Severity.WARNING, Severity.INFO]
