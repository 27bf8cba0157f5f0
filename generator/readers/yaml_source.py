"""The YAML clause source (a ``content/`` folder) → Project, with every problem located.

Reading never stops at the first problem: each file is read, each field checked, and
everything found is returned together.
"""

from __future__ import annotations

import csv
import difflib
import gc
import io
import os
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from generator.diagnostics import Diagnostic
from generator.diagnostics.rules import safety as S
from generator.diagnostics.rules import source as R
from generator.model import (
    AppliesTo,
    ChangeSet,
    Clause,
    DeviceGroup,
    DeviceModel,
    Document,
    NumberingLevel,
    NumberingScheme,
    Project,
    Release,
    Renumbering,
    Span,
    Srv,
    Table,
)
from generator.model.clause import new_clause
from generator.model.devices import COHORTS, DEVICE_TYPES
from generator.model.document import COUNTER_STYLES, default_annex_levels
from generator.model.names import name_problem, printable, url_problem
from generator.readers import yaml_nodes as Y
from generator.readers.files import NotRegular, inside, read_regular
from generator.readers.inline import clean_text, parse_inline
from generator.readers.lies import check_id, check_text
from generator.readers.release import read_releases

MAX_START = 32767  # the largest start value Word accepts for a list level
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only (\d takes '٢' too); used with fullmatch
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")

DOCUMENT_KEYS = {
    "id", "title", "short_title", "appendix", "status", "version", "date", "numbering",
    "sections", "devices", "srvs", "changes", "site_url", "annexes", "annex_numbering", "matrix_annex",
}
LEVEL_KEYS = {"name", "style", "ref", "label", "insert", "start", "cite"}
CLAUSE_KEYS = {"id", "heading", "text", "table", "children", "not_used", "applies_to", "tags"}
APPLIES_KEYS = {"srvs", "devices", "note"}
DEVICE_KEYS = {"id", "manufacturer", "model", "type", "cohort", "firmware", "not_applicable"}
GROUP_KEYS = {"id", "name", "members"}
CHANGES_KEYS = {"against", "author", "date", "summary", "renumber"}
RENUMBER_KEYS = {"clauses", "reason", "takes_over"}


