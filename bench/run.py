"""The benchmark: synthetic corpora at 1× and 10×, every stage, baselines, targets. One command:

    bash bench/run.sh                       # set up (once, may use the network), then measure offline
    .venv/bin/python -m bench               # measure only
    .venv/bin/python -m bench --scales 1 --runs 3 --skip strictdoc

For each scale: write a corpus (``bench.synth``), time the in-process stages and baselines in a
fresh process (``bench.stages``), time the commands as subprocesses (wall time including
start-up, peak memory from ``wait4``), then print one table per scale and the targets, held or
not. Everything is written under ``bench/out/`` (git-ignored); the tables also go to
``bench/out/results.md`` and the figures to ``bench/out/results.json``.

A stage whose code is not there yet is skipped and the table says so.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import baselines, synth

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent
STRICTDOC_VENV = OUT / "strictdoc-venv"
TIMEOUT = 900.0


# -- subprocesses with wall time and peak memory -----------------------------------------------------
@dataclass
class Ran:
    wall: float
    rss_mb: float
    rc: int
    out: str
    err: str
    cpu: float = float("nan")  # user + system seconds of the command and the children it waited for


# The launcher forks the command from a small process and reports what ``wait4`` says: the peak
# RSS of a child forked straight from this (large) process would start at this process's size.
_LAUNCH = """
import json, os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t
with open(out, "w") as fh:
    json.dump([wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime], fh)
"""


def run(cmd: Sequence[str], *, timeout: float = TIMEOUT, cwd: str | None = None) -> Ran:
    """Run ``cmd``: wall time from fork to exit, peak RSS of it and of the children it waited for."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        stat = os.path.join(tmp, "stat.json")
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_MKDOCS_2_WARNING": "1"}
        with open(os.path.join(tmp, "out"), "w+b") as so, open(os.path.join(tmp, "err"), "w+b") as se:
            proc = subprocess.Popen([sys.executable, "-S", "-c", _LAUNCH, stat, *cmd], stdout=so, stderr=se,
                                    stdin=subprocess.DEVNULL, cwd=cwd, env=env, start_new_session=True)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise TimeoutError(f"{' '.join(cmd[:3])} … took more than {timeout:.0f} s") from None
            so.seek(0)
            se.seek(0)
            out, err = so.read().decode("utf-8", "replace"), se.read().decode("utf-8", "replace")
        if not os.path.exists(stat):
            return Ran(wall=float("nan"), rss_mb=0.0, rc=proc.returncode or 2, out=out, err=err or "launcher failed")
        with open(stat) as fh:
            wall, rss_kb, rc, cpu = json.load(fh)
        return Ran(wall=wall, rss_mb=rss_kb / 1024, rc=rc, out=out, err=err, cpu=cpu)


# -- one row of the table -----------------------------------------------------------------------------
@dataclass
class Row:
    name: str
    times: list[float] = field(default_factory=list)
    note: str = ""
    rss_mb: float = 0.0
    kind: str = "stage"  # stage | baseline | total
    cpu: list[float] = field(default_factory=list)  # subprocess rows: CPU seconds of each run

    @property
    def ok(self) -> bool:
        return bool(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")


@dataclass
class Cmd:
    key: str
    cmd: list[str]
    kind: str = "stage"
    check_rc: bool = True
    before: Callable[[], None] | None = None
    once: bool = False  # StrictDoc: minutes at 10×, run in the first round only
    cwd: str | None = None


def rounds(cmds: Sequence[Cmd], runs: int, log: Callable[[str], None], *, timeout: float = TIMEOUT) -> dict[str, Row]:
    """Run every command ``runs`` times, round-robin, so load from other users falls on all alike."""
    rows = {c.key: Row(c.key, kind=c.kind) for c in cmds}
    failed: set[str] = set()
    for i in range(runs):
        for c in cmds:
            if c.key in failed or (c.once and i > 0):
                continue
            log(f"    {c.key} ({i + 1}/{1 if c.once else runs})")
            if c.before:
                c.before()
            prefix = "not available: " if c.kind == "baseline" else ""
            try:
                r = run(c.cmd, timeout=timeout, cwd=c.cwd)
            except TimeoutError as exc:
                rows[c.key] = Row(c.key, note=f"{prefix}{exc}", kind=c.kind)
                failed.add(c.key)
                continue
            if c.check_rc and r.rc != 0:
                last = (r.err.strip() or r.out.strip()).splitlines()[-1:] or [""]
                rows[c.key] = Row(c.key, note=f"{prefix}failed (exit {r.rc}): {last[0][:160]}", kind=c.kind)
                failed.add(c.key)
                continue
            rows[c.key].times.append(r.wall)
            rows[c.key].cpu.append(r.cpu)
            rows[c.key].rss_mb = max(rows[c.key].rss_mb, r.rss_mb)
    return rows


def _help(*args: str) -> str:
    r = run([str(BIN / "s1sr"), *args, "--help"], timeout=60)
    return r.out + r.err


# -- one scale ------------------------------------------------------------------------------------------
@dataclass
class Scale:
    factor: float
    summary: synth.Summary
    rows: dict[str, Row]
    runs: int
    meta: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.factor:g}×"


