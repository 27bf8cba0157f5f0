"""Response files as the import writes them read back as the same respondent, whatever the text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model.consultation import CATEGORIES, RESPONSES, Answer, Consultation, Part, Respondent
from generator.readers.consultation import read_response
from generator.writers.consultation_yaml import response_yaml, slug

CONSULTATION = Consultation(id="c", title="C", parts=(Part(id="one", number=1, title="One"),
                                                      Part(id="two", number=2, title="Two")))

# Text a respondent could type: any printable character, paragraphs separated by blank lines.
_WORDS = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"),
                 min_size=1, max_size=40).map(lambda t: " ".join(t.split())).filter(bool)
_ANSWER = st.tuples(st.sampled_from(RESPONSES), st.lists(_WORDS, max_size=3))


def test_slug() -> None:
    assert slug("Large Supplier A") == "large-supplier-a"
    assert slug("Société Générale (Énergie) Ltd.") == "societe-generale-energie-ltd"
    assert slug("../../etc/passwd") == "etc-passwd" and slug("???") == "respondent"
    assert len(slug("x" * 200)) == 60


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(organisation=_WORDS, category=st.sampled_from(CATEGORIES), confidential=st.booleans(),
       answers=st.dictionaries(st.sampled_from(("one", "two")), _ANSWER))
def test_a_written_response_reads_back_the_same(tmp_path: Path, organisation: str, category: str,
                                                confidential: bool, answers: dict) -> None:
    written = Respondent(id="r", organisation=organisation, category=category, confidential=confidential,
                         answers=tuple(Answer(part=p, response=r, text=tuple(t))
                                       for p, (r, t) in sorted(answers.items())))
    path = tmp_path / "r.yaml"
    path.write_bytes(response_yaml(written, source="responses.xlsx"))
    read, diags = read_response(str(path), "r.yaml", CONSULTATION)
    # Random text may hold invisible or mixed-script characters: the reader warns about what the
    # text says (S1SR027/S1SR028), never about how it was written.
    assert [d for d in diags if d.code not in ("S1SR027", "S1SR028")] == [] and read is not None
    assert (read.organisation, read.category, read.confidential) == (organisation, category, confidential)
    assert [(a.part, a.response, a.text) for a in read.answers] == [(a.part, a.response, a.text)
                                                                    for a in written.answers]
