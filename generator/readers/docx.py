"""Read a Word S1SR as a reader sees it: every body paragraph with the number it displays.

``read_docx(path)`` returns a :class:`~generator.model.external.WordDocument` and findings. A
number is either Word automatic numbering, computed from ``word/numbering.xml`` and the styles
(:mod:`generator.readers.docx_numbering`), or a clause number typed at the start of the text.

The file is distrusted: it is opened, unpacked and parsed through the one package guard of
:mod:`generator.ooxml.guard` (size, entry count, unpacked size, compression ratio, encryption
checked before anything is unpacked; DTDs and entities refused; one hardened parser). Whatever
cannot be read is one fatal finding saying which file and why; bad input never raises.

``word/document.xml`` is parsed in one streaming pass (``iterparse``), clearing each paragraph
once read, so memory and time stay linear in the document's size.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, Location, Rule
from generator.diagnostics.rules import external as R
from generator.diagnostics.rules import safety as S
from generator.model.external import Paragraph, WordDocument
from generator.ooxml import guard
from generator.ooxml.guard import Limits
from generator.readers.docx_numbering import Numbering, W

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["Limits", "read_docx"]

_VAL = W + "val"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


class _Refused(Exception):
    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(diag.message)
        self.diag = diag


def _refuse(rule: Rule, display: str, why: str, help: str = "") -> _Refused:
    return _Refused(Diagnostic.make(rule, why, Location(file=display), help=help))


# -- the package: opened, unpacked and parsed through the one guard in generator.ooxml ----------
_RULES: dict[guard.Refusal, Rule] = {
    guard.Refusal.UNREADABLE: R.NOT_A_DOCX, guard.Refusal.NOT_A_PACKAGE: R.NOT_A_DOCX,
    guard.Refusal.ENCRYPTED: R.ENCRYPTED_DOCX, guard.Refusal.TOO_LARGE: R.DOCX_TOO_LARGE,
    guard.Refusal.DAMAGED: R.CORRUPT_DOCX, guard.Refusal.UNSAFE_XML: R.UNSAFE_DOCX_XML,
}
_HELP = {
    guard.Refusal.UNREADABLE: "check the path and that the file is readable",
    guard.Refusal.NOT_A_PACKAGE: "open it in Word or LibreOffice and save it as Word Document (.docx)",
    guard.Refusal.ENCRYPTED: "remove the password, or save it as a Word Document (.docx) in Word",
    guard.Refusal.TOO_LARGE: "remove embedded media and save again; do not use a file sent as a zip bomb",
    guard.Refusal.DAMAGED: "fetch the file again or let Word repair it and save it again",
    guard.Refusal.UNSAFE_XML: "do not use this file; ask for a copy saved by Word",
}


def _refused(exc: guard.Refused, display: str) -> Diagnostic:
    return Diagnostic.make(_RULES[exc.reason], exc.message, Location(file=display), help=_HELP[exc.reason])


def _parse(pkg: guard.Package, name: str) -> _Element | None:
    data = pkg.read(name)
    return None if data is None else guard.parse(data, name, pkg.display)


def _main_part(pkg: guard.Package) -> str:
    names, display = pkg.names, pkg.display
    if "xl/workbook.xml" in names:
        raise _refuse(R.NOT_A_DOCX, display,
                      f"{display} is an Excel workbook, not the S1SR Word document",
                      help="give the .docx with --docx and the DMVESM workbook with --xlsx")
    if "mimetype" in names and "content.xml" in names:
        raise _refuse(R.NOT_A_DOCX, display,
                      f"{display} is an OpenDocument file, not a Word .docx",
                      help="open it in LibreOffice and save it as Word 2007-365 (.docx)")
    rels = _parse(pkg, "_rels/.rels")
    if rels is not None:
        for rel in rels.iter(_REL + "Relationship"):
            if rel.get("Type") == _OFFICE_DOC:
                target = str(rel.get("Target", "")).lstrip("/")
                if target in names:
                    if not target.startswith("word/"):
                        break
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    if "ppt/presentation.xml" in names:
        raise _refuse(R.NOT_A_DOCX, display, f"{display} is a PowerPoint presentation, not the S1SR Word document")
    raise _refuse(R.NOT_A_DOCX, display,
                  f"{display} is a zip archive but not a Word document: it has no word/document.xml",
                  help="give the S1SR .docx")


def _part_rels(pkg: guard.Package, main: str) -> dict[str, str]:
    """Relationship type suffix → part name for the main part (numbering, styles)."""
    folder, _, base = main.rpartition("/")
    root = _parse(pkg, f"{folder}/_rels/{base}.rels")
    out: dict[str, str] = {}
    if root is None:
        return out
    for rel in root.iter(_REL + "Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else os.path.normpath(f"{folder}/{target}")
        out.setdefault(kind, path.replace(os.sep, "/"))
    return out


# -- paragraphs ---------------------------------------------------------------------------
# Containers whose text is part of the paragraph as displayed (tracked insertions accepted,
# deletions dropped); anything else (drawings, text boxes, w:pPr) is not paragraph text.
# Tracked insertions (ins, moveTo) count in the view with every change accepted, tracked
# deletions (del, moveFrom) in the original view.
_INLINE_CONTAINERS = {W + t for t in ("hyperlink", "smartTag", "sdt", "sdtContent", "fldSimple", "customXml", "bdo",
                                      "dir")}
_INSERTED = {W + "ins", W + "moveTo"}
_DELETED = {W + "del", W + "moveFrom"}
_FINAL, _ORIGINAL, _BOTH = 1, 2, 3  # the views a run is part of
_RUN = W + "r"
_TEXT, _TAB, _BR, _CR = W + "t", W + "tab", W + "br", W + "cr"
_NBH, _FLDCHAR, _INSTR = W + "noBreakHyphen", W + "fldChar", W + "instrText"
_DELTEXT, _DELINSTR = W + "delText", W + "delInstrText"
_FLDTYPE = W + "fldCharType"
_KINDS = frozenset((W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "fldChar", W + "instrText",
                    W + "bookmarkStart", W + "delText", W + "delInstrText"))
_PPRCHANGE = W + "pPrChange"
_SMALL_INT = re.compile(r"[0-9]{1,4}")  # ASCII digits only: str.isdigit() also takes '²', which int() refuses
_OFF = ("0", "false", "off")


def _run_props(rpr: _Element) -> tuple[bool, str]:
    """(hidden, kind) of a run: w:vanish; "heading" for a character style named as a heading,
    "term" for bold or a term/strong style, "emph" for italic or an emphasis style, else ""."""
    hidden = False
    kind = ""
    for c in rpr:
        tag = c.tag
        if tag == _VANISH:
            hidden = c.get(_VAL, "1") not in _OFF
        elif tag == _RSTYLE:
            name = c.get(_VAL, "").lower()
            if "heading" in name:
                kind = "heading"
            elif ("term" in name or "strong" in name) and kind != "heading":
                kind = "term"
            elif "emph" in name and not kind:
                kind = "emph"
        elif tag == _BOLD and c.get(_VAL, "1") not in _OFF and kind in ("", "emph"):
            kind = "term"
        elif tag == _ITALIC and c.get(_VAL, "1") not in _OFF and not kind:
            kind = "emph"
    return hidden, kind


_P, _PPR, _RPR = W + "p", W + "pPr", W + "rPr"
_VANISH, _BOLD, _ITALIC, _RSTYLE = W + "vanish", W + "b", W + "i", W + "rStyle"
_HYPERLINK, _ANCHOR, _BOOKMARK, _NAME = W + "hyperlink", W + "anchor", W + "bookmarkStart", W + "name"
_PSTYLE, _NUMPR, _NUMID, _ILVL = W + "pStyle", W + "numPr", W + "numId", W + "ilvl"
_OUTLINE = W + "outlineLvl"
_TXBX, _TC, _TR, _SDT, _BODY = W + "txbxContent", W + "tc", W + "tr", W + "sdt", W + "body"
_HEADING_NAME = re.compile(r"(?i)^heading\s*([1-9])$")
_TOC_NAME = re.compile(r"(?i)^(toc\s*\d|toc heading|table of contents)")
_VERSION = re.compile(r"(?i)\bversion\s+(\d+(?:\.\d+)*)\b")

# A clause number typed at the start of a paragraph: 18, 18.5, 18.5A, 18.5p, 18.5pa, 18.5p(i),
# (p), (ii), (ia), (A), (1); in an annex "Annex B", B.1, B.1a. A bare integer counts only before a
# tab, with a dot, or in a heading; "Annex B" only before a tab, alone, or in a heading.
_TYPED = re.compile(
    r"^[ \u00a0]*(?P<label>"
    r"\d{1,3}[A-Z]{0,2}(?:\.\d{1,3}[A-Z]{0,2})+(?:[a-z]{1,3}(?:\([ivxlcdm]{1,7}[a-z]{0,2}\))?)?\.?"
    r"|Annex [A-Z]{1,2}[a-z]{0,2}"
    r"|[A-Z]{1,2}[a-z]{0,2}(?:\.\d{1,3}[A-Z]{0,2})+(?:[a-z]{1,3}(?:\([ivxlcdm]{1,7}[a-z]{0,2}\))?)?\.?"
    r"|\d{1,3}[A-Z]{0,2}\.?"
    r"|\((?:[a-z]{1,3}|[ivxlcdm]{1,7}[a-z]{0,2}|[A-Z]{1,3}|\d{1,3})\)"
    r")(?P<sep>\t|[ \u00a0]+|$)"
)


def split_typed_label_at(text: str, *, heading: bool = False) -> tuple[str, int]:
    """(typed label, where the text after it starts); ("", 0) when the paragraph starts with no number."""
    m = _TYPED.match(text)
    if not m:
        return "", 0
    label = m.group("label")
    bare = label.rstrip(".").isdigit() or (label[0].isdigit() and "." not in label.rstrip(".")) or \
        label.startswith("Annex ")
    if bare and not (m.group("sep") == "\t" or label.endswith(".") or heading or m.group("sep") == ""):
        return "", 0
    return label, m.end()


def split_typed_label(text: str, *, heading: bool = False) -> tuple[str, str]:
    """(typed label, rest of the text); ("", text) when the paragraph starts with no number."""
    label, at = split_typed_label_at(text, heading=heading)
    return (label, text[at:].strip()) if label else ("", text)


def _covered(start: int, end: int, line: str, spans: list[tuple[int, int]]) -> bool:
    """Every visible character of text[start:end] lies in a bold or heading-styled span."""
    covered = 0
    for a, b in spans:
        lo, hi = max(a, start), min(b, end)
        if hi > lo:
            covered += hi - lo
    return covered >= len(line.rstrip()) - (len(line) - len(line.lstrip()))


@dataclass(slots=True)
class _Field:
    instr: str = ""
    result: bool = False


@dataclass(slots=True)
class _Props:
    """The numbering-related paragraph properties of one view."""

    style_id: str = ""
    num_id: str | None = None
    ilvl: int | None = None
    outline: str = ""


def _props(ppr: _Element | None) -> _Props:
    """pStyle, numPr and outlineLvl of a w:pPr, in one pass over its children (ElementPath's
    find() costs more than the whole walk)."""
    return _paragraph_props(ppr)[0]


def _paragraph_props(ppr: _Element | None) -> tuple[_Props, int, _Element | None]:
    """(the properties ``_props`` reads, the views the paragraph mark is in, the first
    w:pPrChange) in one pass over w:pPr's children (ElementPath's find() costs more)."""
    out = _Props()
    if ppr is None:
        return out, _BOTH, None
    rpr = change = None
    for c in ppr:
        tag = c.tag
        if tag == _PSTYLE:
            out.style_id = c.get(_VAL, "")
        elif tag == _NUMPR:
            for n in c:
                if n.tag == _NUMID:
                    out.num_id = n.get(_VAL)
                elif n.tag == _ILVL and _SMALL_INT.fullmatch(n.get(_VAL, "")):
                    out.ilvl = int(n.get(_VAL, "0"))
        elif tag == _OUTLINE:
            out.outline = c.get(_VAL, "")
        elif tag == _RPR:
            rpr = c if rpr is None else rpr
        elif tag == _PPRCHANGE:
            change = c if change is None else change
    # Which views the paragraph mark is in: a tracked insertion of the mark (w:pPr/w:rPr/w:ins) is
    # not in the original, a tracked deletion (w:del) not in the final view.
    return out, _BOTH if rpr is None else _views_of_mark(rpr), change


def _views_of_mark(rpr: _Element) -> int:
    views = _BOTH
    for c in rpr:
        if c.tag in _INSERTED:
            views &= _FINAL
        elif c.tag in _DELETED:
            views &= _ORIGINAL
    return views


class _Reader:
    def __init__(self, numbering: Numbering, display: str, diags: list[Diagnostic]) -> None:
        self.numbering = numbering
        # The counters of the original view (tracked changes rejected): the same as the final
        # view's until the first tracked change, when they are forked.
        self.original: Numbering | None = None
        self.display = display
        self.diags = diags
        self.fields: list[_Field] = []
        self.out: list[Paragraph] = []
        self.index = 0
        self.bad_num_reported = False
        self.warned = 0  # numbering.warnings reported so far
        self.limited = 0  # numbering.limits reported so far
        self._heading_cache: dict[str, int] = {}
        self._toc_cache: dict[str, bool] = {}
        self.pos = 0  # characters collected so far in the current paragraph
        self.strong: list[tuple[int, int]] = []  # spans of bold or heading-styled text in it
        self.headed: list[tuple[int, int]] = []  # spans of heading-styled text only
        self.marks: list[tuple[int, int, str, str]] = []  # (start, end, kind, value): term, emph, link
        self.bookmarks: list[str] = []
        self.toc_closed_at = -1  # where in the paragraph's text a table-of-contents field ended
        self.tracked = False  # a tracked change was seen
        self.carry = ""  # final-view text of a paragraph whose mark a tracked deletion removed
        self.carry_original = ""  # original-view text of a paragraph whose mark is a tracked insertion
        self.deleted: list[str] = []  # numbers of numbered paragraphs that only the original view has

    # text of one paragraph, as displayed
    def _collect(self, p: _Element, parts: list[str], original: list[str]) -> None:
        """The paragraph's text in one C-level walk over the elements that carry text or fields.

        A run counts where it is paragraph text: directly in the paragraph or in an inline
        container (hyperlink, field, content control); a tracked insertion only in the final
        view (``parts``), a tracked deletion only in the original view (``original``); runs in a
        text box anchored in the paragraph in neither.
        """
        last_run: _Element | None = None
        views = 0
        hidden = False
        kind = link = ""
        fields = self.fields
        kinds = _KINDS
        for el in p.iterdescendants():  # faster in lxml than a walk filtered by several tags
            tag = el.tag
            if tag not in kinds:
                continue
            if tag == _BOOKMARK:
                self._bookmark(el)
                continue
            run = el.getparent()
            if run is not last_run:
                last_run = run
                if run is not None and run.getparent() is p and run.tag == _RUN and (
                        not len(run) or run[0].tag != _RPR):
                    # the common run: plain text right in the paragraph (what _run would say)
                    views, hidden, kind, link = _BOTH, False, "", ""
                else:
                    views, hidden, kind, link = self._run(run, p)
            if not views:
                continue
            if tag == _TEXT or tag == _DELTEXT:
                piece = el.text or ""
            elif tag == _TAB:
                piece = "\t"
            elif tag == _FLDCHAR or tag == _INSTR or tag == _DELINSTR:
                if views & _FINAL:
                    self._field(el, tag)
                continue
            elif tag == _NBH:
                piece = "-"
            else:
                piece = "\n"
            if not piece or hidden or (fields and not fields[-1].result):
                continue
            if views & _ORIGINAL:
                original.append(piece)
            if not views & _FINAL:
                continue
            if kind or link:
                self._shown(piece, kind, link)
            else:  # no mark, no span: only the position moves
                self.pos += len(piece)
            parts.append(piece)

    def _shown(self, piece: str, kind: str, link: str) -> None:
        """Advance over a piece of final-view text, extending its bold spans and marks."""
        marks = self.marks
        start = self.pos
        end = start + len(piece)
        if kind in ("heading", "term") and piece.strip():
            self.strong.append((start, end))
            if kind == "heading":
                self.headed.append((start, end))
        for mk, value in (("link", link), (kind, "")):
            if mk and (mk != "link" or value) and mk != "heading":
                if marks and marks[-1][1] == start and marks[-1][2] == mk and marks[-1][3] == value:
                    marks[-1] = (marks[-1][0], end, mk, value)
                else:
                    marks.append((start, end, mk, value))
        self.pos = end

    def _field(self, el: _Element, tag: str) -> None:
        if tag == _FLDCHAR:
            self._field_char(el.get(_FLDTYPE))
        elif self.fields:
            self.fields[-1].instr += el.text or ""

    def _bookmark(self, el: _Element) -> None:
        name = el.get(_NAME, "")
        if name and not name.startswith("_"):  # Word's own (_Toc…, _Ref…) are not ours
            self.bookmarks.append(name)

    def _run(self, run: _Element | None, p: _Element) -> tuple[int, bool, str, str]:
        """(views, hidden, kind, link) of the run that holds the next text: once per run."""
        if run is None or run.tag != _RUN:
            return 0, False, "", ""
        views = self._views(run, p)
        hidden, kind, link = False, "", ""
        if views & _FINAL:
            rpr = run[0] if len(run) and run[0].tag == _RPR else None
            if rpr is not None:
                hidden, kind = _run_props(rpr)
            holder = run.getparent()
            if holder is not None and holder.tag == _HYPERLINK:
                link = holder.get(_ANCHOR, "")
        return views, hidden, kind, link

    def _field_char(self, kind: str | None) -> None:
        fields = self.fields
        if kind == "begin":
            fields.append(_Field())
        elif kind == "separate" and fields:
            fields[-1].result = True
        elif kind == "end" and fields:
            done = fields.pop()
            if done.result and done.instr.strip().upper().startswith("TOC"):
                self.toc_closed_at = self.pos

    def _views(self, run: _Element, p: _Element) -> int:
        """The views a run is part of: both, the final one (inside a tracked insertion), the
        original one (inside a tracked deletion), or none (in a text box, a drawing, w:pPr)."""
        parent = run.getparent()
        if parent is p:
            return _BOTH
        views = _BOTH
        el = parent
        while el is not None and el is not p:
            tag = el.tag
            if tag in _INSERTED:
                views &= _FINAL
                self.tracked = True
            elif tag in _DELETED:
                views &= _ORIGINAL
                self.tracked = True
            elif tag not in _INLINE_CONTAINERS:
                return 0
            el = el.getparent()
        return views if el is p else 0

    def _in_toc_field(self) -> bool:
        return any(f.result and f.instr.strip().upper().startswith("TOC") for f in self.fields)

    def _toc_style(self, style: str) -> bool:
        if style not in self._toc_cache:
            self._toc_cache[style] = bool(_TOC_NAME.match(style))
        return self._toc_cache[style]

    def _heading_level(self, style_id: str, outline: str) -> int:
        if outline and _SMALL_INT.fullmatch(outline) and int(outline) < 9:
            return int(outline) + 1
        if style_id in self._heading_cache:
            return self._heading_cache[style_id]
        level = 0
        for sid in self.numbering.style_chain(style_id):
            m = _HEADING_NAME.match(self.numbering.style_name(sid)) or _HEADING_NAME.match(sid)
            if m:
                level = int(m.group(1))
                break
            ol = self.numbering.outline_level(sid)
            if ol is not None:
                level = ol
                break
        self._heading_cache[style_id] = level
        return level

    def _run_in(self, text: str, offset: int) -> tuple[str, int]:
        """A run-in heading (a bold first line) and where the clause text starts after it."""
        first_break = text.find("\n", offset)
        if first_break > offset and self.strong:
            line = text[offset:first_break]
            if line.strip() and len(line) <= 200 and _covered(offset, first_break, line, self.strong):
                return line.strip(), first_break + 1
        elif first_break < 0 and self.headed:
            # A run-in heading with nothing after it (a heading over a table or sub-clauses).
            line = text[offset:]
            if line.strip() and len(line) <= 200 and _covered(offset, len(text), line, self.headed):
                return line.strip(), len(text)
        return "", offset

    def _number(self, props: _Props, text: str) -> tuple[str, str, str, int]:
        """(Word's label, LibreOffice's label when it differs, list id, 1-based list level) of a
        paragraph in the final view; the counters advance as Word's do."""
        numbered = self.numbering.paragraph_numbering(props.num_id, props.ilvl, props.style_id)
        if numbered is None:
            return "", "", "", 0
        label = lo_label = list_id = ""
        level = 0
        lab = self.numbering.next_label(*numbered)
        if lab is None:
            if not self.bad_num_reported and self.numbering.problems:
                self.bad_num_reported = True
                self.diags.append(Diagnostic.make(
                    R.BAD_NUMBERING,
                    f"paragraph {self.index} uses automatic numbering that cannot be computed: "
                    f"{self.numbering.problems[-1]}",
                    Location(file=self.display, line=0),
                    help="reapply the clause numbering in Word, or type the number"))
        elif not lab.bullet and lab.text.strip():
            label, list_id, level = lab.text.strip(), lab.list_id, lab.level + 1
            if lab.libreoffice != lab.text:
                lo_label = lab.libreoffice.strip()
        while self.warned < len(self.numbering.warnings):
            self.diags.append(Diagnostic.make(
                R.BAD_NUMBERING, f"paragraph {self.index} ('{text[:40]}'): "
                f"{self.numbering.warnings[self.warned]}", Location(file=self.display, clause_number=label),
                help="use decimal, letter or roman numbering for clause numbers, or type them"))
            self.warned += 1
        while self.limited < len(self.numbering.limits):
            self.diags.append(Diagnostic.make(
                R.LEVEL_TEXT_LIMITS, f"paragraph {self.index} ('{text[:40]}'): "
                f"{self.numbering.limits[self.limited]}", Location(file=self.display, clause_number=label),
                help="correct the number format of the list level in Word (Define New Multilevel List), "
                "or type the numbers"))
            self.limited += 1
        return label, lo_label, list_id, level

    @staticmethod
    def _original_number(original: Numbering, props: _Props) -> str:
        numbered = original.paragraph_numbering(props.num_id, props.ilvl, props.style_id)
        lab = original.next_label(*numbered) if numbered is not None else None
        return lab.text.strip() if lab is not None and not lab.bullet else ""

    def paragraph(self, p: _Element, *, cell: tuple[int, int, int], in_toc_sdt: bool) -> None:
        self.index += 1
        toc_before = bool(self.fields) and self._in_toc_field()
        # w:pPr is the first child when present (schema order).
        first = p[0] if len(p) else None
        props, mark, change = _paragraph_props(first if first is not None and first.tag == _PPR else None)
        if mark != _BOTH or change is not None:
            self.tracked = True
        parts: list[str] = []
        original: list[str] = []
        self.pos = 0
        self.strong = []
        self.headed = []
        self.marks = []
        self.bookmarks = []
        self.toc_closed_at = -1
        self._collect(p, parts, original)
        if self.carry:
            parts.insert(0, self.carry)
            self.carry = ""
            # marks and spans were counted from the paragraph's own start
            shift = len(parts[0])
            self.marks = [(a + shift, b + shift, k, v) for a, b, k, v in self.marks]
            self.strong = [(a + shift, b + shift) for a, b in self.strong]
            self.headed = [(a + shift, b + shift) for a, b in self.headed]
            if self.toc_closed_at >= 0:
                self.toc_closed_at += shift
        text = "".join(parts)
        style = self.numbering.style_name(props.style_id) if props.style_id else ""
        heading = self._heading_level(props.style_id, props.outline)
        # The original view: the paragraph as it was before the tracked changes (its properties
        # from w:pPrChange), counted by counters of its own.
        original_label: str | None = None
        if self.tracked and self.original is None:
            self.original = self.numbering.fork()  # the views part here: count the original on its own
        if self.original is None:
            pass  # no tracked change so far: both views are the same
        elif mark & _ORIGINAL:
            old_props = _props(change.find(_PPR)) if change is not None else props
            old_text = self.carry_original + "".join(original)
            self.carry_original = ""
            old_label = self._original_number(self.original, old_props)
            if not old_label:
                old_label, _ = split_typed_label_at(old_text, heading=bool(heading))
            if not mark & _FINAL:
                if old_label:
                    self.deleted.append(old_label)
                self.carry = text if text.strip() else ""
                return  # a tracked deletion of the paragraph mark: the text joins the next paragraph
            original_label = old_label
        else:
            self.carry_original = "".join(original)
        # Word counts every numbered paragraph it shows, also those the check leaves out (contents).
        label, lo_label, list_id, list_level = self._number(props, text)
        auto = bool(label)
        closed_toc = toc_before and self.toc_closed_at >= 0 and not self._in_toc_field()
        if closed_toc and not self._toc_style(style):
            # The paragraph that ends the table of contents is a paragraph of the document too
            # (often the first heading): only the text after the field's end is its own.
            cut = self.toc_closed_at
            text = text[cut:]
            self.strong = [(a - cut, b - cut) for a, b in self.strong if b > cut]
            self.headed = [(a - cut, b - cut) for a, b in self.headed if b > cut]
            self.marks = [(max(a - cut, 0), b - cut, k, v) for a, b, k, v in self.marks if b > cut]
        elif toc_before or (self.fields and self._in_toc_field()) or in_toc_sdt or self._toc_style(style):
            return
        offset = 0
        if not auto:
            label, offset = split_typed_label_at(text, heading=bool(heading))
        if original_label is not None and original_label == label:
            original_label = None
        run_in, offset = ("", offset) if heading else self._run_in(text, offset)
        rest = text[offset:]
        text = rest.strip()
        lead = offset + len(rest) - len(rest.lstrip())
        marks = tuple((max(a - lead, 0), min(b - lead, len(text)), k, v) for a, b, k, v in self.marks
                      if b - lead > 0 and a - lead < len(text)) if self.marks else ()
        if not label and not text and not run_in:
            return
        self.out.append(Paragraph(
            index=self.index, label=label, text=text, auto=auto, libreoffice_label=lo_label, list_id=list_id,
            run_in=run_in, marks=marks, bookmarks=tuple(self.bookmarks), list_level=list_level, style=style,
            heading=heading, table=cell[0], row=cell[1], col=cell[2], original_label=original_label,
            inserted=not mark & _ORIGINAL))


