"""The machine-readable export and the release snapshot (both JSON, stable key order)."""

from __future__ import annotations

import hashlib
import json
import json.encoder
from typing import Any

from generator.model import Clause, NumberingLevel, Project, walk
from generator.model.names import safe_name
from generator.writers.options import WriterOptions

EXPORT_FORMAT = "s1sr-export/1"
SNAPSHOT_FORMAT = "s1sr-release/1"


def _dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


# One line per record: json's C encoder writes each record, and only the few containers above
# the records are laid out by hand (an indented dump runs json's Python encoder over the whole
# model, three times the cost). A changed clause is still one changed line in a diff.
_RECORD = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
# json's own C encoder, made once (JSONEncoder.encode makes one per call: a third of the cost
# of a short record), with the arguments JSONEncoder gives it; the Python encoder without it.
_MAKE = getattr(json.encoder, "c_make_encoder", None)  # not in the stubs: json's private accelerator
_C_ENCODER = _MAKE and _MAKE(None, _RECORD.default, json.encoder.encode_basestring, None, ": ", ", ", True, False, True)


def _encode_record(value: Any) -> str:
    return "".join(_C_ENCODER(value, 0)) if _C_ENCODER else _RECORD.encode(value)


def _holds_records(value: dict[str, Any]) -> bool:
    return any(isinstance(v, list) and v and all(isinstance(x, dict) for x in v) for v in value.values())


def _layout(value: Any, depth: int, pad: str) -> str:
    """``value`` as JSON: a dict that holds lists of records (above ``depth`` 0) one key per
    line, such a list one record per line, anything else on one line."""
    if isinstance(value, dict) and depth > 0 and _holds_records(value):
        inner = pad + " "
        items = [f"{inner}{_RECORD.encode(k)}: {_layout(value[k], depth, inner)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and value and all(isinstance(x, dict) for x in value) and depth > 0:
        inner = pad + " "
        return "[\n" + ",\n".join(inner + _layout(x, depth - 1, inner) for x in value) + "\n" + pad + "]"
    return _encode_record(value)


def export_text(project: Project) -> str:
    """The export as JSON text: every clause, device, group, SRV and matrix cell on a line of its own."""
    return _layout(export_data(project), 2, "") + "\n"


def file_name(project: Project, ext: str, kind: str = "") -> str:
    d = project.document
    return safe_name(f"{d.short_title or d.id}{('-' + kind) if kind else ''}-v{d.version}.{ext}")


def matrix_file_name(project: Project) -> str:
    """``DMVESM-v13.0.xlsx``: the matrix annex keeps the S1SR's version."""
    return safe_name(f"DMVESM-v{project.document.version}.xlsx")


def _applies(c: Clause) -> list[dict[str, Any]]:
    # A note only where there is one, so that sources without notes export as before.
    return [{"srvs": list(a.srvs), "devices": list(a.devices), **({"note": a.note} if a.note else {})}
            for a in c.applies_to]


def _clause(c: Clause) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "number": c.number,
        "label": c.label,
        "parent": c.parent or None,
        "level": c.level,
        "heading": c.heading,
        "text": c.raw_text,
        "applies_to": _applies(c),
        "not_used": c.not_used,
    }
    if c.annex:
        out["annex"] = True
    if c.table:
        out["table"] = {"header": list(c.table.header), "rows": [list(r) for r in c.table.rows]}
    if c.tags:
        out["tags"] = list(c.tags)
    if c.vacated_by:
        out["vacated_by"] = c.vacated_by
    return out


def _devices(project: Project) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for d in project.devices:
        entry: dict[str, Any] = {"id": d.id, "manufacturer": d.manufacturer, "model": d.model, "type": d.device_type,
                                 "cohort": d.cohort, "firmware": d.firmware}
        if d.not_applicable:
            entry["not_applicable"] = list(d.not_applicable)
        out.append(entry)
    return out


def _groups(project: Project) -> list[dict[str, Any]]:
    return [{"id": g.id, "name": g.name, "members": list(g.members)} for g in project.groups]


