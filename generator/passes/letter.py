"""Letters against the diff: fill each appendix's amendment rows and every count the letter ties
to a selector, and report what no appendix explains (warning), what a letter claims that the diff
does not contain (error) and every typed number that disagrees with its count (warning)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.core import Rule
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
from generator.model.diff import REFERENCES, RENUMBERED, VACATED, Changes, ClauseChange
from generator.model.letter import (
    AmendmentRow,
    Appendix,
    Block,
    ClauseRef,
    Count,
    Heading,
    Letter,
    Link,
    LInline,
    ListBlock,
    NoteRef,
    Para,
    Part,
    Run,
    Selection,
)
from generator.model.numbers import in_words, parse_count

if TYPE_CHECKING:
    from generator.model.consultation import Consultation

__all__ = ["ChangeIndex", "Filler", "explain_changes", "letter_inlines", "select_rows", "substantive", "version_label",
           "versions_match"]

_LINK = re.compile(r"(?:https?://[^\s\"'<>\\`]+|mailto:[^\s\"'<>\\`/]+@[^\s\"'<>\\`]+)")

_SUMMARY_WORDS = 14


def substantive(c: ClauseChange) -> bool:
    """A change someone decided (not just a cross-reference printing a new number)."""
    return any(k != REFERENCES for k in c.kinds)


def amends_a_clause(c: ClauseChange) -> bool:
    """A change to a clause, not a number left [Not used] by one: the tables list both, the
    letter's counts count clauses."""
    return any(k != VACATED for k in c.kinds)


def version_label(project: Project, label: str) -> str:
    """How a letter names a version: a release name as is, the draft as ``v<version>``."""
    return label if label and label != "draft" else f"v{project.document.version}"


def versions_match(name: str, version: str) -> bool:
    """Whether the release name ``name`` (``v13``) names the document version ``version`` (``13.0``)."""
    def parts(text: str) -> list[str]:
        bits = text.strip().lower().removeprefix("v").split(".")
        while len(bits) > 1 and bits[-1].strip("0") == "":
            bits.pop()
        return bits

    return bool(name and version) and parts(name) == parts(version)


class ChangeIndex:
    """What a comparison changed, indexed for selections and counts."""

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
        self.members = {**old.group_members, **new.group_members}
        # Releases designated before the one compared from: where a renumbered clause may have
        # taken back an earlier number ("reference restored to version 11").
        ordered = sorted(old.releases, key=lambda r: (r.date, r.name))
        start = next((i for i, r in enumerate(ordered) if r.name == changes.from_label), 0)
        self.history = [(r.version, {c.id: c for c in r.clauses}) for r in reversed(ordered[:start])]


def _near(name: str, candidates: Iterable[str]) -> str:
    near = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return f"did you mean '{near[0]}'?" if near else ""


def explain_changes(letter: Letter, changes: Changes, old: Project, new: Project,
                    consultation: Consultation | None = None) -> tuple[Letter, list[Diagnostic]]:
    """The letter with every appendix's rows and every tied count filled from ``changes``
    (``old`` → ``new``) and ``consultation`` (already resolved against the same comparison), and
    the findings."""
    ix = ChangeIndex(old, new, changes)
    diags: list[Diagnostic] = []
    explained: set[str] = set()
    selected_srvs: set[str] = set()
    appendices: list[Appendix] = []
    fill = Filler(ix, consultation, diags)
    for a in letter.appendices:
        parts: list[Part] = []
        for p in a.parts:
            rows = select_rows(p.select, ix, diags)
            explained.update(r.clause_id for r in rows)
            selected_srvs.update(s.value for s in p.select.srvs)
            parts.append(replace(p, rows=rows, heading=fill.inlines(p.heading), narrative=fill.blocks(p.narrative)))
        appendices.append(replace(a, parts=tuple(parts), title=fill.inlines(a.title),
                                  narrative=fill.blocks(a.narrative)))
    out = replace(
        letter, appendices=tuple(appendices), subject=fill.inlines(letter.subject),
        summary=fill.blocks(letter.summary), body=fill.blocks(letter.body), concerns=fill.blocks(letter.concerns),
        enclosures=tuple(fill.inlines(e) for e in letter.enclosures),
        footnotes=tuple(replace(f, inlines=fill.inlines(f.inlines)) for f in letter.footnotes),
        consultation=consultation,
        from_label=version_label(old, changes.from_label),
        to_label=letter.version or version_label(new, changes.to_label),
    )
    diags += _footnotes(out)
    diags += _unexplained(letter, changes, ix, explained, selected_srvs)
    return out, diags


