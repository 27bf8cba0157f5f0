"""One emitter per output format over the same Diagnostic list."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from generator.diagnostics.core import Diagnostic

FORMATS = {
    "text": "generator.diagnostics.emit.text:emit_text",
    "json": "generator.diagnostics.emit.json:emit_json",
    "github": "generator.diagnostics.emit.github:emit_github",
    "sarif": "generator.diagnostics.emit.sarif:emit_sarif",
}


def emitter(fmt: str) -> Callable[[Sequence[Diagnostic]], str]:
    module, _, func = FORMATS[fmt].partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]
