"""What made numbers move, against the baseline pair: a clause inserted with the number of the
clause it pushed on (instead of an insertion number such as 18.5ca), and a clause deleted
outright (instead of kept as "[Not used]"), each naming the number it took or vacated and the
number it should have had.
"""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import external as R
from generator.model import counters
from generator.model.external import ReadClause
from generator.passes.external.numbering import _span
from generator.passes.external.placement import Placed, _short
from generator.passes.external.scheme import _ref


def _where(file: str, c: ReadClause) -> Location:
    return Location(file=file, clause_number=c.number)


def _siblings(placed: Placed) -> dict[tuple[str, int], list[int]]:
    out: dict[tuple[str, int], list[int]] = {}
    for k, c in enumerate(placed.clauses):
        out.setdefault((c.parent, c.level), []).append(k)
    return out


def explain_shifts(old: Placed, new: Placed, matched: dict[int, int]) -> list[Diagnostic]:
    """EXT211 for each clause inserted without an insertion number, EXT212 for each clause
    deleted without a tombstone, where later siblings moved because of it."""
    back = {j: i for i, j in matched.items()}
    old_at = {c.number: i for i, c in reversed(list(enumerate(old.clauses)))}
    new_at = {c.number: j for j, c in reversed(list(enumerate(new.clauses)))}
    siblings = _siblings(new)
    diags: list[Diagnostic] = []

    def moved_after(j: int) -> list[ReadClause]:
        c = new.clauses[j]
        later = [k for k in siblings[(c.parent, c.level)] if k > j]
        return [new.clauses[k] for k in later if k in back and old.clauses[back[k]].number != new.clauses[k].number]

    reported: set[str] = set()
    for j, c in enumerate(new.clauses):
        if j in back or c.not_used or c.parent in reported:
            continue
        i = old_at.get(c.number)
        home = matched.get(i) if i is not None else None
        if i is None or home is None or new.clauses[home].number == c.number:
            continue  # a number the baseline did not have, or whose text is gone: not a shift
        reported.add(c.number)
        moved = moved_after(j)
        sibs = siblings[(c.parent, c.level)]
        pos = sibs.index(j)
        prev = new.clauses[sibs[pos - 1]] if pos else None
        lv = new.scheme.levels[c.level - 1]
        if prev is not None:
            suffix = counters.next_suffix(prev.ordinal[0], prev.ordinal[1], lv.style, lv.insert)
            right = _ref(new.scheme, c.level, c.parent, counters.token(prev.ordinal[0], suffix, lv.style, lv.insert))
            should = f"as a clause inserted after {prev.number} it should be {right}"
        else:
            should = "a clause inserted before the first of its level should take the next free number at the end"
        was = old.clauses[i]
        shift = (f"; {len(moved)} later clause{'s' if len(moved) > 1 else ''} moved on "
                 f"({_span([x.number for x in moved])})" if moved else "")
        diags.append(Diagnostic.make(
            R.INSERTED_WITHOUT_SUFFIX,
            f"{c.number} ('{_short(c.full_text)}') is new text numbered {c.number}, a number the baseline gave to "
            f"'{_short(was.full_text)}' (now {new.clauses[home].number}){shift}; {should}",
            _where(new.file, c), related=[_where(old.file, was), *(_where(new.file, x) for x in moved[:20])],
            help="give the new clause an insertion number so that the designated numbers stay with their text"))
    reported = set()
    for i, c in enumerate(old.clauses):
        if i in matched or c.not_used or c.parent in reported:
            continue
        at = new_at.get(c.number)
        if at is None or at not in back or old.clauses[back[at]].number == c.number:
            continue
        reported.add(c.number)
        now = new.clauses[at]
        moved = [now, *moved_after(at)]
        diags.append(Diagnostic.make(
            R.DELETED_WITHOUT_TOMBSTONE,
            f"the baseline's {c.number} ('{_short(c.full_text)}') is deleted, not kept as '[Not used]': {c.number} now "
            f"holds the text of the baseline's {old.clauses[back[at]].number}, and {len(moved)} clause"
            f"{'s' if len(moved) > 1 else ''} moved one place back ({_span([x.number for x in moved])}); kept as "
            f"'[Not used]', {c.number} would stay and they would keep their numbers",
            _where(new.file, now), related=[_where(old.file, c), *(_where(new.file, x) for x in moved[1:20])],
            help=f"put {c.number} back with the text '[Not used]'"))
    return diags
