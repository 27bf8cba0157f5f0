"""Rules for checking a Word S1SR and a DMVESM workbook that were not (necessarily) made here.

``DOCX2xx``: reading a .docx (200-209, most fatal: the file cannot be read, exit 2) and the
numbering a reader sees in it (210-229). ``DOCX1xx`` belongs to the .docx writer.
``EXT1xx``: the DMVESM against the S1SR it cites. ``EXT2xx``: the pair against a baseline pair.
"""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# -- 200-209: the .docx file ----------------------------------------------------------------
NOT_A_DOCX = rule(
    "DOCX201", "not-a-word-document", E, "The file is not a Word document that can be opened.",
    "What it checks: that the file is an Office Open XML word-processing package (a zip holding "
    "`word/document.xml`).\n"
    "Why: nothing in the S1SR can be checked in a file that cannot be read.\n"
    "Example: a PDF or an RTF file renamed to .docx, an empty file, the DMVESM workbook given "
    "where the S1SR is expected, an OpenDocument (.odt) file.\n"
    "How to fix: open the file in Word or LibreOffice and save it as a Word Document (.docx); "
    "check that the .docx and .xlsx were not given the wrong way round.",
    fatal=True,
)
CORRUPT_DOCX = rule(
    "DOCX202", "corrupt-word-document", E, "The Word document is damaged: a truncated or corrupt zip or XML part.",
    "What it checks: that the zip archive is complete (its directory, every entry's checksum) and "
    "that each XML part the check reads is well formed.\n"
    "Why: a damaged part would make the check see fewer clauses than the document holds.\n"
    "Example: a download or e-mail attachment cut short; a part edited by hand and left unclosed.\n"
    "How to fix: fetch the file again, or open it in Word (which may offer to repair it) and save "
    "a new copy.",
    fatal=True,
)
ENCRYPTED_DOCX = rule(
    "DOCX203", "encrypted-or-legacy-word-document", E,
    "The file is password-protected, or an old binary Word 97-2003 .doc.",
    "What it checks: that the file is not an OLE compound file (it starts with the bytes "
    "`D0 CF 11 E0`), which is how Word stores both encrypted documents and the pre-2007 .doc "
    "format, and that no zip entry is encrypted.\n"
    "Why: an encrypted document cannot be read without its password; s1sr does not read .doc.\n"
    "Example: an S1SR saved with 'Encrypt with Password', or saved as 'Word 97-2003 Document'.\n"
    "How to fix: open it in Word, remove the password (File > Info > Protect Document), or "
    "choose File > Save As > Word Document (.docx), and give s1sr that copy.",
    fatal=True,
)
DOCX_TOO_LARGE = rule(
    "DOCX204", "word-document-too-large", E, "The Word document is larger than the reader accepts.",
    "What it checks: that the file is under 50 MB, that its parts unpack to under 512 MB in all "
    "and that none expands more than 200-fold from its compressed size.\n"
    "Why: the S1SR is a few megabytes; a far larger file, or one that unpacks to gigabytes "
    "(a 'zip bomb'), would exhaust memory before anything could be reported.\n"
    "Example: a document with embedded videos, or a crafted archive.\n"
    "How to fix: remove embedded media and save again; do not use a file from an unknown source.",
    fatal=True,
)
UNSAFE_DOCX_XML = rule(
    "DOCX205", "unsafe-xml-in-word-document", E, "A part of the Word document declares a DTD or XML entities.",
    "What it checks: that no XML part the check reads contains `<!DOCTYPE` or `<!ENTITY`.\n"
    "Why: Word never writes them; in a .docx they can only be an attack (entity expansion "
    "'billion laughs', or external entities that read local files or the network).\n"
    "Example: `word/document.xml` beginning with `<!DOCTYPE w [<!ENTITY a \"aaaa…\">`.\n"
    "How to fix: do not use the file; ask the sender for a document saved by Word or LibreOffice.",
    fatal=True,
)
VIEWER_DEPENDENT = rule(
    "DOCX206", "numbering-depends-on-program", W,
    "Word and LibreOffice display a different automatic number for this paragraph.",
    "What it checks: automatic numbering that uses `w:isLgl` (legal numbering) or `w:lvlRestart`, "
    "which Word honours and LibreOffice 7.4 ignores.\n"
    "Why: readers using different programs would cite different numbers for the same clause.\n"
    "Example: a level with 'Restart list after: (none)' shows 18.5c in Word and 18.5a in "
    "LibreOffice.\n"
    "How to fix: type clause numbers as text (as s1sr writes them), or remove the legal-style and "
    "restart settings from the list.",
)
BAD_NUMBERING = rule(
    "DOCX207", "broken-numbering-definition", W, "Automatic numbering refers to a list definition that is missing.",
    "What it checks: that every `w:numId` used by a paragraph or style is defined in "
    "`word/numbering.xml`, with its abstract numbering (and the list style it links to), and that "
    "the levels in use have a number format the check computes as Word shows it (decimal, "
    "decimalZero, letters, roman numerals, ordinal, cardinalText, ordinalText in English, and Word "
    "2010's zero-padded custom formats such as `001, 002, 003`).\n"
    "Why: Word shows such paragraphs without a number (or with a number from a default list, or "
    "in a format the check reads as decimal), so what a reader sees cannot be known for sure.\n"
    "Example: a paragraph copied from another document, keeping a list id this document lacks; "
    "a level whose `w:numFmt` is `chicago`, `japaneseCounting` or a value Word does not define.\n"
    "How to fix: reapply the clause numbering to the paragraph in Word, or type its number.",
)
NO_CLAUSES = rule(
    "DOCX208", "no-clause-numbers", E, "No numbered clause was found in the Word document.",
    "What it checks: that some paragraphs start with a clause number (typed or automatic).\n"
    "Why: with no clause numbers, no DMVESM reference can be checked.\n"
    "Example: the wrong file (a letter, a cover note), or a document whose numbers are images.\n"
    "How to fix: give the S1SR itself.",
)
UNPLACED_LABEL = rule(
    "DOCX209", "unplaced-clause-number", W, "A paragraph starts with a number that fits no level of the numbering.",
    "What it checks: that each number at the start of a paragraph can be read as a clause "
    "reference at some level (18, 18.5, (p), (i)).\n"
    "Why: such a paragraph is not counted as a clause, so references to it cannot be checked.\n"
    "Example: `(iv)` with no sub-clause above it, `18.5.3.2` in a three-level scheme.\n"
    "How to fix: correct the number, or indent the paragraph under the clause it belongs to.",
)

