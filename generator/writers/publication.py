"""The published S1SR site: every version's pages, the releases and the clause history.

``write_publication(versions, options)`` puts together, under one prefix:

- the current version (the draft, or the release a site is built for) at the prefix itself:
  ``index.md``, ``sections/…``, ``dmvesm.md``, ``devices/…``, ``srvs/…``, ``clauses.md``
  (``writers.markdown``);
- each earlier designated version as it was designated, under ``versions/<name>/``: its home,
  sections, DMVESM and clause index (its mentions of Device Models and SRVs link its DMVESM);
- ``releases/index.md`` and a page per version saying what it changed from the one before (as
  ``s1sr diff`` gives it) with its files to download (``writers.release_pages``);
- ``history/index.md`` and a page per section with each clause's number, text and DMVESM cells
  in every version (``writers.history_pages``).

Every page starts with the version switcher: a link to the same page (or the nearest one) in
every other version, which the site's script turns into a menu. Which pages the search plugin
indexes is written into each page's front matter: the current version's section pages are
indexed clause by clause from the model instead (``search_entries``), so a clause number finds
its clause first; the other versions, the history and the releases are left out of search.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypedDict

from generator.model import Clause, Project, Release, plain_text, walk
from generator.model.diff import Changes
from generator.writers.markdown import (
    Download,
    NavEntry,
    PageSet,
    _md,
    _Site,
    _slug,
)
from generator.writers.options import WriterOptions

__all__ = ["RELEASE_DOWNLOADS", "SearchEntry", "Site", "Version", "VersionFile", "publication_nav", "render_site",
           "search_entries", "version_file", "version_switcher", "write_publication"]

RELEASE_DOWNLOADS = "releases"
"""The folder under ``downloads/`` that holds each release's files, one folder per release."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionFile:
    """A file of a designated version, rendered from its snapshot."""

    name: str
    size: int
    sha256: str  # of the file as rendered now
    recorded: str = ""  # the SHA-256 the release recorded when it was made ("" when it recorded none)


@dataclass(frozen=True, slots=True, kw_only=True)
class Version:
    """One version the site publishes: a release as designated, or the draft (``name`` "")."""

    name: str
    project: Project
    release: Release | None = None
    changes: Changes | None = None  # from the version before it (``changes.from_label``)
    files: tuple[VersionFile, ...] = ()

    @property
    def label(self) -> str:
        return self.name or "draft"

    @property
    def title(self) -> str:
        d = self.project.document
        if self.name:
            return f"{self.name} ({d.version})" if d.version and d.version not in self.name else self.name
        return f"{d.status.capitalize()} {d.version}".strip()

    @property
    def date(self) -> str:
        return self.release.date if self.release else self.project.document.date


class SearchEntry(TypedDict):
    """An entry of the search index, as Material for MkDocs writes them; ``location`` is the
    page's path under the docs folder (the plugin turns it into the page's URL), with a fragment."""

    location: str
    title: str
    text: str


def version_file(version: str, name: str) -> str:
    """Where a release's file is published, under ``downloads/``."""
    return posixpath.join(RELEASE_DOWNLOADS, _slug(version), name)


# -- the registry ---------------------------------------------------------------------------------


