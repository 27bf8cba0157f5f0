"""A consultation counted: the tallies come from the answers (a property for every set of
answers), respondents are listed named first and confidential ones numbered, and each part's
clauses come from the comparison."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.app import api
from generator.model.consultation import AGREE, DISAGREE, NO_VIEW, RESPONSES, Answer, Consultation, Part, Respondent
from generator.passes.consultation import resolve_consultation
from tests.support import REPO

PARTS = (Part(id="a", number=1, title="A"), Part(id="b", number=2, title="B"))


def _consultation(answers: list[dict[str, str]], confidential: tuple[bool, ...] = ()) -> Consultation:
    return Consultation(id="c", title="C", parts=PARTS, respondents=tuple(
        Respondent(id=f"r{i}", organisation=f"Org {chr(90 - i)}", category="Large Supplier",
                   confidential=i < len(confidential) and confidential[i],
                   answers=tuple(Answer(part=p, response=r) for p, r in sorted(given.items())))
        for i, given in enumerate(answers)))


@given(st.lists(st.dictionaries(st.sampled_from(("a", "b")), st.sampled_from(RESPONSES)), max_size=12))
def test_the_counts_always_add_up(answers: list[dict[str, str]]) -> None:
    c, diags = resolve_consultation(_consultation(answers))
    assert diags == []
    for p in c.parts:
        t = p.tally
        given_here = [a[p.id] for a in answers if p.id in a]
        assert t.respondents == len(answers) and t.answered == len(given_here)
        assert (t.supported, t.opposed, t.no_view_given) == (given_here.count(AGREE), given_here.count(DISAGREE),
                                                             given_here.count(NO_VIEW))
        assert t.not_answered == len(answers) - len(given_here)
        assert t.no_view == t.no_view_given + t.not_answered == t.respondents - t.supported - t.opposed


def test_named_respondents_first_then_the_confidential_numbered() -> None:
    c, _ = resolve_consultation(_consultation([{}, {}, {}, {}], confidential=(True, False, True, False)))
    assert [(r.organisation, r.anonymous) for r in c.respondents] == [
        ("Org W", 0), ("Org Y", 0), ("Org Z", 1), ("Org X", 2)]


def test_each_part_counts_the_clauses_it_amends() -> None:
    project, _ = api.load(str(REPO / "content"))
    assert project is not None
    (c,) = api.correspondence(project).consultations
    assert [(p.id, p.tally.clauses, p.rows[0].number) for p in c.parts] == [
        ("references", 6, "18.5p(i)"), ("behaviours", 6, "6.3A"), ("lg-config", 7, "20.5d")]


def test_a_footnote_mark_in_a_consultation_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    path = tmp_path / "content" / "consultations" / "2025-02-s1sr-v13" / "consultation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("We recommend the\n", "We recommend[^x] the\n"),
                    encoding="utf-8")
    (d,) = [d for d in api.check(str(tmp_path / "content")) if d.code.startswith("CNS")]
    assert d.code == "CNS101" and "[^x]" in d.message and d.location.file.endswith("consultation.yaml")
