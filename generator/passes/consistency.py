"""Consistency: unique ids, no empty clauses, [Not used] clauses that are really empty."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import source as R
from generator.model import DeviceGroup, DeviceModel, Project, Span, walk


def check_consistency(project: Project) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    seen: dict[str, Span] = {}  # id → where it first stands (a Location only for a finding)
    for c in walk(project.document.sections):
        if not c.id:
            continue
        if c.id in seen:
            diags.append(Diagnostic.make(R.DUPLICATE_ID, f"clause id '{c.id}' is used twice",
                                         Location.of(c.span, c.id), related=[Location.of(seen[c.id], c.id)],
                                         help="give one of them a new, unique id"))
        else:
            seen[c.id] = c.span
        if not c.not_used and (c.heading or c.children or c.table or c.raw_text.strip()):
            continue  # the common case: nothing below to report
        here = Location.of(c.span, c.id)
        if c.not_used:
            if c.raw_text or c.children or c.table:
                diags.append(Diagnostic.make(R.NOT_USED_WITH_CONTENT,
                                             f"clause '{c.id}' is [Not used] but still has text or children", here,
                                             help="delete its text; the release snapshot keeps the old wording"))
            if c.applies_to:
                diags.append(Diagnostic.make(R.APPLIES_TO_NOT_USED,
                                             f"clause '{c.id}' is [Not used] but still applies to SRVs", here,
                                             help="remove its applies_to"))
        elif not (c.heading or c.raw_text.strip() or c.children or c.table):
            diags.append(Diagnostic.make(R.EMPTY_CLAUSE, f"clause '{c.id}' has no heading, text, table or children",
                                         here, help="add text, or mark it 'not_used: true'"))
    ids: dict[str, Location] = {}
    named: tuple[DeviceModel | DeviceGroup, ...] = (*project.devices, *project.groups)
    for d in named:
        if d.id in ids:
            diags.append(Diagnostic.make(R.DUPLICATE_DEVICE, f"'{d.id}' is defined twice in devices.yaml",
                                         d.span, related=[ids[d.id]], help="rename one of them"))
        ids.setdefault(d.id, Location.of(d.span))
    if project.changes and project.releases:
        latest = project.releases[-1].name
        names = [r.name for r in project.releases]
        if project.changes.against and project.changes.against not in names:
            diags.append(Diagnostic.make(R.UNKNOWN_RELEASE,
                                         f"changes.yaml is against '{project.changes.against}', which is not a release",
                                         project.changes.span, help=f"releases: {', '.join(names)}"))
        elif project.changes.against and project.changes.against != latest:
            diags.append(Diagnostic.make(R.CHANGESET_BASELINE,
                                         f"changes.yaml is against {project.changes.against}; the latest release is "
                                         f"{latest}", project.changes.span,
                                         help=f"set 'against: {latest}' and review the declarations"))
    return diags
