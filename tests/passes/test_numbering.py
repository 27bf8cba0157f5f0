from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import ChangeSet, Clause, Renumbering, counters, walk
from generator.passes.numbering import number_project, parse_reference
from tests.factories import S1SR_SCHEME, clause, numbers, project, release_of


def codes(diags: list) -> list[str]:
    return [d.code for d in diags]


@pytest.mark.parametrize(("n", "style", "text"), [
    (1, "decimal", "1"), (18, "decimal", "18"), (1, "lower-alpha", "a"), (16, "lower-alpha", "p"),
    (26, "lower-alpha", "z"), (27, "lower-alpha", "aa"), (28, "lower-alpha", "bb"), (1, "upper-alpha", "A"),
    (1, "lower-roman", "i"), (4, "lower-roman", "iv"), (9, "lower-roman", "ix"), (14, "lower-roman", "xiv"),
    (1994, "upper-roman", "MCMXCIV"),
])
def test_counter_render_and_parse(n: int, style: str, text: str) -> None:
    assert counters.render(n, style) == text
    assert counters.parse(text, style) == n


@pytest.mark.parametrize(("text", "style"), [("iiii", "lower-roman"), ("ab", "lower-alpha"), ("01", "decimal"),
                                              ("A", "lower-alpha"), ("", "decimal")])
def test_counter_rejects_non_canonical(text: str, style: str) -> None:
    assert counters.parse(text, style) is None


def test_s1sr_numbers_computed_from_the_tree() -> None:
    subs = [clause(f"s{i}") for i in range(1, 20)]
    subs[15] = clause("s16", clause("i1"), clause("i2"), clause("i3"))
    p = project(*(clause(f"sec{i}") for i in range(1, 18)),
                clause("sec18", *(clause(f"c{i}") for i in range(1, 5)), clause("c5", *subs)))
    numbered, diags = number_project(p)
    assert not diags
    got = numbers(numbered)
    assert got["sec18"] == "18"
    assert got["c5"] == "18.5"
    assert got["s16"] == "18.5p"
    assert got["s19"] == "18.5s"
    assert [got[i] for i in ("i1", "i2", "i3")] == ["18.5p(i)", "18.5p(ii)", "18.5p(iii)"]
    labels = {c.id: c.label for c in walk(numbered.document.sections)}
    assert labels["s16"] == "(p)" and labels["i2"] == "(ii)"


def _released(*sections: Clause) -> tuple:
    numbered, diags = number_project(project(*sections))
    assert not diags
    return numbered, release_of(numbered)


def test_insertion_after_frozen_numbers_takes_a_suffix() -> None:
    base = (clause("a", clause("a1"), clause("a2", clause("x1"), clause("x2", clause("r1"), clause("r2")))),)
    _, rel = _released(*base)
    draft = project(clause("a", clause("a1"), clause("new1"), clause("a2", clause("x1"), clause("new2"), clause("x2",
                    clause("r1"), clause("new3"), clause("r2"))), clause("tail")), releases=(rel,))
    numbered, diags = number_project(draft)
    assert not [d for d in diags if d.severity.value == "error"]
    got = numbers(numbered)
    assert got["new1"] == "1.1A"
    assert got["new2"] == "1.2ab"  # "1.2aa" would read as the 27th sub-clause
    assert got["new3"] == "1.2b(ia)"
    assert got["tail"] == "1.3"  # after the last frozen sibling: the next plain number
    assert got["a2"] == "1.2" and got["x2"] == "1.2b" and got["r2"] == "1.2b(ii)"


def test_removed_clause_must_stay_as_not_used() -> None:
    _, rel = _released(clause("a", clause("a1"), clause("a2"), clause("a3")))
    _gone, diags = number_project(project(clause("a", clause("a1"), clause("a3")), releases=(rel,)))
    assert "S1SR304" in codes(diags)
    kept, diags = number_project(project(clause("a", clause("a1"), clause("a2", not_used=True), clause("a3")),
                                         releases=(rel,)))
    assert not diags
    assert numbers(kept)["a3"] == "1.3"


def test_moving_a_released_clause_needs_a_declaration() -> None:
    items = (clause("i1"), clause("i2"))
    _, rel = _released(clause("s", clause("c", clause("p", *items), clause("q"), clause("r"))))
    # The 18.5 error: items become siblings after p, everything after shifts.
    moved = project(clause("s", clause("c", clause("p"), *items, clause("q"), clause("r"))), releases=(rel,))
    _, diags = number_project(moved)
    undeclared = [d for d in diags if d.code == "S1SR103"]
    assert {d.location.clause_id for d in undeclared} == {"i1", "i2"}
    # Declared, the renumbering goes through and is reported as information.
    changes = ChangeSet(against="r1", renumber=(Renumbering(clauses=("i1", "i2"), reason="test"),))
    _numbered, diags = number_project(replace(moved, changes=changes))
    assert "S1SR103" not in codes(diags)
    assert codes(diags).count("S1SR104") == 2