class _Publication:
    """Every page path of the site, and every version's page set, computed once."""

    def __init__(self, versions: Sequence[Version], options: WriterOptions, prefix: str,
                 downloads: Sequence[Download], letters: Sequence[str], directory_urls: bool) -> None:
        if not versions:
            raise ValueError("a publication has at least one version")
        self.versions = tuple(versions)
        self.current = self.versions[-1]
        self.options = options
        self.prefix = prefix.strip("/")
        self.letters = tuple(sorted(letters))
        self.directory_urls = directory_urls
        self.releases_index = self.path("releases", "index.md")
        names = _unique_stems(_slug(v.label) for v in self.versions)
        self.release_pages = {v.label: self.path("releases", n + ".md") for v, n in zip(self.versions, names, strict=True)}
        self.folders = {v.label: (self.prefix if v is self.current else self.path("versions", n))
                        for v, n in zip(self.versions, names, strict=True)}
        self.history_index = self.path("history", "index.md")
        self.history_pages = self._history_pages()
        release_pages = {v.name: self.release_pages[v.label] for v in self.versions if v.name}
        self.sites: dict[str, _Site] = {}
        for v in self.versions:
            here = v is self.current
            files = downloads if here else [Download(name=version_file(v.name, f.name), size=f.size, sha256=f.sha256)
                                            for f in v.files]
            links = PageSet(full=here, releases=self.releases_index, release_pages=release_pages,
                            history=self.history_pages, directory_urls=directory_urls)
            self.sites[v.label] = _Site(v.project, options, self.folders[v.label], files,
                                        self.letters if here else (), links)

    def path(self, *parts: str) -> str:
        return posixpath.join(self.prefix, *parts) if self.prefix else posixpath.join(*parts)

    def site(self, v: Version) -> _Site:
        return self.sites[v.label]

    def _history_pages(self) -> dict[str, str]:
        """A history page per section id of any version, named after its latest number."""
        latest: dict[str, str] = {}  # section id → its latest number
        for v in reversed(self.versions):
            for s in v.project.document.sections:
                latest.setdefault(s.id, s.number)
        stems = _unique_stems(f"{_slug(n)}-{_slug(sid)}" if n else _slug(sid) for sid, n in latest.items())
        return {sid: self.path("history", stem + ".md") for sid, stem in zip(latest, stems, strict=True)}

    # -- the version switcher -------------------------------------------------------------------

    def equivalents(self) -> dict[str, tuple[str, str]]:
        """Every page of the version page sets → (what it shows, its key): how the switcher finds
        the same page in another version."""
        out: dict[str, tuple[str, str]] = {}
        for site in self.sites.values():
            out[site.path("index.md")] = ("index", "")
            out[site.path("clauses.md")] = ("clauses", "")
            out[site.path("dmvesm.md")] = ("dmvesm", "")
            for sid, p in site.section_pages.items():
                out[p] = ("section", sid)
            if site.links.full:
                out[site.path("devices", "index.md")] = ("devices", "")
                out[site.path("srvs", "index.md")] = ("srvs", "")
                for did, p in site.device_pages.items():
                    out[p] = ("device", did)
                for srv, p in site.srv_pages.items():
                    out[p] = ("srv", srv)
        return out

    def counterpart(self, site: _Site, kind: str, key: str) -> tuple[str, str]:
        """The page of ``site`` that shows what ``kind``/``key`` shows in another version, with an anchor."""
        if kind == "section" and key in site.section_pages:
            return site.section_pages[key], ""
        if kind in ("clauses", "dmvesm"):
            return site.path(f"{kind}.md"), ""
        if kind in ("devices", "srvs"):
            return (site.path(kind, "index.md"), "") if site.links.full else (site.path("dmvesm.md"), "")
        if kind == "device" and key in site.devices:
            return (site.device_pages[key], "") if site.links.full else (site.path("dmvesm.md"), f"d-{key}")
        if kind == "srv" and key in site.srv_pages:
            return (site.srv_pages[key], "") if site.links.full else (site.path("dmvesm.md"), f"s-{key}")
        return site.path("index.md"), ""

    def switcher(self, here: str, shows: tuple[str, str] | None, reading: str) -> str:
        """The version switcher for the page ``here``: newest version first."""
        if len(self.versions) < 2:
            return ""
        links = []
        for v in reversed(self.versions):
            site = self.site(v)
            if v.label == reading:  # the version this page belongs to
                links.append(f'<strong class="s1sr-current">{_md(v.title)}</strong>')
                continue
            if shows and shows[0] == "release":
                target, anchor = self.release_pages[v.label], ""
            else:
                target, anchor = self.counterpart(site, *shows) if shows else (site.path("index.md"), "")
            links.append(site.link(here, target, _md(v.title), anchor))
        return ('<div class="s1sr-versions" markdown="span" data-search-exclude>Version: '
                + " · ".join(links) + "</div>\n\n")

    # -- pages ----------------------------------------------------------------------------------

    def pages(self) -> dict[str, str]:
        from generator.writers.history_pages import history_pages
        from generator.writers.release_pages import release_pages

        shows = self.equivalents()
        indexed = self.indexed()
        out: dict[str, str] = {}
        for v in self.versions:
            for path, text in self.site(v).pages().items():
                out[path] = _dress(text, self.switcher(path, shows.get(path), v.label), path in indexed)
        # A release's page switches to the other releases' pages; the history belongs to no one version.
        of_release = {page: label for label, page in self.release_pages.items()}
        for path, text in (release_pages(self) | history_pages(self)).items():
            label = of_release.get(path, "")
            out[path] = _dress(text, self.switcher(path, ("release", label) if label else None, label),
                               path in indexed)
        return out

    def indexed(self) -> set[str]:
        """The pages the search plugin indexes itself: the current version's pages but its
        sections (``search_entries`` indexes those clause by clause) and its DMVESM."""
        site = self.site(self.current)
        out = {site.path("index.md"), site.path("devices", "index.md"), site.path("srvs", "index.md")}
        out |= set(site.device_pages.values()) | set(site.srv_pages.values())
        return out

    def nav(self) -> list[NavEntry]:
        cur = self.site(self.current)
        d = self.current.project.document
        title = f"{d.short_title or d.title} {('v' + d.version) if d.version else ''}".strip()
        entries: list[NavEntry] = [cur.path("index.md"), {"Sections": _chunked(cur, d.sections)},
                                   cur.path("dmvesm.md"), cur.path("devices", "index.md"), cur.path("srvs", "index.md"),
                                   cur.path("clauses.md")]
        entries.append(self.history_index)
        releases: list[NavEntry] = [self.releases_index]
        for v in reversed(self.versions):
            if v is self.current:
                releases.append(self.release_pages[v.label])
                continue
            site = self.site(v)
            group: list[NavEntry] = [self.release_pages[v.label], site.path("index.md"),
                                     {"Sections": _chunked(site, v.project.document.sections)},
                                     site.path("dmvesm.md"), site.path("clauses.md")]
            releases.append({v.title: group})
        entries.append({"Releases": releases})
        if self.letters:
            entries.append({"Letters": list(self.letters)})
        return [{title: entries}]

    def search(self) -> list[SearchEntry]:
        site = self.site(self.current)
        numbers = site.numbers
        out: list[SearchEntry] = []
        for s in site.doc.sections:
            page = site.section_pages[s.id]
            # The first entry of a page is the page itself (the search groups results under it).
            out.append({"location": page, "title": html.escape(f"{s.number} {s.heading}".strip()), "text": ""})
            for c in walk((s,)):
                title = f"{c.number} {c.heading}".strip() if c.heading else c.number or c.id
                text = "[Not used]" if c.not_used else plain_text(c.text, numbers)
                applies = "; ".join(
                    f"Applies to {', '.join('SRV ' + x for x in a.srvs)}: "
                    + ", ".join(_device_name(site, d) for d in a.devices) for a in c.applies_to)
                if c.table is not None and not c.not_used:
                    text += " " + " ".join(" ".join(r) for r in (c.table.header, *c.table.rows))
                out.append({"location": f"{page}#c-{c.id}", "title": html.escape(title),
                            "text": html.escape(" ".join(f"{text} {applies}".split()))})
        return out


