"""Word automatic numbering as displayed: one feature per case, each built from the spec and
stating what Word shows and why, checked two ways.

* ``test_labels``: the numbers we compute (Word's semantics) are the ones the case states.
* ``test_labels_match_libreoffice`` (e2e): LibreOffice converts the same .docx to text, and every
  paragraph prints exactly the label we say LibreOffice shows. For two features LibreOffice 7.4
  differs from Word (it ignores ``w:isLgl`` and ``w:lvlRestart``); the cases state both, and the
  reader reports the paragraphs concerned (DOCX206). Where LibreOffice shows something else
  altogether (``WORD_ONLY``), Word's documented behaviour is the one tested.

``WORD_RULES`` has one fixture per rule where Word departs from ECMA-376 or ECMA-376 leaves room,
after Microsoft's implementer notes (MS-OI29500), and per number format Word computes.

LibreOffice's text export prints a list paragraph as indentation, the label, one space and the
text ("    18.5p(i) entries …"); an unnumbered paragraph as its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.readers.docx import read_docx
from generator.readers.docx_numbering import format_counter
from tests.readers.docx_fixtures import abstract, list_style, lvl, num, p, start_override, style, write_docx
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
    why: str = ""  # what Word shows and why

    @property
    def lo(self) -> tuple[str, ...]:
        return self.libreoffice or self.word


def _fmt(fmt: str, labels: tuple[str, ...], start: int = 1, why: str = "") -> Case:
    n = len(labels)
    return Case(f"numFmt-{fmt}", "".join(p(f"item {k}", 1, 0) for k in range(n)),
                abstract(0, lvl(0, fmt, "%1)", start=start)) + num(1, 0), labels, why=why)


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

# -- Word's rules where ECMA-376 leaves room (MS-OI29500), one fixture each ---------------------------
def _lvl_nostart(i: int, fmt: str, text: str) -> str:
    return lvl(i, fmt, text, start=None)


WORD_RULES = [
    Case("lvlRestart-any-higher-level",
         p("s", 1, 0) + p("c", 1, 1) + p("x", 1, 2) + p("y", 1, 2) + p("s2", 1, 0) + p("z", 1, 2),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2"),
                  lvl(2, "lowerLetter", "%1.%2%3", restart=2)) + num(1, 0),
         ("1", "1.1", "1.1a", "1.1b", "2", "2.1a"),
         why="level 3 restarts after level 2; MS-OI29500 (§17.9.10 c): Word also restarts it when a higher level "
         "(level 1) is used, where ECMA-376 would continue with 2.1c"),
    Case("lvlRestart-omitted-any-higher-level",
         p("s", 1, 0) + p("x", 1, 2) + p("y", 1, 2) + p("s2", 1, 0) + p("z", 1, 2),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2"), lvl(2, "lowerLetter", "(%3)"))
         + num(1, 0),
         ("1", "(a)", "(b)", "2", "(a)"),
         why="without lvlRestart ECMA-376 restarts a level when the previous level (2) is used, which never "
         "happens here; MS-OI29500 (§17.9.10 d): Word restarts it when any higher level is used, so (a) again"),
    Case("lvlRestart-in-override-ignored",
         p("s", 2, 0) + p("c", 2, 1) + p("x", 2, 2) + p("c2", 2, 1) + p("z", 2, 2),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2"), lvl(2, "lowerLetter", "%1.%2%3"))
         + num(1, 0) + num(2, 0, '<w:lvlOverride w:ilvl="2">'
                                + lvl(2, "lowerLetter", "%1.%2%3", restart=0) + "</w:lvlOverride>"),
         ("1", "1.1", "1.1a", "1.2", "1.2a"),
         why="the w:num overrides level 3 with lvlRestart 0 (never restart); MS-OI29500 (§17.9.10 b): Word "
         "ignores lvlRestart in an override, so the level restarts under 1.2 as the abstract numbering says"),
    Case("start-missing",
         p("s", 1, 0) + p("c", 1, 1) + p("d", 1, 1) + p("s2", 1, 0),
         abstract(0, _lvl_nostart(0, "decimal", "%1."), _lvl_nostart(1, "decimal", "%1.%2")) + num(1, 0),
         ("0.", "0.0", "0.1", "1."),
         why="the levels have no w:start; ECMA-376 §17.9.26: the start value is then 0, and Word counts from 0"),
    Case("ilvl-in-style",
         p("a", style="L1") + p("b", style="L2") + p("c", style="L2") + p("d", style="L1") + p("e", style="L2"),
         abstract(0, *S1SR_LEVELS) + num(1, 0),
         ("1", "1.1", "1.2", "2", "2.1"),
         styles=style("L1", "Level 1", num_id=1) + style("L2", "Level 2", num_id=1, ilvl=1),
         why="the paragraph style 'Level 2' sets ilvl 1 in its numPr; ECMA-376 §17.3.1.19 says to ignore it, "
         "MS-OI29500 says Word does not, so its paragraphs are 1.1, 1.2"),
    Case("num-instances-of-one-abstractNum-continue",
         p("a", 1, 0) + p("b", 1, 1) + p("c", 2, 1) + p("d", 2, 0) + p("e", 1, 1),
         abstract(0, *S1SR_LEVELS) + num(1, 0) + num(2, 0),
         ("1", "1.1", "1.2", "2", "2.1"),
         why="two w:num over one abstractNum without overrides are one list in Word: the counters are shared"),
    Case("list-style",
         p("a", 3, 0) + p("b", 3, 1) + p("c", 3, 1) + p("d", 1, 0) + p("e", 3, 1),
         abstract(0, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2."), extra='<w:styleLink w:val="LegalList"/>')
         + abstract(1, extra='<w:numStyleLink w:val="LegalList"/>') + num(1, 0) + num(3, 1),
         ("1.", "1.1.", "1.2.", "2.", "2.1."),
         styles=list_style("LegalList", "Legal List", 1),
         why="Define New List Style: paragraphs use an abstractNum that only names the list style "
         "(w:numStyleLink); the style's numPr leads to the abstractNum with the levels (w:styleLink), "
         "and every paragraph of the list style counts in one list"),
    Case("list-style-through-paragraph-styles",
         p("Scope", style="Clause1") + p("Terms", style="Clause2") + p("Devices", style="Clause2")
         + p("Behaviour", style="Clause1") + p("Reads", style="Clause2"),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2"), extra='<w:styleLink w:val="S1SRList"/>')
         + abstract(1, extra='<w:numStyleLink w:val="S1SRList"/>') + num(1, 0) + num(2, 1),
         ("1", "1.1", "1.2", "2", "2.1"),
         styles=list_style("S1SRList", "S1SR List", 1) + style("Clause1", "Clause 1", num_id=2)
         + style("Clause2", "Clause 2", num_id=2, ilvl=1),
         why="paragraph styles linked to the levels of a list style: their numPr names a w:num whose "
         "abstractNum links to the list style, so they are numbered by the list style's levels"),
    Case("isLgl-over-decimalZero",
         p("s", 1, 0) + p("a", 1, 1) + p("b", 1, 1),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimalZero", "%1.%2", legal=True)) + num(1, 0),
         ("1", "1.01", "1.02"),
         why="isLgl shows the levels in decimal, but decimalZero already is decimal: Word keeps its leading zero"),
    Case("bullet-level-in-lvlText",
         p("a", 1, 0) + p("b", 1, 1) + p("c", 1, 3) + p("d", 1, 3),
         abstract(0, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2."), lvl(2, "bullet", "-"),
                  lvl(3, "decimal", "%1.%2.%3%4.")) + num(1, 0),
         ("1.", "1.1.", "1.1.1.", "1.1.2."),
         why="level 4's text names level 3 (%3), a bullet level: a bullet has no number, so Word shows nothing "
         "for it"),
    Case("w14-custom-format",
         p("a", 1, 0) + p("b", 1, 0) + p("c", 1, 0),
         abstract(0, lvl(0, "decimal", "%1.", custom="001, 002, 003, ...")) + num(1, 0),
         ("001.", "002.", "003."),
         why="Word 2010's custom format '001, 002, 003, ...' is written in mc:AlternateContent (a w14 numFmt "
         "'custom' with a decimal fallback); Word 2010 and later show the w14 choice"),
    _fmt("ordinal", ("1st)", "2nd)", "3rd)", "4th)", "5th)", "6th)", "7th)", "8th)", "9th)", "10th)", "11th)", "12th)",
                     "13th)", "14th)", "15th)", "16th)", "17th)", "18th)", "19th)", "20th)", "21st)", "22nd)", "23rd)"),
         why="ordinal: the number with its English suffix (11th, 12th, 13th, then 21st)"),
    _fmt("cardinalText", tuple(f"{w})" for w in (
        "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
        "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen", "Twenty", "Twenty-one",
        "Twenty-two")), why="cardinalText: the number in English words, first letter capital"),
    _fmt("ordinalText", tuple(f"{w})" for w in (
        "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh",
        "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth",
        "Twentieth", "Twenty-first", "Twenty-second")),
         why="ordinalText: the ordinal in English words, first letter capital"),
]

# Where Word and LibreOffice 7.4 part: Word's number is the one the check reads.
WORD_ONLY = [
    Case("style-level-link",
         p("a", style="H1") + p("b", style="H2") + p("c", style="H2") + p("d", style="H1"),
         abstract(0, lvl(0, "decimal", "%1", style="H1"), lvl(1, "decimal", "%1.%2", style="H2")) + num(1, 0),
         ("1", "1.1", "1.2", "2"),
         styles=style("H1", "heading 1", num_id=1) + style("H2", "heading 2", num_id=1),
         why="the heading styles name the list but no level; the list's levels name their styles (w:pStyle), "
         "which is how Word links 'heading 2' to level 2 (ECMA-376 §17.9.23; LibreOffice numbers them all at "
         "level 1: 1, 2, 3, 4)"),
    Case("w14-custom-format-two-digits",
         p("s", 1, 0) + p("a", 1, 1) + p("b", 1, 1),
         abstract(0, lvl(0, "decimal", "%1"), lvl(1, "decimal", "%1.%2", custom="01, 02, 03, ...")) + num(1, 0),
         ("1", "1.01", "1.02"),
         why="a custom format '01, 02, 03, ...' on level 2: Word shows two digits (LibreOffice 7.4 shows '1.', "
         "'2.' for the level-2 paragraphs)"),
    Case("lvlText-names-a-lower-level",
         p("a", 1, 0) + p("b", 1, 0),
         abstract(0, lvl(0, "decimal", "%1.%2")) + num(1, 0),
         ("", ""),
         why="level 1's text names level 2 (%2); MS-OI29500 (§17.9.11 c): Word then ignores the whole text and "
         "shows no number (LibreOffice shows '1.%2%')"),
]


def _texts(case: Case) -> list[str]:
    import re

    return re.findall(r"<w:t xml:space=\"preserve\">([^<]*)</w:t>", case.body)


ALL = CASES + WORD_RULES + WORD_ONLY
AGREED = CASES + WORD_RULES


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_labels(case: Case, tmp_path: Path) -> None:
    path = write_docx(tmp_path / f"{case.name}.docx", case.body, case.numbering, case.styles)
    doc, diags = read_docx(str(path))
    assert doc is not None, diags
    assert [q.label for q in doc.paragraphs] == list(case.word)
    assert [q.text for q in doc.paragraphs] == _texts(case)
    lo = [q.libreoffice_label or q.label for q in doc.paragraphs]
    assert lo == list(case.lo)


def test_every_rule_says_what_word_shows_and_why() -> None:
    assert all(c.why for c in WORD_RULES + WORD_ONLY)
    assert len({c.name for c in ALL}) == len(ALL)


@pytest.mark.e2e
@pytest.mark.parametrize("case", AGREED, ids=[c.name for c in AGREED])
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
    (3, "none", ""), (0, "lowerRoman", "0"), (7, "ordinalText", "Seventh"), (0, "decimal", "0"),
    (112, "ordinal", "112th"), (101, "ordinal", "101st"), (40, "cardinalText", "Forty"),
    (99, "ordinalText", "Ninety-ninth"), (12, "ordinalText", "Twelfth"), (5, "bullet", ""),
])
def test_format_counter(n: int, fmt: str, want: str) -> None:
    assert format_counter(n, fmt) == want


def test_custom_formats() -> None:
    assert format_counter(7, "custom", "0001, 0002, 0003, ...") == "0007"
    assert format_counter(7, "custom", "a, b, c, ...") == "7"  # not a format Word's dialog offers: decimal


def test_an_unknown_format_keeps_its_warning(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "chicago.docx", p("a", 1, 0) + p("b", 1, 0),
                      abstract(0, lvl(0, "chicago", "%1")) + num(1, 0))
    doc, diags = read_docx(str(path))
    assert doc is not None
    assert [q.label for q in doc.paragraphs] == ["1", "2"]
    assert [d.code for d in diags] == ["DOCX207"]
    assert "'chicago'" in diags[0].message


def test_an_unknown_custom_format_keeps_its_warning(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "custom.docx", p("a", 1, 0),
                      abstract(0, lvl(0, "decimal", "%1", custom="\u0661, \u0662, \u0663, ...")) + num(1, 0))
    doc, diags = read_docx(str(path))
    assert doc is not None
    assert [d.code for d in diags] == ["DOCX207"]


def test_a_level_text_word_ignores_is_reported(tmp_path: Path) -> None:
    case = next(c for c in WORD_ONLY if c.name == "lvlText-names-a-lower-level")
    path = write_docx(tmp_path / "lower.docx", case.body, case.numbering, case.styles)
    doc, diags = read_docx(str(path))
    assert doc is not None
    assert [d.code for d in diags] == ["DOCX241"]
    assert "shows no number" in diags[0].message


def test_a_level_text_longer_than_word_allows_is_reported(tmp_path: Path) -> None:
    long = "Part %1 of the Supporting Requirements"
    path = write_docx(tmp_path / "long.docx", p("a", 1, 0), abstract(0, lvl(0, "decimal", long)) + num(1, 0))
    doc, diags = read_docx(str(path))
    assert doc is not None
    assert doc.paragraphs[0].label == "Part 1 of the Supporting Requirements"
    assert [d.code for d in diags] == ["DOCX241"]
    assert "31 characters" in diags[0].message


def test_lvlRestart_outside_what_word_allows_is_ignored(tmp_path: Path) -> None:
    # MS-OI29500 §17.9.10 a: Word allows 0-7; -1 would otherwise read as "never restart".
    body = p("s", 1, 0) + p("x", 1, 1) + p("s2", 1, 0) + p("y", 1, 1)
    path = write_docx(tmp_path / "range.docx", body,
                      abstract(0, lvl(0, "decimal", "%1"), lvl(1, "lowerLetter", "(%2)", restart=-1)) + num(1, 0))
    doc, _ = read_docx(str(path))
    assert doc is not None
    assert [q.label for q in doc.paragraphs] == ["1", "(a)", "2", "(a)"]


def test_a_missing_list_style_is_reported(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "nostyle.docx", p("a", 1, 0),
                      abstract(1, extra='<w:numStyleLink w:val="Gone"/>') + num(1, 1))
    doc, diags = read_docx(str(path))
    assert doc is not None
    assert [q.label for q in doc.paragraphs] == [""]
    assert [d.code for d in diags] == ["DOCX207"]
    assert "list style 'Gone'" in diags[0].message
