"""`s1sr build` builds the sites too: the S1SR site beside the outputs, with them as downloads, and
the user guide where the project has one, each in its own folder, atomically."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from generator.app import api
from generator.app.site import find_config
from generator.cli import main
from generator.mkdocs_plugin import build_site
from tests.support import CONTENT, REPO


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_build_writes_the_site_beside_the_outputs(mini: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "build"
    assert main(["build", "--content", str(mini), "--out", str(out)]) == 0
    site = tmp_path / "out" / "site"
    said = capsys.readouterr().out
    assert "(the S1SR site)" in said and "user guide" not in said  # no mkdocs-guide.yml: no guide
    assert not (tmp_path / "out" / "site-guide").exists()
    # No mkdocs.yml beside the content: the built-in settings, the pages at the site root.
    assert find_config(str(mini)) == ""
    home = (site / "index.html").read_text()
    assert "Mini Requirements" in home
    outputs = sorted(p.name for p in out.iterdir() if p.name != ".s1sr-output")  # the marker is no download
    assert outputs and sorted(p.name for p in (site / "downloads").iterdir()) == outputs
    for name in outputs:
        assert f'href="downloads/{name}"' in home
        assert (site / "downloads" / name).read_bytes() == (out / name).read_bytes()
    assert (site / "sections" / "1-general.html").exists()
    assert not list(tmp_path.glob("out/.site.*")) and not list(tmp_path.glob("out/.build.*"))


def test_no_site_and_site_dir(mini: Path, tmp_path: Path) -> None:
    assert main(["build", "--content", str(mini), "--out", str(tmp_path / "a" / "build"), "--no-site"]) == 0
    assert not (tmp_path / "a" / "site").exists()
    assert main(["build", "--content", str(mini), "--out", str(tmp_path / "b"), "--site", str(tmp_path / "web")]) == 0
    assert (tmp_path / "web" / "index.html").exists()


def test_site_and_out_cannot_be_the_same_folder(mini: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["build", "--content", str(mini), "--out", str(tmp_path / "x"), "--site", str(tmp_path / "x")])
    assert exc.value.code == 2 and "same folder" in capsys.readouterr().err


def test_a_failed_site_build_leaves_the_previous_outputs(mini: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out, site = tmp_path / "build", tmp_path / "site"
    assert main(["build", "--content", str(mini), "--out", str(out)]) == 0
    before = _digest(out), _digest(site)
    # Change the source, and break the site's settings: nothing may change.
    section = mini / "sections" / "01-general.yaml"
    section.write_text(section.read_text().replace("first item", "a changed item"))
    (tmp_path / "mkdocs.yml").write_text("site_name: Broken\ntheme:\n  name: no-such-theme\nplugins:\n  - s1sr\n")
    with pytest.raises(SystemExit) as exc:
        main(["build", "--content", str(mini), "--out", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "the site could not be built" in err and "previous site is untouched" in err
    assert (_digest(out), _digest(site)) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".build.", ".site."))]


def test_a_config_without_the_plugin_is_refused(mini: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Plain\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Plain\n")
    with pytest.raises(SystemExit):
        main(["build", "--content", str(mini), "--out", str(tmp_path / "build")])
    assert "does not use the s1sr plugin" in capsys.readouterr().err
    assert not (tmp_path / "build").exists() and not (tmp_path / "site").exists()


def test_a_broken_link_in_a_page_of_the_site_is_a_finding_not_a_failure(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text().split("\nnav:")[0] + "\n")
    (tmp_path / "site-docs").mkdir()
    (tmp_path / "site-docs" / "index.md").write_text("# Home\n\nSee [the S1SR](s1sr/index.md) and [later](later.md).\n")
    (tmp_path / "site-docs" / "reading.md").write_text("# Reading\n")
    _, diags = api.build(str(mini), str(tmp_path / "build"), site=str(tmp_path / "site"), site_builder=build_site)
    md = [d for d in diags if d.code == "MD101"]
    assert len(md) == 1 and "later.md" in md[0].message
    assert md[0].location.file.endswith("site-docs/index.md")
    assert (tmp_path / "site" / "s1sr" / "index.html").exists()


def _with_the_guide(mini: Path) -> Path:
    """The mini content beside this repository's two site settings and their pages."""
    root = mini.parent
    for name in ("mkdocs.yml", "mkdocs-guide.yml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "site-docs", root / "site-docs")
    shutil.copytree(REPO / "docs", root / "docs")
    return root


def test_the_guide_is_a_site_of_its_own(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _with_the_guide(mini)
    assert main(["build", "--content", str(mini), "--out", str(root / "build")]) == 0
    said = capsys.readouterr().out
    assert "(the S1SR site)" in said and "(the user guide)" in said
    site, guide = root / "site", root / "site-guide"
    # The S1SR site: the document, no guide pages, no finding codes; the guide: the reverse.
    assert (site / "s1sr" / "index.html").exists() and (site / "s1sr" / "dmvesm.html").exists()
    assert not (site / "rules").exists() and not (site / "getting-started.html").exists()
    assert (guide / "getting-started.html").exists() and (guide / "rules" / "S1SR201.html").exists()
    assert not (guide / "s1sr").exists() and not (guide / "downloads").exists()
    # Each its own search: the guide's index knows no clause, the S1SR's no guide page.
    s1sr_index = (site / "search" / "search_index.json").read_text()
    guide_index = (guide / "search" / "search_index.json").read_text()
    assert "getting-started.html" not in s1sr_index and "rules/" not in s1sr_index
    assert '"location":"s1sr/sections/' in s1sr_index and '"location":"s1sr/' not in guide_index
    assert '"location":"getting-started.html' in guide_index
    # Each its own navigation.
    assert "Getting started" not in (site / "index.html").read_text()
    assert "Sections" not in (guide / "index.html").read_text()


def test_no_guide_and_guide_dir(mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _with_the_guide(mini)
    assert main(["build", "--content", str(mini), "--out", str(root / "a" / "build"), "--no-guide"]) == 0
    assert (root / "a" / "site").is_dir() and not (root / "a" / "site-guide").exists()
    assert main(["build", "--content", str(mini), "--out", str(root / "b" / "build"), "--guide",
                 str(tmp_path / "handbook")]) == 0
    assert (tmp_path / "handbook" / "index.html").exists() and not (root / "b" / "site-guide").exists()
    assert main(["build", "--content", str(mini), "--out", str(root / "c" / "build"), "--no-site"]) == 0
    assert not (root / "c" / "site").exists() and not (root / "c" / "site-guide").exists()
    with pytest.raises(SystemExit) as exc:
        main(["build", "--content", str(mini), "--out", str(root / "d"), "--site", str(root / "w"), "--guide",
              str(root / "w")])
    assert exc.value.code == 2 and "--guide and --site name the same folder" in capsys.readouterr().err
    # Inside the S1SR site, a standalone `mkdocs build` of the site would wipe it: refused.
    with pytest.raises(SystemExit) as exc:
        main(["build", "--content", str(mini), "--out", str(root / "e" / "build"), "--guide",
              str(root / "e" / "site" / "guide")])
    assert exc.value.code == 2 and "overlap" in capsys.readouterr().err
    assert not (root / "e" / "build").exists() and not (root / "e" / "site").exists()


def test_a_release_is_published_as_designated(tmp_path: Path) -> None:
    api.build(str(CONTENT), str(tmp_path / "build"), release="v12", site=str(tmp_path / "site"), site_builder=build_site)
    page = next((tmp_path / "site" / "s1sr" / "sections").glob("18-*.html")).read_text()
    # v12's numbering error, as it was published: 18.5p's items numbered as clauses.
    assert '<a class="s1sr-num" id="c-pd-clock-before" href="#c-pd-clock-before"><span id="n-18.5q">' in page
    home = (tmp_path / "site" / "s1sr" / "index.html").read_text()
    assert "12.0" in home and "Designated" in home