def test_duplicate_number_from_a_declared_renumbering() -> None:
    _, rel = _released(clause("s", clause("a"), clause("b"), clause("c")))
    p = project(clause("s", clause("a"), clause("x"), clause("b"), clause("c")), releases=(rel,))
    changes = ChangeSet(renumber=(Renumbering(clauses=("x",), reason="r"),))
    # x is new, so its declaration is useless, and it is numbered as an insertion.
    numbered, diags = number_project(replace(p, changes=changes))
    assert "S1SR107" in codes(diags)
    assert numbers(numbered)["x"] == "1.1A"


def test_scheme_with_missing_level_is_reported() -> None:
    short = replace(S1SR_SCHEME, levels=S1SR_SCHEME.levels[:2])
    _, diags = number_project(project(clause("s", clause("c", clause("deep"))), scheme=short))
    assert codes(diags) == ["S1SR101"]
    assert "level 3" in diags[0].message


def test_ambiguous_scheme_is_reported() -> None:
    bad = replace(S1SR_SCHEME, levels=(replace(S1SR_SCHEME.levels[0], insert="decimal"),
                                       replace(S1SR_SCHEME.levels[1], ref="{n}")))
    _, diags = number_project(project(clause("s")))
    assert not diags
    _, diags = number_project(project(clause("s"), scheme=bad))
    assert codes(diags) == ["S1SR101", "S1SR101"]


# -- properties ------------------------------------------------------------------------
def _tree(draw: st.DrawFn, depth: int, prefix: str) -> tuple[Clause, ...]:
    n = draw(st.integers(min_value=1, max_value=6 if depth < 3 else 3))
    out = []
    for i in range(n):
        cid = f"{prefix}{i}"
        kids = _tree(draw, depth + 1, cid + ".") if depth < 4 and draw(st.booleans()) else ()
        out.append(Clause(id=cid, raw_text="t", children=kids))
    return tuple(out)


trees = st.composite(lambda draw: _tree(draw, 1, "c"))()


@settings(max_examples=150, deadline=None)
@given(trees)
def test_numbers_parse_back_to_their_position(sections: tuple[Clause, ...]) -> None:
    numbered, diags = number_project(project(*sections))
    assert not diags
    for c in walk(numbered.document.sections):
        ords = parse_reference(S1SR_SCHEME, c.number)
        assert ords is not None and ords[-1] == c.ordinal and len(ords) == c.level


@st.composite
def edits(draw: st.DrawFn) -> tuple[tuple[Clause, ...], tuple[Clause, ...]]:
    base = _tree(draw, 1, "c")
    counter = iter(range(10_000))

    def mutate(clauses: tuple[Clause, ...], depth: int) -> tuple[Clause, ...]:
        out: list[Clause] = []
        for c in clauses:
            if draw(st.integers(0, 5)) == 0:
                out.append(Clause(id=f"new{next(counter)}", raw_text="inserted"))
            if draw(st.integers(0, 6)) == 0:
                out.append(replace(c, not_used=True, raw_text="", children=()))
                continue
            out.append(replace(c, children=mutate(c.children, depth + 1)))
        if depth < 4 and draw(st.integers(0, 4)) == 0:
            out.append(Clause(id=f"new{next(counter)}", raw_text="appended"))
        return tuple(out)

    return base, mutate(base, 1)


@settings(max_examples=150, deadline=None)
@given(edits())
def test_insertions_and_removals_never_change_a_released_number(pair: tuple) -> None:
    base, draft = pair
    numbered, _ = number_project(project(*base))
    rel = release_of(numbered)
    after, diags = number_project(project(*draft, releases=(rel,)))
    frozen = {c.id: c.number for c in rel.clauses}
    now = numbers(after)
    for cid, num in frozen.items():
        if cid in now:
            assert now[cid] == num
    errors = [d for d in diags if d.severity.value == "error" and d.code != "S1SR105"]
    assert not errors, errors
    values = [n for n in now.values() if n]
    nofree = [d for d in diags if d.code == "S1SR105"]
    if not nofree:
        assert len(values) == len(set(values))
        for c in walk(after.document.sections):
            assert parse_reference(S1SR_SCHEME, c.number)[-1] == c.ordinal


