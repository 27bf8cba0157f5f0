from __future__ import annotations

from lxml import etree

from generator.ooxml.fields import field, field_begin, field_end
from generator.ooxml.ns import W_NS
from generator.ooxml.settings import drop_update_fields

W = f"{{{W_NS}}}"


def _p() -> etree._Element:
    return etree.Element(W + "p", nsmap={"w": W_NS})


def test_a_field_is_begin_instruction_separate_result_end() -> None:
    p = _p()
    field(p, "PAGE", "1", dirty=True)
    kinds = [r[0].get(W + "fldCharType") or r[0].tag.removeprefix(W) for r in p]
    assert kinds == ["begin", "instrText", "separate", "t", "end"]
    assert p[0][0].get(W + "dirty") == "true" and p[1][0].text == " PAGE "


def test_a_field_may_span_paragraphs() -> None:
    first, last = _p(), _p()
    field_begin(first, "TOC")
    field_end(last)
    assert len(first) == 3 and last[0][0].get(W + "fldCharType") == "end"


def _settings(*names: str) -> etree._Element:
    children = "".join(f"<w:{n}/>" for n in names)
    return etree.fromstring(f'<w:settings xmlns:w="{W_NS}">{children}</w:settings>')


def test_update_fields_is_dropped_wherever_it_stands() -> None:
    s = _settings("zoom", "proofState", "updateFields", "compat", "updateFields")
    assert drop_update_fields(s) is True
    assert [c.tag.removeprefix(W) for c in s] == ["zoom", "proofState", "compat"]
    assert drop_update_fields(s) is False
