"""Clauses and the inline text inside them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

from generator.model.location import NOWHERE, Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Emph:
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """A defined term (printed bold)."""

    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Xref:
    """A cross-reference by stable id. Writers print it as prose ("clause 18.5", "Annex B",
    as the target's level cites), or, ``bare`` (``[[#id]]``), the number alone, where the
    sentence already names the kind ("clauses 18.5 and 18.6")."""

    target: str
    bare: bool = False
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class SrvRef:
    """A mention of a DUIS Service Reference Variant, e.g. ``SRV 6.12``."""

    srv: str
    text: str


Inline = Text | Emph | Term | Xref | SrvRef


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AppliesTo:
    """SRVs × Device Models (or group ids) that a clause describes."""

    srvs: tuple[str, ...]
    devices: tuple[str, ...]
    note: str = ""  # qualifies the DMVESM cells, e.g. "firmware 2.1 and later"
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Clause:
    id: str
    heading: str = ""
    raw_text: str = ""
    text: tuple[Inline, ...] = ()
    table: Table | None = None
    children: tuple[Clause, ...] = ()
    not_used: bool = False
    # In an annex (the annex itself and every clause under it): numbered by the annex levels.
    annex: bool = False
    applies_to: tuple[AppliesTo, ...] = ()
    tags: tuple[str, ...] = ()
    span: Span = NOWHERE
    # Filled by the numbering pass; never typed by a drafter.
    level: int = 0
    ordinal: tuple[int, int] = (0, 0)
    number: str = ""
    label: str = ""
    parent: str = ""
    # A tombstone the numbering pass made for a vacated number: the clause that left it.
    vacated_by: str = ""

    def srvs(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for a in self.applies_to:
            for s in a.srvs:
                seen.setdefault(s, None)
        return tuple(seen)


_CLAUSE_FIELDS = tuple(f.name for f in fields(Clause))
_CLAUSE_SLOTS = tuple(Clause.__dict__[name].__set__ for name in _CLAUSE_FIELDS)
_new = object.__new__


def evolve(clause: Clause, **changes: object) -> Clause:
    """``dataclasses.replace(clause, **changes)``, three times faster: the numbering pass makes
    a numbered copy of every clause (15,000 at 10×), and ``replace`` looks up the fields and
    goes through ``__init__``'s keyword arguments each time. Clause has no ``__post_init__``
    and every field is an ``__init__`` field, so filling the slots makes the same object."""
    if not changes.keys() <= _CLAUSE_NAMES:
        raise TypeError(f"Clause has no field {sorted(changes.keys() - _CLAUSE_NAMES)[0]!r}")
    new = _new(Clause)
    for name, put in zip(_CLAUSE_FIELDS, _CLAUSE_SLOTS, strict=True):
        put(new, changes[name] if name in changes else getattr(clause, name))
    return new


_CLAUSE_NAMES = frozenset(_CLAUSE_FIELDS)

(_put_id, _put_heading, _put_raw_text, _put_text, _put_table, _put_children, _put_not_used, _put_annex,
 _put_applies_to, _put_tags, _put_span, _put_level, _put_ordinal, _put_number, _put_label, _put_parent,
 _put_vacated_by) = _CLAUSE_SLOTS
if _CLAUSE_FIELDS != ("id", "heading", "raw_text", "text", "table", "children", "not_used", "annex", "applies_to",
                      "tags", "span", "level", "ordinal", "number", "label", "parent", "vacated_by"):
    raise AssertionError("Clause's fields changed: update numbered() below")  # pragma: no cover


_put_text_text = Text.__dict__["text"].__set__
_put_srv_srv, _put_srv_text = SrvRef.__dict__["srv"].__set__, SrvRef.__dict__["text"].__set__


def text_node(text: str) -> Text:
    """``Text(text=text)`` by filling its slot (a frozen dataclass's ``__init__`` is 7× slower): the
    clause reader makes one for every run of plain text (30,000 at 10×)."""
    node = _new(Text)
    _put_text_text(node, text)
    return node


def srv_node(srv: str, text: str) -> SrvRef:
    """``SrvRef(srv=srv, text=text)`` by filling its slots (see :func:`text_node`)."""
    node = _new(SrvRef)
    _put_srv_srv(node, srv)
    _put_srv_text(node, text)
    return node


_put_term_text, _put_emph_text = Term.__dict__["text"].__set__, Emph.__dict__["text"].__set__
_put_xref_target, _put_xref_bare, _put_xref_span = (Xref.__dict__[name].__set__ for name in ("target", "bare", "span"))


def term_node(text: str) -> Term:
    """``Term(text=text)`` by filling its slot (see :func:`text_node`; 5,000 at 10×)."""
    node = _new(Term)
    _put_term_text(node, text)
    return node


def emph_node(text: str) -> Emph:
    """``Emph(text=text)`` by filling its slot (see :func:`text_node`)."""
    node = _new(Emph)
    _put_emph_text(node, text)
    return node


def xref_node(target: str, bare: bool, span: Span) -> Xref:
    """``Xref(target=target, bare=bare, span=span)`` by filling its slots (see :func:`text_node`)."""
    node = _new(Xref)
    _put_xref_target(node, target)
    _put_xref_bare(node, bare)
    _put_xref_span(node, span)
    return node


def new_clause(id: str, heading: str = "", raw_text: str = "", text: tuple[Inline, ...] = (),
               table: Table | None = None, children: tuple[Clause, ...] = (), not_used: bool = False,
               annex: bool = False, applies_to: tuple[AppliesTo, ...] = (), tags: tuple[str, ...] = (),
               span: Span = NOWHERE, level: int = 0, ordinal: tuple[int, int] = (0, 0), number: str = "",
               label: str = "", parent: str = "", vacated_by: str = "") -> Clause:
    """``Clause(...)``, twice as fast: the frozen dataclass's ``__init__`` sets each of the 17
    fields through ``object.__setattr__``; the readers make a clause per clause of the source and
    of a release snapshot (15,000 each at 10×). The same object, equal and hashed alike. Its
    fields may be given in order, as the readers' loops do (17 keywords cost as much as the rest)."""
    new = _new(Clause)
    _put_id(new, id)
    _put_heading(new, heading)
    _put_raw_text(new, raw_text)
    _put_text(new, text)
    _put_table(new, table)
    _put_children(new, children)
    _put_not_used(new, not_used)
    _put_annex(new, annex)
    _put_applies_to(new, applies_to)
    _put_tags(new, tags)
    _put_span(new, span)
    _put_level(new, level)
    _put_ordinal(new, ordinal)
    _put_number(new, number)
    _put_label(new, label)
    _put_parent(new, parent)
    _put_vacated_by(new, vacated_by)
    return new


def numbered(c: Clause, level: int, ordinal: tuple[int, int], number: str, label: str, parent: str,
             children: tuple[Clause, ...]) -> Clause:
    """``evolve(c, level=…, ordinal=…, number=…, label=…, parent=…, children=…)`` written out
    field by field: the numbering pass's copy of every clause, without a loop over the fields."""
    new = _new(Clause)
    _put_id(new, c.id)
    _put_heading(new, c.heading)
    _put_raw_text(new, c.raw_text)
    _put_text(new, c.text)
    _put_table(new, c.table)
    _put_children(new, children)
    _put_not_used(new, c.not_used)
    _put_annex(new, c.annex)
    _put_applies_to(new, c.applies_to)
    _put_tags(new, c.tags)
    _put_span(new, c.span)
    _put_level(new, level)
    _put_ordinal(new, ordinal)
    _put_number(new, number)
    _put_label(new, label)
    _put_parent(new, parent)
    _put_vacated_by(new, c.vacated_by)
    return new


def walk(clauses: tuple[Clause, ...]) -> Iterator[Clause]:
    """Every clause in document order (pre-order).

    A check walks the draft's and the release's whole tree a dozen times (numbering, references,
    consistency, matrix, diff, letters): the tuple is immutable and its clauses frozen, so the
    order of the last few large trees is kept and walked again as a list."""
    got = _WALKED.get(id(clauses))
    if got is not None and got[0] is clauses:
        return iter(got[1])
    out: list[Clause] = []
    stack = list(reversed(clauses))
    while stack:
        c = stack.pop()
        out.append(c)
        if c.children:
            stack.extend(reversed(c.children))
    if len(out) >= 256:  # a document's tree, not a section's few clauses a writer walks
        if len(_WALKED) >= 4:
            _WALKED.pop(next(iter(_WALKED)))
        _WALKED[id(clauses)] = (clauses, out)
    return iter(out)


# id(tuple of clauses) → (that tuple, its clauses in order); the tuple is held so its id is not reused.
_WALKED: dict[int, tuple[tuple[Clause, ...], list[Clause]]] = {}


_SENTENCE_END = (".", "!", "?")


def sentence_start(before: str) -> bool:
    """Whether text that follows ``before`` (the clause text so far) starts a sentence."""
    tail = before.rstrip()
    return not tail or tail.endswith(_SENTENCE_END)


def starts_after(start: bool, piece: str) -> bool:
    """Whether text after ``piece`` starts a sentence, given whether ``piece`` did (constant
    time: the writers carry this flag along a clause's text instead of joining it again)."""
    tail = piece.rstrip()
    return start if not tail else tail.endswith(_SENTENCE_END)


def xref_text(node: Xref, numbers: Mapping[str, str], cites: Mapping[str, str] | None, *, start: bool) -> str:
    """What a cross-reference prints: the prose citation (capitalised at the start of a
    sentence), or the bare number; the id as written when the target is unknown."""
    number = numbers.get(node.target)
    if number is None:
        return node.target
    if node.bare or cites is None:
        return number
    cite = cites.get(node.target, number)
    return cite[:1].upper() + cite[1:] if start else cite


def plain_text(inlines: tuple[Inline, ...], numbers: Mapping[str, str] | None = None,
               cites: Mapping[str, str] | None = None) -> str:
    """Inline nodes as plain text; cross-references as prose citations when ``cites`` is
    given (id → "clause 18.5"), else as the target's number."""
    parts: list[str] = []
    start = True
    for i in inlines:
        piece = xref_text(i, numbers or {}, cites, start=start) if isinstance(i, Xref) else i.text
        parts.append(piece)
        start = starts_after(start, piece)
    return "".join(parts)
