"""The table of contents field (``TOC``): its cached result, and page numbers written into it.

Word shows a field's cached result until the field is updated; a TOC written without page
numbers therefore shows its entries without them, and no prompt is needed to open the file.
When the page numbers are known (laid out by LibreOffice for the PDF), :func:`set_pages`
writes them in as Word itself writes a TOC entry: a tab (the style's right tab with dot
leaders) and a ``PAGEREF`` field to the entry's bookmark whose cached result is the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from generator.ooxml import fields
from generator.ooxml.ns import w
from generator.ooxml.text import tab

__all__ = ["entries", "entry_text", "set_pages"]

_P, _T, _TAB = w("p"), w("t"), w("tab")
_FLDCHAR, _INSTR, _TYPE, _LINK, _ANCHOR = w("fldChar"), w("instrText"), w("fldCharType"), w("hyperlink"), w("anchor")


def entries(body: etree._Element) -> list[etree._Element]:
    """The paragraphs of the first TOC field's cached result (the paragraph holding the field's
    begin through the one holding its end); [] when the body has no TOC field."""
    out: list[etree._Element] = []
    depth = 0  # fields open inside the TOC (its PAGEREFs), the TOC itself counted
    pending = False  # a field began and its instruction is not read yet
    for p in body.iterchildren(_P):
        for el in p.iter(_FLDCHAR, _INSTR):
            if el.tag == _INSTR:
                if pending and not depth and (el.text or "").strip().upper().startswith("TOC"):
                    depth = 1
                    out.append(p)
                pending = False
                continue
            kind = el.get(_TYPE)
            if kind == "begin":
                if depth:
                    depth += 1
                else:
                    pending = True
            elif kind == "end" and depth:
                depth -= 1
                if not depth:
                    return out if out[-1] is p else [*out, p]
        if depth and (not out or out[-1] is not p):
            out.append(p)
    return []  # no TOC field, or one that never ends


def entry_text(p: etree._Element) -> str:
    """What an entry says before its page number: the text and tabs of the link it holds up
    to the first field in the link (its PAGEREF), trailing tabs dropped: number, tab, title."""
    link = p.find(_LINK)
    pieces: list[str] = []
    for el in (link if link is not None else p).iter(_T, _TAB, _FLDCHAR):
        if el.tag == _FLDCHAR:
            if link is not None:
                break
            continue
        pieces.append("\t" if el.tag == _TAB else el.text or "")
    return "".join(pieces).rstrip("\t")


def set_pages(body: etree._Element, pages: Sequence[str]) -> None:
    """Give the TOC entry paragraphs, in order, the page numbers ``pages`` (one per entry): a
    tab, then a ``PAGEREF`` field to the bookmark the entry links to, showing the page. An
    entry that already has its PAGEREF keeps it. ValueError when the counts differ or an entry
    links nowhere (not a contents this package wrote)."""
    found = entries(body)
    if len(found) != len(pages):
        raise ValueError(f"the contents have {len(found)} entries and {len(pages)} page numbers were given")
    for p, page in zip(found, pages, strict=True):
        link = p.find(_LINK)
        anchor = link.get(_ANCHOR, "") if link is not None else ""
        if link is None or not anchor:
            raise ValueError(f"the contents entry {entry_text(p)!r} links to no bookmark")
        if link.find(f".//{_FLDCHAR}") is not None:
            continue
        tab(link)
        fields.field(link, f"PAGEREF {anchor} \\h", page)