# -- 210-229: the numbering a reader sees ------------------------------------------------------
DUPLICATE = rule(
    "DOCX211", "duplicate-displayed-number", E, "Two clauses of the Word document show the same number.",
    "What it checks: that each clause number appears once.\n"
    "Why: a DMVESM reference to that number is ambiguous.\n"
    "Example: two paragraphs numbered 18.5q after a copy and paste.\n"
    "How to fix: renumber one of them (an inserted clause takes 18.5qa).",
)
GAP = rule(
    "DOCX212", "numbering-gap", E, "A clause number is skipped.",
    "What it checks: that siblings are numbered without gaps (18.5c follows 18.5b). Inserted "
    "numbers (18.5A, 18.5pa) and '[Not used]' clauses are not gaps.\n"
    "Why: a deleted clause must stay as '[Not used]' so the numbers after it do not move; a gap "
    "usually means a clause was removed or a number mistyped.\n"
    "Example: 18.5c followed by 18.5e.\n"
    "How to fix: put the missing clause back as '[Not used]', or correct the number.",
)
NOT_RESTARTED = rule(
    "DOCX213", "level-not-restarted", E, "A sub-level continues counting from the previous clause instead of restarting.",
    "What it checks: that the first sub-clause under a clause is numbered from the start ((a), "
    "(i)).\n"
    "Why: this is what Word's automatic numbering does when a list continues across clauses; the "
    "numbers then depend on everything above them.\n"
    "Example: 18.5 has sub-clauses (a)-(c) and 18.6 begins at (d).\n"
    "How to fix: restart the numbering at the first sub-clause (Word: Restart at 1), or type the "
    "numbers.",
)
LIST_AS_SIBLINGS = rule(
    "DOCX214", "list-items-as-clauses", E,
    "Items of a list introduced by a clause are numbered as the clause's siblings.",
    "What it checks: a clause whose text introduces a list (it ends with a colon or says 'the "
    "following') followed, at the same level, by clauses that read as the items of that list (they "
    "end with ';', '; and', '; or').\n"
    "Why: this is what happened at 18.5p between versions 11 and 12 of the S1SR: items that should "
    "have been (i), (ii), … became 18.5q, 18.5r, …, every later clause in 18.5 moved by one, and the "
    "DMVESM silently pointed at the wrong text.\n"
    "Example: 18.5p '… the following:' then 18.5q 'the import register;'.\n"
    "How to fix: demote the items one level ((i), (ii), …) so the following clauses keep their "
    "numbers.",
)
OUT_OF_ORDER = rule(
    "DOCX215", "number-out-of-order", E, "A clause number is lower than the one before it.",
    "What it checks: that siblings are numbered in increasing order.\n"
    "Why: a reader looking for 18.5c after 18.5f would not find it.\n"
    "Example: 18.5f followed by 18.5c.\n"
    "How to fix: correct the number or move the clause.",
)
TWO_NUMBERS = rule(
    "DOCX216", "automatic-and-typed-number", W, "A paragraph shows an automatic number and a typed one.",
    "What it checks: that a paragraph with Word automatic numbering does not also start with a "
    "clause number typed as text.\n"
    "Why: the reader sees two numbers, and they drift apart as soon as a clause is inserted.\n"
    "Example: `18.5q  18.5p(ii) the export register;`.\n"
    "How to fix: remove one of the two numbers (s1sr writes typed numbers only).",
)

