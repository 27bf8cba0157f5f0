"""Orchestration: read → passes → writers. Writers are imported only when used."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, has_errors
from generator.errors import SourceError, UsageError
from generator.model import Project
from generator.model.diff import Changes
from generator.model.letter import Letter
from generator.passes.consistency import check_consistency
from generator.passes.matrix import build_matrix
from generator.passes.numbering import number_project
from generator.passes.references import resolve_references
from generator.readers.yaml_source import read_source

if TYPE_CHECKING:
    from generator.app.importer import ImportResult
    from generator.app.site import SiteBuilder
    from generator.writers.options import WriterOptions

# A progress callback: (the step starting, steps done before it, steps in all).
Progress = Callable[[str, int, int], None]


def _fatal(diags: list[Diagnostic]) -> bool:
    return any(d.fatal for d in diags)


def load(root: str) -> tuple[Project | None, list[Diagnostic]]:
    """Read and resolve a content folder. ``None`` when it could not be read at all."""
    if not os.path.isdir(root):
        raise UsageError(f"{root} is not a folder; point --content at the folder holding document.yaml")
    project, diags = read_source(root)
    if project is None or _fatal(diags):
        return None, diags
    return resolve(project, diags)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Reading and resolving allocate hundreds of thousands of small objects and no cycles. Left
    on, the cyclic collector traverses the whole growing heap again and again, a cost that grows
    faster than the source (10× the clauses cost 20× in the consistency and matrix passes)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def resolve(project: Project, diags: list[Diagnostic] | None = None) -> tuple[Project | None, list[Diagnostic]]:
    with _no_cyclic_gc():
        return _resolve(project, diags)


def _resolve(project: Project, diags: list[Diagnostic] | None = None) -> tuple[Project | None, list[Diagnostic]]:
    diags = list(diags or [])
    project, more = number_project(project)
    diags += more
    if _fatal(more):
        return None, diags
    diags += resolve_references(project)
    diags += check_consistency(project)
    # A release snapshot brings its matrix as designated; only the draft derives it.
    return (project if project.matrix else build_matrix(project)), diags


def check(root: str, *, built: str = "") -> list[Diagnostic]:
    """Every finding for the source, its letters included; with ``built``, also read back the
    .docx and .xlsx that ``s1sr build`` wrote there and hold them to the source."""
    project, diags = load(root)
    if project is None or _fatal(diags):
        return diags
    diags = diags + letters(project)[1]
    if built and not has_errors(diags):
        from generator.app.readback import check_built

        diags += check_built(project, built, root)
    return diags


def check_documents(docx: str, xlsx: str | None = None, *, baseline_docx: str | None = None,
                    baseline_xlsx: str | None = None, content: str | None = None) -> list[Diagnostic]:
    """The pre-designation check on a Word S1SR and a DMVESM workbook (and a baseline pair)."""
    from generator.app.external import check_documents as run

    return run(docx, xlsx, baseline_docx=baseline_docx, baseline_xlsx=baseline_xlsx, content=content)


def import_documents(docx: str, xlsx: str | None, to: str, *, release: str = "", force: bool = False) -> ImportResult:
    """Onboarding: a clause source (and a release snapshot) from an existing S1SR and DMVESM."""
    from generator.app.importer import import_documents as run

    return run(docx, xlsx, to, release=release, force=force)


def load_release(root: str, name: str) -> Project:
    """A release snapshot as a numbered Project, exactly as it was designated."""
    project, _diags = read_source(root)
    if project is None:
        raise SourceError("the content folder cannot be read", )
    return release_project(project, name)


def release_project(project: Project, name: str) -> Project:
    """Release ``name`` of ``project``'s content folder, numbered as designated."""
    from generator.readers.release import SnapshotError, read_release_project

    root = project.root
    path = os.path.join(root, "releases", f"{name}.json")
    if not os.path.exists(path):
        known = ", ".join(r.name for r in project.releases) or "none"
        raise UsageError(f"there is no release '{name}' in {os.path.join(root, 'releases')} (releases: {known})")
    try:
        with _no_cyclic_gc():
            rp = read_release_project(path, os.path.relpath(path), project.srvs, project.releases)
    except SnapshotError as exc:
        raise UsageError(f"release snapshot {os.path.relpath(path)} cannot be read: {exc}") from exc
    # The snapshot carries every number and its matrix as designated: nothing to recompute.
    return rp if rp.matrix else build_matrix(rp)


