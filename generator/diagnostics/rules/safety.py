"""Rules that keep s1sr inside its folders and keep text honest: file names from data, files
read from outside the content folder, bounds on depth and size, invisible and look-alike
characters, unsafe links (S1SR020-049, DOCX230-239, XLSX130-139, LTR130-139)."""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

E, W = Severity.ERROR, Severity.WARNING

UNSAFE_FILE_NAME = rule(
    "S1SR020", "unsafe-file-name", E, "A value that names an output file could write outside its folder.",
    "What it checks: every value that becomes part of a file name (short_title, id, version, a release or "
    "letter name) holds no path separator, no '..', no drive or absolute path, no control character, no "
    "character Windows refuses and is not a Windows device name (CON, NUL, COM1, …).\n"
    "Why: the outputs are named from these values; `version: ../../x` would write outside the build folder, "
    "`short_title: CON` gives a file no Windows machine can open.\n"
    "Example: `short_title: ../S1SR`.\n"
    "How to fix: use letters, digits, '-', '_' and '.' only (e.g. `short_title: S1SR`, `version: \"13.0\"`).",
)
OUTSIDE_FOLDER = rule(
    "S1SR021", "file-outside-content", E, "A file the source names lies outside the content folder.",
    "What it checks: that every file the source names (sections, devices.yaml, the SRV list, changes.yaml, "
    "letters, releases) is inside the content folder: no absolute path, no '..' that climbs out, no symbolic "
    "link that leads elsewhere.\n"
    "Why: the published documents must come from the reviewed source only; a link to /etc or to another "
    "project would publish whatever that file holds.\n"
    "Example: `sections: [/home/me/draft.yaml]`, or `sections/18.yaml` being a link to `../../other/18.yaml`.\n"
    "How to fix: copy the file into the content folder and name it by its path there.",
    fatal=True,
)
NOT_REGULAR = rule(
    "S1SR022", "not-a-regular-file", E, "A file the source names is a folder, a pipe or a device.",
    "What it checks: that each file the source names is an ordinary file.\n"
    "Why: reading a named pipe waits forever (a pre-commit hook would hang); a device or a folder has no "
    "content to read.\n"
    "Example: `sections: [sections]`, or a section that is a FIFO made by `mkfifo`.\n"
    "How to fix: name the YAML file itself; replace the pipe or device by an ordinary file.",
    fatal=True,
)
TOO_DEEP = rule(
    "S1SR023", "nested-too-deep", E, "Clauses or YAML values are nested deeper than the reader accepts.",
    "What it checks: YAML nesting (at most 64 levels) and clause nesting (at most 12 levels of children).\n"
    "Why: no numbering scheme has more levels than that; a runaway nesting (a generated file, a paste gone "
    "wrong) would otherwise exhaust memory or the stack.\n"
    "Example: 500 clauses each the only child of the one before.\n"
    "How to fix: flatten the tree: a clause's depth should match a level of the numbering scheme.",
    fatal=True,
)
BAD_NUMBER = rule(
    "S1SR024", "number-out-of-range", E, "A number in the source is not plain ASCII digits or is out of range.",
    "What it checks: numbering `start:` values are written with the digits 0-9 only and are at most 32767, "
    "the largest start value Word accepts for a list level.\n"
    "Why: `start: \"²\"` looks like a number to some tools and not to others; a start of 99999999999 cannot be "
    "shown by Word and would make every counter enormous.\n"
    "Example: `start: 99999999999`.\n"
    "How to fix: write a whole number from 0 to 32767 with the digits 0-9.",
)
INVISIBLE_IN_ID = rule(
    "S1SR025", "invisible-character-in-id", E, "An id holds an invisible, bidi or control character.",
    "What it checks: clause ids, SRV numbers, Device Model and group ids, release and letter names hold no "
    "zero-width character (U+200B…), no bidirectional control (U+202A-U+202E, U+2066-U+2069) and no "
    "control character (a newline included).\n"
    "Why: `secure-esme` and `secure-esme` followed by a zero-width space look the same and are different "
    "ids: a look-alike can take over a DMVESM column or hide a duplicate.\n"
    "Example: `id: \"ESME-01\\u200b\"`, or `id: \"a\\n\"` beside `id: a`.\n"
    "How to fix: retype the id; delete the invisible character at the position given.",
)
MIXED_SCRIPT_ID = rule(
    "S1SR026", "mixed-script-id", E, "An id mixes letters of different scripts (a look-alike).",
    "What it checks: each id is written in one script (Unicode TR39 mixed-script detection): Latin letters "
    "with a Cyrillic or Greek look-alike mixed in are refused.\n"
    "Why: `SECURE-ESME` with a Cyrillic 'Е' is a different id that reads the same; it would be a second "
    "Device Model, a second DMVESM column, a reference that silently points nowhere.\n"
    "Example: `id: SECURE-ЕSME` (the second 'E' is U+0415 CYRILLIC CAPITAL LETTER IE).\n"
    "How to fix: retype the id in one script; the message names the character and its script.",
)
INVISIBLE_IN_TEXT = rule(
    "S1SR027", "invisible-character-in-text", W, "Text holds an invisible or bidi control character.",
    "What it checks: clause text, headings, table cells and names hold no zero-width characters and no "
    "bidirectional controls.\n"
    "Why: a right-to-left override makes `shall ‮ton‬ mark` display as `shall not mark`: the text a reader "
    "sees is not the text that was reviewed (the 'Trojan Source' trick).\n"
    "Example: a clause text with U+202E RIGHT-TO-LEFT OVERRIDE pasted in.\n"
    "How to fix: delete the invisible character at the offset given; retype the words around it.",
)
MIXED_SCRIPT_TEXT = rule(
    "S1SR028", "mixed-script-word", W, "A word in the text mixes letters of different scripts.",
    "What it checks: each word of clause text, headings and names is written in one script (Unicode TR39).\n"
    "Why: `shаll` with a Cyrillic 'а' reads as `shall` but no search, diff or reviewer finds it.\n"
    "Example: `The ESME shаll respond` (U+0430 CYRILLIC SMALL LETTER A).\n"
    "How to fix: retype the word; the message names the character and its script.",
)
UNSAFE_URL = rule(
    "S1SR029", "unsafe-url", E, "A link in the source uses a scheme other than http, https or mailto.",
    "What it checks: `site_url` and other links taken from the source are http, https, mailto or relative.\n"
    "Why: the links become hyperlinks in the workbooks, the documents and the site; a `javascript:` or "
    "`file:` link runs code or opens local files when a reader clicks it.\n"
    "Example: `site_url: javascript:alert(1)`.\n"
    "How to fix: give an https:// address (or leave the field out).",
)

