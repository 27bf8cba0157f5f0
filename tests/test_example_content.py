"""The example in content/: big and realistic enough to demo, and it tells the 18.5 story.

v11 numbers 18.5p's items (i)-(iii); v12 numbers them 18.5q-18.5s and shifts the rest while its
DMVESM still cites the v11 numbers; the draft restores the v11 numbers as a declared renumbering.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.app import api
from generator.cli import main
from generator.model.designation import is_tombstone
from generator.writers.json_export import export_data, snapshot

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"

ITEMS = ["pd-clock-before", "pd-clock-during", "pd-clock-repeated"]  # 18.5p(i)-(iii)
AFTER_P = ["pd-secure-gsme", "pd-lg-gsme", "pd-other-gsme"]  # 18.5q-18.5s
NEW_TAGS = {"apr-2025-device-behaviours", "apr-2025-lg-foc-config"}


def _model(release: str = "") -> dict[str, Any]:
    project = api.load_release(str(CONTENT), release) if release else api.load_clean(str(CONTENT)).project
    return export_data(project)


@pytest.fixture(scope="module")
def models() -> dict[str, dict[str, Any]]:
    return {name: _model(name) for name in ("v11", "v12")} | {"draft": _model()}


def _clauses(model: dict[str, Any]) -> list[dict[str, Any]]:
    return model["documents"][0]["clauses"]


def _numbers(model: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["number"] for c in _clauses(model)}


def _children(model: dict[str, Any], number: str) -> list[str]:
    parent = next(c["id"] for c in _clauses(model) if c["number"] == number)
    return [c["number"] for c in _clauses(model) if c["parent"] == parent]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out + err


# -- size and shape ----------------------------------------------------------------------
def test_the_draft_is_big_enough_to_demo(models: dict[str, dict[str, Any]]) -> None:
    draft = models["draft"]
    clauses = _clauses(draft)
    assert draft["documents"][0]["version"] == "13.0" and draft["documents"][0]["status"] == "draft"
    assert sum(1 for c in clauses if c["level"] == 1) >= 12
    assert len(clauses) >= 150
    assert max(c["level"] for c in clauses) == 4
    assert sum(1 for c in clauses if c["applies_to"]) >= 50
    assert 200 <= len(draft["matrix"]) <= 1000
    assert any("table" in c for c in clauses)
    assert sum(len(re.findall(r"\[\[[^\]]+\]\]", c["text"])) for c in clauses) >= 15
    assert sum(c["text"].count("**") // 2 for c in clauses) >= 15  # defined terms
    assert sum(1 for c in clauses if re.search(r"\bSRV \d+\.\d+", c["text"])) >= 30


def test_devices_span_manufacturers_types_and_cohorts(models: dict[str, dict[str, Any]]) -> None:
    draft = models["draft"]
    devices = draft["devices"]
    assert len(devices) >= 15
    assert len({d["manufacturer"] for d in devices}) >= 6
    assert {d["type"] for d in devices} >= {"ESME", "GSME", "CHF", "PPMID"}
    assert {d["cohort"] for d in devices} == {"FOC", "IOC", "MOC"}
    names = {g["id"]: g["name"] for g in draft["groups"]}
    assert names["lg-foc-esme"] == "L&G FOC ESME"
    assert {"Secure ESME", "Secure GSME", "Secure CHF", "Itron ESME", "Honeywell ESME"} <= set(names.values())


def test_section_18_is_the_eighteenth(models: dict[str, dict[str, Any]]) -> None:
    sections = [c for c in _clauses(models["draft"]) if c["level"] == 1]
    assert sections[17]["number"] == "18" and sections[17]["id"] == "profile-data"


# -- the 18.5 story ----------------------------------------------------------------------
@pytest.mark.parametrize("version", ["v11", "draft"])
def test_18_5_has_a_to_s_and_18_5p_has_three_items(models: dict[str, dict[str, Any]], version: str) -> None:
    model = models[version]
    # v12's 18.5t-18.5v stay in the draft as [Not used]: those numbers are never given to other text.
    left = ["18.5t", "18.5u", "18.5v"] if version == "draft" else []
    assert _children(model, "18.5") == [f"18.5{chr(c)}" for c in range(ord("a"), ord("s") + 1)] + left
    unused = {c["number"]: c for c in _clauses(model) if c["number"] in left}
    assert all(c["not_used"] and not c["text"] for c in unused.values())
    assert _children(model, "18.5p") == ["18.5p(i)", "18.5p(ii)", "18.5p(iii)"]
    numbers = _numbers(model)
    assert [numbers[i] for i in ITEMS] == ["18.5p(i)", "18.5p(ii)", "18.5p(iii)"]
    assert [numbers[i] for i in AFTER_P] == ["18.5q", "18.5r", "18.5s"]


def test_v12_numbers_the_items_as_sub_clauses_and_shifts_the_rest(models: dict[str, dict[str, Any]]) -> None:
    v12 = models["v12"]
    numbers = _numbers(v12)
    assert _children(v12, "18.5p") == []
    assert [numbers[i] for i in ITEMS] == ["18.5q", "18.5r", "18.5s"]
    assert [numbers[i] for i in AFTER_P] == ["18.5t", "18.5u", "18.5v"]
    assert _children(v12, "18.5")[-1] == "18.5v"


def test_the_v12_dmvesm_still_cites_the_v11_numbers(models: dict[str, dict[str, Any]]) -> None:
    v11, v12 = models["v11"], models["v12"]
    n11, n12 = _numbers(v11), _numbers(v12)
    cited11 = {(m["srv"], m["device"]): [n11[c] for c in m["clauses"]] for m in v11["matrix"]}
    cited12 = {(m["srv"], m["device"]): [n12[c] for c in m["clauses"]] for m in v12["matrix"]}
    assert cited12 == cited11
    # ... and so points at the wrong text: Secure GSME's profile-data cell now cites an item of 18.5p.
    cell = next(m for m in v12["matrix"] if m["srv"] == "4.8.1" and m["device"] == "secure-europa-g4")
    assert cell["clauses"] == ["pd-clock-before"]


def test_the_draft_keeps_v11s_18_5_numbers(models: dict[str, dict[str, Any]]) -> None:
    n11, draft = _numbers(models["v11"]), _numbers(models["draft"])
    in_18_5 = {i: n for i, n in n11.items() if n.startswith("18.5")}
    assert len(in_18_5) == 23
    assert {i: draft[i] for i in in_18_5} == in_18_5


def test_every_new_clause_is_tagged_and_only_in_the_draft(models: dict[str, dict[str, Any]]) -> None:
    draft = {c["id"]: c for c in _clauses(models["draft"])}
    new = {i for i, c in draft.items() if NEW_TAGS & set(c.get("tags", []))}
    assert len(new) >= 8
    left = {i for i in draft if is_tombstone(i)}  # numbers of v12 left [Not used]
    assert {draft[i]["number"] for i in left} == {"18.5t", "18.5u", "18.5v"}
    for version in ("v11", "v12"):
        assert not new & set(_numbers(models[version])), f"{version} holds a clause new in the draft"
        assert set(draft) - new - left == set(_numbers(models[version]))
    numbers = {draft[i]["number"] for i in new}
    assert {"6.3A", "12.3A"} <= numbers  # inserted between released clauses
    assert draft["hh-profile-config"]["table"]["rows"]
    last = [c for c in draft.values() if c["level"] == 1][-1]
    assert last["id"] == "annex-hh-profile" and "apr-2025-lg-foc-config" in last["tags"]
    assert "[[hh-profile-config]]" in draft["cfg-lg-hh-profile"]["text"]


def _facts(snap: dict[str, Any]) -> tuple[object, ...]:
    return ([(c["id"], c["parent"], c["number"]) for c in snap["clauses"]], snap["matrix"],
            snap["document"]["version"], snap["document"]["status"], snap["date"], snap["origin"])


def test_the_snapshots_match_what_the_tool_reconstructs() -> None:
    """Numbers and matrix only: wording and the export format may move on without a rerun."""
    spec = importlib.util.spec_from_file_location("make_example_releases", REPO / "tools" / "make_example_releases.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    v11, v12 = tool.build(str(CONTENT))
    for project, meta in ((v11, tool.V11), (v12, tool.V12)):
        want = json.loads(snapshot(project, meta["name"], meta["date"], origin="reconstructed"))
        have = json.loads((CONTENT / "releases" / f"{meta['name']}.json").read_text(encoding="utf-8"))
        assert _facts(have) == _facts(want), (
            f"content/releases/{meta['name']}.json is stale: run tools/make_example_releases.py and commit it")


# -- the check -------------------------------------------------------------------------
def test_check_passes_and_lists_the_declared_renumberings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "check", "--content", str(CONTENT))
    assert code == 0, out
    assert "0 error(s), 0 warning(s)" in out
    moves = zip(ITEMS + AFTER_P, ["18.5q", "18.5r", "18.5s", "18.5t", "18.5u", "18.5v"],
                ["18.5p(i)", "18.5p(ii)", "18.5p(iii)", "18.5q", "18.5r", "18.5s"], strict=True)
    for cid, was, now in moves:
        assert f"S1SR104 info: clause '{cid}': {was} → {now}" in out


def test_check_fails_without_the_renumber_declaration(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    changes = root / "changes.yaml"
    text = changes.read_text(encoding="utf-8")
    changes.write_text(text[: text.index("renumber:")], encoding="utf-8")
    code, out = _run(capsys, "check", "--content", str(root))
    assert code == 1
    assert "S1SR104" not in out
    moved = dict(re.findall(r"S1SR103 error: clause '([\w-]+)' was (18\.5\w) in release v12", out))
    # Undeclared, the items would move; the clauses after them keep their frozen v12 numbers.
    assert moved == {"pd-clock-before": "18.5q", "pd-clock-during": "18.5r", "pd-clock-repeated": "18.5s"}
