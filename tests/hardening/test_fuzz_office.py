"""Fuzzing the Word and Excel readers: whatever the file, only located findings come out.

Inputs are mutations of small valid packages (``fixtures.FUZZ_BODY``, ``FUZZ_NUMBERING``,
``STYLES_XML`` and the small DMVESM): elements deleted, duplicated or moved, attributes changed
to awkward values, text replaced, bytes flipped, then zipped again; workbooks with random cell
values (formulas, huge strings, dates, numbers, booleans) and merges; and random bytes. Each file
goes through what ``s1sr check --docx … --xlsx …`` runs (both readers and the pair check), and
every finding must name its file (and, for a matrix cell, its sheet and cell). An exception
is a failure.

The quick tests run in the default suite; ``pytest -m slow -s`` runs ≥ 10,000 cases per reader
(``S1SR_FUZZ_CASES`` to change it) and prints how many ran.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import io
import os
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.app.external import check_documents
from generator.diagnostics import Diagnostic
from tests.hardening import fixtures as F

QUICK_CASES = 200
SLOW_CASES = int(os.environ.get("S1SR_FUZZ_CASES", "10000"))
W = "{" + F.W_NS + "}"
S = "{" + F.S_NS + "}"


# -- XML mutation --------------------------------------------------------------------------------
def _legal(text: str) -> str:
    """What XML 1.0 (and openpyxl) can hold."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)


AWKWARD = ["", "0", "1", "-1", "2", "9", "10", "true", "off", "99999999999999999999", "1e308", "nan", "%1",
           "%10", "%0%9.%1", "%", "decimal", "lowerRoman", "upperLetter", "bullet", "none", "ordinal",
           "klingon", "Heading1", "Clause", "toc 1", "begin", "separate", "end", "External", "../../x.xml",
           "/word/document.xml", "A1", "XFD1048576", "A0", "ZZZZ1", "1A", "A1:XFD1048576", "s", "str",
           "inlineStr", "b", "e", "n", "d", "DMVESM", "x" * 300]
TEXTS = ["18.5p(i)\t", "(iv) ", "1.1\tClause", "18\tHeading", "SRV 4.8.1", "4.8.1", "[Not used]", "=1+1",
         "=HYPERLINK(\"x\",\"1.1\")", "18.5p, 18.5q; 18.5r and (ii)", "ESME — Secure", "Liberty 100", "N/A", "-",
         "SRV", "\u00ad", "x" * 5000, "18.5 to 18.9", "TOC \\o", "REF c1"]
text_values = st.one_of(st.sampled_from(TEXTS), st.text(max_size=40).map(_legal))
attr_values = st.one_of(st.sampled_from(AWKWARD), st.integers(-5, 2**40).map(str), text_values)


@st.composite
def mutated_xml(draw: st.DrawFn, seed: str | bytes, attrs: list[str]) -> bytes:
    from lxml import etree

    root = etree.fromstring(seed.encode() if isinstance(seed, str) else seed)
    for _ in range(draw(st.integers(0, 6))):
        elements = list(root.iter())
        el = elements[draw(st.integers(0, len(elements) - 1))]
        op = draw(st.sampled_from(["delete", "duplicate", "move", "set", "unset", "text", "text"]))
        parent = el.getparent()
        if op == "delete" and parent is not None:
            parent.remove(el)
        elif op == "duplicate" and parent is not None:
            for _ in range(draw(st.integers(1, 3))):
                el.addnext(copy.deepcopy(el))
        elif op == "move" and parent is not None:
            target = elements[draw(st.integers(0, len(elements) - 1))]
            if el not in target.iterancestors() and target is not el:
                target.insert(draw(st.integers(0, len(target))), el)
        elif op == "set":
            el.set(draw(st.sampled_from(attrs + list(el.attrib))), draw(attr_values))
        elif op == "unset" and el.attrib:
            del el.attrib[draw(st.sampled_from(sorted(el.attrib)))]
        elif op == "text":
            el.text = draw(text_values)
    data = bytearray(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    if draw(st.integers(0, 4)) == 0:  # byte flips: mostly malformed XML, so only now and then
        for at, byte in draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), max_size=2)):
            data[at] = byte
    return bytes(data)


random_bytes = st.one_of(
    st.binary(max_size=3000),
    st.binary(max_size=3000).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=600).map(lambda b: F.OLE_MAGIC + b),
    st.dictionaries(st.sampled_from(["[Content_Types].xml", "_rels/.rels", "word/document.xml", "xl/workbook.xml",
                                     "xl/worksheets/sheet1.xml", "word/numbering.xml", "x"]),
                    st.binary(max_size=200), max_size=4).map(F.zip_bytes),
)


