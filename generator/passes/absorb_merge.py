"""Reviewers' edits (made against the source a document was built from) merged into the source
as it is now: a three-way merge by stable id.

For each edit: when the source still has what the document was built from, the edit applies;
when the source already has the edit (taken back before), it is skipped; when both changed the
same clause, clause text is merged word by word where the two changes do not touch, and
anything else is a conflict (ABS101) that leaves the source as it is. A designated clause the
reviewer removed stays as a [Not used] tombstone. DMVESM cell edits become ``applies_to``
entries, rewritten with as little change as possible (groups kept where they still fit).

Pure: no I/O.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import absorb as R
from generator.model import AppliesTo, Clause, Project, walk
from generator.model.review import Edit
from generator.passes.absorb import table_text

__all__ = ["Merged", "cells_of", "merge3", "merge_edits", "rewrite_applies"]

Cell = tuple[str, str]
_TOKEN = re.compile(r"\[\[[^\]]*\]\]|\*\*[^*\n]+\*\*|\w+|\s+|[^\w\s]")


@dataclass
class Merged:
    ops: list[Edit] = field(default_factory=list)  # what to do to the source now
    skipped: list[Edit] = field(default_factory=list)  # edits the source already has
    conflicts: list[Diagnostic] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)


# -- text ---------------------------------------------------------------------------------------
def _changes(a: list[str], b: list[str]) -> list[tuple[int, int, list[str]]]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(i1, i2, b[j1:j2]) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]


def merge3(base: str, ours: str, theirs: str) -> str | None:
    """``base`` with both sets of changes, word by word; None where they touch the same words."""
    b = _TOKEN.findall(base)
    mine, other = _changes(b, _TOKEN.findall(ours)), _changes(b, _TOKEN.findall(theirs))
    for x1, x2, xr in mine:
        for y1, y2, yr in other:
            if x1 <= y2 and y1 <= x2 and not (x1, x2, xr) == (y1, y2, yr):
                return None
    every = sorted({(i1, i2, tuple(r)) for i1, i2, r in mine + other})
    out: list[str] = []
    pos = 0
    for i1, i2, r in every:
        out += b[pos:i1]
        out += list(r)
        pos = max(pos, i2)
    out += b[pos:]
    return "".join(out)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


# -- the DMVESM ----------------------------------------------------------------------------------
def cells_of(entries: Iterable[AppliesTo], groups: Mapping[str, tuple[str, ...]]) -> set[Cell]:
    """The (SRV, Device Model) cells ``applies_to`` entries cover."""
    out: set[Cell] = set()
    for a in entries:
        for d in a.devices:
            for x in groups.get(d, (d,)):
                for s in a.srvs:
                    out.add((s, x))
    return out


def rewrite_applies(entries: tuple[AppliesTo, ...], target: set[Cell], groups: Mapping[str, tuple[str, ...]],
                    device_order: Mapping[str, int]) -> tuple[AppliesTo, ...]:
    """``entries`` changed to cover exactly ``target``: untouched entries stay as written, an
    entry that loses cells keeps the groups and devices that still fit, new cells join an entry
    with the same devices (or the same single SRV) or form a new one."""
    current = cells_of(entries, groups)
    if current == target:
        return entries
    out: list[AppliesTo] = []
    for a in entries:
        covered = cells_of((a,), groups)
        if covered <= target:
            out.append(a)
            continue
        keep = covered & target
        by_srv: dict[str, list[str]] = {}
        for s in a.srvs:
            wanted = {x for (t, x) in keep if t == s}
            if not wanted:
                continue
            tokens = [d for d in a.devices if set(groups.get(d, (d,))) <= wanted]
            have = {x for d in tokens for x in groups.get(d, (d,))}
            tokens += sorted(wanted - have, key=lambda x: (device_order.get(x, len(device_order)), x))
            by_srv[s] = tokens
        for devices, srvs in _by_devices(by_srv).items():
            out.append(AppliesTo(srvs=tuple(srvs), devices=devices))
    now = cells_of(out, groups)
    add = target - now
    if add:
        by_srv = {}
        for s, x in sorted(add, key=lambda c: (c[0], device_order.get(c[1], 0), c[1])):
            by_srv.setdefault(s, []).append(x)
        for devices, srvs in _by_devices(by_srv).items():
            for k, a in enumerate(out):
                if set(a.devices) == set(devices) or \
                        {x for d in a.devices for x in groups.get(d, (d,))} == set(devices):
                    out[k] = AppliesTo(srvs=tuple(dict.fromkeys((*a.srvs, *srvs))), devices=a.devices)
                    break
                if len(srvs) == 1 and a.srvs == (srvs[0],):
                    out[k] = AppliesTo(srvs=a.srvs, devices=tuple(dict.fromkeys((*a.devices, *devices))))
                    break
            else:
                out.append(AppliesTo(srvs=tuple(srvs), devices=devices))
    return tuple(out)


def _by_devices(by_srv: dict[str, list[str]]) -> dict[tuple[str, ...], list[str]]:
    grouped: dict[tuple[str, ...], list[str]] = {}
    for s, devices in by_srv.items():
        grouped.setdefault(tuple(devices), []).append(s)
    return grouped


# -- the merge -----------------------------------------------------------------------------------
class _Merger:
    def __init__(self, base: Project, current: Project, designated: set[str]) -> None:
        self.base = {c.id: c for c in walk(base.document.sections)}
        self.cur = {c.id: c for c in walk(current.document.sections)}
        self.current = current
        self.designated = designated
        self.groups = dict(current.group_members)
        self.order = {d.id: i for i, d in enumerate(current.devices)}
        self.out = Merged()
        self.inserted: set[str] = set()
        self.removed: set[str] = set()
        self.rename: dict[str, str] = {}  # a new clause taken back before → its id in the source

    def conflict(self, e: Edit, why: str, clause: Clause | None) -> None:
        loc = Location.of(clause.span, e.clause) if clause is not None and clause.span.file else \
            Location(file=e.where, clause_id=e.clause)
        self.out.conflicts.append(Diagnostic.make(
            R.CONFLICT, f"clause {e.number or e.clause} ({e.clause}): {why}; the source is left as it is", loc,
            help=R.CONFLICT.how_to_fix))

    def field(self, e: Edit, now: str) -> None:
        c = self.cur.get(e.clause)
        if c is None:
            self.conflict(e, f"the reviewer changed its {e.kind}, but the source has since removed the clause", None)
        elif _same(now, e.new):
            self.out.skipped.append(e)
        elif _same(now, e.old):
            self.out.ops.append(e)
        elif e.kind == "text":
            merged = merge3(e.old, e.new, now)
            if merged is None:
                self.conflict(e, f"the reviewer's text «{_short(e.new)}» and the source's text since the build "
                              f"«{_short(now)}» change the same words", c)
            else:
                self.out.ops.append(replace(e, old=now, new=merged))
        else:
            self.conflict(e, f"the reviewer's {e.kind} «{_short(e.new)}» and the source's «{_short(now)}» differ, "
                          f"and both changed it since «{_short(e.old)}»", c)

    def edit(self, e: Edit) -> None:
        c = self.cur.get(e.clause)
        if e.kind == "text":
            self.field(e, c.raw_text if c else "")
        elif e.kind == "heading":
            self.field(e, c.heading if c else "")
        elif e.kind == "not_used":
            self.field(e, str(c.not_used).lower() if c else "")
        elif e.kind == "table":
            rows = ((c.table.header,) if c.table.header else ()) + c.table.rows if c and c.table else ()
            self.field(e, table_text(rows))
        elif e.kind == "insert":
            self.insert(e)
        elif e.kind == "move":
            self.move(e)
        elif e.kind == "remove":
            self.remove(e)
        elif e.kind == "applies":
            self.applies(e)

    def _exists(self, cid: str) -> bool:
        return cid == "" or (cid in self.cur and cid not in self.removed) or cid in self.inserted

    def _after(self, e: Edit) -> str:
        """The sibling to place after: the edit's, or "" (first) when the source lost it."""
        return e.after if e.after and self._exists(e.after) else ""

    def insert(self, e: Edit) -> None:
        new = e.new_clause
        assert new is not None
        if not self._exists(e.parent):
            self.conflict(e, f"the reviewer added a clause under {e.parent}, which the source has since removed", None)
            return
        siblings = self.cur[e.parent].children if e.parent in self.cur else \
            self.current.document.sections if e.parent == "" else ()
        ids = [s.id for s in siblings]
        after = self._after(e)
        at = ids.index(after) + 1 if after in ids else 0 if not after else -1
        if 0 <= at < len(siblings):  # taken back before: the same words right after the same clause
            s = siblings[at]
            if _same(s.raw_text, new.text) and s.heading == new.heading and s.id not in self.base \
                    and s.id not in self.rename.values():
                self.out.skipped.append(e)
                self.inserted.add(e.clause)
                self.rename[e.clause] = s.id
                return
        self.inserted.add(e.clause)
        self.out.ops.append(replace(e, after=self._after(e)))

    def move(self, e: Edit) -> None:
        c = self.cur.get(e.clause)
        if c is None:
            self.conflict(e, "the reviewer moved it, but the source has since removed it", None)
            return
        if not self._exists(e.parent):
            self.conflict(e, f"the reviewer moved it under {e.parent}, which the source no longer has", c)
            return
        siblings = [s.id for s in (self.cur[e.parent].children if e.parent in self.cur else
                                   self.current.document.sections if e.parent == "" else ())]
        if c.parent == e.parent and e.clause in siblings:
            at = siblings.index(e.clause)
            if (siblings[at - 1] if at else "") == self._after(e):
                self.out.skipped.append(e)
                return
        self.out.ops.append(replace(e, after=self._after(e)))

    def remove(self, e: Edit) -> None:
        c = self.cur.get(e.clause)
        b = self.base.get(e.clause)
        if c is None or c.not_used:
            self.out.skipped.append(e)
            return
        if b is not None and (not _same(c.raw_text, b.raw_text) or c.heading != b.heading):
            self.conflict(e, "the reviewer removed it, but the source has amended it since the build", c)
            return
        self.removed.add(e.clause)
        if e.clause in self.designated:
            self.out.ops.append(replace(e, kind="not_used", old="false", new="true"))
            # Its descendants go with it: a [Not used] clause keeps its released numbers unused.
            self.out.ops += [Edit(kind="remove", clause=d.id, number=d.number, where=e.where)
                             for d in c.children]
        else:
            self.out.ops.append(e)

    def applies(self, e: Edit) -> None:
        c = self.cur.get(e.clause)
        if c is None:
            self.conflict(e, "the reviewer changed its DMVESM cells, but the source has since removed the clause",
                          None)
            return
        now = cells_of(c.applies_to, self.groups)
        target = (now | set(e.add)) - set(e.drop)
        if target == now:
            self.out.skipped.append(e)
            return
        entries = rewrite_applies(c.applies_to, target, self.groups, self.order)
        self.out.ops.append(replace(e, kind="applies", new=_applies_text(entries)))



def _applies_text(entries: tuple[AppliesTo, ...]) -> str:
    """applies_to entries as lines 'SRV,SRV|device,device' (how the merge hands them on)."""
    return "\n".join(f"{','.join(a.srvs)}|{','.join(a.devices)}" for a in entries)


def _short(text: str, n: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def merge_edits(base: Project, current: Project, edits: Iterable[Edit], designated: set[str]) -> Merged:
    """``edits`` (against ``base``) as operations on ``current``; ``designated`` holds the ids
    the current draft's baseline release designated (a removal keeps them as [Not used])."""
    m = _Merger(base, current, designated)
    for e in edits:
        if e.parent in m.rename:
            e = replace(e, parent=m.rename[e.parent])
        if e.after in m.rename:
            e = replace(e, after=m.rename[e.after])
        m.edit(e)
    return m.out
