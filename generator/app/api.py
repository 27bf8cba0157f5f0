"""Orchestration: read → passes → writers. Readers, passes and writers are imported where a
command needs them, so each command pays only for its own start-up (the external check reads
no YAML; the source check writes nothing)."""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, has_errors
from generator.errors import SourceError, UsageError
from generator.model import Inline, Project, Xref, walk

if TYPE_CHECKING:
    # Annotations only (the letter, consultation and diff models would cost the external check's start-up).
    from generator.app.importer import ImportResult
    from generator.app.pdf import Converter
    from generator.app.publication import Published
    from generator.app.site import SiteBuilder
    from generator.model.consultation import Consultation
    from generator.model.diff import Changes
    from generator.model.letter import Letter
    from generator.writers.options import WriterOptions

# A progress callback: (the step starting, steps done before it, steps in all).
Progress = Callable[[str, int, int], None]


def _fatal(diags: list[Diagnostic]) -> bool:
    return any(d.fatal for d in diags)


def load(root: str, *, rel: Callable[[str], str] | None = None) -> tuple[Project | None, list[Diagnostic]]:
    """Read and resolve a content folder. ``None`` when it could not be read at all. ``rel``
    names files in findings (default: relative to the working folder)."""
    if not os.path.isdir(root):
        raise UsageError(f"{root} is not a folder; point --content at the folder holding document.yaml")
    from generator.readers.yaml_source import read_source  # not for the external check: no YAML there

    with _no_cyclic_gc():  # reading allocates as much as resolving (1.0 -> 0.65 s at 10×)
        project, diags = read_source(root, rel=rel)
        if project is None or _fatal(diags):
            return None, diags
        return resolve(project, diags)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Reading and resolving allocate hundreds of thousands of small objects and no cycles. Left
    on, the cyclic collector traverses the whole growing heap again and again, a cost that grows
    faster than the source (10× the clauses cost 20× in the consistency and matrix passes).

    On the way out, what was read is frozen out of the collector's sight (``gc.freeze``): the
    model lives as long as the command, and every full collection triggered later (by the diff,
    the writers) would otherwise traverse it again (0.8 s of the 10× check, in one dict)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def resolve(project: Project, diags: list[Diagnostic] | None = None) -> tuple[Project | None, list[Diagnostic]]:
    with _no_cyclic_gc():
        return _resolve(project, diags)


def _resolve(project: Project, diags: list[Diagnostic] | None = None) -> tuple[Project | None, list[Diagnostic]]:
    numbered, diags = _number(project, diags)
    if numbered is None:
        return None, diags
    return numbered, diags + _prose_checks(numbered)


def _number(project: Project, diags: list[Diagnostic] | None = None, *, matrix: bool = True,
            ) -> tuple[Project | None, list[Diagnostic]]:
    """The project numbered, with its matrix (unless ``matrix`` is false): what every later pass
    and writer reads."""
    from generator.passes.numbering import number_project

    diags = list(diags or [])
    project, more = number_project(project)
    diags += more
    if _fatal(more):
        return None, diags
    return (_with_matrix(project) if matrix else project), diags


def _with_matrix(project: Project) -> Project:
    from generator.passes.matrix import build_matrix

    # A release snapshot brings its matrix as designated; only the draft derives it.
    return project if project.matrix else build_matrix(project)


def _prose_checks(project: Project) -> list[Diagnostic]:
    """The findings of the references and consistency passes: findings only, nothing the
    project passes on (they read neither the matrix nor each other's results)."""
    from generator.passes.consistency import check_consistency
    from generator.passes.references import resolve_references

    return resolve_references(project) + check_consistency(project)


def check(root: str, *, built: str = "") -> list[Diagnostic]:
    """Every finding for the source, its letters included; with ``built``, also read back the
    .docx and .xlsx that ``s1sr build`` wrote there and hold them to the source."""
    if not os.path.isdir(root):
        raise UsageError(f"{root} is not a folder; point --content at the folder holding document.yaml")
    from generator.readers.yaml_source import read_source

    with _no_cyclic_gc():  # reading, resolving, the release and the letters' comparisons: no cycles
        source, diags = read_source(root, beside=_reading_beside())
        if source is None or _fatal(diags):
            return diags
        numbered, diags = _number(source, diags, matrix=False)
        if numbered is None:
            return diags
        # The reference checks and the letters' comparison with the release (which reads the
        # matrix) need nothing of each other's: on a large source, with a CPU idle, the
        # comparison runs in a forked child while this process checks the references (the same
        # findings, in the same order).
        matrixed = functools.cache(lambda: _with_matrix(numbered))  # made once, where it is first read
        letters = _beside(numbered, lambda: correspondence(matrixed()).diags)
        checked = _prose_checks(numbered)
        diags = diags + checked + letters()
    if built and not has_errors(diags):
        from generator.app.readback import check_built

        diags += check_built(matrixed(), built)
    return diags