@dataclass
class _Ctx:
    diags: list[Diagnostic] = field(default_factory=list)

    def add(self, rule: object, message: str, span: Span, help: str = "", clause_id: str = "") -> None:
        self.diags.append(Diagnostic.make(rule, message, span, help=help, clause_id=clause_id))  # type: ignore[arg-type]

    # -- typed field access ---------------------------------------------------------
    def mapping(self, node: Y.YNode | None, what: str) -> Y.YMap | None:
        if node is None:
            return None
        if not isinstance(node, Y.YMap):
            self.add(R.WRONG_TYPE, f"{what} must be a mapping (key: value lines)", node.span)
            return None
        return node

    def keys(self, m: Y.YMap, allowed: set[str], what: str) -> None:
        if allowed.issuperset(m.items):
            return
        for k in m.items:
            if k not in allowed:
                near = difflib.get_close_matches(k, sorted(allowed), n=1)
                hint = f"did you mean '{near[0]}'?" if near else f"known fields: {', '.join(sorted(allowed))}"
                self.add(R.UNKNOWN_FIELD, f"unknown field '{k}' in {what}", m.key_span(k), help=hint)

    def text(self, m: Y.YMap, key: str, what: str, *, required: bool = False, ident: bool = False) -> str:
        node = m.items.get(key)
        if node is None or (isinstance(node, Y.YScalar) and node.null):
            if required:
                self.add(R.MISSING_FIELD, f"{what} has no '{key}'", m.span, help=f"add '{key}:'")
            return ""
        if not isinstance(node, Y.YScalar):
            self.add(R.WRONG_TYPE, f"'{key}' in {what} must be text, not a {_kind(node)}", node.span)
            return ""
        if ident and node.looks_non_string():
            self.add(
                R.NON_STRING_ID,
                f"'{key}: {node.value}' reads as a number or boolean in other YAML tools",
                node.span,
                help=f'quote it: {key}: "{node.value}"',
            )
        value = node.value
        if value.isascii() and value.isprintable():
            return value  # nothing for check_id, check_text or clean_text to find: no need to name it
        if ident:
            check_id(value, f"'{key}' of {what}", node.span, self.diags)
        else:
            check_text(value, f"'{key}' of {what}", node.span, self.diags)
        return clean_text(value, node.span, self.diags)

    def flag(self, m: Y.YMap, key: str, what: str) -> bool:
        node = m.items.get(key)
        if node is None:
            return False
        if isinstance(node, Y.YScalar) and node.value.lower() in ("true", "false", "yes", "no"):
            return node.value.lower() in ("true", "yes")
        self.add(R.WRONG_TYPE, f"'{key}' in {what} must be true or false", node.span)
        return False

    def strings(self, m: Y.YMap, key: str, what: str, *, ident: bool = False) -> tuple[tuple[str, Span], ...]:
        """The text values (or one) under ``key``, each with its span."""
        return tuple((it.value, it.span) for it in self._texts(m, key, what, ident=ident))

    def values(self, m: Y.YMap, key: str, what: str, *, ident: bool = False) -> tuple[str, ...]:
        """``strings`` without the spans: the same findings, and no span made for a value that has none."""
        return tuple(it.value for it in self._texts(m, key, what, ident=ident))

    def _texts(self, m: Y.YMap, key: str, what: str, *, ident: bool) -> list[Y.YScalar]:
        node = m.items.get(key)
        if node is None or (isinstance(node, Y.YScalar) and node.null):
            return []
        items = [node] if isinstance(node, Y.YScalar) else node.items if isinstance(node, Y.YSeq) else None
        if items is None:
            self.add(R.WRONG_TYPE, f"'{key}' in {what} must be a list of text values", node.span)
            return []
        out: list[Y.YScalar] = []
        for it in items:
            if not isinstance(it, Y.YScalar):
                self.add(R.WRONG_TYPE, f"each entry of '{key}' in {what} must be text", it.span)
                continue
            value = it.value
            if ident and it.looks_non_string() and not re.fullmatch(r"[0-9]+(\.[0-9]+)+", value):
                self.add(R.NON_STRING_ID, f"'{value}' in '{key}' reads as a number or boolean",
                         it.span, help=f'quote it: "{value}"')
            if not (value.isascii() and value.isprintable()):  # else nothing for check_id or check_text to find
                if ident:
                    check_id(value, f"an entry of '{key}' in {what}", it.span, self.diags)
                else:
                    check_text(value, f"an entry of '{key}' in {what}", it.span, self.diags)
            out.append(it)
        return out

    def seq(self, m: Y.YMap, key: str, what: str) -> list[Y.YNode]:
        node = m.items.get(key)
        if node is None or (isinstance(node, Y.YScalar) and node.null):
            return []
        if not isinstance(node, Y.YSeq):
            self.add(R.WRONG_TYPE, f"'{key}' in {what} must be a list", node.span)
            return []
        return node.items

    def date(self, m: Y.YMap, key: str, what: str) -> str:
        value = self.text(m, key, what)
        if value and not _DATE.fullmatch(value):
            self.add(R.BAD_VALUE, f"'{key}' in {what} must be a date written YYYY-MM-DD, not '{value}'",
                     m.items[key].span)
        return value

    def choice(self, m: Y.YMap, key: str, what: str, allowed: tuple[str, ...], *, required: bool = True,
               default: str = "") -> str:
        value = self.text(m, key, what, required=required) or default
        if value and value not in allowed:
            near = difflib.get_close_matches(value, allowed, n=1)
            self.add(R.BAD_VALUE, f"'{key}' in {what} is '{value}'; it must be one of {', '.join(allowed)}",
                     m.items[key].span, help=f"did you mean '{near[0]}'?" if near else "")
        return value


def _kind(node: Y.YNode) -> str:
    return "list" if isinstance(node, Y.YSeq) else "mapping" if isinstance(node, Y.YMap) else "text value"


# -- document.yaml -----------------------------------------------------------------------
def _read_levels(ctx: _Ctx, m: Y.YMap, key: str) -> tuple[NumberingLevel, ...]:
    levels: list[NumberingLevel] = []
    for i, node in enumerate(ctx.seq(m, key, "document.yaml"), start=1):
        what = f"{'annex ' if key == 'annex_numbering' else ''}numbering level {i}"
        lm = ctx.mapping(node, what)
        if lm is None:
            continue
        ctx.keys(lm, LEVEL_KEYS, what)
        start_text = ctx.text(lm, "start", what) or "1"
        if not re.fullmatch(r"[0-9]+", start_text):
            ctx.add(S.BAD_NUMBER if start_text.isdigit() or any(ch.isdigit() for ch in start_text) else R.WRONG_TYPE,
                    f"'start' in {what} must be a whole number written with the digits 0-9, not "
                    f"'{printable(start_text, 40)}'", lm.items["start"].span)
            start_text = "1"
        elif int(start_text[:12]) > MAX_START:
            ctx.add(S.BAD_NUMBER, f"'start' in {what} is {start_text[:20]}; Word's lists start at most at {MAX_START}",
                    lm.items["start"].span, help=f"write a start value from 0 to {MAX_START}")
            start_text = "1"
        levels.append(
            NumberingLevel(
                name=ctx.text(lm, "name", what) or f"level {i}",
                style=ctx.choice(lm, "style", what, COUNTER_STYLES),
                ref=ctx.text(lm, "ref", what, required=True),
                label=ctx.text(lm, "label", what) or "{ref}",
                cite=ctx.text(lm, "cite", what) or "{ref}",
                insert=ctx.choice(lm, "insert", what, COUNTER_STYLES, required=False, default="upper-alpha"),
                start=int(start_text),
                span=lm.span,
            )
        )
    return tuple(levels)


