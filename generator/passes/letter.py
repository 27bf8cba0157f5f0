"""Letters against the diff: fill each appendix's amendment rows, and report what no
appendix explains (warning) and what a letter claims that the diff does not contain (error)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import replace

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import letter as L
from generator.model import (
    Clause,
    Emph,
    Inline,
    Project,
    SrvRef,
    Term,
    Xref,
    cite_map,
    plain_text,
    starts_after,
    walk,
    xref_text,
)
from generator.model.diff import REFERENCES, Changes, ClauseChange
from generator.model.letter import (
    AmendmentRow,
    Appendix,
    Block,
    ClauseRef,
    Heading,
    Letter,
    LInline,
    ListBlock,
    NoteRef,
    Para,
    Part,
    Run,
)
from generator.passes.references import expand_groups

__all__ = ["explain_changes", "letter_inlines", "substantive", "version_label"]

_SUMMARY_WORDS = 14


def substantive(c: ClauseChange) -> bool:
    """A change someone decided (not just a cross-reference printing a new number)."""
    return any(k != REFERENCES for k in c.kinds)


def version_label(project: Project, label: str) -> str:
    """How a letter names a version: a release name as is, the draft as ``v<version>``."""
    return label if label and label != "draft" else f"v{project.document.version}"


class _Index:
    def __init__(self, old: Project, new: Project, changes: Changes) -> None:
        self.old = {c.id: c for c in walk(old.document.sections)}
        self.new = {c.id: c for c in walk(new.document.sections)}
        self.numbers = {cid: c.number for cid, c in self.old.items()} | {cid: c.number for cid, c in self.new.items()}
        self.cites = cite_map(old.document) | cite_map(new.document)
        self.changes = [c for c in changes.clauses if substantive(c)]
        self.by_id = {c.id: c for c in self.changes}
        self.tags = {t for c in (*self.old.values(), *self.new.values()) for t in c.tags}
        self.srvs = {s.number for s in new.srvs} | {s.number for s in old.srvs}
        self.groups = {g.id: g.name for g in (*old.groups, *new.groups)}
        self.devices = {d.id: f"{d.manufacturer} {d.model}" for d in (*old.devices, *new.devices)}
        self.members = expand_groups(old) | expand_groups(new)


def _near(name: str, candidates: Iterable[str]) -> str:
    near = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return f"did you mean '{near[0]}'?" if near else ""


def explain_changes(letter: Letter, changes: Changes, old: Project, new: Project,
                    ) -> tuple[Letter, list[Diagnostic]]:
    """The letter with every appendix's rows filled from ``changes`` (``old`` → ``new``), and findings."""
    ix = _Index(old, new, changes)
    diags: list[Diagnostic] = []
    explained: set[str] = set()
    selected_srvs: set[str] = set()
    appendices: list[Appendix] = []
    for a in letter.appendices:
        parts: list[Part] = []
        for p in a.parts:
            rows = _select(p, ix, diags)
            explained.update(r.clause_id for r in rows)
            selected_srvs.update(s.value for s in p.select.srvs)
            parts.append(replace(p, rows=rows, narrative=_blocks(p.narrative, ix, diags)))
        appendices.append(replace(a, parts=tuple(parts), narrative=_blocks(a.narrative, ix, diags)))
    out = replace(
        letter, appendices=tuple(appendices), summary=_blocks(letter.summary, ix, diags),
        body=_blocks(letter.body, ix, diags),
        consultation=replace(letter.consultation, concerns=_blocks(letter.consultation.concerns, ix, diags)),
        footnotes=tuple(replace(f, inlines=_inlines(f.inlines, ix, diags)) for f in letter.footnotes),
        from_label=version_label(old, changes.from_label), to_label=version_label(new, changes.to_label),
    )
    diags += _footnotes(out)
    diags += _unexplained(letter, changes, ix, explained, selected_srvs)
    return out, diags


