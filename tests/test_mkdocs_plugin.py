"""The s1sr MkDocs plugin, run by MkDocs itself: strict builds, failures without tracebacks,
reproducible output, the nav, and `mkdocs serve` reloading when the clause source changes."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from generator.mkdocs_plugin import S1SRPlugin, _replace_placeholder
from tests.support import CONTENT, REPO

MINI_CONFIG = """\
site_name: Mini
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - search
  - s1sr:
      content: content
validation:
  omitted_files: warn
  unrecognized_links: warn
  anchors: warn
"""


def _mkdocs(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})


def _project(mini: Path, docs: dict[str, str] | None = None, config: str = MINI_CONFIG) -> Path:
    """A project folder around the mini content: mkdocs.yml and docs/."""
    root = mini.parent
    (root / "mkdocs.yml").write_text(config)
    (root / "docs").mkdir(exist_ok=True)
    for name, text in (docs or {"index.md": "# Home\n\nThe [document](s1sr/index.md).\n"}).items():
        (root / "docs" / name).write_text(text)
    return root


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_strict_build_of_the_example(tmp_path: Path) -> None:
    proc = _mkdocs("build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stderr
    site = tmp_path / "site"
    assert (site / "s1sr" / "index.html").exists() and (site / "s1sr" / "clauses.html").exists()
    sources = [*(CONTENT / "sections").glob("*.yaml"), *(CONTENT / "annexes").glob("*.yaml")]
    assert len(list((site / "s1sr" / "sections").glob("*.html"))) == len(sources)  # a page per section and annex
    assert (site / "search" / "search_index.js").read_text().startswith("var __index = {")
    assert (site / "assets" / "s1sr" / "s1sr.js").exists() and (site / "assets" / "s1sr" / "s1sr.css").exists()
    assert "Traceback" not in proc.stderr
    # nothing generated lands in docs/
    assert not (REPO / "docs" / "s1sr").exists()


def test_a_source_with_errors_fails_the_build_with_its_findings(mini: Path) -> None:
    section = mini / "sections" / "01-general.yaml"
    section.write_text(section.read_text().replace("[[annex]]", "[[anex]]"))
    root = _project(mini)
    proc = _mkdocs("build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site"))
    assert proc.returncode == 1
    assert "S1SR201" in proc.stderr and "[[anex]]" in proc.stderr and "did you mean 'annex'" in proc.stderr
    assert "01-general.yaml:" in proc.stderr and "the site was not built" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (root / "site" / "index.html").exists()


def test_a_missing_content_folder_is_a_clear_error(mini: Path) -> None:
    root = _project(mini, config=MINI_CONFIG.replace("content: content", "content: nowhere"))
    proc = _mkdocs("build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site"))
    assert proc.returncode == 1 and "nowhere is not a folder" in proc.stderr and "Traceback" not in proc.stderr


def test_two_builds_are_byte_identical(mini: Path, tmp_path: Path) -> None:
    """Same source, different clock, time zone and build date: the same bytes (sitemap included)."""
    root = _project(mini)
    a = _mkdocs("build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(tmp_path / "a"),
                env={"TZ": "Pacific/Auckland"})
    b = _mkdocs("build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(tmp_path / "b"),
                env={"TZ": "UTC", "SOURCE_DATE_EPOCH": "1700000000"})
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    sitemap = gzip.decompress(first["sitemap.xml.gz"]).decode()
    assert "<lastmod>2025-01-31</lastmod>" in sitemap or "<url>" not in sitemap


def test_nav_puts_the_generated_pages_after_home_in_document_order(mini: Path) -> None:
    (mini / "document.yaml").write_text((mini / "document.yaml").read_text() + "  - sections/10-tenth.yaml\n")
    (mini / "sections" / "10-tenth.yaml").write_text("id: tenth\nheading: Tenth\ntext: x\n")
    root = _project(mini, docs={"index.md": "# Home\n", "about.md": "# About\n"},
                    config=MINI_CONFIG.replace("content: content", "content: content\n      prune_nav: false"))
    proc = _mkdocs("build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site"))
    assert proc.returncode == 0, proc.stderr
    nav = (root / "site" / "index.html").read_text()
    primary = nav[nav.index('md-nav--primary'):nav.index('md-sidebar--secondary')]
    links = re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"|href="([^"]+)"\s+class="md-nav__link', primary)
    hrefs = [a or b for a, b in links]
    order = [h for h in hrefs if h.endswith(".html")]
    assert order.index("s1sr/index.html") < order.index("s1sr/sections/1-general.html") < \
        order.index("s1sr/sections/2-tenth.html") < order.index("about.html")
    assert "s1sr/devices/secure-esme.html" not in order  # reached from the Device Models page


def _nav_links(page: str) -> list[str]:
    primary = page[page.index('md-nav--primary'):page.index('md-sidebar--secondary')]
    return re.findall(r'href="([^"]+)"', primary)


def test_each_page_carries_only_its_part_of_the_nav(tmp_path: Path) -> None:
    """Material's navigation.prune (the plugin turns it on): a section page lists its version's
    sections, not every other version's; a page outside the nav lists only the top entries."""
    proc = _mkdocs("build", "-f", str(REPO / "mkdocs.yml"), "-d", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stderr
    site = tmp_path / "site" / "s1sr"
    page = next((site / "sections").glob("18-*.html"))
    links = _nav_links(page.read_text())
    assert sum(1 for h in links if "/" not in h.split("#")[0]) >= len(list((CONTENT / "sections").glob("*.yaml")))
    assert not [h for h in links if "versions/v12/sections/" in h]  # v12's sections: pruned
    assert "../releases/index.html" in links  # … the releases, pruned to their first page, lead to it
    v12 = next((site / "versions" / "v12" / "sections").glob("18-*.html"))
    assert sum(1 for h in _nav_links(v12.read_text()) if "/" not in h.split("#")[0]) >= 20  # its own sections
    history = next((site / "history").glob("18-*.html"))
    assert len(_nav_links(history.read_text())) < 12


def test_explicit_nav_placeholder_is_replaced() -> None:
    generated = [{"MINI v1.0": ["s1sr/index.md", {"Sections": ["s1sr/sections/1-general.md"]}]}]
    nav: list[object] = ["index.md", {"The rules": "s1sr/index.md"}, {"Guide": ["guide.md"]}]
    assert _replace_placeholder(nav, "s1sr/index.md", generated)
    assert nav == ["index.md", {"The rules": ["s1sr/index.md", {"Sections": ["s1sr/sections/1-general.md"]}]},
                   {"Guide": ["guide.md"]}]
    nav = ["index.md", {"Guide": ["guide.md", "s1sr/index.md"]}]
    assert _replace_placeholder(nav, "s1sr/index.md", generated)
    assert nav == ["index.md", {"Guide": ["guide.md", *generated]}]
    assert not _replace_placeholder(["index.md"], "s1sr/index.md", generated)


def test_serve_watches_the_source(mini: Path) -> None:
    from mkdocs.config import load_config

    root = _project(mini)
    cfg = load_config(str(root / "mkdocs.yml"))
    plugin = cfg.plugins["s1sr"]
    assert isinstance(plugin, S1SRPlugin)
    plugin.on_config(cfg)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=cfg, builder=None)  # type: ignore[arg-type]
    assert server.watched == [str(mini)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read().decode("utf-8")  # type: ignore[no-any-return]


def test_serve_rebuilds_when_a_clause_changes(mini: Path) -> None:
    root = _project(mini)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f",
                             str(root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
                            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/s1sr/sections/1-general.html"
    try:
        deadline = time.monotonic() + 60
        page = ""
        while time.monotonic() < deadline:
            try:
                page = _get(url)
                break
            except OSError:
                time.sleep(0.2)
        assert "The following apply" in page
        section = mini / "sections" / "01-general.yaml"
        section.write_text(section.read_text().replace("The following apply", "These now apply"))
        deadline = time.monotonic() + 60
        while "These now apply" not in page and time.monotonic() < deadline:
            time.sleep(0.3)
            page = _get(url)
        assert "These now apply" in page
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_page_of_the_docs_folder_with_the_same_path_is_replaced_with_a_warning(mini: Path) -> None:
    root = _project(mini)
    (root / "docs" / "s1sr").mkdir()
    (root / "docs" / "s1sr" / "index.md").write_text("# Stale copy\n")
    proc = _mkdocs("build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site"))
    assert proc.returncode == 0
    assert "replaced by the generated page" in proc.stderr
    assert "Stale copy" not in (root / "site" / "s1sr" / "index.html").read_text()
    shutil.rmtree(root / "docs" / "s1sr")


def test_offline_forces_no_web_fonts(mini: Path) -> None:
    root = _project(mini, config=MINI_CONFIG.replace("  font: false\n", ""))
    proc = _mkdocs("build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site"))
    assert proc.returncode == 0, proc.stderr
    assert "fonts.googleapis" not in (root / "site" / "index.html").read_text()