# -- Word ------------------------------------------------------------------------------------------
_W_ATTRS = [W + a for a in ("val", "ilvl", "numId", "abstractNumId", "styleId", "type", "default", "fldCharType",
                            "id", "anchor", "name", "author")]
_DOCX_PARTS = {"word/document.xml": F.document_xml(F.FUZZ_BODY), "word/numbering.xml": F.FUZZ_NUMBERING,
               "word/styles.xml": F.STYLES_XML}
_REL_ATTRS = ["Target", "Type", "TargetMode", "Id"]


@st.composite
def docx_files(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(random_bytes)
    package = F.parts(F.docx_package(F.document_xml(F.FUZZ_BODY), F.FUZZ_NUMBERING))
    names = draw(st.lists(st.sampled_from([*_DOCX_PARTS, *_DOCX_PARTS, "word/_rels/document.xml.rels",
                                           "_rels/.rels"]), min_size=1, max_size=3, unique=True))
    for name in names:
        attrs = _REL_ATTRS if name.endswith(".rels") else _W_ATTRS
        package[name] = draw(mutated_xml(package[name], attrs))
    return F.zip_bytes(package)


# -- Excel -----------------------------------------------------------------------------------------
FORMULAS = ["=1+1", '=HYPERLINK("https://evil.example/","18.5p")', "=cmd|' /C calc'!A0", "=A1", "=SUM(A:A)",
            "+cmd|' /C calc'!A0", "=", "=#REF!"]
cell_values = st.one_of(
    st.none(), st.sampled_from(TEXTS + FORMULAS), st.text(max_size=30).map(_legal),
    st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.dates(min_value=_dt.date(1900, 3, 1)), st.datetimes(min_value=_dt.datetime(1900, 3, 1)),
    st.integers(1000, 40_000).map(lambda n: "18.5p " + "x" * n),
)
HEADERS = [["SRV", "SRV name", "ESME — Secure", "ESME — Secure", "GSME — Landis+Gyr"],
           [None, None, "Liberty 100", "Liberty 110", "G470"]]


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """A workbook written by openpyxl: the small DMVESM's header (perhaps changed) and random rows,
    perhaps a registry sheet naming the columns, random merges."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = draw(st.sampled_from(["DMVESM", "Annex A", "Matrix", "Sheet1", "dmvesm "]))
    for row in HEADERS:
        ws.append([draw(cell_values) if draw(st.integers(0, 7)) == 0 else v for v in row])
    for _ in range(draw(st.integers(0, 8))):
        srv = draw(st.one_of(st.sampled_from(["4.8.1", "6.12", "1.1.1", "4.8.1", "SRV 6.8"]), cell_values))
        ws.append([srv, draw(cell_values), *draw(st.lists(cell_values, max_size=5))])
    for _ in range(draw(st.integers(0, 3))):
        r, c = draw(st.integers(1, 12)), draw(st.integers(1, 7))
        try:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + draw(st.integers(0, 3)),
                           end_column=c + draw(st.integers(0, 3)))
        except ValueError:
            pass
    if draw(st.booleans()):
        reg = wb.create_sheet("Device Models")
        reg.append(["Id", "Manufacturer", "Model", "Type", "DMVESM column"])
        for _ in range(draw(st.integers(0, 4))):
            reg.append([draw(st.one_of(st.sampled_from(["secure-esme", "lg-gsme"]), cell_values)),
                        draw(st.sampled_from(["Secure", "Landis+Gyr", ""])),
                        draw(st.sampled_from(["Liberty 100", "G470", "Liberty 110"])),
                        draw(st.sampled_from(["ESME", "GSME", "esme", ""])),
                        draw(st.one_of(st.sampled_from(["C", "D", "E", "Z"]), cell_values))])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_X_ATTRS = ["r", "t", "s", "ref", "count", "name", "sheetId", "spans"]
_XLSX_PARTS = ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
               "xl/styles.xml", "xl/_rels/workbook.xml.rels"]


@st.composite
def xlsx_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(random_bytes)
    if kind <= 4:
        return draw(workbooks())
    package = F.parts(_SMALL_XLSX)
    for name in draw(st.lists(st.sampled_from(_XLSX_PARTS), min_size=1, max_size=3, unique=True)):
        if name in package:
            attrs = _REL_ATTRS if name.endswith(".rels") else _X_ATTRS
            package[name] = draw(mutated_xml(package[name], attrs))
    return F.zip_bytes(package)


_SMALL_XLSX = F.xlsx_package([*F.SMALL_MATRIX, ["6.8", "x", "2.1, (iii)"], ["1.1.1", "y", '=HYPERLINK("a","1.2")']])


# -- running one input ---------------------------------------------------------------------------
_CELL_CODES = re.compile(r"^XLSX11[1-9]$")


def _assert_located(diags: list[Diagnostic], docx: Path, xlsx: Path) -> None:
    files = {str(docx), str(xlsx)}
    for d in diags:
        assert re.fullmatch(r"[A-Z]+[0-9]{3}", d.code), d
        assert d.message and d.location.file, d
        assert d.location.file in files or Path(d.location.file).name in {docx.name, xlsx.name}, d
        if _CELL_CODES.match(d.code):
            assert d.location.sheet and d.location.cell, d


class _Runner:
    """Writes each input over the same two files and runs the pair check on them."""

    def __init__(self, folder: Path) -> None:
        self.docx, self.xlsx = folder / "S1SR.docx", folder / "DMVESM.xlsx"
        self.good_docx = F.docx_package(F.document_xml(F.FUZZ_BODY), F.FUZZ_NUMBERING)
        self.cases = 0
        self.outcomes: Counter[str] = Counter()  # "read", or the code that refused a file

    def run(self, docx: bytes, xlsx: bytes) -> None:
        self.cases += 1
        self.docx.write_bytes(docx)
        self.xlsx.write_bytes(xlsx)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):  # stdout carries s1sr's JSON or SARIF: nothing else
            diags = check_documents(str(self.docx), str(self.xlsx))  # must never raise
        assert not printed.getvalue(), printed.getvalue()
        _assert_located(diags, self.docx, self.xlsx)
        self.outcomes[next((d.code for d in diags if d.fatal), "read")] += 1


def _fuzz(folder: Path, cases: int, inputs: st.SearchStrategy[bytes],
          pair: Callable[[_Runner, bytes], tuple[bytes, bytes]]) -> _Runner:
    runner = _Runner(folder)

    @settings(max_examples=cases, deadline=None, suppress_health_check=list(HealthCheck))
    @given(inputs)
    def one(data: bytes) -> None:
        runner.run(*pair(runner, data))

    one()
    return runner


def _as_docx(runner: _Runner, data: bytes) -> tuple[bytes, bytes]:
    return data, _SMALL_XLSX


def _as_xlsx(runner: _Runner, data: bytes) -> tuple[bytes, bytes]:
    return runner.good_docx, data


def test_the_seeds_check_clean(tmp_path: Path) -> None:
    """The fuzzers start from files the check reads without fatal findings."""
    runner = _Runner(tmp_path)
    runner.run(runner.good_docx, _SMALL_XLSX)
    diags = check_documents(str(runner.docx), str(runner.xlsx))
    assert not any(d.fatal for d in diags), diags
    assert {d.code for d in diags} == {"XLSX111", "XLSX114"}  # the seed's own bad cells


def test_fuzz_docx_reader_quick(tmp_path: Path) -> None:
    assert _fuzz(tmp_path, QUICK_CASES, docx_files(), _as_docx).cases >= QUICK_CASES


def test_fuzz_xlsx_reader_quick(tmp_path: Path) -> None:
    assert _fuzz(tmp_path, QUICK_CASES, xlsx_files(), _as_xlsx).cases >= QUICK_CASES


def _report(reader: str, run: Callable[[], _Runner]) -> None:
    runner = run()
    mix = ", ".join(f"{k} {n}" for k, n in runner.outcomes.most_common())
    print(f"\nfuzz {reader}: {runner.cases} cases, no unexpected exception "
          f"({mix})")
    assert runner.cases >= SLOW_CASES


@pytest.mark.slow
def test_fuzz_docx_reader_long(tmp_path: Path) -> None:
    _report(".docx reader", lambda: _fuzz(tmp_path, SLOW_CASES, docx_files(), _as_docx))


@pytest.mark.slow
def test_fuzz_xlsx_reader_long(tmp_path: Path) -> None:
    _report(".xlsx reader", lambda: _fuzz(tmp_path, SLOW_CASES, xlsx_files(), _as_xlsx))


def test_a_device_header_thousands_of_characters_long(tmp_path: Path) -> None:
    """Found by the fuzzer: the Device Model index recursed once per character of a header."""
    runner = _Runner(tmp_path)
    long = [["SRV", "SRV name", "ESME — Secure " + "x" * 5000], [None, None, "Liberty " + "y" * 5000],
            ["4.8.1", "Read", "1.2"]]
    runner.run(runner.good_docx, F.xlsx_package(long))
