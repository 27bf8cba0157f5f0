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
from generator.ooxml import package, revisions
from generator.writers import docx as docx_writer
from generator.writers.options import WriterOptions

__all__ = ["redline_name", "write_redline_docx"]

def redline_name(project: Project, changes: Changes) -> str:
    d = project.document
    return f"{d.short_title or d.id}-redline-{changes.from_label}-to-v{d.version}.docx"


def write_redline_docx(project: Project, options: WriterOptions) -> dict[str, bytes]:
    changes, baseline = options.changes, options.baseline
    if changes is None or baseline is None:
        return {}
    doc, new_env, sect_pr = docx_writer.prepare(project, options)
    old_env = docx_writer.environment_like(new_env, baseline)  # the same reference document and page
    new = {c.id: c for c in walk(project.document.sections)}
    old = {c.id: c for c in walk(baseline.document.sections)}
    new_order, old_order = list(new), list(old)
    new_first, old_first = next(iter(new), ""), next(iter(old), "")
    # Bookmarks take the ids 1..n, one per clause of the amended version; revisions follow.
    rev = revisions.Revisions(changes.author or options.author or "s1sr", f"{changes.date or options.date}T00:00:00Z",
                              len(new) + 1)
    touched = {c.id for c in changes.clauses}

    new_holder, old_holder = package.block_holder(), package.block_holder()

    def new_blocks(cid: str) -> list[etree._Element]:
        return docx_writer.clause_blocks(new[cid], new_env, first=cid == new_first, holder=new_holder)

    def old_blocks(cid: str) -> list[etree._Element]:
        return docx_writer.clause_blocks(old[cid], old_env, first=cid == old_first, holder=old_holder)

    def passage(old_part: list[etree._Element], new_part: list[etree._Element], *, diff: bool = True,
                ) -> Iterator[etree._Element]:
        yield from revisions.diff_blocks(old_part, new_part, rev) if diff else new_part
        new_holder.clear()  # written: the next passage starts from empty holders
        old_holder.clear()

    def blocks() -> Iterator[etree._Element]:
        """The title page and contents of the amended version, then each clause's passage in the
        merged order of the two versions, rendered one clause at a time."""
        yield from docx_writer.front_matter(project, options, new_env)
        matcher = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for cid in new_order[j1:j2]:
                    changed = cid in touched
                    yield from passage(old_blocks(cid) if changed else [], new_blocks(cid), diff=changed)
                continue
            for cid in old_order[i1:i2]:  # only in the baseline here: put back, deleted
                yield from passage(old_blocks(cid), [])
            for cid in new_order[j1:j2]:  # only in the amended version here: inserted
                yield from passage([], new_blocks(cid))

    _describe(doc, project, changes)
    data = package.save_streamed(doc, blocks(), sect_pr, package.zip_time(changes.date or options.date))
    return {redline_name(project, changes): data}


def _describe(doc: DocxDocument, project: Project, changes: Changes) -> None:
    props = doc.core_properties
    props.comments = (f"Redline of {project.document.short_title or project.document.id} v{project.document.version} "
                      f"against {changes.from_label}: tracked changes by {changes.author or 's1sr'}, "
                      f"{changes.date}.")
