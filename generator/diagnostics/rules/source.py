"""Rules for the clause source: schema (0xx), numbering (1xx), references (2xx),
consistency (3xx)."""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# -- 0xx: reading the source ------------------------------------------------------------
YAML_SYNTAX = rule(
    "S1SR001", "yaml-syntax", E, "The file is not valid YAML.",
    "What it checks: that each content file parses as YAML.\n"
    "Why: nothing else can be checked in a file that cannot be read.\n"
    "Example: a missing colon, a tab used for indentation, an unclosed quote.\n"
    "How to fix: correct the YAML at the line and column given; indent with spaces only.",
    fatal=True,
)
DUPLICATE_KEY = rule(
    "S1SR002", "duplicate-key", E, "A mapping has the same key twice.",
    "What it checks: that no key appears twice in one mapping.\n"
    "Why: YAML tools silently keep the last value, so half of what was written is lost.\n"
    "Example: two `text:` lines in one clause.\n"
    "How to fix: merge the two values or delete one.",
    fatal=True,
)
NOT_UTF8 = rule(
    "S1SR003", "not-utf8", E, "The file is not UTF-8 text.",
    "What it checks: that content files are UTF-8.\n"
    "Why: other encodings change characters without warning.\n"
    "Example: a file saved as Windows-1252 from an old editor.\n"
    "How to fix: save the file as UTF-8.",
    fatal=True,
)
NON_STRING_ID = rule(
    "S1SR004", "unquoted-id", W, "An id or reference reads as a number or boolean in plain YAML.",
    "What it checks: ids and SRV numbers written unquoted that other YAML tools read as a "
    "number (`18.10` becomes 18.1) or a boolean (`no`).\n"
    "Why: s1sr keeps the text as written, but editors, schema validators and scripts do not.\n"
    "Example: `id: 18.10`.\n"
    "How to fix: quote it: `id: \"18.10\"`.",
)
MISSING_FIELD = rule(
    "S1SR005", "missing-field", E, "A required field is missing.",
    "What it checks: that every required field is present (the JSON Schema lists them).\n"
    "Why: a clause without an id cannot be referenced; a device without a type cannot be placed.\n"
    "Example: a clause with `text:` but no `id:`.\n"
    "How to fix: add the field named in the message.",
)
WRONG_TYPE = rule(
    "S1SR006", "wrong-type", E, "A field has the wrong kind of value.",
    "What it checks: that each field holds the kind of value it needs (text, list, mapping, "
    "true/false).\n"
    "Why: a list where text is expected cannot be rendered.\n"
    "Example: `children: intro` instead of a list of clauses.\n"
    "How to fix: write the value in the form the message names.",
)
UNKNOWN_FIELD = rule(
    "S1SR007", "unknown-field", E, "A field name is not part of the format.",
    "What it checks: that every key is one the format defines.\n"
    "Why: a misspelt key (`heding`) is otherwise ignored and its content silently lost.\n"
    "Example: `aplies_to:`.\n"
    "How to fix: correct the spelling; the hint suggests the nearest known name.",
)
FILE_MISSING = rule(
    "S1SR008", "file-missing", E, "A file the source names cannot be found.",
    "What it checks: that `document.yaml`, `devices.yaml`, the SRV list and every section file "
    "listed exist.\n"
    "Why: a missing section would silently drop clauses.\n"
    "Example: `sections: [sections/18-profiles.yaml]` when the file is called `18-profile.yaml`.\n"
    "How to fix: create the file or correct its name in `document.yaml`.",
    fatal=True,
)
FILE_TOO_LARGE = rule(
    "S1SR009", "file-too-large", E, "A source file is larger than the reader accepts.",
    "What it checks: that each content file is under the size limit (10 MB).\n"
    "Why: a runaway file (a pasted export, a generated blob) would make every command slow.\n"
    "Example: a 50 MB section file.\n"
    "How to fix: split the section, or remove what does not belong in the source.",
    fatal=True,
)
ALIAS = rule(
    "S1SR010", "yaml-alias", E, "YAML anchors and aliases are not used in the source.",
    "What it checks: that no `&anchor` / `*alias` appears.\n"
    "Why: aliases hide repetition (and can expand exponentially: the 'billion laughs').\n"
    "Example: `applies_to: *lg-foc`.\n"
    "How to fix: use a Device Model group in `devices.yaml` instead of an alias.",
    fatal=True,
)
BAD_VALUE = rule(
    "S1SR011", "bad-value", E, "A field has a value outside its allowed set.",
    "What it checks: enumerated fields (status, device type, cohort, counter style) and dates.\n"
    "Why: a typo in a device type would put the device in no DMVESM column group.\n"
    "Example: `device_type: ESMW`.\n"
    "How to fix: use one of the values the message lists.",
)
CONTROL_CHAR = rule(
    "S1SR012", "control-character", E, "Text contains a control character.",
    "What it checks: that text holds no control characters (other than line breaks).\n"
    "Why: Word cannot store them and a reader cannot see them.\n"
    "Example: a form feed pasted from a PDF.\n"
    "How to fix: delete the character at the position given.",
)
BOM = rule(
    "S1SR013", "byte-order-mark", I, "The file starts with a byte-order mark.",
    "What it checks: a UTF-8 byte-order mark at the start of a file.\n"
    "Why: it is harmless here but some tools show it as stray characters.\n"
    "Example: a file saved by Notepad as 'UTF-8 with BOM'.\n"
    "How to fix: save as plain UTF-8.",
)
BAD_RELEASE = rule(
    "S1SR014", "bad-release", E, "A release snapshot cannot be read.",
    "What it checks: that each file under `content/releases/` is a snapshot this version of "
    "s1sr wrote (valid JSON, known format version).\n"
    "Why: numbering is frozen against releases; a broken snapshot would unfreeze it.\n"
    "Example: a snapshot edited by hand and left with a trailing comma.\n"
    "How to fix: restore the file from version control; never edit snapshots by hand.",
    fatal=True,
)
UNKNOWN_RELEASE = rule(
    "S1SR015", "unknown-release", E, "A release named in the source or on the command line does not exist.",
    "What it checks: that `changes.yaml`'s `against:` and command-line release names exist.\n"
    "Why: numbering against a missing release would freeze nothing.\n"
    "Example: `against: v21` when only v11 and v12 exist.\n"
    "How to fix: use one of the release names listed in the hint.",
    fatal=True,
)