# -- 240-269: Word's numbering as Word shows it -----------------------------------------------------
TRACKED_RENUMBERING = rule(
    "DOCX240", "numbers-change-with-tracked-changes", W,
    "Tracked changes give numbered paragraphs other numbers once they are accepted.",
    "What it checks: in a document with tracked changes, the number each paragraph shows in the "
    "original view (every change rejected) against the number it shows with every change accepted, "
    "which is the view the check reads (as Word shows the document once the changes are accepted).\n"
    "Why: a redline is often what is circulated; a reader of the original and a reader of the "
    "final text then cite different clauses by the same number, and the DMVESM can agree with only "
    "one of them.\n"
    "Example: a tracked insertion of a numbered paragraph before 18.5q: with the change accepted the "
    "old 18.5q shows 18.5r.\n"
    "How to fix: give an inserted clause an insertion number (18.5pa) and keep a deleted one as "
    "'[Not used]', so that accepting the changes moves no number; or update the DMVESM to the final "
    "numbers.",
)
LEVEL_TEXT_LIMITS = rule(
    "DOCX241", "list-level-text-outside-word-limits", W,
    "A list level's number text is outside what Word accepts, so Word shows no number or may not show it.",
    "What it checks: the `w:lvlText` of each list level in use against Microsoft's implementer "
    "notes (MS-OI29500, ECMA-376 §17.9.11): a `%n` naming a level below the paragraph's own makes "
    "Word ignore the whole text (the paragraph shows no number); Word allows at most nine `%n` and "
    "31 characters once the numbers are filled in.\n"
    "Why: other programs (LibreOffice) show a number for such paragraphs, so readers of the same file "
    "see different clause numbers, or none.\n"
    "Example: level 1 with the number text `%1.%2`.\n"
    "How to fix: correct the level's number format in Word (Define New Multilevel List), or type the "
    "clause numbers.",
)

