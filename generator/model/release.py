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
