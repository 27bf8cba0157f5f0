"""One guard for Office packages we did not write (.docx, .xlsx): every reader opens them here.

Before anything is unpacked: the file's size, an OLE compound file (encrypted, or a pre-2007
.doc/.xls), the zip signature, the number of entries, encrypted entries, the unpacked total the
entries declare and each entry's compression ratio. While a part unpacks: the bytes that really
come out (a header may lie), and in an XML part any DTD or entity declaration, in UTF-8 or
UTF-16. XML is parsed by one configured parser: entities unresolved, no DTD, no network, no huge
trees. A refusal is a :class:`Refused` carrying a :class:`Refusal` reason and a sentence naming
the file; each reader turns it into its own finding code.
"""

from __future__ import annotations

import codecs
import io
import lzma
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from lxml import etree

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["LIMITS", "Limits", "Package", "Refusal", "Refused", "iterparse", "open_package", "parse", "parser"]

MB = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """What a reader accepts before it refuses a file as too large (a zip bomb, a runaway file).
    A real S1SR or DMVESM is a few megabytes and a few dozen entries."""

    max_file: int = 50 * MB
    max_entries: int = 10_000
    max_unpacked: int = 256 * MB
    max_ratio: int = 100  # unpacked / packed, for entries over ratio_grace
    ratio_grace: int = 1 * MB


LIMITS = Limits()


class Refusal(StrEnum):
    UNREADABLE = "unreadable"  # missing, a folder, no permission
    NOT_A_PACKAGE = "not-a-package"  # empty, a PDF, a web page, not a zip
    ENCRYPTED = "encrypted"  # an OLE file (password or old binary format), encrypted entries
    TOO_LARGE = "too-large"  # over a limit: size, entries, unpacked bytes, ratio
    DAMAGED = "damaged"  # a corrupt zip or part, XML that is not well formed
    UNSAFE_XML = "unsafe-xml"  # a DTD or entity declaration


class Refused(Exception):
    """The package cannot be read at all; ``message`` names the file and says why."""

    def __init__(self, reason: Refusal, message: str, *, part: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.part = part


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# What the zip layer raises on a damaged archive: a bad entry, a corrupt deflate stream, an
# unsupported compression method, an entry that claims to be encrypted.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, zlib.error,
               NotImplementedError, RuntimeError, lzma.LZMAError)