_NO_CELL = (0, 0, 0)
_TABLE_MARK = "s1sr-table"


class _Tables:
    """Numbers tables in document order (the mark lives on the element while it is parsed)."""

    def __init__(self) -> None:
        self.count = 0

    def cell(self, tc: _Element) -> tuple[int, int, int]:
        tr = tc.getparent()
        tbl = tr.getparent() if tr is not None else None
        if tr is None or tbl is None:
            return _NO_CELL
        mark = tbl.get(_TABLE_MARK)
        if mark is None:
            self.count += 1
            mark = str(self.count)
            tbl.set(_TABLE_MARK, mark)
        return int(mark), _ordinal(tr, _TR), _ordinal(tc, _TC)


def _ordinal(el: _Element, tag: str) -> int:
    """1-based position of ``el`` among its ``tag`` siblings, cached on the elements (linear overall)."""
    cached = el.get(_TABLE_MARK)
    if cached is not None:
        return int(cached)
    prev = el.getprevious()
    while prev is not None and prev.tag != tag:
        prev = prev.getprevious()
    n = _ordinal(prev, tag) + 1 if prev is not None else 1
    el.set(_TABLE_MARK, str(n))
    return n


def _context(p: _Element, tables: _Tables) -> tuple[bool, tuple[int, int, int], bool]:
    """(in a text box, (table, row, column) or zeros, in a table-of-contents content control)."""
    cell = _NO_CELL
    in_toc = False
    el = p.getparent()
    while el is not None and el.tag != _BODY:
        tag = el.tag
        if tag == _TXBX or tag == _P:
            return True, _NO_CELL, False
        if tag == _TC and cell is _NO_CELL:
            cell = tables.cell(el)
        elif tag == _SDT:
            gal = el.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
            if gal is not None and "contents" in gal.get(_VAL, "").lower():
                in_toc = True
        el = el.getparent()
    return False, cell, in_toc