# -- selections ------------------------------------------------------------------------
def select_rows(sel: Selection, ix: ChangeIndex, diags: list[Diagnostic], *,
                unknown_clause: Rule = L.UNKNOWN_CLAUSE, unknown_selector: Rule = L.UNKNOWN_SELECTOR,
                unchanged: Rule | None = L.CLAIMS_UNCHANGED, who: str = "the letter") -> tuple[AmendmentRow, ...]:
    """The amendment rows ``sel`` selects (by clause id, tag or SRV), in document order."""
    picked: dict[str, None] = {}
    for s in sel.clauses:
        if s.value not in ix.old and s.value not in ix.new:
            diags.append(Diagnostic.make(unknown_clause, f"{who} selects clause '{s.value}', which is in "
                                         "neither version", s.span, help=_near(s.value, {*ix.old, *ix.new})))
        elif s.value not in ix.by_id:
            if unchanged is not None:
                diags.append(Diagnostic.make(
                    unchanged, f"{who} lists clause '{s.value}' ({ix.numbers[s.value]}) as amended, "
                    "but it did not change", s.span, help="remove it from 'clauses:', or amend it in the source"))
        else:
            picked.setdefault(s.value, None)
    for s in sel.tags:
        if s.value not in ix.tags:
            diags.append(Diagnostic.make(unknown_selector, f"no clause carries the tag '{s.value}'", s.span,
                                         help=_near(s.value, ix.tags) or "check the clause tags in the source"))
            continue
        hits = [c.id for c in ix.changes if s.value in c.tags]
        if not hits and unchanged is not None:
            diags.append(Diagnostic.make(unchanged, f"no changed clause carries the tag '{s.value}'",
                                         s.span, help="remove the tag from the selection"))
        picked.update(dict.fromkeys(hits))
    for s in sel.srvs:
        if ix.srvs and s.value not in ix.srvs:
            diags.append(Diagnostic.make(unknown_selector, f"SRV {s.value} is not a DUIS SRV", s.span,
                                         help=_near(s.value, ix.srvs)))
            continue
        hits = [c.id for c in ix.changes if s.value in c.srvs]
        if not hits and unchanged is not None:
            diags.append(Diagnostic.make(unchanged, f"no changed clause applies to SRV {s.value}",
                                         s.span, help="remove the SRV from the selection"))
        picked.update(dict.fromkeys(hits))
    # The numbers a selected clause left [Not used] go with it, at their own places.
    picked.update(dict.fromkeys(c.id for c in ix.changes if c.vacated_by and c.vacated_by in picked))
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
    if c.vacated_by:
        now = numbers.get(c.vacated_by, "")
        return f"[Not used] (its text is now {now})" if now and now != c.number else "[Not used]"
    if c.heading:
        return c.heading
    words = plain_text(c.text, numbers, cites).split()
    return " ".join(words[:_SUMMARY_WORDS]) + (" …" if len(words) > _SUMMARY_WORDS else "")


def _applies(c: Clause, ix: ChangeIndex) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """SRVs and Device Models of ``c``, else of the nearest clause above it that names some: an
    item of 18.5p describes 18.5p's variation."""
    seen: set[str] = set()
    at: Clause | None = c
    while at is not None and at.id not in seen:
        if at.applies_to:
            return at.srvs(), tuple(dict.fromkeys(d for a in at.applies_to for d in a.devices))
        seen.add(at.id)
        at = ix.new.get(at.parent) or ix.old.get(at.parent) if at.parent else None
    return (), ()