def _read_scheme(ctx: _Ctx, m: Y.YMap) -> NumberingScheme:
    levels = _read_levels(ctx, m, "numbering")
    if "numbering" not in m.items:
        ctx.add(R.MISSING_FIELD, "document.yaml has no 'numbering' scheme", m.span,
                help="add 'numbering:' with one entry per level (see docs/source-format.md)")
    annex = _read_levels(ctx, m, "annex_numbering") if "annex_numbering" in m.items else default_annex_levels(levels)
    return NumberingScheme(levels=levels, annex=annex)


def _in_annex(c: Clause) -> Clause:
    return replace(c, annex=True, children=tuple(_in_annex(k) for k in c.children))


# -- sections ----------------------------------------------------------------------------
_NOWHERE = Span(file="")
MAX_CLAUSE_DEPTH = 12  # levels of children below a section; S1SR numbering has four


def _read_clause(ctx: _Ctx, node: Y.YNode, where: str, depth: int = 0) -> Clause | None:
    m = ctx.mapping(node, where)
    if m is None:
        return None
    if depth > MAX_CLAUSE_DEPTH:
        ctx.add(S.TOO_DEEP, f"clauses are nested more than {MAX_CLAUSE_DEPTH} levels below the section here",
                m.span, help="move this clause up: its depth should match a level of the numbering scheme")
        return None
    ctx.keys(m, CLAUSE_KEYS, where)
    cid = ctx.text(m, "id", where, required=True, ident=True)
    if cid and not _ID.fullmatch(cid):
        ctx.add(R.BAD_VALUE, f"clause id '{cid}' may hold only letters, digits, '.', '_', ':' and '-'",
                m.items["id"].span, help="ids are stable names, e.g. hh-profile-config")
    what = f"clause '{cid}'" if cid else where
    items = m.items  # a field the clause does not have is not asked for: most have three or four
    raw = ctx.text(m, "text", what) if "text" in items else ""
    # Only a cross-reference ('[[…]]') keeps the text's place: other text needs no span made.
    text_span = (items["text"].span if "text" in items else m.span) if "[[" in raw else _NOWHERE
    children: list[Clause] = []
    if "children" in items:
        for i, child in enumerate(ctx.seq(m, "children", what), start=1):
            c = _read_clause(ctx, child, f"child {i} of {what}", depth + 1)
            if c is not None:
                children.append(c)
    applies: list[AppliesTo] = []
    if "applies_to" in items:
        entry = f"applies_to of {what}"
        for anode in ctx.seq(m, "applies_to", what):
            am = ctx.mapping(anode, f"an applies_to entry of {what}")
            if am is None:
                continue
            ctx.keys(am, APPLIES_KEYS, entry)
            srvs = ctx.values(am, "srvs", entry, ident=True)
            devs = ctx.values(am, "devices", entry, ident=True)
            if not srvs or not devs:
                ctx.add(R.MISSING_FIELD, f"an applies_to entry of {what} needs both 'srvs' and 'devices'",
                        am.span, help="list the SRVs and the Device Models (or groups) together")
            applies.append(AppliesTo(srvs=srvs, devices=devs,
                                     note=ctx.text(am, "note", entry) if "note" in am.items else "", span=am.span))
    return new_clause(
        id=cid,
        heading=ctx.text(m, "heading", what) if "heading" in items else "",
        raw_text=raw,
        text=parse_inline(raw, text_span) if raw else (),
        table=_read_table(ctx, m, what),
        children=tuple(children),
        not_used=ctx.flag(m, "not_used", what) if "not_used" in items else False,
        applies_to=tuple(applies),
        tags=ctx.values(m, "tags", what) if "tags" in items else (),
        span=items["id"].span if "id" in items else m.span,
    )


# -- sections, the fast way ------------------------------------------------------------------
# A section file with nothing to report (the usual case) is read straight from libyaml's composed
# nodes: no located node per value, no typed-access call per field. At the first thing the full
# reading (``_read_clause`` on converted nodes) would report or treat specially, the fast reading
# gives up and the full reading reads the file from the start: the same clauses, and the findings
# made by the one reader that makes findings. The two must agree on every input they both accept:
# tests/readers/test_yaml_source_fast.py holds them to it.
class _Unusual(Exception):
    """The fast reading met something for the full reading to report."""


_UNUSUAL = _Unusual()
_FAST = True  # False: every file read the full way (the tests compare the two)
_Scalar, _Seq, _Map = Y.ScalarNode, Y.SequenceNode, Y.MappingNode
_SRV_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)+")


def _fast_section(composed: Y.Composed, file: str, *, annex: bool = False) -> Clause | None:
    """The section (or annex) file's clauses, or None where the full reading must read it (also
    where a node is met twice, by an alias: the full reading reports it)."""
    if composed.root is None or not _FAST or (composed.anchors and _met_twice(composed.root)):
        return None
    try:
        return _fast_clause(composed.root, file, 0, annex)
    except _Unusual:
        return None


