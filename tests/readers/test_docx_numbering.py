"""Word automatic numbering as displayed: one feature per case, checked two ways.

* ``test_labels``: the numbers we compute (Word's semantics) are the ones the case states.
* ``test_labels_match_libreoffice`` (e2e): LibreOffice converts the same .docx to text, and every
  paragraph prints exactly the label we say LibreOffice shows. For two features LibreOffice 7.4
  differs from Word (it ignores ``w:isLgl`` and ``w:lvlRestart``); the cases state both, and the
  reader reports the paragraphs concerned (DOCX206).

LibreOffice's text export prints a list paragraph as indentation, the label, one space and the
text ("    18.5p(i) entries …"); an unnumbered paragraph as its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.readers.docx import read_docx
from generator.readers.docx_numbering import format_counter
from tests.readers.docx_fixtures import abstract, lvl, num, p, start_override, style, write_docx
from tests.support import soffice_convert

S1SR_LEVELS = (
    lvl(0, "decimal", "%1"),
    lvl(1, "decimal", "%1.%2"),
    lvl(2, "lowerLetter", "(%3)"),
    lvl(3, "lowerRoman", "(%4)"),
)


@dataclass(frozen=True)
class Case:
    name: str
    body: str
    numbering: str
    word: tuple[str, ...]  # the label of each paragraph, in order ("" = none)
    styles: str = ""
    libreoffice: tuple[str, ...] = field(default=())  # where LibreOffice 7.4 shows other labels

    @property
    def lo(self) -> tuple[str, ...]:
        return self.libreoffice or self.word


def _fmt(fmt: str, labels: tuple[str, ...], start: int = 1) -> Case:
    n = len(labels)
    return Case(f"numFmt-{fmt}", "".join(p(f"item {k}", 1, 0) for k in range(n)),
                abstract(0, lvl(0, fmt, "%1)", start=start)) + num(1, 0), labels)


CASES = [
    _fmt("decimal", ("1)", "2)", "3)")),
    _fmt("lowerLetter", ("a)", "b)", "c)")),
    _fmt("upperLetter", ("A)", "B)", "C)")),
    _fmt("lowerRoman", ("i)", "ii)", "iii)", "iv)")),
    _fmt("upperRoman", ("I)", "II)", "III)", "IV)")),
    Case("start-values", "".join(p(t, 1, k) for t, k in (("s", 0), ("c", 1), ("c", 1), ("x", 2))),
         abstract(0, lvl(0, "decimal", "%1", start=18), lvl(1, "decimal", "%1.%2", start=5),
                  lvl(2, "lowerLetter", "%1.%2%3", start=16)) + num(1, 0),
         ("18", "18.5", "18.6", "18.6p")),
    Case("letters-past-z", "".join(p(f"x{k}", 1, 0) for k in range(28)),
         abstract(0, lvl(0, "lowerLetter", "(%1)")) + num(1, 0),
         tuple(f"({format_counter(k, 'lowerLetter')})" for k in range(1, 29))),
    Case("lvlText-s1sr-levels",
         p("Profile Data", 1, 0) + p("Capture", 1, 1) + p("Device", 1, 1) + p("a", 1, 2) + p("b", 1, 2)
         + p("item", 1, 3) + p("item", 1, 3) + p("c", 1, 2) + p("Next", 1, 1) + p("a again", 1, 2),
         abstract(0, *S1SR_LEVELS) + num(1, 0),
         ("1", "1.1", "1.2", "(a)", "(b)", "(i)", "(ii)", "(c)", "1.3", "(a)")),
    Case("lvlText-nine-levels", "".join(p(f"level {k}", 1, k) for k in range(9)),
         abstract(0, *(lvl(k, "decimal", ".".join(f"%{j + 1}" for j in range(k + 1))) for k in range(9)))
         + num(1, 0),
         tuple(".".join(["1"] * (k + 1)) for k in range(9))),
    Case("lvlText-full-reference",
         p("s", 1, 0) + p("c", 1, 1) + p("x", 1, 2) + p("i", 1, 3) + p("ii", 1, 3),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2"), lvl(2, "lowerLetter", "%1.%2%3"),
                  lvl(3, "lowerRoman", "%1.%2%3(%4)")) + num(1, 0),
         ("1", "1.1", "1.1a", "1.1a(i)", "1.1a(ii)")),
    Case("lvlRestart-never",
         p("s", 1, 0) + p("c", 1, 1) + p("x", 1, 2) + p("y", 1, 2) + p("c2", 1, 1) + p("z", 1, 2),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2"),
                  lvl(2, "lowerLetter", "%1.%2%3", restart=0)) + num(1, 0),
         ("1", "1.1", "1.1a", "1.1b", "1.2", "1.2c"),
         libreoffice=("1", "1.1", "1.1a", "1.1b", "1.2", "1.2a")),
    Case("lvlRestart-after-level-1",
         p("s", 1, 0) + p("c", 1, 1) + p("x", 1, 2) + p("c2", 1, 1) + p("z", 1, 2) + p("s2", 1, 0) + p("w", 1, 2),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2"),
                  lvl(2, "lowerLetter", "%1.%2%3", restart=1)) + num(1, 0),
         ("1", "1.1", "1.1a", "1.2", "1.2b", "2", "2.1a"),
         libreoffice=("1", "1.1", "1.1a", "1.2", "1.2a", "2", "2.1a")),
    Case("isLgl",
         p("s", 1, 0) + p("x", 1, 1) + p("legal", 1, 2),
         abstract(0, lvl(0, "upperRoman", "%1."), lvl(1, "lowerLetter", "%1.%2"),
                  lvl(2, "decimal", "%1.%2.%3", legal=True)) + num(1, 0),
         ("I.", "I.a", "1.1.1"),
         libreoffice=("I.", "I.a", "I.a.1")),
    Case("num-instances-share-counters",
         p("a", 1, 0) + p("b", 2, 0) + p("c", 1, 0) + p("d", 2, 0),
         abstract(0, *S1SR_LEVELS) + num(1, 0) + num(2, 0),
         ("1", "2", "3", "4")),
    Case("startOverride",
         p("a", 1, 0) + p("b", 1, 0) + p("restart", 2, 0) + p("more", 2, 0) + p("back", 1, 0),
         abstract(0, *S1SR_LEVELS) + num(1, 0) + num(2, 0, start_override(0, 1)),
         ("1", "2", "1", "2", "3")),
    Case("startOverride-value",
         p("a", 1, 0) + p("b", 2, 0) + p("c", 2, 0),
         abstract(0, *S1SR_LEVELS) + num(1, 0) + num(2, 0, start_override(0, 18)),
         ("1", "18", "19")),
    Case("lvlOverride-level",
         p("a", 1, 0) + p("b", 2, 0) + p("c", 2, 0),
         abstract(0, *S1SR_LEVELS) + num(1, 0)
         + num(2, 0, start_override(0, 5, lvl(0, "upperRoman", "%1)", start=5))),
         ("1", "V)", "VI)")),
    Case("style-numbering",
         p("a", style="L1") + p("b", style="L2") + p("c", style="L2") + p("d", style="L1") + p("e", style="L2"),
         abstract(0, *S1SR_LEVELS) + num(1, 0),
         ("1", "1.1", "1.2", "2", "2.1"),
         styles=style("L1", "Level 1", num_id=1) + style("L2", "Level 2", num_id=1, ilvl=1)),
    Case("style-basedOn",
         p("a", style="L1") + p("b", style="L2") + p("c", style="L3") + p("d", style="L3"),
         abstract(0, *S1SR_LEVELS) + num(1, 0),
         ("1", "1.1", "1.2", "1.3"),
         styles=style("L1", "Level 1", num_id=1) + style("L2", "Level 2", ilvl=1, based_on="L1")
         + style("L3", "Level 3", based_on="L2")),
    Case("style-numbering-removed",
         p("a", style="L1") + p("not numbered", num=0, style="L1") + p("b", style="L1"),
         abstract(0, *S1SR_LEVELS) + num(1, 0),
         ("1", "", "2"),
         styles=style("L1", "Level 1", num_id=1)),
    Case("ilvl-set-directly",
         p("a", style="L1") + p("b", ilvl=1, style="L1") + p("x", ilvl=2, style="L1") + p("c", ilvl=1, style="L1"),
         abstract(0, *S1SR_LEVELS) + num(1, 0),
         ("1", "1.1", "(a)", "1.2"),
         styles=style("L1", "Level 1", num_id=1)),
    Case("several-lists",
         p("a", 1, 0) + p("x", 2, 0) + p("b", 1, 0) + p("y", 2, 0) + p("y2", 2, 1) + p("c", 1, 1),
         abstract(0, *S1SR_LEVELS) + abstract(1, lvl(0, "upperLetter", "%1."), lvl(1, "lowerRoman", "%1.%2"))
         + num(1, 0) + num(2, 1),
         ("1", "A.", "2", "B.", "B.i", "2.1")),
    Case("skipped-level",
         p("a", 1, 0) + p("b", 1, 2) + p("c", 1, 1),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2"), lvl(2, "lowerLetter", "%1.%2%3"))
         + num(1, 0),
         ("1", "1.1a", "1.2")),
    Case("unnumbered-between",
         p("a", 1, 0) + p("plain text") + p("b", 1, 0),
         abstract(0, *S1SR_LEVELS) + num(1, 0),
         ("1", "", "2")),
]


def _texts(case: Case) -> list[str]:
    import re

    return re.findall(r"<w:t xml:space=\"preserve\">([^<]*)</w:t>", case.body)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_labels(case: Case, tmp_path: Path) -> None:
    path = write_docx(tmp_path / f"{case.name}.docx", case.body, case.numbering, case.styles)
    doc, diags = read_docx(str(path))
    assert doc is not None, diags
    assert [q.label for q in doc.paragraphs] == list(case.word)
    assert [q.text for q in doc.paragraphs] == _texts(case)
    lo = [q.libreoffice_label or q.label for q in doc.paragraphs]
    assert lo == list(case.lo)


@pytest.mark.e2e
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_labels_match_libreoffice(case: Case, tmp_path: Path) -> None:
    path = write_docx(tmp_path / f"{case.name}.docx", case.body, case.numbering, case.styles)
    out = soffice_convert(path, "txt:Text", tmp_path)
    lines = [ln.strip() for ln in out.read_text(encoding="utf-8-sig").splitlines() if ln.strip()]
    doc, _ = read_docx(str(path))
    assert doc is not None
    ours = [f"{q.libreoffice_label or q.label} {q.text}".strip() for q in doc.paragraphs]
    assert ours == lines


def test_viewer_dependent_numbers_are_reported(tmp_path: Path) -> None:
    from generator.passes.external import check_paragraphs

    case = next(c for c in CASES if c.name == "lvlRestart-never")
    path = write_docx(tmp_path / "restart.docx", case.body, case.numbering, case.styles)
    doc, _ = read_docx(str(path))
    assert doc is not None
    found = [d for d in check_paragraphs(doc) if d.code == "DOCX206"]
    assert len(found) == 1
    assert "1.2c in Word but 1.2a in LibreOffice" in found[0].message


def test_missing_list_definition_is_reported(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "broken.docx", p("a", 1, 0) + p("b", 7, 0), abstract(0, *S1SR_LEVELS) + num(1, 0))
    doc, diags = read_docx(str(path))
    assert doc is not None
    assert [q.label for q in doc.paragraphs] == ["1", ""]
    assert [d.code for d in diags] == ["DOCX207"]
    assert "numbering instance 7" in diags[0].message


def test_bullets_are_not_numbers(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "bullets.docx", p("a", 1, 0) + p("b", 1, 0),
                      abstract(0, lvl(0, "bullet", "\u2022")) + num(1, 0))
    doc, _ = read_docx(str(path))
    assert doc is not None
    assert [q.label for q in doc.paragraphs] == ["", ""]


@pytest.mark.parametrize(("n", "fmt", "want"), [
    (1, "decimal", "1"), (0, "decimal", "0"), (9, "decimalZero", "09"), (26, "lowerLetter", "z"),
    (27, "lowerLetter", "aa"), (53, "upperLetter", "AAA"), (4, "lowerRoman", "iv"), (1994, "upperRoman", "MCMXCIV"),
    (3, "none", ""), (0, "lowerRoman", "0"), (7, "ordinalText", "7"),
])
def test_format_counter(n: int, fmt: str, want: str) -> None:
    assert format_counter(n, fmt) == want
