"""What a reviewed .docx amounts to: source edits against the clauses it was built from.

``absorb_document(base, doc, layout, anchors, taken)`` reads the reviewed document's paragraphs
(tracked changes already accepted by the reader) as clause blocks: a clause paragraph (a clause
style, or a bookmark of a clause), the section text paragraph under a section heading, and the
table after a clause. Each block is mapped to its clause by the bookmark `s1sr build` gave it, or,
where the bookmark was lost, by text similarity. Then:

* a mapped clause whose heading, text, table or "[Not used]" changed gives an amendment, its
  text turned back into markup: bold → ``**term**``, italic → ``*emphasis*``, a link that still
  shows a clause's number → ``[[id]]`` (a link lost where the words did not change is restored);
* a block no clause matches becomes a new clause with a generated id, at the level its style
  (or indent) gives, after the clause before it;
* a clause with no block left is removed; one under another parent, or out of its order among
  its siblings, is moved;
* comments and tracked changes are attributed to the clauses they are in.

Pure: no I/O. The merge with the source as it is now is :mod:`generator.passes.absorb_merge`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, Location, Rule
from generator.diagnostics.rules import absorb as R
from generator.model import (
    Clause,
    Emph,
    Inline,
    Project,
    Term,
    Xref,
    cite_map,
    plain_text,
    starts_after,
    walk,
    xref_text,
)
from generator.model.review import Edit, NewClause, Piece, ReviewedDocument, ReviewedParagraph
from generator.passes.numbering import reference_pattern

__all__ = ["Absorbed", "Layout", "absorb_document", "absorb_matrix", "display_runs", "markup", "table_text"]

_SIMILAR = 0.75
_STOP = frozenset("a an and any are as at be by each for from has have in is it its of on or shall "
                  "that the their this to which where who will with".split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Layout:
    """How the .docx writer lays clauses out: the paragraph style of each level, the style of a
    section's text, and what a [Not used] clause prints."""

    levels: tuple[str, ...]
    body: str
    not_used: str
    annex: str = ""  # the style of an annex's heading (a level-1 clause)


@dataclass
class _Block:
    paragraph: ReviewedParagraph
    level: int
    clause: str = ""  # the mapped clause id, or the generated id of a new clause
    new: bool = False
    body: list[ReviewedParagraph] = field(default_factory=list)  # a section's text paragraphs
    cells: list[ReviewedParagraph] = field(default_factory=list)  # its table's paragraphs
    parent: str = ""
    label: str = ""
    heading: str = ""
    runs: list[tuple[str, str]] = field(default_factory=list)  # the text as (text, style)
    not_used: bool = False

    @property
    def indexes(self) -> list[int]:
        return [self.paragraph.index, *(p.index for p in self.body), *(p.index for p in self.cells)]


@dataclass
class Absorbed:
    """The edits, in document order, and what the review list needs."""

    edits: list[Edit] = field(default_factory=list)
    diags: list[Diagnostic] = field(default_factory=list)
    where: dict[int, tuple[str, str]] = field(default_factory=dict)  # paragraph index → (clause id, number)
    new_ids: dict[str, str] = field(default_factory=dict)  # new clause id → number typed for it ("" none)
    authors: dict[str, dict[str, int]] = field(default_factory=dict)  # author → revision kind → count
    clause_authors: dict[str, list[str]] = field(default_factory=dict)


