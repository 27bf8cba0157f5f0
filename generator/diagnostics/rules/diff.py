"""Rules for comparing two versions (S1SR4xx)."""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

UNDECLARED_SHIFT = rule(
    "S1SR401", "undeclared-renumbering-between-versions", W,
    "A clause has a different number in the later version, and no change set declares it.",
    "What it checks: every clause present in both versions keeps its number, unless the later "
    "version's `changes.yaml` declares the renumbering.\n"
    "Why: this is how the 18.5 incident looked between versions 11 and 12: clauses shifted by one "
    "and the DMVESM, which cites numbers, pointed at the wrong text for a whole version.\n"
    "Example: `s1sr diff v11 v12` reports 18.5q → 18.5r for a clause whose text did not change.\n"
    "How to fix: in a draft, keep the clause's released number (or declare the renumbering under "
    "`renumber:` in `changes.yaml`); for a past release, the change letter should restore or "
    "explain it.",
)
NUMBER_REASSIGNED = rule(
    "S1SR402", "number-reassigned", W,
    "A clause number now names a different clause than it did in the earlier version.",
    "What it checks: that a number printed in the earlier version still names the same clause "
    "(by stable id) in the later one.\n"
    "Why: every citation of that number in the DMVESM, in letters and in other codes silently "
    "moves to other text.\n"
    "Example: 18.5q was clause `hh-profile-alerts` in v11 and is an item of 18.5p in v12.\n"
    "How to fix: restore the earlier numbers, or declare the renumbering and update every "
    "citation (the DMVESM redline shows them).",
)
CLAUSE_DROPPED = rule(
    "S1SR403", "clause-dropped", W,
    "A clause of the earlier version is missing from the later one instead of being kept as [Not used].",
    "What it checks: that a deleted clause stays in the later version, marked `not_used: true`.\n"
    "Why: a number that disappears can be reused, and old citations then name new text.\n"
    "Example: 18.5c removed from the section file between two versions.\n"
    "How to fix: put the clause back with `not_used: true`.",
)
