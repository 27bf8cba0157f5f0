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
    "What it checks: that the Jinja2 letter templates (the project's own under `templates/letter/`, else "
    "the ones s1sr ships) parse and render, and give "
    "well-formed XML for the .docx parts.\n"
    "Why: a broken template would write a broken letter; nothing is written instead.\n"
    "Example: an unclosed `{% if %}` in `letter.md.j2`.\n"
    "How to fix: correct the template at the line given.",
    fatal=True,
)
UNKNOWN_CONSULTATION = rule(
    "LTR140", "letter-unknown-consultation", E, "A letter names a consultation that is not in the content folder.",
    "What it checks: the `consultation: id:` of a letter names a folder under `content/consultations/` that "
    "holds a `consultation.yaml`.\n"
    "Why: the letter's consultation section, its counts and the response table all come from that folder; "
    "without it there is nothing to count.\n"
    "Example: `consultation: {id: 2025-02-s1sr-v31}` when the folder is `2025-02-s1sr-v13`.\n"
    "How to fix: correct the id (the hint lists the consultations there are), or add the consultation.",
)
COUNT_MISMATCH = rule(
    "LTR141", "letter-count-mismatch", W, "A number the letter writes disagrees with what the tool counts.",
    "What it checks: every number tied to a selector, such as `[six]{tag:apr-2025-device-behaviours}` or "
    "`[One]{opposed:lg-config}`, equals what the selector counts in the comparison the letter explains or in "
    "the consultation's responses.\n"
    "Why: a count typed into prose drifts exactly like a typed clause number: a seventh device behaviour is "
    "added and the letter still says six.\n"
    "Example: `it describes [six]{tag:apr-2025-device-behaviours} device behaviours` after a seventh clause "
    "with that tag was added.\n"
    "How to fix: write the number the tool counts, or leave the brackets empty (`[]{tag:…}`) so that the count "
    "is printed for you.",
)
COUNT_NOT_A_NUMBER = rule(
    "LTR142", "letter-count-not-a-number", E, "The text of a tied count is not a number.",
    "What it checks: the text in the brackets of `[text]{selector}` is a figure (`6`, `1,200`), a number "
    "word (`six`, `Twenty-one`, `no`) or empty.\n"
    "Why: only a number can be checked against a count.\n"
    "Example: `[several]{tag:apr-2025-device-behaviours}`.\n"
    "How to fix: write the number, or leave the brackets empty to print the count.",
)
UNKNOWN_COUNT = rule(
    "LTR143", "letter-unknown-count", E, "A tied count names something the tool cannot count.",
    "What it checks: the selector of `[text]{selector}` is one the tool knows (`tag:`, `srv:`, `part:`, "
    "`amendments`, `responses`, `responses:`, `supported:`, `opposed:`, `no-view:`), and names a tag, SRV or "
    "consultation part that exists.\n"
    "Why: the number could not be checked, and an empty count could not be printed.\n"
    "Example: `[four]{supported:behavior}` for the part `behaviours`.\n"
    "How to fix: correct the selector; the hint lists what is known.",
)
UNKNOWN_VERSION = rule(
    "LTR144", "letter-unknown-version", E, "A letter goes with a version that is neither a release nor the draft.",
    "What it checks: the `version:` of a letter names a release under `content/releases/`, or the version the "
    "draft is (`v13` for a draft whose document.yaml says 13.0).\n"
    "Why: a letter is frozen against the release it was sent with; a version that is neither released nor "
    "being drafted means the letter would silently follow a later draft.\n"
    "Example: `version: v13` after the draft moved on to 14.0 without `s1sr release v13`.\n"
    "How to fix: release that version (`s1sr release v13`) if it was designated, or correct `version:`.",
)
NO_VERSION = rule(
    "LTR145", "letter-without-version", W, "A letter does not say which version it goes with.",
    "What it checks: every letter has `version:`, the release it goes with (e.g. `v13`).\n"
    "Why: without it the letter follows every later draft; with it, once that release exists, the letter is "
    "rendered against the release forever, byte for byte as sent.\n"
    "Example: a letter with `against: v12` and no `version:`.\n"
    "How to fix: add `version:` with the release name the draft will be designated as.",
)
BAD_LINK = rule(
    "LTR146", "letter-bad-link", E, "A link in a letter is not a web or mail address.",
    "What it checks: every `[text](address)` and `<address>` in a letter starts with `https://`, `http://` "
    "or `mailto:` and holds no spaces or quotes.\n"
    "Why: the letter goes outside the DCC; a link to a local file or a script would not open, or worse.\n"
    "Example: `[the guidance](file:///C:/docs/guide.pdf)`.\n"
    "How to fix: link to the published address of the document.",
)
BAD_SIGNATURE = rule(
    "LTR147", "letter-signature-image", E, "The letter's signature image cannot be used.",
    "What it checks: `signature:` names a PNG or JPEG file, inside the content folder, of at most 1 MB.\n"
    "Why: the image is embedded in the Word letter and the site page; anything else would break them or "
    "read a file from outside the content folder.\n"
    "Example: `signature: ../../home/me/signature.png`, or a file that is really a PDF.\n"
    "How to fix: save the signature as PNG or JPEG beside the letter and name it relative to the letter's "
    "folder (`signature: signature.png`).",
)
NOTE_IN_NOTE = rule(
    "LTR148", "letter-footnote-in-footnote", E, "A footnote marks another footnote.",
    "What it checks: the text of a footnote holds no `[^id]` mark.\n"
    "Why: Word has no footnotes inside footnotes; the mark would print as a stray number.\n"
    "Example: `text: See the guidance[^guide].` under `footnotes:`.\n"
    "How to fix: fold the second note into the first, or mark it in the letter's text.",
)
