"""Fuzzing the YAML source path: whatever the bytes, only located findings come out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.app import api
from generator.diagnostics import Diagnostic
from tests.conftest import MINI_DEVICES, MINI_DOCUMENT, MINI_SECTION

SLOW_CASES = int(os.environ.get("S1SR_FUZZ_CASES", "10000"))
KEYS = ["id", "heading", "text", "table", "children", "not_used", "applies_to", "tags", "srvs", "devices",
        "header", "rows", "x"]


def _content(tmp: Path) -> Path:
    root = tmp / "content"
    if not root.exists():
        (root / "sections").mkdir(parents=True)
        (root / "document.yaml").write_text(MINI_DOCUMENT)
        (root / "devices.yaml").write_text(MINI_DEVICES)
    return root


def _assert_located(diags: list[Diagnostic]) -> None:
    for d in diags:
        assert d.code and d.message
        assert d.location.file, d


def _run(root: Path, data: bytes) -> None:
    (root / "sections" / "01-general.yaml").write_bytes(data)
    _, diags = api.load(str(root))  # must never raise
    _assert_located(diags)


values = st.recursive(
    st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=25,
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(MINI_SECTION.encode())
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(st.binary(min_size=1, max_size=4) | st.sampled_from(
            [b":", b"-", b"[", b"{", b"\t", b"&a", b"*a", b"\n  ", b"'", b'"', b"#", b"\x00", b"\xff", b"!!"]))
        if op == "insert":
            data[pos:pos] = chunk
        elif op == "delete":
            del data[pos:pos + len(chunk)]
        else:
            data[pos:pos + len(chunk)] = chunk
    return bytes(data)


inputs = st.one_of(
    mutated(),
    values.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode()),
    st.fixed_dictionaries({"id": st.text(max_size=8), "children": st.lists(
        st.dictionaries(st.sampled_from(KEYS), values, max_size=6), max_size=5)}).map(
        lambda v: yaml.safe_dump(v).encode()),
    st.binary(max_size=200),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inputs)
def test_fuzz_source_quick(tmp_path: Path, data: bytes) -> None:
    _run(_content(tmp_path), data)


@pytest.mark.slow
@settings(max_examples=SLOW_CASES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inputs)
def test_fuzz_source_long(tmp_path: Path, data: bytes) -> None:
    _run(_content(tmp_path), data)
