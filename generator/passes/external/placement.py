"""Placing every displayed number in the numbering scheme: ``18.5`` read whole, ``(p)`` and
``(i)`` under the clause above them, the ambiguous ones decided by sequence, style and the next number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import external as R
from generator.model import NumberingLevel, NumberingScheme, counters
from generator.model.external import Paragraph, ReadClause, WordDocument
from generator.passes.external.devices import DeviceIndex, srv_mentions
from generator.passes.external.scheme import (
    Ordinal,
    _Matchers,
    _matchers,
    _ordinals,
    _ref,
    _scheme_summary,
    infer_scheme,
)

_NOT_USED = re.compile(r"(?i)^\[?\s*not\s+used\s*\]?\.?$")


# -- placing the displayed numbers ---------------------------------------------------------------
@dataclass(slots=True)
class _Open:
    number: str
    level: int
    last_child: Ordinal | None = None  # ordinal of the last child seen under this clause


@dataclass(frozen=True, slots=True)
class _Candidate:
    level: int
    ordinal: Ordinal
    token: str
    parents: tuple[str, ...] = ()  # absolute readings: the full references of every ancestor
    absolute: bool = False


@dataclass(slots=True)
class _Rec:
    number: str
    label: str
    level: int
    ordinal: Ordinal
    parent: str
    heading: str
    text: str
    paragraph: int
    plain: tuple[str, ...]
    table_text: list[str] = field(default_factory=list)
    marks: list[tuple[int, int, str, str]] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)

    def add_body(self, p: Paragraph) -> None:
        """An unnumbered paragraph after the clause: more of its text."""
        prefix = " ".join(x for x in (p.label, p.run_in) if x)
        piece = f"{prefix} {p.text}" if prefix else p.text
        if not piece:
            return
        at = len(self.text) + 1 if self.text else 0
        shift = at + (len(prefix) + 1 if prefix else 0)
        self.text = f"{self.text}\n{piece}" if self.text else piece
        self.marks.extend((a + shift, b + shift, k, v) for a, b, k, v in p.marks)
        self.anchors.extend(p.bookmarks)


@dataclass
class Placed:
    """The clauses found in a document, in document order, with the scheme used."""

    file: str
    clauses: tuple[ReadClause, ...]
    scheme: NumberingScheme
    diags: list[Diagnostic] = field(default_factory=list)
    tables: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # number → its table's rows
    devices: DeviceIndex | None = None  # the index the mentions were found with
    annex_from: int = -1  # index of the first clause in an annex (-1: no annexes)
    _runs: list[ListRun] | None = None
    _leads: dict[str, ReadClause] | None = None

    def by_number(self) -> dict[str, ReadClause]:
        out: dict[str, ReadClause] = {}
        for c in self.clauses:
            out.setdefault(c.number, c)
        return out

    def list_runs(self) -> list[ListRun]:
        if self._runs is None:
            self._runs = list_runs(self.clauses)
        return self._runs

    def lead_of(self) -> dict[str, ReadClause]:
        """Number of a clause numbered as a sibling of the list it belongs to → the list's lead-in."""
        if self._leads is None:
            self._leads = {x.number: r.lead for r in self.list_runs() for x in r.items}
        return self._leads


def _candidates(label: str, scheme: NumberingScheme, m: _Matchers) -> list[_Candidate]:
    lab = label.strip()
    for level in range(len(scheme.levels), 0, -1):
        fm = m.full[level - 1].fullmatch(lab)
        if fm:
            ords = _ordinals(scheme, fm.groups())
            if ords is not None and len(ords) == level:
                parents: list[str] = []
                ref = ""
                for k, o in enumerate(ords, start=1):
                    lv = scheme.levels[k - 1]
                    ref = _ref(scheme, k, ref, counters.token(o[0], o[1], lv.style, lv.insert))
                    parents.append(ref)
                return [_Candidate(level=level, ordinal=ords[-1], token=fm.groups()[-1], parents=tuple(parents),
                                   absolute=True)]
    out: list[_Candidate] = []
    for level, rx in enumerate(m.label, start=1):
        if rx is None:
            continue
        lm = rx.fullmatch(lab)
        if not lm:
            continue
        lv = scheme.levels[level - 1]
        split = counters.split_token(lm.group(1), lv.style, lv.insert)
        if split is not None:
            out.append(_Candidate(level=level, ordinal=split, token=lm.group(1)))
    return out