def _reading_beside() -> Callable[[Callable[[], bytes]], Callable[[], bytes]] | None:
    """A forked child for the reader's later section files, when a CPU is idle (the reader decides
    whether the source is large enough)."""
    from generator.app import forked

    return forked.in_child if forked.can_fork() and forked.spare_cpu() else None


# Below this many clauses the reference checks take a few milliseconds, no more than a fork.
_FORK_CLAUSES = 4000


def _beside(project: Project, work: Callable[[], list[Diagnostic]]) -> Callable[[], list[Diagnostic]]:
    """``work`` in a forked child when the source is large and a CPU is idle, else here, later."""
    from generator.app import forked

    if forked.can_fork() and forked.spare_cpu() and \
            sum(1 for _ in itertools.islice(walk(project.document.sections), _FORK_CLAUSES)) >= _FORK_CLAUSES:
        return forked.in_child(work)
    return work


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
    from generator.readers.yaml_source import read_source

    project, _diags = read_source(root)
    if project is None:
        raise SourceError("the content folder cannot be read", )
    return release_project(project, name)


def release_project(project: Project, name: str) -> Project:
    """Release ``name`` of ``project``'s content folder, numbered as designated."""
    from generator.model.names import name_problem, printable
    from generator.readers.release import SnapshotError, read_release_project

    root = project.root
    if name_problem(name):
        known = ", ".join(r.name for r in project.releases) or "none"
        raise UsageError(f"'{printable(name, 80)}' is not a release name: a release is named by its file in "
                         f"{os.path.join(root, 'releases')} without '.json' (releases: {known})")
    path = os.path.join(root, "releases", f"{name}.json")
    if not os.path.exists(path):
        known = ", ".join(r.name for r in project.releases) or "none"
        raise UsageError(f"there is no release '{name}' in {os.path.join(root, 'releases')} (releases: {known})")
    try:
        with _no_cyclic_gc():
            rp = read_release_project(path, os.path.relpath(path), project.srvs, project.releases,
                                      parsed=_parsed_text(project))
    except SnapshotError as exc:
        raise UsageError(f"release snapshot {os.path.relpath(path)} cannot be read: {exc}") from exc
    # The snapshot carries every number and its matrix as designated: nothing to recompute.
    from generator.passes.matrix import build_matrix

    return rp if rp.matrix else build_matrix(rp)


def _parsed_text(project: Project) -> dict[str, tuple[Inline, ...]]:
    """Clause text → its inline nodes, for the clauses of ``project`` whose nodes carry no
    place in a file (a cross-reference does): a release's text is mostly the draft's, and
    need not be parsed again (15,000 clauses at 10×)."""
    return {c.raw_text: c.text for c in walk(project.document.sections)
            if c.text and Xref not in map(type, c.text)}


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
    from generator.writers.json_export import export_text

    project = load_release(root, release) if release else load_clean(root).project
    return export_text(project)


def write_export(root: str, out: str, *, release: str = "", force: bool = False) -> str:
    """``export --out FILE``: the export written atomically into FILE, which must be new or an
    earlier s1sr export (``force``: any file outside the source's folders); returns FILE."""
    from generator.app import outputs
    from generator.model.names import printable
    from generator.writers.json_export import EXPORT_FORMAT

    folder = os.path.dirname(os.path.abspath(out))
    if _inside_source(folder, root):
        raise UsageError(f"--out {printable(out)} lies in the content or templates folder; an export never goes "
                         "into the source. Choose a file outside it, e.g. build/model.json")
    if os.path.isdir(out):
        raise UsageError(f"--out {printable(out)} is a folder; name the file to write, e.g. {os.path.join(out, 'model.json')}")
    if os.path.lexists(out) and not force:
        if not _is_export(out, EXPORT_FORMAT):
            raise UsageError(f"--out {printable(out)} exists and is not an s1sr export; choose a new file, or use "
                             "--force to replace it")
    text = export_json(root, release=release)
    with outputs.locked([out]):
        outputs.replace_file(out, text.encode("utf-8"))
    return out


