"""Tracked changes (``w:ins``, ``w:del``, ``w:moveFrom``/``w:moveTo``, ``w:pPrChange``) between two
renderings of a passage.

Given the body elements of a passage as it was (``old``) and as it is (``new``), both built
by the same writer, :func:`diff_blocks` returns ``new``'s elements carrying the changes as
Word revisions: accepting them all gives ``new``, rejecting them all gives ``old``.

- Paragraphs are compared run by run, word by word (``difflib``); a word keeps its run
  properties and its hyperlink, so a deleted defined term still prints bold.
- A paragraph only in ``old`` is copied in deleted (``w:delText``, and its mark deleted:
  ``w:pPr/w:rPr/w:del``); one only in ``new`` is marked inserted the same way.
- A changed paragraph style is a ``w:pPrChange`` holding the old properties.
- Table rows are matched by their text; rows only on one side are whole-row revisions
  (``w:trPr/w:ins`` or ``w:del``), matched rows are compared cell by cell.
- A passage that moved is a Word move (:func:`move_from`, :func:`move_to`, :func:`move_range`):
  where it stood its paragraphs are ``w:moveFrom`` (text kept as ``w:t``, mark
  ``w:pPr/w:rPr/w:moveFrom``), where it now stands ``w:moveTo``, each side between a
  ``w:moveFromRangeStart``/``End`` (``w:moveToRangeStart``/``End``) pair, the two pairs sharing
  one ``w:name`` (ECMA-376 Part 1, §17.13.5.21-28). Words the moved clause also gained are
  ``w:ins`` inside the destination; words it lost appear only in the source (an accepted move
  drops the source, a rejected one the destination, so each side alone must be whole). Table
  rows have no move mark (CT_TrPr allows ``w:ins``/``w:del`` only): a moved table's rows are
  deleted at the source and inserted at the destination.

Child orders used: CT_ParaRPr puts ``w:ins``/``w:del`` first; CT_PPr puts ``w:rPr`` before
``w:sectPr`` and ``w:pPrChange`` last (:data:`generator.ooxml.styles.PPR_ORDER`); CT_TrPr puts
``w:ins``/``w:del`` after ``w:tblHeader`` and before ``w:trPrChange``.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from generator.ooxml.ns import XML_SPACE, insert_ordered, w
from generator.ooxml.styles import PPR_ORDER
from generator.ooxml.text import format_run

__all__ = ["PRINT_MARKS", "PrintMark", "Revisions", "diff_blocks", "diff_paragraph", "diff_table", "flatten", "mark_deleted",
           "mark_element", "mark_inserted", "move_from", "move_range", "move_to", "paragraph_text"]

_P, _PPR, _PSTYLE, _R, _RPR, _T, _DELTEXT = w("p"), w("pPr"), w("pStyle"), w("r"), w("rPr"), w("t"), w("delText")
_INS, _DEL, _LINK, _ANCHOR = w("ins"), w("del"), w("hyperlink"), w("anchor")
_MOVE_FROM, _MOVE_TO = w("moveFrom"), w("moveTo")
_RANGES = {_MOVE_FROM: (w("moveFromRangeStart"), w("moveFromRangeEnd")),
           _MOVE_TO: (w("moveToRangeStart"), w("moveToRangeEnd"))}
# The revision wrapping each kind of run the paragraph diff emits ("equal" runs are bare).
_WRAPPER = {"delete": _DEL, "insert": _INS, "moveFrom": _MOVE_FROM, "moveTo": _MOVE_TO}
_TBL, _TR, _TRPR, _TC, _TBLGRID = w("tbl"), w("tr"), w("trPr"), w("tc"), w("tblGrid")
_BM_START, _BM_END, _PPRCHANGE, _SECTPR = w("bookmarkStart"), w("bookmarkEnd"), w("pPrChange"), w("sectPr")
_INSTR, _DELINSTR = w("instrText"), w("delInstrText")
_ID, _AUTHOR, _DATE = w("id"), w("author"), w("date")
_TRPR_AFTER = {w("trPrChange")}
_WORDS = re.compile(r"\s+|[^\s]+")


class Revisions:
    """Author, date and the next free revision id for every change made."""

    def __init__(self, author: str, date: str, first_id: int = 1) -> None:
        self.author = author
        self.date = date  # ISO 8601, e.g. 2025-04-30T00:00:00Z
        self._next = first_id

    def element(self, tag: str) -> etree._Element:
        el = etree.Element(tag, {_ID: str(self._next), _AUTHOR: self.author, _DATE: self.date})
        self._next += 1
        return el

    def move_range(self, tag: str, name: str) -> tuple[etree._Element, etree._Element]:
        """The start and end of a move's source (``tag`` = ``w:moveFrom``) or destination range."""
        start_tag, end_tag = _RANGES[tag]
        start = self.element(start_tag)
        start.set(w("name"), name)
        return start, etree.Element(end_tag, {_ID: start.get(_ID, "")})


