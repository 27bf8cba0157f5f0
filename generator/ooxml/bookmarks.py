"""Bookmarks and the internal hyperlinks that jump to them.

Word accepts a bookmark name of at most 40 characters that starts with a letter and holds
only letters, digits and underscores (names starting with ``_`` are hidden bookmarks such
as ``_Toc…``), and compares names without regard to case. :class:`BookmarkNames` turns any
key (a stable id, say) into such a name, deterministically and uniquely.
"""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from generator.ooxml.ns import w

__all__ = ["MAX_NAME", "BookmarkNames", "bookmark_name", "internal_link"]

MAX_NAME = 40
_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_LINK, _ANCHOR, _HISTORY = w("hyperlink"), w("anchor"), w("history")


def _digest(key: str, size: int) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:size]


def bookmark_name(key: str, prefix: str = "S1_", *, hash_size: int = 8, force_hash: bool = False) -> str:
    """A valid bookmark name for ``key``: ``prefix`` + ``key`` when that is already a valid,
    lower-case name of at most 40 characters; otherwise the sanitised (and shortened) key
    plus ``_`` and the first ``hash_size`` hex digits of its SHA-256."""
    if len(prefix) > 20 or not _PREFIX.fullmatch(prefix):
        raise ValueError(f"bookmark prefix {prefix!r} must start with a letter, hold only A-Z, a-z, 0-9, _ and be at most 20 long")
    clean = _UNSAFE.sub("_", key)
    plain = prefix + clean
    if not force_hash and clean == key and key == key.lower() and len(plain) <= MAX_NAME:
        return plain
    suffix = "_" + _digest(key, hash_size)
    return plain[: MAX_NAME - len(suffix)] + suffix


class BookmarkNames:
    """Allocates one unique name per key, in the order keys are first seen.

    A clash (two keys giving the same name, compared case-insensitively as Word does) is
    resolved by lengthening the hash of the later key, so results never depend on chance.
    """

    def __init__(self, prefix: str = "S1_") -> None:
        self._prefix = prefix
        self._names: dict[str, str] = {}
        self._taken: set[str] = set()

    def __getitem__(self, key: str) -> str:
        name = self._names.get(key)
        if name is None:
            name = self._allocate(key)
            self._names[key] = name
            self._taken.add(name.lower())
        return name

    def _allocate(self, key: str) -> str:
        name = bookmark_name(key, self._prefix)
        size = 8
        while name.lower() in self._taken:
            if size > 32:
                raise ValueError(f"no unique bookmark name for {key!r}")
            name = bookmark_name(key, self._prefix, hash_size=size, force_hash=True)
            size += 4
        return name


def internal_link(parent: etree._Element, anchor: str) -> etree._Element:
    """A ``w:hyperlink`` to bookmark ``anchor``; put the link's runs inside it."""
    return etree.SubElement(parent, _LINK, {_ANCHOR: anchor, _HISTORY: "1"})
