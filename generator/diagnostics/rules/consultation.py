"""Rules for consultations (CNS1xx): the consultation, its responses and their import."""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

BAD_FIELD = rule(
    "CNS101", "consultation-field", E, "A consultation or response field is missing or holds the wrong value.",
    "What it checks: that a consultation has a title and parts (each with an id and a title), that a response "
    "names its organisation and kind of party, and that `confidential:` is true or false.\n"
    "Why: the response table and the conclusions document print these; a response without an organisation "
    "cannot be listed, or anonymised.\n"
    "Example: a response file with no `organisation:`.\n"
    "How to fix: add or correct the field named in the message.",
)
UNKNOWN_PART = rule(
    "CNS102", "consultation-unknown-part", E, "An answer names a part the consultation does not have.",
    "What it checks: every part a response answers (a key under `answers:`, or a question column of an "
    "imported spreadsheet) is the id of a part in `consultation.yaml`.\n"
    "Why: an answer to an unknown part would be counted nowhere, and the letter's counts would be short.\n"
    "Example: `behaviors: agree` when the part is `behaviours`.\n"
    "How to fix: correct the part id (the hint suggests the nearest), or add the part to the consultation.",
)
DUPLICATE_RESPONDENT = rule(
    "CNS103", "consultation-duplicate-respondent", E, "Two responses come from the same organisation.",
    "What it checks: no two response files (or spreadsheet rows) name the same organisation, ignoring case "
    "and spacing.\n"
    "Why: one organisation would be counted twice, and every count in the letter would be wrong.\n"
    "Example: `Large Supplier A` in `large-supplier-a.yaml` and in `large-supplier-a-2.yaml`.\n"
    "How to fix: merge the two responses into one file (or row), or correct the organisation's name.",
)
BAD_ANSWER = rule(
    "CNS104", "consultation-bad-answer", E, "An answer is not agree, disagree or no view.",
    "What it checks: every answer is exactly one of `agree`, `disagree` or `no view` (any case; in a "
    "spreadsheet cell the word may be followed by the respondent's text).\n"
    "Why: the counts in the letter count these three answers; anything else cannot be counted honestly.\n"
    "Example: `response: partly agree`, or a cell that reads `Yes`.\n"
    "How to fix: write the answer the respondent gave as one of the three, and keep their words in `text:`.",
)
BAD_CATEGORY = rule(
    "CNS105", "consultation-party-category", E, "A respondent's kind of party is not one the SEC knows.",
    "What it checks: `category:` is one of Large Supplier, Small Supplier, Electricity Network Party, Gas "
    "Network Party, Other SEC Party or Non-SEC Party.\n"
    "Why: the documents group and describe respondents by kind of party; a confidential respondent is "
    "described by nothing else.\n"
    "Example: `category: Supplier`.\n"
    "How to fix: use one of the six categories (the hint suggests the nearest).",
)
DUPLICATE_PART = rule(
    "CNS106", "consultation-duplicate-part", E, "Two parts of a consultation have the same id.",
    "What it checks: the `id` of each part under `parts:` is unique.\n"
    "Why: answers name parts by id; two parts with one id could not be told apart.\n"
    "Example: two parts with `id: behaviours`.\n"
    "How to fix: give each part its own id.",
)
UNKNOWN_PROPOSAL = rule(
    "CNS107", "consultation-unknown-proposal", E, "A part proposes a clause or tag that does not exist.",
    "What it checks: every clause id, tag and SRV under a part's `proposes:` exists in one of the versions "
    "compared.\n"
    "Why: the number of clauses a part amends is counted from these; a misspelt tag counts nothing.\n"
    "Example: `tags: [apr-2025-device-behaviour]`.\n"
    "How to fix: correct the id or tag (the hint suggests the nearest).",
)
SHEET_LAYOUT = rule(
    "CNS108", "consultation-sheet-layout", E, "A response spreadsheet cannot be read as one row per respondent.",
    "What it checks: the spreadsheet given to `s1sr consultation import` has a header row with an "
    "Organisation column, a Category column and one column per question (headed by the part's id, its "
    "title, or Q1, Q2, …), and nothing it does not understand.\n"
    "Why: every answer must land on the right part; a column that names no part would be dropped.\n"
    "Example: a column headed `Q4` when the consultation has three parts.\n"
    "How to fix: head the columns as the hint says, or add the missing part to `consultation.yaml`.",
    fatal=True,
)
COMMENT_WITHOUT_ANSWER = rule(
    "CNS109", "consultation-comment-without-answer", E, "A respondent commented on a part but gave no answer.",
    "What it checks: where a spreadsheet row has text in a question's comments column, its answer column "
    "says agree, disagree or no view.\n"
    "Why: the comment would be counted as 'did not answer', which the respondent plainly did.\n"
    "Example: C5 is empty and D5 (Q1 comments) holds a paragraph.\n"
    "How to fix: fill in the answer the respondent gave.",
)
NO_CONSULTATION_FILE = rule(
    "CNS110", "consultation-file-missing", E, "A consultation folder has no consultation.yaml.",
    "What it checks: every folder under `content/consultations/` holds `consultation.yaml`.\n"
    "Why: without it the responses in the folder answer no known questions and cannot be counted.\n"
    "Example: `content/consultations/2025-02/responses/` with no `consultation.yaml` beside it.\n"
    "How to fix: add `consultation.yaml` (see the consultation guide), or remove the folder.",
)