def test_released_annex_numbers_are_frozen_and_an_inserted_annex_takes_a_letter() -> None:
    from dataclasses import replace

    def annex(cid: str) -> Clause:
        return replace(clause(cid, replace(clause(f"{cid}-1", text="x"), annex=True)), annex=True)

    body = clause("s", clause("s-1", text="z"))
    released, _ = number_project(project(body, annex("a"), annex("b")))
    rel = release_of(released)
    assert {c.id: c.number for c in rel.clauses if c.level == 1} == {"s": "1", "a": "A", "b": "B"}
    draft, diags = number_project(project(body, annex("a"), annex("new"), annex("b"), releases=(rel,)))
    assert [d.code for d in diags if d.severity.value == "error"] == []
    assert numbers(draft)["new"] == "Aa" and numbers(draft)["new-1"] == "Aa.1" and numbers(draft)["b"] == "B"
    # A section may not take a released annex's place: moving the body into the annexes is a renumbering.
    _moved, diags = number_project(project(annex("a"), annex("b"), replace(body, annex=True), releases=(rel,)))
    assert "S1SR103" in [d.code for d in diags]


# -- the rule of frozen numbers: a designated number is never given to other text ----------------
def _draft(*sections: Clause, releases: tuple, renumber: tuple[Renumbering, ...] = ()) -> tuple:
    changes = ChangeSet(against=releases[-1].name, renumber=renumber) if releases else None
    numbered, diags = number_project(replace(project(*sections, releases=releases), changes=changes))
    return numbered, diags


def _shown(p) -> list[tuple[str, str, bool]]:
    return [(c.number, c.id, c.not_used) for c in walk(p.document.sections)]


K = ("k", "a", "b", "c")  # a section 1 with sub-clauses 1.1 to 1.4


def _base() -> tuple:
    return _released(clause("s", *(clause(x) for x in K)))


def test_a_moved_clause_leaves_its_number_not_used_and_a_new_clause_takes_an_insertion() -> None:
    """The 18.5k story in small: 'a' (1.2) moves to the end, declared; a new clause where it was
    takes 1.1A, never 1.2, which reads [Not used]."""
    _, rel = _base()
    moved, diags = _draft(clause("s", clause("k"), clause("new"), clause("b"), clause("c"), clause("a")),
                          releases=(rel,), renumber=(Renumbering(clauses=("a",), reason="moved"),))
    assert _shown(moved) == [("1", "s", False), ("1.1", "k", False), ("1.1A", "new", False),
                            ("1.2", "~1.2", True), ("1.3", "b", False), ("1.4", "c", False), ("1.5", "a", False)]
    tomb = next(c for c in walk(moved.document.sections) if c.id == "~1.2")
    assert tomb.vacated_by == "a" and tomb.label == "1.2"
    (note,) = [d for d in diags if d.code == "S1SR104"]
    assert "1.2 → 1.5" in note.message and "1.2 reads [Not used]" in note.message
    assert not [d for d in diags if d.severity.value == "error"]


def test_an_undeclared_move_is_an_error_that_says_what_to_write() -> None:
    _, rel = _base()
    _, diags = _draft(clause("s", clause("k"), clause("b"), clause("c"), clause("a")), releases=(rel,))
    (err,) = [d for d in diags if d.severity.value == "error"]
    assert err.code == "S1SR106" and "would now be 1.5" in err.message
    assert "changes.yaml" in err.help and "  - clauses: [a]\n    reason: <why 1.2 becomes 1.5>" in err.help


def test_a_new_clause_never_takes_a_number_left_by_a_removed_clause() -> None:
    _, rel = _base()
    p, diags = _draft(clause("s", clause("k"), clause("new"), clause("b"), clause("c")), releases=(rel,))
    assert ("1.2", "~1.2", True) in _shown(p) and numbers(p)["new"] == "1.1A"
    (gone,) = [d for d in diags if d.code == "S1SR304"]
    assert "- id: a\n  not_used: true" in gone.help and "after 'k'" in gone.help


def test_a_not_used_clause_keeps_its_number_and_its_children_need_no_tombstones() -> None:
    _, rel = _released(clause("s", clause("k", clause("i1"), clause("i2")), clause("a")))
    p, diags = _draft(clause("s", clause("k", not_used=True), clause("a")), releases=(rel,))
    assert _shown(p) == [("1", "s", False), ("1.1", "k", True), ("1.2", "a", False)]
    assert not diags


