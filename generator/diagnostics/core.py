"""The Diagnostic type and the rule registry (rules are data, as in ruff and mypy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from generator.model.location import Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str = ""
    fatal: bool = False  # the input cannot be read at all: exit 2

    @property
    def how_to_fix(self) -> str:
        """The 'How to fix:' sentence of the rule's doc: the default hint of its findings."""
        for line in self.doc.splitlines():
            if line.startswith("How to fix:"):
                return line.removeprefix("How to fix:").strip()
        return ""


RULES: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, summary: str, doc: str = "", *, fatal: bool = False
) -> Rule:
    """Declare a rule; declaring registers it. Codes are never reused."""
    if code in RULES:
        raise ValueError(f"rule code {code} declared twice")
    r = Rule(code=code, name=name, severity=severity, summary=summary, doc=doc, fatal=fatal)
    RULES[code] = r
    return r


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    file: str = ""
    line: int = 0
    col: int = 0
    end_line: int = 0
    end_col: int = 0
    clause_id: str = ""
    document: str = ""
    clause_number: str = ""
    sheet: str = ""
    cell: str = ""
    # For a related location: what it shows (a symptom listed under its root cause).
    note: str = ""

    @classmethod
    def of(cls, span: Span, clause_id: str = "") -> Location:
        return cls(
            file=span.file,
            line=span.line,
            col=span.col,
            end_line=span.end_line,
            end_col=span.end_col,
            clause_id=clause_id,
        )

    def __str__(self) -> str:
        if self.sheet:
            return f"{self.file}: {self.sheet}!{self.cell}" if self.cell else f"{self.file}: {self.sheet}"
        if self.clause_number and not self.line:
            return f"{self.file}: clause {self.clause_number}"
        if self.line:
            return f"{self.file}:{self.line}:{self.col or 1}"
        return self.file or "<source>"


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    location: Location
    help: str = ""
    related: tuple[Location, ...] = field(default=())

    @classmethod
    def make(
        cls,
        r: Rule,
        message: str,
        location: Location | Span,
        help: str = "",
        related: Iterable[Location] = (),
        clause_id: str = "",
    ) -> Diagnostic:
        loc = location if isinstance(location, Location) else Location.of(location, clause_id)
        return cls(
            code=r.code,
            severity=r.severity,
            message=message,
            location=loc,
            help=help or (r.how_to_fix if r.severity is not Severity.INFO else ""),
            related=tuple(related),
        )

    @property
    def fatal(self) -> bool:
        r = RULES.get(self.code)
        return bool(r and r.fatal)


def has_errors(diags: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diags)


def exit_status(diags: Iterable[Diagnostic]) -> int:
    """0 clean, 1 any error, 2 when some input could not be read at all."""
    status = 0
    for d in diags:
        if d.fatal:
            return 2
        if d.severity is Severity.ERROR:
            status = 1
    return status


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.location.file, d.location.line, d.location.col, d.code)
