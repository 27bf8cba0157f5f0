"""The clause source written back as YAML: ``document.yaml``, one file per section, ``devices.yaml``.

Used by ``s1sr import`` to onboard an existing S1SR. Output is plain, stable and readable: keys in
the order the format documents them, every id and number-like value quoted where YAML would
otherwise read it as a number, multi-line text as literal blocks.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.model import Clause, Project

__all__ = ["dump_yaml", "write_source"]


class _Dumper(yaml.SafeDumper):
    """SafeDumper with literal blocks for multi-line text and no aliases."""

    def ignore_aliases(self, _data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if re.fullmatch(r"[0-9][0-9.]*", value) or value.lower() in ("yes", "no", "on", "off", "true", "false", "null"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def _dump(data: Any, header: str = "") -> bytes:
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return (header + text).encode("utf-8")


def dump_yaml(data: Any, header: str = "") -> bytes:
    """``data`` as the plain, stable YAML of every file s1sr writes into a content folder."""
    return _dump(data, header)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "section"


def _clause(c: Clause) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id}
    if c.heading:
        out["heading"] = c.heading
    if c.not_used:
        out["not_used"] = True
    elif c.raw_text:
        out["text"] = c.raw_text
    if c.table:
        out["table"] = {"header": list(c.table.header), "rows": [list(r) for r in c.table.rows]}
    if c.applies_to:
        out["applies_to"] = [{"srvs": list(a.srvs), "devices": list(a.devices), **({"note": a.note} if a.note else {})}
                             for a in c.applies_to]
    if c.tags:
        out["tags"] = list(c.tags)
    if c.children:
        out["children"] = [_clause(x) for x in c.children]
    return out


def section_files(project: Project) -> list[str]:
    """A file name per top-level clause: sections/NN-…, annexes/NN-… for the annexes."""
    return [f"{'annexes' if s.annex else 'sections'}/{k:02d}-{_slug(s.heading or s.id)}.yaml"
            for k, s in enumerate(project.document.sections, start=1)]


def _levels(levels: Any) -> list[dict[str, Any]]:
    return [{"name": lv.name, "style": lv.style, "ref": lv.ref, **({"label": lv.label} if lv.label != "{ref}" else {}),
             **({"cite": lv.cite} if lv.cite != "{ref}" else {}), "insert": lv.insert,
             **({"start": lv.start} if lv.start != 1 else {})}
            for lv in levels]


def write_source(project: Project, *, note: str = "") -> dict[str, bytes]:
    """File name (relative to the content folder) → bytes, for the document, sections and devices."""
    d = project.document
    header = f"# {note}\n" if note else ""
    files: dict[str, bytes] = {}
    names = section_files(project)
    document: dict[str, Any] = {"id": d.id, "title": d.title}
    if d.short_title:
        document["short_title"] = d.short_title
    if d.appendix:
        document["appendix"] = d.appendix
    document["status"] = d.status
    document["version"] = d.version
    if d.date:
        document["date"] = d.date
    document["numbering"] = _levels(d.scheme.levels)
    document["sections"] = [n for n, c in zip(names, d.sections, strict=True) if not c.annex]
    if any(c.annex for c in d.sections):
        document["annex_numbering"] = _levels(d.scheme.annex)
        document["annexes"] = [n for n, c in zip(names, d.sections, strict=True) if c.annex]
    files["document.yaml"] = _dump(document, header)
    for name, section in zip(names, d.sections, strict=True):
        files[name] = _dump(_clause(section), header)
    devices: dict[str, Any] = {"devices": [
        {"id": x.id, "manufacturer": x.manufacturer, "model": x.model, "type": x.device_type,
         **({"cohort": x.cohort} if x.cohort else {}), **({"firmware": x.firmware} if x.firmware else {}),
         **({"not_applicable": list(x.not_applicable)} if x.not_applicable else {})}
        for x in project.devices]}
    if project.groups:
        devices["groups"] = [{"id": g.id, "name": g.name, "members": list(g.members)} for g in project.groups]
    files["devices.yaml"] = _dump(devices, header)
    return files
