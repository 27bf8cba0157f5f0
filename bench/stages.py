"""The in-process stages and baselines, timed in a fresh process per corpus.

    .venv/bin/python -m bench.stages CONTENT OUT --runs 5 [--once python_docx] > result.json

Run by ``bench.run``; prints one JSON object: for each stage its times (seconds), or why it was
skipped. It also leaves in OUT what the subprocess stages need: the .docx and .xlsx (external
check, LibreOffice), the site pages and nav (bare ``mkdocs build``) and the clauses as StrictDoc
files.

A stage whose code has not landed is skipped with the reason, never failed: the benchmark runs
while the writers it measures are being written.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import importlib.util
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from bench import baselines

Fn = Callable[[], object]


class Skip(Exception):
    """The stage's code is not there (yet): reported, not failed."""


def find(spec: str) -> Callable[..., Any]:
    """``module:function``, or :class:`Skip` naming what is missing."""
    module, _, func = spec.partition(":")
    try:
        found = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        found = None
    if found is None:
        raise Skip(f"not landed: {module.replace('.', '/')}.py")
    mod = importlib.import_module(module)
    fn = getattr(mod, func, None)
    if fn is None:
        raise Skip(f"not landed: {module}.{func}")
    return fn  # type: ignore[no-any-return]


def find_writer(*modules: str) -> Callable[..., Any]:
    """The first public ``write_*`` function of the first of ``modules`` that exists."""
    missing = []
    for module in modules:
        try:
            found = importlib.util.find_spec(module)
        except ModuleNotFoundError:
            found = None
        if found is None:
            missing.append(module.replace(".", "/") + ".py")
            continue
        mod = importlib.import_module(module)
        for name in sorted(dir(mod)):
            if name.startswith("write_") and callable(getattr(mod, name)):
                return getattr(mod, name)  # type: ignore[no-any-return]
        missing.append(f"a write_* function in {module}")
    raise Skip("not landed: " + " or ".join(missing))


def options(project: Any, **extra: Any) -> Any:
    """The options ``api.render`` would give the writers, with the extras this version knows."""
    from generator.app import api

    make = getattr(api, "writer_options", None)
    if make is not None:
        opts = make(project)
    else:
        from generator.writers.options import WriterOptions

        opts = WriterOptions(date=api.source_date(project), author=project.changes.author if project.changes else "")
    known = {f.name for f in dataclasses.fields(opts)}
    return dataclasses.replace(opts, **{k: v for k, v in extra.items() if k in known})


class Timer:
    """Stages are added in order (each runs once as it is added: the warm-up, whose result later
    stages use), then timed round-robin, so that a burst of load on a shared machine falls on
    every stage alike and the ratios between them hold."""

    def __init__(self, runs: int) -> None:
        self.runs = runs
        self.stages: list[tuple[str, Fn]] = []
        self.results: dict[str, dict[str, Any]] = {}

    def time(self, name: str, fn: Fn, *, once: bool = False) -> object:
        """Run ``fn`` now and return its result; ``once`` keeps this run as the only figure."""
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            result = fn()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        except Skip as exc:
            self.results[name] = {"status": "skipped", "note": str(exc)}
            return None
        except Exception as exc:  # a stage under construction may fail; say so, go on
            self.fail(name, exc)
            return None
        if once:
            self.results[name] = {"status": "ok", "times": [wall], "cpu": [cpu]}
        else:
            self.results[name] = {"status": "ok", "times": [], "cpu": []}
            self.stages.append((name, fn))
        return result

    def fail(self, name: str, exc: Exception) -> None:
        self.results[name] = {"status": "error", "note": f"{type(exc).__name__}: {exc}".splitlines()[0][:200],
                              "trace": traceback.format_exc(limit=6)}

    def skip(self, name: str, why: str) -> None:
        self.results[name] = {"status": "skipped", "note": why}

    def rounds(self) -> None:
        for _ in range(self.runs):
            for name, fn in self.stages:
                res = self.results[name]
                if res["status"] != "ok":
                    continue
                try:
                    wall, cpu = time.perf_counter(), time.process_time()
                    fn()
                    res["times"].append(time.perf_counter() - wall)
                    res["cpu"].append(time.process_time() - cpu)
                except Exception as exc:
                    self.fail(name, exc)


def _writer(modules: tuple[str, ...], project: Any, opts: Any) -> Fn:
    def run() -> object:
        return find_writer(*modules)(project, opts)
    return run


