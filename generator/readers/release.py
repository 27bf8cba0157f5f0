"""Release snapshots (``content/releases/NAME.json``) → Release facts, or a whole Project."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from generator.diagnostics import Diagnostic
from generator.diagnostics.rules import source as R
from generator.model import (
    AppliesTo,
    Clause,
    DeviceGroup,
    DeviceModel,
    Document,
    MatrixCell,
    NumberingLevel,
    NumberingScheme,
    Project,
    Release,
    ReleasedClause,
    Span,
    Srv,
    Table,
)
from generator.model.document import default_annex_levels
from generator.readers.inline import parse_inline

FORMAT = "s1sr-release/1"
MAX_BYTES = 64 * 1024 * 1024


class SnapshotError(ValueError):
    """A snapshot that this version cannot read (bad JSON, wrong format, missing fields)."""


def _load(path: str) -> dict[str, Any]:
    if os.path.getsize(path) > MAX_BYTES:
        raise SnapshotError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    with open(path, "rb") as fh:
        raw = fh.read()
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


def _release(data: dict[str, Any], span: Span) -> Release:
    try:
        clauses = tuple(
            ReleasedClause(
                id=str(c["id"]), parent=str(c["parent"]), level=int(c["level"]),
                ordinal=(int(c["ordinal"][0]), int(c["ordinal"][1])), number=str(c["number"]),
                not_used=bool(c.get("not_used", False)), annex=bool(c.get("annex", False)),
            )
            for c in data["clauses"]
        )
        release = Release(
            name=str(data["name"]), date=str(data.get("date", "")), version=str(data["document"]["version"]),
            clauses=clauses, content_hash=str(data.get("content_hash", "")),
            outputs=tuple(sorted((str(k), str(v)) for k, v in data.get("outputs", {}).items())), span=span,
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise SnapshotError(f"missing or malformed field: {exc}") from exc
    _check_tree(clauses)
    return release


def _check_tree(clauses: tuple[ReleasedClause, ...]) -> None:
    """Ids unique, every parent a clause of the snapshot, no clause its own ancestor: the passes
    walk parents, and a cycle would never end."""
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
        try:
            out.append(_release(_load(path), span))
        except (SnapshotError, OSError) as exc:
            diags.append(Diagnostic.make(R.BAD_RELEASE, f"release snapshot {show(path)} cannot be read: {exc}",
                                         span, help="restore it from version control; snapshots are not hand-edited"))
    out.sort(key=lambda r: (r.date, r.name))
    return tuple(out)


def read_release_project(path: str, display: str, srvs: tuple[Srv, ...], releases: tuple[Release, ...]) -> Project:
    """A snapshot as a whole Project, numbered exactly as it was released.

    Raises SnapshotError; the caller reports it.
    """
    data = _load(path)
    release = _release(data, Span(file=display, line=1, col=1))
    try:
        d = data["document"]
        def levels(entries: list[dict[str, Any]]) -> tuple[NumberingLevel, ...]:
            return tuple(
                NumberingLevel(name=lv["name"], style=lv["style"], ref=lv["ref"], label=lv.get("label", "{ref}"),
                               cite=lv.get("cite", "{ref}"), insert=lv.get("insert", "upper-alpha"),
                               start=int(lv.get("start", 1)))
                for lv in entries)

        body = levels(d["numbering"])
        scheme = NumberingScheme(levels=body, annex=levels(d["annex_numbering"]) if "annex_numbering" in d
                                 else default_annex_levels(body))
        kids: dict[str, list[dict[str, Any]]] = {}
        for c in data["clauses"]:
            kids.setdefault(c["parent"], []).append(c)

        def build(parent: str) -> tuple[Clause, ...]:
            out = []
            for c in kids.get(parent, []):
                span = Span(file=display, line=0, col=0)
                table = c.get("table")
                out.append(Clause(
                    id=c["id"], heading=c.get("heading", ""), raw_text=c.get("text", ""),
                    text=parse_inline(c.get("text", ""), span),
                    table=Table(header=tuple(table["header"]), rows=tuple(tuple(r) for r in table["rows"]))
                    if table else None,
                    children=build(c["id"]), not_used=bool(c.get("not_used", False)),
                    annex=bool(c.get("annex", False)),
                    applies_to=tuple(AppliesTo(srvs=tuple(a["srvs"]), devices=tuple(a["devices"]))
                                     for a in c.get("applies_to", [])),
                    tags=tuple(c.get("tags", [])), span=span,
                    # The numbers as designated: a release is never renumbered.
                    level=int(c["level"]), ordinal=(int(c["ordinal"][0]), int(c["ordinal"][1])),
                    number=str(c["number"]), label=str(c.get("label") or c["number"]), parent=str(c["parent"]),
                ))
            return tuple(out)

        document = Document(
            id=d["id"], title=d["title"], short_title=d.get("short_title", d["id"]),
            appendix=d.get("appendix", ""), status="designated", version=d["version"], date=d.get("date", ""),
            site_url=d.get("site_url", ""), scheme=scheme, sections=build(""),
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
        matrix = tuple(MatrixCell(srv=str(m["srv"]), device=str(m["device"]), clauses=tuple(m["clauses"]))
                       for m in data.get("matrix", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"missing or malformed field: {exc}") from exc
    # Numbered against itself, every clause is frozen: the numbers come out as released.
    known = (*tuple(r for r in releases if r.name != release.name), release)
    return Project(root=os.path.dirname(os.path.dirname(path)), document=document, devices=devices, groups=groups,
                   srvs=srvs, changes=None, releases=known, matrix=matrix, span=Span(file=display))
