from __future__ import annotations

import dataclasses

import pytest

from generator.model import AppliesTo, Clause, Text
from generator.model.clause import evolve


def test_evolve_is_dataclasses_replace() -> None:
    c = Clause(id="a", heading="H", text=(Text(text="t"),), children=(Clause(id="b"),),
               applies_to=(AppliesTo(srvs=("6.1",), devices=("d",)),), tags=("x",))
    changes: dict[str, object] = {"level": 2, "ordinal": (3, 1), "number": "1.3A", "label": "1.3A", "parent": "p",
                                  "children": ()}
    made = evolve(c, **changes)
    expected = dataclasses.replace(c, **changes)  # type: ignore[arg-type]  # the oracle takes the same changes
    assert made == expected and hash(made) == hash(expected)
    assert [getattr(made, f.name) for f in dataclasses.fields(Clause)] == \
        [getattr(expected, f.name) for f in dataclasses.fields(Clause)]
    assert evolve(c) == c
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.level = 1  # type: ignore[misc]  # frozen, as a Clause made by __init__


def test_evolve_rejects_an_unknown_field() -> None:
    with pytest.raises(TypeError, match="nummber"):
        evolve(Clause(id="a"), nummber="1")
