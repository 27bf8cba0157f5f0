"""Style-part details python-docx's proxies do not reach: outline levels, languages,
table-style borders, and pruning a styles part down to what a template uses."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from generator.ooxml.ns import insert_ordered, w

__all__ = ["PPR_ORDER", "RPR_ORDER", "STYLE_ORDER", "TBLPR_ORDER", "prune_styles", "set_language", "set_outline_level", "set_table_borders"]

PPR_ORDER: tuple[str, ...] = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)
RPR_ORDER: tuple[str, ...] = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)
STYLE_ORDER: tuple[str, ...] = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden", "w:uiPriority",
    "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked", "w:personal", "w:personalCompose",
    "w:personalReply", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)
TBLPR_ORDER: tuple[str, ...] = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize",
    "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
    "w:tblLook",
)
_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def _child(parent: etree._Element, name: str, order: tuple[str, ...]) -> etree._Element:
    found = parent.find(w(name.removeprefix("w:")))
    if found is not None:
        return found
    return insert_ordered(parent, etree.Element(w(name.removeprefix("w:"))), order)


def set_outline_level(style: etree._Element, level: int) -> None:
    """Give a paragraph style an outline level (0 = level 1), so a TOC field lists it."""
    ppr = _child(style, "w:pPr", STYLE_ORDER)
    insert_ordered(ppr, etree.Element(w("outlineLvl"), {w("val"): str(level)}), PPR_ORDER)


def set_language(style: etree._Element, lang: str) -> None:
    """Set the proofing language of a style's text (e.g. ``en-GB``)."""
    rpr = _child(style, "w:rPr", STYLE_ORDER)
    insert_ordered(rpr, etree.Element(w("lang"), {w("val"): lang}), RPR_ORDER)


def set_table_borders(style: etree._Element, *, size: int = 4, color: str = "auto") -> None:
    """Single borders on every edge and between all cells of a table style
    (``size`` in eighths of a point)."""
    tblpr = _child(style, "w:tblPr", STYLE_ORDER)
    borders = etree.Element(w("tblBorders"))
    for side in _BORDER_SIDES:
        etree.SubElement(borders, w(side), {w("val"): "single", w("sz"): str(size), w("space"): "0",
                                            w("color"): color})
    insert_ordered(tblpr, borders, TBLPR_ORDER)


def prune_styles(styles: etree._Element, keep: Iterable[str]) -> list[str]:
    """Delete every ``w:style`` whose id is not in ``keep``, then every ``basedOn``/``next``/
    ``link`` left pointing at a deleted style. Returns the deleted ids in part order."""
    keep = set(keep)
    removed: list[str] = []
    for style in styles.findall(w("style")):
        sid = style.get(w("styleId"), "")
        if sid not in keep:
            styles.remove(style)
            removed.append(sid)
    for style in styles.findall(w("style")):
        for ref in ("basedOn", "next", "link"):
            el = style.find(w(ref))
            if el is not None and el.get(w("val")) not in keep:
                style.remove(el)
    return removed
