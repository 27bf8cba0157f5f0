"""Read a built S1SR .docx after reviewers edited it: every body paragraph as it reads with
all tracked changes accepted, and what the taking-back needs besides the text.

``read_reviewed_docx(path)`` returns a :class:`~generator.model.review.ReviewedDocument`: for
each paragraph its style (by name: LibreOffice renames style ids when it saves), indents,
outline level, bookmarks, the text in pieces (plain, defined term, emphasis, heading; internal
links and REF fields with the bookmark they go to), the tracked changes in it (who, when,
what kind), the comments anchored in it; the document's comments (replies and "done" from
``commentsExtended.xml``), its custom properties and the source snapshot ``s1sr build``
embedded in it.

Accepting all changes means: inserted and moved-to text counts, deleted and moved-from text
does not, and a paragraph whose mark was deleted joins the paragraph after it. The package is
checked by the same guard as :mod:`generator.readers.docx` (size, zip bombs, DTDs) before
anything is parsed; what cannot be read is one fatal finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic
from generator.model.review import (
    BASE_ELEMENT,
    BASE_NAMESPACE,
    Comment,
    Piece,
    ReviewedDocument,
    ReviewedParagraph,
    Revision,
)

# The package guard (size, entry count, zip bombs, encryption, DTDs) is the one of generator.ooxml,
# with the Word reader's finding codes.
from generator.ooxml import guard
from generator.ooxml.bookmarks import BookmarkNames
from generator.readers.docx import Limits, _main_part, _parse, _Refused, _refused
from generator.readers.docx_numbering import W

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.etree import _Element

__all__ = ["bookmark_targets", "read_reviewed_docx"]

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_W14_PARA = "{http://schemas.microsoft.com/office/word/2010/wordml}paraId"
_W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
_VAL = W + "val"
_P, _R, _PPR, _RPR, _PSTYLE, _RSTYLE = W + "p", W + "r", W + "pPr", W + "rPr", W + "pStyle", W + "rStyle"
_T, _TAB, _BR, _CR, _NBH = W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"
_FLDCHAR, _INSTR, _FLDSIMPLE = W + "fldChar", W + "instrText", W + "fldSimple"
_INS, _DEL, _MOVEFROM, _MOVETO = W + "ins", W + "del", W + "moveFrom", W + "moveTo"
_HYPERLINK, _BOOKMARK = W + "hyperlink", W + "bookmarkStart"
_TXBX, _TC, _TR, _TBL = W + "txbxContent", W + "tc", W + "tr", W + "tbl"
_C_START, _C_END, _C_REF = W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference"
_OFF = ("0", "false", "off")
_MARK = "s1sr-table"  # lxml proxies are not stable objects: a table's ordinal lives on the element
_TEXT_TAGS = frozenset((_T, _TAB, _BR, _CR, _NBH, _FLDCHAR, _INSTR, _BOOKMARK, _C_START, _C_END, _C_REF))
_GONE = frozenset((_DEL, _MOVEFROM))  # containers whose text is gone once changes are accepted


def bookmark_targets(clause_ids: Iterable[str]) -> dict[str, str]:
    """Bookmark name (lower case, as Word compares them) → clause id, for the clauses of a
    document in the order the .docx writer bookmarked them."""
    names = BookmarkNames()
    return {names[cid].lower(): cid for cid in clause_ids}


# -- styles -------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Style:
    name: str
    based_on: str = ""
    indent: int | None = None
    outline: int | None = None


class _Styles:
    def __init__(self, root: _Element | None) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default = ""
        if root is None:
            return
        for st in root.iter(W + "style"):
            sid = st.get(W + "styleId", "")
            name_el = st.find(W + "name")
            based = st.find(W + "basedOn")
            ppr = st.find(_PPR)
            style = _Style(name=name_el.get(_VAL, sid) if name_el is not None else sid,
                           based_on=based.get(_VAL, "") if based is not None else "")
            if ppr is not None:
                style.indent = _indent(ppr)
                ol = ppr.find(W + "outlineLvl")
                if ol is not None and ol.get(_VAL, "").isdigit():
                    style.outline = int(ol.get(_VAL, "9"))
            self.by_id[sid] = style
            if st.get(W + "type") == "paragraph" and st.get(W + "default") in ("1", "true", "on"):
                self.default = sid

    def name(self, sid: str) -> str:
        st = self.by_id.get(sid or self.default)
        return st.name if st else sid

    def inherited(self, sid: str, what: str) -> int | None:
        seen: set[str] = set()
        cur = sid or self.default
        while cur and cur not in seen:
            seen.add(cur)
            st = self.by_id.get(cur)
            if st is None:
                return None
            value: int | None = getattr(st, what)
            if value is not None:
                return value
            cur = st.based_on
        return None


def _indent(ppr: _Element) -> int | None:
    ind = ppr.find(W + "ind")
    if ind is None:
        return None
    for attr in ("left", "start"):
        value = ind.get(W + attr)
        if value is not None and value.lstrip("-").isdigit():
            return int(value)
    return None


# -- paragraphs ---------------------------------------------------------------------------------
@dataclass(slots=True)
class _Field:
    instr: str = ""
    result: bool = False

    def link(self) -> str:
        """The bookmark a HYPERLINK \\l or REF field goes to."""
        words = self.instr.replace('"', " ").split()
        if not words:
            return ""
        kind = words[0].upper()
        if kind == "HYPERLINK" and "\\l" in words:
            at = words.index("\\l") + 1
            return words[at] if at < len(words) else ""
        if kind in ("REF", "PAGEREF") and len(words) > 1:
            return words[1] if kind == "REF" else ""
        return ""


@dataclass(slots=True)
class _Para:
    index: int
    style_id: str
    indent: int | None
    outline: int | None
    mark: str  # "", "inserted" or "deleted" (the paragraph mark's tracked change)
    pieces: list[Piece] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    cell: tuple[int, int, int] = (0, 0, 0)
    header_row: bool = False
    toc: bool = False


class _Reader:
    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.fields: list[_Field] = []
        self.tables = 0  # tables seen so far (each is marked with its ordinal while the tree is read)
        self.open_comments: dict[str, list[str]] = {}  # comment id → quoted text so far
        self.quoted: dict[str, str] = {}
        self.anchored: dict[str, int] = {}  # comment id → paragraph index

    def _cell(self, p: _Element) -> tuple[tuple[int, int, int], bool]:
        tc = p.getparent()
        while tc is not None and tc.tag != _TC:
            tc = tc.getparent()
        if tc is None:
            return (0, 0, 0), False
        tr = tc.getparent()
        tbl = tr.getparent() if tr is not None else None
        if tr is None or tbl is None:
            return (0, 0, 0), False
        mark = tbl.get(_MARK)
        if mark is None:
            self.tables += 1
            mark = str(self.tables)
            tbl.set(_MARK, mark)
        row = sum(1 for x in tbl if x.tag == _TR and _before(x, tr)) + 1
        col = sum(1 for x in tr if x.tag == _TC and _before(x, tc)) + 1
        header = tr.find(f"{W}trPr/{W}tblHeader") is not None
        return (int(mark), row, col), header

    def paragraph(self, p: _Element, index: int) -> _Para:
        ppr = p[0] if len(p) and p[0].tag == _PPR else None
        style_id = indent = outline = None
        mark = ""
        revisions: list[Revision] = []
        if ppr is not None:
            ps = ppr.find(_PSTYLE)
            style_id = ps.get(_VAL, "") if ps is not None else ""
            indent = _indent(ppr)
            ol = ppr.find(W + "outlineLvl")
            if ol is not None and ol.get(_VAL, "").isdigit():
                outline = int(ol.get(_VAL, "9"))
            rpr = ppr.find(_RPR)
            if rpr is not None:
                # A moved paragraph's mark counts as where it went: kept at the destination,
                # gone (joining the next paragraph) at the source.
                for tag, kind in ((_INS, "inserted"), (_DEL, "deleted"), (_MOVETO, "inserted"), (_MOVEFROM, "deleted")):
                    el = rpr.find(tag)
                    if el is not None:
                        mark = kind
                        revisions.append(Revision(kind="paragraph", author=el.get(W + "author", ""),
                                                  date=el.get(W + "date", "")))
            change = ppr.find(W + "pPrChange")
            if change is not None:
                revisions.append(Revision(kind="format", author=change.get(W + "author", ""),
                                          date=change.get(W + "date", "")))
        sid = style_id or ""
        if outline is None:
            outline = self.styles.inherited(sid, "outline")
        para = _Para(index=index, style_id=sid, indent=indent, outline=outline, mark=mark, revisions=revisions)
        para.cell, para.header_row = self._cell(p)
        para.toc = self._in_toc()
        self._collect(p, para)
        para.toc = para.toc or self._in_toc()
        return para

    def _in_toc(self) -> bool:
        return any(f.instr.strip().upper().startswith("TOC") for f in self.fields)

    def _collect(self, p: _Element, para: _Para) -> None:
        last_run: _Element | None = None
        skip = hidden = False
        kind = link = ""
        simple: dict[int, str] = {}  # id(w:fldSimple) → link
        for el in p.iter():
            tag = el.tag
            if tag == _FLDSIMPLE:
                simple[id(el)] = _Field(instr=el.get(W + "instr", ""), result=True).link()
                continue
            if tag in (_INS, _DEL, _MOVEFROM, _MOVETO):
                kind_name = {_INS: "insert", _DEL: "delete"}.get(tag, "move")
                para.revisions.append(Revision(kind=kind_name, author=el.get(W + "author", ""),
                                               date=el.get(W + "date", "")))
                continue
            if tag == W + "rPrChange":
                para.revisions.append(Revision(kind="format", author=el.get(W + "author", ""),
                                               date=el.get(W + "date", "")))
                continue
            if tag not in _TEXT_TAGS:
                continue
            if tag == _BOOKMARK:
                name = el.get(W + "name", "")
                if name and not name.startswith("_") and not _inside(el, p, _GONE):
                    para.bookmarks.append(name)
                continue
            if tag == _C_START or (tag == _C_REF and el.get(W + "id", "") not in self.anchored):
                cid = el.get(W + "id", "")
                self.anchored.setdefault(cid, para.index)
                if cid not in para.comments:
                    para.comments.append(cid)
                if tag == _C_START:
                    self.open_comments[cid] = []
                continue
            if tag == _C_END:
                cid = el.get(W + "id", "")
                if cid in self.open_comments:
                    self.quoted[cid] = "".join(self.open_comments.pop(cid)).strip()
                continue
            if tag == _C_REF:
                continue
            run = el.getparent()
            if run is not last_run:
                last_run = run
                skip = run is None or run.tag != _R or _inside(run, p, _GONE | {_TXBX})
                hidden, kind, link = False, "", ""
                if run is not None and not skip:
                    rpr = run[0] if len(run) and run[0].tag == _RPR else None
                    if rpr is not None:
                        hidden, kind = self._run_kind(rpr)
                    link = _link_of(run, p, simple)
            if skip:
                continue
            if tag == _FLDCHAR:
                fk = el.get(W + "fldCharType")
                if fk == "begin":
                    self.fields.append(_Field())
                elif fk == "separate" and self.fields:
                    self.fields[-1].result = True
                elif fk == "end" and self.fields:
                    self.fields.pop()
                continue
            if tag == _INSTR:
                if self.fields:
                    self.fields[-1].instr += el.text or ""
                continue
            if self.fields and not self.fields[-1].result:
                continue  # a field's instructions are not text
            if tag == _BR and el.get(W + "type") in ("page", "column"):
                continue  # a page break is layout, not a line of the text
            piece = {_T: el.text or "", _TAB: "\t", _NBH: "-"}.get(tag, "\n")
            if not piece or hidden:
                continue
            field_link = next((f.link() for f in reversed(self.fields) if f.link()), "")
            self._add(para, Piece(text=piece, kind=kind, link=link or field_link))

    def _add(self, para: _Para, piece: Piece) -> None:
        for quoted in self.open_comments.values():
            quoted.append(piece.text)
        if para.pieces and para.pieces[-1].kind == piece.kind and para.pieces[-1].link == piece.link:
            para.pieces[-1] = replace(para.pieces[-1], text=para.pieces[-1].text + piece.text)
        else:
            para.pieces.append(piece)

    def _run_kind(self, rpr: _Element) -> tuple[bool, str]:
        hidden = False
        kind = ""
        for c in rpr:
            if c.tag == W + "vanish":
                hidden = c.get(_VAL, "1") not in _OFF
            elif c.tag == _RSTYLE:
                name = self.styles.name(c.get(_VAL, "")).lower()
                if "heading" in name:
                    kind = "heading"
                elif ("term" in name or "strong" in name) and kind != "heading":
                    kind = "term"
                elif "emph" in name and not kind:
                    kind = "emph"
            elif c.tag == W + "b" and c.get(_VAL, "1") not in _OFF and kind in ("", "emph"):
                kind = "term"
            elif c.tag == W + "i" and c.get(_VAL, "1") not in _OFF and not kind:
                kind = "emph"
        return hidden, kind


def _before(a: _Element, b: _Element) -> bool:
    """``a`` comes before its sibling ``b``."""
    el = b.getprevious()
    while el is not None:
        if el is a:
            return True
        el = el.getprevious()
    return False


def _inside(el: _Element, stop: _Element, tags: frozenset[str]) -> bool:
    up = el.getparent()
    while up is not None and up is not stop:
        if up.tag in tags:
            return True
        up = up.getparent()
    return False


def _link_of(run: _Element, p: _Element, simple: dict[int, str]) -> str:
    up = run.getparent()
    while up is not None and up is not p:
        if up.tag == _HYPERLINK and up.get(W + "anchor"):
            return str(up.get(W + "anchor"))
        if up.tag == _FLDSIMPLE and simple.get(id(up)):
            return simple[id(up)]
        up = up.getparent()
    return ""


def _body_paragraphs(body: _Element) -> list[_Element]:
    """Paragraphs of the body and its tables in document order; not those in text boxes."""
    out = []
    for p in body.iter(_P):
        if _inside(p, body, frozenset((_TXBX, _P))):
            continue
        out.append(p)
    return out


def _join(first: _Para, second: _Para) -> _Para:
    """Accepting a deleted paragraph mark: ``first`` runs on into ``second``. An emptied
    paragraph leaves nothing behind (its bookmarks went with its text)."""
    if not "".join(x.text for x in first.pieces).strip():
        second.revisions = first.revisions + second.revisions
        second.comments = first.comments + [c for c in second.comments if c not in first.comments]
        return second
    first.pieces += second.pieces
    first.bookmarks += second.bookmarks
    first.revisions += second.revisions
    first.comments += [c for c in second.comments if c not in first.comments]
    first.mark = second.mark
    return first


# -- the package ---------------------------------------------------------------------------------
def _rels(zf: guard.Package, owner: str) -> list[tuple[str, str]]:
    """(type suffix, part name) for the relationships of part ``owner`` ("" for the package)."""
    folder, _, base = owner.rpartition("/")
    name = f"{folder}/_rels/{base}.rels" if owner else "_rels/.rels"
    root = _parse(zf, name)
    out: list[tuple[str, str]] = []
    if root is None:
        return out
    for rel in root.iter(_REL):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            parts: list[str] = folder.split("/") if folder else []
            for piece in target.split("/"):
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece and piece != ".":
                    parts.append(piece)
            path = "/".join(parts)
        out.append((rel.get("Type", "").removeprefix(_RT), path))
    return out


def _properties(zf: guard.Package, package_rels: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    name = next((p for k, p in package_rels if k == "custom-properties"), "docProps/custom.xml")
    root = _parse(zf, name)
    if root is None:
        return ()
    out = []
    for prop in root.iter(_CUSTOM_NS + "property"):
        value = "".join(str(t) for t in prop.itertext()).strip()
        out.append((prop.get("name", ""), value))
    return tuple(out)


def _base(zf: guard.Package, main_rels: list[tuple[str, str]]) -> str:
    for kind, name in main_rels:
        if kind != "customXml":
            continue
        root = _parse(zf, name)
        if root is not None and root.tag == f"{{{BASE_NAMESPACE}}}{BASE_ELEMENT}":
            return root.text or ""
    return ""


def _comments(zf: guard.Package, main_rels: list[tuple[str, str]], reader: _Reader,
              ) -> tuple[Comment, ...]:
    name = next((p for k, p in main_rels if k == "comments"), "")
    root = _parse(zf, name) if name else None
    if root is None:
        return ()
    threads: dict[str, tuple[str, bool]] = {}  # paraId → (parent paraId, done)
    ext = next((p for k, p in main_rels if k.endswith("commentsExtended")), "")
    ext_root = _parse(zf, ext) if ext else None
    if ext_root is not None:
        for ex in ext_root.iter(_W15 + "commentEx"):
            threads[ex.get(_W15 + "paraId", "")] = (ex.get(_W15 + "paraIdParent", ""),
                                                     ex.get(_W15 + "done", "0") in ("1", "true"))
    by_para: dict[str, str] = {}
    found: list[tuple[str, _Element, str]] = []
    for c in root.iter(W + "comment"):
        cid = c.get(W + "id", "")
        paras = list(c.iter(_P))
        last = paras[-1].get(_W14_PARA, "") if paras else ""
        if last:
            by_para[last] = cid
        found.append((cid, c, last))
    out = []
    for cid, c, last in found:
        text = "\n".join("".join(t.text or "" for t in p.iter(_T)) for p in c.iter(_P)).strip()
        parent_para, done = threads.get(last, ("", False))
        out.append(Comment(id=cid, author=c.get(W + "author", ""), initials=c.get(W + "initials", ""),
                           date=c.get(W + "date", ""), text=text, quoted=reader.quoted.get(cid, ""),
                           paragraph=reader.anchored.get(cid, 0), reply_to=by_para.get(parent_para, ""),
                           done=done))
    return tuple(out)


def read_reviewed_docx(path: str, display: str | None = None, *, limits: Limits | None = None
                       ) -> tuple[ReviewedDocument | None, list[Diagnostic]]:
    """The reviewed document, or None and one fatal finding saying why it cannot be read."""
    display = display or path
    try:
        with guard.open_package(path, display, "Word .docx document", limits or guard.LIMITS) as zf:
            main = _main_part(zf)
            package_rels = _rels(zf, "")
            main_rels = _rels(zf, main)
            styles_name = next((p for k, p in main_rels if k == "styles"), "")
            styles = _Styles(_parse(zf, styles_name)
                             if styles_name else None)
            root = _parse(zf, main)
            reader = _Reader(styles)
            paras: list[_Para] = []
            body = root.find(W + "body") if root is not None else None
            pending: _Para | None = None
            for index, p in enumerate(_body_paragraphs(body) if body is not None else [], start=1):
                para = reader.paragraph(p, index)
                if pending is not None:
                    para = _join(pending, para)
                    pending = None
                if para.mark == "deleted":
                    pending = para
                    continue
                paras.append(para)
            if pending is not None:
                paras.append(pending)
            comments = _comments(zf, main_rels, reader)
            properties = _properties(zf, package_rels)
            base = _base(zf, main_rels)
    except guard.Refused as exc:
        return None, [_refused(exc, display)]
    except _Refused as exc:
        return None, [exc.diag]
    out = tuple(
        ReviewedParagraph(
            index=p.index, style=styles.name(p.style_id), indent=p.indent,
            style_indent=styles.inherited(p.style_id, "indent") or 0, outline=p.outline, pieces=tuple(p.pieces),
            bookmarks=tuple(p.bookmarks), revisions=tuple(p.revisions), comments=tuple(p.comments),
            table=p.cell[0], row=p.cell[1], col=p.cell[2], header_row=p.header_row, toc=p.toc)
        for p in paras)
    return ReviewedDocument(file=display, paragraphs=out, comments=comments, properties=properties, base=base), []
