"""Options every writer takes. Dates and authors are inputs, never the clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.model import Project
    from generator.model.consultation import Consultation
    from generator.model.diff import Changes
    from generator.model.letter import Letter


@dataclass(frozen=True, slots=True, kw_only=True)
class WriterOptions:
    # ISO date (YYYY-MM-DD) stamped into document properties and zip entries.
    date: str = "2000-01-01"
    author: str = ""
    # Base URL of the published site, for hyperlinks from the workbook; "" for none.
    site_url: str = ""
    # Folder of the project's own templates (overrides the package defaults); "" for none.
    templates: str = ""
    # SHA-256 of the clause source, shown on the About sheet and the home page.
    source_hash: str = ""
    # Release the redlines compare against ("" for none).
    against: str = ""
    # That release as a numbered project, and what changed since, computed by the API (writers
    # never diff). None: no redlines.
    baseline: Project | None = None
    changes: Changes | None = None
    # Change letters, their amendment tables filled from the diff.
    letters: tuple[Letter, ...] = ()
    # Consultations, counted: a response table and a conclusions document each.
    consultations: tuple[Consultation, ...] = ()
