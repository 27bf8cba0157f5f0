"""A spreadsheet of consultation responses (.xlsx or .csv) → Respondents, every problem located.

The layout is the one responses are gathered in: one row per respondent, one column per
question. A header row names the columns:

- **Organisation** (or Respondent, Name, Company): who responded;
- **Category** (or Kind of party, Party category, Type): one of the SEC's kinds of party;
- **Confidential** (optional): yes/no;
- one column per part, headed by the part's id (``references``), by ``Q1``/``Question 1`` (its
  place in ``consultation.yaml``), optionally followed by the question, or by the part's title.
  The cell holds agree, disagree or no view, optionally followed by the respondent's words
  (``Agree. We support …``); an empty cell means the part was not answered;
- optionally, a comments column for a part, headed like it and ending in ``comments`` (or
  ``text``, ``reasons``, ``rationale``): the respondent's words.

Columns for administration (email, date received, …) are ignored; any other column is an error,
so that nothing is silently dropped. Findings point at the sheet and cell (.xlsx) or at the line
and column (.csv).
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import consultation as C
from generator.model.consultation import CATEGORIES, Answer, Consultation, Part, Respondent
from generator.readers.consultation import normalise_category, organisation_key, paragraphs

__all__ = ["MAX_CSV_BYTES", "SheetResponses", "read_response_sheet"]

MAX_CSV_BYTES = 10 * 1024 * 1024
_HEADER_ROWS = 20

_ORGANISATION = {"organisation", "organization", "respondent", "name", "company", "organisation name",
                 "organization name", "respondent name", "respondent organisation", "respondent organization"}
_CATEGORY = {"category", "kind of party", "party category", "type", "party type", "respondent type", "type of party",
             "sec party category", "kind", "party"}
_CONFIDENTIAL = {"confidential", "confidentiality", "is confidential", "keep confidential", "confidential response"}
_IGNORED = {"email", "e-mail", "email address", "contact", "contact name", "contact email", "date", "date received",
            "received", "timestamp", "submitted", "notes", "note", "id", "#", "no", "no.", "row", "reference", "ref"}
_COMMENT_WORDS = {"comments", "comment", "text", "reasons", "reason", "rationale", "explanation", "details",
                  "response text", "your comments", "views"}
_ANSWER_WORDS = {"", "response", "answer", "agree/disagree", "view", "position"}
_YES = {"yes", "y", "true", "1", "confidential"}
_NO = {"no", "n", "false", "0", "", "not confidential"}
_QUESTION = re.compile(r"^(?:q|question)\s*(\d{1,3})\b[\s.:;)\-–—]*(.*)$", re.IGNORECASE | re.DOTALL)
_ANSWER = re.compile(r"^\s*(agree|disagree|no[\s_-]*view)\b[\s.,;:!)\-–—]*(.*)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str  # as written, outer spaces removed
    where: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetResponses:
    """What a response sheet holds: the respondents, in row order, and where it was read."""

    respondents: tuple[Respondent, ...]
    sheet: str  # the sheet read ("" for a .csv)


def _norm(text: str) -> str:
    return " ".join(text.replace("\n", " ").split()).strip(" :?*").lower()


# -- the file as rows of located cells ------------------------------------------------------
_Rows = list[list[_Cell]]


def _xlsx_rows(path: str, display: str, sheet: str) -> tuple[str, _Rows] | list[Diagnostic]:
    from generator.readers.xlsx import column_letter, read_sheets

    sheets, diags = read_sheets(path, name=display, kind="a spreadsheet of consultation responses")
    if sheets is None:
        return diags
    if sheet:
        chosen = [ws for ws in sheets if ws.title == sheet]
        if not chosen:
            return [Diagnostic.make(C.SHEET_LAYOUT, f"{display} has no sheet '{sheet}'", Location(file=display),
                                    help=f"sheets: {', '.join(ws.title for ws in sheets)}")]
        sheets = chosen
    best: tuple[str, list[list[_Cell]]] | None = None
    for ws in sheets:
        # Every row from the first, every column to the last in use, as the sheet shows them; an
        # empty row is one shared empty list, so a stray value far down costs little.
        letters = [column_letter(c) for c in range(1, ws.max_column + 1)]
        rows: list[list[_Cell]] = []
        for r in range(1, ws.max_row + 1):
            values = ws.rows.get(r)
            rows.append([_Cell(_value(values.get(c)), Location(file=display, sheet=ws.title, cell=f"{letter}{r}"))
                         for c, letter in enumerate(letters, start=1)] if values else _EMPTY)
        if best is None:
            best = (ws.title, rows)
        if _header_index(rows) is not None:
            return ws.title, rows
    return best or ("", [])


_EMPTY: list[_Cell] = []


def _value(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v).replace("\r\n", "\n").strip()


def _csv_rows(path: str, display: str) -> tuple[str, _Rows] | list[Diagnostic]:
    try:
        size = os.path.getsize(path)
        if size > MAX_CSV_BYTES:
            return [Diagnostic.make(C.SHEET_LAYOUT, f"{display} is {size / 1048576:.1f} MB; a response sheet is read "
                                    f"up to {MAX_CSV_BYTES // 1048576} MB", Location(file=display))]
        with open(path, "rb") as fh:
            data = fh.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        return [Diagnostic.make(C.SHEET_LAYOUT, f"{display} cannot be read: {exc.strerror or exc}",
                                Location(file=display), help="check the path and that the file is readable")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV (Comma delimited)" on Windows
    if "\x00" in text:
        return [Diagnostic.make(C.SHEET_LAYOUT, f"{display} is not a text file", Location(file=display),
                                help="give the spreadsheet as .xlsx, or save it as CSV UTF-8")]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[list[_Cell]] = []
    try:
        start = 1
        for values in reader:
            rows.append([_Cell(v.replace("\r\n", "\n").strip(), Location(file=display, line=start, col=c))
                         for c, v in enumerate(values, start=1)])
            start = reader.line_num + 1
    except csv.Error as exc:
        return [Diagnostic.make(C.SHEET_LAYOUT, f"{display} is not a well-formed CSV file: {exc}",
                                Location(file=display, line=reader.line_num),
                                help="save it again from the spreadsheet as CSV UTF-8")]
    return "", rows


# -- the header ----------------------------------------------------------------------------
def _header_index(rows: list[list[_Cell]]) -> int | None:
    for i, row in enumerate(rows[:_HEADER_ROWS]):
        if any(_norm(c.text) in _ORGANISATION for c in row):
            return i
    return None


@dataclass(slots=True)
class _Columns:
    organisation: int = -1
    category: int = -1
    confidential: int = -1
    answers: dict[str, int] | None = None  # part id → column
    comments: dict[str, int] | None = None


def _part_of(header: str, parts: tuple[Part, ...]) -> tuple[Part | None, bool]:
    """(the part a header names, whether it is that part's comments column)."""
    said = _norm(header)
    by_id = {p.id.lower(): p for p in parts}
    m = _QUESTION.match(said)
    if m and 1 <= int(m.group(1)) <= len(parts):
        rest = _norm(m.group(2))
        return parts[int(m.group(1)) - 1], rest in _COMMENT_WORDS
    if m:
        return None, False
    for p in parts:
        for name in (p.id.lower(), _norm(p.title), _norm(p.question)):
            if not name:
                continue
            if said == name:
                return p, False
            for word in _COMMENT_WORDS:
                if said in (f"{name} {word}", f"{name} - {word}", f"{name} ({word})"):
                    return p, True
    return by_id.get(said), False


def _columns(header: list[_Cell], parts: tuple[Part, ...], display: str,
             diags: list[Diagnostic]) -> _Columns:
    cols = _Columns(answers={}, comments={})
    assert cols.answers is not None and cols.comments is not None
    for i, cell in enumerate(header):
        said = _norm(cell.text)
        if not said:
            continue
        if said in _ORGANISATION and cols.organisation < 0:
            cols.organisation = i
        elif said in _CATEGORY and cols.category < 0:
            cols.category = i
        elif said in _CONFIDENTIAL and cols.confidential < 0:
            cols.confidential = i
        elif said in _IGNORED:
            continue
        else:
            part, comments = _part_of(cell.text, parts)
            if part is None:
                known = ", ".join(f"Q{p.number} or '{p.id}'" for p in parts)
                near = difflib.get_close_matches(said, [p.id for p in parts], n=1)
                diags.append(Diagnostic.make(
                    C.UNKNOWN_PART, f"the column '{cell.text}' names no part of the consultation", cell.where,
                    help=(f"did you mean '{near[0]}'? " if near else "") + f"head a question's column with {known}"
                    " (or its title), add the part to consultation.yaml, or delete the column"))
                continue
            target = cols.comments if comments else cols.answers
            if part.id in target:
                diags.append(Diagnostic.make(
                    C.SHEET_LAYOUT, f"two columns hold the {'comments on' if comments else 'answers to'} "
                    f"Q{part.number} ('{part.id}'): '{header[target[part.id]].text}' and '{cell.text}'", cell.where,
                    related=[header[target[part.id]].where], help="keep one column per question"))
                continue
            target[part.id] = i
    if cols.organisation < 0:
        diags.append(Diagnostic.make(C.SHEET_LAYOUT, f"{display}: the header row has no Organisation column",
                                     header[0].where if header else Location(file=display),
                                     help="head the column of respondents' names 'Organisation'"))
    if cols.category < 0:
        diags.append(Diagnostic.make(C.SHEET_LAYOUT, f"{display}: the header row has no Category column",
                                     header[0].where if header else Location(file=display),
                                     help=f"add a column 'Category' with one of: {', '.join(CATEGORIES)}"))
    if not cols.answers:
        diags.append(Diagnostic.make(C.SHEET_LAYOUT, f"{display}: no column holds the answers to any part",
                                     header[0].where if header else Location(file=display),
                                     help="head each question's column with Q1, Q2, … or the part's id"))
    return cols


# -- the rows ------------------------------------------------------------------------------
def _cell(row: list[_Cell], i: int, fallback: Location) -> _Cell:
    return row[i] if 0 <= i < len(row) else _Cell("", fallback)


def _answer(part: Part, answer: _Cell, comment: _Cell, diags: list[Diagnostic]) -> Answer | None:
    if not answer.text:
        if comment.text:
            diags.append(Diagnostic.make(
                C.COMMENT_WITHOUT_ANSWER, f"the comments on Q{part.number} ('{part.id}') have no answer beside them",
                answer.where, related=[comment.where], help="write agree, disagree or no view in this cell"))
        return None
    m = _ANSWER.match(answer.text)
    if m is None:
        diags.append(Diagnostic.make(
            C.BAD_ANSWER, f"'{answer.text[:40]}' is not an answer to Q{part.number}: write agree, disagree or no view",
            answer.where, help="start the cell with the answer; the respondent's words may follow it "
                               "(Agree. We support …) or go in a comments column"))
        return None
    response = "no view" if m.group(1).lower().startswith("no") else m.group(1).lower()
    words = "\n\n".join(t for t in (m.group(2).strip(), comment.text) if t)
    return Answer(part=part.id, response=response, text=paragraphs(words))


def read_response_sheet(path: str, consultation: Consultation, *, display: str = "", sheet: str = "",
                        ) -> tuple[SheetResponses | None, list[Diagnostic]]:
    """The respondents in a .xlsx or .csv sheet of responses to ``consultation``; None (with the
    findings) when the sheet cannot be read at all. Respondents with errors are left out."""
    display = display or path
    found = _csv_rows(path, display) if path.lower().endswith(".csv") else _xlsx_rows(path, display, sheet)
    if isinstance(found, list):
        return None, found
    name, rows = found
    at = _header_index(rows)
    if at is None:
        where = f"sheet '{name}' of {display}" if name else display
        return None, [Diagnostic.make(C.SHEET_LAYOUT, f"{where} has no header row with an Organisation column "
                                      f"in its first {_HEADER_ROWS} rows", Location(file=display, sheet=name),
                                      help="put the column titles (Organisation, Category, Q1, Q2, …) in one row "
                                           "above the responses")]
    diags: list[Diagnostic] = []
    header = rows[at]
    cols = _columns(header, consultation.parts, display, diags)
    if any(d.fatal for d in diags) or cols.organisation < 0 or cols.category < 0:
        return None, diags
    assert cols.answers is not None and cols.comments is not None
    out: list[Respondent] = []
    seen: dict[str, _Cell] = {}
    for row in rows[at + 1:]:
        if not any(c.text for c in row):
            continue
        first = row[0].where
        org = _cell(row, cols.organisation, first)
        if not org.text:
            diags.append(Diagnostic.make(C.BAD_FIELD, "a row with answers names no organisation", org.where,
                                         help="write the respondent's name in the Organisation column"))
            continue
        key = organisation_key(org.text)
        if key in seen:
            diags.append(Diagnostic.make(C.DUPLICATE_RESPONDENT, f"'{org.text}' has already responded",
                                         org.where, related=[seen[key].where],
                                         help="merge the two rows into one, or correct the organisation's name"))
            continue
        seen[key] = org
        cat = _cell(row, cols.category, first)
        category = normalise_category(cat.text) if cat.text else None
        if category is None:
            near = difflib.get_close_matches(cat.text, list(CATEGORIES), n=1, cutoff=0.7)
            diags.append(Diagnostic.make(
                C.BAD_CATEGORY if cat.text else C.BAD_FIELD,
                f"'{cat.text}' is not a kind of party" if cat.text else f"'{org.text}' has no kind of party",
                cat.where, help=f"did you mean '{near[0]}'?" if near else f"one of: {', '.join(CATEGORIES)}"))
        conf = _cell(row, cols.confidential, first)
        if _norm(conf.text) not in _YES | _NO:
            diags.append(Diagnostic.make(C.BAD_FIELD, f"'{conf.text}' does not say whether the response is "
                                         "confidential", conf.where, help="write yes or no (empty means no)"))
        answers: list[Answer] = []
        for part in consultation.parts:
            if part.id not in cols.answers and part.id not in cols.comments:
                continue
            answer = _cell(row, cols.answers.get(part.id, -1), first)
            comment = _cell(row, cols.comments.get(part.id, -1), first)
            got_answer = _answer(part, answer, comment, diags)
            if got_answer is not None:
                answers.append(got_answer)
        out.append(Respondent(id="", organisation=" ".join(org.text.split()), category=category or cat.text,
                              confidential=_norm(conf.text) in _YES, answers=tuple(answers)))
    return SheetResponses(respondents=tuple(out), sheet=name), diags
