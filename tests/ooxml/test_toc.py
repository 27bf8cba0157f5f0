"""The TOC field's cached result: its entries found, page numbers written in as Word does."""

from __future__ import annotations

import pytest
from lxml import etree

from generator.ooxml.bookmarks import internal_link
from generator.ooxml.fields import field, field_begin, field_end
from generator.ooxml.ns import W_NS
from generator.ooxml.text import paragraph, run
from generator.ooxml.toc import entries, entry_text, set_pages

W = f"{{{W_NS}}}"


def _body(n: int, *, before: int = 1, after: int = 1) -> etree._Element:
    body = etree.Element(W + "body", nsmap={"w": W_NS})
    for i in range(before):
        field(paragraph(body), "PAGE", str(i))  # a field before the contents is not the contents
    ps = [paragraph(body) for _ in range(n)]
    field_begin(ps[0], r'TOC \o "1-1" \h \z \u')
    for i, p in enumerate(ps, start=1):
        run(internal_link(p, f"S1_{i}"), f"{i}\tSection {i}")
    field_end(ps[-1])
    for _ in range(after):
        run(paragraph(body), "body text")
    return body


@pytest.mark.parametrize("n", [1, 2, 5])
def test_entries_are_the_paragraphs_from_the_toc_begin_to_its_end(n: int) -> None:
    body = _body(n)
    found = entries(body)
    assert len(found) == n
    assert [entry_text(p) for p in found] == [f"{i}\tSection {i}" for i in range(1, n + 1)]


def test_no_toc_no_entries() -> None:
    body = etree.Element(W + "body", nsmap={"w": W_NS})
    field(paragraph(body), "PAGE", "1")
    assert entries(body) == []


def test_set_pages_writes_a_tab_and_a_pageref_as_word_does() -> None:
    body = _body(3)
    set_pages(body, ["3", "4", "10"])
    found = entries(body)  # still the same three: the PAGEREFs nest inside the TOC
    assert len(found) == 3
    link = found[2].find(W + "hyperlink")
    kinds = [(c.tag.removeprefix(W), c.get(W + "fldCharType", "")) for r in link for c in r]
    assert kinds == [("t", ""), ("tab", ""), ("t", ""), ("tab", ""), ("fldChar", "begin"), ("instrText", ""),
                     ("fldChar", "separate"), ("t", ""), ("fldChar", "end")]
    assert "".join(link.itertext(W + "instrText")).strip() == r"PAGEREF S1_3 \h"
    assert [t.text for t in link.iter(W + "t")][-1] == "10"
    assert entry_text(found[2]) == "3\tSection 3", "the page is not part of the entry's text"
    set_pages(body, ["3", "4", "10"])  # an entry that has its page keeps it
    assert len(list(found[2].iter(W + "instrText"))) == 1


def test_set_pages_refuses_a_count_that_does_not_fit() -> None:
    with pytest.raises(ValueError, match="3 entries and 2 page numbers"):
        set_pages(_body(3), ["1", "2"])
