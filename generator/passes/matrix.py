"""The DMVESM matrix: SRV × Device Model → clauses, derived from ``applies_to``; and the cells a
Device Model's ``not_applicable`` SRVs mark as not applicable."""

from __future__ import annotations

from dataclasses import replace

from generator.model import MatrixCell, Project, walk


def build_matrix(project: Project) -> Project:
    groups = project.group_members
    devices = {d.id for d in project.devices}
    cells: dict[tuple[str, str], list[str]] = {}
    notes: dict[tuple[str, str], dict[str, None]] = {}
    for c in walk(project.document.sections):
        if c.not_used:
            continue
        for a in c.applies_to:
            targets: dict[str, None] = {}
            for d in a.devices:
                for x in groups.get(d, (d,) if d in devices else ()):
                    targets.setdefault(x, None)
            for s in a.srvs:
                for d in targets:
                    ids = cells.setdefault((s, d), [])
                    if c.id not in ids:
                        ids.append(c.id)
                    if a.note:
                        notes.setdefault((s, d), {})[a.note] = None
    srv_order = {s.number: i for i, s in enumerate(project.srvs)}
    dev_order = {d.id: i for i, d in enumerate(project.devices)}
    keys = sorted(cells, key=lambda k: (srv_order.get(k[0], len(srv_order)), k[0], dev_order.get(k[1], 0)))
    return replace(project, matrix=tuple(MatrixCell(srv=s, device=d, clauses=tuple(cells[(s, d)]),
                                                    note="; ".join(notes.get((s, d), {}))) for s, d in keys))


def not_applicable_cells(project: Project) -> tuple[tuple[str, str], ...]:
    """(SRV, Device Model id) of every cell marked not applicable, in matrix order. A cell that a
    clause's ``applies_to`` also names cites that clause: the clause wins."""
    cited = {(m.srv, m.device) for m in project.matrix}
    srv_order = {s.number: i for i, s in enumerate(project.srvs)}
    out = [(srv, d.id) for k, d in enumerate(project.devices) for srv in d.not_applicable if (srv, d.id) not in cited]
    dev_order = {d.id: i for i, d in enumerate(project.devices)}
    return tuple(sorted(dict.fromkeys(out), key=lambda x: (srv_order.get(x[0], len(srv_order)), x[0],
                                                           dev_order.get(x[1], 0))))
