"""Clause text that is HTML, script, template or Markdown syntax prints literally everywhere.

One clause of a copy of the example (``cfg-lg-non-gbcs-alerts``, which the change letter
quotes and the DMVESM lists) starts with the hostile text below. ``s1sr build --site`` must
render it as written in the S1SR and redline .docx, in the DMVESM .xlsx cells, in the generated
Markdown and the site's HTML (escaped text: no script element, no event handler, no
``javascript:`` link) and in the letter's .md and .docx; Jinja never evaluates it (``{{ 7*7 }}``
stays as typed, no 49). That no script runs in a browser is proved in Chromium by
``tests/e2e/test_site_chromium.py::test_script_in_clause_text_shows_as_text_and_never_runs``.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.cli import main
from tests.hardening import fixtures as F

HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }} {% raw %} ${7*7} ]]> &amp; "
           "[x](javascript:alert(3))")
CLAUSE_FILE = "sections/20-configuration.yaml"
CLAUSE_LINE = "          Every **Non-GBCS Alert** is switched off, so"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Built:
    root: Path
    out: Path
    site: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hostile")
    content = F.copy_project(root)
    # In a folded block scalar every character is literal: the clause text starts with HOSTILE.
    F.replace_in(content / CLAUSE_FILE, CLAUSE_LINE, "          " + HOSTILE + " " + CLAUSE_LINE.strip())
    assert main(["check", "--content", str(content), "-q"]) == 0
    out, site = root / "build", root / "site"
    assert main(["build", "--content", str(content), "--out", str(out), "--site", str(site), "-q"]) == 0
    return Built(root=root, out=out, site=site)


# -- Word ---------------------------------------------------------------------------------------
def _docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph's text as Word shows it (insertions included), tables included."""
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def test_word_documents_show_the_text_as_typed(built: Built) -> None:
    import docx

    s1sr = next(built.out.glob("S1SR-v*.docx"))
    texts = [p.text for p in docx.Document(str(s1sr)).paragraphs]
    assert any(HOSTILE in t for t in texts), "the clause text is not in the S1SR as typed"
    for name in ("S1SR-redline-*.docx", "letter-*.docx"):
        path = next(built.out.glob(name))
        assert any(HOSTILE in t for t in _docx_paragraphs(path)), path.name
    letter = docx.Document(str(next(built.out.glob("letter-*.docx"))))
    assert any(HOSTILE in p.text for p in letter.paragraphs), "the letter does not quote the clause as typed"


# -- Excel ----------------------------------------------------------------------------------------
def test_workbooks_hold_the_text_as_a_string(built: Built) -> None:
    import openpyxl

    for book in sorted(built.out.glob("DMVESM-*.xlsx")):
        wb = openpyxl.load_workbook(io.BytesIO(book.read_bytes()))
        hits = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and HOSTILE in c.value]
        assert hits, f"{book.name}: the clause text is in no cell"
        assert all(c.data_type == "s" for c in hits)


# -- Markdown and HTML ------------------------------------------------------------------------------
@dataclass
class _Page(HTMLParser):
    """Text (as a reader sees it) and the elements of an HTML page."""

    text: list[str] = field(default_factory=list)
    scripts: list[tuple[tuple[tuple[str, str | None], ...], str]] = field(default_factory=list)
    in_article: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    handlers: list[tuple[str, str]] = field(default_factory=list)
    _stack: list[str] = field(default_factory=list)
    _script: list[str] | None = None

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if "article" in self._stack:
            self.in_article.append((tag, dict(attrs)))
        self.handlers += [(tag, k) for k, _ in attrs if k.lower().startswith("on")]
        self.links += [v or "" for k, v in attrs if k in ("href", "src", "action", "formaction")]
        if tag == "script":
            self._script = []
            self.scripts.append((tuple(sorted(attrs, key=lambda a: a[0])), ""))
        if tag not in ("img", "br", "hr", "meta", "link", "input", "source", "col", "wbr"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            attrs, _ = self.scripts[-1]
            self.scripts[-1] = (attrs, "".join(self._script))
            self._script = None
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        elif "style" not in self._stack:
            self.text.append(data)


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _flat(page: _Page) -> str:
    return " ".join("".join(page.text).split())


def test_generated_markdown_escapes_the_text(built: Built) -> None:
    from generator.app import api
    from generator.writers.markdown import write_markdown

    project, _ = api.load(str(built.root / "content"))
    assert project is not None
    pages = write_markdown(project, api.writer_options(project), prefix="")
    page = next(v.decode("utf-8") for k, v in pages.items() if "20-configuration" in k)
    assert HOSTILE in html.unescape(page), "the text does not come back from its character references"
    for raw in ("<script", "<img", "{{ 7", "{%", "${", "](javascript:", "]]>"):
        assert raw not in page, f"{raw!r} reaches the Markdown as syntax"


def test_site_page_shows_the_text_and_runs_nothing(built: Built) -> None:
    evil = _page(built.site / "sections" / "20-configuration.html")
    clean = _page(built.site / "sections" / "19-chf.html")
    assert HOSTILE in _flat(evil) and evil.in_article
    # The theme's own scripts, the same as on a page without hostile text; none holds the text.
    assert [a for a, _ in evil.scripts] == [a for a, _ in clean.scripts]
    assert not any("alert(" in body for _, body in evil.scripts)
    assert not [t for t, _ in evil.in_article if t in ("script", "img", "iframe", "object", "embed", "svg")]
    assert not evil.handlers, evil.handlers
    assert not [u for u in evil.links if u.strip().lower().startswith("javascript:")]


def test_letter_shows_the_text_as_typed(built: Built) -> None:
    import markdown

    md = next(built.out.glob("letter-*.md")).read_text(encoding="utf-8")
    # The letter's own signature image is the one picture it may show: embedded, never fetched.
    signature = re.compile(r'<img src="data:image/(?:png|jpeg);base64,[A-Za-z0-9+/=]+" alt="Signature of [^"<>]*" '
                           r'width="\d+">')
    assert len(signature.findall(md)) == 1
    md_text = signature.sub("", md)
    for raw in ("<script", "<img"):
        assert raw not in md_text, f"{raw!r} reaches the letter's Markdown as syntax"
    assert not re.search(r"(?<!\\)\]\(javascript:", md), "a link to javascript: in the letter's Markdown"
    rendered = _Page()
    rendered.feed(markdown.markdown(md, extensions=["attr_list", "md_in_html", "tables", "toc"]))
    assert HOSTILE in _flat(rendered) and not rendered.scripts and not rendered.handlers
    page = _page(next((built.site / "letters").glob("letter-*.html")))
    assert HOSTILE in _flat(page) and page.in_article
    pictures = [a for t, a in page.in_article if t == "img"]
    assert [(a.get("src") or "")[:22] for a in pictures] == ["data:image/png;base64,"]  # the signature
    assert not [t for t, _ in page.in_article if t == "script"] and not page.handlers
    assert not [u for u in page.links if u.strip().lower().startswith("javascript:")]
