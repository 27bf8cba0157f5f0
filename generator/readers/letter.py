"""Change letters (``content/letters/*.yaml``) → Letter, every problem located.

Narrative fields are a small Markdown subset, parsed here into blocks: paragraphs, ``#``
headings, ``-`` and ``1.`` lists; inline ``**strong**``, ``*emphasis*``, `` `code` ``,
``[^note]`` footnote marks, ``[[clause-id]]`` references (``[[#clause-id]]`` for the bare
number), ``[text](https://…)`` and ``<https://…>`` links, and ``[six]{tag:…}`` counts tied to
what the tool can count. Everything else is literal text: HTML and template syntax print as
written.
"""

from __future__ import annotations

import os
import re
import stat
import struct

from generator.diagnostics import Diagnostic
from generator.diagnostics.core import Rule
from generator.diagnostics.rules import letter as L
from generator.diagnostics.rules import safety as S
from generator.model import Span
from generator.model.letter import (
    Appendix,
    Block,
    ClauseRef,
    Count,
    Footnote,
    Heading,
    Image,
    Letter,
    Link,
    LInline,
    ListBlock,
    NoteRef,
    Para,
    Part,
    Person,
    Run,
    Selected,
    Selection,
)
from generator.model.names import name_problem, printable
from generator.readers import yaml_nodes as Y
from generator.readers.files import inside
from generator.readers.inline import LETTER_MARKUP, scan

# The typed, located field access of the clause source reader (same findings, same wording).
from generator.readers.yaml_source import _Ctx

__all__ = ["parse_inline", "parse_markdown", "read_letter", "read_letters", "read_signature"]

LETTER_KEYS = {
    "version", "against", "date", "reference", "sender", "addressee", "delivery", "salutation", "subject",
    "summary", "consultation", "body", "closing", "signatory", "signature", "enclosures", "cc", "footnotes",
    "appendices",
}
PERSON_KEYS = {"name", "role", "organisation", "address"}
CONSULTATION_KEYS = {"id", "concerns"}
# What letters once typed and the consultation's responses now count.
_COUNTED_NOW = ("opened", "closed", "responses", "proposals")
FOOTNOTE_KEYS = {"id", "text"}
APPENDIX_KEYS = {"id", "title", "narrative", "parts"}
PART_KEYS = {"heading", "narrative", "amendments", "quote"}
SELECT_KEYS = {"clauses", "tags", "srvs"}

_BULLET = re.compile(r"^\s{0,3}[-*]\s+(.*)$")
_ORDERED = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+(.*)$")
_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*#*\s*$")


