"""YAML → located nodes, with every scalar kept as the text that was written.

We compose with libyaml (fast) and convert nodes ourselves: no implicit typing (``18.10``
stays ``"18.10"``), duplicate keys and aliases are findings, every node keeps its span.
"""

from __future__ import annotations

from typing import NamedTuple

import yaml

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import source as R
from generator.model import Span

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeLoader

class _Loader(_Base):  # type: ignore[misc]
    """Compose only. Tags are never used (every scalar stays the text written), and no path
    resolver is registered, so the three resolver hooks the composer calls per node (a Python
    call each, 360,000 at 10×) are C built-ins that take the same arguments and do nothing of
    consequence: ``slice(parent, index)``, ``tuple()``, and ``slice(kind, value, implicit)``
    as a node's (unused) tag."""

    descend_resolver = slice
    ascend_resolver = tuple
    resolve = slice


MAX_FILE_BYTES = 10 * 1024 * 1024

# float() accepts only text that starts with one of these ASCII characters (lower-cased: 'inf',
# 'nan'), or with a non-ASCII space or digit, which the test leaves to float() itself.
_FLOAT_START = frozenset("0123456789+-.in \t\n\r\x0b\x0c")
_NON_STRING_PLAIN = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}
# The first characters (either case) of those words and of what float() may accept.
_NON_STRING_START = frozenset("tfyon~TFYON") | _FLOAT_START | frozenset("IN")


def looks_non_string(value: str) -> bool:
    """Whether ``value``, written plain (unquoted), reads as a number or boolean in other YAML tools."""
    first = value[:1]
    if first not in _NON_STRING_START and first.isascii():  # most ids: no word above and no number
        return False
    v = value.lower()
    if v in _NON_STRING_PLAIN:
        return True
    first = v[:1]
    if first.isascii() and first not in _FLOAT_START:  # float() would refuse it: no exception raised
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


class _Placed:
    """A node's place in its file. Its span is made when asked for (most never are: a finding,
    a clause's own place): the node's marks are kept, a ``Span`` per node is not."""

    __slots__ = ("_file", "_node", "_span")
    _file: str
    _node: yaml.Node | None
    _span: Span | None

    @property
    def span(self) -> Span:
        s = self._span
        if s is None:
            s = self._span = _span(self._file, self._node)  # type: ignore[arg-type]  # node set when span is not
        return s


class YScalar(_Placed):
    """A scalar as written."""

    __slots__ = ("null", "plain", "value")

    def __init__(self, value: str, plain: bool, null: bool, node: yaml.Node | None, file: str,
                 span: Span | None = None) -> None:
        self.value = value
        self.plain = plain  # unquoted, so other YAML tools would apply implicit typing
        self.null = null
        self._node = node
        self._file = file
        self._span = span

    def looks_non_string(self) -> bool:
        return self.plain and looks_non_string(self.value)


class YMap(_Placed):
    """A mapping: its values by key, and where each key and the mapping itself stand (made when asked)."""

    __slots__ = ("_keys", "_knodes", "items")

    def __init__(self, items: dict[str, YNode], knodes: dict[str, yaml.Node], node: yaml.Node | None, file: str,
                 span: Span | None = None) -> None:
        self.items = items
        self._knodes = knodes
        self._keys: dict[str, Span] | None = None
        self._node = node
        self._file = file
        self._span = span

    @property
    def keys(self) -> dict[str, Span]:
        """Every key's span, in the order written."""
        if self._keys is None:
            self._keys = {k: _span(self._file, n) for k, n in self._knodes.items()}
        return self._keys

    def key_span(self, key: str) -> Span:
        return _span(self._file, self._knodes[key])


class YSeq(_Placed):
    __slots__ = ("items",)

    def __init__(self, items: list[YNode], node: yaml.Node | None, file: str, span: Span | None = None) -> None:
        self.items = items
        self._node = node
        self._file = file
        self._span = span


YNode = YScalar | YMap | YSeq


# ``Span`` is a frozen dataclass: its ``__init__`` sets each field through ``object.__setattr__``
# by name. The reader fills the slots through their descriptors: the same object, equal and
# hashed alike, at a fraction of the cost.
_new = object.__new__
_set_file, _set_line, _set_col, _set_end_line, _set_end_col = (
    Span.__dict__[name].__set__ for name in ("file", "line", "col", "end_line", "end_col"))


