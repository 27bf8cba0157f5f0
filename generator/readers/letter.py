"""Change letters (``content/letters/*.yaml``) → Letter, every problem located.

Narrative fields are a small Markdown subset, parsed here into blocks: paragraphs, ``#``
headings, ``-`` and ``1.`` lists; inline ``**strong**``, ``*emphasis*``, `` `code` ``,
``[^note]`` footnote marks and ``[[clause-id]]`` references
(``[[#clause-id]]`` for the bare number). Everything else is literal
text: HTML and template syntax print as written.
"""

from __future__ import annotations

import os
import re

from generator.diagnostics import Diagnostic
from generator.diagnostics.rules import letter as L
from generator.model import Span
from generator.model.letter import (
    Appendix,
    Block,
    ClauseRef,
    Consultation,
    Footnote,
    Heading,
    Letter,
    LInline,
    ListBlock,
    NoteRef,
    Para,
    Part,
    Person,
    Proposal,
    Run,
    Selected,
    Selection,
)
from generator.readers import yaml_nodes as Y

# The typed, located field access of the clause source reader (same findings, same wording).
from generator.readers.yaml_source import _Ctx

__all__ = ["parse_inline", "parse_markdown", "read_letter", "read_letters"]

LETTER_KEYS = {
    "against", "date", "reference", "sender", "addressee", "delivery", "salutation", "subject", "summary",
    "consultation", "body", "closing", "signatory", "footnotes", "appendices",
}
PERSON_KEYS = {"name", "role", "organisation", "address"}
CONSULTATION_KEYS = {"opened", "closed", "responses", "proposals", "concerns"}
PROPOSAL_KEYS = {"id", "title", "supported", "opposed"}
FOOTNOTE_KEYS = {"id", "text"}
APPENDIX_KEYS = {"id", "title", "narrative", "parts"}
PART_KEYS = {"heading", "narrative", "amendments", "quote"}
SELECT_KEYS = {"clauses", "tags", "srvs"}

_INLINE = re.compile(
    r"\[\^(?P<note>[A-Za-z0-9_.-]+)\]"
    r"|\[\[(?P<xref>[^\[\]\s|]+)\]\]"
    r"|\*\*(?P<strong>[^*\n]+?)\*\*"
    r"|(?<![\w*])\*(?P<emph>[^*\s](?:[^*\n]*?[^*\s])?)\*(?![\w*])"
    r"|`(?P<code>[^`\n]+)`"
)
_BULLET = re.compile(r"^\s{0,3}[-*]\s+(.*)$")
_ORDERED = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+(.*)$")
_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*#*\s*$")


def parse_inline(text: str, span: Span) -> tuple[LInline, ...]:
    out: list[LInline] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(Run(text=text[pos:m.start()]))
        if m.group("note"):
            out.append(NoteRef(id=m.group("note"), span=span))
        elif m.group("xref"):
            target = m.group("xref")
            bare = target.startswith("#")  # [[#id]]: the number alone
            out.append(ClauseRef(target=target[1:] if bare else target, bare=bare, span=span))
        else:
            style = next(k for k in ("strong", "emph", "code") if m.group(k) is not None)
            out.append(Run(text=m.group(style), style=style))
        pos = m.end()
    if pos < len(text):
        out.append(Run(text=text[pos:]))
    return tuple(out)


def parse_markdown(text: str, span: Span) -> tuple[Block, ...]:
    """The narrative subset as blocks; each line's span is counted from the field's start."""
    blocks: list[Block] = []
    para: list[str] = []
    items: list[str] = []
    ordered = False
    first = span.line + 1 if "\n" in text.strip() and span.line else span.line

    def at(i: int) -> Span:
        return Span(file=span.file, line=first + i if first else 0, col=1) if span.line else span

    start = [0]

    def flush() -> None:
        if para:
            blocks.append(Para(inlines=parse_inline(" ".join(para), at(start[0]))))
            para.clear()
        if items:
            blocks.append(ListBlock(ordered=ordered, items=tuple(parse_inline(x, at(start[0])) for x in items)))
            items.clear()

    for i, raw in enumerate(text.splitlines()):
        line = raw.rstrip()
        bullet, number, heading = _BULLET.match(line), _ORDERED.match(line), _HEADING.match(line)
        if not line.strip():
            flush()
        elif heading and not items:
            flush()
            blocks.append(Heading(level=len(heading.group(1)), inlines=parse_inline(heading.group(2), at(i))))
        elif bullet or number:
            kind = number is not None
            if para or (items and kind != ordered):
                flush()
            if not items:
                start[0] = i
            ordered = kind
            items.append((bullet or number).group(1).strip())  # type: ignore[union-attr]
        elif items and raw.startswith((" ", "\t")):
            items[-1] += " " + line.strip()
        else:
            if items:
                flush()
            if not para:
                start[0] = i
            para.append(line.strip())
    flush()
    return tuple(blocks)


