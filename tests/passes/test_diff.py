"""The diff pass: by stable id, word level, declared or not; properties over random trees."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import (
    AppliesTo,
    ChangeSet,
    DeviceGroup,
    DeviceModel,
    Project,
    Renumbering,
    Table,
    cite_map,
    walk,
)
from generator.model.diff import ADDED, AMENDED, CHANGED, MOVED, REFERENCES, REMOVED, RENUMBERED, VACATED
from generator.passes.diff import diff_projects, tokens, word_diff
from generator.passes.matrix import build_matrix
from generator.passes.numbering import number_project
from tests.diff_cases import c, edited, levels, tree
from tests.factories import project, release_of


def numbered(p: Project) -> Project:
    out, diags = number_project(p)
    assert not [d for d in diags if d.severity == "error"], diags
    return build_matrix(out)


def codes(diags: list) -> list[str]:
    return [d.code for d in diags]


def test_identical_versions_have_no_changes() -> None:
    p = numbered(project(c("a", c("a1"), c("a2", c("x")))))
    changes, diags = diff_projects(p, p)
    assert not changes and not diags


def test_added_removed_and_amended() -> None:
    old = numbered(project(c("a", c("a1"), c("a2"), c("a3"))))
    new = numbered(project(c("a", c("a1", text="text of a1, amended"), c("a2", not_used=True), c("a3"),
                             c("a4"))))
    changes, _ = diff_projects(old, new, from_label="v1", to_label="draft")
    by = changes.by_id()
    assert set(by) == {"a1", "a2", "a4"}
    assert by["a1"].kinds == (AMENDED,)
    assert by["a1"].old_text() == "text of a1" and by["a1"].new_text() == "text of a1, amended"
    assert [(w.op, w.text) for w in by["a1"].words] == [("equal", "text of "), ("delete", "a1"),
                                                        ("insert", "a1, amended")]
    assert by["a2"].kinds == (REMOVED,) and by["a2"].new_text() == "[Not used]" and not by["a2"].dropped
    assert by["a4"].kinds == (ADDED,) and by["a4"].old_number == "" and by["a4"].new_number == "1.4"
    assert changes.from_label == "v1" and changes.to_label == "draft"


def test_a_clause_deleted_outright_is_dropped_and_reported() -> None:
    old = numbered(project(c("a", c("a1"), c("a2"))))
    new = numbered(project(c("a", c("a1"))))
    changes, diags = diff_projects(old, new)
    (ch,) = changes.clauses
    assert ch.id == "a2" and ch.kinds == (REMOVED,) and ch.dropped and ch.new_number == ""
    assert codes(diags) == ["S1SR403"]


def test_undeclared_shift_is_reported_like_the_18_5_incident() -> None:
    # v11: p has no items, q and r are clauses. v12: q and r's places are taken by p's items.
    v11 = numbered(project(c("s", c("p"), c("q"), c("r"))))
    v12 = numbered(project(c("s", c("p"), c("p-i"), c("q"), c("r"))))
    changes, diags = diff_projects(v11, v12, from_label="v11", to_label="v12")
    by = changes.by_id()
    assert by["q"].kinds == (RENUMBERED,) and (by["q"].old_number, by["q"].new_number) == ("1.2", "1.3")
    assert not by["q"].declared
    assert codes(diags).count("S1SR401") == 2
    assert "S1SR402" in codes(diags)  # 1.2 named q and now names p-i


def test_declared_renumbering_is_marked_with_its_reason() -> None:
    old = numbered(project(c("s", c("p"), c("x"), c("q"))))
    base = release_of(old, "v12")
    draft = project(c("s", c("p", c("x")), c("q")), releases=(base,))
    draft = replace(draft, changes=ChangeSet(against="v12", renumber=(
        Renumbering(clauses=("x", "q"), reason="Restore the version 11 references."),)))
    new = numbered(draft)
    changes, diags = diff_projects(old, new)
    by = changes.by_id()
    assert by["x"].kinds == (MOVED, RENUMBERED) and by["x"].declared
    assert (by["x"].old_parent, by["x"].new_parent) == ("s", "p")
    assert by["x"].reason == "Restore the version 11 references."
    # x's 1.2 is designated: it reads [Not used], and q, declared but with nowhere to go, keeps 1.3.
    assert "q" not in by and by["~1.2"].kinds == (VACATED,) and by["~1.2"].vacated_by == "x"
    assert "S1SR401" not in codes(diags)


def test_cross_reference_numbers_that_follow_a_renumbering_are_consequential() -> None:
    old = numbered(project(c("s", c("p"), c("q"), c("r", text="see [[q]]"))))
    new = numbered(project(c("s", c("n"), c("p"), c("q"), c("r", text="see [[q]]"))))
    by = diff_projects(old, new)[0].by_id()
    assert by["r"].kinds == (RENUMBERED,)
    assert [(w.op, w.text, w.target) for w in by["r"].words if w.op != "equal"] == [
        ("delete", "clause 1.2", "q"), ("insert", "clause 1.3", "q")]
    same = numbered(project(c("t", c("s", c("p"), c("q"))), c("u", text="see [[q]]")))
    moved = numbered(project(c("t", c("s", c("o"), c("p"), c("q"))), c("u", text="see [[q]]")))
    assert diff_projects(same, moved)[0].by_id()["u"].kinds == (REFERENCES,)


def test_headings_tables_and_styles_are_compared() -> None:
    t1 = Table(header=("a", "b"), rows=(("1", "2"),))
    t2 = Table(header=("a", "b"), rows=(("1", "3"),))
    old = numbered(project(c("s", c("h", heading="Old heading", table=t1, text="A **Defined Term** here"))))
    new = numbered(project(c("s", c("h", heading="New heading", table=t2, text="A **Defined Term** there"))))
    (ch,) = diff_projects(old, new)[0].clauses
    assert ch.kinds == (AMENDED,)
    assert [(w.op, w.text) for w in ch.heading_words] == [("delete", "Old"), ("insert", "New"),
                                                          ("equal", " heading")]
    assert (ch.old_table, ch.new_table) == (t1, t2)
    assert any(w.style == "term" and w.op == "equal" for w in ch.words)


def _devices_project(p: Project) -> Project:
    return replace(p, devices=(
        DeviceModel(id="d1", manufacturer="Secure", model="M", device_type="ESME", cohort="FOC"),
        DeviceModel(id="d2", manufacturer="Landis+Gyr", model="E470", device_type="ESME", cohort="FOC"),
    ), groups=(DeviceGroup(id="g", name="All", members=("d1", "d2")),))


def test_matrix_cells_and_devices() -> None:
    at = (AppliesTo(srvs=("4.8.1",), devices=("d1",)),)
    old = numbered(_devices_project(project(c("s", c("p", applies_to=at), c("q")))))
    new_p = _devices_project(project(c("s", c("n"), c("p", applies_to=at),
                                       c("q", applies_to=(AppliesTo(srvs=("6.12",), devices=("g",)),)))))
    new_p = replace(new_p, devices=(*new_p.devices[:1], replace(new_p.devices[1], model="E470 5394"),
                                    DeviceModel(id="d3", manufacturer="Itron", model="ACE", device_type="ESME",
                                                cohort="MOC")))
    changes, _ = diff_projects(old, numbered(new_p))
    cells = {(m.srv, m.device): m for m in changes.matrix}
    assert cells[("4.8.1", "d1")].kind == CHANGED
    assert (cells[("4.8.1", "d1")].old_numbers, cells[("4.8.1", "d1")].new_numbers) == (("1.1",), ("1.2",))
    assert cells[("6.12", "d1")].kind == ADDED and cells[("6.12", "d2")].new_clauses == ("q",)
    ents = {(e.entity, e.id): e for e in changes.entities}
    assert ents[("device", "d3")].kind == ADDED
    assert ents[("device", "d2")].kind == CHANGED
    assert [(f.name, f.old, f.new) for f in ents[("device", "d2")].fields] == [("name", "Landis+Gyr E470",
                                                                                 "Landis+Gyr E470 5394"),
                                                                                ("model", "E470", "E470 5394")]


def test_word_diff_keeps_spaces_and_merges_runs() -> None:
    a = (("", "one", ""), ("", " ", ""), ("", "two", ""))
    b = (("", "one", ""), ("", " ", ""), ("", "2", ""))
    assert word_diff(a, a) == ()
    assert [(w.op, w.text) for w in word_diff(a, b)] == [("equal", "one "), ("delete", "two"), ("insert", "2")]


# -- properties ------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(st.data())
def test_diff_properties(data: st.DataObject) -> None:
    a_sections = levels(data.draw(tree()))
    b_sections = data.draw(edited(a_sections))
    a, b = numbered(project(*a_sections)), numbered(project(*levels(b_sections)))
    assert not diff_projects(a, a)[0] and not diff_projects(b, b)[0]
    changes, _ = diff_projects(a, b)
    a_by = {x.id: x for x in walk(a.document.sections)}
    b_by = {x.id: x for x in walk(b.document.sections)}
    added = {ch.id for ch in changes.clauses if ch.has(ADDED)}
    dropped = {ch.id for ch in changes.clauses if ch.dropped}
    assert added == set(b_by) - set(a_by)
    assert dropped == set(a_by) - set(b_by)
    assert (set(a_by) - dropped) | added == set(b_by)
    a_nums = {k: v.number for k, v in a_by.items()}
    b_nums = {k: v.number for k, v in b_by.items()}
    a_cites, b_cites = cite_map(a.document), cite_map(b.document)  # cross-references print as prose
    reported = changes.by_id()
    for cid in set(a_by) | set(b_by):
        old_text = "".join(t[1] for t in tokens(a_by[cid], a_nums, a_cites)) if cid in a_by else ""
        new_text = "".join(t[1] for t in tokens(b_by[cid], b_nums, b_cites)) if cid in b_by else ""
        ch = reported.get(cid)
        if ch is None:
            assert old_text == new_text and a_by[cid].number == b_by[cid].number
            continue
        if ch.words:
            assert (ch.old_text(), ch.new_text()) == (old_text, new_text)
        else:
            assert old_text == new_text
        if cid in a_by and cid in b_by:
            assert ch.has(RENUMBERED) == (a_by[cid].number != b_by[cid].number)
            assert ch.has(MOVED) == (a_by[cid].parent != b_by[cid].parent)
            amended = a_by[cid].raw_text != b_by[cid].raw_text and not b_by[cid].not_used
            assert ch.has(AMENDED) == amended or ch.has(REMOVED)


def test_twenty_copies_diff_as_twenty_times_one() -> None:
    """The diff of twenty copies of the example's versions is twenty copies of its diff (how its time
    grows is measured by ``python -m bench.diff_scale``, not asserted here)."""
    from bench.diff_scale import replicate
    from generator.app import api

    draft, _ = api.load("content")
    assert draft is not None
    old = api.release_project(draft, "v12")
    stride = max(len(old.document.sections), len(draft.document.sections))
    assert len(diff_projects(replicate(old, 20, stride), replicate(draft, 20, stride))[0].clauses) == \
        20 * len(diff_projects(old, draft)[0].clauses)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_without_words_the_same_changes_are_found(data: st.DataObject) -> None:
    a_sections = levels(data.draw(tree()))
    a = numbered(project(*a_sections))
    b = numbered(project(*levels(data.draw(edited(a_sections)))))
    full, _ = diff_projects(a, b)
    light, _ = diff_projects(a, b, words=False)
    assert [(x.id, x.kinds, x.old_number, x.new_number) for x in light.clauses] == \
        [(x.id, x.kinds, x.old_number, x.new_number) for x in full.clauses]
    assert all(not x.words and not x.heading_words for x in light.clauses)
    assert light.matrix == full.matrix
