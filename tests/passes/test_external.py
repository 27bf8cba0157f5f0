"""The external pass on documents as read: placing numbers, numbering anomalies, citations, baselines.

Documents are built as ``WordDocument`` values (what the reader gives), so no file is involved;
``tests/test_cli_check_external.py`` runs the same checks on real .docx/.xlsx files.
"""

from __future__ import annotations

import difflib
import random
from typing import Any

import pytest

from generator.app import api
from generator.diagnostics import Diagnostic, Location, Severity, exit_status
from generator.model import DeviceGroup, DeviceModel, NumberingLevel, NumberingScheme, Project, plain_text, walk
from generator.model.external import Citation, Paragraph, ReadClause, WordDocument, Workbook
from generator.passes.external import (
    DEFAULT_SCHEME,
    DeviceIndex,
    check_citations,
    check_numbering,
    check_pair,
    compare_baseline,
    compare_states,
    infer_scheme,
    list_runs,
    match_texts,
    place_clauses,
    srv_mentions,
)
from generator.passes.external import baseline as baseline_pass
from tests.support import CONTENT


def doc(*paras: tuple[str, str] | tuple[str, str, str], file: str = "S1SR.docx") -> WordDocument:
    """Paragraphs as (label, text) or (label, run-in heading, text)."""
    out = []
    for k, spec in enumerate(paras, start=1):
        if len(spec) == 3:
            label, run_in, text = spec  # type: ignore[misc]
        else:
            (label, text), run_in = spec, ""  # type: ignore[misc]
        out.append(Paragraph(index=k, label=label, run_in=run_in, text=text, heading=1 if label.isdigit() else 0))
    return WordDocument(file=file, paragraphs=tuple(out))


def numbers(d: WordDocument, scheme: NumberingScheme | None = DEFAULT_SCHEME) -> list[str]:
    return [c.number for c in place_clauses(d, scheme).clauses]


def codes(diags: list[Diagnostic]) -> list[str]:
    return sorted(d.code for d in diags)


# -- placing displayed numbers --------------------------------------------------------------------
def test_places_labels_under_their_clause() -> None:
    d = doc(("18", "Profile Data"), ("18.5", "Behaviour", "Where:"), ("(a)", "one"), ("(b)", "two:"),
            ("(i)", "first;"), ("(ii)", "second."), ("(c)", "three"), ("18.6", "next"), ("(a)", "again"))
    placed = place_clauses(d, DEFAULT_SCHEME)
    assert [(c.number, c.level, c.parent) for c in placed.clauses] == [
        ("18", 1, ""), ("18.5", 2, "18"), ("18.5a", 3, "18.5"), ("18.5b", 3, "18.5"), ("18.5b(i)", 4, "18.5b"),
        ("18.5b(ii)", 4, "18.5b"), ("18.5c", 3, "18.5"), ("18.6", 2, "18"), ("18.6a", 3, "18.6")]
    assert placed.clauses[1].heading == "Behaviour"
    assert placed.clauses[4].context == ("Profile Data", "Behaviour", "Where:", "two:")


@pytest.mark.parametrize(("after", "following", "want"), [
    ("(h)", "(j)", "18.5i"),        # the next letter, continued by (j)
    ("(h)", "(ii)", "18.5h(i)"),    # an item of (h), continued by (ii)
    ("(p)", "(q)", "18.5p(i)"),     # (i) cannot follow (p) as a letter
    ("(h)", "18.6", "18.5i"),       # nothing decides: the sibling reading
])
def test_ambiguous_i(after: str, following: str, want: str) -> None:
    letters = "abcdefghijklmnop"
    stop = letters.index(after[1]) + 1
    paras = [("18", "S"), ("18.5", "C"), *[(f"({x})", x) for x in letters[:stop]], ("(i)", "ambiguous"),
             (following, "after")]
    got = numbers(doc(*paras))
    assert got[stop + 2] == want


