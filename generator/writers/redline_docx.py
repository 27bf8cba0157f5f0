"""The S1SR redline: the amended S1SR with every change against the baseline release as a Word
tracked change, ``S1SR-redline-v12-to-v13.0.docx``.

Both versions are rendered by the S1SR writer's own functions (:mod:`generator.writers.docx`),
so the redline looks exactly like the published document. Each clause's passage (its
numbered paragraph, any text paragraph under a heading, its table) is rendered in both, one
clause at a time, and written out as a stream: memory holds one passage (or the clauses from
one side of a move to the other), never either document. Passages are laid out in the merged
order of the two versions (sibling lists aligned from the sections down): a clause in both at
the same place is compared passage against passage (numbers, headings and words; table rows
and cells), a clause only in the baseline is put back deleted where it stood, one only in the
amended version is inserted, and one in both that changed place is a Word move: moved from
where it stood, moved to where it stands, with the words it gained or lost on the way as
insertions in the destination and in the source alone. Accepting every change gives the
amended document; rejecting every change gives the baseline. Author and date are the change set's, never the clock.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from docx.document import Document as DocxDocument
from lxml import etree

from generator.model import Clause, Project, walk
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

    def flattened() -> Iterator[etree._Element | str]:
        for block in blocks:
            if not isinstance(block, str):  # markup is an unchanged clause: nothing to flatten
                revisions.flatten(block)
            yield block

    data = package.save_streamed(doc, flattened(), sect_pr, package.zip_time(changes.date or options.date))
    return {redline_name(project, changes): data}


_Made = tuple[DocxDocument, Iterator[etree._Element | str], etree._Element, Changes]


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
    items = _in_place(_merged(baseline.document.sections, project.document.sections))
    moves = _moves(items)
    _describe(doc, project, baseline, changes, printed=printed, moved=bool(moves))
    front = [el for el in body if el is not sect_pr]
    sect_pr = text.empty_body(body)
    new = {c.id: c for c in walk(project.document.sections)}
    old = {c.id: c for c in walk(baseline.document.sections)}
    new_first, old_first = next(iter(new), ""), next(iter(old), "")
    # Bookmarks take the ids 1..n, one per clause of the amended version; revisions follow.
    rev = revisions.Revisions(changes.author or options.author or "s1sr", f"{changes.date or options.date}T00:00:00Z",
                              len(new) + 1)
    touched = {c.id for c in changes.clauses}
    was_used = {c.id for c in walk(baseline.document.sections) if not c.not_used}
    emptied = {c.id for c in walk(project.document.sections) if c.not_used and c.id in was_used}

    def new_blocks(cid: str) -> list[etree._Element]:
        return docx_writer.clause_blocks(new[cid], new_env, first=cid == new_first)

    def old_blocks(cid: str) -> list[etree._Element]:
        return docx_writer.clause_blocks(old[cid], old_env, first=cid == old_first)

    last_of: dict[str, int] = {}  # move name → the index in items of its last clause
    for i, (role, cid) in enumerate(items):
        if role != _BOTH and cid in moves:
            last_of[moves[cid]] = i

    def passage(role: str, cid: str, parts: list[etree._Element | str | tuple[str, str]],
                ranges: dict[tuple[str, str], list[etree._Element]]) -> None:
        if role == _BOTH and cid not in touched:  # unchanged: its markup as the S1SR writer writes it
            parts.append(docx_writer.clause_xml(new[cid], new_env, first=cid == new_first))
        elif role == _BOTH:
            parts.extend(revisions.diff_blocks(old_blocks(cid), new_blocks(cid), rev, whole=cid in emptied))
        elif role == _OLD and cid in moves:  # moved away from here
            _part(parts, ranges, ("from", moves[cid])).extend(revisions.move_from(old_blocks(cid), rev))
        elif role == _OLD:  # only in the baseline: put back, deleted
            parts.extend(revisions.diff_blocks(old_blocks(cid), [], rev))
        elif cid in moves:  # moved here
            _part(parts, ranges, ("to", moves[cid])).extend(
                revisions.move_to(old_blocks(cid), new_blocks(cid), rev, whole=cid in emptied))
        else:  # only in the amended version: inserted
            parts.extend(revisions.diff_blocks([], new_blocks(cid), rev))

    def blocks() -> Iterator[etree._Element | str]:
        """The title page, then each clause's passage in the merged order of the two versions.
        The passages from one side of a move to the other are held until its last clause is in
        and its range marks can go round both sides; all else is written as it comes."""
        yield from front
        parts: list[etree._Element | str | tuple[str, str]] = []
        ranges: dict[tuple[str, str], list[etree._Element]] = {}
        for i, (role, cid) in enumerate(items):
            passage(role, cid, parts, ranges)
            if any(last_of[name] > i for _, name in ranges):
                continue  # a move still open
            for name in dict.fromkeys(name for _, name in ranges):
                revisions.move_range(ranges.get(("from", name), []), ranges.get(("to", name), []), name, rev)
            for part in parts:
                yield from ranges[part] if isinstance(part, tuple) else (part,)
            parts, ranges = [], {}

    return doc, blocks(), sect_pr, changes


# How a clause stands in the merged body: in both versions at this place, or here in the
# baseline only (deleted, or the source of a move), or here in the amended version only.
_BOTH, _OLD, _NEW = "both", "old", "new"


def _merged(old: tuple[Clause, ...], new: tuple[Clause, ...]) -> list[tuple[str, str]]:
    """(role, clause id) in the order the redline lays the clauses out. Sibling lists are
    aligned level by level, from the sections down: a clause that keeps its parent and its
    place among its siblings stands once (``_BOTH``) and its children are aligned in turn; any
    other clause stands where the baseline had it (``_OLD``, with all its baseline descendants)
    and where the amended version has it (``_NEW``, with all its descendants). So the sections
    stay put and what changed place is the clause that moved, not its neighbours. Accepting
    keeps the ``_BOTH`` and ``_NEW`` entries, in the amended version's order; rejecting the
    ``_BOTH`` and ``_OLD`` ones, in the baseline's order."""
    out: list[tuple[str, str]] = []

    def subtree(c: Clause, role: str) -> None:
        out.extend((role, x.id) for x in walk((c,)))

    def align(a: tuple[Clause, ...], b: tuple[Clause, ...]) -> None:
        ids_a, ids_b = [c.id for c in a], [c.id for c in b]
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ids_a, ids_b, autojunk=False).get_opcodes():
            if tag == "equal":
                for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                    out.append((_BOTH, y.id))
                    align(x.children, y.children)
                continue
            for x in a[i1:i2]:
                subtree(x, _OLD)
            for y in b[j1:j2]:
                subtree(y, _NEW)

    align(old, new)
    return out


