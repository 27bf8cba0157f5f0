"""The S1SR redline: real Word tracked changes. Accepting every change must give the amended
document and rejecting every change the baseline. The oracle is independent of our writers: an
XML transform written from the OOXML rules for w:ins/w:del (what Word's Accept All / Reject All
do), and LibreOffice's own Accept All / Reject All through UNO, each compared with the text of
the model (clause labels, headings, text, tables), never with another of our documents."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.app import api
from generator.model import Project, Table, walk
from generator.model.diff import Changes
from generator.ooxml.bookmarks import BookmarkNames
from generator.passes.diff import diff_projects
from generator.passes.matrix import build_matrix
from generator.passes.numbering import number_project
from generator.writers import WRITERS, get_writer
from generator.writers.docx import write_docx
from generator.writers.options import WriterOptions
from generator.writers.redline_docx import redline_name, write_redline_docx
from tests.diff_cases import c, edited, levels, tree
from tests.factories import project
from tests.support import REPO, require, require_module, require_uno, soffice_convert
from tests.writers.tracked_changes import W, body_of, clause_paragraphs, model_paragraphs, resolve

UNO_SCRIPT = Path(__file__).with_name("uno_tracked_changes.py")


# -- fixtures and helpers -----------------------------------------------------------------
def _compare(old: Project, new: Project, old_label: str = "v1") -> tuple[Changes, WriterOptions]:
    changes = diff_projects(old, new, from_label=old_label, to_label="draft")[0]
    opts = WriterOptions(date="2025-04-30", author="S1SR Drafting Team",
                         baseline=old, changes=changes)
    return changes, opts


@pytest.fixture(scope="module")
def draft() -> Project:
    p, diags = api.load(str(REPO / "content"))
    assert p is not None, diags
    return p


@pytest.fixture(scope="module")
def example(draft: Project) -> tuple[Project, Project, WriterOptions, bytes]:
    """(v12, the draft, options, the redline .docx)."""
    v12 = api.release_project(draft, "v12")
    changes, opts = _compare(v12, draft, "v12")
    opts = replace(opts, author=draft.changes.author if draft.changes else "")
    files = write_redline_docx(draft, opts)
    assert list(files) == [redline_name(draft, changes)]
    return v12, draft, opts, files[redline_name(draft, changes)]


def _assert_round_trip(old: Project, new: Project, redline: bytes) -> None:
    body = body_of(redline)
    assert clause_paragraphs(resolve(body, accept=True)) == model_paragraphs(new)
    assert clause_paragraphs(resolve(body, accept=False)) == model_paragraphs(old)


def _paragraph_of(body: etree._Element, project: Project, clause_id: str) -> etree._Element:
    names = BookmarkNames()
    by_id = {x.id: names[x.id] for x in _walk(project)}
    for p in body.iter(f"{W}p"):
        start = p.find(f"{W}bookmarkStart")
        if start is not None and start.get(f"{W}name") == by_id[clause_id]:
            return p
    raise AssertionError(f"no paragraph for {clause_id}")


def _walk(p: Project) -> list:

    return list(walk(p.document.sections))


# -- the example: v12 → draft ---------------------------------------------------------------
def test_registered() -> None:
    assert WRITERS["redline-docx"] == "generator.writers.redline_docx:write_redline_docx"
    assert get_writer("redline-docx") is write_redline_docx


def test_no_redline_without_a_baseline(draft: Project) -> None:
    assert write_redline_docx(draft, WriterOptions()) == {}


def test_accept_all_gives_the_draft_and_reject_all_gives_v12(example: tuple) -> None:
    v12, draft, _, data = example
    _assert_round_trip(v12, draft, data)


@pytest.mark.parametrize(("old", "new"), [("v11", "v12"), ("v11", "draft")])
def test_other_pairs_round_trip(draft: Project, old: str, new: str) -> None:
    a = api.release_project(draft, old)
    b = draft if new == "draft" else api.release_project(draft, new)
    _, opts = _compare(a, b, old)
    (data,) = write_redline_docx(b, opts).values()
    _assert_round_trip(a, b, data)


def test_declared_renumbering_shows_the_old_and_new_number(example: tuple) -> None:
    v12, draft, _, data = example
    p = _paragraph_of(body_of(data), draft, "pd-clock-before")
    deleted = "".join(t.text for t in p.iter(f"{W}delText"))
    inserted = "".join(t.text for ins in p.iter(f"{W}ins") for t in ins.iter(f"{W}t"))
    was = next(x for x in _walk(v12) if x.id == "pd-clock-before")
    now = next(x for x in _walk(draft) if x.id == "pd-clock-before")
    assert (was.number, now.number) == ("18.5q", "18.5p(i)")
    assert was.label in deleted and now.label in inserted  # the printed labels, (q) → (i)
    assert p.find(f"{W}pPr/{W}pPrChange") is not None, "the level (paragraph style) change is tracked too"


def test_a_new_clause_is_an_inserted_paragraph(example: tuple) -> None:
    _, draft, _, data = example
    p = _paragraph_of(body_of(data), draft, "tariff-honeywell-activation")
    assert p.find(f"{W}pPr/{W}rPr/{W}ins") is not None
    runs = list(p.iter(f"{W}r"))
    assert runs and all(r.getparent().tag == f"{W}ins" for r in runs)
    assert "6.3A" in "".join(t.text for t in p.iter(f"{W}t"))


def test_author_and_date_come_from_the_change_set(example: tuple) -> None:
    _, draft, _, data = example
    marks = [el for el in body_of(data).iter(f"{W}ins", f"{W}del", f"{W}pPrChange")]
    assert marks
    assert {m.get(f"{W}author") for m in marks} == {draft.changes.author}
    assert {m.get(f"{W}date") for m in marks} == {f"{draft.changes.date}T00:00:00Z"}
    ids = [m.get(f"{W}id") for m in marks]
    bookmark_ids = {b.get(f"{W}id") for b in body_of(data).iter(f"{W}bookmarkStart")}
    assert len(ids) == len(set(ids)) and not set(ids) & bookmark_ids


def test_the_same_input_gives_the_same_bytes(example: tuple) -> None:
    _, draft, opts, data = example
    assert write_redline_docx(draft, opts) == {redline_name(draft, opts.changes): data}


def test_openxml_audit_finds_nothing(example: tuple, tmp_path: Path) -> None:
    validator = require_module("openxml_audit", "openxml-audit")
    old, new = _moved_pair()
    _, opts = _compare(old, new)
    (moved,) = write_redline_docx(new, opts).values()
    for name, data in (("redline.docx", example[3]), ("moved.docx", moved)):
        path = tmp_path / name
        path.write_bytes(data)
        assert [e.description for e in validator.OpenXmlValidator(max_errors=0).validate(path).errors] == [], name


# -- synthetic versions: drops, moves, headings, tables -----------------------------------
def _numbered(*sections) -> Project:
    p, diags = number_project(project(*sections))
    assert not [d for d in diags if d.severity == "error"]
    return build_matrix(p)


def test_dropped_moved_retitled_and_tabled_clauses_round_trip() -> None:
    t1 = Table(header=("Channel", "Unit"), rows=(("1", "Wh"), ("2", "varh"), ("3", "Wh")))
    t2 = Table(header=("Channel", "Unit"), rows=(("1", "Wh"), ("2", "kvarh")))
    old = _numbered(c("s", c("a", heading="Old heading"), c("b", c("b1"), c("b2")), c("t", table=t1),
                      c("gone"), text="Section text"),
                    c("u", c("x"), c("y")))
    new = _numbered(c("s", c("a", heading="New heading"), c("b", c("b2"), c("b1", text="text of b1 amended")),
                      c("t", table=t2, text="text of t, now with **terms**"), c("added", table=t1),
                      text="Section text, amended"),
                    c("u", c("y"), c("x", not_used=True)))
    _, opts = _compare(old, new)
    (data,) = write_redline_docx(new, opts).values()
    _assert_round_trip(old, new, data)
    body = body_of(data)
    assert any(tr.find(f"{W}trPr/{W}del") is not None for tr in body.iter(f"{W}tr"))
    assert any(tr.find(f"{W}trPr/{W}ins") is not None for tr in body.iter(f"{W}tr"))
    deleted = "".join(t.text for t in body.iter(f"{W}delText"))
    assert "text of gone" in deleted and "Old" in deleted


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_edits_round_trip(data: st.DataObject) -> None:
    a_sections = levels(data.draw(tree()))
    old = _numbered(*a_sections)
    new = _numbered(*levels(data.draw(edited(a_sections))))
    _, opts = _compare(old, new)
    files = write_redline_docx(new, opts)
    _assert_round_trip(old, new, next(iter(files.values())))


# -- LibreOffice ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def redline_file(example: tuple, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("redline") / "redline.docx"
    path.write_bytes(example[3])
    return path


@pytest.mark.e2e
def test_libreoffice_sees_tracked_changes(redline_file: Path, tmp_path: Path) -> None:
    odt = soffice_convert(redline_file, "odt", tmp_path)
    with zipfile.ZipFile(odt) as z:
        content = z.read("content.xml").decode("utf-8")
    assert "<text:tracked-changes" in content
    assert content.count("<text:insertion>") > 10 and content.count("<text:deletion>") > 5
    assert "S1SR Drafting Team" in content


def _uno(src: Path, action: str, dst: Path) -> str:
    """Open ``src`` in LibreOffice, dispatch Accept/Reject All Tracked Changes, save as text."""
    soffice = require("soffice")
    python = require_uno()
    pipe = f"s1sr-{uuid.uuid4().hex}"
    profile = Path("/tmp") / f"lo-profile-{uuid.uuid4().hex}"
    office = subprocess.Popen([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
                               "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        proc = subprocess.run([python, str(UNO_SCRIPT), pipe, action, str(src), str(dst)],
                              capture_output=True, text=True, timeout=240, check=False, env=env)
        assert proc.returncode == 0, proc.stderr
    finally:
        office.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
        subprocess.run(["rm", "-rf", str(profile)], check=False)
    return dst.read_text(encoding="utf-8-sig")


def _after_contents(text: str, first_heading: str) -> list[str]:
    """The non-empty lines from the first clause on: the title page and the contents (a field,
    listing the same first heading) come before it and are not tracked."""
    lines = [x.rstrip() for x in text.splitlines()]
    start = [i for i, x in enumerate(lines) if x == first_heading]
    assert len(start) == 2, f"{first_heading!r} should be in the contents and in the body"
    return [x for x in lines[start[1]:] if x]


def model_lines(project: Project) -> list[str]:
    """The model's paragraphs as the non-empty lines of a plain-text export."""
    return [line.rstrip() for _, text in model_paragraphs(project) for line in text.split("\n") if line.strip()]


