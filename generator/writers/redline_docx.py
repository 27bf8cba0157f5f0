"""The S1SR redline: the amended S1SR with every change against the baseline release as a Word
tracked change, ``S1SR-redline-v12-to-v13.0.docx``.

Both versions are rendered by the S1SR writer's own functions (:mod:`generator.writers.docx`),
so the redline looks exactly like the published document. Each clause's passage (its
numbered paragraph, any text paragraph under a heading, its table) is rendered in both, one
clause at a time, and written out as a stream: memory holds one passage, never either
document. Passages are laid out in the merged order of the two versions: a clause in both
is compared passage against passage (numbers, headings and words; table rows and cells), a
clause only in the baseline is put back deleted where it stood, and one only in the amended
version is inserted. Accepting every change gives the amended document; rejecting every
change gives the baseline. Author and date are the change set's, never the clock.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from docx.document import Document as DocxDocument
from lxml import etree

from generator.model import Project, walk
from generator.model.diff import Changes
from generator.model.names import safe_name
from generator.ooxml import package, revisions, text
from generator.ooxml.ns import w
from generator.writers import docx as docx_writer
from generator.writers.docx import display_date
from generator.writers.options import WriterOptions

__all__ = ["marked_against", "redline_name", "write_redline_docx", "write_redline_print_docx"]

def redline_name(project: Project, changes: Changes) -> str:
    d = project.document
    return safe_name(f"{d.short_title or d.id}-redline-{changes.from_label}-to-v{d.version}.docx")


def write_redline_docx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    """The redline with Word tracked changes."""
    made = _redline(project, options, printed=False)
    if made is None:
        return {}
    doc, blocks, sect_pr, changes = made
    data = package.save_streamed(doc, blocks, sect_pr, package.zip_time(changes.date or options.date))
    return {redline_name(project, changes): data}


def write_redline_print_docx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    """The redline as it prints: every change shown by colour (the key on its title page says
    which), with no tracked change left, so that the PDF made from it looks the same in any
    reader. Same file name as the redline; the PDF step renders it."""
    made = _redline(project, options, printed=True)
    if made is None:
        return {}
    doc, blocks, sect_pr, changes = made
    settings_el = doc.settings.element
    for el in settings_el.findall(w("trackRevisions")):
        settings_el.remove(el)

    def flattened() -> Iterator[etree._Element]:
        for block in blocks:
            revisions.flatten(block)
            yield block

    data = package.save_streamed(doc, flattened(), sect_pr, package.zip_time(changes.date or options.date))
    return {redline_name(project, changes): data}


_Made = tuple[DocxDocument, Iterator[etree._Element], etree._Element, Changes]


def _redline(project: Project, options: WriterOptions, *, printed: bool) -> _Made | None:
    """The redline's document (title page, header, properties), its body blocks as a stream and
    its final section properties. Both versions are rendered with the S1SR writer's functions,
    one clause at a time: memory holds one passage, never either document."""
    changes, baseline = options.changes, options.baseline
    if changes is None or baseline is None:
        return None
    doc, new_env, sect_pr = docx_writer.prepare(project, options)
    old_env = docx_writer.environment_like(new_env, baseline)  # the same reference document and page
    # The title page, put in the body for a moment so that _describe adds the banner and the key.
    body = doc.element.body
    body.extend(docx_writer.front_matter(project, options, new_env))
    body.append(sect_pr)
    _describe(doc, project, baseline, changes, printed=printed)
    front = [el for el in body if el is not sect_pr]
    sect_pr = text.empty_body(body)
    new = {c.id: c for c in walk(project.document.sections)}
    old = {c.id: c for c in walk(baseline.document.sections)}
    new_order, old_order = list(new), list(old)
    new_first, old_first = next(iter(new), ""), next(iter(old), "")
    # Bookmarks take the ids 1..n, one per clause of the amended version; revisions follow.
    rev = revisions.Revisions(changes.author or options.author or "s1sr", f"{changes.date or options.date}T00:00:00Z",
                              len(new) + 1)
    touched = {c.id for c in changes.clauses}
    was_used = {c.id for c in walk(baseline.document.sections) if not c.not_used}
    emptied = {c.id for c in walk(project.document.sections) if c.not_used and c.id in was_used}
    new_holder, old_holder = package.block_holder(), package.block_holder()

    def new_blocks(cid: str) -> list[etree._Element]:
        return docx_writer.clause_blocks(new[cid], new_env, first=cid == new_first, holder=new_holder)

    def old_blocks(cid: str) -> list[etree._Element]:
        return docx_writer.clause_blocks(old[cid], old_env, first=cid == old_first, holder=old_holder)

    def passage(old_part: list[etree._Element], new_part: list[etree._Element], *, diff: bool = True,
                whole: bool = False) -> Iterator[etree._Element]:
        yield from revisions.diff_blocks(old_part, new_part, rev, whole=whole) if diff else new_part
        new_holder.clear()  # written: the next passage starts from empty holders
        old_holder.clear()

    def blocks() -> Iterator[etree._Element]:
        """The title page, then each clause's passage in the merged order of the two versions."""
        yield from front
        matcher = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for cid in new_order[j1:j2]:
                    changed = cid in touched
                    yield from passage(old_blocks(cid) if changed else [], new_blocks(cid), diff=changed,
                                       whole=cid in emptied)
                continue
            for cid in old_order[i1:i2]:  # only in the baseline here: put back, deleted
                yield from passage(old_blocks(cid), [])
            for cid in new_order[j1:j2]:  # only in the amended version here: inserted
                yield from passage([], new_blocks(cid))

    return doc, blocks(), sect_pr, changes


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