NAV_CHUNK = 20
"""Sections per group of the nav, where a version has more than ``NAV_CHUNK * 3 // 2``: with the
nav pruned, a section page then carries its own group and the other groups' titles, not every
section of the document."""


def _chunked(site: _Site, sections: Sequence[Clause]) -> list[NavEntry]:
    pages: list[NavEntry] = [site.section_pages[s.id] for s in sections]
    if len(sections) <= NAV_CHUNK * 3 // 2:
        return pages
    out: list[NavEntry] = []
    for i in range(0, len(sections), NAV_CHUNK):
        first, last = sections[i], sections[min(i + NAV_CHUNK, len(sections)) - 1]
        out.append({f"{first.number or first.id} – {last.number or last.id}": pages[i:i + NAV_CHUNK]})
    return out


def _unique_stems(stems: Iterable[str]) -> list[str]:
    """File names that differ even on a case-insensitive file system; ``index`` is taken."""
    used = {"index"}
    out = []
    for stem in stems:
        base, n = stem, 2
        while stem.lower() in used:
            stem = f"{base}-{n}"
            n += 1
        used.add(stem.lower())
        out.append(stem)
    return out


def _device_name(site: _Site, did: str) -> str:
    d = site.devices.get(did)
    if d is not None:
        return f"{d.manufacturer} {d.model}".strip()
    g = site.groups.get(did)
    return (g.name or g.id) if g is not None else did


