from __future__ import annotations

import pytest

from generator.model import Clause, Release, ReleasedClause, Span
from generator.passes.numbering import number_project
from generator.passes.references import resolve_references
from generator.readers.inline import parse_inline
from tests.factories import project


def _with_text(text: str, releases: tuple[Release, ...] = ()) -> list[str]:
    body = Clause(id="body", raw_text=text, text=parse_inline(text, Span(file="x.yaml", line=1, col=1)))
    target = Clause(id="target", raw_text="t", children=(Clause(id="t-a", raw_text="a"),
                                                         Clause(id="t-b", raw_text="b")))
    numbered, _ = number_project(project(Clause(id="s", raw_text="", children=(target, body)), releases=releases))
    return [d.code for d in resolve_references(numbered)]


@pytest.mark.parametrize(("text", "codes"), [
    ("see [[t-a]] for the rule", []),
    ("see [[t-z]] for the rule", ["S1SR201"]),
    ("as set out in clause 1.1b", ["S1SR206"]),
    ("as set out in 1.1b", ["S1SR206"]),
    ("see 1.1c", ["S1SR204"]),
    ("a reading of 0.5 kWh", []),
    ("in 2.5 seconds", []),
    ("under SRV 4.8.1", []),
    ("under SRV 6.99", ["S1SR207"]),
])
def test_references_in_text(text: str, codes: list[str]) -> None:
    assert _with_text(text) == codes


def test_cited_number_that_moved_since_the_release() -> None:
    # In the release, 1.1b was another clause: the author meant that one.
    rel = Release(name="v1", date="2024-01-01", version="1", clauses=(
        ReleasedClause(id="s", parent="", level=1, ordinal=(1, 0), number="1"),
        ReleasedClause(id="target", parent="s", level=2, ordinal=(1, 0), number="1.1"),
        ReleasedClause(id="t-a", parent="target", level=3, ordinal=(1, 0), number="1.1a"),
        ReleasedClause(id="old-b", parent="target", level=3, ordinal=(2, 0), number="1.1b"),
    ))
    assert "S1SR205" in _with_text("see 1.1b", releases=(rel,))


# -- prose: how each cross-reference reads where it stands ---------------------------------------
@pytest.mark.parametrize(("text", "printed", "codes"), [
    ("[[s]] sets out the rules", "Section 1 sets out the rules", []),
    ("[[#s]] sets out the rules", "1 sets out the rules", ["S1SR210"]),
    ("as [[target]] says. [[t-a]] applies", "as clause 1.1 says. Clause 1.1a applies", []),
    ("clauses [[#t-a]] and [[#t-b]] apply", "clauses 1.1a and 1.1b apply", []),
    ("in accordance with clause [[t-a]]", "in accordance with clause clause 1.1a", ["S1SR211"]),
    ("Sections [[#s]] to [[#s]] apply", "Sections 1 to 1 apply", []),
])
def test_references_read_as_prose(text: str, printed: str, codes: list[str]) -> None:
    from generator.model import cite_map, plain_text, walk

    assert _with_text(text) == codes
    body = Clause(id="body", raw_text=text, text=parse_inline(text, Span(file="x.yaml", line=1, col=1)))
    target = Clause(id="target", raw_text="t", children=(Clause(id="t-a", raw_text="a"), Clause(id="t-b", raw_text="b")))
    numbered, _ = number_project(project(Clause(id="s", raw_text="", children=(target, body))))
    numbers = {c.id: c.number for c in walk(numbered.document.sections)}
    assert plain_text(body.text, numbers, cite_map(numbered.document)) == printed


def test_annexes_are_numbered_and_cited_as_annexes() -> None:
    from dataclasses import replace

    from generator.model import cite_map, walk

    annex = replace(Clause(id="ax", heading="Tables", children=(Clause(id="ax-1", raw_text="x"),
                                                               Clause(id="ax-2", raw_text="y"))), annex=True)
    annex = replace(annex, children=tuple(replace(c, annex=True) for c in annex.children))
    numbered, diags = number_project(project(Clause(id="s", raw_text="", children=(Clause(id="s-1", raw_text="z"),)),
                                             annex, replace(annex, id="ay", children=())))
    assert not diags
    got = {c.id: (c.number, c.label) for c in walk(numbered.document.sections)}
    assert got["ax"] == ("A", "Annex A") and got["ay"] == ("B", "Annex B") and got["ax-2"] == ("A.2", "A.2")
    assert got["s"] == ("1", "1")  # the body's counter is not disturbed by the annexes
    cites = cite_map(numbered.document)
    assert (cites["ax"], cites["ax-1"], cites["s"]) == ("Annex A", "clause A.1", "Section 1")


# -- applies_to against the Device Models' not_applicable -----------------------------------------
@pytest.mark.parametrize(("devices", "codes"), [
    (("gas",), ["S1SR340"]),              # named directly, and the model lists the SRV as N/A
    (("elec",), []),                      # the SRV applies to this one
    (("all-gas",), ["S1SR340"]),          # a group whose every model lists it
    (("all-meters",), []),                # a group where the SRV applies to some: it means those
])
def test_applies_to_an_srv_the_device_model_lists_as_not_applicable(devices: tuple[str, ...],
                                                                    codes: list[str]) -> None:
    from dataclasses import replace

    from generator.model import AppliesTo, DeviceGroup, DeviceModel, Srv

    clause = Clause(id="c", raw_text="x", applies_to=(AppliesTo(srvs=("4.8.2",), devices=devices),))
    p = project(Clause(id="s", raw_text="", children=(clause,)))
    p = replace(
        p, srvs=(Srv(number="4.8.2", name="Read Export Profile Data"),),
        devices=(DeviceModel(id="elec", manufacturer="Secure", model="Liberty 100", device_type="ESME", cohort="FOC"),
                 DeviceModel(id="gas", manufacturer="Secure", model="Europa G4", device_type="GSME", cohort="FOC",
                             not_applicable=("4.8.2",)),
                 DeviceModel(id="gas2", manufacturer="Itron", model="Gallus G4", device_type="GSME", cohort="FOC",
                             not_applicable=("4.8.2",))),
        groups=(DeviceGroup(id="all-gas", name="Gas", members=("gas", "gas2")),
                DeviceGroup(id="all-meters", name="All", members=("all-gas", "elec"))))
    numbered, _ = number_project(p)
    found = [d for d in resolve_references(numbered) if d.code == "S1SR340"]
    assert [d.code for d in found] == codes
    if found:
        assert "4.8.2" in found[0].message and devices[0] in found[0].message and "not_applicable" in found[0].help
