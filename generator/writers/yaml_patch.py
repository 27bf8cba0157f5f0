"""Source edits written into the clause-source YAML with its comments and layout kept.

``patch_source(files, ops)`` takes the text of ``document.yaml`` and of each section file, and
the operations the merge decided on (:class:`~generator.model.review.Edit`), and returns the
new text of every file that changes (and of any new section file). ruamel.yaml's round-trip
mode keeps comments, key order, quoting, flow lists and blank lines; each file's indentation
is found by trying the usual layouts until one reproduces the file byte for byte; folded text
(``>-``) keeps its line breaks where the words around them did not change, so `git diff` shows
the edit and little else. ruamel is imported here only: ``s1sr check`` never loads it.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from generator.model.review import Edit

__all__ = ["Patched", "patch_source"]

_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0), (3, 5, 3))
_KEY_ORDER = ("id", "heading", "tags", "not_used", "text", "table", "applies_to", "children")


@dataclass
class Patched:
    files: dict[str, str] = field(default_factory=dict)  # name → new text (changed or new files)
    layout_lost: list[str] = field(default_factory=list)  # files whose layout could not be kept exactly
    left: list[str] = field(default_factory=list)  # section files no longer listed (never deleted)
    problems: list[str] = field(default_factory=list)  # operations that found nothing to act on


def _yaml(layout: tuple[int, int, int]) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a line the author wrote
    y.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    return y


def _dump(y: YAML, data: Any) -> str:
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


@dataclass
class _File:
    name: str
    text: str
    data: Any
    yaml: YAML
    exact: bool
    changed: bool = False


def _load(name: str, text: str) -> _File:
    for layout in _LAYOUTS:
        y = _yaml(layout)
        data = y.load(text)
        if _dump(y, data) == text:
            return _File(name=name, text=text, data=data, yaml=y, exact=True)
    y = _yaml(_LAYOUTS[0])
    return _File(name=name, text=text, data=y.load(text), yaml=y, exact=False)


# -- text values ---------------------------------------------------------------------------------
def _refold(old: str, folds: list[int], new: str, width: int) -> list[int]:
    """Fold positions (indexes of spaces that become line breaks) for ``new``: the old ones
    before the first changed word; from the line it is in, lines filled up to ``width`` again
    until a break falls where an old one did, and the old ones from there on."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ops = [op for op in sm.get_opcodes() if op[0] != "equal"]
    mapped: list[int] = []
    for f in folds:
        for tag, i1, i2, j1, _j2 in sm.get_opcodes():
            if tag == "equal" and i1 <= f < i2:
                j = j1 + (f - i1)
                if 0 < j < len(new) - 1 and new[j] == " " and new[j - 1] != " " and new[j + 1] != " ":
                    mapped.append(j)
                break
    if not ops:
        return mapped
    first_change = ops[0][3]
    last_change = ops[-1][4]
    out = [f for f in mapped if f < first_change]
    later = [f for f in mapped if f >= last_change]
    pos = out[-1] + 1 if out else 0
    while len(new) - pos > width:
        cut = new.rfind(" ", pos + 1, pos + width + 1)
        if cut <= pos:
            cut = new.find(" ", pos + width)
            if cut < 0:
                break
        if new[cut - 1] == " " or cut + 1 >= len(new) or new[cut + 1] == " ":
            break
        if later and cut >= later[0]:
            if later[0] - pos <= width:
                cut = later[0]
            out.append(cut)
            if cut in later:
                out += [f for f in later if f > cut]
                return out
            pos = cut + 1
            later = [f for f in later if f > cut]
            continue
        out.append(cut)
        pos = cut + 1
        if cut in later:
            out += [f for f in later if f > cut]
            return out
    return out + [f for f in later if f > pos - 1 and (not out or f > out[-1])]


def _lines_width(text: str, folds: list[int]) -> int:
    edges = [-1, *folds, len(text)]
    return max((edges[k + 1] - edges[k] - 1 for k in range(len(edges) - 1)), default=0)


def _scalar(old: Any, new: str) -> Any:
    """``new`` in the style ``old`` was written in."""
    if "\n" in new and not isinstance(old, LiteralScalarString):
        return LiteralScalarString(new)
    if isinstance(old, FoldedScalarString):
        folds = list(getattr(old, "fold_pos", []))
        width = max(_lines_width(str(old), folds), 100)  # a changed line may run a little longer
        out = FoldedScalarString(new)
        out.fold_pos = _refold(str(old), folds, new, width)
        return out
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(new)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(new)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    return _fresh(new)


