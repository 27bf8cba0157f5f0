"""Change letters → a Word .docx (real footnotes, links, page numbers, amendment tables, an
optional signature image) and a Markdown page for the site, both rendered by the package's
Jinja2 templates (``generator/data/templates/letter/``); a project overrides any one of them by
keeping a file of the same name under its own ``templates/letter/``. ``writers.consultation``
renders its documents with the same package parts and helpers.

Every word of the letter is in the templates or the letter's YAML; this module only feeds
them. Values reach the templates as data, never as template source, and are escaped for
the output (XML for the .docx parts, Markdown/HTML for the page), so ``{{ }}`` or ``<b>`` in a
clause prints as written. A template that does not parse, fails while rendering or gives
XML that is not well formed raises :class:`TemplateProblem`, located at the template line.
"""

from __future__ import annotations

import base64
import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import letter as L
from generator.model import Project
from generator.model.dates import long_date
from generator.model.letter import (
    ClauseRef,
    Count,
    Footnote,
    Heading,
    Image,
    Letter,
    Link,
    ListBlock,
    NoteRef,
    Para,
    Run,
    plain,
)
from generator.model.names import safe_name
from generator.model.numbers import in_words
from generator.ooxml.package import normalise_zip, zip_time
from generator.writers.options import WriterOptions

__all__ = ["DOCX_PARTS", "MARKDOWN_TEMPLATE", "Meta", "TemplateProblem", "docx_package", "environment",
           "file_names", "long_date", "md_escape", "render_template", "template_folders", "write_letter"]

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
    "word/_rels/footnotes.xml.rels": "footnotes.xml.rels.j2",
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


def template_folders(options: WriterOptions) -> list[str]:
    """The project's ``templates/letter/`` first, then the package's defaults: a file the project
    keeps overrides the default of the same name, and every other file comes from the package."""
    own = os.path.join(options.templates, "letter") if options.templates else ""
    folders = [f for f in (own, _DEFAULT_TEMPLATES) if f and os.path.isdir(f)]
    if _DEFAULT_TEMPLATES not in folders:
        raise TemplateProblem([Diagnostic.make(L.TEMPLATE_ERROR,
                                               f"there are no letter templates in {_DEFAULT_TEMPLATES}",
                                               Location(file=_DEFAULT_TEMPLATES),
                                               help="reinstall s1sr: its package ships them")])
    return folders


def write_letter(_project: Project, options: WriterOptions) -> dict[str, bytes]:
    """Every writer takes the project; the options carry the resolved letters."""
    if not options.letters:
        return {}
    folders = template_folders(options)
    out: dict[str, bytes] = {}
    for letter in options.letters:
        docx_name, md_name = file_names(letter)
        meta = Meta(title=plain(letter.subject), creator=letter.signatory.name, company=letter.sender.organisation,
                    date=letter.date or options.date)
        images = (letter.signature,) if letter.signature else ()
        out[docx_name] = docx_package(folders, "document.xml.j2", {"letter": letter, "options": options}, meta,
                                      images)
        out[md_name] = render_template(folders, MARKDOWN_TEMPLATE, {"letter": letter, "options": options}).encode()
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


class _Links:
    """Hyperlink relationships, numbered per part (each part of a .docx has its own rels)."""

    def __init__(self) -> None:
        self.part = ""
        self._by_part: dict[str, list[tuple[str, str]]] = {}

    def rel(self, url: str) -> str:
        entries = self._by_part.setdefault(self.part, [])
        rid = f"rIdLink{len(entries) + 1}"
        entries.append((rid, url))
        return rid

    def of(self, part: str) -> list[tuple[str, str]]:
        return list(self._by_part.get(part, []))


class _Media:
    """Pictures the package carries (word/media/…), with their relationships from document.xml."""

    def __init__(self, images: tuple[Image, ...]) -> None:
        self.images = images

    def _index(self, image: Image) -> int:
        return next(i for i, x in enumerate(self.images) if x is image)

    def rel(self, image: Image) -> str:
        return f"rIdMedia{self._index(image) + 1}"

    def number(self, image: Image) -> int:
        return self._index(image) + 1

    def of(self, part: str) -> list[tuple[str, str]]:
        return [(self.rel(x), f"media/{x.name}") for x in self.images] if part == "word/document.xml" else []

    def types(self) -> list[tuple[str, str]]:
        return sorted({(x.name.rsplit(".", 1)[-1], x.media_type) for x in self.images})

    def parts(self) -> dict[str, bytes]:
        return {f"word/media/{x.name}": x.data for x in self.images}


@dataclass(frozen=True, slots=True)
class Meta:
    """The document properties of a generated .docx."""

    title: str
    creator: str
    company: str
    date: str


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


_TESTS: dict[str, Callable[[Any], bool]] = {
    "run": lambda x: isinstance(x, Run),
    "noteref": lambda x: isinstance(x, NoteRef),
    "clauseref": lambda x: isinstance(x, ClauseRef),
    "count": lambda x: isinstance(x, Count),
    "link": lambda x: isinstance(x, Link),
    "para": lambda x: isinstance(x, Para),
    "heading": lambda x: isinstance(x, Heading),
    "listblock": lambda x: isinstance(x, ListBlock),
}


