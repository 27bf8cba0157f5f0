"""The S1SR as a Word document: ``write_docx(project, options) -> {"S1SR-v13.0.docx": bytes}``.

python-docx opens the reference document (styles, page setup, header and footer parts,
properties, settings); the body is built directly with lxml through :mod:`generator.ooxml`,
because python-docx's ``add_paragraph`` walks the whole body on every call.

The model is rendered as numbered: each clause prints its ``label`` as literal text, then
a tab, with the hanging indent of its level's paragraph style (never Word auto-numbering).
A cross-reference prints the target's ``number`` and links to a bookmark on the target.
Output is reproducible: dates come from ``options.date`` and the zip is normalised.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from importlib import resources

import docx
from docx.document import Document as DocxDocument
from docx.shared import Length
from lxml import etree

from generator.model import (
    Clause,
    Inline,
    Project,
    SrvRef,
    Table,
    Term,
    Text,
    Xref,
    cite_map,
    plain_text,
    review,
    starts_after,
    walk,
    xref_text,
)
from generator.model.dates import long_date
from generator.ooxml import bookmarks, custom, fields, markup, package, settings, tables, text
from generator.writers.json_export import file_name, matrix_file_name, snapshot_data
from generator.writers.options import WriterOptions

__all__ = ["LEVEL_STYLES", "NOT_USED", "Env", "clause_blocks", "clause_xml", "display_date", "environment", "environment_like",
           "front_matter", "matrix_annex_note", "prepare", "template_path", "write_docx"]

_TEMPLATE = "reference.docx"
NOT_USED = "[Not used]"
_TOC_INSTRUCTION = r'TOC \o "1-1" \h \z \u'
# Paragraph style names per clause level (level 1 = section); deeper levels use the last.
LEVEL_STYLES = ("S1SR Section", "S1SR Clause", "S1SR Sub-clause", "S1SR Item", "S1SR Level 5", "S1SR Level 6")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Styles:
    """Style ids found in the template by name; "" where the template lacks the style."""

    levels: tuple[str, ...]
    body: str
    cover_appendix: str
    cover_title: str
    cover_detail: str
    cover_note: str
    annex: str
    contents_heading: str
    toc: str
    table: str
    table_text: str
    table_heading: str
    clause_heading: str
    term: str
    emphasis: str
    xref: str


# _Styles field → style name in the reference document.
_STYLE_NAMES = {
    "body": "S1SR Body", "cover_appendix": "S1SR Cover Appendix", "cover_title": "S1SR Cover Title",
    "cover_detail": "S1SR Cover Detail", "cover_note": "S1SR Cover Note", "annex": "S1SR Annex",
    "contents_heading": "S1SR Contents Heading", "toc": "toc 1",
    "table": "S1SR Table", "table_text": "S1SR Table Text", "table_heading": "S1SR Table Heading",
    "clause_heading": "S1SR Clause Heading", "term": "S1SR Defined Term", "emphasis": "S1SR Emphasis",
    "xref": "S1SR Cross-reference",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Env:
    styles: _Styles
    numbers: Mapping[str, str]  # clause id → number, for cross-references
    cites: Mapping[str, str]  # clause id → the prose citation ("clause 18.5", "Annex B")
    anchors: Mapping[str, tuple[int, str]]  # clause id → (bookmark id, bookmark name)
    indents: tuple[int, ...]  # text indent (twips) per level style
    text_width: int  # twips between the margins


# -- entry point ------------------------------------------------------------------------
def write_docx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    """The S1SR .docx of ``project`` (already numbered and resolved).

    The body is written as a stream, clause by clause (:func:`generator.ooxml.package.save_streamed`):
    memory holds one clause's elements at a time, not the document's tree."""
    doc, env, sect_pr = prepare(project, options)

    def blocks() -> Iterator[etree._Element | str]:
        yield from front_matter(project, options, env)
        for i, clause in enumerate(walk(project.document.sections)):
            yield clause_xml(clause, env, first=i == 0)

    data = package.save_streamed(doc, blocks(), sect_pr, package.zip_time(options.date))
    return {file_name(project, "docx"): data}


def prepare(project: Project, options: WriterOptions) -> tuple[DocxDocument, Env, etree._Element]:
    """The reference document opened, its body emptied (returns its final ``w:sectPr``), its
    header, footer, properties and settings set; and the rendering environment of ``project``."""
    doc = docx.Document(template_path(options))
    env = environment(doc, project)
    _header_footer(doc, project)  # while the body still holds the section properties it names them in
    _properties(doc, project, options)
    _built_from(doc, project, options)
    settings.drop_update_fields(doc.settings.element)  # no prompt on open (see _contents)
    return doc, env, text.empty_body(doc.element.body)


def front_matter(project: Project, options: WriterOptions, env: Env) -> list[etree._Element]:
    """The title page and the contents, as body blocks."""
    holder = package.block_holder()
    _title_page(holder, project, options, env)
    _contents(holder, project.document.sections, env)
    return list(holder)


def clause_blocks(clause: Clause, env: Env, *, first: bool = False) -> list[etree._Element]:
    """:func:`clause_xml` as body elements, for a caller that works on the tree (the redline)."""
    return markup.elements(clause_xml(clause, env, first=first))


def template_path(options: WriterOptions) -> str:
    """The project's ``templates/reference.docx`` when it has one, else the package default."""
    if options.templates:
        own = os.path.join(options.templates, _TEMPLATE)
        if os.path.isfile(own):
            return own
    return str(resources.files("generator") / "data" / _TEMPLATE)


