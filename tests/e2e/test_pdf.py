"""``s1sr build --package``: the PDFs LibreOffice makes, read back as text (poppler's pdftotext, an
oracle independent of our writers), hold what a reader must see; the package is reproducible."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator import cli
from generator.app.pdf import PdfError, find_converter, normalise_pdf
from tests.support import require, run_cli

REPO = Path(__file__).resolve().parents[2]


def _text(pdf: Path, *, layout: bool = True, first: int = 0, last: int = 0) -> str:
    args = [require("pdftotext"), *(["-layout"] if layout else [])]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path) -> tuple[int, str]:
    info = subprocess.run([require("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]  # pdfinfo always says
    size = re.search(r"Page size:\s+(.*)", info).group(1)  # type: ignore[union-attr]  # (as above)
    return pages, size


def _fonts(pdf: Path, page: int) -> list[float]:
    """The font sizes (points) of the text on ``page``, from pdftotext's bounding boxes."""
    html = subprocess.run([require("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [float(b) - float(a) for a, b in re.findall(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" '
                                                        r'yMax="([^"]+)">', html)]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require("soffice")
    out = tmp_path_factory.mktemp("pkg") / "build"
    code = cli.main(["build", "--content", str(REPO / "content"), "--out", str(out), "--no-site", "--package", "-q"])
    assert code == 0
    return out


def test_s1sr_pdf_reads_as_a_reader_needs(package: Path) -> None:
    pdf = package / "S1SR-v13.0.pdf"
    text = _text(pdf)
    flat = " ".join(text.split())
    # References read as prose, capitalised where they open a sentence.
    assert "(a) Section 2 sets out the defined terms" in flat
    assert "Sections 3 and 5 set out" in flat
    assert "in accordance with clause 4.4" in flat
    # The contents list the sections and the annexes, with the page each starts on.
    contents = _text(pdf, first=2)
    assert re.search(r"^1 Introduction\.*\s*3$", contents, re.M), contents[:400]
    assert re.search(r"^Annex D L&G FOC ESME Half-Hourly Load-Profile Configuration\.*\s*\d+$", contents, re.M)
    # Annexes after the body, numbered as annexes; Annex A is the DMVESM, the title page says so.
    assert "Annex A, the Device Model Variations to Equivalent Steps Matrix (DMVESM), is published" in \
        " ".join(_text(pdf, first=1).split())
    assert "Annex D\tL&G FOC ESME" in _text(pdf, layout=False) or re.search(r"Annex D\s+L&G FOC ESME", text)
    assert re.search(r"\bD\.4\s+The DCC shall apply this configuration", text)
    assert "as set out in clause D.2" in flat  # an annex's clause cited in prose form


def test_redline_pdf_says_what_it_is(package: Path) -> None:
    pdf = package / "S1SR-redline-v12-to-v13.0.pdf"
    first = " ".join(_text(pdf, first=1).split())
    assert "Marked against version 12" in first
    assert "Key: inserted text is new in this version; deleted text is text of version 12.0" in first
    # Every page's header says it too.
    pages, _ = _pages(pdf)
    for page in (2, pages):
        assert "marked against version 12.0" in _text(pdf, first=page).splitlines()[0]


def test_letter_pdf_agrees_with_the_document(package: Path) -> None:
    flat = " ".join(_text(package / "letter-2025-04-recommendation.pdf").split())
    assert "a new Annex D" in flat
    assert "Annex D" in " ".join(_text(package / "S1SR-v13.0.pdf").split())


def test_dmvesm_prints_over_several_readable_pages(package: Path) -> None:
    pdf = package / "DMVESM-v13.0.pdf"
    pages, size = _pages(pdf)
    assert pages >= 4 and "(A3)" in size
    # Text no smaller than 8 pt (bounding boxes run a little under the font size, hence 7).
    sizes = _fonts(pdf, 1)
    assert sizes and sorted(sizes)[len(sizes) // 10] >= 7.0, sorted(sizes)[:10]
    first = _text(pdf, first=1)
    assert "Key:" in first and "no variation" in first and "N/A" in first and "–" in first
    # The header rows and the SRV columns repeat on every page: a page further across (other
    # Device Models) still starts with the SRV and its name.
    across = [t for t in (_text(pdf, first=p) for p in range(2, pages + 1)) if "Liberty 100" not in t
              and "Update Import Tariff (Primary Element)" in t]
    assert across and all("SRV name" in t for t in across)


def test_redline_workbook_has_a_key_and_names_both_versions(package: Path) -> None:
    flat = " ".join(_text(package / "DMVESM-redline-v12-to-v13.0.pdf").split())
    assert "Redline key old text: struck through in red" in flat
    assert "Marked against version 12.0 (release v12)" in flat
    assert "SRV 4.8.1 × Secure Europa G4" in flat  # Device Model names, not ids


def test_package_is_reproducible_and_its_manifest_holds(package: Path, tmp_path: Path) -> None:
    zpath = package / "S1SR-v13.0-package.zip"
    with zipfile.ZipFile(zpath) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(zf.read(entry["name"])).hexdigest() == entry["sha256"]
    assert {"S1SR-v13.0.docx", "S1SR-v13.0.pdf", "S1SR-redline-v12-to-v13.0.docx", "S1SR-redline-v12-to-v13.0.pdf",
            "DMVESM-v13.0.xlsx", "DMVESM-v13.0.pdf", "DMVESM-redline-v12-to-v13.0.xlsx",
            "DMVESM-redline-v12-to-v13.0.pdf", "letter-2025-04-recommendation.docx",
            "letter-2025-04-recommendation.pdf", "manifest.json"} <= names
    assert manifest["marked_against"] == "v12" and manifest["pdf_made_by"].startswith("LibreOffice")
    again = tmp_path / "again"
    assert cli.main(["build", "--content", str(REPO / "content"), "--out", str(again), "--no-site", "--package",
                     "-q"]) == 0
    assert (again / zpath.name).read_bytes() == zpath.read_bytes()  # same source, same bytes, PDFs included


def test_missing_libreoffice_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match=r"needs LibreOffice, and 'soffice' is not on the PATH; .*apt-get install"):
        find_converter(soffice=str(tmp_path / "no-soffice"), python=str(tmp_path / "no-python"))


def test_normalise_pdf_fixes_clock_values_in_place() -> None:
    a = b"%PDF-1.6\n/CreationDate(D:20261201222547Z')>>\ntrailer\n<</ID [ <0A0B> <0A0B> ]\n/DocChecksum /ABCD\n>>"
    b = a.replace(b"20261201222547", b"20270102030405")
    na, nb = normalise_pdf(a, "2025-04-30"), normalise_pdf(b, "2025-04-30")
    assert na == nb and len(na) == len(a)  # offsets of the cross-reference table stay valid
    assert b"D:20250430000000Z" in na


def test_no_soffice_on_path_fails_the_build_with_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    out = tmp_path / "b"
    code, _, err = run_cli(capsys, "build", "--content", str(REPO / "content"), "--out", str(out), "--no-site",
                           "--pdf")
    assert code == 2 and not out.exists()
    assert "--pdf needs LibreOffice" in err and "python3-uno" in err
