"""Namespaced tag names, precomputed once, and schema-ordered insertion."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from docx.oxml.ns import nsmap, qn
from lxml import etree

__all__ = ["W_NS", "XML_SPACE", "insert_ordered", "tag", "w"]

W_NS = nsmap["w"]
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@cache
def tag(name: str) -> str:
    """Clark name (``{uri}local``) of a prefixed name such as ``w:p``; cached."""
    return str(qn(name))


def w(local: str) -> str:
    """Clark name of ``w:<local>``."""
    return tag(f"w:{local}")


def insert_ordered(parent: etree._Element, child: etree._Element, order: Sequence[str]) -> etree._Element:
    """Insert ``child`` where the schema sequence ``order`` (prefixed names) puts it.

    An existing element with the same tag is replaced. Children whose tag is not in
    ``order`` are left where they are and count as coming after ``child``.
    """
    names = [tag(n) for n in order]
    rank = names.index(child.tag)
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    for i, sibling in enumerate(parent):
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag not in names or names.index(sibling.tag) > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child
