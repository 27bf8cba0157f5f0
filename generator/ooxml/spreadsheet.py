"""SpreadsheetML written as text: a workbook's cells, looks, merges, print setup, links and notes
kept in plain dictionaries (:class:`Sheet`), then rendered straight to the parts of an .xlsx.

openpyxl builds an object per cell and a tree per part, then serialises both; a DMVESM at scale
is 100,000 cells, and that was most of the cost of a build. Here a cell is a tuple (look, text),
a row is one string, and every part is written once into the zip, with fixed entry order,
timestamps and permissions, so the same sheets always give the same bytes.

A cell's look is a :data:`Look`: (base, font, fill, quote prefix). The base names one of the
workbook's named cell styles (``S1SR text`` …) or an unnamed look; ``font`` and ``fill``, when
set, replace the base's (as assigning ``cell.fill`` to a styled cell does in Excel). The style
sheet holds exactly the looks the sheets use, numbered as first met.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import IO

from generator.ooxml.markup import escape, escape_attr
from generator.ooxml.package import write_normalised

__all__ = ["Look", "Note", "PrintSetup", "Properties", "Run", "Sheet", "clean_text", "column_index", "column_letter",
           "look", "workbook_package"]

# (base look, font name or "", fill name or "", quote prefix)
Look = tuple[str, str, str, bool]
Run = tuple[str, str]  # (font name or "" for the cell's own, text)
Value = str | tuple[Run, ...]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument."
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# -- looks ------------------------------------------------------------------------------------
# A font's children in the order Excel writes them (b, i, strike, u, sz, color, name, family, scheme).
_CALIBRI = '<name val="Calibri"/><family val="2"/>'
FONTS: dict[str, str] = {
    "theme": f'<font><sz val="11"/><color theme="1"/>{_CALIBRI}<scheme val="minor"/></font>',
    "body": f'<font><sz val="11"/>{_CALIBRI}<scheme val="minor"/></font>',
    "bold": f'<font><b val="1"/><sz val="11"/>{_CALIBRI}<scheme val="minor"/></font>',
    "link": f'<font><u val="single"/><sz val="11"/><color rgb="FF0563C1"/>{_CALIBRI}<scheme val="minor"/></font>',
    "grey": f'<font><sz val="11"/><color rgb="FF808080"/>{_CALIBRI}<scheme val="minor"/></font>',
    # The redline's: a removed cell's old text, red and struck through; the Changes sheet's headings.
    # Neither names a font or size: the workbook's default (Calibri 11) shows.
    "struck": '<font><strike val="1"/><color rgb="FFC00000"/></font>',
    "b": '<font><b val="1"/></font>',
}
# The redline's marks as runs of rich text: old text red and struck through, new text blue and underlined.
RUN_FONTS: dict[str, str] = {
    "old": '<rPr><strike val="1"/><sz val="11"/><color rgb="FFC00000"/><rFont val="Calibri"/></rPr>',
    "new": '<rPr><u val="single"/><sz val="11"/><color rgb="FF1F4E9F"/><rFont val="Calibri"/></rPr>',
}


def _solid(rgb: str) -> str:
    return f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor rgb="{rgb}"/></patternFill></fill>'


FILLS: dict[str, str] = {
    "none": "<fill><patternFill/></fill>",
    "gray125": '<fill><patternFill patternType="gray125"/></fill>',
    "n/a": _solid("FFE7E6E6"),
    "heading": _solid("FFD9E1F2"),
    "group": _solid("FFB4C6E7"),
    "changed": _solid("FFFFF2CC"),
    "added": _solid("FFE2EFDA"),
    "removed": _solid("FFF8CBAD"),
}
_THIN = 'style="thin"><color rgb="00808080"/>'


def _border(left: bool, right: bool, top: bool, bottom: bool) -> str:
    parts = [(f"<{side} {_THIN}</{side}>" if on else f"<{side}/>")
             for side, on in (("left", left), ("right", right), ("top", top), ("bottom", bottom))]
    return f"<border>{''.join(parts)}<diagonal/></border>"


BORDERS: dict[str, str] = {
    "none": "<border><left/><right/><top/><bottom/><diagonal/></border>",
    "box": _border(True, True, True, True),
    # The cells a merged range covers carry the edges of its border (as Excel keeps them).
    "left right bottom": _border(True, True, False, True),
    "top bottom": _border(False, False, True, True),
    "right top bottom": _border(False, True, True, True),
}
_WRAP = '<alignment vertical="top" wrapText="1"/>'
_CENTRE_TOP = '<alignment horizontal="center" vertical="top"/>'
_HEAD = '<alignment horizontal="center" vertical="center" wrapText="1"/>'


@dataclass(frozen=True, slots=True)
class _Base:
    font: str
    fill: str = "none"
    border: str = "none"
    alignment: str = ""
    named: str = ""  # the named cell style it is, "" for none


# Named styles first, in this order: their place is their cellStyleXfs index (Normal is 0).
BASES: dict[str, _Base] = {
    "S1SR text": _Base("body", alignment=_WRAP, named="S1SR text"),
    "S1SR label": _Base("bold", alignment=_WRAP, named="S1SR label"),
    "S1SR link": _Base("link", alignment=_WRAP, named="S1SR link"),
    "S1SR mark": _Base("body", alignment=_CENTRE_TOP, named="S1SR mark"),
    "S1SR none": _Base("grey", alignment=_CENTRE_TOP, named="S1SR none"),
    "S1SR n/a": _Base("body", "n/a", alignment=_CENTRE_TOP, named="S1SR n/a"),
    "S1SR heading": _Base("bold", "heading", "box", _HEAD, named="S1SR heading"),
    "S1SR group heading": _Base("bold", "group", "box", _HEAD, named="S1SR group heading"),
    # Unnamed looks.
    "plain": _Base("theme"),
    "wrap": _Base("theme", alignment=_WRAP),
    "merged left right bottom": _Base("theme", border="left right bottom"),
    "merged top bottom": _Base("theme", border="top bottom"),
    "merged right top bottom": _Base("theme", border="right top bottom"),
}
_NAMED = [name for name, b in BASES.items() if b.named]
_BORDERED = {"S1SR heading", "S1SR group heading"}


def look(base: str, font: str = "", fill: str = "", quote: bool = False) -> Look:
    return (base, font, fill, quote)


# -- a sheet ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Note:
    """A cell comment, as Excel shows it on hover (and LibreOffice as an annotation)."""

    text: str
    author: str
    width: int = 240  # px
    height: int = 90


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintSetup:
    title_rows: str = ""  # "1:2"
    title_cols: str = ""  # "A:B"
    paper: int = 8  # 8 = A3, 9 = A4
    scale: int = 0  # a fixed scale, or 0 to fit to one page wide
    bottom: float = 0.75
    header: str = ""  # centre; already '&'-escaped for a header
    footer_left: str = ""
    footer_centre: str = ""
    footer_right: str = ""


@dataclass(slots=True)
class Sheet:
    """One worksheet: rows of (look, value) cells and everything around them."""

    title: str
    rows: dict[int, dict[int, tuple[Look, Value]]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, col, last row, col
    freeze: tuple[int, int] = (0, 0)  # (rows, columns) frozen
    auto_filter: str = ""
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    notes: dict[tuple[int, int], Note] = field(default_factory=dict)
    print: PrintSetup = field(default_factory=PrintSetup)

    def put(self, row: int, col: int, style: Look, value: Value = "") -> None:
        r = self.rows.get(row)
        if r is None:
            r = self.rows[row] = {}
        r[col] = (style, value)

    def get(self, row: int, col: int) -> tuple[Look, Value] | None:
        r = self.rows.get(row)
        return None if r is None else r.get(col)

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Merge the range; the cells it covers lose their values and carry its border's edges."""
        self.merges.append((first_row, first_col, last_row, last_col))
        top = self.get(first_row, first_col)
        boxed = top is not None and top[0][0] in _BORDERED
        for r in range(first_row, last_row + 1):
            for c in range(first_col, last_col + 1):
                if (r, c) == (first_row, first_col):
                    continue
                edges = [name for name, on in (("left", c == first_col), ("right", c == last_col),
                                               ("top", r == first_row), ("bottom", r == last_row)) if on]
                key = " ".join(edges)
                base = f"merged {key}" if boxed and f"merged {key}" in BASES else "plain"
                self.put(r, c, look(base), "")

    @property
    def max_row(self) -> int:
        return max(self.rows, default=1)

    @property
    def max_col(self) -> int:
        return max((max(r) for r in self.rows.values() if r), default=1)