def test_style_decides_ambiguous_labels() -> None:
    paras = [Paragraph(index=1, label="18.5", text="C", style="Clause")]
    for k, x in enumerate("abcdefgh", start=2):
        paras.append(Paragraph(index=k, label=f"({x})", text=x, style="Sub-clause"))
    paras.append(Paragraph(index=20, label="(i)", text="an item", style="Item"))
    paras.append(Paragraph(index=21, label="(iv)", text="roman", style="Item"))
    paras.append(Paragraph(index=22, label="(i)", text="a letter", style="Sub-clause"))
    paras.insert(0, Paragraph(index=0, label="18", text="S", style="Section", heading=1))
    got = numbers(WordDocument(file="x", paragraphs=tuple(paras)))
    assert got[-3:] == ["18.5h(i)", "18.5h(iv)", "18.5i"]


def test_insertion_numbers_and_full_references() -> None:
    d = doc(("18", "S"), ("18.5", "a"), ("18.5A", "inserted"), ("18.6", "b"), ("(a)", "x"), ("(aa)", "inserted"),
            ("(b)", "y"), ("(i)", "i"), ("(ia)", "inserted"), ("18.6b(ii)", "typed in full"))
    assert numbers(d) == ["18", "18.5", "18.5A", "18.6", "18.6a", "18.6aa", "18.6b", "18.6b(i)", "18.6b(ia)",
                          "18.6b(ii)"]


def test_unplaced_label_is_reported() -> None:
    placed = place_clauses(doc(("(iv)", "an item with no clause above")), DEFAULT_SCHEME)
    assert [d.code for d in placed.diags] == ["DOCX209", "DOCX208"]


def test_unnumbered_paragraphs_continue_the_clause() -> None:
    placed = place_clauses(doc(("18.5", "first"), ("", "second paragraph"), ("18.6", "next")), DEFAULT_SCHEME)
    assert placed.clauses[0].text == "first\nsecond paragraph"


@pytest.mark.parametrize(("labels", "styles"), [
    (["18", "18.5", "(a)", "(i)", "(ii)"], ["decimal", "decimal", "lower-alpha", "lower-roman"]),
    (["18", "18.5"], ["decimal", "decimal", "lower-alpha", "lower-roman"]),
    (["1", "1.1", "1.1.1", "1.1.2"], ["decimal", "decimal", "decimal"]),
    (["1.", "(A)", "(B)", "(1)"], ["decimal", "upper-alpha", "decimal"]),
])
def test_infer_scheme(labels: list[str], styles: list[str]) -> None:
    scheme = infer_scheme(doc(*[(lab, "t") for lab in labels]).paragraphs)
    assert [lv.style for lv in scheme.levels] == styles


def test_srv_mentions() -> None:
    assert srv_mentions("SRV 4.8.1, SRV 4.8.2 or SRV 4.8.3; SRVs 6.12 and 6.13 but not 4.2") == (
        "4.8.1", "4.8.2", "4.8.3", "6.12", "6.13")


# -- numbering anomalies -------------------------------------------------------------------------------
def test_clean_numbering() -> None:
    d = doc(("18", "S"), ("18.1", "a"), ("(a)", "x"), ("(b)", "[Not used]"), ("(c)", "z"), ("18.1A", "ins"),
            ("18.2", "b"), ("(a)", "restarted"))
    assert check_numbering(place_clauses(d, DEFAULT_SCHEME)) == []


