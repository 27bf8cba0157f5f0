"""Rules for reading back what ``s1sr build`` wrote (RB1xx): the files are not trusted."""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

E = Severity.ERROR

MISSING_OUTPUT = rule(
    "RB101", "built-file-missing", E, "A document the build should have written is not there.",
    "What it checks: that the output folder holds the S1SR .docx and the DMVESM .xlsx of the current version.\n"
    "Why: a check of files that do not exist proves nothing.\n"
    "Example: `s1sr check --built build` before `s1sr build`, or after the version changed.\n"
    "How to fix: run `s1sr build` first, with the same --content and --out.",
)
NUMBER_MISMATCH = rule(
    "RB102", "built-number-mismatch", E, "The written .docx shows other clause numbers than the source.",
    "What it checks: reading the .docx back as a reader sees it, its clause numbers, in order, are the "
    "numbers the source computes.\n"
    "Why: the file is what gets designated; if it says something else, the file is wrong, whatever the source says.\n"
    "Example: the document shows 18.5q where the source numbers 18.5p(i) (an edit by hand after the build).\n"
    "How to fix: rebuild; never edit a built file by hand.",
)
TEXT_MISMATCH = rule(
    "RB103", "built-text-mismatch", E, "The written .docx holds other text for a clause than the source.",
    "What it checks: the text read back under each number is the clause's text in the source.\n"
    "Why: a number that points at the wrong text is the 18.5 incident.\n"
    "Example: 18.5q's paragraph holds the text of 18.5r.\n"
    "How to fix: rebuild; never edit a built file by hand.",
)
MATRIX_MISMATCH = rule(
    "RB104", "built-matrix-mismatch", E, "The written DMVESM cites other clauses than the source's matrix.",
    "What it checks: every SRV × Device Model cell read back from the workbook cites exactly the numbers the "
    "source's applies_to gives.\n"
    "Why: the workbook is designated beside the text; it must not drift from it.\n"
    "Example: DMVESM!F12 cites 18.5q where the source gives 18.5t.\n"
    "How to fix: rebuild; never edit a built file by hand.",
)