def _is_export(path: str, fmt: str) -> bool:
    """``path`` is an ordinary file holding an earlier export (its "format" says so)."""
    import json

    if os.path.islink(path) or not os.path.isfile(path) or os.path.getsize(path) > 512 * 1024 * 1024:
        return False
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read())
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("format") == fmt


def _inside_source(folder: str, root: str) -> bool:
    """``folder`` is the content folder, inside it or the templates folder (no output goes there)."""
    real, content = os.path.realpath(folder), os.path.realpath(root)
    templates = os.path.join(os.path.dirname(content), "templates")
    return any(real == f or real.startswith(f + os.sep) for f in (content, templates))


# A comparison: (old, new, what changed from old to new).
Comparison = tuple[Project, Project, "Changes"]


@dataclass
class Correspondence:
    """The content folder's letters and consultations, each resolved against the versions it goes
    with, and every finding about them."""

    letters: tuple[Letter, ...] = ()
    consultations: tuple[Consultation, ...] = ()
    diags: list[Diagnostic] = field(default_factory=list)


def correspondence(project: Project, compared: dict[tuple[str, str], Comparison] | None = None, *,
                   release: str = "") -> Correspondence:
    """Every letter, checked against the comparison it explains and with its tables and counts
    filled, and every consultation, counted.

    A letter goes with a version (``version: v13``). Until that release exists the letter
    follows the draft; once it exists the letter is compared with the release, never the draft
    again, so that what was sent renders the same bytes however the draft moves on. It is
    compared from its ``against:`` release, else from the release the change set of its version
    was against. A consultation is counted against the comparison of the letter that names it,
    else against the draft's. ``compared`` holds comparisons already made, keyed by
    (from, to) where to is a release name or "draft". With ``release`` (``project`` is then
    that release, as ``build --release`` renders it), only the letters that went with it, and
    the consultations they name, are read: the letter as it was sent.
    """
    from generator.diagnostics.rules import letter as L
    from generator.passes.diff import diff_projects
    from generator.passes.letter import explain_changes, versions_match
    from generator.readers.letter import read_letters

    found, diags = read_letters(os.path.join(project.root, "letters"))
    consulted: tuple[Consultation, ...] = ()
    if os.path.isdir(os.path.join(project.root, "consultations")):  # else no need to import their reader
        from generator.readers.consultation import read_consultations

        consulted, more = read_consultations(os.path.join(project.root, "consultations"))
        diags += more
    by_id = {c.id: c for c in consulted}
    known = [r.name for r in project.releases]
    cache = dict(compared or {})
    releases: dict[str, Project] = {}

    def released(name: str) -> Project:
        if name not in releases:
            releases[name] = release_project(project, name)
        return releases[name]

    def compare(old: str, new: str) -> Comparison:
        if (old, new) not in cache:
            before, after = released(old), project if new == "draft" else released(new)
            cache[(old, new)] = (before, after, diff_projects(before, after, from_label=old, to_label=new,
                                                              words=False)[0])
        return cache[(old, new)]

    resolved: dict[str, Consultation] = {}

    def consultation(cid: str, comparison: Comparison | None) -> Consultation:
        if cid not in resolved:
            from generator.passes.consultation import resolve_consultation

            old, new, changes = comparison or (None, None, None)
            resolved[cid], more = resolve_consultation(by_id[cid], changes, old, new)
            diags.extend(more)
        return resolved[cid]

    out: list[Letter] = []
    for letter in found:
        if release and letter.version != release:
            continue
        frozen = letter.version in known
        if not letter.version:
            diags.append(Diagnostic.make(L.NO_VERSION, f"letter {letter.id} does not say which version it goes "
                                         "with, so it will follow every later draft", letter.span,
                                         help=f"add 'version: v{project.document.version.removesuffix('.0')}' "
                                              "(the release the draft will be designated as)"))
        elif not frozen and not versions_match(letter.version, project.document.version):
            diags.append(Diagnostic.make(
                L.UNKNOWN_VERSION, f"letter {letter.id} goes with {letter.version}, which is neither a release "
                f"nor the draft (version {project.document.version})", letter.version_span,
                help=f"run 's1sr release {letter.version}' if it was designated, or correct 'version:' "
                     f"(releases: {', '.join(known) or 'none'})"))
            continue
        if frozen:
            sent = released(letter.version).changes
            default = sent.against if sent else ""
        else:
            default = project.baseline.name if project.baseline else ""
        name = letter.against or default
        if name not in known:
            diags.append(Diagnostic.make(
                L.UNKNOWN_LETTER_RELEASE, f"letter {letter.id} is against '{name}', which is not a release"
                if name else f"letter {letter.id} names no release to compare with, and there is none",
                letter.against_span, help=f"releases: {', '.join(known) or 'none (run s1sr release)'}"))
            continue
        comparison = compare(name, letter.version if frozen else "draft")
        named = None
        if letter.consultation_id and letter.consultation_id not in by_id:
            diags.append(Diagnostic.make(
                L.UNKNOWN_CONSULTATION, f"letter {letter.id} names the consultation '{letter.consultation_id}', "
                "which is not in consultations/", letter.consultation_span,
                help=f"consultations: {', '.join(by_id) or 'none'}"))
        elif letter.consultation_id:
            named = consultation(letter.consultation_id, comparison)
        explained, more = explain_changes(letter, comparison[2], comparison[0], comparison[1], named)
        diags += more
        out.append(explained)
    for cid in by_id:
        if release:
            break
        if cid not in resolved:  # named by no letter: counted against the draft's comparison
            consultation(cid, compare(project.baseline.name, "draft") if project.baseline else None)
    return Correspondence(letters=tuple(out), consultations=tuple(resolved[c.id] for c in consulted if c.id in resolved),
                          diags=diags)


