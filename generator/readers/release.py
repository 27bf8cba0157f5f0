"""Release snapshots (``content/releases/NAME.json``) → Release facts, or a whole Project."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Mapping
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
    Inline,
    MatrixCell,
    NumberingLevel,
    NumberingScheme,
    Project,
    Release,
    ReleasedClause,
    Renumbering,
    Span,
    Srv,
    Table,
)
from generator.model.clause import new_clause
from generator.model.document import default_annex_levels
from generator.model.names import name_problem, printable, url_problem
from generator.model.release import released_clause
from generator.readers.files import inside
from generator.readers.inline import parse_inline

FORMAT = "s1sr-release/1"
MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32  # JSON nesting: a snapshot's deepest value is a clause's table row (5 levels)
MAX_CLAUSE_DEPTH = 12  # levels of clauses below a section (as the YAML reader allows)
MAX_START = 32767  # the largest list start value Word accepts


class SnapshotError(ValueError):
    """A snapshot that this version cannot read (bad JSON, wrong format, missing fields)."""


_NOT_SYNTAX = bytes(b for b in range(256) if b not in b'[]{}"')
_STRING = re.compile(rb'"[^"]*"')
_PAIR = re.compile(rb"\[\]|\{\}")


def _deeper_than(raw: bytes, limit: int) -> bool:
    """Whether ``[``/``{`` nest more than ``limit`` deep outside strings, in C-speed passes: the
    strings and everything but the brackets are dropped, then each pass removes the innermost
    pairs, one level of nesting (a snapshot is 5 deep; the exact walk of :func:`_nesting`, a
    Python step per byte, cost 0.4 s on a 7 MB snapshot). Unbalanced brackets count as too
    deep, so that :func:`_nesting` looks at them."""
    # Backslashes occur only in strings: escaped backslashes go, then escaped quotes, and every
    # other quote opens or closes a string. Then only brackets and quotes matter. Two quotes side
    # by side close one string and open the next (or hold an empty one): dropping them merges
    # strings, which keeps what is outside; the few strings left hold brackets.
    if b"\\" in raw:  # most snapshots hold no escape at all: two passes over the file spared
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    syntax = raw.translate(None, _NOT_SYNTAX)
    brackets = _STRING.sub(b"", syntax.replace(b'""', b""))
    for _ in range(limit):
        if not brackets:
            return False
        brackets = _PAIR.sub(b"", brackets)
    return bool(brackets)


def _nesting(raw: bytes) -> tuple[int, int]:
    """The deepest nesting of ``[``/``{`` outside strings, and the line where it is first passed
    (so that a runaway file is refused before the recursive JSON parser sees it)."""
    depth = worst = 0
    line = at = 1
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > worst:
                worst, at = depth, line
        elif byte in (0x5D, 0x7D):
            depth -= 1
        if byte == 0x0A:
            line += 1
    return worst, at


# A command reads each snapshot once: reading the source lists every release (its numbers), and
# the baseline's whole Project comes from the same parsed file. Keyed by the file's identity
# and modification, so a snapshot written since is read again.
_PARSED: dict[str, tuple[tuple[int, int, int], dict[str, Any]]] = {}


def _load(path: str) -> dict[str, Any]:
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise SnapshotError("not an ordinary file (a folder, pipe or device)")
    key = (st.st_ino, st.st_size, st.st_mtime_ns)
    cached = _PARSED.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    data = _parse(path, st.st_size)
    if len(_PARSED) >= 8:
        _PARSED.pop(next(iter(_PARSED)))
    _PARSED[path] = (key, data)
    return data


def _parse(path: str, size: int) -> dict[str, Any]:
    if size > MAX_BYTES:
        raise SnapshotError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a pipe never blocks the read
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    return _decode(raw)


def _decode(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BYTES:
        raise SnapshotError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    if _deeper_than(raw, MAX_DEPTH):
        depth, line = _nesting(raw)
        if depth > MAX_DEPTH:
            raise SnapshotError(f"nested {depth} levels deep at line {line}; a snapshot is at most {MAX_DEPTH} deep")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SnapshotError("not UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    fmt = data.get("format") if isinstance(data, dict) else None
    if isinstance(fmt, str) and fmt.startswith("s1sr-release/") and fmt != FORMAT:
        raise SnapshotError(f"its format is {fmt}; this version of s1sr reads {FORMAT}")
    if not isinstance(data, dict) or fmt != FORMAT:
        raise SnapshotError(f"not a release snapshot (expected \"format\": \"{FORMAT}\")")
    return data


def _start(value: object) -> int:
    """A numbering start value as written by s1sr: a whole number from 0 to Word's limit."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_START:
        raise SnapshotError(f"numbering start {value!r} is not a whole number from 0 to {MAX_START}")
    return value


def _release(data: dict[str, Any], span: Span) -> Release:
    """The snapshot's release record, checked. The check reads a snapshot twice (its record
    with the content folder, the whole project for a comparison) from the one parsed ``data``
    (``_load`` caches it), so the record made from the same object is made once."""
    made = _RELEASED.get(id(data))
    if made is not None and made[0] is data and made[1].span == span:
        return made[1]
    release = _make_release(data, span)
    if len(_RELEASED) >= 8:
        _RELEASED.pop(next(iter(_RELEASED)))
    _RELEASED[id(data)] = (data, release)
    return release


# id(parsed snapshot) → (that snapshot, its record); the snapshot is held so its id is not reused.
_RELEASED: dict[int, tuple[dict[str, Any], Release]] = {}


def _make_release(data: dict[str, Any], span: Span) -> Release:
    try:
        clauses = tuple([
            released_clause(str(c["id"]), str(c["parent"]), int(c["level"]),
                            (int(c["ordinal"][0]), int(c["ordinal"][1])), str(c["number"]),
                            bool(c.get("not_used", False)), bool(c.get("annex", False)),
                            str(c.get("vacated_by") or ""))
            for c in data["clauses"]
        ])
        release = Release(
            name=str(data["name"]), date=str(data.get("date", "")), version=str(data["document"]["version"]),
            clauses=clauses, content_hash=str(data.get("content_hash", "")), against=str(data.get("against") or ""),
            outputs=tuple(sorted((str(k), str(v)) for k, v in data.get("outputs", {}).items())), span=span,
            pdf_made_by=str(data.get("pdf_made_by", "")),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise SnapshotError(f"missing or malformed field: {exc}") from exc
    _check_tree(clauses)
    return release


def _check_tree(clauses: tuple[ReleasedClause, ...]) -> None:
    """Ids unique, every parent a clause of the snapshot, no clause its own ancestor: the passes
    walk parents, and a cycle would never end."""
    # s1sr writes a parent before its children: then one pass shows all of it (each clause's
    # parent already met, so no cycle; the depths as they come). Else, or where something is
    # wrong, the walks below say what.
    depth: dict[str, int] = {"": 0}
    deepest = MAX_CLAUSE_DEPTH + 1
    for c in clauses:
        level = depth.get(c.parent, deepest) + 1
        if level > deepest or c.id in depth:
            break
        depth[c.id] = level
    else:
        return
    _check_tree_walks(clauses)


def _check_tree_walks(clauses: tuple[ReleasedClause, ...]) -> None:
    parent: dict[str, str] = {}
    for c in clauses:
        if c.id in parent:
            raise SnapshotError(f"clause id '{c.id}' appears twice")
        parent[c.id] = c.parent
    for c in clauses:
        if c.parent and c.parent not in parent:
            raise SnapshotError(f"clause '{c.id}' names the parent '{c.parent}', which is not a clause of the snapshot")
    rooted: set[str] = set()
    for c in clauses:
        path: list[str] = []
        on_path: set[str] = set()
        up = c.id
        while up and up not in rooted:
            if up in on_path:
                raise SnapshotError(f"clause '{up}' is its own ancestor")
            path.append(up)
            on_path.add(up)
            up = parent[up]
        rooted.update(path)
    # The tree is built recursively from the snapshot: its depth is bounded here, not by the stack.
    depth: dict[str, int] = {"": 0}
    for c in clauses:
        chain: list[str] = []
        up = c.id
        while up not in depth:
            chain.append(up)
            up = parent[up]
        level = depth[up]
        for x in reversed(chain):
            level += 1
            depth[x] = level
        if depth[c.id] > MAX_CLAUSE_DEPTH + 1:
            raise SnapshotError(f"clause '{c.id}' is nested {depth[c.id]} levels deep; clauses are at most "
                                f"{MAX_CLAUSE_DEPTH + 1} deep")


def read_releases(folder: str, show: Callable[[str], str], diags: list[Diagnostic]) -> tuple[Release, ...]:
    """Every snapshot in ``folder``, oldest first (by date, then name)."""
    if not os.path.isdir(folder):
        return ()
    out: list[Release] = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(folder, name)
        span = Span(file=show(path), line=1, col=1)
        if inside(folder, name, show(path), diags) is None:
            continue
        if problem := name_problem(name[: -len(".json")]):
            diags.append(Diagnostic.make(S.UNSAFE_FILE_NAME, f"release snapshot {show(path)}: its name cannot name "
                                         f"outputs: {problem}", span, help="rename it, e.g. releases/v13.json"))
            continue
        try:
            out.append(_release(_load(path), span))
        except (SnapshotError, OSError) as exc:
            diags.append(Diagnostic.make(R.BAD_RELEASE, f"release snapshot {show(path)} cannot be read: {exc}",
                                         span, help="restore it from version control; snapshots are not hand-edited"))
    out.sort(key=lambda r: (r.date, r.name))
    return tuple(out)


def read_release_project(path: str, display: str, srvs: tuple[Srv, ...], releases: tuple[Release, ...], *,
                         parsed: Mapping[str, tuple[Inline, ...]] | None = None) -> Project:
    """A snapshot as a whole Project, numbered exactly as it was released. ``parsed`` maps
    clause text to its inline nodes where they are already known (the draft's text, mostly
    the same as the release's) and hold no place in a file (no cross-reference).

    Raises SnapshotError; the caller reports it.
    """
    return _project(_load(path), display, os.path.dirname(os.path.dirname(path)), srvs, releases, parsed or {})


def read_snapshot_project(raw: bytes, display: str, root: str, srvs: tuple[Srv, ...],
                          releases: tuple[Release, ...]) -> Project:
    """A snapshot held elsewhere than in a releases folder (the one a built .docx carries) as a
    whole Project, numbered as it was built. Raises SnapshotError."""
    return _project(_decode(raw), display, root, srvs, releases)


def _project(data: dict[str, Any], display: str, root: str, srvs: tuple[Srv, ...],
             releases: tuple[Release, ...], parsed: Mapping[str, tuple[Inline, ...]] | None = None) -> Project:
    parsed = parsed or {}
    release = _release(data, Span(file=display, line=1, col=1))
    try:
        d = data["document"]
        def levels(entries: list[dict[str, Any]]) -> tuple[NumberingLevel, ...]:
            return tuple(
                NumberingLevel(name=lv["name"], style=lv["style"], ref=lv["ref"], label=lv.get("label", "{ref}"),
                               cite=lv.get("cite", "{ref}"), insert=lv.get("insert", "upper-alpha"),
                               start=_start(lv.get("start", 1)))
                for lv in entries)

        body = levels(d["numbering"])
        scheme = NumberingScheme(levels=body, annex=levels(d["annex_numbering"]) if "annex_numbering" in d
                                 else default_annex_levels(body))
        if problem := url_problem(str(d.get("site_url", ""))):
            raise SnapshotError(f"its document site_url '{printable(str(d['site_url']), 80)}' cannot become a link: "
                                f"{problem}")
        for key in ("id", "short_title", "version"):
            if d.get(key) and (problem := name_problem(str(d[key]))):
                raise SnapshotError(f"its document {key} '{printable(str(d[key]), 80)}' cannot name a file: {problem}")
        # Each clause with its numbering record (``release.clauses``, made from the same entries in
        # the same order): its numbers, parent and flags are read and converted once, not twice.
        kids: dict[str, list[tuple[dict[str, Any], ReleasedClause]]] = {}
        for c, rc in zip(data["clauses"], release.clauses, strict=True):
            kids.setdefault(c["parent"], []).append((c, rc))

        span = Span(file=display, line=0, col=0)  # frozen: one for every clause of the snapshot

        def build(parent: str) -> tuple[Clause, ...]:
            out = []
            for c, rc in kids[parent]:
                cid = c["id"]
                raw = c.get("text", "")
                table = c.get("table")
                applies = c.get("applies_to", [])
                out.append(new_clause(  # the fields in order (see new_clause)
                    cid, c.get("heading", ""), raw, parsed.get(raw) or parse_inline(raw, span),
                    Table(header=tuple(table["header"]), rows=tuple(tuple(r) for r in table["rows"]))
                    if table else None,
                    build(cid) if cid in kids else (), rc.not_used, rc.annex,
                    tuple(AppliesTo(srvs=tuple(a["srvs"]), devices=tuple(a["devices"]), note=str(a.get("note", "")))
                          for a in applies) if applies != [] else (),
                    tuple(c.get("tags", ())), span,
                    # The numbers as designated: a release is never renumbered.
                    rc.level, rc.ordinal, rc.number, str(c.get("label") or rc.number), rc.parent, rc.vacated_by,
                ))
            return tuple(out)

        document = Document(
            id=d["id"], title=d["title"], short_title=d.get("short_title", d["id"]),
            appendix=d.get("appendix", ""), status="designated", version=d["version"], date=d.get("date", ""),
            site_url=d.get("site_url", ""), scheme=scheme, sections=build("") if "" in kids else (),
            matrix_annex=str(d.get("matrix_annex", "")), span=Span(file=display),
        )
        devices = tuple(DeviceModel(id=x["id"], manufacturer=x["manufacturer"], model=x["model"],
                                    device_type=x["type"], cohort=x["cohort"], firmware=x.get("firmware", ""),
                                    not_applicable=tuple(str(s) for s in x.get("not_applicable", ())))
                        for x in data["devices"])
        groups = tuple(DeviceGroup(id=g["id"], name=g["name"], members=tuple(g["members"]))
                       for g in data.get("groups", []))
        # The matrix as designated: for an imported release it may disagree with applies_to
        # (a hand-kept DMVESM citing stale numbers), and that disagreement is the evidence.
        matrix = tuple(MatrixCell(srv=str(m["srv"]), device=str(m["device"]), clauses=tuple(m["clauses"]),
                                  note=str(m.get("note", "")))
                       for m in data.get("matrix", []))
        recorded = data.get("changes")
        changes = None if recorded is None else ChangeSet(
            against=str(recorded.get("against", "")),
            renumber=tuple(Renumbering(clauses=tuple(str(x) for x in r["clauses"]), reason=str(r.get("reason", "")))
                           for r in recorded.get("renumber", [])))
    except SnapshotError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SnapshotError(f"missing or malformed field: {exc}") from exc
    # Numbered against itself, every clause is frozen: the numbers come out as released.
    known = (*tuple(r for r in releases if r.name != release.name), release)
    return Project(root=root, document=document, devices=devices, groups=groups,
                   srvs=srvs, changes=changes, releases=known, matrix=matrix, span=Span(file=display))
