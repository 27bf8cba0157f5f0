"""Release snapshots are read once per command: the source lists every release, and the
baseline's whole Project comes from the same parsed file."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from generator.app import api
from generator.readers import release
from tests.support import CONTENT


def test_a_build_parses_each_snapshot_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    parsed: Counter[str] = Counter()
    parse = release._parse

    def counted(path: str, size: int) -> object:
        parsed[Path(path).name] += 1
        return parse(path, size)

    monkeypatch.setattr(release, "_parse", counted)
    hashes, _ = api.build(str(content), str(tmp_path / "build"))
    assert hashes
    assert parsed == {"v11.json": 1, "v12.json": 1}


def test_a_snapshot_written_since_is_read_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    draft, _ = api.load(str(content))
    assert draft is not None
    first = api.release_project(draft, "v12")
    snapshot = content / "releases" / "v12.json"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace('"version": "12.0"', '"version": "12.9"'),
                        encoding="utf-8")
    again = api.release_project(draft, "v12")
    assert (first.document.version, again.document.version) == ("12.0", "12.9")