def letters(project: Project, compared: dict[tuple[str, str], Comparison] | None = None,
            ) -> tuple[tuple[Letter, ...], list[Diagnostic]]:
    """The content folder's letters, resolved (see ``correspondence``), and every finding about
    them and their consultations."""
    found = correspondence(project, compared)
    return found.letters, found.diags


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
    import hashlib  # here, not at the top: the check hashes nothing

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
           letters: tuple[Letter, ...] = (), consultations: tuple[Consultation, ...] = ()) -> dict[str, bytes]:
    """Every registered writer's files for ``project`` (nothing written to disk).

    With ``baseline`` and ``changes`` (``baseline`` → ``project``) the redlines are written too;
    ``letters`` are written as .docx and as a site page, ``consultations`` as a response table
    (.docx and .xlsx) and a conclusions document (.docx and a site page).

    ``progress(step, done, total)`` is called before each writer runs (for a progress display).
    """
    from generator.writers import WRITERS, get_writer

    opts = replace(writer_options(project, env_epoch=env_epoch), against=changes.from_label if changes else "",
                   baseline=baseline, changes=changes, letters=letters, consultations=consultations)
    files: dict[str, bytes] = {}
    names = [name for name in WRITERS if not only or name in only]
    from generator.errors import WriteError
    from generator.model.names import UnsafeName

    for i, name in enumerate(names):
        if progress:
            progress(name, i, len(names))
        try:
            files.update(get_writer(name)(project, opts))
        except UnsafeName as exc:  # the source check reports these first; a last guard for any other path
            raise WriteError(f"{exc}; nothing was written") from exc
    return files


