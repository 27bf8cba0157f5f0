"""Letters frozen as sent: the April 2025 letter goes with v13. Once `s1sr release v13` exists it is
rendered against that release, byte for byte the same after any later draft, and the check holds
it to that release; only a letter that goes with the draft follows the draft."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.app import api
from tests.passes.test_letter import SEVENTH
from tests.support import REPO, run_cli

LETTER = ("letter-2025-04-recommendation.docx", "letter-2025-04-recommendation.md")
CONSULTATION = tuple(f"consultation-2025-02-s1sr-v13-{kind}" for kind in
                     ("responses.docx", "responses.xlsx", "conclusions.docx", "conclusions.md"))

V14_CHANGES = """\
against: v13
author: S1SR Drafting Team
date: "2025-10-31"
summary: Describes a restart behaviour of EDMI CHF and clarifies the L&G FOC ESME configuration.
"""

V14_LETTER = """\
version: v14
date: "2025-10-31"
subject: Recommendation to designate version 14.0 of the S1SR
salutation: Dear Rowena
sender: {organisation: Smart DCC Ltd}
addressee: {name: Rowena Castellan, organisation: Department for Energy Security and Net Zero}
signatory: {name: Gareth Penhallow}
summary: |
  Version 14.0 makes [two]{amendments} changes.
appendices:
  - id: A
    title: The changes
    parts:
      - amendments:
          tags: [apr-2025-device-behaviours]
          clauses: [cfg-lg-non-gbcs-alerts]
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("frozen")
    shutil.copytree(REPO / "content", root / "content")
    return root


def _build(project: Path, capsys: pytest.CaptureFixture[str], name: str, *args: str) -> dict[str, bytes]:
    out = project / name
    code, _, err = run_cli(capsys, "build", "--content", str(project / "content"), "--out", str(out), "--no-site",
                           "-q", *args)
    assert code == 0, err
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_letter_is_byte_identical_after_the_release_and_a_later_draft(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = project / "content"
    before = _build(project, capsys, "build-draft")

    # Designate the draft as v13: the letter now renders against the release.
    code, _, err = run_cli(capsys, "release", "--content", str(content), "v13")
    assert code == 0, err
    released = _build(project, capsys, "build-released")
    for name in (*LETTER, *CONSULTATION):
        assert released[name] == before[name], f"{name} changed when v13 was released"
    as_designated = _build(project, capsys, "build-v13", "--release", "v13")
    for name in (*LETTER, *CONSULTATION):
        assert as_designated[name] == before[name], f"s1sr build --release v13 changed {name}"

    # The next draft, v14: a new baseline, a new version, an amended clause the April letter
    # explains, and a seventh device behaviour carrying the tag the April letter selects.
    (content / "changes.yaml").write_text(V14_CHANGES, encoding="utf-8")
    _edit(content / "document.yaml", 'version: "13.0"', 'version: "14.0"')
    _edit(content / "document.yaml", 'date: "2025-04-30"', 'date: "2025-10-31"')
    _edit(content / "sections" / "20-configuration.yaml", "is switched off", "is kept switched off")
    section = content / "sections" / "19-chf.yaml"
    section.write_text(section.read_text(encoding="utf-8") + SEVENTH, encoding="utf-8")
    later = _build(project, capsys, "build-v14")
    for name in (*LETTER, *CONSULTATION):
        assert later[name] == before[name], f"{name} changed with the v14 draft"
    assert _build(project, capsys, "build-v13-later", "--release", "v13") == as_designated
    assert "S1SR-v14.0.docx" in later and "S1SR-redline-v13-to-v14.0.docx" in later

    # The check holds the April letter to v13: a seventh behaviour in v14 is not its concern.
    diags = api.check(str(content))
    assert [d for d in diags if d.code.startswith(("LTR", "CNS"))] == []

    # A letter that goes with the draft follows the draft (v13 → v14).
    (content / "letters" / "2025-10-v14.yaml").write_text(V14_LETTER, encoding="utf-8")
    loaded, _ = api.load(str(content))
    assert loaded is not None
    letters, diags = api.letters(loaded)
    assert [d for d in diags if d.code.startswith("LTR")] == []
    april, october = letters
    assert (april.from_label, april.to_label) == ("v12", "v13")
    assert (october.from_label, october.to_label) == ("v13", "v14")
    assert [r.clause_id for p in october.appendices[0].parts for r in p.rows] == ["chf-edmi-restart",
                                                                                   "cfg-lg-non-gbcs-alerts"]
    assert len(april.appendices[0].parts[1].rows) == 6


def test_a_letter_for_a_version_that_is_neither_released_nor_drafted(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    _edit(tmp_path / "content" / "document.yaml", 'version: "13.0"', 'version: "14.0"')
    (err,) = [d for d in api.check(str(tmp_path / "content")) if d.code == "LTR144"]
    assert "v13" in err.message and "neither a release nor the draft (version 14.0)" in err.message
    assert "s1sr release v13" in err.help and err.location.line > 0


def test_a_letter_without_a_version_is_warned(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    _edit(tmp_path / "content" / "letters" / "2025-04-recommendation.yaml", "version: v13\n", "")
    (warning,) = [d for d in api.check(str(tmp_path / "content")) if d.code == "LTR145"]
    assert warning.severity == "warning" and "version: v13" in warning.help
