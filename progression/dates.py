"""Calendar arithmetic as CONTRACT.md defines it: months clamp to the month's last day."""

from __future__ import annotations

import calendar
from datetime import date

from progression.errors import InputError, Problem

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """How many days the month has (February 29 in leap years)."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS[month - 1]


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` calendar months later, clamped (2024-01-31 + 1 = 2024-02-29)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if day.day <= 28:
        return date(year, month, day.day)
    return date(year, month, min(day.day, days_in_month(year, month)))


def whole_months_between(start: date, end: date) -> int:
    """How many whole months have passed from `start` to `end` (0 if `end` is before `start`).

    Consistent with `add_months`: the result is the largest n with add_months(start, n) <= end.
    """
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    # add_months(start, months) falls in end's month on day min(start.day, that month's length).
    landing = start.day if start.day <= 28 else min(start.day, days_in_month(end.year, end.month))
    return months if landing <= end.day else months - 1


def describe_span(start: date, end: date) -> str:
    """'2 years 3 months', '5 months', 'less than a month'."""
    months = whole_months_between(start, end)
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts) if parts else "less than a month"


def parse_date(text: str, place: str = "date") -> date:
    """Parse an ISO `YYYY-MM-DD` date.

    Raises:
        InputError: naming `place` when the text is not a real date.
    """
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise InputError(Problem(place, f"'{text}' is not a date (use YYYY-MM-DD)")) from None