_LETTERS: list[str] = []


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    while len(_LETTERS) < col:
        n = len(_LETTERS) + 1
        s = ""
        while n:
            n, rem = divmod(n - 1, 26)
            s = chr(65 + rem) + s
        _LETTERS.append(s)
    return _LETTERS[col - 1]


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_MAX_CELL = 32767  # Excel's limit on the characters in one cell
# What XML 1.0 cannot hold (the C0 controls but tab, line feed and carriage return).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def clean_text(value: str) -> str:
    """``value`` as a cell can hold it: characters XML cannot hold replaced, cut at Excel's limit."""
    if value.isprintable():  # the usual case: nothing to replace
        return value[:_MAX_CELL]
    return _ILLEGAL.sub("\ufffd", value)[:_MAX_CELL]


# -- rendering --------------------------------------------------------------------------------
def _t(text: str) -> str:
    if text != text.strip():  # leading or trailing spaces, or only spaces
        return f'<t xml:space="preserve">{escape(text)}</t>'
    return f"<t>{escape(text)}</t>"


class _Styles:
    """The cell formats (cellXfs) the sheets use, numbered as first met."""

    def __init__(self) -> None:
        self.index: dict[Look, int] = {look("plain"): 0}
        self.fonts = list(FONTS)
        self.fills = list(FILLS)
        self.borders = list(BORDERS)

    def __call__(self, key: Look) -> int:
        n = self.index.get(key)
        if n is None:
            n = self.index[key] = len(self.index)
        return n

    def _xf(self, key: Look) -> str:
        base, font, fill, quote = key
        b = BASES[base]
        f = self.fonts.index(font or b.font)
        fl = self.fills.index(fill or b.fill)
        bd = self.borders.index(b.border)
        xf_id = _NAMED.index(base) + 1 if b.named else 0
        attrs = f'numFmtId="0" fontId="{f}" fillId="{fl}" borderId="{bd}" xfId="{xf_id}"'
        if fill or b.fill != "none":
            attrs += ' applyFill="1"'
        if font or b.font != "theme":
            attrs += ' applyFont="1"'
        if b.border != "none":
            attrs += ' applyBorder="1"'
        if quote:
            attrs += ' quotePrefix="1"'
        if b.alignment:
            return f'<xf {attrs} applyAlignment="1">{b.alignment}</xf>'
        return f"<xf {attrs}/>"

    def xml(self) -> str:
        style_xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>']
        for name in _NAMED:
            b = BASES[name]
            attrs = (f'numFmtId="0" fontId="{self.fonts.index(b.font)}" fillId="{self.fills.index(b.fill)}" '
                     f'borderId="{self.borders.index(b.border)}"')
            style_xfs.append(f'<xf {attrs} applyAlignment="1">{b.alignment}</xf>' if b.alignment else f"<xf {attrs}/>")
        cell_xfs = [self._xf(k) for k, _ in sorted(self.index.items(), key=lambda kv: kv[1])]
        names = ['<cellStyle name="Normal" xfId="0" builtinId="0"/>']
        names += [f'<cellStyle name="{escape_attr(n)}" xfId="{i}"/>' for i, n in enumerate(_NAMED, start=1)]
        return (f'{_DECL}<styleSheet xmlns="{_MAIN}">'
                f'<fonts count="{len(self.fonts)}">{"".join(FONTS[f] for f in self.fonts)}</fonts>'
                f'<fills count="{len(self.fills)}">{"".join(FILLS[f] for f in self.fills)}</fills>'
                f'<borders count="{len(self.borders)}">{"".join(BORDERS[b] for b in self.borders)}</borders>'
                f'<cellStyleXfs count="{len(style_xfs)}">{"".join(style_xfs)}</cellStyleXfs>'
                f'<cellXfs count="{len(cell_xfs)}">{"".join(cell_xfs)}</cellXfs>'
                f'<cellStyles count="{len(names)}">{"".join(names)}</cellStyles>'
                '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
                'defaultPivotStyle="PivotStyleLight16"/></styleSheet>')


