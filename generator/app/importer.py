"""Onboarding: ``s1sr import --docx S1SR.docx --xlsx DMVESM.xlsx --to DIR``.

An existing S1SR and its DMVESM become a clause source in one step:

* the clauses as a reader sees them (``readers.docx`` → ``passes.external.place_clauses``), with
  the numbering scheme inferred from the numbers displayed, generated stable ids (from the number
  each clause has now: ``c-18.5p-i``), defined terms, emphasis and internal links turned back into
  markup (``**Term**``, ``*text*``, ``[[id]]``), tables, "[Not used]" clauses;
* ``applies_to`` of every clause from the DMVESM cells that cite it, so the matrix renders back
  as it was read, with the words written around a number as the entry's ``note``; the cells that
  say "N/A" or "Not supported" as the Device Model's ``not_applicable`` SRVs; the notes column of
  each row as the SRV's note in ``srvs.csv``; the Device Models from the workbook's columns (their
  header rows: type, manufacturer, model, firmware, id) and its "Device Models" sheet, when it has
  one, for ids, cohorts, firmware and groups;
* a release snapshot with every number as imported (``releases/NAME.json``), so the next draft
  keeps them: a clause inserted later becomes 18.5pa, never a renumbering.

The folder is written whole or not at all.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import external as R
from generator.diagnostics.rules import safety as S
from generator.errors import UsageError
from generator.model import (
    AppliesTo,
    Clause,
    DeviceGroup,
    DeviceModel,
    Document,
    NumberingScheme,
    Project,
    Span,
    Srv,
    Table,
)
from generator.model.dates import parse_date
from generator.model.devices import COHORTS
from generator.model.external import ReadClause, WordDocument
from generator.model.names import name_problem
from generator.passes.external import DeviceIndex, Placed, check_numbering, infer_scheme, place_clauses
from generator.readers.inline import parse_inline

if TYPE_CHECKING:
    from generator.readers.xlsx import WorkbookMatrix

__all__ = ["ImportResult", "import_documents"]


@dataclass
class ImportResult:
    folder: str
    release: str
    files: list[str] = field(default_factory=list)
    clauses: int = 0
    cells: int = 0
    diags: list[Diagnostic] = field(default_factory=list)


# -- ids and markup ---------------------------------------------------------------------------
def clause_id(number: str) -> str:
    """A stable id from the number a clause has when imported: 18.5p(i) → c-18.5p-i."""
    return "c-" + re.sub(r"-+", "-", re.sub(r"[^A-Za-z0-9.]+", "-", number)).strip("-")


def _markup(text: str, marks: tuple[tuple[int, int, str, str], ...], links: dict[str, str]) -> str:
    """Plain text and its marks as clause-source markup."""
    if not marks:
        return text
    out: list[str] = []
    pos = 0
    for start, end, kind, value in sorted(marks, key=lambda m: (m[0], m[2] != "link")):
        if start < pos or end <= start:
            continue  # overlapping marks (a term inside a link): the outer one wins
        out.append(text[pos:start])
        inner = text[start:end]
        core = inner.strip()
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()):]
        if kind == "link" and value in links:
            out.append(f"{lead}[[{links[value]}]]{trail}")
        elif kind == "term" and core and "*" not in core:
            out.append(f"{lead}**{core}**{trail}")
        elif kind == "emph" and core and "*" not in core:
            out.append(f"{lead}*{core}*{trail}")
        else:
            out.append(inner)
        pos = end
    out.append(text[pos:])
    return "".join(out)


# -- the workbook's own registry of Device Models ----------------------------------------------------
def _registry(path: str) -> list[dict[str, str]]:
    """Rows of a sheet headed ID / Manufacturer / Model / Type / Cohort (our "Device Models" sheet);
    [] when the workbook has none. The file was already checked by the workbook reader."""
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a workbook the reader accepted but this cannot open: no registry, not an error
        return []
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            head = next(rows, None)
            if not head:
                continue
            keys = [str(h or "").strip().lower() for h in head]
            if not {"manufacturer", "model", "cohort"} <= set(keys):
                continue
            out = []
            for row in rows:
                rec = {k: str(v).strip() for k, v in zip(keys, row, strict=False) if k and v is not None}
                if rec.get("model"):
                    out.append(rec)
            return out
        return []
    finally:
        wb.close()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "device"


def _devices(matrix: WorkbookMatrix | None, registry: list[dict[str, str]]
             ) -> tuple[tuple[DeviceModel, ...], tuple[DeviceGroup, ...], dict[str, str]]:
    """Device Models (registry order, then columns it lacks), groups, and column label → id."""
    devices: dict[str, DeviceModel] = {}
    groups: dict[str, list[str]] = {}
    for rec in registry:
        did = rec.get("id") or _slug(f"{rec.get('manufacturer', '')} {rec['model']}")
        devices[did] = DeviceModel(id=did, manufacturer=rec.get("manufacturer", ""), model=rec["model"],
                                   device_type=rec.get("type", "").upper(), cohort=rec.get("cohort", "").upper(),
                                   firmware=rec.get("firmware", ""))
        for name in re.split(r"[\n;]+", rec.get("groups", "")):
            if name.strip():
                groups.setdefault(name.strip(), []).append(did)
    by_column: dict[str, str] = {}
    for col in matrix.devices if matrix else ():
        did = col.device_id if col.device_id in devices else ""
        if not did:
            for d in devices.values():
                if d.model == col.model and d.manufacturer in ("", col.manufacturer):
                    did = d.id
                    break
        if not did:
            did = col.device_id or _slug(f"{col.manufacturer} {col.model}")
            devices.setdefault(did, DeviceModel(id=did, manufacturer=col.manufacturer, model=col.model,
                                                device_type=col.device_type.upper(),
                                                cohort=col.cohort if col.cohort in COHORTS else "",
                                                firmware=col.firmware))
        by_column[col.label] = did
    if matrix is not None:
        # The cells that say the SRV does not apply, as each Device Model's not_applicable SRVs.
        na: dict[str, dict[str, None]] = {}
        for cell in matrix.not_applicable:
            did = cell.device_id if cell.device_id in devices else by_column.get(cell.device_label, "")
            if did:
                na.setdefault(did, {})[cell.srv] = None
        for did, srvs in na.items():
            devices[did] = replace(devices[did], not_applicable=tuple(srvs))
    group_ids: dict[str, None] = {}
    out_groups = []
    for name, members in groups.items():
        gid = _slug(name)
        if gid in group_ids or gid in devices:
            gid = f"group-{gid}"
        group_ids[gid] = None
        out_groups.append(DeviceGroup(id=gid, name=name, members=tuple(members)))
    return tuple(devices.values()), tuple(out_groups), by_column


# -- what the cover and the About sheet say ------------------------------------------------------------
@dataclass
class _Facts:
    title: str = ""
    appendix: str = ""
    version: str = ""
    status: str = "designated"
    date: str = ""


def _about(path: str) -> dict[str, str]:
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return {}
    try:
        if "About" not in wb.sheetnames:
            return {}
        out = {}
        for row in wb["About"].iter_rows(values_only=True):
            if len(row) >= 2 and row[0] and row[1] is not None:
                out[str(row[0]).strip().lower()] = str(row[1]).strip()
        return out
    finally:
        wb.close()


def _date(text: str) -> str:
    day = parse_date(text)
    return day.isoformat() if day else ""


def _facts(doc: WordDocument, placed: Placed, about: dict[str, str]) -> _Facts:
    f = _Facts(title=about.get("document", "") or doc.title, appendix=about.get("appendix", ""),
               version=about.get("version", "") or doc.version,
               date=_date(about.get("date", "")))
    status = about.get("status", "").lower()
    first = placed.clauses[0].paragraph if placed.clauses else len(doc.paragraphs) + 1
    for p in doc.paragraphs:
        if p.index >= first:
            break
        text = p.text.strip()
        if not f.appendix and re.fullmatch(r"(?i)(SEC\s+)?Appendix\s+[A-Z]{1,3}", text):
            f.appendix = text
        elif not f.title and len(text) > 10 and not re.match(r"(?i)version|contents", text):
            f.title = text
        elif text.upper() in ("DESIGNATED", "DRAFT") and not status:
            status = text.lower()
        elif not f.date and _date(text):
            f.date = _date(text)
    f.status = status if status in ("draft", "designated") else "designated"
    f.title = f.title or "SMETS1 Supporting Requirements"
    f.version = f.version or "1.0"
    return f


# -- the clause tree -----------------------------------------------------------------------------------
def _tree(placed: Placed, scheme: NumberingScheme, applies: dict[str, list[tuple[str, str, str]]],
          diags: list[Diagnostic]) -> tuple[Clause, ...]:
    ids: dict[int, str] = {}
    used: set[str] = set()
    for k, c in enumerate(placed.clauses):
        cid = clause_id(c.number)
        n = 2
        while cid in used:
            cid, n = f"{clause_id(c.number)}-{n}", n + 1
        used.add(cid)
        ids[k] = cid
    links = {a: ids[k] for k, c in enumerate(placed.clauses) for a in c.anchors}
    display = placed.file

    first_annex = placed.annex_from if placed.annex_from >= 0 else len(placed.clauses)

    def build(k: int, c: ReadClause, children: list[Clause]) -> Clause:
        span = Span(file=display)
        annex = k >= first_annex  # from "Annex A" on, the annexes' own numbering
        lv = scheme.levels_for(annex)[c.level - 1]
        token = c.number[len(c.parent):] if c.parent and c.number.startswith(c.parent) else c.number
        token = re.sub(r"^[.(]|\)$", "", token)
        raw = "" if c.not_used else _markup(c.text, c.marks, links)
        rows = placed.tables.get(c.number)
        table = Table(header=rows[0], rows=tuple(rows[1:])) if rows else None
        if table is not None:
            width = max(len(r) for r in rows) if rows else 0
            table = Table(header=tuple(table.header) + ("",) * (width - len(table.header)),
                          rows=tuple(tuple(r) + ("",) * (width - len(r)) for r in table.rows))
        grouped: dict[tuple[str, str], list[str]] = {}  # (Device Model, note) → SRVs
        for srv, dev, note in applies.get(c.number, []):
            grouped.setdefault((dev, note), []).append(srv)
        by_srvs: dict[tuple[tuple[str, ...], str], list[str]] = {}
        for (dev, note), srvs in grouped.items():
            by_srvs.setdefault((tuple(dict.fromkeys(srvs)), note), []).append(dev)
        return Clause(
            id=ids[k], heading=c.heading, raw_text=raw, text=parse_inline(raw, span), table=table,
            children=tuple(children), not_used=c.not_used,
            applies_to=tuple(AppliesTo(srvs=s, devices=tuple(d), note=note) for (s, note), d in by_srvs.items()),
            span=span, level=c.level, ordinal=c.ordinal, number=c.number, annex=annex,
            label=lv.label.replace("{ref}", c.number).replace("{n}", token), parent="",
        )

    # Nest by parent number, in document order.
    kids: dict[str, list[int]] = {}
    known = {c.number for c in placed.clauses}
    roots: list[int] = []
    for k, c in enumerate(placed.clauses):
        if c.parent and c.parent in known:
            kids.setdefault(c.parent, []).append(k)
        else:
            if c.parent:
                diags.append(Diagnostic.make(
                    R.UNPLACED_LABEL, f"{c.number} has no clause {c.parent} above it; imported as a section",
                    Location(file=display, clause_number=c.number)))
            roots.append(k)
    seen: set[str] = set()

    def make(k: int, parent_id: str) -> Clause:
        c = placed.clauses[k]
        children: list[Clause] = []
        if c.number not in seen:  # a duplicated number keeps its children with its first occurrence
            seen.add(c.number)
            children = [make(j, ids[k]) for j in kids.get(c.number, [])]
        return replace(build(k, c, children), parent=parent_id)

    return tuple(make(k, "") for k in roots)


# -- the import -------------------------------------------------------------------------------------------
def _package_srvs() -> tuple[bytes, tuple[Srv, ...]]:
    """The DUIS SRV list the package ships: its bytes and its rows."""
    from generator.readers.yaml_source import DEFAULT_SRVS, DEFAULT_SRVS_SHOWN, read_srvs

    with open(DEFAULT_SRVS, "rb") as fh:
        data = fh.read()
    return data, read_srvs(DEFAULT_SRVS, DEFAULT_SRVS_SHOWN, [])


def _with_notes(srvs: tuple[Srv, ...], data: bytes, matrix: WorkbookMatrix | None) -> tuple[tuple[Srv, ...], bytes]:
    """The SRV list with the notes column of the workbook's rows (srvs.csv as shipped when none)."""
    notes = {r.srv: r.note for r in (matrix.srvs if matrix else ()) if r.note}
    if not notes:
        return srvs, data
    import csv
    import io

    out = tuple(replace(s, note=notes.get(s.number, "")) for s in srvs)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["srv", "name", "critical", "on_demand", "note"])
    for s in out:
        w.writerow([s.number, s.name, "Yes" if s.critical else "No", "Yes" if s.on_demand else "No", s.note])
    return out, buf.getvalue().encode("utf-8")


