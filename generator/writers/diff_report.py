"""The result of ``s1sr diff`` as text (for people) or JSON (for tools), over one Changes value."""

from __future__ import annotations

import json
from typing import Any

from generator.model.diff import (
    ADDED,
    CLAUSE_KINDS,
    DELETE,
    INSERT,
    REMOVED,
    RENUMBERED,
    VACATED,
    Changes,
    ClauseChange,
    Word,
)

__all__ = ["DIFF_FORMAT", "counts", "diff_data", "diff_json", "diff_text", "inline_diff"]

DIFF_FORMAT = "s1sr-diff/1"


def inline_diff(words: tuple[Word, ...]) -> str:
    """Words as one line: ``[-deleted-]{+inserted+}`` (the notation of ``git diff --word-diff``)."""
    parts = []
    for w in words:
        text = w.text.replace("\n", " ")
        parts.append(f"[-{text}-]" if w.op == DELETE else f"{{+{text}+}}" if w.op == INSERT else text)
    return "".join(parts)


def _number(c: ClauseChange) -> str:
    if c.has(RENUMBERED):
        return f"{c.old_number} → {c.new_number}"
    return c.new_number or c.old_number


def counts(changes: Changes) -> dict[str, int]:
    return {k: sum(1 for c in changes.clauses if k in c.kinds) for k in CLAUSE_KINDS}


def diff_text(changes: Changes) -> str:
    lines = [f"{changes.from_label} → {changes.to_label}"]
    n = counts(changes)
    declared = sum(1 for c in changes.clauses if c.declared)
    lines.append(
        f"clauses: {n['added']} added, {n['removed']} removed, {n['amended']} amended, {n['moved']} moved, "
        f"{n['renumbered']} renumbered ({declared} declared, {n['renumbered'] - declared} undeclared)"
        + (f"; {n['vacated']} number{'s' if n['vacated'] > 1 else ''} left [Not used]" if n["vacated"] else ""))
    if not changes:
        lines.append("no differences")
    for c in changes.clauses:
        kinds = ", ".join(k for k in c.kinds)
        if c.has(RENUMBERED):
            kinds += " (declared)" if c.declared else " (NOT declared)"
        name = f"[Not used] (left by {c.vacated_by})" if c.vacated_by else c.id
        lines.append(f"  {_number(c):<18} {name:<32} {kinds}")
        if c.declared and c.reason:
            lines.append(f"      reason: {c.reason}")
        if c.heading_words and not c.has(ADDED):
            lines.append(f"      heading: {inline_diff(c.heading_words)}")
        if c.words and not (c.has(ADDED) or c.has(VACATED) or c.dropped):
            lines.append(f"      text: {inline_diff(c.words)}")
        if c.old_table != c.new_table and not c.has(ADDED) and not c.has(REMOVED):
            lines.append("      table changed")
    if changes.matrix:
        lines.append(f"DMVESM cells: {len(changes.matrix)} changed")
        for m in changes.matrix:
            # Same numbers, other clauses: the citation now names other text; show the ids.
            ids = m.old_numbers == m.new_numbers and m.old_clauses != m.new_clauses
            old = _cited(m.old_numbers, m.old_clauses if ids else ())
            new = _cited(m.new_numbers, m.new_clauses if ids else ())
            lines.append(f"  SRV {m.srv:<8} {m.device:<28} {m.kind:<8} {old} → {new}")
    if changes.entities:
        lines.append(f"Device Models and groups: {len(changes.entities)} changed")
        for e in changes.entities:
            detail = "; ".join(f"{f.name}: {f.old!r} → {f.new!r}" for f in e.fields)
            lines.append(f"  {e.entity:<6} {e.id:<28} {e.kind}{(': ' + detail) if detail else ''}")
    return "\n".join(lines) + "\n"


def _cited(numbers: tuple[str, ...], ids: tuple[str, ...]) -> str:
    if ids:
        return ", ".join(f"{n} [{i}]" for n, i in zip(numbers, ids, strict=True)) or "—"
    return ", ".join(numbers) or "—"


def _words(words: tuple[Word, ...]) -> list[dict[str, str]]:
    out = []
    for w in words:
        d = {"op": w.op, "text": w.text}
        if w.style:
            d["style"] = w.style
        if w.target:
            d["target"] = w.target
        out.append(d)
    return out


def diff_data(changes: Changes) -> dict[str, Any]:
    clauses = []
    for c in changes.clauses:
        d: dict[str, Any] = {
            "id": c.id, "kinds": list(c.kinds), "old_number": c.old_number or None,
            "new_number": c.new_number or None,
        }
        if c.old_parent != c.new_parent:
            d["old_parent"], d["new_parent"] = c.old_parent or None, c.new_parent or None
        if c.has(RENUMBERED):
            d["declared"] = c.declared
            if c.reason:
                d["reason"] = c.reason
        if c.words:
            d["words"] = _words(c.words)
        if c.heading_words:
            d["heading_words"] = _words(c.heading_words)
        if c.old_table != c.new_table:
            d["table_changed"] = True
        if c.dropped:
            d["dropped"] = True
        if c.vacated_by:
            d["vacated_by"] = c.vacated_by
        d["srvs"], d["devices"], d["tags"] = list(c.srvs), list(c.devices), list(c.tags)
        clauses.append(d)
    return {
        "format": DIFF_FORMAT,
        "from": {"label": changes.from_label, "version": changes.from_version},
        "to": {"label": changes.to_label, "version": changes.to_version},
        "author": changes.author, "date": changes.date,
        "summary": counts(changes) | {"declared": sum(1 for c in changes.clauses if c.declared),
                                      "matrix": len(changes.matrix), "entities": len(changes.entities)},
        "clauses": clauses,
        "matrix": [{"srv": m.srv, "device": m.device, "kind": m.kind, "old_clauses": list(m.old_clauses),
                    "new_clauses": list(m.new_clauses), "old_numbers": list(m.old_numbers),
                    "new_numbers": list(m.new_numbers)} for m in changes.matrix],
        "entities": [{"entity": e.entity, "id": e.id, "kind": e.kind, "name": e.name,
                      "fields": [{"name": f.name, "old": f.old, "new": f.new} for f in e.fields]}
                     for e in changes.entities],
    }


def diff_json(changes: Changes, findings: list[dict[str, Any]] | None = None) -> str:
    data = diff_data(changes)
    data["findings"] = findings or []
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