def _fresh(value: str, width: int = 96) -> Any:
    """A new text value: folded into lines of at most ``width`` when long, else plain (quoted where
    YAML would read it as something else)."""
    if "\n" in value:
        return LiteralScalarString(value)
    if len(value) > width:
        out = FoldedScalarString(value)
        out.fold_pos = _refold("", [], value, width)
        return out
    if not value or value[0] in "[]{}!&*#|>'\"%@`-?:," or ": " in value or " #" in value or \
            value.lower() in ("yes", "no", "on", "off", "true", "false", "null", "~") or \
            value.replace(".", "", 1).isdigit():
        return DoubleQuotedScalarString(value)
    return value


def _flow(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _cell(value: str) -> Any:
    return _fresh(value, width=10_000) if value else DoubleQuotedScalarString("")


def _table(text: str) -> CommentedMap:
    rows = [r.split("\t") for r in text.split("\n")] if text else []
    table = CommentedMap()
    table["header"] = _flow([_cell(c) for c in rows[0]]) if rows else _flow([])
    table["rows"] = CommentedSeq([_flow([_cell(c) for c in r]) for r in rows[1:]])
    return table


def _set(node: CommentedMap, key: str, value: Any) -> None:
    """Set ``key`` where the documented key order puts it (a new key), or in place."""
    if key in node:
        node[key] = value
        return
    rank = _KEY_ORDER.index(key)
    position = len(node)
    for i, k in enumerate(node):
        if k in _KEY_ORDER and _KEY_ORDER.index(k) > rank:
            position = i
            break
    node.insert(position, key, value)


# -- the source tree ------------------------------------------------------------------------------
@dataclass
class _Place:
    node: CommentedMap
    file: _File
    seq: CommentedSeq | None  # the children list holding it; None for a section (a file's root)


class _Source:
    def __init__(self, files: Mapping[str, str], document: str) -> None:
        self.doc = _load(document, files[document])
        self.files: dict[str, _File] = {}
        self.places: dict[str, _Place] = {}
        self.section_of: dict[str, str] = {}  # section clause id → its file name
        self.new_files: dict[str, str] = {}
        self.lists: dict[str, str] = {}  # section file → the document.yaml list naming it
        listed: list[str] = []
        for key in ("sections", "annexes"):
            names = self.doc.data.get(key, []) if isinstance(self.doc.data, CommentedMap) else []
            for name in names or []:
                self.lists[str(name)] = key
                listed.append(str(name))
        for name in listed:
            name = str(name)
            if name not in files:
                continue
            f = _load(name, files[name])
            self.files[name] = f
            if isinstance(f.data, CommentedMap):
                self.section_of[str(f.data.get("id", ""))] = name
                self._index(f.data, f, None)

    def _index(self, node: CommentedMap, f: _File, seq: CommentedSeq | None) -> None:
        self.places[str(node.get("id", ""))] = _Place(node=node, file=f, seq=seq)
        kids = node.get("children")
        if isinstance(kids, CommentedSeq):
            for k in kids:
                if isinstance(k, CommentedMap):
                    self._index(k, f, kids)

    def children(self, parent: str) -> CommentedSeq | None:
        place = self.places.get(parent)
        if place is None:
            return None
        kids = place.node.get("children")
        if not isinstance(kids, CommentedSeq):
            kids = CommentedSeq()
            _set(place.node, "children", kids)
        return kids

    def detach(self, cid: str) -> CommentedMap | None:
        place = self.places.get(cid)
        if place is None:
            return None
        place.file.changed = True
        if place.seq is None:  # a section: unlist its file
            name = self.section_of.get(cid, "")
            sections = self.doc.data.get(self.lists.get(name, "sections"), [])
            if name in sections:
                sections.remove(name)
                self.doc.changed = True
            return place.node
        for i, k in enumerate(place.seq):
            if k is place.node:
                del place.seq[i]
                break
        if not place.seq:
            parent = next((p.node for p in self.places.values() if p.node.get("children") is place.seq), None)
            if parent is not None:
                del parent["children"]
        return place.node

    def attach(self, node: CommentedMap, parent: str, after: str) -> bool:
        cid = str(node.get("id", ""))
        if parent == "":
            return self._attach_section(node, cid, after)
        kids = self.children(parent)
        if kids is None:
            return False
        at = 0
        for i, k in enumerate(kids):
            if isinstance(k, CommentedMap) and str(k.get("id", "")) == after:
                at = i + 1
                break
        kids.insert(at, node)
        place = self.places[parent]
        place.file.changed = True
        self._index(node, place.file, kids)
        return True

    def _attach_section(self, node: CommentedMap, cid: str, after: str) -> bool:
        name = self.section_of.get(cid)
        if name is None or name not in self.files:
            name = f"sections/{cid}.yaml"
            n = 2
            while name in self.files or name in self.new_files:
                name, n = f"sections/{cid}-{n}.yaml", n + 1
            f = _File(name=name, text="", data=node, yaml=_yaml(_LAYOUTS[0]), exact=True, changed=True)
            self.files[name] = f
            self.new_files[name] = name
            self.section_of[cid] = name
        else:
            f = self.files[name]
            f.data = node
            f.changed = True
        prev = self.section_of.get(after, "") if after else ""
        key = self.lists.get(prev, self.lists.get(name, "sections"))
        self.lists[name] = key
        sections = self.doc.data[key]
        at = next((i + 1 for i, s in enumerate(sections) if str(s) == prev), len(sections)) if prev else 0
        sections.insert(at, name)
        self.doc.changed = True
        self._index(node, f, None)
        return True


def _new_node(e: Edit) -> CommentedMap:
    new = e.new_clause
    assert new is not None
    node = CommentedMap()
    node["id"] = new.id
    if new.heading:
        node["heading"] = _fresh(new.heading)
    if new.text:
        node["text"] = _fresh(new.text)
    if new.table:
        node["table"] = _table("\n".join("\t".join(r) for r in new.table))
    return node


def _applies(node: CommentedMap, text: str) -> None:
    """Rewrite ``applies_to`` as the merge gave it ("SRVS|DEVICES" lines), keeping every entry
    that is unchanged as it was written."""
    old = node.get("applies_to")
    existing: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}
    quoted = True
    if isinstance(old, CommentedSeq):
        for entry in old:
            if isinstance(entry, CommentedMap):
                key = (tuple(str(s) for s in entry.get("srvs", [])), tuple(str(d) for d in entry.get("devices", [])))
                existing[key] = entry
                srvs = entry.get("srvs", [])
                quoted = bool(srvs) and isinstance(srvs[0], DoubleQuotedScalarString)
    out = CommentedSeq()
    for line in text.split("\n") if text else []:
        srv_text, _, dev_text = line.partition("|")
        key = (tuple(srv_text.split(",")), tuple(dev_text.split(",")))
        if key in existing:
            out.append(existing[key])
            continue
        entry = CommentedMap()
        entry["srvs"] = _flow([DoubleQuotedScalarString(s) if quoted else s for s in key[0]])
        entry["devices"] = _flow(list(key[1]))
        out.append(entry)
    if out:
        _set(node, "applies_to", out)
    elif "applies_to" in node:
        del node["applies_to"]