@pytest.mark.parametrize(("paras", "code", "words"), [
    ([("18.5", "a"), ("(a)", "x"), ("(a)", "y")], "DOCX211", "18.5a is shown twice"),
    ([("18.5", "a"), ("(a)", "x"), ("(c)", "y")], "DOCX212", "18.5b is missing"),
    ([("18.5", "a"), ("(b)", "x")], "DOCX212", "first sub-clause of 18.5; 18.5a is missing"),
    ([("18.5", "a"), ("(a)", "x"), ("(d)", "y"), ("(c)", "z")], "DOCX215", "18.5c comes after 18.5d"),
    ([("18.5", "a"), ("(a)", "x"), ("(b)", "y"), ("18.6", "b"), ("(c)", "continues")], "DOCX213",
     "it should be 18.6a"),
    ([("18.5", "a"), ("18.7", "b")], "DOCX212", "18.6 is missing"),
])
def test_numbering_anomalies(paras: list[tuple[str, str]], code: str, words: str) -> None:
    paras = [(lab.replace("18.5", "18.1").replace("18.6", "18.2").replace("18.7", "18.3"), t) for lab, t in paras]
    words = words.replace("18.5", "18.1").replace("18.6", "18.2")
    diags = check_numbering(place_clauses(doc(("18", "S"), *paras), DEFAULT_SCHEME))
    assert code in codes(diags), diags
    assert any(words in d.message for d in diags if d.code == code), [d.message for d in diags]


def test_the_18_5_pattern() -> None:
    d = doc(("18", "S"), ("18.5", "C"), ("(o)", "An IOC ESME does not return the current period."),
            ("(p)", "Where the clock was adjusted, the Device returns Profile Data as follows:"),
            ("(q)", "entries before the adjustment keep their timestamps;"),
            ("(r)", "the entry for the adjustment is incomplete; and"),
            ("(s)", "where the clock was set back, an entry is returned once."),
            ("(t)", "A Secure GSME records gas Profile Data in cubic metres."),
            ("(u)", "An L&G FOC GSME returns whole days only."))
    placed = place_clauses(d, DEFAULT_SCHEME)
    runs = list_runs(placed.clauses)
    assert [(r.lead.number, [c.number for c in r.items], [c.number for c in r.later]) for r in runs] == [
        ("18.5p", ["18.5q", "18.5r", "18.5s"], ["18.5t", "18.5u"])]
    (finding,) = [x for x in check_numbering(placed) if x.code == "DOCX214"]
    assert "18.5p introduces a list" in finding.message
    assert "18.5q, 18.5r and 18.5s" in finding.message
    assert "18.5p(i), 18.5p(ii) and 18.5p(iii)" in finding.message
    assert "from 18.5t on is numbered 3 places later" in finding.message


@pytest.mark.parametrize("paras", [
    # the items are where they belong
    [("(p)", "as follows:"), ("(i)", "one;"), ("(ii)", "two."), ("(q)", "next")],
    # a lead-in followed by a table or text of its own
    [("(p)", "as follows:\nthe table below"), ("(q)", "a sentence of its own.")],
    # siblings that do not read as items
    [("(p)", "the following apply:"), ("(q)", "A Secure ESME holds thirteen months.")],
])
def test_no_18_5_pattern(paras: list[tuple[str, str]]) -> None:
    placed = place_clauses(doc(("18", "S"), ("18.5", "C"), *[(f"({x})", x) for x in "abcdefghijklmno"], *paras),
                           DEFAULT_SCHEME)
    assert list_runs(placed.clauses) == []


# -- citations --------------------------------------------------------------------------------------------
DEVICES = (
    DeviceModel(id="secure-g4", manufacturer="Secure", model="Europa G4", device_type="GSME", cohort="MOC"),
    DeviceModel(id="lg-e470", manufacturer="Landis+Gyr", model="E470 5394 (single phase)", device_type="ESME",
                cohort="FOC"),
    DeviceModel(id="itron-ace", manufacturer="Itron", model="ACE9000 SM", device_type="ESME", cohort="IOC"),
)
GROUPS = (DeviceGroup(id="lg-foc-esme", name="L&G FOC ESME", members=("lg-e470",)),)


def test_device_mentions() -> None:
    idx = DeviceIndex(devices=DEVICES, groups=GROUPS)
    assert idx.mentions("An L&G FOC ESME returns ten days") == ("lg-e470",)
    assert idx.mentions("An Itron ESME or an L&G E470 5394") == ("lg-e470", "itron-ace")
    assert idx.mentions("A Secure GSME wakes") == ("secure-g4",)
    assert idx.mentions("Every SMETS1 Device") == ("secure-g4", "lg-e470", "itron-ace")
    assert idx.mentions("an ESME") == ("lg-e470", "itron-ace")
    assert idx.mentions("the ACE9000 meter") == ("itron-ace",)
    assert idx.find("Itron", "ACE9000 SM", "ESME") == "itron-ace"


