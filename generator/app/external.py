"""Orchestration of the pre-designation check on a .docx/.xlsx pair: read → place → check.

``check_documents`` is what ``s1sr check --docx … --xlsx …`` runs. It reads the files with the
Word reader (lxml) and the workbook reader (openpyxl), both imported here and only here, so the
check on the clause source alone never loads them. Device Models and the numbering scheme come
from a content folder when one is given (its ``devices.yaml`` and ``document.yaml``), otherwise
from the workbook's columns and from the numbers the document displays.
"""

from __future__ import annotations

import gc
import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.app import forked
from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import external as R
from generator.errors import UsageError
from generator.model import DeviceGroup, DeviceModel, NumberingScheme, Srv
from generator.model.external import Citation, WordDocument, Workbook
from generator.passes.external import DeviceIndex, check_pair

if TYPE_CHECKING:
    from generator.readers.xlsx import CitedCell, WorkbookMatrix

__all__ = ["Context", "check_documents", "check_read_pair", "load_context", "read_pair_docx", "read_pair_xlsx"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """What a content folder tells the check: Device Models, groups, the numbering scheme."""

    devices: tuple[DeviceModel, ...] = ()
    groups: tuple[DeviceGroup, ...] = ()
    scheme: NumberingScheme | None = None
    srvs: tuple[Srv, ...] = ()


def load_context(content: str | None) -> Context:
    """The content folder's devices and scheme; an empty Context when there is none to read."""
    if not content or not os.path.isfile(os.path.join(content, "document.yaml")):
        return Context()
    from generator.readers.yaml_source import read_source

    project, _diags = read_source(content)
    if project is None:
        return Context()
    scheme = project.document.scheme if project.document.scheme.levels else None
    return Context(devices=project.devices, groups=project.groups, scheme=scheme, srvs=project.srvs)


def _show(path: str) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else path


def read_pair_docx(path: str) -> tuple[WordDocument | None, list[Diagnostic]]:
    from generator.readers.docx import read_docx

    return read_docx(path, _show(path))


def read_pair_xlsx(path: str, srv_names: dict[str, str] | None = None
                   ) -> tuple[WorkbookMatrix | None, list[Diagnostic]]:
    from generator.readers.xlsx import read_xlsx

    return read_xlsx(path, name=_show(path), srv_names=srv_names)


def _srv_names(ctx: Context) -> dict[str, str]:
    """SRV → DUIS name: the content folder's SRV list, else the one the package ships."""
    if ctx.srvs:
        return {s.number: s.name for s in ctx.srvs}
    return shipped_srv_names()


def shipped_srv_names() -> dict[str, str]:
    """SRV → DUIS name of the list the package ships. Our own file, read with csv alone: the
    source reader's read_srvs (which checks a user's list) would load the YAML reader, a tenth of
    the external check's time at 1× (tests/test_cli_check_external.py holds the two equal)."""
    import csv
    from importlib import resources

    text = resources.files("generator").joinpath("data", "srvs.csv").read_text(encoding="utf-8")
    return {row["srv"].strip(): row["name"].strip() for row in csv.DictReader(io.StringIO(text))}


def _pseudo_id(label: str) -> str:
    return "column:" + re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def workbook_of(matrix: WorkbookMatrix, known: tuple[DeviceModel, ...], diags: list[Diagnostic] | None = None
                ) -> tuple[Workbook, tuple[DeviceModel, ...]]:
    """The reader's matrix as citations with Device Model ids; Device Models for columns that the
    device list does not know are made from the column headers."""
    index = DeviceIndex(devices=known)
    ids = {d.id for d in known}
    extra: dict[str, DeviceModel] = {}
    column_id: dict[str, str] = {}
    for col in matrix.devices:
        did = col.device_id if col.device_id in ids else index.find(col.manufacturer, col.model, col.device_type)
        if not did:
            # Not in the device list (or there is none): the column's header is its Device Model.
            did = col.device_id or _pseudo_id(col.label)
            extra.setdefault(did, DeviceModel(id=did, manufacturer=col.manufacturer, model=col.model,
                                              device_type=col.device_type, cohort=""))
            if known and diags is not None:
                diags.append(Diagnostic.make(
                    R.UNKNOWN_DEVICE_COLUMN, f"column {col.column} ({col.label}) names a Device Model that the "
                    "device list does not have; its clauses are matched by the words of its header only",
                    Location(file=matrix.file, sheet=matrix.sheet, cell=f"{col.column}"),
                    help="add the Device Model to devices.yaml, or use its registered name in the header"))
        column_id[col.label] = did
    def cite(c: CitedCell) -> Citation:
        return Citation(srv=c.srv, device=c.device_id if c.device_id in ids else column_id.get(c.device_label, ""),
                        device_label=c.device_label, numbers=c.numbers, sheet=c.sheet, cell=c.cell_ref, note=c.note)

    columns = tuple((column_id.get(d.label, ""), d.device_type, d.manufacturer, d.model) for d in matrix.devices)
    return Workbook(file=matrix.file, citations=tuple(cite(c) for c in matrix.cells), columns=columns,
                    not_applicable=tuple(cite(c) for c in matrix.not_applicable)), tuple(extra.values())


def check_read_pair(doc: WordDocument, matrix: WorkbookMatrix | None, ctx: Context) -> list[Diagnostic]:
    """The check on a pair already read (``s1sr check --built`` reads its files once)."""
    diags: list[Diagnostic] = []
    book, extra = workbook_of(matrix, ctx.devices, diags) if matrix is not None else (None, ())
    index = DeviceIndex(devices=(*ctx.devices, *extra), groups=ctx.groups)
    return diags + check_pair(doc, book, scheme=ctx.scheme, devices=index)


@dataclass(frozen=True, slots=True)
class _Books:
    """The workbook and the baseline workbook as citations, the Device Models their columns add,
    and the findings on them, in the order the check reports them."""

    book: Workbook | None = None
    old_book: Workbook | None = None
    extra: tuple[DeviceModel, ...] = ()
    diags: tuple[Diagnostic, ...] = ()


def _read_books(xlsx: str | None, baseline_xlsx: str | None, ctx: Context) -> _Books:
    if not xlsx and not baseline_xlsx:
        return _Books()
    srv_names = _srv_names(ctx)
    devices = ctx.devices
    diags: list[Diagnostic] = []
    book = old_book = None
    extra: tuple[DeviceModel, ...] = ()
    if xlsx:
        matrix, more = read_pair_xlsx(xlsx, srv_names)
        diags += more
        if matrix is not None:
            book, extra = workbook_of(matrix, devices, diags)
    if baseline_xlsx:
        matrix, more = read_pair_xlsx(baseline_xlsx, srv_names)
        diags += more
        if matrix is not None:
            old_book, old_extra = workbook_of(matrix, (*devices, *extra))
            extra = (*extra, *old_extra)
    return _Books(book=book, old_book=old_book, extra=extra, diags=tuple(diags))


def _start_books(docx: str, xlsx: str | None, baseline_xlsx: str | None, ctx: Context) -> Callable[[], _Books]:
    """The workbooks read beside the .docx, as citations: in a forked child (Linux, when a second
    CPU is idle; see generator/app/forked.py), so the two readers, each pure Python and about as
    long as the other, overlap (10x, a CPU free: 1.8 s against 2.0-2.3 s, for a tenth more CPU,
    mostly the copy-on-write page faults of two processes sharing one heap). The child also loads
    the workbook reader and the SRV list and turns the matrices into citations, so the parent,
    which reads the longer .docx, never loads them (10x: 0.04 s less before the check starts)."""
    paths = [x for x in (xlsx, baseline_xlsx) if x]

    def here() -> _Books:
        return _read_books(xlsx, baseline_xlsx, ctx)

    if not paths or not forked.can_fork() or not _worth_forking(docx, paths) or not forked.spare_cpu():
        return here
    # The package guard and lxml, which both readers parse through, loaded once before the fork:
    # this process needs them next anyway, and the child, at 1x as long as this process, starts
    # without them to load (7-10 ms).
    from generator.ooxml import guard  # noqa: F401

    return forked.in_child(here)


# Below these sizes a reader takes a few milliseconds, no more than the fork and the transfer.
_FORK_DOCX, _FORK_XLSX = 32 * 1024, 8 * 1024


def _worth_forking(docx: str, paths: list[str]) -> bool:
    try:
        return os.path.getsize(docx) >= _FORK_DOCX and sum(os.path.getsize(p) for p in paths) >= _FORK_XLSX
    except OSError:
        return False


def need_file(path: str, label: str) -> None:
    from generator.app.outputs import need_file as need

    need(path, label)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused: reading a pair makes hundreds of thousands of small objects and
    no cycles, so its passes over them are a fifth of the check's time for nothing. Reference
    counting still frees everything; the collector is switched back on afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def check_documents(docx: str, xlsx: str | None = None, *, baseline_docx: str | None = None,
                    baseline_xlsx: str | None = None, content: str | None = None) -> list[Diagnostic]:
    """Every finding on the pair (and the baseline pair); a file that cannot be read is one fatal finding."""
    with _no_cycle_collection():
        return _check_documents(docx, xlsx, baseline_docx=baseline_docx, baseline_xlsx=baseline_xlsx,
                                content=content)


def _check_documents(docx: str, xlsx: str | None, *, baseline_docx: str | None, baseline_xlsx: str | None,
                     content: str | None) -> list[Diagnostic]:
    if baseline_xlsx and not baseline_docx:
        raise UsageError("--baseline-xlsx needs --baseline-docx: the baseline workbook's numbers are read against "
                         "the baseline document")
    for label, path in (("--docx", docx), ("--xlsx", xlsx), ("--baseline-docx", baseline_docx),
                        ("--baseline-xlsx", baseline_xlsx)):
        if path:
            need_file(path, label)  # a pipe would hang the reader
    ctx = load_context(content)
    diags: list[Diagnostic] = []
    devices = ctx.devices
    books = _start_books(docx, xlsx, baseline_xlsx, ctx)
    old_doc = None
    try:
        doc, more = read_pair_docx(docx)
        diags += more
        if baseline_docx:
            old_doc, more = read_pair_docx(baseline_docx)
            diags += more
    except BaseException:
        with suppress(Exception):
            books()  # the child waited for, not left behind
        raise
    read = books()
    diags += read.diags
    book, old_book, extra = read.book, read.old_book, read.extra
    if doc is None or any(d.fatal for d in diags):
        return diags
    index = DeviceIndex(devices=(*devices, *extra), groups=ctx.groups)
    diags += check_pair(doc, book, scheme=ctx.scheme, devices=index, baseline_doc=old_doc, baseline_book=old_book)
    return diags