# -- whole paragraphs, rows and tables -------------------------------------------------------
def _mark_paragraph(p: etree._Element, tag: str, rev: Revisions) -> None:
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = etree.Element(_PPR)
        p.insert(0, ppr)
    rpr = ppr.find(_RPR)
    if rpr is None:
        rpr = insert_ordered(ppr, etree.Element(_RPR), PPR_ORDER)
    rpr.insert(0, rev.element(tag))


def _runs(p: etree._Element) -> list[etree._Element]:
    return [r for r in p.iter(_R)]


def mark_inserted(p: etree._Element, rev: Revisions) -> etree._Element:
    """Paragraph ``p`` (content and mark) as inserted."""
    for r in _runs(p):
        holder = r.getparent()
        if holder is not None and holder.tag not in (_INS, _DEL):
            wrapper = rev.element(_INS)
            r.addprevious(wrapper)
            wrapper.append(r)
    _mark_paragraph(p, _INS, rev)
    return p


def _unlink(p: etree._Element) -> None:
    """Unwrap ``p``'s hyperlinks (their runs stay) and drop its bookmarks: a paragraph leaving its
    place (deleted, or moved away) must not keep the anchor that the clause's new place holds."""
    for link in list(p.iter(_LINK)):
        parent = link.getparent()
        assert parent is not None
        for child in list(link):
            link.addprevious(child)
        parent.remove(link)
    for bm in list(p.iter(_BM_START, _BM_END)):
        parent = bm.getparent()
        assert parent is not None
        parent.remove(bm)


def mark_deleted(p: etree._Element, rev: Revisions) -> etree._Element:
    """Paragraph ``p`` (content and mark) as deleted: links unwrapped, bookmarks dropped."""
    _unlink(p)
    for r in _runs(p):
        _as_deleted(r)
        wrapper = rev.element(_DEL)
        r.addprevious(wrapper)
        wrapper.append(r)
    _mark_paragraph(p, _DEL, rev)
    return p


def _as_deleted(r: etree._Element) -> None:
    for child in r:
        if child.tag == _T:
            child.tag = _DELTEXT
        elif child.tag == _INSTR:
            child.tag = _DELINSTR


def _mark_row(tr: etree._Element, tag: str, rev: Revisions) -> etree._Element:
    trpr = tr.find(_TRPR)
    if trpr is None:
        trpr = etree.Element(_TRPR)
        tr.insert(0, trpr)
    mark = rev.element(tag)
    later = [c for c in trpr if c.tag in _TRPR_AFTER]
    if later:
        later[0].addprevious(mark)
    else:
        trpr.append(mark)
    for p in tr.iter(_P):
        (mark_inserted if tag == _INS else mark_deleted)(p, rev)
    return tr


