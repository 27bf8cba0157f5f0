"""The JSON Schemas in generator/data/schema/ accept the example content and cannot drift
from what the reader accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.app import schemas
from generator.model.consultation import CATEGORIES
from generator.model.devices import COHORTS, DEVICE_TYPES
from generator.model.document import COUNTER_STYLES
from generator.readers import consultation as C
from generator.readers import letter as L
from generator.readers import yaml_source as Y

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"


def _schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schemas.schema_bytes(name))
    return data


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = _schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)  # type: ignore[no-any-return]


def _errors(name: str, data: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(name).iter_errors(data)]


def _content_files(root: Path) -> list[tuple[str, Path]]:
    """(schema name, file) for every YAML file of a content folder."""
    doc = yaml.safe_load((root / "document.yaml").read_text(encoding="utf-8"))
    out = [("document", root / "document.yaml")]
    sections = doc.get("sections") or []
    out += [("section", root / s) for s in ([sections] if isinstance(sections, str) else sections)]
    out += [("section", p) for p in sorted((root / "sections").glob("*.yaml")) if ("section", p) not in out]
    devices = root / (doc.get("devices") or "devices.yaml")
    if devices.exists():
        out.append(("devices", devices))
    changes = root / (doc.get("changes") or "changes.yaml")
    if changes.exists():
        out.append(("changes", changes))
    out += [("letter", p) for p in sorted((root / "letters").glob("*.yaml"))]
    out += [("consultation", p) for p in sorted((root / "consultations").glob("*/consultation.yaml"))]
    out += [("response", p) for p in sorted((root / "consultations").glob("*/responses/*.yaml"))]
    return out


def test_every_schema_is_valid_draft_2020_12() -> None:
    assert set(schemas.SCHEMAS) == {"document", "section", "devices", "changes", "letter", "consultation", "response"}
    for name in schemas.SCHEMAS:
        schema = _schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(("kind", "path"), _content_files(CONTENT), ids=lambda v: str(v))
def test_example_content_validates(kind: str, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _errors(kind, data) == [], f"{path.relative_to(REPO)} does not match {kind}.schema.json"


def test_mini_fixture_validates(mini: Path) -> None:
    for kind, path in _content_files(mini):
        assert _errors(kind, yaml.safe_load(path.read_text())) == [], path


# -- drift: the schema's properties are exactly the reader's keys --------------------------
def _props(schema: dict[str, Any], *path: str) -> set[str]:
    node = schema
    for p in path:
        node = node[p]
    assert node.get("additionalProperties") is False, f"{'/'.join(path) or 'top'} must forbid unknown keys"
    return set(node["properties"])


def test_properties_equal_reader_keys() -> None:
    doc, sec, dev, chg = (_schema(n) for n in ("document", "section", "devices", "changes"))
    assert _props(doc) == Y.DOCUMENT_KEYS
    assert _props(doc, "$defs", "level") == Y.LEVEL_KEYS
    assert _props(sec, "$defs", "clause") == Y.CLAUSE_KEYS
    assert _props(sec, "$defs", "appliesTo") == Y.APPLIES_KEYS
    assert _props(sec, "$defs", "table") == {"header", "rows"}
    assert _props(dev) == {"devices", "groups"}
    assert _props(dev, "$defs", "device") == Y.DEVICE_KEYS
    assert _props(dev, "$defs", "group") == Y.GROUP_KEYS
    assert _props(chg) == Y.CHANGES_KEYS
    assert _props(chg, "$defs", "renumber") == Y.RENUMBER_KEYS


def test_letter_properties_equal_reader_keys() -> None:
    let = _schema("letter")
    assert _props(let) == L.LETTER_KEYS
    for ref, keys in (("person", L.PERSON_KEYS), ("consultation", L.CONSULTATION_KEYS),
                      ("footnote", L.FOOTNOTE_KEYS), ("appendix", L.APPENDIX_KEYS),
                      ("part", L.PART_KEYS), ("select", L.SELECT_KEYS)):
        assert _props(let, "$defs", ref) == keys, ref


def test_consultation_properties_equal_reader_keys() -> None:
    con, resp = _schema("consultation"), _schema("response")
    assert _props(con) == C.CONSULTATION_KEYS
    assert _props(con, "$defs", "part") == C.PART_KEYS
    assert _props(con, "$defs", "select") == L.SELECT_KEYS
    assert _props(resp) == C.RESPONSE_KEYS
    assert _props(resp, "$defs", "answer") == C.ANSWER_KEYS
    assert tuple(resp["properties"]["category"]["enum"]) == CATEGORIES


def test_enums_equal_model_constants() -> None:
    doc, dev = _schema("document"), _schema("devices")
    assert tuple(doc["$defs"]["counterStyle"]["enum"]) == COUNTER_STYLES
    assert set(doc["properties"]["status"]["enum"]) == {"draft", "designated"}
    assert tuple(dev["$defs"]["device"]["properties"]["type"]["enum"]) == DEVICE_TYPES
    assert tuple(dev["$defs"]["device"]["properties"]["cohort"]["enum"]) == COHORTS


def _walk_properties(node: object, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            out.append((f"{where}/{key}", value))
        for key, value in node.items():
            out += _walk_properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _walk_properties(value, f"{where}/{i}")
    return out


def test_every_property_has_a_description() -> None:
    for name in schemas.SCHEMAS:
        for where, prop in _walk_properties(_schema(name)):
            assert prop.get("description"), f"{name}.schema.json{where} has no description"


# -- the schema catches what drafters get wrong ------------------------------------------
@pytest.mark.parametrize(
    ("kind", "text", "expect"),
    [
        ("section", "id: 18.10\ntext: x\n", "is not of type 'string'"),
        ("section", "id: a\nheding: x\n", "Additional properties"),
        ("section", "id: a\nchildren:\n  - text: no id\n", "'id' is a required property"),
        ("section", "id: a\napplies_to:\n  - srvs: [6.12]\n    devices: [d]\n", "is not of type 'string'"),
        ("section", "id: a\nnot_used: maybe\n", "is not of type 'boolean'"),
        ("devices", "devices:\n  - {id: d, manufacturer: M, model: X, type: ESME, cohort: XOC}\n", "is not one of"),
        ("document", "id: x\ntitle: T\nstatus: final\nversion: '1'\nnumbering: []\nsections: []\n", "is not one of"),
        ("changes", "date: 30/04/2025\n", "does not match"),
        ("section", "id: a\ntable: ~\n", "is not of type 'object'"),
        ("letter", "date: '2025-04-30'\nsubject: S\nsalutation: Dear X\nsender: {name: A}\n"
                   "addressee: {name: B, organisation: C}\nsignatory: {name: D}\n", "'organisation' is a required"),
        ("letter", "consultation: {id: c, responses: 9}\n", "is not valid under any"),
        ("response", "organisation: A\ncategory: Supplier\n", "is not one of"),
        ("response", "organisation: A\ncategory: Small Supplier\nanswers: {q1: maybe}\n", "is not valid"),
        ("consultation", "title: T\nparts:\n  - {id: a}\n", "'title' is a required"),
    ],
)
def test_schema_rejects(kind: str, text: str, expect: str) -> None:
    errors = _errors(kind, yaml.safe_load(text))
    assert any(expect in e for e in errors), errors