# -- 1xx: numbering --------------------------------------------------------------------
BAD_SCHEME = rule(
    "S1SR101", "malformed-scheme", E, "The numbering scheme is incomplete or ambiguous.",
    "What it checks: every level has a counter style, a reference pattern with `{n}` (and "
    "`{parent}` below the first level), an insertion style that cannot be confused with the "
    "counter, and that the clause tree is no deeper than the scheme.\n"
    "Why: numbers must be computable and must read back to exactly one clause.\n"
    "Example: a fourth level of clauses when the scheme defines three.\n"
    "How to fix: add the missing level to `numbering:` in `document.yaml`.",
    fatal=True,
)
DUPLICATE_NUMBER = rule(
    "S1SR102", "duplicate-clause-number", E, "Two clauses have the same number.",
    "What it checks: that every computed number is unique.\n"
    "Why: a duplicated number makes every citation of it ambiguous.\n"
    "Example: a frozen number and a declared renumbering that land on the same 18.5q.\n"
    "How to fix: declare the renumbering of the other clause too, or move the clause.",
)
UNDECLARED_RENUMBER = rule(
    "S1SR103", "undeclared-renumbering", E,
    "A released clause would get a new number, but the change set does not declare it.",
    "What it checks: every clause of the baseline release keeps its number unless "
    "`changes.yaml` declares the renumbering with a reason.\n"
    "Why: this is the 18.5 incident: numbers shifted between versions 11 and 12 and the DMVESM "
    "pointed at the wrong text for a whole version.\n"
    "Example: moving 18.5q under 18.5p without a declaration.\n"
    "How to fix: keep the clause where it was, or add it to `renumber:` in `changes.yaml` with "
    "the reason (the hint gives the lines to paste); the change letter will list it. The number "
    "it leaves reads [Not used].",
)
DECLARED_RENUMBER = rule(
    "S1SR104", "declared-renumbering", I, "A released clause takes a new number, as declared.",
    "What it checks: reports each declared renumbering, so the sign-off sees every one.\n"
    "Why: a renumbering is a change the Department must be told of.\n"
    "Example: 18.5t → 18.5q, restoring the version 11 reference.\n"
    "How to fix: nothing; this is information.",
)
NO_FREE_NUMBER = rule(
    "S1SR105", "no-free-number", E, "There is no number free for an inserted clause.",
    "What it checks: that a clause inserted between two frozen numbers can take an insertion "
    "number (18.5A between 18.5 and 18.6).\n"
    "Why: a clause inserted before the first released sibling, or between two released "
    "insertions, has no number that keeps the others frozen.\n"
    "Example: a new clause placed before 18.1.\n"
    "How to fix: place it after a released clause, or declare a renumbering.",
)
FROZEN_ORDER = rule(
    "S1SR106", "frozen-order", E, "Released clauses are out of their released order.",
    "What it checks: that released siblings keep their relative order. Of siblings out of order, "
    "the fewest that explain it count as moved: each is numbered where it now stands, and the "
    "number it leaves reads [Not used].\n"
    "Why: numbers would no longer increase down the page, and a move renumbers the clause.\n"
    "Example: 18.5k moved below 18.5n without a declaration: it would be 18.5na.\n"
    "How to fix: move the clause back, or declare the renumbering under `renumber:` in "
    "`changes.yaml` (the hint gives the lines to paste).",
)
USELESS_DECLARATION = rule(
    "S1SR107", "unneeded-renumbering", W, "A declared renumbering changes nothing.",
    "What it checks: that each clause declared in `renumber:` exists in the baseline and "
    "actually takes a new number.\n"
    "Why: a stale declaration would let a later, accidental renumbering through.\n"
    "Example: declaring 18.5t after it has already been put back.\n"
    "How to fix: remove the clause from the declaration.",
)

