"""Read back what ``s1sr build`` wrote and compare it with the source (``s1sr check --built``).

The build's own .docx and .xlsx are read with the same readers as any document handed to
the check, as a reader sees them, and must show exactly the numbers, texts and matrix the
source resolves to; then the pair goes through the ordinary pre-designation check.
"""

from __future__ import annotations

import os
import re

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import readback as R
from generator.model import Project, cite_map, plain_text, walk
from generator.passes.matrix import not_applicable_cells

__all__ = ["check_built"]

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.replace("**", "").replace("*", "")).strip()


def _source_text(project: Project, numbers: dict[str, str], cites: dict[str, str], clause_id: str) -> str:
    c = next(c for c in walk(project.document.sections) if c.id == clause_id)
    return "[Not used]" if c.not_used else plain_text(c.text, numbers, cites)


def check_built(project: Project, out: str) -> list[Diagnostic]:
    from generator.app.external import Context, check_read_pair, read_pair_docx, read_pair_xlsx
    from generator.passes.external import place_clauses
    from generator.writers.json_export import file_name
    from generator.writers.xlsx import workbook_name

    docx = os.path.join(out, file_name(project, "docx"))
    xlsx = os.path.join(out, workbook_name(project))
    diags: list[Diagnostic] = []
    for path in (docx, xlsx):
        if not os.path.isfile(path):
            diags.append(Diagnostic.make(R.MISSING_OUTPUT, f"{path} does not exist", Location(file=path)))
    if diags:
        return diags

    clauses = list(walk(project.document.sections))
    numbers = {c.id: c.number for c in clauses}
    doc, more = read_pair_docx(docx)
    diags += more
    if doc is not None:
        placed = place_clauses(doc, project.document.scheme)
        read = [c.number for c in placed.clauses]
        want = [c.number for c in clauses]
        if read != want:
            at = next((i for i, (a, b) in enumerate(zip(read, want, strict=False)) if a != b), min(len(read), len(want)))
            shown = read[at] if at < len(read) else "(nothing)"
            meant = want[at] if at < len(want) else "(nothing)"
            diags.append(Diagnostic.make(
                R.NUMBER_MISMATCH,
                f"clause {at + 1} of {len(want)}: the document shows {shown} where the source numbers {meant} "
                f"({len(read)} numbered clauses read, {len(want)} in the source)",
                Location(file=docx, clause_number=shown)))
        else:
            by_number = {c.number: c for c in clauses}
            cites = cite_map(project.document)
            for rc in placed.clauses:
                src = by_number[rc.number]
                body = _norm(rc.text or rc.heading)
                expected = _norm(_source_text(project, numbers, cites, src.id) or src.heading)
                if expected and body != expected and not body.endswith(expected):
                    diags.append(Diagnostic.make(
                        R.TEXT_MISMATCH,
                        f"{rc.number}: the document reads '{body[:60]}', the source '{expected[:60]}'",
                        Location(file=docx, clause_number=rc.number, clause_id=src.id)))
    matrix, more = read_pair_xlsx(xlsx)
    diags += more
    if matrix is not None:
        got = {(c.srv, c.device_id): c for c in matrix.cells}
        for cell in project.matrix:
            want_numbers = tuple(numbers[i] for i in cell.clauses)
            found = got.pop((cell.srv, cell.device), None)
            if found is None or tuple(found.numbers) != want_numbers:
                where = Location(file=xlsx, sheet=found.sheet, cell=found.cell_ref) if found else Location(file=xlsx)
                diags.append(Diagnostic.make(
                    R.MATRIX_MISMATCH,
                    f"SRV {cell.srv} × {cell.device}: the workbook cites "
                    f"{', '.join(found.numbers) if found else 'nothing'}, the source {', '.join(want_numbers)}",
                    where))
        for extra in got.values():
            diags.append(Diagnostic.make(
                R.MATRIX_MISMATCH,
                f"SRV {extra.srv} × {extra.device_label}: the workbook cites {', '.join(extra.numbers)}, the "
                "source nothing", Location(file=xlsx, sheet=extra.sheet, cell=extra.cell_ref)))
        # The third state: the cells that say "not applicable", as the devices' not_applicable say
        # (in the rows the workbook has: an SRV with no variation at all has no row).
        marked = {(c.srv, c.device_id): c for c in matrix.not_applicable}
        rows = {r.srv for r in matrix.srvs}
        for srv, device in not_applicable_cells(project):
            if marked.pop((srv, device), None) is None and srv in rows:
                diags.append(Diagnostic.make(
                    R.MATRIX_MISMATCH, f"SRV {srv} × {device}: the source says not applicable, the workbook does not",
                    Location(file=xlsx)))
        for extra in marked.values():
            diags.append(Diagnostic.make(
                R.MATRIX_MISMATCH, f"SRV {extra.srv} × {extra.device_label}: the workbook says not applicable, the "
                "source does not", Location(file=xlsx, sheet=extra.sheet, cell=extra.cell_ref)))
    if any(d.fatal for d in diags) or doc is None or not clauses:
        # Nothing numbered to hold the pair to (a source with no clauses reads back as none).
        return diags
    # The source's own Device Models and scheme: the pair is held to what the build was made from.
    context = Context(devices=project.devices, groups=project.groups, scheme=project.document.scheme)
    return diags + check_read_pair(doc, matrix, context)
