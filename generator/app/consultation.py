"""``s1sr consultation import``: a spreadsheet of responses → one response file per respondent.

It writes only into ``<content>/consultations/<id>/responses/``, and never replaces a file
silently: a response file whose organisation is in the sheet and whose text would change is
left alone and listed, unless ``--force`` is given. Nothing is written while the sheet or the
consultation has errors.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, has_errors
from generator.errors import UsageError

__all__ = ["ImportedResponses", "import_responses"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass
class ImportedResponses:
    """What an import did (or, with ``dry_run``, would do)."""

    folder: str = ""  # the responses folder
    respondents: int = 0
    answers: int = 0
    written: list[str] = field(default_factory=list)  # new files
    replaced: list[str] = field(default_factory=list)  # existing files given new text (--force)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # existing files that would change (no --force)
    diags: list[Diagnostic] = field(default_factory=list)
    done: bool = False  # False: nothing was written


def import_responses(root: str, consultation_id: str, sheet_path: str, *, sheet: str = "", force: bool = False,
                     dry_run: bool = False) -> ImportedResponses:
    """Import ``sheet_path`` (.xlsx or .csv) into the consultation ``consultation_id`` of the
    content folder ``root``."""
    from generator.app import outputs
    from generator.readers.consultation import (
        CONSULTATION_FILE,
        RESPONSES_FOLDER,
        organisation_key,
        read_consultation,
    )
    from generator.readers.consultation_sheet import read_response_sheet
    from generator.writers.consultation_yaml import response_yaml, slug

    if not os.path.isdir(root):
        raise UsageError(f"{root} is not a folder; point --content at the folder holding document.yaml")
    area = os.path.join(root, "consultations")
    known = sorted(n for n in os.listdir(area) if os.path.isfile(os.path.join(area, n, CONSULTATION_FILE))) \
        if os.path.isdir(area) else []
    if not consultation_id and len(known) == 1:
        consultation_id = known[0]
    if not _NAME.fullmatch(consultation_id) or consultation_id not in known:
        raise UsageError(f"there is no consultation '{consultation_id}' in {area} (consultations: "
                         if consultation_id else f"name the consultation with --consultation (consultations: "
                         f"{', '.join(known) or 'none'}); write its consultation.yaml first, with the parts the "
                         "sheet answers")
    if not os.path.isfile(sheet_path):
        raise UsageError(f"{sheet_path} is not a file; give the spreadsheet of responses (.xlsx or .csv)")
    folder = os.path.join(area, consultation_id)
    result = ImportedResponses(folder=os.path.join(folder, RESPONSES_FOLDER))
    consultation, diags = read_consultation(folder, os.path.relpath(folder))
    own = os.path.join(os.path.relpath(folder), CONSULTATION_FILE)
    result.diags = [d for d in diags if d.location.file == own]
    if consultation is None or has_errors(result.diags):
        return result
    got, more = read_response_sheet(sheet_path, consultation, display=os.path.relpath(sheet_path), sheet=sheet)
    result.diags += more
    if got is None or has_errors(more):
        return result

    existing: dict[str, str] = {}  # organisation → its file name
    names = set(os.listdir(result.folder)) if os.path.isdir(result.folder) else set()
    for r in consultation.respondents:
        name = next((f"{r.id}{ext}" for ext in (".yaml", ".yml") if f"{r.id}{ext}" in names), "")
        if name:
            existing[organisation_key(r.organisation)] = name
    planned: dict[str, bytes] = {}
    source = os.path.basename(sheet_path)
    for r in got.respondents:
        name = existing.get(organisation_key(r.organisation), "")
        if not name:
            stem, n = slug(r.organisation), 2
            name = f"{stem}.yaml"
            while name in names or name in planned:
                name, n = f"{stem}-{n}.yaml", n + 1
        planned[name] = response_yaml(r, source=source)
        result.respondents += 1
        result.answers += len(r.answers)
    for name, data in planned.items():
        path = os.path.join(result.folder, name)
        if not os.path.exists(path):
            result.written.append(path)
            continue
        with open(path, "rb") as fh:
            same = fh.read() == data
        (result.unchanged if same else result.replaced if force else result.conflicts).append(path)
    if result.conflicts or dry_run:
        return result
    for path in (*result.written, *result.replaced):
        outputs.replace_file(path, planned[os.path.basename(path)])
    result.done = True
    return result