def test_find_honours_the_manufacturer() -> None:
    devices = (DeviceModel(id="secure-x", manufacturer="Secure", model="Atlas 1", device_type="ESME", cohort="MOC"),
               DeviceModel(id="edmi-x", manufacturer="EDMI", model="Atlas 1", device_type="ESME", cohort="IOC"),
               DeviceModel(id="lg-e470", manufacturer="Landis+Gyr", model="E470 5394", device_type="ESME",
                           cohort="FOC"))
    idx = DeviceIndex(devices=devices)
    assert idx.find("EDMI", "Atlas 1", "ESME") == "edmi-x"
    assert idx.find("Secure", "Atlas 1", "") == "secure-x"
    assert idx.find("Aclara", "Atlas 1", "ESME") == ""
    assert idx.find("", "Atlas 1", "ESME") == ""  # two Device Models fit and the header does not say which
    assert idx.find("L&G", "E470 5394", "ESME") == "lg-e470"  # another name of the manufacturer
    assert idx.find("Landis+Gyr FOC", "E470 5394", "ESME") == "lg-e470"
    assert idx.find("", "EDMI Atlas 1", "ESME") == "edmi-x"  # the manufacturer written in the model's cell


def _book(*cites: tuple[str, str, str, tuple[str, ...]]) -> Workbook:
    return Workbook(file="DMVESM.xlsx", citations=tuple(
        Citation(srv=s, device=d, device_label=d, numbers=n, sheet="DMVESM", cell=cell) for s, d, cell, n in cites))


PROFILE = doc(("18", "Profile Data"), ("18.5", "Device behaviour", "For SRV 4.8.1 the Devices behave as below:"),
              ("(a)", "A Secure GSME records gas in cubic metres."),
              ("(b)", "An Itron ESME timestamps in local time."),
              ("(c)", "Returned values are rounded."),
              ("19", "CHF"), ("19.1", "Only SRV 8.1.1 applies to a CHF."))


def test_cited_number_missing() -> None:
    placed = place_clauses(PROFILE, DEFAULT_SCHEME)
    diags = check_citations(placed, _book(("4.8.1", "secure-g4", "F12", ("18.5d",))), DeviceIndex(devices=DEVICES))
    assert codes(diags) == ["EXT101"]
    assert "DMVESM!F12" in diags[0].message and "cites 18.5d" in diags[0].message
    assert diags[0].help == "18.5 has 18.5a to 18.5c; correct the reference or add the clause"
    assert str(diags[0].location) == "DMVESM.xlsx: DMVESM!F12"


def test_cited_clause_topics() -> None:
    placed = place_clauses(PROFILE, DEFAULT_SCHEME)
    idx = DeviceIndex(devices=DEVICES)
    book = _book(("4.8.1", "secure-g4", "F12", ("18.5a",)),    # right
                 ("4.8.1", "secure-g4", "G12", ("18.5b",)),    # about an Itron ESME
                 ("4.8.1", "lg-e470", "H12", ("18.5c",)),      # general, under SRV 4.8.1: fine
                 ("6.12", "lg-e470", "H40", ("19.1",)))        # about SRV 8.1.1 and CHFs
    diags = check_citations(placed, book, idx)
    assert [(d.code, d.location.cell) for d in diags] == [("EXT102", "G12"), ("EXT102", "H40")]
    assert "concerns Itron ACE9000 SM, not secure-g4" in diags[0].message
    assert "concerns SRV 8.1.1" in diags[1].message
    assert exit_status(diags) == 0  # evidence, not proof: warnings