def import_documents(docx: str, xlsx: str | None, to: str, *, release: str = "", force: bool = False,
                     doc_id: str = "s1sr") -> ImportResult:
    """Write a clause source for the pair into ``to``; returns what was written and the findings.

    Nothing is written when a file cannot be read (the findings say why).
    """
    from generator.app import outputs
    from generator.model.names import UnsafeName, safe_name
    from generator.readers.docx import read_docx
    from generator.writers.json_export import snapshot
    from generator.writers.yaml_source import write_source

    outputs.claim(to, force=force, what="--to")
    if release:
        try:
            safe_name(release, "--release")
        except UnsafeName as exc:
            raise UsageError(f"{exc}; use letters, digits, '.', '_' or '-' (e.g. v12)") from exc
    for label, path in (("--docx", docx), ("--xlsx", xlsx)):
        if path:
            outputs.need_file(path, label)
    result = ImportResult(folder=to, release="")
    doc, diags = read_docx(docx, os.path.relpath(docx))
    result.diags += diags
    matrix = None
    srv_bytes, srvs = _package_srvs()
    if xlsx:
        from generator.readers.xlsx import read_xlsx

        matrix, more = read_xlsx(xlsx, name=os.path.relpath(xlsx), srv_names={s.number: s.name for s in srvs})
        result.diags += more
    if doc is None or any(d.fatal for d in result.diags):
        return result
    registry = _registry(xlsx) if xlsx else []
    devices, groups, by_column = _devices(matrix, registry)
    for d in devices:
        if not d.cohort:
            result.diags.append(Diagnostic.make(
                R.UNKNOWN_DEVICE_COLUMN, f"Device Model '{d.id}' ({d.manufacturer} {d.model}): the workbook does "
                "not say its cohort; devices.yaml leaves it out", Location(file=os.path.relpath(xlsx or docx)),
                help="add cohort: FOC, IOC or MOC to it in devices.yaml"))
    scheme = infer_scheme(doc.paragraphs)
    placed = place_clauses(doc, scheme, DeviceIndex(devices=devices, groups=groups))
    result.diags += placed.diags + check_numbering(placed)
    numbers = {c.number for c in placed.clauses}
    applies: dict[str, list[tuple[str, str, str]]] = {}
    for cell in matrix.cells if matrix else ():
        dev = cell.device_id if cell.device_id in {d.id for d in devices} else by_column.get(cell.device_label, "")
        for n in cell.numbers:
            if n not in numbers:
                result.diags.append(Diagnostic.make(
                    R.CITED_MISSING, f"{cell.sheet}!{cell.cell_ref} (SRV {cell.srv}) cites {n}, which the S1SR does "
                    "not have; the citation is not imported", Location(file=matrix.file if matrix else "",
                                                                       sheet=cell.sheet, cell=cell.cell_ref)))
                continue
            applies.setdefault(n, []).append((cell.srv, dev, dict(cell.number_notes).get(n, "")))
    sections = _tree(placed, scheme, applies, result.diags)
    facts = _facts(doc, placed, _about(xlsx) if xlsx else {})
    srvs, srv_bytes = _with_notes(srvs, srv_bytes, matrix)
    document = Document(id=doc_id, title=facts.title, short_title="S1SR" if "SMETS1" in facts.title else doc_id,
                        appendix=facts.appendix, status=facts.status, version=facts.version, date=facts.date,
                        scheme=scheme, sections=sections, span=Span(file="document.yaml"))
    project = Project(root=to, document=document, devices=devices, groups=groups, srvs=srvs)
    from generator.passes.matrix import build_matrix

    project = build_matrix(project)
    name = release or "v" + re.sub(r"\.0$", "", facts.version)
    if problem := name_problem(name):
        # The version names the release snapshot's file: it comes from the file, so it is a finding.
        about = bool(xlsx and _about(xlsx).get("version"))
        where = Location(file=os.path.relpath(xlsx), sheet="About") if about and xlsx else \
            Location(file=os.path.relpath(docx))
        result.diags.append(Diagnostic.make(
            S.XLSX_UNSAFE_VALUE if about else S.UNSAFE_FILE_NAME,
            f"the document's version '{facts.version}' cannot name the release snapshot: {problem}", where,
            help="correct the version in the file, or give the release name with --release (e.g. --release v12)"))
        return result
    note = (f"Imported by s1sr import from {os.path.basename(docx)}"
            + (f" and {os.path.basename(xlsx)}" if xlsx else "") + f"; numbers frozen as release {name}.")
    files = write_source(project, note=note)
    if srv_bytes != _package_srvs()[0]:
        # The workbook's notes on its SRV rows make a list of the project's own; without them the
        # project reads the DUIS list the package ships (one copy of that fact).
        files["srvs.csv"] = srv_bytes
    files[f"releases/{name}.json"] = snapshot(project, name, facts.date or "", "s1sr import")
    _write_folder(to, files)
    result.release = name
    result.files = sorted(files)
    result.clauses = len(placed.clauses)
    result.cells = len(project.matrix)
    return result


def _write_folder(to: str, files: dict[str, Any]) -> None:
    from generator.app import outputs

    with outputs.locked([to]):
        outputs.recover(to)
        stage = outputs.stage_dir(to)
        try:
            outputs.write_files(stage, files)
            if os.path.isdir(to) and not os.listdir(to) and not os.path.ismount(to):
                os.rmdir(to)
            outputs.publish(stage, to)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
