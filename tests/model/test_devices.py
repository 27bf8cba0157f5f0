"""Group expansion lives in the model and is kept on the Project: one computation for the check,
the matrix, the letter, the external check and the site."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from generator.model import DeviceGroup, DeviceModel, expand_groups
from tests.diff_cases import c
from tests.factories import project

DEVICES = [f"d{i}" for i in range(6)]
GROUPS = [f"g{i}" for i in range(5)]


def _naive(gid: str, groups: dict[str, DeviceGroup], seen: frozenset[str] = frozenset()) -> list[str]:
    out: list[str] = []
    for m in groups[gid].members:
        if m in groups and m not in seen | {gid}:
            out += _naive(m, groups, seen | {gid})
        elif m in DEVICES:
            out.append(m)
    return list(dict.fromkeys(out))


@given(st.lists(st.lists(st.sampled_from(DEVICES + GROUPS + ["nobody"]), max_size=6), min_size=5, max_size=5))
def test_members_are_devices_in_order_and_nesting_is_flattened(members: list[list[str]]) -> None:
    # Only groups with a smaller index may be members: no cycles, so the naive recursion is the oracle.
    groups = {g: DeviceGroup(id=g, name=g, members=tuple(m for m in ms if m not in GROUPS or m < g))
              for g, ms in zip(GROUPS, members, strict=True)}
    got = expand_groups(groups.values(), set(DEVICES))
    assert got == {g: tuple(_naive(g, groups)) for g in groups}


def test_a_cycle_ends_the_walk() -> None:
    groups = [DeviceGroup(id="a", name="A", members=("d1", "b")), DeviceGroup(id="b", name="B", members=("a", "d2"))]
    got = expand_groups(groups, {"d1", "d2"})
    assert set(got["a"]) == {"d1", "d2"} and "d2" in got["b"]


def test_the_project_keeps_the_expansion_and_recomputes_it_on_change() -> None:
    p = replace(project(c("s")), devices=(DeviceModel(id="d1", manufacturer="Secure", model="Liberty 100",
                                                      device_type="ESME", cohort="FOC"),),
                groups=(DeviceGroup(id="secure", name="Secure", members=("d1",)),))
    assert p.group_members == {"secure": ("d1",)}
    q = replace(p, groups=(DeviceGroup(id="secure", name="Secure", members=()),))
    assert q.group_members == {"secure": ()}
    assert p == replace(p)  # the expansion takes no part in equality