def _fit(o: Ordinal, prev: Ordinal | None, start: int, lv: NumberingLevel | None = None) -> int:
    """How well ``o`` follows ``prev`` (None: first of its list): 3 next in sequence, 2 an inserted
    number, 1 a gap or a wrong start, 0 backwards. With the level, insertions follow the
    numbering pass's own rule (after ``a`` comes ``ab``)."""
    if prev is None:
        return 3 if o == (start, 0) else (2 if o[0] == start else 0)
    if o == (prev[0] + 1, 0):
        return 3
    if o[0] == prev[0] and (o[1] == prev[1] + 1 or (
            lv is not None and o[1] == counters.next_suffix(prev[0], prev[1], lv.style, lv.insert))):
        return 2
    return 1 if o > prev else 0


class _Placer:
    def __init__(self, doc: WordDocument, scheme: NumberingScheme) -> None:
        self.doc = doc
        self.scheme = scheme
        m = _matchers(scheme)
        self.paras = doc.paragraphs
        seen: dict[str, list[_Candidate]] = {}  # a label reads the same wherever it is
        self.cands: list[list[_Candidate]] = []
        for p in self.paras:
            if not p.label:
                self.cands.append([])
                continue
            if p.label not in seen:
                seen[p.label] = _candidates(p.label, scheme, m)
            self.cands.append(seen[p.label])
        self.style_levels: dict[str, Counter[int]] = {}
        self.stack: list[_Open] = []
        self.top_last: Ordinal | None = None
        self.recs: list[_Rec] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.rows: dict[tuple[int, int], list[str]] = {}
        self.headings: dict[int, str] = {}  # unnumbered headings by outline level
        self.plain: tuple[str, ...] | None = ()  # their texts in level order; None: to be made again
        self.unplaced: list[Paragraph] = []

    def prev_sibling(self, level: int) -> Ordinal | None:
        if level == 1:
            return self.top_last
        return self.stack[level - 2].last_child if len(self.stack) >= level - 1 else None

    def score(self, c: _Candidate) -> int:
        if c.absolute:
            return 4
        if len(self.stack) < c.level - 1:
            return -1
        lv = self.scheme.levels[c.level - 1]
        return _fit(c.ordinal, self.prev_sibling(c.level), lv.start, lv)

    def continues(self, c: _Candidate, i: int) -> bool:
        """Whether the next numbered paragraph reads as the next sibling of ``c``."""
        for j in range(i + 1, min(i + 60, len(self.paras))):
            if self.paras[j].in_table or not self.cands[j]:
                continue
            return any(not n.absolute and n.level == c.level and _fit(n.ordinal, c.ordinal, 1) >= 2
                       for n in self.cands[j])
        return False

    def choose(self, i: int, p: Paragraph) -> _Candidate | None:
        cands = self.cands[i]
        if len(cands) == 1:  # most labels read one way: what the general case below gives for one
            if self.score(cands[0]) < 0:
                return None
            if p.style:
                self.style_levels.setdefault(p.style, Counter())[cands[0].level] += 1
            return cands[0]
        options = [(self.score(c), c) for c in cands]
        options = [(s, c) for s, c in options if s >= 0]
        if not options:
            return None
        best = max(s for s, _ in options)
        tied = [c for s, c in options if s == best]
        if len(tied) == 1:
            if p.style:
                self.style_levels.setdefault(p.style, Counter())[tied[0].level] += 1
            return tied[0]
        hint = self.style_levels.get(p.style) if p.style else None
        if hint:
            total = sum(hint.values())
            for c in tied:
                if hint[c.level] >= 2 and hint[c.level] >= 0.9 * total:
                    return c
        if p.style:
            # A level whose paragraphs have a style of their own, not this one, is not this paragraph's.
            other = [c for c in tied if self._own_style(c.level) not in ("", p.style)]
            if 0 < len(other) < len(tied):
                tied = [c for c in tied if c not in other]
        going = [c for c in tied if self.continues(c, i)]
        return min(going or tied, key=lambda c: c.level)

    def _own_style(self, level: int) -> str:
        """The style the paragraphs of ``level`` established (seen at least twice, nowhere else)."""
        for st, counts in self.style_levels.items():
            if counts[level] >= 2 and counts[level] == sum(counts.values()):
                return st
        return ""

    def table_cell(self, p: Paragraph) -> None:
        if not self.recs:
            return
        rec = self.recs[-1]
        key = (p.table, p.row)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = []
            self.tables.setdefault(rec.number, []).append(row)
        while len(row) < p.col:
            row.append("")
        text = f"{p.label} {p.text}".strip() if p.label else p.text
        row[p.col - 1] = f"{row[p.col - 1]}\n{text}".strip()
        rec.table_text.append(text)

    def run(self) -> list[_Rec]:
        for i, p in enumerate(self.paras):
            if p.in_table:
                self.table_cell(p)
                continue
            chosen = self.choose(i, p) if p.label else None
            if chosen is None:
                if p.label:
                    self.unplaced.append(p)
                if p.heading and not p.label:
                    self.headings = {k: v for k, v in self.headings.items() if k < p.heading}
                    self.headings[p.heading] = p.text
                    self.plain = None
                elif self.recs:
                    self.recs[-1].add_body(p)
                continue
            self.place(chosen, p)
        return self.recs

    def place(self, c: _Candidate, p: Paragraph) -> None:
        level = c.level
        if c.absolute:
            parent = c.parents[-2] if level > 1 else ""
            number = c.parents[-1]
            # Rebuild the open levels above from the number itself when they are not the clauses above.
            for k in range(1, level):
                if len(self.stack) < k or self.stack[k - 1].number != c.parents[k - 1]:
                    del self.stack[k - 1:]
                    self.stack.append(_Open(number=c.parents[k - 1], level=k))
        else:
            parent = self.stack[level - 2].number if level > 1 else ""
            number = _ref(self.scheme, level, parent, c.token)
        del self.stack[level - 1:]
        if level == 1:
            self.top_last = c.ordinal
        else:
            self.stack[level - 2].last_child = c.ordinal
        self.stack.append(_Open(number=number, level=level))
        heading, text = (p.text, "") if p.heading else (p.run_in, p.text)
        plain = self.plain
        if plain is None:  # the headings changed since the last clause (rarely: one tuple for them all)
            plain = self.plain = tuple(v for _, v in sorted(self.headings.items()))
        self.recs.append(_Rec(number=number, label=p.label, level=level, ordinal=c.ordinal, parent=parent,
                              heading=heading, text=text, paragraph=p.index, plain=plain,
                              marks=list(p.marks) if text else [], anchors=list(p.bookmarks)))


