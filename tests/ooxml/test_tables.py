from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.ooxml import markup
from generator.ooxml.ns import W_NS
from generator.ooxml.tables import apportion, fit_widths, split_width

W = f"{{{W_NS}}}"


@given(st.integers(0, 20000), st.lists(st.integers(-5, 1000), max_size=12))
def test_apportion_adds_up_exactly(total: int, weights: list[int]) -> None:
    got = apportion(total, weights)
    assert len(got) == len(weights)
    assert not weights or sum(got) == total
    assert all(g >= 0 for g in got)


def test_split_width_is_near_equal() -> None:
    assert split_width(10, 3) == [4, 3, 3]
    assert split_width(10, 0) == []


def test_fit_widths_gives_long_words_room_first() -> None:
    widths = fit_widths(6000, [["Randomisation offset"], ["a", "b"], ["x"]])
    assert sum(widths) == 6000 and widths[0] > widths[1] and widths[0] >= 216 + 140 * len("Randomisation")


def test_table_structure_is_in_schema_order() -> None:
    cell = markup.table_cell(100, markup.paragraph(markup.run("x")))
    fragment = (markup.table_start([100, 200], style_id="T", indent=50) + markup.table_row_start(header=True)
                + cell + markup.table_row_end() + markup.table_end())
    (tbl,) = markup.elements(fragment)
    tr = tbl[2]
    tc = tr[1]
    assert [c.tag.removeprefix(W) for c in tbl] == ["tblPr", "tblGrid", "tr"]
    assert [c.tag.removeprefix(W) for c in tbl[0]] == ["tblStyle", "tblW", "tblInd", "tblLayout", "tblLook"]
    assert tbl[0][1].get(W + "w") == "300"
    assert [g.get(W + "w") for g in tbl[1]] == ["100", "200"]
    assert [c.tag.removeprefix(W) for c in tr[0]] == ["cantSplit", "tblHeader"]
    assert tc[0][0].tag == W + "tcW" and tc[0][0].get(W + "w") == "100"
    assert [c.tag.removeprefix(W) for c in tc] == ["tcPr", "p"]