def mark_element(el: etree._Element, inserted: bool, rev: Revisions) -> etree._Element:
    """A paragraph or a table, whole, as inserted or deleted (tables row by row)."""
    if el.tag == _TBL:
        for tr in el.iter(_TR):
            _mark_row(tr, _INS if inserted else _DEL, rev)
        return el
    if el.tag == _P:
        return (mark_inserted if inserted else mark_deleted)(el, rev)
    return el


# -- moves -----------------------------------------------------------------------------------
def _move_from_paragraph(p: etree._Element, rev: Revisions) -> etree._Element:
    """Paragraph ``p`` (content and mark) as the source of a move: as :func:`mark_deleted`, but
    its runs inside ``w:moveFrom`` keep ``w:t`` (moved text is not deleted text)."""
    _unlink(p)
    for r in _runs(p):
        wrapper = rev.element(_MOVE_FROM)
        r.addprevious(wrapper)
        wrapper.append(r)
    _mark_paragraph(p, _MOVE_FROM, rev)
    return p


def move_from(old: Sequence[etree._Element], rev: Revisions) -> list[etree._Element]:
    """Copies of ``old``'s elements as the source of a move (tables: rows deleted)."""
    out = []
    for el in old:
        el = copy.deepcopy(el)
        out.append(_move_from_paragraph(el, rev) if el.tag == _P else mark_element(el, False, rev))
    return out


def move_to(old: Sequence[etree._Element], new: Sequence[etree._Element], rev: Revisions, *,
            whole: bool = False) -> list[etree._Element]:
    """``new``'s elements as the destination of a move from ``old`` (see
    :func:`diff_paragraph`'s ``moved``): paragraphs matched as :func:`diff_blocks` matches them
    carry the move, the others are inserted (tables row by row)."""
    out: list[etree._Element] = []
    for o, n in _align(old, new):
        if n is None:
            continue
        if o is not None and o.tag == n.tag == _P:
            out.append(diff_paragraph(o, n, rev, whole=whole, moved=True))
        else:
            out.append(mark_element(n, True, rev))
    return out


def move_range(source: list[etree._Element], dest: list[etree._Element], name: str, rev: Revisions) -> None:
    """Put one named move's range marks around its source elements and its destination
    elements: the start in the first paragraph, after its properties; the end in the last
    paragraph, after its content (LibreOffice makes an empty paragraph of a range end that
    stands between paragraphs)."""
    for els, tag in ((source, _MOVE_FROM), (dest, _MOVE_TO)):
        if not els:
            continue
        start, end = rev.move_range(tag, name)
        first, last = els[0], els[-1]
        if first.tag == _P:
            ppr = first.find(_PPR)
            first.insert(1 if ppr is not None and first[0] is ppr else 0, start)
        else:
            els.insert(0, start)
        if last.tag == _P:
            last.append(end)
        else:
            els.append(end)


# -- word-level paragraph diff ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Token:
    anchor: str  # the internal hyperlink around the run, "" for none
    rpr: bytes  # the run properties, serialised (the key for "same formatting")
    tag: str  # w:t for text; any other run child (w:tab, w:br, …) stands for itself
    text: str


def _tokens(p: etree._Element) -> Iterator[tuple[_Token, etree._Element]]:
    """(token, the run it came from) for every word, space and non-text run child of ``p``."""
    for r in p.iter(_R):
        parent = r.getparent()
        anchor = parent.get(_ANCHOR, "") if parent is not None and parent.tag == _LINK else ""
        rpr = r.find(_RPR)
        key = etree.tostring(rpr) if rpr is not None else b""
        for child in r:
            if child.tag == _RPR:
                continue
            if child.tag in (_T, _DELTEXT):
                for m in _WORDS.finditer(child.text or ""):
                    yield _Token(anchor, key, _T, m.group()), r
            else:
                yield _Token(anchor, key, child.tag, etree.tostring(child).decode()), r


def paragraph_text(p: etree._Element) -> str:
    return "".join(t.text if t.tag == _T else "\t" if t.tag == w("tab") else "" for t, _ in _tokens(p))