def _annexes_start(doc: WordDocument, scheme: NumberingScheme) -> int:
    """The index of the first paragraph that opens an annex ("Annex B" as the scheme's annex level
    labels it); len(paragraphs) when there is none."""
    if not scheme.annex:
        return len(doc.paragraphs)
    opens = _matchers(NumberingScheme(levels=scheme.annex[:1])).label[0]
    if opens is None:
        return len(doc.paragraphs)
    for i, p in enumerate(doc.paragraphs):
        if p.label and not p.in_table and opens.fullmatch(p.label.strip()):
            return i
    return len(doc.paragraphs)


def place_clauses(doc: WordDocument, scheme: NumberingScheme | None = None,
                  devices: DeviceIndex | None = None) -> Placed:
    """Every numbered paragraph as a clause: full reference, level, text, heading context, mentions.

    The body is placed in the scheme's levels; from the first annex on ("Annex B"), the annexes
    are placed in the scheme's annex levels (B.1, B.1a)."""
    scheme = scheme or infer_scheme(doc.paragraphs)
    split = _annexes_start(doc, scheme)
    placer = _Placer(replace(doc, paragraphs=doc.paragraphs[:split]), scheme)
    recs = placer.run()
    annex_from = -1
    if split < len(doc.paragraphs):
        annex_from = len(recs)
        annexes = _Placer(replace(doc, paragraphs=doc.paragraphs[split:]),
                          NumberingScheme(levels=scheme.annex))
        recs += annexes.run()
        placer.unplaced += annexes.unplaced
        placer.tables.update(annexes.tables)
    diags: list[Diagnostic] = []
    for p in placer.unplaced[:20]:
        diags.append(Diagnostic.make(
            R.UNPLACED_LABEL,
            f"paragraph {p.index} ('{_short(p.label + ' ' + p.text)}') starts with '{p.label}', which fits no level "
            f"of the numbering ({_scheme_summary(scheme)})",
            Location(file=doc.file), help="correct the number, or place the paragraph under the clause it belongs to"))
    if len(placer.unplaced) > 20:
        diags.append(Diagnostic.make(R.UNPLACED_LABEL, f"{len(placer.unplaced) - 20} more paragraphs start with a "
                                     "number that fits no level", Location(file=doc.file)))
    devices = devices or DeviceIndex()
    clauses = _finish(recs, devices)
    if not clauses:
        diags.append(Diagnostic.make(
            R.NO_CLAUSES, f"{doc.file}: no paragraph starts with a clause number ({_scheme_summary(scheme)}), so "
            "nothing can be checked", Location(file=doc.file), help="give the S1SR itself"))
    return Placed(file=doc.file, clauses=clauses, scheme=scheme, diags=diags, devices=devices, annex_from=annex_from,
                  tables={k: tuple(tuple(r) for r in v) for k, v in placer.tables.items()})


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


