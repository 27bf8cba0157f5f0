from __future__ import annotations

import pytest

from generator.model import Clause, Release, ReleasedClause, Span
from generator.passes.numbering import number_project
from generator.passes.references import resolve_references
from generator.readers.inline import parse_inline
from tests.factories import project


def _with_text(text: str, releases: tuple[Release, ...] = ()) -> list[str]:
    body = Clause(id="body", raw_text=text, text=parse_inline(text, Span(file="x.yaml", line=1, col=1)))
    target = Clause(id="target", raw_text="t", children=(Clause(id="t-a", raw_text="a"),
                                                         Clause(id="t-b", raw_text="b")))
    numbered, _ = number_project(project(Clause(id="s", raw_text="", children=(target, body)), releases=releases))
    return [d.code for d in resolve_references(numbered)]


@pytest.mark.parametrize(("text", "codes"), [
    ("see [[t-a]] for the rule", []),
    ("see [[t-z]] for the rule", ["S1SR201"]),
    ("as set out in clause 1.1b", ["S1SR206"]),
    ("as set out in 1.1b", ["S1SR206"]),
    ("see 1.1c", ["S1SR204"]),
    ("a reading of 0.5 kWh", []),
    ("in 2.5 seconds", []),
    ("under SRV 4.8.1", []),
    ("under SRV 6.99", ["S1SR207"]),
])
def test_references_in_text(text: str, codes: list[str]) -> None:
    assert _with_text(text) == codes


def test_cited_number_that_moved_since_the_release() -> None:
    # In the release, 1.1b was another clause: the author meant that one.
    rel = Release(name="v1", date="2024-01-01", version="1", clauses=(
        ReleasedClause(id="s", parent="", level=1, ordinal=(1, 0), number="1"),
        ReleasedClause(id="target", parent="s", level=2, ordinal=(1, 0), number="1.1"),
        ReleasedClause(id="t-a", parent="target", level=3, ordinal=(1, 0), number="1.1a"),
        ReleasedClause(id="old-b", parent="target", level=3, ordinal=(2, 0), number="1.1b"),
    ))
    assert "S1SR205" in _with_text("see 1.1b", releases=(rel,))
