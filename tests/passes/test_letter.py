"""Letters against the diff: amendment rows come from the diff; what no appendix explains is a
warning, what a letter claims that the diff does not contain is an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.app import api
from generator.diagnostics import exit_status
from generator.model.diff import ADDED, MOVED, RENUMBERED
from generator.model.letter import ClauseRef, Letter
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
        ("18.5t", "18.5q"), ("18.5u", "18.5r"), ("18.5v", "18.5s")]
    assert all(r.declared and RENUMBERED in r.kinds for r in rows)
    assert MOVED in rows[0].kinds and rows[3].srvs == ("4.8.1",) and rows[3].devices == ("Secure GSME",)
    assert (example.from_label, example.to_label) == ("v12", "v13.0")


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