# -- inline text ----------------------------------------------------------------------------------
def display_runs(inlines: tuple[Inline, ...], numbers: Mapping[str, str],
                 cites: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """A clause's text as the .docx shows it: (text, style) with style "", "term", "emph" or
    "xref:ID" ("xref:#ID" for a bare number); trailing white space trimmed as the writer trims it."""
    runs: list[tuple[str, str]] = []
    start = True
    for node in inlines:
        if isinstance(node, Xref):
            piece = xref_text(node, numbers, cites, start=start)
            runs.append((piece, f"xref:{'#' if node.bare else ''}{node.target}"))
        else:
            piece = node.text
            runs.append((piece, "term" if isinstance(node, Term) else "emph" if isinstance(node, Emph) else ""))
        start = starts_after(start, piece)
    return _tidy(runs)


def _tidy(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neighbouring runs of one plain or formatted style joined, ends stripped."""
    out: list[tuple[str, str]] = []
    for text, style in runs:
        if not text:
            continue
        if out and out[-1][1] == style and not style.startswith("xref:"):
            out[-1] = (out[-1][0] + text, style)
        else:
            out.append((text, style))
    while out and not out[0][0].strip():
        out.pop(0)
    while out and not out[-1][0].strip():
        out.pop()
    if out:
        out[0] = (out[0][0].lstrip(), out[0][1])
        out[-1] = (out[-1][0].rstrip(), out[-1][1])
    return out


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _tokens(runs: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
    return [(m.group(), style, k) for k, (text, style) in enumerate(runs) for m in _TOKEN.finditer(text)]


def markup(runs: list[tuple[str, str]], base: list[tuple[str, str]], numbers: Mapping[str, str],
           by_number: Mapping[str, str]) -> tuple[str, list[str]]:
    """Edited ``runs`` as clause-source markup, and notes on links that no longer show a number.

    ``by_number`` maps what a cross-reference may show (a prose citation in lower case, "clause
    18.5", → the clause id; a bare number, "18.5", → "#" + the id) to the markup for it. Words the
    edit left as they were keep the base's cross-references even where the link itself was lost;
    a link whose text is now another clause's citation refers to that clause."""
    new, old = _tokens(runs), _tokens(base)
    styled = [(t, s, ("new", k)) for t, s, k in new]
    matcher = difflib.SequenceMatcher(None, [t for t, _, _ in old], [t for t, _, _ in new], autojunk=False)
    kept: dict[int, int] = {}  # base token → edited token, where the words are unchanged
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            kept.update({i1 + i: j1 + i for i in range(i2 - i1)})
    links: dict[int, list[int]] = {}
    for i, (_t, s, k) in enumerate(old):
        if s.startswith("xref:"):
            links.setdefault(k, []).append(i)
    for k, at in links.items():  # a whole cross-reference, word for word, now without its link
        if all(i in kept for i in at) and all(not styled[kept[i]][1] for i in at):
            for i in at:
                t, s, _ = old[i]
                styled[kept[i]] = (t, s, ("old", k))
    out: list[str] = []
    notes: list[str] = []
    groups: list[tuple[str, str]] = []
    last: tuple[str, tuple[str, int]] | None = None
    for t, s, key in styled:
        if (last is not None and (s, key) == last) or (groups and groups[-1][1] == s and not s.startswith("xref:")):
            groups[-1] = (groups[-1][0] + t, s)
        else:
            groups.append((t, s))
        last = (s, key)
    for text, style in groups:
        core = text.strip()
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        if style.startswith("xref:"):
            target = style[5:].lstrip("#")
            cited = by_number.get(core) or by_number.get(core.lower())
            if cited:
                out.append(f"{lead}[[{cited}]]{trail}")
            else:
                out.append(text)
                notes.append(f"the link to {numbers.get(target, target)} now reads '{core}'")
        elif style in ("term", "emph") and core and "*" not in core:
            mark = "**" if style == "term" else "*"
            out.append(f"{lead}{mark}{core}{mark}{trail}")
        else:
            out.append(text)
    return "".join(out), notes


def _merge(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neighbouring runs of one style as one (Word splits runs anywhere)."""
    out: list[tuple[str, str]] = []
    for text, style in runs:
        if out and out[-1][1] == style and text.strip():
            out[-1] = (out[-1][0] + text, style)
        elif text.strip() or not style:
            out.append((text, style))
    return out


def citations(numbers: Mapping[str, str], cites: Mapping[str, str]) -> dict[str, str]:
    """What a cross-reference may show → its markup target: a prose citation (lower case) →
    the id, a bare number → "#" + the id."""
    out = {n: f"#{cid}" for cid, n in numbers.items() if n}
    out.update({c.lower(): cid for cid, c in cites.items()})
    return out


def _plain(runs: list[tuple[str, str]]) -> str:
    return "".join(t for t, _ in runs)


def _rows_of(c: Clause) -> tuple[tuple[str, ...], ...]:
    """A clause's table as the .docx shows it: the header (when it has one), then the rows,
    every row as wide as the widest."""
    if c.table is None:
        return ()
    rows = ((c.table.header,) if c.table.header else ()) + c.table.rows
    width = max((len(r) for r in rows), default=0)
    return tuple(tuple(r) + ("",) * (width - len(r)) for r in rows)


def table_text(rows: tuple[tuple[str, ...], ...]) -> str:
    """A table as one comparable string: cells joined by tab, rows by newline, header first."""
    return "\n".join("\t".join(r) for r in rows)


# -- labels ----------------------------------------------------------------------------------------
_LABEL = re.compile(r"[ \u00a0]*(\([0-9A-Za-z]{1,8}\)|[0-9][0-9A-Za-z.()]{0,24})[ \u00a0]*(\t|[ \u00a0]+|$)")


def _split_label(runs: list[tuple[str, str]], patterns: list[re.Pattern[str]], known: str = ""
                 ) -> tuple[str, list[tuple[str, str]]]:
    """(the number printed or typed at the start, the runs after it): the clause's own label
    and a tab; any short text before a tab near the start ("Annex B", "B.1", "(ba)"); or a
    number in the form of the scheme's references, or in brackets, and a space."""
    text = _plain(runs)
    lead = len(text) - len(text.lstrip())
    body = text[lead:]
    if known and body.startswith(known + "\t"):
        return known, _drop(runs, lead + len(known) + 1)
    tab = body.find("\t")
    if 0 < tab <= 16 and body[:tab].count(" ") <= 1 and "\n" not in body[:tab]:
        return body[:tab].strip(), _drop(runs, lead + tab + 1)
    m = _LABEL.match(text, lead)
    if not m:
        return "", runs
    label = m.group(1)
    if not label.startswith("(") and not any(rx.fullmatch(label.rstrip(".")) for rx in patterns):
        return "", runs
    return label, _drop(runs, m.end())


def _drop(runs: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for text, style in runs:
        if n >= len(text):
            n -= len(text)
            continue
        out.append((text[n:], style))
        n = 0
    return out


# -- the pass ------------------------------------------------------------------------------------
def _runs(pieces: tuple[Piece, ...], anchors: Mapping[str, str]) -> list[tuple[str, str]]:
    out = []
    for p in pieces:
        target = anchors.get(p.link.lower(), "") if p.link else ""
        style = f"xref:{target}" if target else p.kind if p.kind in ("term", "emph", "heading") else ""
        out.append((p.text, style))
    return out


def _clause_style(p: ReviewedParagraph, layout: Layout) -> int:
    """1-based level of a clause paragraph style; 0 for any other style."""
    name = p.style.lower()
    if layout.annex and name == layout.annex.lower():
        return 1
    for i, s in enumerate(layout.levels, start=1):
        if name == s.lower():
            return i
    return 0


class _Absorber:
    def __init__(self, base: Project, doc: ReviewedDocument, layout: Layout, anchors: Mapping[str, str],
                 taken: set[str], parse: Callable[[str], tuple[Inline, ...]], front: Iterable[str] = ()) -> None:
        self.base = base
        self.front = set(front)
        self.read_markup = parse
        self.doc = doc
        self.layout = layout
        self.anchors = anchors
        self.taken = set(taken)
        self.clauses = {c.id: c for c in walk(base.document.sections)}
        self.order = {cid: i for i, cid in enumerate(self.clauses)}
        self.numbers = {cid: c.number for cid, c in self.clauses.items()}
        self.cites = cite_map(base.document)
        self.by_number = citations(self.numbers, self.cites)
        self.patterns = reference_pattern(base.document.scheme) if base.document.scheme.levels else []
        self.out = Absorbed()
        self.depth = max(len(base.document.scheme.levels), 1)
        # Indent (twips) of each level's style, as the document's own clause paragraphs show it.
        self.indents: dict[int, int] = {}
        for p in doc.paragraphs:
            lv = _clause_style(p, layout)
            if lv and lv not in self.indents:
                self.indents[lv] = p.style_indent

    def note(self, rule: Rule, message: str, _index: int = 0, clause: str = "") -> None:
        self.out.diags.append(Diagnostic.make(
            rule, message, Location(file=self.doc.file, clause_number=self.numbers.get(clause, ""),
                                    clause_id=clause)))

    # 1. paragraphs → blocks
    def blocks(self) -> list[_Block]:
        out: list[_Block] = []
        started = False
        before: list[ReviewedParagraph] = []
        for p in self.doc.paragraphs:
            if p.toc:
                continue
            bookmarked = [self.anchors[b.lower()] for b in p.bookmarks if b.lower() in self.anchors]
            level = _clause_style(p, self.layout)
            if not started and not level and not bookmarked:
                before.append(p)
                continue
            started = True
            if p.table:
                if out:
                    out[-1].cells.append(p)
                continue
            if not p.text.strip():
                continue  # an emptied paragraph: its clause, if it had one, is removed
            if level or bookmarked:
                if not level:
                    level = self.clauses[bookmarked[0]].level or self.depth
                out.append(_Block(paragraph=p, level=level))
                continue
            if out and not out[-1].cells and ((p.style.lower() == self.layout.body.lower() and
                                              (out[-1].level == 1 or self._headed(out[-1]))) or out[-1].body):
                out[-1].body.append(p)  # a heading's text, in a paragraph of its own under it
                continue
            out.append(_Block(paragraph=p, level=self._level_of(p, out[-1].level if out else 1)))
        self._outside(before)
        return out

    def _headed(self, b: _Block) -> bool:
        """The block's clause paragraph is a heading (its text goes in the paragraph below)."""
        return any(piece.kind == "heading" for piece in b.paragraph.pieces)

    def _level_of(self, p: ReviewedParagraph, previous: int) -> int:
        """The level of a paragraph without a clause style: the level whose style has its indent
        (the deeper one where two share it, unless it is an outline heading), else a sibling of
        the clause before it."""
        indent = p.indent if p.indent is not None else p.style_indent
        if indent <= 0:
            return max(previous, 2) if p.outline is None else 1
        same = [lv for lv, x in self.indents.items() if abs(x - indent) <= 60]
        if same:
            return min(same) if p.outline == 0 else max(same)
        if not self.indents:
            return previous
        return min(self.indents, key=lambda lv: abs(self.indents[lv] - indent))

    def _outside(self, before: list[ReviewedParagraph]) -> None:
        """The title page and contents come from document.yaml: report edits made there."""
        d = self.base.document
        known = {d.appendix, d.title, f"Version {d.version}", d.status.upper(), "Contents", "", *self.front}
        for p in before:
            text = p.text.strip()
            if text in known or re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", text):
                continue
            self.note(R.OUTSIDE_CLAUSES, f"paragraph {p.index} on the title page ('{text[:60]}') is not a clause "
                      "and is not taken back", p.index)

    # 2. each block's label, heading and text
    def parse(self, b: _Block, base: Clause | None) -> None:
        runs = _runs(b.paragraph.pieces, self.anchors)
        b.label, runs = _split_label(runs, self.patterns, base.label if base is not None else "")
        if b.body or (b.level == 1 and (base is None or base.heading or not base.text)):
            b.heading = _plain(runs).strip()
            runs = []
            for k, p in enumerate(b.body):
                if k:
                    runs.append(("\n", ""))
                runs += _runs(p.pieces, self.anchors)
        else:
            first = _plain(runs).find("\n")
            lead = runs[0] if runs else ("", "")
            if lead[1] == "heading":
                heading = []
                rest = list(runs)
                while rest and rest[0][1] == "heading" and "\n" not in rest[0][0]:
                    heading.append(rest.pop(0)[0])
                if rest and rest[0][0].startswith("\n"):
                    rest[0] = (rest[0][0][1:], rest[0][1])
                b.heading = "".join(heading).strip()
                runs = rest
            elif base is not None and base.heading and first >= 0 and _plain(runs)[:first].strip() == base.heading:
                b.heading = base.heading
                runs = _drop(runs, first + 1)
        runs = [(t, "" if s == "heading" else s) for t, s in runs]
        b.runs = _tidy(runs)
        if _plain(b.runs).strip() == self.layout.not_used and not b.heading:
            b.not_used = True
            b.runs = []

    # 3. blocks → clauses
    def match(self, blocks: list[_Block]) -> None:
        claimed: set[str] = set()
        for b in blocks:
            for name in b.paragraph.bookmarks:
                cid = self.anchors.get(name.lower())
                if cid and cid not in claimed:
                    b.clause = cid
                    claimed.add(cid)
                    break
        for b in blocks:
            self.parse(b, self.clauses.get(b.clause))
        loose = [b for b in blocks if not b.clause]
        if not loose:
            return
        free = [cid for cid in self.clauses if cid not in claimed]
        texts = {cid: self._base_text(cid) for cid in free}
        for b in loose:
            text = f"{b.heading} {_plain(b.runs)}".strip()
            best, score = "", 0.0
            for cid in free:
                if cid in claimed or not text:
                    continue
                other = texts[cid]
                sm = difflib.SequenceMatcher(None, text, other, autojunk=False)
                if sm.real_quick_ratio() < _SIMILAR or sm.quick_ratio() < _SIMILAR:
                    continue
                ratio = sm.ratio()
                if ratio > score:
                    best, score = cid, ratio
            if best and score >= _SIMILAR:
                b.clause = best
                claimed.add(best)
                self.parse(b, self.clauses[best])
                self.note(R.MATCHED_BY_TEXT, f"paragraph {b.paragraph.index} had lost its bookmark; taken as "
                          f"clause {self.numbers[best]} ({best}), {round(score * 100)}% alike",
                          b.paragraph.index, best)

    def _base_text(self, cid: str) -> str:
        c = self.clauses[cid]
        return f"{c.heading} {plain_text(c.text, self.numbers, self.cites).strip()}".strip()

    # 4. the tree the document now has
    def tree(self, blocks: list[_Block]) -> None:
        stack: list[_Block] = []
        for b in blocks:
            if b.level > len(stack) + 1:
                self.note(R.LEVEL_CLAMPED, f"paragraph {b.paragraph.index} is at level {b.level} directly under a "
                          f"level {len(stack)} clause; taken as level {len(stack) + 1}", b.paragraph.index, b.clause)
                b.level = len(stack) + 1
            del stack[b.level - 1:]
            if not b.clause:
                b.new = True
                b.clause = self._new_id(b, stack)
            b.parent = stack[-1].clause if stack else ""
            stack.append(b)

    def _new_id(self, b: _Block, stack: list[_Block]) -> str:
        words = [w for w in re.findall(r"[a-z0-9]+", (b.heading or _plain(b.runs)).lower()) if w not in _STOP][:4]
        prefix = ""
        if stack:
            head = stack[-1].clause.split("-")[0]
            prefix = f"{head}-" if 1 < len(head) <= 6 and head not in words[:1] else ""
        stem = (prefix + "-".join(words))[:40].strip("-") or "clause"
        cid, n = stem, 2
        while cid in self.taken or cid in self.clauses:
            cid, n = f"{stem}-{n}", n + 1
        self.taken.add(cid)
        return cid

    # 5. the edits
    def edits(self, blocks: list[_Block]) -> None:
        seen = {b.clause for b in blocks if not b.new}
        children: dict[str, list[_Block]] = {}
        for b in blocks:
            children.setdefault(b.parent, []).append(b)
        stay: set[str] = set()
        for parent, kids in children.items():
            old = [c.id for c in (self.clauses[parent].children if parent in self.clauses else
                                  self.base.document.sections if parent == "" else ())]
            now = [k.clause for k in kids if not k.new and self.clauses[k.clause].parent == parent]
            kept = [c for c in old if c in set(now)]
            sm = difflib.SequenceMatcher(None, kept, now, autojunk=False)
            for tag, i1, i2, _j1, _j2 in sm.get_opcodes():
                if tag == "equal":
                    stay.update(kept[i1:i2])
        for b in blocks:
            siblings = children[b.parent]
            at = siblings.index(b)
            after = siblings[at - 1].clause if at else ""
            authors = self._authors(b)
            where = f"{self.doc.file} paragraph {b.paragraph.index}"
            for index in b.indexes:
                self.out.where[index] = (b.clause, "" if b.new else self.numbers[b.clause])
            if b.new:
                rows = self._table(b)
                text, notes = markup(b.runs, [], self.numbers, self.by_number)
                self._notes(notes, b)
                self._verify(text, b)
                new = NewClause(id=b.clause, heading=b.heading, text=text, level=b.level, table=rows)
                self.out.edits.append(Edit(kind="insert", clause=b.clause, parent=b.parent, after=after,
                                           new_clause=new, authors=authors, where=where))
                self.out.new_ids[b.clause] = b.label
                self.note(R.NEW_CLAUSE, f"paragraph {b.paragraph.index} is a new clause: id '{b.clause}', level "
                          f"{b.level}, after {self.numbers.get(after, after) or 'the start'}", b.paragraph.index)
                continue
            c = self.clauses[b.clause]
            number = c.number
            if b.clause not in stay:
                self.out.edits.append(Edit(kind="move", clause=b.clause, parent=b.parent, after=after, number=number,
                                           authors=authors, where=where))
            if b.not_used != c.not_used:
                self.out.edits.append(Edit(kind="not_used", clause=b.clause, old=str(c.not_used).lower(),
                                           new=str(b.not_used).lower(), number=number, authors=authors, where=where))
            if b.not_used:
                continue
            if b.heading != c.heading:
                self.out.edits.append(Edit(kind="heading", clause=b.clause, old=c.heading, new=b.heading,
                                           number=number, authors=authors, where=where))
            base_runs = display_runs(c.text, self.numbers, self.cites)
            if b.runs != base_runs and not c.not_used:
                text, notes = markup(b.runs, base_runs, self.numbers, self.by_number)
                self._notes(notes, b)
                self._verify(text, b)
                if text != c.raw_text.strip():
                    self.out.edits.append(Edit(kind="text", clause=b.clause, old=c.raw_text, new=text, number=number,
                                               authors=authors, where=where))
            rows = self._table(b)
            old_rows = _rows_of(c)
            if (b.cells or c.table) and rows != old_rows:
                self.out.edits.append(Edit(kind="table", clause=b.clause, old=table_text(tuple(old_rows)),
                                           new=table_text(rows), number=number, authors=authors, where=where))
        for cid, c in self.clauses.items():
            if cid not in seen and (not c.parent or c.parent in seen):
                self.out.edits.append(Edit(kind="remove", clause=cid, old=c.raw_text, number=c.number,
                                           where=f"{self.doc.file}: clause {c.number}"))

    def _table(self, b: _Block) -> tuple[tuple[str, ...], ...]:
        if not b.cells:
            return ()
        first = b.cells[0].table
        grid: dict[int, dict[int, list[str]]] = {}
        for p in b.cells:
            if p.table != first:
                continue
            grid.setdefault(p.row, {}).setdefault(p.col, []).append(p.text.strip())
        width = max(max(cols) for cols in grid.values())
        return tuple(tuple("\n".join(grid[r].get(k, [])).strip() for k in range(1, width + 1)) for r in sorted(grid))

    def _verify(self, text: str, b: _Block) -> None:
        """The markup must read back as the paragraph reads (ABS106 where it cannot)."""
        back = display_runs(self.read_markup(text), self.numbers, self.cites)
        if " ".join(_plain(back).split()) != " ".join(_plain(b.runs).split()) or \
                [s for _, s in back if s in ("term", "emph")] != [s for t, s in _merge(b.runs) if s in ("term", "emph")]:
            self.note(R.INEXACT, f"paragraph {b.paragraph.index}: the edited text cannot be written exactly as "
                      f"clause-source markup; written as «{text[:80]}»", b.paragraph.index, "" if b.new else b.clause)

    def _notes(self, notes: list[str], b: _Block) -> None:
        for n in notes:
            self.note(R.LINK_TEXT_CHANGED, f"paragraph {b.paragraph.index}: {n}; kept as plain text",
                      b.paragraph.index, "" if b.new else b.clause)

    def _authors(self, b: _Block) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for p in [b.paragraph, *b.body, *b.cells]:
            for r in p.revisions:
                names.setdefault(r.author or "(unknown)", None)
        return tuple(names)

    def count_revisions(self) -> None:
        for p in self.doc.paragraphs:
            for r in p.revisions:
                kinds = self.out.authors.setdefault(r.author or "(unknown)", {})
                kinds[r.kind] = kinds.get(r.kind, 0) + 1


def absorb_document(base: Project, doc: ReviewedDocument, layout: Layout, anchors: Mapping[str, str],
                    taken: set[str], parse: Callable[[str], tuple[Inline, ...]], front: Iterable[str] = ()
                    ) -> Absorbed:
    """The edits ``doc`` makes to ``base`` (the numbered project it was built from).

    ``anchors`` maps bookmark names (lower case) to clause ids; ``taken`` holds ids a new clause
    must not get (those of the source as it is now); ``parse`` reads clause-source markup (the
    source reader's), to prove that the markup written reads back as the edited paragraph;
    ``front`` holds further lines the title page prints (edits elsewhere there are reported)."""
    a = _Absorber(base, doc, layout, anchors, taken, parse, front)
    blocks = a.blocks()
    a.match(blocks)
    a.tree(blocks)
    a.edits(blocks)
    a.count_revisions()
    for b in blocks:
        if b.clause:
            a.out.clause_authors[b.clause] = list(a._authors(b))
    return a.out


def absorb_matrix(base: Project, cells: list[tuple[str, str, str, tuple[str, ...], str]], file: str,
                  ) -> tuple[list[Edit], list[Diagnostic]]:
    """DMVESM cell edits as ``applies`` edits: ``cells`` are the workbook's (SRV, Device Model id,
    column label, numbers cited, cell) as read; the base's matrix is what it was built with."""
    numbers = {c.id: c.number for c in walk(base.document.sections)}
    by_number = {n: cid for cid, n in numbers.items() if n}
    devices = {d.id for d in base.devices}
    srvs = {s.number for s in base.srvs} | {m.srv for m in base.matrix}
    before: dict[tuple[str, str], set[str]] = {(m.srv, m.device): set(m.clauses) for m in base.matrix}
    after: dict[tuple[str, str], set[str]] = {}
    where: dict[tuple[str, str], str] = {}
    diags: list[Diagnostic] = []
    for srv, device, label, cited, cell in cells:
        ids: set[str] = set()
        for n in cited:
            if n in by_number:
                ids.add(by_number[n])
            else:
                diags.append(Diagnostic.make(
                    R.CELL_CITES_UNKNOWN, f"{cell} (SRV {srv}, {label}) cites {n}, which no clause of the document "
                    "has; that citation is not taken back", Location(file=file, cell=cell.rpartition("!")[2],
                                                                    sheet=cell.rpartition("!")[0])))
        key = (srv, device)
        if not device or srv not in srvs:
            if ids != before.get(key, set()):
                diags.append(Diagnostic.make(
                    R.CELL_UNKNOWN_DEVICE, f"{cell}: the column '{label}' names no Device Model of devices.yaml"
                    if not device else f"{cell}: SRV {srv} is not a DUIS SRV", Location(
                        file=file, cell=cell.rpartition("!")[2], sheet=cell.rpartition("!")[0])))
            continue
        if device not in devices:
            continue
        after.setdefault(key, set()).update(ids)
        where[key] = cell
    add: dict[str, list[tuple[str, str]]] = {}
    drop: dict[str, list[tuple[str, str]]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key, set()), after.get(key, set())
        for cid in new - old:
            add.setdefault(cid, []).append(key)
        for cid in old - new:
            drop.setdefault(cid, []).append(key)
    edits = [Edit(kind="applies", clause=cid, add=tuple(add.get(cid, ())), drop=tuple(drop.get(cid, ())),
                  number=numbers.get(cid, ""), where=", ".join(sorted({where.get(k, file) for k in
                                                                        add.get(cid, []) + drop.get(cid, [])})))
             for cid in sorted(set(add) | set(drop), key=lambda c: list(numbers).index(c) if c in numbers else 0)]
    return edits, diags
