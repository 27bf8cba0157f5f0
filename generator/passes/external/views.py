"""The two views of a Word S1SR with tracked changes: every change accepted (what the check
reads, as Word shows the document once they are) and every change rejected (the original).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import external as R
from generator.model.external import WordDocument

_SHOWN = 8


def _some(items: Sequence[str]) -> str:
    more = len(items) - _SHOWN
    return ", ".join(items[:_SHOWN]) + (f" and {more} more" if more > 0 else "")


def check_views(doc: WordDocument) -> list[Diagnostic]:
    """One finding when accepting the tracked changes gives numbered paragraphs other numbers."""
    if not doc.tracked:
        return []
    moved = [p for p in doc.paragraphs if p.label and p.original_label is not None and not p.inserted]
    if not moved:
        return []
    shown = [f"{p.label} ({p.original_label or 'unnumbered'} in the original)" for p in moved]
    causes: list[str] = []
    inserted = [p.label for p in doc.paragraphs if p.inserted and p.label]
    if inserted:
        causes.append(f"{_some(inserted)} {'is a tracked insertion' if len(inserted) == 1 else 'are tracked insertions'}")
    if doc.deleted:
        causes.append(f"the original's {_some(doc.deleted)} {'is' if len(doc.deleted) == 1 else 'are'} deleted")
    message = (f"{doc.file} has tracked changes: with every change accepted (the view this check reads), "
               f"{len(moved)} numbered paragraph{'s show' if len(moved) > 1 else ' shows'} another number than in "
               f"the original: {_some(shown)}" + (f"; {'; '.join(causes)}" if causes else ""))
    return [Diagnostic.make(
        R.TRACKED_RENUMBERING, message, Location(file=doc.file, clause_number=moved[0].label),
        help="give inserted clauses insertion numbers (18.5pa) and keep deleted ones as '[Not used]', so that "
        "accepting the changes moves no number; check the DMVESM against the numbers that will be designated")]
