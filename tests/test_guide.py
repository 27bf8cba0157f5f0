"""The user guide: a site of its own (mkdocs-guide.yml) that builds strictly, with a page for every
finding code; the S1SR site (mkdocs.yml) carries none of it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from generator.diagnostics.rules import load_all

REPO = Path(__file__).resolve().parent.parent
GUIDE = ("getting-started.md", "source-format.md", "editors.md", "numbering.md", "consultation.md", "check.md",
         "reviewers.md", "site.md", "hooks-and-ci.md", "safety.md")


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs's own tags (!ENV, !relative); ignore them here."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _nav_paths(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    if isinstance(nav, dict):
        return [p for v in nav.values() for p in _nav_paths(v)]
    return []


def test_guide_pages_are_in_the_nav() -> None:
    config = yaml.load((REPO / "mkdocs-guide.yml").read_text(), Loader=_Loader)
    nav = _nav_paths(config.get("nav"))
    for page in GUIDE:
        assert (REPO / "docs" / page).is_file(), page
        assert page in nav, f"{page} is not in mkdocs-guide.yml's nav"
    assert "rules/index.md" in nav
    plugins = config["plugins"]
    s1sr = next(p["s1sr"] for p in plugins if isinstance(p, dict) and "s1sr" in p)
    assert s1sr.get("rules") is True and s1sr.get("document") is False
    # The S1SR site is the other one: none of the guide in its nav, no finding codes.
    site = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=_Loader)
    assert not set(_nav_paths(site.get("nav"))) & set(GUIDE) and site["docs_dir"] != config["docs_dir"]
    s1sr = next(p["s1sr"] for p in site["plugins"] if isinstance(p, dict) and "s1sr" in p)
    assert not s1sr.get("rules")


def test_guide_cites_only_codes_that_exist() -> None:
    codes = set(load_all())
    for page in GUIDE:
        for code in re.findall(r"rules/([A-Z]+\d+)\.md", (REPO / "docs" / page).read_text()):
            assert code in codes, f"docs/{page} links rules/{code}.md, which is not a finding code"


def test_mkdocs_build_strict_has_every_finding_code(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs-guide.yml",
                           "--site-dir", str(site)],
                          cwd=REPO, capture_output=True, text=True, timeout=600, env=env, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for code in load_all():
        page = site / "rules" / f"{code}.html"
        assert page.is_file(), f"no page for {code}"
        assert code in page.read_text(encoding="utf-8")
    index = (site / "rules" / "index.html").read_text(encoding="utf-8")
    assert all(f"{code}.html" in index for code in load_all())
    for page in GUIDE:
        assert (site / page.replace(".md", ".html")).is_file(), page
