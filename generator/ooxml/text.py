"""Paragraphs and runs built directly with lxml (fast: no python-docx proxies per call).

Text is made storable first: characters XML 1.0 cannot hold are dropped, a tab becomes
``w:tab`` and a line feed ``w:br``, so no input text can make the writer fail.
"""

from __future__ import annotations

import re

from lxml import etree

from generator.ooxml.ns import XML_SPACE, insert_ordered, w
from generator.ooxml.styles import RPR_ORDER

__all__ = ["add_text", "clear_paragraph", "empty_body", "format_run", "line_break", "page_break",
           "paragraph", "run", "tab", "xml_safe"]

_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE = w("p"), w("pPr"), w("pStyle"), w("r"), w("rPr"), w("rStyle")
_T, _TAB, _BR, _VAL, _TYPE = w("t"), w("tab"), w("br"), w("val"), w("type")

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PIECES = re.compile(r"(\t|\r\n|\r|\n)")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document cannot contain (controls, lone surrogates)."""
    return _ILLEGAL.sub("", text)


def paragraph(parent: etree._Element, style_id: str = "") -> etree._Element:
    """A new ``w:p`` appended to ``parent``, with ``w:pStyle`` when a style id is given."""
    p = etree.SubElement(parent, _P)
    if style_id:
        etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE, {_VAL: style_id})
    return p


def run(parent: etree._Element, text: str = "", style_id: str = "") -> etree._Element:
    """A new ``w:r`` appended to ``parent`` holding ``text`` (tabs and line breaks kept)."""
    r = etree.SubElement(parent, _R)
    if style_id:
        etree.SubElement(etree.SubElement(r, _RPR), _RSTYLE, {_VAL: style_id})
    add_text(r, text)
    return r


def add_text(r: etree._Element, text: str) -> None:
    """Append ``text`` to run ``r`` as ``w:t``/``w:tab``/``w:br`` children."""
    text = xml_safe(text)
    if "\t" not in text and "\n" not in text and "\r" not in text:
        _t(r, text)
        return
    for piece in _PIECES.split(text):
        if piece == "\t":
            etree.SubElement(r, _TAB)
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(r, _BR)
        elif piece:
            _t(r, piece)


def _t(r: etree._Element, text: str) -> None:
    if not text:
        return
    t = etree.SubElement(r, _T)
    t.text = text
    if text[0] == " " or text[-1] == " ":
        t.set(XML_SPACE, "preserve")


def tab(parent: etree._Element) -> etree._Element:
    """A run holding one ``w:tab``."""
    r = etree.SubElement(parent, _R)
    etree.SubElement(r, _TAB)
    return r


def line_break(parent: etree._Element) -> etree._Element:
    """A run holding one ``w:br`` (a line break inside the paragraph)."""
    r = etree.SubElement(parent, _R)
    etree.SubElement(r, _BR)
    return r


def page_break(parent: etree._Element) -> etree._Element:
    """A run holding a page break."""
    r = etree.SubElement(parent, _R)
    etree.SubElement(r, _BR, {_TYPE: "page"})
    return r


def clear_paragraph(p: etree._Element) -> etree._Element:
    """``p`` emptied of everything but its paragraph properties."""
    for child in list(p):
        if child.tag != _PPR:
            p.remove(child)
    return p


def empty_body(body: etree._Element) -> etree._Element:
    """Remove everything from ``body``; returns its final ``w:sectPr`` (detached, or a new
    empty one) to append again once the new content is in place."""
    sect_pr = body.find(w("sectPr"))
    for child in list(body):
        body.remove(child)
    return sect_pr if sect_pr is not None else etree.Element(w("sectPr"))


def format_run(r: etree._Element, *, color: str = "", underline: str = "", strike: bool = False,
               double_strike: bool = False, bold: bool = False) -> etree._Element:
    """Direct formatting on run ``r`` (colour as RRGGBB, underline as w:u's value)."""
    rpr = r.find(w("rPr"))
    if rpr is None:
        rpr = etree.Element(w("rPr"))
        r.insert(0, rpr)
    if bold:
        insert_ordered(rpr, etree.Element(w("b")), RPR_ORDER)
    if strike:
        insert_ordered(rpr, etree.Element(w("strike")), RPR_ORDER)
    if double_strike:
        insert_ordered(rpr, etree.Element(w("dstrike")), RPR_ORDER)
    if color:
        insert_ordered(rpr, etree.Element(w("color"), {w("val"): color}), RPR_ORDER)
    if underline:
        insert_ordered(rpr, etree.Element(w("u"), {w("val"): underline}), RPR_ORDER)
    return r
