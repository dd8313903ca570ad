"""Month arithmetic exactly as CONTRACT.md defines it ("Dates and months")."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from progression.dates import add_months, describe_span, parse_date, whole_months_between
from progression.errors import InputError

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # the contract's own example: clamped to a leap February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 8, 31), 3, date(2025, 11, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_last_day(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_a_requirement_of_n_months_is_met_on_that_date() -> None:
    assert whole_months_between(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert whole_months_between(date(2024, 1, 31), date(2024, 2, 28)) == 0
    assert whole_months_between(date(2025, 9, 1), date(2026, 9, 1)) == 12
    assert whole_months_between(date(2025, 9, 1), date(2026, 8, 31)) == 11


@given(days, st.integers(min_value=0, max_value=600))
def test_whole_months_between_agrees_with_add_months(start: date, months: int) -> None:
    end = add_months(start, months)
    assert whole_months_between(start, end) >= months
    assert add_months(start, whole_months_between(start, end)) <= end


@given(days, days)
def test_whole_months_between_is_the_largest_whole_count(start: date, end: date) -> None:
    n = whole_months_between(start, end)
    if end < start:
        assert n == 0
    else:
        assert add_months(start, n) <= end < add_months(start, n + 1)


def test_describe_span() -> None:
    assert describe_span(date(2024, 1, 15), date(2026, 4, 20)) == "2 years 3 months"
    assert describe_span(date(2026, 1, 15), date(2026, 2, 1)) == "less than a month"
    assert describe_span(date(2025, 1, 15), date(2026, 1, 15)) == "1 year"


def test_parse_date_names_the_place() -> None:
    assert parse_date("2026-11-24") == date(2026, 11, 24)
    with pytest.raises(InputError, match="--on: '2026-02-30' is not a real date"):
        parse_date("2026-02-30", "--on")
