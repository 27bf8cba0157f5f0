"""What changed between two versions of a project, by stable id (filled by ``passes.diff``)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.clause import Table

# The kinds of change a clause can undergo, in the order they are reported.
ADDED = "added"
REMOVED = "removed"
AMENDED = "amended"
MOVED = "moved"
RENUMBERED = "renumbered"
# A designated number its clause has left, now printed "[Not used]" (a tombstone, see
# model.designation); the change is its clause's, reported with it.
VACATED = "vacated"
# Only the printed numbers of cross-references changed: a consequence of another change.
REFERENCES = "references"
CLAUSE_KINDS = (ADDED, REMOVED, AMENDED, MOVED, RENUMBERED, VACATED, REFERENCES)

# Matrix cells and Device Models / groups.
CHANGED = "changed"
CELL_KINDS = (ADDED, REMOVED, CHANGED)

EQUAL = "equal"
INSERT = "insert"
DELETE = "delete"


@dataclass(frozen=True, slots=True, kw_only=True)
class Word:
    """A run of the word-level diff: text that is kept, inserted or deleted.

    ``style`` is the inline kind it came from (``""``, ``emph``, ``term``, ``xref``, ``srv``),
    so a redline can print a deleted defined term in bold; ``target`` is a cross-reference's id.
    """

    op: str
    text: str
    style: str = ""
    target: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClauseChange:
    id: str
    kinds: tuple[str, ...]  # a subset of CLAUSE_KINDS, in that order; may be () for a consequential change
    old_number: str = ""  # "" when added
    new_number: str = ""  # "" when the clause is gone from TO altogether
    old_parent: str = ""
    new_parent: str = ""
    declared: bool = False  # the renumbering is declared in TO's change set
    reason: str = ""  # the declaration's reason
    # Rendered text as a word diff (cross-references as each side's number). Added: all
    # inserts; removed: all deletes; unchanged text: ().
    words: tuple[Word, ...] = ()
    heading_words: tuple[Word, ...] = ()
    old_table: Table | None = None
    new_table: Table | None = None
    srvs: tuple[str, ...] = ()  # SRVs the clause applies to, old and new together
    devices: tuple[str, ...] = ()  # Device Model / group ids, old and new together
    tags: tuple[str, ...] = ()
    dropped: bool = False  # removed by deleting it from the source, not by marking it [Not used]
    vacated_by: str = ""  # a number left [Not used] (a tombstone): the clause that left it

    def has(self, kind: str) -> bool:
        return kind in self.kinds

    def old_text(self) -> str:
        return "".join(w.text for w in self.words if w.op != INSERT)

    def new_text(self) -> str:
        return "".join(w.text for w in self.words if w.op != DELETE)


@dataclass(frozen=True, slots=True, kw_only=True)
class MatrixChange:
    """A DMVESM cell (SRV × Device Model) whose citation changed."""

    srv: str
    device: str
    kind: str  # one of CELL_KINDS
    old_clauses: tuple[str, ...] = ()
    new_clauses: tuple[str, ...] = ()
    old_numbers: tuple[str, ...] = ()  # the numbers the cell printed, in FROM
    new_numbers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityChange:
    """A Device Model (``entity="device"``) or group (``entity="group"``) added, removed or changed."""

    entity: str
    id: str
    kind: str  # one of CELL_KINDS
    name: str = ""  # display name (TO's, else FROM's)
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Changes:
    from_label: str
    to_label: str
    from_version: str = ""
    to_version: str = ""
    author: str = ""  # from TO's change set: the tracked changes' author
    date: str = ""  # from TO's change set, else TO's document date
    clauses: tuple[ClauseChange, ...] = ()  # TO's document order, then clauses only in FROM
    matrix: tuple[MatrixChange, ...] = ()
    entities: tuple[EntityChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.clauses or self.matrix or self.entities)

    def by_id(self) -> dict[str, ClauseChange]:
        return {c.id: c for c in self.clauses}

    def of_kind(self, kind: str) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.clauses if kind in c.kinds)
