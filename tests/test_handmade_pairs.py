"""The pre-designation check on pairs made as a team makes them: the S1SR by python-docx with
Word automatic numbering (a list style, or paragraph styles linked to a list), the DMVESM by
openpyxl (two or three header rows, name and notes columns, N/A cells, ranges), never by s1sr's
own writers (bench/handmade.py says how each is built).

Aligned ⇒ exit 0 and no error. The 18.5 incident, a deleted clause and a clause inserted without
an insertion number ⇒ found, each finding naming the wrong number and the right one. LibreOffice
reads the same numbers from the hand-made documents (e2e), and ``s1sr import`` keeps the cell
states and the notes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bench import handmade
from generator import cli
from generator.app import api
from generator.model import walk
from generator.readers.docx import read_docx
from tests.support import soffice_convert

SCALE = 0.4
COMBOS = (("list-style", "two-row"), ("style-linked", "three-row"))


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("handmade")
    base = handmade.content(SCALE)
    return {(which, numbering, layout): handmade.write_pair(folder, which, numbering=numbering, layout=layout,
                                                           base=base)
            for which in handmade.VERSIONS for numbering, layout in COMBOS}


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where there is no content folder: the pair alone, as a team checks it."""
    monkeypatch.chdir(tmp_path)


def check(capsys: pytest.CaptureFixture[str], docx: Path, xlsx: Path, *baseline: Path
          ) -> tuple[int, list[dict[str, object]]]:
    argv = ["check", "--docx", str(docx), "--xlsx", str(xlsx), "--format", "json"]
    if baseline:
        argv += ["--baseline-docx", str(baseline[0]), "--baseline-xlsx", str(baseline[1])]
    status = cli.main(argv)
    found = json.loads(capsys.readouterr().out)
    return status, found["findings"]


def codes(found: list[dict[str, object]], severity: str | None = None) -> list[str]:
    return [str(d["code"]) for d in found if severity is None or d["severity"] == severity]


def messages(found: list[dict[str, object]], code: str) -> list[str]:
    return [str(d["message"]) for d in found if d["code"] == code]


def explained(found: list[dict[str, object]], code: str) -> list[str]:
    """The findings of ``code``, whether listed on their own or under the root cause they follow
    from (as a related location noted with their code and message)."""
    under: list[str] = []
    for d in found:
        related = d.get("related")
        for r in related if isinstance(related, list) else []:
            note = str(r.get("note", "")) if isinstance(r, dict) else ""
            if note.startswith(code):
                under.append(note)
    return messages(found, code) + under


