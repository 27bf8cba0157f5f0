"""The letter reader: every field of a letter, the Markdown subset of its narrative, located problems."""

from __future__ import annotations

from pathlib import Path

from generator.model import Span
from generator.model.letter import ClauseRef, Count, Heading, Link, ListBlock, NoteRef, Para, Run
from generator.readers.letter import parse_inline, parse_markdown, read_letter, read_letters
from tests.support import REPO

EXAMPLE = REPO / "content" / "letters" / "2025-04-recommendation.yaml"

MINIMAL = """\
date: "2025-04-30"
subject: A subject
salutation: Dear Sam
sender: {organisation: Smart DCC Ltd}
addressee: {name: Sam Example, organisation: The Department}
signatory: {name: Alex Writer}
"""


def _read(tmp_path: Path, text: str) -> tuple:
    path = tmp_path / "letter.yaml"
    path.write_text(text, encoding="utf-8")
    return read_letter(str(path), "letters/letter.yaml")


def codes(diags: list) -> list[str]:
    return [d.code for d in diags]


def test_inline_markup() -> None:
    got = parse_inline("A **Term**, *emphasis*, `code`, a note[^n1] and [[clause-id]].", Span(file="x"))
    assert got == (
        Run(text="A "), Run(text="Term", style="strong"), Run(text=", "), Run(text="emphasis", style="emph"),
        Run(text=", "), Run(text="code", style="code"), Run(text=", a note"), NoteRef(id="n1", span=Span(file="x")),
        Run(text=" and "), ClauseRef(target="clause-id", span=Span(file="x")), Run(text="."),
    )


def test_anything_else_is_literal_text() -> None:
    text = "{{ 7 * 7 }} <b>bold</b> {% if x %} & 2*3*4 [not a link] (x) <not-a-url> {not a count}"
    assert parse_inline(text, Span(file="x")) == (Run(text=text),)


def test_links_and_counts() -> None:
    at = Span(file="x")
    got = parse_inline("See [the code](https://example.org/a_b) or <mailto:s1sr@example.org>: "
                       "[six]{tag:apr-2025} behaviours, []{responses} responses.", at)
    assert got == (
        Run(text="See "), Link(text="the code", url="https://example.org/a_b", span=at), Run(text=" or "),
        Link(text="s1sr@example.org", url="mailto:s1sr@example.org", span=at), Run(text=": "),
        Count(selector="tag:apr-2025", said="six", span=at), Run(text=" behaviours, "),
        Count(selector="responses", said="", span=at), Run(text=" responses."),
    )


def test_blocks() -> None:
    md = """First paragraph
continues here.

# A heading

- one
- two
  continued
1. first
2. second

Last."""
    blocks = parse_markdown(md, Span(file="f.yaml", line=10, col=3))
    assert [type(b) for b in blocks] == [Para, Heading, ListBlock, ListBlock, Para]
    assert blocks[0].inlines == (Run(text="First paragraph continues here."),)
    assert blocks[2].ordered is False and blocks[2].items == ((Run(text="one"),), (Run(text="two continued"),))
    assert blocks[3].ordered is True and len(blocks[3].items) == 2


def test_marks_in_block_text_are_located_at_their_line() -> None:
    md = "Line one.\n\nLine three with a note[^a].\n"
    (_, para) = parse_markdown(md, Span(file="f.yaml", line=10, col=3))
    note = next(i for i in para.inlines if isinstance(i, NoteRef))
    assert (note.span.file, note.span.line) == ("f.yaml", 13)


def test_the_example_letter() -> None:
    letter, diags = read_letter(str(EXAMPLE), "content/letters/2025-04-recommendation.yaml")
    assert diags == []
    assert letter is not None
    assert letter.id == "2025-04-recommendation" and letter.against == "v12" and letter.date == "2025-04-30"
    assert letter.version == "v13" and letter.delivery == "By email only"
    assert letter.addressee.name and letter.addressee.organisation and letter.signatory.name
    assert letter.consultation_id == "2025-02-s1sr-v13" and letter.concerns
    assert any(isinstance(i, NoteRef) for i in letter.subject), "the subject line carries a footnote mark"
    assert letter.signature is not None and letter.signature.media_type == "image/png"
    assert (letter.signature.width, letter.signature.height) == (420, 120)
    assert len(letter.enclosures) == 3 and len(letter.cc) == 2
    assert [a.id for a in letter.appendices] == ["A", "B"]
    a, b = letter.appendices
    assert [s.value for s in a.parts[0].select.clauses][:3] == ["pd-clock-before", "pd-clock-during",
                                                                 "pd-clock-repeated"]
    assert [s.value for s in a.parts[1].select.tags] == ["apr-2025-device-behaviours"]
    assert [s.value for s in b.parts[0].select.tags] == ["apr-2025-lg-foc-config"] and b.parts[0].quote
    assert {f.id for f in letter.footnotes} == {"sec", "dmvesm", "six-months", "gbcs"}
    # Every selector keeps where it was written, so a finding can point at it.
    assert all(s.span.line > 0 for s in a.parts[0].select.clauses)


