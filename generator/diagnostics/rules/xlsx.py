"""Rules for DMVESM workbooks read back (XLSX1xx): ours, and hand-kept ones.

101-109 the file itself (fatal: the workbook cannot be read at all, exit 2);
110-129 the matrix inside it, each located by sheet and cell (``DMVESM!F12``);
140-169 the layouts a team keeps: columns told by their content, cell states, numbers among words.
"""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# -- 100-109: the file -------------------------------------------------------------------
NOT_A_WORKBOOK = rule(
    "XLSX101", "not-a-workbook", E, "The file is not an Excel workbook that can be opened.",
    "What it checks: that the file is a complete .xlsx package (a zip holding "
    "`xl/workbook.xml`) that opens as a workbook.\n"
    "Why: nothing in the matrix can be checked in a file that cannot be read.\n"
    "Example: a download that stopped half way (a truncated zip), a CSV renamed to .xlsx, an "
    "empty file.\n"
    "How to fix: open the file in Excel or LibreOffice and save it again as an Excel "
    "Workbook (.xlsx); if it will not open there either, fetch it again.",
    fatal=True,
)
ENCRYPTED = rule(
    "XLSX102", "encrypted-or-legacy-workbook", E,
    "The file is password-protected, or an old binary .xls workbook.",
    "What it checks: that the file is not an OLE compound file (it starts with the bytes "
    "`D0 CF 11 E0`), which is how Excel stores both encrypted workbooks and the pre-2007 "
    ".xls format.\n"
    "Why: an encrypted workbook cannot be read without its password, and s1sr does not read "
    ".xls.\n"
    "Example: a DMVESM saved with 'Encrypt with Password', or saved as 'Excel 97-2003 "
    "Workbook'.\n"
    "How to fix: open it in Excel, remove the password (File > Info > Protect Workbook) or "
    "choose File > Save As > Excel Workbook (.xlsx), and give s1sr that copy.",
    fatal=True,
)
TOO_LARGE = rule(
    "XLSX103", "workbook-too-large", E, "The workbook is larger than the reader accepts.",
    "What it checks: that the file is under 50 MB; that its parts, once unpacked, stay under "
    "200 MB and do not expand more than 100-fold from their compressed size; and that its "
    "merged ranges cover no more than a million cells.\n"
    "Why: a DMVESM is a few hundred kilobytes; a file far larger, one that unpacks to "
    "gigabytes (a 'zip bomb'), or one that merges a whole sheet (every merged cell becomes an "
    "object in memory) would exhaust memory before anything could be reported.\n"
    "Example: a workbook with a million formatted empty rows, a crafted archive, or "
    "`<mergeCell ref=\"A1:XFD1048576\"/>`.\n"
    "How to fix: delete unused rows, columns, images and sheets, save, and try again.",
    fatal=True,
)
WRONG_KIND = rule(
    "XLSX104", "wrong-document-kind", E, "The file is another kind of document, not a workbook.",
    "What it checks: that the package is a spreadsheet, not a Word document, a presentation "
    "or an OpenDocument file given where the DMVESM is expected.\n"
    "Why: the usual cause is the S1SR .docx and the DMVESM .xlsx given the wrong way round.\n"
    "Example: `s1sr check-pair DMVESM.xlsx S1SR.docx` with the files swapped, or "
    "`S1SR-v13.0.docx` renamed to .xlsx.\n"
    "How to fix: give the DMVESM workbook here; save an OpenDocument spreadsheet (.ods) as "
    ".xlsx first.",
    fatal=True,
)
UNSAFE_XML = rule(
    "XLSX105", "unsafe-xml", E, "A part of the workbook declares a DTD or XML entities.",
    "What it checks: that no XML part of the package contains `<!DOCTYPE` or `<!ENTITY`.\n"
    "Why: Excel never writes them; in a workbook they can only be an attack (entity expansion "
    "'billion laughs', or external entities that read local files).\n"
    "Example: `xl/sharedStrings.xml` beginning with `<!DOCTYPE lolz [<!ENTITY lol \"lol\">...`.\n"
    "How to fix: do not use the file; ask the sender for a workbook saved by Excel or "
    "LibreOffice.",
    fatal=True,
)

