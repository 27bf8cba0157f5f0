"""The finding-code reference: one Markdown page per rule, generated from the rule registry.

``write_rules_pages(rules)`` → ``{"rules/index.md": …, "rules/S1SR103.md": …}``. The site
adds these pages to the user guide so that a code in a message leads to its explanation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from generator.diagnostics.core import Rule

__all__ = ["FAMILIES", "family", "rule_page_path", "write_rules_pages"]

RULES_DIR = "rules"

# Code prefix (letters, then the hundreds digit) → the family's heading on the index.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("S1SR0", "Reading the source"),
    ("S1SR1", "Numbering and releases"),
    ("S1SR2", "References"),
    ("S1SR3", "Consistency"),
    ("S1SR4", "Comparing two versions"),
    ("DOCX1", "Writing the Word document"),
    ("DOCX2", "Checking a Word document"),
    ("XLSX", "Checking a DMVESM workbook"),
    ("EXT", "Checking a document pair"),
    ("MD", "The site pages"),
    ("LTR", "Change letters"),
    ("CNS", "Consultations"),
    ("ABS", "Taking reviewers' edits back"),
)

_SECTIONS = ("What it checks", "Why", "Example", "How to fix")
_LABEL = re.compile(r"^(What it checks|Why|Example|How to fix):\s*", re.MULTILINE)


def family(code: str) -> str:
    """The index heading of the family ``code`` belongs to."""
    for prefix, title in FAMILIES:
        if code.startswith(prefix):
            return title
    return "Other findings"


def rule_page_path(code: str) -> str:
    """The page of a code, relative to the site's docs folder, e.g. ``rules/S1SR103.md``."""
    return f"{RULES_DIR}/{code}.md"


def _sections(doc: str) -> dict[str, str]:
    """Split a rule's doc into its *What it checks / Why / Example / How to fix* parts."""
    parts = _LABEL.split(doc.strip())
    out: dict[str, str] = {}
    if parts[0].strip():
        out[""] = parts[0].strip()
    for label, body in zip(parts[1::2], parts[2::2], strict=True):
        text = " ".join(body.split())
        out[label] = text[:1].upper() + text[1:]
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _page(r: Rule) -> str:
    parts = _sections(r.doc)
    lines = [
        f"# {r.code} {r.name}",
        "",
        f"**Severity:** {r.severity.value} · **Family:** {family(r.code)}",
        "",
        r.summary,
        "",
    ]
    if r.fatal:
        lines += ["The input cannot be read at all when this is found: `s1sr check` exits with status 2.", ""]
    if "" in parts:
        lines += [parts[""], ""]
    for label in _SECTIONS:
        if label in parts:
            lines += [f"## {label}", "", parts[label], ""]
    if not any(label in parts for label in _SECTIONS) and not r.doc.strip():
        lines += ["This rule has no further explanation yet.", ""]
    lines += [
        "---",
        "",
        f"The code `{r.code}` is the same in every output format (text, JSON, SARIF, GitHub "
        "annotations). [All finding codes](index.md)",
        "",
    ]
    return "\n".join(lines)


def _index(rules: Iterable[Rule]) -> str:
    by_family: dict[str, list[Rule]] = {}
    order = [title for _, title in FAMILIES] + ["Other findings"]
    for r in sorted(rules, key=lambda r: r.code):
        by_family.setdefault(family(r.code), []).append(r)
    lines = [
        "# Finding codes",
        "",
        "Every finding s1sr reports carries a code. Each code has "
        "a page here that says what it checks, why it matters, an example, and how to fix it. "
        "This reference is generated from the rules themselves, so it always matches the tool.",
        "",
        "Severities: **error** findings make `s1sr check` exit with status 1; **warning** and "
        "**info** findings are reported but do not change the exit status.",
        "",
    ]
    for title in order:
        if title not in by_family:
            continue
        lines += [f"## {title}", "", "| Code | Name | Severity | What it means |", "|---|---|---|---|"]
        for r in by_family[title]:
            lines.append(f"| [{r.code}]({r.code}.md) | {_cell(r.name)} | {r.severity.value} | {_cell(r.summary)} |")
        lines.append("")
    return "\n".join(lines)


def write_rules_pages(rules: Mapping[str, object] | Iterable[object]) -> dict[str, bytes]:
    """One page per rule plus ``rules/index.md``; file path → UTF-8 Markdown.

    ``rules`` is the registry as ``generator.diagnostics.rules.load_all()`` returns it (code →
    Rule), or any iterable of rules.
    """
    values = rules.values() if isinstance(rules, Mapping) else rules
    items = [r for r in values if isinstance(r, Rule)]
    files = {rule_page_path(r.code): _page(r).encode("utf-8") for r in items}
    files[f"{RULES_DIR}/index.md"] = _index(items).encode("utf-8")
    return dict(sorted(files.items()))