NUMBER_TAKEN = rule(
    "S1SR110", "number-designated-for-another-clause", E,
    "A clause would take a number that a release designated for another clause.",
    "What it checks: a number designated in the baseline, or in a release the baseline descends "
    "from, belongs to its clause for good. When that clause leaves it (moved, renumbered, marked "
    "[Not used]), the number stays behind as '[Not used]' and no other clause takes it, unless the "
    "change names the number under `takes_over:` in `changes.yaml`.\n"
    "Why: the DMVESM, letters and Parties' procedures cite numbers. A number given to other text "
    "points every one of those citations at the wrong clause, which is the 18.5 incident.\n"
    "Example: 18.5k (`pd-edmi-capture` in v13) is moved to the end of 18.5, and a new clause "
    "placed where it was would be numbered 18.5k.\n"
    "How to fix: place the clause elsewhere (a new clause where a number was left takes an "
    "insertion number, 18.5ja); to restore an earlier number on purpose, name it under "
    "`takes_over:` in the renumbering that moves the clause.",
)
UNNEEDED_TAKEOVER = rule(
    "S1SR111", "unneeded-takeover", W, "A number named under `takes_over:` is not taken over.",
    "What it checks: each number under `takes_over:` in `changes.yaml` was designated in a "
    "release that counts, for another clause, and is now borne by a clause of the same "
    "declaration.\n"
    "Why: a stale `takes_over:` would let a later, accidental reuse of the number through.\n"
    "Example: `takes_over: [\"18.5q\"]` after 18.5q has been left [Not used].\n"
    "How to fix: remove the number from `takes_over:`.",
)
NUMBER_LEFT_UNUSED = rule(
    "S1SR112", "number-left-unused", I, "A designated number is left behind as [Not used].",
    "What it checks: reports each number that a clause leaves in this draft, which now prints "
    "'[Not used]' at its place in every output.\n"
    "Why: whoever signs off sees every number that stops naming text.\n"
    "Example: 18.5k reads [Not used]: `pd-edmi-capture` is now 18.5na.\n"
    "How to fix: nothing; this is information. To give the number back to its clause, move the "
    "clause back and name the number under `takes_over:`.",
)

