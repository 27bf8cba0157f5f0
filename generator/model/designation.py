"""Who a designated number belongs to: the rule of frozen numbers, as data.

A number designated in a release belongs to its clause. When that clause leaves it (moved,
renumbered by a declaration, removed), the number stays behind as a **tombstone**: it prints
"[Not used]" at its place and no other clause takes it. The numbering pass makes tombstones
(``generator.passes.numbering``); this module says which releases count and who owns each
number in them.

**Which releases count.** The baseline (the release the draft is numbered against) and the
releases it descends from: each snapshot records the release its draft was numbered against
(``against``), and the chain is followed back from the baseline. A snapshot that records no
``against`` (made before releases recorded it, or imported from Word) descends from every
release designated before it. A release that is not in that chain (another branch) does not
count.

**Who owns a number.** The clause that holds it in the most recent counting release that
designates it; a tombstone made for an earlier release holds its number like any clause.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.model.release import Release

__all__ = ["TOMBSTONE_MARK", "Designation", "designations", "is_tombstone", "lineage", "tombstone_id"]

# Tombstones get ids no drafter can write ('~' is not allowed in a clause id), derived from the
# number they keep, so the same number gives the same id in every release.
TOMBSTONE_MARK = "~"


def tombstone_id(number: str) -> str:
    return TOMBSTONE_MARK + number


def is_tombstone(clause_id: str) -> bool:
    return clause_id.startswith(TOMBSTONE_MARK)


@dataclass(frozen=True, slots=True, kw_only=True)
class Designation:
    """A number as a release designated it, and the clause it belongs to."""

    number: str
    clause_id: str
    release: str
    level: int
    ordinal: tuple[int, int]
    parent_number: str  # the number of its parent in that release ("" at the first level)
    annex: bool = False  # numbered in the annexes' sequence (Annex D, D.1), not the body's
    vacated_by: str = ""  # for a tombstone: the clause that left the number

    @property
    def owner(self) -> str:
        """The clause the number was designated for (a tombstone's: the clause that left it)."""
        return self.vacated_by or self.clause_id


def lineage(releases: Sequence[Release], baseline: Release | None) -> tuple[Release, ...]:
    """The releases that count, most recent first: ``baseline`` and the releases it descends from."""
    if baseline is None:
        return ()
    by_name = {r.name: r for r in releases}
    order = {r.name: i for i, r in enumerate(releases)}  # ``releases`` is oldest first
    out: list[Release] = []
    seen: set[str] = set()
    current: Release | None = baseline
    while current is not None and current.name not in seen:
        out.append(current)
        seen.add(current.name)
        if current.against:
            current = by_name.get(current.against)
            continue
        # No recorded parent: every release designated before it counts, most recent first.
        before = [r for r in releases if order.get(r.name, len(releases)) < order.get(current.name, 0)]
        out += [r for r in reversed(before) if r.name not in seen]
        break
    return tuple(out)


def designations(releases: Sequence[Release]) -> dict[str, Designation]:
    """Number → its owner, from ``releases`` most recent first (as :func:`lineage` gives them)."""
    out: dict[str, Designation] = {}
    for r in releases:
        numbers = {c.id: c.number for c in r.clauses}
        for c in r.clauses:
            if c.number and c.number not in out:
                out[c.number] = _designation(c.number, c.id, r.name, c.level, c.ordinal,
                                             numbers.get(c.parent, "") if c.parent else "", c.annex, c.vacated_by)
    return out


_PUT = tuple(Designation.__dict__[name].__set__ for name in
             ("number", "clause_id", "release", "level", "ordinal", "parent_number", "annex", "vacated_by"))


def _designation(number: str, clause_id: str, release: str, level: int, ordinal: tuple[int, int],
                 parent_number: str, annex: bool, vacated_by: str) -> Designation:
    """``Designation(...)`` by filling its slots (one per released number, 15,000 at 10×; the frozen
    dataclass's ``__init__`` goes through ``object.__setattr__`` for each field)."""
    put_number, put_clause_id, put_release, put_level, put_ordinal, put_parent_number, put_annex, put_vacated = _PUT
    d = object.__new__(Designation)
    put_number(d, number)
    put_clause_id(d, clause_id)
    put_release(d, release)
    put_level(d, level)
    put_ordinal(d, ordinal)
    put_parent_number(d, parent_number)
    put_annex(d, annex)
    put_vacated(d, vacated_by)
    return d
