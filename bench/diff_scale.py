"""How the diff and the redlines scale: the example's versions, and the same versions replicated
ten times in memory (every section copied with new ids, so the copies are distinct clauses).

    .venv/bin/python -m bench.diff_scale                 # example and 10×, diff only
    .venv/bin/python -m bench.diff_scale --redlines      # also the redline .docx and .xlsx
    .venv/bin/python -m bench.diff_scale --factor 20 --runs 9

The diff is linear when the 10× time is about ten times the 1× time.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from generator.app import api
from generator.model import (
    AppliesTo,
    Clause,
    Inline,
    MatrixCell,
    Project,
    ReleasedClause,
    Renumbering,
    Xref,
    walk,
)
from generator.passes.diff import diff_projects
from generator.writers.options import WriterOptions


def _id(cid: str, k: int) -> str:
    return cid if k == 0 else f"{cid}~{k}"


def _shift(number: str, k: int, sections: int) -> str:
    """Section number N of copy k becomes N + k × sections (18.5p → 41.5p for k=1, 23 sections)."""
    return re.sub(r"^\d+", lambda m: str(int(m.group()) + k * sections), number) if k else number


def _inline(i: Inline, k: int) -> Inline:
    return replace(i, target=_id(i.target, k)) if isinstance(i, Xref) else i


def _clause(c: Clause, k: int, sections: int, devices: set[str]) -> Clause:
    return replace(
        c, id=_id(c.id, k), parent=_id(c.parent, k) if c.parent else "", number=_shift(c.number, k, sections),
        label=_shift(c.label, k, sections) if c.level == 1 else c.label,
        ordinal=(c.ordinal[0] + k * sections, c.ordinal[1]) if c.level == 1 else c.ordinal,
        text=tuple(_inline(i, k) for i in c.text),
        applies_to=tuple(AppliesTo(srvs=a.srvs, devices=tuple(_id(d, k) if d in devices else d for d in a.devices))
                         for a in c.applies_to),
        children=tuple(_clause(x, k, sections, devices) for x in c.children))


def replicate(p: Project, factor: int, stride: int = 0) -> Project:
    """``p`` with its sections, Device Models, groups, matrix and releases copied ``factor`` times;
    copy k numbers its sections from k × ``stride`` + 1 (two versions compared need the same
    stride, or every copy after the first would look renumbered)."""
    sections = stride or len(p.document.sections)
    ids = {d.id for d in p.devices} | {g.id for g in p.groups}
    doc = replace(p.document, sections=tuple(_clause(s, k, sections, ids) for k in range(factor)
                                             for s in p.document.sections))
    releases = tuple(replace(r, clauses=tuple(
        ReleasedClause(id=_id(x.id, k), parent=_id(x.parent, k) if x.parent else "", level=x.level,
                       ordinal=(x.ordinal[0] + k * sections, x.ordinal[1]) if x.level == 1 else x.ordinal,
                       number=_shift(x.number, k, sections), not_used=x.not_used)
        for k in range(factor) for x in r.clauses)) for r in p.releases)
    changes = None
    if p.changes is not None:
        changes = replace(p.changes, renumber=tuple(
            Renumbering(clauses=tuple(_id(c, k) for k in range(factor) for c in r.clauses), reason=r.reason)
            for r in p.changes.renumber))
    return replace(
        p, document=doc, releases=releases, changes=changes,
        devices=tuple(replace(d, id=_id(d.id, k)) for k in range(factor) for d in p.devices),
        groups=tuple(replace(g, id=_id(g.id, k), members=tuple(_id(m, k) for m in g.members))
                     for k in range(factor) for g in p.groups),
        matrix=tuple(MatrixCell(srv=m.srv, device=_id(m.device, k), clauses=tuple(_id(c, k) for c in m.clauses))
                     for k in range(factor) for m in p.matrix))


def _median(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.diff_scale", description=__doc__.splitlines()[0])
    parser.add_argument("--content", default="content")
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--redlines", action="store_true", help="also time the redline .docx and .xlsx")
    args = parser.parse_args(argv)
    draft, _ = api.load(args.content)
    assert draft is not None
    pairs = {"v11 → v12": (api.release_project(draft, "v11"), api.release_project(draft, "v12")),
             "v12 → draft": (api.release_project(draft, "v12"), draft)}
    print(f"{'pair':<14} {'scale':>5} {'clauses':>8} {'changes':>8} {'diff ms':>9} {'ratio':>6}"
          + (f" {'redline docx ms':>16} {'redline xlsx ms':>16}" if args.redlines else ""))
    for name, (old, new) in pairs.items():
        base = 0.0
        for factor in (1, args.factor):
            stride = max(len(old.document.sections), len(new.document.sections))
            a, b = (old, new) if factor == 1 else (replicate(old, factor, stride), replicate(new, factor, stride))
            changes = diff_projects(a, b, from_label=name.split()[0], to_label="draft")[0]
            t = _median(partial(diff_projects, a, b), args.runs)
            base = base or t
            line = (f"{name:<14} {factor:>4}× {sum(1 for _ in walk(b.document.sections)):>8} "
                    f"{len(changes.clauses) + len(changes.matrix):>8} {t * 1000:>9.1f} {t / base:>6.1f}")
            if args.redlines:
                from generator.writers.redline_docx import write_redline_docx
                from generator.writers.redline_xlsx import write_redline_xlsx

                opts = WriterOptions(date="2025-04-30", baseline=a, changes=changes)
                docx_t = _median(partial(write_redline_docx, b, opts), max(1, args.runs // 3))
                xlsx_t = _median(partial(write_redline_xlsx, b, opts), max(1, args.runs // 3))
                line += f" {docx_t * 1000:>16.0f} {xlsx_t * 1000:>16.0f}"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
