"""Hostile and broken Word and Excel files given to ``s1sr check --docx … --xlsx …``.

Each case breaks one of the two files of a good pair (the example's own S1SR .docx and DMVESM
.xlsx as ``s1sr build`` writes them, or a small hand-made pair with Word automatic numbering)
and asserts the exit status (2: the file cannot be read at all), the finding code and where it
points (the file; sheet!cell for workbook cells; the clause number for Word numbering), that
nothing raised, and that nothing was written or changed: not the inputs, not the folder they
are in, not an earlier build.

The last tests are about our own writer: clause text that looks like a spreadsheet formula is
written as text, never as a formula.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from tests.hardening import fixtures as F

DOCX, XLSX = "S1SR.docx", "DMVESM.xlsx"


@dataclass(frozen=True)
class Pair:
    """The good files each case starts from."""

    docx: bytes  # the example's S1SR, typed clause numbers
    xlsx: bytes  # the example's DMVESM
    small_docx: bytes  # a small S1SR with Word automatic numbering
    small_xlsx: bytes  # a small DMVESM citing it
    build: Path  # an earlier `s1sr build` of the example, which no bad run may touch


Maker = Callable[[Pair, Path], None]


@dataclass(frozen=True)
class OfficeCase:
    name: str
    family: str  # "docx" or "xlsx": which file is malformed
    make: Maker  # writes S1SR.docx and DMVESM.xlsx into the folder
    exit: int
    code: str
    cells: tuple[str, ...] = ()  # sheet!cell of each finding expected, for workbook cells
    clause: str = ""  # the clause number the finding names, for Word numbering
    small: bool = False  # starts from the small pair (checked without a content folder)


def docx(change: Callable[[bytes], bytes], *, small: bool = False) -> Maker:
    """The .docx of the pair changed by ``change``; the .xlsx as it was."""
    def go(pair: Pair, folder: Path) -> None:
        (folder / DOCX).write_bytes(change(pair.small_docx if small else pair.docx))
        (folder / XLSX).write_bytes(pair.small_xlsx if small else pair.xlsx)
    return go


def xlsx(change: Callable[[bytes], bytes], *, small: bool = False) -> Maker:
    def go(pair: Pair, folder: Path) -> None:
        (folder / DOCX).write_bytes(pair.small_docx if small else pair.docx)
        (folder / XLSX).write_bytes(change(pair.small_xlsx if small else pair.xlsx))
    return go


def swapped(which: str) -> Maker:
    """A .docx that is really the workbook, or a .xlsx that is really the document."""
    def go(pair: Pair, folder: Path) -> None:
        (folder / DOCX).write_bytes(pair.xlsx if which == "docx" else pair.docx)
        (folder / XLSX).write_bytes(pair.docx if which == "xlsx" else pair.xlsx)
    return go


def oversized(which: str) -> Maker:
    """A sparse file over the 50 MB limit, so that making it costs no disk."""
    def go(pair: Pair, folder: Path) -> None:
        (folder / DOCX).write_bytes(pair.docx)
        (folder / XLSX).write_bytes(pair.xlsx)
        F.sparse_file(folder / (DOCX if which == "docx" else XLSX), 51 * 1024 * 1024)
    return go


def small_numbering(**kw: Any) -> Maker:
    return docx(lambda _: F.docx_package(numbering=F.numbering_xml(**kw)), small=True)


def cells(**values: object) -> Callable[[bytes], bytes]:
    """Cells of the DMVESM sheet set to ``values`` (``C3="=1+1"``), through openpyxl."""
    def change(data: bytes) -> bytes:
        def fill(wb: Any) -> None:
            for ref, value in values.items():
                wb["DMVESM"][ref] = value
        return F.edit_workbook(data, fill)
    return change


def without_sheet(name: str) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        def fill(wb: Any) -> None:
            del wb[name]
        return F.edit_workbook(data, fill)
    return change


def _malformed_styles(data: bytes) -> bytes:
    """xl/styles.xml cut off in the middle: not well-formed XML, read as soon as a cell has a style."""
    styles = F.parts(data)["xl/styles.xml"]
    return F.rezip(data, {"xl/styles.xml": styles[: len(styles) // 2]})


DOCUMENT, SHEET = "word/document.xml", "xl/worksheets/sheet1.xml"
HYPERLINK = '=HYPERLINK("https://evil.example/","18.5p")'
DDE = "=cmd|' /C calc'!A0"

DOCX_CASES = [
    OfficeCase("docx-entity-bomb", "docx", docx(lambda d: F.rezip(d, {DOCUMENT: F.docx_bombed_document()})),
               2, "DOCX205"),
    OfficeCase("docx-external-entity", "docx", docx(lambda d: F.rezip(d, {DOCUMENT: F.docx_xxe_document()})),
               2, "DOCX205"),
    OfficeCase("docx-zip-bomb", "docx", docx(lambda d: F.zip_bomb(d, DOCUMENT)), 2, "DOCX204"),
    OfficeCase("docx-ole-encrypted", "docx", docx(lambda _: F.ole_encrypted()), 2, "DOCX203"),
    OfficeCase("docx-encrypted-zip-entries", "docx", docx(F.encrypted_entries), 2, "DOCX203"),
    OfficeCase("docx-truncated", "docx", docx(F.truncated), 2, "DOCX202"),
    OfficeCase("docx-bad-crc", "docx", docx(lambda d: F.bad_crc(d, DOCUMENT)), 2, "DOCX202"),
    OfficeCase("docx-lying-sizes", "docx", docx(F.lying_sizes), 2, "DOCX202"),
    OfficeCase("docx-malformed-xml", "docx", docx(lambda d: F.rezip(d, {DOCUMENT: b"<w:document><w:body>"})),
               2, "DOCX202"),
    OfficeCase("docx-is-a-workbook", "docx", swapped("docx"), 2, "DOCX201"),
    OfficeCase("docx-empty", "docx", docx(lambda _: b""), 2, "DOCX201"),
    OfficeCase("docx-is-a-pdf", "docx", docx(lambda _: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), 2, "DOCX201"),
    OfficeCase("docx-over-size-limit", "docx", oversized("docx"), 2, "DOCX204"),
    OfficeCase("docx-no-document-part", "docx", docx(lambda d: F.rezip(d, {DOCUMENT: None})), 2, "DOCX201"),
    OfficeCase("docx-numbering-unknown-abstract", "docx", small_numbering(abstract_ref=7), 1, "DOCX207", small=True),
    OfficeCase("docx-numbering-level-text-10", "docx", small_numbering(level1_text="%1.%10"), 1, "DOCX211",
               clause="1.10", small=True),
    OfficeCase("docx-numbering-unknown-format", "docx", small_numbering(level1_fmt="klingon"), 0, "DOCX207",
               clause="1.1", small=True),
]

XLSX_CASES = [
    OfficeCase("xlsx-entity-bomb", "xlsx", xlsx(lambda d: F.rezip(d, {SHEET: F.xlsx_bombed_sheet()})), 2, "XLSX105"),
    OfficeCase("xlsx-external-entity", "xlsx", xlsx(lambda d: F.rezip(d, {SHEET: F.xlsx_xxe_sheet()})),
               2, "XLSX105"),
    OfficeCase("xlsx-zip-bomb", "xlsx", xlsx(lambda d: F.zip_bomb(d, SHEET)), 2, "XLSX103"),
    OfficeCase("xlsx-ole-encrypted", "xlsx", xlsx(lambda _: F.ole_encrypted()), 2, "XLSX102"),
    OfficeCase("xlsx-truncated", "xlsx", xlsx(F.truncated), 2, "XLSX101"),
    OfficeCase("xlsx-bad-crc", "xlsx", xlsx(lambda d: F.bad_crc(d, SHEET)), 2, "XLSX101"),
    OfficeCase("xlsx-lying-sizes", "xlsx", xlsx(F.lying_sizes), 2, "XLSX101"),
    OfficeCase("xlsx-malformed-styles", "xlsx", xlsx(_malformed_styles), 2, "XLSX101"),
    OfficeCase("xlsx-no-workbook-part", "xlsx", xlsx(lambda d: F.rezip(d, {"xl/workbook.xml": None})),
               2, "XLSX101"),
    OfficeCase("xlsx-is-a-document", "xlsx", swapped("xlsx"), 2, "XLSX104"),
    OfficeCase("xlsx-empty", "xlsx", xlsx(lambda _: b""), 2, "XLSX101"),
    OfficeCase("xlsx-over-size-limit", "xlsx", oversized("xlsx"), 2, "XLSX103"),
    OfficeCase("xlsx-merged-cell-explosion", "xlsx",
               xlsx(lambda d: F.with_merges(d, SHEET, ["A200:XFD1048576"])), 2, "XLSX103"),
    OfficeCase("xlsx-formula-cells", "xlsx", xlsx(cells(C3="=1+1", D3=HYPERLINK, E3=DDE)), 1, "XLSX114",
               cells=("DMVESM!C3", "DMVESM!D3", "DMVESM!E3")),
    OfficeCase("xlsx-formula-as-text", "xlsx", xlsx(cells(C3="+cmd|' /C calc'!A0")), 1, "XLSX111",
               cells=("DMVESM!C3",)),
    OfficeCase("xlsx-date-cell", "xlsx", xlsx(cells(C3=_dt.datetime(2025, 5, 18))), 1, "XLSX112",
               cells=("DMVESM!C3",)),
    OfficeCase("xlsx-huge-cell-text", "xlsx", xlsx(cells(C3="18.5p " + "x" * 32_000)), 1, "XLSX111",
               cells=("DMVESM!C3",)),
    OfficeCase("xlsx-no-dmvesm-sheet", "xlsx", xlsx(without_sheet("DMVESM")), 1, "XLSX110"),
    OfficeCase("xlsx-header-row-only", "xlsx", xlsx(lambda _: F.xlsx_package(F.SMALL_MATRIX[:2]), small=True),
               0, "XLSX119", cells=("DMVESM!A3",), small=True),
]

CASES = DOCX_CASES + XLSX_CASES


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    build = tmp_path_factory.mktemp("example") / "build"
    assert main(["build", "--content", str(F.CONTENT), "--out", str(build), "--no-site", "-q"]) == 0
    docx_file = next(build.glob("S1SR-v*.docx"))
    xlsx_file = next(build.glob("DMVESM-v*.xlsx"))
    return Pair(docx=docx_file.read_bytes(), xlsx=xlsx_file.read_bytes(), small_docx=F.docx_package(),
                small_xlsx=F.xlsx_package(), build=build)


def check(folder: Path, content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]], str]:
    capsys.readouterr()
    try:
        status = main(["check", "--content", str(content), "--docx", str(folder / DOCX), "--xlsx",
                       str(folder / XLSX), "--format", "json"])
    except SystemExit as exc:  # usage errors leave through SystemExit
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, json.loads(out)["findings"], out + err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_office_file(case: OfficeCase, pair: Pair, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    content = tmp_path / "no-content" if case.small else F.CONTENT
    case.make(pair, folder)
    inputs, built = F.digest(folder), F.digest(pair.build)

    status, found, printed = check(folder, content, capsys)

    assert "Traceback" not in printed
    hits = [f for f in found if f["code"] == case.code]
    assert hits, [(f["code"], f["message"]) for f in found]
    assert status == case.exit, [(f["code"], f["message"]) for f in found]
    target = DOCX if case.family == "docx" else XLSX
    for f in hits:
        assert Path(f["location"]["file"]).name == target, f["location"]
        assert f["message"] and f["help"], f
    if case.exit == 2:
        assert any(f["code"] == case.code and f["severity"] == "error" for f in found)
    if case.cells:
        assert sorted(f"{f['location']['sheet']}!{f['location']['cell']}" for f in hits) == sorted(case.cells)
    if case.clause:
        assert case.clause in {f["location"].get("clause_number") for f in hits}, hits
    # Nothing written or changed: the inputs, the folder they are in, an earlier build.
    assert F.digest(folder) == inputs
    assert F.digest(pair.build) == built


def test_the_good_pairs_are_clean(pair: Pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every case is one defect away from a pair that checks clean."""
    for small in (False, True):
        folder = tmp_path / f"good-{small}"
        folder.mkdir()
        (folder / DOCX).write_bytes(pair.small_docx if small else pair.docx)
        (folder / XLSX).write_bytes(pair.small_xlsx if small else pair.xlsx)
        status, found, _ = check(folder, tmp_path / "no-content" if small else F.CONTENT, capsys)
        assert (status, found) == (0, [])


