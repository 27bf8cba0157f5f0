"""PDF through LibreOffice headless, the real converter (``s1sr build --pdf``).

LibreOffice is started with a profile of its own in a temporary folder, listening on a named
pipe; ``generator/data/uno/convert.py`` is then run by a Python that has LibreOffice's UNO
bridge (the ``python`` in LibreOffice's program folder, else Debian's ``python3`` with
python3-uno). It opens each document hidden, updates every index and field (so the contents
show page numbers), reports the contents as laid out (entries and pages, which the build
writes into the .docx: :mod:`generator.writers.contents`), exports the PDF and makes
LibreOffice quit.

Same source, same PDF bytes: LibreOffice stamps the clock into ``/CreationDate`` and derives
``/ID`` and ``/DocChecksum`` from it, and it numbers some objects (the embedded fonts and
their descriptors) in an order that changes from one run to the next, the content being the
same. So the dates are set to the document's date, and the file is then rewritten by qpdf
(through pikepdf) with its objects numbered in the order they are reached from the
document's root, LibreOffice's ``/DocChecksum`` dropped and ``/ID`` derived from the content.
Streams are kept as LibreOffice compressed them. What is left depends on LibreOffice's
version (and the fonts installed): another version may lay out or compress differently.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from generator.errors import S1SRError

__all__ = ["Converter", "PdfError", "Rendered", "find_converter", "normalise_pdf", "pdf_name", "to_pdf"]

_HINT = ("install LibreOffice and its Python bridge (Debian: apt-get install libreoffice-writer-nogui "
         "libreoffice-calc-nogui python3-uno), or build without --pdf")
_TIMEOUT = 600


class PdfError(S1SRError):
    """LibreOffice is missing or failed; nothing was written."""


@dataclass(frozen=True, slots=True)
class Converter:
    soffice: str
    python: str  # a Python that can ``import uno``

    def version(self) -> str:
        """``LibreOffice 7.4.7.2 …`` as the program says it (recorded in a package's manifest)."""
        try:
            out = subprocess.run([self.soffice, "--version"], capture_output=True, text=True, timeout=60,
                                 env=_env(tempfile.gettempdir()))
        except (OSError, subprocess.SubprocessError):
            return ""
        return out.stdout.strip().splitlines()[0] if out.stdout.strip() else ""


def _env(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["HOME"] = home  # LibreOffice writes caches under HOME; keep them in our temporary folder
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def _has_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60,
                              env=_env(tempfile.gettempdir())).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def find_converter(soffice: str = "", python: str = "") -> Converter:
    """LibreOffice and a Python with its UNO bridge, or PdfError saying what to install."""
    found = soffice or shutil.which("soffice") or shutil.which("libreoffice") or ""
    if not found or not os.path.isfile(found):
        raise PdfError(f"--pdf needs LibreOffice, and 'soffice' is not on the PATH; {_HINT}")
    real = os.path.realpath(found)
    candidates = [python] if python else [os.path.join(os.path.dirname(real), "python"), "/usr/bin/python3",
                                          shutil.which("python3") or ""]
    for cand in candidates:
        if cand and os.path.isfile(cand) and _has_uno(cand):
            return Converter(soffice=found, python=cand)
    raise PdfError(f"--pdf needs LibreOffice's Python bridge (UNO), and no Python here can 'import uno' "
                   f"(tried {', '.join(c for c in candidates if c)}); {_HINT}")


def pdf_name(name: str) -> str:
    """``S1SR-v13.0.docx`` → ``S1SR-v13.0.pdf``."""
    return os.path.splitext(name)[0] + ".pdf"


@dataclass(frozen=True, slots=True)
class Rendered:
    """What one LibreOffice run made: the PDFs (by ``pdf_name``), and for each text document
    (by its own name) its contents as LibreOffice laid them out, (entry text, page) in order."""

    pdfs: dict[str, bytes]
    contents: dict[str, tuple[tuple[str, str], ...]]


def to_pdf(files: Mapping[str, bytes], converter: Converter, *, date: str) -> Rendered:
    """Each .docx/.xlsx in ``files`` as a PDF (``pdf_name`` of it), in one LibreOffice run."""
    with tempfile.TemporaryDirectory(prefix="s1sr-pdf-") as tmp:
        tasks = []
        for i, (name, data) in enumerate(sorted(files.items())):
            ext = os.path.splitext(name)[1].lower()
            src = os.path.join(tmp, f"in-{i}{ext}")
            with open(src, "wb") as fh:
                fh.write(data)
            kind = "calc" if ext == ".xlsx" else "writer"
            tasks.append({"name": name, "source": src, "target": os.path.join(tmp, f"out-{i}.pdf"), "kind": kind,
                          "contents": os.path.join(tmp, f"contents-{i}.json") if kind == "writer" else ""})
        job = os.path.join(tmp, "job.json")
        with open(job, "w", encoding="utf-8") as fh:
            json.dump(tasks, fh)
        _run(converter, tmp, job)
        out: dict[str, bytes] = {}
        contents: dict[str, tuple[tuple[str, str], ...]] = {}
        for t in tasks:
            if not os.path.isfile(t["target"]):
                raise PdfError(f"LibreOffice wrote no PDF for {t['name']}")
            with open(t["target"], "rb") as fh:
                out[pdf_name(t["name"])] = normalise_pdf(fh.read(), date)
            if t["contents"]:
                contents[t["name"]] = _read_contents(t["contents"], t["name"])
        return Rendered(pdfs=out, contents=contents)


def _read_contents(path: str, name: str) -> tuple[tuple[str, str], ...]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return tuple((str(text), str(page)) for text, page in data)
    except (OSError, ValueError, TypeError) as exc:
        raise PdfError(f"LibreOffice's contents for {name} cannot be read ({exc})") from exc


def _run(converter: Converter, tmp: str, job: str) -> None:
    pipe = f"s1sr-{uuid.uuid4().hex}"
    profile = os.path.join(tmp, "profile")
    env = _env(tmp)
    office = subprocess.Popen(
        [converter.soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--nologo",
         "--norestore", "--nodefault", "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    script = str(resources.files("generator").joinpath("data", "uno", "convert.py"))
    try:
        done = subprocess.run([converter.python, script, pipe, job], capture_output=True, text=True,
                              timeout=_TIMEOUT, env=env, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise PdfError(f"LibreOffice could not convert the documents to PDF: {last}")
        office.wait(timeout=120)
    except subprocess.TimeoutExpired as exc:
        raise PdfError(f"LibreOffice did not finish the PDF conversion within {_TIMEOUT} s") from exc
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()
        if office.stderr is not None:
            office.stderr.close()


_CREATION = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")


def normalise_pdf(data: bytes, date: str) -> bytes:
    """The PDF with what varies from run to run fixed: dates from ``date`` (YYYY-MM-DD), then
    rewritten in a canonical object order with an identifier derived from its content."""
    import pikepdf

    day = re.sub(r"[^0-9]", "", date)[:8].ljust(8, "0")

    def dated(m: re.Match[bytes]) -> bytes:
        old = m.group(0)
        new = b"/" + m.group(1) + b"(D:" + day.encode() + b"000000Z)"
        return new + b" " * (len(old) - len(new)) if len(new) <= len(old) else old

    data = _CREATION.sub(dated, data)  # same length: LibreOffice's cross-reference table stays right
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key in ("/DocChecksum", "/ID"):  # LibreOffice's digests of its own bytes, order included
            if key in pdf.trailer:
                del pdf.trailer[key]
        out = io.BytesIO()
        # qpdf numbers objects in the order it reaches them from the trailer (dictionary keys
        # sorted), whatever order LibreOffice wrote them in; streams are copied as they are.
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()