# -- set-up -----------------------------------------------------------------------------
def _style_id(doc: DocxDocument, name: str) -> str:
    try:
        return str(doc.styles[name].style_id)
    except KeyError:
        return ""


def _styles(doc: DocxDocument) -> _Styles:
    ids = {field: _style_id(doc, name) for field, name in _STYLE_NAMES.items()}
    return _Styles(levels=tuple(_style_id(doc, n) for n in LEVEL_STYLES), **ids)


def _indent(doc: DocxDocument, name: str) -> int:
    try:
        left = doc.styles[name].paragraph_format.left_indent
    except KeyError:
        return 0
    return int(left.twips) if left is not None else 0


def environment(doc: DocxDocument, project: Project) -> Env:
    """Style ids, numbers, bookmarks and indents for rendering ``project`` with ``doc``'s styles."""
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin  # type: ignore[operator]
    clauses = list(walk(project.document.sections))
    names = bookmarks.BookmarkNames()
    return Env(
        styles=_styles(doc),
        numbers={c.id: c.number for c in clauses},
        cites=cite_map(project.document),
        anchors={c.id: (i, names[c.id]) for i, c in enumerate(clauses, start=1)},
        indents=tuple(_indent(doc, n) for n in LEVEL_STYLES),
        text_width=int(Length(width).twips),
    )


def environment_like(env: Env, project: Project) -> Env:
    """``env`` (same styles and page) for rendering another version, ``project``."""
    clauses = list(walk(project.document.sections))
    names = bookmarks.BookmarkNames()
    return replace(env, numbers={c.id: c.number for c in clauses}, cites=cite_map(project.document),
                   anchors={c.id: (i, names[c.id]) for i, c in enumerate(clauses, start=1)})


# -- front matter -----------------------------------------------------------------------
display_date = long_date  # the model's one formatter: ``2025-04-30`` → ``30 April 2025``


def _title_page(body: etree._Element, project: Project, options: WriterOptions, env: Env) -> None:
    d, st = project.document, env.styles
    lines = [(st.cover_appendix, d.appendix), (st.cover_title, d.title),
             (st.cover_detail, f"Version {d.version}" if d.version else ""),
             (st.cover_detail, d.status.upper()), (st.cover_detail, display_date(d.date or options.date))]
    for style_id, value in lines:
        if value:
            text.run(text.paragraph(body, style_id), value)
    note = matrix_annex_note(project)
    if note:
        text.run(text.paragraph(body, st.cover_note), note)


def matrix_annex_note(project: Project) -> str:
    """The title page's line naming the annex that is the DMVESM ("" when there is none)."""
    d = project.document
    annex = next((c for c in d.sections if c.id == d.matrix_annex and c.annex), None)
    if annex is None:
        return ""
    cite = cite_map(d).get(annex.id, annex.number)
    return (f"{cite}, the {annex.heading or 'DMVESM'}, is published with this document as the workbook "
            f"{matrix_file_name(project)}.")


