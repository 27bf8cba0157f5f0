"""Device Models, named groups of them, and DUIS SRVs."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from generator.model.location import NOWHERE, Span

DEVICE_TYPES = ("ESME", "GSME", "CHF", "PPMID", "IHD")
COHORTS = ("FOC", "IOC", "MOC")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceModel:
    id: str
    manufacturer: str
    model: str
    device_type: str
    cohort: str
    firmware: str = ""
    # SRVs that do not apply to the Device Model (it does not support them): the DMVESM shows
    # "not applicable" in its cells, where others cite clauses or show no variation.
    not_applicable: tuple[str, ...] = ()
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceGroup:
    id: str
    name: str
    members: tuple[str, ...]  # Device Model ids or other group ids
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Srv:
    number: str
    name: str
    critical: bool = False
    on_demand: bool = False
    note: str = ""  # what the DMVESM says about the SRV's row (its notes column)


def expand_groups(groups: Iterable[DeviceGroup], devices: Collection[str]) -> dict[str, tuple[str, ...]]:
    """Group id → its Device Model ids in the order listed, nested groups flattened.

    A member that is neither a Device Model nor a group, and a group met again inside itself,
    are left out: the source check reports both (S1SR011, S1SR012).
    """
    by_id = {g.id: g for g in groups}
    out: dict[str, tuple[str, ...]] = {}

    def visit(gid: str, path: tuple[str, ...]) -> tuple[str, ...]:
        if gid in out:
            return out[gid]
        members: dict[str, None] = {}
        for m in by_id[gid].members:
            if m in path or m == gid:
                continue
            if m in by_id:
                members.update(dict.fromkeys(visit(m, (*path, gid))))
            elif m in devices:
                members[m] = None
        out[gid] = tuple(members)
        return out[gid]

    for gid in by_id:
        visit(gid, ())
    return out
