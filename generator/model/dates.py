"""Dates as the documents print them: one formatter, in English whatever the process locale
(``strftime("%B")`` would print "avril" under a French locale and change the output bytes)."""

from __future__ import annotations

import datetime as dt

__all__ = ["MONTHS", "day_month", "long_date", "parse_date"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_date(value: str | dt.date) -> str:
    """``2025-04-30`` → ``30 April 2025``; a string that is not an ISO date is returned as it is."""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


_MONTH_NUMBER = {m.lower(): i for i, m in enumerate(MONTHS, start=1)} | \
    {m[:3].lower(): i for i, m in enumerate(MONTHS, start=1)} | {"sept": 9}


def parse_date(text: str) -> dt.date | None:
    """A date as people type it in a document: ``2025-04-30``, ``30 April 2025``, ``30 Apr 2025``
    or ``April 30, 2025`` (English month names whatever the locale); None otherwise."""
    text = " ".join(text.replace(",", " ").replace(".", " ").split())
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.split(" ")
    if len(parts) != 3:
        return None
    if parts[0].isdigit():
        day, month, year = parts
    else:
        month, day, year = parts
    number = _MONTH_NUMBER.get(month.lower())
    if number is None or not day.isdigit() or not year.isdigit() or len(year) != 4:
        return None
    try:
        return dt.date(int(year), number, int(day))
    except ValueError:
        return None


def day_month(value: dt.date) -> str:
    """``18 May``: how Excel shows a number such as 18.5 that it took for a date."""
    return f"{value.day:02d} {MONTHS[value.month - 1]}"