# -- 2xx: references -------------------------------------------------------------------
UNKNOWN_XREF = rule(
    "S1SR201", "unknown-clause-reference", E, "A cross-reference names a clause id that does not exist.",
    "What it checks: every `[[id]]` in clause text names an existing clause.\n"
    "Why: the rendered number would be missing.\n"
    "Example: `[[hh-profile-conig]]`.\n"
    "How to fix: correct the id; the hint suggests the nearest one.",
)
UNKNOWN_SRV = rule(
    "S1SR202", "unknown-srv", E, "An SRV is not in the DUIS list.",
    "What it checks: every SRV in `applies_to` is one of the DUIS Service Reference Variants.\n"
    "Why: a mistyped SRV puts the clause on a DMVESM row nobody reads.\n"
    "Example: `srvs: [\"6.21\"]` meaning 6.2.1.\n"
    "How to fix: use an SRV number from `srvs.csv`.",
)
UNKNOWN_DEVICE = rule(
    "S1SR203", "unknown-device", E, "A Device Model or group id does not exist.",
    "What it checks: every device in `applies_to` and in group members is in `devices.yaml`.\n"
    "Why: the clause would be missing from that Device Model's DMVESM column.\n"
    "Example: `devices: [lg-e470]` when the id is `lg-e470-foc`.\n"
    "How to fix: correct the id; the hint suggests the nearest one.",
)
PLAIN_NUMBER_MISSING = rule(
    "S1SR204", "cited-number-missing", E, "Prose cites a clause number that does not exist.",
    "What it checks: clause numbers typed as plain text (`see 18.5q`).\n"
    "Why: a typed number does not follow renumbering; this is how citations go stale.\n"
    "Example: `as set out in 18.5x` when 18.5 stops at 18.5t.\n"
    "How to fix: cite the clause by id: `[[clause-id]]`.",
)
PLAIN_NUMBER_MOVED = rule(
    "S1SR205", "cited-number-moved", E,
    "Prose cites a number that now belongs to a different clause than in the baseline release.",
    "What it checks: a plain-text number that, in the baseline release, belonged to another clause.\n"
    "Why: the author meant the clause that had that number; it now lives elsewhere.\n"
    "Example: `see 18.5q` written in version 12, where 18.5q was an item of 18.5p.\n"
    "How to fix: cite the clause by id: `[[clause-id]]`.",
)
PLAIN_NUMBER = rule(
    "S1SR206", "cited-number-as-text", W, "Prose cites a clause number as plain text.",
    "What it checks: clause numbers typed in prose rather than cross-references by id.\n"
    "Why: a typed number does not follow renumbering.\n"
    "Example: `see 18.5q`.\n"
    "How to fix: write `see [[clause-id]]`; it renders as the current number.",
)
UNKNOWN_SRV_IN_TEXT = rule(
    "S1SR207", "unknown-srv-in-text", W, "Text mentions an SRV that is not in the DUIS list.",
    "What it checks: `SRV n.n` mentions in clause text.\n"
    "Why: a typo in prose misleads a reader.\n"
    "Example: `SRV 6.21`.\n"
    "How to fix: correct the SRV number.",
)
GROUP_CYCLE = rule(
    "S1SR208", "group-cycle", E, "A Device Model group contains itself.",
    "What it checks: that group membership has no cycle.\n"
    "Why: the group's members could not be listed.\n"
    "Example: group A lists B and B lists A.\n"
    "How to fix: remove one of the memberships.",
)
BARE_SECTION_AT_START = rule(
    "S1SR210", "bare-section-number-at-sentence-start", W,
    "A sentence starts with a bare section number.",
    "What it checks: a bare cross-reference (`[[#id]]`) to a section-level clause at the start of a "
    "sentence.\n"
    "Why: printed, it reads as a number that begins the sentence (\"2 sets out the defined terms\"), "
    "not as a reference to Section 2.\n"
    "Example: `[[#definitions]] sets out the defined terms`.\n"
    "How to fix: write `[[definitions]]`, which prints \"Section 2\" as the scheme's `cite` says.",
)
KIND_NAMED_TWICE = rule(
    "S1SR211", "kind-named-twice", W, "Prose names the kind of a clause and the citation names it again.",
    "What it checks: a word such as \"clause\", \"Section\" or \"Annex\" written just before a "
    "cross-reference whose printed form already starts with it.\n"
    "Why: the reader sees \"clause clause 18.5\" or \"Annex Annex D\".\n"
    "Example: `in accordance with clause [[gen-unable]]`.\n"
    "How to fix: drop the word, or write the bare number: `clause [[#gen-unable]]`.",
)
MATRIX_ANNEX_UNKNOWN = rule(
    "S1SR050", "matrix-annex-unknown", E, "'matrix_annex' does not name an annex of the document.",
    "What it checks: that `matrix_annex:` in document.yaml is the id of an annex listed under "
    "`annexes:`.\n"
    "Why: the title page, the contents and the DMVESM workbook name that annex as the matrix.\n"
    "Example: `matrix_annex: annex-dmvesm` with no annex of that id.\n"
    "How to fix: give the id of the annex file that introduces the DMVESM, or remove the key.",
)

