"""Change letters → a Word .docx (real footnotes, page numbers, amendment tables) and a
Markdown page for the site, both rendered by the Jinja2 templates in ``templates/letter/``.

Every word of the letter is in the templates or the letter's YAML; this module only feeds
them. Values reach the templates as data, never as template source, and are escaped for
the output (XML for the .docx parts, Markdown/HTML for the page), so ``{{ }}`` or ``<b>`` in a
clause prints as written. A template that does not parse, fails while rendering or gives
XML that is not well formed raises :class:`TemplateProblem`, located at the template line.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import letter as L
from generator.model import Project
from generator.model.letter import ClauseRef, Footnote, Heading, Letter, ListBlock, NoteRef, Para, Run
from generator.model.names import safe_name
from generator.ooxml.package import normalise_zip, zip_time
from generator.writers.options import WriterOptions

__all__ = ["DOCX_PARTS", "MARKDOWN_TEMPLATE", "TemplateProblem", "file_names", "long_date", "md_escape",
           "write_letter"]

# The .docx package: part name in the zip → template under templates/letter/docx/.
DOCX_PARTS = {
    "[Content_Types].xml": "content_types.xml.j2",
    "_rels/.rels": "package.rels.j2",
    "docProps/core.xml": "core.xml.j2",
    "docProps/app.xml": "app.xml.j2",
    "word/_rels/document.xml.rels": "document.xml.rels.j2",
    "word/document.xml": "document.xml.j2",
    "word/styles.xml": "styles.xml.j2",
    "word/settings.xml": "settings.xml.j2",
    "word/footnotes.xml": "footnotes.xml.j2",
    "word/numbering.xml": "numbering.xml.j2",
    "word/footer1.xml": "footer.xml.j2",
    "word/fontTable.xml": "fontTable.xml.j2",
    "word/theme/theme1.xml": "theme.xml.j2",
}
MARKDOWN_TEMPLATE = "letter.md.j2"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&])")
_MD_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


class TemplateProblem(Exception):
    """A letter template cannot be rendered; ``diagnostics`` locate it."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics[0].message if diagnostics else "letter template error")
        self.diagnostics = diagnostics


_DEFAULT_TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "templates",
                                  "letter")


def file_names(letter: Letter) -> tuple[str, str]:
    """(.docx, .md) file names of a letter in the build output."""
    return safe_name(f"letter-{letter.id}.docx"), safe_name(f"letter-{letter.id}.md")


def write_letter(project: Project, options: WriterOptions) -> dict[str, bytes]:
    if not options.letters:
        return {}
    folder = os.path.join(options.templates, "letter")
    if not os.path.isdir(folder):
        # A project without templates of its own gets the package's defaults.
        folder = _DEFAULT_TEMPLATES
    if not os.path.isdir(folder):
        raise TemplateProblem([Diagnostic.make(L.TEMPLATE_ERROR, f"there are no letter templates in {folder}",
                                               Location(file=folder),
                                               help="copy templates/letter/ from the s1sr repository")])
    out: dict[str, bytes] = {}
    for letter in options.letters:
        docx_name, md_name = file_names(letter)
        out[docx_name] = _docx(letter, project, folder, options)
        out[md_name] = _markdown(letter, project, folder, options).encode("utf-8")
    return out


# -- shared helpers for the templates -----------------------------------------------------
class _Notes:
    """Footnote numbers in the order their marks are printed (each mark its own note, as in Word)."""

    def __init__(self, footnotes: tuple[Footnote, ...]) -> None:
        self._by_id = {f.id: f for f in footnotes}
        self.entries: list[tuple[int, Footnote]] = []

    def mark(self, note_id: str) -> int:
        n = len(self.entries) + 1
        self.entries.append((n, self._by_id.get(note_id, Footnote(id=note_id, inlines=(Run(text=note_id),)))))
        return n

    def first_use(self) -> list[Footnote]:
        seen: dict[str, Footnote] = {}
        for _, f in self.entries:
            seen.setdefault(f.id, f)
        return list(seen.values())


class _Lists:
    """Word numbering instances: one for every bullet list, one per ordered list (so each restarts)."""

    BULLET = 1

    def __init__(self) -> None:
        self.ordered: list[int] = []

    def num(self, ordered: bool) -> int:
        if not ordered:
            return self.BULLET
        self.ordered.append(len(self.ordered) + 2)
        return self.ordered[-1]


def long_date(value: str) -> str:
    """``2025-04-30`` → ``30 April 2025`` (the date as British letters print it)."""
    try:
        d = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{d.day} {d.strftime('%B')} {d.year}"


_TESTS: dict[str, Callable[[Any], bool]] = {
    "run": lambda x: isinstance(x, Run),
    "noteref": lambda x: isinstance(x, NoteRef),
    "clauseref": lambda x: isinstance(x, ClauseRef),
    "para": lambda x: isinstance(x, Para),
    "heading": lambda x: isinstance(x, Heading),
    "listblock": lambda x: isinstance(x, ListBlock),
}


