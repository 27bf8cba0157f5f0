from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.ooxml import markup
from generator.ooxml.bookmarks import MAX_NAME, BookmarkNames, bookmark_name, internal_link
from generator.ooxml.ns import W_NS

VALID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def test_a_plain_lower_case_id_is_kept_readable() -> None:
    assert bookmark_name("intro_purpose") == "S1_intro_purpose"


@pytest.mark.parametrize("key", ["18.5p", "intro-annex-a", "Intro", "x" * 60, "ü:ß"])
def test_other_ids_are_sanitised_and_hashed(key: str) -> None:
    name = bookmark_name(key)
    assert VALID.fullmatch(name) and len(name) <= MAX_NAME
    assert re.search(r"_[0-9a-f]{8}$", name)
    assert bookmark_name(key) == name  # deterministic


def test_a_bad_prefix_is_a_bug() -> None:
    with pytest.raises(ValueError):
        bookmark_name("x", prefix="_hidden")


def test_names_differing_only_in_case_or_punctuation_stay_distinct() -> None:
    names = BookmarkNames()
    keys = ["a.b", "a-b", "a_b", "A_B", "a:b"]
    got = [names[k] for k in keys]
    assert len({g.lower() for g in got}) == len(keys)
    assert names["a.b"] == got[0]  # stable on repeat


@given(st.lists(st.text(min_size=0, max_size=80), max_size=40, unique=True))
def test_any_keys_get_valid_unique_names(keys: list[str]) -> None:
    names = BookmarkNames()
    got = [names[k] for k in keys]
    assert all(VALID.fullmatch(n) and len(n) <= MAX_NAME for n in got)
    assert len({n.lower() for n in got}) == len(got)


def test_a_forced_clash_lengthens_the_hash() -> None:
    names = BookmarkNames()
    names._taken.add(bookmark_name("x.y").lower())  # pretend another key already took it
    assert re.search(r"_[0-9a-f]{8}$", names["x.y"]) is None
    assert VALID.fullmatch(names["x.y"])


def test_bookmark_wraps_the_paragraph_content_after_its_properties() -> None:
    w = f"{{{W_NS}}}"
    content = markup.bookmark_start(7, "S1_x") + markup.run("x") + markup.bookmark_end(7)
    (p,) = markup.elements(markup.paragraph(content, "S"))
    assert [c.tag.removeprefix(w) for c in p] == ["pPr", "bookmarkStart", "r", "bookmarkEnd"]
    assert p[1].get(w + "id") == p[3].get(w + "id") == "7" and p[1].get(w + "name") == "S1_x"
    link = internal_link(p, "S1_x")
    assert link.get(w + "anchor") == "S1_x" and link.get(w + "history") == "1"
