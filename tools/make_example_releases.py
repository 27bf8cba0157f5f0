"""Reconstruct the designated history of the example: ``content/releases/v11.json`` and ``v12.json``.

The example in ``content/`` is the *draft* of S1SR version 13, numbered against version 12. So
that the demo shows the 18.5 numbering incident (see DESIGN.md), the two versions before it must
exist as release snapshots. This script rebuilds them from the draft source, in memory, through the
package API; no YAML is edited.

The rules, applied to the draft's clause tree:

* **v11** (version 11.0, designated 2023-11-02) is the draft minus every clause the draft adds.
  A clause is new in the draft if, and only if, it carries one of the tags in ``NEW_IN_DRAFT``;
  it is dropped together with its children. The clauses that v12 later amended take back their
  version 11 wording from ``V11_WORDING``. In v11, 18.5 has sub-clauses a-s and 18.5p has the items
  (i)-(iii).
* **v12** (version 12.0, designated 2024-11-07) is v11 with v12's wording and the formatting error:
  the items of 18.5p (``pd-clock-adjusted``) are moved out of it to become sub-clauses directly
  after it, so that, numbered afresh, they are 18.5q, 18.5r and 18.5s, and v11's 18.5q-18.5s become
  18.5t-18.5v.
* The DMVESM designated with v12 was kept by hand and was not updated: every cell cites the same
  numbers as in v11. So v12's matrix is v11's matrix with each cited number looked up in v12's
  numbering (a v11 cell citing 18.5q becomes a v12 cell pointing at the clause numbered 18.5q in
  v12, which is the first item of 18.5p). ``s1sr build --release v12`` renders that matrix.

Each version is numbered with no releases and no change set, so the numbers are plain sequential
numbers, as Word's automatic numbering produced them; snapshots are written with
``origin="reconstructed"``.

Usage (from the repository root), then commit the two snapshots::

    .venv/bin/python tools/make_example_releases.py [--content content]
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from generator.app.outputs import replace_file
from generator.diagnostics import Diagnostic, Severity
from generator.model import Clause, MatrixCell, Project, walk
from generator.passes.consistency import check_consistency
from generator.passes.matrix import build_matrix
from generator.passes.numbering import number_project
from generator.passes.references import resolve_references
from generator.readers.inline import parse_inline
from generator.readers.yaml_source import read_source
from generator.writers.json_export import snapshot

# A clause carrying any of these tags is new in the draft, so it is not in v11 or v12.
NEW_IN_DRAFT = frozenset({"apr-2025-device-behaviours", "apr-2025-lg-foc-config"})

# Clause text that v12 amended: the wording designated in v11 (the draft keeps v12's wording).
V11_WORDING = {
    "fw-activation": (
        "A SMETS1 Device activates new firmware when the S1SP sends the activation step for SRV 11.3. "
        "Where the Service Request is future dated, the S1SP sends the activation step at the "
        "execution date and time."
    ),
}

# The sub-clause whose items v12 numbered as sub-clauses of their own, and its parent.
ITEMS_OF = "pd-clock-adjusted"
LIST_PARENT = "pd-device-behaviours"

V11 = {"name": "v11", "version": "11.0", "date": "2023-11-02"}
V12 = {"name": "v12", "version": "12.0", "date": "2024-11-07"}


def drop_new(clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
    """The clauses without those new in the draft (and their children)."""
    return tuple(replace(c, children=drop_new(c.children)) for c in clauses if not NEW_IN_DRAFT & set(c.tags))


def reword(clauses: tuple[Clause, ...], wording: dict[str, str]) -> tuple[Clause, ...]:
    out = []
    for c in clauses:
        if c.id in wording:
            c = replace(c, raw_text=wording[c.id], text=parse_inline(wording[c.id], c.span))
        out.append(replace(c, children=reword(c.children, wording)))
    return tuple(out)


def lift_items(clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
    """The v12 formatting error: ITEMS_OF's children become its following siblings."""
    out: list[Clause] = []
    for c in clauses:
        if c.id == LIST_PARENT:
            kids: list[Clause] = []
            for k in c.children:
                if k.id == ITEMS_OF:
                    kids.append(replace(k, children=()))
                    kids.extend(k.children)
                else:
                    kids.append(k)
            c = replace(c, children=tuple(kids))
        out.append(replace(c, children=lift_items(c.children)))
    return tuple(out)


def numbered(base: Project, sections: tuple[Clause, ...], meta: dict[str, str]) -> Project:
    """``sections`` as a designated version, numbered as Word numbered it (no frozen numbers)."""
    doc = replace(base.document, version=meta["version"], status="designated", date=meta["date"],
                  sections=sections)
    project, diags = number_project(replace(base, document=doc, releases=(), changes=None, matrix=()))
    diags = [*diags, *resolve_references(project), *check_consistency(project)]
    errors = [d for d in diags if d.severity is Severity.ERROR]
    if errors:
        _fail(f"{meta['name']} does not resolve cleanly", errors)
    return project


def carried_matrix(v11: Project, v12: Project) -> tuple[MatrixCell, ...]:
    """v11's cells, each cited number read as the clause bearing that number in v12."""
    number_v11 = {c.id: c.number for c in walk(v11.document.sections)}
    at_number_v12 = {c.number: c.id for c in walk(v12.document.sections)}
    cells = []
    for cell in v11.matrix:
        ids: dict[str, None] = {}
        for cid in cell.clauses:
            ids.setdefault(at_number_v12[number_v11[cid]], None)
        cells.append(MatrixCell(srv=cell.srv, device=cell.device, clauses=tuple(ids)))
    return tuple(cells)


def _fail(message: str, diags: list[Diagnostic]) -> None:
    sys.stderr.write(f"make_example_releases: {message}\n")
    for d in diags:
        sys.stderr.write(f"  {d.location}: {d.code} {d.message}\n")
    raise SystemExit(1)


def build(content: str) -> tuple[Project, Project]:
    project, diags = read_source(content)
    errors = [d for d in diags if d.severity is Severity.ERROR]
    if project is None or errors:
        _fail(f"{content} cannot be read", errors)
    assert project is not None
    base = replace(project, releases=(), changes=None, matrix=())
    v11_tree = reword(drop_new(base.document.sections), V11_WORDING)
    v11 = build_matrix(numbered(base, v11_tree, V11))
    v12_tree = lift_items(drop_new(base.document.sections))
    v12 = numbered(base, v12_tree, V12)
    return v11, replace(v12, matrix=carried_matrix(v11, v12))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default="content", help="the example content folder (default: content)")
    args = parser.parse_args(argv)
    v11, v12 = build(args.content)
    for project, meta in ((v11, V11), (v12, V12)):
        path = os.path.join(args.content, "releases", f"{meta['name']}.json")
        replace_file(path, snapshot(project, meta["name"], meta["date"], origin="reconstructed"))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