class _InsideLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads only ordinary files inside its template folders: a link out
    of the folder (which would print another file into the letter), a pipe (which would hang the
    build) or a device is a TemplateProblem (LTR130). ``top`` is the templates folder."""

    def __init__(self, searchpath: list[str], top: str) -> None:
        super().__init__(searchpath)
        self.top = top

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        import stat

        from generator.diagnostics.rules import safety as S

        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            path = os.path.join(folder, *pieces)
            if not os.path.lexists(path):
                continue
            real, top = os.path.realpath(path), os.path.realpath(self.top)
            try:
                mode = os.stat(path).st_mode
            except OSError:
                mode = 0
            if not (real == top or real.startswith(top + os.sep)):
                what = f"is a link that leads outside the templates folder (to {real})"
            elif not stat.S_ISREG(mode):
                what = "is not an ordinary file (a folder, a pipe or a device)"
            else:
                break
            raise TemplateProblem([Diagnostic.make(
                S.TEMPLATE_OUTSIDE, f"letter template {os.path.relpath(path)} {what}; it was not read",
                Location(file=os.path.relpath(path)), help="replace it by an ordinary file: a copy of the template")])
        return super().get_source(environment, template)


def _environment(folders: list[str], *, xml: bool) -> SandboxedEnvironment:
    """Autoescape always: XML escaping for the .docx parts; for Markdown, ``finalize`` escapes
    each value for Markdown first (returning Markup, so nothing is escaped twice)."""
    env = SandboxedEnvironment(
        loader=_InsideLoader(folders, os.path.dirname(folders[-1])), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        finalize=None if xml else _md_finalize,
    )
    env.tests.update(_TESTS)
    env.filters["long_date"] = long_date
    env.filters["md"] = md_escape
    return env


def md_escape(value: object) -> Markup:
    """Text made literal in Markdown: specials backslash-escaped, HTML characters as entities."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    return Markup(_MD_SPECIAL.sub(lambda m: _MD_ENTITY.get(m.group(1), "\\" + m.group(1)), text))


def _md_finalize(value: object) -> object:
    return value if isinstance(value, Markup) else md_escape(value)


def _context(letter: Letter, project: Project, options: WriterOptions) -> dict[str, Any]:
    return {
        "letter": letter, "document": project.document, "options": options,
        "notes": _Notes(letter.footnotes), "lists": _Lists(),
    }


def _template_line(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template frame of ``exc``'s traceback (Jinja maps it to the template line)."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _problem(exc: BaseException, file: str, line: int) -> TemplateProblem:
    shown = os.path.relpath(file) if os.path.isabs(file) else file
    what = "does not parse" if isinstance(exc, jinja2.TemplateSyntaxError) else "fails while rendering"
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateProblem([Diagnostic.make(L.TEMPLATE_ERROR, f"letter template {os.path.basename(file)} {what}: "
                                            f"{message}", Location(file=shown, line=line, col=1 if line else 0),
                                            help="correct the template; nothing was written")])


def _render(env: SandboxedEnvironment, folder: str, template: str, context: dict[str, Any]) -> str:
    """The rendered template; any failure that happened in a template becomes a TemplateProblem."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise _problem(exc, exc.filename or os.path.join(folder, template), exc.lineno or 0) from exc
    except Exception as exc:
        where = _template_line(exc)
        if where is None and not isinstance(exc, jinja2.TemplateError):
            raise  # a bug in this module, not in a template
        raise _problem(exc, *(where or (os.path.join(folder, template), 0))) from exc


# -- .docx -----------------------------------------------------------------------------
def _docx(letter: Letter, project: Project, folder: str, options: WriterOptions) -> bytes:
    env = _environment([os.path.join(folder, "docx"), folder], xml=True)
    context = _context(letter, project, options)
    # document.xml first: it numbers the footnotes and lists that later parts declare.
    order = ["word/document.xml", *(p for p in DOCX_PARTS if p != "word/document.xml")]
    parts: dict[str, bytes] = {}
    for part in order:
        template = DOCX_PARTS[part]
        text = _render(env, os.path.join(folder, "docx"), template, context)
        try:
            ElementTree.fromstring(text.encode("utf-8"))
        except ElementTree.ParseError as exc:
            line, col = exc.position
            raise TemplateProblem([Diagnostic.make(
                L.TEMPLATE_ERROR, f"letter template {template} gives {part} that is not well-formed XML "
                f"(line {line}, column {col} of the output): {exc}",
                Location(file=os.path.relpath(os.path.join(folder, "docx", template))),
                help="check the template's tags; values are escaped for you")]) from exc
        parts[part] = text.encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return normalise_zip(buf.getvalue(), zip_time(letter.date or options.date))


# -- Markdown --------------------------------------------------------------------------
def _markdown(letter: Letter, project: Project, folder: str, options: WriterOptions) -> str:
    env = _environment([folder], xml=False)
    return _render(env, folder, MARKDOWN_TEMPLATE, _context(letter, project, options))
