"""The MkDocs plugin ``s1sr``: the S1SR pages, generated from the clause source at build time.

A thin adapter. ``on_config`` loads the content folder through ``generator.app.api`` (a source
with errors fails the build with the findings, no traceback), reads every release on record
(``generator.app.publication``) and renders the pages with ``generator.writers.publication``:
the current version, every designated version with its files, the releases, the clause
history. ``on_files`` adds them (and the build's downloads) as generated files and puts them in
the nav, where the nav names ``<prefix>/index.md``, else after the home page; ``on_post_build``
adds an entry per clause to the search index; ``on_serve`` watches the source. Nothing is
written into ``docs/``. Every page is stamped with the source's date, so two builds give the
same bytes.

```yaml
plugins:
  - search
  - s1sr:
      content: content      # the clause source folder, relative to mkdocs.yml
      prefix: s1sr          # the folder of the generated pages ("" for the site root)
      downloads: ""         # a folder of built outputs to publish under downloads/ (their
                            # Markdown, the change letters, becomes pages under <prefix>/letters/)
      release: ""           # render a designated release instead of the draft
      release_files: false  # also render every release's files from its snapshot, to download
                            # (s1sr build always publishes them: it renders documents anyway)
      offline: true         # no web fonts, file URLs, and search that works from files
      prune_nav: true       # Material's navigation.prune: each page carries only its part of the nav
      document: true        # false: no S1SR pages (a site of docs/ alone, e.g. the user guide)
      rules: false          # add the finding-code reference (rules/index.md, rules/S1SR103.md, …)
```

This module alone imports MkDocs; ``build_site`` runs a build programmatically for
``s1sr build``.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import posixpath
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.utils import nest_paths

from generator.app import api
from generator.diagnostics import Diagnostic, Location, Severity
from generator.diagnostics.emit.text import emit_text
from generator.errors import S1SRError, WriteError
from generator.writers.markdown import DOWNLOADS, Download, NavEntry
from generator.writers.publication import SearchEntry, render_site, version_file

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from generator.app.publication import Published
    from generator.model import Project

__all__ = ["S1SRConfig", "S1SRPlugin", "build_site"]

log = get_plugin_logger("s1sr")

_ASSETS = "assets/s1sr"
_REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "toc")


class S1SRConfig(base.Config):  # type: ignore[no-untyped-call]
    content = c.Type(str, default="content")
    prefix = c.Type(str, default="s1sr")
    downloads = c.Type(str, default="")
    release = c.Type(str, default="")
    release_files = c.Type(bool, default=False)
    offline = c.Type(bool, default=True)
    prune_nav = c.Type(bool, default=True)
    document = c.Type(bool, default=True)
    rules = c.Type(bool, default=False)


class S1SRPlugin(BasePlugin[S1SRConfig]):  # type: ignore[no-untyped-call]
    """Generate the S1SR pages from the clause source (see the module docstring)."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._pages: dict[str, bytes] = {}
        self._nav: list[NavEntry] = []
        self._title = ""
        self._date = ""
        self._content = ""
        self._downloads: list[tuple[Download, str]] = []
        self._letters: list[tuple[str, str]] = []  # (site path, file)
        self._files: dict[str, bytes] = {}  # each release's files, by site path
        self._entries: list[SearchEntry] = []
        self._switchers: dict[str, str] = {}  # a letter page → its version switcher
        self._urls: dict[str, str] = {}  # generated page → its URL
        # Set by build_site when s1sr build has resolved the source (and read the releases) already.
        self.preloaded: Project | None = None
        self.published: Published | None = None

    # -- events ---------------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        here = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        prefix = self.config.prefix.strip("/")
        if prefix.startswith(".") or ".." in prefix.split("/") or "\\" in prefix:
            raise PluginError(f"s1sr: prefix '{self.config.prefix}' must be a folder inside the site, e.g. 's1sr'")
        self._content = os.path.normpath(os.path.join(here, self.config.content))
        self._site_settings(config)
        if not self.config.document:
            self._pages, self._nav, self._entries, self._files, self._downloads, self._letters = {}, [], [], {}, [], []
            self._switchers = {}
            # No source to date it: a fixed date keeps the pages (their sitemap) the same bytes.
            self._date = api.UNDATED
            return config
        project = self.preloaded or self._load(self._content)
        published = self.published or self._publish(project)
        outputs = _scan_downloads(os.path.join(here, self.config.downloads)) if self.config.downloads else []
        # Markdown among the outputs (the change letters) is published as pages, the rest as files.
        self._downloads = [(d, path) for d, path in outputs if not d.name.endswith(".md")]
        self._letters = [(posixpath.join(prefix, "letters", posixpath.basename(d.name)), path)
                         for d, path in outputs if d.name.endswith(".md")]
        letters = [p for p, _ in self._letters]
        options = api.writer_options(project)
        self._date = options.date
        site = render_site(published.versions, options, prefix=prefix, downloads=[d for d, _ in self._downloads],
                           letters=letters, directory_urls=config.use_directory_urls)
        self._pages, self._nav, self._entries, self._switchers = site.pages, site.nav, site.search, site.switchers
        self._files = {posixpath.join(DOWNLOADS, version_file(name, file)): data
                       for name, files in published.files.items() for file, data in files.items()}
        d = project.document
        self._title = f"{d.short_title or d.title} v{d.version}" if d.version else (d.short_title or d.title)
        return config

    def _site_settings(self, config: MkDocsConfig) -> None:
        """What the generated pages need of the site's settings (said in the log when changed)."""
        material = config.theme.name == "material"
        if self.config.offline:
            if material and config.theme.get("font") is not False:
                log.info("theme.font is set to false: the site loads no web fonts (offline)")
                config.theme["font"] = False
            if config.use_directory_urls:
                log.info("use_directory_urls is set to false: pages open from files (offline)")
                config.use_directory_urls = False
        if material and self.config.prune_nav:
            # Without it every page renders the whole nav: every section of every version.
            features = list(config.theme.get("features") or [])
            if "navigation.prune" not in features and "navigation.expand" not in features:
                config.theme["features"] = [*features, "navigation.prune"]
        for ext in _REQUIRED_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        css, js = f"{_ASSETS}/s1sr.css", f"{_ASSETS}/s1sr.js"
        if css not in config.extra_css:
            config.extra_css.append(css)
        if material:
            # Material's polyfills load in <head>, before its bundle starts the search worker.
            polyfills = list(config.extra.get("polyfills") or [])
            if js not in polyfills:
                config.extra["polyfills"] = [*polyfills, js]
        elif js not in config.extra_javascript:
            config.extra_javascript.append(js)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        generated: list[File] = []
        in_nav = set(_nav_paths(self._nav))
        for path, data in self._pages.items():
            level = InclusionLevel.UNDEFINED if path in in_nav else InclusionLevel.NOT_IN_NAV
            generated.append(File.generated(config, path, content=data, inclusion=level))
        for name in ("s1sr.css", "s1sr.js"):
            data = resources.files("generator").joinpath("data", "site", name).read_bytes()
            generated.append(File.generated(config, f"{_ASSETS}/{name}", content=data))
        for dl, path in self._downloads:
            generated.append(File.generated(config, f"{DOWNLOADS}/{dl.name}", abs_src_path=path))
        for where, data in sorted(self._files.items()):
            generated.append(File.generated(config, where, content=data))
        for page, path in self._letters:
            generated.append(File.generated(config, page, abs_src_path=path))
        if self.config.rules:
            generated += _rules_pages(config)
        for f in generated:
            existing = files.get_file_from_path(f.src_uri)
            if existing is not None:
                log.warning(f"'{existing.src_uri}' in the docs folder is replaced by the generated page; "
                            f"delete it or change the plugin's prefix")
                files.remove(existing)
            files.append(f)
        self._urls = {f.src_uri: f.url for f in generated if f.src_uri in self._pages}
        if self.config.document:
            self._set_nav(files, config)
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        # The sitemap stamps every page with its date: make it the source's date, not today's.
        for f in files.documentation_pages():
            if f.page is not None:
                f.page.update_date = self._date
        return nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        switcher = self._switchers.get(page.file.src_uri)
        return switcher + markdown if switcher else None

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        page.update_date = self._date
        return page

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        server.watch(self._content)
        if self.config.downloads:
            folder = os.path.join(os.path.dirname(os.path.abspath(config.config_file_path)), self.config.downloads)
            if os.path.isdir(folder):
                server.watch(folder)
        return server

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index = os.path.join(config.site_dir, "search", "search_index.json")
        if not os.path.isfile(index):
            return
        with open(index, encoding="utf-8") as fh:
            data = fh.read()
        if self._entries:
            # A clause is an entry of its own, its number the title: a number query finds it first.
            parsed = json.loads(data)
            docs = parsed.setdefault("docs", [])
            for e in self._entries:
                page, _, anchor = e["location"].partition("#")
                url = self._urls.get(page)
                if url is not None:
                    docs.append({**e, "location": url + (f"#{anchor}" if anchor else "")})
            data = json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))
            with open(index, "w", encoding="utf-8") as fh:
                fh.write(data)
        if self.config.offline:
            # Opened from files, Material loads the index as a script (it cannot fetch JSON there).
            with open(os.path.join(config.site_dir, "search", "search_index.js"), "w", encoding="utf-8") as fh:
                fh.write(f"var __index = {data}")

    # -- helpers --------------------------------------------------------------------------------

    def _load(self, content: str) -> Project:
        try:
            if self.config.release:
                return api.load_release(content, self.config.release)
            project, diags = api.load(content)
        except S1SRError as exc:
            raise PluginError(f"s1sr: {exc}") from None
        errors = [d for d in diags if d.severity is Severity.ERROR or d.fatal]
        if project is None or errors:
            raise PluginError(f"s1sr: the clause source in {os.path.relpath(content)} has errors, so the site "
                              f"was not built:\n{emit_text(diags)}")
        notes = [d for d in diags if d.severity is not Severity.INFO]
        if notes:
            log.info(f"findings in the clause source (run 's1sr check'):\n{emit_text(notes)}")
        return project

    def _publish(self, project: Project) -> Published:
        from generator.app.publication import versions

        try:
            published = versions(project, release=self.config.release, files=self.config.release_files)
        except S1SRError as exc:
            raise PluginError(f"s1sr: {exc}") from None
        for d in published.diagnostics:
            log.warning(emit_text([d]).strip())
        return published

    def _set_nav(self, files: Files, config: MkDocsConfig) -> None:
        generated = _escape_nav(self._nav)
        if config.nav is None:
            ours = set(self._pages) | {page for page, _ in self._letters}
            pages = sorted((f for f in files.documentation_pages()
                            if f.src_uri not in ours and f.inclusion.is_in_nav()),  # type: ignore[no-untyped-call]
                           key=file_sort_key)
            nav: list[Any] = nest_paths(f.src_uri for f in pages)  # type: ignore[no-untyped-call]
            at = 1 if nav and nav[0] == "index.md" else 0
            config.nav = nav[:at] + generated + nav[at:]
            return
        home = posixpath.join(self.config.prefix.strip("/"), "index.md")
        if not _replace_placeholder(config.nav, home, generated):
            config.nav.extend(generated)