class _LetterCtx(_Ctx):
    def markdown(self, m: Y.YMap, key: str, what: str) -> tuple[Block, ...]:
        value = self.text(m, key, what)
        return parse_markdown(value, m.items[key].span) if value else ()

    def count(self, m: Y.YMap, key: str, what: str) -> int:
        value = self.text(m, key, what)
        if value and not value.isdigit():
            self.add(L.BAD_LETTER_FIELD, f"'{key}' in {what} must be a whole number, not '{value}'", m.items[key].span)
            return 0
        return int(value or 0)

    def person(self, m: Y.YMap, key: str, what: str, *, required: tuple[str, ...]) -> Person:
        node = m.items.get(key)
        pm = self.mapping(node, f"'{key}' of {what}")
        if pm is None:
            if node is None and required:
                self.add(L.BAD_LETTER_FIELD, f"{what} has no '{key}'", m.span,
                         help=f"add '{key}:' with {', '.join(required)}")
            return Person()
        where = f"'{key}' of {what}"
        self.keys(pm, PERSON_KEYS, where)
        values = {k: self.text(pm, k, where) for k in ("name", "role", "organisation")}
        for k in required:
            if not values[k]:
                self.add(L.BAD_LETTER_FIELD, f"{where} has no '{k}'", pm.span, help=f"add '{k}:'")
        return Person(**values, address=tuple(v for v, _ in self.strings(pm, "address", where)))

    def selection(self, m: Y.YMap, what: str) -> Selection:
        sm = self.mapping(m.items.get("amendments"), f"the amendments of {what}")
        if sm is None:
            return Selection()
        where = f"the amendments of {what}"
        self.keys(sm, SELECT_KEYS, where)

        def picked(key: str) -> tuple[Selected, ...]:
            return tuple(Selected(value=v, span=s) for v, s in self.strings(sm, key, where, ident=True))

        sel = Selection(clauses=picked("clauses"), tags=picked("tags"), srvs=picked("srvs"), span=sm.span)
        if not sel:
            self.add(L.BAD_LETTER_FIELD, f"{where} selects nothing", sm.span,
                     help="list clause ids under 'clauses:', or name 'tags:' or 'srvs:'")
        return sel


def _appendix(ctx: _LetterCtx, node: Y.YNode, i: int) -> Appendix | None:
    am = ctx.mapping(node, f"appendix {i}")
    if am is None:
        return None
    aid = ctx.text(am, "id", f"appendix {i}", required=True) or chr(ord("A") + i - 1)
    what = f"appendix {aid}"
    ctx.keys(am, APPENDIX_KEYS, what)
    parts: list[Part] = []
    for j, pnode in enumerate(ctx.seq(am, "parts", what), start=1):
        pm = ctx.mapping(pnode, f"part {j} of {what}")
        if pm is None:
            continue
        pwhat = f"part {j} of {what}"
        ctx.keys(pm, PART_KEYS, pwhat)
        parts.append(Part(heading=ctx.text(pm, "heading", pwhat), narrative=ctx.markdown(pm, "narrative", pwhat),
                          select=ctx.selection(pm, pwhat), quote=ctx.flag(pm, "quote", pwhat), span=pm.span))
    return Appendix(id=aid, title=ctx.text(am, "title", what, required=True),
                    narrative=ctx.markdown(am, "narrative", what), parts=tuple(parts), span=am.span)


