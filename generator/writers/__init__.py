"""Writers render a numbered, resolved Project; they never read sources or renumber.

The registry maps an output name to ``module:function`` so that importing the package
costs nothing and ``s1sr check`` never loads python-docx, openpyxl or mkdocs. Each
writer is ``write_<fmt>(project, options) -> dict[str, bytes]`` (file name → content).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.model import Project
    from generator.writers.options import WriterOptions

Writer = Callable[["Project", "WriterOptions"], dict[str, bytes]]

# Order is the build order; every entry is one output family of `s1sr build`.
WRITERS: dict[str, str] = {
    "json": "generator.writers.json_export:write_json",
    "docx": "generator.writers.docx:write_docx",
    "xlsx": "generator.writers.xlsx:write_xlsx",
    "letter": "generator.writers.letter:write_letter",
    "consultation": "generator.writers.consultation:write_consultation",
    "redline-docx": "generator.writers.redline_docx:write_redline_docx",
    "redline-xlsx": "generator.writers.redline_xlsx:write_redline_xlsx",
}


def get_writer(name: str) -> Writer:
    module, _, func = WRITERS[name].partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]
