"""The S1SR redline: the amended S1SR with every change against the baseline release as a Word
tracked change, ``S1SR-redline-v12-to-v13.0.docx``.

Both versions are rendered by the S1SR writer (:func:`generator.writers.docx.write_docx`),
so the redline looks exactly like the published document. Each clause's passage (its
numbered paragraph, any text paragraph under a heading, its table) is found in both by its
bookmark. Passages are laid out in the merged order of the two versions: a clause in both
is compared passage against passage (numbers, headings and words; table rows and cells), a
clause only in the baseline is put back deleted where it stood, and one only in the amended
version is inserted. Accepting every change gives the amended document; rejecting every
change gives the baseline. Author and date are the change set's, never the clock.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import replace

import docx
from docx.document import Document as DocxDocument
from lxml import etree

from generator.model import Project, walk
from generator.model.diff import Changes
from generator.model.names import safe_name
from generator.ooxml import bookmarks, package, revisions, text
from generator.ooxml.ns import w
from generator.writers.docx import display_date, write_docx
from generator.writers.options import WriterOptions

__all__ = ["marked_against", "redline_name", "write_redline_docx", "write_redline_print_docx"]

_BM_START, _NAME, _ID, _SECTPR = w("bookmarkStart"), w("name"), w("id"), w("sectPr")


def redline_name(project: Project, changes: Changes) -> str:
    d = project.document
    return safe_name(f"{d.short_title or d.id}-redline-{changes.from_label}-to-v{d.version}.docx")


def write_redline_docx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    """The redline with Word tracked changes."""
    made = _redline(project, options, printed=False)
    if made is None:
        return {}
    doc, changes = made
    data = package.normalise_zip(package.save_bytes(doc), package.zip_time(changes.date or options.date))
    return {redline_name(project, changes): data}


def write_redline_print_docx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    """The redline as it prints: every change shown by colour (the key on its title page says
    which), with no tracked change left, so that the PDF made from it looks the same in any
    reader. Same file name as the redline; the PDF step renders it."""
    made = _redline(project, options, printed=True)
    if made is None:
        return {}
    doc, changes = made
    revisions.flatten(doc.element.body)
    settings_el = doc.settings.element
    for el in settings_el.findall(w("trackRevisions")):
        settings_el.remove(el)
    data = package.normalise_zip(package.save_bytes(doc), package.zip_time(changes.date or options.date))
    return {redline_name(project, changes): data}


def _redline(project: Project, options: WriterOptions, *, printed: bool) -> tuple[DocxDocument, Changes] | None:
    changes, baseline = options.changes, options.baseline
    if changes is None or baseline is None:
        return None
    new_doc = _open(write_docx(project, options))
    old_doc = _open(write_docx(baseline, replace(options, date=baseline.document.date or options.date)))
    new_body, old_body = new_doc.element.body, old_doc.element.body
    new_order, new_blocks, head = _passages(new_body, project)
    old_order, old_blocks, _ = _passages(old_body, baseline)
    first_id = 1 + max((int(b.get(_ID, "0")) for b in new_body.iter(_BM_START)), default=0)
    rev = revisions.Revisions(changes.author or options.author or "s1sr", f"{changes.date or options.date}T00:00:00Z",
                              first_id)
    touched = {c.id for c in changes.clauses}
    was_used = {c.id for c in walk(baseline.document.sections) if not c.not_used}
    emptied = {c.id for c in walk(project.document.sections) if c.not_used and c.id in was_used}
    merged: list[etree._Element] = []
    matcher = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for cid in new_order[j1:j2]:
                blocks = new_blocks[cid]
                merged += revisions.diff_blocks(old_blocks[cid], blocks, rev, whole=cid in emptied) \
                    if cid in touched else blocks
            continue
        for cid in old_order[i1:i2]:  # only in the baseline here: put back, deleted
            merged += revisions.diff_blocks(old_blocks[cid], [], rev)
        for cid in new_order[j1:j2]:  # only in the amended version here: inserted
            merged += revisions.diff_blocks([], new_blocks[cid], rev)
    sect_pr = new_body[-1] if len(new_body) and new_body[-1].tag == _SECTPR else None
    for el in list(new_body)[head:]:
        if el is not sect_pr:
            new_body.remove(el)
    for el in merged:
        if sect_pr is not None:
            sect_pr.addprevious(el)
        else:
            new_body.append(el)
    _describe(new_doc, project, baseline, changes, printed=printed)
    return new_doc, changes


def _open(files: dict[str, bytes]) -> DocxDocument:
    """The S1SR writer's one .docx, opened for editing."""
    (data,) = files.values()
    return docx.Document(io.BytesIO(data))