# -- selections ------------------------------------------------------------------------
def _select(part: Part, ix: _Index, diags: list[Diagnostic]) -> tuple[AmendmentRow, ...]:
    picked: dict[str, None] = {}
    sel = part.select
    for s in sel.clauses:
        if s.value not in ix.old and s.value not in ix.new:
            diags.append(Diagnostic.make(L.UNKNOWN_CLAUSE, f"the letter selects clause '{s.value}', which is in "
                                         "neither version", s.span, help=_near(s.value, {*ix.old, *ix.new})))
        elif s.value not in ix.by_id:
            diags.append(Diagnostic.make(
                L.CLAIMS_UNCHANGED, f"the letter lists clause '{s.value}' ({ix.numbers[s.value]}) as amended, "
                "but it did not change", s.span, help="remove it from 'clauses:', or amend it in the source"))
        else:
            picked.setdefault(s.value, None)
    for s in sel.tags:
        if s.value not in ix.tags:
            diags.append(Diagnostic.make(L.UNKNOWN_SELECTOR, f"no clause carries the tag '{s.value}'", s.span,
                                         help=_near(s.value, ix.tags) or "check the clause tags in the source"))
            continue
        hits = [c.id for c in ix.changes if s.value in c.tags]
        if not hits:
            diags.append(Diagnostic.make(L.CLAIMS_UNCHANGED, f"no changed clause carries the tag '{s.value}'",
                                         s.span, help="remove the tag from the selection"))
        picked.update(dict.fromkeys(hits))
    for s in sel.srvs:
        if ix.srvs and s.value not in ix.srvs:
            diags.append(Diagnostic.make(L.UNKNOWN_SELECTOR, f"SRV {s.value} is not a DUIS SRV", s.span,
                                         help=_near(s.value, ix.srvs)))
            continue
        hits = [c.id for c in ix.changes if s.value in c.srvs]
        if not hits:
            diags.append(Diagnostic.make(L.CLAIMS_UNCHANGED, f"no changed clause applies to SRV {s.value}",
                                         s.span, help="remove the SRV from the selection"))
        picked.update(dict.fromkeys(hits))
    order = {c.id: i for i, c in enumerate(ix.changes)}
    return tuple(_row(ix.by_id[cid], ix) for cid in sorted(picked, key=order.__getitem__))


def _printed(inlines: Iterable[Inline], numbers: dict[str, str], cites: dict[str, str]) -> tuple[LInline, ...]:
    out: list[LInline] = []
    start = True
    for i in inlines:
        start = starts_after(start, out[-1].text) if out and isinstance(out[-1], Run) else start
        if isinstance(i, Xref):
            out.append(Run(text=xref_text(i, numbers, cites, start=start)))
        elif isinstance(i, Term):
            out.append(Run(text=i.text, style="strong"))
        elif isinstance(i, Emph):
            out.append(Run(text=i.text, style="emph"))
        elif isinstance(i, SrvRef):
            out.append(Run(text=i.text))
        else:
            out.append(Run(text=i.text))
    return tuple(out)


def _summary(c: Clause, numbers: dict[str, str], cites: dict[str, str]) -> str:
    if c.heading:
        return c.heading
    words = plain_text(c.text, numbers, cites).split()
    return " ".join(words[:_SUMMARY_WORDS]) + (" …" if len(words) > _SUMMARY_WORDS else "")


def _row(ch: ClauseChange, ix: _Index) -> AmendmentRow:
    current = ix.new.get(ch.id)
    source = current if current is not None and not current.not_used else ix.old.get(ch.id, current)
    assert source is not None
    devices = tuple(ix.groups.get(d) or ix.devices.get(d, d) for d in ch.devices)
    return AmendmentRow(
        clause_id=ch.id, number=ch.new_number or ch.old_number, old_number=ch.old_number, new_number=ch.new_number,
        kinds=ch.kinds, declared=ch.declared, summary=_summary(source, ix.numbers, ix.cites), srvs=ch.srvs, devices=devices,
        text=_printed(current.text, ix.numbers, ix.cites) if current is not None and not current.not_used else (),
        table=current.table if current is not None and not current.not_used else None,
    )