def _met_twice(root: Y.Node) -> bool:
    """Whether a value or an item is the very node of another (an alias: libyaml composes the
    anchored node again); where the text holds an '&' (often in prose: 'R&D'), not an anchor."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if type(node) is _Seq:
            todo += node.value
        elif type(node) is _Map:
            todo += [value for _key, value in node.value]
    return False


def _fast_fields(node: Y.Node, allowed: set[str]) -> dict[str, Y.Node]:
    """A mapping's values by key: plain-text keys, each once, each one of ``allowed``."""
    if type(node) is not _Map:
        raise _UNUSUAL
    pairs = node.value
    try:
        fields = {k.value: v for k, v in pairs}  # a key that is a list or mapping is not hashable
    except TypeError:
        raise _UNUSUAL from None
    if len(fields) != len(pairs) or not allowed.issuperset(fields):
        raise _UNUSUAL
    return fields


def _fast_text(node: Y.Node, *, ident: bool = False) -> str:
    """``_Ctx.text`` of a field that is present, where it finds nothing."""
    if type(node) is not _Scalar:
        raise _UNUSUAL
    value: str = node.value
    if not node.style:  # plain: null, or a number or boolean to other YAML tools
        if value in Y.NULLS:
            if ident:  # the one ident read this way is a clause's required id
                raise _UNUSUAL
            return ""
        if ident and Y.looks_non_string(value):
            raise _UNUSUAL
    if value.isascii() and value.isprintable():
        return value
    found: list[Diagnostic] = []
    (check_id if ident else check_text)(value, "", _NOWHERE, found)
    value = clean_text(value, _NOWHERE, found)
    if found:
        raise _UNUSUAL
    return value


def _fast_values(node: Y.Node, *, ident: bool = False) -> tuple[str, ...]:
    """``_Ctx.values`` of a field that is present, where it finds nothing."""
    if type(node) is _Scalar:
        if not node.style and node.value in Y.NULLS:
            return ()
        items = [node]
    elif type(node) is _Seq:
        items = node.value
    else:
        raise _UNUSUAL
    out = []
    for it in items:
        if type(it) is not _Scalar:
            raise _UNUSUAL
        value: str = it.value
        if ident and not it.style and Y.looks_non_string(value) and not _SRV_NUMBER.fullmatch(value):
            raise _UNUSUAL
        if not (value.isascii() and value.isprintable()):
            found: list[Diagnostic] = []
            (check_id if ident else check_text)(value, "", _NOWHERE, found)
            if found:
                raise _UNUSUAL
        out.append(value)
    return tuple(out)


def _fast_seq(node: Y.Node) -> list[Y.Node]:
    """``_Ctx.seq`` of a field that is present, where it finds nothing."""
    if type(node) is _Seq:
        items: list[Y.Node] = node.value
        return items
    if type(node) is _Scalar and not node.style and node.value in Y.NULLS:
        return []
    raise _UNUSUAL


def _fast_clause(node: Y.Node, file: str, depth: int, annex: bool) -> Clause:
    """``_read_clause`` (and ``_in_annex`` for an annex), where it finds nothing."""
    if depth > MAX_CLAUSE_DEPTH:
        raise _UNUSUAL
    f = _fast_fields(node, CLAUSE_KEYS)
    if "id" not in f:
        raise _UNUSUAL
    id_node = f["id"]
    cid = _fast_text(id_node, ident=True)
    if cid and not _ID.fullmatch(cid):
        raise _UNUSUAL
    raw = _fast_text(f["text"]) if "text" in f else ""
    applies: list[AppliesTo] = []
    if "applies_to" in f:
        for anode in _fast_seq(f["applies_to"]):
            a = _fast_fields(anode, APPLIES_KEYS)
            srvs = _fast_values(a["srvs"], ident=True) if "srvs" in a else ()
            devs = _fast_values(a["devices"], ident=True) if "devices" in a else ()
            if not srvs or not devs:
                raise _UNUSUAL
            applies.append(AppliesTo(srvs=srvs, devices=devs, note=_fast_text(a["note"]) if "note" in a else "",
                                     span=Y.node_span(file, anode)))
    not_used = False
    if "not_used" in f:
        flag = f["not_used"]
        word = flag.value.lower() if type(flag) is _Scalar else ""
        if word not in ("true", "false", "yes", "no"):
            raise _UNUSUAL
        not_used = word in ("true", "yes")
    return new_clause(  # the fields in order (see new_clause)
        cid,
        _fast_text(f["heading"]) if "heading" in f else "",
        raw,
        parse_inline(raw, Y.node_span(file, f["text"]) if "[[" in raw else _NOWHERE) if raw else (),
        _fast_table(f["table"]) if "table" in f else None,
        tuple([_fast_clause(child, file, depth + 1, annex) for child in _fast_seq(f["children"])])
        if "children" in f else (),
        not_used,
        annex,
        tuple(applies),
        _fast_values(f["tags"]) if "tags" in f else (),
        Y.node_span(file, id_node),
    )