def test_unrelated_citations_are_grouped_per_row() -> None:
    d = doc(("3", "General"), ("3.1", "The S1SP keeps records."))
    book = _book(*[("5.1", dev.id, f"{col}7", ("3.1",)) for col, dev in zip("FGH", DEVICES, strict=True)])
    diags = check_citations(place_clauses(d, DEFAULT_SCHEME), book, DeviceIndex(devices=DEVICES))
    assert [x.code for x in diags] == ["EXT103"]
    assert "DMVESM!F7, DMVESM!G7, DMVESM!H7 (SRV 5.1; 3 Device Models) cite 3.1" in diags[0].message
    assert len(diags[0].related) == 3


# -- against a baseline -----------------------------------------------------------------------------------
def test_match_texts_tolerates_small_edits_and_moves() -> None:
    old = place_clauses(doc(("1", "S"), ("1.1", "The S1SP shall return the entries oldest first in every Response."),
                            ("1.2", "A Secure GSME records gas Profile Data in cubic metres."),
                            ("1.3", "[Not used]")), DEFAULT_SCHEME).clauses
    new = place_clauses(doc(("1", "S"), ("1.1", "An inserted clause about something else entirely."),
                            ("1.2", "The S1SP must return the entries oldest first in every Response."),
                            ("1.3", "A Secure GSME records gas Profile Data in cubic metres."),
                            ("1.4", "[Not used]")), DEFAULT_SCHEME).clauses
    m = match_texts(old, new)
    assert {old[i].number: new[j].number for i, j in m.items()} == {"1": "1", "1.1": "1.2", "1.2": "1.3"}