@pytest.mark.e2e
@pytest.mark.skipif(sys.platform != "linux", reason="UNO via the system python3")
def test_libreoffice_accept_all_and_reject_all(example: tuple, redline_file: Path, tmp_path: Path) -> None:
    """LibreOffice's own Accept All gives the draft's text and its Reject All v12's, as the model has them."""
    v12, draft, _, _ = example
    first = f"{draft.document.sections[0].label}\t{draft.document.sections[0].heading}"
    accepted = _uno(redline_file, "Accept", tmp_path / "accepted.txt")
    rejected = _uno(redline_file, "Reject", tmp_path / "rejected.txt")
    assert _after_contents(accepted, first) == model_lines(draft)
    assert _after_contents(rejected, first) == model_lines(v12)
    assert accepted != rejected


# -- moves --------------------------------------------------------------------------------
def _moved_pair() -> tuple[Project, Project]:
    """Clause b (with its child b1) moves from section s to section u and gains words; clause
    c stays where it was."""
    old = _numbered(c("s", c("a"), c("b", c("b1"), text="the Device shall send an Alert"), c("c")),
                    c("u", c("x")))
    new = _numbered(c("s", c("a"), c("c")),
                    c("u", c("x"), c("b", c("b1"), text="the Device shall always send an Alert")))
    return old, new