def _fast_table(node: Y.Node) -> Table:
    """``_read_table``, where it finds nothing."""
    t = _fast_fields(node, _TABLE_KEYS)
    header = _fast_values(t["header"]) if "header" in t else ()
    if not header:
        raise _UNUSUAL
    rows = []
    for rnode in _fast_seq(t["rows"]) if "rows" in t else ():
        if type(rnode) is not _Seq:
            raise _UNUSUAL
        cells = _fast_values(rnode)
        if len(cells) != len(header):
            raise _UNUSUAL
        rows.append(cells)
    return Table(header=header, rows=tuple(rows))


_TABLE_KEYS = {"header", "rows"}


def _read_table(ctx: _Ctx, m: Y.YMap, what: str) -> Table | None:
    if "table" not in m.items:
        return None
    tm = ctx.mapping(m.items["table"], f"the table of {what}")
    if tm is None:
        return None
    ctx.keys(tm, {"header", "rows"}, f"the table of {what}")
    header = ctx.values(tm, "header", f"the table of {what}")
    rows: list[tuple[str, ...]] = []
    for rnode in ctx.seq(tm, "rows", f"the table of {what}"):
        if not isinstance(rnode, Y.YSeq) or not all(isinstance(c, Y.YScalar) for c in rnode.items):
            ctx.add(R.WRONG_TYPE, f"each row of the table of {what} must be a list of cells", rnode.span)
            continue
        cells = tuple(c.value for c in rnode.items if isinstance(c, Y.YScalar))
        for c in rnode.items:
            check_text(c.value if isinstance(c, Y.YScalar) else "", f"a cell of the table of {what}", c.span,
                       ctx.diags)
        if header and len(cells) != len(header):
            ctx.add(R.BAD_VALUE, f"a row of the table of {what} has {len(cells)} cells; the header has "
                    f"{len(header)}", rnode.span, help="add or remove cells so every row matches the header")
        rows.append(cells)
    if not header:
        ctx.add(R.MISSING_FIELD, f"the table of {what} has no 'header'", tm.span)
    return Table(header=header, rows=tuple(rows))


# -- devices.yaml ------------------------------------------------------------------------
def _read_devices(ctx: _Ctx, node: Y.YNode | None) -> tuple[tuple[DeviceModel, ...], tuple[DeviceGroup, ...]]:
    m = ctx.mapping(node, "devices.yaml")
    if m is None:
        return (), ()
    ctx.keys(m, {"devices", "groups"}, "devices.yaml")
    devices: list[DeviceModel] = []
    for i, dnode in enumerate(ctx.seq(m, "devices", "devices.yaml"), start=1):
        dm = ctx.mapping(dnode, f"device {i}")
        if dm is None:
            continue
        did = ctx.text(dm, "id", f"device {i}", required=True, ident=True)
        what = f"Device Model '{did or i}'"
        ctx.keys(dm, DEVICE_KEYS, what)
        devices.append(
            DeviceModel(
                id=did,
                manufacturer=ctx.text(dm, "manufacturer", what, required=True),
                model=ctx.text(dm, "model", what, required=True),
                device_type=ctx.choice(dm, "type", what, DEVICE_TYPES),
                cohort=ctx.choice(dm, "cohort", what, COHORTS),
                firmware=ctx.text(dm, "firmware", what),
                not_applicable=ctx.values(dm, "not_applicable", what, ident=True),
                span=dm.items["id"].span if "id" in dm.items else dm.span,
            )
        )
    groups: list[DeviceGroup] = []
    for i, gnode in enumerate(ctx.seq(m, "groups", "devices.yaml"), start=1):
        gm = ctx.mapping(gnode, f"group {i}")
        if gm is None:
            continue
        gid = ctx.text(gm, "id", f"group {i}", required=True, ident=True)
        what = f"group '{gid or i}'"
        ctx.keys(gm, GROUP_KEYS, what)
        members = ctx.strings(gm, "members", what, ident=True)
        if not members:
            ctx.add(R.MISSING_FIELD, f"{what} has no members", gm.span, help="list Device Model ids under 'members:'")
        groups.append(
            DeviceGroup(id=gid, name=ctx.text(gm, "name", what) or gid, members=tuple(v for v, _ in members),
                        span=gm.items["id"].span if "id" in gm.items else gm.span)
        )
    return tuple(devices), tuple(groups)