# -- 110-129: the matrix --------------------------------------------------------------------
NO_MATRIX = rule(
    "XLSX110", "no-matrix-sheet", E, "No sheet of the workbook looks like the DMVESM.",
    "What it checks: that some sheet has a header row with an `SRV` column and at least one "
    "Device Model column, within its first 50 rows.\n"
    "Why: the matrix is found by its headers, not by position, so that title rows, extra "
    "columns and renamed sheets still read; without the header nothing can be read.\n"
    "Example: a workbook whose header says `Service` instead of `SRV`.\n"
    "How to fix: label the column of SRV numbers `SRV` (or `SRV number`) and put the Device "
    "Model names in the same header row.",
)
BAD_REFERENCE = rule(
    "XLSX111", "unreadable-reference", E, "A matrix cell holds text that is not a clause reference.",
    "What it checks: that each matrix cell holds clause references (`18.5p`, `18.5p(i)`, "
    "`Clause 18.5q`, `S1SR 18.5q`), several separated by commas, semicolons, `and` or line "
    "breaks, or a mark meaning none (`-`, `N/A`, blank).\n"
    "Why: the check compares these references with the S1SR; text it cannot read as a "
    "reference would be silently dropped, so it is reported instead, never guessed.\n"
    "Example: `see above`, `18.5p to 18.5s` (a range), `18.5p?`.\n"
    "How to fix: write each clause reference in full, separated by commas; move comments to a "
    "Notes column.",
)
DATE_CELL = rule(
    "XLSX112", "date-in-matrix", E, "A matrix cell holds a date, probably a clause number Excel converted.",
    "What it checks: that no matrix or SRV cell holds a date value.\n"
    "Why: typed into an unformatted cell, `18.5` becomes 18 May in a UK-locale Excel; the "
    "clause number cannot be recovered from the date with certainty.\n"
    "Example: a cell showing `18-May`.\n"
    "How to fix: format the column as Text, then type the clause number again.",
)
NUMBER_CELL = rule(
    "XLSX113", "number-in-matrix", W, "A matrix or SRV cell holds a number, not text.",
    "What it checks: that clause references and SRV numbers are stored as text.\n"
    "Why: as a number, `18.10` is stored as 18.1 and `6.10` as 6.1; the reader uses the "
    "digits the cell displays, which may not be what was typed.\n"
    "Example: an SRV typed as `6.10` in a General-format cell.\n"
    "How to fix: format the column as Text, then type the value again.",
)
FORMULA_CELL = rule(
    "XLSX114", "formula-in-matrix", E, "A matrix or SRV cell holds a formula.",
    "What it checks: that matrix cells hold typed values, not formulas.\n"
    "Why: s1sr does not evaluate formulas, and the value Excel last cached may be stale.\n"
    "Example: `=C12` copying the reference of another cell.\n"
    "How to fix: replace the formula by its value (Copy, then Paste Special > Values).",
)
BAD_SRV = rule(
    "XLSX115", "unreadable-srv", E, "A row cites clauses but its SRV cannot be read.",
    "What it checks: that every row with clause references has an SRV number (`4.8.1`, "
    "`SRV 4.8.1`) in the SRV column.\n"
    "Why: a citation without its SRV cannot be compared with the S1SR.\n"
    "Example: an SRV cell holding `Read profile` or left blank under a merged cell.\n"
    "How to fix: put the SRV number in the SRV column of that row.",
)
DUPLICATE_SRV = rule(
    "XLSX116", "duplicate-srv-row", W, "Two rows of the matrix have the same SRV.",
    "What it checks: that each SRV has one row.\n"
    "Why: a reader of the matrix finds one of the rows and misses the other.\n"
    "Example: SRV 4.8.1 on rows 12 and 40.\n"
    "How to fix: merge the two rows into one.",
)
UNLABELLED_COLUMN = rule(
    "XLSX117", "unlabelled-column", W, "A column holds values but has no header, so it is ignored.",
    "What it checks: that every column with values in the matrix rows has a header naming "
    "the Device Model (or Notes, Firmware, ...).\n"
    "Why: values in a column without a Device Model cannot be attributed to one.\n"
    "Example: clause numbers typed one column to the right of the last Device Model.\n"
    "How to fix: add the Device Model's name to the header row, or move the values.",
)
DUPLICATE_DEVICE = rule(
    "XLSX118", "duplicate-device-column", W, "Two columns name the same Device Model.",
    "What it checks: that the device type, manufacturer and model of each column are unique.\n"
    "Why: the two columns may disagree, and a reader of the matrix will see only one.\n"
    "Example: `Secure Liberty 100` appearing in column F and again in column M.\n"
    "How to fix: merge the two columns, or tell the models apart in the header (add the "
    "firmware or cohort to the model name).",
)
EMPTY_MATRIX = rule(
    "XLSX119", "empty-matrix", W, "The matrix has Device Model columns but no SRV row.",
    "What it checks: that the DMVESM sheet has at least one row with an SRV below its header.\n"
    "Why: a matrix with headers only cites no clause, so the check has nothing to compare and "
    "would otherwise pass it in silence; rows deleted by accident look exactly like this.\n"
    "Example: a workbook saved after every SRV row was deleted, or a header copied into a new "
    "file without its rows.\n"
    "Not reported for a workbook s1sr wrote (it lists its Device Models on a sheet of their own): "
    "there, an empty matrix means the source has no variation yet.\n"
    "How to fix: give the DMVESM with its rows; if no Device Model has a variation yet, ignore "
    "the warning.",
)


