"""Tables: ``w:tbl`` with a fixed grid, a repeating header row and styled cells.

Child order follows the schema: ``w:tbl`` = tblPr, tblGrid, tr+; ``w:tblPr`` = tblStyle …
tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook;
``w:tr`` = trPr, tc+; ``w:tc`` = tcPr (tcW first), then block content (at least one w:p).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from generator.ooxml.ns import w

__all__ = ["apportion", "cell", "fit_widths", "row", "split_width", "table"]

_TBL, _TBLPR, _TBLSTYLE, _TBLW, _TBLIND, _TBLLAYOUT, _TBLLOOK = (
    w("tbl"), w("tblPr"), w("tblStyle"), w("tblW"), w("tblInd"), w("tblLayout"), w("tblLook"))
_GRID, _GRIDCOL, _TR, _TRPR, _HEADER, _CANTSPLIT = (
    w("tblGrid"), w("gridCol"), w("tr"), w("trPr"), w("tblHeader"), w("cantSplit"))
_TC, _TCPR, _TCW = w("tc"), w("tcPr"), w("tcW")
_VAL, _W, _TYPE = w("val"), w("w"), w("type")
_LOOK = {w("firstRow"): "1", w("lastRow"): "0", w("firstColumn"): "0", w("lastColumn"): "0",
         w("noHBand"): "1", w("noVBand"): "1"}


def table(parent: etree._Element, widths: Sequence[int], *, style_id: str = "", indent: int = 0) -> etree._Element:
    """A fixed-layout table appended to ``parent``; ``widths`` are column widths in twips."""
    tbl = etree.SubElement(parent, _TBL)
    pr = etree.SubElement(tbl, _TBLPR)
    if style_id:
        etree.SubElement(pr, _TBLSTYLE, {_VAL: style_id})
    etree.SubElement(pr, _TBLW, {_W: str(sum(widths)), _TYPE: "dxa"})
    if indent:
        etree.SubElement(pr, _TBLIND, {_W: str(indent), _TYPE: "dxa"})
    etree.SubElement(pr, _TBLLAYOUT, {_TYPE: "fixed"})
    etree.SubElement(pr, _TBLLOOK, _LOOK)
    grid = etree.SubElement(tbl, _GRID)
    for width in widths:
        etree.SubElement(grid, _GRIDCOL, {_W: str(width)})
    return tbl


def row(tbl: etree._Element, *, header: bool = False) -> etree._Element:
    """A row that does not split across pages; a header row repeats on every page."""
    tr = etree.SubElement(tbl, _TR)
    pr = etree.SubElement(tr, _TRPR)
    etree.SubElement(pr, _CANTSPLIT)
    if header:
        etree.SubElement(pr, _HEADER)
    return tr


def cell(tr: etree._Element, width: int) -> etree._Element:
    """A cell; the caller must give it at least one paragraph."""
    tc = etree.SubElement(tr, _TC)
    etree.SubElement(etree.SubElement(tc, _TCPR), _TCW, {_W: str(width), _TYPE: "dxa"})
    return tc


def split_width(total: int, columns: int) -> list[int]:
    """``total`` twips in ``columns`` near-equal integer widths that add up exactly."""
    return apportion(total, [1] * columns)


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder; ties go left), so the
    integer parts add up to ``total`` exactly."""
    if not weights:
        return []
    weights = [max(0, x) for x in weights]
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    shares = [divmod(total * w_, whole) for w_ in weights]
    out = [q for q, _ in shares]
    order = sorted(range(len(shares)), key=lambda i: (-shares[i][1], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def fit_widths(total: int, columns: Sequence[Sequence[str]], *, char: int = 140, padding: int = 216) -> list[int]:
    """Column widths (twips, adding up to ``total``) for cells holding ``columns`` of text.

    Each column first gets room for its longest word, so no word is split across lines
    when that is possible; what is left goes to the columns whose text would still wrap,
    in proportion to how much more they need. ``char`` is an average character width and
    ``padding`` the cell's left plus right margin.
    """
    least = [padding + char * max((len(word) for cell in col for word in cell.split()), default=1)
             for col in columns]
    most = [max(padding + char * max((len(cell) for cell in col), default=1), low)
            for col, low in zip(columns, least, strict=True)]
    if sum(most) <= total:
        return apportion(total, most)
    if sum(least) >= total:
        return apportion(total, least)
    extra = apportion(total - sum(least), [m - low for m, low in zip(most, least, strict=True)])
    return [low + e for low, e in zip(least, extra, strict=True)]