# -- narrative -------------------------------------------------------------------------
def _inlines(inlines: tuple[LInline, ...], ix: _Index, diags: list[Diagnostic]) -> tuple[LInline, ...]:
    out: list[LInline] = []
    for i in inlines:
        if isinstance(i, ClauseRef):
            if i.target not in ix.numbers:
                diags.append(Diagnostic.make(L.UNKNOWN_CLAUSE_REF, f"the letter cites [[{i.target}]], which is not a "
                                             "clause id", i.span, help=_near(i.target, ix.numbers) or "check the id"))
            before = "".join(x.text if isinstance(x, Run) else x.number if isinstance(x, ClauseRef) else ""
                             for x in out)  # a letter's paragraph is short: joining it is cheap
            shown = xref_text(Xref(target=i.target, bare=i.bare), ix.numbers, ix.cites,
                              start=starts_after(True, before))
            out.append(replace(i, number=shown))
        else:
            out.append(i)
    return tuple(out)


def _blocks(blocks: tuple[Block, ...], ix: _Index, diags: list[Diagnostic]) -> tuple[Block, ...]:
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, ListBlock):
            out.append(replace(b, items=tuple(_inlines(it, ix, diags) for it in b.items)))
        else:
            out.append(replace(b, inlines=_inlines(b.inlines, ix, diags)))
    return tuple(out)


def letter_inlines(letter: Letter) -> Iterator[LInline]:
    """Every inline of the letter's narrative, in reading order (footnote bodies excluded)."""
    def of(blocks: tuple[Block, ...]) -> Iterator[LInline]:
        for b in blocks:
            if isinstance(b, ListBlock):
                for it in b.items:
                    yield from it
            elif isinstance(b, Para | Heading):
                yield from b.inlines

    yield from of(letter.summary)
    yield from of(letter.consultation.concerns)
    yield from of(letter.body)
    for a in letter.appendices:
        yield from of(a.narrative)
        for p in a.parts:
            yield from of(p.narrative)


def _footnotes(letter: Letter) -> list[Diagnostic]:
    defined = {f.id: f for f in letter.footnotes}
    used: set[str] = set()
    out: list[Diagnostic] = []
    for i in letter_inlines(letter):
        if isinstance(i, NoteRef):
            used.add(i.id)
            if i.id not in defined:
                out.append(Diagnostic.make(L.UNKNOWN_FOOTNOTE, f"the letter marks footnote [^{i.id}], which is not "
                                           "defined under 'footnotes:'", i.span,
                                           help=_near(i.id, defined) or "add it under 'footnotes:'"))
    for f in letter.footnotes:
        if f.id not in used:
            out.append(Diagnostic.make(L.UNUSED_FOOTNOTE, f"footnote '{f.id}' is never marked in the letter",
                                       f.span, help=f"mark it with [^{f.id}] where it belongs, or delete it"))
    return out


# -- coverage --------------------------------------------------------------------------
def _unexplained(letter: Letter, changes: Changes, ix: _Index, explained: set[str],
                 srvs: set[str]) -> list[Diagnostic]:
    where = Location(file=letter.span.file, line=letter.span.line, col=letter.span.col)
    out: list[Diagnostic] = []
    for c in ix.changes:
        if c.id not in explained:
            out.append(Diagnostic.make(
                L.NOT_EXPLAINED, f"clause '{c.id}' ({c.new_number or c.old_number}) is {', '.join(c.kinds)} "
                f"between {changes.from_label} and {changes.to_label}, but no appendix explains it",
                replace(where, clause_id=c.id), help="select it in an appendix's 'amendments:' (by id, tag or SRV)"))
    for m in changes.matrix:
        if m.srv in srvs or explained.intersection(m.old_clauses) or explained.intersection(m.new_clauses):
            continue
        out.append(Diagnostic.make(
            L.NOT_EXPLAINED, f"the DMVESM cell SRV {m.srv} × '{m.device}' is {m.kind} "
            f"({', '.join(m.old_numbers) or '—'} → {', '.join(m.new_numbers) or '—'}), but no appendix explains it",
            where, help=f"select a clause of the cell, or SRV {m.srv}, in an appendix"))
    touched = {d for cid in explained for d in ix.by_id[cid].devices}
    touched |= {m for d in set(touched) for m in ix.members.get(d, ())}
    for e in changes.entities:
        if e.id not in touched:
            out.append(Diagnostic.make(
                L.NOT_EXPLAINED, f"{'Device Model' if e.entity == 'device' else 'group'} '{e.id}' is {e.kind}, "
                "but no explained amendment applies to it", where,
                help="select a clause that applies to it in an appendix"))
    return out