_Inherited = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # context, its SRVs, its Device Models


def _inherited(parent: ReadClause) -> _Inherited:
    """What a clause inherits from its parent: what is above the parent, then the parent itself
    (its mentions were found once, with it)."""
    return ((*parent.context, *(x for x in (parent.heading, parent.text) if x)),
            _union(parent.context_srvs, parent.srvs), _union(parent.context_devices, parent.devices))


def _union(above: tuple[str, ...], own: tuple[str, ...]) -> tuple[str, ...]:
    """``tuple(dict.fromkeys((*above, *own)))``, where ``above`` holds each once (it was made so):
    ``above`` itself when ``own`` adds nothing, as it mostly does not (a context that names
    every ESME holds hundreds of ids, and every clause under it would copy them)."""
    if not own:
        return above
    return tuple(dict.fromkeys((*above, *own)))


def _inherit(plain: tuple[str, ...], parent: ReadClause | None, from_parent: dict[int, _Inherited],
             plain_mentions: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], devices: DeviceIndex) -> _Inherited:
    """What a clause under ``parent``, below the unnumbered headings ``plain``, inherits."""
    up: _Inherited = ((), (), ())
    if parent is not None:
        up = from_parent.get(id(parent)) or from_parent.setdefault(id(parent), _inherited(parent))
    if not plain:
        return up
    ctx_srvs: dict[str, None] = {}
    ctx_devs: dict[str, None] = {}
    for h in plain:
        if h not in plain_mentions:
            plain_mentions[h] = (srv_mentions(h), devices.mentions(h))
        ctx_srvs.update(dict.fromkeys(plain_mentions[h][0]))
        ctx_devs.update(dict.fromkeys(plain_mentions[h][1]))
    own = list(plain)
    above = parent.context if parent is not None else ()
    context = (*own, *(x for x in above if x not in own), *up[0][len(above):])
    ctx_srvs.update(dict.fromkeys(up[1]))
    ctx_devs.update(dict.fromkeys(up[2]))
    return context, tuple(ctx_srvs), tuple(ctx_devs)


