"""Findings as GitHub Actions workflow commands, so each shows as an annotation on its line:

``::error file=content/sections/18.yaml,line=42,col=5,title=S1SR201::message``
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.diagnostics.core import Diagnostic, Severity, sort_key
from generator.diagnostics.emit.text import MAX_SHOWN
from generator.model.names import printable

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    """Escape a message (after ``::``) as the runner expects; other controls are shown as escapes so
    that no text can forge a workflow command or a terminal sequence."""
    text = "\n".join(printable(line, MAX_SHOWN) for line in text.split("\n"))
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    """Escape a property value (``file=…``): also ``:`` and ``,``."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    loc = d.location
    props: list[str] = []
    if loc.file:
        props.append(f"file={_prop(loc.file)}")
        if loc.line:
            props.append(f"line={loc.line}")
            if loc.col:
                props.append(f"col={loc.col}")
            if loc.end_line and loc.end_line >= loc.line:
                props.append(f"endLine={loc.end_line}")
                if loc.end_col and loc.end_line == loc.line and loc.end_col > loc.col:
                    props.append(f"endColumn={loc.end_col}")
    props.append(f"title={_prop(d.code)}")
    message = d.message
    if loc.file and not loc.line:
        # A place inside a document or workbook (clause 18.5p, Matrix!D7) has no line: name it.
        where = str(loc)
        if where != loc.file:
            message = f"{where}: {message}"
    if d.help:
        message += f"\nhelp: {d.help}"
    return f"::{_LEVEL[d.severity]} {','.join(props)}::{_data(message)}"


def emit_github(diags: Sequence[Diagnostic]) -> str:
    return "".join(annotation(d) + "\n" for d in sorted(diags, key=sort_key))