# -- EXT1xx: the DMVESM against the S1SR --------------------------------------------------------
CITED_MISSING = rule(
    "EXT101", "cited-clause-missing", E, "A DMVESM cell cites a clause number the S1SR does not have.",
    "What it checks: that every clause reference in the matrix is a number shown in the S1SR.\n"
    "Why: a Party reading the matrix cannot find the variation it points to.\n"
    "Example: DMVESM!F12 cites 18.5z and the S1SR's 18.5 ends at 18.5x.\n"
    "How to fix: correct the reference in the cell (the hint names the nearest number), or add the "
    "clause to the S1SR.",
)
CITED_OFF_TOPIC = rule(
    "EXT102", "cited-clause-off-topic", W,
    "A DMVESM cell cites a clause that concerns neither its SRV nor its Device Model, but others.",
    "What it checks: that a clause cited for SRV x and Device Model y mentions x or y (or y's "
    "manufacturer, group or device type) in its text, its heading, the clauses above it or the "
    "clause whose list it continues; reported when it names only other SRVs or Device Models.\n"
    "Why: this is how a shifted number shows when there is no earlier version to compare with: the "
    "cell still says 18.5q, but 18.5q now describes something else. It is a warning because the "
    "wording of a clause is only evidence, not proof; with a baseline pair, EXT202 is the proof.\n"
    "Example: DMVESM!F12 (SRV 4.8.1, Secure Liberty 100) cites 18.5q, which is about SRV 4.6.1.\n"
    "How to fix: cite the clause that describes the variation, or correct the S1SR's numbering.",
)
CITED_UNRELATED = rule(
    "EXT103", "cited-clause-unrelated", I,
    "A DMVESM cell cites a clause that mentions neither its SRV nor its Device Model.",
    "What it checks: that a clause cited for SRV x and Device Model y mentions x or y (or their "
    "manufacturer or group) in its text, its heading or the clauses above it.\n"
    "Why: it may be right (a general clause), but it is the first place to look for a misalignment.\n"
    "Example: DMVESM!F12 (SRV 4.8.1, Secure Liberty 100) cites 3.2, a general definition.\n"
    "How to fix: check the citation; if it is right, name the SRV or Device Model in the clause.",
)
UNKNOWN_DEVICE_COLUMN = rule(
    "EXT104", "device-not-in-list", I, "A DMVESM column names a Device Model the device list does not know.",
    "What it checks: that each Device Model column of the matrix matches a Device Model of the "
    "device list given (content/devices.yaml), by manufacturer and model.\n"
    "Why: clause text is searched for the Device Model's names; an unknown model is searched by "
    "the words of its column header only.\n"
    "Example: a column `Secure Liberty 100 (v2)` that devices.yaml calls `Liberty 100`.\n"
    "How to fix: add the model to devices.yaml, or use its registered name in the header.",
)

NUMBERS_SHIFTED = rule(
    "EXT110", "numbers-shifted", E,
    "Every later clause of a list moved by the same number of places, against the baseline.",
    "What it checks: with a baseline pair, runs of two or more sibling clauses whose texts all "
    "moved by the same number of places, and what moved them: a clause that is new in this version "
    "but numbered in sequence instead of with an insertion number, or a baseline clause taken out "
    "instead of being left '[Not used]'. The findings it explains (each clause whose text moved, "
    "each DMVESM cell citing a moved number) are listed under it as related locations.\n"
    "Why: this is the 18.5 incident in its plainest form: one clause placed in sequence, and every "
    "number after it names other text, while the DMVESM goes on citing the old numbers.\n"
    "Example: a new clause typed as 18.5k between 18.5j and the baseline's 18.5k, so 18.5k to 18.5s "
    "become 18.5l to 18.5t.\n"
    "How to fix: number the new clause as an insertion (18.5ja), or put the removed clause back as "
    "'[Not used]', so the later clauses keep their numbers.",
)

NUMBERS_RESTORED = rule(
    "EXT111", "numbers-restored", I,
    "List items that the baseline numbered as siblings are items again, and the clauses after them move back.",
    "What it checks: with a baseline pair, the 18.5 pattern undone: clauses that the baseline numbered "
    "as siblings of the clause introducing them are now its items, and the clauses after them move "
    "back by as many places. The findings it explains (each clause whose text moved, each DMVESM "
    "cell that follows the correction) are listed under it as related locations; if any of them is "
    "an error, this finding is one too.\n"
    "Why: a correction renumbers as much as the error did, and whoever signs off must see it whole: "
    "which numbers come back, and which DMVESM cells now point at the text they were written for.\n"
    "Example: version 13 against version 12: 18.5q to 18.5s are 18.5p(i) to 18.5p(iii) again, and "
    "18.5t to 18.5v are 18.5q to 18.5s, as in version 11.\n"
    "How to fix: nothing, if the correction is intended; declare the renumbering in the change set so "
    "the letter lists it.",
)