@pytest.mark.parametrize(("numbering", "layout"), COMBOS)
def test_an_aligned_pair_is_clean(numbering: str, layout: str, pairs: dict[tuple[str, str, str], tuple[Path, Path]],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    docx, xlsx = pairs[("v11", numbering, layout)]
    status, found = check(capsys, docx, xlsx)
    assert status == 0
    assert codes(found, "error") == [] and codes(found, "warning") == []
    # what the check read is shown: the N/A cells, and the number read from among words
    assert sorted(set(codes(found))) == ["XLSX142", "XLSX143"]
    assert "18.2b (firmware 2.1 and later)' → 18.2b" in messages(found, "XLSX142")[0]
    # and against itself as the baseline
    status, found = check(capsys, docx, xlsx, docx, xlsx)
    assert status == 0 and codes(found, "error") == [] and codes(found, "warning") == []


@pytest.mark.parametrize(("numbering", "layout"), COMBOS)
def test_the_18_5_incident(numbering: str, layout: str, pairs: dict[tuple[str, str, str], tuple[Path, Path]],
                           capsys: pytest.CaptureFixture[str]) -> None:
    docx, xlsx = pairs[("v12", numbering, layout)]
    status, found = check(capsys, docx, xlsx)
    assert status == 1
    (pattern,) = messages(found, "DOCX214")
    assert "18.5q, 18.5r and 18.5s" in pattern and "18.5p(i), 18.5p(ii) and 18.5p(iii)" in pattern
    old = pairs[("v11", numbering, layout)]
    status, found = check(capsys, docx, xlsx, *old)
    assert status == 1
    # every cell citing a later 18.5 clause names the number it cites and the one its text has now,
    # listed under the 18.5 pattern that explains it
    moved = explained(found, "EXT202")
    assert any("cites 18.5t," in m and "that text is now 18.5w" in m for m in moved), moved


@pytest.mark.parametrize(("numbering", "layout"), COMBOS)
def test_a_deleted_clause(numbering: str, layout: str, pairs: dict[tuple[str, str, str], tuple[Path, Path]],
                          capsys: pytest.CaptureFixture[str]) -> None:
    docx, xlsx = pairs[("deleted", numbering, layout)]
    status, found = check(capsys, docx, xlsx, *pairs[("v11", numbering, layout)])
    assert status == 1
    (deleted,) = messages(found, "EXT110")
    assert deleted.startswith("18.5f of the baseline (") and "taken out instead of being left '[Not used]'" in deleted
    assert "18.5g to 18.5x of the baseline are now 18.5f to 18.5w" in deleted
    assert any("cites 18.5h," in m and "that text is now 18.5g" in m for m in explained(found, "EXT202"))


@pytest.mark.parametrize(("numbering", "layout"), COMBOS)
def test_a_clause_inserted_without_an_insertion_number(
        numbering: str, layout: str, pairs: dict[tuple[str, str, str], tuple[Path, Path]],
        capsys: pytest.CaptureFixture[str]) -> None:
    docx, xlsx = pairs[("inserted", numbering, layout)]
    status, found = check(capsys, docx, xlsx, *pairs[("v11", numbering, layout)])
    assert status == 1
    (inserted,) = [d for d in found if d["code"] == "EXT110"]
    assert str(inserted["message"]).startswith("18.5d (") and "new in this version but numbered in sequence" \
        in str(inserted["message"]) and "18.5d to 18.5x of the baseline are now 18.5e to 18.5y" in str(inserted["message"])
    assert "an insertion number (18.5ca)" in str(inserted["help"])
    assert any("cites 18.5d," in m and "that text is now 18.5e" in m for m in explained(found, "EXT202"))


@pytest.mark.e2e
@pytest.mark.parametrize("numbering", handmade.NUMBERINGS)
def test_libreoffice_reads_the_same_numbers(numbering: str, pairs: dict[tuple[str, str, str], tuple[Path, Path]],
                                            tmp_path: Path) -> None:
    layout = dict(COMBOS)[numbering]
    docx, _ = pairs[("v12", numbering, layout)]
    doc, diags = read_docx(str(docx))
    assert doc is not None and diags == []
    text = soffice_convert(docx, "txt:Text", tmp_path).read_text(encoding="utf-8-sig")
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    shown = [x.split(None, 1)[0] for x in lines if x[0].isdigit() or x.startswith("(")]
    ours = [q.label for q in doc.paragraphs if q.label]
    # LibreOffice also prints the contents' typed entries (1, 2, 3) before the body
    assert shown[3:] == ours and "18.5s" in ours and "18.5p(i)" not in ours


def test_import_keeps_the_cell_states_and_the_notes(pairs: dict[tuple[str, str, str], tuple[Path, Path]],
                                                    tmp_path: Path) -> None:
    docx, xlsx = pairs[("v11", "style-linked", "three-row")]
    to = tmp_path / "content"
    result = api.import_documents(str(docx), str(xlsx), str(to))
    assert not [d for d in result.diags if d.severity.value == "error"], result.diags
    devices = yaml.safe_load((to / "devices.yaml").read_text(encoding="utf-8"))["devices"]
    na = {d["model"]: d.get("not_applicable", []) for d in devices}
    assert "1.1.1" in na["Uniflo G4SZV"] and "1.1.1" in na["Europa G4"]
    assert {d["model"]: d.get("firmware") for d in devices}["Liberty 100"] == "LB100 5.2"
    project, diags = api.load(str(to))
    assert project is not None and not [d for d in diags if d.severity.value == "error"], diags
    notes = {(a.srvs, a.note) for c in walk(project.document.sections) if c.number == "18.2b" for a in c.applies_to}
    assert any(note == "firmware 2.1 and later" for _, note in notes)
    base = handmade.content(SCALE)
    assert {s.number: s.note for s in project.srvs if s.note} == {
        s: n for s, n in base.notes.items() if s in {x for x, _ in base.cells}}
    # the matrix as imported is the matrix as read: clause cells, and the N/A cells apart
    from generator.passes.matrix import not_applicable_cells

    assert len(not_applicable_cells(project)) == sum(1 for v in base.cells.values() if v in ("N/A", "Not supported"))
