"""The one document model: plain frozen data, standard library only.

Readers build it, passes return new copies of it, writers render it.
"""

from __future__ import annotations

from generator.model.clause import (
    AppliesTo,
    Clause,
    Emph,
    Inline,
    SrvRef,
    Table,
    Term,
    Text,
    Xref,
    plain_text,
    sentence_start,
    starts_after,
    walk,
    xref_text,
)
from generator.model.devices import DeviceGroup, DeviceModel, Srv, expand_groups
from generator.model.document import Document, NumberingLevel, NumberingScheme, cite_map
from generator.model.location import Span
from generator.model.project import ChangeSet, MatrixCell, Project, Renumbering
from generator.model.release import Release, ReleasedClause

__all__ = [
    "AppliesTo",
    "ChangeSet",
    "Clause",
    "DeviceGroup",
    "DeviceModel",
    "Document",
    "Emph",
    "Inline",
    "MatrixCell",
    "NumberingLevel",
    "NumberingScheme",
    "Project",
    "Release",
    "ReleasedClause",
    "Renumbering",
    "Span",
    "Srv",
    "SrvRef",
    "Table",
    "Term",
    "Text",
    "Xref",
    "cite_map",
    "expand_groups",
    "plain_text",
    "sentence_start",
    "starts_after",
    "walk",
    "xref_text",
]