def measure_scale(factor: float, *, runs: int, seed: int, skip: set[str], log: Any, work: Path = OUT,
                  profiles: bool = False) -> Scale:
    folder = work / f"scale-{factor:g}x"
    content = folder / "content"
    art = folder / "artefacts"
    log(f"[{factor:g}×] writing the corpus into {content} …")
    folder.mkdir(parents=True, exist_ok=True)
    summary = synth.generate(content, scale=factor, seed=seed)
    rows: dict[str, Row] = {}

    log(f"[{factor:g}×] in-process stages and baselines ({runs} runs) …")
    cmd = [sys.executable, "-m", "bench.stages", str(content), str(art), "--runs", str(runs)]
    if factor >= 10:
        cmd += ["--once", "python-docx"]
    if "python-docx" in skip:
        cmd += ["--skip", "python-docx"]
    worker = run(cmd, cwd=str(REPO))
    if worker.rc != 0:
        raise SystemExit(f"bench.stages failed at {factor:g}×:\n{worker.err[-3000:]}")
    data = json.loads(worker.out)
    for name, res in data["results"].items():
        kind = "baseline" if name in ("lxml floor", "python-docx API", "openpyxl") else "stage"
        if res["status"] == "ok":
            rows[name] = Row(name, times=res["times"], kind=kind)
        else:
            rows[name] = Row(name, note=("not available: " if kind == "baseline" else "") + res["note"], kind=kind)
    artefacts = data["artefacts"]
    s1sr = str(BIN / "s1sr")

    cmds: list[Cmd] = [Cmd("source check", [s1sr, "check", "--content", str(content)], check_rc=False),
                       Cmd("CSafeLoader", baselines.yaml_floor_command(sys.executable, str(content)),
                           kind="baseline")]

    check_help = _help("check")
    if "--docx" in check_help and ".docx" in artefacts and ".xlsx" in artefacts:
        # The pair alone, as a reader without our source checks it: no content folder in reach.
        cmds.append(Cmd("external check", [s1sr, "check", "--docx", artefacts[".docx"], "--xlsx", artefacts[".xlsx"]],
                        check_rc=False, cwd=str(art)))
    else:
        why = "not landed: s1sr check --docx/--xlsx" if "--docx" not in check_help else "no .docx/.xlsx pair"
        rows["external check"] = Row("external check", note=why)

    profile = f"/tmp/bench-lo-{uuid.uuid4().hex}"
    cmds += _libreoffice(rows, skip, artefacts, art, profile)
    cmds += _site(rows, skip, folder, content, art)
    cmds += _builds(rows, skip, folder, content)
    cmds += _strictdoc(rows, skip, art)

    log(f"[{factor:g}×] commands, {runs} rounds: {', '.join(c.key for c in cmds)}")
    rows.update(rounds(cmds, runs, log))
    shutil.rmtree(profile, ignore_errors=True)
    if profiles:
        _profile(folder, content, art, artefacts, log)
    meta = {k: v for k, v in data.items() if k not in ("results", "artefacts")}
    meta["sizes"] = json.loads(artefacts.get("sizes", "{}"))
    meta["traces"] = {k: v.get("trace", "") for k, v in data["results"].items() if v.get("trace")}
    return Scale(factor=factor, summary=summary, rows=rows, runs=runs, meta=meta)


