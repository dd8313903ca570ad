"""Calendar arithmetic as CONTRACT.md defines it: months clamp to the month's last day."""

from __future__ import annotations

import calendar
from datetime import date

from progression.errors import InputError, Problem


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` calendar months later, clamped (2024-01-31 + 1 = 2024-02-29)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def whole_months_between(start: date, end: date) -> int:
    """How many whole months have passed from `start` to `end` (0 if `end` is before `start`).

    Consistent with `add_months`: the result is the largest n with add_months(start, n) <= end.
    """
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


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