def _num(x: float) -> str:
    return f"{x:g}"


def _pane(rows: int, cols: int) -> str:
    if not rows and not cols:
        return '<selection activeCell="A1" sqref="A1"/>'
    top_left = f"{column_letter(cols + 1)}{rows + 1}"
    split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
    active = "bottomRight" if rows and cols else "bottomLeft" if rows else "topRight"
    selections = '<selection pane="topRight"/><selection pane="bottomLeft"/>' if rows and cols else ""
    return (f'<pane{split} topLeftCell="{top_left}" activePane="{active}" state="frozen"/>{selections}'
            f'<selection pane="{active}" activeCell="A1" sqref="A1"/>')


def _cell_tail(cell: tuple[Look, Value], styles: _Styles) -> str:
    """A cell's XML after its row number."""
    key, value = cell
    s = styles(key)
    if not value:
        return f'" s="{s}"/>'
    if isinstance(value, str):
        return f'" s="{s}" t="inlineStr"><is>{_t(clean_text(value))}</is></c>'
    runs = "".join(f"<r>{RUN_FONTS[f] if f else ''}{_t(clean_text(text))}</r>" for f, text in value)
    return f'" s="{s}" t="inlineStr"><is>{runs}</is></c>'


def _sheet_xml(sheet: Sheet, styles: _Styles, rels: list[tuple[str, str, bool]]) -> list[str]:
    """The worksheet part, as pieces of text; ``rels`` gets its relationships (type, target, external)."""
    p = sheet.print
    max_col, max_row = sheet.max_col, sheet.max_row
    out = [f'{_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_R}">'
           f'<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
           f'<pageSetUpPr fitToPage="{0 if p.scale else 1}"/></sheetPr>'
           f'<dimension ref="A1:{column_letter(max_col)}{max_row}"/>'
           f'<sheetViews><sheetView workbookViewId="0">{_pane(*sheet.freeze)}</sheetView></sheetViews>'
           '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>']
    if sheet.widths:
        out.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{_num(w)}" customWidth="1"/>'
                                      for c, w in sorted(sheet.widths.items())) + "</cols>")
    out.append("<sheetData>")
    letters = [column_letter(c) for c in range(1, max_col + 1)]
    # (column, cell) → the cell's XML before and after its row number: a matrix repeats a few cells
    # (the "no variation" cell of each column) many times, so most cells are found here.
    known: dict[tuple[int, tuple[Look, Value]], tuple[str, str]] = {}
    heights = sheet.heights
    for r in sorted(sheet.rows):
        cells = sheet.rows[r]
        height = heights.get(r)
        row = [f'<row r="{r}" ht="{_num(height)}" customHeight="1">' if height else f'<row r="{r}">']
        number = str(r)
        for c in sorted(cells):
            cell = cells[c]
            parts = known.get((c, cell))
            if parts is None:
                parts = known[(c, cell)] = (f'<c r="{letters[c - 1]}', _cell_tail(cell, styles))
            row += (parts[0], number, parts[1])
        row.append("</row>")
        out.append("".join(row))
    out.append("</sheetData>")
    if sheet.auto_filter:
        out.append(f'<autoFilter ref="{sheet.auto_filter}"/>')
    if sheet.merges:
        refs = "".join(f'<mergeCell ref="{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"/>'
                       for r1, c1, r2, c2 in sheet.merges)
        out.append(f'<mergeCells count="{len(sheet.merges)}">{refs}</mergeCells>')
    if sheet.links:
        links = []
        for (r, c), url in sorted(sheet.links.items()):
            rels.append(("hyperlink", url, True))
            links.append(f'<hyperlink ref="{column_letter(c)}{r}" r:id="rId{len(rels)}"/>')
        out.append(f"<hyperlinks>{''.join(links)}</hyperlinks>")
    out.append('<printOptions gridLines="1"/>'
               f'<pageMargins left="0.75" right="0.75" top="1" bottom="{_num(p.bottom)}" header="0.5" footer="0.5"/>')
    fit = f'scale="{p.scale}"' if p.scale else 'fitToWidth="1" fitToHeight="0"'
    out.append(f'<pageSetup paperSize="{p.paper}" {fit} orientation="landscape"/>')
    footer = "".join(f"&amp;{pos}{escape(text)}" for pos, text in (("L", p.footer_left), ("C", p.footer_centre),
                                                                  ("R", p.footer_right)) if text)
    header = f"<oddHeader>&amp;C{escape(p.header)}</oddHeader>" if p.header else ""
    out.append(f"<headerFooter>{header}<oddFooter>{footer}</oddFooter></headerFooter>" if header or footer else "")
    if sheet.notes:
        rels.append(("comments", "", False))
        rels.append(("vmlDrawing", "", False))
        out.append(f'<legacyDrawing r:id="rId{len(rels)}"/>')
    out.append("</worksheet>")
    return out


