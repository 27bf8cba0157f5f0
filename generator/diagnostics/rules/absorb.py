"""Rules for taking a reviewed .docx and .xlsx back into the source (``s1sr absorb``).

``ABS1xx``: what the edits amount to and how they merge with the source. ``DOCX28x``: the
reviewed .docx as a file built by s1sr. ``XLSX18x``: the reviewed DMVESM workbook.
"""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

NOT_BUILT = rule(
    "DOCX280", "docx-not-built-by-s1sr", E, "The .docx does not say which source it was built from.",
    "What it checks: that the document carries the custom property 'S1SR source hash' and the source "
    "snapshot that `s1sr build` writes into every S1SR .docx.\n"
    "Why: a reviewer's edits can only be told apart from later changes to the source when the source "
    "the document was built from is known.\n"
    "Example: a document typed by hand, one built by an older s1sr, or a copy from which Word's "
    "Document Inspector removed the custom XML data.\n"
    "How to fix: take the edits into a document that `s1sr build` wrote (or onboard a hand-kept "
    "document once with `s1sr import`).",
    fatal=True,
)
BAD_SNAPSHOT = rule(
    "DOCX281", "docx-source-snapshot-unreadable", E,
    "The source snapshot inside the .docx cannot be read, or does not match its recorded hash.",
    "What it checks: that the snapshot `s1sr build` embedded reads as a release snapshot and that "
    "its content hash is the one the document's 'S1SR source hash' property records.\n"
    "Why: a damaged or altered snapshot would make the merge compare against the wrong source.\n"
    "Example: the custom XML part was edited by another program.\n"
    "How to fix: rebuild the document with `s1sr build` and apply the edits to the new copy.",
    fatal=True,
)
CONFLICT = rule(
    "ABS101", "edit-conflict", E, "A reviewer's edit and a later change to the source touch the same text.",
    "What it checks: that each edit made in the document either touches something the source has not "
    "changed since the build, or changes it the same way.\n"
    "Why: taking one side silently would lose the other's work.\n"
    "Example: the reviewer rewrote clause 18.5b while a drafter amended the same words in the YAML.\n"
    "How to fix: keep the source's version or apply the reviewer's by hand (both are shown), then "
    "run `s1sr absorb` again: edits already in the source are recognised and skipped.",
)
MATCHED_BY_TEXT = rule(
    "ABS102", "clause-matched-by-text", I, "A paragraph had lost its bookmark and was matched to its clause by text.",
    "What it checks: paragraphs without the bookmark `s1sr build` gave their clause are matched to the "
    "clause whose text is most alike (difflib's ratio, at least 0.75).\n"
    "Why: copying, retyping or another editor can drop bookmarks; the match is reported so it can be "
    "checked.\n"
    "Example: 'paragraph 212 had lost its bookmark; taken as clause 18.5b (pd-secure-esme-reactive), "
    "91% alike'.\n"
    "How to fix: nothing, when the match is right; otherwise restore the paragraph from the built document.",
)
NEW_CLAUSE = rule(
    "ABS103", "new-clause", I, "A paragraph that no clause of the source has becomes a new clause.",
    "What it checks: a paragraph with a clause style (or indented like one) that matches no clause "
    "becomes a new clause with a generated id, at the level its style and indent give, after the "
    "clause before it.\n"
    "Why: numbers are computed; the note says which id the clause got so it can be renamed.\n"
    "Example: a paragraph typed between 18.5b and 18.5c after release v12 becomes 18.5ba.\n"
    "How to fix: nothing; rename the generated id in the YAML if you want another one.",
)
TYPED_NUMBER = rule(
    "ABS104", "typed-number-differs", W, "A number typed in the document is not the number the clause will have.",
    "What it checks: the number a reviewer typed at the start of a new or moved paragraph against the "
    "number the numbering rules give it.\n"
    "Why: numbers are computed from the place of the clause and the frozen numbers of the last release; "
    "a typed number is not kept.\n"
    "Example: a reviewer typed (c) for a paragraph inserted between 18.5b and 18.5c; it becomes 18.5ba, "
    "because 18.5c keeps its designated number.\n"
    "How to fix: nothing, unless the clause should be elsewhere: then move it in the source.",
)
LINK_TEXT_CHANGED = rule(
    "ABS105", "cross-reference-text-changed", W,
    "A cross-reference no longer shows the number of the clause it links to.",
    "What it checks: each internal link (or REF field) in an edited paragraph still shows the number "
    "of a clause; it then stays a `[[id]]` cross-reference.\n"
    "Why: a cross-reference prints its target's current number; text typed over it cannot be kept as a "
    "reference to a clause.\n"
    "Example: the link to 18.5 now reads 'clause eighteen'.\n"
    "How to fix: write the reference as `[[clause-id]]` in the YAML if it should stay one.",
)
INEXACT = rule(
    "ABS106", "edit-not-expressible", W, "An edited paragraph cannot be written exactly as clause-source markup.",
    "What it checks: the markup written for an edited paragraph reads back as the paragraph's text.\n"
    "Why: text such as `**` or `[[` typed by a reviewer would turn into markup.\n"
    "Example: a paragraph that now contains a literal `[[`.\n"
    "How to fix: look at the clause in the diff and correct the YAML by hand.",
)
OUTSIDE_CLAUSES = rule(
    "ABS107", "edit-outside-clauses", W, "An edit outside the clauses is not taken back.",
    "What it checks: the title page, the contents and headers are generated from document.yaml; "
    "edits there are reported, not taken back.\n"
    "Why: they are generated from the source's fields, not from clause text.\n"
    "Example: a reviewer changed the title on the cover page.\n"
    "How to fix: change `title`, `version` or `date` in content/document.yaml.",
)
REMOVED_REFERENCED = rule(
    "ABS108", "removed-clause-referenced", W, "A removed clause is still cross-referenced by another clause.",
    "What it checks: that no remaining clause names a clause the reviewer removed (a designated clause "
    "stays as a [Not used] tombstone and keeps its references working).\n"
    "Why: the reference would point nowhere (S1SR201 in the check).\n"
    "Example: 18.5c was deleted in Word, and 18.7 still refers to it.\n"
    "How to fix: amend the clause that refers to it, or restore the removed clause.",
)
LEVEL_CLAMPED = rule(
    "ABS109", "paragraph-level-skipped", W, "A paragraph is more than one level below the clause above it.",
    "What it checks: that each clause paragraph is at most one level deeper than the one before it.\n"
    "Why: a clause needs a parent one level up; the paragraph is taken one level below the clause above it.\n"
    "Example: an S1SR Item paragraph directly under an S1SR Clause paragraph.\n"
    "How to fix: give the paragraph the right clause style in Word, or move the clause in the YAML.",
)
SOURCE_CHANGED = rule(
    "ABS110", "source-changed-since-build", I, "The source has changed since the document was built.",
    "What it checks: the document's recorded source hash against the source as it is now.\n"
    "Why: the reviewer's edits are then merged with the later changes: where they do not overlap both "
    "are kept, where they do the result is a conflict (ABS101).\n"
    "Example: a drafter committed changes while the document was out for review.\n"
    "How to fix: nothing; look at any conflicts.",
)
MERGED_HAS_ERRORS = rule(
    "ABS111", "absorbed-source-has-errors", E, "With the edits taken back, the source would not check clean.",
    "What it checks: the source with every edit applied is read and checked before anything is written.\n"
    "Why: `s1sr absorb --write` never leaves a source that cannot be built.\n"
    "Example: a reviewer deleted a clause that another clause cross-references.\n"
    "How to fix: correct the document or the source (the findings say where) and run it again.",
)
LAYOUT_NOT_KEPT = rule(
    "ABS112", "yaml-layout-not-kept", W, "A YAML file's layout cannot be kept exactly.",
    "What it checks: that each file the edits touch is written back with its comments, indentation, "
    "quoting and line folding, so that `git diff` shows only the edit.\n"
    "Why: unrelated reformatting hides the real change in review.\n"
    "Example: a file that mixes two indentation widths.\n"
    "How to fix: format the file one way (2 spaces for mappings, `- ` indented by 2 for lists) and run "
    "it again.",
)
SECTION_FILE_LEFT = rule(
    "ABS113", "section-file-left", I, "A removed section's file is no longer listed but is left in place.",
    "What it checks: when a reviewer removes a whole section that no release designated, it is taken "
    "out of document.yaml's `sections:` list; s1sr never deletes a file.\n"
    "Why: the file may hold comments or drafts someone wants.\n"
    "Example: content/sections/24-new-annex.yaml is no longer listed.\n"
    "How to fix: delete the file with `git rm` if it is no longer wanted.",
)
TRACKED_CHANGES = rule(
    "ABS114", "tracked-changes-accepted", I, "The document's tracked changes are taken as accepted.",
    "What it checks: every tracked insertion, deletion, move and formatting change, by author.\n"
    "Why: the review list names who proposed what; the source takes the text as if every change "
    "were accepted.\n"
    "Example: '12 tracked changes by Alice Drafter, 3 by Bob Reviewer'.\n"
    "How to fix: reject a change in Word before taking the document back if it should not be taken.",
)
NOTHING_TO_TAKE = rule(
    "ABS115", "no-edits", I, "The document holds no edits to take back.",
    "What it checks: that the reviewed document differs from the source it was built from.\n"
    "Why: a document returned unchanged (or already taken back) changes nothing.\n"
    "Example: running `s1sr absorb` twice on the same document.\n"
    "How to fix: nothing.",
)
WORKBOOK_MISMATCH = rule(
    "XLSX180", "workbook-from-another-build", E,
    "The reviewed DMVESM workbook was not built from the same source as the document.",
    "What it checks: the workbook's About sheet records the content hash the .docx records (or, "
    "given alone, the source's hash now).\n"
    "Why: cell edits are compared with the matrix the workbook was built with; another build's "
    "matrix would turn every difference into an edit.\n"
    "Example: a DMVESM from version 12 given with the version 13 S1SR.\n"
    "How to fix: give the workbook of the same build, or take its edits back with the .docx it came with.",
    fatal=True,
)
CELL_CITES_UNKNOWN = rule(
    "XLSX181", "edited-cell-cites-unknown-clause", E,
    "An edited DMVESM cell cites a number that no clause of the document has.",
    "What it checks: every clause number in an edited cell is the number of a clause in the document "
    "the workbook was built with.\n"
    "Why: the matrix is kept as `applies_to` on clauses; a number that names no clause cannot be kept.\n"
    "Example: DMVESM!F12 now cites 18.5z.\n"
    "How to fix: cite an existing clause, or add the clause in the document first.",
)
CELL_UNKNOWN_DEVICE = rule(
    "XLSX182", "edited-cell-unknown-device", W,
    "An edited DMVESM cell is in a column or row that names no known Device Model or SRV.",
    "What it checks: that a cell edit is in a Device Model column of devices.yaml and a DUIS SRV row.\n"
    "Why: applies_to names Device Models by id and SRVs by number.\n"
    "Example: a column added by hand for a Device Model not in devices.yaml.\n"
    "How to fix: add the Device Model to content/devices.yaml first, then edit its column.",
)