# -- 140-169: any layout a team keeps ------------------------------------------------------------------
UNREADABLE_COLUMN = rule(
    "XLSX140", "unreadable-column", E, "Several cells of a Device Model column cannot be read as clause references.",
    "What it checks: every cell of a Device Model column holds clause references (`18.5p`, `18.5p(i)`, a "
    "range `18.5p(i)-(iii)`), no variation (blank, `-`, `None`) or not applicable (`N/A`, `Not supported`, "
    "`NS`). Where more than one cell of a column cannot be read, one finding names the column and its cells "
    "rather than one finding per cell.\n"
    "Why: a citation that cannot be read cannot be checked against the S1SR.\n"
    "Example: a column whose cells say `TBC`, `see above`, `as before`.\n"
    "How to fix: write the clause numbers in the cells, or move the comments to a Notes column.",
)
TEXT_COLUMN = rule(
    "XLSX141", "notes-column-by-content", I, "A column with an unknown header holds words, so it is read as notes.",
    "What it checks: a column whose header names neither a Device Model nor a known column (SRV name, "
    "notes, comments, firmware), and whose cells are mostly words rather than clause references.\n"
    "Why: such a column is a team's own notes; reading it as a Device Model would report every cell as an "
    "unreadable reference.\n"
    "Example: a column headed `Remarks (DCC)` with sentences in it.\n"
    "How to fix: nothing if it is notes (head it `Notes` to say so); if it is a Device Model, write clause "
    "numbers in its cells and name the device type and manufacturer above it.",
)
REFERENCE_WITH_WORDS = rule(
    "XLSX142", "reference-among-words", I, "A cell cites a clause number with words around it.",
    "What it checks: cells such as `see 18.5p` or `18.5p (firmware 2.1 and later)`: the number is read and "
    "the words are kept as a note of the cell (and `s1sr import` keeps them); words that could change what the "
    "number means (`not`, `except`, `was`, `TBC`, a question mark) make the cell unreadable instead.\n"
    "Why: the number is what the check compares with the S1SR; the words are listed so that the reading is "
    "never a silent guess.\n"
    "Example: `18.5p (firmware 2.1 and later)` is read as 18.5p with the note 'firmware 2.1 and later'.\n"
    "How to fix: nothing if the reading is right; otherwise move the words to a Notes column.",
)
NOT_APPLICABLE_CELLS = rule(
    "XLSX143", "not-applicable-cells", I, "Cells of the matrix say that the SRV does not apply to the Device Model.",
    "What it checks: cells that say `N/A`, `Not applicable`, `Not supported` or `NS` (with words after them "
    "kept as a note): a third state, beside clause references and no variation (blank, `-`, `None`).\n"
    "Why: a Device Model that does not support an SRV is a fact the matrix records; it is listed so that "
    "the reader sees what the check read.\n"
    "Example: `N/A` for SRV 6.8 in the column of a Communications Hub.\n"
    "How to fix: nothing if intended.",
)
OTHER_MATRIX_SHEETS = rule(
    "XLSX144", "several-matrix-sheets", I, "More than one sheet looks like the matrix.",
    "What it checks: which sheets have an SRV column and Device Model columns. The matrix is read from the "
    "sheet named `DMVESM`, else from the one with the most filled cells; notes, legend and key sheets are "
    "never chosen while another sheet is a matrix.\n"
    "Why: an old copy of the matrix kept in the workbook could otherwise be read instead of the current one.\n"
    "Example: sheets `Annex A` and `Annex A (v11)`.\n"
    "How to fix: delete or rename old copies, or name the current sheet `DMVESM`.",
)
