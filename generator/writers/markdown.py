"""The model as Markdown pages for the MkDocs site.

``write_markdown(project, options)`` returns ``{path: bytes}``: one version's page set: a home
page, one page per section (every clause anchored by its stable id, ``#c-<id>``, and by its
current number, ``#n-<number>``), the DMVESM as a filterable table (``writers.dmvesm_page``), a
page per Device Model, a page per SRV that has variations and an index of all clauses.
``page_nav`` gives the same pages in reading order. ``writers.publication`` puts the page sets of
every version together with the releases and the clause history (``PageSet`` says how a set
links to the rest of that site).

Escaping. Nothing from the source reaches a page as Markdown or HTML syntax: every
ASCII character other than letters, digits, space, ``,`` and ``/`` is written as a numeric
character reference (``<`` as ``&#60;``, ``*`` as ``&#42;``, even ``.`` as ``&#46;`` so that
``www.x.org`` is not auto-linked nor ``...`` made an ellipsis). Python-Markdown passes
character references through untouched and no Markdown extension matches them, so clause
text shows literally whatever extensions the site enables, and the browser (and the search
indexer, which decodes them) sees the original text. Clause blocks are HTML
(``<p markdown="span">``, needs ``md_in_html``) whose only Markdown is what this module
writes: cross-reference links, which MkDocs then checks and rewrites. Page titles go into
the front matter HTML-escaped, because themes print titles as HTML.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias
from urllib.parse import quote

from generator.model import (
    Clause,
    DeviceModel,
    Emph,
    Inline,
    Project,
    SrvRef,
    Term,
    Text,
    Xref,
    cite_map,
    plain_text,
    starts_after,
    walk,
    xref_text,
)
from generator.writers.options import WriterOptions

__all__ = ["DOWNLOADS", "Download", "NavEntry", "PageSet", "page_nav", "write_markdown"]

DOWNLOADS = "downloads"
"""The site folder (at the site root) that a build publishes its output files into."""

NavEntry: TypeAlias = str | dict[str, "list[NavEntry]"]
"""A MkDocs ``nav`` entry: a page path, or ``{section title (plain text): entries}``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Download:
    """A file of this build, published at ``downloads/<name>`` on the site."""

    name: str
    size: int
    sha256: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PageSet:
    """How one version's page set links to the rest of the site (``writers.publication`` fills
    it; the defaults make a site of one version)."""

    # With a page per Device Model and per SRV. A designated version's set has none: its
    # mentions of them link its DMVESM, filtered (``dmvesm.md#d-<id>``, ``#s-<srv>``).
    full: bool = True
    releases: str = ""  # the releases page the home page links ("" for none)
    release_pages: Mapping[str, str] = field(default_factory=dict)  # release name → its page
    history: Mapping[str, str] = field(default_factory=dict)  # section id → its clause history page
    directory_urls: bool = False  # how MkDocs names the pages (for links written as HTML)


# -- escaping ---------------------------------------------------------------------------------

_KEEP = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,/")


def _escape_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(128):  # no Markdown syntax uses a character beyond ASCII: those stay
        ch = chr(code)
        if ch in _KEEP:
            continue
        if ch == "\n":
            table[code] = "<br>"
        elif ch == "\t":
            table[code] = " "
        elif code >= 32 and code != 127:
            table[code] = f"&#{code};"
        else:
            table[code] = None  # other control characters cannot be shown (the reader reports them): dropped
    return table


_ESCAPE = _escape_table()


