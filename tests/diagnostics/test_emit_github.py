"""The GitHub Actions annotation emitter."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Location, Severity
from generator.diagnostics.emit import FORMATS, emitter
from generator.diagnostics.emit.github import emit_github


def _d(sev: Severity = Severity.ERROR, **loc: object) -> Diagnostic:
    return Diagnostic(code="S1SR201", severity=sev, message="reference to unknown clause 'hh-x'",
                      location=Location(**loc), help="did you mean 'hh-profile'?")  # type: ignore[arg-type]


def test_registered() -> None:
    assert "github" in FORMATS
    assert emitter("github") is emit_github


def test_file_line_col_and_title() -> None:
    out = emit_github([_d(file="content/sections/18.yaml", line=42, col=5)])
    assert out == ("::error file=content/sections/18.yaml,line=42,col=5,title=S1SR201::"
                   "reference to unknown clause 'hh-x'%0Ahelp: did you mean 'hh-profile'?\n")


def test_severities_map_to_commands() -> None:
    out = emit_github([_d(Severity.WARNING, file="a.yaml", line=1), _d(Severity.INFO, file="b.yaml", line=1)])
    assert out.splitlines()[0].startswith("::warning file=a.yaml,line=1,")
    assert out.splitlines()[1].startswith("::notice file=b.yaml,line=1,")


def test_escaping() -> None:
    d = Diagnostic(code="S1SR006", severity=Severity.ERROR, message="100% wrong\nreally",
                   location=Location(file="odd,name:1.yaml", line=3, col=1))
    line = emit_github([d])
    assert line == "::error file=odd%2Cname%3A1.yaml,line=3,col=1,title=S1SR006::100%25 wrong%0Areally\n"
    assert line.count("\n") == 1


def test_place_without_line_is_named_in_message() -> None:
    d = Diagnostic(code="XLSX111", severity=Severity.ERROR, message="not a clause reference",
                   location=Location(file="dmvesm.xlsx", sheet="Matrix", cell="D7"))
    assert emit_github([d]) == "::error file=dmvesm.xlsx,title=XLSX111::dmvesm.xlsx: Matrix!D7: not a clause reference\n"


def test_no_file() -> None:
    d = Diagnostic(code="S1SR015", severity=Severity.ERROR, message="no release v99", location=Location())
    assert emit_github([d]) == "::error title=S1SR015::no release v99\n"