def _span(file: str, node: yaml.Node) -> Span:
    s, e = node.start_mark, node.end_mark
    span = _new(Span)
    _set_file(span, file)
    _set_line(span, s.line + 1)
    _set_col(span, s.column + 1)
    _set_end_line(span, e.line + 1)
    _set_end_col(span, e.column + 1)
    return span


def span_at(file: str, line: int, col: int, end_line: int, end_col: int) -> Span:
    """``Span(file=…, line=…, …)`` by filling its slots, as ``_span`` does."""
    span = _new(Span)
    _set_file(span, file)
    _set_line(span, line)
    _set_col(span, col)
    _set_end_line(span, end_line)
    _set_end_col(span, end_col)
    return span


def decode(data: bytes, file: str, diags: list[Diagnostic]) -> str | None:
    """UTF-8 only; a BOM is dropped with a note; a bad byte is located by line and column."""
    if len(data) > MAX_FILE_BYTES:
        diags.append(
            Diagnostic.make(
                R.FILE_TOO_LARGE,
                f"{file} is {len(data) / 1e6:.1f} MB; content files are limited to "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
                Span(file=file),
                help="split the section into smaller files, or remove what does not belong",
            )
        )
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        diags.append(
            Diagnostic.make(R.BOM, f"{file} starts with a byte-order mark", Span(file=file, line=1, col=1),
                            help="save the file as UTF-8 without BOM")
        )
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        diags.append(
            Diagnostic.make(
                R.NOT_UTF8,
                f"byte 0x{data[exc.start]:02x} is not valid UTF-8; the file must be saved as UTF-8",
                Span(file=file, line=line, col=col),
                help="re-save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)",
            )
        )
        return None


def parse(text: str, file: str, diags: list[Diagnostic]) -> YNode | None:
    """Parse one YAML document into located nodes; problems go to ``diags``."""
    composed = compose(text, file, diags)
    return None if composed is None else convert(composed, file, diags)


class Composed(NamedTuple):
    """A file's YAML as libyaml composed it (``root`` None for an empty file), before conversion."""

    root: yaml.Node | None
    anchors: bool  # the text holds an '&', so a node may be met twice (an alias)


