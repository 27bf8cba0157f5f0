"""Page numbers for the contents of a .docx written here, once a layout engine has laid the
pages out (``s1sr build --pdf``: LibreOffice, for the PDF).

The S1SR writer leaves the contents' page numbers out (:func:`generator.writers.docx._contents`):
only a program that lays out pages can know them, and asking Word to update the fields on
every open (``w:updateFields``) makes it prompt each time. LibreOffice lays the document out
to export the PDF anyway and rebuilds the contents there; the entries it lists, with their
pages, are handed to :func:`with_contents_pages`, which writes the pages into the .docx's
cached contents as Word writes them (a tab and a PAGEREF field). The .docx then shows the
same contents as the PDF made from it; Word keeps them until the reader updates the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from generator.ooxml import package, toc
from generator.ooxml.ns import w

__all__ = ["ContentsMismatch", "with_contents_pages"]

_DOCUMENT = "word/document.xml"
_SPACE = re.compile(r"\s+")


class ContentsMismatch(ValueError):
    """The entries the layout engine listed are not the document's own contents."""


def _within(ours: str, laid_out: str) -> bool:
    """Whether entry text ``ours`` is the laid-out entry, or, for a printed redline, the part
    of it that is not deleted: its characters, spacing aside (LibreOffice writes the tab after
    the number as a space), in order within the laid-out text ("2 Start" in "12 Start", where
    1 is the struck-out old number)."""
    rest = iter(_SPACE.sub("", laid_out))
    return all(ch in rest for ch in _SPACE.sub("", ours))


def with_contents_pages(data: bytes, listed: Sequence[tuple[str, str]]) -> bytes:
    """``data`` (a .docx made by a writer here) with the contents' page numbers filled from
    ``listed``: (entry text, page) for each entry, in order, as the layout engine's own
    contents read (for a redline, those of its printed copy, where struck-out old text reads
    along with the new). ContentsMismatch when those entries are not the document's."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    root = etree.fromstring(package.read_part(data, _DOCUMENT), parser)
    body = root.find(w("body"))
    found = toc.entries(body) if body is not None else []
    ours = [toc.entry_text(p) for p in found]
    theirs = [text for text, _ in listed]
    if len(ours) != len(theirs) or not all(map(_within, ours, theirs)):
        at = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if not _within(a, b)),
                  min(len(ours), len(theirs)))
        mine = ours[at] if at < len(ours) else "(no more entries)"
        other = theirs[at] if at < len(theirs) else "(no more entries)"
        raise ContentsMismatch(f"contents entry {at + 1} is {mine!r} in the document and {other!r} as laid out")
    if not found:
        return data
    assert body is not None
    toc.set_pages(body, [page for _, page in listed])
    return package.replace_part(data, _DOCUMENT, etree.tostring(root, encoding="UTF-8", standalone=True))
