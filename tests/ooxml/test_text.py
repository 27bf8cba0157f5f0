from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from generator.ooxml.ns import W_NS, XML_SPACE
from generator.ooxml.text import page_break, paragraph, run, xml_safe

W = f"{{{W_NS}}}"


def _body() -> etree._Element:
    return etree.Element(W + "body", nsmap={"w": W_NS})


def test_xml_safe_drops_only_what_xml_cannot_hold() -> None:
    assert xml_safe("a\x00b\x08c\x0bd\x0ce\x1ff\x7fg\ufffeh\uffffi\ud800j") == "abcdef\x7fghij"
    assert xml_safe("tab\tlf\ncr\r€😀") == "tab\tlf\ncr\r€😀"


@given(st.text())
def test_any_text_serialises_and_reads_back_without_error(s: str) -> None:
    p = paragraph(_body(), "S")
    run(p, s)
    again = etree.fromstring(etree.tostring(p))
    assert "".join(again.itertext()) == "".join(xml_safe(s).replace("\t", "").replace("\r", "").split("\n"))


def test_tabs_and_line_breaks_become_elements() -> None:
    r = run(_body(), " a\tb\r\nc\n ", "Strong")
    assert [c.tag.removeprefix(W) for c in r] == ["rPr", "t", "tab", "t", "br", "t", "br", "t"]
    assert r[0][0].get(W + "val") == "Strong"
    assert r[1].get(XML_SPACE) == "preserve" and r[3].get(XML_SPACE) is None and r[-1].text == " "


def test_paragraph_style_and_page_break() -> None:
    body = _body()
    p = paragraph(body, "S1SRClause")
    assert etree.tostring(p[0]) == f'<w:pPr xmlns:w="{W_NS}"><w:pStyle w:val="S1SRClause"/></w:pPr>'.encode()
    assert len(paragraph(body)) == 0
    assert page_break(p)[0].get(W + "type") == "page"
