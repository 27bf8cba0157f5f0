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

RELEASE_FILE_DIFFERS = rule(
    "MD110", "release-file-differs", Severity.WARNING,
    "A release's file, rendered again from its snapshot for the site, differs from what the release recorded.",
    "What it checks: the site publishes every release's files (the S1SR .docx, the DMVESM .xlsx, the "
    "JSON export), rendered from the release's snapshot. `s1sr release` recorded each file's SHA-256 in "
    "the snapshot; each file rendered for the site is held to it.\n"
    "Why: a reader who downloads a designated version must get the bytes that were designated. A "
    "different digest means this version of s1sr writes that release differently (a writer changed), "
    "so the file on the site is not the one designated; the release page says so beside it.\n"
    "Example: `releases/v13.json` records `S1SR-v13.0.docx` as `3f2a…`; the site's build renders "
    "`9c41…` after an upgrade that changed the Word writer.\n"
    "How to fix: run `s1sr verify v13` to see every file that differs; publish the files kept from "
    "the designation, or build the site with the version of s1sr that made the release.",
)
