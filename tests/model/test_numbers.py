"""Numbers in words and back: what the letter prints and what the check reads are one function pair."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.model.numbers import cardinal, in_words, parse_count


@pytest.mark.parametrize(("n", "words"), [
    (0, "zero"), (6, "six"), (13, "thirteen"), (21, "twenty-one"), (100, "one hundred"),
    (121, "one hundred and twenty-one"), (1000, "one thousand"), (1005, "one thousand and five"),
    (2340, "two thousand three hundred and forty"),
])
def test_cardinal(n: int, words: str) -> None:
    assert cardinal(n) == words


def test_a_letter_prints_words_below_ten_and_figures_from_ten() -> None:
    assert [in_words(n) for n in (0, 1, 9, 10, 1200)] == ["no", "one", "nine", "10", "1,200"]


@pytest.mark.parametrize(("said", "n"), [
    ("six", 6), ("Six", 6), ("SIX", 6), ("6", 6), ("1,200", 1200), ("twenty-one", 21), ("twenty one", 21),
    ("no", 0), ("none", 0), ("Zero", 0),
])
def test_parse_count(said: str, n: int) -> None:
    assert parse_count(said) == n


@pytest.mark.parametrize("said", ["", "several", "six or seven", "6a", "1,20", "a dozen"])
def test_what_is_not_a_number(said: str) -> None:
    assert parse_count(said) is None


@given(st.integers(min_value=0, max_value=999))
def test_every_number_reads_back_from_its_words(n: int) -> None:
    assert parse_count(cardinal(n)) == n
    assert parse_count(cardinal(n).upper()) == n


@given(st.integers(min_value=0, max_value=999_999))
def test_every_count_a_letter_prints_reads_back(n: int) -> None:
    assert parse_count(in_words(n)) == n
    assert parse_count(str(n)) == n