def _dress(text: str, switcher: str, indexed: bool) -> str:
    """A page with the version switcher after its front matter, and kept out of the search
    index unless ``indexed``."""
    if not text.startswith("---\n"):
        raise ValueError("a generated page starts with its front matter")
    end = text.index("\n---\n", 3)
    front, body = text[:end + 1], text[end + 5:].lstrip("\n")
    if not indexed and "\nsearch:" not in front:
        front += "search:\n  exclude: true\n"
    return f"{front}---\n\n{switcher}{body}"


# -- entry points -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """Everything the site is made of, from one pass over the versions (what the plugin needs)."""

    pages: dict[str, bytes]  # see ``write_publication``
    nav: list[NavEntry]  # see ``publication_nav``
    search: list[SearchEntry]  # see ``search_entries``
    switchers: dict[str, str]  # page this module did not write (a letter) → its version switcher


def render_site(versions: Sequence[Version], options: WriterOptions, *, prefix: str = "s1sr",
                downloads: Sequence[Download] = (), letters: Sequence[str] = (), directory_urls: bool = False) -> Site:
    """The pages, the nav, the search entries and the letters' switchers of the site, at once."""
    pub = _Publication(versions, options, prefix, downloads, letters, directory_urls)
    return Site(pages={path: text.encode("utf-8") for path, text in pub.pages().items()}, nav=pub.nav(),
                search=pub.search(), switchers={page: pub.switcher(page, None, "") for page in pub.letters})


def write_publication(versions: Sequence[Version], options: WriterOptions, *, prefix: str = "s1sr",
                      downloads: Sequence[Download] = (), letters: Sequence[str] = (),
                      directory_urls: bool = False) -> dict[str, bytes]:
    """Every generated page of the site, ``{path under the docs folder: UTF-8 Markdown}``.

    ``versions`` are oldest first; the last is the one the site is for (its pages sit at
    ``prefix``). ``downloads`` are the current version's files (``downloads/<name>``); each
    earlier version's files are published at ``downloads/`` + ``version_file(name, file)``.
    """
    pub = _Publication(versions, options, prefix, downloads, letters, directory_urls)
    return {path: text.encode("utf-8") for path, text in pub.pages().items()}


def publication_nav(versions: Sequence[Version], *, prefix: str = "s1sr", letters: Sequence[str] = ()
                    ) -> list[NavEntry]:
    """The site's generated nav: the current version, its history, the releases (each earlier
    version's pages under its release), the letters. The pages of each Device Model and SRV and
    each history page are reached from their index pages, not from the nav."""
    return _Publication(versions, WriterOptions(), prefix, (), letters, False).nav()


def version_switcher(versions: Sequence[Version], here: str, *, prefix: str = "s1sr") -> str:
    """The switcher (Markdown) for a page of the site that this module did not write, such as a
    letter the build publishes: it leads to each version's home."""
    return _Publication(versions, WriterOptions(), prefix, (), (), False).switcher(here, None, "")


def search_entries(versions: Sequence[Version], *, prefix: str = "s1sr") -> list[SearchEntry]:
    """An entry per clause of the current version (its number as the title, its text, what it
    applies to), for the site's search index; the first entry of each page is the page."""
    return _Publication(versions, WriterOptions(), prefix, (), (), False).search()