class _InsideLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads only ordinary files inside its template folders: a link out
    of the folder (which would print another file into the letter), a pipe (which would hang the
    build) or a device is a TemplateProblem (LTR130). ``tops[i]`` is the templates folder that
    holds ``searchpath[i]`` (the project's own, or the package's)."""

    def __init__(self, searchpath: list[str], tops: list[str]) -> None:
        super().__init__(searchpath)
        self.tops = dict(zip(self.searchpath, tops, strict=True))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        import stat

        from generator.diagnostics.rules import safety as S

        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            path = os.path.join(folder, *pieces)
            if not os.path.lexists(path):
                continue
            real, top = os.path.realpath(path), os.path.realpath(self.tops[folder])
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


# Compiling the templates costs far more than rendering them (a second per document on a busy
# machine): one environment per folder and kind is kept, and Jinja reloads a template whose
# file changed (auto_reload compares modification times).
_ENVIRONMENTS: dict[tuple[tuple[str, ...], str, bool], SandboxedEnvironment] = {}


def environment(folders: list[str], *, xml: bool, escape: bool = True) -> SandboxedEnvironment:
    """The template environment for the letter folders ``folders`` (the project's first, then the
    package's; the .docx parts search their ``docx/`` subfolders first). Autoescape always: XML
    escaping for the .docx parts; for Markdown, ``finalize`` escapes each value for Markdown first
    (returning Markup, so nothing is escaped twice). ``escape=False`` gives plain text (for cells
    openpyxl writes)."""
    kind = "plain" if not escape else "xml" if xml else "md"
    key = (tuple(os.path.abspath(f) for f in folders), kind, xml)
    env = _ENVIRONMENTS.get(key)
    if env is None:
        search = [os.path.join(f, "docx") for f in folders] + folders if xml else list(folders)
        tops = [os.path.dirname(f) for f in folders]
        env = SandboxedEnvironment(
            loader=_InsideLoader(search, tops + tops if xml else tops), autoescape=escape,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=True,
            finalize=_md_finalize if kind == "md" else None,
        )
        env.tests.update(_TESTS)
        env.filters.update({
            "long_date": long_date, "md": md_escape, "words": _words, "plain": _plain,
            "short_version": short_version, "upper_first": _upper_first, "md_url": _md_url, "data_uri": _data_uri,
        })
        _ENVIRONMENTS[key] = env
    return env


def _words(n: int) -> str:
    return in_words(int(n))


def _plain(value: object) -> str:
    return plain(value) if isinstance(value, tuple) else str(value)


def short_version(version: str) -> str:
    """``11.0`` → ``11`` (how a letter names a version); ``11.2`` stays."""
    return version[:-2] if version.endswith(".0") and version[:-2] else version


def _upper_first(value: object) -> object:
    text = str(value)
    out = text[:1].upper() + text[1:]
    return Markup(out) if isinstance(value, Markup) else out


def _md_url(url: str) -> Markup:
    """A link address as a Markdown link destination (checked by passes.letter: no spaces or quotes)."""
    return Markup(quote(url, safe=":/?#[]@!$&'*+,;=%~.-_"))


def _data_uri(image: Image) -> Markup:
    return Markup(f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}")


def md_escape(value: object) -> Markup:
    """Text made literal in Markdown: specials backslash-escaped, HTML characters as entities."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    return Markup(_MD_SPECIAL.sub(lambda m: _MD_ENTITY.get(m.group(1), "\\" + m.group(1)), text))


def _md_finalize(value: object) -> object:
    return value if isinstance(value, Markup) else md_escape(value)


def _context(extra: dict[str, Any], images: tuple[Image, ...] = ()) -> dict[str, Any]:
    return {**extra, "notes": _Notes(extra["letter"].footnotes if extra.get("letter") else ()), "lists": _Lists(),
            "links": _Links(), "media": _Media(images)}


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
# document.xml first: it numbers the footnotes, lists and links that later parts declare; then
# footnotes.xml, whose links its own relationships part declares.
_FIRST = ("word/document.xml", "word/footnotes.xml")


def docx_package(folders: list[str], main: str, values: dict[str, Any], meta: Meta,
                 images: tuple[Image, ...] = ()) -> bytes:
    """A .docx whose word/document.xml comes from ``main``, every other part from the shared
    package templates, rendered with ``values`` (plus ``meta`` and the numbering helpers);
    ``folders`` are the letter template folders (:func:`template_folders`)."""
    env = environment(folders, xml=True)
    folder = folders[0]
    context = _context({**values, "meta": meta}, images)
    order = [*_FIRST, *(p for p in DOCX_PARTS if p not in _FIRST)]
    parts: dict[str, bytes] = {}
    for part in order:
        template = main if part == "word/document.xml" else DOCX_PARTS[part]
        context["links"].part = part
        text = _render(env, os.path.join(folder, "docx"), template, context)
        try:
            ElementTree.fromstring(text.encode("utf-8"))
        except ElementTree.ParseError as exc:
            line, col = exc.position
            raise TemplateProblem([Diagnostic.make(
                L.TEMPLATE_ERROR, f"letter template {template} gives {part} that is not well-formed XML "
                f"(line {line}, column {col} of the output): {exc}",
                Location(file=os.path.relpath(env.get_template(template).filename or template)),
                help="check the template's tags; values are escaped for you")]) from exc
        parts[part] = text.encode("utf-8")
    parts.update(context["media"].parts())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return normalise_zip(buf.getvalue(), zip_time(meta.date))


# -- Markdown --------------------------------------------------------------------------
def render_template(folders: list[str], template: str, values: dict[str, Any]) -> str:
    """A Markdown template of the letter folders, every value escaped for Markdown."""
    env = environment(folders, xml=False)
    return _render(env, folders[0], template, _context(values))