def build(root: str, out: str, *, release: str = "", against: str = "", env_epoch: str | None = None,
          progress: Progress | None = None, site: str = "", guide: str = "", site_builder: SiteBuilder | None = None,
          pdf: bool = False, package: bool = False, force: bool = False) -> tuple[dict[str, str], list[Diagnostic]]:
    """Write every output into ``out`` atomically; returns file name → SHA-256, and findings.

    With ``site``, the S1SR site is built into that folder too by ``site_builder`` (the CLI
    gives ``generator.mkdocs_plugin.build_site``), from the same resolved Project as the
    documents, with the outputs published as its downloads and every earlier release with its
    files rendered from its snapshot (MkDocs's warnings come back as MD101 findings, a release
    file that differs from what the release recorded as MD110). With ``guide``, the project's
    user guide (``mkdocs-guide.yml``, where there is one) is built into that folder. The
    folders are swapped in only when all of them built.

    Both folders must be s1sr's own (new, empty, or marked by an earlier build; ``force``
    overrides that, never for the source's own folders), and either may lie inside the other.

    The redlines compare with ``against`` (default: for the draft, its baseline release). The
    letters (each against the version it goes with: a release once it exists, else the draft)
    and the consultations are written too; with ``release``, the letters that went with that
    release. A letter or a consultation with errors stops the build.

    With ``pdf``, the S1SR, its redline, the letters and the workbooks are rendered to PDF by
    LibreOffice (:mod:`generator.app.pdf`); with ``package``, one zip of the version's documents
    and their PDFs with a manifest of SHA-256s is written too (:mod:`generator.app.package`).
    """
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
    # A release is built with the letters that went with it, as they were sent; the draft with
    # every letter and consultation.
    written = correspondence(project, None if release or not (baseline and changes) else
                             {(name, "draft"): (baseline, project, changes)}, release=release)
    diags = diags + written.diags
    if has_errors(written.diags):
        raise _refused(diags, "a letter or a consultation has errors; nothing was written")
    try:
        files = render(project, env_epoch=env_epoch, progress=progress, baseline=baseline, changes=changes,
                       letters=written.letters, consultations=written.consultations)
    except TemplateProblem as exc:
        raise _refused([*diags, *exc.diagnostics], "a letter template cannot be rendered; nothing was written") \
            from exc
    if pdf or package:
        from generator.app import pdf as pdfs

        converter = pdfs.find_converter()  # before any work: a missing LibreOffice is said at once
        if progress:
            progress("pdf", len(files), len(files) + 1)
        opts = replace(writer_options(project, env_epoch=env_epoch), against=changes.from_label if changes else "",
                       baseline=baseline, changes=changes, letters=written.letters,
                       consultations=written.consultations)
        files, more = _with_pdfs(project, files, converter, opts)
        diags = diags + more
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
    diags = diags + _write_outputs(root, out, files, site=site, guide=guide, site_builder=site_builder,
                                   project=project, release=release, force=force, published=published)
    return {name: sha256(data) for name, data in sorted(files.items())}, diags


def _with_pdfs(project: Project, files: dict[str, bytes], converter: Converter, opts: WriterOptions,
               ) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """``files`` and the PDFs LibreOffice made of them, with the page numbers it laid out
    written into each .docx's contents (so the .docx shows the contents its PDF shows)."""
    from generator.app.pdf import to_pdf
    from generator.diagnostics import Location
    from generator.diagnostics.rules import pdf as P
    from generator.writers.contents import ContentsMismatch, with_contents_pages

    made = to_pdf(_printable(project, files, opts), converter, date=opts.date)
    out = dict(files)
    diags: list[Diagnostic] = []
    for name, listed in sorted(made.contents.items()):
        if name in out and listed:
            try:
                out[name] = with_contents_pages(out[name], listed)
            except ContentsMismatch as exc:
                diags.append(Diagnostic.make(P.CONTENTS_PAGES_NOT_FILLED, f"{name}: no page numbers were written "
                                             f"into the contents: {exc}", Location(file=name)))
    out.update(made.pdfs)
    return out, diags


def _claim_guide(root: str, guide: str, *, out: str, site: str, force: bool) -> str:
    """The guide's folder, claimed ("" when there is no guide to build: none asked for, or no
    mkdocs-guide.yml); a folder that overlaps the documents' or the site's is refused."""
    from generator.app import outputs
    from generator.app.site import find_guide_config
    from generator.model.names import printable

    if not guide or not find_guide_config(root):
        return ""
    real_guide = os.path.realpath(guide)
    for other, flag in ((out, "--out"), (site, "--site")):
        real = os.path.realpath(other) if other else ""
        if real and (real_guide == real or real_guide.startswith(real + os.sep)
                     or real.startswith(real_guide + os.sep)):
            raise UsageError(f"--guide {printable(guide)} and {flag} {printable(other)} overlap; "
                             "the user guide is a site of its own: give it a folder apart, e.g. site-guide")
    outputs.claim(guide, content=root, force=force, what="--guide")
    return guide


