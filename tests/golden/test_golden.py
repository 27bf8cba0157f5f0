"""Golden files: what each writer makes of a mini project (tests/golden/mini/content), kept in the
repository and compared on every run. Markdown is compared byte for byte; a .docx or .xlsx part
by part (the same part names, each XML part as canonical XML, any other part byte for byte).

After a deliberate change to a writer:

    .venv/bin/python -m pytest tests/golden --update-golden    # rewrite them
    git diff tests/golden                                      # review every change, then commit

Never edit a golden file by hand.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator.app import api
from generator.passes.diff import diff_projects
from generator.writers.markdown import write_markdown

HERE = Path(__file__).resolve().parent
MINI = HERE / "mini" / "content"
EPOCH = "1743379200"  # 2025-03-31, the mini draft's date: no clock in the outputs
_XML = (".xml", ".rels", ".vml")


def _outputs() -> dict[str, dict[str, bytes]]:
    """Golden folder (writer/case) → {file name: bytes} for the mini project."""
    loaded = api.load_clean(str(MINI))
    project = loaded.project
    assert not [d for d in loaded.diags if d.severity.value == "error"], loaded.diags
    assert project.baseline is not None
    name = project.baseline.name
    baseline = api.release_project(project, name)
    changes = diff_projects(baseline, project, from_label=name, to_label="draft")[0]
    letters, diags = api.letters(project, {name: (baseline, changes)})
    assert not diags, diags
    out: dict[str, dict[str, bytes]] = {}
    for writer in ("docx", "xlsx", "redline-docx", "redline-xlsx", "letter"):
        out[f"{writer}/mini"] = api.render(project, env_epoch=EPOCH, baseline=baseline, changes=changes,
                                           letters=letters, only=(writer,))
        assert out[f"{writer}/mini"], writer
    options = api.writer_options(project, env_epoch=EPOCH)
    out["markdown/mini"] = write_markdown(project, options, prefix="s1sr")
    return out


def _canonical(data: bytes) -> bytes:
    """An XML part with insignificant whitespace between elements dropped, as canonical XML
    (C14N 2.0), indented for reading: equal bytes mean the same XML."""
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True, resolve_entities=False))
    canonical = etree.fromstring(etree.tostring(root, method="c14n2", strip_text=False))
    etree.indent(canonical, space=" ")
    return etree.tostring(canonical, encoding="utf-8") + b"\n"


def _expand(files: dict[str, bytes]) -> dict[str, bytes]:
    """Each file as golden entries: a package becomes NAME/part for each part (XML parts
    canonical, others as they are, plus NAME/parts.txt listing them in order)."""
    out: dict[str, bytes] = {}
    for name, data in files.items():
        if not name.endswith((".docx", ".xlsx")):
            out[name] = data
            continue
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            listing = []
            for info in z.infolist():
                part = z.read(info)
                if info.filename.endswith(_XML):
                    out[f"{name}/{info.filename}"] = _canonical(part)
                    listing.append(info.filename)
                else:
                    listing.append(f"{info.filename} sha256:{hashlib.sha256(part).hexdigest()}")
            out[f"{name}/parts.txt"] = ("\n".join(listing) + "\n").encode()
    return out


@pytest.fixture(scope="module")
def outputs() -> dict[str, dict[str, bytes]]:
    return _outputs()


@pytest.mark.parametrize("folder", ["docx/mini", "xlsx/mini", "redline-docx/mini", "redline-xlsx/mini",
                                    "letter/mini", "markdown/mini"])
def test_golden(folder: str, outputs: dict[str, dict[str, bytes]], update_golden: bool) -> None:
    got = _expand(outputs[folder])
    where = HERE / folder
    if update_golden:
        shutil.rmtree(where, ignore_errors=True)
        for rel, data in got.items():
            (where / rel).parent.mkdir(parents=True, exist_ok=True)
            (where / rel).write_bytes(data)
        return
    assert where.is_dir(), f"no golden files in {where}: run pytest tests/golden --update-golden and review them"
    kept = {p.relative_to(where).as_posix(): p.read_bytes() for p in sorted(where.rglob("*")) if p.is_file()}
    assert sorted(got) == sorted(kept), "the files or parts differ (pytest tests/golden --update-golden, review)"
    changed = [rel for rel in got if got[rel] != kept[rel]]
    for rel in changed:
        # The first difference, readable, then the whole list of parts that differ.
        assert got[rel].decode("utf-8", "replace") == kept[rel].decode("utf-8", "replace"), \
            f"{folder}/{rel} differs from its golden file; also differing: {changed}"


def test_the_comparison_is_canonical_not_textual() -> None:
    """Attribute order, quoting and whitespace between elements do not count; text does."""
    a = b'<w:p xmlns:w="urn:w"><w:r w:a="1" w:b="2"><w:t xml:space="preserve"> x </w:t></w:r></w:p>'
    b = b"<w:p xmlns:w='urn:w'>\n  <w:r w:b='2' w:a='1'>\n    <w:t xml:space='preserve'> x </w:t></w:r></w:p>"
    c = b'<w:p xmlns:w="urn:w"><w:r w:a="1" w:b="2"><w:t xml:space="preserve"> y </w:t></w:r></w:p>'
    assert _canonical(a) == _canonical(b)
    assert _canonical(a) != _canonical(c)
