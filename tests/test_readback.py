"""s1sr check --built: the build's own .docx and .xlsx, read back, must agree with the source."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rb") / "build"
    assert main(["build", "--content", str(REPO / "content"), "--out", str(out), "--no-site"]) == 0
    return out


def _check(capsys: pytest.CaptureFixture[str], out: Path) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = main(["check", "--content", str(REPO / "content"), "--built", str(out), "--format", "json"])
    text, err = capsys.readouterr()
    assert "Traceback" not in text + err
    return code, json.loads(text)["findings"]


def _rewrite(path: Path, part: str, old: str, new: str, after: str = "") -> None:
    data = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(data) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, blob in items:
            if info.filename == part:
                text = blob.decode("utf-8")
                start = text.index(after) if after else 0
                at = text.index(old, start)
                blob = (text[:at] + new + text[at + len(old):]).encode("utf-8")
            zout.writestr(info, blob)
    path.write_bytes(buf.getvalue())


def test_fresh_build_reads_back_clean(capsys: pytest.CaptureFixture[str], built: Path) -> None:
    code, found = _check(capsys, built)
    assert code == 0, [(f["code"], f["message"]) for f in found if f["severity"] == "error"]
    assert not [f for f in found if f["code"].startswith("RB")]


def test_a_number_edited_by_hand_is_caught(capsys: pytest.CaptureFixture[str], built: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(built, out)
    docx = next(out.glob("S1SR-v*.docx"))
    # The 18.5 error, made by hand in the built file: 18.5p's first item printed as (q).
    _rewrite(docx, "word/document.xml", ">(i)<", ">(q)<", after='w:val="S1SRItem"')
    code, found = _check(capsys, out)
    assert code == 1
    hit = [f for f in found if f["code"] == "RB102"]
    assert hit and "18.5p(i)" in hit[0]["message"], found


def test_a_matrix_cell_edited_by_hand_is_caught(capsys: pytest.CaptureFixture[str], built: Path,
                                               tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(built, out)
    xlsx = next(p for p in out.glob("DMVESM-v*.xlsx"))
    with zipfile.ZipFile(xlsx) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert ">18.5q<" in sheet
    _rewrite(xlsx, "xl/worksheets/sheet1.xml", ">18.5q<", ">18.5t<")
    code, found = _check(capsys, out)
    assert code == 1
    hit = [f for f in found if f["code"] == "RB104"]
    assert hit and hit[0]["location"].get("sheet") == "DMVESM" and hit[0]["location"].get("cell"), found


def test_missing_outputs_are_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, found = _check(capsys, tmp_path)
    assert code == 1 and {f["code"] for f in found if f["code"].startswith("RB")} == {"RB101"}


def test_a_matrix_cell_citing_an_annex_clause_reads_back(tmp_path: Path) -> None:
    from dataclasses import replace as _replace

    from generator.app import api
    from generator.app.readback import check_built
    from generator.diagnostics import has_errors
    from generator.model import AppliesTo
    from generator.writers.docx import write_docx
    from generator.writers.options import WriterOptions
    from generator.writers.xlsx import write_xlsx
    from tests.diff_cases import c
    from tests.factories import project

    annex = _replace(c("annex", _replace(c("annex-1", applies_to=(AppliesTo(srvs=("4.8.1",), devices=("d1",)),)),
                                         annex=True)), annex=True)
    resolved, diags = api.resolve(project(c("s", c("s1")), annex))
    assert resolved is not None and not has_errors(diags)
    assert {m.clauses for m in resolved.matrix} == {("annex-1",)}
    opts = WriterOptions(date="2025-04-30")
    for name, data in {**write_docx(resolved, opts), **write_xlsx(resolved, opts)}.items():
        (tmp_path / name).write_bytes(data)
    found = check_built(resolved, str(tmp_path))
    assert not has_errors(found), [(d.code, d.message) for d in found]