def _libreoffice(rows: dict[str, Row], skip: set[str], artefacts: dict[str, str], art: Path, profile: str
                 ) -> list[Cmd]:
    soffice = shutil.which("soffice")
    if "libreoffice" in skip:
        rows["LibreOffice"] = Row("LibreOffice", note="not available: skipped (--skip)", kind="baseline")
    elif not soffice:
        rows["LibreOffice"] = Row("LibreOffice", note="not available: soffice is not installed", kind="baseline")
    elif ".docx" not in artefacts:
        rows["LibreOffice"] = Row("LibreOffice", note="not available: no .docx written", kind="baseline")
    else:
        return [Cmd("LibreOffice", baselines.soffice_command(soffice, profile, artefacts[".docx"], str(art / "lo-txt")),
                    kind="baseline", before=lambda: shutil.rmtree(profile, ignore_errors=True))]
    return []


def _site(rows: dict[str, Row], skip: set[str], folder: Path, content: Path, art: Path) -> list[Cmd]:
    """Our plugin against a bare build of the same pages."""
    cmds: list[Cmd] = []
    mkdocs = str(BIN / "mkdocs")
    empty_docs = folder / "docs"
    shutil.rmtree(empty_docs, ignore_errors=True)
    empty_docs.mkdir()
    cfg = folder / "mkdocs.yml"
    # `s1sr build --site` finds this mkdocs.yml beside the content folder, as in a real project.
    baselines.mkdocs_config(str(cfg), docs_dir=str(empty_docs), plugin_content=str(content))
    if "mkdocs" in skip:
        rows["mkdocs build"] = Row("mkdocs build", note="skipped (--skip)")
    elif not _has_plugin():
        rows["mkdocs build"] = Row("mkdocs build", note="not landed: the s1sr MkDocs plugin (generator/mkdocs_plugin.py)")
    else:
        cmds.append(Cmd("mkdocs build", [mkdocs, "build", "-q", "-f", str(cfg), "-d", str(folder / "site-plugin")]))
    pages = art / "pages"
    if "mkdocs" in skip:
        rows["bare mkdocs build"] = Row("bare mkdocs build", note="not available: skipped (--skip)", kind="baseline")
    elif not pages.is_dir():
        rows["bare mkdocs build"] = Row("bare mkdocs build", note="not available: no site pages were generated",
                                        kind="baseline")
    else:
        bare = folder / "mkdocs-bare.yml"
        nav = json.loads((art / "pages-nav.json").read_text())
        baselines.mkdocs_config(str(bare), docs_dir=str(pages), nav=nav or None)
        cmds.append(Cmd("bare mkdocs build", [mkdocs, "build", "-q", "-f", str(bare), "-d", str(folder / "site-bare")],
                        kind="baseline"))
        pruned = folder / "mkdocs-bare-prune.yml"
        baselines.mkdocs_config(str(pruned), docs_dir=str(pages), nav=nav or None, prune=True)
        cmds.append(Cmd("bare + prune", [mkdocs, "build", "-q", "-f", str(pruned), "-d",
                                         str(folder / "site-bare-prune")], kind="baseline"))
    return cmds


