"""Numbering: display numbers computed from the tree, the scheme and the frozen release.

Released clauses keep their released numbers; a clause inserted between frozen siblings
takes an insertion suffix (18.5A, 18.5pa, (ia)); a released number changes only when the
change set declares it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import source as R
from generator.model import (
    Clause,
    NumberingLevel,
    NumberingScheme,
    Project,
    Release,
    ReleasedClause,
    counters,
    walk,
)

Ordinal = tuple[int, int]


def scheme_problems(scheme: NumberingScheme, where: Location, *, annexes: bool = False) -> list[Diagnostic]:
    """Everything that makes a scheme unusable or its labels ambiguous (the annexes' levels
    too when the document has annexes)."""
    out: list[Diagnostic] = []
    if not scheme.levels:
        out.append(Diagnostic.make(R.BAD_SCHEME, "the numbering scheme has no levels", where,
                                   help="add one entry per level under 'numbering:' in document.yaml"))
    out += _level_problems(scheme.levels, where, "")
    if annexes:
        if not scheme.annex:
            out.append(Diagnostic.make(R.BAD_SCHEME, "the document has annexes but 'annex_numbering' has no levels",
                                       where, help="remove 'annex_numbering:' for the default (Annex A, A.1 …)"))
        out += _level_problems(scheme.annex, where, "annex ")
    return out


def _level_problems(levels: tuple[NumberingLevel, ...], where: Location, kind: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for i, lv in enumerate(levels, start=1):
        loc = Location.of(lv.span) if lv.span.file else where
        if lv.style not in counters.CHARS or lv.insert not in counters.CHARS:
            out.append(Diagnostic.make(R.BAD_SCHEME, f"{kind}numbering level {i} ('{lv.name}') has an unknown counter "
                                       f"style", loc, help=f"use one of {', '.join(counters.CHARS)}"))
            continue
        if "{n}" not in lv.ref:
            out.append(Diagnostic.make(R.BAD_SCHEME, f"{kind}numbering level {i} ('{lv.name}'): 'ref' must contain {{n}}",
                                       loc, help='e.g. ref: "{parent}.{n}"'))
        if i > 1 and "{parent}" not in lv.ref:
            out.append(Diagnostic.make(R.BAD_SCHEME, f"{kind}numbering level {i} ('{lv.name}'): 'ref' must contain "
                                       "{parent} so the full reference names its parent", loc,
                                       help='e.g. ref: "{parent}({n})"'))
        if i == 1 and "{parent}" in lv.ref:
            out.append(Diagnostic.make(R.BAD_SCHEME, f"{kind}numbering level 1 has no parent; remove {{parent}} from its 'ref'",
                                       loc))
        if re.search(r"\{(?!n\}|parent\}|ref\})[^}]*\}", lv.ref + lv.label):
            out.append(Diagnostic.make(R.BAD_SCHEME, f"{kind}numbering level {i}: only {{n}}, {{parent}} and {{ref}} "
                                       "may appear in 'ref' and 'label'", loc))
        if re.search(r"\{(?!ref\})[^}]*\}", lv.cite):
            out.append(Diagnostic.make(R.BAD_SCHEME, f"{kind}numbering level {i}: only {{ref}} may appear in "
                                       "'cite'", loc, help='e.g. cite: "clause {ref}"'))
        if lv.style and lv.insert and counters.CHARS.get(lv.style) == counters.CHARS.get(lv.insert) and \
                lv.style == "decimal":
            out.append(Diagnostic.make(R.BAD_SCHEME, f"{kind}numbering level {i}: a decimal counter with decimal "
                                       "insertions is ambiguous (is 51 5+1 or 51?)", loc,
                                       help="use insert: upper-alpha (18.5A)"))
        if (lv.style == "decimal" and lv.start < 0) or (lv.style != "decimal" and lv.start < 1):
            out.append(Diagnostic.make(R.BAD_SCHEME, f"{kind}numbering level {i}: start {lv.start} cannot be shown "
                                       f"in {lv.style}", loc))
    return out


def _fmt(template: str, **values: str) -> str:
    out = template
    for k, v in values.items():
        out = out.replace("{" + k + "}", v)
    return out


def reference(scheme: NumberingScheme, level: int, parent_ref: str, ordinal: Ordinal, *,
              annex: bool = False) -> tuple[str, str]:
    """(full reference, printed label) for a clause at ``level`` (1-based), in the body or an annex."""
    lv = scheme.levels_for(annex)[level - 1]
    n = counters.token(ordinal[0], ordinal[1], lv.style, lv.insert)
    ref = _fmt(lv.ref, parent=parent_ref, n=n)
    return ref, _fmt(lv.label, ref=ref, n=n, parent=parent_ref)


def reference_pattern(scheme: NumberingScheme, *, capture: bool = True, annex: bool = False,
                      ) -> list[re.Pattern[str]]:
    """One regex per level, each matching a full reference at that level, tokens grouped."""
    out: list[re.Pattern[str]] = []
    parent = ""
    for lv in scheme.levels_for(annex):
        tok = f"({'' if capture else '?:'}{counters.pattern(lv.style, lv.insert)})"
        pieces = re.split(r"(\{n\}|\{parent\})", lv.ref)
        rx = "".join(tok if p == "{n}" else parent if p == "{parent}" else re.escape(p) for p in pieces)
        parent = rx
        out.append(re.compile(rx))
    return out


def parse_reference(scheme: NumberingScheme, ref: str, *, annex: bool = False) -> tuple[Ordinal, ...] | None:
    """A full reference (``18.5p(ia)``, or in an annex ``B.1a``) read back as one ordinal per level."""
    for level, rx in reversed(list(enumerate(reference_pattern(scheme, annex=annex), start=1))):
        m = rx.fullmatch(ref)
        if not m:
            continue
        ords: list[Ordinal] = []
        for lv, tok in zip(scheme.levels_for(annex)[:level], m.groups(), strict=True):
            split = counters.split_token(tok, lv.style, lv.insert)
            if split is None:
                break
            ords.append(split)
        else:
            return tuple(ords)
    return None


# -- the pass --------------------------------------------------------------------------
def number_project(project: Project) -> tuple[Project, list[Diagnostic]]:
    """Number every clause; report undeclared renumbering, duplicates and scheme problems."""
    doc = project.document
    scheme = doc.scheme
    diags = scheme_problems(scheme, Location.of(doc.span), annexes=any(c.annex for c in doc.sections))
    if diags:
        return project, diags
    baseline = project.baseline
    frozen: dict[str, ReleasedClause] = baseline.by_id() if baseline else {}
    declared = project.changes.declared() if project.changes else {}
    state = _State(scheme=scheme, frozen=frozen, declared=declared, baseline=baseline, diags=diags)
    # The body's sections and the annexes are two sequences, each numbered by its own levels.
    done: dict[str, Clause] = {}
    for annex in (False, True):
        group = tuple(c for c in doc.sections if c.annex == annex)
        for c in state.number_siblings(group, parent_id="", parent_ref="", level=1, annex=annex):
            done[c.id] = c
    sections = tuple(done.get(c.id, c) for c in doc.sections)
    numbered = replace(project, document=replace(doc, sections=sections))
    state.finish(numbered)
    return numbered, diags


class _State:
    def __init__(self, *, scheme: NumberingScheme, frozen: dict[str, ReleasedClause],
                 declared: Mapping[str, object], baseline: Release | None, diags: list[Diagnostic]) -> None:
        self.scheme = scheme
        self.frozen = frozen
        self.declared = declared
        self.baseline = baseline
        self.diags = diags
        self.too_deep_reported = False
        # Clauses with no free number: they get a stand-in number, excluded from later checks.
        self.unplaced: set[str] = set()

    def _is_frozen(self, c: Clause, parent_id: str, level: int) -> ReleasedClause | None:
        fr = self.frozen.get(c.id)
        if fr is None or c.id in self.declared or fr.parent != parent_id or fr.level != level or \
                fr.annex != c.annex:
            return None
        return fr

    def number_siblings(self, clauses: tuple[Clause, ...], *, parent_id: str, parent_ref: str,
                        level: int, annex: bool = False) -> tuple[Clause, ...]:
        if not clauses:
            return ()
        levels = self.scheme.levels_for(annex)
        if level > len(levels):
            if not self.too_deep_reported:
                self.too_deep_reported = True
                self.diags.append(Diagnostic.make(
                    R.BAD_SCHEME,
                    f"clause '{clauses[0].id}' is at level {level}, but the {'annex ' if annex else ''}numbering "
                    f"scheme defines only {len(levels)} levels",
                    clauses[0].span, clause_id=clauses[0].id,
                    help="add a level to 'numbering:' in document.yaml, or move the clause up a level"))
            return clauses
        lv: NumberingLevel = levels[level - 1]
        frozen_at = [self._is_frozen(c, parent_id, level) for c in clauses]
        # The next frozen ordinal after each position, so insertions know their ceiling.
        next_frozen: list[Ordinal | None] = [None] * len(clauses)
        upcoming: Ordinal | None = None
        for i in range(len(clauses) - 1, -1, -1):
            next_frozen[i] = upcoming
            fr = frozen_at[i]
            if fr is not None:
                upcoming = fr.ordinal
        out: list[Clause] = []
        prev: Ordinal | None = None
        for i, c in enumerate(clauses):
            fr = frozen_at[i]
            if fr is not None:
                ordinal = fr.ordinal
                if prev is not None and ordinal <= prev:
                    self.diags.append(Diagnostic.make(
                        R.FROZEN_ORDER,
                        f"clause '{c.id}' ({fr.number}) now comes after a clause numbered at or beyond it",
                        c.span, clause_id=c.id,
                        help="restore the released order, or declare the renumbering in changes.yaml"))
            else:
                ordinal = self._fresh(c, prev, next_frozen[i], lv)
            ref, label = reference(self.scheme, level, parent_ref, ordinal, annex=annex)
            children = self.number_siblings(c.children, parent_id=c.id, parent_ref=ref, level=level + 1,
                                            annex=annex)
            out.append(replace(c, level=level, ordinal=ordinal, number=ref, label=label, parent=parent_id,
                               children=children))
            if c.id not in self.unplaced:
                prev = ordinal
        return tuple(out)

    def _fresh(self, c: Clause, prev: Ordinal | None, ceiling: Ordinal | None, lv: NumberingLevel) -> Ordinal:
        sequential: Ordinal = (prev[0] + 1, 0) if prev else (lv.start, 0)
        if ceiling is None or sequential < ceiling:
            return sequential
        # Insertion: the previous counter with the next unambiguous suffix (18.5 → 18.5A).
        lowest = 0 if lv.style == "decimal" else 1
        base = prev[0] if prev else lv.start - 1
        k = counters.next_suffix(base, prev[1] if prev else 0, lv.style, lv.insert)
        if base < lowest or (base, k) >= ceiling:
            self.unplaced.add(c.id)
            self.diags.append(Diagnostic.make(
                R.NO_FREE_NUMBER,
                f"clause '{c.id}' is placed where no number is free between the released numbers around it",
                c.span, clause_id=c.id,
                help="place it after a released clause, or declare a renumbering in changes.yaml"))
        return (max(base, lowest), k)

    def _under_not_used(self, fr: ReleasedClause, not_used: set[str]) -> bool:
        """A [Not used] clause takes its released descendants with it; their numbers stay unused."""
        parent = fr.parent
        while parent:
            if parent in not_used:
                return True
            up = self.frozen.get(parent)
            parent = up.parent if up else ""
        return False

    def finish(self, project: Project) -> None:
        """Compare with the baseline: undeclared/declared renumbering, removals, duplicates."""
        by_number: dict[str, Clause] = {}
        seen: set[str] = set()
        for c in walk(project.document.sections):
            seen.add(c.id)
            if not c.number:
                continue
            other = by_number.get(c.number)
            if c.id in self.unplaced:
                pass
            elif other is not None and other.id != c.id:
                self.diags.append(Diagnostic.make(
                    R.DUPLICATE_NUMBER, f"clauses '{other.id}' and '{c.id}' are both numbered {c.number}",
                    c.span, clause_id=c.id, related=[Location.of(other.span, other.id)],
                    help="declare the renumbering of the other clause too, or move one of them"))
            else:
                by_number[c.number] = c
            fr = self.frozen.get(c.id)
            if fr is None:
                continue
            decl = self.declared.get(c.id)
            if fr.number != c.number and decl is None:
                self.diags.append(Diagnostic.make(
                    R.UNDECLARED_RENUMBER,
                    f"clause '{c.id}' was {fr.number} in release {self.baseline.name if self.baseline else ''} "
                    f"and would now be {c.number}",
                    c.span, clause_id=c.id,
                    help="keep it where it was, or declare it under 'renumber:' in changes.yaml with a reason"))
            elif decl is not None and fr.number != c.number:
                reason = getattr(decl, "reason", "")
                self.diags.append(Diagnostic.make(
                    R.DECLARED_RENUMBER,
                    f"clause '{c.id}': {fr.number} → {c.number} (declared: {reason})",
                    c.span, clause_id=c.id))
        if project.changes:
            for r in project.changes.renumber:
                for cid in r.clauses:
                    fr = self.frozen.get(cid)
                    if fr is None:
                        self.diags.append(Diagnostic.make(
                            R.USELESS_DECLARATION,
                            f"'{cid}' is declared for renumbering but is not in release "
                            f"{self.baseline.name if self.baseline else '(none)'}",
                            r.span, help="remove it from the declaration"))
                    elif cid in seen and by_number.get(fr.number) is not None and by_number[fr.number].id == cid:
                        self.diags.append(Diagnostic.make(
                            R.USELESS_DECLARATION,
                            f"'{cid}' is declared for renumbering but keeps its number {fr.number}",
                            r.span, help="remove it from the declaration"))
        not_used = {c.id for c in walk(project.document.sections) if c.not_used}
        for fr in self.frozen.values():
            if fr.id not in seen and not self._under_not_used(fr, not_used):
                self.diags.append(Diagnostic.make(
                    R.REMOVED_RELEASED,
                    f"clause '{fr.id}' ({fr.number}) is in release "
                    f"{self.baseline.name if self.baseline else ''} but missing from the draft",
                    project.span,
                    help=f"put it back with 'not_used: true' so {fr.number} reads '[Not used]'"))