def _restored(ch: ClauseChange, ix: ChangeIndex) -> str:
    """The version whose number a renumbered clause takes back, or ""."""
    if RENUMBERED not in ch.kinds or not ch.new_number:
        return ""
    for version, clauses in ix.history:
        was = clauses.get(ch.id)
        if was is not None and was.number == ch.new_number and not was.not_used:
            return version
    return ""


def _row(ch: ClauseChange, ix: ChangeIndex) -> AmendmentRow:
    current = ix.new.get(ch.id)
    source = current if current is not None and not current.not_used else ix.old.get(ch.id, current)
    assert source is not None
    srvs, device_ids = ch.srvs, ch.devices
    if not srvs and not device_ids:
        srvs, device_ids = _applies(source, ix)
    devices = tuple(ix.groups.get(d) or ix.devices.get(d, d) for d in device_ids)
    parent = ix.new.get(current.parent) if current is not None and current.parent else None
    return AmendmentRow(
        clause_id=ch.id, number=ch.new_number or ch.old_number, old_number=ch.old_number, new_number=ch.new_number,
        kinds=ch.kinds, declared=ch.declared, restored=_restored(ch, ix),
        parent_number=parent.number if parent is not None else "",
        summary=_summary(source, ix.numbers, ix.cites), srvs=srvs, devices=devices,
        text=_printed(current.text, ix.numbers, ix.cites) if current is not None and not current.not_used else (),
        table=current.table if current is not None and not current.not_used else None,
    )


# -- narrative -------------------------------------------------------------------------
class Filler:
    """Fills clause numbers and counts into narrative, and checks links and typed counts."""

    def __init__(self, ix: ChangeIndex, consultation: Consultation | None, diags: list[Diagnostic]) -> None:
        self.ix, self.consultation, self.diags = ix, consultation, diags

    def inlines(self, inlines: tuple[LInline, ...]) -> tuple[LInline, ...]:
        out: list[LInline] = []
        for i in inlines:
            if isinstance(i, ClauseRef):
                if i.target not in self.ix.numbers:
                    self.diags.append(Diagnostic.make(
                        L.UNKNOWN_CLAUSE_REF, f"the letter cites [[{i.target}]], which is not a clause id", i.span,
                        help=_near(i.target, self.ix.numbers) or "check the id"))
                shown = xref_text(Xref(target=i.target, bare=i.bare), self.ix.numbers, self.ix.cites,
                                  start=_sentence_start(out))
                out.append(replace(i, number=shown))
            elif isinstance(i, Count):
                out.append(self.count(i, starts_sentence=_sentence_start(out)))
            elif isinstance(i, Link):
                if not _LINK.fullmatch(i.url):
                    self.diags.append(Diagnostic.make(
                        L.BAD_LINK, f"the link '{i.url}' is not a web or mail address", i.span,
                        help="link to an https:// (or mailto:) address"))
                    out.append(Run(text=i.text))
                else:
                    out.append(i)
            else:
                out.append(i)
        return tuple(out)

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for b in blocks:
            if isinstance(b, ListBlock):
                out.append(replace(b, items=tuple(self.inlines(it) for it in b.items)))
            else:
                out.append(replace(b, inlines=self.inlines(b.inlines)))
        return tuple(out)

    def count(self, c: Count, *, starts_sentence: bool) -> Count:
        value, problem, known = _counted(c.selector, self.ix, self.consultation)
        if value is None:
            self.diags.append(Diagnostic.make(L.UNKNOWN_COUNT, f"the letter counts '{c.selector}': {problem}",
                                              c.span, help=known))
            return replace(c, text=c.said or c.selector)
        if not c.said:
            words = in_words(value)
            return replace(c, value=value, text=words[:1].upper() + words[1:] if starts_sentence else words)
        said = parse_count(c.said)
        if said is None:
            self.diags.append(Diagnostic.make(
                L.COUNT_NOT_A_NUMBER, f"'{c.said}' in [{c.said}]{{{c.selector}}} is not a number", c.span,
                help=f"write the number ({in_words(value)}), or leave the brackets empty to print it"))
        elif said != value:
            self.diags.append(Diagnostic.make(
                L.COUNT_MISMATCH, f"the letter says {c.said} for '{c.selector}', which counts {value}", c.span,
                help=f"write {in_words(value)}, or [] to print the count"))
        return replace(c, value=value, text=c.said)


