"""The built site in real headless Chromium: anchors, cross-references, search, Device Model
pages, escaping. Chromium is driven through the DevTools protocol (a websocket), the site
served by ``python -m http.server`` on 127.0.0.1, and also opened from files."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from generator.app import api
from generator.cli import main
from generator.model import Project, Xref, walk
from tests.support import CHROMIUM_FLAGS, CONTENT, REPO, chromium, require_module

pytestmark = pytest.mark.e2e

websocket = require_module("websocket", "websocket-client")

ARTIFACTS = REPO / "test-artifacts"


# -- a small DevTools protocol client ---------------------------------------------------------


class Browser:
    """One headless Chromium with a fresh profile, one page, driven over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        self.proc = subprocess.Popen(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--remote-debugging-address=127.0.0.1", "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                pytest.fail("Chromium did not start its DevTools endpoint")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            targets = json.load(resp)
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True, timeout=60)
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        msg_id = next(self._ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]  # type: ignore[no-any-return]
            if "method" in msg:
                self.events.append(msg)

    def eval(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.eval(expression)
            except RuntimeError as exc:
                # A navigation in flight destroys the context being evaluated in: ask again.
                if not any(s in str(exc) for s in ("navigated or closed", "context was destroyed",
                                                   "Cannot find context")):
                    raise
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            time.sleep(0.05)

    def goto(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        page = url.split("#")[0]
        self.wait_for(f"location.href.split('#')[0] === {json.dumps(page)} && document.readyState === 'complete'")

    def screenshot(self, path: Path) -> None:
        import base64

        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Built:
    root: Path
    site: Path
    project: Project

    def page(self, clause_id: str) -> str:
        """Site path of the section page holding the clause, from the page itself."""
        for html in sorted((self.site / "s1sr" / "sections").glob("*.html")):
            if f'id="c-{clause_id}"' in html.read_text(encoding="utf-8"):
                return html.relative_to(self.site).as_posix()
        raise AssertionError(f"no section page anchors clause {clause_id}")


def _serve(folder: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1", "0"],
                            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 12345 (http://127.0.0.1:12345/) ..."
    port = int(line.split(" port ")[1].split()[0])
    return proc, f"http://127.0.0.1:{port}/"


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``s1sr build`` of the example content (the repository's mkdocs.yml, its docs/)."""
    chromium()
    root = tmp_path_factory.mktemp("example")
    assert main(["build", "--content", str(CONTENT), "--out", str(root / "build")]) == 0
    return Built(root=root, site=root / "site", project=api.load_clean(str(CONTENT)).project)


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[str]:
    proc, url = _serve(built.site)
    try:
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, built: Built) -> Iterator[Browser]:
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield b
    finally:
        b.close()


def _visible(browser: Browser, element_id: str) -> dict[str, Any]:
    """Where the element is: in the viewport, below the fixed header, and the :target."""
    where: dict[str, Any] = browser.eval(f"""(() => {{
        const el = document.getElementById({json.dumps(element_id)});
        if (!el) return {{found: false}};
        const r = el.getBoundingClientRect();
        const header = document.querySelector('.md-header');
        const h = header ? header.getBoundingClientRect().bottom : 0;
        return {{found: true, top: r.top, header: h, height: innerHeight, target: el.matches(':target'),
                 text: (el.closest('p, h1, h2, h3, h4, h5, h6') || el).textContent}};
    }})()""")
    return where


def _in_view(where: dict[str, Any]) -> bool:
    return bool(where["found"] and where["header"] - 2 <= where["top"] < where["height"] - 20)


# -- tests ------------------------------------------------------------------------------------


def test_clause_anchor_resolves_by_stable_id_and_by_number(built: Built, server: str, browser: Browser) -> None:
    # The deepest clause of the longest section: the page must scroll to reach it.
    longest = max(built.project.document.sections, key=lambda s: len(list(walk((s,)))))
    clause = max((c for c in walk(longest.children) if not c.heading), key=lambda c: (c.level, c.ordinal))
    page = built.page(clause.id)
    browser.goto(f"{server}{page}#c-{clause.id}")
    assert browser.wait_for(f"(() => {{ const r = document.getElementById('c-{clause.id}')"
                            ".getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()")
    where = _visible(browser, f"c-{clause.id}")
    assert _in_view(where), where
    assert clause.number in where["text"]

    browser.goto(f"{server}{page}#n-{quote(clause.number)}")
    where = _visible(browser, f"n-{clause.number}")
    assert where["found"] and where["target"] and _in_view(where), where
    assert browser.eval("window.scrollY") > 0


def test_cross_reference_link_lands_on_its_target(built: Built, server: str, browser: Browser) -> None:
    pages = {c.id: built.page(s.id) for s in built.project.document.sections for c in walk((s,))}
    refs = [(c, x.target) for c in walk(built.project.document.sections) for x in c.text if isinstance(x, Xref)]
    assert refs, "the example has cross-references"
    # Prefer one that crosses pages.
    source, target = next(((c, t) for c, t in refs if pages[c.id] != pages[t]), refs[0])
    number = next(c.number for c in walk(built.project.document.sections) if c.id == target)
    browser.goto(f"{server}{pages[source.id]}")
    clicked = browser.eval(f"""(() => {{
        const links = [...document.querySelectorAll('article a[href$="#c-{target}"]')]
            .filter(a => !a.classList.contains('s1sr-num'));
        if (!links.length) return null;
        const text = links[0].textContent;
        links[0].click();
        return text;
    }})()""")
    assert clicked is not None and (clicked == number or clicked.endswith(f" {number}")), \
        f"the link to {target} shows {clicked!r}, not its citation with its number {number}"
    browser.wait_for(f"location.hash === '#c-{target}' && document.readyState === 'complete' && "
                     f"location.pathname.endsWith({json.dumps('/' + pages[target])})")
    browser.wait_for(f"(() => {{ const el = document.getElementById('c-{target}'); if (!el) return false; "
                     "const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()")
    where = _visible(browser, f"c-{target}")
    assert where["target"] and _in_view(where) and number in where["text"], where


def test_link_by_stable_id_through_the_clause_index(built: Built, server: str, browser: Browser) -> None:
    """``s1sr/clauses.html#c-<id>`` (a link that does not know the section) opens the clause."""
    clause = max(walk(built.project.document.sections), key=lambda c: (c.level, c.id))
    browser.send("Page.navigate", url=f"{server}s1sr/clauses.html#c-{clause.id}")
    page = built.page(clause.id)
    browser.wait_for(f"location.pathname.endsWith({json.dumps('/' + page)}) && document.readyState === 'complete'")
    assert browser.eval("location.hash") == f"#c-{clause.id}"
    browser.wait_for(f"(() => {{ const el = document.getElementById('c-{clause.id}'); if (!el) return false; "
                     "const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()")
    # Without a fragment the index stays put.
    browser.goto(f"{server}s1sr/clauses.html")
    time.sleep(0.3)
    assert browser.eval("location.pathname").endswith("/s1sr/clauses.html")


def _search(browser: Browser, url: str) -> list[str]:
    browser.goto(url)
    browser.wait_for("document.querySelectorAll('.md-search-result__item').length > 0", timeout=60)
    return browser.eval("[...document.querySelectorAll('.md-search-result__link')].map(a => a.href)")  # type: ignore[no-any-return]


def _srv_and_pages(built: Built) -> tuple[str, set[str]]:
    # An SRV whose variations sit in a section whose text does not name the SRV in its title.
    cell = next(m for m in built.project.matrix if m.clauses)
    return cell.srv, {built.page(cid) for m in built.project.matrix if m.srv == cell.srv for cid in m.clauses}


def test_search_finds_a_clause_by_srv_number(built: Built, server: str, browser: Browser) -> None:
    srv, pages = _srv_and_pages(built)
    hrefs = _search(browser, f"{server}s1sr/index.html?q={quote(srv)}")
    found = {h.removeprefix(server).split("#")[0] for h in hrefs}
    assert found & pages, f"searching {srv} found {sorted(found)}, none of {sorted(pages)}"
    assert f"{server}s1sr/srvs/{srv}.html" in hrefs


def test_search_works_when_the_site_is_opened_from_files(built: Built, browser: Browser) -> None:
    srv, pages = _srv_and_pages(built)
    base = built.site.as_uri() + "/"
    hrefs = _search(browser, f"{base}s1sr/index.html?q={quote(srv)}")
    assert {h.removeprefix(base).split("#")[0] for h in hrefs} & pages


def test_device_model_page_lists_its_clauses(built: Built, server: str, browser: Browser) -> None:
    counts: dict[str, set[str]] = {}
    for m in built.project.matrix:
        counts.setdefault(m.device, set()).update(m.clauses)
    device = max(counts, key=lambda d: (len(counts[d]), d))
    browser.goto(f"{server}s1sr/devices/{device}.html")
    listed = browser.eval("""[...document.querySelectorAll('#clauses ~ ul li a[href*="#c-"]')]
        .map(a => a.getAttribute('href').split('#c-')[1])""")
    assert set(listed) == counts[device]
    srvs = browser.eval("""[...document.querySelectorAll('article table td:first-child a')].map(a => a.textContent)""")
    assert set(srvs) == {m.srv for m in built.project.matrix if m.device == device}
    # Every listed link opens its clause.
    first = listed[0]
    browser.eval(f"""document.querySelector('#clauses ~ ul a[href$="#c-{first}"]').click()""")
    browser.wait_for(f"location.hash === '#c-{first}' && document.readyState === 'complete'")
    assert _visible(browser, f"c-{first}")["found"]


def test_screenshot_of_a_section_page(built: Built, server: str, browser: Browser) -> None:
    # The section with the most clauses that apply to Device Models, at one of its sub-clauses.
    section = max(built.project.document.sections,
                  key=lambda s: sum(1 for c in walk((s,)) if c.applies_to))
    clause = next(c for c in walk(section.children) if c.applies_to and c.level >= 3)
    browser.goto(f"{server}{built.page(section.id)}#c-{clause.id}")
    browser.wait_for("document.fonts.status === 'loaded'")
    time.sleep(0.6)  # let the header's title transition finish
    path = ARTIFACTS / "site-section.png"
    browser.screenshot(path)
    assert path.stat().st_size > 20_000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_home_page_links_the_downloads_of_this_build(built: Built, server: str, browser: Browser) -> None:
    browser.goto(f"{server}s1sr/index.html")
    links = browser.eval("[...document.getElementById('downloads').nextElementSibling.querySelectorAll('a')]"
                         ".map(a => a.getAttribute('href'))")
    outputs = sorted(p.name for p in (built.root / "build").iterdir() if p.name != ".s1sr-output")  # not a download
    files = [n for n in outputs if not n.endswith(".md")]
    assert files and sorted(h.removeprefix("../downloads/") for h in links) == files
    for href in links:
        with urllib.request.urlopen(f"{server}s1sr/{href}", timeout=10) as resp:
            assert resp.read() == (built.root / "build" / href.removeprefix("../downloads/")).read_bytes()
    # Markdown outputs (the change letters) are pages of the site, linked from the home page.
    pages = browser.eval("[...document.getElementById('letters').nextElementSibling.querySelectorAll('a')]"
                         ".map(a => a.getAttribute('href'))")
    assert sorted(pages) == sorted(f"letters/{n.removesuffix('.md')}.html" for n in outputs if n.endswith(".md"))


# -- escaping ---------------------------------------------------------------------------------

EVIL = "<script>window.__pwned=1</script>"

EVIL_SECTION = """\
id: general
heading: "General </title><script>window.__pwned=2</script> <img src=x onerror=window.__pwned=3>"
children:
  - id: scope
    text: "Before {evil} after; <img src=x onerror=window.__pwned=4> a_b_c `code` [x](javascript:window.__pwned=5) {{: onclick=window.__pwned=6 }} &amp; done"
    applies_to:
      - srvs: ["4.8.1"]
        devices: [evil-device]
  - id: annex
    heading: Annex
    text: See [[scope]].
    table:
      header: ["<b>h</b>", "x"]
      rows:
        - ["<script>window.__pwned=7</script>", "| pipe |"]
"""

EVIL_DEVICES = """\
devices:
  - {id: evil-device, manufacturer: "Evil <script>window.__pwned=8</script>", model: "M<i>1</i>", type: ESME, cohort: FOC}
groups:
  - {id: evil-group, name: "<script>window.__pwned=9</script>", members: [evil-device]}
"""


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chromium()
    from tests.conftest import MINI_DOCUMENT

    root = tmp_path_factory.mktemp("evil")
    content = root / "content"
    (content / "sections").mkdir(parents=True)
    (content / "document.yaml").write_text(MINI_DOCUMENT)
    (content / "sections" / "01-general.yaml").write_text(EVIL_SECTION.format(evil=EVIL))
    (content / "devices.yaml").write_text(EVIL_DEVICES)
    lines = (REPO / "generator" / "data" / "srvs.csv").read_text().splitlines()
    lines = [ln if not ln.startswith("4.8.1,") else '4.8.1,"Read <script>window.__pwned=10</script>",Yes,Yes'
             for ln in lines]
    (content / "srvs.csv").write_text("\n".join(lines) + "\n")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "site-docs", root / "site-docs")
    assert main(["build", "--content", str(content), "--out", str(root / "build")]) == 0
    return root / "site"


def test_script_in_clause_text_shows_as_text_and_never_runs(evil_site: Path, browser: Browser) -> None:
    for html in evil_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in text, html
        assert "<img src=x" not in text and "<b>h</b>" not in text and "<i>1</i>" not in text, html
    proc, url = _serve(evil_site)
    try:
        page = next(p for p in (evil_site / "s1sr" / "sections").glob("*.html")).relative_to(evil_site).as_posix()
        browser.goto(f"{url}{page}")
        browser.wait_for("document.querySelector('.md-search__input') !== null")
        time.sleep(0.5)  # give anything that could run (onerror of a broken image) its chance
        assert browser.eval("window.__pwned") is None
        body = browser.eval("document.querySelector('article').innerText")
        assert EVIL in body
        assert "<img src=x onerror=window.__pwned=4>" in body
        assert "[x](javascript:window.__pwned=5)" in body and "a_b_c `code`" in body
        assert "{: onclick=window.__pwned=6 }" in body and "&amp; done" in body
        assert "<script>window.__pwned=7</script>" in body and "| pipe |" in body
        assert "</title><script>window.__pwned=2</script>" in browser.eval("document.title")
        assert browser.eval("document.querySelectorAll('article script, article img, article b, article i').length") == 0
        assert browser.eval("[...document.querySelectorAll('a[href^=\"javascript:\"]')].length") == 0

        browser.goto(f"{url}s1sr/devices/evil-device.html")
        assert "Evil <script>window.__pwned=8</script> M<i>1</i>" in browser.eval("document.body.innerText")
        browser.goto(f"{url}s1sr/devices/index.html")
        assert "<script>window.__pwned=9</script>" in browser.eval("document.body.innerText")
        browser.goto(f"{url}s1sr/srvs/4.8.1.html")
        assert "<script>window.__pwned=10</script>" in browser.eval("document.body.innerText")

        # Search results are built from the index by the page's script: still text.
        hrefs = _search(browser, f"{url}s1sr/index.html?q=Before")
        assert any("#c-general" in h or "sections/" in h for h in hrefs), hrefs
        assert "window.__pwned=1" in browser.eval("document.querySelector('.md-search-result').innerText")
        assert browser.eval("document.querySelectorAll('.md-search-result script, .md-search-result img').length") == 0
        time.sleep(0.5)
        assert browser.eval("window.__pwned") is None
    finally:
        _stop(proc)


def test_no_page_loads_anything_from_another_host(built: Built, server: str, browser: Browser) -> None:
    """Offline: no web fonts, no CDN. Every request Chromium makes for the home page, a section
    page and a search goes to the local server; and no page names a remote script or style."""
    for path in built.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for needle in ("fonts.googleapis", "fonts.gstatic", "<script src=\"http", "<link rel=\"stylesheet\" href=\"http",
                       "<link href=\"http", "<img src=\"http"):
            assert needle not in text, f"{path.relative_to(built.site)} loads {needle}"
    browser.send("Network.enable")
    browser.events.clear()
    try:
        section = built.page(built.project.document.sections[-1].id)
        for url in (f"{server}index.html", f"{server}{section}"):
            browser.goto(url)
            time.sleep(0.3)
        _search(browser, f"{server}s1sr/index.html?q={quote(_srv_and_pages(built)[0])}")
        requested = {e["params"]["request"]["url"] for e in browser.events
                     if e["method"] == "Network.requestWillBeSent"}
    finally:
        browser.send("Network.disable")
    assert requested, "no requests were seen"
    remote = sorted(u for u in requested if not u.startswith((server, "data:", "blob:", "about:")))
    assert not remote, f"the site fetched {remote}"
    assert any(u.endswith("search/search_index.json") for u in requested)
    assert (built.site / "search" / "search_index.js").exists()


# -- the published site: versions, history, the DMVESM, search, downloads, offline ------------


def _number_in(built: Built, release: str, clause_id: str) -> str:
    """A clause's number in a release, from its snapshot (not from the site)."""
    project = api.release_project(built.project, release)
    return next(c.number for c in walk(project.document.sections) if c.id == clause_id)


def _section_page(site: Path, folder: str, clause_id: str) -> str:
    for html in sorted((site / folder / "sections").glob("*.html")):
        if f'id="c-{clause_id}"' in html.read_text(encoding="utf-8"):
            return html.relative_to(site).as_posix()
    raise AssertionError(f"no section page of {folder} anchors clause {clause_id}")


# The first table after an element (Material wraps tables in a scrolling <div>).
_TABLE_AFTER = """(() => {{ let el = document.getElementById('{id}').nextElementSibling;
    while (el && el.tagName !== 'TABLE' && !el.querySelector('table')) el = el.nextElementSibling;
    return el.tagName === 'TABLE' ? el : el.querySelector('table'); }})()"""

# The clause the DCC letter restores: 18.5q in v11, 18.5t in v12 (the numbering error), 18.5q again.
RESTORED = "pd-secure-gsme"


def test_version_switcher_opens_the_same_clause_in_another_version(built: Built, server: str,
                                                                    browser: Browser) -> None:
    page = built.page(RESTORED)
    browser.goto(f"{server}{page}#c-{RESTORED}")
    options = browser.wait_for("(() => { const s = document.querySelector('select.s1sr-version-select'); "
                               "return s && [...s.options].map(o => [o.textContent, o.selected]); })()")
    assert [t for t, _ in options] == ["Draft 13.0", "v12 (12.0)", "v11 (11.0)"]
    assert [t for t, on in options if on] == ["Draft 13.0"]
    assert not browser.eval("document.querySelector('.s1sr-versions').offsetParent")  # the links became the menu
    browser.eval("""(() => { const s = document.querySelector('select.s1sr-version-select');
        s.value = [...s.options].find(o => o.textContent.startsWith('v12')).value;
        s.dispatchEvent(new Event('change')); })()""")
    v12 = _section_page(built.site, "s1sr/versions/v12", RESTORED)
    browser.wait_for(f"location.pathname.endsWith({json.dumps('/' + v12)}) && document.readyState === 'complete'")
    assert browser.eval("location.hash") == f"#c-{RESTORED}"
    where = _visible(browser, f"c-{RESTORED}")
    assert _number_in(built, "v12", RESTORED) == "18.5t"
    assert where["found"] and where["text"].strip().startswith("18.5t"), where
    # The menu now says v12, and every version is one step away.
    assert browser.eval("document.querySelector('select.s1sr-version-select').selectedOptions[0].textContent") == \
        "v12 (12.0)"
    hrefs = browser.eval("[...document.querySelectorAll('.s1sr-versions a')].map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == ["../../../sections/18-profile-data.html", "../../v11/sections/18-profile-data.html"]
    # Every S1SR page has it: the letters the build publishes too (they lead to each version's home).
    letter = next((built.site / "s1sr" / "letters").glob("*.html")).relative_to(built.site).as_posix()
    browser.goto(f"{server}{letter}")
    options = browser.wait_for("(() => { const s = document.querySelector('select.s1sr-version-select'); "
                               "return s && [...s.options].map(o => o.value.split('/s1sr/')[1] || ''); })()")
    assert options == ["", "index.html", "versions/v12/index.html", "versions/v11/index.html"]


def test_history_page_shows_each_version_number_text_and_cells(built: Built, server: str, browser: Browser) -> None:
    browser.goto(f"{server}{built.page(RESTORED)}")
    # The script puts a history link beside every clause number; follow the one of this clause.
    browser.wait_for(f"document.querySelector('#c-{RESTORED} + a.s1sr-hist') !== null")
    browser.eval(f"document.querySelector('#c-{RESTORED} + a.s1sr-hist').click()")
    browser.wait_for(f"location.hash === '#h-{RESTORED}' && document.readyState === 'complete'")
    assert "/s1sr/history/" in browser.eval("location.pathname")
    rows = browser.eval(f"""(() => {{
        const t = {_TABLE_AFTER.format(id=f"h-{RESTORED}")};
        return [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()));
    }})()""")
    assert [r[0].split("\n")[0] for r in rows] == ["v11 (11.0)", "v12 (12.0)", "Draft 13.0"]
    numbers = [r[1].split("\n")[0] for r in rows]
    assert numbers == [_number_in(built, "v11", RESTORED), _number_in(built, "v12", RESTORED),
                       next(c.number for c in walk(built.project.document.sections) if c.id == RESTORED)]
    assert numbers == ["18.5q", "18.5t", "18.5q"]
    assert "not declared" in rows[1][1] and "declared" in rows[2][1]
    text = next(c for c in walk(built.project.document.sections) if c.id == RESTORED).raw_text
    assert " ".join(text.split())[:40] in " ".join(rows[0][2].split())
    # The cells that cited it in each version, from each version's own matrix.
    for row, release in zip(rows[:2], ("v11", "v12"), strict=True):
        cells = [m for m in api.release_project(built.project, release).matrix if RESTORED in m.clauses]
        assert ("—" if not cells else f"SRV {cells[0].srv}") in row[3], (release, row)
    # The number links the clause as that version has it.
    link = browser.eval(f"""(() => {{ const t = {_TABLE_AFTER.format(id=f"h-{RESTORED}")};
        return t.tBodies[0].rows[1].cells[1].querySelector('a').getAttribute('href'); }})()""")
    assert "versions/v12/sections/" in link and link.endswith(f"#c-{RESTORED}")


def _matrix_state(browser: Browser) -> dict[str, Any]:
    state: dict[str, Any] = browser.eval("""(() => {
        const t = document.querySelector('table.s1sr-matrix');
        const cols = [...t.tHead.rows[0].cells].slice(1).filter(th => !th.hidden).map(th => th.dataset.device);
        const rows = [...t.tBodies[0].rows].filter(tr => !tr.hidden).map(tr => tr.dataset.srv);
        const links = [...t.tBodies[0].rows].filter(tr => !tr.hidden)
            .flatMap(tr => [...tr.cells].slice(1).filter(td => !td.hidden))
            .flatMap(td => [...td.querySelectorAll('a')].map(a => a.getAttribute('href').split('#c-')[1]));
        return {cols, rows, links, count: document.querySelector('.s1sr-count').value};
    })()""")
    return state


def _type(browser: Browser, name: str, value: str) -> None:
    browser.eval(f"""(() => {{ const i = document.querySelector('form.s1sr-filter [name={name}]');
        i.value = {json.dumps(value)}; i.dispatchEvent(new Event('input', {{bubbles: true}})); }})()""")


def _dmvesm_filter(built: Built, browser: Browser, base: str) -> None:
    matrix = built.project.matrix
    browser.goto(f"{base}s1sr/dmvesm.html")
    browser.wait_for("document.querySelector('form.s1sr-filter') && !document.querySelector('form.s1sr-filter').hidden")
    state = _matrix_state(browser)
    assert set(state["rows"]) == {m.srv for m in matrix}
    # By Device Model: the one column, and exactly the SRVs for which it varies.
    device = max(built.project.devices, key=lambda d: (sum(1 for m in matrix if m.device == d.id), d.id))
    _type(browser, "device", f"{device.manufacturer} {device.model}")
    state = _matrix_state(browser)
    assert state["cols"] == [device.id]
    assert set(state["rows"]) == {m.srv for m in matrix if m.device == device.id}
    assert set(state["links"]) == {c for m in matrix if m.device == device.id for c in m.clauses}
    # … and by SRV too: one cell.
    cell = next(m for m in matrix if m.device == device.id)
    _type(browser, "srv", cell.srv)
    state = _matrix_state(browser)
    assert state["rows"] == [cell.srv] and state["cols"] == [device.id] and state["count"] == "1 SRV × 1 Device Model"
    # Every Device Model that varies for that SRV, with the device box emptied.
    _type(browser, "device", "")
    state = _matrix_state(browser)
    assert set(state["cols"]) == {m.device for m in matrix if m.srv == cell.srv}
    # A cell's link opens its clause.
    target = cell.clauses[0]
    browser.eval(f"""document.querySelector('tr[data-srv="{cell.srv}"] a[href$="#c-{target}"]').click()""")
    browser.wait_for(f"location.hash === '#c-{target}' && document.readyState === 'complete'")
    assert _visible(browser, f"c-{target}")["found"]


def test_dmvesm_table_filters_by_device_model_and_srv(built: Built, server: str, browser: Browser) -> None:
    _dmvesm_filter(built, browser, server)
    # Unticking "only … with a variation" shows every row, as the workbook does: an SRV that no
    # clause varies but a Device Model declares not applicable too, its cell saying N/A.
    project = built.project
    only_na = {s for d in project.devices for s in d.not_applicable} - {m.srv for m in project.matrix}
    assert only_na, "the example has an SRV that is only not applicable"
    browser.goto(f"{server}s1sr/dmvesm.html")
    browser.wait_for("document.querySelector('form.s1sr-filter') && !document.querySelector('form.s1sr-filter').hidden")
    assert not only_na & set(_matrix_state(browser)["rows"])
    browser.eval("""(() => { const box = document.querySelector('form.s1sr-filter [name=hide]');
        box.checked = false; box.dispatchEvent(new Event('change', {bubbles: true}));
        box.dispatchEvent(new Event('input', {bubbles: true})); })()""")
    state = _matrix_state(browser)
    assert only_na <= set(state["rows"]) and len(state["cols"]) == len(project.devices)
    srv = sorted(only_na)[0]
    cells = browser.eval(f"""[...document.querySelector('tr[data-srv="{srv}"]').cells].slice(1)
        .map(td => td.innerText.trim())""")
    assert {d.id for d in project.devices if srv in d.not_applicable} == \
        {d.id for d, text in zip(project.devices, cells, strict=True) if text == "N/A"}
    assert set(cells) <= {"N/A", "–"}


def test_a_designated_version_links_its_dmvesm_filtered(built: Built, server: str, browser: Browser) -> None:
    """v12's pages have no Device Model pages: a Device Model named in v12's text opens v12's
    DMVESM filtered to it, with v12's (stale) citations."""
    v12 = api.release_project(built.project, "v12")
    clause = next(c for c in walk(v12.document.sections) if c.applies_to and c.applies_to[0].devices[0] in
                  {d.id for d in v12.devices})
    device = clause.applies_to[0].devices[0]
    browser.goto(f"{server}{_section_page(built.site, 's1sr/versions/v12', clause.id)}")
    browser.eval(f"""document.querySelector('a[href$="dmvesm.html#d-{device}"]').click()""")
    browser.wait_for("location.pathname.endsWith('/s1sr/versions/v12/dmvesm.html') && "
                     "document.readyState === 'complete' && !document.querySelector('form.s1sr-filter').hidden")
    state = _matrix_state(browser)
    assert state["cols"] == [device]
    assert set(state["links"]) == {c for m in v12.matrix if m.device == device for c in m.clauses}


def _first_results(browser: Browser, url: str) -> list[list[str]]:
    browser.goto(url)
    browser.wait_for("document.querySelectorAll('.md-search-result__item').length > 0", timeout=60)
    groups: list[list[str]] = browser.eval("""[...document.querySelectorAll('.md-search-result__item')]
        .map(li => [...li.querySelectorAll('.md-search-result__link')].map(a => a.getAttribute('href')))""")
    return groups


def test_search_finds_the_clause_by_its_number_first(built: Built, server: str, browser: Browser) -> None:
    clauses = list(walk(built.project.document.sections))
    wanted = next(c for c in clauses if c.number == "18.5p")
    # The query matches longer numbers too (18.5p(i)…) and pages that cite 18.5p: none may come first.
    assert any(c.number.startswith("18.5p") and c.number != "18.5p" for c in clauses)
    groups = _first_results(browser, f"{server}s1sr/index.html?q=18.5p")
    first = groups[0]
    assert first[0].split("#")[0].endswith(built.page(wanted.id))
    assert first[1].endswith(f"#c-{wanted.id}"), groups[:3]
    # The same for an item and for an inserted number: the one asked for, first.
    for c in (next(c for c in clauses if c.number == "18.5p(ii)"), max(clauses, key=lambda c: (c.level, c.number))):
        groups = _first_results(browser, f"{server}s1sr/index.html?q={quote(c.number)}")
        assert groups[0][1].endswith(f"#c-{c.id}"), (c.number, groups[:2])


@dataclass
class Released:
    root: Path
    site: Path


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Released:
    """A copy of the example in which the draft was released as v13 (so that release records the
    SHA-256 of its files), then built."""
    chromium()
    root = tmp_path_factory.mktemp("released")
    shutil.copytree(CONTENT, root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "site-docs", root / "site-docs")
    assert main(["release", "v13", "--content", str(root / "content")]) == 0
    assert main(["build", "--content", str(root / "content"), "--out", str(root / "build")]) == 0
    return Released(root=root, site=root / "site")


def test_downloads_of_a_release_match_what_it_recorded(released: Released, browser: Browser) -> None:
    snapshot = json.loads((released.root / "content" / "releases" / "v13.json").read_text())
    recorded = snapshot["outputs"]
    assert recorded, "s1sr release records the SHA-256 of every output"
    proc, url = _serve(released.site)
    try:
        browser.goto(f"{url}s1sr/releases/v13.html")
        rows = browser.eval("""[...document.getElementById('files').nextElementSibling.nextElementSibling
            .querySelectorAll('tbody tr')].map(tr => ({href: tr.querySelector('a').href,
                name: tr.cells[0].innerText.trim(), sha: tr.cells[2].innerText.trim(), check: tr.cells[3].innerText}))""")
        assert sorted(r["name"] for r in rows) == sorted(recorded)
        for r in rows:
            with urllib.request.urlopen(r["href"], timeout=10) as resp:
                data = resp.read()
            digest = hashlib.sha256(data).hexdigest()
            assert digest == r["sha"] == recorded[r["name"]], r["name"]
            assert r["check"].strip() == "matches"
        # The version's own home page links the same files.
        browser.goto(f"{url}s1sr/versions/v13/index.html")
        home = browser.eval("[...document.getElementById('downloads').nextElementSibling.querySelectorAll('a')]"
                            ".map(a => a.href)")
        assert sorted(home) == sorted(r["href"] for r in rows)
    finally:
        _stop(proc)


def test_the_site_works_offline_from_its_folder(built: Built, browser: Browser) -> None:
    """Opened from file://, with every request seen: the switcher, a history page, the DMVESM
    filter and the search work, and nothing is fetched from anywhere but the folder."""
    base = built.site.as_uri() + "/"
    # A page an earlier test opened from the local server may still fetch its favicon after this
    # test starts: leave it first, and count only what the pages opened from the folder asked for.
    browser.goto("about:blank")
    browser.send("Network.enable")
    browser.events.clear()
    try:
        browser.goto(f"{base}{built.page(RESTORED)}#c-{RESTORED}")
        browser.wait_for("document.querySelector('select.s1sr-version-select') !== null")
        browser.eval("""(() => { const s = document.querySelector('select.s1sr-version-select');
            s.value = [...s.options].find(o => o.textContent.startsWith('v11')).value;
            s.dispatchEvent(new Event('change')); })()""")
        browser.wait_for("location.pathname.includes('/s1sr/versions/v11/sections/') && document.readyState === "
                         "'complete'")
        browser.wait_for(f"document.querySelector('#c-{RESTORED} + a.s1sr-hist') !== null")
        browser.eval(f"document.querySelector('#c-{RESTORED} + a.s1sr-hist').click()")
        browser.wait_for(f"location.hash === '#h-{RESTORED}' && document.readyState === 'complete'")
        _dmvesm_filter(built, browser, base)
        groups = _first_results(browser, f"{base}s1sr/index.html?q=18.5p")
        wanted = next(c for c in walk(built.project.document.sections) if c.number == "18.5p")
        assert groups[0][1].endswith(f"#c-{wanted.id}")
        sent = [e["params"] for e in browser.events if e["method"] == "Network.requestWillBeSent"]
        requested = {e["request"]["url"] for e in sent if str(e.get("documentURL", "")).startswith(base)}
    finally:
        browser.send("Network.disable")
    assert requested
    # what the filter left out came from the blank page or the earlier test's local server page
    others = {str(e.get("documentURL", "")) for e in sent if not str(e.get("documentURL", "")).startswith(base)}
    assert all(u.startswith(("http://127.0.0.1:", "about:")) for u in others), others
    outside = sorted(u for u in requested if not u.startswith((base, "data:", "blob:", "about:")))
    assert not outside, f"opened from files, the site fetched {outside}"


def test_history_of_a_tombstone_says_whose_number_it_was_and_until_when(built: Built, server: str,
                                                                        browser: Browser) -> None:
    stones = [c for c in walk(built.project.document.sections) if c.vacated_by]
    assert stones, "the example's restore leaves numbers [Not used]"
    stone = stones[0]
    # The oracle: the release snapshots, not the site.
    last = max((r for r in built.project.releases if _number_in(built, r.name, stone.vacated_by) == stone.number),
               key=lambda r: (r.date, r.name))
    browser.goto(f"{server}{built.page(stone.id)}")
    browser.wait_for(f"document.querySelector('[id=\"c-{stone.id}\"] + a.s1sr-hist') !== null")
    browser.eval(f"document.querySelector('[id=\"c-{stone.id}\"] + a.s1sr-hist').click()")
    browser.wait_for(f"decodeURIComponent(location.hash) === '#h-{stone.id}' && document.readyState === 'complete'")
    said = browser.eval(f"""(() => {{ let el = document.getElementById('h-{stone.id}').nextElementSibling;
        while (el && !el.classList.contains('s1sr-tombstone')) el = el.nextElementSibling;
        return el.innerText; }})()""")
    assert said.startswith(f"{stone.number} reads [Not used] since Draft 13.0."), said
    assert f"Until {last.name} ({last.version}), {last.date} it was the number of clause {stone.vacated_by}" in said, \
        said