def test_restoring_an_earlier_number_needs_takes_over_and_only_gives_it_back() -> None:
    """v1: a=1.2; v2: 'a' moved to the end (1.2 left [Not used]); v3 puts it back, naming 1.2."""
    _, v1 = _base()
    v2_draft, _ = _draft(clause("s", clause("k"), clause("b"), clause("c"), clause("a")), releases=(v1,),
                         renumber=(Renumbering(clauses=("a",), reason="moved"),))
    v2 = release_of(v2_draft, "v2", date="2024-06-01", against="r1")
    back = clause("s", clause("k"), clause("a"), clause("b"), clause("c"))
    unnamed, diags = _draft(back, releases=(v1, v2), renumber=(Renumbering(clauses=("a",), reason="back"),))
    assert numbers(unnamed)["a"] == "1.1A" and ("1.2", "~1.2", True) in _shown(unnamed)
    named, diags = _draft(back, releases=(v1, v2),
                          renumber=(Renumbering(clauses=("a",), reason="back", takes_over=("1.2",)),))
    assert numbers(named)["a"] == "1.2" and "~1.2" not in numbers(named)
    assert ("1.5", "~1.5", True) in _shown(named)  # the number it leaves now
    (note,) = [d for d in diags if d.code == "S1SR104"]
    assert "takes back 1.2" in note.message and not [d for d in diags if d.severity.value == "error"]
    # Another clause cannot take 1.2 by naming it: it never held it.
    other, diags = _draft(clause("s", clause("k"), clause("new"), clause("b"), clause("c"), clause("a")),
                          releases=(v1, v2), renumber=(Renumbering(clauses=("new",), reason="x", takes_over=("1.2",)),))
    assert numbers(other)["new"] == "1.1A" and ("1.2", "~1.2", True) in _shown(other)
    assert "S1SR111" in codes(diags)


def test_a_stale_takes_over_neither_frees_the_number_nor_passes_silently() -> None:
    _, v1 = _base()
    p, diags = _draft(clause("s", clause("k"), clause("b"), clause("c"), clause("a")), releases=(v1,),
                      renumber=(Renumbering(clauses=("a",), reason="moved", takes_over=("1.2",)),))
    assert ("1.2", "~1.2", True) in _shown(p)
    (stale,) = [d for d in diags if d.code == "S1SR111"]
    assert "no clause is numbered 1.2" in stale.message and stale.help == "remove \"1.2\" from 'takes_over:'"


def test_a_declared_clause_that_stays_keeps_its_number() -> None:
    _, v1 = _base()
    p, diags = _draft(clause("s", *(clause(x) for x in K)), releases=(v1,),
                      renumber=(Renumbering(clauses=("b",), reason="no-op"),))
    assert numbers(p)["b"] == "1.3" and not [c for c in walk(p.document.sections) if c.not_used]
    assert codes(diags) == ["S1SR107"]


def test_a_clause_given_a_designated_number_is_an_error_naming_the_owner() -> None:
    """The one way left for a number to reach other text: a parent restored to its earlier number
    brings a child whose number there was designated for another clause. It is an error."""
    _, v1 = _released(clause("s", clause("k"), clause("p", clause("e"))))  # p = 1.2, e = 1.2a
    d2, _ = _draft(clause("s", clause("k"), clause("e")), clause("t", clause("p", clause("c"))), releases=(v1,),
                   renumber=(Renumbering(clauses=("p", "e"), reason="e out of p, p to section 2"),))
    v2 = release_of(d2, "v2", date="2024-06-01", against="r1")
    assert [numbers(d2)[x] for x in ("e", "~1.2", "p", "c")] == ["1.1A", "1.2", "2.1", "2.1a"]
    d3, diags = _draft(clause("s", clause("k"), clause("e"), clause("p", clause("c"))), clause("t"),
                       releases=(v1, v2),
                       renumber=(Renumbering(clauses=("p",), reason="p back", takes_over=("1.2",)),))
    assert numbers(d3)["p"] == "1.2" and numbers(d3)["c"] == "1.2a"
    (taken,) = [d for d in diags if d.code == "S1SR110"]
    assert taken.location.clause_id == "c"
    assert "'c' would be numbered 1.2a, which release r1 designated for 'e'" in taken.message
    assert "place 'c' elsewhere" in taken.help


def test_tombstones_carry_over_releases_and_older_releases_count() -> None:
    """A number left [Not used] stays so in the next release, and the next draft keeps it."""
    _, v1 = _base()
    d2, _ = _draft(clause("s", clause("k"), clause("b"), clause("c"), clause("a")), releases=(v1,),
                   renumber=(Renumbering(clauses=("a",), reason="moved"),))
    v2 = release_of(d2, "v2", date="2024-06-01", against="r1")
    assert ("~1.2", "1.2", True) in [(c.id, c.number, c.not_used) for c in v2.clauses]
    d3, diags = _draft(clause("s", clause("k"), clause("new"), clause("b"), clause("c"), clause("a")),
                       releases=(v1, v2))
    assert numbers(d3)["new"] == "1.1A" and ("1.2", "~1.2", True) in _shown(d3) and not diags