def _finish(recs: list[_Rec], devices: DeviceIndex) -> tuple[ReadClause, ...]:
    out: list[ReadClause] = []
    by_number: dict[str, ReadClause] = {}
    plain_mentions: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    # Siblings share their parent's context: worked out once per parent, shared as tuples (a
    # context that names every ESME holds hundreds of ids).
    from_parent: dict[int, _Inherited] = {}
    # What a clause inherits depends only on its parent and the unnumbered headings above it: the
    # same for a run of siblings, made once for them all.
    shared: dict[tuple[int, tuple[str, ...]], _Inherited] = {}
    for r in recs:
        text = r.text
        parent = by_number.get(r.parent)
        key = (id(parent), r.plain)
        inherited = shared.get(key)
        if inherited is None:
            inherited = shared[key] = _inherit(r.plain, parent, from_parent, plain_mentions, devices)
        mention_text = " ".join((r.heading, text, *r.table_text))
        c = ReadClause(
            number=r.number, label=r.label, level=r.level, ordinal=r.ordinal, parent=r.parent, text=text,
            heading=r.heading, context=inherited[0], srvs=srv_mentions(mention_text),
            devices=devices.mentions(mention_text), paragraph=r.paragraph,
            not_used=bool(_NOT_USED.match(text)) and not r.heading,
            context_srvs=inherited[1], context_devices=inherited[2],
            marks=tuple(r.marks), anchors=tuple(r.anchors),
        )
        out.append(c)
        by_number.setdefault(c.number, c)
    return tuple(out)


_LEAD_IN = re.compile(r"(?i)(:\s*-?\s*$|\bthe following\b[^.;:\n]*$|\bas follows\b[^.;:\n]*$|\bfollowing\s*:?\s*$)")


_ITEM_END = re.compile(r"(?i)(;|;\s*(and|or)|,\s*(and|or))\s*$")


@dataclass(frozen=True, slots=True)
class ListRun:
    """A clause introducing a list, and the siblings after it that read as the list's items."""

    lead: ReadClause
    items: tuple[ReadClause, ...]
    later: tuple[ReadClause, ...]  # the siblings after the items, whose numbers moved


def _is_lead_in(c: ReadClause) -> bool:
    tail = c.text[-160:].rstrip()
    if not tail:
        return False
    if tail[-1] == ":" or tail.endswith(":-"):
        return True
    return "follow" in tail.lower() and bool(_LEAD_IN.search(tail))


def _item_like(c: ReadClause) -> bool:
    t = c.text.strip()
    return bool(t) and not c.heading and (bool(_ITEM_END.search(t)) or t[0].islower())


def list_runs(clauses: Sequence[ReadClause]) -> list[ListRun]:
    """The 18.5 pattern: a clause ends by introducing a list, has no children, and the siblings
    that follow read as list items (they start in lower case or end with ';', '; and', '; or')."""
    siblings: dict[tuple[str, int], list[int]] = {}
    for i, c in enumerate(clauses):
        siblings.setdefault((c.parent, c.level), []).append(i)
    out: list[ListRun] = []
    for i, c in enumerate(clauses):
        if not _is_lead_in(c) or i + 1 >= len(clauses):
            continue
        nxt = clauses[i + 1]
        if nxt.level != c.level or nxt.parent != c.parent:
            continue  # it has children (or the section ends): the list is where it should be
        sibs = siblings[(c.parent, c.level)]
        pos = sibs.index(i)
        items: list[ReadClause] = []
        for k in sibs[pos + 1:]:
            y = clauses[k]
            prev_joins = bool(items) and bool(re.search(r"(?i)\b(and|or)\s*$", items[-1].text.strip()))
            if _item_like(y) or (prev_joins and not y.heading):
                items.append(y)
                if prev_joins and not _item_like(y):
                    break
                if y.text.rstrip().endswith("."):
                    break
            else:
                break
        if items:
            later = tuple(clauses[k] for k in sibs[pos + 1 + len(items):])
            out.append(ListRun(lead=c, items=tuple(items), later=later))
    return out