def _contents(body: etree._Element, sections: tuple[Clause, ...], env: Env) -> None:
    """A TOC field over the sections whose cached result lists every section with a link to
    it, and no page numbers: no program can know them without laying the pages out. Word
    shows the cached result as it is (no ``w:updateFields``, no dirty field: nothing asks to
    update on open) and fills the numbers when the reader updates the table; ``s1sr build
    --pdf`` writes in the page numbers LibreOffice laid out (:mod:`generator.writers.contents`)."""
    text.run(text.paragraph(body, env.styles.contents_heading), "Contents")
    entries = [text.paragraph(body, env.styles.toc) for _ in range(max(1, len(sections)))]
    fields.field_begin(entries[0], _TOC_INSTRUCTION)
    for p, section in zip(entries, sections, strict=False):
        _toc_entry(p, section, env)
    fields.field_end(entries[-1])


def _toc_entry(p: etree._Element, section: Clause, env: Env) -> None:
    link = bookmarks.internal_link(p, env.anchors[section.id][1])
    title = section.heading or plain_text(section.text, env.numbers, env.cites)
    text.run(link, f"{section.label}\t{title}")


# -- clauses ----------------------------------------------------------------------------
def _level_index(clause: Clause, env: Env) -> int:
    """Index of the clause's level style; an unnumbered clause (level 0, below the scheme's
    deepest level) and any level past the last style take the last style."""
    last = len(env.styles.levels)
    return (min(clause.level, last) if clause.level > 0 else last) - 1


def clause_xml(clause: Clause, env: Env, *, first: bool = False) -> str:
    """One clause's body blocks as WordprocessingML text (:mod:`generator.ooxml.markup`): its
    numbered paragraph, a section's text paragraph, its table; the ``first`` clause starts on a
    page of its own."""
    index = _level_index(clause, env)
    annex_head = clause.annex and clause.level == 1 and bool(env.styles.annex)
    style = env.styles.annex if annex_head else env.styles.levels[index]
    # A heading below the sections gets an outline level: Word's navigation pane shows the tree.
    outline = clause.level - 1 if clause.heading and not clause.not_used and 1 < clause.level <= 9 else None
    bookmark_id, name = env.anchors[clause.id]
    content, trailing = _clause_content(clause, env)
    label = markup.run(f"{clause.label}\t") if clause.label else ""  # the number, literally, then a tab
    out = [markup.paragraph(f"{markup.bookmark_start(bookmark_id, name)}{label}{content}"
                            f"{markup.bookmark_end(bookmark_id)}",
                            style, page_break_before=first, outline_level=outline)]
    if trailing:
        out.append(markup.paragraph(_inlines(trailing, env), env.styles.body,
                                    indent=env.indents[index] if clause.level > 1 else None))
    if clause.table is not None and not clause.not_used:
        out.append(_table(clause.table, env.indents[index], env))
    return "".join(out)


def _clause_content(clause: Clause, env: Env) -> tuple[str, tuple[Inline, ...]]:
    """The numbered paragraph's runs, and the text that goes in a paragraph of its own (a
    section's text, below its heading)."""
    if clause.not_used:
        return markup.run(NOT_USED), ()
    inlines = _trim(clause.text)
    if not clause.heading:
        return _inlines(inlines, env), ()
    if clause.level <= 1:
        return markup.run(clause.heading), inlines
    # A heading is a paragraph of its own (an outline level for Word's navigation pane); the
    # text follows in the next paragraph, at the level's indent.
    return markup.run(clause.heading, env.styles.clause_heading), inlines


