"""The ``s1sr`` command: argv in, exit status out. No logic beyond mapping errors."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from generator import __version__
from generator.diagnostics import Diagnostic, Severity
from generator.diagnostics.emit import FORMATS
from generator.errors import S1SRError, SourceError, UsageError

if TYPE_CHECKING:
    from generator.app.console import ProgressLine
    from generator.app.site import SiteBuilder

EPILOG = """\
examples:
  s1sr check                        check the clause source in ./content
  s1sr build                        write every document into ./build, the S1SR site into ./site
                                    (and the user guide into ./site-guide)
  s1sr release v13                  freeze the draft's numbers as release v13
  s1sr export --format json         print the resolved model
  s1sr diff v12 draft               what the draft changes against release v12
  s1sr consultation import responses.xlsx   one response file per respondent, from a spreadsheet
  s1sr absorb reviewed.docx         take a reviewer's edits in a built .docx back into the source
  s1sr init my-s1sr                 start a new clause-source repository
  s1sr schema --out schema          write the JSON Schemas for your editor

global options (before or after the command): -q/--quiet prints only what went wrong,
-v/--verbose adds each finding's page in the guide and timings. Colour only on a terminal,
never when NO_COLOR is set; the build's progress line only on a terminal, never in CI.

exit status: 0 clean, 1 findings with errors, 2 input unreadable or bad usage
"""


def _content_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", default="content", metavar="DIR",
                   help="the clause source folder holding document.yaml (default: ./content)")


def main_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="s1sr",
        description="Write, publish and check clause-numbered regulatory documents (the S1SR and its DMVESM).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"s1sr {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "check", help="check the clause source (and, if given, a .docx/.xlsx pair)",
        description="Check clause numbering, references and releases. Every finding has a code, a place and a hint.",
        epilog="examples:\n  s1sr check --content content --format json\n"
               "  s1sr build && s1sr check --built build       # also read back what the build wrote\n"
               "  s1sr check --docx S1SR-v13.0.docx --xlsx DMVESM-v13.0.xlsx \\\n"
               "             --baseline-docx S1SR-v12.0.docx --baseline-xlsx DMVESM-v12.0.xlsx --format sarif\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_arg(p)
    p.add_argument("--format", choices=tuple(FORMATS), default="text",
                   help="output format: text, json, github (workflow annotations), … (default: text)")
    p.add_argument("--built", nargs="?", const="build", default="", metavar="DIR",
                   help="also read back the .docx and .xlsx that 's1sr build' wrote in DIR (default: build) and "
                        "check that they show exactly the source's numbers, texts and matrix")
    p.add_argument("--docx", metavar="S1SR.docx",
                   help="check this Word S1SR (and --xlsx) instead of the source: numbering as displayed, DMVESM "
                        "citations; the --content folder, if present, gives Device Models and the numbering scheme")
    p.add_argument("--xlsx", metavar="DMVESM.xlsx", help="the DMVESM workbook to check against --docx")
    p.add_argument("--baseline-docx", metavar="OLD.docx",
                   help="the S1SR as designated before: report clause text that moved to another number")
    p.add_argument("--baseline-xlsx", metavar="OLD.xlsx",
                   help="the DMVESM as designated before: report every cell that now points at other text")

    p = sub.add_parser(
        "build", help="render every document (and the site) from the source",
        description="Render the S1SR .docx, the DMVESM .xlsx and the other outputs into one folder, and the S1SR "
                    "site (every version, the DMVESM, the releases with their files, the clause history) with "
                    "mkdocs.yml beside the content folder, and the user guide with mkdocs-guide.yml where there is "
                    "one, each into its own folder, atomically: a failed build leaves the previous outputs as they "
                    "were.",
        epilog="examples:\n  s1sr build --out build                 # build/, site/ and site-guide/\n"
               "  s1sr build --site public --no-guide    # the S1SR site into public/, no guide\n"
               "  s1sr build --pdf --no-site\n"
               "  s1sr build --package --no-site         # build/S1SR-v13.0-package.zip\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_arg(p)
    p.add_argument("--out", default="build", metavar="DIR", help="output folder (default: ./build)")
    p.add_argument("--site", default="", metavar="DIR",
                   help="the S1SR site's folder (default: site/ beside the --out folder)")
    p.add_argument("--guide", default="", metavar="DIR",
                   help="the user guide's folder, built from mkdocs-guide.yml beside the content folder where there "
                        "is one (default: site-guide/ beside the --out folder)")
    p.add_argument("--no-site", action="store_true", help="build neither site (the documents only)")
    p.add_argument("--no-guide", action="store_true", help="do not build the user guide")
    p.add_argument("--release", default="", metavar="NAME", help="render a release as it was designated")
    p.add_argument("--against", default="", metavar="RELEASE",
                   help="write the redlines against this release (default: the draft's baseline, changes.yaml's "
                        "'against:')")
    p.add_argument("--force", action="store_true",
                   help="replace --out/--site even when they hold files s1sr did not write (never the source, the "
                        "templates, the project folder or a folder around them)")
    p.add_argument("--pdf", action="store_true",
                   help="also render the S1SR, its redline, the letters and the workbooks to PDF with LibreOffice "
                        "(headless; needs soffice and its Python bridge, python3-uno)")
    p.add_argument("--package", action="store_true",
                   help="also write one zip of the version's documents and PDFs with a SHA-256 manifest "
                        "(S1SR-vX-package.zip; implies --pdf)")

    p = sub.add_parser(
        "release", help="freeze the draft's numbering as a named release",
        description="Write content/releases/NAME.json: a full snapshot of the resolved model, its content hash "
                    "and the SHA-256 of every output. Later drafts keep every number it records.",
        epilog="examples:\n  s1sr release v13\n  s1sr release v13 --pdf    # record the PDFs' SHA-256 too\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_arg(p)
    p.add_argument("name", help="release name, e.g. v13")
    p.add_argument("--pdf", action="store_true",
                   help="record the outputs of 'build --release NAME --pdf': the PDFs LibreOffice makes (and the "
                        ".docx with the contents' page numbers) and the LibreOffice version; verify then needs "
                        "LibreOffice")

    p = sub.add_parser(
        "verify", help="re-render a release and compare with the SHA-256 it recorded",
        description="Render release NAME again from its snapshot and compare every output's SHA-256 with the "
                    "one recorded when it was released (the PDFs too, with LibreOffice, when it was released with "
                    "--pdf). Exit 0 when all match, 1 when any differs.",
        epilog="example:\n  s1sr verify v13\n", formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_arg(p)
    p.add_argument("name", help="release name, e.g. v13")

    p = sub.add_parser(
        "diff", help="what changed between two versions, by stable clause id",
        description="Compare two versions by stable clause id: clauses added, removed ([Not used]), amended "
                    "(word by word), moved and renumbered (declared or not); DMVESM cells; Device Models and "
                    "groups. A version is a release name (v12), 'draft' (the working source) or git:REV (the "
                    "source as committed at a git revision, read without a checkout).",
        epilog="examples:\n  s1sr diff v12 draft\n  s1sr diff v11 v12 --format json\n  s1sr diff git:HEAD~3 draft\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_arg(p)
    p.add_argument("old", metavar="FROM", help="the earlier version: a release name, 'draft' or git:REV")
    p.add_argument("new", metavar="TO", help="the later version: a release name, 'draft' or git:REV")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

    p = sub.add_parser(
        "export", help="print the resolved model as JSON",
        description="Print the resolved model (documents with numbered clauses, devices, SRVs, the matrix).",
        epilog="example:\n  s1sr export --format json --release v12 > v12.json\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_arg(p)
    p.add_argument("--format", choices=("json",), default="json", help="export format (default: json)")
    p.add_argument("--release", default="", metavar="NAME", help="export a release instead of the draft")
    p.add_argument("--out", default="", metavar="FILE",
                   help="write the export into FILE (new, or an earlier export) instead of printing it")
    p.add_argument("--force", action="store_true", help="replace FILE even if it is not an earlier export")

    p = sub.add_parser(
        "init", help="start a new clause-source repository that checks and builds clean",
        description="Write a new clause-source repository into DIR: content/ (document.yaml with the S1SR "
                    "numbering scheme, one section, devices.yaml, the DUIS SRV list), mkdocs.yml, a pre-commit "
                    "configuration, a CI workflow example and the JSON Schemas for editors. DIR must be new or "
                    "empty. With --force a non-empty DIR is accepted: files that already exist are never "
                    "overwritten; they are left as they are and listed as skipped.",
        epilog="example:\n  s1sr init my-s1sr && cd my-s1sr && s1sr check && s1sr build\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir", metavar="DIR", help="the folder to create (or an empty one)")
    p.add_argument("--force", action="store_true",
                   help="accept a non-empty DIR; add only the missing files, never overwrite")

    p = sub.add_parser(
        "schema", help="write the JSON Schemas of the content files (for editors)",
        description="Without --out, print where the installed JSON Schemas are. With --out DIR, write a copy of "
                    "each (document, section, devices, changes, letter, consultation, response) into DIR so an "
                    "editor setting can point at it.",
        epilog="example:\n  s1sr schema --out schema\n", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="", metavar="DIR", help="write the schemas into DIR (new, empty or holding them)")
    p.add_argument("--force", action="store_true", help="write into DIR even when it holds other files (they are "
                                                         "left as they are)")

    p = sub.add_parser(
        "import", help="turn an existing S1SR .docx and DMVESM .xlsx into a clause source",
        description="Read the Word S1SR and the DMVESM workbook as a reader sees them and write a clause source "
                    "(YAML, generated stable ids, the numbering scheme the document follows) with a release "
                    "snapshot that freezes every number as imported.",
        epilog="example:\n  s1sr import --docx S1SR-v12.docx --xlsx DMVESM-v12.xlsx --to content\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docx", required=True, metavar="S1SR.docx", help="the Word S1SR")
    p.add_argument("--xlsx", metavar="DMVESM.xlsx", help="the DMVESM workbook (gives applies_to and Device Models)")
    p.add_argument("--to", required=True, metavar="DIR", help="the content folder to write (new or empty)")
    p.add_argument("--release", default="", metavar="NAME",
                   help="name of the release snapshot (default: v + the document's version, e.g. v12)")
    p.add_argument("--force", action="store_true", help="replace DIR if it is not empty")

    p = sub.add_parser(
        "consultation", help="a consultation's responses: import them from a spreadsheet",
        description="Work with a consultation in content/consultations/<id>/ (its consultation.yaml and one "
                    "response file per respondent in responses/).",
        epilog="example:\n  s1sr consultation import responses.xlsx --consultation 2025-02-s1sr-v13\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    q = actions.add_parser(
        "import", help="write one response file per respondent from a spreadsheet (.xlsx or .csv)",
        description="Read a spreadsheet with one row per respondent and one column per question, and write "
                    "content/consultations/<id>/responses/<organisation>.yaml for each row. The header row names "
                    "the columns: Organisation, Category (the kind of party), Confidential (yes/no, optional) and "
                    "one column per part of the consultation, headed by its id, by Q1, Q2, … or by its title; "
                    "a cell says agree, disagree or no view, optionally followed by the respondent's words, and "
                    "a column headed like a question's and ending in 'comments' holds their words. Nothing is "
                    "written while the sheet has errors (each located by sheet and cell, or line), and a "
                    "response file whose text would change is replaced only with --force.",
        epilog="examples:\n  s1sr consultation import responses.xlsx --consultation 2025-02-s1sr-v13\n"
               "  s1sr consultation import responses.csv --dry-run     # see what it would write\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_arg(q)
    q.add_argument("sheet", metavar="SHEET", help="the spreadsheet of responses (.xlsx or .csv)")
    q.add_argument("--consultation", default="", metavar="ID",
                   help="the consultation's folder under content/consultations/ (default: the only one there)")
    q.add_argument("--sheet", dest="sheet_name", default="", metavar="NAME",
                   help="the worksheet to read (default: the first with an Organisation column)")
    q.add_argument("--force", action="store_true",
                   help="replace response files whose text would change (commit them first: answers and our "
                        "views in them are replaced by the sheet's)")
    q.add_argument("--dry-run", action="store_true", help="say what would be written; write nothing")

    p = sub.add_parser(
        "absorb", help="take a reviewed S1SR .docx (and DMVESM .xlsx) back into the source",
        description="Read a copy of an S1SR .docx that 's1sr build' wrote and a reviewer then edited in Word or "
                    "LibreOffice (tracked changes are taken as accepted; plain edits too), and the DMVESM workbook "
                    "of the same build, and turn the edits into changes to the YAML source: amended text, new "
                    "clauses (generated ids), removals ([Not used] for designated clauses), moves, applies_to. "
                    "Where the source has changed since the build, the edits are merged with those changes and "
                    "conflicts are reported. Without --write it only prints the change as a diff; with --write it "
                    "writes the YAML (comments and layout kept) and a review list of the comments.",
        epilog="examples:\n  s1sr absorb reviewed/S1SR-v13.0.docx                 # show what would change\n"
               "  s1sr absorb reviewed/S1SR-v13.0.docx --xlsx reviewed/DMVESM-v13.0.xlsx --write\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_arg(p)
    p.add_argument("docx", nargs="?", default="", metavar="REVIEWED.docx", help="the reviewed S1SR document")
    p.add_argument("--xlsx", default="", metavar="REVIEWED.xlsx", help="the reviewed DMVESM workbook of the same build")
    p.add_argument("--write", action="store_true",
                   help="write the changes into the source (each file replaced atomically) and the review list")
    p.add_argument("--review-to", default="", metavar="DIR",
                   help="where the review list (NAME.review.md and .json) goes (default: beside the document)")

    _add_global_options(parser, sub)
    _add_global_options(q, None)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, sub: argparse._SubParsersAction | None) -> None:  # type: ignore[type-arg]
    """-q/-v on the main parser and on every command, so both `s1sr -q check` and `s1sr check -q` work
    (``sub`` None: on ``parser`` alone, as a command's own command)."""
    targets = [(parser, False)] if sub is not None else [(parser, argparse.SUPPRESS)]
    for target, default in [*targets, *((p, argparse.SUPPRESS) for p in (sub.choices.values() if sub else ()))]:
        group = target.add_mutually_exclusive_group()
        group.add_argument("-q", "--quiet", action="store_true", default=default,
                           help="print only findings that are errors or warnings; no summary, no progress")
        group.add_argument("-v", "--verbose", action="store_true", default=default,
                           help="also print each finding's page in the user guide, and timings")


def _error(msg: str, code: int = 2) -> NoReturn:
    from generator.diagnostics import printable

    text = "\n".join(printable(line, 1000) for line in msg.split("\n"))
    sys.stderr.write(f"s1sr: error: {text}\n")
    raise SystemExit(code)


# errno → what the user can do about it (the sentence after the path and the system's words).
_OS_ADVICE = {
    errno.ENOSPC: "free some disk space (or choose another --out folder) and run the command again",
    errno.EDQUOT: "free some of your disk quota and run the command again",
    errno.EROFS: "the file system is read-only; choose a folder you can write to",
    errno.EACCES: "check the permissions of the folder, or choose one you can write to",
    errno.EPERM: "check the permissions of the folder, or choose one you can write to",
    errno.EBUSY: "the file or folder is in use (a mount point, or open elsewhere); choose another or try again",
    errno.ENOTDIR: "a part of this path is a file, not a folder; choose another path",
    errno.EISDIR: "this is a folder where a file is expected; name a file",
    errno.EEXIST: "it already exists; remove it or choose another name",
    errno.ENOENT: "it does not exist; check the path",
    errno.ENAMETOOLONG: "the path is too long; choose a shorter one",
    errno.ELOOP: "it is a loop of symbolic links; replace the link by the folder or file itself",
    errno.EXDEV: "it is on another file system; choose a folder beside it",
}


def _os_error(exc: OSError) -> str:
    """One line: the path, what the system said, what to do."""
    where = " → ".join(str(f) for f in (exc.filename, exc.filename2) if f is not None)
    what = exc.strerror or str(exc)
    advice = _OS_ADVICE.get(exc.errno or 0, "check the path and run the command again")
    return f"{where + ': ' if where else ''}{what}; {advice}"


def _internal_error(exc: BaseException, verbose: bool) -> NoReturn:
    if verbose:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    _error(f"internal error: {type(exc).__name__}: {exc}. This is a bug in s1sr {__version__}, not in your files; "
           "please report it to the s1sr maintainers with the command you ran and this message"
           + ("" if verbose else " (run the command again with --verbose to see the traceback)"))


def _emit(diags: Sequence[Diagnostic], fmt: str = "text", stream: TextIO | None = None,
          args: argparse.Namespace | None = None) -> None:
    from generator.app.console import use_color
    from generator.diagnostics.emit import emitter
    from generator.diagnostics.emit.text import emit_text

    stream = stream or sys.stdout
    if fmt == "text":
        quiet, verbose = bool(getattr(args, "quiet", False)), bool(getattr(args, "verbose", False))
        shown = [d for d in diags if d.severity is not Severity.INFO] if quiet else list(diags)
        out = emit_text(shown, color=use_color(stream, os.environ), docs=verbose, summary=not quiet)
    else:
        out = emitter(fmt)(diags)
    stream.write(out)


def _say(args: argparse.Namespace, text: str) -> None:
    """Ordinary output, silenced by --quiet."""
    if not getattr(args, "quiet", False):
        print(text)


def _progress(args: argparse.Namespace) -> ProgressLine | None:
    from generator.app.console import ProgressLine, show_progress

    if show_progress(sys.stderr, os.environ, quiet=bool(getattr(args, "quiet", False))):
        return ProgressLine(sys.stderr, "s1sr: ")
    return None


def _cmd_check(args: argparse.Namespace) -> int:
    from generator.app import api
    from generator.diagnostics import exit_status

    started = time.perf_counter()
    if args.docx or args.xlsx or args.baseline_docx or args.baseline_xlsx:
        if not args.docx:
            raise UsageError("--xlsx and the baseline options need --docx: the S1SR the workbook cites")
        diags = api.check_documents(args.docx, args.xlsx, baseline_docx=args.baseline_docx,
                                    baseline_xlsx=args.baseline_xlsx, content=args.content)
    else:
        diags = api.check(args.content, built=args.built)
    _emit(diags, args.format, args=args)
    if args.verbose:
        sys.stderr.write(f"s1sr: checked {args.content} in {time.perf_counter() - started:.2f} s\n")
    return exit_status(diags)


def _site_dir(args: argparse.Namespace) -> str:
    """Where ``build`` puts the site: --site, else site/ beside the --out folder ("" for --no-site)."""
    if args.no_site:
        return ""
    site = str(args.site or os.path.join(os.path.dirname(os.path.normpath(args.out)), "site"))
    if os.path.abspath(site) == os.path.abspath(args.out):
        raise UsageError("--site and --out name the same folder; give the site its own folder")
    return site


def _guide_dir(args: argparse.Namespace) -> str:
    """Where ``build`` puts the user guide: --guide, else site-guide/ beside the --out folder ("" for
    --no-site or --no-guide)."""
    if args.no_site or args.no_guide:
        return ""
    guide = str(args.guide or os.path.join(os.path.dirname(os.path.normpath(args.out)), "site-guide"))
    taken = {os.path.abspath(args.out): "--out", os.path.abspath(_site_dir(args)): "--site"}
    if os.path.abspath(guide) in taken:
        raise UsageError(f"--guide and {taken[os.path.abspath(guide)]} name the same folder; give the guide its own "
                         "folder")
    return guide


def _cmd_build(args: argparse.Namespace) -> int:
    from generator.app import api

    site, guide = _site_dir(args), _guide_dir(args)
    builder: SiteBuilder | None = None
    if site:
        from generator.mkdocs_plugin import build_site

        builder = build_site
    started = time.perf_counter()
    progress = _progress(args)
    try:
        hashes, diags = api.build(args.content, args.out, site=site, guide=guide, site_builder=builder,
                                  release=args.release,
                                  against=args.against, env_epoch=os.environ.get("SOURCE_DATE_EPOCH"),
                                  progress=progress, pdf=args.pdf, package=args.package, force=args.force)
    finally:
        if progress:
            progress.close()
    # Warnings found while building (e.g. MD101 from the site) are shown, never swallowed.
    from generator.diagnostics import Severity

    shown = [d for d in diags if d.severity is not Severity.INFO]
    if shown and not args.quiet:
        _emit(shown, "text", sys.stderr, args)
    for name, digest in hashes.items():
        _say(args, f"wrote {os.path.join(args.out, name)}" + (f"  sha256:{digest}" if args.verbose else ""))
    if site:
        _say(args, f"wrote {site}{os.sep} (the S1SR site)")
    from generator.app.site import find_guide_config

    if guide and find_guide_config(args.content):
        _say(args, f"wrote {guide}{os.sep} (the user guide)")
    if args.verbose:
        sys.stderr.write(f"s1sr: built {len(hashes)} file(s) in {time.perf_counter() - started:.2f} s\n")
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    from generator.app import api

    path = api.release(args.content, args.name, env_epoch=os.environ.get("SOURCE_DATE_EPOCH"), pdf=args.pdf)
    print(f"released {args.name}: {os.path.relpath(path)}")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from generator.app import api

    bad = api.verify(args.content, args.name, env_epoch=os.environ.get("SOURCE_DATE_EPOCH"))
    for name, then, now in bad:
        print(f"{name}: recorded {then[:12]}, now {now[:12]}")
    if bad:
        print(f"release {args.name}: {len(bad)} output(s) differ from what was recorded")
        if any(name.endswith((".pdf", ".docx")) for name, _, _ in bad):
            made, here = api.pdf_versions(args.content, args.name)
            if made and made != here:
                print(f"note: the PDFs were recorded with {made} and are rendered here with {here}; LibreOffice "
                      "gives the same bytes on the same version only")
        return 1
    print(f"release {args.name}: every output matches its recorded SHA-256")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from generator.app import api
    from generator.diagnostics import exit_status

    changes, diags = api.diff(args.content, args.old, args.new)
    sys.stdout.write(api.diff_report(changes, diags, args.format))
    if args.format == "text" and diags:
        _emit(diags, "text")
    return exit_status(diags)


def _cmd_import(args: argparse.Namespace) -> int:
    from generator.app import api
    from generator.diagnostics import exit_status

    result = api.import_documents(args.docx, args.xlsx, args.to, release=args.release, force=args.force)
    if result.diags:
        _emit(result.diags, "text", sys.stderr, args=args)
    if not result.files:
        return exit_status(result.diags) or 2
    _say(args, f"imported {result.clauses} clauses and {result.cells} DMVESM cells into {args.to} "
               f"(release {result.release}); next: s1sr check --content {args.to}")
    return 0


def _cmd_absorb(args: argparse.Namespace) -> int:
    from generator.app.absorb import absorb
    from generator.diagnostics import exit_status

    result = absorb(args.content, args.docx or None, args.xlsx or None, write=args.write, review_dir=args.review_to)
    sys.stdout.write(result.diff)
    if result.diags:
        _emit(result.diags, "text", sys.stderr, args=args)
    status = exit_status(result.diags)
    if status == 2:
        return status  # an input could not be read: there is nothing to sum up
    counts: dict[str, int] = {}
    for e in result.edits:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no change"
    comments = result.review.get("comments", [])
    _say(args, f"s1sr absorb: {summary}; {len(result.skipped)} edit(s) already in the source; "
               f"{len(comments) if isinstance(comments, list) else 0} comment(s)")
    new = [e for e in result.edits if e.kind == "insert"]
    for e in new:
        _say(args, f"  new clause {e.clause} → {result.numbers.get(e.clause, '?')}")
    if result.written:
        for path in sorted(result.files):
            _say(args, f"wrote {os.path.relpath(path)}")
        for path in result.review_files:
            _say(args, f"wrote {os.path.relpath(path)} (review list)")
    elif result.files and not status:
        _say(args, "nothing written; run again with --write to apply this change")
    return status


def _cmd_export(args: argparse.Namespace) -> int:
    from generator.app import api

    if args.out:
        _say(args, f"wrote {api.write_export(args.content, args.out, release=args.release, force=args.force)}")
        return 0
    sys.stdout.write(api.export_json(args.content, release=args.release))
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from generator.app.scaffold import init_project

    result = init_project(args.dir, force=args.force)
    for rel in result.created:
        _say(args, f"created {os.path.join(args.dir, rel)}")
    for rel in result.skipped:
        print(f"skipped {os.path.join(args.dir, rel)} (it exists; left as it was)")
    if result.created:
        _say(args, f"\nnext: cd {args.dir} && s1sr check && s1sr build")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from generator.app import schemas

    if args.out:
        for path in schemas.write_schemas(args.out, force=args.force):
            _say(args, f"wrote {path}")
    else:
        for path in schemas.schema_paths():
            print(path)
    return 0


def _cmd_consultation(args: argparse.Namespace) -> int:
    from generator.app.consultation import import_responses
    from generator.diagnostics import exit_status

    if args.action != "import":
        try:
            main_parser().parse_args(["consultation", "--help"])  # prints the command's help
        except SystemExit:
            pass
        return 2
    result = import_responses(args.content, args.consultation, args.sheet, sheet=args.sheet_name, force=args.force,
                              dry_run=args.dry_run)
    if result.diags:
        _emit(result.diags, "text", sys.stderr, args=args)
    status = exit_status(result.diags)
    if status:
        sys.stderr.write("s1sr: error: the sheet or the consultation has errors; nothing was written\n")
        return status
    if result.conflicts:
        for path in result.conflicts:
            print(f"would replace {os.path.relpath(path)}: its text differs from the sheet's")
        raise UsageError(f"{len(result.conflicts)} response file(s) would be replaced; nothing was written. Compare "
                         "them with the sheet, then import with --force to replace them (commit them first)")
    verb = "would write" if args.dry_run else "wrote"
    for path in result.written:
        _say(args, f"{verb} {os.path.relpath(path)}")
    for path in result.replaced:
        _say(args, f"{'would replace' if args.dry_run else 'replaced'} {os.path.relpath(path)}")
    for path in result.unchanged:
        _say(args, f"unchanged {os.path.relpath(path)}")
    _say(args, f"{result.respondents} respondent(s), {result.answers} answer(s) from {args.sheet}"
               + (" (dry run: nothing was written)" if args.dry_run else f"; next: s1sr check --content {args.content}"))
    return 0


COMMANDS = {"check": _cmd_check, "build": _cmd_build, "release": _cmd_release, "diff": _cmd_diff, "verify": _cmd_verify,
            "export": _cmd_export, "init": _cmd_init, "schema": _cmd_schema, "import": _cmd_import,
            "consultation": _cmd_consultation, "absorb": _cmd_absorb}


def _unknown_command(argv: Sequence[str]) -> str | None:
    """The error for a mistyped command, with the nearest one ("chekc" → check), or None."""
    words = [a for a in argv if not a.startswith("-")]
    if not words or words[0] in COMMANDS:
        return None
    import difflib  # only for a mistyped command

    near = difflib.get_close_matches(words[0], list(COMMANDS), n=1, cutoff=0.6)
    if not near:
        return None  # argparse lists the commands
    return f"'{words[0]}' is not an s1sr command; did you mean '{near[0]}'? (s1sr --help lists them)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = main_parser()
    mistyped = _unknown_command(sys.argv[1:] if argv is None else argv)
    if mistyped:
        _error(mistyped)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except SourceError as exc:
        diags = getattr(exc, "diagnostics", [])
        if diags:
            _emit(diags, "text", sys.stderr, args)
        _error(str(exc), exc.exit_code)
    except S1SRError as exc:
        _error(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _error("interrupted; earlier outputs are untouched", 130)
    except BrokenPipeError:
        return 0
    except OSError as exc:
        _error(_os_error(exc))
    except Exception as exc:  # the last net: anything unforeseen is a bug, said in one line
        _internal_error(exc, bool(getattr(args, "verbose", False)))


def entrypoint() -> None:
    raise SystemExit(main())