def _rules_pages(config: MkDocsConfig) -> list[File]:
    """The finding-code reference, generated from the rule registry: the index goes in the nav
    (where the nav names ``rules/index.md``), each code's page is reached from it."""
    from generator.diagnostics.rules import load_all
    from generator.writers.rules_doc import write_rules_pages

    return [File.generated(config, path, content=data,
                           inclusion=InclusionLevel.UNDEFINED if path.endswith("/index.md") else
                           InclusionLevel.NOT_IN_NAV)
            for path, data in write_rules_pages(load_all()).items()]


def _nav_paths(entries: list[NavEntry]) -> list[str]:
    out: list[str] = []
    for e in entries:
        if isinstance(e, str):
            out.append(e)
        else:
            for v in e.values():
                out += _nav_paths(v)
    return out


def _escape_nav(entries: list[NavEntry]) -> list[Any]:
    """Nav titles are printed as HTML by themes; the writer's are plain text."""
    out: list[Any] = []
    for e in entries:
        if isinstance(e, str):
            out.append(e)
        else:
            out.append({html.escape(k, quote=True): _escape_nav(v) for k, v in e.items()})
    return out


def _replace_placeholder(nav: list[Any], home: str, generated: list[Any]) -> bool:
    """Put the generated nav where the nav names the generated home page; True if found."""
    for i, entry in enumerate(nav):
        if entry == home:
            nav[i:i + 1] = generated
            return True
        if isinstance(entry, dict):
            for title, value in entry.items():
                if value == home:
                    # Keep the title the site's author gave the group.
                    group = next(iter(generated[0].values())) if len(generated) == 1 else generated
                    nav[i] = {title: group}
                    return True
                if isinstance(value, list) and _replace_placeholder(value, home, generated):
                    return True
    return False


