"""Respondents → response files (``responses/<name>.yaml``), as ``s1sr consultation import``
writes them: one file per respondent, in the shape ``readers.consultation`` reads, the short form
(``references: agree``) for an answer without words."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from generator.model.consultation import Respondent
from generator.writers.yaml_source import dump_yaml

__all__ = ["response_yaml", "slug"]


def slug(name: str) -> str:
    """A file name stem from an organisation's name: ``Large Supplier A`` → ``large-supplier-a``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "respondent"


def _data(r: Respondent) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for a in r.answers:
        answers[a.part] = {"response": a.response, "text": "\n\n".join(a.text) + "\n"} if a.text else a.response
    data: dict[str, Any] = {"organisation": r.organisation, "category": r.category,
                            "confidential": r.confidential}
    if answers:
        data["answers"] = answers
    return data


def response_yaml(respondent: Respondent, *, source: str = "") -> bytes:
    """The response file of one respondent (``source``, the spreadsheet, named in a comment)."""
    header = f"# Imported from {source} by s1sr consultation import.\n" if source else ""
    return dump_yaml(_data(respondent), header)