def test_formulas_are_reported_never_evaluated(pair: Pair, tmp_path: Path) -> None:
    """The reader keeps the formula as written: no cached value, no result, no other cell's value."""
    from generator.readers.xlsx import read_xlsx

    path = tmp_path / XLSX
    path.write_bytes(cells(C3="=1+1", D3=HYPERLINK, E3=DDE, F3="=C4")(pair.xlsx))
    matrix, diags = read_xlsx(path)
    assert matrix is not None
    bad = {c.cell_ref for c in matrix.cells} & {"C3", "D3", "E3", "F3"}
    assert not bad, "a formula cell was read as a citation"
    shown = {d.location.cell: d.message for d in diags if d.code == "XLSX114"}
    assert set(shown) == {"C3", "D3", "E3", "F3"}
    assert "=1+1" in shown["C3"] and "evil.example" in shown["D3"] and "calc" in shown["E3"]


# -- our own writer never writes a formula ------------------------------------------------------------
FORMULAS = {
    "heading": "=1+1",
    "text": HYPERLINK,
    "dde": "+cmd|' /C calc'!A0",
    "at": "@SUM(A1:A9)",
    "minus": "-2+3",
    "model": "=2+2",
}


def _formula_content(root: Path) -> Path:
    from tests.conftest import MINI_DEVICES, MINI_DOCUMENT, MINI_SECTION

    content = root / "content"
    (content / "sections").mkdir(parents=True)
    (content / "document.yaml").write_text(MINI_DOCUMENT)
    applies = '    applies_to:\n      - srvs: ["4.8.1"]\n        devices: [lg-esme]\n'
    section = MINI_SECTION + f"  - id: f-heading\n    heading: {json.dumps(FORMULAS['heading'])}\n    text: x\n{applies}"
    section += "".join(f"  - id: f-{k}\n    text: {json.dumps(v)}\n{applies}"
                       for k, v in FORMULAS.items() if k in ("text", "dde", "at", "minus"))
    (content / "sections" / "01-general.yaml").write_text(section)
    (content / "devices.yaml").write_text(MINI_DEVICES.replace("model: E470", f"model: {json.dumps(FORMULAS['model'])}"))
    return content