def _comments_xml(notes: dict[tuple[int, int], Note]) -> str:
    authors = list(dict.fromkeys(clean_text(n.author) for _, n in sorted(notes.items())))
    items = "".join(f'<comment ref="{column_letter(c)}{r}" authorId="{authors.index(clean_text(n.author))}" '
                    f'shapeId="0"><text>{_t(clean_text(n.text))}</text></comment>' for (r, c), n in sorted(notes.items()))
    names = "".join(f"<author>{escape(a)}</author>" for a in authors)
    return f'{_DECL}<comments xmlns="{_MAIN}"><authors>{names}</authors><commentList>{items}</commentList></comments>'


def _vml(notes: dict[tuple[int, int], Note], first_block: int) -> str:
    """The legacy drawing Excel needs to show the notes: one hidden text box per note. Shape ids
    come in blocks of 1024, each block owned by one drawing: this one's start at ``first_block``
    (see :func:`_blocks`)."""
    blocks = ",".join(str(b) for b in range(first_block, first_block + _blocks(notes)))
    shapes = []
    for k, ((r, c), n) in enumerate(sorted(notes.items())):
        shapes.append(
            f'<v:shape id="_x0000_s{first_block * 1024 + 1 + k}" type="#_x0000_t202" style="position:absolute;'
            f"margin-left:59.25pt;margin-top:1.5pt;width:{n.width}px;height:{n.height}px;z-index:{k + 1};"
            'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"/></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
            f"<x:Row>{r - 1}</x:Row><x:Column>{c - 1}</x:Column></x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{blocks}"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            f"{''.join(shapes)}</xml>")


