"""Page numbers laid out elsewhere, written into a .docx's contents."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from generator.model import Project
from generator.ooxml.toc import entries
from generator.writers.contents import ContentsMismatch, with_contents_pages
from generator.writers.docx import write_docx
from generator.writers.options import WriterOptions
from tests.diff_cases import c
from tests.factories import project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(p: Project) -> bytes:
    from generator.passes.numbering import number_project

    numbered, _ = number_project(p)
    (data,) = write_docx(numbered, WriterOptions(date="2025-04-30")).values()
    return data


@pytest.fixture(scope="module")
def data() -> bytes:
    return _docx(project(c("s", c("a"), heading="Start"), c("u", heading="Usage"), c("v", heading="Very last")))


def _pages(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        body = etree.fromstring(zf.read("word/document.xml")).find(f"{W}body")
    out = []
    for p in entries(body):
        link = p.find(f"{W}hyperlink")
        texts = [t.text for t in link.iter(f"{W}t")]
        out.append(texts[-1] if link.find(f".//{W}instrText") is not None else "")
    return out


def test_the_written_contents_have_no_pages_and_the_laid_out_ones_go_in(data: bytes) -> None:
    assert _pages(data) == ["", "", ""]
    filled = with_contents_pages(data, [("1 Start", "3"), ("2 Usage", "3"), ("3 Very last", "4")])
    assert _pages(filled) == ["3", "3", "4"]
    assert with_contents_pages(data, [("1 Start", "3"), ("2 Usage", "3"), ("3 Very last", "4")]) == filled
    with zipfile.ZipFile(io.BytesIO(data)) as a, zipfile.ZipFile(io.BytesIO(filled)) as b:
        assert a.namelist() == b.namelist()  # the same parts, in the same order, the same dates
        assert [i.date_time for i in a.infolist()] == [i.date_time for i in b.infolist()]
        assert [a.read(n) == b.read(n) for n in a.namelist()].count(False) == 1  # word/document.xml alone


def test_a_redline_entry_may_read_with_its_struck_out_old_number(data: bytes) -> None:
    # The printed redline shows "12 Start" where number 1 was struck out and 2 inserted.
    filled = with_contents_pages(data, [("21 Start", "3"), ("2 Usage", "3"), ("3 Very last", "4")])
    assert _pages(filled) == ["3", "3", "4"]


@pytest.mark.parametrize("listed", [
    [("1 Start", "3"), ("2 Usage", "3")],  # one missing
    [("Mini Requirements", "1"), ("1 Start", "3"), ("2 Usage", "3"), ("3 Very last", "4")],  # one too many
    [("1 Start", "3"), ("3 Very last", "4"), ("2 Usage", "3")],  # another order
])
def test_other_entries_than_the_documents_are_refused(data: bytes, listed: list[tuple[str, str]]) -> None:
    with pytest.raises(ContentsMismatch, match="contents entry"):
        with_contents_pages(data, listed)


def test_a_document_without_contents_is_left_as_it_is() -> None:
    assert with_contents_pages(_no_toc(), []) == _no_toc()


def _no_toc() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{W[1:-1]}"><w:body><w:p/></w:body></w:document>')
    return out.getvalue()
