"""The states of the DMVESM's cells against the baseline pair: a cell that said "not
applicable" and now cites clauses, or the other way round.
"""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import external as R
from generator.model.external import Citation, Workbook
from generator.passes.external.devices import _norm_name


def _key(c: Citation) -> tuple[str, str]:
    return (c.srv, c.device or _norm_name(c.device_label))


def compare_states(old: Workbook, new: Workbook) -> list[Diagnostic]:
    """One finding per SRV and change of state: not applicable → cites clauses, and back."""
    was_na = {_key(c): c for c in old.not_applicable}
    was_cited = {_key(c): c for c in old.citations if c.numbers}
    changes: dict[tuple[str, str], list[tuple[Citation, str]]] = {}
    for c in new.citations:
        if c.numbers and _key(c) in was_na:
            changes.setdefault((c.srv, "cites"), []).append((c, ", ".join(c.numbers)))
    for c in new.not_applicable:
        before = was_cited.get(_key(c))
        if before is not None:
            changes.setdefault((c.srv, "n/a"), []).append((c, ", ".join(before.numbers)))
    out: list[Diagnostic] = []
    for (srv, now), cells in changes.items():
        where = [Location(file=new.file, sheet=c.sheet, cell=c.cell) for c, _ in cells]
        listed = "; ".join(f"{c.sheet}!{c.cell} ({c.device_label}): {numbers}" for c, numbers in cells[:4])
        more = f" and {len(cells) - 4} more" if len(cells) > 4 else ""
        if now == "cites":
            msg = (f"SRV {srv}: {len(cells)} cell{'s' if len(cells) > 1 else ''} said 'not applicable' in the baseline "
                   f"and now cite{'' if len(cells) > 1 else 's'} clauses: {listed}{more}")
        else:
            msg = (f"SRV {srv}: {len(cells)} cell{'s' if len(cells) > 1 else ''} cited clauses in the baseline and now "
                   f"say{'' if len(cells) > 1 else 's'} 'not applicable' (cited before: {listed}{more})")
        out.append(Diagnostic.make(R.CELL_STATE_CHANGED, msg, where[0], related=where[1:],
                                   help="check that the change is intended; the letter should explain it"))
    return out
