"""One date formatter and one date parser, in English whatever the process locale."""

from __future__ import annotations

import datetime as dt
import locale

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.model.dates import day_month, long_date, parse_date


def test_long_date() -> None:
    assert long_date("2025-04-30") == "30 April 2025"
    assert long_date(dt.date(2025, 9, 1)) == "1 September 2025"
    assert long_date("next spring") == "next spring"
    assert day_month(dt.date(2025, 5, 18)) == "18 May"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_what_is_printed_is_read_back(day: dt.date) -> None:
    assert parse_date(long_date(day)) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{long_date(day).split()[1]} {day.day}, {day.year}") == day


@pytest.mark.parametrize("text", ["30 Avril 2025", "31 April 2025", "April 2025", "30/04/2025", ""])
def test_what_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_the_locale_does_not_change_the_words() -> None:
    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("fr_FR.UTF-8", "de_DE.UTF-8", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            assert long_date("2025-04-30") == "30 April 2025"
            assert parse_date("30 April 2025") == dt.date(2025, 4, 30)
    finally:
        locale.setlocale(locale.LC_TIME, before)
