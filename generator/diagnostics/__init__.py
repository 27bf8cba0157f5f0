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

__all__ = ["RULES", "Diagnostic", "Location", "Rule", "Severity", "exit_status", "has_errors"]