def _range_pairs(body: etree._Element, kind: str) -> dict[str, tuple[etree._Element, etree._Element]]:
    """Move name → (range start, range end) for ``kind`` (moveFrom or moveTo); checks that each
    start has exactly one end with its id, after it."""
    out = {}
    order = list(body.iter())
    for start in body.iter(f"{W}{kind}RangeStart"):
        ends = [e for e in body.iter(f"{W}{kind}RangeEnd") if e.get(f"{W}id") == start.get(f"{W}id")]
        assert len(ends) == 1 and order.index(ends[0]) > order.index(start)
        out[start.get(f"{W}name")] = (start, ends[0])
    return out


def _between(body: etree._Element, start: etree._Element, end: etree._Element) -> list[etree._Element]:
    order = list(body.iter())
    return order[order.index(start) + 1:order.index(end)]


def test_a_moved_clause_is_a_word_move_not_a_deletion_and_an_insertion() -> None:
    old, new = _moved_pair()
    _, opts = _compare(old, new)
    (data,) = write_redline_docx(new, opts).values()
    _assert_round_trip(old, new, data)
    body = body_of(data)
    sources, dests = _range_pairs(body, "moveFrom"), _range_pairs(body, "moveTo")
    assert list(sources) == list(dests) == ["move1"], "b and its child b1 moved together: one named move"
    src = _between(body, *sources["move1"])
    dst = _between(body, *dests["move1"])
    moved_from = "".join(t.text for el in src if el.tag == f"{W}moveFrom" for t in el.iter(f"{W}t"))
    moved_to = "".join(t.text for el in dst if el.tag == f"{W}moveTo" for t in el.iter(f"{W}t"))
    inserted = "".join(t.text for el in dst if el.tag == f"{W}ins" for t in el.iter(f"{W}t"))
    assert "the Device shall send an Alert" in moved_from and "text of b1" in moved_from
    assert "the Device shall " in moved_to and " send an Alert" in moved_to and "text of b1" in moved_to
    assert "always " in inserted, "words the moved clause gained are insertions inside the move"
    was = {x.id: x.label for x in _walk(old)}
    now = {x.id: x.label for x in _walk(new)}
    assert was["b"] in moved_from and now["b"] in inserted and was["b"] != now["b"], "the number changed too"
    # Moved text is not deleted text: neither side has a w:del or w:delText for it.
    assert not [el for el in (*src, *dst) if el.tag in (f"{W}del", f"{W}delText")]
    paras = [el for el in src if el.tag == f"{W}p"] + [sources["move1"][0].getparent()]
    assert all(p.find(f"{W}pPr/{W}rPr/{W}moveFrom") is not None for p in paras), "the source's marks moved"
    dest_p = dests["move1"][0].getparent()
    assert dest_p.find(f"{W}pPr/{W}rPr/{W}moveTo") is not None
    assert dest_p.find(f"{W}bookmarkStart") is not None, "cross-references still reach the clause where it is"
    assert not [b for el in src for b in el.iter(f"{W}bookmarkStart")], "the source has no duplicate bookmark"
    marks = list(body.iter(f"{W}moveFrom", f"{W}moveTo", f"{W}moveFromRangeStart", f"{W}moveToRangeStart",
                           f"{W}ins", f"{W}del"))
    ids = [m.get(f"{W}id") for m in marks]
    assert len(ids) == len(set(ids)), "every revision and range has an id of its own"
    assert {m.get(f"{W}author") for m in marks} == {"S1SR Drafting Team"}