def _text(r: etree._Element, pieces: list[str], op: str) -> None:
    """Append the collected words to run ``r`` as one ``w:t`` (``w:delText`` when deleted)."""
    if pieces:
        t = etree.SubElement(r, _DELTEXT if op == "delete" else _T)
        t.text = "".join(pieces)
        t.set(XML_SPACE, "preserve")
        pieces.clear()


def _run(op: str, toks: Sequence[tuple[_Token, etree._Element]]) -> etree._Element:
    """One run holding ``toks`` (same formatting), its text as ``w:delText`` when deleted."""
    r = etree.Element(_R)
    rpr = toks[0][1].find(_RPR)
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    text: list[str] = []
    for tok, _ in toks:
        if tok.tag == _T:
            text.append(tok.text)
            continue
        _text(r, text, op)
        child = etree.fromstring(tok.text)
        if op == "delete" and child.tag == _INSTR:
            child.tag = _DELINSTR
        r.append(child)
    _text(r, text, op)
    return r


def _emit(out: list[etree._Element], op: str, toks: Sequence[tuple[_Token, etree._Element]],
          rev: Revisions) -> None:
    """Runs for ``toks`` (one per stretch of same formatting and link), wrapped for ``op``."""
    i = 0
    while i < len(toks):
        first = toks[i][0]
        j = i
        while j < len(toks) and toks[j][0].rpr == first.rpr and toks[j][0].anchor == first.anchor:
            j += 1
        node = _run(op, toks[i:j])
        if op != "equal":
            wrapper = rev.element(_WRAPPER[op])
            wrapper.append(node)
            node = wrapper
        if first.anchor and op != "delete":
            link = etree.Element(_LINK, {_ANCHOR: first.anchor, w("history"): "1"})
            link.append(node)
            node = link
        out.append(node)
        i = j


def _base_ppr(ppr: etree._Element | None) -> etree._Element:
    """A copy of paragraph properties as ``w:pPrChange`` holds them (no rPr, sectPr, change)."""
    out = etree.Element(_PPR)
    for child in ppr if ppr is not None else ():
        if child.tag not in (_RPR, _SECTPR, _PPRCHANGE):
            out.append(copy.deepcopy(child))
    return out


