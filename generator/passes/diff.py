"""Diff: two numbered projects → what changed, by stable id.

Linear in the size of the two documents: each side is indexed by id once, and each clause is
compared only with the clause of the same id (no all-pairs matching). Only a clause whose
rendered text differs gets a word-level diff (``difflib`` over its own words).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import diff as R
from generator.model import (
    Clause,
    Emph,
    Inline,
    MatrixCell,
    Project,
    SrvRef,
    Term,
    Xref,
    cite_map,
    starts_after,
    walk,
    xref_text,
)
from generator.model.designation import is_tombstone
from generator.model.diff import (
    ADDED,
    AMENDED,
    CHANGED,
    DELETE,
    EQUAL,
    INSERT,
    MOVED,
    REFERENCES,
    REMOVED,
    RENUMBERED,
    VACATED,
    Changes,
    ClauseChange,
    EntityChange,
    FieldChange,
    MatrixChange,
    Word,
)

__all__ = ["NOT_USED_TEXT", "diff_projects", "tokens", "word_diff"]

NOT_USED_TEXT = "[Not used]"

_WORD = re.compile(r"\s+|\S+")

Token = tuple[str, str, str]  # (style, text, target)


def diff_projects(old: Project, new: Project, *, from_label: str = "", to_label: str = "", words: bool = True,
                  ) -> tuple[Changes, list[Diagnostic]]:
    """Everything that changed from ``old`` to ``new`` (both numbered), with findings.

    ``words=False`` leaves out the word-level diffs (``words``, ``heading_words``), for callers
    that need only what changed, not how (the letter check)."""
    diags: list[Diagnostic] = []
    old_clauses = {c.id: c for c in walk(old.document.sections)}
    new_list = list(walk(new.document.sections))
    new_clauses = {c.id: c for c in new_list}
    old_numbers = {cid: c.number for cid, c in old_clauses.items()}
    new_numbers = {c.id: c.number for c in new_list}
    cites = (cite_map(old.document), cite_map(new.document))
    declared = new.changes.declared() if new.changes else {}
    from_label = from_label or old.document.version
    to_label = to_label or new.document.version

    changes: list[ClauseChange] = []
    for c in new_list:
        before = old_clauses.get(c.id)
        if before is not None and before.raw_text == c.raw_text and before.number == c.number and \
                before.parent == c.parent and before.heading == c.heading and before.not_used == c.not_used and \
                before.table == c.table and _printed_alike(before, c, old_numbers, new_numbers):
            continue  # unchanged, as most clauses are: _clause_change would find no kind of change
        decl = declared.get(c.id)
        ch = _clause_change(before, c, old_numbers, new_numbers, decl is not None, decl.reason if decl else "",
                            words, cites)
        if ch is not None:
            changes.append(ch)
            if ch.has(RENUMBERED) and not ch.declared:
                diags.append(Diagnostic.make(
                    R.UNDECLARED_SHIFT,
                    f"clause '{c.id}' was {ch.old_number} in {from_label} and is {ch.new_number} in {to_label}; "
                    "no change set declares it",
                    _where(new, c, to_label), help="restore the earlier number, or declare the renumbering "
                    "under 'renumber:' in changes.yaml"))
    for cid, c in old_clauses.items():
        if cid not in new_clauses:
            ch = _clause_change(c, None, old_numbers, new_numbers, False, "", words, cites)
            if ch is not None:
                changes.append(ch)
                if is_tombstone(cid):
                    continue  # a number left [Not used] that a declaration took over again
                diags.append(Diagnostic.make(
                    R.CLAUSE_DROPPED, f"clause '{cid}' ({c.number}) of {from_label} is missing from {to_label}",
                    _where(old, c, from_label),
                    help=f"keep it with 'not_used: true' so {c.number} reads '{NOT_USED_TEXT}'"))
    diags += _reassigned(old_clauses.values(), new_list, from_label, to_label, new, declared)

    return Changes(
        from_label=from_label, to_label=to_label,
        from_version=old.document.version, to_version=new.document.version,
        author=new.changes.author if new.changes else "",
        date=(new.changes.date if new.changes and new.changes.date else new.document.date),
        clauses=tuple(changes),
        matrix=_matrix_changes(old.matrix, new.matrix, old_numbers, new_numbers),
        entities=_entity_changes(old, new),
    ), diags


# -- clauses ---------------------------------------------------------------------------
def tokens(c: Clause, numbers: dict[str, str], cites: dict[str, str] | None = None) -> tuple[Token, ...]:
    """The clause text as printed, split into words and spaces, each with its inline style;
    cross-references as prose citations when ``cites`` is given."""
    if c.not_used:
        return (("", NOT_USED_TEXT, ""),)
    return tuple(_inline_tokens(c.text, numbers, cites))


def _inline_tokens(inlines: Iterable[Inline], numbers: dict[str, str],
                   cites: dict[str, str] | None = None) -> Iterable[Token]:
    start = True
    for i in inlines:
        if isinstance(i, Xref):
            shown = xref_text(i, numbers, cites, start=start)
            start = starts_after(start, shown)
            yield ("xref", shown, i.target)
            continue
        start = starts_after(start, i.text)
        if isinstance(i, SrvRef):
            yield ("srv", i.text, i.srv)
        else:
            style = "emph" if isinstance(i, Emph) else "term" if isinstance(i, Term) else ""
            for m in _WORD.finditer(i.text):
                yield (style, m.group(), "")


def _heading_tokens(c: Clause | None) -> tuple[Token, ...]:
    if c is None or not c.heading or c.not_used:
        return ()
    return tuple(("", m.group(), "") for m in _WORD.finditer(c.heading))


def word_diff(a: tuple[Token, ...], b: tuple[Token, ...]) -> tuple[Word, ...]:
    """A word-level diff, runs of the same operation and style merged."""
    if a == b:
        return ()
    out: list[Word] = []

    def emit(op: str, toks: Iterable[Token]) -> None:
        for style, text, target in toks:
            last = out[-1] if out else None
            if last is not None and last.op == op and last.style == style and not target and not last.target:
                out[-1] = Word(op=op, text=last.text + text, style=style)
            else:
                out.append(Word(op=op, text=text, style=style, target=target))

    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            emit(EQUAL, a[i1:i2])
        else:
            emit(DELETE, a[i1:i2])
            emit(INSERT, b[j1:j2])
    return tuple(out)


def _union(*groups: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for g in groups:
        for x in g:
            seen.setdefault(x, None)
    return tuple(seen)


def _devices(c: Clause | None) -> tuple[str, ...]:
    return _union(*(a.devices for a in c.applies_to)) if c else ()


def _printed_alike(old: Clause, new: Clause, old_numbers: dict[str, str], new_numbers: dict[str, str]) -> bool:
    """The same text, printing the same cross-reference numbers: nothing to compare word by word
    (most clauses, so the words of most clauses are never split)."""
    return old.raw_text == new.raw_text and old.not_used == new.not_used and (Xref not in map(type, new.text) or all(
        old_numbers.get(i.target) == new_numbers.get(i.target) for i in new.text if isinstance(i, Xref)))


def _kinds_known(old: Clause, new: Clause) -> bool:
    """Whether the kinds of change are clear without comparing printed words: REFERENCES is
    looked for only when nothing else changed."""
    return (old.raw_text, old.heading, old.table, old.not_used, old.parent, old.number) != (
        new.raw_text, new.heading, new.table, new.not_used, new.parent, new.number)


def _clause_change(old: Clause | None, new: Clause | None, old_numbers: dict[str, str],
                   new_numbers: dict[str, str], declared: bool, reason: str, words: bool,
                   cites: tuple[dict[str, str], dict[str, str]] = ({}, {})) -> ClauseChange | None:
    kinds: list[str] = []
    printed_alike = old is not None and new is not None and _printed_alike(old, new, old_numbers, new_numbers)
    # Without words, only a clause in both versions may need its words (to find REFERENCES).
    split = not printed_alike and (words or (old is not None and new is not None and not _kinds_known(old, new)))
    old_toks = tokens(old, old_numbers, cites[0]) if old and split else ()
    new_toks = tokens(new, new_numbers, cites[1]) if new and split else ()
    if old is None:
        kinds.append(VACATED if new is not None and new.vacated_by else ADDED)
    elif new is None:
        kinds.append(REMOVED)
    else:
        if new.not_used and not old.not_used:
            kinds.append(REMOVED)
        elif (old.raw_text, old.heading, old.table, old.not_used) != (new.raw_text, new.heading, new.table,
                                                                       new.not_used):
            kinds.append(AMENDED)
        if old.parent != new.parent:
            kinds.append(MOVED)
        if old.number != new.number:
            kinds.append(RENUMBERED)
        if not kinds and old_toks != new_toks:
            kinds.append(REFERENCES)
    if not kinds:
        return None
    ref = new or old
    assert ref is not None
    return ClauseChange(
        id=ref.id, kinds=tuple(kinds),
        # A number left [Not used] was designated in FROM too (for the clause that left it).
        old_number=old.number if old else new.number if new is not None and new.vacated_by else "",
        new_number=new.number if new else "",
        old_parent=old.parent if old else "", new_parent=new.parent if new else "",
        declared=declared and RENUMBERED in kinds, reason=reason if RENUMBERED in kinds else "",
        words=word_diff(old_toks, new_toks) if words else (),
        heading_words=word_diff(_heading_tokens(old), _heading_tokens(new)) if words else (),
        old_table=old.table if old else None, new_table=new.table if new else None,
        srvs=_union(old.srvs() if old else (), new.srvs() if new else ()),
        devices=_union(_devices(old), _devices(new)),
        tags=_union(old.tags if old else (), new.tags if new else ()),
        dropped=new is None,
        vacated_by=ref.vacated_by,
    )


def _where(project: Project, c: Clause, label: str) -> Location:
    return Location(file=c.span.file or project.span.file, line=c.span.line, col=c.span.col, clause_id=c.id,
                    document=label, clause_number=c.number)


def _reassigned(old: Iterable[Clause], new: list[Clause], from_label: str, to_label: str,
                project: Project, declared: Mapping[str, object]) -> list[Diagnostic]:
    """Numbers that named one clause in FROM and name another in TO (unless TO declares it)."""
    now = {c.number: c for c in new if c.number}
    out: list[Diagnostic] = []
    for c in old:
        other = now.get(c.number)
        # A number left [Not used] is the rule kept, not a number given to other text.
        if other is not None and other.id != c.id and other.id not in declared and not is_tombstone(other.id):
            out.append(Diagnostic.make(
                R.NUMBER_REASSIGNED,
                f"{c.number} named clause '{c.id}' in {from_label} but names '{other.id}' in {to_label}",
                _where(project, other, to_label),
                help="every citation of this number (DMVESM cells, letters) now points at other text"))
    return out


# -- the matrix ------------------------------------------------------------------------
def _matrix_changes(old: tuple[MatrixCell, ...], new: tuple[MatrixCell, ...], old_numbers: dict[str, str],
                    new_numbers: dict[str, str]) -> tuple[MatrixChange, ...]:
    before = {(m.srv, m.device): m.clauses for m in old}
    after = {(m.srv, m.device): m.clauses for m in new}
    out: list[MatrixChange] = []
    for key in _union_keys(after, before):
        a, b = before.get(key), after.get(key)
        # Each clause's number, else its id: ``get(x, x)`` mapped in C (6,000 cells at 10×).
        an = tuple(map(old_numbers.get, a, a)) if a else ()
        bn = tuple(map(new_numbers.get, b, b)) if b else ()
        if a is None:
            kind = ADDED
        elif b is None:
            kind = REMOVED
        elif a != b or an != bn:
            kind = CHANGED
        else:
            continue
        out.append(MatrixChange(srv=key[0], device=key[1], kind=kind, old_clauses=a or (), new_clauses=b or (),
                                old_numbers=an, new_numbers=bn))
    return tuple(out)


def _union_keys(first: Mapping[tuple[str, str], object], second: Mapping[tuple[str, str], object],
                ) -> list[tuple[str, str]]:
    return [*first, *(k for k in second if k not in first)]


# -- Device Models and groups -------------------------------------------------------------
def _entity_changes(old: Project, new: Project) -> tuple[EntityChange, ...]:
    out: list[EntityChange] = []

    def compare(entity: str, before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> None:
        for eid in [*after, *(k for k in before if k not in after)]:
            a, b = before.get(eid), after.get(eid)
            name = (b or a or {}).get("name", eid)
            if a is None:
                out.append(EntityChange(entity=entity, id=eid, kind=ADDED, name=name))
            elif b is None:
                out.append(EntityChange(entity=entity, id=eid, kind=REMOVED, name=name))
            else:
                fields = tuple(FieldChange(name=k, old=a[k], new=b[k]) for k in b if a.get(k) != b[k])
                if fields:
                    out.append(EntityChange(entity=entity, id=eid, kind=CHANGED, name=name, fields=fields))

    def devices(p: Project) -> dict[str, dict[str, str]]:
        return {d.id: {"name": f"{d.manufacturer} {d.model}", "manufacturer": d.manufacturer, "model": d.model,
                       "type": d.device_type, "cohort": d.cohort, "firmware": d.firmware} for d in p.devices}

    def groups(p: Project) -> dict[str, dict[str, str]]:
        return {g.id: {"name": g.name, "members": ", ".join(g.members)} for g in p.groups}

    compare("device", devices(old), devices(new))
    compare("group", groups(old), groups(new))
    return tuple(out)