def _passages(body: etree._Element, project: Project,
              ) -> tuple[list[str], dict[str, list[etree._Element]], int]:
    """Clause ids in document order, each clause's body elements, and the index of the first
    clause element (what comes before it is the title page and the contents)."""
    names = bookmarks.BookmarkNames()
    by_name = {names[c.id]: c.id for c in walk(project.document.sections)}
    order: list[str] = []
    blocks: dict[str, list[etree._Element]] = {}
    head = len(body)
    current: list[etree._Element] | None = None
    for i, el in enumerate(body):
        if el.tag == _SECTPR:
            break
        start = el.find(_BM_START)
        cid = by_name.get(start.get(_NAME, "")) if start is not None else None
        if cid is not None:
            if current is None:
                head = i
            current = blocks.setdefault(cid, [])
            order.append(cid)
        if current is not None:
            current.append(el)
    return order, blocks, head


def marked_against(baseline: Project) -> str:
    """``Marked against version 12.0``: what every page of a redline says it is."""
    return f"Marked against version {baseline.document.version}"


def _style(doc: DocxDocument, name: str) -> str:
    try:
        return str(doc.styles[name].style_id)
    except KeyError:
        return ""


def _describe(doc: DocxDocument, project: Project, baseline: Project, changes: Changes, *, printed: bool) -> None:
    """Say what the redline is: on the title page (with the key to its marks), in the page
    header and in the document properties."""
    d, old = project.document, baseline.document
    against = marked_against(baseline)
    released = f" (release {changes.from_label}" + (f", {display_date(old.date)})" if old.date else ")")
    body = doc.element.body
    contents = _style(doc, "S1SR Contents Heading")
    anchor = next((p for p in body if p.tag == w("p") and contents and _style_of(p) == contents), None)
    blocks: list[etree._Element] = []
    banner = _para(_style(doc, "S1SR Redline Banner"))
    text.run(banner, f"{against}{released}")
    blocks.append(banner)
    note = _para(_style(doc, "S1SR Cover Note"))
    who = f" by {changes.author}" if changes.author else ""
    if printed:
        text.run(note, f"This copy shows every change from version {old.version} to version {d.version}{who}:")
    else:
        text.run(note, f"This copy shows every change from version {old.version} to version {d.version} as a Word "
                       f"tracked change{who}: accepting them all gives version {d.version}, rejecting them all "
                       f"version {old.version}. Printed, the changes show as below:")
    blocks.append(note)
    key = _para(_style(doc, "S1SR Cover Note"))
    text.run(key, "Key: ")
    text.format_run(text.run(key, "inserted text"), color=revisions.PRINT_MARKS["insert"][0], underline="single")
    text.run(key, " is new in this version; ")
    text.format_run(text.run(key, "deleted text"), color=revisions.PRINT_MARKS["delete"][0], strike=True)
    text.run(key, f" is text of version {old.version} that this version removes.")
    blocks.append(key)
    for p in blocks:
        if anchor is not None:
            anchor.addprevious(p)
        else:
            body.insert(0, p)
    header = doc.sections[0].header
    p = text.clear_paragraph(header.paragraphs[0]._p)
    text.run(p, f"{d.short_title or d.title} version {d.version}: {against.lower()}\t\t{d.appendix}")
    props = doc.core_properties
    props.title = text.xml_safe(f"{d.title} version {d.version}, {against.lower()}")
    props.subject = text.xml_safe(f"{d.appendix}: redline against version {old.version}")
    props.keywords = "redline"
    props.comments = (f"Redline of {d.short_title or d.id} v{d.version} against {changes.from_label} "
                      f"(version {old.version}): {'changes shown by colour' if printed else 'tracked changes'} "
                      f"by {changes.author or 's1sr'}, {changes.date}.")


def _style_of(p: etree._Element) -> str:
    st = p.find(f"{w('pPr')}/{w('pStyle')}")
    return str(st.get(w("val"), "")) if st is not None else ""


def _para(style_id: str) -> etree._Element:
    p = etree.Element(w("p"))
    if style_id:
        etree.SubElement(etree.SubElement(p, w("pPr")), w("pStyle"), {w("val"): style_id})
    return p
