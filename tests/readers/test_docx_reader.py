"""The Word reader: what a paragraph displays, and every way a file can fail to be read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from generator.diagnostics import exit_status
from generator.readers.docx import Limits, read_docx, split_typed_label
from tests.readers.docx_fixtures import W_NS, abstract, docx_bytes, lvl, num, p, style, write_docx


def _read(tmp_path: Path, body: str, numbering: str = "", styles: str = "", **kw: object):  # type: ignore[no-untyped-def]
    path = write_docx(tmp_path / "t.docx", body, numbering, styles, **kw)
    doc, diags = read_docx(str(path), "t.docx")
    assert doc is not None, diags
    return doc


# -- typed numbers ---------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "label", "rest"), [
    ("18.5\tDevice-specific behaviour", "18.5", "Device-specific behaviour"),
    ("18.5 Device-specific behaviour", "18.5", "Device-specific behaviour"),
    ("18.5A\tInserted", "18.5A", "Inserted"),
    ("18.5p\tWhere the range", "18.5p", "Where the range"),
    ("18.5pa Inserted sub-clause", "18.5pa", "Inserted sub-clause"),
    ("18.5p(i) entries", "18.5p(i)", "entries"),
    ("(p)\tWhere the range", "(p)", "Where the range"),
    ("(iii) where the clock", "(iii)", "where the clock"),
    ("(ia) inserted item", "(ia)", "inserted item"),
    ("18\tProfile Data", "18", "Profile Data"),
    ("18. Profile Data", "18.", "Profile Data"),
    ("30 days after the request", "", "30 days after the request"),  # a bare number needs a tab or a dot
    ("The S1SP shall", "", "The S1SP shall"),
    ("(see above)", "", "(see above)"),
    ("\u00a018.5\u00a0Text", "18.5", "Text"),
])
def test_typed_labels(text: str, label: str, rest: str) -> None:
    assert split_typed_label(text) == (label, rest)


def test_bare_number_in_a_heading_is_a_label() -> None:
    assert split_typed_label("18 Profile Data", heading=True) == ("18", "Profile Data")


def test_paragraphs_as_displayed(tmp_path: Path) -> None:
    body = (
        p("", runs='<w:r><w:t>18.5</w:t><w:tab/></w:r><w:r><w:rPr><w:rStyle w:val="ClauseHeading"/></w:rPr>'
          '<w:t>Device behaviour</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>Where a Service Request</w:t></w:r>')
        + p("", runs='<w:r><w:t xml:space="preserve">(a) kept </w:t></w:r><w:ins w:id="1" w:author="x">'
            '<w:r><w:t>inserted</w:t></w:r></w:ins><w:del w:id="2" w:author="x"><w:r><w:delText>deleted'
            '</w:delText></w:r></w:del><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>'
            '<w:hyperlink w:anchor="x"><w:r><w:t xml:space="preserve"> linked</w:t></w:r></w:hyperlink>')
        + p("", runs='<w:r><w:t xml:space="preserve">(b) see </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText> REF x \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>18.4</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
        + p("", runs='<w:r><w:t>(c) with a box</w:t></w:r><w:r><w:drawing><w:txbxContent>'
            '<w:p><w:r><w:t>18.9 inside a text box</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r>')
    )
    doc = _read(tmp_path, body)
    got = [(q.label, q.run_in, q.text) for q in doc.paragraphs]
    assert got == [
        ("18.5", "Device behaviour", "Where a Service Request"),
        ("(a)", "", "kept inserted linked"),
        ("(b)", "", "see 18.4"),
        ("(c)", "", "with a box"),
    ]


def test_table_of_contents_is_skipped(tmp_path: Path) -> None:
    toc = (p("", runs='<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-1" </w:instrText>'
             '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t><w:tab/><w:t>Intro</w:t></w:r>')
           + p("", runs='<w:r><w:t>2</w:t><w:tab/><w:t>Scope</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'))
    sdt = ('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
           f'<w:sdtContent>{p("3	Other")}</w:sdtContent></w:sdt>')
    body = toc + sdt + p("", style="TOC2", runs="<w:r><w:t>1.1\tEntry</w:t></w:r>") + p("1\tIntro", style="H1")
    doc = _read(tmp_path, body, styles=style("TOC2", "toc 2") + style("H1", "heading 1"))
    assert [(q.label, q.text, q.heading) for q in doc.paragraphs] == [("1", "Intro", 1)]


def test_tables_give_cells(tmp_path: Path) -> None:
    row = "<w:tr>{}</w:tr>"
    cell = "<w:tc><w:tcPr/>{}</w:tc>"
    table = "<w:tbl><w:tblPr/>" + "".join(
        row.format("".join(cell.format(p(f"r{r}c{c}")) for c in range(1, 3))) for r in range(1, 4)) + "</w:tbl>"
    doc = _read(tmp_path, p("1.1\tClause") + table + p("1.2\tNext"))
    cells = [(q.table, q.row, q.col, q.text) for q in doc.paragraphs if q.in_table]
    assert cells == [(1, r, c, f"r{r}c{c}") for r in range(1, 4) for c in range(1, 3)]
    assert [q.label for q in doc.paragraphs if not q.in_table] == ["1.1", "1.2"]


def test_headings_from_style_and_outline_level(tmp_path: Path) -> None:
    styles = style("H2", "heading 2") + style("Sec", "S1SR Section", outline=0) + style("Sub", "Sub", based_on="Sec")
    doc = _read(tmp_path, p("A", style="H2") + p("18\tProfile", style="Sec") + p("B", style="Sub") + p("C"), styles=styles)
    assert [q.heading for q in doc.paragraphs] == [2, 1, 1, 0]
    assert doc.paragraphs[1].label == "18"


def test_title_and_version(tmp_path: Path) -> None:
    core = (b'<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>SMETS1 Supporting '
            b'Requirements</dc:title></cp:coreProperties>')
    doc = _read(tmp_path, p("SMETS1 Supporting Requirements") + p("Version 12.0"),
                extra_parts={"docProps/core.xml": core})
    assert (doc.title, doc.version) == ("SMETS1 Supporting Requirements", "12.0")


def test_numbering_counts_paragraphs_it_does_not_report(tmp_path: Path) -> None:
    # An empty numbered paragraph still takes a number, as in Word.
    doc = _read(tmp_path, p("a", 1, 0) + p("", 1, 0) + p("c", 1, 0), abstract(0, lvl(0, "decimal", "%1")) + num(1, 0))
    assert [(q.label, q.text) for q in doc.paragraphs] == [("1", "a"), ("2", ""), ("3", "c")]


def test_large_document_streams(tmp_path: Path) -> None:
    body = "".join(p(f"{k // 100 + 1}.{k % 100 + 1}\tClause {k} text") for k in range(20000))
    doc = _read(tmp_path, body)
    assert len(doc.paragraphs) == 20000
    assert (doc.paragraphs[-1].label, doc.paragraphs[-1].text) == ("200.100", "Clause 19999 text")


# -- files that cannot be read ---------------------------------------------------------------------------
def _zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _stored_docx() -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx_bytes(p("1.1\tClause text that will be damaged"))))
    return _zip({n: src.read(n) for n in src.namelist()}, zipfile.ZIP_STORED)


def _encrypted_entry() -> bytes:
    data = bytearray(_stored_docx())
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:  # set the 'encrypted' flag in every central directory entry
        data[pos + 8] |= 0x1
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def _bad_crc() -> bytes:
    data = bytearray(_stored_docx())
    at = data.find(b"damaged")
    data[at:at + 7] = b"DAMAGED"
    return bytes(data)


def _dtd(xml_prefix: bytes) -> bytes:
    document = (xml_prefix + f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p>'
                '</w:body></w:document>'.encode())
    return docx_bytes("", document_xml=document.decode("utf-8"))


BOMB_DTD = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'

BAD_FILES = {
    "empty": (b"", "DOCX201", "empty"),
    "pdf": (b"%PDF-1.7\n...", "DOCX201", "a PDF file"),
    "text": (b"18.5 Clause text\n", "DOCX201", "not a zip archive"),
    "ole-encrypted": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "DOCX203", "encrypted with a password"),
    "truncated": (docx_bytes(p("x" * 3000))[:700], "DOCX202", "truncated or corrupt"),
    "bad-crc": (_bad_crc(), "DOCX202", "damaged"),
    "encrypted-entry": (_encrypted_entry(), "DOCX203", "is encrypted"),
    "xml-bomb": (_dtd(BOMB_DTD), "DOCX205", "declares a DTD"),
    "external-entity": (_dtd(b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a SYSTEM "file:///etc/passwd">]>'),
                        "DOCX205", "external-entity"),
    "workbook": (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), "DOCX201",
                 "Excel workbook"),
    "odt": (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "DOCX201",
            "OpenDocument"),
    "no-document": (_zip({"[Content_Types].xml": b"<Types/>", "readme.txt": b"hello"}), "DOCX201",
                    "no word/document.xml"),
    "malformed-xml": (docx_bytes("", document_xml=f'<w:document xmlns:w="{W_NS}"><w:body><w:p>'), "DOCX202",
                      "not well-formed"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_unreadable_files_are_one_fatal_finding(kind: str, tmp_path: Path) -> None:
    data, code, why = BAD_FILES[kind]
    path = tmp_path / "S1SR.docx"
    path.write_bytes(data)
    doc, diags = read_docx(str(path), "S1SR.docx")
    assert doc is None
    assert [d.code for d in diags] == [code]
    assert diags[0].fatal and exit_status(diags) == 2
    assert why in diags[0].message and "S1SR.docx" in diags[0].message


def test_too_large_file(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "big.docx", p("x" * 5000))
    doc, diags = read_docx(str(path), limits=Limits(max_file=1000))
    assert doc is None and [d.code for d in diags] == ["DOCX204"]
    assert "over the 0 MB" not in diags[0].message or "MB" in diags[0].message


def test_zip_bomb_ratio(tmp_path: Path) -> None:
    # 40 MB of one character compresses about a thousand-fold: refused before it is unpacked.
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (40 * 1024 * 1024)})
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    doc, diags = read_docx(str(path))
    assert doc is None and [d.code for d in diags] == ["DOCX204"]
    assert "zip bomb" in diags[0].message and "fold" in diags[0].message


def test_zip_bomb_total(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "t.docx", p("a" * 100_000))
    doc, diags = read_docx(str(path), limits=Limits(max_unpacked=50_000))
    assert doc is None and "unpacks to" in diags[0].message


def test_too_many_entries(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    path.write_bytes(docx_bytes(p("a"), extra_parts={f"media/{k}.bin": b"x" for k in range(30)}))
    doc, diags = read_docx(str(path), limits=Limits(max_entries=20))
    assert doc is None and "zip entries" in diags[0].message


def test_folder_and_missing_file(tmp_path: Path) -> None:
    doc, diags = read_docx(str(tmp_path))
    assert doc is None and "is a folder" in diags[0].message
    doc, diags = read_docx(str(tmp_path / "none.docx"))
    assert doc is None and diags[0].code == "DOCX201"


# -- damaged files never raise ---------------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SAMPLE = docx_bytes(p("18.5\tClause", 1, 0) + p("(a)\tfirst;") + p("(b)\tsecond."),
                     abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2")) + num(1, 0))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_SAMPLE) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       st.integers(1, len(_SAMPLE)))
def test_damaged_bytes_give_findings_not_exceptions(edits: list[tuple[int, int]], cut: int) -> None:
    import tempfile

    data = bytearray(_SAMPLE[:cut])
    for at, value in edits:
        if at < len(data):
            data[at] = value
    with tempfile.NamedTemporaryFile(suffix=".docx") as fh:
        fh.write(bytes(data))
        fh.flush()
        doc, diags = read_docx(fh.name)
    assert doc is not None or (diags and all(d.fatal for d in diags))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' wpr:tabnumPrilvl&;#x0123456789")), max_size=300))
def test_random_document_xml(body: str) -> None:
    import tempfile

    xml = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    with tempfile.NamedTemporaryFile(suffix=".docx") as fh:
        fh.write(docx_bytes("", document_xml=xml))
        fh.flush()
        doc, diags = read_docx(fh.name)
    assert doc is not None or (diags and all(d.fatal for d in diags))


# -- our own S1SR as LibreOffice shows it -----------------------------------------------------------------------
@pytest.mark.e2e
def test_example_reads_as_libreoffice_shows_it(tmp_path: Path) -> None:
    """Every body paragraph we read, number and first line, is a line LibreOffice prints, in the same order
    (so the cover, the table of contents and the tables are where we say they are)."""
    from generator.app import api
    from tests.support import CONTENT, soffice_convert

    files = api.render(api.load_release(str(CONTENT), "v12"), only=("docx",))
    name = next(n for n in files if n.startswith("S1SR-v") and n.endswith(".docx"))
    path = tmp_path / name
    path.write_bytes(files[name])
    lines = [ln.rstrip() for ln in soffice_convert(path, "txt:Text", tmp_path).read_text("utf-8-sig").splitlines()]
    doc, diags = read_docx(str(path))
    assert doc is not None and diags == []
    want = []
    for q in doc.paragraphs:
        if q.in_table:
            continue
        first = q.run_in or q.text.split("\n")[0]
        want.append(f"{q.label}\t{first}" if q.label else first)
    pos = 0
    for w in want:
        while pos < len(lines) and lines[pos] != w:
            pos += 1
        assert pos < len(lines), f"not printed by LibreOffice (in this order): {w!r}"
        pos += 1
    assert sum(1 for q in doc.paragraphs if q.label) > 250
