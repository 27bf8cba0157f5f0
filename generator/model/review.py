"""A built S1SR .docx (and DMVESM .xlsx) after reviewers edited it, and the source edits it
amounts to.

The reader gives :class:`ReviewedDocument` (every body paragraph as it reads with all tracked
changes accepted, with its style, indent, bookmarks, links, revision authors and comments);
the absorb pass turns it into :class:`Edit` records against the source the document was built
from, and the merge pass applies them to the source as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass

# What `s1sr build` records in every S1SR .docx it writes (and the reader looks for).
SOURCE_PROPERTY = "S1SR source hash"  # custom document property: the resolved model's content hash
BUILT_BY_PROPERTY = "S1SR built by"
BASE_NAMESPACE = "urn:s1sr:built-from:1"  # custom XML part: the release snapshot of that model
BASE_ELEMENT = "source"
BASE_ITEM_ID = "{6F1B1E5A-3C2D-4E8B-9A47-51D2C0A9E113}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Piece:
    """A stretch of paragraph text with one formatting: kind "" (plain), "term" (bold or a
    defined-term style), "emph" (italic), "heading" (a heading character style); ``link`` is
    the bookmark an internal hyperlink or REF field goes to."""

    text: str
    kind: str = ""
    link: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Revision:
    """A tracked change: kind insert, delete, move, format or paragraph (a paragraph mark)."""

    kind: str
    author: str
    date: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewedParagraph:
    index: int  # 1-based among the body's paragraphs (table cells included)
    style: str  # paragraph style name ("" for the default)
    indent: int | None = None  # left indent in twips set on the paragraph itself; None where it sets none
    style_indent: int = 0  # left indent its style gives
    outline: int | None = None  # outline level 0-8 (paragraph or style); None for body text
    pieces: tuple[Piece, ...] = ()
    bookmarks: tuple[str, ...] = ()  # bookmarks that start in it
    revisions: tuple[Revision, ...] = ()
    comments: tuple[str, ...] = ()  # ids of comments anchored in it
    table: int = 0  # 1-based table ordinal; 0 for body text
    row: int = 0
    col: int = 0
    header_row: bool = False  # in a table row marked to repeat as header
    toc: bool = False  # part of a table of contents

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


@dataclass(frozen=True, slots=True, kw_only=True)
class Comment:
    id: str
    author: str
    initials: str = ""
    date: str = ""
    text: str = ""
    quoted: str = ""  # the document text the comment is anchored on
    paragraph: int = 0  # index of the paragraph where it starts (0: not anchored in the body)
    reply_to: str = ""  # id of the comment it answers
    done: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewedDocument:
    file: str
    paragraphs: tuple[ReviewedParagraph, ...]
    comments: tuple[Comment, ...] = ()
    properties: tuple[tuple[str, str], ...] = ()  # custom document properties
    base: str = ""  # the embedded source snapshot (JSON text), "" when the document has none

    def property(self, name: str) -> str:
        return dict(self.properties).get(name, "")


# -- what the document's edits amount to ------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class NewClause:
    id: str
    heading: str = ""
    text: str = ""  # clause-source markup
    level: int = 0
    table: tuple[tuple[str, ...], ...] = ()  # header row first; () for none


@dataclass(frozen=True, slots=True, kw_only=True)
class Edit:
    """One change to the source, against the clause as the document was built from it.

    kind: "text", "heading", "table", "not_used" (the field's ``old`` → ``new``; a table is
    its rows, header first, cells joined by tab, rows by newline), "insert" (``new_clause``
    under ``parent`` after sibling ``after``; "" = first), "remove", "move" (to ``parent``
    after ``after``), "applies" (``add``/``drop`` of (SRV, Device Model) cells).
    """

    kind: str
    clause: str
    old: str = ""
    new: str = ""
    parent: str = ""
    after: str = ""
    new_clause: NewClause | None = None
    add: tuple[tuple[str, str], ...] = ()
    drop: tuple[tuple[str, str], ...] = ()
    number: str = ""  # the clause's number in the reviewed document ("" for a new clause)
    authors: tuple[str, ...] = ()  # who made the tracked changes behind it
    where: str = ""  # document place: "S1SR.docx paragraph 212" or "DMVESM!F12"
