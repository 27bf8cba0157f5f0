"""The absorb passes: markup from edited text, the word-by-word three-way merge, applies_to
rewritten for DMVESM cell edits. Properties hold for all inputs hypothesis finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import AppliesTo, Span
from generator.passes.absorb import citations, display_runs, markup
from generator.passes.absorb_merge import cells_of, merge3, rewrite_applies
from generator.readers.inline import parse_inline

NUMBERS = {"pd-range": "18.4", "pd-lg": "18.5d", "intro": "1"}
CITES = {"pd-range": "clause 18.4", "pd-lg": "clause 18.5d", "intro": "Section 1"}
BY_NUMBER = citations(NUMBERS, CITES)
HERE = Span(file="t.yaml")


def _runs(raw: str) -> list[tuple[str, str]]:
    return display_runs(parse_inline(raw, HERE), NUMBERS, CITES)


def test_an_unchanged_link_is_kept_even_where_the_link_itself_was_lost() -> None:
    base = _runs("Save as [[pd-range]] provides, a meter records **Profile Data** hourly.")
    edited = [("Save as clause 18.4 provides, a meter records ", ""), ("Profile Data", "term"),
              (" every half hour.", "")]
    raw, notes = markup(edited, base, NUMBERS, BY_NUMBER)
    assert raw == "Save as [[pd-range]] provides, a meter records **Profile Data** every half hour."
    assert notes == []


def test_a_link_showing_another_number_points_at_that_clause() -> None:
    edited = [("See ", ""), ("clause 18.5d", "xref:pd-range"), (" and ", ""), ("18.4", "xref:pd-range"), (".", "")]
    raw, notes = markup(edited, _runs("See [[pd-range]]."), NUMBERS, BY_NUMBER)
    assert raw == "See [[pd-lg]] and [[#pd-range]]." and not notes


def test_a_link_typed_over_is_plain_text_with_a_note() -> None:
    edited = [("See ", ""), ("the clause above", "xref:pd-range"), (".", "")]
    raw, notes = markup(edited, _runs("See [[pd-range]]."), NUMBERS, BY_NUMBER)
    assert raw == "See the clause above." and notes == ["the link to 18.4 now reads 'the clause above'"]


WORD = st.sampled_from(["meter", "Profile", "Data", "SRV", "4.8.1", "ESME", "the", "shall", "Secure", "months",
                        "(a)", "and", ",", ";", "L&G", "30", "minutes", "reactive"])
RUN = st.one_of(
    st.tuples(st.lists(WORD, min_size=1, max_size=6).map(" ".join), st.sampled_from(["", "term", "emph"])),
    st.sampled_from(sorted(NUMBERS)).map(lambda cid: (CITES[cid], f"xref:{cid}")),
    st.sampled_from(sorted(NUMBERS)).map(lambda cid: (NUMBERS[cid], f"xref:#{cid}")),
)


@given(st.lists(RUN, min_size=1, max_size=8))
def test_markup_reads_back_as_the_edited_text(runs: list[tuple[str, str]]) -> None:
    """Formatted words are apart from each other (a bold word run straight into an italic one has
    no markup: ABS106 reports it)."""
    spaced: list[tuple[str, str]] = []
    for t, s in runs:
        spaced += [(f" {t} ", "")] if s == "" else [(t, s), (" ", "")]
    raw, notes = markup(spaced, [], NUMBERS, BY_NUMBER)
    assert not notes
    back = "".join(t for t, _ in _runs(raw))
    # (A citation starting a sentence is capitalised by the writer: compare without case.)
    assert " ".join(back.split()).lower() == " ".join("".join(t for t, _ in spaced).split()).lower()
    styles = [s for _, s in _runs(raw) if s]
    assert styles == [s for t, s in spaced if s and t.strip()]


# Distinct words: where the same word repeats, where an insertion goes is a matter of alignment.
TOKENS = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "[[x]]", "**T**", "epsilon", "zeta", "eta",
                                   "theta", "iota", "kappa", "lambda", "mu"]), min_size=6, max_size=14, unique=True)


@given(TOKENS, st.data())
def test_merge3_keeps_both_edits_where_they_do_not_touch(words: list[str], data: st.DataObject) -> None:
    base = " ".join(words)
    cut = data.draw(st.integers(min_value=2, max_value=len(words) - 3))
    mine = [*words[:cut - 1], "MINE", *words[cut - 1:]]
    theirs = [*words[:cut + 2], "THEIRS", *words[cut + 2:]]
    merged = merge3(base, " ".join(mine), " ".join(theirs))
    assert merged is not None
    assert merged.split() == [*words[:cut - 1], "MINE", *words[cut - 1:cut + 2], "THEIRS", *words[cut + 2:]]


def test_merge3_refuses_edits_of_the_same_words() -> None:
    assert merge3("a b c d", "a X c d", "a Y c d") is None
    assert merge3("a b c d", "a X c d", "a X c d") == "a X c d"


GROUPS = {"all-esme": ("secure", "lg", "itron"), "secure-meters": ("secure", "secure-gas")}
DEVICES = ("secure", "lg", "itron", "secure-gas")
SRVS = ("1.1", "4.8.1", "4.8.2", "6.12")
ENTRY = st.builds(lambda s, d: AppliesTo(srvs=tuple(dict.fromkeys(s)), devices=tuple(dict.fromkeys(d))),
                  st.lists(st.sampled_from(SRVS), min_size=1, max_size=3),
                  st.lists(st.sampled_from((*DEVICES, *GROUPS)), min_size=1, max_size=3))


@settings(max_examples=200)
@given(st.lists(ENTRY, max_size=3), st.sets(st.tuples(st.sampled_from(SRVS), st.sampled_from(DEVICES))))
def test_rewritten_applies_to_covers_exactly_the_cells_asked_for(entries: list[AppliesTo],
                                                                 target: set[tuple[str, str]]) -> None:
    order = {d: i for i, d in enumerate(DEVICES)}
    out = rewrite_applies(tuple(entries), target, GROUPS, order)
    assert cells_of(out, GROUPS) == target
    if cells_of(entries, GROUPS) == target:
        assert out == tuple(entries)


def test_an_entry_that_loses_one_cell_keeps_its_group_for_the_others() -> None:
    entries = (AppliesTo(srvs=("4.8.1", "4.8.2"), devices=("all-esme",)),)
    target = cells_of(entries, GROUPS) - {("4.8.2", "lg")}
    out = rewrite_applies(entries, target, GROUPS, {d: i for i, d in enumerate(DEVICES)})
    assert AppliesTo(srvs=("4.8.1",), devices=("all-esme",)) in out
    assert cells_of(out, GROUPS) == target
