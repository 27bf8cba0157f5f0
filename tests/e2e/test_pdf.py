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
from tests.support import require, run_cli, soffice_convert

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


def _pdf_contents(pdf: Path) -> list[tuple[str, str]]:
    """(entry, page) of the contents page of a PDF, as pdftotext reads it (dot leaders dropped)."""
    lines = _text(pdf, first=2).splitlines()
    out = []
    for line in lines[lines.index("Contents") + 1 if "Contents" in lines else 0:]:
        m = re.match(r"^(.+?)\s*\.{3,}\s*(\d+)$", line.strip())
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def _docx_contents(docx: Path, tmp: Path) -> list[tuple[str, str]]:
    """(entry, page) of a .docx's contents as LibreOffice opens it (cached results as written,
    nothing updated), from its plain-text export."""
    text = soffice_convert(docx, "txt:Text (encoded):UTF8", tmp).read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    start = lines.index("Contents") + 1
    out: list[tuple[str, str]] = []
    for line in lines[start:]:
        parts = line.split("\t")
        entry = f"{parts[0]} {parts[1]}".strip() if len(parts) > 1 else ""
        if not entry or (out and entry == out[0][0]):  # the body's first heading follows the contents
            break
        out.append((entry, parts[2].strip() if len(parts) > 2 else ""))
    return out


@pytest.mark.parametrize("name", ["S1SR-v13.0", "S1SR-redline-v12-to-v13.0"])
def test_the_docx_contents_show_the_pages_of_its_pdf(package: Path, tmp_path: Path, name: str) -> None:
    """With --pdf, the page numbers LibreOffice laid out for the PDF are written into the .docx's
    contents (its cached TOC result), so Word shows them without updating anything, and asks
    nothing on open (no w:updateFields)."""
    docx = package / f"{name}.docx"
    listed = _docx_contents(docx, tmp_path)
    assert len(listed) >= 20 and listed[0] == ("1 Introduction", "3"), listed[:3]
    assert all(page.isdigit() for _, page in listed), listed
    assert listed == _pdf_contents(package / f"{name}.pdf")
    with zipfile.ZipFile(docx) as zf:
        assert b"updateFields" not in zf.read("word/settings.xml")
        assert b"PAGEREF" in zf.read("word/document.xml")


def test_without_pdf_the_contents_list_the_entries_without_pages(tmp_path: Path) -> None:
    out = tmp_path / "b"
    assert cli.main(["build", "--content", str(REPO / "content"), "--out", str(out), "--no-site", "-q"]) == 0
    listed = _docx_contents(out / "S1SR-v13.0.docx", tmp_path)
    assert listed[0] == ("1 Introduction", "") and len(listed) >= 20
    assert all(page == "" for _, page in listed)


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
    with zipfile.ZipFile(zpath) as a, zipfile.ZipFile(again / zpath.name) as b:
        differ = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert not differ, differ  # same source, same bytes, PDFs included
    assert (again / zpath.name).read_bytes() == zpath.read_bytes()


def test_missing_libreoffice_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match=r"needs LibreOffice, and 'soffice' is not on the PATH; .*apt-get install"):
        find_converter(soffice=str(tmp_path / "no-soffice"), python=str(tmp_path / "no-python"))


def _pdf(stamp: str, fonts_first: bool) -> bytes:
    """A one-page PDF as LibreOffice varies it from run to run: its clock in /CreationDate, its
    /ID and /DocChecksum, and two font objects numbered in either order."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    first, second = (("/Regular", "/Bold") if fonts_first else ("/Bold", "/Regular"))
    made = {name: pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                       BaseFont=pikepdf.Name(f"/Helvetica-{name[1:]}")))
            for name in (first, second)}
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=made["/Regular"], F2=made["/Bold"]))
    pdf.docinfo["/CreationDate"] = f"D:{stamp}Z"
    pdf.trailer["/DocChecksum"] = pikepdf.Name("/" + stamp)
    out = io.BytesIO()
    pdf.save(out, static_id=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def test_normalise_pdf_gives_the_same_bytes_for_what_varies_between_runs() -> None:
    a, b = _pdf("20261201222547", True), _pdf("20270102030405", False)
    assert a != b
    na, nb = normalise_pdf(a, "2025-04-30"), normalise_pdf(b, "2025-04-30")
    assert na == nb
    assert b"D:20250430000000Z" in na and b"DocChecksum" not in na
    assert normalise_pdf(na, "2025-04-30") == na


def test_no_soffice_on_path_fails_the_build_with_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    out = tmp_path / "b"
    code, _, err = run_cli(capsys, "build", "--content", str(REPO / "content"), "--out", str(out), "--no-site",
                           "--pdf")
    assert code == 2 and not out.exists()
    assert "--pdf needs LibreOffice" in err and "python3-uno" in err


def test_release_with_pdf_records_the_pdfs_and_verify_checks_them(capsys: pytest.CaptureFixture[str], mini: Path,
                                                                  tmp_path: Path) -> None:
    require("soffice")
    code, out, _ = run_cli(capsys, "release", "--content", str(mini), "v1", "--pdf")
    assert code == 0, out
    path = mini / "releases" / "v1.json"
    snap = json.loads(path.read_text())
    pdfs = sorted(n for n in snap["outputs"] if n.endswith(".pdf"))
    assert pdfs and any(n.startswith("DMVESM") for n in pdfs) and snap["pdf_made_by"].startswith("LibreOffice")
    # The recorded hashes are those of the files `build --release v1 --pdf` writes.
    built = tmp_path / "b"
    assert cli.main(["build", "--content", str(mini), "--out", str(built), "--no-site", "--release", "v1", "--pdf",
                     "-q"]) == 0
    for name, digest in snap["outputs"].items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest, name
    # verify renders the PDFs again (a second LibreOffice run) and finds the same bytes.
    code, out, _ = run_cli(capsys, "verify", "--content", str(mini), "v1")
    assert code == 0 and "every output matches" in out, out
    # A recorded PDF hash that no longer matches is reported by name.
    snap["outputs"][pdfs[0]] = "0" * 64
    path.write_text(json.dumps(snap))
    code, out, _ = run_cli(capsys, "verify", "--content", str(mini), "v1")
    assert code == 1 and pdfs[0] in out


def test_verify_of_a_release_with_pdfs_needs_libreoffice(capsys: pytest.CaptureFixture[str], mini: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = mini / "releases" / "v1.json"
    assert run_cli(capsys, "release", "--content", str(mini), "v1")[0] == 0
    snap = json.loads(path.read_text())
    assert not [n for n in snap["outputs"] if n.endswith(".pdf")] and "pdf_made_by" not in snap  # not asked for
    snap["outputs"]["S1SR-v1.0.pdf"] = "0" * 64
    snap["pdf_made_by"] = "LibreOffice 7.4.7.2"
    path.write_text(json.dumps(snap))
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    code, _, err = run_cli(capsys, "verify", "--content", str(mini), "v1")
    assert code == 2 and "records the SHA-256 of its PDFs (made by LibreOffice 7.4.7.2)" in err
    assert "needs LibreOffice" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, "release", "--content", str(mini), "v2", "--pdf")
    assert code == 2 and "--pdf needs LibreOffice" in err and not (mini / "releases" / "v2.json").exists()