def _write_outputs(root: str, out: str, files: dict[str, bytes], *, site: str, site_builder: SiteBuilder | None,
                   project: Project, release: str, force: bool, guide: str = "",
                   published: Published | None = None) -> list[Diagnostic]:
    """Stage the documents (and the site, and the guide), then swap them in under the folders'
    locks. When the documents' and the site's folders lie one inside the other, the inner one is
    staged inside the outer one's stage and the outer folder is swapped in whole, once; the
    guide has a folder of its own."""
    from generator.app import outputs

    guide = _claim_guide(root, guide, out=out, site=site, force=force)
    real_out = os.path.realpath(out)
    real_site = os.path.realpath(site) if site else ""
    inner = ""  # "site" (site inside out), "out" (out inside site) or "" (apart)
    if site:
        if real_site.startswith(real_out + os.sep):
            inner = "site"
        elif real_out.startswith(real_site + os.sep):
            inner = "out"
    tops = {name.split("/", 1)[0] for name in files}
    if inner == "out":
        outputs.refuse_protected(out, content=root)
    else:
        outputs.claim(out, content=root, force=force, names=tops)
    if site:
        if inner == "site":
            outputs.refuse_protected(site, content=root, what="--site")
        else:
            outputs.claim(site, content=root, force=force, what="--site")
    outer = {"site": [out], "out": [site], "": [out, site] if site else [out]}[inner] + ([guide] if guide else [])
    diags: list[Diagnostic] = []
    with outputs.locked(outer):
        for target in outer:
            outputs.recover(target)
        stage = outputs.stage_dir(site if inner == "out" else out, "out-")
        site_stage = guide_stage = ""
        try:
            outputs.write_files(stage, files)
            if site:
                from generator.app.site import build_site

                if site_builder is None:
                    raise UsageError("a site folder was given but no site builder (pass "
                                     "generator.mkdocs_plugin.build_site)")
                site_stage = outputs.stage_dir(out if inner == "site" else site, "site-")
                diags += build_site(site_builder, project, root, site_stage, downloads=stage, release=release,
                                    published=published)
                outputs.write_files(site_stage, {}, marker=True)
            if guide and site_builder is not None:
                from generator.app.site import build_guide

                guide_stage = outputs.stage_dir(guide, "site-")
                diags += build_guide(site_builder, root, guide_stage)
                outputs.write_files(guide_stage, {}, marker=True)
            outputs.write_files(stage, {}, marker=True)  # after the site listed the downloads
            if inner == "site":
                _nest(site_stage, os.path.join(stage, os.path.relpath(real_site, real_out)))
                site_stage = ""
                outputs.publish(stage, out)
            elif inner == "out":
                _nest(stage, os.path.join(site_stage, os.path.relpath(real_out, real_site)))
                stage = ""
                outputs.publish(site_stage, site)
            else:
                outputs.publish(stage, out)
                if site_stage:
                    outputs.publish(site_stage, site)
            if guide_stage:
                outputs.publish(guide_stage, guide)
        except BaseException:
            for folder in (stage, site_stage, guide_stage):
                if folder:
                    import shutil  # only a failed build needs it (the check imports no shutil)

                    shutil.rmtree(folder, ignore_errors=True)
            raise
    return diags


def _nest(stage: str, dest: str) -> None:
    """Move the staged inner folder to its place inside the outer stage."""
    if os.path.lexists(dest):
        if os.path.isdir(dest) and not os.path.islink(dest):
            import shutil

            shutil.rmtree(dest)
        else:
            os.unlink(dest)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    os.rename(stage, dest)


def _printable(project: Project, files: dict[str, bytes], opts: WriterOptions) -> dict[str, bytes]:
    """What goes to PDF: the S1SR, the letters, the workbooks, and the redline as it prints
    (its changes shown by colour, not as tracked changes that each program shows its own way)."""
    from generator.writers.redline_docx import redline_name, write_redline_print_docx

    redline = redline_name(project, opts.changes) if opts.changes else ""
    out = {n: d for n, d in files.items() if n.endswith((".docx", ".xlsx")) and n != redline}
    out.update(write_redline_print_docx(project, opts))
    return out