def _sentence_start(before: list[LInline]) -> bool:
    """Whether what precedes an inline ends a sentence (or nothing precedes it); a letter's
    paragraph is short, so joining it again is cheap."""
    return starts_after(True, "".join(i.text if isinstance(i, Run | Link | Count) else i.number
                                      if isinstance(i, ClauseRef) else "" for i in before))


_COUNT_KINDS = ("tag:", "srv:", "part:", "amendments", "responses", "responses:", "supported:", "opposed:",
                "no-view:")


def _counted(selector: str, ix: ChangeIndex, consultation: Consultation | None) -> tuple[int | None, str, str]:
    """(count, problem, hint) for a count selector; the count is None when it cannot be made."""
    kind, _, arg = selector.partition(":")
    if kind == "amendments" and not arg:
        return sum(1 for c in ix.changes if amends_a_clause(c)), "", ""
    if kind == "tag" and arg:
        if arg not in ix.tags:
            return None, f"no clause carries the tag '{arg}'", _near(arg, ix.tags) or "check the clause tags"
        return sum(arg in c.tags for c in ix.changes), "", ""
    if kind == "srv" and arg:
        if ix.srvs and arg not in ix.srvs:
            return None, f"SRV {arg} is not a DUIS SRV", _near(arg, ix.srvs)
        return sum(arg in c.srvs for c in ix.changes), "", ""
    if kind in ("part", "responses", "supported", "opposed", "no-view"):
        if consultation is None:
            return None, "the letter names no consultation", "name one with 'consultation: id:'"
        if kind == "responses" and not arg:
            return consultation.responses, "", ""
        part = consultation.part(arg)
        if part is None:
            known = [p.id for p in consultation.parts]
            return None, f"the consultation has no part '{arg}'", _near(arg, known) or f"parts: {', '.join(known)}"
        t = part.tally
        return {"part": t.clauses, "responses": t.answered, "supported": t.supported, "opposed": t.opposed,
                "no-view": t.no_view}[kind], "", ""
    return None, "the tool does not know how to count that", f"counts: {', '.join(_COUNT_KINDS)}"


def letter_inlines(letter: Letter) -> Iterator[LInline]:
    """Every inline of the letter that prints in its text, in reading order (footnote bodies
    excluded)."""
    def of(blocks: tuple[Block, ...]) -> Iterator[LInline]:
        for b in blocks:
            if isinstance(b, ListBlock):
                for it in b.items:
                    yield from it
            elif isinstance(b, Para | Heading):
                yield from b.inlines

    yield from letter.subject
    yield from of(letter.summary)
    yield from of(letter.concerns)
    yield from of(letter.body)
    for e in letter.enclosures:
        yield from e
    for a in letter.appendices:
        yield from a.title
        yield from of(a.narrative)
        for p in a.parts:
            yield from p.heading
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
        for i in f.inlines:
            if isinstance(i, NoteRef):
                out.append(Diagnostic.make(L.NOTE_IN_NOTE, f"footnote '{f.id}' marks footnote [^{i.id}]", f.span,
                                           help="fold the second note into the first, or mark it in the letter"))
        if f.id not in used:
            out.append(Diagnostic.make(L.UNUSED_FOOTNOTE, f"footnote '{f.id}' is never marked in the letter",
                                       f.span, help=f"mark it with [^{f.id}] where it belongs, or delete it"))
    return out


# -- coverage --------------------------------------------------------------------------
def _unexplained(letter: Letter, changes: Changes, ix: ChangeIndex, explained: set[str],
                 srvs: set[str]) -> list[Diagnostic]:
    where = Location(file=letter.span.file, line=letter.span.line, col=letter.span.col)
    out: list[Diagnostic] = []
    for c in ix.changes:
        if c.id not in explained and c.vacated_by not in explained:
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
