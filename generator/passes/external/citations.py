"""The matrix against the text: cited numbers the S1SR lacks, and cited clauses about other SRVs
or Device Models.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Location, Rule
from generator.diagnostics.rules import external as R
from generator.model.external import Citation, ReadClause, Workbook
from generator.passes.external.devices import DeviceIndex
from generator.passes.external.numbering import _where
from generator.passes.external.placement import Placed, _short


# -- the DMVESM against the S1SR --------------------------------------------------------------------
def _srv_covers(mentioned: str, srv: str) -> bool:
    return mentioned == srv or srv.startswith(mentioned + ".") or mentioned.startswith(srv + ".")


def check_citations(placed: Placed, workbook: Workbook, devices: DeviceIndex) -> list[Diagnostic]:
    """Numbers the S1SR lacks (EXT101); cited clauses about other SRVs or Device Models (EXT102/103)."""
    diags: list[Diagnostic] = []
    by_number = placed.by_number()
    numbers = list(by_number)
    lead_of = placed.lead_of()
    found: list[tuple[Rule, str, Citation, str, str, ReadClause]] = []
    topics: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}

    def topic(c: ReadClause) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(own SRVs, own Device Models, SRVs above it, Device Models above it) of a clause, once."""
        if c.number not in topics:
            same = placed.devices is devices
            own_srvs, own_devs = c.srvs, c.devices if same else devices.mentions(c.full_text)
            ctx_srvs, ctx_devs = c.context_srvs, c.context_devices if same else devices.mentions(" ".join(c.context))
            lead = lead_of.get(c.number)
            if lead is not None:
                own_srvs = own_srvs + lead.srvs
                own_devs = own_devs + (lead.devices if same else devices.mentions(lead.full_text))
            topics[c.number] = (own_srvs, tuple(dict.fromkeys(own_devs)), ctx_srvs, ctx_devs)
        return topics[c.number]

    for cite in workbook.citations:
        srv, device = cite.srv, cite.device
        for n in cite.numbers:
            c = by_number.get(n)
            if c is None:
                # The cell, with the number it cites: what a root-cause finding matches its symptoms by.
                where = Location(file=workbook.file, sheet=cite.sheet, cell=cite.cell, clause_number=n)
                who = f"{cite.sheet}!{cite.cell} (SRV {cite.srv}, {cite.device_label})"
                diags.append(Diagnostic.make(
                    R.CITED_MISSING, f"{who} cites {n}, which the S1SR ({placed.file}) does not have", where,
                    help=_nearest(n, by_number, numbers)))
                continue
            own_srvs, own_devs, ctx_srvs, ctx_devs = topic(c)
            lead = lead_of.get(c.number)
            # (the clause's own SRVs and Device Models, then those above it; a context that names
            # every ESME holds hundreds of ids, not copied into one tuple for each number cited)
            srv_ok = any(_srv_covers(m, srv) for m in own_srvs) or any(_srv_covers(m, srv) for m in ctx_srvs)
            dev_ok = bool(device) and (device in own_devs or device in ctx_devs)
            dev_other = bool(cite.device) and bool(own_devs) and not dev_ok
            if not dev_other and (srv_ok or dev_ok):
                continue
            about = _short(c.full_text, 70)
            via = f" (with {lead.number}, whose list it continues)" if lead is not None else ""
            if dev_other or own_srvs:
                if dev_other:
                    names = list(dict.fromkeys(devices.label(d) for d in own_devs))
                    what = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
                    instead = cite.device_label
                else:
                    what = "SRV " + ", ".join(dict.fromkeys(own_srvs))
                    instead = f"SRV {cite.srv} or {cite.device_label}"
                found.append((R.CITED_OFF_TOPIC, n, cite, f"concerns {what}{via}, not {instead}", about, c))
            else:
                found.append((R.CITED_UNRELATED, n, cite, f"mentions neither SRV {cite.srv} nor its Device Model, in "
                              "its text or above it", about, c))
    diags += _grouped(found, placed.file, workbook.file)
    return diags


def _nearest(n: str, by_number: dict[str, ReadClause], numbers: list[str]) -> str:
    """What the S1SR has near a missing number: the parent's sub-clauses, else the closest numbers."""
    for k in range(len(n) - 1, 0, -1):
        parent = by_number.get(n[:k])
        if parent is None:
            continue
        kids = [c.number for c in by_number.values() if c.parent == parent.number]
        if kids:
            has = f"{kids[0]} to {kids[-1]}" if len(kids) > 1 else f"only {kids[0]}"
            return f"{parent.number} has {has}; correct the reference or add the clause"
        break
    near = difflib.get_close_matches(n, numbers, n=1, cutoff=0.6)
    return f"did you mean {near[0]}?" if near else "correct the reference or add the clause"


def _cells(cites: Sequence[Citation]) -> str:
    names = [f"{c.sheet}!{c.cell}" for c in cites]
    return names[0] if len(names) == 1 else (", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3
                                                                     else ""))


def _grouped(found: list[tuple[Rule, str, Citation, str, str, ReadClause]], doc_file: str, book_file: str
             ) -> list[Diagnostic]:
    """One finding per cited clause, SRV and reason, naming every cell (a row of the matrix often
    cites one clause for many Device Models)."""
    groups: dict[tuple[str, str, str, str], list[tuple[Rule, str, Citation, str, str, ReadClause]]] = {}
    for f in found:
        rule, n, cite, why, _about, _c = f
        key = (rule.code, n, cite.srv, why if rule is R.CITED_UNRELATED or "SRV" in why.split(",")[0] else
               why + cite.device_label)
        groups.setdefault(key, []).append(f)
    out: list[Diagnostic] = []
    for items in groups.values():
        rule, n, cite, why, about, c = items[0]
        cites = [f[2] for f in items]
        if len(cites) == 1:
            who = f"{cite.sheet}!{cite.cell} (SRV {cite.srv}, {cite.device_label})"
        else:
            who = f"{_cells(cites)} (SRV {cite.srv}; {len(cites)} Device Models)"
        where = [Location(file=book_file, sheet=x.sheet, cell=x.cell, clause_number=n) for x in cites]
        out.append(Diagnostic.make(
            rule, f"{who} cite{'s' if len(cites) == 1 else ''} {n}, which {why}: '{about}'", where[0],
            related=[*where[1:], _where(doc_file, c)],
            help="cite the clause that describes this Device Model's variation for this SRV, or correct the S1SR's "
            "numbering" if rule is R.CITED_OFF_TOPIC else
            "check the citation; if it is right, name the SRV or Device Model in the clause"))
    return out

