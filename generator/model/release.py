"""A designated version: every clause's number, frozen."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.location import NOWHERE, Span


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleasedClause:
    id: str
    parent: str
    level: int
    ordinal: tuple[int, int]
    number: str
    not_used: bool = False
    annex: bool = False
    vacated_by: str = ""  # a tombstone's: the clause that left this number (see model.designation)


_new = object.__new__
_put_rc = tuple(ReleasedClause.__dict__[name].__set__ for name in
                ("id", "parent", "level", "ordinal", "number", "not_used", "annex", "vacated_by"))


def released_clause(id: str, parent: str, level: int, ordinal: tuple[int, int], number: str, not_used: bool,
                    annex: bool, vacated_by: str) -> ReleasedClause:
    """``ReleasedClause(...)`` by filling its slots: a snapshot holds one per clause (15,000 at
    10×), and the frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``."""
    put_id, put_parent, put_level, put_ordinal, put_number, put_not_used, put_annex, put_vacated_by = _put_rc
    new = _new(ReleasedClause)
    put_id(new, id)
    put_parent(new, parent)
    put_level(new, level)
    put_ordinal(new, ordinal)
    put_number(new, number)
    put_not_used(new, not_used)
    put_annex(new, annex)
    put_vacated_by(new, vacated_by)
    return new


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """The numbering facts of a release snapshot (the full snapshot is JSON on disk)."""

    name: str
    date: str
    version: str
    clauses: tuple[ReleasedClause, ...]
    against: str = ""  # the release its draft was numbered against ("" when not recorded)
    content_hash: str = ""
    outputs: tuple[tuple[str, str], ...] = ()  # (file name, sha256)
    pdf_made_by: str = ""  # the LibreOffice that made the PDFs among the outputs ("" when none)
    span: Span = NOWHERE

    def by_id(self) -> dict[str, ReleasedClause]:
        return {c.id: c for c in self.clauses}

    def by_number(self) -> dict[str, ReleasedClause]:
        return {c.number: c for c in self.clauses}
