"""Clause history pages: for each clause (by stable id), its number and text in every version,
how each version changed it (the word-level diff of ``passes.diff``), and the DMVESM cells that
cited it in each.

One page per section (``history/<section>.md``), listing every clause that was in that section
in any version, each anchored ``#h-<id>``: the site's script links every clause of every
version's section page to its entry. A clause that moved between sections is listed on both
pages. A clause that reads [Not used] says since when, and whose number it was until then.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from generator.model import Clause, plain_text, walk
from generator.model.diff import ADDED, DELETE, INSERT, MOVED, REMOVED, RENUMBERED, VACATED, ClauseChange, Word
from generator.writers.markdown import _attr, _excerpt, _front, _md

if TYPE_CHECKING:
    from generator.writers.markdown import _Site
    from generator.writers.publication import Version, _Publication

__all__ = ["change_note", "history_pages", "words_md"]


def words_md(words: Iterable[Word]) -> str:
    """A word-level diff as inline HTML: deletions struck through, insertions underlined."""
    out = []
    for w in words:
        text = _md(w.text)
        if w.style == "term":
            text = f"<strong>{text}</strong>"
        elif w.style == "emph":
            text = f"<em>{text}</em>"
        out.append(f"<del>{text}</del>" if w.op == DELETE else f"<ins>{text}</ins>" if w.op == INSERT else text)
    return "".join(out)


def change_note(ch: ClauseChange) -> str:
    """What happened to a clause, in words (plain text)."""
    parts = []
    for k in ch.kinds:
        if k == RENUMBERED:
            parts.append(f"renumbered from {ch.old_number}" + (" (declared)" if ch.declared else " (not declared)"))
        elif k == MOVED:
            parts.append("moved to another parent")
        elif k == REMOVED:
            parts.append("removed" if ch.dropped else "made [Not used]")
        elif k == VACATED:
            parts.append(f"number left [Not used] by {ch.vacated_by}" if ch.vacated_by else "number left [Not used]")
        else:
            parts.append(k)
    return "; ".join(parts) or "cross-reference numbers changed"


class _View:
    """One version as the history reads it."""

    def __init__(self, v: Version, site: _Site) -> None:
        self.v = v
        self.site = site
        self.section_of: dict[str, str] = {}
        self.in_section: dict[str, list[str]] = {}
        for s in v.project.document.sections:
            ids = [c.id for c in walk((s,))]
            self.in_section[s.id] = ids
            for cid in ids:
                self.section_of[cid] = s.id
        self.changes = v.changes.by_id() if v.changes else {}
        self.cells: dict[str, list[tuple[str, str]]] = {}
        for m in v.project.matrix:
            for cid in dict.fromkeys(m.clauses):
                self.cells.setdefault(cid, []).append((m.srv, m.device))
        self._by_number: dict[str, str] | None = None

    def clause(self, cid: str) -> Clause | None:
        return self.site.by_id.get(cid)

    def holder(self, number: str) -> str:
        """The clause that bears ``number`` with text of its own in this version ("" for none)."""
        if self._by_number is None:
            self._by_number = {c.number: c.id for c in self.site.clauses if c.number and not c.not_used}
        return self._by_number.get(number, "")


def history_pages(pub: _Publication) -> dict[str, str]:
    """``history/index.md`` and a page per section."""
    views = [_View(v, pub.site(v)) for v in pub.versions]
    # Where each clause is listed first: the section it is in, in the newest version that has it.
    primary: dict[str, str] = {}
    for view in reversed(views):
        for cid, sid in view.section_of.items():
            primary.setdefault(cid, pub.history_pages[sid])
    out: dict[str, str] = {}
    summaries: list[tuple[str, str, str, int]] = []  # (page, number, heading, clauses)
    for sid, page in pub.history_pages.items():
        ids: dict[str, None] = {}
        for view in reversed(views):
            for cid in view.in_section.get(sid, ()):
                ids.setdefault(cid, None)
        newest = next(view for view in reversed(views) if sid in view.in_section)
        s = newest.clause(sid)
        assert s is not None
        title = f"{s.number} {s.heading}".strip() if s.heading else (s.number or s.id)
        lines = [_front(f"History: {title}"), f"# History of {_md(title)} {{: #history }}", "",
                 "Each clause of this section in every version on record: its number and text, what each version "
                 "changed (deleted words struck through, inserted words underlined) and the DMVESM cells that cited "
                 "it. The version column links the release; the number links the clause as that version has it.", ""]
        for cid in ids:
            lines += _entry(pub, views, page, cid, primary)
        out[page] = "\n".join(lines)
        summaries.append((page, s.number, s.heading, len(ids)))
    out[pub.history_index] = _index(pub, summaries)
    return out


def _index(pub: _Publication, summaries: list[tuple[str, str, str, int]]) -> str:
    here = pub.history_index
    site = pub.site(pub.current)
    titles = ", ".join(_md(v.title) for v in pub.versions)
    lines = [_front("Clause history"), "# Clause history {: #history }", "",
             f"Every clause by its stable identity across the versions on record ({titles}): its number and text "
             "in each, how each version changed it, and the DMVESM cells that cited it. On a section page, the "
             "link beside each clause number opens its history.", "",
             "| Section | Heading | Clauses |", "|---|---|---|"]
    for page, number, heading, n in summaries:
        lines.append(f"| {site.link(here, page, _md(number or '—'))} | {_md(heading)} | {n} |")
    lines.append("")
    return "\n".join(lines)


def _entry(pub: _Publication, views: list[_View], here: str, cid: str, primary: dict[str, str]) -> list[str]:
    present = [i for i, view in enumerate(views) if view.clause(cid) is not None]
    last = views[present[-1]]
    c = last.clause(cid)
    assert c is not None
    summary = "[Not used]" if c.not_used else (c.heading or _excerpt(plain_text(c.text, last.site.numbers), 60))
    lines = [f"## {_md(c.number or c.id)} {_md(summary)} {{: #h-{cid} }}", ""]
    cur = views[-1]
    facts = [f"Id <code>{_attr(cid)}</code>"]
    if last is cur:
        facts.append(f"{_md(cur.v.title)}: {cur.site.clause_link(here, cid)}")
    else:
        facts.append(f"not in {_md(cur.v.title)}; last in {_md(last.v.title)} as {_md(c.number)}")
    if primary.get(cid, here) != here:
        facts.append(cur.site.link(here, primary[cid], "also listed with its present section", f"h-{cid}"))
    lines += ["<p class=\"s1sr-history-facts\" markdown=\"span\">" + " · ".join(facts) + "</p>", ""]
    stone = _tombstone(pub, views, present, cid, primary, here)
    if stone:
        lines += [f'<p class="s1sr-tombstone" markdown="span">{stone}</p>', ""]
    lines += ["| Version | Number | Text | DMVESM cells citing it |", "|---|---|---|---|"]
    previous: tuple[str, list[tuple[str, str]]] | None = None  # (text, cells) of the last version that had it
    for i, view in enumerate(views):
        version = view.site.link(here, pub.release_pages[view.v.label], _md(view.v.title))
        if view.v.date:
            version += f"<br><small>{_md(view.v.date)}</small>"
        cl = view.clause(cid)
        if cl is None:
            lines.append(f"| {version} | — | <span class=\"s1sr-absent\">not in this version</span> | |")
            continue
        ch = view.changes.get(cid)
        number = view.site.clause_link(here, cid)
        if ch is not None and ch.kinds:
            note = change_note(ch)
            against = view.v.changes.from_label if view.v.changes else ""
            if i > 0 and against and against != views[i - 1].v.label:
                note += f" (compared with {against})"
            number += f"<br><small>{_md(note)}</small>"
        text = _text(view, cl)
        if ch is not None and (ch.words or ch.heading_words) and not ch.has(ADDED) and not ch.has(VACATED):
            shown = ""
            if ch.heading_words:
                shown = f"<strong>{words_md(ch.heading_words)}</strong><br>"
            shown += words_md(ch.words) if ch.words else _md(text)
            if ch.old_table != ch.new_table:
                shown += " <small>(table changed)</small>"
        elif previous is not None and previous[0] == text:
            shown = f'<span class="s1sr-same" title="unchanged">{_md(text)}</span>'
        else:
            shown = (f"<strong>{_md(cl.heading)}</strong><br>" if cl.heading else "") + _md(text)
        cells = view.cells.get(cid, [])
        if not cells:
            cited = "—"
        elif previous is not None and previous[1] == cells:
            cited = '<span class="s1sr-same">as in the version before</span>'
        else:
            cited = _cells(view, cells)
        lines.append(f"| {version} | {number} | {shown} | {cited} |")
        previous = (text, cells)
    lines.append("")
    return lines


def _text(view: _View, c: Clause) -> str:
    if c.not_used:
        return "[Not used]"
    return plain_text(c.text, view.site.numbers)


def _cells(view: _View, cells: list[tuple[str, str]]) -> str:
    by_srv: dict[str, list[str]] = {}
    for srv, did in cells:
        by_srv.setdefault(srv, []).append(did)
    parts = []
    for srv, dids in by_srv.items():
        names = []
        for did in dids:
            d = view.site.devices.get(did)
            names.append(f"{d.manufacturer} {d.model}".strip() if d else did)
        parts.append(f"SRV {_md(srv)}: " + ", ".join(_md(n) for n in names))
    return "; ".join(parts)


def _held(view: _View, cid: str, number: str) -> bool:
    c = view.clause(cid)
    return c is not None and c.number == number and not c.not_used


def _tombstone(pub: _Publication, views: list[_View], present: list[int], cid: str, primary: dict[str, str],
               here: str) -> str:
    """For a clause that reads [Not used] in the newest version that has it: since when, and
    whose number it was until then."""
    last = present[-1]
    c = views[last].clause(cid)
    if c is None or not c.not_used:
        return ""
    k = last
    while k - 1 in present and (views[k - 1].clause(cid) or c).not_used:
        k -= 1
    number = c.number
    since = f"{_md(number)} reads [Not used] since {_md(views[k].v.title)}"
    for j in range(k - 1, -1, -1):
        # A tombstone the numbering pass made names the clause that left the number; else look it up.
        holder = c.vacated_by if c.vacated_by and _held(views[j], c.vacated_by, number) else views[j].holder(number)
        if not holder:
            continue
        until = f"{_md(views[j].v.title)}" + (f", {_md(views[j].v.date)}" if views[j].v.date else "")
        if holder == cid:
            return f"{since}. It was this clause's number, with the text above, until {until}."
        held = views[j].clause(holder)
        name = _md(held.heading or _excerpt(plain_text(held.text, views[j].site.numbers), 50)) if held else ""
        link = pub.site(pub.current).link(here, primary.get(holder, here), f"<code>{_attr(holder)}</code>",
                                          f"h-{holder}")
        return f"{since}. Until {until} it was the number of clause {link} ({name})."
    return f"{since}; no earlier version on record gave it text."