def _stream(data: bytes, reader: _Reader, display: str, name: str) -> None:
    tables = _Tables()
    for _event, p in guard.iterparse(data, name, display, tag=_P):
        in_box, cell, in_toc = _context(p, tables)
        if in_box:
            continue
        reader.paragraph(p, cell=cell, in_toc_sdt=in_toc)
        p.clear()
        parent = p.getparent()
        if parent is not None:
            while p.getprevious() is not None:
                del parent[0]


def _title(pkg: guard.Package) -> str:
    root = _parse(pkg, "docProps/core.xml")
    if root is None:
        return ""
    el = root.find("{http://purl.org/dc/elements/1.1/}title")
    return (el.text or "").strip() if el is not None else ""


def read_docx(path: str, display: str | None = None, *, limits: Limits | None = None
              ) -> tuple[WordDocument | None, list[Diagnostic]]:
    """The document's body paragraphs as displayed, or None and one fatal finding saying why."""
    display = display or path
    diags: list[Diagnostic] = []
    try:
        with guard.open_package(path, display, "Word .docx document", limits or guard.LIMITS) as pkg:
            main = _main_part(pkg)
            rels = _part_rels(pkg, main)
            numbering_xml = _parse(pkg, rels["numbering"]) if "numbering" in rels else None
            styles_xml = _parse(pkg, rels["styles"]) if "styles" in rels else None
            numbering = Numbering(numbering_xml, styles_xml)
            diags += [Diagnostic.make(S.DOCX_NUMBER_OUT_OF_RANGE, f"{display}: {what}", Location(file=display))
                      for what in numbering.out_of_range]
            data = pkg.read(main)
            if data is None:
                raise _refuse(R.NOT_A_DOCX, display, f"{display} has no main document part ({main})")
            reader = _Reader(numbering, display, diags)
            _stream(data, reader, display, main)
            title = _title(pkg)
    except guard.Refused as exc:
        return None, [_refused(exc, display)]
    except _Refused as exc:
        return None, [exc.diag]
    version = ""
    for para in reader.out[:40]:
        m = _VERSION.search(para.text)
        if m:
            version = m.group(1)
            break
    return WordDocument(file=display, paragraphs=tuple(reader.out), title=title, version=version,
                        tracked=reader.tracked, deleted=tuple(reader.deleted)), diags
