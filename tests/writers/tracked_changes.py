"""Word tracked changes resolved as Word's Accept All / Reject All would, as an XML transform:
the oracle the redline tests (and the numbering property tests) hold the S1SR redline to."""

from __future__ import annotations

import copy
import io
import zipfile

import docx
from lxml import etree

from generator.writers.docx import LEVEL_STYLES, write_docx
from generator.writers.options import WriterOptions
from tests.diff_cases import c
from tests.factories import project
from tests.support import REPO

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def body_of(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")).find(f"{W}body")


def resolve(body: etree._Element, *, accept: bool) -> etree._Element:
    """What Word's Accept All (``accept``) or Reject All does to the body, as an XML transform
    written from ECMA-376 Part 1 §17.13.5: accept drops w:del and w:moveFrom (the content a move
    took away) and unwraps w:ins and w:moveTo; reject drops w:ins and w:moveTo and unwraps w:del
    (w:delText → w:t) and w:moveFrom; a paragraph or row whose mark is revised goes with its
    revision; the move range marks (w:moveFromRangeStart/End, w:moveToRangeStart/End) go;
    w:pPrChange is applied or dropped."""
    b = copy.deepcopy(body)
    keep, drop = (("ins", "moveTo"), ("del", "moveFrom")) if accept else (("del", "moveFrom"), ("ins", "moveTo"))
    for p in list(b.iter(f"{W}p")):
        if any(p.find(f"{W}pPr/{W}rPr/{W}{d}") is not None for d in drop):
            p.getparent().remove(p)
    for tr in list(b.iter(f"{W}tr")):
        if tr.find(f"{W}trPr/{W}{drop[0]}") is not None:
            tr.getparent().remove(tr)
    for el in list(b.iter(*(f"{W}{d}" for d in drop))):
        el.getparent().remove(el)
    for el in list(b.iter(*(f"{W}{k}" for k in keep))):
        parent = el.getparent()
        if parent.tag in (f"{W}rPr", f"{W}trPr"):
            parent.remove(el)
            continue
        for child in list(el):
            el.addprevious(child)
        parent.remove(el)
    for el in list(b.iter(*(f"{W}{m}Range{e}" for m in ("moveFrom", "moveTo") for e in ("Start", "End")))):
        el.getparent().remove(el)
    for el in b.iter(f"{W}delText"):
        el.tag = f"{W}t"
    for change in list(b.iter(f"{W}pPrChange")):
        ppr = change.getparent()
        ppr.remove(change)
        if not accept:
            old = change.find(f"{W}pPr")
            for child in [x for x in ppr if x.tag not in (f"{W}rPr", f"{W}sectPr")]:
                ppr.remove(child)
            for i, child in enumerate(old):
                ppr.insert(i, child)
    return b


def level_styles() -> set[str]:
    """Style ids of the clause paragraph styles (the same template for every document here)."""
    (data,) = write_docx(project(c("s")), WriterOptions(templates=str(REPO / "templates"))).values()
    styles = docx.Document(io.BytesIO(data)).styles
    return {styles[name].style_id for name in LEVEL_STYLES}


LEVELS = level_styles()


def clause_paragraphs(body: etree._Element) -> list[tuple[str, str]]:
    """(paragraph style, text) of every paragraph from the first clause on (tables included);
    the title page and the contents before it are left out."""
    out: list[tuple[str, str]] = []
    started = False
    for el in body:
        if el.tag == f"{W}sectPr":
            break
        style = el.find(f"{W}pPr/{W}pStyle")
        started = started or (style is not None and style.get(f"{W}val") in LEVELS)
        if not started:
            continue
        for p in el.iter(f"{W}p"):
            style = p.find(f"{W}pPr/{W}pStyle")
            text = "".join(n.text or "" if n.tag == f"{W}t" else "\t" if n.tag == f"{W}tab" else "\n"
                           for n in p.iter(f"{W}t", f"{W}tab", f"{W}br") if n.getparent().tag == f"{W}r")
            out.append(("" if style is None else style.get(f"{W}val"), text))
    return out


