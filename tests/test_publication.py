"""The versions a site publishes (generator.app.publication): every release as designated with its
files, the draft, each compared with the one before; and a release file that no longer matches
what the release recorded (MD110)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from generator.app import api
from generator.app.publication import versions
from generator.cli import main
from generator.passes.diff import diff_projects
from tests.support import CONTENT


def test_the_example_publishes_every_release_then_the_draft() -> None:
    project = api.load_clean(str(CONTENT)).project
    published = versions(project)
    assert [v.label for v in published.versions] == ["v11", "v12", "draft"]
    v11, v12, draft = published.versions
    assert v11.changes is None
    assert v12.changes is not None and (v12.changes.from_label, v12.changes.to_label) == ("v11", "v12")
    # Each comparison is the diff pass's, word by word, as `s1sr diff` gives it.
    assert v12.changes == diff_projects(v11.project, v12.project, from_label="v11", to_label="v12")[0]
    assert draft.changes is not None and draft.changes.from_label == project.baseline.name  # type: ignore[union-attr]
    assert draft.project is project and v12.project.document.status == "designated"
    # Each release's files, rendered from its snapshot: the bytes `s1sr build --release` writes.
    for v in (v11, v12):
        rendered = api.render(api.release_project(project, v.name))
        assert published.files[v.name] == rendered
        assert [(f.name, f.size) for f in v.files] == [(n, len(b)) for n, b in sorted(rendered.items())]
        assert all(f.sha256 == api.sha256(rendered[f.name]) for f in v.files)
    assert draft.files == () and "" not in published.files
    assert not published.diagnostics  # the example's snapshots record no digests: nothing to differ


def test_a_release_site_publishes_the_releases_up_to_it() -> None:
    project = api.load_clean(str(CONTENT)).project
    v11 = api.release_project(project, "v11")
    published = versions(v11, release="v11", files=False)
    assert [v.label for v in published.versions] == ["v11"]
    v12 = api.release_project(project, "v12")
    published = versions(v12, release="v12", files=False)
    assert [v.label for v in published.versions] == ["v11", "v12"]
    assert published.versions[-1].project is v12 and published.files == {}


@pytest.fixture
def released(mini: Path) -> Path:
    """The mini source released as r1 (the release records the SHA-256 of its files)."""
    api.release(str(mini), "r1")
    return mini


def test_release_files_match_what_the_release_recorded(released: Path) -> None:
    published = versions(api.load_clean(str(released)).project)
    r1 = published.versions[0]
    recorded = json.loads((released / "releases" / "r1.json").read_text())["outputs"]
    assert recorded and {f.name: f.recorded for f in r1.files} == recorded
    assert all(f.sha256 == f.recorded for f in r1.files)
    assert not published.diagnostics


def test_a_release_file_that_differs_is_reported_and_marked(released: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = released / "releases" / "r1.json"
    snapshot = json.loads(path.read_text())
    name = next(n for n in snapshot["outputs"] if n.endswith(".docx"))
    snapshot["outputs"][name] = "0" * 64
    path.write_text(json.dumps(snapshot))
    published = versions(api.load_clean(str(released)).project)
    (d,) = published.diagnostics
    assert d.code == "MD110" and name in d.message and d.location.file.endswith("r1.json")
    # s1sr build says so and still publishes (the page marks the file).
    assert main(["build", "--content", str(released), "--out", str(tmp_path / "build")]) == 0
    err = capsys.readouterr().err
    assert "MD110" in err and name in err and "s1sr verify r1" in err
    page = (tmp_path / "site" / "releases" / "r1.html").read_text()
    assert "differs: the release recorded" in page and "0" * 64 in page
    assert (tmp_path / "site" / "downloads" / "releases" / "r1" / name).exists()


def test_a_recorded_file_the_site_does_not_render_is_still_named(released: Path, tmp_path: Path) -> None:
    """A release made with --pdf records its PDFs; the site renders no PDF (that needs LibreOffice),
    so the release page names them with the SHA-256 recorded, and how to get and check them."""
    path = released / "releases" / "r1.json"
    snapshot = json.loads(path.read_text())
    pdf = next(n for n in snapshot["outputs"] if n.endswith(".docx")).removesuffix(".docx") + "<b>.pdf"
    snapshot["outputs"][pdf] = "a" * 64
    path.write_text(json.dumps(snapshot))
    published = versions(api.load_clean(str(released)).project)
    assert pdf not in {f.name for f in published.versions[0].files} and not published.diagnostics
    assert main(["build", "--content", str(released), "--out", str(tmp_path / "build")]) == 0
    page = (tmp_path / "site" / "releases" / "r1.html").read_text()
    files = page.split('id="files"')[1].split('id="changes"')[0]
    assert "which this site does not publish" in files and "s1sr verify r1" in files
    assert f"<td>{pdf}</td>" in html.unescape(files) and "<b>" not in files and "a" * 64 in files
    # Every file the site publishes is still in the table above it, linked.
    for f in published.versions[0].files:
        assert f'href="../downloads/releases/r1/{f.name}"' in files
