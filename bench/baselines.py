"""Baselines: what the same data costs written by the obvious tools, measured on the same corpus.

- :func:`lxml_docx`: the same paragraphs (label, runs, bold terms, italics, tables) built as
  ``word/document.xml`` with lxml alone and zipped into a minimal .docx: the floor for our writer;
- :func:`python_docx`: the same paragraphs through python-docx's ``add_paragraph``/``add_run``:
  what a naive writer costs;
- :func:`openpyxl_cells`: the same cell values as our workbook, written by openpyxl without styling;
- :func:`write_pages` / :func:`mkdocs_config`: our generated pages as a plain MkDocs project (same
  theme, extensions, nav and stylesheet, no plugin): the floor for the site;
- :func:`write_sdoc`: the same clauses as StrictDoc documents (one per section), for a peer's HTML
  export; LibreOffice and StrictDoc themselves run as subprocesses from ``bench.run``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from collections.abc import Sequence
from importlib import resources
from typing import Any

# A paragraph: ("p", style, label, ((kind, text), ...)) with kind "", "b" (bold) or "i" (italic);
# a table: ("t", header, rows).
Para = tuple[Any, ...]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def paragraphs(project: Any) -> list[Para]:
    """What the S1SR .docx holds, as plain data: headings, numbered clauses, tables."""
    from generator.model import Emph, Term, Xref, walk

    numbers = {c.id: c.number for c in walk(project.document.sections)}
    out: list[Para] = []
    for c in walk(project.document.sections):
        if c.heading:
            out.append(("p", f"Heading{min(c.level, 9)}", c.label if c.level == 1 else "", (("", c.heading),)))
        if c.not_used:
            out.append(("p", f"Level{c.level}", c.label, (("", "[Not used]"),)))
            continue
        if c.level == 1 and not c.text:
            continue
        runs: list[tuple[str, str]] = []
        for node in c.text:
            if isinstance(node, Xref):
                runs.append(("", numbers.get(node.target, node.target)))
            else:
                runs.append(("b" if isinstance(node, Term) else "i" if isinstance(node, Emph) else "", node.text))
        if runs or c.level > 1:
            out.append(("p", f"Level{c.level}", "" if c.heading and c.level == 1 else c.label, tuple(runs)))
        if c.table:
            out.append(("t", tuple(c.table.header), tuple(tuple(r) for r in c.table.rows)))
    return out


# -- .docx ------------------------------------------------------------------------------------------
def lxml_docx(paras: Sequence[Para]) -> bytes:
    from lxml import etree

    sub = etree.SubElement
    doc = etree.Element(W + "document", nsmap={"w": W_NS})
    body = sub(doc, W + "body")

    def run(p: Any, text: str, kind: str = "") -> None:
        r = sub(p, W + "r")
        if kind:
            sub(sub(r, W + "rPr"), W + ("b" if kind == "b" else "i"))
        t = sub(r, W + "t")
        t.text = text
        t.set(XML_SPACE, "preserve")

    for para in paras:
        if para[0] == "t":
            tbl = sub(body, W + "tbl")
            for row in (para[1], *para[2]):
                tr = sub(tbl, W + "tr")
                for cell in row:
                    run(sub(sub(tr, W + "tc"), W + "p"), cell)
            continue
        _, style, label, runs = para
        p = sub(body, W + "p")
        sub(sub(p, W + "pPr"), W + "pStyle").set(W + "val", style)
        if label:
            run(p, label)
            sub(sub(p, W + "r"), W + "tab")
        for kind, text in runs:
            run(p, text, kind)
    xml = etree.tostring(doc, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def python_docx(paras: Sequence[Para]) -> bytes:
    import docx

    doc = docx.Document()
    for para in paras:
        if para[0] == "t":
            header, rows = para[1], para[2]
            table = doc.add_table(rows=1 + len(rows), cols=len(header))
            for r, row in enumerate((header, *rows)):
                for k, cell in enumerate(row):
                    table.cell(r, k).text = cell
            continue
        _, style, label, runs = para
        p = doc.add_paragraph(style=style.replace("Heading", "Heading ") if style.startswith("Heading") else None)
        if label:
            p.add_run(label + "\t")
        for kind, text in runs:
            run = p.add_run(text)
            if kind == "b":
                run.bold = True
            elif kind == "i":
                run.italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# -- .xlsx -------------------------------------------------------------------------------------------
Cells = dict[str, list[tuple[int, int, Any]]]


def workbook_cells(path: str, project: Any) -> Cells:
    """Every non-empty cell (sheet → (row, column, value)) of our workbook, read back; the matrix
    grid when there is no workbook yet."""
    out: Cells = {}
    if path and os.path.exists(path):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        try:
            for ws in wb.worksheets:
                cells = out.setdefault(ws.title, [])
                for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
                    cells += [(r, c, v) for c, v in enumerate(row, start=1) if v is not None]
        finally:
            wb.close()
        return out
    from generator.model import walk

    numbers = {c.id: c.number for c in walk(project.document.sections)}
    col = {d.id: i for i, d in enumerate(project.devices, start=3)}
    rows: dict[str, int] = {}
    grid = out.setdefault("DMVESM", [(1, 1, "SRV"), (1, 2, "Name")] + [(1, c, d) for d, c in col.items()])
    for cell in project.matrix:
        if cell.srv not in rows:
            rows[cell.srv] = len(rows) + 2
            grid.append((rows[cell.srv], 1, cell.srv))
        grid.append((rows[cell.srv], col.get(cell.device, 3), ", ".join(numbers.get(c, c) for c in cell.clauses)))
    return out


def openpyxl_cells(sheets: Cells) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    for title, cells in sheets.items():
        ws = wb.create_sheet(title)
        for r, c, v in cells:
            ws.cell(row=r, column=c, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- the site ----------------------------------------------------------------------------------------
_EXTENSIONS = ["attr_list", "md_in_html", "tables", {"toc": {"permalink": True}}]


def mkdocs_config(path: str, *, docs_dir: str, plugin_content: str = "", nav: Any = None, prune: bool = False) -> None:
    """A mkdocs.yml: with ``plugin_content`` the s1sr plugin generates the pages (prefix "", its
    defaults: Material's navigation.prune, every release's files), else the pages already in
    ``docs_dir`` are built bare, with the plugin's nav and stylesheet (and with ``prune``,
    Material's navigation.prune as well: how much of the difference is the pruning)."""
    import yaml

    here = os.path.dirname(os.path.abspath(path))
    cfg: dict[str, Any] = {
        "site_name": "S1SR (synthetic)",
        "docs_dir": os.path.relpath(docs_dir, here),
        "use_directory_urls": False,
        "theme": {"name": "material", "font": False, "language": "en"},
        "markdown_extensions": _EXTENSIONS,
        "validation": {"omitted_files": "info", "absolute_links": "info", "unrecognized_links": "info",
                       "anchors": "info"},
    }
    if plugin_content:
        cfg["plugins"] = ["search", {"s1sr": {"content": os.path.relpath(plugin_content, here), "prefix": ""}}]
    else:
        cfg["plugins"] = ["search"]
        if prune:
            cfg["theme"]["features"] = ["navigation.prune"]
        cfg["extra_css"] = ["assets/s1sr/s1sr.css"]
        cfg["extra"] = {"polyfills": ["assets/s1sr/s1sr.js"]}
        if nav:
            cfg["nav"] = nav
    os.makedirs(here, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(cfg, fh, sort_keys=False, allow_unicode=True)


def write_pages(pages: dict[str, bytes], nav: Any, folder: str) -> None:
    """The generated pages as a docs folder (plus the plugin's assets) and their nav as JSON."""
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    for path, data in pages.items():
        full = os.path.join(folder, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            fh.write(data)
    site_data = resources.files("generator").joinpath("data", "site")
    for name in ("s1sr.css", "s1sr.js"):
        src = site_data.joinpath(name)
        if src.is_file():
            os.makedirs(os.path.join(folder, "assets", "s1sr"), exist_ok=True)
            with open(os.path.join(folder, "assets", "s1sr", name), "wb") as fh:
                fh.write(src.read_bytes())
    with open(folder.rstrip("/") + "-nav.json", "w", encoding="utf-8") as fh:
        json.dump(nav, fh)


# -- StrictDoc ---------------------------------------------------------------------------------------
def _sdoc_text(c: Any) -> str:
    from generator.model import Emph, Term, Xref

    parts: list[str] = []
    for node in c.text:
        if isinstance(node, Xref):
            parts.append(f"[LINK: {_uid(node.target)}]")
        elif isinstance(node, Term):
            parts.append(f"**{node.text}**")
        elif isinstance(node, Emph):
            parts.append(f"*{node.text}*")
        else:
            parts.append(node.text)
    return "".join(parts).replace("<<<", "< < <").strip()


def _uid(cid: str) -> str:
    return "C-" + cid.replace(":", "-")


def _sdoc_node(c: Any, out: list[str]) -> None:
    title = f"{c.number} {c.heading}".strip()
    text = "[Not used]" if c.not_used else _sdoc_text(c)
    if c.children:
        out += ["[[SECTION]]", f"UID: {_uid(c.id)}", f"TITLE: {title}", ""]
        if text:
            out += ["[TEXT]", "STATEMENT: >>>", text, "<<<", ""]
        for child in c.children:
            _sdoc_node(child, out)
        out += ["[[/SECTION]]", ""]
        return
    out += ["[REQUIREMENT]", f"UID: {_uid(c.id)}", f"TITLE: {title}", "STATEMENT: >>>", text or title, "<<<", ""]


def write_sdoc(project: Any, folder: str) -> None:
    """One StrictDoc document per section of ``project``."""
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    for i, section in enumerate(project.document.sections, start=1):
        lines = ["[DOCUMENT]", f"TITLE: {section.number} {section.heading or section.id}", ""]
        _sdoc_node(section, lines)
        with open(os.path.join(folder, f"{i:03d}.sdoc"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))


def strictdoc_command(venv: str, sdoc: str, out: str) -> list[str]:
    return [os.path.join(venv, "bin", "strictdoc"), "export", "--formats", "html", "--output-dir", out, sdoc]


def soffice_command(soffice: str, profile: str, src: str, outdir: str) -> list[str]:
    return [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "txt",
            "--outdir", outdir, src]



# The floor for ``s1sr check``: the same YAML files parsed by libyaml through PyYAML's
# CSafeLoader, and nothing else, in a fresh interpreter like the command's.
_YAML_FLOOR = """
import sys, yaml
for path in sys.argv[1:]:
    with open(path, "rb") as fh:
        yaml.load(fh, Loader=yaml.CSafeLoader)
"""


def yaml_files(content: str) -> list[str]:
    """Every YAML file of a content folder, in a fixed order."""
    out = []
    for folder, _dirs, files in sorted(os.walk(content)):
        out += [os.path.join(folder, f) for f in sorted(files) if f.endswith((".yaml", ".yml"))]
    return out


def yaml_floor_command(python: str, content: str) -> list[str]:
    return [python, "-c", _YAML_FLOOR, *yaml_files(content)]