def _trim(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Drop the line break a YAML block scalar leaves at the end of the text."""
    if inlines and isinstance(inlines[-1], Text) and inlines[-1].text != inlines[-1].text.rstrip():
        last = inlines[-1].text.rstrip()
        return inlines[:-1] + ((Text(text=last),) if last else ())
    return inlines


def _inlines(inlines: Iterable[Inline], env: Env) -> str:
    """Runs for ``inlines``; neighbouring plain text (Text, SrvRef) shares one run."""
    st = env.styles
    out: list[str] = []
    plain: list[str] = []
    start = True  # whether the next citation starts a sentence (and is capitalised)
    for node in inlines:
        if isinstance(node, Text | SrvRef):
            plain.append(node.text)
            start = starts_after(start, node.text)
            continue
        if plain:
            out.append(markup.run("".join(plain)))
            plain.clear()
        if isinstance(node, Xref):
            shown = xref_text(node, env.numbers, env.cites, start=start)
            out.append(_xref(node, shown, env))
            start = starts_after(start, shown)
        else:
            out.append(markup.run(node.text, st.term if isinstance(node, Term) else st.emphasis))
            start = starts_after(start, node.text)
    if plain:
        out.append(markup.run("".join(plain)))
    return "".join(out)


def _xref(node: Xref, shown: str, env: Env) -> str:
    """The citation ``shown`` as a link to the target's bookmark."""
    if node.target not in env.numbers:  # unresolved: the check reports it; print the id as written
        return markup.run(shown)
    return f"{markup.link_start(env.anchors[node.target][1])}{markup.run(shown, env.styles.xref)}{markup.link_end()}"


def _table(table: Table, indent: int, env: Env) -> str:
    count = max([len(table.header), *(len(r) for r in table.rows)])
    if count == 0:
        return ""
    every_row = [table.header, *table.rows]
    columns = [[r[i] if i < len(r) else "" for r in every_row] for i in range(count)]
    widths = tables.fit_widths(env.text_width - indent, columns)
    out = [markup.table_start(widths, style_id=env.styles.table, indent=indent)]
    if table.header:
        out.append(_row(table.header, widths, env.styles.table_heading, header=True))
    for cells in table.rows:
        out.append(_row(cells, widths, env.styles.table_text, header=False))
    out.append(markup.table_end())
    out.append(markup.paragraph("", env.styles.body))  # Word needs a paragraph between adjacent tables
    return "".join(out)


def _row(cells: tuple[str, ...], widths: list[int], style_id: str, *, header: bool) -> str:
    out = [markup.table_row_start(header=header)]
    for i, width in enumerate(widths):
        value = cells[i] if i < len(cells) else ""
        out.append(markup.table_cell(width, markup.paragraph(markup.run(value), style_id)))
    out.append(markup.table_row_end())
    return "".join(out)


# -- header, footer, properties ---------------------------------------------------------
def _header_footer(doc: DocxDocument, project: Project) -> None:
    d = project.document
    section = doc.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    p = text.clear_paragraph(header.paragraphs[0]._p)
    text.run(p, f"{d.short_title or d.title} version {d.version}\t\t{d.appendix}")
    footer = section.footer
    footer.is_linked_to_previous = False
    p = text.clear_paragraph(footer.paragraphs[0]._p)
    text.run(p, f"{d.status.upper()}\t\tPage ")
    fields.field(p, "PAGE", "1")
    text.run(p, " of ")
    fields.field(p, "NUMPAGES", "1")


def _properties(doc: DocxDocument, project: Project, options: WriterOptions) -> None:
    d = project.document
    props = doc.core_properties
    when = _midnight(options.date)
    safe = text.xml_safe
    props.title, props.subject = safe(d.title), safe(d.appendix)
    props.author = props.last_modified_by = safe(options.author) or "s1sr"
    props.created = props.modified = when
    props.revision = 1
    props.version, props.content_status, props.identifier = safe(d.version), safe(d.status), safe(d.id)
    props.keywords = props.comments = props.category = ""
    props.language = "en-GB"


def _built_from(doc: DocxDocument, project: Project, options: WriterOptions) -> None:
    """Record the source the document is built from: its content hash as a custom property
    (shown in Word under File > Info > Properties), and the whole resolved model as a release
    snapshot in a custom XML part, so that ``s1sr absorb`` can tell a reviewer's edits from
    later changes to the source. Both parts survive saving in Word and LibreOffice."""
    # The content hash comes with the options when the build has it (one encoding of the model less).
    data = snapshot_data(project, "built", options.date, "s1sr build", digest=options.source_hash)
    custom.set_custom_properties(doc, {
        review.SOURCE_PROPERTY: data["content_hash"],
        review.BUILT_BY_PROPERTY: "s1sr build; take reviewers' edits back with s1sr absorb",
    })
    # ASCII JSON: every character of it can be stored in XML.
    text_ = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    custom.add_custom_xml(doc, review.BASE_NAMESPACE, review.BASE_ELEMENT, text_, review.BASE_ITEM_ID)


def _midnight(iso: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        day = dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