# -- 3xx: consistency ------------------------------------------------------------------
DUPLICATE_ID = rule(
    "S1SR301", "duplicate-clause-id", E, "Two clauses have the same id.",
    "What it checks: that clause ids are unique across the document.\n"
    "Why: ids are how references, the DMVESM and releases find a clause.\n"
    "Example: two clauses with `id: hh-profile`.\n"
    "How to fix: give one of them a new id (ids never change once released).",
)
EMPTY_CLAUSE = rule(
    "S1SR302", "empty-clause", E, "A clause has no heading, text, table or children.",
    "What it checks: that every clause that is in use says something.\n"
    "Why: an empty clause prints as a bare number.\n"
    "Example: `- id: x` with nothing else.\n"
    "How to fix: add text, or mark it `not_used: true` if it was deleted after release.",
)
NOT_USED_WITH_CONTENT = rule(
    "S1SR303", "not-used-with-content", W, "A [Not used] clause still has text or children.",
    "What it checks: clauses marked `not_used: true` carry no text, table or children.\n"
    "Why: the text would not be published, and may be mistaken as in force.\n"
    "Example: `not_used: true` beside the old text.\n"
    "How to fix: delete the text (the release snapshot keeps it).",
)
REMOVED_RELEASED = rule(
    "S1SR304", "released-clause-removed", E, "A released clause is missing from the draft.",
    "What it checks: every clause of the baseline release is still in the source.\n"
    "Why: a deleted clause must stay as '[Not used]' so its number is never reused.\n"
    "Example: deleting 18.5c from the section file.\n"
    "How to fix: put it back with `not_used: true` (the hint says in which file, under which "
    "clause and after which sibling).",
)
DUPLICATE_DEVICE = rule(
    "S1SR305", "duplicate-device", E, "Two Device Models or groups share an id.",
    "What it checks: ids in `devices.yaml` are unique.\n"
    "Why: the DMVESM would have two columns for one id.\n"
    "Example: two entries `id: secure-liberty100`.\n"
    "How to fix: rename one.",
)
APPLIES_TO_NOT_USED = rule(
    "S1SR306", "not-used-applies", W, "A [Not used] clause still applies to SRVs and devices.",
    "What it checks: `applies_to` on a clause marked `not_used`.\n"
    "Why: the DMVESM would cite a clause that says nothing.\n"
    "Example: a deleted clause still listed for SRV 4.8.1.\n"
    "How to fix: remove its `applies_to`.",
)
CHANGESET_BASELINE = rule(
    "S1SR307", "changeset-baseline", W, "The change set is not against the latest release.",
    "What it checks: `changes.yaml` names the latest release in `against:`.\n"
    "Why: the draft would be numbered against an older release than the one designated.\n"
    "Example: `against: v11` after v12 has been released.\n"
    "How to fix: start a new change set against the latest release.",
)
APPLIES_TO_NOT_APPLICABLE = rule(
    "S1SR340", "applies-to-not-applicable", W,
    "A clause applies to an SRV for a Device Model that lists that SRV as not applicable.",
    "What it checks: each `applies_to` pair of SRV and Device Model (a group counts when every one of its\n"
    "Device Models lists the SRV) against the Device Model's `not_applicable` in `devices.yaml`.\n"
    "Why: the DMVESM cell shows the clause, so it contradicts the Device Model: a reader cannot\n"
    "tell whether the SRV is supported.\n"
    "Example: a gas meter lists `not_applicable: [\"4.8.2\"]` and a clause has\n"
    "`applies_to: [{srvs: [\"4.8.2\"], devices: [sec-g4]}]`.\n"
    "How to fix: remove the SRV from that `applies_to` entry, or from the Device Model's `not_applicable`.",
)
