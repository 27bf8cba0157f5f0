"""Letters against the diff: amendment rows come from the diff; what no appendix explains is a
warning, what a letter claims that the diff does not contain is an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.app import api
from generator.diagnostics import exit_status
from generator.model.diff import ADDED, MOVED, RENUMBERED, VACATED
from generator.model.letter import ClauseRef, Count, Letter
from generator.passes.letter import letter_inlines
from tests.support import REPO

LETTER = "letters/2025-04-recommendation.yaml"


@pytest.fixture(scope="module")
def example() -> Letter:
    project, _ = api.load(str(REPO / "content"))
    assert project is not None
    (letter,), diags = api.letters(project)
    assert diags == []
    return letter


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    return root


def edit(root: Path, old: str, new: str) -> None:
    path = root / LETTER
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings(root: Path, code: str) -> list:
    return [d for d in api.check(str(root)) if d.code == code]


def test_the_restored_references_table(example: Letter) -> None:
    rows = example.appendices[0].parts[0].rows
    assert [(r.old_number, r.new_number) for r in rows] == [
        ("18.5q", "18.5p(i)"), ("18.5r", "18.5p(ii)"), ("18.5s", "18.5p(iii)"),
        ("18.5t", "18.5q"), ("18.5u", "18.5r"), ("18.5v", "18.5s"),
        ("18.5t", "18.5t"), ("18.5u", "18.5u"), ("18.5v", "18.5v")]
    assert all(r.declared and RENUMBERED in r.kinds for r in rows[:6])
    # The numbers the restored clauses leave go with them, as [Not used], never to other text.
    assert [(r.kinds, r.summary) for r in rows[6:]] == [
        ((VACATED,), f"[Not used] (its text is now 18.5{n})") for n in "qrs"]
    assert MOVED in rows[0].kinds and rows[3].srvs == ("4.8.1",) and rows[3].devices == ("Secure GSME",)
    # Each took back the number it had in version 11, which the table says in plain words.
    assert {r.restored for r in rows[:6]} == {"11.0"}
    # 18.5p(i) names no SRV itself: it shows those of 18.5p, whose item it is.
    assert rows[0].srvs == ("4.8.1", "4.8.2") and rows[0].devices and rows[0].parent_number == "18.5p"
    assert (example.from_label, example.to_label) == ("v12", "v13")


def test_the_device_behaviours_and_the_lg_configuration(example: Letter) -> None:
    behaviours = example.appendices[0].parts[1].rows
    assert len(behaviours) == 6 and all(r.kinds == (ADDED,) for r in behaviours)
    assert {s for r in behaviours for s in r.srvs} == {"1.1.1", "2.1", "6.8", "6.12", "4.2", "11.1"}
    lg = example.appendices[1].parts[0].rows
    assert {"cfg-lg-non-gbcs-alerts", "cfg-lg-hh-profile", "hh-profile-config"} <= {r.clause_id for r in lg}
    table = next(r.table for r in lg if r.clause_id == "hh-profile-config")
    assert table is not None and table.header[0] == "Channel"


def test_narrative_references_print_the_amended_number(example: Letter) -> None:
    refs = [i for b in example.appendices[1].parts[0].narrative for i in b.inlines if isinstance(i, ClauseRef)]
    # As prose, capitalised where they open a sentence; the annex cited as an annex.
    assert [(r.target, r.number) for r in refs] == [("cfg-lg-non-gbcs-alerts", "Clause 20.5d"),
                                                    ("cfg-lg-hh-profile", "Clause 20.5e"),
                                                    ("annex-hh-profile", "Annex D")]


def test_the_example_is_clean() -> None:
    assert [d for d in api.check(str(REPO / "content")) if d.code.startswith("LTR")] == []


def test_a_change_no_appendix_explains_is_a_warning(content: Path) -> None:
    edit(content, "        amendments:\n          tags: [apr-2025-lg-foc-config]\n        quote: true\n",
         "        amendments:\n          clauses: [cfg-lg-hh-profile]\n")
    warned = findings(content, "LTR105")
    assert {d.location.clause_id for d in warned if d.location.clause_id} >= {"cfg-lg-non-gbcs-alerts",
                                                                              "hh-profile-config"}
    assert any("DMVESM cell SRV 6.22" in d.message for d in warned)
    assert all(d.severity == "warning" for d in warned)


def test_a_claimed_amendment_the_diff_lacks_is_an_error(content: Path) -> None:
    edit(content, "            - pd-other-gsme\n", "            - pd-other-gsme\n            - pd-capture\n")
    (err,) = findings(content, "LTR104")
    assert "pd-capture" in err.message and err.severity == "error"
    assert err.location.file.endswith("2025-04-recommendation.yaml") and err.location.line > 0
    assert exit_status(api.check(str(content))) == 1


def test_a_tag_that_selects_no_change_is_an_error(content: Path) -> None:
    # The tag is carried by clauses, but by none that changed.
    section = content / "sections" / "18-profile-data.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("  - id: pd-capture\n", "  - id: pd-capture\n    tags: [unchanged]\n", 1))
    edit(content, "tags: [apr-2025-device-behaviours]", "tags: [apr-2025-device-behaviours, unchanged]")
    (err,) = findings(content, "LTR104")
    assert "unchanged" in err.message


@pytest.mark.parametrize(("old", "new", "code"), [
    ("            - pd-other-gsme\n", "            - pd-other-gsm\n", "LTR102"),
    ("tags: [apr-2025-device-behaviours]", "tags: [apr-2025-device-behaviour]", "LTR103"),
    ("tags: [apr-2025-device-behaviours]", "srvs: [\"6.99\"]", "LTR103"),
    ("against: v12", "against: v21", "LTR109"),
])
def test_unknown_selections_cannot_be_read(content: Path, old: str, new: str, code: str) -> None:
    edit(content, old, new)
    (err,) = findings(content, code)
    assert err.fatal and err.location.line > 0
    assert exit_status(api.check(str(content))) == 2
    if code in ("LTR102", "LTR103") and "srvs" not in new:
        assert "did you mean" in err.help


def test_footnotes_and_clause_references(content: Path) -> None:
    edit(content, "Matrix (the DMVESM)[^dmvesm]", "Matrix (the DMVESM)[^dmvsm]")
    edit(content, "traffic. [[cfg-lg-non-gbcs-alerts]]", "traffic. [[cfg-lg-non-gbcs-alert]]")
    assert "dmvsm" in findings(content, "LTR106")[0].message
    assert "dmvesm" in findings(content, "LTR107")[0].message
    (ref,) = findings(content, "LTR108")
    assert "cfg-lg-non-gbcs-alert" in ref.message and "did you mean" in ref.help


SEVENTH = """
  - id: chf-edmi-restart
    tags: [apr-2025-device-behaviours]
    text: >-
      An EDMI CHF that restarts after a power cut resends the last Alert it held, so the S1SP
      discards an Alert it has already forwarded.
    applies_to:
      - srvs: ["11.1"]
        devices: [edmi-commshub]