def _builds(rows: dict[str, Row], skip: set[str], folder: Path, content: Path) -> list[Cmd]:
    """Everything, as a user runs it."""
    s1sr = str(BIN / "s1sr")
    build_help = _help("build")
    out_dir, site_dir = folder / "build", folder / "site"
    if "build" in skip:
        rows["s1sr build"] = Row("s1sr build", note="skipped (--skip)", kind="total")
        rows["s1sr build --no-site"] = Row("s1sr build --no-site", note="skipped (--skip)", kind="total")
        return []
    cmds: list[Cmd] = []
    if "--site" in build_help:
        # The site folder is the bench's own: one left by an s1sr from before the folders it
        # writes were marked as its own would be refused (issue 12's guard), so it goes first.
        cmds.append(Cmd("s1sr build", [s1sr, "build", "--content", str(content), "--out", str(out_dir), "--site",
                                       str(site_dir)], kind="total",
                        before=lambda: shutil.rmtree(site_dir, ignore_errors=True)))
    else:
        rows["s1sr build"] = Row("s1sr build", note="not landed: s1sr build --site", kind="total")
    no_site = ["--no-site"] if "--no-site" in build_help else []
    cmds.append(Cmd("s1sr build --no-site", [s1sr, "build", "--content", str(content), "--out", str(out_dir),
                                             *no_site], kind="total"))
    return cmds


def _strictdoc(rows: dict[str, Row], skip: set[str], art: Path) -> list[Cmd]:
    """A peer: StrictDoc, from its own venv."""
    sd = STRICTDOC_VENV / "bin" / "strictdoc"
    sd_out = art / "strictdoc-html"
    if "strictdoc" in skip:
        rows["StrictDoc"] = Row("StrictDoc", note="not available: skipped (--skip)", kind="baseline")
    elif not sd.exists():
        log_file = OUT / "strictdoc-install.log"
        tried = log_file.read_text(errors="replace").strip().splitlines()[-1:] if log_file.exists() else []
        why = f"did not install ({tried[0][:120]})" if tried else \
            "not installed (bash bench/run.sh installs it into bench/out/strictdoc-venv when PyPI is reachable)"
        rows["StrictDoc"] = Row("StrictDoc", note=f"not available: {why}", kind="baseline")
    else:
        return [Cmd("StrictDoc", baselines.strictdoc_command(str(STRICTDOC_VENV), str(art / "sdoc"), str(sd_out)),
                    kind="baseline", once=True, before=lambda: shutil.rmtree(sd_out, ignore_errors=True))]
    return []


def _profile(folder: Path, content: Path, art: Path, artefacts: dict[str, str], log: Any) -> None:
    """pyinstrument text profiles of the commands behind the targets, into FOLDER/profiles/."""
    try:
        import pyinstrument  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        log("  (no profiles: pyinstrument is not installed; pip install -e '.[bench]')")
        return
    out = folder / "profiles"
    out.mkdir(exist_ok=True)
    gen = ["-m", "generator"]
    jobs: list[tuple[str, list[str], str | None]] = [
        ("check", [*gen, "check", "--content", str(content)], None),
        ("build-no-site", [*gen, "build", "--content", str(content), "--out", str(folder / "build"), "--no-site"],
         None),
        ("build", [*gen, "build", "--content", str(content), "--out", str(folder / "build"), "--site",
                   str(folder / "site")], None),
    ]
    if ".docx" in artefacts and ".xlsx" in artefacts:
        jobs.append(("external-check", [*gen, "check", "--docx", artefacts[".docx"], "--xlsx", artefacts[".xlsx"]],
                     str(art)))
    for name, argv, cwd in jobs:
        log(f"  profiling {name} …")
        run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(out / f"{name}.txt"), *argv],
            cwd=cwd or str(REPO))


def _has_plugin() -> bool:
    try:
        from importlib.metadata import entry_points

        return any(ep.name == "s1sr" for ep in entry_points(group="mkdocs.plugins")) and \
            (REPO / "generator" / "mkdocs_plugin.py").exists()
    except Exception:
        return False


