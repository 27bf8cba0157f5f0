"""The view a reader sees: the heading that closes a table of contents, and tracked changes.

Each fixture is built from the spec (WordprocessingML strings) and states what Word shows:

* a table of contents is a TOC field; its last entry is often followed directly by the first
  heading, whose paragraph then holds the field's end. Word numbers that heading like any other;
  skipping it would put every later heading one off.
* a document with tracked changes is read as Word shows it with every change accepted: a
  paragraph whose mark is a tracked insertion (``w:pPr/w:rPr/w:ins``) is numbered, one whose mark
  is a tracked deletion is gone (its remaining text joins the next paragraph), ``w:pPrChange``
  holds the properties before the change. The original view (every change rejected) is counted
  as well, so the check can say where the two differ (DOCX240).

LibreOffice is the second reader: its Accept All / Reject All, saved as text, give the same
numbers (e2e, through UNO).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.passes.external import check_pair
from generator.readers.docx import read_docx
from tests.readers.docx_fixtures import abstract, lvl, num, p, style, write_docx
from tests.support import soffice_convert

LEVELS = abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2"), lvl(2, "lowerLetter", "%1.%2%3")) + num(1, 0)
HEADINGS = style("Heading1", "heading 1", num_id=1) + style("Heading2", "heading 2", num_id=1, ilvl=1) \
    + style("TOC1", "toc 1")


def _toc_document() -> str:
    begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" '
             '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    return (p("", style="TOC1", runs=begin + '<w:r><w:t>1</w:t><w:tab/><w:t>Introduction</w:t></w:r>')
            + p("", style="TOC1", runs="<w:r><w:t>2</w:t><w:tab/><w:t>Scope</w:t></w:r>")
            # Word's own layout when the empty paragraph after a contents is deleted: the first
            # heading holds the end of the TOC field.
            + p("", style="Heading1", runs='<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>Introduction</w:t>'
                '</w:r>')
            + p("This document sets out the requirements.")
            + p("Scope", style="Heading1") + p("Devices", style="Heading2") + p("Services", style="Heading2"))


def test_the_heading_that_closes_the_contents_is_counted(tmp_path: Path) -> None:
    """Word shows 1 Introduction, 2 Scope, 2.1 Devices, 2.2 Services: the heading holding the
    end of the TOC field is a numbered heading like the others."""
    path = write_docx(tmp_path / "toc.docx", _toc_document(), LEVELS, HEADINGS)
    doc, diags = read_docx(str(path))
    assert doc is not None and diags == []
    assert [(q.label, q.text) for q in doc.paragraphs if q.label] == [
        ("1", "Introduction"), ("2", "Scope"), ("2.1", "Devices"), ("2.2", "Services")]


@pytest.mark.e2e
def test_the_heading_that_closes_the_contents_libreoffice(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "toc.docx", _toc_document(), LEVELS, HEADINGS)
    lines = [x.strip() for x in soffice_convert(path, "txt:Text", tmp_path).read_text(encoding="utf-8-sig")
             .splitlines() if x.strip()]
    for want in ("1 Introduction", "2 Scope", "2.1 Devices", "2.2 Services"):
        assert want in lines, lines


# -- tracked changes -----------------------------------------------------------------------------------
_REV = 'w:author="Reviewer" w:date="2025-04-01T00:00:00Z"'


def _ins(k: int, text: str) -> str:
    return f'<w:ins w:id="{k}" {_REV}><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'


def _del(k: int, text: str) -> str:
    return f'<w:del w:id="{k}" {_REV}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


def _numbered(level: int, runs: str, *, mark: str = "", change: str = "") -> str:
    """A paragraph of list 1 at ``level``; ``mark`` 'ins' or 'del' tracks its paragraph mark,
    ``change`` is the w:pPr it had before (a w:pPrChange)."""
    rpr = f'<w:rPr><w:{mark} w:id="90{level}" {_REV}/></w:rPr>' if mark else ""
    old = f'<w:pPrChange w:id="80{level}" {_REV}><w:pPr>{change}</w:pPr></w:pPrChange>' if change else ""
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr>{rpr}{old}</w:pPr>'
            f"{runs}</w:p>")


def _plain(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _redline() -> str:
    return (_numbered(0, _plain("Profile Data"))
            + _numbered(1, _plain("Capture"))
            + _numbered(2, _plain("the first variation;"))
            + _numbered(2, _ins(1, "an inserted variation;"), mark="ins")
            + _numbered(2, _plain("the second variation;"))
            + _numbered(2, _del(2, "a deleted variation;"), mark="del")
            + _numbered(2, _plain("the third variation."))
            + _numbered(1, _plain("Reads"), change='<w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>')
            + _numbered(1, _plain("Writes"))
            + p("", runs=_del(3, "18.5q") + _ins(4, "18.5p") + _plain("\ta clause numbered by hand")))


def test_tracked_changes_are_read_accepted_and_the_original_is_counted(tmp_path: Path) -> None:
    """With every change accepted Word shows 1, 1.1, 1.1a-d, 1.2, 1.3: the inserted paragraph is
    1.1b, the deleted one is gone. Rejected, it shows 1.1a, 1.1b (second), 1.1c (deleted), 1.1d,
    1.1e (Reads, a level-3 paragraph before its change), 1.2 (Writes), and the typed 18.5q."""
    path = write_docx(tmp_path / "redline.docx", _redline(), LEVELS)
    doc, diags = read_docx(str(path))
    assert doc is not None and diags == []
    assert doc.tracked
    got = [(q.label, q.original_label, q.inserted, q.text) for q in doc.paragraphs]
    assert got == [
        ("1", None, False, "Profile Data"),
        ("1.1", None, False, "Capture"),
        ("1.1a", None, False, "the first variation;"),
        ("1.1b", None, True, "an inserted variation;"),
        ("1.1c", "1.1b", False, "the second variation;"),
        ("1.1d", None, False, "the third variation."),
        ("1.2", "1.1e", False, "Reads"),
        ("1.3", "1.2", False, "Writes"),
        ("18.5p", "18.5q", False, "a clause numbered by hand"),
    ]
    assert doc.deleted == ("1.1c",)


def test_a_deleted_paragraph_mark_joins_the_text_to_the_next_paragraph(tmp_path: Path) -> None:
    body = (_numbered(0, _plain("one"))
            + _numbered(0, _plain("two, ") + _del(1, "ends here."), mark="del")
            + _numbered(0, _plain("continued")))
    doc, _ = read_docx(str(write_docx(tmp_path / "merge.docx", body, LEVELS)))
    assert doc is not None
    assert [(q.label, q.original_label, q.text) for q in doc.paragraphs] == [
        ("1", None, "one"), ("2", "3", "two, continued")]


def test_a_document_without_tracked_changes_has_one_view(tmp_path: Path) -> None:
    doc, _ = read_docx(str(write_docx(tmp_path / "plain.docx", _numbered(0, _plain("one")), LEVELS)))
    assert doc is not None
    assert not doc.tracked and doc.paragraphs[0].original_label is None


def test_the_check_says_where_the_views_differ(tmp_path: Path) -> None:
    doc, _ = read_docx(str(write_docx(tmp_path / "redline.docx", _redline(), LEVELS)))
    assert doc is not None
    found = [d for d in check_pair(doc, None) if d.code == "DOCX240"]
    assert len(found) == 1
    msg = found[0].message
    for part in ("1.1c (1.1b in the original)", "1.2 (1.1e in the original)", "18.5p (18.5q in the original)",
                 "1.1b is a tracked insertion", "1.1c is deleted"):
        assert part in msg, msg


@pytest.mark.e2e
def test_libreoffice_accepts_and_rejects_to_the_same_numbers(tmp_path: Path) -> None:
    from tests.writers.test_redline_docx import _uno

    path = write_docx(tmp_path / "redline.docx", _redline(), LEVELS)
    doc, _ = read_docx(str(path))
    assert doc is not None
    accepted = [x.strip() for x in _uno(path, "Accept", tmp_path / "a.txt").splitlines() if x.strip()]
    rejected = [x.strip() for x in _uno(path, "Reject", tmp_path / "r.txt").splitlines() if x.strip()]
    assert [x.split()[0] for x in accepted] == [q.label for q in doc.paragraphs]
    original = [q.original_label or q.label for q in doc.paragraphs if not q.inserted]
    original.insert(4, "1.1c")  # the deleted paragraph, which only the original view has
    # LibreOffice 7.4 rejects the w:pPrChange of 'Reads' to level 1 ("2 Reads", "2.1 Writes"),
    # where Word restores the w:pPr it holds (level 3: 1.1e); the two agree on everything else.
    got = [x.split()[0] for x in rejected]
    assert got[:6] == original[:6] and got[-1] == original[-1] == "18.5q"
    assert got[6:8] == ["2", "2.1"] and original[6:8] == ["1.1e", "1.2"]
