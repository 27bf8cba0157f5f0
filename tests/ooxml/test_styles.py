from __future__ import annotations

from lxml import etree

from generator.ooxml.ns import W_NS
from generator.ooxml.styles import prune_styles, set_language, set_outline_level, set_table_borders

W = f"{{{W_NS}}}"


def _style(inner: str) -> etree._Element:
    return etree.fromstring(f'<w:style xmlns:w="{W_NS}" w:styleId="S">{inner}</w:style>')


def _names(el: etree._Element) -> list[str]:
    return [c.tag.removeprefix(W) for c in el]


def test_outline_level_goes_into_ppr_in_order() -> None:
    s = _style('<w:name w:val="S"/><w:pPr><w:keepNext/><w:jc w:val="left"/></w:pPr><w:rPr/>')
    set_outline_level(s, 0)
    assert _names(s[1]) == ["keepNext", "jc", "outlineLvl"]
    s = _style('<w:name w:val="S"/><w:rPr/>')
    set_outline_level(s, 1)
    assert _names(s) == ["name", "pPr", "rPr"] and s[1][0].get(W + "val") == "1"


def test_language_and_table_borders() -> None:
    s = _style('<w:name w:val="S"/><w:rPr><w:sz w:val="22"/></w:rPr>')
    set_language(s, "en-GB")
    assert _names(s[1]) == ["sz", "lang"]
    set_table_borders(s)
    assert _names(s) == ["name", "rPr", "tblPr"]
    assert _names(s[2][0]) == ["top", "left", "bottom", "right", "insideH", "insideV"]


def test_prune_styles_removes_dangling_references() -> None:
    root = etree.fromstring(
        f'<w:styles xmlns:w="{W_NS}">'
        '<w:style w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/><w:link w:val="C"/></w:style>'
        '<w:style w:styleId="B"><w:name w:val="B"/></w:style>'
        '<w:style w:styleId="C"><w:name w:val="C"/><w:next w:val="A"/></w:style>'
        '</w:styles>')
    assert prune_styles(root, {"A", "C"}) == ["B"]
    assert [_names(s) for s in root] == [["name", "link"], ["name", "next"]]
