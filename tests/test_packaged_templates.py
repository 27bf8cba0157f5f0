"""The package ships copies of the top-level templates as defaults; they must not drift."""

from __future__ import annotations

import filecmp
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_letter_templates_match_the_package_defaults() -> None:
    top, packaged = REPO / "templates" / "letter", REPO / "generator" / "data" / "templates" / "letter"
    assert _files(top) == _files(packaged)
    _, mismatch, errors = filecmp.cmpfiles(top, packaged, _files(top), shallow=False)
    assert not mismatch and not errors, "copy templates/letter/ into generator/data/templates/letter/"


def test_reference_docx_matches_the_package_default() -> None:
    assert (REPO / "templates" / "reference.docx").read_bytes() == \
        (REPO / "generator" / "data" / "reference.docx").read_bytes()