def read_srvs(path: str, display: str, ctx_diags: list[Diagnostic]) -> tuple[Srv, ...]:
    try:
        data = read_regular(path, Y.MAX_FILE_BYTES + 1)
    except NotRegular as exc:
        ctx_diags.append(Diagnostic.make(S.NOT_REGULAR, f"{display} (the SRV list) cannot be read: {exc}",
                                         Span(file=display), help="replace it by an ordinary file"))
        return ()
    except OSError:
        ctx_diags.append(Diagnostic.make(R.FILE_MISSING, f"{display} (the SRV list) does not exist",
                                         Span(file=display),
                                         help="put the SRV list there, or name none (no 'srvs:' and no "
                                              "content/srvs.csv) to use the DUIS list s1sr ships"))
        return ()
    text = Y.decode(data, display, ctx_diags)
    if text is None:
        return ()
    out: list[Srv] = []
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"srv", "name"} <= set(reader.fieldnames):
        ctx_diags.append(Diagnostic.make(R.MISSING_FIELD, f"{display} must have the columns srv,name",
                                         Span(file=display, line=1, col=1)))
        return ()
    for row in reader:
        num = (row.get("srv") or "").strip()
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)+", num):
            ctx_diags.append(Diagnostic.make(R.BAD_VALUE, f"'{num}' is not an SRV number",
                                             Span(file=display, line=reader.line_num, col=1)))
            continue
        out.append(Srv(number=num, name=(row.get("name") or "").strip(),
                       critical=(row.get("critical") or "").strip().lower() == "yes",
                       on_demand=(row.get("on_demand") or "").strip().lower() == "yes",
                       note=(row.get("note") or "").strip()))
    return tuple(out)


def _read_changes(ctx: _Ctx, node: Y.YNode | None) -> ChangeSet | None:
    m = ctx.mapping(node, "changes.yaml")
    if m is None:
        return None
    ctx.keys(m, CHANGES_KEYS, "changes.yaml")
    renumber: list[Renumbering] = []
    for i, rnode in enumerate(ctx.seq(m, "renumber", "changes.yaml"), start=1):
        rm = ctx.mapping(rnode, f"renumbering {i}")
        if rm is None:
            continue
        ctx.keys(rm, RENUMBER_KEYS, f"renumbering {i}")
        clauses = ctx.strings(rm, "clauses", f"renumbering {i}", ident=True)
        reason = ctx.text(rm, "reason", f"renumbering {i}", required=True)
        takes_over = ctx.strings(rm, "takes_over", f"renumbering {i}", ident=True)
        if not clauses:
            ctx.add(R.MISSING_FIELD, f"renumbering {i} lists no clauses", rm.span)
        renumber.append(Renumbering(clauses=tuple(c for c, _ in clauses), reason=reason,
                                    takes_over=tuple(n for n, _ in takes_over), span=rm.span))
    return ChangeSet(
        against=ctx.text(m, "against", "changes.yaml", ident=True),
        author=ctx.text(m, "author", "changes.yaml"),
        date=ctx.date(m, "date", "changes.yaml"),
        summary=ctx.text(m, "summary", "changes.yaml"),
        renumber=tuple(renumber),
        span=m.span,
    )


def _site_url(ctx: _Ctx, dm: Y.YMap) -> str:
    """``site_url``, which becomes links in every output: http, https, mailto or relative only."""
    url = ctx.text(dm, "site_url", "document.yaml")
    if problem := url_problem(url):
        ctx.add(S.UNSAFE_URL, f"site_url '{printable(url, 80)}' cannot become a link: {problem}",
                dm.items["site_url"].span, help="give the site's https:// address, or leave site_url out")
        return ""
    return url


def _file_names(ctx: _Ctx, dm: Y.YMap) -> None:
    """The values that name output files (S1SR-v13.0.docx …) must be safe file names."""
    for key in ("id", "short_title", "version"):
        node = dm.items.get(key)
        if isinstance(node, Y.YScalar) and not node.null and (problem := name_problem(node.value)):
            ctx.add(S.UNSAFE_FILE_NAME, f"'{key}: {printable(node.value, 80)}' names the output files and cannot: "
                    f"{problem}", node.span)


Beside = Callable[[Callable[[], bytes]], Callable[[], bytes]]


def read_source(root: str, *, rel: Callable[[str], str] | None = None,
                beside: Beside | None = None) -> tuple[Project | None, list[Diagnostic]]:
    """Read a content folder. Returns ``(None, diags)`` when document.yaml itself is unusable.

    ``beside`` starts work beside this process and gives a function that returns its result (the
    app's forked child): given one, a large source has the later part of its section files read
    there while this process reads the rest (see :func:`_read_beside`)."""
    # Reading allocates hundreds of thousands of small objects and no cycles; left on, the cyclic
    # collector traverses them again and again (a fifth of `s1sr check` on a 15,000-clause source).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_source(root, rel=rel, beside=beside)
    finally:
        if enabled:
            gc.enable()


# -- section files read beside ------------------------------------------------------------------
# Composing and reading a section file is most of reading a large source. With a second CPU, the
# later files are read beside, the fast way only, and come back pickled: each clause, span and
# text run rebuilt by a call of its maker with its fields in order, a few microseconds a clause
# against tens to read it. A file that would not read the fast way (or cannot be read, or is
# outside the folder) comes back as None, and this process reads it in its turn, the full way: the
# same clauses and the same findings in the same order, with or without the help.
_BESIDE_BYTES = 1 << 20  # section files smaller than this together read in less than a fork costs
_BESIDE_SHARE = 0.5  # of the section files (by size), read beside while this process reads the rest
# and the release snapshots


