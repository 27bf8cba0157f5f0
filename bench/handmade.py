"""S1SR .docx + DMVESM .xlsx pairs made the way a team makes them by hand, not by s1sr's writers:
the Word document with python-docx and automatic numbering defined in numbering.xml, the
workbook with openpyxl. They are the realistic inputs of the pre-designation check (tests) and
the hand-made pair of the benchmark.

Two numberings, both common in legal templates:

* ``list-style``: Word's Define New List Style. The levels live in an abstract numbering that
  names the list style (``w:styleLink``); the paragraphs use another abstract numbering that
  only links to the style (``w:numStyleLink``), through their own ``w:numPr``.
* ``style-linked``: paragraph styles (S1SR Section, S1SR Clause, ...) carry the numbering in
  their ``w:numPr``; the paragraphs name only their style.

Both have a table of contents whose field ends in the first section heading (as Word leaves it
when the empty paragraph after the contents is deleted).

Two workbook layouts: ``two-row`` (a title row, then device types merged over the Device Model
names, with SRV, Service Request Name and Notes columns), and ``three-row`` (type over
manufacturer over model, merged, a firmware row under the header, and Notes and Legend sheets
beside the matrix, and the Cohort row under it). Cells cite clauses (one, several, ranges ``18.5p(i)–(iii)`` and
``18.3a to 18.3c``, a number among words), say ``-`` or nothing (no variation), or ``N/A`` /
``Not supported`` (not applicable).

Versions of the document (the workbook always cites the numbers of ``v11``):

* ``v11``: aligned with the workbook;
* ``v12``: the 18.5 incident: 18.5p's items (i)-(iii) numbered as sub-clauses 18.5q-18.5s, every
  later 18.5 clause three places on;
* ``deleted``: 18.5f deleted outright, not kept as [Not used]: every later 18.5 clause one place
  back;
* ``inserted``: a new clause after 18.5c numbered 18.5d, not 18.5ca: every later 18.5 clause one
  place on.

``python -m bench.handmade OUT [--scale S]`` writes every version and layout into OUT.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRVS_CSV = REPO / "generator" / "data" / "srvs.csv"

VERSIONS = ("v11", "v12", "deleted", "inserted")
NUMBERINGS = ("list-style", "style-linked")
LAYOUTS = ("two-row", "three-row")

# (type, manufacturer, model, firmware, cohort): real manufacturers, illustrative models.
DEVICES = (
    ("ESME", "Secure", "Liberty 100", "LB100 5.2", "MOC"),
    ("ESME", "Landis+Gyr", "E470 5394", "E470 10.3", "FOC"),
    ("ESME", "Honeywell", "AS302P", "AS302 4.1", "FOC"),
    ("ESME", "Itron", "ACE9000 SM", "ACE 7.2", "FOC"),
    ("ESME", "EDMI", "Atlas Mk10A", "MK10A 3.3", "IOC"),
    ("ESME", "Aclara", "SGM1412", "SGM 2.0", "IOC"),
    ("GSME", "Secure", "Europa G4", "EG4 3.7", "MOC"),
    ("GSME", "Flonidan", "Uniflo G4SZV", "UG4 1.8", "FOC"),
)
TOPICS = (
    "Introduction", "Definitions", "General Obligations", "Device Models", "Equivalent Steps", "Tariffs",
    "Prepayment", "Supply Control", "Alerts", "Firmware", "Security Credentials", "Time Synchronisation",
    "Device Logs", "Meter Readings", "Load Limiting", "Auxiliary Load Control", "Commissioning", "Profile Data",
    "Communications Hubs", "Configuration",
)
SECTIONS = len(TOPICS)  # 20: section 18 is Profile Data, as in the S1SR
VERBS = ("returns", "records", "applies", "rejects", "acknowledges", "stores", "sends", "ignores")
OBJECTS = ("the profile data in two parts", "the register values at the next half hour", "the request after its "
           "next wake-up", "an alert to the DCC", "the configuration on its next reboot", "a response with the "
           "previous value", "the change without a response", "the entries in reverse order")


def duis_srvs() -> list[tuple[str, str]]:
    with SRVS_CSV.open(encoding="utf-8", newline="") as fh:
        return [(row["srv"], row["name"]) for row in csv.DictReader(fh)]


# -- the content, independent of any writer ------------------------------------------------------------
@dataclass
class Para:
    level: int  # 1 section, 2 clause, 3 sub-clause, 4 item
    text: str
    device: int = -1  # the Device Model the text is about
    srv: str = ""
    key: str = ""  # which clause of v11 this is (its v11 number), "" for a new one


@dataclass
class Content:
    paras: list[Para]
    # (SRV, device index) → cell text, in v11 numbers
    cells: dict[tuple[str, int], str] = field(default_factory=dict)
    srv_names: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def _letter(n: int) -> str:
    return chr(ord("a") + n - 1) if n <= 26 else chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    return ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")[n - 1]


def _name(d: int) -> str:
    """The Device Model with its article: "an Itron ACE9000 SM", "a Secure Liberty 100"."""
    _type, maker, model, _firmware, _cohort = DEVICES[d]
    return f"{'an' if maker[0] in 'AEIOU' else 'a'} {maker} {model}"


def content(scale: float = 1.0, seed: int = 11) -> Content:
    """The v11 document and its matrix: about 1,500 numbered paragraphs at scale 1."""
    r = random.Random(seed)
    srvs = duis_srvs()
    names = dict(srvs)
    pool = [s for s, _ in srvs]
    out = Content(paras=[], srv_names=names)
    cited: dict[tuple[str, int], list[str]] = {}
    clauses = max(2, round(8 * scale))
    subs = max(3, round(8 * scale))

    def sub(number: str, d: int, srv: str, lead: str = "") -> Para:
        verb, obj = r.choice(VERBS), r.choice(OBJECTS)
        text = lead or (f"Where {_name(d)} {DEVICES[d][0]} receives a Service Request for SRV {srv} "
                        f"({names[srv]}), it {verb} {obj}.")
        return Para(3, text, d, srv, number)

    for s in range(1, SECTIONS + 1):
        out.paras.append(Para(1, TOPICS[s - 1], key=str(s)))
        for c in range(1, max(clauses, 5 if s == 18 else 0) + 1):
            number = f"{s}.{c}"
            out.paras.append(Para(2, f"{TOPICS[s - 1]}: rule {c}", key=number))
            if s == 18 and c == 5:
                for k in range(1, 25):  # 18.5a-18.5x, with p's items
                    d, srv = (k - 1) % len(DEVICES), pool[(k * 7) % len(pool)]
                    n = f"18.5{_letter(k)}"
                    if _letter(k) == "p":
                        out.paras.append(sub(n, d, srv, f"Where {_name(d)} {DEVICES[d][0]} receives SRV {srv} "
                                                        f"({names[srv]}), it returns the following:"))
                        for i, item in enumerate(("the import register;", "the export register; and",
                                                  "the reactive register."), start=1):
                            out.paras.append(Para(4, item, d, srv, f"{n}({_roman(i)})"))
                        cited.setdefault((srv, d), []).append(f"{n}(i)–(iii)")
                    else:
                        out.paras.append(sub(n, d, srv))
                        cited.setdefault((srv, d), []).append(n)
                continue
            if s == 18 and c == 3:
                d, srv = 1, pool[5]
                for k in range(1, 4):
                    out.paras.append(sub(f"18.3{_letter(k)}", d, srv))
                cited.setdefault((srv, d), []).append("18.3a to 18.3c")
                continue
            for k in range(1, subs + 1):
                d, srv = r.randrange(len(DEVICES)), r.choice(pool)
                n = f"{number}{_letter(k)}"
                out.paras.append(sub(n, d, srv))
                text = f"{n} (firmware 2.1 and later)" if (s, c, k) == (18, 2, 2) else n
                cited.setdefault((srv, d), []).append(text)
    for (srv, d), numbers in cited.items():
        out.cells[(srv, d)] = ", ".join(numbers)
    gas_only = {d for d, dev in enumerate(DEVICES) if dev[0] == "GSME"}
    for srv in {s for s, _ in cited}:
        for d in range(len(DEVICES)):
            if (srv, d) in out.cells:
                continue
            if d in gas_only and srv.startswith(("1.", "2.")):
                out.cells[(srv, d)] = "N/A"
            elif r.random() < 0.05:
                out.cells[(srv, d)] = "Not supported"
            elif r.random() < 0.3:
                out.cells[(srv, d)] = "-"
    for srv in sorted({s for s, _ in cited})[:: max(1, len(cited) // 12)]:
        out.notes[srv] = r.choice(("Confirmed at the 2023 review", "See the firmware annex", "Half-hourly data only",
                                   "Applies to the FOC and IOC cohorts"))
    return out


def version(base: Content, which: str) -> list[Para]:
    """The paragraphs of a version of the document (the workbook keeps the v11 numbers)."""
    if which == "v11":
        return list(base.paras)
    if which == "v12":  # items numbered as sub-clauses
        return [Para(3, p.text, p.device, p.srv, p.key) if p.key.startswith("18.5p(") else p for p in base.paras]
    if which == "deleted":
        return [p for p in base.paras if p.key != "18.5f"]
    if which == "inserted":
        out: list[Para] = []
        for p in base.paras:
            out.append(p)
            if p.key == "18.5c":
                out.append(Para(3, f"Where {_name(4)} ESME receives SRV 6.8 (a new behaviour found in testing), "
                                   "it defers the change to the next billing period.", 4, "6.8", ""))
        return out
    raise ValueError(which)


# -- the Word document, as a team's template makes it ---------------------------------------------------
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_LEVELS = (("decimal", "%1", 0), ("decimal", "%1.%2", 0), ("lowerLetter", "%1.%2%3", 720), ("lowerRoman", "(%4)", 1440))
_STYLE_NAMES = ("S1SR Section", "S1SR Clause", "S1SR Sub-clause", "S1SR Item")
_STYLE_IDS = ("S1SRSection", "S1SRClause", "S1SRSubclause", "S1SRItem")


def _levels_xml(styles: Sequence[str] = ()) -> str:
    out = []
    for i, (fmt, text, indent) in enumerate(_LEVELS):
        link = f'<w:pStyle w:val="{styles[i]}"/>' if styles else ""
        out.append(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{link}'
                   f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                   f'<w:pPr><w:ind w:left="{indent + 720}" w:hanging="720"/></w:pPr></w:lvl>')
    return "".join(out)


def _add_numbering(doc: object, kind: str) -> int:
    """Numbering definitions for ``kind``; returns the w:numId the paragraphs (or styles) use."""
    from docx.oxml import parse_xml

    numbering = doc.part.numbering_part.element  # type: ignore[attr-defined]
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")

    def add(xml: str, *, abstract: bool) -> None:
        el = parse_xml(xml)
        if abstract and first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)

    if kind == "list-style":
        add(f'<w:abstractNum {_W} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
            f'<w:styleLink w:val="S1SRList"/>{_levels_xml()}</w:abstractNum>', abstract=True)
        add(f'<w:abstractNum {_W} w:abstractNumId="91"><w:multiLevelType w:val="multilevel"/>'
            '<w:numStyleLink w:val="S1SRList"/></w:abstractNum>', abstract=True)
        add(f'<w:num {_W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>', abstract=False)
        add(f'<w:num {_W} w:numId="91"><w:abstractNumId w:val="91"/></w:num>', abstract=False)
        styles = doc.styles.element  # type: ignore[attr-defined]
        styles.append(parse_xml(f'<w:style {_W} w:type="numbering" w:customStyle="1" w:styleId="S1SRList">'
                                '<w:name w:val="S1SR List"/><w:pPr><w:numPr><w:numId w:val="90"/></w:numPr>'
                                "</w:pPr></w:style>"))
        return 91
    add(f'<w:abstractNum {_W} w:abstractNumId="92"><w:multiLevelType w:val="multilevel"/>'
        f'{_levels_xml(_STYLE_IDS)}</w:abstractNum>', abstract=True)
    add(f'<w:num {_W} w:numId="92"><w:abstractNumId w:val="92"/></w:num>', abstract=False)
    return 92


def _add_styles(doc: object, num_id: int, linked: bool) -> None:
    from docx.oxml import parse_xml

    styles = doc.styles.element  # type: ignore[attr-defined]
    for i, (sid, name) in enumerate(zip(_STYLE_IDS, _STYLE_NAMES, strict=True)):
        based = ("Heading1", "Heading2", "Normal", "Normal")[i]
        num = f'<w:numPr><w:ilvl w:val="{i}"/><w:numId w:val="{num_id}"/></w:numPr>' if linked else ""
        outline = f'<w:outlineLvl w:val="{i}"/>' if i < 2 else ""
        styles.append(parse_xml(f'<w:style {_W} w:type="paragraph" w:customStyle="1" w:styleId="{sid}">'
                                f'<w:name w:val="{name}"/><w:basedOn w:val="{based}"/><w:qFormat/>'
                                f"<w:pPr>{num}{outline}</w:pPr></w:style>"))


def _toc(doc: object, first_heading: str, style_id: str, num: str) -> None:
    """A contents field over the section headings, ending in the first heading's paragraph."""
    from docx.oxml import parse_xml

    body = doc.element.body  # type: ignore[attr-defined]
    sect = body[-1]
    paras = [f'<w:p {_W}><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Contents</w:t></w:r></w:p>']
    paras += [f'<w:p {_W}><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:r><w:t xml:space="preserve">{k}\t{t}\t{k + 2}'
              "</w:t></w:r></w:p>" for k, t in enumerate(TOPICS[:3], start=1)]
    paras.append(f'<w:p {_W}><w:pPr><w:pStyle w:val="{style_id}"/>{num}</w:pPr>'
                 '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                 f'<w:r><w:t xml:space="preserve">{first_heading}</w:t></w:r></w:p>')
    for xml in paras:
        sect.addprevious(parse_xml(xml))


def write_docx(paras: Sequence[Para], path: Path, *, numbering: str = "list-style", title_version: str = "11.0"
               ) -> Path:
    import docx
    from docx.oxml import parse_xml

    doc = docx.Document()
    num_id = _add_numbering(doc, numbering)
    linked = numbering == "style-linked"
    _add_styles(doc, num_id, linked)
    doc.add_paragraph("SMETS1 Supporting Requirements", style="Title")
    doc.add_paragraph("SEC Appendix AM")
    doc.add_paragraph(f"Version {title_version}")

    def numpr(level: int) -> str:
        return "" if linked else f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="{num_id}"/></w:numPr>'

    first = paras[0]
    _toc(doc, first.text, _STYLE_IDS[0], numpr(1))
    for p in paras[1:]:
        para = doc.add_paragraph(p.text, style=_STYLE_NAMES[p.level - 1])
        if not linked:
            para._p.get_or_add_pPr().append(parse_xml(numpr(p.level).replace("<w:numPr>", f"<w:numPr {_W}>")))
    doc.core_properties.title = "SMETS1 Supporting Requirements"
    doc.save(str(path))
    return path


# -- the workbook, as a team keeps it ---------------------------------------------------------------
def write_xlsx(base: Content, path: Path, *, layout: str = "two-row", drop: Sequence[str] = (),
               add: dict[tuple[str, int], str] | None = None) -> Path:
    """The DMVESM citing ``base``'s (v11) numbers; ``drop`` removes citations of those numbers,
    ``add`` adds cells (as a team updates the rows it touched)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    cells = {k: v for k, v in base.cells.items() if not any(x.strip() in drop for x in v.split(","))}
    cells.update(add or {})
    srvs = sorted({s for s, _ in cells}, key=lambda s: tuple(int(x) for x in s.split(".")))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DMVESM"
    bold = Font(bold=True)
    first_dev = 4
    if layout == "two-row":
        ws["A1"] = "Annex A: Device Model Variations to Equivalent Steps Matrix (version 11)"
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=first_dev + len(DEVICES) - 1)
        band, head = 2, 3
        for col, text in enumerate(("SRV", "Service Request Name", "Notes"), start=1):
            ws.cell(row=head, column=col, value=text).font = bold
        _types(ws, band, first_dev)
        for k, d in enumerate(DEVICES):
            ws.cell(row=head, column=first_dev + k, value=f"{d[1]} {d[2]}").font = bold
        row = head + 1
    else:
        notes = wb.create_sheet("Notes", 0)
        notes.append(["SRV", "Note"])
        for srv, note in base.notes.items():
            notes.append([srv, note])
        legend = wb.create_sheet("Legend")
        legend.append(["Cell", "Meaning"])
        for a, b in (("18.5p", "the clause describing the variation"), ("-", "no variation: GBCS applies"),
                     ("N/A", "the SRV does not apply to the Device Model")):
            legend.append([a, b])
        _types(ws, 1, first_dev)
        col = first_dev
        while col < first_dev + len(DEVICES):  # manufacturer, merged over its models of one type
            end = col
            while end + 1 < first_dev + len(DEVICES) and DEVICES[end + 1 - first_dev][:2] == DEVICES[col - first_dev][:2]:
                end += 1
            ws.cell(row=2, column=col, value=DEVICES[col - first_dev][1]).font = bold
            if end > col:
                ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=end)
            col = end + 1
        for col, text in enumerate(("SRV", "SRV Name", "Comments"), start=1):
            ws.cell(row=3, column=col, value=text).font = bold
        for k, d in enumerate(DEVICES):
            ws.cell(row=3, column=first_dev + k, value=d[2]).font = bold
        ws.cell(row=4, column=1, value="Firmware")
        ws.cell(row=5, column=1, value="Cohort")
        for k, d in enumerate(DEVICES):
            ws.cell(row=4, column=first_dev + k, value=d[3])
            ws.cell(row=5, column=first_dev + k, value=d[4])
        row = 6
    for srv in srvs:
        ws.cell(row=row, column=1, value=srv)
        ws.cell(row=row, column=2, value=base.srv_names.get(srv, ""))
        if srv in base.notes:
            ws.cell(row=row, column=3, value=base.notes[srv])
        for k in range(len(DEVICES)):
            value = cells.get((srv, k))
            if value:
                ws.cell(row=row, column=first_dev + k, value=value).alignment = Alignment(wrap_text=True)
        row += 1
    wb.save(str(path))
    return path


def _types(ws: object, row: int, first: int) -> None:
    """Device types, each merged over its columns."""
    from openpyxl.styles import Font

    k = 0
    while k < len(DEVICES):
        end = k
        while end + 1 < len(DEVICES) and DEVICES[end + 1][0] == DEVICES[k][0]:
            end += 1
        ws.cell(row=row, column=first + k, value=DEVICES[k][0]).font = Font(bold=True)  # type: ignore[attr-defined]
        if end > k:
            ws.merge_cells(start_row=row, start_column=first + k, end_row=row, end_column=first + end)  # type: ignore[attr-defined]
        k = end + 1


def write_pair(folder: Path, which: str = "v11", *, numbering: str = "list-style", layout: str = "two-row",
               scale: float = 1.0, base: Content | None = None) -> tuple[Path, Path]:
    """One S1SR .docx (version ``which``) and the DMVESM .xlsx the team keeps beside it."""
    base = base or content(scale)
    folder.mkdir(parents=True, exist_ok=True)
    docx_path = write_docx(version(base, which), folder / f"S1SR-{which}-{numbering}.docx", numbering=numbering,
                           title_version="12.0" if which == "v12" else "11.0")
    drop = ("18.5f",) if which == "deleted" else ()
    add = {("6.8", 4): "18.5d"} if which == "inserted" else None
    xlsx_path = write_xlsx(base, folder / f"DMVESM-{which}-{layout}.xlsx", layout=layout, drop=drop, add=add)
    return docx_path, xlsx_path


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m bench.handmade", description="Write hand-made S1SR/DMVESM pairs.")
    p.add_argument("out", help="the folder to write into")
    p.add_argument("--scale", type=float, default=1.0, help="1 ≈ 1,500 numbered paragraphs (default 1)")
    args = p.parse_args(argv)
    base = content(args.scale)
    for which in VERSIONS:
        for numbering, layout in zip(NUMBERINGS, LAYOUTS, strict=True):
            d, x = write_pair(Path(args.out), which, numbering=numbering, layout=layout, base=base)
            print(os.path.relpath(d), os.path.relpath(x))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
