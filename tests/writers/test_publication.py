"""The published site's pages: every version's page set, the version switcher, the clause history,
the release pages, the DMVESM table and the search entries.

Small versions are built in memory (numbered by the numbering pass, compared by the diff pass),
rendered with Python-Markdown as MkDocs renders them, and read back as HTML.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from generator.model import AppliesTo, Clause, MatrixCell, Project, walk
from generator.passes.diff import diff_projects
from generator.passes.numbering import number_project
from generator.readers.inline import parse_inline
from generator.writers.dmvesm_page import page_url
from generator.writers.markdown import Download
from generator.writers.options import WriterOptions
from generator.writers.publication import (
    Version,
    VersionFile,
    publication_nav,
    search_entries,
    version_file,
    write_publication,
)
from tests.factories import clause as _bare
from tests.factories import project, release_of
from tests.writers.test_markdown import _render, _resolve

OPTIONS = WriterOptions(date="2025-01-31")


def clause(cid: str, *children: Clause, text: str = "", not_used: bool = False) -> Clause:
    c = _bare(cid, *children, text=text, not_used=not_used)
    return replace(c, text=parse_inline(c.raw_text, c.span))


def _numbered(*sections: Clause, version: str = "1.0", status: str = "draft") -> Project:
    p = project(*sections)
    p = replace(p, document=replace(p.document, version=version, status=status))
    numbered, diags = number_project(p)
    assert not [d for d in diags if d.severity.value == "error"], diags
    return numbered


def _cells(p: Project, *cells: tuple[str, str, tuple[str, ...]]) -> Project:
    return replace(p, matrix=tuple(MatrixCell(srv=s, device=d, clauses=c) for s, d, c in cells))


def _history() -> list[Version]:
    """v1 → v2 → draft. In v2 a new clause takes 1.2 as a tombstone (the way a vacated number is
    kept) and b moves down to 1.3; c is amended; e (2.1) is made [Not used]. The DMVESM cell
    citing 1.2 keeps its number in v2 and so cites the tombstone."""
    v1 = _cells(_numbered(
        clause("s1", clause("a"), clause("b", text="Beta applies."), clause("c", text="Gamma reads old words.")),
        clause("s2", clause("e", text="Epsilon text.")), version="1", status="designated"), ("4.8.1", "d1", ("b",)))
    v2 = _cells(_numbered(
        clause("s1", clause("a"), clause("tomb", not_used=True), clause("b", text="Beta applies."),
               clause("c", text="Gamma reads new words.")),
        clause("s2", clause("e", text="Epsilon text.", not_used=True)), version="2", status="designated"),
        ("4.8.1", "d1", ("tomb",)))
    draft = _cells(_numbered(
        clause("s1", clause("a"), clause("tomb", not_used=True), clause("b", text="Beta applies."),
               clause("c", text="Gamma reads new words.")),
        clause("s2", clause("e", text="Epsilon text.", not_used=True), clause("f", text="Zeta.")), version="3"),
        ("4.8.1", "d1", ("b",)))
    r1, r2 = replace(release_of(v1, "v1"), version="1", date="2023-01-01"), \
        replace(release_of(v2, "v2"), version="2", date="2024-01-01")
    draft = replace(draft, releases=(r1, r2))
    return [
        Version(name="v1", project=v1, release=r1,
                files=(VersionFile(name="S1SR-v1.docx", size=10, sha256="a" * 64, recorded="a" * 64),
                       VersionFile(name="S1SR-v1.json", size=10, sha256="b" * 64, recorded="c" * 64))),
        Version(name="v2", project=v2, release=r2,
                changes=diff_projects(v1, v2, from_label="v1", to_label="v2")[0],
                files=(VersionFile(name="S1SR-v2.docx", size=2048, sha256="d" * 64),)),
        Version(name="", project=draft, changes=diff_projects(v2, draft, from_label="v2", to_label="draft")[0]),
    ]


def _pages(versions: list[Version], **kwargs: object) -> dict[str, str]:
    return {k: v.decode("utf-8")
            for k, v in write_publication(versions, OPTIONS, **kwargs).items()}  # type: ignore[arg-type]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "td", "th", "p", "li"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(fragment: str) -> str:
    p = _Text()
    p.feed(fragment)
    return " ".join("".join(p.parts).split())


def _html(page: str) -> str:
    import markdown

    body = page.split("\n---\n", 1)[1]
    return markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "toc"])


# -- the page sets ----------------------------------------------------------------------------


def test_every_version_has_its_pages_and_every_page_its_switcher() -> None:
    versions = _history()
    pages = _pages(versions)
    assert {p for p in pages if p.startswith("s1sr/versions/")} >= {
        "s1sr/versions/v1/index.md", "s1sr/versions/v1/dmvesm.md", "s1sr/versions/v1/clauses.md",
        "s1sr/versions/v2/index.md", "s1sr/versions/v2/sections/1-s1.md"}
    # A designated version has no Device Model or SRV pages of its own: its DMVESM filters instead.
    assert not [p for p in pages if p.startswith("s1sr/versions/") and ("/devices/" in p or "/srvs/" in p)]
    assert {"s1sr/releases/index.md", "s1sr/releases/v1.md", "s1sr/releases/v2.md", "s1sr/releases/draft.md",
            "s1sr/history/index.md", "s1sr/history/1-s1.md", "s1sr/history/2-s2.md",
            "s1sr/devices/d1.md", "s1sr/dmvesm.md"} <= set(pages)
    for path, page in pages.items():
        assert page.count('class="s1sr-versions"') == 1, path
        body = page.split("\n---\n", 1)[1]
        assert body.lstrip().startswith('<div class="s1sr-versions"'), path


def _switcher(pages: dict[str, str], path: str) -> tuple[list[str], str]:
    """Where the switcher of a page leads (page#anchor), and the version it marks as this one."""
    bar = re.search(r'<div class="s1sr-versions".*?</div>', pages[path])
    assert bar is not None, path
    links = [_resolve(path, h.replace(".md", ".html")) for h in re.findall(r"\]\(([^)]*)\)", bar.group(0))]
    current = re.search(r'<strong class="s1sr-current">(.*?)</strong>', bar.group(0))
    return [t + ("#" + a if a else "") for t, a in links], html.unescape(current.group(1)) if current else ""


def test_the_switcher_opens_the_same_page_in_every_other_version() -> None:
    pages = _pages(_history())
    assert _switcher(pages, "s1sr/sections/1-s1.md") == (
        ["s1sr/versions/v2/sections/1-s1.md", "s1sr/versions/v1/sections/1-s1.md"], "Draft 3")
    assert _switcher(pages, "s1sr/versions/v1/dmvesm.md") == (["s1sr/dmvesm.md", "s1sr/versions/v2/dmvesm.md"], "v1")
    # A Device Model's page: the other versions' DMVESM, filtered to it.
    assert _switcher(pages, "s1sr/devices/d1.md")[0] == ["s1sr/versions/v2/dmvesm.md#d-d1",
                                                         "s1sr/versions/v1/dmvesm.md#d-d1"]
    assert _switcher(pages, "s1sr/releases/v2.md") == (["s1sr/releases/draft.md", "s1sr/releases/v1.md"], "v2")
    assert _switcher(pages, "s1sr/history/1-s1.md") == (
        ["s1sr/index.md", "s1sr/versions/v2/index.md", "s1sr/versions/v1/index.md"], "")
    # A section another version does not have: that version's home.
    other = _history()
    other[0] = replace(other[0], project=_numbered(clause("s9", clause("z")), version="1"))
    assert _switcher(_pages(other), "s1sr/sections/2-s2.md")[0] == [
        "s1sr/versions/v2/sections/2-s2.md", "s1sr/versions/v1/index.md"]


@pytest.mark.parametrize("prefix", ["s1sr", ""])
def test_every_link_of_the_site_lands_on_a_page_and_anchor(prefix: str) -> None:
    versions = _history()
    pages = _pages(versions, prefix=prefix, downloads=[Download(name="S1SR-v3.docx", size=1, sha256="e" * 64)])
    rendered = {p: _render(t)[1] for p, t in pages.items()}
    files = {f"downloads/{version_file(v.name, f.name)}" for v in versions for f in v.files} | {
        "downloads/S1SR-v3.docx"}
    checked = 0
    for here, parsed in rendered.items():
        for href in parsed.links:
            target, frag = _resolve(here, href)
            if target.startswith("downloads/"):
                assert target in files, f"{here}: {href}"
                continue
            assert target in rendered, f"{here}: {href} → {target}"
            if frag:
                assert frag in rendered[target].ids, f"{here}: {href} has no anchor in {target}"
            checked += 1
    assert checked > 150


def test_page_url_follows_how_mkdocs_names_pages() -> None:
    assert page_url("s1sr/dmvesm.md", "s1sr/sections/1-a.md", "c-x") == "sections/1-a.html#c-x"
    assert page_url("s1sr/versions/v1/dmvesm.md", "s1sr/index.md") == "../../index.html"
    assert page_url("s1sr/dmvesm.md", "s1sr/sections/1-a.md", "c-x", directory_urls=True) == "../sections/1-a/#c-x"
    assert page_url("s1sr/dmvesm.md", "s1sr/index.md", directory_urls=True) == "../"
    assert page_url("index.md", "s1sr/srvs/4.8.1.md", directory_urls=True) == "s1sr/srvs/4.8.1/"
    assert page_url("s1sr/index.md", "s1sr/index.md", directory_urls=True) == "./"


def test_search_is_left_to_the_current_version_and_its_clauses_are_indexed_one_by_one() -> None:
    versions = _history()
    pages = _pages(versions)
    indexed = {p for p, t in pages.items() if "\nsearch:\n  exclude: true" not in t.split("\n---\n")[0]}
    assert indexed == {"s1sr/index.md", "s1sr/devices/index.md", "s1sr/devices/d1.md", "s1sr/srvs/index.md",
                       "s1sr/srvs/4.8.1.md"}
    entries = search_entries(versions)
    draft = versions[-1].project
    by_location = {e["location"]: e for e in entries}
    for c in walk(draft.document.sections):
        page = "s1sr/sections/1-s1.md" if c.number.startswith("1") else "s1sr/sections/2-s2.md"
        assert by_location[f"{page}#c-{c.id}"]["title"] == (c.number if not c.heading else f"{c.number} {c.heading}")
    # The first entry of each page is the page itself (the search groups its clauses under it).
    firsts = [e["location"] for i, e in enumerate(entries) if i == 0 or
              e["location"].split("#")[0] != entries[i - 1]["location"].split("#")[0]]
    assert firsts == ["s1sr/sections/1-s1.md", "s1sr/sections/2-s2.md"]
    assert by_location["s1sr/sections/2-s2.md#c-e"]["text"] == "[Not used]"


def test_search_entries_escape_the_text() -> None:
    p = _numbered(clause("s1", clause("a", text="x <script>alert(1)</script> & y")))
    entry = next(e for e in search_entries([Version(name="", project=p)]) if e["location"].endswith("#c-a"))
    assert entry["text"] == "x &lt;script&gt;alert(1)&lt;/script&gt; &amp; y"


def test_nav_has_the_current_version_then_each_release_with_its_pages() -> None:
    nav = publication_nav(_history())
    (title, entries), = nav[0].items()
    assert title == "S1SR v3"
    assert entries[:6] == ["s1sr/index.md", {"Sections": ["s1sr/sections/1-s1.md", "s1sr/sections/2-s2.md"]},
                           "s1sr/dmvesm.md", "s1sr/devices/index.md", "s1sr/srvs/index.md", "s1sr/clauses.md"]
    assert entries[6] == "s1sr/history/index.md"
    releases = entries[7]["Releases"]  # type: ignore[index]
    assert releases[:2] == ["s1sr/releases/index.md", "s1sr/releases/draft.md"]
    assert releases[2] == {"v2": ["s1sr/releases/v2.md", "s1sr/versions/v2/index.md",
                                      {"Sections": ["s1sr/versions/v2/sections/1-s1.md",
                                                    "s1sr/versions/v2/sections/2-s2.md"]},
                                      "s1sr/versions/v2/dmvesm.md", "s1sr/versions/v2/clauses.md"]}


# -- the clause history -------------------------------------------------------------------------


def _entry(page: str, cid: str) -> str:
    start = page.index(f"{{: #h-{cid} }}")
    end = page.find("\n## ", start)
    return page[start:end if end > 0 else len(page)]


def _rows(entry: str) -> list[list[str]]:
    table = [ln for ln in entry.splitlines() if ln.startswith("| ") and not ln.startswith("| Version")]
    return [[_text(cell) for cell in _html(f"---\n---\n|a|b|c|d|\n|-|-|-|-|\n{row}").split("<td>")[1:]]
            for row in table]


def test_history_gives_each_version_number_text_and_cells() -> None:
    pages = _pages(_history())
    b = _rows(_entry(pages["s1sr/history/1-s1.md"], "b"))
    assert [r[0] for r in b] == ["v1 2023-01-01", "v2 2024-01-01", "Draft 3"]
    assert [r[1].split(" ")[0] for r in b] == ["1.2", "1.3", "1.3"]
    assert "renumbered from 1.2 (not declared)" in b[1][1]
    assert b[0][2] == "Beta applies." and b[1][2] == "Beta applies."  # every version's text
    # The DMVESM: v1's cell cited b, v2's cited the clause that took 1.2, the draft's cites b again.
    assert [r[3] for r in b] == ["SRV 4.8.1: Secure M", "—", "SRV 4.8.1: Secure M"]
    c = _entry(pages["s1sr/history/1-s1.md"], "c")
    assert "Gamma reads <del>old</del><ins>new</ins> words&#46;" in c
    assert _rows(c)[2][2] == "Gamma reads new words."


def test_a_tombstone_says_whose_number_it_was_and_until_when() -> None:
    pages = _pages(_history())
    tomb = _entry(pages["s1sr/history/1-s1.md"], "tomb")
    said = _text(_html("---\n---\n" + tomb))
    assert "1.2 reads [Not used] since v2. Until v1, 2023-01-01 it was the number of clause b" in said
    assert "(#h-b)" in tomb  # the clause that held it, on this page
    e = _text(_html("---\n---\n" + _entry(pages["s1sr/history/2-s2.md"], "e")))
    assert "2.1 reads [Not used] since v2. It was this clause's number, with the text above, until v1" in e
    assert "2023-01-01" in e
    # A clause only the draft has: one row with text, the others "not in this version".
    f = _rows(_entry(pages["s1sr/history/2-s2.md"], "f"))
    assert [r[2] for r in f][:2] == ["not in this version", "not in this version"] and f[2][2] == "Zeta."


def test_a_clause_that_moved_section_is_on_both_history_pages() -> None:
    v1 = _numbered(clause("s1", clause("a"), clause("m", text="Moving.")), clause("s2", clause("b")), version="1")
    draft = _numbered(clause("s1", clause("a")), clause("s2", clause("b"), clause("m", text="Moving.")))
    versions = [Version(name="v1", project=v1, release=release_of(v1, "v1")),
                Version(name="", project=draft, changes=diff_projects(v1, draft, from_label="v1")[0])]
    pages = _pages(versions)
    assert "{: #h-m }" in pages["s1sr/history/1-s1.md"] and "{: #h-m }" in pages["s1sr/history/2-s2.md"]
    assert "also listed with its present section" in _entry(pages["s1sr/history/1-s1.md"], "m")


# -- the release pages --------------------------------------------------------------------------


def test_a_release_page_gives_its_changes_and_its_files_checked() -> None:
    pages = _pages(_history())
    v1 = pages["s1sr/releases/v1.md"]
    assert "The first version on record" in v1
    files = _text(_html(v1))
    assert "S1SR-v1.docx 10 B " + "a" * 64 + " matches" in files
    assert "differs: the release recorded " + "c" * 64 in files
    assert "not recorded" in _text(_html(pages["s1sr/releases/v2.md"]))
    v2 = _text(_html(pages["s1sr/releases/v2.md"]))
    assert "v1 → v2: 1 clause(s) added, 1 removed, 1 amended, 0 moved, 2 renumbered (0 declared, 2 not declared)" in v2
    assert "1.2 → 1.3 b renumbered from 1.2 (not declared)" in v2
    assert "made [Not used]" in v2
    # The DMVESM cell whose citation kept its number but now names other text: both ids shown.
    assert "4.8.1 Secure M changed 1.2 b 1.2 tomb" in v2
    index = _text(_html(pages["s1sr/releases/index.md"]))
    assert index.index("Draft 3") < index.index("v2 ") < index.index("v1 ")
    assert "first on record" in index


def test_the_draft_is_compared_with_its_label_and_links_the_history() -> None:
    pages = _pages(_history())
    draft = pages["s1sr/releases/draft.md"]
    assert "## What changed from v2 {: #changes }" in draft
    assert "(../history/2-s2.md#h-f)" in draft  # the added clause links its history


# -- the DMVESM ---------------------------------------------------------------------------------


class _Matrix(HTMLParser):
    """The DMVESM table read back: (srv, device column) → clause ids linked."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.cells: dict[tuple[str, str], list[str]] = {}
        self._row = ""
        self._col = -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "th" and a.get("data-device"):
            self.columns.append(a["data-device"] or "")
        elif tag == "tr" and a.get("data-srv"):
            self._row, self._col = a["data-srv"] or "", -2
        elif tag in ("td", "th") and self._row:
            self._col += 1
        elif tag == "a" and self._row and self._col >= 0:
            href = a.get("href") or ""
            self.cells.setdefault((self._row, self.columns[self._col]), []).append(href.split("#c-")[1])


def test_the_dmvesm_table_has_every_cell_and_links_its_clauses() -> None:
    devices = ("d1", "d2")
    p = _numbered(clause("s1", clause("a"), clause("b"), clause("c")))
    p = replace(p, devices=(*p.devices, replace(p.devices[0], id="d2", model="<b>N</b>")))
    p = _cells(p, ("4.8.1", "d1", ("a", "c")), ("4.8.1", "d2", ("b",)), ("6.12", "d2", ("c",)))
    pages = _pages([Version(name="", project=p)])
    page = pages["s1sr/dmvesm.md"]
    m = _Matrix()
    m.feed(page)
    assert tuple(m.columns) == devices
    assert m.cells == {("4.8.1", "d1"): ["a", "c"], ("4.8.1", "d2"): ["b"], ("6.12", "d2"): ["c"]}
    assert "<b>N</b>" not in page and "&lt;b&gt;N&lt;/b&gt;" in page
    # The cell with no clause says "no variation", or "N/A" where the SRV does not apply to the model.
    assert page.count('<td class="s1sr-none">–</td>') == 1 and "s1sr-na" not in page.split("<table")[1]
    p = replace(p, devices=(replace(p.devices[0], not_applicable=("6.12",)), p.devices[1]))
    page = _pages([Version(name="", project=p)])["s1sr/dmvesm.md"]
    assert page.count('<td class="s1sr-na">N/A</td>') == 1 and "s1sr-none" not in page.split("<table")[1]
    assert 'id="d-d2"' in page and 'id="s-6.12"' in page
    assert "hide:\n  - toc" in page.split("\n---\n")[0]
    # An SRV no clause varies but a Device Model declares not applicable has its row, as in the
    # workbook: N/A for that model, – for the others, in SRV list order, with no SRV page to link.
    p = replace(p, devices=(replace(p.devices[0], not_applicable=("6.12", "1.1.1")), p.devices[1]))
    page = _pages([Version(name="", project=p)])["s1sr/dmvesm.md"]
    table = page.split("<tbody>")[1]
    # 4.8.1 is the one SRV the project lists; the others follow by number, as in the workbook.
    assert [r.split('data-srv="')[1].split('"')[0] for r in table.split("<tr ")[1:]] == ["4.8.1", "1.1.1", "6.12"]
    row = table.split('id="s-1.1.1"')[1].split("</tr>")[0]
    assert row.count('<td class="s1sr-na">N/A</td>') == 1 and row.count('<td class="s1sr-none">–</td>') == 1
    assert "<a " not in row


def test_a_designated_version_names_devices_and_srvs_by_its_dmvesm() -> None:
    v1 = _numbered(clause("s1", replace(clause("a"), applies_to=(AppliesTo(srvs=("4.8.1",), devices=("d1",)),))),
                   version="1")
    v1 = _cells(v1, ("4.8.1", "d1", ("a",)))
    draft = v1
    versions = [Version(name="v1", project=v1, release=release_of(v1, "v1")), Version(name="", project=draft)]
    page = _pages(versions)["s1sr/versions/v1/sections/1-s1.md"]
    assert "[SRV 4&#46;8&#46;1](../dmvesm.md#s-4.8.1)" in page and "[Secure M](../dmvesm.md#d-d1)" in page


def test_output_is_deterministic() -> None:
    assert _pages(_history()) == _pages(_history())
    assert posixpath.join("releases", "v1", "x") == version_file("v1", "x")


def test_many_sections_are_grouped_in_the_nav() -> None:
    """With the nav pruned, a section page carries its own group of twenty and the groups' titles."""
    few = _numbered(*(clause(f"s{i}", clause(f"c{i}")) for i in range(30)))
    (_, entries), = publication_nav([Version(name="", project=few)])[0].items()
    assert len(entries[1]["Sections"]) == 30  # type: ignore[index]
    many = _numbered(*(clause(f"s{i}", clause(f"c{i}")) for i in range(45)))
    (_, entries), = publication_nav([Version(name="", project=many)])[0].items()
    groups = entries[1]["Sections"]  # type: ignore[index]
    assert [next(iter(g)) for g in groups] == ["1 – 20", "21 – 40", "41 – 45"]
    assert [len(next(iter(g.values()))) for g in groups] == [20, 20, 5]
    assert next(iter(groups[2].values()))[-1] == "s1sr/sections/45-s44.md"


def test_render_site_gives_what_the_separate_functions_give() -> None:
    from generator.writers.publication import render_site

    versions = _history()
    site = render_site(versions, OPTIONS, letters=["s1sr/letters/x.md"])
    assert site.pages == write_publication(versions, OPTIONS, letters=["s1sr/letters/x.md"])
    assert site.nav == publication_nav(versions, letters=["s1sr/letters/x.md"])
    assert site.search == search_entries(versions)
    assert list(site.switchers) == ["s1sr/letters/x.md"] and "versions/v1/index.md" in site.switchers[
        "s1sr/letters/x.md"]