def compose(text: str, file: str, diags: list[Diagnostic]) -> Composed | None:
    """libyaml's node tree of one YAML document; None (and a finding) where it is not YAML."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or "invalid YAML"
        hint = "check indentation, colons and quotes around this point"
        if "\t" in problem or "tab" in problem:
            hint = "YAML does not allow tabs for indentation; use spaces"
        diags.append(
            Diagnostic.make(
                R.YAML_SYNTAX,
                f"YAML syntax error: {problem}" + (f" ({exc.context})" if exc.context else ""),
                Span(file=file, line=line, col=col),
                help=hint,
            )
        )
        return None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        diags.append(Diagnostic.make(
            R.YAML_SYNTAX, f"character U+{exc.character:04X} cannot appear in a YAML file"
            if isinstance(exc.character, int) else f"YAML error: {exc.reason}",
            Span(file=file, line=line, col=col),
            help="delete the invisible control character at this position (often pasted from a PDF)"))
        return None
    except yaml.YAMLError as exc:
        diags.append(Diagnostic.make(R.YAML_SYNTAX, f"YAML error: {exc}", Span(file=file, line=1, col=1)))
        return None
    # An alias needs an anchor ('&'): without one in the text, no node can be met twice.
    return Composed(root, "&" in text)


def convert(composed: Composed, file: str, diags: list[Diagnostic]) -> YNode | None:
    """The composed tree as located nodes; duplicate keys, aliases and the like go to ``diags``."""
    if composed.root is None:
        return YMap({}, {}, None, file, Span(file=file, line=1, col=1))
    return _convert(composed.root, file, diags, set() if composed.anchors else None)


Node = yaml.Node
_ScalarNode = ScalarNode = yaml.ScalarNode
_SequenceNode = SequenceNode = yaml.SequenceNode
_MappingNode = MappingNode = yaml.MappingNode
_NULLS = NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # plain values that YAML reads as null
node_span = _span  # a composed node's span, for readers that work on the composed tree

MAX_DEPTH = 64  # YAML nesting; a section's clauses at 12 levels take about 40


def _convert(node: yaml.Node, file: str, diags: list[Diagnostic], seen: set[int] | None,
             depth: int = 0) -> YNode | None:
    """``seen``: the nodes met so far, where the text may hold aliases (None where it cannot)."""
    if depth > MAX_DEPTH:
        from generator.diagnostics.rules import safety as S

        diags.append(Diagnostic.make(S.TOO_DEEP, f"values are nested more than {MAX_DEPTH} levels deep here",
                                     _span(file, node), help="flatten the nesting; no content file needs this depth"))
        return None
    # An alias composes to the very same node object a second time.
    if seen is not None:
        if id(node) in seen:
            diags.append(
                Diagnostic.make(
                    R.ALIAS,
                    "YAML anchors and aliases are not allowed in the clause source",
                    _span(file, node),
                    help="write the value out, or use a Device Model group in devices.yaml",
                )
            )
            return None
        seen.add(id(node))
    kind = type(node)
    if kind is _ScalarNode:
        plain = not node.style  # type: ignore[attr-defined]  # a ScalarNode; libyaml's plain style is '', Python's None
        value = node.value
        return YScalar(value, plain, plain and value in _NULLS, node, file)
    if kind is _SequenceNode:
        items: list[YNode] = []
        for child in node.value:
            c = _convert(child, file, diags, seen, depth + 1)
            if c is not None:
                items.append(c)
        return YSeq(items, node, file)
    if kind is _MappingNode:
        out: dict[str, YNode] = {}
        keys: dict[str, yaml.Node] = {}
        inner = depth < MAX_DEPTH
        for knode, vnode in node.value:
            if type(knode) is not _ScalarNode:
                diags.append(Diagnostic.make(R.WRONG_TYPE, "a key must be plain text", _span(file, knode)))
                continue
            key = knode.value
            if key == "<<":
                diags.append(Diagnostic.make(R.ALIAS, "YAML merge keys (<<) are not allowed", _span(file, knode)))
                continue
            if key in keys:
                first = _span(file, keys[key])
                diags.append(
                    Diagnostic.make(
                        R.DUPLICATE_KEY,
                        f"key '{key}' appears twice in this mapping (first at line {first.line})",
                        _span(file, knode),
                        help="merge the two values or delete one; YAML would silently keep only the last",
                        related=[Location.of(first)],
                    )
                )
                continue
            v: YNode | None
            if type(vnode) is _ScalarNode and seen is None and inner:
                # Most values are scalars: the checks of _convert, without a call per value.
                plain = not vnode.style
                value = vnode.value
                v = YScalar(value, plain, plain and value in _NULLS, vnode, file)
            else:
                v = _convert(vnode, file, diags, seen, depth + 1)
                if v is None:
                    continue
            keys[key] = knode
            out[key] = v
        return YMap(out, keys, node, file)
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover


def load_file(path: str, display: str, diags: list[Diagnostic]) -> YNode | None:
    """Read, decode and parse one file; ``display`` is the name findings use."""
    composed = compose_file(path, display, diags)
    return None if composed is None else convert(composed, display, diags)


def compose_file(path: str, display: str, diags: list[Diagnostic]) -> Composed | None:
    """Read, decode and compose one file (``load_file`` before the conversion)."""
    from generator.readers.files import NotRegular, read_regular

    try:
        data = read_regular(path, MAX_FILE_BYTES + 1)
    except NotRegular as exc:
        from generator.diagnostics.rules import safety as S

        diags.append(Diagnostic.make(S.NOT_REGULAR, f"{display} cannot be read: {exc}", Span(file=display),
                                     help="replace it by an ordinary file"))
        return None
    except FileNotFoundError:
        diags.append(
            Diagnostic.make(R.FILE_MISSING, f"{display} does not exist", Span(file=display),
                            help="create it, or correct the name that refers to it")
        )
        return None
    except OSError as exc:
        diags.append(Diagnostic.make(R.FILE_MISSING, f"{display} cannot be read: {exc.strerror}",
                                     Span(file=display)))
        return None
    text = decode(data, display, diags)
    if text is None:
        return None
    return compose(text, display, diags)
