"""The JSON export's text: the export's data exactly (json as the oracle), a record a line."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.app import api
from generator.writers.json_export import _layout, content_hash, export_data, export_text

ROOT = Path(__file__).resolve().parents[2]

_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.text())
_RECORD = st.dictionaries(st.text(), st.one_of(_SCALAR, st.lists(_SCALAR, max_size=3)), max_size=4)
_DATA = st.dictionaries(st.text(), st.one_of(_SCALAR, st.lists(_RECORD, max_size=4),
                                             st.lists(st.dictionaries(st.text(), st.lists(_RECORD, max_size=3),
                                                                      max_size=2), max_size=2)), max_size=5)


@given(_DATA)
def test_the_layout_is_json_of_the_same_data(data: dict[str, object]) -> None:
    assert json.loads(_layout(data, 2, "")) == data


def test_the_example_exports_a_record_a_line() -> None:
    project = api.load_clean(str(ROOT / "content")).project
    text = export_text(project)
    data = export_data(project)
    assert json.loads(text) == data
    lines = text.splitlines()
    clauses = data["documents"][0]["clauses"]
    # Every clause, device and matrix cell is one line of its own, whole.
    for record in (*clauses, *data["devices"], *data["matrix"]):
        line = json.dumps(record, ensure_ascii=False, sort_keys=True)
        assert any(ln.strip().rstrip(",") == line for ln in lines), line
    assert content_hash(project).startswith("sha256:") and text == export_text(project)
