"""Builders for hostile Office files, letters and release snapshots, made in code at test time.

Nothing here is a committed binary: every file is derived from a valid one (the example's
own S1SR .docx and DMVESM .xlsx, or a small package written from XML strings below) and then
broken in one way. The small package is also the seed the fuzzers mutate.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
PACKAGE_TEMPLATES = REPO / "generator" / "data" / "templates"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# -- files on disk ------------------------------------------------------------------------------
def digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` by relative path (what "nothing changed" compares)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that costs no disk (a hole), starting with a zip signature."""
    with open(path, "wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(size)
    return path


def copy_project(dest: Path) -> Path:
    """A copy of the example's content/ (its templates are the package's); returns the content folder."""
    shutil.copytree(CONTENT, dest / "content")
    return dest / "content"


def override_template(root: Path, name: str) -> Path:
    """The project at ``root`` keeps its own copy of the package template ``name`` (for example
    ``letter/letter.md.j2``) under ``templates/``, where it overrides the default; returns its path."""
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGE_TEMPLATES / name, path)
    return path


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_json(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


# -- zip packages -------------------------------------------------------------------------------
def zip_bytes(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buf.getvalue()


def parts(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return {n: z.read(n) for n in z.namelist()}


def rezip(package: bytes, changes: dict[str, bytes | None], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """``package`` with parts replaced, added, or (value None) removed."""
    files = parts(package)
    for name, data in changes.items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data
    return zip_bytes(files, method)


def truncated(package: bytes) -> bytes:
    """The first half of the package: the central directory is gone."""
    return package[: len(package) // 2]


def bad_crc(package: bytes, part: str) -> bytes:
    """The package stored uncompressed with one byte of ``part`` changed after its CRC was taken."""
    stored = rezip(package, {}, zipfile.ZIP_STORED)
    data = bytearray(stored)
    body = parts(stored)[part]
    at = data.find(body)
    assert at > 0, part
    middle = at + len(body) // 2
    data[middle] = (data[middle] + 1) % 256 or 1
    return bytes(data)


def zip_bomb(package: bytes, part: str, size: int = 64 * 1024 * 1024) -> bytes:
    """``part`` replaced by ``size`` bytes of one character: deflates about a thousand-fold."""
    return rezip(package, {part: b" " * size})


def lying_sizes(package: bytes, size: int = 10) -> bytes:
    """Every part's uncompressed size in the central directory shrunk to ``size`` bytes."""
    data = bytearray(package)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def encrypted_entries(package: bytes) -> bytes:
    """The package with the 'encrypted' flag set on every entry of its central directory."""
    data = bytearray(package)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def ole_encrypted() -> bytes:
    """An OLE compound file header, as Office writes encrypted packages, then junk."""
    return OLE_MAGIC + bytes(504) + "EncryptionInfo".encode("utf-16-le") + b"\x5a" * 2048


# -- XML payloads -------------------------------------------------------------------------------
ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollol">'
               + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                          for i in range(1, 10))
               + b"]>")
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def docx_bombed_document(entity: str = "lol9") -> bytes:
    return ENTITY_BOMB.replace(b"lolz", b"w:document") + (
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>1.1 &{entity};</w:t></w:r></w:p>'
        "</w:body></w:document>").encode()


def docx_xxe_document() -> bytes:
    return XXE + (f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>1.1 &xxe;</w:t></w:r></w:p>'
                  "</w:body></w:document>").encode()


def xlsx_bombed_sheet(entity: str = "lol9") -> bytes:
    return ENTITY_BOMB.replace(b"lolz", b"worksheet") + (
        f'<worksheet xmlns="{S_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&{entity};</t></is>'
        "</c></row></sheetData></worksheet>").encode()


def xlsx_xxe_sheet() -> bytes:
    return XXE + (f'<worksheet xmlns="{S_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t>'
                  "</is></c></row></sheetData></worksheet>").encode()


# -- a small Word S1SR with automatic numbering -------------------------------------------------
def w_p(text: str, *, num: int | None = None, ilvl: int | None = None, style: str = "") -> str:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        ppr += "<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "") + \
            f'<w:numId w:val="{num}"/></w:numPr>'
    return f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def w_lvl(i: int, fmt: str, text: str, *, start: int = 1) -> str:
    return (f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>')


def numbering_xml(*, abstract_ref: int = 0, level1_fmt: str = "decimal", level1_text: str = "%1.%2",
                  level2_fmt: str = "lowerLetter") -> str:
    """Levels: 1 (sections), 1.1 (clauses), 1.1a (sub-clauses); w:num 1 → the abstract numbering
    ``abstract_ref`` (0 is the one defined)."""
    return (f'{_XML_DECL}<w:numbering xmlns:w="{W_NS}">'
            '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
            + w_lvl(0, "decimal", "%1") + w_lvl(1, level1_fmt, level1_text) + w_lvl(2, level2_fmt, "%1.%2%3")
            + f'</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="{abstract_ref}"/></w:num>'
            "</w:numbering>")


STYLES_XML = (f'{_XML_DECL}<w:styles xmlns:w="{W_NS}">'
              '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
              '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
              '<w:outlineLvl w:val="0"/></w:pPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Clause"><w:name w:val="S1SR Clause"/>'
              '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'
              "</w:pPr></w:style></w:styles>")

SMALL_BODY = (
    w_p("General", style="Heading1")
    + w_p("This document applies to every Device Model.", style="Clause")
    + w_p("Where SRV 4.8.1 is sent to a Secure Liberty 100 ESME, the S1SP reads the profile in two parts.",
          style="Clause")
    + w_p("the first part holds the oldest entries;", num=1, ilvl=2)
    + w_p("the second part holds the rest.", num=1, ilvl=2)
    + w_p("Where SRV 6.12 is sent, the S1SP applies the thresholds.", style="Clause")
    + w_p("Profile Data", style="Heading1")
    + w_p("Where SRV 4.8.2 is sent to a Secure Liberty 100 ESME, the S1SP reads the log.", style="Clause")
)


def document_xml(body: str = SMALL_BODY) -> str:
    return f'{_XML_DECL}<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>'


def docx_package(document: str | bytes | None = None, numbering: str | bytes | None = None,
                 styles: str | bytes | None = STYLES_XML, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A Word package holding the given parts (``numbering=None`` → the good numbering.xml)."""
    document = document_xml() if document is None else document
    numbering = numbering_xml() if numbering is None else numbering

    def raw(x: str | bytes) -> bytes:
        return x.encode("utf-8") if isinstance(x, str) else x

    files = {
        "[Content_Types].xml": (
            f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
            f'<Override PartName="/word/numbering.xml" ContentType="{_CT}.numbering+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/></Types>').encode(),
        "_rels/.rels": (
            f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>").encode(),
        "word/_rels/document.xml.rels": (
            f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/numbering" Target="numbering.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>').encode(),
        "word/document.xml": raw(document),
        "word/numbering.xml": raw(numbering),
    }
    if styles is not None:
        files["word/styles.xml"] = raw(styles)
    files.update(extra or {})
    return zip_bytes(files)


# -- a small DMVESM that cites the small S1SR -----------------------------------------------------
SMALL_MATRIX = [
    ["SRV", "SRV name", "ESME — Secure"],
    [None, None, "Liberty 100"],
    ["4.8.1", "Read Active Import Profile Data", "1.2"],
    ["4.8.2", "Read Event or Security Log", "2.1"],
    ["6.12", "Update Device Configuration (Power Threshold)", "1.3"],
]


def xlsx_package(rows: list[list[Any]] | None = None, *, sheet: str = "DMVESM",
                 fill: Callable[[Any], None] | None = None) -> bytes:
    """A workbook with one sheet holding ``rows`` (default: the small DMVESM); ``fill(ws)`` may
    change it before it is saved."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in SMALL_MATRIX if rows is None else rows:
        ws.append(row)
    if fill:
        fill(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def edit_workbook(package: bytes, fill: Callable[[Any], None]) -> bytes:
    """``package`` opened with openpyxl, changed by ``fill(workbook)`` and saved again."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(package))
    fill(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_merges(package: bytes, sheet_part: str, refs: list[str]) -> bytes:
    """``sheet_part`` with merged ranges ``refs`` added (to its ``<mergeCells>`` if it has one)."""
    xml = parts(package)[sheet_part]
    cells = "".join(f'<mergeCell ref="{r}"/>' for r in refs).encode()
    at = xml.find(b"<mergeCells")
    if at >= 0:
        end = xml.index(b">", at) + 1
        xml = xml[:end] + cells + xml[end:]
    else:
        head, sep, tail = xml.partition(b"</sheetData>")
        assert sep, sheet_part
        xml = head + sep + b'<mergeCells count="%d">' % len(refs) + cells + b"</mergeCells>" + tail
    return rezip(package, {sheet_part: xml})


# -- seeds for the fuzzers: every feature the Word reader handles, in a few paragraphs -----------
FUZZ_BODY = (
    SMALL_BODY
    + '<w:p><w:pPr><w:pStyle w:val="Clause"/></w:pPr><w:bookmarkStart w:id="0" w:name="c1"/>'
      '<w:r><w:rPr><w:b/></w:rPr><w:t>Run-in heading</w:t></w:r><w:r><w:br/></w:r>'
      '<w:r><w:t xml:space="preserve">see </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
      '<w:r><w:instrText xml:space="preserve"> REF c1 \\h </w:instrText></w:r>'
      '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1.2</w:t></w:r>'
      '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:bookmarkEnd w:id="0"/>'
      '<w:ins w:id="1" w:author="a"><w:r><w:t xml:space="preserve"> inserted</w:t></w:r></w:ins>'
      '<w:del w:id="2" w:author="a"><w:r><w:delText>deleted</w:delText></w:r></w:del>'
      '<w:hyperlink w:anchor="c1"><w:r><w:t xml:space="preserve"> for SRV 4.8.1</w:t></w:r></w:hyperlink></w:p>'
    + '<w:tbl><w:tblPr/><w:tr><w:tc><w:tcPr/>' + w_p("18.5p(i)\tin a cell") + '</w:tc><w:tc><w:tcPr/>'
      + w_p("(ii) Secure Liberty 100") + "</w:tc></w:tr></w:tbl>"
    + '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
      '<w:sdtContent>' + w_p("1\tGeneral") + "</w:sdtContent></w:sdt>"
    + '<w:p><w:r><w:t xml:space="preserve">(a) with a box</w:t></w:r><w:r><w:drawing><w:txbxContent>'
      + w_p("9.9 in a text box") + "</w:txbxContent></w:drawing></w:r></w:p>"
    + w_p("[Not used]", style="Clause")
    + w_p("2.3A\tTyped after automatic ones")
)

FUZZ_NUMBERING = (
    f'{_XML_DECL}<w:numbering xmlns:w="{W_NS}">'
    '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
    + w_lvl(0, "decimal", "%1") + w_lvl(1, "decimal", "%1.%2") + w_lvl(2, "lowerLetter", "%1.%2%3")
    + w_lvl(3, "lowerRoman", "(%4)")
    + '</w:abstractNum><w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="Clause"/></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="2"><w:startOverride w:val="3"/>'
    "</w:lvlOverride></w:num>"
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
)
