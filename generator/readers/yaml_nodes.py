"""YAML → located nodes, with every scalar kept as the text that was written.

We compose with libyaml (fast) and convert nodes ourselves: no implicit typing (``18.10``
stays ``"18.10"``), duplicate keys and aliases are findings, every node keeps its span.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import source as R
from generator.model import Span

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeLoader

_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
         yaml.MappingNode: "tag:yaml.org,2002:map"}


class _Loader(_Base):  # type: ignore[misc]
    """Compose only. Tags are never used (every scalar stays the text written), so PyYAML's
    implicit resolver, a Python call per node, is skipped."""

    def resolve(self, kind: type, _value: object, _implicit: object) -> str:
        return _TAGS[kind]

MAX_FILE_BYTES = 10 * 1024 * 1024

_NON_STRING_PLAIN = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


@dataclass(slots=True)
class YScalar:
    value: str
    span: Span
    plain: bool  # unquoted, so other YAML tools would apply implicit typing
    null: bool = False

    def looks_non_string(self) -> bool:
        if not self.plain:
            return False
        v = self.value.lower()
        if v in _NON_STRING_PLAIN:
            return True
        try:
            float(self.value)
        except ValueError:
            return False
        return True


@dataclass(slots=True)
class YMap:
    items: dict[str, YNode]
    keys: dict[str, Span]
    span: Span


@dataclass(slots=True)
class YSeq:
    items: list[YNode] = field(default_factory=list)
    span: Span = field(default_factory=lambda: Span(file=""))


YNode = YScalar | YMap | YSeq


# ``Span`` is a frozen dataclass: its ``__init__`` sets each field through ``object.__setattr__``
# by name. A span per node and per key (120,000 at 10×) is a fifth of the conversion, so the
# reader fills the slots through their descriptors: the same object, equal and hashed alike.
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
    if root is None:
        return YMap(items={}, keys={}, span=Span(file=file, line=1, col=1))
    return _convert(root, file, diags, set())


_ScalarNode = yaml.ScalarNode
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


def _scalar(node: yaml.ScalarNode, span: Span) -> YScalar:
    plain = not node.style  # libyaml reports plain scalars as '', the Python parser as None
    return YScalar(node.value, span, plain, plain and node.value in _NULLS)


MAX_DEPTH = 64  # YAML nesting; a section's clauses at 12 levels take about 40


def _convert(node: yaml.Node, file: str, diags: list[Diagnostic], seen: set[int], depth: int = 0) -> YNode | None:
    if depth > MAX_DEPTH:
        from generator.diagnostics.rules import safety as S

        diags.append(Diagnostic.make(S.TOO_DEEP, f"values are nested more than {MAX_DEPTH} levels deep here",
                                     _span(file, node), help="flatten the nesting; no content file needs this depth"))
        return None
    # An alias composes to the very same node object a second time.
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
    span = _span(file, node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, span)
    if isinstance(node, yaml.SequenceNode):
        items: list[YNode] = []
        for child in node.value:
            c = _convert(child, file, diags, seen, depth + 1)
            if c is not None:
                items.append(c)
        return YSeq(items=items, span=span)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, YNode] = {}
        keys: dict[str, Span] = {}
        for knode, vnode in node.value:
            kspan = _span(file, knode)
            if not isinstance(knode, yaml.ScalarNode):
                diags.append(Diagnostic.make(R.WRONG_TYPE, "a key must be plain text", kspan))
                continue
            key = knode.value
            if key == "<<":
                diags.append(Diagnostic.make(R.ALIAS, "YAML merge keys (<<) are not allowed", kspan))
                continue
            if key in keys:
                first = keys[key]
                diags.append(
                    Diagnostic.make(
                        R.DUPLICATE_KEY,
                        f"key '{key}' appears twice in this mapping (first at line {first.line})",
                        kspan,
                        help="merge the two values or delete one; YAML would silently keep only the last",
                        related=[Location.of(first)],
                    )
                )
                continue
            v: YNode | None
            if type(vnode) is _ScalarNode and id(vnode) not in seen and depth < MAX_DEPTH:
                # Most values are scalars: the checks of _convert, without a call per value.
                seen.add(id(vnode))
                v = _scalar(vnode, _span(file, vnode))
            else:
                v = _convert(vnode, file, diags, seen, depth + 1)
                if v is None:
                    continue
            keys[key] = kspan
            out[key] = v
        return YMap(items=out, keys=keys, span=span)
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover


def load_file(path: str, display: str, diags: list[Diagnostic]) -> YNode | None:
    """Read, decode and parse one file; ``display`` is the name findings use."""
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
    return parse(text, display, diags)
