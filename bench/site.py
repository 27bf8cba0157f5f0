"""The S1SR site against a bare ``mkdocs build`` of the same pages, at 1× and 10×, in one run:

    .venv/bin/python -m bench.site                  # 1× and 10×, 3 rounds each
    .venv/bin/python -m bench.site --scales 1 --runs 5

For each scale: write the synthetic corpus (``bench.synth``: a draft and its release ``r1``),
then, round-robin so that the load of a shared machine falls on every row alike:

- ``mkdocs build`` with the s1sr plugin (its defaults: the plugin reads the source and the
  release, generates every page and the clause entries of the search, turns on Material's
  ``navigation.prune``);
- a bare ``mkdocs build`` of the very pages the plugin generates (``render_site``, written out
  once into a docs folder), same theme, extensions, nav and stylesheet, no plugin: MkDocs alone;
- the same bare build with ``navigation.prune``: how much of the difference is the pruning.

Each row gives the median wall time, the median CPU time (user + system, from ``wait4``) and the
ratio to the bare build on both; the site's target is judged on CPU time, which the machine's
other users cannot add to. The HTML page sets of the plugin's site and the bare one are compared
(the same pages, or the report says which differ), and their sizes given. The table is printed
and written to ``WORK/site.md``, the figures to ``WORK/site.json``. No test asserts these times.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import baselines, synth
from bench.run import BIN, OUT, REPO, Cmd, Row, rounds, site_target

ROWS = (("mkdocs build", "S1SR site: mkdocs build with the s1sr plugin"),
        ("bare mkdocs build", "bare mkdocs build of the same pages (baseline)"),
        ("bare + prune", "bare mkdocs build of the same pages, with navigation.prune"))


def generated_pages(content: Path, docs: Path) -> dict[str, Any]:
    """Write the pages the plugin generates for ``content`` (with its defaults, prefix "") into
    ``docs`` with their nav beside it; returns how long that took and how many there are."""
    from generator.app import api
    from generator.app.publication import versions
    from generator.writers.publication import render_site

    project, _ = api.load(str(content))
    assert project is not None, f"the synthetic source in {content} cannot be read"
    wall, cpu = time.perf_counter(), time.process_time()
    published = versions(project, files=False)
    site = render_site(published.versions, api.writer_options(project), prefix="")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    baselines.write_pages(site.pages, site.nav, str(docs))
    return {"pages": len(site.pages), "versions": len(published.versions), "search entries": len(site.search),
            "markdown bytes": sum(len(v) for v in site.pages.values()), "generate wall": wall, "generate cpu": cpu}


def _html(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(factor: float, *, runs: int, seed: int, work: Path, log: Any) -> dict[str, Any]:
    folder = work / f"site-{factor:g}x"
    content = folder / "content"
    folder.mkdir(parents=True, exist_ok=True)
    log(f"[{factor:g}×] writing the corpus into {content} …")
    summary = synth.generate(content, scale=factor, seed=seed)
    if (REPO / "templates").is_dir():  # a project keeps its templates beside its content folder
        shutil.rmtree(folder / "templates", ignore_errors=True)
        shutil.copytree(REPO / "templates", folder / "templates")
    log(f"[{factor:g}×] generating the pages for the bare build …")
    pages = folder / "pages"
    facts = generated_pages(content, pages)
    nav = json.loads((folder / "pages-nav.json").read_text())

    empty = folder / "docs"
    shutil.rmtree(empty, ignore_errors=True)
    empty.mkdir()
    configs = {"mkdocs build": folder / "mkdocs.yml", "bare mkdocs build": folder / "mkdocs-bare.yml",
               "bare + prune": folder / "mkdocs-bare-prune.yml"}
    baselines.mkdocs_config(str(configs["mkdocs build"]), docs_dir=str(empty), plugin_content=str(content))
    baselines.mkdocs_config(str(configs["bare mkdocs build"]), docs_dir=str(pages), nav=nav)
    baselines.mkdocs_config(str(configs["bare + prune"]), docs_dir=str(pages), nav=nav, prune=True)
    sites = {key: folder / f"site-{i}" for i, key in enumerate(configs)}
    mkdocs = str(BIN / "mkdocs")
    cmds = [Cmd(key, [mkdocs, "build", "-q", "-f", str(cfg), "-d", str(sites[key])],
                kind="stage" if key == "mkdocs build" else "baseline") for key, cfg in configs.items()]
    log(f"[{factor:g}×] {runs} rounds of: {', '.join(c.key for c in cmds)}")
    rows = rounds(cmds, runs, log)

    built = {key: _html(site) for key, site in sites.items() if site.is_dir()}
    ours, bare = built.get("mkdocs build", set()), built.get("bare mkdocs build", set())
    return {"factor": factor, "runs": runs, "clauses": summary.clauses, "devices": summary.devices,
            "cells": summary.cells, **facts, "rows": rows,
            "html pages": {key: len(v) for key, v in built.items()},
            "only_plugin": sorted(ours - bare)[:20], "only_bare": sorted(bare - ours)[:20],
            "site bytes": {key: _size(site) for key, site in sites.items() if site.is_dir()}}


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if a == a and b == b and b > 0 else "–"


def report(results: list[dict[str, Any]]) -> str:
    lines = ["## The S1SR site against a bare mkdocs build of the same pages", "",
             f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
             f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; {time.strftime('%Y-%m-%d %H:%M')}. Subprocess "
             "rows: median wall time (with interpreter start-up) and median CPU time (user + system of the "
             "command, from wait4), taken round-robin in the same run on the same corpus.", ""]
    for res in results:
        label = f"{res['factor']:g}×"
        rows: dict[str, Row] = res["rows"]
        base = rows.get("bare mkdocs build")
        lines += [f"### {label}: {res['clauses']:,} clauses, {res['devices']} Device Models, {res['cells']:,} DMVESM "
                  f"cells; {res['versions']} versions, {res['pages']:,} generated pages, {res['runs']} rounds", "",
                  "| row | wall | CPU | wall ÷ bare | CPU ÷ bare | peak RSS | HTML pages | site size |",
                  "|---|---|---|---|---|---|---|---|"]
        for key, title in ROWS:
            row = rows.get(key)
            if row is None or not row.ok:
                lines.append(f"| {title} | {row.note if row else 'not run'} | | | | | | |")
                continue
            pages = res["html pages"].get(key, 0)
            size = res["site bytes"].get(key, 0) / 1e6
            lines.append(f"| {title} | {row.median:.2f} s | {row.median_cpu:.2f} s | "
                         f"{_ratio(row.median, base.median) if base and base.ok else '–'} | "
                         f"{_ratio(row.median_cpu, base.median_cpu) if base and base.ok else '–'} | {row.rss_mb:.0f} MB | "
                         f"{pages:,} | {size:.1f} MB |")
        lines += ["", f"Generating the pages in-process (read the release, diff, render_site): "
                      f"{res['generate wall']:.2f} s wall, {res['generate cpu']:.2f} s CPU; "
                      f"{res['markdown bytes'] / 1e6:.1f} MB of Markdown, {res['search entries']:,} clause search "
                      "entries (the plugin adds them to the index; the bare build has none)."]
        if res["only_plugin"] or res["only_bare"]:
            lines.append(f"Pages that differ: only in the plugin's site {res['only_plugin']}, "
                         f"only in the bare site {res['only_bare']}.")
        else:
            lines.append("The two sites have the same HTML pages.")
        lines.append("")
    lines += ["### Targets", "", "| target | held | measured (CPU ÷ bare) |", "|---|---|---|"]
    for res in results:
        site, base = res["rows"].get("mkdocs build"), res["rows"].get("bare mkdocs build")
        limit = site_target(res["factor"])
        name = f"the S1SR site ≤ {limit:.1f}× a bare mkdocs build of the same pages at {res['factor']:g}×"
        if site and base and site.ok and base.ok:
            value = site.median_cpu / base.median_cpu
            lines.append(f"| {name} | {'held' if value <= limit else 'NOT HELD'} | {value:.2f}× |")
        else:
            lines.append(f"| {name} | n/a | not measured |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.site", description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="1,10", help="comma-separated scale factors (default 1,10)")
    p.add_argument("--runs", type=int, default=3, help="rounds per scale (default 3)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", default=str(OUT), help="folder for corpora and sites (default bench/out)")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    work = Path(args.work)
    results = [measure(float(f), runs=args.runs, seed=args.seed, work=work, log=log)
               for f in args.scales.split(",") if f.strip()]
    text = report(results)
    print(text)
    work.mkdir(parents=True, exist_ok=True)
    (work / "site.md").write_text(text, encoding="utf-8")
    (work / "site.json").write_text(json.dumps(
        [{**{k: v for k, v in r.items() if k != "rows"}, "rows": {k: vars(row) for k, row in r["rows"].items()}}
         for r in results], indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