def release(root: str, name: str, *, force: bool = False, env_epoch: str | None = None, pdf: bool = False) -> str:
    """Freeze the draft as release ``name``: write ``releases/NAME.json``; returns its path.

    The snapshot records the SHA-256 of every output rendered from the snapshot itself (the
    release as designated), so ``verify`` can prove later that the same bytes come back.
    With ``pdf``, the outputs are those of ``s1sr build --release NAME --pdf``: the PDFs
    LibreOffice makes (and the .docx with the page numbers it laid out) are recorded too,
    with the LibreOffice version, and ``verify`` then needs LibreOffice.
    """
    import re
    import tempfile

    from generator.app import outputs
    from generator.model.names import name_problem
    from generator.readers.release import read_release_project
    from generator.writers.json_export import snapshot

    if problem := name_problem(name):
        raise UsageError(f"'{name}' cannot name a release: {problem} (e.g. v13)")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise UsageError(f"'{name}' is not a usable release name; use letters, digits, '.', '_' or '-' (e.g. v13)")
    path = os.path.join(root, "releases", f"{name}.json")
    if os.path.exists(path) and not force:
        raise UsageError(f"release {name} already exists ({os.path.relpath(path)}); releases are never "
                         "overwritten (use a new name)")
    project = load_clean(root).project
    converter = _converter() if pdf else None  # a missing LibreOffice is said before any work
    date = source_date(project, env_epoch)
    draft = snapshot(project, name, date, "s1sr release")
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "releases", f"{name}.json")
        os.makedirs(os.path.dirname(probe))
        with open(probe, "wb") as fh:
            fh.write(draft)
        designated = read_release_project(probe, os.path.relpath(path), project.srvs, project.releases)
    files, made_by = _release_outputs(designated, env_epoch, converter)
    hashes = {n: sha256(d) for n, d in files.items()}
    outputs.replace_file(path, snapshot(project, name, date, "s1sr release", hashes, made_by))
    return path


def _converter() -> Converter:
    from generator.app.pdf import find_converter

    return find_converter()


def _release_outputs(project: Project, env_epoch: str | None, converter: Converter | None,
                     ) -> tuple[dict[str, bytes], str]:
    """A release's outputs as ``s1sr build --release`` writes them (``--pdf`` with a converter),
    and the LibreOffice that made the PDFs ("" without)."""
    files = render(project, env_epoch=env_epoch)
    if converter is None:
        return files, ""
    files, _ = _with_pdfs(project, files, converter, writer_options(project, env_epoch=env_epoch))
    return files, converter.version()


def verify(root: str, name: str, *, env_epoch: str | None = None) -> list[tuple[str, str, str]]:
    """Re-render release ``name`` and compare with the hashes it recorded.

    A release made with ``--pdf`` records PDFs: they are rendered again with LibreOffice (a
    clear error when it is missing), and a mismatch from another LibreOffice version than the
    one recorded is reported as such by :func:`pdf_versions`.

    Returns (file, recorded, now) for every mismatch, missing or extra output.
    """
    from generator.app.pdf import PdfError

    project = load_release(root, name)
    facts = next((r for r in project.releases if r.name == name), None)
    if facts is None:
        raise UsageError(f"release snapshot releases/{name}.json names another release inside; snapshots are not "
                         "renamed by hand (restore it from version control)")
    recorded = dict(facts.outputs)
    if not recorded:
        raise UsageError(f"release {name} records no output hashes (it was not made by 's1sr release')")
    converter = None
    if any(f.endswith(".pdf") for f in recorded):
        try:
            converter = _converter()
        except PdfError as exc:
            raise PdfError(f"release {name} records the SHA-256 of its PDFs (made by {facts.pdf_made_by or 'LibreOffice'}"
                           f"), and verifying them needs LibreOffice: {exc}") from exc
    files, _ = _release_outputs(project, env_epoch, converter)
    now = {n: sha256(d) for n, d in files.items()}
    return [(f, recorded.get(f, "(none)"), now.get(f, "(none)"))
            for f in sorted(set(recorded) | set(now)) if recorded.get(f) != now.get(f)]


def pdf_versions(root: str, name: str) -> tuple[str, str]:
    """(the LibreOffice that made release ``name``'s PDFs, the one here now); ("", "") when the
    release records no PDF. LibreOffice's output is the same bytes for one version only."""
    facts = next((r for r in load_release(root, name).releases if r.name == name), None)
    if facts is None or not facts.pdf_made_by:
        return "", ""
    return facts.pdf_made_by, _converter().version()
