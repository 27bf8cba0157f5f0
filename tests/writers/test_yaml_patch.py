"""The YAML patcher keeps what the author wrote: comments, quoting, flow lists and line folds."""

from __future__ import annotations

from generator.model.review import Edit, NewClause
from generator.writers.yaml_patch import _refold, patch_source

DOCUMENT = """\
# The document.
id: t
sections:
  - sections/a.yaml   # the only section
"""
SECTION = """\
# A comment at the top.
id: a
heading: A
children:
  - id: a-one   # first
    text: >-
      The first clause says something long enough to be folded over two lines of the
      file, as drafters write it.
    applies_to:
      - srvs: ["4.8.1"]
        devices: [secure-esme]

  - id: a-two
    text: "Second: quoted."
"""


def _files() -> dict[str, str]:
    return {"document.yaml": DOCUMENT, "sections/a.yaml": SECTION}


def test_an_amended_word_changes_one_line() -> None:
    new = ("The first clause says something short enough to be folded over two lines of the file, as drafters "
           "write it.")
    out = patch_source(_files(), [Edit(kind="text", clause="a-one", old="", new=new)]).files["sections/a.yaml"]
    before, after = SECTION.splitlines(), out.splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("      The first clause says something long enough to be folded over two lines of the",
                        "      The first clause says something short enough to be folded over two lines of the")]


def test_insert_move_and_remove_keep_comments_and_quotes() -> None:
    ops = [Edit(kind="insert", clause="a-new", parent="a", after="a-one",
                new_clause=NewClause(id="a-new", text="A new clause: with a colon.", level=2)),
           Edit(kind="remove", clause="a-two"),
           Edit(kind="applies", clause="a-one", new="4.8.1,4.8.2|secure-esme")]
    out = patch_source(_files(), ops).files["sections/a.yaml"]
    assert "# A comment at the top." in out and "- id: a-one   # first" in out
    assert '  - id: a-new\n    text: "A new clause: with a colon."\n' in out
    assert "a-two" not in out
    assert 'srvs: ["4.8.1", "4.8.2"]' in out


def test_not_used_leaves_a_tombstone() -> None:
    out = patch_source(_files(), [Edit(kind="not_used", clause="a-one", old="false", new="true")])
    text = out.files["sections/a.yaml"]
    assert "  - id: a-one   # first\n    not_used: true\n" in text and "The first clause" not in text


def test_refold_keeps_folds_where_the_words_did_not_change() -> None:
    old = "aaa bbb ccc ddd eee fff"
    folds = [7, 15]  # "aaa bbb" / "ccc ddd" / "eee fff"
    assert _refold(old, folds, "aaa bbb ccc XXX eee fff", 100) == [7, 15]
    assert _refold(old, folds, "aaa bbb ccc ddd eee fff ggg", 100) == [7, 15]