def test_separate_moves_get_separate_names() -> None:
    old = _numbered(c("s", c("a"), c("b"), c("c"), c("d")), c("u", c("x")))
    new = _numbered(c("s", c("b"), c("d")), c("u", c("c"), c("x"), c("a")))
    _, opts = _compare(old, new)
    (data,) = write_redline_docx(new, opts).values()
    _assert_round_trip(old, new, data)
    body = body_of(data)
    sources, dests = _range_pairs(body, "moveFrom"), _range_pairs(body, "moveTo")
    assert len(sources) >= 2 and set(sources) == set(dests)


def test_a_moved_table_has_its_rows_deleted_and_inserted() -> None:
    t = Table(header=("Channel", "Unit"), rows=(("1", "Wh"),))
    old = _numbered(c("s", c("a", table=t), c("b")), c("u", c("x")))
    new = _numbered(c("s", c("b")), c("u", c("x"), c("a", table=t)))
    _, opts = _compare(old, new)
    (data,) = write_redline_docx(new, opts).values()
    _assert_round_trip(old, new, data)
    body = body_of(data)
    (src,), (dst,) = _range_pairs(body, "moveFrom").values(), _range_pairs(body, "moveTo").values()
    assert any(tr.find(f"{W}trPr/{W}del") is not None for tr in _between(body, *src) if tr.tag == f"{W}tr")
    assert any(tr.find(f"{W}trPr/{W}ins") is not None for tr in _between(body, *dst) if tr.tag == f"{W}tr")


def test_the_printed_redline_shows_moves_in_green_with_a_key() -> None:
    from generator.writers.redline_docx import write_redline_print_docx

    old, new = _moved_pair()
    _, opts = _compare(old, new)
    (data,) = write_redline_print_docx(new, opts).values()
    body = body_of(data)
    assert not list(body.iter(f"{W}moveFrom", f"{W}moveTo", f"{W}moveFromRangeStart", f"{W}moveToRangeEnd"))
    struck = [r for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}dstrike") is not None]
    underlined = [r for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}u[@{W}val='double']") is not None]
    assert "the Device shall send an Alert" in "".join(t.text for r in struck for t in r.iter(f"{W}t"))
    assert "the Device shall " in "".join(t.text for r in underlined for t in r.iter(f"{W}t"))
    assert {r.find(f"{W}rPr/{W}color").get(f"{W}val") for r in struck + underlined} == {"2E7D32"}
    key = next(p for p in body.iter(f"{W}p") if "".join(t.text for t in p.iter(f"{W}t")).startswith("Key: "))
    assert "moved text stood here in version 1.0 and moved text stands here now." in \
        "".join(t.text for t in key.iter(f"{W}t"))