def _blocks(notes: dict[tuple[int, int], Note]) -> int:
    """How many blocks of 1024 shape ids the notes' drawing needs (its first id is the block's + 1)."""
    return (len(notes) + 1) // 1024 + 1


def _quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _range(spec: str) -> str:
    """"1:2" → "$1:$2", "A:B" → "$A:$B"."""
    a, b = spec.split(":")
    return f"${a}:${b}"


def _absolute(ref: str) -> str:
    """"A2:V102" → "$A$2:$V$102"."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


def _workbook_xml(sheets: Sequence[Sheet]) -> str:
    entries = "".join(f'<sheet name="{escape_attr(s.title)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, start=1))
    names = []
    for i, s in enumerate(sheets):
        q = _quote_sheet(s.title)
        if s.auto_filter:
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                         f"{escape(q)}!{_absolute(s.auto_filter)}</definedName>")
        titles = [f"{q}!{_range(x)}" for x in (s.print.title_rows, s.print.title_cols) if x]
        if titles:
            names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(",".join(titles))}'
                         "</definedName>")
    defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
    return (f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_R}"><workbookPr/><bookViews>'
            f'<workbookView activeTab="0"/></bookViews><sheets>{entries}</sheets>{defined}'
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')


def _rels_xml(rels: Iterable[tuple[str, str, str, bool]]) -> str:
    """(id, type url, target, external) → a relationships part."""
    items = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{escape_attr(target)}"'
                    + (' TargetMode="External"' if external else "") + "/>"
                    for rid, kind, target, external in rels)
    return f'{_DECL}<Relationships xmlns="{_PR}">{items}</Relationships>'


@dataclass(frozen=True, slots=True, kw_only=True)
class Properties:
    title: str
    subject: str
    creator: str
    when: _dt.datetime


def _core_xml(p: Properties) -> str:
    stamp = p.when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'{_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(p.title)}</dc:title><dc:subject>{escape(p.subject)}</dc:subject>"
            f"<dc:creator>{escape(p.creator)}</dc:creator><cp:lastModifiedBy>{escape(p.creator)}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


_APP = (f'{_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>s1sr</Application></Properties>")


def _theme() -> str:
    """A small theme of our own: the Office colours and Calibri as the minor font, which the
    workbook's default font (``scheme="minor"``, ``color theme="1"``) refers to."""
    colours = "".join(f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>' for name, rgb in (
        ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"), ("accent3", "A5A5A5"),
        ("accent4", "FFC000"), ("accent5", "5B9BD5"), ("accent6", "70AD47"), ("hlink", "0563C1"),
        ("folHlink", "954F72")))
    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{solid}</a:ln>'
    return (f'{_DECL}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">'
            '<a:themeElements><a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
            f'<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>{colours}</a:clrScheme>'
            '<a:fontScheme name="Office">'
            '<a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>'
            '<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>'
            '</a:fontScheme><a:fmtScheme name="Office">'
            f"<a:fillStyleLst>{solid * 3}</a:fillStyleLst>"
            f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
            f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
            f"<a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
            "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>")


