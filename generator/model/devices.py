"""Device Models, named groups of them, and DUIS SRVs."""

from __future__ import annotations

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
