"""Package bytes: save a python-docx document, then normalise the zip so that the same
input always gives the same bytes (fixed entry order, timestamps, permissions, deflate).

A large body is not built as one tree: :func:`save_streamed` saves the document with an empty
body and writes the body's blocks straight into the compressed ``word/document.xml`` entry,
one block at a time, so memory holds one clause's elements, never the whole document."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING

from lxml import etree

from generator.ooxml.ns import W_NS, w

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

__all__ = ["ZIP_EPOCH", "block_holder", "drop_relationships", "normalise_zip", "package_parts", "read_part", "replace_part",
           "save_bytes", "save_streamed", "write_normalised", "zip_time"]

# [Content_Types].xml first and the package relationships next, as Office writes them;
# every other part follows in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_time(day: str) -> tuple[int, int, int, int, int, int]:
    """Midnight of ISO date ``day`` as a zip timestamp; 1980-01-01 when ``day`` is not a
    date a zip can hold."""
    try:
        d = dt.date.fromisoformat(day)
    except ValueError:
        return ZIP_EPOCH
    if not 1980 <= d.year <= 2107:
        return ZIP_EPOCH
    return (d.year, d.month, d.day, 0, 0, 0)


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name), "") if name in _FIRST else (len(_FIRST), name)


def normalise_zip(data: bytes, when: tuple[int, int, int, int, int, int] = ZIP_EPOCH,
                  streamed: dict[str, Callable[[IO[bytes]], None]] | None = None) -> bytes:
    """``data`` (a zip) rewritten with a fixed entry order, timestamp, permissions and
    compression, and without extra fields or comments. Each part named in ``streamed`` is
    written by its function, straight into the compressed entry, instead of copied."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return write_normalised(src.namelist(), src.read, when, streamed)


def write_normalised(names: Iterable[str], read: Callable[[str], bytes], when: tuple[int, int, int, int, int, int],
                streamed: dict[str, Callable[[IO[bytes]], None]] | None) -> bytes:
    """The normalised zip of the parts ``names``, each read by ``read`` (or written by its
    function in ``streamed``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
        for name in sorted(names, key=_order):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so external_attr holds the mode
            info.external_attr = (0o100644 << 16)
            if streamed and name in streamed:
                with dst.open(info, "w") as fh:
                    streamed[name](fh)
            else:
                dst.writestr(info, read(name))
    return out.getvalue()


class _Parts:
    """Stands in for python-docx's zip writer: keeps each part's bytes by its name in the zip."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.blobs[pack_uri.membername] = blob


def package_parts(document: DocxDocument) -> dict[str, bytes]:
    """Every part of ``document`` by its name in the zip, as ``document.save`` writes them,
    without the zip: :func:`save_streamed` compresses each part once, instead of once in
    python-docx's zip and again when it normalises it (the embedded source snapshot alone is
    0.6 MB at 1×). These are the steps of python-docx's ``PackageWriter.write``, the same
    since python-docx 0.8; tests/ooxml holds them to ``document.save``."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    sink = _Parts()
    # python-docx leaves these two unannotated.
    PackageWriter._write_content_types_stream(sink, package.parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(sink, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(sink, package.parts)  # type: ignore[arg-type]  # duck-typed like the zip writer
    return sink.blobs


_W_DECLARATION = f' xmlns:w="{W_NS}"'.encode()
_FLUSH = 1 << 20


def block_holder() -> etree._Element:
    """A detached ``w:body`` to build body blocks in, declaring only the ``w`` namespace, so that
    each block serialises with that one declaration, which :func:`save_streamed` drops."""
    return etree.Element(w("body"), nsmap={"w": W_NS})


def save_streamed(document: DocxDocument, blocks: Iterable[etree._Element | str], sect_pr: etree._Element,
                  when: tuple[int, int, int, int, int, int] = ZIP_EPOCH) -> bytes:
    """The package of ``document``, whose body is emptied, with ``blocks`` (then ``sect_pr``) as
    the body, each block serialised and compressed as it comes; normalised like
    :func:`normalise_zip`. A block is an element, or markup already written as text with the
    ``w:`` prefix (:mod:`generator.ooxml.markup`)."""
    root = document.element
    body = root.body
    for child in list(body):
        body.remove(child)
    body.append(sect_pr)
    shell = etree.tostring(root, encoding="UTF-8", standalone=True)  # as python-docx writes the part
    at = shell.index(b"<w:sectPr")
    head, tail = shell[:at], shell[at:]

    def write(fh: IO[bytes]) -> None:
        pending = [head]
        size = 0
        for block in blocks:
            if isinstance(block, str):
                data = block.encode("utf-8")
            else:  # the root declares w; the block's own copy of the declaration is dropped
                data = etree.tostring(block, encoding="UTF-8").replace(_W_DECLARATION, b"", 1)
            pending.append(data)
            size += len(data)
            if size > _FLUSH:  # compress in large pieces: one zlib call per block costs more
                fh.write(b"".join(pending))
                pending, size = [], 0
        pending.append(tail)
        fh.write(b"".join(pending))

    parts = package_parts(document)
    return write_normalised(parts, parts.__getitem__, when, {document.part.partname.lstrip("/"): write})


def read_part(data: bytes, name: str) -> bytes:
    """The bytes of part ``name`` (e.g. ``word/document.xml``) of package ``data``."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return src.read(name)


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """Package ``data`` (normalised by :func:`normalise_zip`) with part ``name`` replaced by
    ``content``; every entry keeps its place and timestamp, so the result is what
    :func:`normalise_zip` would have made of a package holding ``content`` from the start."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
        if name not in src.namelist():
            raise KeyError(name)
        for old in src.infolist():
            info = zipfile.ZipInfo(old.filename, date_time=old.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100644 << 16)
            dst.writestr(info, content if old.filename == name else src.read(old.filename))
    return out.getvalue()


def save_bytes(document: DocxDocument) -> bytes:
    """The python-docx document as .docx bytes (not yet normalised)."""
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def drop_relationships(part: Part, reltype: str) -> int:
    """Remove every relationship of ``reltype`` from ``part``; a part nothing else points
    at is then left out of the saved package. Returns how many were removed."""
    doomed = [rId for rId, rel in part.rels.items() if rel.reltype == reltype]
    for rId in doomed:
        del part.rels[rId]
    return len(doomed)