def measure(content: str, out: str, runs: int, once: Sequence[str] = (), skip: Sequence[str] = ()) -> dict[str, Any]:
    from generator.app import api
    from generator.passes.consistency import check_consistency
    from generator.passes.matrix import build_matrix
    from generator.passes.numbering import number_project
    from generator.passes.references import resolve_references
    from generator.readers.yaml_source import read_source

    os.makedirs(out, exist_ok=True)
    t = Timer(runs)
    read = t.time("load", lambda: read_source(content))
    assert isinstance(read, tuple) and read[0] is not None, "the synthetic source cannot be read"
    raw = read[0]
    numbered = t.time("number", lambda: number_project(raw))
    assert isinstance(numbered, tuple)
    draft = numbered[0]

    def rest() -> Any:
        resolve_references(draft)
        check_consistency(draft)
        return build_matrix(draft)

    project = t.time("references + matrix", rest)
    project, diags = api.load(content)  # the same, as every command gets it
    assert project is not None

    base: Any = None
    release_project = getattr(api, "release_project", None)
    name = project.baseline.name if project.baseline else ""
    if release_project is not None and name:
        base = t.time("load release", lambda: release_project(project, name))

    changes: Any = None
    if base is not None:
        def diff() -> Any:
            return find("generator.passes.diff:diff_projects")(base, project, from_label=name, to_label="draft")[0]
        changes = t.time("diff", diff)
    else:
        t.skip("diff", "not landed: api.release_project")

    letters: tuple[Any, ...] = ()
    if hasattr(api, "letters"):
        try:
            letters = api.letters(project)[0]
        except Exception as exc:
            t.skip("letter", f"api.letters failed: {type(exc).__name__}: {exc}")
    plain = options(project)
    opts = options(project, baseline=base, changes=changes, letters=letters, against=name if changes else "")

    files = _time_writers(t, project, plain, opts, changes, letters, skip)
    pages = _time_pages(t, project, plain, out)
    artefacts = _artefacts(files, out)
    baselines.write_sdoc(project, os.path.join(out, "sdoc"))

    # -- in-process baselines --------------------------------------------------------------------
    paras = baselines.paragraphs(project)
    t.time("lxml floor", lambda: baselines.lxml_docx(paras))
    if "python-docx" in skip:
        t.skip("python-docx API", "skipped (--skip)")
    else:
        t.time("python-docx API", lambda: baselines.python_docx(paras), once="python-docx" in once)
    cells = baselines.workbook_cells(artefacts.get(".xlsx", ""), project)
    t.time("openpyxl", lambda: baselines.openpyxl_cells(cells))
    t.rounds()

    return {"results": t.results, "artefacts": artefacts, "clauses": sum(1 for _ in _walk(project)),
            "paragraphs": len(paras), "cells": sum(len(v) for v in cells.values()),
            "findings": len(diags), "pages": len(pages)}


def _time_writers(t: Timer, project: Any, plain: Any, opts: Any, changes: Any, letters: tuple[Any, ...],
                  skip: Sequence[str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for stage, modules, with_changes in (
        (".docx", ("generator.writers.docx",), False),
        (".xlsx", ("generator.writers.xlsx",), False),
        ("redline .docx", ("generator.writers.redline_docx", "generator.writers.redline"), True),
        ("redline .xlsx", ("generator.writers.redline_xlsx",), True),
    ):
        if stage in skip:
            t.skip(stage, "skipped (--skip)")
            continue
        if with_changes and changes is None:
            t.skip(stage, "no diff to redline")
            continue
        result = t.time(stage, _writer(modules, project, opts if with_changes else plain))
        if isinstance(result, dict):
            files.update({f"{stage}:{k}": v for k, v in result.items()})
            if t.results[stage]["status"] == "ok" and not result:
                t.results[stage] = {"status": "skipped", "note": "the writer wrote nothing for this corpus"}
    if "letter" not in t.results:
        if not letters:
            t.skip("letter", "no letter was read (api.letters missing, or the letter did not load)")
        else:
            result = t.time("letter", _writer(("generator.writers.letter",), project, opts))
            if isinstance(result, dict):
                files.update({f"letter:{k}": v for k, v in result.items()})

    return files


def _time_pages(t: Timer, project: Any, plain: Any, out: str) -> dict[str, bytes]:
    """The site's pages: every version (r1 as designated and the draft), the releases, the clause
    history, as the plugin generates them with its defaults (render_site; no release files, as a
    plain mkdocs build with the plugin writes none), written out for the bare build of the same pages."""
    try:
        versions = find("generator.app.publication:versions")
        render_site = find("generator.writers.publication:render_site")
    except Skip as exc:
        t.skip("site pages", str(exc))
        return {}
    site: Any = t.time("site pages", lambda: render_site(versions(project, files=False).versions, plain, prefix=""))
    if site is None:
        return {}
    baselines.write_pages(site.pages, site.nav, os.path.join(out, "pages"))
    return dict(site.pages)


def _artefacts(files: dict[str, bytes], out: str) -> dict[str, str]:
    """The .docx and .xlsx for the subprocess stages, written to ``out``; their paths and sizes."""
    docx_bytes = next((v for k, v in files.items() if k.startswith(".docx:") and k.endswith(".docx")), b"")
    xlsx_bytes = next((v for k, v in files.items() if k.startswith(".xlsx:") and k.endswith(".xlsx")), b"")
    artefacts: dict[str, str] = {}
    for key, data, fname in ((".docx", docx_bytes, "S1SR.docx"), (".xlsx", xlsx_bytes, "DMVESM.xlsx")):
        if data:
            path = os.path.join(out, fname)
            with open(path, "wb") as fh:
                fh.write(data)
            artefacts[key] = path
    artefacts["sizes"] = json.dumps({k: len(v) for k, v in files.items()})
    return artefacts


def _walk(project: Any) -> Any:
    from generator.model import walk

    return walk(project.document.sections)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.stages")
    p.add_argument("content")
    p.add_argument("out")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--once", action="append", default=[], help="a stage to run once (e.g. python-docx)")
    p.add_argument("--skip", action="append", default=[], help="a stage to leave out")
    args = p.parse_args(argv)
    data = measure(args.content, args.out, args.runs, args.once, args.skip)
    json.dump(data, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
