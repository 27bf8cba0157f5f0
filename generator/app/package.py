"""One release package per version (``s1sr build --package``): the zip a drafting team sends
with a recommendation letter, as the Department and SEC Parties receive it.

``S1SR-v13.0-package.zip`` holds the clean and redlined S1SR (.docx and .pdf), the clean and
redlined DMVESM (.xlsx and .pdf), the letters and the consultation documents (.docx, .xlsx and
.pdf) and ``manifest.json``: for each
file its SHA-256 and size, with the document, version, status, date, the release the redlines
are marked against, the content hash and the LibreOffice that made the PDFs. Same source,
same bytes: entries in name order, every timestamp the document's date.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from typing import TYPE_CHECKING

from generator.ooxml.package import zip_time

if TYPE_CHECKING:
    from generator.model import Project
    from generator.writers.options import WriterOptions

__all__ = ["MANIFEST", "package_files", "package_name"]

MANIFEST = "manifest.json"
FORMAT = "s1sr-package/1"
_KINDS = (".docx", ".xlsx", ".pdf")


def package_name(project: Project) -> str:
    d = project.document
    return f"{d.short_title or d.id}-v{d.version}-package.zip"


def package_files(project: Project, files: Mapping[str, bytes], libreoffice: str,
                  options: WriterOptions) -> dict[str, bytes]:
    """``{package name: zip bytes}`` holding every document of ``files`` and the manifest."""
    members = {n: files[n] for n in sorted(files) if n.endswith(_KINDS) and "/" not in n}
    d = project.document
    manifest = {
        "format": FORMAT,
        "document": d.title,
        "short_title": d.short_title or d.id,
        "appendix": d.appendix,
        "version": d.version,
        "status": d.status,
        "date": options.date,
        "marked_against": options.against,
        "content_hash": options.source_hash,
        "pdf_made_by": libreoffice,
        "files": [{"name": n, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for n, data in members.items()],
    }
    when = zip_time(options.date)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        entries = {**members, MANIFEST: (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode("utf-8")}
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, entries[name])
    return {package_name(project): out.getvalue()}