def parse_inline(text: str, span: Span) -> tuple[LInline, ...]:
    """Letter text as inline nodes, with the clause text's grammar plus notes and code."""
    out: list[LInline] = []
    for kind, content, _written, label in scan(text, LETTER_MARKUP):
        if kind == "note":
            out.append(NoteRef(id=content, span=span))
        elif kind == "xref":
            bare = content.startswith("#")  # [[#id]]: the number alone
            out.append(ClauseRef(target=content[1:] if bare else content, bare=bare, span=span))
        elif kind == "count":
            out.append(Count(selector=content, said=label.strip(), span=span))
        elif kind == "url":
            out.append(Link(text=label, url=content, span=span))
        elif kind == "auto":
            out.append(Link(text=content.removeprefix("mailto:"), url=content, span=span))
        else:
            out.append(Run(text=content, style=kind))
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

    def inlines(self, m: Y.YMap, key: str, what: str, *, required: bool = False) -> tuple[LInline, ...]:
        value = self.text(m, key, what, required=required)
        return parse_inline(value, m.items[key].span) if value else ()

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

    def selection(self, m: Y.YMap, what: str, key: str = "amendments", rule: Rule = L.BAD_LETTER_FIELD) -> Selection:
        where = f"the {key} of {what}" if key == "amendments" else f"'{key}' of {what}"
        sm = self.mapping(m.items.get(key), where)
        if sm is None:
            return Selection()
        self.keys(sm, SELECT_KEYS, where)

        def picked(key: str) -> tuple[Selected, ...]:
            return tuple(Selected(value=v, span=s) for v, s in self.strings(sm, key, where, ident=True))

        sel = Selection(clauses=picked("clauses"), tags=picked("tags"), srvs=picked("srvs"), span=sm.span)
        if not sel:
            self.add(rule, f"{where} selects nothing", sm.span,
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
        parts.append(Part(heading=ctx.inlines(pm, "heading", pwhat), narrative=ctx.markdown(pm, "narrative", pwhat),
                          select=ctx.selection(pm, pwhat), quote=ctx.flag(pm, "quote", pwhat), span=pm.span))
    return Appendix(id=aid, title=ctx.inlines(am, "title", what, required=True),
                    narrative=ctx.markdown(am, "narrative", what), parts=tuple(parts), span=am.span)


MAX_SIGNATURE_BYTES = 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"


def _image_size(data: bytes) -> tuple[str, int, int] | None:
    """(media type, width, height) of a PNG or baseline/progressive JPEG, from its header."""
    if data.startswith(_PNG) and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return ("image/png", width, height) if width and height else None
    if not data.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and pos + 9 <= len(data):
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return ("image/jpeg", width, height) if width and height else None
        pos += 2 + length
    return None


def read_signature(path: str, root: str, display: str, span: Span, diags: list[Diagnostic]) -> Image | None:
    """The signature image at ``path``: a regular PNG or JPEG file inside ``root``, at most 1 MB."""
    def refuse(why: str, help: str = "") -> None:
        diags.append(Diagnostic.make(L.BAD_SIGNATURE, f"the signature image {display} {why}", span, help=help))

    real, inside = os.path.realpath(path), os.path.realpath(root)
    if os.path.commonpath([real, inside]) != inside:
        refuse("is outside the content folder", "put the image beside the letter and name it relative to it")
        return None
    try:
        info = os.stat(real)
    except OSError:
        refuse("does not exist", "check the file name; it is relative to the letter's folder")
        return None
    if not stat.S_ISREG(info.st_mode):
        refuse("is not a regular file")
        return None
    if info.st_size > MAX_SIGNATURE_BYTES:
        refuse(f"is {info.st_size / 1048576:.1f} MB; at most 1 MB is embedded", "save it smaller (a signature "
               "needs a few hundred pixels across)")
        return None
    with open(real, "rb") as fh:
        data = fh.read(MAX_SIGNATURE_BYTES + 1)
    kind = _image_size(data)
    if kind is None:
        refuse("is not a PNG or JPEG image", "save it as PNG (or JPEG) and name that file")
        return None
    media_type, width, height = kind
    ext = "png" if media_type == "image/png" else "jpeg"
    return Image(name=f"signature.{ext}", media_type=media_type, data=data, width=width, height=height, span=span)


def _consultation(ctx: _LetterCtx, m: Y.YMap) -> tuple[str, Span, tuple[Block, ...]]:
    node = m.items.get("consultation")
    if isinstance(node, Y.YScalar):
        return ctx.text(m, "consultation", "the letter", ident=True), node.span, ()
    cm = ctx.mapping(node, "the consultation")
    if cm is None:
        return "", m.span, ()
    for key in _COUNTED_NOW:
        if key in cm.keys:
            ctx.add(L.BAD_LETTER_FIELD, f"'{key}' is no longer typed in the letter", cm.keys[key],
                    help="the dates, the parts and every count come from the consultation's own folder, "
                         "content/consultations/<id>/; name it here with 'id:' (see docs/consultation.md)")
    ctx.keys(cm, CONSULTATION_KEYS | set(_COUNTED_NOW), "the consultation")
    span = cm.items["id"].span if "id" in cm.items else cm.span
    return ctx.text(cm, "id", "the consultation", required=True, ident=True), span, \
        ctx.markdown(cm, "concerns", "the consultation")


def read_letter(path: str, display: str, root: str = "") -> tuple[Letter | None, list[Diagnostic]]:
    """One letter; ``root`` is the content folder a signature image must be inside (default: the
    folder above the letter's)."""
    ctx = _LetterCtx()
    m = ctx.mapping(Y.load_file(path, display, ctx.diags), display)
    if m is None:
        return None, ctx.diags
    what = display
    ctx.keys(m, LETTER_KEYS, f"the letter {display}")
    for key in ("date", "subject", "salutation"):
        if key not in m.items:
            ctx.add(L.BAD_LETTER_FIELD, f"the letter {display} has no '{key}'", m.span, help=f"add '{key}:'")
    consultation_id, consultation_span, concerns = _consultation(ctx, m)
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
    signature = None
    if name := ctx.text(m, "signature", what):
        folder = os.path.dirname(path)
        signature = read_signature(os.path.join(folder, name), root or os.path.dirname(folder),
                                   os.path.normpath(os.path.join(os.path.dirname(display), name)),
                                   m.items["signature"].span, ctx.diags)
    letter = Letter(
        id=os.path.splitext(os.path.basename(path))[0],
        against=ctx.text(m, "against", what, ident=True),
        version=ctx.text(m, "version", what, ident=True),
        version_span=m.items["version"].span if "version" in m.items else m.span,
        against_span=m.items["against"].span if "against" in m.items else m.span,
        date=ctx.date(m, "date", what),
        reference=ctx.text(m, "reference", what),
        sender=ctx.person(m, "sender", what, required=("organisation",)),
        addressee=ctx.person(m, "addressee", what, required=("name", "organisation")),
        delivery=ctx.text(m, "delivery", what),
        salutation=ctx.text(m, "salutation", what),
        subject=ctx.inlines(m, "subject", what),
        summary=ctx.markdown(m, "summary", what),
        consultation_id=consultation_id,
        consultation_span=consultation_span,
        concerns=concerns,
        body=ctx.markdown(m, "body", what),
        closing=ctx.text(m, "closing", what) or "Yours sincerely",
        signatory=ctx.person(m, "signatory", what, required=("name",)),
        signature=signature,
        enclosures=tuple(parse_inline(v, s) for v, s in ctx.strings(m, "enclosures", what)),
        cc=tuple(v for v, _ in ctx.strings(m, "cc", what)),
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
        if inside(folder, name, os.path.relpath(path), diags) is None:
            continue
        if problem := name_problem(os.path.splitext(name)[0]):
            diags.append(Diagnostic.make(S.UNSAFE_FILE_NAME, f"the letter {printable(os.path.relpath(path))} cannot "
                                         f"name its outputs: {problem}", Span(file=os.path.relpath(path)),
                                         help="rename the file, e.g. letters/2025-04-recommendation.yaml"))
            continue
        letter, more = read_letter(path, os.path.relpath(path), os.path.dirname(folder))
        diags += more
        if letter is not None:
            letters.append(letter)
    return tuple(letters), diags