"""


def add_seventh_behaviour(root: Path) -> None:
    path = root / "sections" / "19-chf.yaml"
    path.write_text(path.read_text(encoding="utf-8") + SEVENTH, encoding="utf-8")


def test_a_seventh_device_behaviour_makes_the_check_warn_that_the_letter_says_six(content: Path) -> None:
    assert findings(content, "LTR141") == []
    add_seventh_behaviour(content)
    warned = findings(content, "LTR141")
    # The summary and the appendix both tie "six" to the tag: both are wrong now.
    assert len(warned) == 2 and all(d.severity == "warning" for d in warned)
    assert all("says six" in d.message and "counts 7" in d.message for d in warned)
    assert all("apr-2025-device-behaviours" in d.message and "write 10" not in d.help for d in warned)
    assert all(d.location.file.endswith("2025-04-recommendation.yaml") and d.location.line > 0 for d in warned)
    assert "write seven" in warned[0].help
    assert exit_status(api.check(str(content))) == 0  # a warning: the check still passes
    project, _ = api.load(str(content))
    assert project is not None
    (letter,), _ = api.letters(project)
    assert len(letter.appendices[0].parts[1].rows) == 7  # while the table lists seven


def test_an_empty_count_prints_what_the_tool_counts(content: Path) -> None:
    edit(content, "[six]{tag:apr-2025-device-behaviours} device behaviours",
         "[]{tag:apr-2025-device-behaviours} device behaviours")
    edit(content, "has found\n          [six]{tag:apr-2025-device-behaviours}", "has found\n          []{amendments}")
    edit(content, "[One]{opposed:lg-config} respondent", "[]{opposed:lg-config} respondent")
    add_seventh_behaviour(content)
    project, _ = api.load(str(content))
    assert project is not None
    (letter,), diags = api.letters(project)
    assert [d for d in diags if d.code.startswith("LTR14")] == []
    counts = [i for i in letter_inlines(letter) if isinstance(i, Count)]
    assert [(c.selector, c.value, c.text) for c in counts] == [
        ("tag:apr-2025-device-behaviours", 7, "seven"),
        ("opposed:lg-config", 1, "One"),  # at the start of a sentence
        ("amendments", 20, "20"),  # from ten upwards, in figures
    ]


def test_the_letter_counts_come_from_the_responses(example: Letter) -> None:
    c = example.consultation
    assert c is not None and c.responses == 9
    tallies = {p.id: p.tally for p in c.parts}
    references, behaviours, lg = tallies["references"], tallies["behaviours"], tallies["lg-config"]
    assert (references.answered, references.supported, references.opposed, references.no_view) == (9, 8, 0, 1)
    # Only four of the nine answered this part: "no view" counts the five who did not.
    assert (behaviours.answered, behaviours.supported, behaviours.no_view_given, behaviours.not_answered,
            behaviours.no_view) == (4, 4, 0, 5, 5)
    assert (lg.answered, lg.supported, lg.opposed, lg.no_view) == (7, 6, 1, 2)  # all but one supported
    assert (references.clauses, behaviours.clauses, lg.clauses) == (6, 6, 7)
