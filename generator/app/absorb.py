"""``s1sr absorb REVIEWED.docx [--xlsx REVIEWED.xlsx]``: reviewers' edits back into the source.

1. Read the source as it is now (it must check clean) and the reviewed document (tracked changes
   accepted, comments, the hash and snapshot of the source it was built from).
2. Turn the document's paragraphs into edits against that snapshot
   (:mod:`generator.passes.absorb`), and the workbook's cells into ``applies_to`` edits.
3. Merge them into the source as it is now (:mod:`generator.passes.absorb_merge`): conflicts are
   reported, never resolved by overwriting.
4. Patch the YAML with its comments and layout kept (:mod:`generator.writers.yaml_patch`), read
   and check the patched source in a scratch copy, and show the change as a unified diff.
5. With ``write``: replace each changed file atomically, and write the review list (comments,
   tracked-change authors, edits) as Markdown and JSON.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace

from generator.diagnostics import Diagnostic, Location, Severity, has_errors
from generator.diagnostics.rules import absorb as R
from generator.errors import UsageError
from generator.model import Project, walk
from generator.model.location import NOWHERE
from generator.model.review import SOURCE_PROPERTY, Edit, ReviewedDocument

__all__ = ["AbsorbResult", "absorb"]

_MARK = "written by s1sr absorb"


@dataclass
class AbsorbResult:
    diff: str = ""  # the change as a unified diff of the source files
    files: dict[str, str] = field(default_factory=dict)  # path → new text
    edits: list[Edit] = field(default_factory=list)  # what the merge applies
    skipped: list[Edit] = field(default_factory=list)  # edits the source already had
    diags: list[Diagnostic] = field(default_factory=list)
    numbers: dict[str, str] = field(default_factory=dict)  # clause id → number once taken back
    review: dict[str, object] = field(default_factory=dict)  # the review list
    review_files: list[str] = field(default_factory=list)
    written: bool = False


# -- reading ---------------------------------------------------------------------------------------
def _base(doc: ReviewedDocument, current: Project, current_hash: str, diags: list[Diagnostic]) -> Project | None:
    from generator.readers.release import SnapshotError, read_snapshot_project

    recorded = doc.property(SOURCE_PROPERTY)
    if not recorded:
        diags.append(Diagnostic.make(R.NOT_BUILT, f"{doc.file} does not record the source it was built from "
                                     f"(no '{SOURCE_PROPERTY}' property)", Location(file=doc.file)))
        return None
    if not doc.base:
        if recorded == current_hash:
            return current  # the snapshot was stripped, but the source has not changed since
        diags.append(Diagnostic.make(R.NOT_BUILT, f"{doc.file} records source {recorded[:19]}… but no longer "
                                     "carries its snapshot, and the source has changed since",
                                     Location(file=doc.file)))
        return None
    try:
        data = json.loads(doc.base)
        base = read_snapshot_project(doc.base.encode("utf-8"), f"{doc.file} (its source snapshot)", current.root,
                                     current.srvs, current.releases)
    except (SnapshotError, ValueError) as exc:
        diags.append(Diagnostic.make(R.BAD_SNAPSHOT, f"{doc.file}: the source snapshot it carries cannot be read: "
                                     f"{exc}", Location(file=doc.file)))
        return None
    # A release snapshot reads as designated; this one says what the built document said.
    base = replace(base, document=replace(base.document, status=str(data.get("document", {}).get("status", "draft"))))
    if data.get("content_hash") != recorded:
        diags.append(Diagnostic.make(R.BAD_SNAPSHOT, f"{doc.file}: the source snapshot it carries is not the "
                                     f"source its '{SOURCE_PROPERTY}' names", Location(file=doc.file)))
        return None
    return base


def _about_hash(path: str) -> str:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # the workbook reader has accepted the file; an unreadable About sheet is no hash
        return ""
    try:
        if "About" not in wb.sheetnames:
            return ""
        for row in wb["About"].iter_rows(values_only=True):
            if len(row) >= 2 and str(row[0] or "").strip().lower() == "content hash":
                return str(row[1] or "").strip()
        return ""
    finally:
        wb.close()


def _source_files(root: str) -> dict[str, str]:
    """document.yaml and every section file it lists (relative name → text)."""
    import yaml

    with open(os.path.join(root, "document.yaml"), encoding="utf-8") as fh:
        text = fh.read()
    files = {"document.yaml": text}
    data = yaml.safe_load(text) or {}
    listed = [*(data.get("sections") or []), *(data.get("annexes") or [])]
    for name in listed:
        path = os.path.join(root, str(name))
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                files[str(name)] = fh.read()
    return files


# -- the review list --------------------------------------------------------------------------------
def _review(doc: ReviewedDocument | None, absorbed_where: dict[int, tuple[str, str]],
            authors: dict[str, dict[str, int]], edits: list[Edit], numbers: dict[str, str]) -> dict[str, object]:
    comments = []
    for c in doc.comments if doc else ():
        cid, number = "", ""
        if c.paragraph:
            at = max((i for i in absorbed_where if i <= c.paragraph), default=0)
            cid, number = absorbed_where.get(at, ("", ""))
        comments.append({"id": c.id, "clause": cid, "number": number or numbers.get(cid, ""),
                         "author": c.author, "initials": c.initials, "date": c.date, "text": c.text,
                         "quoted": c.quoted, "reply_to": c.reply_to, "done": c.done})
    return {
        "format": "s1sr-review/1",
        "document": doc.file if doc else "",
        "source": doc.property(SOURCE_PROPERTY) if doc else "",
        "comments": comments,
        "tracked_changes": [{"author": a, **kinds} for a, kinds in sorted(authors.items())],
        "edits": [{"kind": e.kind, "clause": e.clause, "number": e.number, "now": numbers.get(e.clause, ""),
                   "authors": list(e.authors), "where": e.where} for e in edits],
    }


def review_markdown(review: dict[str, object]) -> str:
    lines = [f"<!-- {_MARK}: the review list of {review['document']} -->",
             f"# Review of {os.path.basename(str(review['document']))}", ""]
    changes = review["tracked_changes"]
    assert isinstance(changes, list)
    if changes:
        lines += ["## Tracked changes (taken as accepted)", "", "| author | insertions | deletions | moves | formatting |",
                  "|---|---|---|---|---|"]
        for a in changes:
            lines.append(f"| {a['author']} | {a.get('insert', 0)} | {a.get('delete', 0)} | {a.get('move', 0)} | "
                         f"{a.get('format', 0) + a.get('paragraph', 0)} |")
        lines.append("")
    comments = review["comments"]
    assert isinstance(comments, list)
    lines += ["## Comments", ""]
    if not comments:
        lines += ["None.", ""]
    for c in comments:
        where = f"clause {c['number']}" if c["number"] else f"new clause {c['clause']}" if c["clause"] else \
            "outside the clauses"
        reply = f" (reply to comment {c['reply_to']})" if c["reply_to"] else ""
        done = " — resolved" if c["done"] else ""
        lines.append(f"- **{where}** ({c['clause'] or '-'}), {c['author']}, {c['date'][:10]}{reply}{done}:")
        if c["quoted"]:
            lines.append(f"  > {' '.join(str(c['quoted']).split())}")
        lines += [f"  {line}" for line in str(c["text"]).splitlines()] + [""]
    edits = review["edits"]
    assert isinstance(edits, list)
    lines += ["## Edits taken back", ""]
    if not edits:
        lines += ["None.", ""]
    for e in edits:
        who = f" — {', '.join(e['authors'])}" if e["authors"] else ""
        shown = e["number"] or (f"new, now {e['now']}" if e["now"] else "new")
        lines.append(f"- {e['kind']} {e['clause']} ({shown}){who}")
    return "\n".join(lines).rstrip() + "\n"


# -- the command -----------------------------------------------------------------------------------
def _stage_check(root: str, files: dict[str, str]) -> tuple[Project | None, list[Diagnostic]]:
    """Load and check the source (and its letters) with ``files`` replaced, in a scratch copy."""
    from generator.app.api import letters, load

    with tempfile.TemporaryDirectory(prefix="s1sr-absorb-") as tmp:
        stage = os.path.join(tmp, "content")
        shutil.copytree(root, stage, symlinks=False, ignore=shutil.ignore_patterns(".git"))
        for name, text in files.items():
            path = os.path.join(stage, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        real = os.path.abspath(root)
        project, diags = load(stage, rel=lambda p: os.path.relpath(os.path.join(real, os.path.relpath(p, stage))))
        if project is not None and not has_errors(diags):
            diags += letters(project)[1]
        return project, diags


def _diff(root: str, old: dict[str, str], new: dict[str, str]) -> str:
    out: list[str] = []
    for name in sorted(new):
        shown = os.path.relpath(os.path.join(root, name))
        before = old.get(name)
        out += difflib.unified_diff((before or "").splitlines(keepends=True), new[name].splitlines(keepends=True),
                                    fromfile=f"a/{shown}" if before is not None else "/dev/null",
                                    tofile=f"b/{shown}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def _review_paths(docx: str, review_dir: str) -> tuple[str, str]:
    folder = review_dir or os.path.dirname(os.path.abspath(docx))
    stem = os.path.splitext(os.path.basename(docx))[0]
    return os.path.join(folder, f"{stem}.review.md"), os.path.join(folder, f"{stem}.review.json")


def _ours(path: str) -> bool:
    """Whether ``path`` is absent or a review list this command wrote (never overwrite another file)."""
    if not os.path.exists(path):
        return True
    try:
        with open(path, encoding="utf-8") as fh:
            head = fh.read(400)
    except (OSError, UnicodeDecodeError):
        return False
    return _MARK in head or '"format": "s1sr-review/1"' in head


def absorb(root: str, docx: str | None, xlsx: str | None = None, *, write: bool = False,
           review_dir: str = "") -> AbsorbResult:
    """Take the edits in ``docx`` (and ``xlsx``) back into the source in ``root``."""
    from generator.app import outputs
    from generator.app.api import load_clean
    from generator.passes.absorb import Layout, absorb_document, absorb_matrix
    from generator.passes.absorb_merge import merge_edits
    from generator.readers.docx_review import bookmark_targets, read_reviewed_docx
    from generator.readers.inline import parse_inline
    from generator.writers.docx import LEVEL_STYLES, NOT_USED, matrix_annex_note
    from generator.writers.json_export import content_hash
    from generator.writers.yaml_patch import Patched, patch_source

    if not docx and not xlsx:
        raise UsageError("give the reviewed .docx, or --xlsx with the reviewed workbook")
    for label, path in (("the document", docx), ("--xlsx", xlsx)):
        if path and not os.path.isfile(path):
            raise UsageError(f"{label} {path}: no such file")
    if docx and docx.lower().endswith((".xlsx", ".xlsm")):
        raise UsageError(f"{docx} is a workbook: give it with --xlsx (the document, if any, comes first)")
    if review_dir and not os.path.isdir(review_dir):
        raise UsageError(f"--review-to {review_dir}: no such folder")
    result = AbsorbResult()
    current = load_clean(root).project
    current_hash = content_hash(current)
    base: Project | None = current
    doc: ReviewedDocument | None = None
    edits: list[Edit] = []
    where: dict[int, tuple[str, str]] = {}
    authors: dict[str, dict[str, int]] = {}
    typed: dict[str, str] = {}
    recorded = current_hash
    if docx:
        doc, diags = read_reviewed_docx(docx, os.path.relpath(docx))
        result.diags += diags
        if doc is None:
            return result
        base = _base(doc, current, current_hash, result.diags)
        if base is None:
            return result
        recorded = doc.property(SOURCE_PROPERTY)
        anchors = bookmark_targets(c.id for c in walk(base.document.sections))
        absorbed = absorb_document(base, doc, Layout(levels=LEVEL_STYLES, body="S1SR Body", not_used=NOT_USED,
                                                          annex="S1SR Annex"),
                                   anchors, {c.id for c in walk(current.document.sections)},
                                   lambda raw: parse_inline(raw, NOWHERE), (matrix_annex_note(base),))
        edits += absorbed.edits
        result.diags += absorbed.diags
        where, authors, typed = absorbed.where, absorbed.authors, absorbed.new_ids
    if xlsx:
        from generator.readers.xlsx import read_xlsx

        shown = os.path.relpath(xlsx)
        stamped = _about_hash(xlsx)
        if stamped != recorded:
            result.diags.append(Diagnostic.make(
                R.WORKBOOK_MISMATCH, f"{shown} was built from source {stamped[:19] or '(none recorded)'}…, the "
                f"{'document' if docx else 'source now'} from {recorded[:19]}…", Location(file=shown)))
            return result
        matrix, more = read_xlsx(xlsx, name=shown)
        result.diags += more
        if matrix is None:
            return result
        assert base is not None
        cells = [(c.srv, c.device_id, c.device_label, c.numbers, f"{c.sheet}!{c.cell_ref}") for c in matrix.cells]
        more_edits, more = absorb_matrix(base, cells, shown)
        edits += more_edits
        result.diags += more
    assert base is not None
    if recorded != current_hash:
        result.diags.append(Diagnostic.make(R.SOURCE_CHANGED, f"the source has changed since {docx or xlsx} was "
                                            "built; the edits are merged with those changes",
                                            Location(file=os.path.relpath(docx or xlsx or ""))))
    for author, kinds in sorted(authors.items()):
        result.diags.append(Diagnostic.make(R.TRACKED_CHANGES, f"{sum(kinds.values())} tracked change(s) by {author} "
                                            "taken as accepted", Location(file=doc.file if doc else "")))
    designated = {c.id for c in current.baseline.clauses} if current.baseline else set()
    merged = merge_edits(base, current, edits, designated)
    result.diags += merged.conflicts
    result.edits, result.skipped = merged.ops, merged.skipped
    old = _source_files(root) if merged.ops else {}
    patched = patch_source(old, merged.ops) if merged.ops else Patched()
    for problem in patched.problems:
        result.diags.append(Diagnostic.make(R.CONFLICT, f"an edit could not be placed: {problem}; the source is left "
                                            "as it is there", Location(file=os.path.relpath(root))))
    for name in patched.layout_lost:
        result.diags.append(Diagnostic.make(R.LAYOUT_NOT_KEPT, f"{os.path.relpath(os.path.join(root, name))}: its "
                                            "layout could not be kept exactly; the diff shows more than the edit",
                                            Location(file=os.path.relpath(os.path.join(root, name)))))
    for name in patched.left:
        result.diags.append(Diagnostic.make(R.SECTION_FILE_LEFT, f"{name} is no longer listed in document.yaml; "
                                            "the file is left in place", Location(file=name)))
    result.files = {os.path.join(root, n): t for n, t in patched.files.items()}
    result.diff = _diff(root, old, patched.files)
    numbers = {c.id: c.number for c in walk(current.document.sections)}
    if patched.files:
        staged, found = _stage_check(root, patched.files)
        errors = [d for d in found if d.severity is Severity.ERROR]
        if staged is None or errors:
            result.diags += errors
            result.diags.append(Diagnostic.make(R.MERGED_HAS_ERRORS, f"with the edits taken back the source would "
                                                f"have {len(errors) or 'unreadable'} error(s); nothing is written",
                                                Location(file=os.path.relpath(root))))
        else:
            numbers = {c.id: c.number for c in walk(staged.document.sections)}
            for cid, label in typed.items():
                got = next((c for c in walk(staged.document.sections) if c.id == cid), None)
                if got is not None and label and label not in (got.number, got.label):
                    result.diags.append(Diagnostic.make(
                        R.TYPED_NUMBER, f"new clause '{cid}' was typed as {label}; it is numbered {got.number}",
                        Location(file=doc.file if doc else "", clause_id=cid)))
    elif not edits:
        result.diags.append(Diagnostic.make(R.NOTHING_TO_TAKE, f"{docx or xlsx} holds no edits to take back",
                                            Location(file=os.path.relpath(docx or xlsx or ""))))
    result.numbers = numbers
    result.review = _review(doc, where, authors, merged.ops, numbers)
    if not write or any(d.code == R.MERGED_HAS_ERRORS.code for d in result.diags):
        return result
    review_paths = _review_paths(docx or xlsx or "", review_dir) if doc is not None else ()
    for path in review_paths:
        if not _ours(path):
            raise UsageError(f"{path} exists and was not written by s1sr absorb; move it away or give --review-to")
    for path, text in sorted(result.files.items()):
        outputs.replace_file(path, text.encode("utf-8"))
    if review_paths:
        md, js = review_paths
        outputs.replace_file(md, review_markdown(result.review).encode("utf-8"))
        outputs.replace_file(js, (json.dumps(result.review, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
        result.review_files = [md, js]
    result.written = True
    return result


def blocking(result: AbsorbResult) -> bool:
    return has_errors(result.diags)
