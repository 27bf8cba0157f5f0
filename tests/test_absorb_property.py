"""A property of ``s1sr absorb``: for any mix of reviewer edits (words amended, paragraphs inserted
or deleted, tracked or not), taking the document back and rebuilding it gives a document whose
clause paragraphs read word for word as the edited one with every change accepted.

The oracle reads both documents with lxml over python-docx (tests/test_cli_absorb.py), not with
the reader under test. Numbers are left out of the comparison: the numbering rules decide them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.app.absorb import absorb
from generator.app.api import load, render
from tests import review_edits as E
from tests.test_cli_absorb import _accepted_paragraphs, _words

DOCUMENT = """\
id: prop
title: Property Requirements
short_title: PROP
status: draft
version: "1.0"
date: "2025-01-31"
numbering:
  - {name: section, style: decimal, ref: "{n}", insert: upper-alpha}
  - {name: clause, style: decimal, ref: "{parent}.{n}", insert: upper-alpha}
  - {name: sub-clause, style: lower-alpha, ref: "{parent}{n}", label: "({n})", insert: lower-alpha}
sections:
  - sections/01-introduction.yaml
  - sections/02-rules.yaml
"""
INTRO = """\
id: introduction
heading: Introduction
children:
  - id: intro-purpose
    text: This document describes how a **Device Model** behaves for SRV 4.8.1.
"""
RULES = """\
# Rules, in an order that matters.
id: rules
heading: Rules
children:
  - id: rule-capture
    heading: Capture
    text: >-
      A meter records *Profile Data* every thirty minutes, as [[introduction]] describes,
      and keeps it for thirteen months.
  - id: rule-missing
    text: "Where an entry is missing, the S1SP shall:"
    children:
      - id: rule-missing-mark
        text: mark it as missing; and
      - id: rule-missing-estimate
        text: not estimate a value for it.
  - id: rule-order
    text: Entries are returned oldest first, one for each Capture Period.
  - id: rule-limits
    text: A single request covers at most ten days of entries.
"""
DEVICES = "devices:\n  - {id: secure-esme, manufacturer: Secure, model: Liberty 100, type: ESME, cohort: MOC}\n"

# (paragraph label, its parent label for deeper ones) of every clause paragraph but the sections.
CLAUSES = ("1.1", "2.1", "2.2", "2.2|(a)", "2.2|(b)", "2.3", "2.4")
WORDS = st.sampled_from(["records", "thirty", "missing", "oldest", "request", "meter", "Entries", "value"])
EDIT = st.one_of(
    st.tuples(st.just("amend"), st.sampled_from(CLAUSES), WORDS, st.sampled_from(["", "Rita Reviewer"])),
    st.tuples(st.just("insert"), st.sampled_from(CLAUSES),
              st.lists(WORDS, min_size=2, max_size=6).map(lambda w: " ".join(w).capitalize() + "."),
              st.sampled_from(["", "Rita Reviewer"])),
    st.tuples(st.just("delete"), st.sampled_from(CLAUSES), st.just(""), st.sampled_from(["", "Sam Checker"])),
)


def _content(root: Path) -> None:
    (root / "sections").mkdir(parents=True)
    (root / "document.yaml").write_text(DOCUMENT)
    (root / "sections" / "01-introduction.yaml").write_text(INTRO)
    (root / "sections" / "02-rules.yaml").write_text(RULES)
    (root / "devices.yaml").write_text(DEVICES)


def _docx(root: Path, out: Path) -> Path:
    project, diags = load(str(root))
    assert project is not None, diags
    (name, data), = render(project, only=("docx",)).items()
    path = out / name
    path.write_bytes(data)
    return path


def _apply(path: Path, edits: list[tuple[str, str, str, str]], target: Path) -> None:
    doc = E.open_doc(path)
    gone: set[str] = set()
    for kind, where, words, author in edits:
        if where in gone:
            continue
        try:
            p = E.clause_paragraph(doc, where)
        except KeyError:
            continue
        if kind == "amend":
            run = next((r for r in reversed(p.runs) if " " in r.text.strip() and "\t" not in r.text), None)
            if run is None:
                continue
            first = run.text.split()[0]
            if author:
                E.tracked_replace(p, first, words, author)
            else:
                run.text = run.text.replace(first, words, 1)
        elif kind == "insert":
            E.insert_after(p, words, author=author)
        else:
            E.delete(p, author=author)
            gone.add(where)
    doc.save(str(target))


def _round_trip(edits: list[tuple[str, str, str, str]]) -> None:
    with tempfile.TemporaryDirectory(prefix="s1sr-absorb-prop-") as tmp:
        root = Path(tmp) / "content"
        _content(root)
        built = _docx(root, Path(tmp))
        edited = Path(tmp) / "edited.docx"
        _apply(built, edits, edited)
        result = absorb(str(root), str(edited), write=True)
        assert not [d for d in result.diags if d.severity.value == "error"], [str(d.message) for d in result.diags]
        (Path(tmp) / "again").mkdir()
        rebuilt = _accepted_paragraphs(_docx(root, Path(tmp) / "again"))
        expected = _accepted_paragraphs(edited)
        assert [_words(x) for x in rebuilt] == [_words(x) for x in expected]
        # Taken back once, the same document holds nothing more to take back.
        again = absorb(str(root), str(edited))
        assert not again.files, again.diff


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDIT, min_size=1, max_size=4))
def test_rebuilt_document_reads_as_the_edited_one(edits: list[tuple[str, str, str, str]]) -> None:
    _round_trip(edits)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDIT, min_size=1, max_size=8))
def test_rebuilt_document_reads_as_the_edited_one_at_length(edits: list[tuple[str, str, str, str]]) -> None:
    _round_trip(edits)