def _md(text: str) -> str:
    """Source text as inert Markdown + HTML: shows literally, on one line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_ESCAPE)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _front(title: str, *, search: bool = True) -> str:
    # Themes print page titles as HTML: escape once here. JSON strings are YAML strings.
    lines = ["---", f"title: {json.dumps(html.escape(title, quote=True))}"]
    if not search:
        lines.append("search:\n  exclude: true")
    lines += ["---", ""]
    return "\n".join(lines)


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-.") or "x"


def _excerpt(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n / (1024 * 1024):.1f} MB"


_FORMATS = {
    ".docx": "Word document", ".xlsx": "Excel workbook", ".json": "JSON", ".pdf": "PDF",
    ".odt": "OpenDocument text", ".ods": "OpenDocument spreadsheet", ".csv": "CSV", ".zip": "ZIP archive",
}


# -- the site ---------------------------------------------------------------------------------


class _Site:
    """Every page path and lookup, computed once; pages are rendered from it."""

    def __init__(self, project: Project, options: WriterOptions, prefix: str, downloads: Sequence[Download],
                 letters: Sequence[str] = (), links: PageSet | None = None) -> None:
        self.project = project
        self.links = links or PageSet()
        self.letters = tuple(sorted(letters))
        self.options = options
        self.prefix = prefix.strip("/")
        self.downloads = tuple(sorted(downloads, key=lambda d: d.name))
        self.doc = project.document
        self.clauses = list(walk(self.doc.sections))
        self.by_id = {c.id: c for c in self.clauses}
        self.numbers = {c.id: c.number for c in self.clauses}
        self.cites = cite_map(self.doc)
        self.srv_names = {s.number: s.name for s in project.srvs}
        self.devices = {d.id: d for d in project.devices}
        self.groups = {g.id: g for g in project.groups}

        used: set[str] = set()

        def unique(path: str) -> str:
            base, n = path, 2
            while path.lower() in used:
                path = f"{base}-{n}"
                n += 1
            used.add(path.lower())
            return path

        self.section_pages: dict[str, str] = {}
        self.page_of: dict[str, str] = {}
        for s in self.doc.sections:
            stem = f"{_slug(s.number)}-{_slug(s.id)}" if s.number else _slug(s.id)
            path = self.path("sections", unique(f"sections/{stem}").removeprefix("sections/") + ".md")
            self.section_pages[s.id] = path
            for c in walk((s,)):
                self.page_of[c.id] = path

        # The matrix: SRV × Device Model → clause ids (groups already expanded).
        self.by_device: dict[str, dict[str, list[str]]] = {}
        self.by_srv: dict[str, dict[str, list[str]]] = {}
        for cell in project.matrix:
            self.by_device.setdefault(cell.device, {}).setdefault(cell.srv, []).extend(cell.clauses)
            self.by_srv.setdefault(cell.srv, {}).setdefault(cell.device, []).extend(cell.clauses)
        srv_order = {s.number: i for i, s in enumerate(project.srvs)}
        self.srvs = sorted(self.by_srv, key=lambda s: (srv_order.get(s, len(srv_order)), _srv_key(s)))
        # Positions for sorting and for walking only the clauses a page lists (linear, not quadratic).
        self.srv_pos = {s: i for i, s in enumerate(self.srvs)}
        self.dev_pos = {d: i for i, d in enumerate(self.devices)}
        self.clause_pos = {c.id: i for i, c in enumerate(self.clauses)}
        self.srv_pages = {s: self.path("srvs", unique(f"srvs/{_slug(s)}").removeprefix("srvs/") + ".md")
                          for s in self.srvs}
        self.device_pages = {d.id: self.path("devices", unique(f"devices/{_slug(d.id)}").removeprefix("devices/")
                                             + ".md") for d in project.devices}
        self.member_of: dict[str, list[str]] = {}
        for g in project.groups:
            for m in project.group_members.get(g.id, ()):
                self.member_of.setdefault(m, []).append(g.id)
        self.mentions: dict[str, list[str]] = {}
        for c in self.clauses:
            for i in c.text:
                if isinstance(i, SrvRef) and c.id not in self.mentions.get(i.srv, []):
                    self.mentions.setdefault(i.srv, []).append(c.id)

    # paths and links

    def path(self, *parts: str) -> str:
        return posixpath.join(self.prefix, *parts) if self.prefix else posixpath.join(*parts)

    @staticmethod
    def rel(here: str, target: str) -> str:
        return _relpath(target, posixpath.dirname(here) or ".")

    def link(self, here: str, target: str, text_md: str, anchor: str = "") -> str:
        url = quote(self.rel(here, target), safe="/._-") if target != here else ""
        return f"[{text_md}]({url}{'#' + anchor if anchor else ''})"

    def clause_link(self, here: str, cid: str, shown: str = "") -> str:
        c = self.by_id.get(cid)
        if c is None:  # a release's matrix may cite a clause the draft no longer has
            return _md(cid)
        return self.link(here, self.page_of[cid], _md(shown or c.number or c.id), f"c-{cid}")

    def srv_text(self, here: str, srv: str, text: str | None = None) -> str:
        shown = _md(text if text is not None else f"SRV {srv}")
        if srv not in self.srv_pages:
            return shown
        if not self.links.full:
            return self.link(here, self.path("dmvesm.md"), shown, f"s-{srv}")
        return self.link(here, self.srv_pages[srv], shown)

    def device_text(self, here: str, did: str) -> str:
        d = self.devices.get(did)
        if d is not None and not self.links.full:
            return self.link(here, self.path("dmvesm.md"), _md(_device_name(d)), f"d-{did}")
        if d is not None:
            return self.link(here, self.device_pages[did], _md(_device_name(d)))
        g = self.groups.get(did)
        if g is not None and self.links.full:
            return self.link(here, self.path("devices", "index.md"), _md(g.name or g.id), f"g-{g.id}")
        return _md(g.name or g.id) if g is not None else _md(did)

    def inline(self, here: str, nodes: Iterable[Inline]) -> str:
        out: list[str] = []
        start = True  # whether the next citation starts a sentence (and is capitalised)
        for n in nodes:
            if isinstance(n, Xref):
                shown = xref_text(n, self.numbers, self.cites, start=start)
                out.append(self.clause_link(here, n.target, shown))
                start = starts_after(start, shown)
                continue
            start = starts_after(start, n.text)
            if isinstance(n, Term):
                out.append(f'<strong class="s1sr-term">{_md(n.text)}</strong>')
            elif isinstance(n, Emph):
                out.append(f"<em>{_md(n.text)}</em>")
            elif isinstance(n, SrvRef):
                out.append(self.srv_text(here, n.srv, n.text))
            elif isinstance(n, Text):
                out.append(_md(n.text))
        return "".join(out)

    def summary(self, c: Clause) -> str:
        """Heading, else the start of the text: plain text for lists of clauses."""
        if c.not_used:
            return "[Not used]"
        return c.heading or _excerpt(plain_text(c.text, self.numbers, self.cites)) or ""

    # pages

    def pages(self) -> dict[str, str]:
        out: dict[str, str] = {self.path("index.md"): self.home()}
        for s in self.doc.sections:
            out[self.section_pages[s.id]] = self.section(s)
        out[self.path("clauses.md")] = self.clause_index()
        from generator.writers.dmvesm_page import dmvesm_page  # it renders from this registry

        out[self.path("dmvesm.md")] = dmvesm_page(self)
        if not self.links.full:
            return out
        out[self.path("devices", "index.md")] = self.device_index()
        for d in self.project.devices:
            out[self.device_pages[d.id]] = self.device(d)
        out[self.path("srvs", "index.md")] = self.srv_index()
        for srv in self.srvs:
            out[self.srv_pages[srv]] = self.srv(srv)
        return out

    def nav(self) -> list[NavEntry]:
        d = self.doc
        title = f"{d.short_title or d.title} {('v' + d.version) if d.version else ''}".strip()
        sections: list[NavEntry] = [self.section_pages[s.id] for s in d.sections]
        entries: list[NavEntry] = [self.path("index.md"), {"Sections": sections}, self.path("dmvesm.md")]
        if self.links.full:
            entries += [self.path("devices", "index.md"), self.path("srvs", "index.md")]
        entries.append(self.path("clauses.md"))
        if self.links.releases:
            entries.append(self.links.releases)
        if self.letters:
            letters: list[NavEntry] = list(self.letters)
            entries.append({"Letters": letters})
        return [{title: entries}]

    def home(self) -> str:
        here = self.path("index.md")
        d = self.doc
        lines = [_front("Overview"), f"# {_md(d.title)} {{: #document }}", ""]
        facts: list[tuple[str, str]] = []
        if d.appendix:
            facts.append(("Document", _md(f"{d.appendix}, {d.title}" + (f" ({d.short_title})" if d.short_title else ""))))
        facts.append(("Version", _md(d.version)))
        facts.append(("Status", _md(d.status.capitalize())))
        if self.options.date:
            facts.append(("Date", _md(self.options.date)))
        baseline = self.project.baseline
        if baseline is not None and d.status != "designated":
            page = self.links.release_pages.get(baseline.name)
            facts.append(("Numbered against", self.link(here, page, _md(baseline.name)) if page else _md(baseline.name)))
        if self.options.source_hash:
            facts.append(("Source", f"<code>{_attr(self.options.source_hash)}</code>"))
        lines += [f"- **{k}:** {v}" for k, v in facts]
        lines += ["", "## Downloads {: #downloads }", ""]
        if self.downloads:
            lines += ["| File | Format | Size | SHA-256 |", "|---|---|---|---|"]
            for dl in self.downloads:
                fmt = _FORMATS.get(posixpath.splitext(dl.name)[1].lower(), "")
                url = quote(self.rel(here, posixpath.join(DOWNLOADS, dl.name)), safe="/._-")
                lines.append(f"| [{_md(posixpath.basename(dl.name))}]({url}) | {_md(fmt)} | {_md(_size(dl.size))} | "
                             f"<code>{_attr(dl.sha256[:16])}</code> |")
        else:
            lines.append("This preview has no downloads: `s1sr build` publishes the documents it writes here.")
        if self.letters:
            lines += ["", "## Letters {: #letters }", ""]
            lines += [f"- {self.link(here, p, _md(posixpath.splitext(posixpath.basename(p))[0]))}"
                      for p in self.letters]
        lines += ["", "## Contents {: #contents }", "", "| Section | Heading |", "|---|---|"]
        for s in d.sections:
            lines.append(f"| {self.link(here, self.section_pages[s.id], _md(s.number or s.id))} | "
                         f"{_md(self.summary(s))} |")
        lines += ["", f"- {self.link(here, self.path('dmvesm.md'), 'The DMVESM')} (Annex A): which clauses describe "
                  "each Device Model's variation for each SRV, as a table to filter."]
        if self.links.full:
            lines += [
                f"- {self.link(here, self.path('devices', 'index.md'), 'Device Models')}: the clauses and SRVs "
                f"that apply to each of the {len(self.project.devices)} Device Models.",
                f"- {self.link(here, self.path('srvs', 'index.md'), 'SRVs with variations')}: "
                f"{len(self.srvs)} SRVs, each with the Device Models and clauses that vary it."]
        lines.append(f"- {self.link(here, self.path('clauses.md'), 'All clauses')} by number.")
        if self.links.releases:
            lines.append(f"- {self.link(here, self.links.releases, 'Releases')}: every designated version, what "
                         "each changed and its files.")
        lines.append("")
        return "\n".join(lines)

    def section(self, s: Clause) -> str:
        here = self.section_pages[s.id]
        lines = [_front(f"{s.number} {s.heading}".strip() if s.heading else s.number or s.id),
                 f'# <span id="n-{_attr(s.number)}"></span>{_md(s.number)} {_md(s.heading)} {{: #c-{s.id} }}', ""]
        history = self.links.history.get(s.id)
        if history:
            # The site's script gives each clause its own link into this page (``#h-<id>``).
            lines += [f'<p class="s1sr-history-link" markdown="span">'
                      f'{self.link(here, history, "History of these clauses")}: their numbers and text in '
                      "every release.</p>", ""]
        lines += self.clause_body(here, s, headed=True)
        if s.id == self.doc.matrix_annex:  # this annex is the DMVESM: the site shows it as a table
            lines += [f'<p class="s1sr-matrix-link" markdown="span">The matrix itself: '
                      f'{self.link(here, self.path("dmvesm.md"), "the DMVESM as a table to filter")}.</p>', ""]
        for c in walk(s.children):
            lines += self.clause(here, c)
        return "\n".join(lines)

    def clause(self, here: str, c: Clause) -> list[str]:
        level = max(c.level, 1)
        if c.heading:
            h = "#" * min(level, 6)
            out = [f'{h} <span id="n-{_attr(c.number)}"></span>{_md(c.number)} {_md(c.heading)} {{: #c-{c.id} }}',
                   ""]
            return out + self.clause_body(here, c, headed=True)
        return self.clause_body(here, c, headed=False)

    def clause_body(self, here: str, c: Clause, *, headed: bool) -> list[str]:
        level = max(c.level, 1)
        cls = f"s1sr-clause s1sr-l{level}" + (" s1sr-not-used" if c.not_used else "")
        marker = "" if headed else (f'<a class="s1sr-num" id="c-{_attr(c.id)}" href="#c-{_attr(c.id)}">'
                                    f'<span id="n-{_attr(c.number)}"></span>{_md(c.number)}</a> ')
        text = "[Not used]" if c.not_used else ""
        body = _md(text) if c.not_used else self.inline(here, c.text)
        out: list[str] = []
        if marker or body:
            out += [f'<p class="{cls}" markdown="span">{marker}{body}</p>', ""]
        if c.table is not None and not c.not_used:
            out += [f'<div class="s1sr-table s1sr-l{level}"><table>']
            if c.table.header:
                out.append("<thead><tr>" + "".join(f"<th>{_cell(h)}</th>" for h in c.table.header)
                           + "</tr></thead>")
            out.append("<tbody>")
            out += ["<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in c.table.rows]
            out += ["</tbody></table></div>", ""]
        if c.applies_to and not c.not_used:
            for a in c.applies_to:
                srvs = ", ".join(self.srv_text(here, s) for s in a.srvs)
                devs = ", ".join(self.device_text(here, d) for d in a.devices)
                out += [f'<p class="s1sr-applies s1sr-l{level}" markdown="span">Applies to {srvs}: {devs}</p>', ""]
        return out

    def clause_index(self) -> str:
        here = self.path("clauses.md")
        lines = [_front("All clauses", search=False), "# All clauses {: #clauses }", "",
                 "Every clause of this version by its current number. A link to "
                 f"<code>{_attr(posixpath.basename(here).removesuffix('.md'))}.html#c-&lt;id&gt;</code> "
                 "(by stable id) opens the clause on its section page.", "",
                 '<div class="s1sr-clause-index" markdown="block">', "",
                 "| Number | Clause | Id |", "|---|---|---|"]
        for c in self.clauses:
            anchor = f'<span id="c-{_attr(c.id)}"></span>'
            # A number left [Not used] has no id a drafter could cite.
            ident = "" if c.vacated_by else f"<code>{_attr(c.id)}</code>"
            lines.append(f"| {anchor}{self.clause_link(here, c.id)} | {_md(self.summary(c))} | {ident} |")
        lines += ["", "</div>", ""]
        return "\n".join(lines)

    def device_index(self) -> str:
        here = self.path("devices", "index.md")
        lines = [_front("Device Models"), "# Device Models {: #devices }", "",
                 "Each Device Model's page lists the SRVs for which it varies and the clauses that say how.", "",
                 "| Device Model | Type | Cohort | SRVs | Clauses |", "|---|---|---|---|---|"]
        for d in self.project.devices:
            cells = self.by_device.get(d.id, {})
            n_clauses = len({cid for ids in cells.values() for cid in ids})
            lines.append(f"| {self.link(here, self.device_pages[d.id], _md(_device_name(d)))} | "
                         f"{_md(d.device_type)} | {_md(d.cohort)} | {len(cells)} | {n_clauses} |")
        if self.project.groups:
            lines += ["", "## Groups {: #groups }", "",
                      "Clauses may name a group instead of each Device Model in it.", ""]
            for g in self.project.groups:
                members = self.project.group_members.get(g.id, ())
                links = ", ".join(self.device_text(here, m) for m in members) or "(no Device Models)"
                lines += [f'- <span id="g-{_attr(g.id)}"></span>**{_md(g.name or g.id)}** '
                          f"(<code>{_attr(g.id)}</code>): {links}"]
        lines.append("")
        return "\n".join(lines)

    def device(self, d: DeviceModel) -> str:
        here = self.device_pages[d.id]
        name = _device_name(d)
        lines = [_front(name), f"# {_md(name)} {{: #device }}", ""]
        facts = [("Manufacturer", d.manufacturer), ("Model", d.model), ("Device type", d.device_type),
                 ("Cohort", d.cohort), ("Firmware", d.firmware), ("Id", d.id)]
        lines += [f"- **{k}:** {_md(v)}" for k, v in facts if v]
        groups = self.member_of.get(d.id, [])
        if groups:
            lines.append("- **Groups:** " + ", ".join(self.device_text(here, g) for g in groups))
        cells = self.by_device.get(d.id, {})
        lines += ["", "## Variations by SRV {: #srvs }", ""]
        if cells:
            lines += ["| SRV | Name | Clauses |", "|---|---|---|"]
            for srv in sorted(cells, key=self.srv_pos.__getitem__):
                clauses = ", ".join(self.clause_link(here, cid) for cid in _unique(cells[srv]))
                lines.append(f"| {self.srv_text(here, srv, srv)} | {_md(self.srv_names.get(srv, ''))} | {clauses} |")
        else:
            lines.append("No clause describes a variation for this Device Model.")
        ids = {cid for ids in cells.values() for cid in ids}
        lines += ["", "## Clauses that apply {: #clauses }", ""]
        srvs_of: dict[str, set[str]] = {}
        for s_, cids in cells.items():
            for cid in cids:
                srvs_of.setdefault(cid, set()).add(s_)
        for cid in sorted(ids, key=self.clause_pos.__getitem__):
            c = self.by_id[cid]
            lines.append(f"- {self.clause_link(here, c.id)} {_md(self.summary(c))} "
                         f"(SRV {', '.join(_md(s) for s in sorted(srvs_of[cid], key=self.srv_pos.__getitem__))})")
        if not ids:
            lines.append("None.")
        lines.append("")
        return "\n".join(lines)

    def srv_index(self) -> str:
        here = self.path("srvs", "index.md")
        lines = [_front("SRVs with variations"), "# SRVs with variations {: #srvs }", "",
                 "The DUIS Service Reference Variants for which at least one Device Model varies.", "",
                 "| SRV | Name | Device Models | Clauses |", "|---|---|---|---|"]
        for srv in self.srvs:
            cells = self.by_srv[srv]
            n_clauses = len({cid for ids in cells.values() for cid in ids})
            lines.append(f"| {self.srv_text(here, srv, srv)} | {_md(self.srv_names.get(srv, ''))} | "
                         f"{len(cells)} | {n_clauses} |")
        lines.append("")
        return "\n".join(lines)

    def srv(self, srv: str) -> str:
        here = self.srv_pages[srv]
        name = self.srv_names.get(srv, "")
        title = f"SRV {srv} {name}".strip()
        lines = [_front(title), f"# {_md(title)} {{: #srv }}", "",
                 "| Device Model | Clauses |", "|---|---|"]
        cells = self.by_srv[srv]
        for did in sorted(cells, key=lambda x: self.dev_pos.get(x, len(self.dev_pos))):
            clauses = ", ".join(self.clause_link(here, cid) for cid in _unique(cells[did]))
            lines.append(f"| {self.device_text(here, did)} | {clauses} |")
        ids = _unique(cid for ids in cells.values() for cid in ids)
        lines += ["", "## Clauses {: #clauses }", ""]
        for cid in sorted(ids, key=self.clause_pos.__getitem__):
            lines.append(f"- {self.clause_link(here, cid)} {_md(self.summary(self.by_id[cid]))}")
        mentions = [cid for cid in self.mentions.get(srv, []) if cid not in ids]
        if mentions:
            lines += ["", "## Also mentioned in {: #mentions }", ""]
            lines += [f"- {self.clause_link(here, cid)} {_md(self.summary(self.by_id[cid]))}" for cid in mentions]
        lines.append("")
        return "\n".join(lines)


@functools.lru_cache(maxsize=65536)
def _relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` remembered: a site links the same few folders thousands of times, and
    each ``relpath`` asks the operating system for the working directory twice."""
    return posixpath.relpath(target, start)


