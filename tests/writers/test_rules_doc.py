"""The finding-code reference pages, generated from the rule registry."""

from __future__ import annotations

from generator.diagnostics.core import Rule, Severity
from generator.diagnostics.rules import load_all
from generator.writers.rules_doc import family, rule_page_path, write_rules_pages


def test_every_code_has_a_page_and_an_index_entry() -> None:
    rules = load_all()
    pages = write_rules_pages(rules)
    index = pages["rules/index.md"].decode()
    for code, r in rules.items():
        page = pages[rule_page_path(code)].decode()
        assert page.startswith(f"# {code} {r.name}\n")
        assert r.summary in page
        assert f"[{code}]({code}.md)" in index
    assert len(pages) == len(rules) + 1


def test_every_documented_section_is_rendered() -> None:
    for code, r in load_all().items():
        page = write_rules_pages([r])[rule_page_path(code)].decode()
        for label in ("What it checks", "Why", "Example", "How to fix"):
            if f"{label}:" in r.doc:
                assert f"## {label}\n" in page, f"{code}: '{label}' missing"


def test_page_shape() -> None:
    r = Rule(code="S1SR999", name="demo-rule", severity=Severity.WARNING, summary="A demo | with a bar.",
             doc="What it checks: that\n  things hold.\nWhy: reasons.\nExample: `id: 18.10`.\nHow to fix: quote it.",
             fatal=True)
    pages = write_rules_pages([r])
    assert pages["rules/S1SR999.md"].decode() == (
        "# S1SR999 demo-rule\n\n"
        "**Severity:** warning · **Family:** Other findings\n\n"
        "A demo | with a bar.\n\n"
        "The input cannot be read at all when this is found: `s1sr check` exits with status 2.\n\n"
        "## What it checks\n\nThat things hold.\n\n"
        "## Why\n\nReasons.\n\n"
        "## Example\n\n`id: 18.10`.\n\n"
        "## How to fix\n\nQuote it.\n\n"
        "---\n\n"
        "The code `S1SR999` is the same in every output format (text, JSON, SARIF, GitHub annotations). "
        "[All finding codes](index.md)\n"
    )
    assert "| [S1SR999](S1SR999.md) | demo-rule | warning | A demo \\| with a bar. |" in pages["rules/index.md"].decode()


def test_output_is_deterministic() -> None:
    rules = load_all()
    assert write_rules_pages(rules) == write_rules_pages(dict(reversed(list(rules.items()))))


def test_families() -> None:
    assert family("S1SR103") == "Numbering and releases"
    assert family("DOCX201") == "Checking a Word document"
    assert family("ZZZ1") == "Other findings"
