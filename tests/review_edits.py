"""Edits a reviewer makes in Word, made with python-docx and lxml on a built S1SR .docx: plain
edits, tracked changes (w:ins / w:del with an author), new paragraphs, deletions, moves and
comments. The tests of ``s1sr absorb`` use them; they know nothing of the reader."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WHEN = dt.datetime(2025, 5, 6, 10, 30, tzinfo=dt.UTC)


def open_doc(path: Path) -> DocxDocument:
    return docx.Document(str(path))


def clause_paragraph(doc: DocxDocument, number: str) -> Paragraph:
    """The paragraph that starts with ``number`` + tab (full numbers for levels 1-2; the label
    "(b)" for deeper ones is ambiguous, so give the parent too: "18.5" + "(b)")."""
    parent, _, label = number.partition("|")
    found_parent = not label
    for p in doc.paragraphs:
        if not found_parent:
            found_parent = p.text.startswith(parent + "\t")
            continue
        if p.text.startswith((label or parent) + "\t"):
            return p
    raise KeyError(number)


def text_of(p: Paragraph) -> Paragraph:
    """The paragraph holding a clause's words: ``p`` itself, or, where ``p`` is a heading, the
    paragraph after it."""
    if any(r.style is not None and "Heading" in str(r.style.name) for r in p.runs):
        nxt = p._p.getnext()
        if nxt is not None and nxt.tag == qn("w:p"):
            return Paragraph(nxt, p._parent)
    return p


def replace_text(p: Paragraph, old: str, new: str) -> None:
    """A plain (untracked) edit inside one run (of the clause's text paragraph)."""
    for r in text_of(p).runs:
        if old in r.text:
            r.text = r.text.replace(old, new, 1)
            return
    raise KeyError(old)


def _rev(tag: str, author: str, rev_id: int) -> etree._Element:
    return etree.Element(qn(tag), {qn("w:id"): str(rev_id), qn("w:author"): author,
                                   qn("w:date"): WHEN.strftime("%Y-%m-%dT%H:%M:%SZ")})


def _run_like(r: etree._Element, text: str, tag: str = "w:t") -> etree._Element:
    """A run with ``r``'s properties holding ``text`` (as w:t, or w:delText in a deletion)."""
    new = etree.Element(qn("w:r"))
    rpr = r.find(qn("w:rPr"))
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    t = etree.SubElement(new, qn(tag))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return new


def tracked_replace(p: Paragraph, old: str, new: str, author: str, rev_id: int = 9001) -> None:
    """A tracked change: ``old`` deleted and ``new`` inserted, by ``author``."""
    p = text_of(p)
    for r in p.runs:
        text = r.text
        at = text.find(old)
        if at < 0 or "\t" in text or "\n" in text:
            continue
        before, after = text[:at], text[at + len(old):]
        d = _rev("w:del", author, rev_id)
        d.append(_run_like(r._r, old, "w:delText"))
        ins = _rev("w:ins", author, rev_id + 1)
        ins.append(_run_like(r._r, new))
        r._r.addnext(d)
        d.addnext(ins)
        if after:
            ins.addnext(_run_like(r._r, after))
        if before:
            r.text = before
        else:
            r._r.getparent().remove(r._r)
        return
    raise KeyError(old)


def insert_after(p: Paragraph, text: str, *, style: str | None = None, author: str = "") -> Paragraph:
    """A new paragraph after ``p`` (its style unless ``style``), as Word makes it on Enter: no
    bookmark. With ``author`` the insertion is tracked."""
    new = copy.deepcopy(p._p)
    for child in list(new):
        if child.tag != qn("w:pPr"):
            new.remove(child)
    p._p.addnext(new)
    para = Paragraph(new, p._parent)
    if style:
        para.style = p.part.document.styles[style]
    label, tab, rest = text.partition("\t")
    if tab:
        para.add_run(label)
        para.runs[-1]._r.append(etree.Element(qn("w:tab")))
        para.add_run(rest)
    else:
        para.add_run(text)
    if author:
        ppr = new.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, qn("w:rPr"))
        rpr.append(_rev("w:ins", author, 9100))
        ins = _rev("w:ins", author, 9101)
        for r in list(new.findall(qn("w:r"))):
            ins.append(r)
        new.append(ins)
    return para


def delete(p: Paragraph, *, author: str = "") -> None:
    """Remove the paragraph; with ``author`` as a tracked deletion (text and paragraph mark)."""
    if not author:
        p._p.getparent().remove(p._p)
        return
    for ins in list(p._p.findall(qn("w:ins"))):  # deleting one's own insertion takes it back
        for r in list(ins):
            ins.addprevious(r)
        p._p.remove(ins)
    for gone in list(p._p.findall(qn("w:del"))):
        p._p.remove(gone)
    d = _rev("w:del", author, 9200)
    for r in list(p._p.findall(qn("w:r"))):
        for t in r.findall(qn("w:t")):
            t.tag = qn("w:delText")
        d.append(r)
    p._p.append(d)
    ppr = p._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = etree.SubElement(ppr, qn("w:rPr"))
    rpr.append(_rev("w:del", author, 9201))


def move_after(p: Paragraph, target: Paragraph) -> None:
    """Cut ``p`` and paste it after ``target`` (bookmark and all, as Word moves it)."""
    target._p.addnext(p._p)


def make_bold(p: Paragraph, words: str) -> None:
    """Split the run holding ``words`` so that they are bold (Ctrl+B on a selection)."""
    p = text_of(p)
    for r in p.runs:
        at = r.text.find(words)
        if at < 0 or "\t" in r.text:
            continue
        before, after = r.text[:at], r.text[at + len(words):]
        r.text = before
        bold = copy.deepcopy(r._r)
        tail = copy.deepcopy(r._r)
        r._r.addnext(bold)
        bold.addnext(tail)
        Paragraph(p._p, p._parent).runs  # noqa: B018 - python-docx proxies are rebuilt on access
        from docx.text.run import Run

        b = Run(bold, p)
        b.text = words
        b.bold = True
        Run(tail, p).text = after
        return
    raise KeyError(words)


def comment(doc: DocxDocument, p: Paragraph, text: str, author: str, initials: str = "") -> None:
    """A Word comment on the whole paragraph ``p`` (python-docx's own comments API)."""
    doc.add_comment(p.runs, text=text, author=author, initials=initials or author[:2])
