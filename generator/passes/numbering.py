"""Numbering: display numbers computed from the tree, the scheme and the frozen releases.

Released clauses keep their released numbers; a clause inserted between frozen siblings
takes an insertion suffix (18.5A, 18.5pa, (ia)); a released number changes only when the
change set declares it.

The rule of frozen numbers (docs/numbering.md, ``model.designation``): a number designated in a
release that counts belongs to its clause. A number its clause has left (moved, renumbered,
removed) stays at its place as a tombstone, a ``not_used`` clause this pass makes, so every
writer prints it "[Not used]"; a new clause where it was takes an insertion number (18.5ja).
Only a declaration that names the number under ``takes_over:`` gives it to another clause.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import source as R
from generator.model import (
    Clause,
    NumberingLevel,
    NumberingScheme,
    Project,
    ReleasedClause,
    Renumbering,
    Span,
    counters,
    walk,
)
from generator.model.clause import numbered
from generator.model.designation import Designation, designations, is_tombstone, lineage, tombstone_id

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


def reference(scheme: NumberingScheme, level: int, parent_ref: str, ordinal: Ordinal, *,
              annex: bool = False) -> tuple[str, str]:
    """(full reference, printed label) for a clause at ``level`` (1-based), in the body or an annex.
    The placeholders are replaced one after the other, in this order (a clause each, 15,000 at 10×:
    no loop over keyword arguments)."""
    lv = scheme.levels_for(annex)[level - 1]
    n = counters.token(ordinal[0], ordinal[1], lv.style, lv.insert)
    ref = lv.ref.replace("{parent}", parent_ref).replace("{n}", n)
    return ref, lv.label.replace("{ref}", ref).replace("{n}", n).replace("{parent}", parent_ref)


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
    """Number every clause; leave a tombstone at every designated number its clause has left;
    report undeclared renumbering, numbers given to other clauses, duplicates and scheme problems."""
    doc = project.document
    scheme = doc.scheme
    diags = scheme_problems(scheme, Location.of(doc.span), annexes=any(c.annex for c in doc.sections))
    if diags:
        return project, diags
    state = _State(project, diags)
    # The body's sections and the annexes (which follow them) are two sequences, each numbered by
    # its own levels, each with its own numbers left [Not used].
    sections: tuple[Clause, ...] = ()
    for annex in (False, True):
        group = tuple(c for c in doc.sections if c.annex == annex)
        sections += state.number_siblings(group, parent_id="", parent_ref="", level=1, parent_span=doc.span,
                                          annex=annex)
    numbered = replace(project, document=replace(doc, sections=sections))
    state.finish(numbered)
    return numbered, diags


@dataclass(slots=True)
class _Slot:
    """A designated number under the sibling list being numbered that no frozen sibling bears.

    ``own``: the siblings free to take a new number that may take this one: the clause it was
    designated for (declared, it may take its number back), and the clauses of a declaration that
    names it under ``takes_over:`` and held it before. No other clause may; if none takes it, it
    stays as [Not used]."""

    designation: Designation
    own: frozenset[str] = frozenset()


class _State:
    def __init__(self, project: Project, diags: list[Diagnostic]) -> None:
        self.scheme = project.document.scheme
        self.baseline = project.baseline
        self.frozen: dict[str, ReleasedClause] = self.baseline.by_id() if self.baseline else {}
        self.declared: Mapping[str, Renumbering] = project.changes.declared() if project.changes else {}
        self.taken: Mapping[str, Renumbering] = project.changes.taken_over() if project.changes else {}
        self.releases = lineage(project.releases, self.baseline)
        self.owners = designations(self.releases)
        # Designated numbers by the number of their parent: the sibling lists they belong to.
        self.slots: dict[tuple[bool, str], list[Designation]] = {}
        for d in self.owners.values():
            self.slots.setdefault((d.annex, d.parent_number), []).append(d)
        for group in self.slots.values():
            group.sort(key=lambda d: d.ordinal)
        # Number → every clause that held it in a release that counts: who may take it back.
        self._held: dict[str, set[str]] | None = None
        self.changes_file = (project.changes.span.file if project.changes and project.changes.span.file else
                             os.path.join(os.path.dirname(project.span.file), "changes.yaml"))
        self.has_changes = project.changes is not None
        self.diags = diags
        self.too_deep_reported = False
        # Clauses with no free number: they get a stand-in number, excluded from later checks.
        self.unplaced: set[str] = set()
        # Released clauses moved out of the released order of their siblings (undeclared).
        self.moved: dict[str, ReleasedClause] = {}

    @property
    def held(self) -> dict[str, set[str]]:
        """Number → every clause that held it in a release that counts: who may take it back.
        Made when first asked (a number taken over or given to another clause), not for every check."""
        if self._held is None:
            self._held = {}
            for r in self.releases:
                for rc in r.clauses:
                    self._held.setdefault(rc.number, set()).add(rc.vacated_by or rc.id)
        return self._held

    def number_siblings(self, clauses: tuple[Clause, ...], *, parent_id: str, parent_ref: str,
                        level: int, parent_span: Span, annex: bool = False) -> tuple[Clause, ...]:
        if not clauses and (annex, parent_ref) not in self.slots:
            return ()  # a leaf under which no release designated a number (most clauses)
        levels = self.scheme.levels_for(annex)
        if level > len(levels):
            if clauses and not self.too_deep_reported:
                self.too_deep_reported = True
                self.diags.append(Diagnostic.make(
                    R.BAD_SCHEME,
                    f"clause '{clauses[0].id}' is at level {level}, but the {'annex ' if annex else ''}numbering "
                    f"scheme defines only {len(levels)} levels",
                    clauses[0].span, clause_id=clauses[0].id,
                    help="add a level to 'numbering:' in document.yaml, or move the clause up a level"))
            return clauses
        lv: NumberingLevel = levels[level - 1]
        frozen, declared, slots = self.frozen, self.declared, self.slots
        # Each clause's released record, if it keeps its released number: not declared renumbered,
        # and under the same parent at the same level, in the body or the annexes as released.
        frozen_at = [fr if fr is not None and c.id not in declared and fr.parent == parent_id and fr.level == level
                     and fr.annex == c.annex else None for c in clauses for fr in (frozen.get(c.id),)]
        self._keep_order(clauses, frozen_at)
        pending = self._vacated(clauses, frozen_at, parent_ref, level, annex)
        if not clauses and not pending:
            return ()
        # The next frozen ordinal after each position, so insertions know their ceiling.
        next_frozen: list[Ordinal | None] = [None] * len(clauses)
        upcoming: Ordinal | None = None
        for i in range(len(clauses) - 1, -1, -1):
            next_frozen[i] = upcoming
            fr = frozen_at[i]
            if fr is not None:
                upcoming = fr.ordinal
        out: list[Clause] = []

        def leave_unused(below: Ordinal | None) -> None:
            """Tombstones for the pending numbers before ``below`` (all of them when None)."""
            for slot in [s for s in pending if below is None or s.designation.ordinal < below]:
                pending.remove(slot)
                out.append(self._tombstone(slot.designation, parent_id, parent_ref, level, parent_span, annex))

        prev: Ordinal | None = None
        for i, c in enumerate(clauses):
            fr = frozen_at[i]
            if fr is not None:
                ordinal = fr.ordinal
            else:
                ordinal = self._renumbered(c, prev, next_frozen[i], lv, pending)
                # Its own number, taken back: no tombstone for it.
                for slot in [s for s in pending if c.id in s.own and s.designation.ordinal == ordinal] if pending \
                        else ():
                    pending.remove(slot)
            if pending and c.id not in self.unplaced:
                leave_unused(ordinal)
            ref, label = reference(self.scheme, level, parent_ref, ordinal, annex=annex)
            # A [Not used] clause takes its released descendants' numbers with it (see _under_not_used).
            # A leaf under which no release designated a number (most clauses) has nothing to number.
            children = self.number_siblings(c.children, parent_id=c.id, parent_ref=ref, level=level + 1,
                                            parent_span=c.span, annex=annex) \
                if c.children or (not c.not_used and (annex, ref) in slots) else ()
            out.append(numbered(c, level, ordinal, ref, label, parent_id, children))
            if c.id not in self.unplaced:
                prev = ordinal
        leave_unused(None)
        return tuple(out)

    def _keep_order(self, clauses: tuple[Clause, ...], frozen_at: list[ReleasedClause | None]) -> None:
        """Released siblings out of their released order: the fewest that explain it (those
        outside the longest run still in order) have moved; they lose their frozen number, like a
        clause moved elsewhere, and are reported (S1SR106)."""
        held = [i for i, fr in enumerate(frozen_at) if fr is not None]
        ordinals = [fr.ordinal for fr in frozen_at if fr is not None]
        if all(a < b for a, b in itertools.pairwise(ordinals)):
            return
        # Longest strictly increasing run of released ordinals (patience sorting, O(n log n)).
        tails: list[Ordinal] = []
        tail_at: list[int] = []
        back: list[int] = [-1] * len(held)
        for k, o in enumerate(ordinals):
            j = bisect.bisect_left(tails, o)
            back[k] = tail_at[j - 1] if j else -1
            if j == len(tails):
                tails.append(o)
                tail_at.append(k)
            else:
                tails[j] = o
                tail_at[j] = k
        in_order: set[int] = set()
        k = tail_at[-1]
        while k >= 0:
            in_order.add(k)
            k = back[k]
        for k, i in enumerate(held):
            if k not in in_order:
                fr = frozen_at[i]
                assert fr is not None
                self.moved[clauses[i].id] = fr
                frozen_at[i] = None

    def _vacated(self, clauses: tuple[Clause, ...], frozen_at: list[ReleasedClause | None], parent_ref: str,
                 level: int, annex: bool) -> list[_Slot]:
        """The designated numbers of this sibling list that no frozen sibling keeps: each stays as
        [Not used] unless a clause allowed to takes it (see ``_Slot.own``)."""
        designated = self.slots.get((annex, parent_ref))
        if not designated:
            return []
        kept = {fr.ordinal for fr in frozen_at if fr is not None}
        free_here = {c.id for c, fr in zip(clauses, frozen_at, strict=True) if fr is None}
        out: list[_Slot] = []
        for d in designated:
            if d.level != level or d.ordinal in kept:
                continue
            r = self.taken.get(d.number)
            restorers = {cid for cid in r.clauses if cid in self.held.get(d.number, ())} if r is not None else set()
            out.append(_Slot(d, own=frozenset(({d.clause_id} | restorers) & free_here)))
        return out

    def _tombstone(self, d: Designation, parent_id: str, parent_ref: str, level: int, span: Span,
                   annex: bool) -> Clause:
        ref, label = reference(self.scheme, level, parent_ref, d.ordinal, annex=annex)
        return Clause(id=tombstone_id(ref), not_used=True, annex=annex, span=span, level=level, ordinal=d.ordinal,
                      number=ref, label=label, parent=parent_id, vacated_by=d.owner)

    def _renumbered(self, c: Clause, prev: Ordinal | None, frozen_ceiling: Ordinal | None, lv: NumberingLevel,
                    pending: list[_Slot]) -> Ordinal:
        """A number for a clause that keeps no frozen one (new, moved or declared): a number it
        held before and takes back by name (``takes_over:``), else its own designated number if it
        still fits where the clause stands, else the next free number (:meth:`_fresh`)."""
        decl = self.declared.get(c.id)
        named = set(decl.takes_over) if decl is not None else set()
        mine = [s for s in pending if c.id in s.own]
        wanted = [s.designation.ordinal for s in sorted(mine, key=lambda s: s.designation.number not in named)]
        for o in wanted:
            if (prev is None or o > prev) and (frozen_ceiling is None or o < frozen_ceiling):
                return o
        return self._fresh(c, prev, frozen_ceiling, lv, pending)

    def _fresh(self, c: Clause, prev: Ordinal | None, frozen_ceiling: Ordinal | None, lv: NumberingLevel,
               pending: list[_Slot]) -> Ordinal:
        """A number for a clause that keeps none: the next in sequence, else an insertion number
        below the next frozen or left-unused number; where none is free before a left-unused
        number, the clause goes after it."""
        while True:
            left = [s.designation.ordinal for s in pending
                    if c.id not in s.own and (prev is None or s.designation.ordinal > prev)]
            unused = min(left) if left else None
            ceiling = unused if unused is not None and (frozen_ceiling is None or unused < frozen_ceiling) \
                else frozen_ceiling
            ordinal = _candidate(prev, ceiling, lv)
            if ordinal is not None:
                return ordinal
            if ceiling is None or ceiling != unused:
                break
            prev = unused
        self.unplaced.add(c.id)
        self.diags.append(Diagnostic.make(
            R.NO_FREE_NUMBER,
            f"clause '{c.id}' is placed where no number is free between the released numbers around it",
            c.span, clause_id=c.id,
            help="place it after a released clause, or declare a renumbering in changes.yaml"))
        base = prev[0] if prev else lv.start - 1
        k = counters.next_suffix(base, prev[1] if prev else 0, lv.style, lv.insert)
        return (max(base, 0 if lv.style == "decimal" else 1), k)

    def _under_not_used(self, fr: ReleasedClause, not_used: set[str]) -> bool:
        """A [Not used] clause takes its released descendants with it; their numbers stay unused."""
        parent = fr.parent
        while parent:
            if parent in not_used:
                return True
            up = self.frozen.get(parent)
            parent = up.parent if up else ""
        return False

    # -- findings -------------------------------------------------------------------------
    def _declare_snippet(self, ids: Sequence[str], reason: str, takes_over: Sequence[str] = ()) -> str:
        lines = [f"  - clauses: [{', '.join(ids)}]", f"    reason: {reason}"]
        if takes_over:
            lines.append(f"    takes_over: [{', '.join(json.dumps(n) for n in takes_over)}]")
        if self.has_changes:
            return f"add under 'renumber:' in {self.changes_file}:\n" + "\n".join(lines)
        against = self.baseline.name if self.baseline else "v1"
        return f"create {self.changes_file} with:\nagainst: {against}\nrenumber:\n" + "\n".join(lines)

    def finish(self, project: Project) -> None:
        """Compare with the releases that count: renumbering, numbers given to other clauses,
        numbers left [Not used], removals, duplicates."""
        by_number: dict[str, Clause] = {}
        clauses = list(walk(project.document.sections))
        by_id = {c.id: c for c in clauses}
        release = self.baseline.name if self.baseline else ""
        unplaced, owners, frozen, moved = self.unplaced, self.owners, self.frozen, self.moved
        for c in clauses:
            if not c.number:
                continue
            other = by_number.get(c.number)
            if c.id in unplaced:
                pass
            elif other is not None and other.id != c.id:
                self.diags.append(Diagnostic.make(
                    R.DUPLICATE_NUMBER, f"clauses '{other.id}' and '{c.id}' are both numbered {c.number}",
                    c.span, clause_id=c.id, related=[Location.of(other.span, other.id)],
                    help="declare the renumbering of the other clause too, or move one of them"))
            else:
                by_number[c.number] = c
            if is_tombstone(c.id):
                self._left_unused(c, by_id)
                continue
            d = owners.get(c.number)
            if d is not None and d.clause_id != c.id and c.id not in unplaced:
                self._designated_elsewhere(c)  # its number was designated for another clause
            fr = frozen.get(c.id)
            if fr is None or (fr.number == c.number and c.id not in moved):
                continue  # kept its number (most clauses): nothing to report below
            decl = self.declared.get(c.id)
            left = f"; {fr.number} reads [Not used]" if tombstone_id(fr.number) in by_id else ""
            if c.id in self.moved:
                self.diags.append(Diagnostic.make(
                    R.FROZEN_ORDER,
                    f"clause '{c.id}' ({fr.number} in release {release}) has moved out of the released order of "
                    f"its siblings and would now be {c.number}{left}",
                    c.span, clause_id=c.id,
                    help=f"move it back to its place as {fr.number}, or declare the renumbering: "
                    + self._declare_snippet([c.id], f"<why {fr.number} becomes {c.number}>")))
            elif fr.number != c.number and decl is None:
                self.diags.append(Diagnostic.make(
                    R.UNDECLARED_RENUMBER,
                    f"clause '{c.id}' was {fr.number} in release {release} and would now be {c.number}",
                    c.span, clause_id=c.id,
                    help=f"move it back to {fr.number}, or declare the renumbering: " + self._declare_snippet(
                        [c.id], f"<why {fr.number} becomes {c.number}>")))
            elif decl is not None and fr.number != c.number:
                d = self.owners.get(c.number)
                took = ("" if d is None or d.clause_id == c.id else
                        f"; takes back {c.number}, [Not used] in {d.release}" if d.owner == c.id else
                        f"; takes over {c.number}, designated in {d.release} for '{d.owner}'")
                self.diags.append(Diagnostic.make(
                    R.DECLARED_RENUMBER,
                    f"clause '{c.id}': {fr.number} → {c.number} (declared: {decl.reason}){took}{left}",
                    c.span, clause_id=c.id))
        if project.changes:
            self._declarations(project, by_number, {c.id for c in clauses})
        not_used = {c.id for c in clauses if c.not_used}
        for fr in self.frozen.values():
            if fr.id not in by_id and not is_tombstone(fr.id) and not self._under_not_used(fr, not_used):
                self.diags.append(Diagnostic.make(
                    R.REMOVED_RELEASED,
                    f"clause '{fr.id}' ({fr.number}) is in release {release} but missing from the draft",
                    self._home(fr, by_id, project), clause_id=fr.id,
                    help=self._put_back(fr, by_id)))

    def _designated_elsewhere(self, c: Clause) -> None:
        """The rule: a number designated for one clause is never given to another, unless the
        change takes it over by name."""
        d = self.owners.get(c.number)
        if d is None or d.clause_id == c.id:
            return
        r = self.taken.get(c.number)
        restores = c.id in self.held.get(c.number, ())
        if r is not None and c.id in r.clauses and restores:
            return
        whose = f"'{d.owner}'" + (" (it reads [Not used] there)" if is_tombstone(d.clause_id) else "")
        if r is not None and c.id in r.clauses:
            named = (f"; 'takes_over:' gives a number back to a clause that held it in an earlier release, and "
                     f"'{c.id}' never held {c.number}")
        elif r is not None:
            named = f"; {self.changes_file} names it under 'takes_over:' for {', '.join(r.clauses)} only"
        else:
            named = ""
        fix = (f"; or, to give {c.number} back to it on purpose, "
               + self._declare_snippet([c.id], f"<why '{c.id}' takes {c.number} back>", [c.number])
               if restores and r is None else
               f": a clause placed where {c.number} was takes an insertion number after the clause before it")
        self.diags.append(Diagnostic.make(
            R.NUMBER_TAKEN,
            f"clause '{c.id}' would be numbered {c.number}, which release {d.release} designated for {whose}{named}",
            c.span, clause_id=c.id, help=f"place '{c.id}' elsewhere{fix}"))

    def _left_unused(self, t: Clause, by_id: Mapping[str, Clause]) -> None:
        """S1SR112 for a number left [Not used] in this draft that no other finding names: one
        designated before the baseline (S1SR103/104/304 speak of the baseline's own numbers)."""
        fr = self.frozen.get(t.vacated_by)
        if t.id in self.frozen or (fr is not None and fr.number == t.number):
            return
        now = by_id.get(t.vacated_by)
        where = (f"is now {now.number}" if now is not None and now.number and not now.not_used
                 else "is no longer in the draft" if now is None else "is [Not used]")
        d = self.owners.get(t.number)
        self.diags.append(Diagnostic.make(
            R.NUMBER_LEFT_UNUSED,
            f"{t.number} reads [Not used]: '{t.vacated_by}', its clause in {d.release if d else 'the baseline'}, "
            f"{where}", now.span if now is not None else t.span, clause_id=t.vacated_by))

    def _declarations(self, project: Project, by_number: Mapping[str, Clause], seen: set[str]) -> None:
        assert project.changes is not None
        lineage_names = ", ".join(r.name for r in self.releases) or "(none)"
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
            for n in r.takes_over:
                d = self.owners.get(n)
                holder = by_number.get(n)
                if d is None:
                    why = f"no release that counts ({lineage_names}) designated {n}"
                elif holder is None or is_tombstone(holder.id):
                    why = f"no clause is numbered {n} in the draft"
                elif holder.id == d.clause_id:
                    why = f"{n} already belongs to '{holder.id}'"
                else:
                    continue
                self.diags.append(Diagnostic.make(
                    R.UNNEEDED_TAKEOVER, f"'takes_over: {n}' takes nothing over: {why}", r.span,
                    help=f"remove \"{n}\" from 'takes_over:'"))

    def _home(self, fr: ReleasedClause, by_id: Mapping[str, Clause], project: Project) -> Location:
        parent = by_id.get(fr.parent)
        span = parent.span if parent is not None else project.span
        return Location(file=span.file, line=span.line, col=span.col, clause_id=fr.id)

    def _put_back(self, fr: ReleasedClause, by_id: Mapping[str, Clause]) -> str:
        """Where and what to write so the removed clause's number reads [Not used]."""
        entry = f"- id: {fr.id}\n  not_used: true"
        if not fr.parent:
            return (f"so {fr.number} reads '[Not used]', put back a section file holding:\nid: {fr.id}\n"
                    "not_used: true\nand list it in document.yaml under 'sections:' where it was")
        parent = by_id.get(fr.parent)
        if parent is None:
            return f"so {fr.number} reads '[Not used]', put it back under '{fr.parent}':\n{entry}"
        before = [s for s in self.frozen.values()
                  if s.parent == fr.parent and s.level == fr.level and s.ordinal < fr.ordinal and s.id in by_id]
        after = f" after '{max(before, key=lambda s: s.ordinal).id}'" if before else " first"
        return (f"so {fr.number} reads '[Not used]', put it back in {parent.span.file or 'the section file'}, "
                f"under 'children:' of '{parent.id}'{after}:\n{entry}")


def _candidate(prev: Ordinal | None, ceiling: Ordinal | None, lv: NumberingLevel) -> Ordinal | None:
    """The next number in sequence if it is below ``ceiling``, else the insertion number after
    ``prev`` (18.5 → 18.5A) if that is; ``None`` when neither is."""
    sequential: Ordinal = (prev[0] + 1, 0) if prev else (lv.start, 0)
    if ceiling is None or sequential < ceiling:
        return sequential
    lowest = 0 if lv.style == "decimal" else 1
    base = prev[0] if prev else lv.start - 1
    k = counters.next_suffix(base, prev[1] if prev else 0, lv.style, lv.insert)
    if base < lowest or (base, k) >= ceiling:
        return None
    return (base, k)
