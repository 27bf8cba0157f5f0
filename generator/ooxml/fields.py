"""Complex fields (``w:fldChar`` begin / ``w:instrText`` / separate / result / end).

Word recalculates PAGE and NUMPAGES itself; a TOC or PAGEREF shows the result runs written
here until the reader updates it (or, with ``w:updateFields`` in the settings, which makes
Word ask on every open, until the file is opened).
"""

from __future__ import annotations

from lxml import etree

from generator.ooxml.ns import XML_SPACE, w
from generator.ooxml.text import run

__all__ = ["field", "field_begin", "field_end"]

_R, _FLDCHAR, _INSTR = w("r"), w("fldChar"), w("instrText")
_TYPE, _DIRTY = w("fldCharType"), w("dirty")


def field_begin(parent: etree._Element, instruction: str, *, dirty: bool = False) -> None:
    """Open a field in ``parent`` (a paragraph or hyperlink): begin, instruction, separate."""
    _fld_char(parent, "begin", dirty=dirty)
    r = etree.SubElement(parent, _R)
    instr = etree.SubElement(r, _INSTR)
    instr.text = f" {instruction} "
    instr.set(XML_SPACE, "preserve")
    _fld_char(parent, "separate")


def field_end(parent: etree._Element) -> None:
    """Close the field most recently opened (possibly in an earlier paragraph)."""
    _fld_char(parent, "end")


def field(parent: etree._Element, instruction: str, result: str = "", *, style_id: str = "",
          dirty: bool = False) -> None:
    """A whole field inside one paragraph, showing ``result`` until it is updated."""
    field_begin(parent, instruction, dirty=dirty)
    if result:
        run(parent, result, style_id)
    field_end(parent)


def _fld_char(parent: etree._Element, kind: str, *, dirty: bool = False) -> None:
    attrs = {_TYPE: kind}
    if dirty:
        attrs[_DIRTY] = "true"
    etree.SubElement(etree.SubElement(parent, _R), _FLDCHAR, attrs)