def patch_source(files: Mapping[str, str], ops: list[Edit], *, document: str = "document.yaml") -> Patched:
    """Apply ``ops`` to the source files; returns the text of the files that change."""
    src = _Source(files, document)
    result = Patched()
    for e in ops:
        place = src.places.get(e.clause)
        if e.kind == "insert":
            if not src.attach(_new_node(e), e.parent, e.after):
                result.problems.append(f"no clause {e.parent} to add {e.clause} under")
            continue
        if place is None:
            result.problems.append(f"no clause {e.clause} in the source")
            continue
        node = place.node
        if e.kind == "move":
            if e.parent not in src.places and e.parent != "":
                result.problems.append(f"no clause {e.parent} to move {e.clause} under")
                continue
            src.detach(e.clause)
            if not src.attach(node, e.parent, e.after):
                result.problems.append(f"no clause {e.parent} to move {e.clause} under")
            continue
        if e.kind == "remove":
            src.detach(e.clause)
            if place.seq is None:
                result.left.append(src.section_of.get(e.clause, ""))
            for d in _ids(node):
                src.places.pop(d, None)
            continue
        place.file.changed = True
        if e.kind == "text":
            if e.new:
                _set(node, "text", _scalar(node.get("text"), e.new))
            elif "text" in node:
                del node["text"]
        elif e.kind == "heading":
            if e.new:
                _set(node, "heading", _scalar(node.get("heading"), e.new))
            elif "heading" in node:
                del node["heading"]
        elif e.kind == "not_used":
            if e.new == "true":
                _set(node, "not_used", True)
                # A tombstone keeps its id and heading; its words live on in the release snapshot.
                for key in ("text", "table", "applies_to"):
                    if key in node:
                        del node[key]
            elif "not_used" in node:
                del node["not_used"]
        elif e.kind == "table":
            if e.new:
                _set(node, "table", _table(e.new))
            elif "table" in node:
                del node["table"]
        elif e.kind == "applies":
            _applies(node, e.new)
    for f in [src.doc, *src.files.values()]:
        if not f.changed:
            continue
        text = _dump(f.yaml, f.data)
        if text != f.text:
            result.files[f.name] = text
            if not f.exact:
                result.layout_lost.append(f.name)
    return result


def _ids(node: CommentedMap) -> list[str]:
    out = [str(node.get("id", ""))]
    for k in node.get("children", []) or []:
        if isinstance(k, CommentedMap):
            out += _ids(k)
    return out
