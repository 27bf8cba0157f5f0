"""SARIF 2.1.0: the rule registry as tool.driver.rules, one result per finding, locations by kind."""

from __future__ import annotations

import json

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.emit import FORMATS, emitter
from generator.diagnostics.rules import external as X
from generator.diagnostics.rules import load_all
from generator.diagnostics.rules import source as S


def _findings() -> list[Diagnostic]:
    return [
        Diagnostic.make(S.UNKNOWN_XREF, "clause 'a' refers to [[b]]", Location(file="content/sections/01.yaml", line=4,
                                                                             col=7, end_line=4, end_col=12),
                        help="did you mean 'c'?"),
        Diagnostic.make(X.CELL_RETARGETED, "DMVESM!L29 cites 18.5q", Location(file="DMVESM.xlsx", sheet="DMVESM",
                                                                             cell="L29"),
                        related=[Location(file="S1SR.docx", clause_number="18.5t")]),
        Diagnostic.make(X.TEXT_MOVED, "the text of 18.5q is now 18.5t", Location(file="/abs/S1SR.docx",
                                                                                clause_number="18.5t")),
    ]


def test_registered_format() -> None:
    assert "sarif" in FORMATS


def test_sarif_document() -> None:
    data = json.loads(emitter("sarif")(_findings()))
    assert data["version"] == "2.1.0"
    (run,) = data["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(load_all())
    rule = rules[[r["id"] for r in rules].index("EXT202")]
    assert rule["name"] == "dmvesm-cell-points-elsewhere"
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["fullDescription"]["text"].startswith("What it checks:")
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["EXT201", "EXT202", "S1SR201"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    moved, cell, xref = results
    assert moved["level"] == "warning"
    assert moved["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "/abs/S1SR.docx"}
    assert moved["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "clause 18.5t"
    assert cell["locations"][0]["logicalLocations"][0]["name"] == "DMVESM!L29"
    assert cell["relatedLocations"][0]["logicalLocations"][0]["name"] == "18.5t"
    assert cell["relatedLocations"][0]["id"] == 1
    region = xref["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 4, "startColumn": 7, "endLine": 4, "endColumn": 12}
    assert xref["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert xref["message"]["text"].endswith("help: did you mean 'c'?")


def test_empty_run_still_lists_rules() -> None:
    data = json.loads(emitter("sarif")([]))
    assert data["runs"][0]["results"] == []
    assert len(data["runs"][0]["tool"]["driver"]["rules"]) == len(load_all())
