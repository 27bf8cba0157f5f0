"""The Markdown writer: the pages, their anchors and links, and escaping.

Pages are rendered to HTML with Python-Markdown and the extensions the site uses, the way
MkDocs renders them, and checked as parsed HTML.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.app import api
from generator.model import Project, walk
from generator.writers.markdown import Download, _md, page_nav, write_markdown
from tests.conftest import MINI_DEVICES, MINI_DOCUMENT, MINI_SECTION
from tests.support import CONTENT, REPO

SITE_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc"]

SECOND_SECTION = """\
id: second
heading: Second
text: "Where a *Device* does so, see [[scope]] and SRV 6.12; SRV 1.1.1 has no variation."
children:
  - id: settings
    heading: Settings
    table:
      header: [Setting, Value]
      rows:
        - [Capture, "30 <minutes>"]
  - id: grouped
    text: Applies to every ESME.
    applies_to:
      - srvs: ["4.8.1"]
        devices: [all-esme]
  - id: gone
    not_used: true
"""


@pytest.fixture
def content(mini: Path) -> Path:
    """The shared mini source plus a second section (cross-page reference, table, group)."""
    doc = MINI_DOCUMENT + "  - sections/02-second.yaml\n"
    (mini / "document.yaml").write_text(doc)
    (mini / "sections" / "02-second.yaml").write_text(SECOND_SECTION)
    assert (mini / "devices.yaml").read_text() == MINI_DEVICES
    return mini


def _project(root: Path) -> Project:
    return api.load_clean(str(root)).project


def _pages(project: Project, **kwargs: object) -> dict[str, str]:
    return {k: v.decode("utf-8") for k, v in write_markdown(project, api.writer_options(project),
                                                            **kwargs).items()}  # type: ignore[arg-type]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for k, v in attrs:
            if k == "id" and v:
                self.ids.add(v)
            if k == "href" and v:
                self.links.append(v)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _render(page: str) -> tuple[dict[str, object], _Ids]:
    """Front matter and the parsed HTML of a page, rendered as MkDocs renders it."""
    meta: dict[str, object] = {}
    m = re.match(r"---\n(.*?)\n---\n", page, re.S)
    if m:
        import yaml

        meta = yaml.safe_load(m.group(1))
        page = page[m.end():]
    parser = _Ids()
    parser.feed(markdown.markdown(page, extensions=SITE_EXTENSIONS))
    return meta, parser


# -- pages, anchors and links ------------------------------------------------------------------


def test_page_set_and_nav(content: Path) -> None:
    project = _project(content)
    pages = _pages(project)
    assert set(pages) == {
        "s1sr/index.md", "s1sr/clauses.md", "s1sr/dmvesm.md",
        "s1sr/sections/1-general.md", "s1sr/sections/2-second.md",
        "s1sr/devices/index.md", "s1sr/devices/secure-esme.md", "s1sr/devices/lg-esme.md",
        "s1sr/srvs/index.md", "s1sr/srvs/4.8.1.md", "s1sr/srvs/6.12.md",
    }
    assert page_nav(project) == [{"MINI v1.0": [
        "s1sr/index.md",
        {"Sections": ["s1sr/sections/1-general.md", "s1sr/sections/2-second.md"]},
        "s1sr/dmvesm.md", "s1sr/devices/index.md", "s1sr/srvs/index.md", "s1sr/clauses.md",
    ]}]
    assert set(_pages(project, prefix="")) == {p.removeprefix("s1sr/") for p in pages}


def test_every_clause_is_anchored_by_stable_id_and_by_number(content: Path) -> None:
    project = _project(content)
    pages = _pages(project)
    for section in project.document.sections:
        page = next(p for p in pages if p.startswith("s1sr/sections/") and f"#c-{section.id} " in pages[p])
        _, parsed = _render(pages[page])
        for c in walk((section,)):
            assert f"c-{c.id}" in parsed.ids, c.id
            assert f"n-{c.number}" in parsed.ids, c.number
        # The number shows: the clause's own marker links to its stable anchor.
        for c in walk(section.children):
            if not c.heading:
                assert f'<a class="s1sr-num" id="c-{c.id}" href="#c-{c.id}"><span id="n-{c.number}"></span>' \
                       f"{_md(c.number)}</a>" in pages[page]


def _resolve(here: str, href: str) -> tuple[str, str]:
    """The page (docs-folder path) and anchor a link lands on; links written as HTML (the DMVESM's)
    name the page MkDocs makes of it."""
    path, _, frag = href.partition("#")
    if path.endswith(".html"):
        path = path.removesuffix(".html") + ".md"
    return (posixpath.normpath(posixpath.join(posixpath.dirname(here), path)) if path else here), frag


@pytest.mark.parametrize("prefix", ["s1sr", ""])
def test_every_link_lands_on_a_page_and_anchor(content: Path, prefix: str) -> None:
    project = _project(content)
    pages = _pages(project, prefix=prefix, downloads=[Download(name="MINI-v1.0.json", size=10, sha256="ab" * 32)])
    rendered = {p: _render(t)[1] for p, t in pages.items()}
    checked = 0
    for here, parsed in rendered.items():
        for href in parsed.links:
            target, frag = _resolve(here, href)
            if target.startswith("downloads/"):
                assert target == "downloads/MINI-v1.0.json"
                continue
            assert target in rendered, f"{here}: {href} → {target}"
            if frag:
                assert frag in rendered[target].ids, f"{here}: {href} has no anchor in {target}"
            checked += 1
    assert checked > 50


def test_cross_references_link_to_the_target_and_show_its_number(content: Path) -> None:
    pages = _pages(_project(content))
    # same page, then from another page
    assert "[1&#46;2](#c-annex)" in pages["s1sr/sections/1-general.md"]
    assert "see [1&#46;1](1-general.md#c-scope) and" in pages["s1sr/sections/2-second.md"]
    # SRV mentions link to the SRV's page where it has variations, else stay text
    assert "[SRV 6&#46;12](../srvs/6.12.md)" in pages["s1sr/sections/2-second.md"]
    assert "SRV 1&#46;1&#46;1 has no variation" in pages["s1sr/sections/2-second.md"]


def test_device_pages_list_the_clauses_that_apply_groups_expanded(content: Path) -> None:
    project = _project(content)
    pages = _pages(project)
    secure, lg = pages["s1sr/devices/secure-esme.md"], pages["s1sr/devices/lg-esme.md"]
    for cid in ("scope", "grouped"):
        assert f"#c-{cid})" in secure
    assert "#c-grouped)" in lg and "#c-scope)" not in lg
    # the SRV table comes from the matrix
    expected = {m.srv for m in project.matrix if m.device == "secure-esme"}
    assert expected == {"4.8.1", "6.12"}
    for srv in expected:
        assert f"[{_md(srv)}](../srvs/{srv}.md)" in secure
    assert "All ESME" in pages["s1sr/devices/index.md"] and '<span id="g-all-esme"></span>' in pages[
        "s1sr/devices/index.md"]


def test_srv_pages_only_for_srvs_with_variations(content: Path) -> None:
    project = _project(content)
    pages = _pages(project)
    assert {p for p in pages if p.startswith("s1sr/srvs/") and not p.endswith("index.md")} == {
        f"s1sr/srvs/{m.srv}.md" for m in project.matrix}
    page = pages["s1sr/srvs/4.8.1.md"]
    assert "[Liberty 100]" not in page and "Secure Liberty 100" in page
    assert "#c-annex-a)" in page  # mentioned in text though no applies_to names it


def test_tables_not_used_and_applies_to(content: Path) -> None:
    page = _pages(_project(content))["s1sr/sections/2-second.md"]
    assert "<td>30 &lt;minutes&gt;</td>" in page
    assert 's1sr-not-used" markdown="span">' in page and "&#91;Not used&#93;" in page
    assert 'Applies to [SRV 4&#46;8&#46;1](../srvs/4.8.1.md): [All ESME](../devices/index.md#g-all-esme)' in page


def test_home_links_only_the_downloads_it_is_given(content: Path) -> None:
    project = _project(content)
    home = _pages(project)["s1sr/index.md"]
    assert "downloads/" not in home and "This preview has no downloads" in home
    home = _pages(project, downloads=[Download(name="MINI-v1.0.docx", size=2048, sha256="0" * 64)],
                  letters=["s1sr/letters/letter-x.md"])["s1sr/index.md"]
    assert "| [MINI&#45;v1&#46;0&#46;docx](../downloads/MINI-v1.0.docx) | Word document | 2 kB |" in home
    assert "[letter&#45;x](letters/letter-x.md)" in home
    assert "**Version:** 1&#46;0" in home and "**Status:** Draft" in home


def test_output_is_deterministic(content: Path) -> None:
    project = _project(content)
    assert _pages(project) == _pages(_project(content))
    assert _pages(project, downloads=[Download(name="b", size=1), Download(name="a", size=1)]) == \
        _pages(project, downloads=[Download(name="a", size=1), Download(name="b", size=1)])


# -- escaping --------------------------------------------------------------------------------

# The site's extensions, and others a site might add: none may turn source text into markup.
EXTRA_EXTENSIONS = ["def_list", "abbr", "footnotes", "admonition", "smarty", "pymdownx.tilde", "pymdownx.caret",
                    "pymdownx.mark", "pymdownx.magiclink", "pymdownx.betterem", "pymdownx.keys",
                    "pymdownx.emoji", "pymdownx.critic", "pymdownx.inlinehilite"]


def _shown(text: str, extensions: list[str]) -> tuple[str, list[str]]:
    out = markdown.markdown(f'<p class="x" markdown="span">{_md(text)}</p>', extensions=extensions)
    parser = _Ids()
    parser.feed(out)
    parser.close()
    return "".join(parser.text), parser.tags


def _expected(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or not (ord(ch) < 32 or ord(ch) == 127))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_shows_literally_and_makes_no_markup(text: str) -> None:
    for extensions in (SITE_EXTENSIONS, SITE_EXTENSIONS + EXTRA_EXTENSIONS):
        shown, tags = _shown(text, extensions)
        want = _expected(text)
        assert set(tags) <= {"p", "br"} and tags.count("br") == want.count("\n"), (text, tags)
        assert " ".join(shown.split()) == " ".join(want.replace("\n", "").split()), (text, shown)


@pytest.mark.parametrize("text", [
    "<script>window.__pwned=1</script>", "**not bold** _x_ `code` [a](javascript:alert(1)) ![i](x.png)",
    "{: onclick=alert(1) } <http://x.org> www.example.com ... -- 'q' \"q\" (c) :smile: ~~s~~ ==m== ^^c^^",
    "&amp; &lt;b&gt; &#60; \\*x\\* | a | b |", "1. not a list\n# not a heading\n> not a quote\n    not code",
    "[^1] *[HTML]: x [[not-an-xref]] {++ins++} ++ctrl+alt++ $$x$$ <!-- c --> ]]> <![CDATA[ x ]]>",
])
def test_markdown_and_html_syntax_in_text_shows_literally(text: str) -> None:
    for extensions in (SITE_EXTENSIONS, SITE_EXTENSIONS + EXTRA_EXTENSIONS):
        shown, tags = _shown(text, extensions)
        assert set(tags) <= {"p", "br"}, (text, tags)
        assert " ".join(shown.split()) == " ".join(text.replace("\n", "").split())


def test_titles_headings_and_names_are_escaped(mini: Path) -> None:
    (mini / "sections" / "01-general.yaml").write_text(MINI_SECTION.replace(
        "heading: General", 'heading: "</title><script>alert(1)</script> *A* & B {: #x }"'))
    (mini / "devices.yaml").write_text(MINI_DEVICES.replace("model: E470", 'model: "E470 <b>"'))
    pages = _pages(_project(mini))
    page = pages["s1sr/sections/1-general.md"]
    meta, parsed = _render(page)
    assert meta["title"] == html.escape("1 </title><script>alert(1)</script> *A* & B {: #x }")
    assert set(parsed.tags) <= {"h1", "h2", "p", "span", "a", "strong", "br", "table", "thead", "tbody", "tr",
                                "th", "td", "div"}
    assert "</title><script>alert(1)</script> *A* & B {: #x }" in "".join(parsed.text)
    assert "c-general" in parsed.ids and "x" not in parsed.ids
    meta, parsed = _render(pages["s1sr/devices/lg-esme.md"])
    assert meta["title"] == "Landis+Gyr E470 &lt;b&gt;" and "b" not in parsed.tags
    # the front matter is one JSON-quoted (so YAML-safe) string
    title = html.escape("1 </title><script>alert(1)</script> *A* & B {: #x }")
    assert page.startswith(f"---\ntitle: {json.dumps(title)}\n---\n")


def test_the_example_renders_every_section() -> None:
    project = api.load_clean(str(CONTENT)).project
    pages = _pages(project)
    sections = [p for p in pages if p.startswith("s1sr/sections/")]
    assert len(sections) == len(project.document.sections)
    assert len(pages) == len(sections) + len(project.devices) + len({m.srv for m in project.matrix}) + 5
    assert (REPO / "mkdocs.yml").exists()
