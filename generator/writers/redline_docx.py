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
from generator.ooxml import bookmarks, package, revisions
from generator.ooxml.ns import w
from generator.writers.docx import write_docx
from generator.writers.options import WriterOptions

__all__ = ["redline_name", "write_redline_docx"]

_BM_START, _NAME, _ID, _SECTPR = w("bookmarkStart"), w("name"), w("id"), w("sectPr")


def redline_name(project: Project, changes: Changes) -> str:
    d = project.document
    return safe_name(f"{d.short_title or d.id}-redline-{changes.from_label}-to-v{d.version}.docx")


def write_redline_docx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    changes, baseline = options.changes, options.baseline
    if changes is None or baseline is None:
        return {}
    new_doc = _open(write_docx(project, options))
    old_doc = _open(write_docx(baseline, replace(options, date=baseline.document.date or options.date)))
    new_body, old_body = new_doc.element.body, old_doc.element.body
    new_order, new_blocks, head = _passages(new_body, project)
    old_order, old_blocks, _ = _passages(old_body, baseline)
    first_id = 1 + max((int(b.get(_ID, "0")) for b in new_body.iter(_BM_START)), default=0)
    rev = revisions.Revisions(changes.author or options.author or "s1sr", f"{changes.date or options.date}T00:00:00Z",
                              first_id)
    touched = {c.id for c in changes.clauses}
    merged: list[etree._Element] = []
    matcher = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for cid in new_order[j1:j2]:
                blocks = new_blocks[cid]
                merged += revisions.diff_blocks(old_blocks[cid], blocks, rev) if cid in touched else blocks
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
    _describe(new_doc, project, changes)
    data = package.normalise_zip(package.save_bytes(new_doc), package.zip_time(changes.date or options.date))
    return {redline_name(project, changes): data}


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


def _describe(doc: DocxDocument, project: Project, changes: Changes) -> None:
    props = doc.core_properties
    props.comments = (f"Redline of {project.document.short_title or project.document.id} v{project.document.version} "
                      f"against {changes.from_label}: tracked changes by {changes.author or 's1sr'}, "
                      f"{changes.date}.")
