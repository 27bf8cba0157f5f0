"""Rules for the PDFs LibreOffice renders (``s1sr build --pdf``, PDF1xx)."""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

W = Severity.WARNING

CONTENTS_PAGES_NOT_FILLED = rule(
    "PDF101", "contents-pages-not-filled", W,
    "The .docx contents were left without page numbers: LibreOffice laid out other entries.",
    "What it checks: with `--pdf`, LibreOffice lays every document out to make its PDF and rebuilds the "
    "contents there; s1sr then writes the page numbers it found into the .docx's contents, entry by entry. "
    "This warning says the entries LibreOffice listed were not the document's own, so no page number was "
    "written (the PDF is right; the .docx's contents list the sections without page numbers, as a build "
    "without --pdf writes them).\n"
    "Why: a page number written against the wrong entry is worse than none.\n"
    "Example: a project's own templates/reference.docx gives the cover title an outline level, so "
    "LibreOffice's contents start with the title.\n"
    "How to fix: give outline level 1 only to the section and annex heading styles in "
    "templates/reference.docx; a Word reader can always update the contents (right-click, Update Field, "
    "Update page numbers only).",
)