def _scan_downloads(folder: str) -> list[tuple[Download, str]]:
    """Every file in a build output folder (dot-files aside), sorted: what the home page links."""
    out: list[tuple[Download, str]] = []
    if not os.path.isdir(folder):
        return out
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = os.path.join(top, name)
            with open(path, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            out.append((Download(name=rel, size=os.path.getsize(path), sha256=digest), path))
    return out


# -- s1sr build ---------------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_DOC_FILE = re.compile(r"^Doc file '([^']+)'")


def _finding(record: logging.LogRecord, docs_dir: str, config_file: str) -> Diagnostic:
    from generator.diagnostics.rules.markdown import SITE_WARNING

    message = record.getMessage()
    m = _DOC_FILE.match(message)
    where = os.path.relpath(os.path.join(docs_dir, m.group(1)) if m else config_file)
    return Diagnostic.make(SITE_WARNING, message, Location(file=where),
                           help="mkdocs build --strict fails on this; fix the link or the page")


def build_site(config_file: str, site_dir: str, *, content: str, project: Project | None = None,
               published: Published | None = None, downloads: str = "", release: str = "",
               prefix: str | None = None, docs_dir: str = "", strict: bool = False) -> list[Diagnostic]:
    """Run ``mkdocs build`` on ``config_file`` into ``site_dir`` with the plugin pointed at ``content``.

    With ``project`` (the Project ``s1sr build`` already resolved from ``content``) the plugin
    renders that instead of reading the source again, so the site and the documents come
    from one read; with ``published``, the releases it read and the files it rendered too.
    A site whose plugin says ``document: false`` (the user guide) reads no source at all.

    MkDocs's warnings come back as MD101 findings rather than being printed (in strict mode
    any warning fails the build instead). Failure raises ``WriteError`` with MkDocs's messages.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        overrides: dict[str, Any] = {"site_dir": os.path.abspath(site_dir), "strict": strict}
        if docs_dir:
            overrides["docs_dir"] = os.path.abspath(docs_dir)
        cfg = load_config(config_file, **overrides)
        plugin = cfg.plugins.get("s1sr")
        if not isinstance(plugin, S1SRPlugin):
            raise WriteError(f"{os.path.relpath(config_file)} does not use the s1sr plugin; add '- s1sr' under "
                             "'plugins:' (or delete the file to use the built-in site settings)")
        plugin.config.content = os.path.abspath(content)
        plugin.config.downloads = os.path.abspath(downloads) if downloads else ""
        plugin.config.release = release
        plugin.preloaded = project
        plugin.published = published
        if prefix is not None:
            plugin.config.prefix = prefix
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        details = "\n".join(f"  {r.levelname.lower()}: {r.getMessage()}" for r in collect.records)
        raise WriteError(f"the site could not be built ({exc}); the previous site is untouched"
                         + (f"\n{details}" if details else "")) from None
    finally:
        logger.removeHandler(collect)
    return [_finding(r, cfg.docs_dir, config_file) for r in collect.records]
