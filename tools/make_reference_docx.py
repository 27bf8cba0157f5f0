"""Make ``generator/data/reference.docx``, the one reference document (the package default).

Every Word style the S1SR writer uses is defined here, so the template is reproducible and
a style change is reviewed as a code change. Run it after editing:

    .venv/bin/python tools/make_reference_docx.py          # write it
    .venv/bin/python tools/make_reference_docx.py --check  # exit 1 if it is stale

The writer looks styles up by *name*; a project may ship its own templates/reference.docx
with the same style names and different looks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Pt, Twips
from docx.text.parfmt import ParagraphFormat

from generator.ooxml import package, styles

REPO = Path(__file__).resolve().parent.parent
OUTPUTS = (REPO / "generator" / "data" / "reference.docx",)

FONT = "Arial"
LANGUAGE = "en-GB"
# A4 with 2.54 cm margins: the text is 9026 twips wide.
PAGE_W, PAGE_H, MARGIN, HEADER_DIST = 11906, 16838, 1440, 709
TEXT_W = PAGE_W - 2 * MARGIN
# Where an annex's title starts after "Annex B" (in its heading and in the contents).
ANNEX_TAB = 1701
# Clause levels: (style name, left indent, hanging indent) in twips. The number sits at
# left - hanging and is followed by a tab to the text at `left`.
LEVELS = (
    ("S1SR Section", 851, 851),
    ("S1SR Clause", 851, 851),
    ("S1SR Sub-clause", 1560, 709),
    ("S1SR Item", 2269, 709),
    ("S1SR Level 5", 2978, 709),
    ("S1SR Level 6", 3687, 709),
)
# Built-in styles the writer (or Word itself) relies on; every other default style goes.
KEEP_BUILTIN = ("Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "HeaderChar", "Footer",
                "FooterChar")
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


@dataclass(frozen=True, slots=True, kw_only=True)
class Para:
    """One paragraph style."""

    name: str
    base: str = "Normal"
    size: float = 0
    bold: bool = False
    before: float = -1
    after: float = -1
    left: int = 0
    hanging: int = 0
    tabs: tuple[tuple[int, str], ...] = ()  # (position, "left" | "right" | "center" | "dots")
    keep_next: bool = False
    page_break_before: bool = False
    outline: int = -1
    builtin: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Char:
    """One character style."""

    name: str
    bold: bool = False
    italic: bool = False


def _paragraph_styles() -> tuple[Para, ...]:
    section, *levels = LEVELS
    return (
        Para(name="S1SR Cover Appendix", size=14, bold=True, before=144, after=12),
        Para(name="S1SR Cover Title", size=26, bold=True, after=36),
        Para(name="S1SR Cover Detail", size=12, after=6),
        Para(name="S1SR Contents Heading", size=14, bold=True, after=12, page_break_before=True, keep_next=True),
        Para(name="toc 1", left=section[1], hanging=section[2], after=3, builtin=True,
             tabs=((section[1], "left"), (ANNEX_TAB, "left"), (TEXT_W, "dots"))),
        Para(name=section[0], size=12, bold=True, before=18, after=6, left=section[1], hanging=section[2],
             tabs=((section[1], "left"),), keep_next=True, outline=0),
        # An annex starts on a page of its own: "Annex B", a tab, its title.
        Para(name="S1SR Annex", size=12, bold=True, before=0, after=12, tabs=((ANNEX_TAB, "left"),),
             keep_next=True, page_break_before=True, outline=0),
        *(Para(name=name, left=left, hanging=hang, tabs=((left, "left"),)) for name, left, hang in levels),
        # The title page's notes (what Annex A is; in a redline, what it is marked against).
        Para(name="S1SR Cover Note", size=11, before=12, after=6),
        # The redline's key to its marks, and its banner on the title page.
        Para(name="S1SR Redline Banner", size=14, bold=True, before=24, after=6),
        Para(name="S1SR Body", left=section[1]),
        Para(name="S1SR Table Text", size=10, before=2, after=2),
        Para(name="S1SR Table Heading", base="S1SR Table Text", bold=True, keep_next=True),
    )


CHARACTER_STYLES = (
    Char(name="S1SR Clause Heading", bold=True),
    Char(name="S1SR Defined Term", bold=True),
    Char(name="S1SR Emphasis", italic=True),
    Char(name="S1SR Cross-reference"),
)
TABLE_STYLE = "S1SR Table"


def _tab(fmt: ParagraphFormat, position: int, kind: str) -> None:
    if kind == "dots":
        fmt.tab_stops.add_tab_stop(Twips(position), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    else:
        fmt.tab_stops.add_tab_stop(Twips(position), getattr(WD_TAB_ALIGNMENT, kind.upper()))


def _add_paragraph_style(doc: docx.document.Document, spec: Para) -> None:
    st = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH, builtin=spec.builtin)
    st.base_style = doc.styles[spec.base]
    st.next_paragraph_style = doc.styles["Normal"] if spec.keep_next else st
    st.quick_style = not spec.builtin
    if spec.size:
        st.font.size = Pt(spec.size)
    if spec.bold:
        st.font.bold = True
    fmt = st.paragraph_format
    if spec.before >= 0:
        fmt.space_before = Pt(spec.before)
    if spec.after >= 0:
        fmt.space_after = Pt(spec.after)
    if spec.left:
        fmt.left_indent = Twips(spec.left)
    if spec.hanging:
        fmt.first_line_indent = Twips(-spec.hanging)
    for position, kind in spec.tabs:
        _tab(fmt, position, kind)
    if spec.keep_next:
        fmt.keep_with_next = True
    if spec.page_break_before:
        fmt.page_break_before = True
    if spec.outline >= 0:
        styles.set_outline_level(st.element, spec.outline)


def _add_character_style(doc: docx.document.Document, spec: Char) -> None:
    st = doc.styles.add_style(spec.name, WD_STYLE_TYPE.CHARACTER)
    st.base_style = doc.styles["Default Paragraph Font"]
    st.quick_style = True
    if spec.bold:
        st.font.bold = True
    if spec.italic:
        st.font.italic = True


def _normal(doc: docx.document.Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    styles.set_language(normal.element, LANGUAGE)


def _header_footer(doc: docx.document.Document) -> None:
    for name in ("Header", "Footer"):
        st = doc.styles[name]
        st.font.size = Pt(9)
        st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.tab_stops.clear_all()
        _tab(st.paragraph_format, TEXT_W // 2, "center")
        _tab(st.paragraph_format, TEXT_W, "right")


def _table_style(doc: docx.document.Document) -> None:
    st = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    st.base_style = doc.styles["Normal Table"]
    st.quick_style = True
    styles.set_table_borders(st.element, size=4)


def _page(doc: docx.document.Document) -> None:
    sect = doc.sections[0]
    sect.page_width, sect.page_height = Twips(PAGE_W), Twips(PAGE_H)
    sect.left_margin = sect.right_margin = sect.top_margin = sect.bottom_margin = Twips(MARGIN)
    sect.header_distance = sect.footer_distance = Twips(HEADER_DIST)
    sect.different_first_page_header_footer = True  # no header or footer on the title page


def _strip(doc: docx.document.Document) -> None:
    """Leave out what a generated document never uses: the Word 2010 style copy, a sample
    custom-XML item, the thumbnail, the app properties naming another program, numbering."""
    main = doc.part
    for reltype in (STYLES_WITH_EFFECTS, RT.CUSTOM_XML, RT.NUMBERING):
        package.drop_relationships(main, reltype)
    for reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
        package.drop_relationships(main.package, reltype)
    body = doc.element.body
    for child in list(body)[:-1]:  # everything but the final sectPr
        body.remove(child)


def _core(doc: docx.document.Document) -> None:
    props = doc.core_properties
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    props.author = props.last_modified_by = "s1sr"
    props.title, props.subject, props.comments, props.keywords, props.category = (
        "S1SR reference document", "Styles for the S1SR Word writer", "", "", "")
    props.created = props.modified = epoch
    props.revision = 1


def build() -> bytes:
    """The template's bytes (normalised zip, so the same code gives the same file)."""
    doc = docx.Document()
    _strip(doc)
    _normal(doc)
    _header_footer(doc)
    for para in _paragraph_styles():
        _add_paragraph_style(doc, para)
    for char in CHARACTER_STYLES:
        _add_character_style(doc, char)
    _table_style(doc)
    names = [*(p.name for p in _paragraph_styles()), *(c.name for c in CHARACTER_STYLES), TABLE_STYLE]
    keep = [*KEEP_BUILTIN, *(doc.styles[n].style_id for n in names)]
    styles.prune_styles(doc.styles.element, keep)
    _page(doc)
    _core(doc)
    return package.normalise_zip(package.save_bytes(doc))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    args = parser.parse_args(argv)
    data = build()
    stale = [p for p in OUTPUTS if not p.exists() or p.read_bytes() != data]
    if args.check:
        for p in stale:
            print(f"{p.relative_to(REPO)} is out of date; run tools/make_reference_docx.py")
        return 1 if stale else 0
    for p in OUTPUTS:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        print(f"wrote {p.relative_to(REPO)} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
