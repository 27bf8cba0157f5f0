"""WordprocessingML body fragments written as text, for the bulk of a document.

Building a clause's paragraphs as lxml elements and serialising them again costs more than the
rest of the .docx writer together; these functions write the same markup straight as text, with
the ``w:`` prefix the document part declares. What they write is what :mod:`generator.ooxml.text`,
:mod:`~generator.ooxml.bookmarks` and :mod:`~generator.ooxml.tables` build, serialised as lxml
serialises it (tests/ooxml/test_markup.py holds the two to the same bytes), so a fragment can
be parsed back into elements (:func:`elements`) where a caller works on the tree (the redline).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from generator.ooxml.ns import W_NS
from generator.ooxml.text import xml_safe

__all__ = ["bookmark_end", "bookmark_start", "elements", "escape", "escape_attr", "link_end", "link_start",
           "paragraph", "run", "table_cell", "table_end", "table_row_end",
           "table_row_start", "table_start"]

_WRAP_OPEN = f'<w:body xmlns:w="{W_NS}">'
_LOOK = ('<w:tblLook w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" '
         'w:noVBand="1"/>')


def escape(text: str) -> str:
    """Character data as libxml2 writes it (``&``, ``<``, ``>``; a carriage return as a reference)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attr(value: str) -> str:
    """An attribute value as libxml2 writes it between double quotes."""
    value = escape(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#9;")
    return value


def _t(text: str) -> str:
    if not text:
        return ""
    if text[0] == " " or text[-1] == " ":
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>'
    return f"<w:t>{escape(text)}</w:t>"


def _content(text: str) -> str:
    """A run's content for ``text``: ``w:t``, with ``w:tab`` for a tab and ``w:br`` for a line end."""
    text = xml_safe(text)
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return _t(text)
    out: list[str] = []
    piece: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\t" or ch == "\n" or ch == "\r":
            if piece:
                out.append(_t("".join(piece)))
                piece.clear()
            if ch == "\t":
                out.append("<w:tab/>")
            else:
                out.append("<w:br/>")
                if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                    i += 1  # CR LF is one line end
        else:
            piece.append(ch)
        i += 1
    if piece:
        out.append(_t("".join(piece)))
    return "".join(out)


def run(text: str, style_id: str = "") -> str:
    """A ``w:r`` holding ``text`` (tabs and line breaks kept), with ``w:rStyle`` when given."""
    content = _content(text)
    props = f'<w:rPr><w:rStyle w:val="{escape_attr(style_id)}"/></w:rPr>' if style_id else ""
    if not props and not content:
        return "<w:r/>"
    return f"<w:r>{props}{content}</w:r>"


def paragraph(content: str, style_id: str = "", *, page_break_before: bool = False, indent: int | None = None,
              outline_level: int | None = None) -> str:
    """A ``w:p`` holding ``content``, its properties in schema order (pStyle, pageBreakBefore,
    ind, outlineLvl); ``indent`` in twips, with no hanging indent; ``outline_level`` 0 = level 1."""
    props = []
    if style_id:
        props.append(f'<w:pStyle w:val="{escape_attr(style_id)}"/>')
    if page_break_before:
        props.append("<w:pageBreakBefore/>")
    if indent is not None:
        props.append(f'<w:ind w:left="{indent}" w:hanging="0"/>')
    if outline_level is not None:
        props.append(f'<w:outlineLvl w:val="{outline_level}"/>')
    if not props:
        return f"<w:p>{content}</w:p>" if content else "<w:p/>"
    return f"<w:p><w:pPr>{''.join(props)}</w:pPr>{content}</w:p>"


def bookmark_start(bookmark_id: int, name: str) -> str:
    return f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{escape_attr(name)}"/>'


def bookmark_end(bookmark_id: int) -> str:
    return f'<w:bookmarkEnd w:id="{bookmark_id}"/>'


def link_start(anchor: str) -> str:
    """A ``w:hyperlink`` to bookmark ``anchor``; its runs follow, then :func:`link_end`."""
    return f'<w:hyperlink w:anchor="{escape_attr(anchor)}" w:history="1">'


def link_end() -> str:
    return "</w:hyperlink>"


def table_start(widths: Sequence[int], *, style_id: str = "", indent: int = 0) -> str:
    """A fixed-layout ``w:tbl``'s start, properties and grid (``widths`` in twips)."""
    style = f'<w:tblStyle w:val="{escape_attr(style_id)}"/>' if style_id else ""
    ind = f'<w:tblInd w:w="{indent}" w:type="dxa"/>' if indent else ""
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return (f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{sum(widths)}" w:type="dxa"/>{ind}'
            f'<w:tblLayout w:type="fixed"/>{_LOOK}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>')


def table_end() -> str:
    return "</w:tbl>"


def table_row_start(*, header: bool = False) -> str:
    """A row that does not split across pages; a header row repeats on every page."""
    return "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:tr><w:trPr><w:cantSplit/></w:trPr>"


def table_row_end() -> str:
    return "</w:tr>"


def table_cell(width: int, content: str) -> str:
    """A ``w:tc`` of ``width`` twips holding ``content`` (at least one paragraph)."""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'


def elements(fragment: str) -> list[etree._Element]:
    """The body blocks written as ``fragment``, as elements (each declaring only ``w``, as
    :func:`generator.ooxml.package.block_holder`'s children do)."""
    return list(etree.fromstring(f"{_WRAP_OPEN}{fragment}</w:body>"))
