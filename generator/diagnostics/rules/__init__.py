"""Every rule, by family. Importing this package registers them all.

One module per family so that each reader or writer declares its own findings:
``source`` (S1SR0xx-3xx), ``diff`` (S1SR4xx), ``docx`` (DOCX1xx), ``xlsx`` (XLSX1xx),
``letter`` (LTR1xx), ``consultation`` (CNS1xx), ``markdown`` (MD1xx), ``readback`` (RB1xx), ``absorb``
(ABS1xx: taking reviewers' edits back, with DOCX28x and XLSX18x for the files they edited).
"""

from __future__ import annotations

import importlib

from generator.diagnostics.core import RULES

_FAMILIES = ("source", "diff", "docx", "xlsx", "letter", "consultation", "external", "markdown", "readback",
             "absorb", "safety", "pdf")


def load_all() -> dict[str, object]:
    """Import every family module that exists (families land one by one)."""
    for name in _FAMILIES:
        try:
            importlib.import_module(f"generator.diagnostics.rules.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"generator.diagnostics.rules.{name}":
                raise
    return dict(RULES)