# -- a clause made [Not used] -----------------------------------------------------------------
def test_a_clause_made_not_used_shows_its_old_text_deleted_whole_and_not_used_inserted() -> None:
    old = _numbered(c("s", c("a", text="An EDMI ESME shall send the profile data once a day."), c("b")))
    new = _numbered(c("s", c("a", not_used=True), c("b")))
    _, opts = _compare(old, new)
    (data,) = write_redline_docx(new, opts).values()
    _assert_round_trip(old, new, data)
    p = _paragraph_of(body_of(data), new, "a")
    # The paragraph reads: the number (kept), then the old text deleted in one piece, then
    # "[Not used]" inserted in one piece — never a word-by-word mixture of the two.
    pieces = [(el.tag.removeprefix(W), "".join("\t" if t.tag == f"{W}tab" else t.text
                                               for t in el.iter(f"{W}t", f"{W}delText", f"{W}tab")))
              for el in p if el.tag in (f"{W}r", f"{W}ins", f"{W}del")]
    label = next(x.label for x in _walk(new) if x.id == "a")
    assert pieces == [("r", f"{label}\t"), ("del", "An EDMI ESME shall send the profile data once a day."),
                      ("ins", "[Not used]")]


@pytest.mark.e2e
@pytest.mark.skipif(sys.platform != "linux", reason="UNO via the system python3")
def test_libreoffice_accepts_and_rejects_a_move(tmp_path: Path) -> None:
    """LibreOffice reads a Word move as a deletion where the text stood and an insertion where
    it stands (bookmarked __RefMoveFrom__/__RefMoveTo__ by the move's name, shown green); its
    Accept All gives the amended text and its Reject All the baseline, line for line."""
    old = _numbered(c("s", c("a"), c("b", c("b1"), text="the Device shall send an Alert"), c("c")),
                    c("u", c("x")))
    new = _numbered(c("s", c("a"), c("c")),
                    c("u", c("b", c("b1"), text="the Device shall always send an Alert"), c("x")))
    _, opts = _compare(old, new)
    (data,) = write_redline_docx(new, opts).values()
    assert _range_pairs(body_of(data), "moveFrom")
    (tmp_path / "redline.docx").write_bytes(data)
    for name, p in (("new", new), ("old", old)):
        (one,) = write_docx(p, opts).values()
        (tmp_path / f"{name}.docx").write_bytes(one)
    odt = soffice_convert(tmp_path / "redline.docx", "odt", tmp_path)
    with zipfile.ZipFile(odt) as z:
        content = z.read("content.xml").decode("utf-8")
    assert "__RefMoveFrom__move1" in content and "__RefMoveTo__move1" in content

    def body_text(src: Path, action: str) -> str:
        text = _uno(src, action, tmp_path / f"{src.stem}-{action}.txt")
        return text[text.index("\n1\ttext of s\n"):]

    assert body_text(tmp_path / "redline.docx", "Accept") == body_text(tmp_path / "new.docx", "none")
    assert body_text(tmp_path / "redline.docx", "Reject") == body_text(tmp_path / "old.docx", "none")


def test_the_printed_redline_keeps_gone_headings_out_of_the_contents() -> None:
    """A section heading deleted or moved away stays visible (struck through) in the printed
    copy, as body text: the contents LibreOffice builds for the PDF list the amended version's
    sections only, as the .docx's own contents do."""
    from generator.writers.redline_docx import write_redline_print_docx

    old = _numbered(c("s", c("a"), heading="Start"), c("u", c("x"), heading="Gone"), c("v", heading="Moving"))
    new = _numbered(c("v", heading="Moving"), c("s", c("a"), heading="Start"))
    _, opts = _compare(old, new)
    (data,) = write_redline_print_docx(new, opts).values()
    body = body_of(data)
    levels = {}
    for p in body.iter(f"{W}p"):
        words = "".join(t.text for t in p.iter(f"{W}t"))
        lvl = p.find(f"{W}pPr/{W}outlineLvl")
        levels.setdefault(words, []).append(None if lvl is None else lvl.get(f"{W}val"))
    assert levels["2Gone"] == ["9"]  # deleted: out of the contents
    assert levels["3Moving"] == ["9"]  # where it stood: out of the contents
    assert levels["1Moving"] == [None, None]  # the contents' own entry, and where it stands: a heading
    assert levels["12Start"] == [None], "a heading that stays keeps its level, old number struck out or not"
