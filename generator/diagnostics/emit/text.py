"""Human-readable findings: ``file:line:col: CODE severity: message`` then ``help:``."""

from __future__ import annotations

from collections.abc import Sequence

from generator.diagnostics.core import Diagnostic, Severity, sort_key
from generator.model.names import printable

# What one finding may print: a message or hint longer than this is cut (a pasted page in a
# clause id must not flood a terminal or a CI log).
MAX_SHOWN = 500


def emit_text(diags: Sequence[Diagnostic], *, color: bool = False, docs: bool = False, summary: bool = True) -> str:
    """``docs`` adds each finding's page in the user guide (``docs: rules/S1SR103``);
    ``summary`` the closing count line."""
    paint = {
        Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m",
    }
    lines: list[str] = []
    for d in sorted(diags, key=sort_key):
        sev = f"{paint[d.severity]}{d.severity.value}\033[0m" if color else d.severity.value
        lines.append(f"{printable(str(d.location), MAX_SHOWN)}: {d.code} {sev}: {printable(d.message, MAX_SHOWN)}")
        if d.help:
            # A YAML snippet to paste keeps its own indentation, under the hint; each line is
            # escaped and bounded like any other text from the source.
            first, *rest = d.help.splitlines() or [""]
            lines.append(f"  help: {printable(first, MAX_SHOWN)}")
            lines += [f"        {printable(line, MAX_SHOWN)}" for line in rest]
        for r in d.related:
            lines.append(f"  see: {printable(str(r), MAX_SHOWN)}" + (f": {printable(r.note, MAX_SHOWN)}" if r.note else ""))
        if docs:
            lines.append(f"  docs: rules/{d.code}")
    counts = {s: sum(1 for d in diags if d.severity is s) for s in Severity}
    if not summary:
        return "".join(line + "\n" for line in lines)
    lines.append(
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} note(s)"
    )
    return "\n".join(lines) + "\n"