# -- Word and Excel files read by the external check and the import --------------------------
DOCX_NUMBER_OUT_OF_RANGE = rule(
    "DOCX230", "docx-number-out-of-range", E, "A Word list's start value or level is beyond what Word accepts.",
    "What it checks: `w:start` and `w:startOverride` are ASCII whole numbers from 0 to 32767, list levels "
    "(`w:ilvl`) are 0-8 and `w:lvlText` refers to levels with the digits 1-9.\n"
    "Why: Word refuses or ignores such values, so the numbers it shows cannot be known; a start of "
    "99999999999 would otherwise make the reader count to it.\n"
    "Example: `<w:start w:val=\"99999999999\"/>`, `<w:lvlText w:val=\"%1.%²\"/>`.\n"
    "How to fix: open the document in Word and set the list's start value again (Define New Multilevel List).",
)
XLSX_BEYOND_USED_RANGE = rule(
    "XLSX130", "xlsx-beyond-used-range", W, "Merged cells in a workbook reach far below the rows in use.",
    "What it checks: that no merged range covers more than 2,000 cells; only its first rows up to that many "
    "cells are read, and rows that hold nothing but the rest of the range are not read at all.\n"
    "Why: a merged range down to row 1,048,576 (with a stray value there) would make every row of it a cell to "
    "look up: minutes and memory for nothing, since a DMVESM has one row per SRV.\n"
    "Example: cells C5:C1048576 merged on the DMVESM sheet.\n"
    "How to fix: in Excel, unmerge the range (Home → Merge & Center → Unmerge Cells) and delete the empty rows "
    "below the matrix.",
)
XLSX_UNSAFE_VALUE = rule(
    "XLSX131", "xlsx-unsafe-file-name", E, "A value read from the workbook cannot name a file.",
    "What it checks: the version on the workbook's About sheet, which names the imported release, is a safe "
    "file name (no separator, no '..', no control character, no Windows device name).\n"
    "Why: `s1sr import` names the release snapshot from it; `../x` would write outside the new folder.\n"
    "Example: About!B3 holds `../../v12`.\n"
    "How to fix: correct the version on the About sheet, or give the release name with --release.",
)
TEMPLATE_OUTSIDE = rule(
    "LTR130", "letter-template-outside", E, "A letter template lies outside the templates folder.",
    "What it checks: every letter template read is an ordinary file inside `templates/letter/` (or the "
    "templates s1sr ships): no symbolic link out of the folder, no pipe, no device.\n"
    "Why: a template linked to another file would print that file into the letter that is sent out.\n"
    "Example: `templates/letter/letter.md.j2` is a link to `/etc/passwd`.\n"
    "How to fix: replace the link by a copy of the template.",
)
