"""Consultations → the response table (.docx and .xlsx) and our conclusions (.docx and a site page).

The .docx and Markdown come from the letter templates (``docx/responses.xml.j2``,
``docx/conclusions.xml.j2``, ``conclusions.md.j2``) with the letter's package parts; the
workbook takes its sheet names, column titles and words from ``_words.j2``, so every word is
in the templates. Confidential respondents appear only as "Confidential respondent N" with
their kind of party: their organisation is never written into any of the four files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from generator.model import Project
from generator.model.consultation import Consultation
from generator.model.letter import Block, ListBlock, plain
from generator.writers.letter import Meta, docx_package, environment, render_template, template_folders
from generator.writers.options import WriterOptions
from generator.writers.xlsx import workbook_bytes

if TYPE_CHECKING:  # openpyxl is imported where a response table is written: a build without one never loads it
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["file_names", "write_consultation"]

RESPONSES_TEMPLATE = "responses.xml.j2"
CONCLUSIONS_TEMPLATE = "conclusions.xml.j2"
CONCLUSIONS_MD = "conclusions.md.j2"


def file_names(consultation: Consultation) -> tuple[str, str, str, str]:
    """(response table .docx, response table .xlsx, conclusions .docx, conclusions .md)."""
    stem = f"consultation-{consultation.id}"
    return (f"{stem}-responses.docx", f"{stem}-responses.xlsx", f"{stem}-conclusions.docx",
            f"{stem}-conclusions.md")


def write_consultation(_project: Project, options: WriterOptions) -> dict[str, bytes]:
    """Every writer takes the project; the options carry the resolved consultations."""
    if not options.consultations:
        return {}
    folders = template_folders(options)
    words = _words(folders)
    out: dict[str, bytes] = {}
    for c in options.consultations:
        docx_table, xlsx_table, docx_conclusions, md_conclusions = file_names(c)
        # Dated by the consultation itself, so its documents do not change as the draft moves on.
        date = c.closed or c.opened or options.date
        values = {"consultation": c, "letter": None, "options": options}
        out[docx_table] = docx_package(folders, RESPONSES_TEMPLATE, values,
                                       Meta(title=_text(words.response_table_title(c)), creator="", company="",
                                            date=date))
        out[docx_conclusions] = docx_package(folders, CONCLUSIONS_TEMPLATE, values,
                                             Meta(title=_text(words.conclusions_title(c)), creator="", company="",
                                                  date=date))
        out[md_conclusions] = render_template(folders, CONCLUSIONS_MD, values).encode("utf-8")
        out[xlsx_table] = _workbook(c, words, date)
    return out


def _words(folders: list[str]) -> Any:
    """The macros and lists of ``_words.j2``, rendering plain text (no escaping: openpyxl escapes)."""
    env: SandboxedEnvironment = environment(folders, xml=False, escape=False)
    return env.get_template("_words.j2").make_module({})


def _text(value: object) -> str:
    return value.unescape() if isinstance(value, Markup) else str(value)


def _blocks_text(blocks: tuple[Block, ...]) -> str:
    """Narrative as plain text for a cell: paragraphs separated by a blank line, list items by "- "."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, ListBlock):
            out.append("\n".join(f"- {plain(item)}" for item in b.items))
        else:
            out.append(plain(b.inlines))
    return "\n\n".join(out)


def _lines(value: object, width: int) -> int:
    """How many lines a wrapped cell needs (a generous estimate: Excel and LibreOffice do not size
    rows of wrapped text that a program wrote)."""
    per_line = max(int(width * 1.1), 1)
    return sum(max(1, -(-len(p) // per_line)) for p in str(value).split("\n")) if value not in (None, "") else 1


def _sheet(ws: Worksheet, header: list[str], rows: list[list[object]], widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.properties import PageSetupProperties

    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(header)
    for cell in ws[1]:
        cell.fill = PatternFill("solid", start_color="FF1F3864", end_color="FF1F3864")
        cell.font, cell.alignment = Font(bold=True, color="FFFFFFFF"), wrap
    for row in rows:
        ws.append(row)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for r, values in enumerate([list[object](header), *rows], start=1):
        ws.row_dimensions[r].height = 15 * max(_lines(v, w) for v, w in zip(values, widths, strict=False))
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"


def _workbook(c: Consultation, words: Any, date: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = _text(words.RESPONSES_SHEET)
    rows: list[list[object]] = []
    for r in c.respondents:
        for a in r.answers:
            part = c.part(a.part)
            assert part is not None
            rows.append([_text(words.respondent(r)), r.category, _text(words.part_name(part)),
                         _text(words.ANSWER[a.response]), "\n\n".join(a.text), _blocks_text(a.our_view)])
    _sheet(ws, [_text(x) for x in words.RESPONSE_COLUMNS], rows, [28, 24, 36, 12, 60, 60])
    summary = wb.create_sheet(_text(words.SUMMARY_SHEET))
    _sheet(summary, [_text(x) for x in words.SUMMARY_COLUMNS],
           [[p.number, p.title, p.tally.clauses, p.tally.answered, p.tally.supported, p.tally.opposed,
             p.tally.no_view] for p in c.parts], [10, 48, 16, 12, 12, 12, 12])
    props = wb.properties
    props.title = _text(words.response_table_title(c))
    props.creator = props.lastModifiedBy = "s1sr"
    return workbook_bytes(wb, date)

