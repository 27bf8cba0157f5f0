"""The reviewed-document reader: tracked changes accepted, deleted paragraph marks joined, links
and REF fields, page breaks, comments with their replies, the built document's properties."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml

from generator.readers.docx_review import bookmark_targets, read_reviewed_docx

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
AUTH = 'w:author="Ann" w:date="2025-05-06T10:00:00Z"'


def _doc(tmp_path: Path, *paragraphs: str) -> Path:
    d = docx.Document()
    body = d.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    for xml in paragraphs:
        body.insert(len(body) - 1, parse_xml(f"<w:p {NS}>{xml}</w:p>"))
    path = tmp_path / "r.docx"
    d.save(str(path))
    return path


def test_tracked_changes_are_accepted_and_their_authors_kept(tmp_path: Path) -> None:
    path = _doc(tmp_path,
                '<w:bookmarkStart w:id="1" w:name="S1_x"/><w:r><w:t xml:space="preserve">18.4\tup to </w:t></w:r>'
                f'<w:del w:id="2" {AUTH}><w:r><w:delText>thirteen</w:delText></w:r></w:del>'
                f'<w:ins w:id="3" {AUTH}><w:r><w:t>twelve</w:t></w:r></w:ins>'
                '<w:r><w:br w:type="page"/><w:t xml:space="preserve"> months</w:t></w:r><w:bookmarkEnd w:id="1"/>')
    doc, diags = read_reviewed_docx(str(path))
    assert doc is not None and not diags
    (p,) = doc.paragraphs
    assert p.text == "18.4\tup to twelve months"
    assert p.bookmarks == ("S1_x",)
    assert {(r.kind, r.author) for r in p.revisions} == {("delete", "Ann"), ("insert", "Ann")}


def test_a_deleted_paragraph_mark_joins_the_next_paragraph(tmp_path: Path) -> None:
    path = _doc(tmp_path,
                f'<w:pPr><w:rPr><w:del w:id="5" {AUTH}/></w:rPr></w:pPr>'
                '<w:bookmarkStart w:id="1" w:name="S1_gone"/>'
                f'<w:del w:id="6" {AUTH}><w:r><w:delText>all of it</w:delText></w:r></w:del>',
                '<w:bookmarkStart w:id="2" w:name="S1_next"/><w:r><w:t>the next one</w:t></w:r>',
                f'<w:pPr><w:rPr><w:del w:id="7" {AUTH}/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">first half, </w:t></w:r>',
                '<w:r><w:t>second half</w:t></w:r>')
    doc, _ = read_reviewed_docx(str(path))
    assert doc is not None
    assert [(p.text, p.bookmarks) for p in doc.paragraphs] == [
        ("the next one", ("S1_next",)), ("first half, second half", ())]


def test_links_and_ref_fields_name_their_bookmark(tmp_path: Path) -> None:
    path = _doc(tmp_path,
                '<w:r><w:t xml:space="preserve">See </w:t></w:r>'
                '<w:hyperlink w:anchor="S1_a"><w:r><w:t>clause 1.2</w:t></w:r></w:hyperlink>'
                '<w:r><w:t xml:space="preserve"> and </w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF S1_b \\h </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1.3</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> Term</w:t></w:r>')
    doc, _ = read_reviewed_docx(str(path))
    assert doc is not None
    (p,) = doc.paragraphs
    assert [(x.text, x.kind, x.link) for x in p.pieces] == [
        ("See ", "", ""), ("clause 1.2", "", "S1_a"), (" and ", "", ""), ("1.3", "", "S1_b"), (" Term", "term", "")]


def test_comments_and_replies(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("A clause that someone doubts.")
    first = d.add_comment(p.runs, text="Is this right?", author="Cara", initials="CA")
    d.add_comment(p.runs, text="Second thoughts", author="Dev", initials="DV")
    path = tmp_path / "c.docx"
    d.save(str(path))
    doc, _ = read_reviewed_docx(str(path))
    assert doc is not None
    assert [(c.author, c.text, c.paragraph, c.quoted) for c in doc.comments] == [
        ("Cara", "Is this right?", 1, "A clause that someone doubts."),
        ("Dev", "Second thoughts", 1, "A clause that someone doubts.")]
    assert first.comment_id is not None


def test_bookmark_targets_follow_the_writer_names() -> None:
    assert bookmark_targets(["intro", "pd-range"]) == {"s1_intro": "intro", "s1_pd_range_4dbd0b49": "pd-range"}


def test_an_unreadable_file_is_one_fatal_finding(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"%PDF-1.4 not a docx")
    doc, diags = read_reviewed_docx(str(bad))
    assert doc is None and len(diags) == 1 and diags[0].fatal


def test_a_redline_with_a_move_reads_as_the_amended_document(tmp_path: Path) -> None:
    """s1sr's redline marks a moved clause with w:moveFrom/w:moveTo (content and paragraph
    marks): accepted, it reads as the amended document, the moved clause once, where it went."""
    from tests.writers.test_redline_docx import _compare, _moved_pair, write_docx, write_redline_docx

    old, new = _moved_pair()
    _, opts = _compare(old, new)
    for name, p, writer in (("redline", new, write_redline_docx), ("new", new, write_docx)):
        (data,) = writer(p, opts).values()
        (tmp_path / f"{name}.docx").write_bytes(data)
    redline, _ = read_reviewed_docx(str(tmp_path / "redline.docx"))
    amended, _ = read_reviewed_docx(str(tmp_path / "new.docx"))
    assert redline is not None and amended is not None

    def body(doc: object) -> list[str]:
        texts = [p.text for p in doc.paragraphs if not p.toc]  # type: ignore[attr-defined]
        return texts[texts.index("1\ttext of s"):]

    assert body(redline) == body(amended)
    assert sum("the Device shall always send an Alert" in t for t in body(redline)) == 1