def _beside_share(root: str, names: list[tuple[str, str]]) -> int:
    """Where the files read beside start in ``names`` (``len(names)``: none worth it)."""
    sizes = []
    for _key, name in names:
        try:  # the size only weighs the share: a name that leads outside (inside() refuses it) weighs 0
            outside = os.path.isabs(name) or name.startswith("~") or ".." in name.replace("\\", "/").split("/")
            sizes.append(0 if outside else os.lstat(os.path.join(root, name)).st_size)
        except (OSError, ValueError):
            sizes.append(0)
    total = sum(sizes)
    if total < _BESIDE_BYTES:
        return len(names)
    start, later = len(names), 0
    while start > 0 and later + sizes[start - 1] <= total * _BESIDE_SHARE:
        start -= 1
        later += sizes[start]
    return start


def _read_beside(root: str, names: list[tuple[str, str]], show: Callable[[str], str]) -> bytes:
    """The clauses of each of ``names`` read the fast way (None where that reading gives up or
    finds anything to say), pickled."""
    out: list[Clause | None] = []
    for key, name in names:
        found: list[Diagnostic] = []
        shown = show(os.path.join(root, name))
        path = inside(root, name, shown, found)
        composed = Y.compose_file(path, shown, found) if path and not found else None
        out.append(_fast_section(composed, shown, annex=key == "annexes") if composed and not found else None)
    buf = io.BytesIO()
    _ClausePickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(out)
    return buf.getvalue()


class _ClausePickler(pickle.Pickler):
    """The reader's objects pickled as a call of their maker with their fields in order (the
    default for a frozen, slotted dataclass is a __setstate__ that sets each field by name)."""

    def reducer_override(self, obj: object) -> Any:
        how = _REMAKE.get(type(obj))
        if how is None:
            return NotImplemented
        make, fields = how
        return make, fields(obj)


def _applies_at(srvs: tuple[str, ...], devices: tuple[str, ...], note: str, span: Span) -> AppliesTo:
    return AppliesTo(srvs=srvs, devices=devices, note=note, span=span)


def _table_at(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> Table:
    return Table(header=header, rows=rows)


def _remakes() -> dict[type, tuple[Callable[..., object], Callable[[Any], tuple[Any, ...]]]]:
    from operator import attrgetter

    from generator.model import Emph, SrvRef, Term, Text, Xref
    from generator.model.clause import emph_node, srv_node, term_node, text_node, xref_node

    def by(*names: str) -> Callable[[Any], tuple[Any, ...]]:
        get = attrgetter(*names)
        return (lambda obj: (get(obj),)) if len(names) == 1 else get

    return {
        Clause: (new_clause, by(*(f.name for f in fields(Clause)))),
        Span: (Y.span_at, by("file", "line", "col", "end_line", "end_col")),
        Text: (text_node, by("text")), Term: (term_node, by("text")), Emph: (emph_node, by("text")),
        SrvRef: (srv_node, by("srv", "text")), Xref: (xref_node, by("target", "bare", "span")),
        AppliesTo: (_applies_at, by("srvs", "devices", "note", "span")), Table: (_table_at, by("header", "rows")),
    }


_REMAKE = _remakes()


# The DUIS SRV list ships once, with the package; a content folder keeps its own srvs.csv (or names
# another file in document.yaml) only to use a different list.
DEFAULT_SRVS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "srvs.csv")
DEFAULT_SRVS_SHOWN = "srvs.csv (the DUIS list s1sr ships)"