def _cell(value: str) -> str:
    return html.escape(value, quote=True).replace("\n", "<br>")


def _device_name(d: DeviceModel) -> str:
    return f"{d.manufacturer} {d.model}".strip()


def _srv_key(srv: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in srv.split("."))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# -- entry points -----------------------------------------------------------------------------


def write_markdown(project: Project, options: WriterOptions, *, prefix: str = "s1sr",
                   downloads: Sequence[Download] = (), letters: Sequence[str] = (),
                   links: PageSet | None = None) -> dict[str, bytes]:
    """One version's pages, ``{path under the docs folder: UTF-8 Markdown}``.

    ``prefix`` is the folder the pages live in (``""`` for the site root); ``downloads``
    are the files the build publishes under ``downloads/``, and ``letters`` the paths of
    pages the build publishes besides (its change letters), both linked from the home page;
    ``links`` says how the set links to the rest of a site of several versions.
    """
    site = _Site(project, options, prefix, downloads, letters, links)
    return {path: text.encode("utf-8") for path, text in site.pages().items()}


def page_nav(project: Project, *, prefix: str = "s1sr", letters: Sequence[str] = (),
             links: PageSet | None = None) -> list[NavEntry]:
    """The generated pages for the site's nav, in reading order, as MkDocs ``nav`` entries.

    Titles are plain text. The page of each Device Model and SRV is left out (there can be
    a hundred; every page carries the nav): the two index pages link them.
    """
    return _Site(project, WriterOptions(), prefix, (), letters, links).nav()
