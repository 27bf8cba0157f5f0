"""Reference resolution: cross-references, SRVs, Device Models, numbers typed in prose."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import source as R
from generator.model import AppliesTo, Clause, Project, SrvRef, Text, Xref, cite_map, starts_after, walk, xref_text
from generator.passes.numbering import reference_pattern

# A number typed in prose is a citation after a word that introduces one ("see 18.5");
# after a common word ("in", "of", "and") only when it has a sub-clause part ("in 18.5q"),
# so that quantities such as "of 0.5 kW" are not mistaken for clause numbers.
_CITE_STRONG = r"(?:[Cc]lauses?|[Pp]aragraphs?|[Ss]ections?|[Ss]ee|[Uu]nder|[Pp]er|[Aa]ppendix|S1SR)\s+"
_CITE_WEAK = r"(?:[Ii]n|[Aa]nd|[Oo]r|[Oo]f|to|with)\s+"


def check_groups(project: Project) -> list[Diagnostic]:
    """A group that contains itself (through any depth) or names an unknown member.

    The expansion itself is the model's (``Project.group_members``); this walks the same
    memberships to say where each one goes wrong.
    """
    groups = {g.id: g for g in project.groups}
    devices = {d.id for d in project.devices}
    diags: list[Diagnostic] = []
    done: set[str] = set()

    def visit(gid: str, path: tuple[str, ...]) -> None:
        if gid in done:
            return
        done.add(gid)
        g = groups[gid]
        for m in g.members:
            if m in path or m == gid:
                diags.append(Diagnostic.make(R.GROUP_CYCLE, f"group '{gid}' contains '{m}', which contains "
                                             f"'{gid}' again", g.span, help="remove one of the memberships"))
            elif m in groups:
                visit(m, (*path, gid))
            elif m not in devices:
                diags.append(Diagnostic.make(R.UNKNOWN_DEVICE, f"group '{gid}' lists unknown Device Model '{m}'",
                                             g.span, help=_near(m, list(devices) + list(groups))))

    for gid in groups:
        visit(gid, ())
    return diags


def _near(name: str, candidates: list[str]) -> str:
    near = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f"did you mean '{near[0]}'?" if near else ""


def resolve_references(project: Project) -> list[Diagnostic]:
    """Check every reference in a numbered project."""
    diags: list[Diagnostic] = []
    clauses = list(walk(project.document.sections))
    ids = {c.id for c in clauses}
    numbers = {c.number: c for c in clauses if c.number}
    srvs = {s.number for s in project.srvs}
    devices = {d.id for d in project.devices} | {g.id for g in project.groups}
    diags += check_groups(project)
    members = project.group_members  # expanded once, when the project was read
    not_applicable = {d.id: frozenset(d.not_applicable) for d in project.devices if d.not_applicable}
    baseline = project.baseline
    released_at = baseline.by_number() if baseline else {}
    cite = _citation_regex(project)
    # Every citation contains a level-2 reference, so text without one is skipped in C (the
    # citation regex, with its lead words and lookarounds, is several times slower to scan).
    hint = reference_pattern(project.document.scheme, capture=False)[1] if cite is not None else None

    by_id = {c.id: c for c in clauses}
    cites = cite_map(project.document)
    doc = project.document
    if doc.matrix_annex and not (doc.matrix_annex in by_id and by_id[doc.matrix_annex].annex
                                 and by_id[doc.matrix_annex].level == 1):
        diags.append(Diagnostic.make(
            R.MATRIX_ANNEX_UNKNOWN, f"matrix_annex '{doc.matrix_annex}' is not the id of an annex", doc.span,
            help=_near(doc.matrix_annex, [c.id for c in doc.sections if c.annex]) or "list the annex under 'annexes:'"))
    for dev in project.devices:
        for na in dev.not_applicable:
            if srvs and na not in srvs:
                diags.append(Diagnostic.make(
                    R.UNKNOWN_SRV, f"Device Model '{dev.id}' lists SRV {na} as not applicable, but it is not in the "
                    "DUIS list", dev.span, help=_near(na, sorted(srvs)) or "see srvs.csv"))
    for c in clauses:
        _check_prose(c, by_id, cites, diags)
        for inline in c.text:
            if isinstance(inline, Xref) and inline.target not in ids:
                diags.append(Diagnostic.make(
                    R.UNKNOWN_XREF, f"clause '{c.id}' refers to [[{inline.target}]], which is not a clause id",
                    inline.span, clause_id=c.id, help=_near(inline.target, sorted(ids)) or "check the id"))
            elif isinstance(inline, SrvRef) and srvs and inline.srv not in srvs:
                diags.append(Diagnostic.make(
                    R.UNKNOWN_SRV_IN_TEXT, f"clause '{c.id}' mentions SRV {inline.srv}, which is not a DUIS SRV",
                    c.span, clause_id=c.id, help=_near(inline.srv, sorted(srvs))))
            elif isinstance(inline, Text) and cite is not None and hint is not None and hint.search(inline.text):
                for m in cite.finditer(inline.text):
                    num = m.group("num") or m.group("num2")
                    _check_cited(c, num, numbers, released_at, baseline.name if baseline else "", diags)
        for a in c.applies_to:
            for s in a.srvs:
                if srvs and s not in srvs:
                    diags.append(Diagnostic.make(
                        R.UNKNOWN_SRV, f"clause '{c.id}' applies to SRV {s}, which is not in the DUIS list",
                        a.span, clause_id=c.id, help=_near(s, sorted(srvs)) or "see srvs.csv"))
            for d in a.devices:
                if d not in devices:
                    diags.append(Diagnostic.make(
                        R.UNKNOWN_DEVICE, f"clause '{c.id}' applies to '{d}', which is not a Device Model or group",
                        a.span, clause_id=c.id, help=_near(d, sorted(devices)) or "see devices.yaml"))
                elif not_applicable:
                    _check_not_applicable(c, a, d, members.get(d, (d,)), not_applicable, diags)
    return diags


def _check_not_applicable(c: Clause, a: AppliesTo, device: str, models: tuple[str, ...],
                          not_applicable: dict[str, frozenset[str]], diags: list[Diagnostic]) -> None:
    """A clause that applies to an SRV for ``device`` (a Device Model, or a group whose every model
    agrees) that devices.yaml lists as not applicable: the DMVESM cell would contradict the model."""
    for s in a.srvs:
        if models and all(s in not_applicable.get(m, ()) for m in models):
            kind = "group" if models != (device,) else "Device Model"
            diags.append(Diagnostic.make(
                R.APPLIES_TO_NOT_APPLICABLE,
                f"clause '{c.id}' applies to SRV {s} for {kind} '{device}', which devices.yaml lists as not "
                f"applicable to {'every one of its Device Models' if kind == 'group' else 'it'}",
                a.span, clause_id=c.id,
                help=f"remove {s} from this applies_to entry, or remove it from the not_applicable of '{device}'"
                + (" (its Device Models)" if kind == "group" else "")))


_LAST_WORD = re.compile(r"(\w+)\s*$")


def _check_prose(c: Clause, by_id: Mapping[str, Clause], cites: Mapping[str, str], diags: list[Diagnostic]) -> None:
    """How each cross-reference reads where it stands: a bare section number opening a
    sentence, or the kind of clause written twice ("clause clause 18.5")."""
    if Xref not in map(type, c.text):  # most clauses cite nothing (a scan in C)
        return
    before = ""  # the last stretch of text (for the word before a citation)
    start = True
    for inline in c.text:
        if not isinstance(inline, Xref):
            before = inline.text
            start = starts_after(start, inline.text)
            continue
        target = by_id.get(inline.target)
        if target is not None:
            if inline.bare and target.level == 1 and not target.annex and start:
                diags.append(Diagnostic.make(
                    R.BARE_SECTION_AT_START,
                    f"clause '{c.id}': a sentence starts with the bare number {target.number} ([[#{target.id}]])",
                    inline.span, clause_id=c.id,
                    help=f"write [[{target.id}]] so it prints '{cites.get(target.id, target.number)}'"))
            cite = cites.get(target.id, "")
            kind = cite[: len(cite) - len(target.number)].strip() if cite.endswith(target.number) else ""
            last = _LAST_WORD.search(before)
            if not inline.bare and kind and last and last.group(1).lower().rstrip("s") == kind.lower().rstrip("s"):
                diags.append(Diagnostic.make(
                    R.KIND_NAMED_TWICE,
                    f"clause '{c.id}': '{last.group(1)} [[{target.id}]]' prints '{last.group(1)} {cite}'",
                    inline.span, clause_id=c.id,
                    help=f"write '{last.group(1)} [[#{target.id}]]' for the bare number, or drop '{last.group(1)}'"))
        before = xref_text(inline, {}, None, start=False)
        start = starts_after(start, before)


def _citation_regex(project: Project) -> re.Pattern[str] | None:
    pats = reference_pattern(project.document.scheme, capture=False)
    if len(pats) < 2:
        return None
    # Levels 2+ only: a bare section number ("in 18") is too ambiguous to flag.
    def alts(levels: list[re.Pattern[str]]) -> str:
        return "|".join(f"(?:{p.pattern})" for p in reversed(levels))

    strong = alts(pats[1:])
    weak = alts(pats[2:]) if len(pats) > 2 else ""
    rx = rf"(?<![\w.]){_CITE_STRONG}(?P<num>{strong})(?![\w.]*\d)"
    if weak:
        rx += rf"|(?<![\w.]){_CITE_WEAK}(?P<num2>{weak})(?![\w.]*\d)"
    return re.compile(rx)


def _check_cited(c: Clause, num: str, numbers: dict[str, Clause], released: Mapping[str, object],
                 release_name: str, diags: list[Diagnostic]) -> None:
    target = numbers.get(num)
    if target is None:
        diags.append(Diagnostic.make(
            R.PLAIN_NUMBER_MISSING, f"clause '{c.id}' cites {num}, but no clause has that number",
            c.span, clause_id=c.id, help="cite the clause by id: [[clause-id]]"))
        return
    then = released.get(num)
    then_id = getattr(then, "id", None)
    if then_id is not None and then_id != target.id:
        now = next((x for x in numbers.values() if x.id == then_id), None)
        where = f"; that clause is now {now.number}" if now else ""
        diags.append(Diagnostic.make(
            R.PLAIN_NUMBER_MOVED,
            f"clause '{c.id}' cites {num}, which in release {release_name} was clause '{then_id}' but is now "
            f"'{target.id}'{where}",
            c.span, clause_id=c.id, related=[Location.of(target.span, target.id)],
            help=f"cite the clause meant by id: [[{then_id}]]"))
        return
    diags.append(Diagnostic.make(
        R.PLAIN_NUMBER, f"clause '{c.id}' cites {num} as plain text", c.span, clause_id=c.id,
        help=f"write [[{target.id}]] so the number follows any renumbering"))
