"""The consultation reader: the example's nine respondents, the short and long forms of an answer,
and every problem located at its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model.consultation import AGREE, DISAGREE, NO_VIEW
from generator.readers.consultation import (
    normalise_answer,
    normalise_category,
    paragraphs,
    read_consultation,
    read_consultations,
)
from tests.support import REPO

EXAMPLE = REPO / "content" / "consultations" / "2025-02-s1sr-v13"

CONSULTATION = """\
title: A consultation
parts:
  - id: one
    title: The first part
    proposes: {tags: [t]}
  - id: two
    title: The second part
"""


def _folder(tmp_path: Path, responses: dict[str, str], consultation: str = CONSULTATION) -> Path:
    folder = tmp_path / "c1"
    (folder / "responses").mkdir(parents=True)
    (folder / "consultation.yaml").write_text(consultation, encoding="utf-8")
    for name, text in responses.items():
        (folder / "responses" / name).write_text(text, encoding="utf-8")
    return folder


def test_the_example() -> None:
    c, diags = read_consultation(str(EXAMPLE), "consultations/2025-02-s1sr-v13")
    assert diags == [] and c is not None
    assert c.id == "2025-02-s1sr-v13" and (c.opened, c.closed) == ("2025-02-24", "2025-03-28")
    assert [(p.id, p.number) for p in c.parts] == [("references", 1), ("behaviours", 2), ("lg-config", 3)]
    assert [s.value for s in c.parts[1].proposes.tags] == ["apr-2025-device-behaviours"]
    assert c.responses == 9
    assert sum(r.confidential for r in c.respondents) == 1
    b = next(r for r in c.respondents if r.organisation == "Large Supplier B")
    assert [(a.part, a.response) for a in b.answers] == [("references", AGREE), ("behaviours", AGREE),
                                                         ("lg-config", DISAGREE)]
    assert b.answers[2].text[0].startswith("We operate one of the largest") and b.answers[2].our_view
    assert b.span.file.endswith("large-supplier-b.yaml") and b.span.line == 1


def test_short_and_long_answers(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"a.yaml": "organisation: A Ltd\ncategory: small suppliers\nanswers:\n"
                                          "  two: No-View\n  one:\n    response: Agree\n    text: |\n"
                                          "      First\n      line.\n\n      Second.\n"})
    c, diags = read_consultation(str(folder), "c1")
    assert diags == [] and c is not None
    (r,) = c.respondents
    assert r.category == "Small Supplier" and not r.confidential
    assert [(a.part, a.response, a.text) for a in r.answers] == [
        ("one", AGREE, ("First line.", "Second.")), ("two", NO_VIEW, ())]  # in the parts' order


@pytest.mark.parametrize(("text", "code", "line"), [
    ("organisation: A\ncategory: Large Supplier\nanswers:\n  three: agree\n", "CNS102", 4),
    ("organisation: A\ncategory: Large Supplier\nanswers:\n  one: partly agree\n", "CNS104", 4),
    ("organisation: A\ncategory: Large Supplier\nanswers:\n  one: {response: yes}\n", "CNS104", 4),
    ("organisation: A\ncategory: Supplier\n", "CNS105", 2),
    ("category: Large Supplier\n", "CNS101", 1),
    ("organisation: A\n", "CNS101", 1),
    ("organisation: A\ncategory: Large Supplier\nconfidential: maybe\n", "CNS101", 3),
    ("organisation: A\ncategory: Large Supplier\nanswer: {}\n", "S1SR007", 3),
])
def test_problems_are_located(tmp_path: Path, text: str, code: str, line: int) -> None:
    folder = _folder(tmp_path, {"a.yaml": text})
    _, diags = read_consultation(str(folder), "c1")
    assert [(d.code, d.location.file, d.location.line) for d in diags] == [(code, "c1/responses/a.yaml", line)]
    assert diags[0].help


def test_duplicate_respondents(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"a.yaml": "organisation: Large  Supplier A\ncategory: Large Supplier\n",
                                "b.yaml": "# the same, typed again\norganisation: large supplier a\n"
                                          "category: Large Supplier\n"})
    c, diags = read_consultation(str(folder), "c1")
    assert c is not None and len(c.respondents) == 1
    (d,) = diags
    assert (d.code, d.location.file, d.location.line) == ("CNS103", "c1/responses/b.yaml", 2)
    assert d.related[0].file == "c1/responses/a.yaml"


def test_duplicate_parts_and_missing_fields(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {}, "parts:\n  - id: one\n    title: A\n  - id: one\n    title: B\n  - title: C\n")
    _, diags = read_consultation(str(folder), "c1")
    assert {(d.code, d.location.line) for d in diags} == {("CNS106", 4), ("CNS101", 6), ("CNS101", 1)}


def test_a_folder_without_consultation_yaml(tmp_path: Path) -> None:
    (tmp_path / "consultations" / "stray" / "responses").mkdir(parents=True)
    found, diags = read_consultations(str(tmp_path / "consultations"))
    assert found == () and [d.code for d in diags] == ["CNS110"]
    assert read_consultations(str(tmp_path / "absent")) == ((), [])


def test_normalisers() -> None:
    assert [normalise_answer(x) for x in ("Agree", " DISAGREE ", "no view", "No-View", "no_view", "noview")] == [
        AGREE, DISAGREE, NO_VIEW, NO_VIEW, NO_VIEW, NO_VIEW]
    assert normalise_answer("agreed") is None and normalise_answer("no") is None
    assert normalise_category("large suppliers") == "Large Supplier"
    assert normalise_category("non-sec party") == "Non-SEC Party" and normalise_category("Supplier") is None
    assert paragraphs("a\nb\n\n\n c \n") == ("a b", "c") and paragraphs("  ") == ()


