"""Rules for change letters (LTR1xx)."""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

BAD_LETTER_FIELD = rule(
    "LTR101", "letter-field", E, "A letter field is missing or holds the wrong kind of value.",
    "What it checks: that a letter has its date, subject and salutation, a sender organisation, an "
    "addressee with name and organisation, a signatory, numbers where numbers are expected, and "
    "consultation counts that add up.\n"
    "Why: the letter goes to the Department as written; a missing addressee or a support count "
    "larger than the responses received is an embarrassment in a regulatory record.\n"
    "Example: `supported: 9` when `responses: 7`.\n"
    "How to fix: add or correct the field named in the message.",
)
UNKNOWN_CLAUSE = rule(
    "LTR102", "letter-unknown-clause", E, "A letter selects a clause id that exists in neither version.",
    "What it checks: every clause id under an appendix's `amendments: clauses:` is a clause of the "
    "amended version or of the release it is compared with.\n"
    "Why: the amendment table would be missing a row the narrative talks about.\n"
    "Example: `clauses: [hh-profile-conig]`.\n"
    "How to fix: correct the id (the hint suggests the nearest one).",
    fatal=True,
)
UNKNOWN_SELECTOR = rule(
    "LTR103", "letter-unknown-selector", E, "A letter selects by a tag no clause carries, or by an unknown SRV.",
    "What it checks: every tag under `amendments: tags:` is carried by some clause, and every SRV under "
    "`amendments: srvs:` is a DUIS SRV.\n"
    "Why: a misspelt tag silently selects nothing, and the appendix would explain no amendment.\n"
    "Example: `tags: [apr-2025-device-behaviour]` for `apr-2025-device-behaviours`.\n"
    "How to fix: correct the tag or SRV.",
    fatal=True,
)
CLAIMS_UNCHANGED = rule(
    "LTR104", "letter-claims-unchanged", E, "A letter claims an amendment that the diff does not contain.",
    "What it checks: each clause, tag or SRV an appendix selects has at least one change between the "
    "two versions.\n"
    "Why: the letter would tell the Department of an amendment that is not in the redline.\n"
    "Example: an appendix lists `lg-foc-alerts`, but its text is the same as in v12.\n"
    "How to fix: remove it from the selection, or make the amendment in the source.",
)
NOT_EXPLAINED = rule(
    "LTR105", "change-not-explained", W, "A change in the diff is explained by no appendix of the letter.",
    "What it checks: every clause added, removed, amended, moved or renumbered, every DMVESM cell "
    "changed and every Device Model or group changed is selected by some appendix of the letter.\n"
    "Why: a change the letter does not mention reaches designation without anyone having been told.\n"
    "Example: a clause amended in the draft that no appendix's `amendments:` selects.\n"
    "How to fix: select it in the appendix that explains it (by id, tag or SRV), or undo the change.",
)
UNKNOWN_FOOTNOTE = rule(
    "LTR106", "unknown-footnote", E, "Narrative marks a footnote that the letter does not define.",
    "What it checks: every `[^id]` in the letter's narrative has an entry under `footnotes:`.\n"
    "Why: the mark would print with no note.\n"
    "Example: `[^sec-section-d]` with no footnote of that id.\n"
    "How to fix: add the footnote, or correct the id.",
)
UNUSED_FOOTNOTE = rule(
    "LTR107", "unused-footnote", W, "A footnote is defined but never marked in the narrative.",
    "What it checks: every entry under `footnotes:` is marked somewhere with `[^id]`.\n"
    "Why: the note would never be printed.\n"
    "Example: a footnote left behind after its paragraph was rewritten.\n"
    "How to fix: mark it where it belongs, or delete it.",
)
UNKNOWN_CLAUSE_REF = rule(
    "LTR108", "letter-unknown-clause-reference", E, "Narrative cites a clause id that does not exist.",
    "What it checks: every `[[clause-id]]` in the letter names a clause of the amended version or of "
    "the release it is compared with.\n"
    "Why: the printed clause number would be missing.\n"
    "Example: `[[lg-foc-alert]]`.\n"
    "How to fix: correct the id.",
)
UNKNOWN_LETTER_RELEASE = rule(
    "LTR109", "letter-unknown-release", E, "A letter is against a release that does not exist.",
    "What it checks: a letter's `against:` names a release under `content/releases/`.\n"
    "Why: there would be nothing to compare the draft with, so no amendment table.\n"
    "Example: `against: v21`.\n"
    "How to fix: use one of the release names in the hint (or leave `against:` out to use the change set's).",
    fatal=True,
)
TEMPLATE_ERROR = rule(
    "LTR110", "letter-template", E, "A letter template cannot be rendered.",
    "What it checks: that the Jinja2 templates under `templates/letter/` parse and render, and give "
    "well-formed XML for the .docx parts.\n"
    "Why: a broken template would write a broken letter; nothing is written instead.\n"
    "Example: an unclosed `{% if %}` in `letter.md.j2`.\n"
    "How to fix: correct the template at the line given.",
    fatal=True,
)