def test_match_texts_is_not_all_pairs() -> None:
    rng = random.Random(5)
    vocab = [f"w{k}" for k in range(3000)]

    def clauses(n: int, shift: int) -> tuple[ReadClause, ...]:
        texts = [" ".join(rng.choice(vocab) for _ in range(25)) for _ in range(n)]
        return tuple(ReadClause(number=f"1.{k + shift}", label="", level=2, ordinal=(k, 0), parent="1", text=t)
                     for k, t in enumerate(texts))

    rng.seed(1)
    old = clauses(6000, 0)
    rng.seed(1)
    new = clauses(6000, 1)
    edited = tuple(c if k % 7 else ReadClause(number=c.number, label="", level=2, ordinal=c.ordinal, parent="1",
                                              text=c.text + " amended") for k, c in enumerate(new))
    scored: list[int] = []
    matcher = difflib.SequenceMatcher

    def counted(*args: Any, **kwargs: Any) -> difflib.SequenceMatcher[str]:
        scored.append(1)
        return matcher(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(baseline_pass.difflib, "SequenceMatcher", counted)
        m = match_texts(old, edited)
    assert len(m) == 6000 and all(i == j for i, j in m.items())
    # Never every pair (36 million): at most five scored candidates for each edited clause.
    assert 0 < len(scored) <= 5 * sum(1 for k in range(6000) if k % 7 == 0)


def test_cells_that_now_point_elsewhere() -> None:
    old_doc = doc(("18", "S"), ("18.5", "C"), ("(p)", "Lead in as follows:"), ("(i)", "item one;"),
                  ("(ii)", "item two."), ("(q)", "A Secure GSME records gas in cubic metres."),
                  ("(r)", "A deleted clause about tariffs."))
    new_doc = doc(("18", "S"), ("18.5", "C"), ("(p)", "Lead in as follows:"), ("(q)", "item one;"),
                  ("(r)", "item two."), ("(s)", "A Secure GSME records gas in cubic metres."))
    old, new = place_clauses(old_doc, DEFAULT_SCHEME), place_clauses(new_doc, DEFAULT_SCHEME)
    book = _book(("4.8.1", "secure-g4", "L29", ("18.5q",)), ("4.8.2", "secure-g4", "L30", ("18.5r",)),
                 ("4.8.3", "secure-g4", "L31", ("18.5p",)))
    diags = compare_baseline(old, new, book, book)
    moved = sorted(d.message for d in diags if d.code == "EXT201")
    assert len(moved) == 3 and any("18.5q in the baseline" in m and "is now 18.5s" in m for m in moved)
    cells = {d.location.cell: d for d in diags if d.code in ("EXT202", "EXT203")}
    assert cells["L29"].code == "EXT202"
    assert "cites 18.5q, which in the baseline read 'A Secure GSME" in cells["L29"].message
    assert "that text is now 18.5s; 18.5q now reads 'item one;'" in cells["L29"].message
    assert cells["L30"].code == "EXT203"
    assert "L31" not in cells


def test_cells_that_changed_state() -> None:
    old = Workbook(file="old.xlsx", citations=(
        Citation(srv="6.8", device="x", device_label="X", numbers=("18.5q",), sheet="DMVESM", cell="F9"),),
        not_applicable=(Citation(srv="4.8.1", device="x", device_label="X", numbers=(), sheet="DMVESM", cell="F3"),))
    new = Workbook(file="new.xlsx", citations=(
        Citation(srv="4.8.1", device="x", device_label="X", numbers=("18.5p",), sheet="DMVESM", cell="F3"),),
        not_applicable=(Citation(srv="6.8", device="x", device_label="X", numbers=(), sheet="DMVESM", cell="F9"),))
    diags = compare_states(old, new)
    assert [(d.code, d.location.cell) for d in diags] == [("EXT210", "F3"), ("EXT210", "F9")]
    assert "said 'not applicable' in the baseline and now cites clauses: DMVESM!F3 (X): 18.5p" in diags[0].message
    assert "now says 'not applicable' (cited before: DMVESM!F9 (X): 18.5q)" in diags[1].message


# -- the example, as the reader would see its documents ------------------------------------------------
def as_read(project: Project, name: str) -> tuple[WordDocument, Workbook]:
    """The paragraphs and cells our writers print for ``project`` (literal labels, run-in headings)."""
    numbers = {c.id: c.number for c in walk(project.document.sections)}
    paras = []
    for c in walk(project.document.sections):
        text = "[Not used]" if c.not_used else plain_text(c.text, numbers)
        section = c.level == 1
        paras.append(Paragraph(index=len(paras) + 1, label=c.label, run_in="" if section else c.heading,
                               text=c.heading if section else text, heading=1 if section else 0))
        if section and text:
            paras.append(Paragraph(index=len(paras) + 1, label="", text=text))
    devices = {d.id: d for d in project.devices}
    cites = tuple(Citation(srv=m.srv, device=m.device, device_label=devices[m.device].model,
                           numbers=tuple(numbers[i] for i in m.clauses), sheet="DMVESM", cell=f"C{k + 3}")
                  for k, m in enumerate(project.matrix))
    return WordDocument(file=f"S1SR-{name}.docx", paragraphs=tuple(paras)), \
        Workbook(file=f"DMVESM-{name}.xlsx", citations=cites)


@pytest.fixture(scope="module")
def example() -> dict[str, Project]:
    root = str(CONTENT)
    return {"draft": api.load_clean(root).project, "v11": api.load_release(root, "v11"),
            "v12": api.load_release(root, "v12")}


@pytest.mark.parametrize("name", ["draft", "v11"])
def test_example_pairs_are_aligned(example: dict[str, Project], name: str) -> None:
    project = example[name]
    d, b = as_read(project, name)
    placed = place_clauses(d, project.document.scheme)
    assert [c.number for c in placed.clauses] == [c.number for c in walk(project.document.sections)]
    idx = DeviceIndex(devices=project.devices, groups=project.groups)
    assert [x for x in check_pair(d, b, devices=idx) if x.severity.value != "info"] == []


def test_example_v12_against_v11(example: dict[str, Project]) -> None:
    v11, v12 = example["v11"], example["v12"]
    d12, b12 = as_read(v12, "v12")
    d11, b11 = as_read(v11, "v11")
    idx = DeviceIndex(devices=v12.devices, groups=v12.groups)
    diags = check_pair(d12, b12, devices=idx, baseline_doc=d11, baseline_book=b11)
    assert exit_status(diags) == 1
    # The root cause leads, alone: the 18.5 pattern explains every other finding.
    (lead,) = diags
    assert lead.code == "DOCX214" and "It explains 6 clauses whose text moved and 6 DMVESM cells" in lead.message

    def symptoms(code: str) -> list[Location]:
        return [r for r in lead.related if r.note.startswith(code + " ")]

    moved = {r.clause_number for r in symptoms("EXT201")}
    assert moved == {"18.5q", "18.5r", "18.5s", "18.5t", "18.5u", "18.5v"}
    # every cell citing 18.5q-s (v11's numbers, which v12 moved) is named, with the number it cites
    want = {m.cell for m in b12.citations if set(m.numbers) & {"18.5q", "18.5r", "18.5s"}}
    assert {r.cell for r in symptoms("EXT202")} == want and len(want) == 6
    assert {r.clause_number for r in symptoms("EXT202")} == {"18.5q", "18.5r", "18.5s"}
    assert all("which in the baseline read" in r.note for r in symptoms("EXT202"))


def test_a_clause_numbered_in_sequence_leads_the_findings_it_causes() -> None:
    """A new clause typed as 18.5k (not 18.5ja) moves 18.5k onwards: EXT110 leads, with each moved
    clause and each DMVESM cell still citing the baseline's numbers under it."""
    base = doc(("18", "Profile"), ("18.5", "Device behaviour"), ("(j)", "An Itron ESME holds ninety days."),
               ("(k)", "An EDMI ESME records fifteen-minute entries."), ("(l)", "An EDMI ESME returns no export."),
               ("(m)", "An Aclara ESME records no entries in an outage."))
    new = doc(("18", "Profile"), ("18.5", "Device behaviour"), ("(j)", "An Itron ESME holds ninety days."),
              ("(k)", "An EDMI ESME rounds entries to the watt-hour."),
              ("(l)", "An EDMI ESME records fifteen-minute entries."), ("(m)", "An EDMI ESME returns no export."),
              ("(n)", "An Aclara ESME records no entries in an outage."))
    book = Workbook(file="m.xlsx", citations=(
        Citation(srv="4.8.1", device="", device_label="EDMI Atlas", numbers=("18.5k",), sheet="DMVESM", cell="J29"),
        Citation(srv="4.8.1", device="", device_label="Aclara", numbers=("18.5m",), sheet="DMVESM", cell="K29")))
    diags = check_pair(new, book, baseline_doc=base, baseline_book=book)
    (lead,) = [d for d in diags if d.code == "EXT110"]
    assert lead.location.clause_number == "18.5k" and "numbered in sequence" in lead.message
    assert "18.5k to 18.5m of the baseline are now 18.5l to 18.5n" in lead.message
    assert "18.5ja" in lead.help
    noted = {(r.note.split()[0], r.clause_number, r.cell) for r in lead.related if r.note}
    assert {("EXT201", n, "") for n in ("18.5l", "18.5m", "18.5n")} <= noted
    assert {("EXT202", "18.5k", "J29"), ("EXT202", "18.5m", "K29")} <= noted
    assert not [d for d in diags if d.code in ("EXT201", "EXT202")]  # all under their cause
    assert lead.severity is Severity.ERROR


def test_scheme_from_the_content_folder_is_used(example: dict[str, Project]) -> None:
    custom = NumberingScheme(levels=(NumberingLevel(name="s", style="decimal", ref="{n}"),
                                     NumberingLevel(name="c", style="decimal", ref="{parent}.{n}")))
    d = doc(("1", "S"), ("1.1", "x"), ("(a)", "not a level here"))
    placed = place_clauses(d, custom)
    assert [c.number for c in placed.clauses] == ["1", "1.1"]
    assert [x.code for x in placed.diags] == ["DOCX209"]