def _read_sections(ctx: _Ctx, root: str, dm: Y.YMap, show: Callable[[str], str], beside: Beside | None,
                   early: list[Diagnostic]) -> tuple[list[Clause], tuple[Release, ...] | None]:
    """The sections and annexes document.yaml lists, in order; and the release snapshots where
    they were read while a child read the later files (their findings in ``early``)."""
    # The later files read beside, where that is offered and worth it (the names as the loop below
    # reads them; their findings, if any, are made by the loop).
    names = [(key, name) for key in ("sections", "annexes") for name in _Ctx().values(dm, key, "")]
    start = _beside_share(root, names) if beside else len(names)
    later = beside(lambda: _read_beside(root, names[start:], show)) if beside and start < len(names) else None
    read_beside: list[Clause | None] | None = None
    releases: tuple[Release, ...] | None = None
    sections: list[Clause] = []
    at = 0
    waited = False
    try:
        for key in ("sections", "annexes"):
            for sec_name, sec_span in ctx.strings(dm, key, "document.yaml"):
                at += 1
                if at > start and later is not None:
                    if read_beside is None:  # the release snapshots while the child finishes
                        releases = read_releases(os.path.join(root, "releases"), show, early)
                        waited, read_beside = True, pickle.loads(later())  # our own child's bytes, not a file's
                    c = read_beside[at - 1 - start]
                    if c is not None:  # the child found it inside the folder, and nothing to say
                        sections.append(c)
                        continue
                shown = show(os.path.join(root, sec_name))
                sec_path = inside(root, sec_name, shown, ctx.diags, sec_span)
                if sec_path is None:
                    continue
                before = len(ctx.diags)
                composed = Y.compose_file(sec_path, shown, ctx.diags)
                if composed is None and len(ctx.diags) > before and ctx.diags[-1].code == R.FILE_MISSING.code:
                    # Point at the line in document.yaml that names the missing file.
                    missing = ctx.diags.pop()
                    ctx.add(R.FILE_MISSING, missing.message, sec_span,
                            help="create the file or correct its name here")
                if composed is None:
                    continue
                c = _fast_section(composed, shown, annex=key == "annexes")
                if c is None:
                    node = Y.convert(composed, shown, ctx.diags)
                    if node is None:
                        continue
                    c = _read_clause(ctx, node, f"the {'annex' if key == 'annexes' else 'section'} in {shown}")
                    if c is not None and key == "annexes":
                        c = _in_annex(c)
                if c is not None:
                    sections.append(c)
    finally:
        if later is not None and not waited:
            later()  # reading here failed: the child is still waited for (once)
    return sections, releases


def _read_source(root: str, *, rel: Callable[[str], str] | None = None,
                 beside: Beside | None = None) -> tuple[Project | None, list[Diagnostic]]:
    ctx = _Ctx()
    show = rel or (lambda p: os.path.relpath(p))

    def path(name: str) -> str:
        return os.path.join(root, name)

    doc_path = inside(root, "document.yaml", show(path("document.yaml")), ctx.diags)
    doc_node = Y.load_file(doc_path, show(doc_path), ctx.diags) if doc_path else None
    dm = ctx.mapping(doc_node, "document.yaml")
    if dm is None:
        return None, ctx.diags
    ctx.keys(dm, DOCUMENT_KEYS, "document.yaml")
    status = ctx.choice(dm, "status", "document.yaml", ("draft", "designated"))
    scheme = _read_scheme(ctx, dm)

    early: list[Diagnostic] = []  # the release snapshots' findings, where they were read early
    sections, releases = _read_sections(ctx, root, dm, show, beside, early)
    if "sections" not in dm.items:
        ctx.add(R.MISSING_FIELD, "document.yaml lists no 'sections'", dm.span,
                help="list the section files in order under 'sections:'")

    def named(key: str, default: str) -> str | None:
        """The file document.yaml names under ``key`` (else ``default``), if reading it stays inside."""
        name = ctx.text(dm, key, "document.yaml") or default
        return inside(root, name, show(path(name)), ctx.diags, dm.items[key].span if key in dm.items else None)

    devices_path = named("devices", "devices.yaml")
    devices, groups = _read_devices(ctx, Y.load_file(devices_path, show(devices_path), ctx.diags)) \
        if devices_path else ((), ())
    # The project's own SRV list when it names one or keeps content/srvs.csv; else the DUIS list
    # the package ships (one copy of that fact).
    if "srvs" in dm.items or os.path.lexists(path("srvs.csv")):
        srvs_path = named("srvs", "srvs.csv")
        srvs = read_srvs(srvs_path, show(srvs_path), ctx.diags) if srvs_path else ()
    else:
        srvs = read_srvs(DEFAULT_SRVS, DEFAULT_SRVS_SHOWN, ctx.diags)
    changes_path = named("changes", "changes.yaml")
    changes = None
    if changes_path and os.path.lexists(changes_path):
        changes = _read_changes(ctx, Y.load_file(changes_path, show(changes_path), ctx.diags))
    if releases is None:
        releases = read_releases(path("releases"), show, ctx.diags)
    else:
        ctx.diags += early

    _file_names(ctx, dm)
    document = Document(
        id=ctx.text(dm, "id", "document.yaml", required=True, ident=True),
        title=ctx.text(dm, "title", "document.yaml", required=True),
        short_title=ctx.text(dm, "short_title", "document.yaml") or ctx.text(dm, "id", "document.yaml"),
        appendix=ctx.text(dm, "appendix", "document.yaml"),
        status=status,
        version=ctx.text(dm, "version", "document.yaml", required=True, ident=True),
        date=ctx.date(dm, "date", "document.yaml"),
        site_url=_site_url(ctx, dm),
        scheme=scheme,
        sections=tuple(sections),
        matrix_annex=ctx.text(dm, "matrix_annex", "document.yaml", ident=True),
        span=dm.span,
    )
    project = Project(
        root=root, document=document, devices=devices, groups=groups, srvs=srvs, changes=changes,
        releases=releases, span=dm.span,
    )
    return project, ctx.diags
