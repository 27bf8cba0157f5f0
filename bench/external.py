"""The pre-designation check against LibreOffice, on the pairs it exists for.

``python -m bench.external [--runs N] [--scales 1,10]`` measures ``s1sr check --docx … --xlsx …``
(a subprocess, wall time including start-up, run where no content folder is in reach) and
LibreOffice's docx → txt of the same .docx, round-robin in the same run, on:

* the hand-made pair (``bench/handmade.py``: python-docx with a list style, openpyxl with a
  two-row header, N/A cells and ranges), at scale 1 (about 1,500 numbered paragraphs), aligned;
* the same hand-made pair with its v11 baseline (the check with ``--baseline-docx/xlsx``);
* the synthetic corpus at each scale (``bench/synth.py``; 10× is about 15,000 clauses and a
  400 × 129 matrix), rendered by ``s1sr build --no-site``.

It prints a table of medians and ratios (LibreOffice time / check time) and writes it to
``bench/out/external.md``. No time is asserted anywhere: these are figures.
"""

from __future__ import annotations

import compileall
import shutil
import sys
import uuid
from pathlib import Path

from bench import baselines, handmade, synth
from bench.run import BIN, OUT, Cmd, Row, rounds, run


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _synthetic_pair(factor: float, work: Path) -> tuple[Path, Path]:
    folder = work / f"synth-{factor:g}x"
    content = folder / "content"
    if not (content / "document.yaml").exists():
        _log(f"[{factor:g}×] writing the synthetic corpus …")
        synth.generate(content, scale=factor, seed=1)
    out = folder / "build"
    if not any(out.glob("*.xlsx")):
        _log(f"[{factor:g}×] s1sr build --no-site …")
        r = run([str(BIN / "s1sr"), "build", "--content", str(content), "--out", str(out), "--no-site", "-q"],
                cwd=str(folder))
        if r.rc != 0:
            raise SystemExit(f"s1sr build failed at {factor:g}×: {r.err[-2000:]}")
    docx = next(p for p in out.glob("*.docx") if not p.name.count("-redline") and "Letter" not in p.name
                and p.name.startswith(("S1SR", "s1sr")))
    xlsx = next(p for p in out.glob("DMVESM-*.xlsx") if "redline" not in p.name)
    return docx, xlsx


def _cmds(name: str, docx: Path, xlsx: Path, folder: Path, baseline: tuple[Path, Path] | None = None) -> list[Cmd]:
    soffice = shutil.which("soffice")
    check = [str(BIN / "s1sr"), "check", "--docx", str(docx), "--xlsx", str(xlsx)]
    if baseline:
        check += ["--baseline-docx", str(baseline[0]), "--baseline-xlsx", str(baseline[1])]
    cmds = [Cmd(f"{name}: check", check, check_rc=False, cwd=str(folder))]
    if soffice:
        profile = f"/tmp/bench-lo-{uuid.uuid4().hex}"
        cmds.append(Cmd(f"{name}: LibreOffice", baselines.soffice_command(soffice, profile, str(docx),
                                                                          str(folder / "lo-txt")),
                        kind="baseline", before=lambda: shutil.rmtree(profile, ignore_errors=True)))
    return cmds


def measure(runs: int, scales: list[float], work: Path = OUT / "external") -> list[tuple[str, Row, Row | None]]:
    work.mkdir(parents=True, exist_ok=True)
    hand = work / "handmade"
    base = handmade.content(1.0)
    _log("[hand-made] writing the pairs with python-docx and openpyxl …")
    v11 = handmade.write_pair(hand, "v11", numbering="list-style", layout="two-row", base=base)
    v12 = handmade.write_pair(hand, "v12", numbering="list-style", layout="two-row", base=base)
    cmds = [*_cmds("hand-made pair", *v11, hand), *_cmds("hand-made pair with baseline", *v12, hand, baseline=v11)]
    for factor in scales:
        docx, xlsx = _synthetic_pair(factor, work)
        cmds += _cmds(f"synthetic {factor:g}×", docx, xlsx, docx.parent)
    _log(f"measuring ({runs} runs, round-robin) …")
    rows = rounds(cmds, runs, _log)
    out: list[tuple[str, Row, Row | None]] = []
    names = [c.key.removesuffix(": check") for c in cmds if c.key.endswith(": check")]
    for name in names:
        lo_name = f"{name}: LibreOffice"
        lo = rows.get(lo_name)
        out.append((name, rows[f"{name}: check"], lo))
    return out


def report(results: list[tuple[str, Row, Row | None]], runs: int) -> str:
    lines = [f"| pair | s1sr check (median of {runs}: wall, CPU) | LibreOffice docx → txt (wall, CPU) "
             "| LibreOffice / check (wall) |",
             "|---|---|---|---|"]
    for name, check, lo in results:
        c = check.median if check.ok else float("nan")
        low = lo.median if lo is not None and lo.ok else float("nan")
        lo_cpu = lo.median_cpu if lo is not None and lo.ok else float("nan")
        ratio = f"{low / c:.1f}×" if c == c and low == low and c > 0 else (lo.note if lo is not None else "n/a")
        lines.append(f"| {name} | {c:.2f} s, {check.median_cpu:.2f} s | {low:.2f} s, {lo_cpu:.2f} s | {ratio} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m bench.external", description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--scales", default="1,10", help="synthetic scales, comma separated (default 1,10)")
    args = p.parse_args(argv)
    scales = [float(x) for x in args.scales.split(",") if x.strip()]
    # As an installed package runs: every module compiled once, before anything is timed (the
    # commands run with PYTHONDONTWRITEBYTECODE, so without this each run compiles the package).
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "generator"), quiet=1)
    results = measure(args.runs, scales)
    text = report(results, args.runs)
    print(text)
    (OUT / "external.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