def read_letter(path: str, display: str) -> tuple[Letter | None, list[Diagnostic]]:
    ctx = _LetterCtx()
    m = ctx.mapping(Y.load_file(path, display, ctx.diags), display)
    if m is None:
        return None, ctx.diags
    what = display
    ctx.keys(m, LETTER_KEYS, f"the letter {display}")
    for key in ("date", "subject", "salutation"):
        if key not in m.items:
            ctx.add(L.BAD_LETTER_FIELD, f"the letter {display} has no '{key}'", m.span, help=f"add '{key}:'")
    consultation = Consultation()
    cm = ctx.mapping(m.items.get("consultation"), "the consultation")
    if cm is not None:
        ctx.keys(cm, CONSULTATION_KEYS, "the consultation")
        proposals = []
        for j, pnode in enumerate(ctx.seq(cm, "proposals", "the consultation"), start=1):
            pm = ctx.mapping(pnode, f"proposal {j}")
            if pm is None:
                continue
            ctx.keys(pm, PROPOSAL_KEYS, f"proposal {j}")
            proposals.append(Proposal(id=ctx.text(pm, "id", f"proposal {j}") or str(j),
                                      title=ctx.text(pm, "title", f"proposal {j}", required=True),
                                      supported=ctx.count(pm, "supported", f"proposal {j}"),
                                      opposed=ctx.count(pm, "opposed", f"proposal {j}"), span=pm.span))
        consultation = Consultation(
            opened=ctx.date(cm, "opened", "the consultation"), closed=ctx.date(cm, "closed", "the consultation"),
            responses=ctx.count(cm, "responses", "the consultation"), proposals=tuple(proposals),
            concerns=ctx.markdown(cm, "concerns", "the consultation"))
        for p in proposals:
            if p.supported + p.opposed > consultation.responses:
                ctx.add(L.BAD_LETTER_FIELD, f"proposal '{p.id}' counts {p.supported + p.opposed} responses, but "
                        f"the consultation received {consultation.responses}", p.span,
                        help="correct 'supported'/'opposed' or 'responses'")
    footnotes = []
    for j, fnode in enumerate(ctx.seq(m, "footnotes", what), start=1):
        fm = ctx.mapping(fnode, f"footnote {j}")
        if fm is None:
            continue
        ctx.keys(fm, FOOTNOTE_KEYS, f"footnote {j}")
        text = ctx.text(fm, "text", f"footnote {j}", required=True)
        footnotes.append(Footnote(id=ctx.text(fm, "id", f"footnote {j}", required=True),
                                  inlines=parse_inline(text, fm.span), span=fm.span))
    appendices = [a for i, n in enumerate(ctx.seq(m, "appendices", what), start=1)
                  if (a := _appendix(ctx, n, i)) is not None]
    letter = Letter(
        id=os.path.splitext(os.path.basename(path))[0],
        against=ctx.text(m, "against", what, ident=True),
        date=ctx.date(m, "date", what),
        reference=ctx.text(m, "reference", what),
        sender=ctx.person(m, "sender", what, required=("organisation",)),
        addressee=ctx.person(m, "addressee", what, required=("name", "organisation")),
        delivery=ctx.text(m, "delivery", what),
        salutation=ctx.text(m, "salutation", what),
        subject=ctx.text(m, "subject", what),
        summary=ctx.markdown(m, "summary", what),
        consultation=consultation,
        body=ctx.markdown(m, "body", what),
        closing=ctx.text(m, "closing", what) or "Yours sincerely",
        signatory=ctx.person(m, "signatory", what, required=("name",)),
        footnotes=tuple(footnotes),
        appendices=tuple(appendices),
        span=m.span,
    )
    return letter, ctx.diags


def read_letters(folder: str) -> tuple[tuple[Letter, ...], list[Diagnostic]]:
    """Every ``*.yaml`` letter in ``folder`` (sorted by name); none when the folder is absent."""
    if not os.path.isdir(folder):
        return (), []
    letters: list[Letter] = []
    diags: list[Diagnostic] = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".yaml", ".yml")):
            continue
        path = os.path.join(folder, name)
        letter, more = read_letter(path, os.path.relpath(path))
        diags += more
        if letter is not None:
            letters.append(letter)
    return tuple(letters), diags