_THEME = _theme()


def workbook_package(sheets: Sequence[Sheet], props: Properties,
                     when: tuple[int, int, int, int, int, int]) -> bytes:
    """The .xlsx of ``sheets``: parts in a fixed order, dated ``when``, deflated."""
    styles = _Styles()
    parts: dict[str, str | list[str]] = {}
    overrides = ['<Override PartName="/xl/workbook.xml" ContentType="'
                 f'{_CT}spreadsheetml.sheet.main+xml"/>']
    block = 1  # the next free block of drawing shape ids
    for n, sheet in enumerate(sheets, start=1):
        rels: list[tuple[str, str, bool]] = []
        parts[f"xl/worksheets/sheet{n}.xml"] = _sheet_xml(sheet, styles, rels)
        overrides.append(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                         f'ContentType="{_CT}spreadsheetml.worksheet+xml"/>')
        if sheet.notes:
            parts[f"xl/comments/comment{n}.xml"] = _comments_xml(sheet.notes)
            parts[f"xl/drawings/vmlDrawing{n}.vml"] = _vml(sheet.notes, block)
            block += _blocks(sheet.notes)
            overrides.append(f'<Override PartName="/xl/comments/comment{n}.xml" '
                             f'ContentType="{_CT}spreadsheetml.comments+xml"/>')
        if rels:
            targets = {"comments": f"../comments/comment{n}.xml", "vmlDrawing": f"../drawings/vmlDrawing{n}.vml"}
            parts[f"xl/worksheets/_rels/sheet{n}.xml.rels"] = _rels_xml(
                (f"rId{i}", _REL + kind, target or targets[kind], external)
                for i, (kind, target, external) in enumerate(rels, start=1))
    count = len(sheets)
    parts["xl/workbook.xml"] = _workbook_xml(sheets)
    parts["xl/_rels/workbook.xml.rels"] = _rels_xml(
        [(f"rId{i}", _REL + "worksheet", f"worksheets/sheet{i}.xml", False) for i in range(1, count + 1)]
        + [(f"rId{count + 1}", _REL + "styles", "styles.xml", False),
           (f"rId{count + 2}", _REL + "theme", "theme/theme1.xml", False)])
    parts["xl/styles.xml"] = styles.xml()
    parts["xl/theme/theme1.xml"] = _THEME
    parts["docProps/core.xml"] = _core_xml(props)
    parts["docProps/app.xml"] = _APP
    parts["_rels/.rels"] = _rels_xml([
        ("rId1", _REL + "officeDocument", "xl/workbook.xml", False),
        ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
         "docProps/core.xml", False),
        ("rId3", _REL + "extended-properties", "docProps/app.xml", False)])
    overrides += [f'<Override PartName="/xl/styles.xml" ContentType="{_CT}spreadsheetml.styles+xml"/>',
                  f'<Override PartName="/xl/theme/theme1.xml" ContentType="{_CT}theme+xml"/>',
                  '<Override PartName="/docProps/core.xml" '
                  'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>',
                  f'<Override PartName="/docProps/app.xml" ContentType="{_CT}extended-properties+xml"/>']
    parts["[Content_Types].xml"] = (
        f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Default Extension="vml" ContentType="{_CT}vmlDrawing"/>{"".join(overrides)}</Types>')
    return _zip(parts, when)


_FLUSH = 1 << 20


def _zip(parts: dict[str, str | list[str]], when: tuple[int, int, int, int, int, int]) -> bytes:
    """The package of ``parts`` (a part's text, or its pieces, compressed as they come),
    normalised as every package s1sr writes (:func:`generator.ooxml.package.write_normalised`)."""
    streamed: dict[str, Callable[[IO[bytes]], None]] = {
        name: partial(_write_pieces_to, pieces=content) for name, content in parts.items() if not isinstance(content, str)}
    return write_normalised(parts, lambda name: str(parts[name]).encode(), when, streamed)


def _write_pieces_to(fh: IO[bytes], *, pieces: list[str]) -> None:
    _write_pieces(fh.write, pieces)


def _write_pieces(write: Callable[[bytes], object], pieces: list[str]) -> None:
    """Compress in large pieces: one zlib call per row costs more."""
    pending: list[str] = []
    size = 0
    for piece in pieces:
        pending.append(piece)
        size += len(piece)
        if size > _FLUSH:
            write("".join(pending).encode())
            pending, size = [], 0
    write("".join(pending).encode())