def _refused(diags: list[Diagnostic], message: str) -> SourceError:
    err = SourceError(message)
    err.diagnostics = diags  # type: ignore[attr-defined]
    if _fatal(diags):
        err.exit_code = 2
    return err


def _unreadable(diags: list[Diagnostic], what: str) -> SourceError:
    err = SourceError(f"{what} cannot be read; nothing was compared")
    err.diagnostics = diags  # type: ignore[attr-defined]
    err.exit_code = 2
    return err


def load_version(root: str, spec: str) -> Project:
    """A version to compare: ``draft`` (the working source), a release name, or ``git:REV``
    (the source as committed at REV, numbered against the releases committed with it)."""
    if spec == "draft":
        project, diags = load(root)
        if project is None:
            raise _unreadable(diags, "the draft")
        return project
    if spec.startswith("git:"):
        from generator.readers.git_source import RevisionError, read_git_source

        try:
            read, diags = read_git_source(root, spec[4:])
        except RevisionError as exc:
            raise UsageError(f"{spec}: {exc}") from exc
        resolved, diags = resolve(read, diags) if read is not None and not _fatal(diags) else (None, diags)
        if resolved is None:
            raise _unreadable(diags, f"the source at {spec}")
        return resolved
    if not os.path.isdir(root):
        raise UsageError(f"{root} is not a folder; point --content at the folder holding document.yaml")
    return load_release(root, spec)


def diff(root: str, old: str, new: str) -> tuple[Changes, list[Diagnostic]]:
    """What changed from version ``old`` to version ``new`` (see ``load_version``)."""
    from generator.passes.diff import diff_projects

    return diff_projects(load_version(root, old), load_version(root, new), from_label=old, to_label=new)


def diff_report(changes: Changes, diags: list[Diagnostic], fmt: str = "text") -> str:
    """``s1sr diff``'s output: the changes as text, or as JSON with the findings."""
    from generator.writers import diff_report as report

    if fmt == "json":
        from generator.diagnostics.emit.json import finding

        return report.diff_json(changes, [finding(d) for d in diags])
    return report.diff_text(changes)


