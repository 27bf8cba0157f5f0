"""SARIF 2.1.0: the rule registry as tool.driver.rules, one result per finding, locations by kind,
and every log valid against the official OASIS schema (shipped in tests/diagnostics/schema/)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.emit import FORMATS, emitter
from generator.diagnostics.rules import external as X
from generator.diagnostics.rules import load_all
from generator.diagnostics.rules import source as S
from tests.support import CONTENT, run_cli

SCHEMA = Path(__file__).with_name("schema") / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_bytes())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    # Every format the schema names (uri, uri-reference, date-time), not only draft 4's own.
    return cls(schema, format_checker=jsonschema.FormatChecker())


def assert_valid(log: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])


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


def test_the_schema_is_the_official_file() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    assert json.loads(SCHEMA.read_bytes())["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")


def test_the_schema_refuses_what_is_not_sarif() -> None:
    """The validator is not a rubber stamp: a wrong level, a region at line 0 and an unknown key fail."""
    data = json.loads(emitter("sarif")(_findings()))
    data["runs"][0]["results"][0]["level"] = "fatal"
    data["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    data["runs"][0]["tool"]["driver"]["colour"] = "red"
    errors = list(_validator().iter_errors(data))
    assert len(errors) == 3, [e.message for e in errors]


def test_registered_format() -> None:
    assert "sarif" in FORMATS


def test_sarif_document() -> None:
    data = json.loads(emitter("sarif")(_findings()))
    assert_valid(data)
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
    assert_valid(data)
    assert data["runs"][0]["results"] == []
    assert len(data["runs"][0]["tool"]["driver"]["rules"]) == len(load_all())


def test_a_file_name_with_spaces_and_non_ascii_is_a_valid_uri() -> None:
    d = Diagnostic.make(S.UNKNOWN_XREF, "x", Location(file="my content/sections/01 général#1.yaml", line=1))
    data = json.loads(emitter("sarif")([d]))
    assert_valid(data)
    uri = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20content/sections/01%20g%C3%A9n%C3%A9ral%231.yaml"


def test_the_example_check_is_valid_sarif(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A real run: the example content with a broken reference, through the command line."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    section = content / "sections" / "01-introduction.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("[[definitions]]", "[[definitons]]"),
                       encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", "--content", str(content), "--format", "sarif")
    assert code == 1
    data = json.loads(out)
    assert_valid(data)
    assert "S1SR201" in [r["ruleId"] for r in data["runs"][0]["results"]]


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_locations = st.builds(
    Location, file=st.one_of(st.just(""), _text, _text.map(lambda s: "/" + s)),
    line=st.integers(0, 10**6), col=st.integers(0, 500), end_line=st.integers(0, 10**6), end_col=st.integers(0, 500),
    clause_id=_text, clause_number=_text, sheet=_text, cell=_text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(load_all())), _text, _locations, st.one_of(st.none(), _text),
                          st.lists(_locations, max_size=3)), max_size=6))
def test_every_log_is_valid_sarif(found: list[tuple[str, str, Location, str | None, list[Location]]]) -> None:
    registry = load_all()
    diags = [Diagnostic.make(registry[code], message, loc, help=hint, related=related)
             for code, message, loc, hint, related in found]
    assert_valid(json.loads(emitter("sarif")(diags)))