def test_a_minimal_letter_reads_clean(tmp_path: Path) -> None:
    letter, diags = _read(tmp_path, MINIMAL)
    assert diags == [] and letter is not None
    assert letter.closing == "Yours sincerely" and letter.appendices == ()


def test_missing_and_wrong_fields_are_located(tmp_path: Path) -> None:
    text = """\
date: 30/04/2025
salutation: Dear Sam
sender: {name: Nobody}
addressee: {name: Sam}
signatory: {name: Alex}
subjet: typo
consultation:
  responses: 9
  proposals:
    - {id: p1, title: One, supported: 5, opposed: 1}
appendices:
  - id: A
    title: T
    parts:
      - heading: H
        amendments: {}
"""
    letter, diags = _read(tmp_path, text)
    assert letter is not None
    found = {(d.code, d.location.line) for d in diags}
    assert ("S1SR011", 1) in found  # the date is not YYYY-MM-DD
    assert ("S1SR007", 6) in found  # 'subjet'
    assert ("LTR101", 3) in found  # sender without organisation
    assert ("LTR101", 4) in found  # addressee without organisation
    assert ("LTR101", 8) in found  # counts are no longer typed: responses …
    assert ("LTR101", 9) in found  # … nor proposals
    assert any("content/consultations/" in d.help for d in diags if d.location.line == 8)
    assert ("LTR101", 16) in found  # an amendments selection that selects nothing
    assert any(d.code == "LTR101" and "'subject'" in d.message for d in diags)
    assert all(d.location.file == "letters/letter.yaml" for d in diags)


def test_yaml_errors_are_located_and_nothing_is_returned(tmp_path: Path) -> None:
    letter, diags = _read(tmp_path, "date: [unclosed\n")
    assert letter is None and codes(diags) == ["S1SR001"]


def test_every_letter_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(MINIMAL)
    (tmp_path / "a.yml").write_text(MINIMAL)
    (tmp_path / "notes.txt").write_text("not a letter")
    letters, diags = read_letters(str(tmp_path))
    assert [x.id for x in letters] == ["a", "b"] and diags == []
    assert read_letters(str(tmp_path / "absent")) == ((), [])


def _jpeg(width: int, height: int) -> bytes:
    """A JPEG's header as a camera writes it: SOI, an APP0 segment, then the frame (SOF0)."""
    app0 = b"\xff\xe0" + (16).to_bytes(2, "big") + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + (11).to_bytes(2, "big") + b"\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big") + \
        b"\x01\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def test_signature_images(tmp_path: Path) -> None:
    letters = tmp_path / "content" / "letters"
    letters.mkdir(parents=True)
    (letters / "sig.jpg").write_bytes(_jpeg(300, 90))
    (letters / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 10))
    (letters / "fake.png").write_text("GIF89a")
    (tmp_path / "outside.png").write_bytes((REPO / "content" / "letters" / "signature.png").read_bytes())
    (letters / "link.png").symlink_to(tmp_path / "outside.png")

    def read(name: str) -> tuple:
        path = letters / "l.yaml"
        path.write_text(MINIMAL + f"signature: {name}\n", encoding="utf-8")
        return read_letter(str(path), "letters/l.yaml", str(tmp_path / "content"))

    letter, diags = read("sig.jpg")
    assert diags == [] and letter.signature is not None
    assert (letter.signature.name, letter.signature.media_type, letter.signature.width,
            letter.signature.height) == ("signature.jpeg", "image/jpeg", 300, 90)
    for name, why in (("big.png", "at most 1 MB"), ("fake.png", "not a PNG or JPEG"), ("none.png", "does not exist"),
                      ("../../outside.png", "outside the content folder"), ("link.png", "outside the content folder")):
        letter, diags = read(name)
        assert letter.signature is None and [d.code for d in diags] == ["LTR147"], name
        assert why in diags[0].message and diags[0].location.line == 7, name