def export_json(root: str, *, release: str = "") -> str:
    """The resolved model (of the draft, or of ``release`` as designated) as JSON text."""
    import json

    from generator.writers.json_export import export_data

    project = load_release(root, release) if release else load_clean(root).project
    return json.dumps(export_data(project), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def letters(project: Project, compared: dict[str, tuple[Project, Changes]] | None = None,
            ) -> tuple[tuple[Letter, ...], list[Diagnostic]]:
    """The content folder's letters, each checked against the diff it explains (its ``against:``
    release, else the change set's baseline, → ``project``) and its amendment tables filled.
    ``compared`` holds comparisons already made (release name → (release, changes))."""
    from generator.diagnostics.rules import letter as L
    from generator.passes.diff import diff_projects
    from generator.passes.letter import explain_changes
    from generator.readers.letter import read_letters

    found, diags = read_letters(os.path.join(project.root, "letters"))
    known = [r.name for r in project.releases]
    compared = dict(compared or {})
    out: list[Letter] = []
    for letter in found:
        name = letter.against or (project.baseline.name if project.baseline else "")
        if name not in known:
            diags.append(Diagnostic.make(
                L.UNKNOWN_LETTER_RELEASE, f"letter {letter.id} is against '{name}', which is not a release"
                if name else f"letter {letter.id} names no release to compare with, and there is none",
                letter.span, help=f"releases: {', '.join(known) or 'none (run s1sr release)'}"))
            continue
        if name not in compared:
            base = release_project(project, name)
            compared[name] = (base, diff_projects(base, project, from_label=name, to_label="draft", words=False)[0])
        base, changes = compared[name]
        resolved, more = explain_changes(letter, changes, base, project)
        diags += more
        out.append(resolved)
    return tuple(out), diags


@dataclass
class Loaded:
    project: Project
    diags: list[Diagnostic] = field(default_factory=list)


def load_clean(root: str) -> Loaded:
    """Load, and refuse (SourceError carrying the findings) when the source has errors."""
    project, diags = load(root)
    if project is None or has_errors(diags):
        from generator.diagnostics import exit_status

        err = SourceError("the source has errors; nothing was written")
        err.diagnostics = diags  # type: ignore[attr-defined]
        err.exit_code = exit_status(diags) or 1  # 2 when some input could not be read at all
        raise err
    return Loaded(project=project, diags=diags)


UNDATED = "2000-01-01"
"""The date of an output whose source gives none (a fixed date, so the bytes do not change)."""


def source_date(project: Project, env_epoch: str | None = None) -> str:
    """The date stamped on outputs: the change set's, else the document's, else SOURCE_DATE_EPOCH."""
    if project.changes and project.changes.date:
        return project.changes.date
    if project.document.date:
        return project.document.date
    if env_epoch and env_epoch.isdigit():
        import datetime as _dt

        return _dt.datetime.fromtimestamp(int(env_epoch), _dt.UTC).date().isoformat()
    return UNDATED


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def writer_options(project: Project, *, env_epoch: str | None = None) -> WriterOptions:
    """The options every writer gets for ``project`` (the site plugin renders with these)."""
    from generator.writers.json_export import content_hash
    from generator.writers.options import WriterOptions

    return WriterOptions(
        date=source_date(project, env_epoch),
        author=project.changes.author if project.changes else "",
        site_url=project.document.site_url,
        templates=os.path.join(os.path.dirname(os.path.abspath(project.root)), "templates"),
        source_hash=content_hash(project),
    )


def render(project: Project, *, env_epoch: str | None = None, only: tuple[str, ...] = (),
           progress: Progress | None = None, baseline: Project | None = None, changes: Changes | None = None,
           letters: tuple[Letter, ...] = ()) -> dict[str, bytes]:
    """Every registered writer's files for ``project`` (nothing written to disk).

    With ``baseline`` and ``changes`` (``baseline`` → ``project``) the redlines are written too;
    ``letters`` are written as .docx and as a site page.

    ``progress(step, done, total)`` is called before each writer runs (for a progress display).
    """
    from generator.writers import WRITERS, get_writer

    opts = replace(writer_options(project, env_epoch=env_epoch), against=changes.from_label if changes else "",
                   baseline=baseline, changes=changes, letters=letters)
    files: dict[str, bytes] = {}
    names = [name for name in WRITERS if not only or name in only]
    for i, name in enumerate(names):
        if progress:
            progress(name, i, len(names))
        files.update(get_writer(name)(project, opts))
    return files


def build(root: str, out: str, *, release: str = "", against: str = "", env_epoch: str | None = None,
          progress: Progress | None = None, site: str = "", guide: str = "", site_builder: SiteBuilder | None = None,
          pdf: bool = False, package: bool = False) -> tuple[dict[str, str], list[Diagnostic]]:
    """Write every output into ``out`` atomically; returns file name → SHA-256, and findings.

    With ``site``, the S1SR site is built into that folder too by ``site_builder`` (the CLI
    gives ``generator.mkdocs_plugin.build_site``), from the same resolved Project as the
    documents, with the outputs published as its downloads and every earlier release with its
    files rendered from its snapshot (MkDocs's warnings come back as MD101 findings, a release
    file that differs from what the release recorded as MD110). With ``guide``, the project's
    user guide (``mkdocs-guide.yml``, where there is one) is built into that folder. The
    folders are swapped in only when all of them built.

    The redlines compare with ``against`` (default: for the draft, its baseline release); the
    draft's letters are written too. A letter with errors stops the build.

    With ``pdf``, the S1SR, its redline, the letters and the workbooks are rendered to PDF by
    LibreOffice (:mod:`generator.app.pdf`); with ``package``, one zip of the version's documents
    and their PDFs with a manifest of SHA-256s is written too (:mod:`generator.app.package`).
    """
    from generator.app import outputs
    from generator.passes.diff import diff_projects
    from generator.writers.letter import TemplateProblem

    if release:
        project, diags = load_release(root, release), []
    else:
        loaded = load_clean(root)
        project, diags = loaded.project, loaded.diags
    name = against or ("" if release or project.baseline is None else project.baseline.name)
    baseline = release_project(project, name) if name else None
    changes = diff_projects(baseline, project, from_label=name, to_label=release or "draft")[0] if baseline else None
    written: tuple[Letter, ...] = ()
    if not release:
        written, more = letters(project, {name: (baseline, changes)} if baseline and changes else None)
        diags = diags + more
        if has_errors(more):
            raise _refused(diags, "a letter has errors; nothing was written")
    try:
        files = render(project, env_epoch=env_epoch, progress=progress, baseline=baseline, changes=changes,
                       letters=written)
    except TemplateProblem as exc:
        raise _refused([*diags, *exc.diagnostics], "a letter template cannot be rendered; nothing was written") \
            from exc
    if pdf or package:
        from generator.app import pdf as pdfs

        converter = pdfs.find_converter()  # before any work: a missing LibreOffice is said at once
        if progress:
            progress("pdf", len(files), len(files) + 1)
        opts = replace(writer_options(project, env_epoch=env_epoch), against=changes.from_label if changes else "",
                       baseline=baseline, changes=changes, letters=written)
        files.update(pdfs.to_pdf(_printable(project, files, opts), converter, date=opts.date))
        if package:
            from generator.app.package import package_files

            files.update(package_files(project, files, converter.version(), opts))
    if (site or guide) and site_builder is None:
        raise UsageError("a site folder was given but no site builder (pass generator.mkdocs_plugin.build_site)")
    published = None
    if site:
        from generator.app.publication import versions

        # A release built as designated has written its own files already (unless redlined).
        published = versions(project, release=release, env_epoch=env_epoch,
                             rendered={release: files} if release and baseline is None and not (pdf or package)
                             else None)
        diags = diags + list(published.diagnostics)
    stage = outputs.stage_dir(out)
    stages: list[tuple[str, str]] = []  # (staging folder, site folder)
    try:
        outputs.write_files(stage, files)
        if site and site_builder is not None:
            from generator.app.site import build_site

            stages.append((outputs.stage_dir(site), site))
            diags = diags + build_site(site_builder, project, root, stages[-1][0], downloads=stage, release=release,
                                       published=published)
        if guide and site_builder is not None:
            from generator.app.site import build_guide, find_guide_config

            if find_guide_config(root):
                stages.append((outputs.stage_dir(guide), guide))
                diags = diags + build_guide(site_builder, root, stages[-1][0])
        outputs.swap_in(stage, out)
        for staged, target in stages:
            outputs.swap_in(staged, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        for staged, _ in stages:
            shutil.rmtree(staged, ignore_errors=True)
        raise
    return {name: sha256(data) for name, data in sorted(files.items())}, diags


def _printable(project: Project, files: dict[str, bytes], opts: WriterOptions) -> dict[str, bytes]:
    """What goes to PDF: the S1SR, the letters, the workbooks, and the redline as it prints
    (its changes shown by colour, not as tracked changes that each program shows its own way)."""
    from generator.writers.redline_docx import redline_name, write_redline_print_docx

    redline = redline_name(project, opts.changes) if opts.changes else ""
    out = {n: d for n, d in files.items() if n.endswith((".docx", ".xlsx")) and n != redline}
    out.update(write_redline_print_docx(project, opts))
    return out


def release(root: str, name: str, *, force: bool = False, env_epoch: str | None = None) -> str:
    """Freeze the draft as release ``name``: write ``releases/NAME.json``; returns its path.

    The snapshot records the SHA-256 of every output rendered from the snapshot itself (the
    release as designated), so ``verify`` can prove later that the same bytes come back.
    """
    import re
    import tempfile

    from generator.app import outputs
    from generator.readers.release import read_release_project
    from generator.writers.json_export import snapshot

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise UsageError(f"'{name}' is not a usable release name; use letters, digits, '.', '_' or '-' (e.g. v13)")
    path = os.path.join(root, "releases", f"{name}.json")
    if os.path.exists(path) and not force:
        raise UsageError(f"release {name} already exists ({os.path.relpath(path)}); releases are never "
                         "overwritten (use a new name)")
    project = load_clean(root).project
    date = source_date(project, env_epoch)
    draft = snapshot(project, name, date, "s1sr release")
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "releases", f"{name}.json")
        os.makedirs(os.path.dirname(probe))
        with open(probe, "wb") as fh:
            fh.write(draft)
        designated = read_release_project(probe, os.path.relpath(path), project.srvs, project.releases)
    hashes = {n: sha256(d) for n, d in render(designated, env_epoch=env_epoch).items()}
    outputs.replace_file(path, snapshot(project, name, date, "s1sr release", hashes))
    return path


def verify(root: str, name: str, *, env_epoch: str | None = None) -> list[tuple[str, str, str]]:
    """Re-render release ``name`` and compare with the hashes it recorded.

    Returns (file, recorded, now) for every mismatch, missing or extra output.
    """
    project = load_release(root, name)
    recorded = dict(next(r for r in project.releases if r.name == name).outputs)
    if not recorded:
        raise UsageError(f"release {name} records no output hashes (it was not made by 's1sr release')")
    now = {n: sha256(d) for n, d in render(project, env_epoch=env_epoch).items()}
    return [(f, recorded.get(f, "(none)"), now.get(f, "(none)"))
            for f in sorted(set(recorded) | set(now)) if recorded.get(f) != now.get(f)]
