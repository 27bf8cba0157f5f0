"""The letter writer: a real Word letter (footnotes part, page numbers, appendix headings, amendment
tables from the diff) and a site page, both from the letter templates; values never become template
source; template errors are located; the same input gives the same bytes."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from generator.app import api
from generator.cli import main
from generator.model import Project
from generator.model.letter import Letter, Para, Run, plain
from generator.writers import WRITERS
from generator.writers.letter import TemplateProblem, file_names, long_date, md_escape, write_letter
from generator.writers.options import WriterOptions
from tests.hardening.fixtures import override_template
from tests.support import REPO, require_module, soffice_convert

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def example() -> tuple[Project, Letter, WriterOptions]:
    project, _ = api.load(str(REPO / "content"))
    assert project is not None
    (letter,), diags = api.letters(project)
    assert diags == []
    return project, letter, WriterOptions(letters=(letter,))


@pytest.fixture(scope="module")
def files(example: tuple) -> dict[str, bytes]:
    project, _, opts = example
    return write_letter(project, opts)


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _paragraphs(body: etree._Element, style: str) -> list[etree._Element]:
    return [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='{style}']") is not None]


def test_registered_and_named(example: tuple, files: dict[str, bytes]) -> None:
    assert WRITERS["letter"] == "generator.writers.letter:write_letter"
    assert sorted(files) == sorted(file_names(example[1]))
    assert file_names(example[1]) == ("letter-2025-04-recommendation.docx", "letter-2025-04-recommendation.md")


def test_no_letters_no_files(example: tuple) -> None:
    assert write_letter(example[0], WriterOptions()) == {}


def test_the_letter_layout(example: tuple, files: dict[str, bytes]) -> None:
    _, letter, _ = example
    body = _part(files["letter-2025-04-recommendation.docx"], "word/document.xml").find(f"{W}body")
    texts = [_text(p) for p in body.iter(f"{W}p")]
    assert texts[0] == letter.sender.organisation
    assert long_date(letter.date) == "30 April 2025" and "30 April 2025" in texts
    for line in (letter.addressee.name, letter.addressee.role, letter.addressee.organisation, letter.delivery,
                 letter.salutation, plain(letter.subject), letter.signatory.name, letter.closing):
        assert line in texts
    subject = plain(letter.subject)
    assert texts.index(letter.addressee.name) < texts.index(letter.salutation) < texts.index(subject)
    headings = [_text(p) for p in _paragraphs(body, "Heading1")]
    assert headings == [f"Appendix {a.id}: {plain(a.title)}" for a in letter.appendices]
    assert all(p.find(f"{W}pPr/{W}pageBreakBefore") is not None for p in _paragraphs(body, "Heading1"))
    assert [_text(p) for p in _paragraphs(body, "Heading2")] == [
        plain(part.heading) for a in letter.appendices for part in a.parts]


def test_real_footnotes(example: tuple, files: dict[str, bytes]) -> None:
    data = files["letter-2025-04-recommendation.docx"]
    refs = [int(r.get(f"{W}id")) for r in _part(data, "word/document.xml").iter(f"{W}footnoteReference")]
    notes = {int(n.get(f"{W}id")): n for n in _part(data, "word/footnotes.xml").iter(f"{W}footnote")}
    assert refs == [1, 2, 3, 4] and sorted(notes) == [-1, 0, 1, 2, 3, 4]
    assert notes[-1].get(f"{W}type") == "separator"
    assert "Smart Energy Code" in _text(notes[1]) and notes[1].find(f".//{W}footnoteRef") is not None
    assert "Device Model" in _text(notes[2])
    assert "Clause D.4" in _text(notes[3]), "a [[clause]] in a footnote prints the amended number, as prose"
    assert "Annex D takes effect" in _text(notes[3])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "footnotes+xml" in z.read("[Content_Types].xml").decode()
        assert "relationships/footnotes" in z.read("word/_rels/document.xml.rels").decode()


def test_page_numbers(files: dict[str, bytes]) -> None:
    footer = _part(files["letter-2025-04-recommendation.docx"], "word/footer1.xml")
    assert [f.get(f"{W}instr").strip() for f in footer.iter(f"{W}fldSimple")] == ["PAGE", "NUMPAGES"]


def test_amendment_tables_come_from_the_diff(example: tuple, files: dict[str, bytes]) -> None:
    _, letter, _ = example
    body = _part(files["letter-2025-04-recommendation.docx"], "word/document.xml").find(f"{W}body")
    tables = [t for t in body.iter(f"{W}tbl") if "Device Models" in _text(t.find(f"{W}tr"))]
    parts = [p for a in letter.appendices for p in a.parts if p.rows]
    assert len(tables) == len(parts)
    for table, part in zip(tables, parts, strict=True):
        rows = table.findall(f"{W}tr")[1:]
        assert len(rows) == len(part.rows)
        for tr, row in zip(rows, part.rows, strict=True):
            cells = [_text(tc) for tc in tr.findall(f"{W}tc")]
            assert cells[0].startswith(row.number)
            assert cells[1] == f"{row.old_number or '—'} → {row.new_number or '—'}"
            assert cells[3] == ", ".join(row.srvs) and cells[4] == ", ".join(row.devices)
    first = [_text(tc) for tc in tables[0].findall(f"{W}tr")[1].findall(f"{W}tc")]
    assert first[1] == "18.5q → 18.5p(i)" and first[2] == "Reference restored to version 11"
    assert first[3] == "4.8.1, 4.8.2", "an item shows the SRVs of the sub-clause it belongs to"
    header = [_text(tc) for tc in tables[0].findall(f"{W}tr")[0].findall(f"{W}tc")]
    assert header[1] == "Number (v12 → v13)"
    changes = {_text(tr.findall(f"{W}tc")[2]) for t in tables for tr in t.findall(f"{W}tr")[1:]}
    # The numbers the restored clauses leave stay [Not used] (v12's 18.5t–18.5v), and the table says so.
    assert changes == {"Reference restored to version 11", "New clause", "Number kept as [Not used]"}


def test_the_site_page(example: tuple, files: dict[str, bytes]) -> None:
    _, letter, _ = example
    md = files["letter-2025-04-recommendation.md"].decode("utf-8")
    assert md.startswith(f"# {md_escape(plain(letter.subject))}\n")
    assert "## Appendix A: Correction of clause 18.5 and new device behaviours" in md
    assert "| **18.5p(i)** " in md and "| 18.5q → 18.5p(i) | Reference restored to version 11 |" in md
    assert '<sup id="ref-2">[2](#note-2)</sup>' in md and '2. <a id="note-2"></a>The DMVESM lists' in md
    assert "L&amp;G FOC ESME" in md  # HTML characters are entities on the page
    assert "| 1 | Active energy import | Wh |" in md  # the quoted annex table


def test_values_are_never_template_source(example: tuple, tmp_path: Path) -> None:
    project, letter, opts = example
    hostile = "{{ 7 * 7 }} {% if true %}x{% endif %} <b>bold</b> & *star* [^x]"
    odd = replace(letter, subject=(Run(text=hostile),), salutation="{{ letter.subject }}", signature=None,
                  summary=(Para(inlines=(Run(text=hostile),)),))
    out = write_letter(project, replace(opts, letters=(odd,)))
    body = _part(out["letter-2025-04-recommendation.docx"], "word/document.xml")
    texts = [_text(p) for p in body.iter(f"{W}p")]
    assert hostile in texts and "{{ letter.subject }}" in texts and not any("49" in t for t in texts)
    md = out["letter-2025-04-recommendation.md"].decode("utf-8")
    assert "{{ 7 \\* 7 }} {% if true %}x{% endif %} &lt;b&gt;bold&lt;/b&gt; &amp; \\*star\\* \\[^x\\]" in md
    assert "49" not in md


@pytest.mark.parametrize(("template", "broken"), [
    ("letter.md.j2", "{{ letter.subject|no_such_filter }}\n"),  # does not parse
    ("docx/document.xml.j2", "{{ letter.no_such_field }}\n"),  # fails while rendering
    ("docx/footer.xml.j2", "<w:p>\n"),  # gives XML that is not well formed
])
def test_template_errors_are_located(example: tuple, tmp_path: Path, template: str, broken: str) -> None:
    project, _, opts = example
    path = override_template(tmp_path, f"letter/{template}")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = 3 if template.endswith("document.xml.j2") else len(lines) - 1
    path.write_text("".join([*lines[:at], broken, *lines[at:]]), encoding="utf-8")
    with pytest.raises(TemplateProblem) as info:
        write_letter(project, replace(opts, templates=str(tmp_path / "templates")))
    (diag,) = info.value.diagnostics
    assert diag.code == "LTR110" and diag.fatal
    assert diag.location.file.endswith(Path(template).name)
    if not template.endswith("footer.xml.j2"):
        assert diag.location.line == at + 1


def test_a_template_error_stops_the_build_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            ) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    md = override_template(tmp_path, "letter/letter.md.j2")
    md.write_text(md.read_text(encoding="utf-8") + "{% for x in %}\n", encoding="utf-8")
    out = tmp_path / "build"
    out.mkdir()
    (out / "previous.txt").write_text("kept")
    try:
        code = main(["build", "--content", str(tmp_path / "content"), "--out", str(out), "--no-site"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    assert code == 2
    assert "LTR110" in captured.err and "letter.md.j2:" in captured.err and "Traceback" not in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["previous.txt"]


def test_the_same_input_gives_the_same_bytes(example: tuple, files: dict[str, bytes]) -> None:
    project, _, opts = example
    assert write_letter(project, opts) == files
    with zipfile.ZipFile(io.BytesIO(files["letter-2025-04-recommendation.docx"])) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 4, 30, 0, 0, 0)}


def test_openxml_audit_finds_nothing(files: dict[str, bytes], tmp_path: Path) -> None:
    validator = require_module("openxml_audit", "openxml-audit")
    path = tmp_path / "letter.docx"
    path.write_bytes(files["letter-2025-04-recommendation.docx"])
    assert [e.description for e in validator.OpenXmlValidator(max_errors=0).validate(path).errors] == []


@pytest.mark.e2e
def test_libreoffice_reads_footnotes_page_numbers_and_tables(files: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    path.write_bytes(files["letter-2025-04-recommendation.docx"])
    odt = soffice_convert(path, "odt", tmp_path)
    with zipfile.ZipFile(odt) as z:
        content = z.read("content.xml").decode("utf-8")
        styles = z.read("styles.xml").decode("utf-8")
    assert content.count('text:note-class="footnote"') == 4
    # The links in the footnotes are links to LibreOffice too, and the signature is a picture.
    notes = re.findall(r'<text:note text:id="[^"]*" text:note-class="footnote">.*?</text:note>', content)
    assert sum('xlink:href="https://smartenergycodecompany.co.uk/"' in n for n in notes) == 2
    assert content.count("<draw:image ") == 1
    assert "<text:page-number" in styles and "<text:page-count" in styles
    assert content.count("<table:table ") >= 4
    pdf = soffice_convert(path, "pdf", tmp_path)
    assert pdf.stat().st_size > 10_000
    text = soffice_convert(path, "txt:Text (encoded):UTF8", tmp_path).read_text(encoding="utf-8-sig")
    assert re.search(r"18\.5q → 18\.5p\(i\)", text)


def test_a_project_overrides_one_template_and_keeps_the_package_defaults(example: tuple, files: dict[str, bytes],
                                                                        tmp_path: Path) -> None:
    """The package's templates are the one copy; a project's templates/letter/ holds only what differs."""
    project, letter, opts = example
    md = override_template(tmp_path, "letter/letter.md.j2")
    md.write_text(md.read_text(encoding="utf-8") + "\nOur own closing line.\n", encoding="utf-8")
    own = write_letter(project, replace(opts, templates=str(tmp_path / "templates")))
    docx_name, md_name = file_names(letter)
    assert own[md_name] == files[md_name] + b"\nOur own closing line.\n"
    assert own[docx_name] == files[docx_name]  # every .docx part still comes from the package


R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _rels(data: bytes, part: str) -> dict[str, etree._Element]:
    return {r.get("Id"): r for r in _part(data, part).iter(f"{PR}Relationship")}


def test_links_are_real_hyperlinks_with_relationships(files: dict[str, bytes]) -> None:
    data = files["letter-2025-04-recommendation.docx"]
    links = list(_part(data, "word/footnotes.xml").iter(f"{W}hyperlink"))
    assert [_text(h) for h in links] == ["https://smartenergycodecompany.co.uk/", "published with the SEC"]
    rels = _rels(data, "word/_rels/footnotes.xml.rels")
    for h in links:
        rel = rels[h.get(f"{R}id")]
        assert rel.get("Target") == "https://smartenergycodecompany.co.uk/" and rel.get("TargetMode") == "External"
        assert rel.get("Type").endswith("/hyperlink")
        assert h.find(f"{W}r/{W}rPr/{W}rStyle").get(f"{W}val") == "Hyperlink"
    md = files["letter-2025-04-recommendation.md"].decode("utf-8")
    assert "[published with the SEC](https://smartenergycodecompany.co.uk/)" in md


def test_the_subject_line_carries_its_footnote(files: dict[str, bytes]) -> None:
    body = _part(files["letter-2025-04-recommendation.docx"], "word/document.xml").find(f"{W}body")
    (subject,) = _paragraphs(body, "Subject")
    assert subject.find(f".//{W}footnoteReference").get(f"{W}id") == "1"
    md = files["letter-2025-04-recommendation.md"].decode("utf-8")
    assert "(SEC Appendix AM)<sup id=\"ref-1\">[1](#note-1)</sup>**" in md
    assert md.splitlines()[0] == "# Recommendation to designate version 13.0 of the SMETS1 Supporting Requirements " \
                                 "(SEC Appendix AM)", "the page title carries no mark"


def test_the_signature_enclosures_and_cc(example: tuple, files: dict[str, bytes]) -> None:
    _, letter, _ = example
    data = files["letter-2025-04-recommendation.docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.read("word/media/signature.png") == letter.signature.data
        assert 'Extension="png" ContentType="image/png"' in z.read("[Content_Types].xml").decode()
    blips = [b.get(f"{R}embed") for b in _part(data, "word/document.xml").iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}blip")]
    (rid,) = blips
    assert _rels(data, "word/_rels/document.xml.rels")[rid].get("Target") == "media/signature.png"
    body = _part(data, "word/document.xml").find(f"{W}body")
    texts = [_text(p) for p in body.iter(f"{W}p")]
    at = texts.index("Enclosures")
    assert texts[at + 1:at + 4] == [plain(e) for e in letter.enclosures]
    assert texts[at + 4] == "cc:" + "".join(letter.cc)
    assert texts.index(letter.closing) < texts.index(letter.signatory.name) < at


def test_the_consultation_section_counts_the_responses(files: dict[str, bytes]) -> None:
    body = _part(files["letter-2025-04-recommendation.docx"], "word/document.xml").find(f"{W}body")
    texts = [_text(p) for p in body.iter(f"{W}p")]
    assert any("received nine responses." in t for t in texts)
    assert "New device behaviours: four responses to this part, all of which supported it." in texts
    assert ("Configuration requirements for L&G FOC ESME: seven responses to this part, all but one of which "
            "supported it (the other opposed it).") in texts
    table = next(t for t in body.iter(f"{W}tbl") if "No view" in _text(t.find(f"{W}tr")))
    rows = [[_text(tc) for tc in tr.findall(f"{W}tc")] for tr in table.findall(f"{W}tr")]
    assert rows[1:] == [["Restoring the version 11 references in clause 18.5", "9", "8", "0", "1"],
                        ["New device behaviours", "4", "4", "0", "5"],
                        ["Configuration requirements for L&G FOC ESME", "7", "6", "1", "2"]]


@pytest.mark.parametrize(("kinds", "restored", "parent", "said"), [
    (("added",), "", "", "New clause"),
    (("removed",), "", "", "No longer used"),
    (("amended",), "", "", "Text amended"),
    (("moved", "renumbered"), "11.0", "18.5p", "Reference restored to version 11"),
    (("amended", "renumbered"), "10.2", "", "Text amended; reference restored to version 10.2"),
    (("moved", "renumbered"), "", "18.5", "Moved to 18.5; reference changed"),
    (("moved",), "", "", "Moved"),
])
def test_amendment_tables_speak_plain_words(example: tuple, kinds: tuple[str, ...], restored: str, parent: str,
                                            said: str) -> None:
    from generator.model.letter import AmendmentRow, Appendix
    from generator.model.letter import Part as LetterPart

    project, letter, opts = example
    row = AmendmentRow(clause_id="x", number="18.5q", old_number="18.5t", new_number="18.5q", kinds=kinds,
                       restored=restored, parent_number=parent, summary="s")
    one = replace(letter, appendices=(Appendix(id="A", title=(Run(text="T"),),
                                               parts=(LetterPart(rows=(row,)),)),))
    out = write_letter(project, replace(opts, letters=(one,)))
    md = out["letter-2025-04-recommendation.md"].decode("utf-8")
    assert f"| 18.5t → 18.5q | {said} |" in md
    body = _part(out["letter-2025-04-recommendation.docx"], "word/document.xml").find(f"{W}body")
    table = next(t for t in body.iter(f"{W}tbl") if "Device Models" in _text(t.find(f"{W}tr")))
    assert _text(table.findall(f"{W}tr")[1].findall(f"{W}tc")[2]) == said
