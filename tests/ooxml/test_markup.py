"""The text fragments against lxml: each fragment must be the bytes lxml writes for the same
elements built one by one (the oracle is lxml's serialiser, not ours)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from generator.ooxml import markup
from generator.ooxml.ns import W_NS
from generator.ooxml.text import paragraph, run

W = f"{{{W_NS}}}"
_DECLARATION = f' xmlns:w="{W_NS}"'


def _body() -> etree._Element:
    return etree.Element(W + "body", nsmap={"w": W_NS})


def _lxml(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode").replace(_DECLARATION, "", 1)


_STYLE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8).map(lambda s: s.replace("\x00", ""))


@given(st.text(), _STYLE)
def test_a_run_is_what_lxml_writes(text: str, style: str) -> None:
    from generator.ooxml.text import xml_safe

    style = xml_safe(style)
    assert markup.run(text, style) == _lxml(run(_body(), text, style))


@given(_STYLE, st.booleans(), st.one_of(st.none(), st.integers(0, 9000)), st.one_of(st.none(), st.integers(0, 8)),
       st.text(max_size=20))
def test_a_paragraph_is_what_lxml_writes(style: str, page_break: bool, indent: int | None, outline: int | None,
                                         text: str) -> None:
    from generator.ooxml.text import xml_safe

    style = xml_safe(style)
    p = paragraph(_body(), style)
    props = [("pageBreakBefore", {}) if page_break else None,
             ("ind", {W + "left": str(indent), W + "hanging": "0"}) if indent is not None else None,
             ("outlineLvl", {W + "val": str(outline)}) if outline is not None else None]
    if any(props) and not style:
        p.insert(0, etree.Element(W + "pPr"))
    for prop in props:
        if prop:
            etree.SubElement(p[0], W + prop[0], prop[1])
    if text:
        run(p, text)
    got = markup.paragraph(markup.run(text) if text else "", style, page_break_before=page_break, indent=indent,
                           outline_level=outline)
    assert got == _lxml(p)


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
def test_attribute_values_are_escaped_as_lxml_escapes_them(value: str) -> None:
    from generator.ooxml.text import xml_safe

    value = xml_safe(value)
    el = etree.Element(W + "hyperlink", {W + "anchor": value, W + "history": "1"}, nsmap={"w": W_NS})
    assert markup.link_start(value) + markup.link_end() == _lxml(el).replace("/>", "></w:hyperlink>")


def test_fragments_parse_back_into_blocks() -> None:
    fragment = markup.paragraph(markup.run("a & b < c"), "S") + markup.paragraph("")
    blocks = markup.elements(fragment)
    assert [b.tag for b in blocks] == [W + "p", W + "p"]
    assert "".join(blocks[0].itertext()) == "a & b < c"
