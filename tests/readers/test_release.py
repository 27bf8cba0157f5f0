"""Release snapshots are read once per command: the source lists every release, and the
baseline's whole Project comes from the same parsed file."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.app import api
from generator.model import ReleasedClause
from generator.model.release import released_clause
from generator.readers import release
from tests.support import CONTENT


def test_a_build_parses_each_snapshot_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    parsed: Counter[str] = Counter()
    parse = release._parse

    def counted(path: str, size: int) -> object:
        parsed[Path(path).name] += 1
        return parse(path, size)

    monkeypatch.setattr(release, "_parse", counted)
    hashes, _ = api.build(str(content), str(tmp_path / "build"))
    assert hashes
    assert parsed == {"v11.json": 1, "v12.json": 1}


def test_a_snapshot_written_since_is_read_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    draft, _ = api.load(str(content))
    assert draft is not None
    first = api.release_project(draft, "v12")
    snapshot = content / "releases" / "v12.json"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace('"version": "12.0"', '"version": "12.9"'),
                        encoding="utf-8")
    again = api.release_project(draft, "v12")
    assert (first.document.version, again.document.version) == ("12.0", "12.9")


# -- the nesting bound's fast path ------------------------------------------------------------
_LEAVES = st.one_of(st.integers(), st.none(), st.booleans(),
                    st.text(alphabet=st.sampled_from('ab"\\[]{}é\u2028 '), max_size=6))
_JSON = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(alphabet=st.sampled_from('k"\\[{'), max_size=3), inner, max_size=3),
                     max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(value=_JSON, limit=st.integers(min_value=0, max_value=12), ascii_only=st.booleans(),
       indent=st.sampled_from([None, 1]))
def test_the_fast_nesting_bound_agrees_with_the_exact_walk(value: object, limit: int, ascii_only: bool,
                                                           indent: int | None) -> None:
    """Brackets, quotes and backslashes inside strings never count; the C-speed passes say what
    the byte-by-byte walk says about every JSON text."""
    raw = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode("utf-8")
    assert release._deeper_than(raw, limit) == (release._nesting(raw)[0] > limit)


def test_unbalanced_brackets_go_to_the_exact_walk() -> None:
    assert release._deeper_than(b"[[}", 32)  # then _nesting decides, and json.loads reports the error
    assert not release._deeper_than(b'{"a": "[[[[[[[[[[\\"[[[["}', 2)


# -- the clause tree's one-pass check ----------------------------------------------------------
def _verdict(check: Callable[[tuple[ReleasedClause, ...]], None], clauses: tuple[ReleasedClause, ...]) -> str:
    try:
        check(clauses)
    except release.SnapshotError as exc:
        return str(exc)
    return ""


@settings(max_examples=400, deadline=None)
@given(links=st.lists(st.tuples(st.sampled_from(["", "a", "b", "c", "d", "e", "f"]),
                                st.sampled_from(["", "", "a", "b", "c", "d", "e", "f", "zz"])), max_size=8),
       chain=st.integers(min_value=0, max_value=16))
def test_the_one_pass_tree_check_agrees_with_the_walks(links: list[tuple[str, str]], chain: int) -> None:
    """Duplicate ids, unknown parents, cycles, children before their parents and trees too deep:
    the one pass accepts only what the walks accept, and otherwise the walks say why."""
    ids = [f"n{i}" for i in range(chain)]  # a chain of clauses, each the parent of the next
    pairs = [(cid, ids[i - 1] if i else "") for i, cid in enumerate(ids)] + links
    clauses = tuple(released_clause(cid, parent, 1, (1, 0), "1", False, False, "") for cid, parent in pairs)
    assert _verdict(release._check_tree, clauses) == _verdict(release._check_tree_walks, clauses)
