"""Everything one content folder holds, resolved into one value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.model.devices import DeviceGroup, DeviceModel, Srv, expand_groups
from generator.model.document import Document
from generator.model.location import NOWHERE, Span
from generator.model.release import Release


@dataclass(frozen=True, slots=True, kw_only=True)
class Renumbering:
    """A drafter's declaration that released clauses may take new numbers."""

    clauses: tuple[str, ...]
    reason: str
    # Numbers designated for other clauses that these clauses deliberately take over (the
    # April 2025 restore of the version 11 references): the only way a number changes owner.
    takes_over: tuple[str, ...] = ()
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeSet:
    against: str = ""
    author: str = ""
    date: str = ""
    summary: str = ""
    renumber: tuple[Renumbering, ...] = ()
    span: Span = NOWHERE

    def declared(self) -> dict[str, Renumbering]:
        return {cid: r for r in self.renumber for cid in r.clauses}

    def taken_over(self) -> dict[str, Renumbering]:
        """Number → the declaration that takes it over."""
        return {n: r for r in self.renumber for n in r.takes_over}


@dataclass(frozen=True, slots=True, kw_only=True)
class MatrixCell:
    """One DMVESM cell: the clauses describing ``device``'s variation for ``srv``."""

    srv: str
    device: str
    clauses: tuple[str, ...]  # clause ids, document order
    note: str = ""  # the notes of the applies_to entries that make the cell, joined


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    root: str
    document: Document
    devices: tuple[DeviceModel, ...] = ()
    groups: tuple[DeviceGroup, ...] = ()
    srvs: tuple[Srv, ...] = ()
    changes: ChangeSet | None = None
    releases: tuple[Release, ...] = ()  # oldest first
    matrix: tuple[MatrixCell, ...] = ()
    span: Span = NOWHERE
    # Group id → Device Model ids (nested groups flattened), computed once per value from
    # ``groups`` and ``devices``: the check, the matrix, the letter and the site all read it here.
    group_members: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "group_members", expand_groups(self.groups, {d.id for d in self.devices}))

    @property
    def baseline(self) -> Release | None:
        """The release the draft is numbered against: the change set's, else the latest."""
        if self.changes and self.changes.against:
            for r in self.releases:
                if r.name == self.changes.against:
                    return r
        return self.releases[-1] if self.releases else None
