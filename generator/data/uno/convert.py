"""Convert documents to PDF inside a running LibreOffice, through UNO.

Run by a Python that has LibreOffice's UNO bridge (Debian's python3-uno, or the ``python``
LibreOffice ships in its program folder), never imported by s1sr itself::

    python3 convert.py PIPE-NAME JOB.json

JOB.json lists ``{"source": path, "target": path, "kind": "writer" | "calc", "contents": path}``.
For a text document every index (the contents) and every field is updated twice (page
numbers settle once the contents have their final length) before export, so the PDF's
contents show page numbers; the contents as LibreOffice rebuilt them are written to the
task's ``contents`` file as JSON, ``[[entry text, page], ...]`` (s1sr writes those pages
into the .docx). The script then asks LibreOffice to quit.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def _props(**values: Any) -> tuple[Any, ...]:
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name = name
        p.Value = value
        out.append(p)
    return tuple(out)


def _connect(pipe: str, seconds: float = 60.0) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + seconds
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _update(doc: Any) -> None:
    if not hasattr(doc, "getDocumentIndexes"):
        return
    for _ in range(2):
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.getTextFields().refresh()


def _contents(doc: Any) -> list[list[str]]:
    """The first table of contents as laid out: [entry text, page] for each entry line."""
    if not hasattr(doc, "getDocumentIndexes"):
        return []
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if not index.supportsService("com.sun.star.text.ContentIndex"):
            continue
        lines = [x for x in index.getAnchor().getString().splitlines() if x.strip()]
        if lines and index.Title and lines[0].strip() == index.Title.strip():
            lines = lines[1:]
        out = []
        for line in lines:
            text, _, page = line.rpartition("\t")
            out.append([text, page.strip()] if text else [line, ""])
        return out
    return []


def _export(desktop: Any, source: str, target: str, kind: str, contents: str = "") -> None:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                       _props(Hidden=True, ReadOnly=True, UpdateDocMode=0))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {source}")
    try:
        _update(doc)
        if contents:
            with open(contents, "w", encoding="utf-8") as fh:
                json.dump(_contents(doc), fh)
        data = uno.Any("[]com.sun.star.beans.PropertyValue",
                       _props(UseTaggedPDF=True, ExportBookmarks=True, ExportNotes=False,
                              ExportOnlyNotesPages=False, EmbedStandardFonts=False))
        doc.storeToURL(uno.systemPathToFileUrl(target),
                       _props(FilterName="calc_pdf_Export" if kind == "calc" else "writer_pdf_Export",
                              FilterData=data))
    finally:
        doc.close(True)


def main(argv: list[str]) -> int:
    pipe, job = argv[1], argv[2]
    with open(job, encoding="utf-8") as fh:
        tasks = json.load(fh)
    ctx = _connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    try:
        for task in tasks:
            _export(desktop, task["source"], task["target"], task["kind"], task.get("contents", ""))
    finally:
        try:
            desktop.terminate()
        except Exception:  # the office going away ends the connection mid-call; that is success
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