_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def test_clause_text_that_looks_like_a_formula_is_written_as_text(pair: Pair, tmp_path: Path) -> None:
    import openpyxl

    content = _formula_content(tmp_path)
    assert main(["check", "--content", str(content)]) == 0
    out = tmp_path / "build"
    assert main(["build", "--content", str(content), "--out", str(out), "--no-site", "-q"]) == 0
    books = sorted(out.glob("*.xlsx"))
    assert books
    seen: set[str] = set()
    for book in books:
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    assert not _FORMULA_ELEMENT.search(z.read(name)), f"{book.name}:{name} has a formula"
        wb = openpyxl.load_workbook(io.BytesIO(book.read_bytes()))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and any(v in c.value for v in FORMULAS.values()):
                        assert c.data_type == "s", (book.name, ws.title, c.coordinate, c.value)
                        seen.update(k for k, v in FORMULAS.items() if v in c.value)
    assert seen == set(FORMULAS), f"not every text reached a workbook: {set(FORMULAS) - seen}"
    # And the pair we wrote checks clean: our reader sees text, not formulas.
    docx_file, xlsx_file = next(out.glob("MINI-v*.docx")), next(out.glob("DMVESM-v*.xlsx"))
    assert main(["check", "--content", str(content), "--docx", str(docx_file), "--xlsx", str(xlsx_file)]) == 0
