"""The S1SR Word writer, checked against the model it rendered (never against fixed counts:
the example content changes), reopened with python-docx and lxml, and end to end with
LibreOffice and openxml-audit."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from lxml import etree

from bench.docx_scale import synthetic_project
from generator.app import api
from generator.model import (
    Clause,
    Emph,
    Inline,
    Project,
    Table,
    Term,
    Text,
    Xref,
    cite_map,
    plain_text,
    walk,
    xref_text,
)
from generator.ooxml.bookmarks import BookmarkNames
from generator.ooxml.settings import SETTINGS_ORDER
from generator.writers import WRITERS, get_writer
from generator.writers.docx import LEVEL_STYLES, NOT_USED, display_date, write_docx
from generator.writers.json_export import file_name
from generator.writers.options import WriterOptions
from tests.support import REPO, require_module, soffice_convert

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
ALLOWLIST = Path(__file__).with_name("openxml_audit_allowlist.txt")


# -- fixtures ---------------------------------------------------------------------------
def _options(project: Project) -> WriterOptions:
    return WriterOptions(date=api.source_date(project), author="S1SR Drafting Team")


@pytest.fixture(scope="module")
def example() -> Project:
    project, diags = api.load(str(REPO / "content"))
    assert project is not None, [str(d.message) for d in diags]
    return project


@pytest.fixture(scope="module")
def example_docx(example: Project) -> bytes:
    files = write_docx(example, _options(example))
    assert list(files) == [file_name(example, "docx")]
    return files[file_name(example, "docx")]


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def _style_ids(document: docx.document.Document, names: tuple[str, ...]) -> dict[str, str]:
    return {document.styles[n].style_id: n for n in names}


def _numbered(data: bytes) -> list[etree._Element]:
    """Body paragraphs in a clause-level style, in document order."""
    document = docx.Document(io.BytesIO(data))
    ids = _style_ids(document, (*LEVEL_STYLES, "S1SR Annex"))
    return [p for p in document.element.body.iterfind("w:p", NS) if _val(p, "w:pPr/w:pStyle") in ids]


def _val(el: etree._Element, path: str) -> str:
    """``w:val`` of the element at ``path`` under ``el``; "" when there is none."""
    found = el.find(path, NS)
    return "" if found is None else str(found.get(f"{{{W}}}val"))


def _text(p: etree._Element) -> str:
    """Paragraph text as Word shows it: w:t, w:tab as a tab, w:br as a line feed (runs inside
    hyperlinks included, field instructions excluded)."""
    out = []
    for el in p.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br"):
        if el.getparent() is not None and el.getparent().tag != f"{{{W}}}r":
            continue  # w:tab inside w:tabs (paragraph properties)
        out.append(el.text or "" if el.tag == f"{{{W}}}t" else "\t" if el.tag == f"{{{W}}}tab" else "\n")
    return "".join(out)


def _expected(c: Clause, numbers: dict[str, str], cites: dict[str, str] | None = None) -> str:
    """What the numbered paragraph of ``c`` must read: its number and heading (the text
    follows in a paragraph of its own), or its number and text."""
    head = f"{c.label}\t" if c.label else ""
    if c.not_used:
        return head + NOT_USED
    body = plain_text(c.text, numbers, cites).rstrip()
    if c.heading:
        return head + c.heading
    return head + body


# -- the numbered body ------------------------------------------------------------------
def test_registered_under_docx() -> None:
    assert WRITERS["docx"] == "generator.writers.docx:write_docx"
    assert get_writer("docx") is write_docx


def test_every_clause_is_one_numbered_paragraph_in_order(example: Project, example_docx: bytes) -> None:
    clauses = list(walk(example.document.sections))
    paragraphs = _numbered(example_docx)
    numbers = {c.id: c.number for c in clauses}
    cites = cite_map(example.document)
    assert len(paragraphs) == len(clauses)
    for c, p in zip(clauses, paragraphs, strict=True):
        assert _text(p) == _expected(c, numbers, cites), c.id
        # A heading carries an outline level, so Word's navigation pane shows the tree.
        outline = _val(p, "w:pPr/w:outlineLvl")
        assert outline == (str(c.level - 1) if c.heading and c.level > 1 and not c.not_used else ""), c.id


def test_level_styles_follow_clause_levels(example: Project, example_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(example_docx))
    ids = _style_ids(document, (*LEVEL_STYLES, "S1SR Annex"))
    for c, p in zip(walk(example.document.sections), _numbered(example_docx), strict=True):
        style = ids[_val(p, "w:pPr/w:pStyle")]
        want = "S1SR Annex" if c.annex and c.level == 1 else LEVEL_STYLES[min(c.level, len(LEVEL_STYLES)) - 1]
        assert style == want, c.id


def test_numbers_are_literal_text_never_word_numbering(example_docx: bytes) -> None:
    document = _part(example_docx, "word/document.xml")
    assert document.find(".//w:numPr", NS) is None
    styles = _part(example_docx, "word/styles.xml")
    assert styles.find(".//w:numPr", NS) is None
    with zipfile.ZipFile(io.BytesIO(example_docx)) as z:
        assert "word/numbering.xml" not in z.namelist()


def test_level_styles_hang_the_number_before_the_text(example_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(example_docx))
    for name in LEVEL_STYLES:
        fmt = document.styles[name].paragraph_format
        assert fmt.left_indent and fmt.first_line_indent is not None and fmt.first_line_indent < 0, name
        assert any(t.position == fmt.left_indent for t in fmt.tab_stops), name


def test_headed_clauses_with_text_continue_below_the_heading(example: Project, example_docx: bytes) -> None:
    numbers = {c.id: c.number for c in walk(example.document.sections)}
    cites = cite_map(example.document)
    body = [p for p in docx.Document(io.BytesIO(example_docx)).paragraphs]
    texts = [p.text for p in body]
    seen = 0
    for s in walk(example.document.sections):
        if s.heading and s.text and not s.not_used:
            i = len(texts) - 1 - texts[::-1].index(f"{s.label}\t{s.heading}")  # the heading, not its contents entry
            assert texts[i + 1] == plain_text(s.text, numbers, cites).rstrip()
            seen += 1
    assert seen > len(example.document.sections)  # sections and deeper headed clauses


# -- cross-references, bookmarks, inline styles -----------------------------------------
def _bookmarks(data: bytes) -> dict[str, etree._Element]:
    body = _part(data, "word/document.xml")
    return {b.get(f"{{{W}}}name"): b for b in body.iterfind(".//w:bookmarkStart", NS)}


def test_bookmark_names_are_valid_unique_and_from_stable_ids(example: Project, example_docx: bytes) -> None:
    marks = _bookmarks(example_docx)
    names = BookmarkNames()
    expected = [names[c.id] for c in walk(example.document.sections)]
    assert list(marks) == expected
    for name in marks:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name), name
    assert len({n.lower() for n in marks}) == len(marks)
    ids = [m.get(f"{{{W}}}id") for m in marks.values()]
    ends = [e.get(f"{{{W}}}id") for e in _part(example_docx, "word/document.xml").iterfind(".//w:bookmarkEnd", NS)]
    assert len(set(ids)) == len(ids) and sorted(ids) == sorted(ends)


def _xrefs(c: Clause) -> list[Xref]:
    return [i for i in c.text if isinstance(i, Xref)]


def test_cross_references_link_to_the_target_and_print_its_number(example: Project, example_docx: bytes) -> None:
    clauses = list(walk(example.document.sections))
    numbers = {c.id: c.number for c in clauses}
    cites = cite_map(example.document)
    names = BookmarkNames()
    anchors = {c.id: names[c.id] for c in clauses}
    marks = _bookmarks(example_docx)
    seen = 0
    for c, p in zip(clauses, _numbered(example_docx), strict=True):
        if c.not_used or c.heading:  # a headed clause's text (and links) are in the next paragraph
            continue
        links = p.findall("w:hyperlink", NS)
        refs = _xrefs(c)
        shown = [xref_text(x, numbers, cites, start=False) for x in refs]
        assert [(link.get(f"{{{W}}}anchor"), _text(link).lower()) for link in links] == \
            [(anchors[x.target], t.lower()) for x, t in zip(refs, shown, strict=True)], c.id
        seen += len(refs)
    for anchor in {a.get(f"{{{W}}}anchor") for a in _part(example_docx, "word/document.xml")
                   .iterfind(".//w:hyperlink", NS)}:
        assert anchor in marks
    assert seen, "the example has cross-references; if not, this test checks nothing"


def _runs_styled(data: bytes, style_name: str) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    sid = document.styles[style_name].style_id
    return [_text(r) for r in document.element.body.iterfind(".//w:r", NS) if _val(r, "w:rPr/w:rStyle") == sid]


def _inline_texts(project: Project, kind: type[Inline]) -> list[str]:
    return [i.text for c in walk(project.document.sections) if not c.not_used
            for i in c.text if isinstance(i, kind)]  # type: ignore[union-attr]


def test_terms_bold_and_emphasis_italic_through_template_styles(example: Project, example_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(example_docx))
    assert document.styles["S1SR Defined Term"].font.bold is True
    assert document.styles["S1SR Emphasis"].font.italic is True
    assert _runs_styled(example_docx, "S1SR Defined Term") == _inline_texts(example, Term)
    assert _runs_styled(example_docx, "S1SR Emphasis") == _inline_texts(example, Emph)


def test_tables_are_word_tables(example: Project, example_docx: bytes) -> None:
    wanted = [c.table for c in walk(example.document.sections) if c.table is not None and not c.not_used]
    tables = docx.Document(io.BytesIO(example_docx)).tables
    assert len(tables) == len(wanted)
    for want, got in zip(wanted, tables, strict=True):
        rows = [[cell.text for cell in row.cells] for row in got.rows]
        assert rows == [list(want.header), *[list(r) for r in want.rows]]
        assert got._tbl.find("w:tr/w:trPr/w:tblHeader", NS) is not None


# -- front matter, header, footer, settings, properties ---------------------------------
def test_title_page_then_contents(example: Project, example_docx: bytes) -> None:
    d = example.document
    texts = [p.text for p in docx.Document(io.BytesIO(example_docx)).paragraphs]
    assert texts[:5] == [d.appendix, d.title, f"Version {d.version}", d.status.upper(), display_date(d.date)]
    assert texts[5] == "Annex A, the Device Model Variations to Equivalent Steps Matrix (DMVESM), is published with " \
        "this document as the workbook DMVESM-v13.0.xlsx."
    assert texts[6] == "Contents"
    instructions = "".join(_part(example_docx, "word/document.xml").itertext(f"{{{W}}}instrText"))
    assert "TOC " in instructions
    for s in d.sections:  # the TOC's cached result lists every section until Word rebuilds it
        assert any(t.startswith(f"{s.label}\t{s.heading}") for t in texts[7:]), s.id


def test_word_is_not_asked_to_update_fields_on_open(example_docx: bytes) -> None:
    """No w:updateFields and no dirty field: Word opens the file without a prompt and shows the
    contents as written (their entries; page numbers come from s1sr build --pdf)."""
    root = _part(example_docx, "word/settings.xml")
    assert root.find("w:updateFields", NS) is None
    body = _part(example_docx, "word/document.xml")
    assert not [f for f in body.iter(f"{{{W}}}fldChar") if f.get(f"{{{W}}}dirty") in ("true", "1", "on")]
    order = [etree.QName(el).text for el in root if isinstance(el.tag, str)]
    known = {docx.oxml.ns.qn(n): i for i, n in enumerate(SETTINGS_ORDER)}
    ranks = [known[t] for t in order if t in known]
    assert ranks == sorted(ranks)


def test_header_and_footer(example: Project, example_docx: bytes) -> None:
    d = example.document
    section = docx.Document(io.BytesIO(example_docx)).sections[0]
    header = "".join(p.text for p in section.header.paragraphs)
    assert d.short_title in header and d.version in header
    footer = section.footer._element
    instructions = [t.strip() for t in footer.itertext(f"{{{W}}}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert _text(footer).startswith(d.status.upper())
    assert section.different_first_page_header_footer  # none on the title page


def test_core_properties_are_fixed_inputs(example: Project, example_docx: bytes) -> None:
    props = docx.Document(io.BytesIO(example_docx)).core_properties
    day = api.source_date(example)
    assert props.created.date().isoformat() == day and props.created == props.modified
    assert (props.author, props.last_modified_by, props.revision) == ("S1SR Drafting Team", "S1SR Drafting Team", 1)
    assert props.title == example.document.title
    assert props.last_printed is None


# -- reproducibility --------------------------------------------------------------------
def test_two_builds_give_the_same_bytes(example: Project, example_docx: bytes) -> None:
    again = write_docx(example, _options(example))[file_name(example, "docx")]
    assert again == example_docx


def test_same_bytes_in_other_processes(example: Project, example_docx: bytes) -> None:
    """No dependence on hash seeds or other per-process state."""
    import hashlib
    import os
    import subprocess
    import sys

    code = ("import hashlib, sys\n"
            "from generator.app import api\n"
            "from tests.writers.test_docx import _options\n"
            "from generator.writers.docx import write_docx\n"
            f"p, _ = api.load({str(REPO / 'content')!r})\n"
            "print(hashlib.sha256(next(iter(write_docx(p, _options(p)).values()))).hexdigest())\n")
    want = hashlib.sha256(example_docx).hexdigest()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=REPO)
        assert out.stdout.strip() == want


def test_zip_is_normalised(example: Project, example_docx: bytes) -> None:
    y, m, d = (int(x) for x in api.source_date(example).split("-"))
    with zipfile.ZipFile(io.BytesIO(example_docx)) as z:
        infos = z.infolist()
    names = [i.filename for i in infos]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"] and names[2:] == sorted(names[2:])
    for i in infos:
        assert i.date_time == (y, m, d, 0, 0, 0), i.filename
        assert i.compress_type == zipfile.ZIP_DEFLATED and i.external_attr >> 16 == 0o100644
        assert not i.extra and not i.comment


def test_api_render_builds_the_docx(example: Project) -> None:
    files = api.render(example, only=("docx",))
    assert list(files) == [file_name(example, "docx")]


# -- robustness -------------------------------------------------------------------------
def _tiny(*sections: Clause) -> Project:
    base = synthetic_project(1)
    return dataclasses.replace(base, document=dataclasses.replace(base.document, sections=sections))


def _numbered_tiny(raw: str, *, table: Table | None = None) -> Project:
    from generator.passes.numbering import number_project

    section = Clause(id="s", heading="S", children=(
        Clause(id="weird", text=(Text(text=raw), Term(text=raw), Emph(text=raw)), table=table),
        Clause(id="gone", not_used=True),
        Clause(id="ref", text=(Xref(target="weird"), Xref(target="missing"))),
    ))
    numbered, _ = number_project(_tiny(section))
    return numbered


def test_characters_word_cannot_hold_are_dropped_not_fatal() -> None:
    raw = "a\x00b\x01c\x0bd\x0ce\x1ff\ufffeg\uffffh\ud800i\tj\nk\r\nl"
    table = Table(header=("x\x00",), rows=(("\x1by",),))
    project = _numbered_tiny(raw, table=table)
    data = write_docx(project, WriterOptions())[file_name(project, "docx")]
    paragraphs = _numbered(data)
    assert _text(paragraphs[1]).split("\t", 1)[1] == "abcdefghi\tj\nk\nl" * 3
    assert [c.text for c in docx.Document(io.BytesIO(data)).tables[0]._cells] == ["x", "y"]
    assert _text(paragraphs[2]) == f"1.2\t{NOT_USED}"
    assert _text(paragraphs[3]).endswith("\tClause 1.1missing")  # prose citation; an unresolved one prints its id


def test_control_characters_in_document_fields_are_dropped_too() -> None:
    project = _numbered_tiny("x")
    bad = dataclasses.replace(project.document, title="Ti\x00tle", appendix="App\x01", short_title="S",
                              version="1", status="draft\x04")
    project = dataclasses.replace(project, document=bad)
    data = write_docx(project, WriterOptions(author="A\x05"))[file_name(project, "docx")]
    # In the values that name the file, a control character is refused, never dropped (issue 12).
    from generator.model.names import UnsafeName

    with pytest.raises(UnsafeName):
        write_docx(dataclasses.replace(project, document=dataclasses.replace(bad, version="1\x03")), WriterOptions())
    document = docx.Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs[:4]] == ["App", "Title", "Version 1", "DRAFT"]
    assert (document.core_properties.title, document.core_properties.author) == ("Title", "A")
    assert "S version 1" in document.sections[0].header.paragraphs[0].text


def test_a_template_without_the_styles_still_writes(tmp_path: Path) -> None:
    docx.Document().save(str(tmp_path / "reference.docx"))  # python-docx's default: no S1SR styles
    project = _numbered_tiny("plain")
    data = write_docx(project, WriterOptions(templates=str(tmp_path)))[file_name(project, "docx")]
    assert [_text(p) for p in _iter_body(data)][-3:] == ["1.1\tplainplainplain", f"1.2\t{NOT_USED}",
                                                          "1.3\tClause 1.1missing"]


def _iter_body(data: bytes) -> Iterator[etree._Element]:
    yield from _part(data, "word/document.xml").find("w:body", NS).iterfind("w:p", NS)


def test_clauses_deeper_than_the_styles_use_the_deepest_style() -> None:
    # Levels past the last style, and level 0 (left unnumbered below the scheme's last level).
    levels = (len(LEVEL_STYLES) + 2, len(LEVEL_STYLES) + 1, 0)
    clauses = tuple(Clause(id=f"d{n}", level=n, label=f"x{n}" if n else "", text=(Text(text=f"deep {n}"),))
                    for n in levels)
    project = _tiny(*clauses)  # the writer places clauses as numbered; it never renumbers
    data = write_docx(project, WriterOptions())[file_name(project, "docx")]
    body = [p for p in docx.Document(io.BytesIO(data)).paragraphs if "deep" in p.text and p.style.name != "toc 1"]
    assert [(p.style.name, p.text) for p in body] == [
        (LEVEL_STYLES[-1], f"x{n}\tdeep {n}" if n else "deep 0") for n in levels]


def test_dates_drive_every_timestamp() -> None:
    project = _numbered_tiny("x")
    a = write_docx(project, WriterOptions(date="2024-02-29"))[file_name(project, "docx")]
    b = write_docx(project, WriterOptions(date="2024-03-01"))[file_name(project, "docx")]
    assert a != b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 2, 29, 0, 0, 0)}
    assert docx.Document(io.BytesIO(a)).core_properties.created.isoformat().startswith("2024-02-29T00:00:00")


# -- scale ------------------------------------------------------------------------------
def test_a_large_synthetic_project_writes() -> None:
    """15,000 clauses (timings are measured by bench/docx_scale.py, never asserted here)."""
    project = synthetic_project(15000)
    data = write_docx(project, WriterOptions(date="2025-04-30"))[file_name(project, "docx")]
    body = _part(data, "word/document.xml").find("w:body", NS)
    labels = [c.label for c in walk(project.document.sections)]
    got = [r.findtext("w:t", "", NS) for r in body.iterfind("w:p/w:bookmarkStart/../w:r[1]", NS)]
    assert got == labels


# -- the template -----------------------------------------------------------------------
def _s1sr_styles(data: bytes) -> list[bytes]:
    root = _part(data, "word/styles.xml")
    return [etree.tostring(s, method="c14n") for s in root.iterfind("w:style", NS)
            if (s.find("w:name", NS).get(f"{{{W}}}val") or "").startswith(("S1SR", "toc "))]


def test_reference_docx_is_what_the_script_makes() -> None:
    import runpy

    build = runpy.run_path(str(REPO / "tools" / "make_reference_docx.py"))["build"]
    committed = (REPO / "generator" / "data" / "reference.docx").read_bytes()
    assert _s1sr_styles(build()) == _s1sr_styles(committed), "run tools/make_reference_docx.py"


# -- end to end: LibreOffice, openxml-audit ---------------------------------------------
@pytest.fixture(scope="module")
def example_file(example: Project, example_docx: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / file_name(example, "docx")
    path.write_bytes(example_docx)
    return path


@pytest.mark.e2e
def test_libreoffice_prints_every_clause_number_in_order(example: Project, example_file: Path,
                                                        tmp_path: Path) -> None:
    out = soffice_convert(example_file, "txt:Text (encoded):UTF8", tmp_path)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    starts = [line.split("\t", 1)[0] for line in lines if "\t" in line]
    labels = [c.label for c in walk(example.document.sections)]
    assert starts[-len(labels):] == labels  # after the contents list, exactly the clause numbers


@pytest.mark.e2e
def test_libreoffice_converts_to_pdf(example_file: Path, tmp_path: Path) -> None:
    pdf = soffice_convert(example_file, "pdf", tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    if shutil.which("pdftotext"):
        import subprocess

        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"Page 2 of \d+", text)


def _allowlist() -> list[tuple[str, str]]:
    """(pattern, reason) pairs: ``regex  # reason`` per line."""
    out = []
    for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pattern, sep, reason = line.partition("  # ")
        assert sep and reason.strip(), f"allowlist entry without a reason: {line!r}"
        out.append((pattern.strip(), reason.strip()))
    return out


def _audit(path: Path) -> list[str]:
    validator_mod = require_module("openxml_audit", "openxml-audit")
    result = validator_mod.OpenXmlValidator(max_errors=0).validate(path)
    findings = [f"{e.part_uri} {e.path} {e.description}" for e in result.errors]
    allowed = _allowlist()
    return [f for f in findings if not any(re.search(p, f) for p, _ in allowed)]


def test_openxml_audit_passes_on_the_example(example_file: Path) -> None:
    assert _audit(example_file) == []


def test_openxml_audit_passes_on_odd_content(tmp_path: Path) -> None:
    project = _numbered_tiny("x\x00\ttab", table=Table(header=(), rows=(("a", "b"), ("c",))))
    path = tmp_path / "odd.docx"
    path.write_bytes(write_docx(project, WriterOptions())[file_name(project, "docx")])
    assert _audit(path) == []


def test_openxml_audit_allowlist_is_short_and_explained() -> None:
    entries = _allowlist()
    assert len(entries) <= 5
    for pattern, _reason in entries:
        re.compile(pattern)
