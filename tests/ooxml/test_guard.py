"""The one guard for Office packages we did not write: both readers open, unpack and parse through
it, so a hostile file is refused the same way whichever reader is given it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from generator.ooxml import guard
from generator.readers.docx import read_docx
from generator.readers.xlsx import read_xlsx


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
HOSTILE = {
    "dtd-utf8": (_zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": DTD, "xl/workbook.xml": b"<w/>"}),
                 guard.Refusal.UNSAFE_XML),
    "dtd-utf16": (_zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": DTD.decode().encode("utf-16"),
                        "xl/workbook.xml": b"<w/>"}), guard.Refusal.UNSAFE_XML),
    "zip-bomb": (_zip({"[Content_Types].xml": b"<Types/>", "x/pad.bin": bytes(4 * 1024 * 1024)}),
                 guard.Refusal.TOO_LARGE),
    "ole": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), guard.Refusal.ENCRYPTED),
    "pdf": (b"%PDF-1.7\n", guard.Refusal.NOT_A_PACKAGE),
    "truncated": (_zip({"[Content_Types].xml": b"<Types/>" * 500})[:60], guard.Refusal.DAMAGED),
}


def _open_all(path: Path, limits: guard.Limits = guard.LIMITS) -> None:
    with guard.open_package(str(path), path.name, "test file", limits) as pkg:
        for _name, _data in pkg.read_all():
            pass


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_packages_are_refused_with_a_reason(case: str, tmp_path: Path) -> None:
    data, reason = HOSTILE[case]
    path = tmp_path / "f.zip"
    path.write_bytes(data)
    with pytest.raises(guard.Refused) as info:
        _open_all(path)
    assert info.value.reason is reason
    assert "f.zip" in info.value.message


@pytest.mark.parametrize("case", list(HOSTILE))
def test_both_readers_refuse_the_same_files_for_the_same_reason(case: str, tmp_path: Path) -> None:
    data, reason = HOSTILE[case]
    docx_path, xlsx_path = tmp_path / "S1SR.docx", tmp_path / "DMVESM.xlsx"
    docx_path.write_bytes(data.replace(b"xl/workbook.xml", b"xl/workbook.xmX"))  # the docx reader reads .rels first
    xlsx_path.write_bytes(data)
    doc, docx_diags = read_docx(str(docx_path))
    matrix, xlsx_diags = read_xlsx(xlsx_path)
    assert doc is None and matrix is None
    docx_code = {guard.Refusal.UNSAFE_XML: "DOCX205", guard.Refusal.TOO_LARGE: "DOCX204",
                 guard.Refusal.ENCRYPTED: "DOCX203", guard.Refusal.NOT_A_PACKAGE: "DOCX201",
                 guard.Refusal.DAMAGED: "DOCX202"}[reason]
    xlsx_code = {guard.Refusal.UNSAFE_XML: "XLSX105", guard.Refusal.TOO_LARGE: "XLSX103",
                 guard.Refusal.ENCRYPTED: "XLSX102", guard.Refusal.NOT_A_PACKAGE: "XLSX101",
                 guard.Refusal.DAMAGED: "XLSX101"}[reason]
    assert [d.code for d in docx_diags] == [docx_code]
    assert [d.code for d in xlsx_diags] == [xlsx_code]


def test_the_limits_are_one_set(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    path.write_bytes(_zip({f"p{i}.txt": b"x" for i in range(30)}))
    with pytest.raises(guard.Refused, match="30 zip entries"):
        _open_all(path, guard.Limits(max_entries=20))
    with pytest.raises(guard.Refused, match="unpacks to"):
        _open_all(path, guard.Limits(max_unpacked=10))


def test_the_parser_resolves_no_entity_and_loads_no_dtd() -> None:
    root = guard.parse(DTD, "x.xml", "f.docx")  # the guard's scan refuses this earlier; the parser alone
    assert "aaaa" not in (root.text or "")     # still leaves the entity unexpanded
    with pytest.raises(guard.Refused) as info:
        guard.parse(b"<a><b></a>", "x.xml", "f.docx")
    assert info.value.reason is guard.Refusal.DAMAGED
    with pytest.raises(guard.Refused):
        list(guard.iterparse(b"<a><b></a>", "x.xml", "f.docx", tag="b"))
