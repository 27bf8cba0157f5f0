"""Small .docx packages built from XML strings, for the Word reader's tests.

Each package holds only what the feature under test needs: the main part, and numbering and
styles parts when given. Paragraphs are built with :func:`p`, numbering levels with :func:`lvl`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def p(text: str, num: int | None = None, ilvl: int | None = None, style: str | None = None,
      runs: str | None = None) -> str:
    """A paragraph; ``num``/``ilvl`` set its numbering directly, ``style`` its paragraph style."""
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None or ilvl is not None:
        ppr += "<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "") + \
            (f'<w:numId w:val="{num}"/>' if num is not None else "") + "</w:numPr>"
    body = runs if runs is not None else f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>"


MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"


def lvl(i: int, fmt: str, text: str, *, start: int | None = 1, restart: int | None = None, legal: bool = False,
        style: str = "", custom: str = "") -> str:
    """One ``w:lvl`` (children in schema order). ``start=None`` leaves ``w:start`` out; ``custom``
    writes a Word 2010 custom format as Word does: a w14 choice with a decimal fallback."""
    if custom:
        num_fmt = (f'<mc:AlternateContent xmlns:mc="{MC_NS}" xmlns:w14="{W14_NS}"><mc:Choice Requires="w14">'
                   f'<w:numFmt w:val="custom" w:format="{custom}"/></mc:Choice><mc:Fallback>'
                   f'<w:numFmt w:val="{fmt}"/></mc:Fallback></mc:AlternateContent>')
    else:
        num_fmt = f'<w:numFmt w:val="{fmt}"/>'
    return (f'<w:lvl w:ilvl="{i}">' + (f'<w:start w:val="{start}"/>' if start is not None else "") + num_fmt
            + (f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else "")
            + (f'<w:pStyle w:val="{style}"/>' if style else "")
            + ("<w:isLgl/>" if legal else "")
            + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            + f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>')


def abstract(aid: int, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{extra}{"".join(levels)}</w:abstractNum>'


def num(nid: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def start_override(ilvl: int, value: int, level: str = "") -> str:
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{value}"/>{level}</w:lvlOverride>'


def list_style(sid: str, name: str, num_id: int) -> str:
    """A numbering (list) style, as Word's Define New List Style writes it: its numPr names the
    w:num whose abstract numbering defines the levels (with ``w:styleLink``)."""
    return (f'<w:style w:type="numbering" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:pPr><w:numPr><w:numId w:val="{num_id}"/></w:numPr></w:pPr></w:style>')


def style(sid: str, name: str, *, num_id: int | None = None, ilvl: int | None = None, based_on: str = "",
          outline: int | None = None) -> str:
    ppr = ""
    if num_id is not None or ilvl is not None:
        ppr += "<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "") + \
            (f'<w:numId w:val="{num_id}"/>' if num_id is not None else "") + "</w:numPr>"
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    return (f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>'
            + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
            + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + "</w:style>")


def docx_bytes(body: str, numbering: str = "", styles: str = "", *, extra_parts: dict[str, bytes] | None = None,
               document_xml: str | None = None) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
            + (f'<Override PartName="/word/numbering.xml" ContentType="{_CT}.numbering+xml"/>' if numbering else "")
            + (f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/>' if styles else "")
            + "</Types>"))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>'))
        z.writestr("word/_rels/document.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + (f'<Relationship Id="rId1" Type="{_REL}/numbering" Target="numbering.xml"/>' if numbering else "")
            + (f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>' if styles else "")
            + "</Relationships>"))
        z.writestr("word/document.xml", document_xml if document_xml is not None else (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'))
        if numbering:
            z.writestr("word/numbering.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
        if styles:
            z.writestr("word/styles.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>')
        for name, data in (extra_parts or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def write_docx(path: Path, body: str, numbering: str = "", styles: str = "", **kw: object) -> Path:
    path.write_bytes(docx_bytes(body, numbering, styles, **kw))  # type: ignore[arg-type]
    return path