def _whole(ka: Sequence[_Token], kb: Sequence[_Token]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes keeping the shared lead (the number and its tab) and replacing the rest whole."""
    lead = 0
    while lead < min(len(ka), len(kb)) and ka[lead] == kb[lead]:
        lead += 1
        if ka[lead - 1].tag == w("tab"):
            break
    return [("equal", 0, lead, 0, lead), ("replace", lead, len(ka), lead, len(kb))]


def diff_paragraph(old: etree._Element, new: etree._Element, rev: Revisions, *, whole: bool = False,
                   moved: bool = False) -> etree._Element:
    """``new`` rewritten to show, as revisions, how it differs from ``old``; with ``whole``, the
    old text after the number is deleted whole and the new inserted whole (a clause that
    became "[Not used]" reads as that, not as a word-by-word mixture).

    With ``moved``, ``new`` is the destination of a move whose source (``old``, marked by
    :func:`move_from`) stands elsewhere: words in both are ``w:moveTo``, new words ``w:ins``,
    and words ``old`` alone had are left out here (the source still holds them), so that
    rejecting every change leaves nothing of this paragraph, accepting leaves ``new``."""
    a, b = list(_tokens(old)), list(_tokens(new))
    ka, kb = [t for t, _ in a], [t for t, _ in b]
    ppr = new.find(_PPR)
    old_base, new_base = _base_ppr(old.find(_PPR)), _base_ppr(ppr)
    if moved:
        _mark_paragraph(new, _MOVE_TO, rev)
    if ka != kb or moved:
        content: list[etree._Element] = []
        ops = _whole(ka, kb) if whole else \
            difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                _emit(content, "moveTo" if moved else "equal", b[j1:j2], rev)
                continue
            if not moved:
                _emit(content, "delete", a[i1:i2], rev)
            _emit(content, "insert", b[j1:j2], rev)
        starts = [c for c in new if c.tag == _BM_START]
        ends = [c for c in new if c.tag == _BM_END]
        for child in list(new):
            if child.tag != _PPR:
                new.remove(child)
        for el in (*starts, *content, *ends):
            new.append(el)
    if etree.tostring(old_base) != etree.tostring(new_base) and not moved:  # a moved paragraph is new here
        if ppr is None:
            ppr = etree.Element(_PPR)
            new.insert(0, ppr)
        change = rev.element(_PPRCHANGE)
        change.append(old_base)
        insert_ordered(ppr, change, PPR_ORDER)
    return new


# -- tables ------------------------------------------------------------------------------------
def _row_key(tr: etree._Element) -> tuple[str, ...]:
    return tuple(" ".join(paragraph_text(p) for p in tc.iter(_P)) for tc in tr.iter(_TC))


def _grid(tbl: etree._Element) -> int:
    grid = tbl.find(_TBLGRID)
    return len(grid) if grid is not None else 0


def diff_table(old: etree._Element, new: etree._Element, rev: Revisions) -> etree._Element:
    """``new`` with rows only in ``old`` put back deleted, rows only in ``new`` inserted, and
    matched rows compared cell by cell."""
    old_rows, new_rows = list(old.iter(_TR)), list(new.iter(_TR))
    ka, kb = [_row_key(r) for r in old_rows], [_row_key(r) for r in new_rows]
    first = new_rows[0].getprevious() if new_rows else new[-1]
    assert first is not None  # a table's first row follows its tblPr/tblGrid
    anchor = first
    for r in new_rows:
        new.remove(r)
    rows: list[etree._Element] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += new_rows[j1:j2]
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            o, n = old_rows[i1 + k], new_rows[j1 + k]
            if len(ka[i1 + k]) == len(kb[j1 + k]):
                for otc, ntc in zip(o.iter(_TC), n.iter(_TC), strict=True):
                    for op, np_ in zip(otc.iter(_P), ntc.iter(_P), strict=False):
                        diff_paragraph(op, np_, rev)
                rows.append(n)
            else:
                rows += [_mark_row(copy.deepcopy(o), _DEL, rev), _mark_row(n, _INS, rev)]
        rows += [_mark_row(copy.deepcopy(o), _DEL, rev) for o in old_rows[i1 + pairs:i2]]
        rows += [_mark_row(n, _INS, rev) for n in new_rows[j1 + pairs:j2]]
    for r in rows:
        anchor.addnext(r)
        anchor = r
    return new


# -- passages ---------------------------------------------------------------------------------
def _key(el: etree._Element) -> tuple[str, str]:
    if el.tag == _TBL:
        return ("tbl", str(_grid(el)))
    ppr = el.find(_PPR)
    style = ppr.find(_PSTYLE) if ppr is not None else None
    return ("p", style.get(w("val"), "") if style is not None else "")


def _same(old: etree._Element, new: etree._Element) -> bool:
    return bool(etree.tostring(old) == etree.tostring(new))


def _pair(old: etree._Element, new: etree._Element, rev: Revisions, whole: bool = False) -> list[etree._Element]:
    if _same(old, new):
        return [new]
    if old.tag == new.tag == _P:
        return [diff_paragraph(old, new, rev, whole=whole)]
    if old.tag == new.tag == _TBL and _grid(old) == _grid(new):
        return [diff_table(old, new, rev)]
    return [mark_element(copy.deepcopy(old), False, rev), mark_element(new, True, rev)]


def _align(old: Sequence[etree._Element], new: Sequence[etree._Element],
           ) -> Iterator[tuple[etree._Element | None, etree._Element | None]]:
    """The elements of two renderings of a passage, matched by kind and style: (old, new)
    pairs to compare, then (old, None) for those only in ``old`` and (None, new) for those
    only in ``new``, in document order."""
    ka, kb = [_key(e) for e in old], [_key(e) for e in new]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            yield from zip(old[i1:i2], new[j1:j2], strict=True)
            continue
        pairs = 0
        if tag == "replace":
            while pairs < min(i2 - i1, j2 - j1) and old[i1 + pairs].tag == new[j1 + pairs].tag:
                pairs += 1
        yield from zip(old[i1:i1 + pairs], new[j1:j1 + pairs], strict=True)
        yield from ((o, None) for o in old[i1 + pairs:i2])
        yield from ((None, n) for n in new[j1 + pairs:j2])


def diff_blocks(old: Sequence[etree._Element], new: Sequence[etree._Element],
                rev: Revisions, *, whole: bool = False) -> list[etree._Element]:
    """The elements of ``new`` with the differences from ``old`` as revisions (``old`` is not
    changed: what it contributes is copied); ``whole`` replaces paragraph text whole."""
    out: list[etree._Element] = []
    for o, n in _align(old, new):
        if o is not None and n is not None:
            out += _pair(o, n, rev, whole)
        elif o is not None:
            out.append(mark_element(copy.deepcopy(o), False, rev))
        elif n is not None:
            out.append(mark_element(n, True, rev))
    return out


# -- the printed copy ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PrintMark:
    """How the printed (PDF) redline shows one kind of change."""

    color: str  # RRGGBB
    underline: str = ""  # w:u's value
    strike: bool = False
    double_strike: bool = False


# Word's own defaults for the kinds a reader must tell apart: insertions underlined, deletions
# struck through, moved text green, double-struck where it stood and double-underlined where
# it now stands.
PRINT_MARKS = {"insert": PrintMark("1F4E9F", underline="single"), "delete": PrintMark("C00000", strike=True),
               "moveFrom": PrintMark("2E7D32", double_strike=True), "moveTo": PrintMark("2E7D32", underline="double")}


def _format(r: etree._Element, kind: str) -> None:
    m = PRINT_MARKS[kind]
    format_run(r, color=m.color, underline=m.underline, strike=m.strike, double_strike=m.double_strike)


def flatten(body: etree._Element) -> None:
    """Every revision in ``body`` turned into visible formatting, as the printed redline shows
    it (:data:`PRINT_MARKS`): inserted text coloured and underlined, deleted text coloured and
    struck through (and kept), moved text coloured where it stood and where it stands,
    formatting changes and paragraph-mark revisions accepted (a deleted or moved-away heading
    kept as body text, out of the contents). The result has no
    tracked change left, so any program prints it the same."""
    for tag, kind in ((_INS, "insert"), (_DEL, "delete"), (_MOVE_TO, "moveTo"), (_MOVE_FROM, "moveFrom")):
        for wrapper in list(body.iter(tag)):
            parent = wrapper.getparent()
            if parent is None:
                continue
            if parent.tag in (_RPR, _TRPR):  # a paragraph mark or a row: the runs carry the marks
                ppr = parent.getparent()
                if kind in ("delete", "moveFrom") and ppr is not None and ppr.tag == _PPR:
                    # A heading that is gone from here is body text: the contents and the
                    # navigation pane list the headings of the amended version only.
                    insert_ordered(ppr, etree.Element(w("outlineLvl"), {w("val"): "9"}), PPR_ORDER)
                parent.remove(wrapper)
                continue
            for r in wrapper.iter(_R):
                _format(r, kind)
                _undelete(r)
            for child in list(wrapper):
                wrapper.addprevious(child)
            parent.remove(wrapper)
    for el in list(body.iter(_PPRCHANGE, w("rPrChange"), w("moveFromRangeStart"), w("moveFromRangeEnd"),
                             w("moveToRangeStart"), w("moveToRangeEnd"))):
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


def _undelete(r: etree._Element) -> None:
    for child in r:
        if child.tag == _DELTEXT:
            child.tag = _T
        elif child.tag == _DELINSTR:
            child.tag = _INSTR
