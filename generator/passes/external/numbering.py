"""The numbering a reader sees: duplicates, gaps, numbers out of order, levels that continue
instead of restarting, and the 18.5 pattern (a list's items numbered as siblings of its lead-in).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import external as R
from generator.model import NumberingScheme, counters
from generator.model.external import ReadClause, WordDocument
from generator.passes.external.placement import ListRun, Placed, _fit, _short
from generator.passes.external.scheme import Ordinal, _ref


# -- the numbering a reader sees -------------------------------------------------------------
def _where(file: str, c: ReadClause) -> Location:
    return Location(file=file, clause_number=c.number)


def _token(scheme: NumberingScheme, level: int, o: Ordinal) -> str:
    lv = scheme.levels[level - 1]
    return counters.token(o[0], o[1], lv.style, lv.insert)










def _span(numbers: Sequence[str]) -> str:
    if len(numbers) == 1:
        return numbers[0]
    if len(numbers) == 2:
        return f"{numbers[0]} and {numbers[1]}"
    if len(numbers) <= 4:
        return ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
    return f"{numbers[0]} to {numbers[-1]}"


def check_numbering(placed: Placed) -> list[Diagnostic]:
    """Duplicates, gaps, numbers out of order, levels not restarted, and the 18.5 pattern; the
    body and the annexes each in their own levels."""
    diags: list[Diagnostic] = []
    k = placed.annex_from if 0 <= placed.annex_from <= len(placed.clauses) else len(placed.clauses)
    first: dict[str, ReadClause] = {}
    _check_group(placed.clauses[:k], placed.scheme, placed.file, first, diags)
    if k < len(placed.clauses):
        _check_group(placed.clauses[k:], NumberingScheme(levels=placed.scheme.annex), placed.file, first, diags)
    for run in placed.list_runs():
        diags.append(_list_run_finding(run, placed.scheme, placed.file))
    return diags


def _check_group(clauses: Sequence[ReadClause], scheme: NumberingScheme, file: str, first: dict[str, ReadClause],
                 diags: list[Diagnostic]) -> None:
    last: dict[int, ReadClause | None] = {}
    closed: dict[int, Ordinal] = {}
    for c in clauses:
        lv = scheme.levels[c.level - 1]
        other = first.get(c.number)
        if other is not None:
            diags.append(Diagnostic.make(
                R.DUPLICATE, f"clause number {c.number} is shown twice (paragraphs {other.paragraph} and "
                f"{c.paragraph}): '{_short(other.full_text)}' and '{_short(c.full_text)}'", _where(file, c),
                related=[_where(file, other)], help="renumber one of them; an inserted clause takes an insertion "
                "number (18.5A, 18.5pa)"))
        else:
            first[c.number] = c
        prev = last.get(c.level)
        if prev is None:
            if c.level > 1 and c.ordinal[0] != lv.start:
                cousin = closed.get(c.level)
                expected = _ref(scheme, c.level, c.parent, _token(scheme, c.level, (lv.start, 0)))
                if cousin is not None and c.ordinal == (cousin[0] + 1, 0):
                    diags.append(Diagnostic.make(
                        R.NOT_RESTARTED, f"{c.number} is the first sub-clause of {c.parent} but continues the "
                        f"numbering of the previous clause's list; it should be {expected}", _where(file, c),
                        help="restart the numbering at this sub-clause (Word: Restart at 1), or type the numbers"))
                elif c.ordinal[0] > lv.start:
                    diags.append(Diagnostic.make(
                        R.GAP, f"{c.number} is the first sub-clause of {c.parent}; {expected} is missing",
                        _where(file, c), help="put the missing clause back as '[Not used]', or correct the number"))
        elif c.number != prev.number:
            fit = _fit(c.ordinal, prev.ordinal, lv.start, lv)
            if fit == 0:
                diags.append(Diagnostic.make(
                    R.OUT_OF_ORDER, f"{c.number} comes after {prev.number}, out of order", _where(file, c),
                    related=[_where(file, prev)], help="correct the number or move the clause"))
            elif fit == 1:
                if c.ordinal[0] == prev.ordinal[0]:
                    nxt = counters.next_suffix(prev.ordinal[0], prev.ordinal[1], lv.style, lv.insert)
                    missing = _ref(scheme, c.level, c.parent, _token(scheme, c.level, (prev.ordinal[0], nxt)))
                else:
                    missing = _ref(scheme, c.level, c.parent, _token(scheme, c.level, (prev.ordinal[0] + 1, 0)))
                diags.append(Diagnostic.make(
                    R.GAP, f"{c.number} follows {prev.number}: {missing} is missing", _where(file, c),
                    related=[_where(file, prev)],
                    help="a deleted clause stays as '[Not used]' so later numbers do not move; put it back or "
                    "correct the number"))
        last[c.level] = c
        for k in [k for k in last if k > c.level]:
            done = last.pop(k)
            if done is not None:
                closed[k] = done.ordinal


def _list_run_finding(run: ListRun, scheme: NumberingScheme, file: str) -> Diagnostic:
    lead, items = run.lead, run.items
    level = lead.level + 1
    expected = ""
    if level <= len(scheme.levels):
        lv = scheme.levels[level - 1]
        exp = [_ref(scheme, level, lead.number, _token(scheme, level, (lv.start + k, 0))) for k in range(len(items))]
        expected = f"; as its items they would be {_span(exp)}"
    msg = (f"{lead.number} introduces a list ('…{_short(lead.text[-50:], 50)}'), but {_span([c.number for c in items])}, "
           f"which read as its items, are numbered as its siblings{expected}")
    if run.later:
        n = len(items)
        msg += (f"; every later clause from {run.later[0].number} on is numbered {n} place{'s' if n > 1 else ''} later "
                "than it would be, so references to them point at other text")
    return Diagnostic.make(R.LIST_AS_SIBLINGS, msg, _where(file, items[0]),
                           related=[_where(file, lead), *(_where(file, c) for c in items[1:])],
                           help=f"demote {_span([c.number for c in items])} one level, under {lead.number}, so the "
                           "clauses after them keep their numbers")


def check_paragraphs(doc: WordDocument) -> list[Diagnostic]:
    """What only the paragraphs show: numbers that depend on the program, two numbers in one paragraph."""
    diags: list[Diagnostic] = []
    seen_lists: set[str] = set()
    typed = re.compile(r"^\(?\d+(\.\d+)+[a-z]{0,3}(\([ivxlcdm]+\))?\)?\s|^\([a-z]{1,3}\)\s|^\([ivxlcdm]{1,6}\)\s")
    for p in doc.paragraphs:
        if p.libreoffice_label and p.list_id not in seen_lists:
            seen_lists.add(p.list_id)
            count = sum(1 for q in doc.paragraphs if q.list_id == p.list_id and q.libreoffice_label)
            diags.append(Diagnostic.make(
                R.VIEWER_DEPENDENT,
                f"paragraph {p.index} ('{_short(p.text, 40)}') shows {p.label} in Word but {p.libreoffice_label} in "
                f"LibreOffice" + (f", and so do {count - 1} more paragraphs of the same list" if count > 1 else ""),
                Location(file=doc.file, clause_number=p.label),
                help="type the clause numbers as text, or remove the legal-numbering and restart settings of the list"))
        if p.auto and typed.match(p.text + " "):
            diags.append(Diagnostic.make(
                R.TWO_NUMBERS, f"paragraph {p.index} shows the automatic number {p.label} and then the typed number "
                f"'{p.text.split()[0]}'", Location(file=doc.file, clause_number=p.label),
                help="remove one of the two numbers"))
    return diags