def _moves(items: list[tuple[str, str]]) -> dict[str, str]:
    """Clause id → the name of its move, for every clause that stands in ``items`` both as
    ``_OLD`` and as ``_NEW`` (it is in both versions, somewhere else). Clauses that moved
    together (next to each other where they left and where they arrive) share one move, named
    ``move1``, ``move2``… in the order of the amended document."""
    at: dict[tuple[str, str], int] = {(role, cid): i for i, (role, cid) in enumerate(items) if role != _BOTH}
    out: dict[str, str] = {}
    previous, count = "", 0
    for i, (role, cid) in enumerate(items):
        if role != _NEW or (_OLD, cid) not in at:
            continue
        together = previous and at[(_NEW, previous)] == i - 1 and at[(_OLD, previous)] == at[(_OLD, cid)] - 1
        if not together:
            count += 1
        out[cid] = f"move{count}"
        previous = cid
    return out


def _in_place(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``items`` with every move whose source and destination are next to each other made a
    change in place: a clause that changed level but not its place in the text (v12's 18.5q,
    which became 18.5p(i)) reads as its number and level changed, not as moved."""
    groups: dict[str, list[int]] = {}
    moves = _moves(items)
    for i, (role, cid) in enumerate(items):
        if role != _BOTH and cid in moves:
            groups.setdefault(moves[cid], []).append(i)
    merged: dict[int, list[tuple[str, str]]] = {}  # first index of a collapsed move → its clauses
    gone: set[int] = set()
    for at in groups.values():
        src = [i for i in at if items[i][0] == _OLD]
        dst = [i for i in at if items[i][0] == _NEW]
        if max(src) + 1 == min(dst) or max(dst) + 1 == min(src):
            merged[min(at)] = [(_BOTH, items[i][1]) for i in dst]
            gone.update(at)
    out: list[tuple[str, str]] = []
    for i, item in enumerate(items):
        out += merged.get(i, [])
        if i not in gone:
            out.append(item)
    return out


def _part(parts: list[etree._Element | str | tuple[str, str]], ranges: dict[tuple[str, str], list[etree._Element]],
          key: tuple[str, str]) -> list[etree._Element]:
    """The elements of one side of a move, its place in ``parts`` taken when first seen."""
    if key not in ranges:
        ranges[key] = []
        parts.append(key)
    return ranges[key]


def marked_against(baseline: Project) -> str:
    """``Marked against version 12.0``: what every page of a redline says it is."""
    return f"Marked against version {baseline.document.version}"


def _style(doc: DocxDocument, name: str) -> str:
    try:
        return str(doc.styles[name].style_id)
    except KeyError:
        return ""


def _describe(doc: DocxDocument, project: Project, baseline: Project, changes: Changes, *, printed: bool,
              moved: bool) -> None:
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
    _marked(key, "inserted text", "insert")
    text.run(key, " is new in this version; ")
    _marked(key, "deleted text", "delete")
    if moved:  # the key names the marks of moved text only when a clause moved
        text.run(key, f" is text of version {old.version} that this version removes; ")
        _marked(key, "moved text", "moveFrom")
        text.run(key, f" stood here in version {old.version} and ")
        _marked(key, "moved text", "moveTo")
        text.run(key, " stands here now.")
    else:
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


def _marked(p: etree._Element, words: str, kind: str) -> None:
    """``words`` as the printed redline shows a change of ``kind``."""
    m = revisions.PRINT_MARKS[kind]
    text.format_run(text.run(p, words), color=m.color, underline=m.underline, strike=m.strike,
                    double_strike=m.double_strike)


def _style_of(p: etree._Element) -> str:
    st = p.find(f"{w('pPr')}/{w('pStyle')}")
    return str(st.get(w("val"), "")) if st is not None else ""


def _para(style_id: str) -> etree._Element:
    p = etree.Element(w("p"))
    if style_id:
        etree.SubElement(etree.SubElement(p, w("pPr")), w("pStyle"), {w("val"): style_id})
    return p