def _levels(levels: tuple[NumberingLevel, ...]) -> list[dict[str, Any]]:
    return [{"name": lv.name, "style": lv.style, "ref": lv.ref, "label": lv.label, "cite": lv.cite,
             "insert": lv.insert, "start": lv.start} for lv in levels]


def _document(project: Project) -> dict[str, Any]:
    d = project.document
    out = {
        "id": d.id, "title": d.title, "short_title": d.short_title, "appendix": d.appendix,
        "status": d.status, "version": d.version, "date": d.date,
        "numbering": _levels(d.scheme.levels),
    }
    if any(c.annex for c in d.sections):
        out["annex_numbering"] = _levels(d.scheme.annex)
    if d.matrix_annex:
        out["matrix_annex"] = d.matrix_annex
    return out


def export_data(project: Project) -> dict[str, Any]:
    doc = _document(project)
    doc["clauses"] = [_clause(c) for c in walk(project.document.sections)]
    return {
        "format": EXPORT_FORMAT,
        "documents": [doc],
        "devices": _devices(project),
        "groups": _groups(project),
        "srvs": [{"number": s.number, "name": s.name, **({"note": s.note} if s.note else {})} for s in project.srvs],
        "matrix": [{"srv": m.srv, "device": m.device, "clauses": list(m.clauses), **({"note": m.note} if m.note else {})}
                   for m in project.matrix],
    }


def write_json(project: Project, _options: WriterOptions) -> dict[str, bytes]:
    """Every writer takes the options; the export depends on the model alone."""
    return {file_name(project, "json"): _export_bytes(project)}


def content_hash(project: Project) -> str:
    """SHA-256 of the resolved model (independent of file layout, comments and formatting)."""
    return "sha256:" + hashlib.sha256(_export_bytes(project)).hexdigest()


# The export of the last project asked for: a build hashes the model (for the options) and
# writes the same bytes as the JSON export, an encoding of the whole model each time.
_LAST: list[tuple[Project, bytes]] = []


def _export_bytes(project: Project) -> bytes:
    if _LAST and _LAST[0][0] is project:
        return _LAST[0][1]
    data = export_text(project).encode("utf-8")
    _LAST[:] = [(project, data)]
    return data


def snapshot(project: Project, name: str, date: str, origin: str,
             outputs: dict[str, str] | None = None, pdf_made_by: str = "") -> bytes:
    """The release snapshot: the resolved model with ordinals, so numbering can freeze on it;
    with the SHA-256 of the outputs rendered from it, and the LibreOffice that made any PDF
    among them."""
    return _dumps(snapshot_data(project, name, date, origin, outputs, pdf_made_by=pdf_made_by))


def snapshot_data(project: Project, name: str, date: str, origin: str, outputs: dict[str, str] | None = None,
                  *, digest: str = "", pdf_made_by: str = "") -> dict[str, Any]:
    """What :func:`snapshot` writes, as data; ``digest`` is the project's :func:`content_hash`
    when the caller has it already (it costs a whole encoding of the model)."""
    clauses = []
    for c in walk(project.document.sections):
        entry = _clause(c)
        entry["parent"] = c.parent
        entry["ordinal"] = list(c.ordinal)
        clauses.append(entry)
    data: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "name": name,
        "date": date,
        "origin": origin,
        "document": _document(project),
        "clauses": clauses,
        "devices": _devices(project),
        "groups": _groups(project),
        "matrix": [{"srv": m.srv, "device": m.device, "clauses": list(m.clauses)} for m in project.matrix],
        "content_hash": digest or content_hash(project),
        "outputs": dict(sorted((outputs or {}).items())),
    }
    if pdf_made_by:
        data["pdf_made_by"] = pdf_made_by
    if project.changes is not None:
        # The change set it was designated with: which release it changed, and the renumberings
        # it declared, so that a letter sent with it compares the same way for ever after.
        data["changes"] = {
            "against": project.changes.against,
            "renumber": [{"clauses": list(r.clauses), "reason": r.reason} for r in project.changes.renumber],
        }
    if project.baseline is not None:
        # The release this one descends from: its numbers still count (model.designation.lineage).
        data["against"] = project.baseline.name
    return data
