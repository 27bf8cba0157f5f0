"""Word tracked changes resolved as Word's Accept All / Reject All would, as an XML transform,
and what a reader of a project must see computed from the model alone: the oracle the redline
tests (and the numbering property tests) hold the S1SR redline to, independent of our writers."""

from __future__ import annotations

import copy
import io
import zipfile

import docx
from lxml import etree

from generator.model import Project, cite_map, plain_text, walk
from generator.writers.docx import LEVEL_STYLES, template_path
from generator.writers.options import WriterOptions

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


def _template_styles() -> dict[str, str]:
    """Style name → style id in the reference document, read with python-docx (not our writer)."""
    styles = docx.Document(template_path(WriterOptions())).styles
    return {s.name: s.style_id for s in styles if s.name}


STYLES = _template_styles()
LEVELS = {STYLES[name] for name in LEVEL_STYLES}
ANNEX_STYLE = "S1SR Annex"


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




def model_paragraphs(project: Project) -> list[tuple[str, str]]:
    """What a reader of ``project`` must see, paragraph by paragraph, computed from the model alone:
    each clause is its printed label, a tab and its heading or text ("[Not used]" for a tombstone)
    in its level's style (an annex's own heading in the annex style); a heading's text follows in
    a body paragraph of its own; cross-references read as prose citations; a table lists its
    cells row by row (header cells in the table heading style) and ends with an empty body
    paragraph."""
    clauses = list(walk(project.document.sections))
    numbers = {x.id: x.number for x in clauses}
    cites = cite_map(project.document)
    styles = [STYLES[name] for name in LEVEL_STYLES]
    out: list[tuple[str, str]] = []
    for x in clauses:
        style = styles[min(x.level, len(styles)) - 1 if x.level > 0 else -1]
        if x.annex and x.level == 1 and ANNEX_STYLE in STYLES:
            style = STYLES[ANNEX_STYLE]
        label = f"{x.label}\t" if x.label else ""
        words = plain_text(x.text, numbers, cites).rstrip()
        if x.not_used:
            out.append((style, label + "[Not used]"))
            continue
        if not x.heading:
            out.append((style, label + words))
        else:
            out.append((style, label + x.heading))
            if words:
                out.append((STYLES["S1SR Body"], words))
        t = x.table
        if t is not None and (t.header or any(t.rows)):
            width = max([len(t.header), *(len(r) for r in t.rows)])
            for row, name in [(t.header, "S1SR Table Heading")] * bool(t.header) + \
                    [(r, "S1SR Table Text") for r in t.rows]:
                out += [(STYLES[name], row[i] if i < len(row) else "") for i in range(width)]
            out.append((STYLES["S1SR Body"], ""))
    return out
