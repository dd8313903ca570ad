"""Calendar arithmetic as CONTRACT.md defines it (months clamp to the month's last day), and the one
definition of a date Progression accepts: ISO `YYYY-MM-DD`, between 1900 and ten years from today."""

from __future__ import annotations

import calendar
import re
from datetime import date

from progression.errors import InputError, Problem

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")

EARLIEST = date(1900, 1, 1)
"""No date before this is accepted on the way in (a service history does not start earlier)."""
YEARS_AHEAD = 10
"""No date later than this many years after the real today is accepted on the way in."""


def days_in_month(year: int, month: int) -> int:
    """How many days the month has (February 29 in leap years)."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS[month - 1]


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` calendar months later, clamped (2024-01-31 + 1 = 2024-02-29).

    Arithmetic never leaves the calendar: a result after 9999-12-31 is 9999-12-31, one before 0001-01-01
    is 0001-01-01 (inputs are kept far from either by `check_date`, so this only guards the arithmetic).
    """
    index = day.year * 12 + day.month - 1 + months
    if index >= 10000 * 12:
        return date.max
    if index < 12:
        return date.min
    year, month = divmod(index, 12)
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


def latest_accepted() -> date:
    """The latest date accepted on the way in: ten years after the real today (not `--today`)."""
    return add_months(date.today(), YEARS_AHEAD * 12)


def date_problem(day: date) -> str | None:
    """Why `day` is outside the range Progression accepts, or None when it is inside."""
    if day < EARLIEST:
        return f"{day.isoformat()} is before {EARLIEST.isoformat()}"
    latest = latest_accepted()
    if day > latest:
        return f"{day.isoformat()} is more than {YEARS_AHEAD} years ahead (after {latest.isoformat()})"
    return None


def check_date(day: date, place: str) -> date:
    """`day` itself when it is in the accepted range.

    Raises:
        InputError: naming `place` when the date is before 1900 or more than ten years ahead.
    """
    problem = date_problem(day)
    if problem is not None:
        raise InputError(Problem(place, problem))
    return day


def read_date(text: str) -> tuple[date | None, str | None]:
    """Parse strict ISO `YYYY-MM-DD` text in the accepted range: (the date, None) or (None, why not).

    `20240101`, `2024-W01-1` and other forms Python's parser allows are refused: people mean one thing by
    a date and CONTRACT.md names one form.
    """
    value = text.strip() if isinstance(text, str) else ""
    if not _ISO.fullmatch(value):
        return None, f"'{text}' is not a date (use YYYY-MM-DD)"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None, f"'{text}' is not a real date"
    problem = date_problem(day)
    return (None, problem) if problem else (day, None)


def parse_date(text: str, place: str = "date") -> date:
    """Parse an ISO `YYYY-MM-DD` date in the accepted range.

    Raises:
        InputError: naming `place` when the text is not a date or the date is out of range.
    """
    day, problem = read_date(text)
    if day is None:
        raise InputError(Problem(place, problem or "not a date"))
    return day


def add_days(day: date, days: int) -> date:
    """`day` plus `days` (negative: minus), kept inside the calendar like `add_months`: a result after
    9999-12-31 is 9999-12-31 and one before 0001-01-01 is 0001-01-01, never an OverflowError."""
    ordinal = day.toordinal() + days
    if ordinal > date.max.toordinal():
        return date.max
    if ordinal < 1:
        return date.min
    return date.fromordinal(ordinal)