# -- the report ---------------------------------------------------------------------------------------------
ORDER = [
    ("load", "load (read YAML)"),
    ("number", "number"),
    ("references + matrix", "references + matrix"),
    ("source check", "source check: s1sr check (subprocess)"),
    (".docx", ".docx writer"),
    (".xlsx", ".xlsx writer"),
    ("site pages", "site pages (Markdown writer)"),
    ("mkdocs build", "mkdocs build with the s1sr plugin"),
    ("load release", "load release r1"),
    ("diff", "diff r1 → draft"),
    ("redline .docx", "redline .docx"),
    ("redline .xlsx", "redline .xlsx"),
    ("letter", "letter (.docx + page)"),
    ("external check", "external check of the .docx + .xlsx pair (subprocess)"),
    ("s1sr build", "s1sr build: everything incl. site (subprocess)"),
    ("s1sr build --no-site", "s1sr build --no-site (subprocess)"),
]
BASELINES = [
    ("lxml floor", "lxml document.xml floor", ".docx"),
    ("python-docx API", "python-docx add_paragraph", ".docx"),
    ("openpyxl", "openpyxl, same cells", ".xlsx"),
    ("bare mkdocs build", "bare mkdocs build, same pages", "mkdocs build"),
    ("bare + prune", "bare mkdocs build, same pages, with navigation.prune", "mkdocs build"),
    ("CSafeLoader", "bare CSafeLoader parse of the same YAML (subprocess)", "source check"),
    ("LibreOffice", "LibreOffice docx → txt", "external check"),
    ("StrictDoc", "StrictDoc HTML export", "mkdocs build"),
]


def fmt(seconds: float) -> str:
    if seconds != seconds:  # nan
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(sc: Scale, lower: Scale | None) -> list[str]:
    s = sc.summary
    head = (f"### Scale {sc.label}: {s.clauses:,} clauses in {s.sections} sections ({s.depth} levels), "
            f"{s.devices} Device Models ({s.groups} groups), {s.srvs} SRVs, {s.cells:,} matrix cells, {s.tables} "
            f"tables, {s.xrefs:,} cross-references; change r1 → draft: {len(s.amended)} amended, {len(s.added)} "
            f"added, {len(s.not_used)} [Not used], {len(s.renumbered)} renumbered (declared)")
    ratio_head = f" | ×{sc.factor / lower.factor:g} vs {lower.label}" if lower else ""
    out = [head, "", f"Median of {sc.runs} runs (python-docx and StrictDoc: once at 10×).", "",
           "| stage | median | runs | peak RSS | against | ratio" + ratio_head + " |",
           "|---|---:|---:|---:|---|---:" + ("|---:" if lower else "") + "|"]
    for key, label in ORDER:
        row = sc.rows.get(key)
        if row is None:
            continue
        if not row.ok:
            out.append(f"| {label} | {row.note} | | | |" + (" |" if lower else ""))
            continue
        grow = ""
        if lower:
            lo = lower.rows.get(key)
            grow = f" {row.median / lo.median:.1f}× |" if lo and lo.ok else " - |"
        rss = f"{row.rss_mb:.0f} MB" if row.rss_mb else ""
        cpu = f" (CPU {fmt(row.median_cpu)})" if row.cpu else ""
        out.append(f"| {label} | {fmt(row.median)}{cpu} | {len(row.times)} | {rss} | | |" + grow)
        for bkey, blabel, against in BASELINES:
            if against != key:
                continue
            b = sc.rows.get(bkey)
            if b is None:
                continue
            if not b.ok:
                out.append(f"| ↳ {blabel} | {b.note} | | | | |" + (" |" if lower else ""))
                continue
            ratio = row.median / b.median
            rss = f"{b.rss_mb:.0f} MB" if b.rss_mb else ""
            bgrow = ""
            if lower:
                lb = lower.rows.get(bkey)
                bgrow = f" {b.median / lb.median:.1f}× |" if lb and lb.ok else " - |"
            out.append(f"| ↳ {blabel} | {fmt(b.median)} | {len(b.times)} | {rss} | ours / it | {ratio:.2f} |"
                       + bgrow)
    # Baselines whose stage is missing still get a line.
    shown = {k for k, _ in ORDER if k in sc.rows and sc.rows[k].ok}
    for bkey, blabel, against in BASELINES:
        b = sc.rows.get(bkey)
        if b is not None and against not in shown:
            value = fmt(b.median) if b.ok else b.note
            out.append(f"| {blabel} (its stage is missing) | {value} | {len(b.times) or ''} | | | |"
                       + (" |" if lower else ""))
    out.append("")
    return out


