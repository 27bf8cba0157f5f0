"""bench.site's report: the ratios against the bare build, the target judged on CPU time, and the
pages that differ between the two sites said rather than hidden. (No timing is asserted: the
rows here are made up.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.run import Row
from bench.site import generated_pages, report
from tests.support import CONTENT


def _result(site_cpu: float, *, only_plugin: tuple[str, ...] = (), factor: float = 10.0) -> dict[str, Any]:
    rows = {"mkdocs build": Row("mkdocs build", times=[4.0, 5.0, 6.0], cpu=[site_cpu] * 3, rss_mb=90),
            "bare mkdocs build": Row("bare mkdocs build", times=[8.0, 10.0, 12.0], cpu=[8.0] * 3, rss_mb=80,
                                     kind="baseline"),
            "bare + prune": Row("bare + prune", note="not available: failed (exit 1): boom", kind="baseline")}
    return {"factor": factor, "runs": 3, "clauses": 15000, "devices": 400, "cells": 6000, "versions": 2,
            "pages": 2500, "search entries": 15000, "markdown bytes": 48_000_000, "generate wall": 5.0,
            "generate cpu": 4.5, "rows": rows, "html pages": {"mkdocs build": 2501, "bare mkdocs build": 2500},
            "site bytes": {"mkdocs build": 130_000_000, "bare mkdocs build": 170_000_000},
            "only_plugin": list(only_plugin), "only_bare": []}


def test_ratios_are_against_the_bare_build_and_the_target_is_on_cpu_time() -> None:
    text = report([_result(4.0)])
    line = next(ln for ln in text.splitlines() if ln.startswith("| S1SR site"))
    assert "| 5.00 s | 4.00 s | 0.50× | 0.50× | 90 MB | 2,501 | 130.0 MB |" in line
    assert "| bare mkdocs build of the same pages (baseline) | 10.00 s | 8.00 s | 1.00× | 1.00× |" in text
    assert "boom" in text  # a failed row says why
    assert "| the S1SR site ≤ 1.0× a bare mkdocs build of the same pages at 10× | held | 0.50× |" in text
    assert "The two sites have the same HTML pages." in text
    slower = report([_result(9.0, only_plugin=("s1sr/extra.html",))])
    assert "| NOT HELD | 1.12× |" in slower  # 10×: no slower than the bare build
    assert "only in the plugin's site ['s1sr/extra.html']" in slower and "same HTML pages" not in slower
    # At 1× the plugin's fixed cost is a larger share: within 1.2× of the bare build.
    small = report([_result(9.0, factor=1.0)])
    assert "| the S1SR site ≤ 1.2× a bare mkdocs build of the same pages at 1× | held | 1.12× |" in small


def test_the_bare_build_gets_the_pages_the_plugin_generates(tmp_path: Path) -> None:
    facts = generated_pages(CONTENT, tmp_path / "pages")
    written = [p for p in (tmp_path / "pages").rglob("*.md")]
    assert facts["pages"] == len(written) and facts["versions"] == 3  # v11, v12, the draft
    nav = json.loads((tmp_path / "pages-nav.json").read_text())
    assert nav and (tmp_path / "pages" / "assets" / "s1sr" / "s1sr.js").exists()
    # Every page the nav names is among them.
    def paths(entries: list[Any]) -> list[str]:
        return [p for e in entries for p in ([e] if isinstance(e, str) else paths(next(iter(e.values()))))]
    assert all((tmp_path / "pages" / p).exists() for p in paths(nav))
