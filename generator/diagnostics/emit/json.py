"""Findings as JSON: ``{"findings": [...], "summary": {...}}`` (field names as in the text)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from generator.diagnostics.core import Diagnostic, Severity, sort_key


def _loc(loc: Any) -> dict[str, Any]:
    return {k: v for k, v in asdict(loc).items() if v not in ("", 0)}


def finding(d: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
        "location": _loc(d.location),
    }
    if d.help:
        out["help"] = d.help
    if d.related:
        out["related"] = [_loc(r) for r in d.related]
    return out


def emit_json(diags: Sequence[Diagnostic]) -> str:
    data = {
        "findings": [finding(d) for d in sorted(diags, key=sort_key)],
        "summary": {s.value: sum(1 for d in diags if d.severity is s) for s in Severity},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
