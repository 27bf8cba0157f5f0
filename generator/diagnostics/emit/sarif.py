"""Findings as SARIF 2.1.0, so CI systems (GitHub code scanning, GitLab, Azure DevOps) can annotate.

``tool.driver.rules`` lists every rule of the registry (code, name, summary, documentation,
default level); each result points at its rule by ``ruleId`` and ``ruleIndex``. A place in a
source file is a ``physicalLocation`` with a region; a clause of a Word document or a cell of a
workbook, which have no line, is the file plus a ``logicalLocation`` (``clause 18.5q``,
``DMVESM!F12``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import metadata
from typing import Any
from urllib.parse import quote

from generator.diagnostics.core import Diagnostic, Location, Rule, Severity, sort_key
from generator.diagnostics.rules import load_all

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _version() -> str:
    try:
        return metadata.version("s1sr")
    except metadata.PackageNotFoundError:
        return "0"


def _uri(path: str) -> str:
    """A file path as a URI reference (SARIF's artifactLocation.uri): slashes kept, spaces, '#',
    '%' and non-ASCII letters percent-encoded, or the log fails the schema."""
    return quote(path.replace("\\", "/"), safe="/")


def _rule(r: Rule) -> dict[str, Any]:
    doc = r.doc or r.summary
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": doc},
        "help": {"text": doc},
        "defaultConfiguration": {"level": _LEVEL[r.severity]},
        "properties": {"fatal": r.fatal} if r.fatal else {},
    }


def _location(loc: Location, message: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if loc.file:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file)}}
        if not loc.file.startswith("/"):
            physical["artifactLocation"]["uriBaseId"] = "%SRCROOT%"
        if loc.line:
            region: dict[str, Any] = {"startLine": loc.line, "startColumn": loc.col or 1}
            if loc.end_line:
                region["endLine"] = loc.end_line
            if loc.end_col:
                region["endColumn"] = loc.end_col
            physical["region"] = region
        out["physicalLocation"] = physical
    logical = []
    if loc.sheet:
        name = f"{loc.sheet}!{loc.cell}" if loc.cell else loc.sheet
        logical.append({"name": name, "fullyQualifiedName": name, "kind": "element"})
    elif loc.clause_number:
        logical.append({"name": loc.clause_number, "fullyQualifiedName": f"clause {loc.clause_number}",
                        "kind": "element"})
    elif loc.clause_id:
        logical.append({"name": loc.clause_id, "fullyQualifiedName": f"clause id {loc.clause_id}", "kind": "element"})
    if logical:
        out["logicalLocations"] = logical
    if message:
        out["message"] = {"text": message}
    return out


def sarif_data(diags: Sequence[Diagnostic]) -> dict[str, Any]:
    registry = load_all()
    rules = sorted(registry.values(), key=lambda r: r.code)  # type: ignore[attr-defined]
    index = {r.code: i for i, r in enumerate(rules)}  # type: ignore[attr-defined]
    results = []
    for d in sorted(diags, key=sort_key):
        text = d.message + (f"\nhelp: {d.help}" if d.help else "")
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": text},
            "locations": [_location(d.location)],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.related:
            result["relatedLocations"] = [dict(_location(r, r.note), id=k) for k, r in enumerate(d.related, start=1)]
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "s1sr",
                "version": _version(),
                "rules": [_rule(r) for r in rules],  # type: ignore[arg-type]
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def emit_sarif(diags: Sequence[Diagnostic]) -> str:
    return json.dumps(sarif_data(diags), indent=2, ensure_ascii=False) + "\n"