@dataclass
class Target:
    name: str
    held: bool | None  # None: cannot be judged (a stage is missing)
    detail: str


def targets(scales: dict[float, Scale]) -> list[Target]:
    out: list[Target] = []
    one, ten = scales.get(1.0), scales.get(10.0)

    def med(sc: Scale | None, key: str) -> float | None:
        row = sc.rows.get(key) if sc else None
        return row.median if row and row.ok else None

    def cpu_of(sc: Scale | None, key: str) -> float | None:
        row = sc.rows.get(key) if sc else None
        return row.median_cpu if row and row.ok and row.cpu else None

    def add(name: str, value: float | None, limit: float, unit: str, missing: str, *, at_least: bool = False) -> None:
        if value is None:
            out.append(Target(name, None, f"not measured: {missing}"))
            return
        held = value >= limit if at_least else value <= limit
        shown = f"{value:.2f}{unit}" if unit != " MB" else f"{value:.0f} MB"
        out.append(Target(name, held, f"{shown} (limit {'≥' if at_least else '≤'} {limit:g}{unit})"))

    check, floor = med(ten, "source check"), med(ten, "CSafeLoader")
    add("s1sr check on the 10× source ≤ 2.5× a bare CSafeLoader parse of its YAML (subprocesses, with start-up)",
        check / floor if check and floor else None, 2.5, "×", "no 10× run")
    # Seconds are asked of a quiet two-core machine; on a shared one the wall clock measures the
    # other users too, so these are judged on the command's CPU time (the wall time is in the table).
    for sc, limit_all, limit_core in ((one, 3.0, 1.5), (ten, 20.0, 6.0)):
        if sc is None:
            continue
        add(f"everything incl. the site ≤ {limit_all:g} s at {sc.label} (s1sr build, CPU time)",
            cpu_of(sc, "s1sr build"), limit_all, " s", _why(sc, "s1sr build"))
        add(f"everything but the site HTML ≤ {limit_core:g} s at {sc.label} (s1sr build --no-site, CPU time)",
            cpu_of(sc, "s1sr build --no-site"), limit_core, " s", _why(sc, "s1sr build --no-site"))
    b1, b10 = med(one, "s1sr build"), med(ten, "s1sr build")
    add("10×/1× time ≤ 10 (s1sr build)", b10 / b1 if b1 and b10 else None, 10, "×", "needs both scales")
    for sc in (one, ten):
        if sc is None:
            continue
        d, f = med(sc, ".docx"), med(sc, "lxml floor")
        add(f".docx writer ≤ 2× the lxml floor at {sc.label}", d / f if d and f else None, 2, "×",
            _why(sc, ".docx"))
        # The S1SR site (its pages generated by the plugin) against MkDocs alone building the same
        # pages, a ratio of one run; on CPU time, which the machine's other users cannot add to.
        m, bare = cpu_of(sc, "mkdocs build"), cpu_of(sc, "bare mkdocs build")
        limit = site_target(sc.factor)
        add(f"the S1SR site (plugin) ≤ {limit:.1f}× a bare mkdocs build of the same pages at {sc.label} (CPU)",
            m / bare if m and bare else None, limit, "×",
            _why(sc, "mkdocs build") if not m else _why(sc, "bare mkdocs build"))
        e, lo = med(sc, "external check"), med(sc, "LibreOffice")
        add(f"external check ≥ 5× faster than LibreOffice at {sc.label}", lo / e if e and lo else None, 5, "×",
            _why(sc, "external check") if not e else _why(sc, "LibreOffice"), at_least=True)
    # Growth: the tests assert no time; linear cost is a ratio between the scales of one run
    # (10 when linear, 100 when quadratic; the limit allows three times linear, as the test that
    # timed the diff did at 20×).
    for key, label in (("diff", "diff r1 → draft"), (".xlsx", ".xlsx writer")):
        low, high = med(one, key), med(ten, key)
        add(f"{label} grows linearly: 10×/1× ≤ 30", high / low if low and high else None, 30, "×",
            "needs both scales")
    if ten is not None:
        row = ten.rows.get("s1sr build --no-site")
        add("peak memory of s1sr build --no-site at 10× ≤ 300 MB (wait4 maxrss)",
            row.rss_mb if row is not None and row.ok else None, 300, " MB", _why(ten, "s1sr build --no-site"))
        row = ten.rows.get("s1sr build")
        add("peak memory of s1sr build (with the site) at 10× ≤ 400 MB (wait4 maxrss)",
            row.rss_mb if row is not None and row.ok else None, 400, " MB", _why(ten, "s1sr build"))
    return out


