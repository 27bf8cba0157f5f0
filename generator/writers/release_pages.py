"""Release pages: ``releases/index.md`` and, for every version, what it changed from the version
before it (as ``s1sr diff`` gives it) and its files to download, each with its SHA-256 and
whether that equals the SHA-256 the release recorded when it was made.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING
from urllib.parse import quote

from generator.model import walk
from generator.model.diff import ADDED, RENUMBERED, ClauseChange
from generator.writers.diff_report import counts
from generator.writers.history_pages import change_note, words_md
from generator.writers.markdown import DOWNLOADS, _attr, _front, _md, _size

if TYPE_CHECKING:
    from generator.writers.publication import Version, _Publication

__all__ = ["release_pages"]


def release_pages(pub: _Publication) -> dict[str, str]:
    out = {pub.releases_index: _index(pub)}
    for i, v in enumerate(pub.versions):
        out[pub.release_pages[v.label]] = _page(pub, v, pub.versions[i - 1] if i else None)
    return out


def _summary(v: Version) -> str:
    if v.changes is None:
        return "first on record"
    n = counts(v.changes)
    parts = [f"{n[k]} {k}" for k in ("added", "removed", "amended", "moved", "renumbered") if n[k]]
    if n.get("vacated"):
        parts.append(f"{n['vacated']} number(s) left [Not used]")
    if v.changes.matrix:
        parts.append(f"{len(v.changes.matrix)} DMVESM cell(s)")
    return (", ".join(parts) or "no differences") + f" (from {v.changes.from_label})"


def _index(pub: _Publication) -> str:
    here = pub.releases_index
    site = pub.site(pub.current)
    lines = [_front("Releases"), "# Releases {: #releases }", ""]
    if len(pub.versions) == 1 and pub.current.name == "":
        lines += ["No version has been designated yet.", ""]
    lines += ["Every version on record, newest first: when it was designated, what it changed from the version "
              "before it, and its files.", "",
              "| Version | Designated | Clauses | Changes | Files |", "|---|---|---|---|---|"]
    for v in reversed(pub.versions):
        when = _md(v.release.date) if v.release else _md(v.project.document.status)
        n = sum(1 for _ in walk(v.project.document.sections))
        files = len(v.files) if v.name else len(pub.site(v).downloads)
        lines.append(f"| {site.link(here, pub.release_pages[v.label], _md(v.title))} | {when} | {n} | "
                     f"{_md(_summary(v))} | {files} |")
    lines.append("")
    return "\n".join(lines)


def _page(pub: _Publication, v: Version, before: Version | None) -> str:
    here = pub.release_pages[v.label]
    site = pub.site(v)
    d = v.project.document
    lines = [_front(v.title), f"# {_md(v.title)} {{: #release }}", ""]
    facts = [("Version", _md(d.version)), ("Status", _md(d.status.capitalize()))]
    if v.release is not None:
        facts.append(("Designated", _md(v.release.date)))
        if v.release.content_hash:
            facts.append(("Source", f"<code>{_attr(v.release.content_hash)}</code>"))
    clauses = list(walk(d.sections))
    facts.append(("Clauses", f"{len(clauses)} ({sum(1 for c in clauses if c.not_used)} [Not used])"))
    facts.append(("Read it", f"{site.link(here, site.path('index.md'), 'the text')}, "
                             f"{site.link(here, site.path('dmvesm.md'), 'the DMVESM')}"))
    lines += [f"- **{k}:** {val}" for k, val in facts] + [""]
    lines += _files(pub, v, here)
    lines += _changes(pub, v, before, here)
    return "\n".join(lines)


def _files(pub: _Publication, v: Version, here: str) -> list[str]:
    lines = ["## Files {: #files }", ""]
    if not v.name:  # the draft: the build's own outputs, on its home page too
        site = pub.site(v)
        if not site.downloads:
            return [*lines, "This preview has no files: `s1sr build` publishes the documents it writes here.", ""]
        lines += ["| File | Size | SHA-256 |", "|---|---|---|"]
        for dl in site.downloads:
            lines.append(f"| {_file_link(here, dl.name)} | {_md(_size(dl.size))} | <code>{_attr(dl.sha256)}</code> |")
        return [*lines, ""]
    if not v.files:
        return [*lines, "This site was built without this release's files (`s1sr build` renders them from the "
                "release's snapshot).", ""]
    from generator.writers.publication import version_file

    lines += ["Each file is rendered again from the release's snapshot when the site is built, and its SHA-256 "
              "is held to the one the release recorded when it was made. Compare a file you downloaded with `sha256sum FILE` (Linux), `shasum -a 256 FILE` (macOS) or "
              "`Get-FileHash FILE` (Windows).", "",
              "| File | Size | SHA-256 | Recorded at release |", "|---|---|---|---|"]
    for f in v.files:
        if not f.recorded:
            check = "not recorded (the snapshot holds no SHA-256 for it)"
        elif f.recorded == f.sha256:
            check = '<span class="s1sr-match">matches</span>'
        else:
            check = (f'<span class="s1sr-mismatch">differs: the release recorded <code>{_attr(f.recorded)}</code>; '
                     "this file is not the one designated</span>")
        lines.append(f"| {_file_link(here, version_file(v.name, f.name))} | {_md(_size(f.size))} | "
                     f"<code>{_attr(f.sha256)}</code> | {check} |")
    # What the release recorded but the site does not render (the PDFs of `s1sr release --pdf`,
    # which need LibreOffice): listed with their SHA-256, so the page names every recorded file.
    shown = {f.name for f in v.files}
    unpublished = [(n, h) for n, h in (v.release.outputs if v.release else ()) if n not in shown]
    if unpublished:
        made_by = f" (made by {_md(v.release.pdf_made_by)})" if v.release and v.release.pdf_made_by else ""
        lines += ["", f"The release also recorded these files{made_by}, which this site does not publish: "
                  f"`s1sr build --release {_md(v.name)} --pdf` renders them again and `s1sr verify {_md(v.name)}` "
                  "holds them to these SHA-256.", "",
                  "| File | SHA-256 recorded at release |", "|---|---|"]
        lines += [f"| {_md(n)} | <code>{_attr(h)}</code> |" for n, h in unpublished]
    return [*lines, ""]


def _file_link(here: str, name: str) -> str:
    url = quote(posixpath.relpath(posixpath.join(DOWNLOADS, name), posixpath.dirname(here) or "."), safe="/._-")
    return f"[{_md(posixpath.basename(name))}]({url})"


def _changes(pub: _Publication, v: Version, before: Version | None, here: str) -> list[str]:
    ch = v.changes
    if ch is None:
        return ["## Changes {: #changes }", "", "The first version on record: there is nothing to compare it with.", ""]
    lines = [f"## What changed from {_md(ch.from_label)} {{: #changes }}", ""]
    n = counts(ch)
    declared = sum(1 for c in ch.clauses if c.declared)
    lines += [f"{_md(ch.from_label)} → {_md(ch.to_label)}: {n['added']} clause(s) added, {n['removed']} removed, "
              f"{n['amended']} amended, {n['moved']} moved, {n['renumbered']} renumbered ({declared} declared, "
              f"{n['renumbered'] - declared} not declared)"
              + (f", {n['vacated']} number(s) left [Not used]" if n.get("vacated") else "")
              + f"; {len(ch.matrix)} DMVESM cell(s) and "
              f"{len(ch.entities)} Device Model(s) or group(s) changed.", ""]
    if not ch:
        return [*lines, "No differences.", ""]
    site = pub.site(v)
    old_site = pub.site(before) if before is not None and before.label == ch.from_label else None
    if ch.clauses:
        lines += ["| Number | Clause | Change | Text |", "|---|---|---|---|"]
        for c in ch.clauses:
            ident = "[Not used]" if c.vacated_by else f"<code>{_attr(c.id)}</code>"
            lines.append(f"| {_number(pub, c, here)} | {ident} | {_kinds(c)} | {_text(c)} |")
        lines.append("")
    if ch.matrix:
        lines += ["### DMVESM cells {: #cells }", "", "| SRV | Device Model | Change | Cited before | Cited now |",
                  "|---|---|---|---|---|"]
        for m in ch.matrix:
            dev = site.devices.get(m.device) or (old_site.devices.get(m.device) if old_site else None)
            name = f"{dev.manufacturer} {dev.model}".strip() if dev else m.device
            same = m.old_numbers == m.new_numbers and m.old_clauses != m.new_clauses
            old = _cited(m.old_numbers, m.old_clauses if same else ())
            new = _cited(m.new_numbers, m.new_clauses if same else ())
            lines.append(f"| {_md(m.srv)} | {_md(name)} | {_md(m.kind)} | {old} | {new} |")
        lines.append("")
    if ch.entities:
        lines += ["### Device Models and groups {: #entities }", "", "| | Id | Change | Details |", "|---|---|---|---|"]
        for e in ch.entities:
            detail = "; ".join(f"{f.name}: {f.old} → {f.new}" for f in e.fields)
            lines.append(f"| {_md(e.entity)} | <code>{_attr(e.id)}</code> | {_md(e.kind)} | {_md(detail)} |")
        lines.append("")
    return lines


def _number(pub: _Publication, c: ClauseChange, here: str) -> str:
    shown = f"{c.old_number} → {c.new_number}" if c.has(RENUMBERED) else (c.new_number or c.old_number)
    site = pub.site(pub.current)
    page = None
    for v in reversed(pub.versions):
        s = pub.site(v)
        if c.id in s.by_id:
            section = next((sid for sid, p in s.section_pages.items() if p == s.page_of[c.id]), "")
            page = pub.history_pages.get(section)
            break
    return site.link(here, page, _md(shown), f"h-{c.id}") if page else _md(shown)


def _kinds(c: ClauseChange) -> str:
    text = _md(change_note(c))
    if c.declared and c.reason:
        text += f"<br><small>{_md(c.reason)}</small>"
    return text


def _text(c: ClauseChange) -> str:
    out = ""
    if c.heading_words:
        out = f"<strong>{words_md(c.heading_words)}</strong><br>"
    if c.words and not c.vacated_by:
        out += words_md(w for w in c.words) if not c.has(ADDED) else _md(c.new_text())
    if c.old_table != c.new_table and c.old_table is not None and c.new_table is not None:
        out += " <small>(table changed)</small>"
    return out or "—"


def _cited(numbers: tuple[str, ...], ids: tuple[str, ...]) -> str:
    if ids:
        return ", ".join(f"{_md(n)} <code>{_attr(i)}</code>" for n, i in zip(numbers, ids, strict=True)) or "—"
    return _md(", ".join(numbers)) or "—"
