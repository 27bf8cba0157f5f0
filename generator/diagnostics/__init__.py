"""Findings: one Diagnostic type, a registry of rules, one emitter per format."""

from __future__ import annotations

from generator.diagnostics.core import (
    RULES,
    Diagnostic,
    Location,
    Rule,
    Severity,
    exit_status,
    has_errors,
)
from generator.model.names import printable

__all__ = ["RULES", "Diagnostic", "Location", "Rule", "Severity", "exit_status", "has_errors", "printable"]
