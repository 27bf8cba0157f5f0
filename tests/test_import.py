"""`s1sr import`: our own .docx/.xlsx imported give back the model they were rendered from (ids aside)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import cli
from generator.app import api
from generator.app.importer import _markup, clause_id
from generator.model import Project, Xref, walk
from tests.support import CONTENT


def _render(project: Project, folder: Path, name: str) -> tuple[Path, Path]:
    files = api.render(project, only=("docx", "xlsx"))
    out = []
    for ext, prefix in (("docx", "S1SR-v"), ("xlsx", "DMVESM-v")):
        fn = next(n for n in files if n.endswith(f".{ext}") and n.startswith(prefix))
        path = folder / f"{name}.{ext}"
        path.write_bytes(files[fn])
        out.append(path)
    return out[0], out[1]


def signature(project: Project) -> dict[str, Any]:
    """The resolved model with every id replaced by the number of what it names."""
    number = {c.id: c.number for c in walk(project.document.sections)}
    d = project.document
    clauses = []
    for c in walk(project.document.sections):
        inline = tuple((type(i).__name__, number.get(i.target, "?") if isinstance(i, Xref) else i.text)
                       for i in c.text)
        table = (c.table.header, c.table.rows) if c.table else None
        clauses.append((c.number, c.label, c.level, c.heading, c.not_used, inline if not c.not_used else (), table))
    groups = project.group_members
    return {
        "document": (d.title, d.appendix, d.version, d.status, d.date),
        "scheme": tuple((lv.style, lv.ref, lv.label, lv.insert, lv.start) for lv in d.scheme.levels),
        "clauses": clauses,
        "matrix": sorted((m.srv, m.device, tuple(number[i] for i in m.clauses)) for m in project.matrix),
        "devices": sorted((x.id, x.manufacturer, x.model, x.device_type, x.cohort, x.firmware)
                          for x in project.devices),
        "groups": sorted((g.name, tuple(sorted(groups[g.id]))) for g in project.groups),
    }


@pytest.fixture(scope="module")
def originals() -> dict[str, Project]:
    root = str(CONTENT)
    return {"draft": api.load_clean(root).project, "v11": api.load_release(root, "v11"),
            "v12": api.load_release(root, "v12")}


@pytest.mark.parametrize("name", ["draft", "v11", "v12"])
def test_round_trip(name: str, originals: dict[str, Project], tmp_path: Path) -> None:
    original = originals[name]
    docx, xlsx = _render(original, tmp_path, name)
    result = api.import_documents(str(docx), str(xlsx), str(tmp_path / "content"))
    assert result.files, result.diags
    imported, diags = api.load(str(tmp_path / "content"))
    assert imported is not None
    assert [d for d in diags if d.severity.value == "error"] == []
    want, got = signature(original), signature(imported)
    for key in want:
        assert got[key] == want[key], key


def test_imported_numbers_are_frozen(originals: dict[str, Project], tmp_path: Path) -> None:
    """v12's numbers (with the 18.5 error) are what the import freezes: a draft keeps them."""
    docx, xlsx = _render(originals["v12"], tmp_path, "v12")
    result = api.import_documents(str(docx), str(xlsx), str(tmp_path / "c"))
    assert result.release == "v12"
    release = api.load_release(str(tmp_path / "c"), "v12")
    numbers = [c.number for c in walk(release.document.sections) if c.number.startswith("18.5")]
    assert "18.5v" in numbers and "18.5p(i)" not in numbers
    # the import reports what it saw: the 18.5 pattern
    assert "DOCX214" in {d.code for d in result.diags}


def test_cli_import(originals: dict[str, Project], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docx, xlsx = _render(originals["draft"], tmp_path, "draft")
    to = tmp_path / "content"
    assert cli.main(["import", "--docx", str(docx), "--xlsx", str(xlsx), "--to", str(to)]) == 0
    out = capsys.readouterr().out
    assert "imported" in out and "release v13" in out
    assert cli.main(["check", "--content", str(to)]) == 0
    # a second import into the same folder is refused unless --force
    with pytest.raises(SystemExit) as exc:
        cli.main(["import", "--docx", str(docx), "--xlsx", str(xlsx), "--to", str(to)])
    assert exc.value.code == 2
    # ... and refused with --force too: a clause source is the drafters' work, never replaced
    with pytest.raises(SystemExit) as exc:
        cli.main(["import", "--docx", str(docx), "--xlsx", str(xlsx), "--to", str(to), "--force"])
    assert exc.value.code == 2
    assert "holds a clause source" in capsys.readouterr().err
    # --force accepts a folder that holds something else; the import replaces it whole
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("scratch\n")
    assert cli.main(["import", "--docx", str(docx), "--xlsx", str(xlsx), "--to", str(other), "--force"]) == 0
    assert (other / "document.yaml").is_file() and not (other / "notes.txt").exists()


def test_unreadable_input_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"%PDF-1.4")
    to = tmp_path / "content"
    assert cli.main(["import", "--docx", str(bad), "--to", str(to)]) == 2
    assert not to.exists()
    assert "DOCX201" in capsys.readouterr().err


def test_hand_made_document_without_workbook(tmp_path: Path) -> None:
    from tests.readers.docx_fixtures import p, write_docx

    body = (p("Version 2.0") + p("1\tGeneral", style="H1") + p("1.1\tThe S1SP shall keep records.")
            + p("1.2\tThe following apply:") + p("(a)\tfirst;") + p("(b)\tsecond.") + p("1.3\t[Not used]"))
    from tests.readers.docx_fixtures import style

    docx = write_docx(tmp_path / "old.docx", body, styles=style("H1", "heading 1"))
    result = api.import_documents(str(docx), None, str(tmp_path / "c"))
    assert result.release == "v2"
    project, diags = api.load(str(tmp_path / "c"))
    assert project is not None and not [d for d in diags if d.severity.value == "error"]
    got = [(c.id, c.number, c.heading, c.raw_text, c.not_used) for c in walk(project.document.sections)]
    assert got == [
        ("c-1", "1", "General", "", False),
        ("c-1.1", "1.1", "", "The S1SP shall keep records.", False),
        ("c-1.2", "1.2", "", "The following apply:", False),
        ("c-1.2a", "1.2a", "", "first;", False),
        ("c-1.2b", "1.2b", "", "second.", False),
        ("c-1.3", "1.3", "", "", True),
    ]


@pytest.mark.parametrize(("number", "cid"), [("18", "c-18"), ("18.5p(i)", "c-18.5p-i"), ("18.5A", "c-18.5A"),
                                            ("18.5p(ia)", "c-18.5p-ia")])
def test_clause_ids(number: str, cid: str) -> None:
    assert clause_id(number) == cid


def test_markup() -> None:
    text = "see 18.4 for Profile Data and the *star*"
    marks = ((4, 8, "link", "bm-range"), (13, 25, "term", ""), (34, 40, "emph", ""))
    assert _markup(text, marks, {"bm-range": "c-18.4"}) == "see [[c-18.4]] for **Profile Data** and the *star*"