# -- EXT2xx: against the baseline pair ----------------------------------------------------------
TEXT_MOVED = rule(
    "EXT201", "clause-text-moved", W, "A clause's text now lives under another number than in the baseline.",
    "What it checks: each clause of the baseline S1SR, found again in the new one by its text "
    "(tolerant to small edits), and whether its number changed.\n"
    "Why: designated numbers are frozen; a move is a renumbering that the letter must declare, and "
    "every DMVESM cell citing the old number must follow it.\n"
    "Example: the text of 18.5q in version 11 is 18.5t in version 12.\n"
    "How to fix: restore the number (demote inserted list items, insert as 18.5pa), or declare the "
    "renumbering and update the DMVESM.",
)
CELL_RETARGETED = rule(
    "EXT202", "dmvesm-cell-points-elsewhere", E,
    "A DMVESM cell now points at different text than it did in the baseline.",
    "What it checks: for every matrix cell, the text of each clause it cites now and in the "
    "baseline pair; a reference whose number stayed while the text moved away is reported with the "
    "number where the old text now lives.\n"
    "Why: this is the failure between S1SR versions 11 and 12: nobody changed the matrix, and it "
    "pointed at the wrong variations for a whole version.\n"
    "Example: DMVESM!F12 cites 18.5q; in the baseline 18.5q read 'profile data is returned in …'; that "
    "text is now 18.5t and 18.5q reads 'the import register;'.\n"
    "How to fix: cite the new number in the cell (or restore the S1SR's numbering).",
)
CITED_TEXT_GONE = rule(
    "EXT203", "cited-text-removed", W,
    "A DMVESM cell cites a clause whose baseline text cannot be found in the new S1SR.",
    "What it checks: that the text a cell pointed at in the baseline still exists (possibly edited) "
    "somewhere in the new S1SR.\n"
    "Why: the variation may have been deleted or rewritten; the cell should then change too.\n"
    "Example: DMVESM!F12 cites 18.5q, whose version 11 text appears nowhere in version 12.\n"
    "How to fix: check that the clause now cited still describes the variation.",
)
CELL_CORRECTED = rule(
    "EXT204", "dmvesm-cell-follows-corrected-text", I,
    "A DMVESM cell points at other text than in the baseline, and the new text is about its Device Model.",
    "What it checks: the same comparison as EXT202, when the text the cell now points at names the cell's "
    "Device Model and the text it pointed at in the baseline did not.\n"
    "Why: that is what a correction looks like (a draft restoring numbers that a designated version "
    "shifted, as version 13 does for version 12's 18.5); it is listed so the letter can explain it.\n"
    "Example: DMVESM!L29 (Secure Europa G4) cites 18.5q; in version 12 that was an item of 18.5p about "
    "Itron and L&G meters, in the draft it is again 'A Secure GSME records gas Profile Data …'.\n"
    "How to fix: nothing, if the correction is intended; declare the renumbering in the change set.",
)

# -- EXT210-229: the matrix's cell states against the baseline pair ----------------------------------
CELL_STATE_CHANGED = rule(
    "EXT210", "dmvesm-cell-state-changed", I,
    "A DMVESM cell said 'not applicable' in the baseline and now cites clauses, or the other way round.",
    "What it checks: the three states of each matrix cell (clause references, no variation, not applicable) "
    "against the baseline workbook, for the cells whose state changed between 'not applicable' and citing "
    "clauses.\n"
    "Why: a Device Model that starts or stops supporting an SRV is a change the letter must explain; a "
    "cell that lost its citations by mistake would otherwise go unnoticed.\n"
    "Example: DMVESM!L29 (Secure Europa G4, SRV 6.8) said N/A in version 12 and cites 18.5q in the draft.\n"
    "How to fix: nothing if the change is intended; otherwise restore the cell.",
)