def site_target(factor: float) -> float:
    """The S1SR site's limit against the bare build of the same pages: no slower at 10× and
    beyond (issue 18), where pruning the nav pays; within 1.2× below (main's earlier target),
    where the plugin's fixed cost (reading the source and the releases, the diff) weighs more."""
    return 1.0 if factor >= 10 else 1.2


def _why(sc: Scale, key: str) -> str:
    row = sc.rows.get(key)
    return row.note if row is not None and row.note else f"{key} missing"


def report(scales: dict[float, Scale]) -> str:
    lines = ["## s1sr benchmark", "",
             f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d %H:%M')}. "
             "In-process stages are timed with perf_counter in a fresh process; subprocess rows are wall time "
             "including interpreter start-up. Ratios are measured in the same run on the same data.", ""]
    ordered = sorted(scales)
    for i, f in enumerate(ordered):
        lines += table(scales[f], scales[ordered[i - 1]] if i else None)
    lines += ["### Targets", "", "| target | held | measured |", "|---|---|---|"]
    for t in targets(scales):
        held = "held" if t.held else "NOT HELD" if t.held is False else "n/a"
        lines.append(f"| {t.name} | {held} | {t.detail} |")
    errors = {f"{scales[f].label} {k}": v for f in ordered for k, v in scales[f].meta.get("traces", {}).items()}
    if errors:
        lines += ["", "### Stages that failed", ""]
        for k, v in errors.items():
            lines += [f"{k}:", "```", v.strip(), "```"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description="Synthetic corpora and the s1sr benchmark.")
    p.add_argument("--scales", default="1,10", help="comma-separated scale factors (default 1,10)")
    p.add_argument("--runs", type=int, default=0, help="runs per figure (default 5 below 10×, 3 from 10×)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip", action="append", default=[],
                   choices=["strictdoc", "libreoffice", "python-docx", "mkdocs", "build"],
                   help="leave out a slow baseline or stage (repeatable)")
    p.add_argument("--profile", action="store_true",
                   help="also write pyinstrument profiles of check, build and the external check (WORK/scale-*/profiles)")
    p.add_argument("--work", default=str(OUT), help="folder for corpora and outputs (default bench/out)")
    p.add_argument("--out", default="", help="report path without extension (default WORK/results)")
    args = p.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    # As an installed package runs: every module compiled once, before anything is timed (the
    # commands run with PYTHONDONTWRITEBYTECODE, so a stale cache would be recompiled every run).
    compileall.compile_dir(str(REPO / "generator"), quiet=1)
    scales: dict[float, Scale] = {}
    for f in (float(x) for x in args.scales.split(",") if x.strip()):
        runs = args.runs or (5 if f < 10 else 3)
        scales[f] = measure_scale(f, runs=runs, seed=args.seed, skip=set(args.skip), log=log, work=Path(args.work),
                                  profiles=args.profile)
    text = report(scales)
    print(text)
    args.out = args.out or os.path.join(args.work, "results")
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out + ".md", "w", encoding="utf-8") as fh:
        fh.write(text)
    with open(args.out + ".json", "w", encoding="utf-8") as fh:
        json.dump({f"{f:g}x": {"summary": {k: v for k, v in vars(sc.summary).items() if k != "extra"},
                               "rows": {k: vars(r) for k, r in sc.rows.items()}, "meta": sc.meta}
                   for f, sc in scales.items()}, fh, indent=1, default=str)
    return 0
