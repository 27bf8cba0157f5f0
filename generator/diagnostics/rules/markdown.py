"""Rules for the docs site (MD1xx): what MkDocs reports while ``s1sr build`` builds it."""

from __future__ import annotations

from generator.diagnostics.core import Severity, rule

SITE_WARNING = rule(
    "MD101", "site-warning", Severity.WARNING, "MkDocs reported a problem while building the site.",
    "What it checks: the messages MkDocs logs as warnings while `s1sr build` builds the site, "
    "such as a link in a page of `docs/` to a page or an anchor that does not exist.\n"
    "Why: the site is still published (the documents are what is being built), but a reader "
    "following that link reaches nothing. `mkdocs build --strict` fails on the same message.\n"
    "Example: `docs/getting-started.md` links to `numbering.md`, which has not been written yet.\n"
    "How to fix: correct the link, or write the missing page; the generated S1SR pages never "
    "cause this finding (if one does, it is a bug in s1sr).",
)