_NEEDLES = tuple(s.encode(enc) for s in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 1 << 16


def _sniff(head: bytes) -> str:
    lowered = head.lstrip().lower()
    if not head:
        return "empty (0 bytes)"
    if head.startswith(b"%PDF"):
        return "a PDF file"
    if head.startswith(b"{\\rtf"):
        return "an RTF file"
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "a web page"
    if lowered.startswith(b"<?xml"):
        return "a plain XML file (perhaps an Office 2003 XML file)"
    return "not a zip archive"


def open_package(path: str, display: str, what: str, limits: Limits = LIMITS) -> Package:
    """The package at ``path``, checked before anything is unpacked; ``what`` names the kind of
    file expected in messages ("Word document", "workbook"). Raises :class:`Refused`."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(8)
            ole = fh.read(limits.max_file) if head.startswith(_OLE[:4]) else b""
    except IsADirectoryError:
        raise Refused(Refusal.UNREADABLE, f"{display} is a folder, not a {what}") from None
    except OSError as exc:
        raise Refused(Refusal.UNREADABLE, f"{display} cannot be opened: {exc.strerror or exc}") from None
    if head.startswith(_OLE[:4]):
        if "EncryptionInfo".encode("utf-16-le") in ole:
            raise Refused(Refusal.ENCRYPTED, f"{display} is password-protected (an encrypted Office file), so it "
                                             "cannot be read")
        raise Refused(Refusal.ENCRYPTED, f"{display} is an OLE compound file, not a zip package: it is either "
                                         "encrypted with a password or an old Office 97-2003 file (.doc, .xls), "
                                         "and cannot be read")
    if size > limits.max_file:
        raise Refused(Refusal.TOO_LARGE, f"{display} is {size / MB:.1f} MB, over the {limits.max_file // MB} MB "
                                         "the reader accepts")
    if not head.startswith(_ZIP_MAGIC):
        raise Refused(Refusal.NOT_A_PACKAGE, f"{display} is not a {what} ({_sniff(head)}): an Office file is a "
                                             "zip package")
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise Refused(Refusal.DAMAGED, f"{display} is a damaged or incomplete zip package (truncated or corrupt: "
                                       f"{exc})") from None
    try:
        _check_entries(zf, display, limits)
    except Refused:
        zf.close()
        raise
    return Package(zf, display, limits)


def _check_entries(zf: zipfile.ZipFile, display: str, limits: Limits) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise Refused(Refusal.TOO_LARGE, f"{display} holds {len(infos)} zip entries, over the {limits.max_entries} "
                                         "the reader accepts (an Office file has a few dozen)")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused(Refusal.ENCRYPTED, f"{display}: the zip entry {info.filename} is encrypted, so the file "
                                             "cannot be read", part=info.filename)
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > limits.ratio_grace and info.file_size > limits.max_ratio * packed:
            raise Refused(Refusal.TOO_LARGE, f"{display}: the entry {info.filename} expands "
                                             f"{info.file_size // packed}-fold ({info.compress_size} bytes to "
                                             f"{info.file_size}), over the {limits.max_ratio}-fold the reader "
                                             "accepts: this looks like a zip bomb", part=info.filename)
    if total > limits.max_unpacked:
        raise Refused(Refusal.TOO_LARGE, f"{display} unpacks to {total / MB:.0f} MB, over the "
                                         f"{limits.max_unpacked // MB} MB the reader accepts: this looks like a "
                                         "zip bomb")


class Package:
    """An opened, checked package. Each part is unpacked through the guard when read."""

    def __init__(self, zf: zipfile.ZipFile, display: str, limits: Limits) -> None:
        self._zf = zf
        self.display = display
        self.limits = limits
        self.names = frozenset(zf.namelist())
        self._unpacked = 0

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    def read(self, name: str) -> bytes | None:
        """The bytes of part ``name`` (None when the package has no such part)."""
        try:
            info = self._zf.getinfo(name)
        except KeyError:
            return None
        return b"".join(self.chunks(info))

    def read_all(self) -> Iterator[tuple[str, bytes]]:
        """Every part, in the package's order, each read through the guard."""
        for info in self._zf.infolist():
            yield info.filename, b"".join(self.chunks(info))

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """Part ``info`` unpacked in chunks, counting what really comes out; an XML part is
        refused at the first DTD or entity declaration."""
        is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
        size, tail = 0, b""
        decoder: Any = None
        try:
            with self._zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    self._unpacked += len(chunk)
                    if size > info.file_size or self._unpacked > self.limits.max_unpacked:
                        raise Refused(Refusal.TOO_LARGE, f"{self.display}: the part {info.filename} unpacks to "
                                                         "more than it declares, or the parts to more than "
                                                         f"{self.limits.max_unpacked // MB} MB", part=info.filename)
                    if is_xml:
                        if size == len(chunk) and chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                            enc = "utf-16-be" if chunk.startswith((b"\xfe\xff", b"\x00<")) else "utf-16-le"
                            decoder = codecs.getincrementaldecoder(enc)()
                        probe = decoder.decode(chunk).encode("utf-8") if decoder else chunk
                        window = tail + probe
                        # Every needle holds "<!" (UTF-8) or "<\0!" (UTF-16, either order): two scans
                        # of a chunk for the usual part that has neither, not six.
                        if (b"<!" in window or b"<\x00!" in window) and any(n in window for n in _NEEDLES):
                            raise Refused(Refusal.UNSAFE_XML, f"{self.display}: the part {info.filename} declares a "
                                                              "DTD or XML entities, which Office never writes; it is "
                                                              "refused as a possible XML bomb or external-entity "
                                                              "attack", part=info.filename)
                        tail = window[-32:]
                    yield chunk
        except _ZIP_ERRORS as exc:
            raise Refused(Refusal.DAMAGED, f"{self.display}: the part {info.filename} is damaged ({exc}), so the "
                                           "file cannot be read", part=info.filename) from None


# -- the one parser -------------------------------------------------------------------------------
_PARSER_OPTIONS: dict[str, Any] = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                       remove_comments=True, remove_pis=True)


def parser() -> etree.XMLParser:
    """The configured parser for untrusted XML (a new one each time: parsers keep state)."""
    return etree.XMLParser(dtd_validation=False, **_PARSER_OPTIONS)


def parse(data: bytes, name: str, display: str) -> _Element:
    """Part ``name`` parsed with :func:`parser`; XML that is not well formed is refused."""
    try:
        return etree.fromstring(data, parser())
    except etree.LxmlError as exc:
        raise Refused(Refusal.DAMAGED, f"{display}: the part {name} is not well-formed XML ({exc}), so the file "
                                       "cannot be read", part=name) from None


def iterparse(data: bytes, name: str, display: str, *, tag: str, events: tuple[str, ...] = ("end",)
              ) -> Iterator[tuple[str, _Element]]:
    """A streaming parse of part ``name`` with the same options as :func:`parser`."""
    try:
        yield from etree.iterparse(io.BytesIO(data), events=events, tag=tag, **_PARSER_OPTIONS)
    except etree.LxmlError as exc:
        raise Refused(Refusal.DAMAGED, f"{display}: the part {name} is not well-formed XML ({exc}), so the file "
                                       "cannot be read", part=name) from None
