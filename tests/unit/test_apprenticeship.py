"""The apprenticeship and placement rules, by start date (DOMAIN.md §6 and §7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from progression.engine.apprenticeship import (
    ApprenticeshipFacts,
    Break,
    OtjFact,
    ReviewFact,
    adjusted_end,
    gateway_check,
    learning_weeks,
    otj_status,
    required_hours,
    review_status,
)
from progression.engine.placement import SettingFact, placement_status
from progression.reference import reference

REF = reference()


def facts(start: date, months: int = 36, hours: float | None = 37.0, **kw) -> ApprenticeshipFacts:  # type: ignore[no-untyped-def]
    from progression.dates import add_months

    return ApprenticeshipFacts(
        start=start,
        planned_end=add_months(start, months),
        contracted_hours=hours,
        status=kw.pop("status", "active"),
        **kw,
    )


def weekly(start: date, weeks: int, hours: float = 6.0, verified: bool = True) -> tuple[OtjFact, ...]:
    return tuple(OtjFact(start + timedelta(weeks=i), hours, verified) for i in range(weeks))


@pytest.mark.parametrize(
    ("start", "rule"),
    [
        (date(2022, 7, 31), "twenty-percent"),
        (date(2022, 8, 1), "six-hours-a-week"),
        (date(2025, 7, 31), "six-hours-a-week"),
        (date(2025, 8, 1), "standard-minimum"),
    ],
)
def test_the_off_the_job_rule_is_chosen_by_start_date(start: date, rule: str) -> None:
    """DOMAIN.md §6: 20% before Aug 2022; 6 h a week from 1 Aug 2022; a published minimum from 1 Aug 2025."""
    assert required_hours(facts(start), REF)[0] == rule


def test_twenty_percent_of_contracted_hours() -> None:
    key, _, hours, explanation = required_hours(facts(date(2021, 9, 6), months=36, hours=35.0), REF)
    weeks = (date(2024, 9, 6) - date(2021, 9, 6)).days / 7
    assert key == "twenty-percent" and hours == round(35 * 0.2 * weeks, 1)
    assert explanation.startswith("20% of 35 contracted hours a week")


def test_six_hours_a_week_for_full_time_and_twenty_percent_for_part_time() -> None:
    """DOMAIN.md §6: from 1 Aug 2022, 6 h a week for full-time apprentices; 20% for part-time."""
    weeks = (date(2026, 9, 1) - date(2023, 9, 1)).days / 7
    assert required_hours(facts(date(2023, 9, 1), hours=37.0), REF)[2] == round(6 * weeks, 1)
    assert required_hours(facts(date(2023, 9, 1), hours=22.5), REF)[2] == round(22.5 * 0.2 * weeks, 1)


def test_the_standard_minimum_needs_a_figure_and_a_stated_figure_is_honoured() -> None:
    """DOMAIN.md §6: from 1 Aug 2025 a published minimum per standard; an enrolment may state its figure."""
    unknown = required_hours(facts(date(2025, 9, 1)), REF)
    assert unknown[2] is None and "not recorded" in unknown[3]
    assert required_hours(facts(date(2025, 9, 1), standard_minimum=900), REF)[2] == 900
    assert required_hours(facts(date(2023, 9, 1), stated_hours=1000), REF)[2] == 1000  # honoured under any rule


def test_forecast_with_no_entries_is_unknown() -> None:
    status = otj_status(facts(date(2024, 1, 8)), date(2024, 6, 1), REF)
    assert status.verified == 0 and status.forecast_on is None
    assert status.rag == "red"
    assert status.per_week_needed is not None and status.per_week_needed > 6


def test_forecast_at_the_recent_rate() -> None:
    start = date(2024, 1, 8)
    on = start + timedelta(weeks=51)  # the day of the 52nd weekly entry: 12 entries in the last 12 weeks
    status = otj_status(facts(start, entries=weekly(start, 52, 6.0)), on, REF)
    remaining = status.required - status.verified  # type: ignore[operator]
    assert status.forecast_on == on + timedelta(days=round(remaining / 6.0 * 7))
    assert status.rag == "green"


def test_only_verified_hours_count() -> None:
    start = date(2024, 1, 8)
    status = otj_status(facts(start, entries=weekly(start, 10, 6.0, verified=False)), start + timedelta(weeks=10), REF)
    assert (status.verified, status.submitted) == (0, 60)


def test_a_break_in_learning_pauses_every_clock() -> None:
    """PRODUCT.md: breaks in learning pause the clock (planned end, pace, forecast and reviews)."""
    start = date(2024, 1, 8)
    pause = Break(date(2024, 7, 1), date(2024, 10, 1))
    plain, paused = facts(start), facts(start, breaks=(pause,))
    on = date(2025, 1, 1)
    assert adjusted_end(paused, on) - adjusted_end(plain, on) == timedelta(days=92)
    assert learning_weeks(plain, on) - learning_weeks(paused, on) == pytest.approx(92 / 7)
    on_break = facts(start, breaks=(Break(date(2024, 11, 1), None),), entries=weekly(start, 40))
    assert otj_status(on_break, date(2024, 12, 1), REF).forecast_on is None
    due_plain = review_status(plain, date(2024, 9, 1), REF).next_due
    due_paused = review_status(paused, date(2024, 9, 1), REF).next_due
    assert due_plain is not None and due_paused is not None and due_paused > due_plain


@pytest.mark.parametrize(
    ("start", "interval"),
    [(date(2022, 8, 1), timedelta(weeks=12)), (date(2025, 7, 31), timedelta(weeks=12))],
)
def test_reviews_every_12_weeks_from_august_2022(start: date, interval: timedelta) -> None:
    """DOMAIN.md §6: three-way progress reviews at least every 12 weeks from 2022."""
    status = review_status(facts(start), start + timedelta(days=1), REF)
    assert status.next_due == start + interval


def test_reviews_every_3_calendar_months_from_august_2025() -> None:
    """DOMAIN.md §6: in 2025-26 at least every 3 calendar months (month ends clamp)."""
    start = date(2025, 11, 30)
    assert review_status(facts(start), start, REF).next_due == date(2026, 2, 28)
    held = facts(start, reviews=(ReviewFact(date(2026, 2, 28), date(2026, 2, 27), True),))
    status = review_status(held, date(2026, 6, 1), REF)
    assert status.next_due == date(2026, 5, 27) and status.overdue


def test_no_review_interval_is_set_before_august_2022() -> None:
    status = review_status(facts(date(2022, 3, 7)), date(2023, 1, 1), REF)
    assert status.next_due is None and "before 1 August 2022" in status.explanation


def test_gateway_checklist() -> None:
    start = date(2023, 1, 9)
    ready = facts(
        start,
        stated_hours=100,
        entries=weekly(start, 20),
        ksbs_total=90,
        ksbs_evidenced=90,
        employer_signed_off=True,
        reviews=(ReviewFact(date(2025, 12, 1), date(2025, 12, 1), True),),
    )
    check = gateway_check(ready, date(2026, 1, 5), REF)
    assert check.ready, check.items
    missing = gateway_check(facts(start, stated_hours=100, ksbs_total=90, ksbs_evidenced=89), date(2026, 1, 5), REF)
    assert [name for name, met, _ in missing.items if not met] == [
        "KSBs evidenced",
        "Off-the-job hours verified",
        "Reviews up to date",
        "Employer sign-off",
    ]


def test_placement_days_against_the_200_day_rule() -> None:
    """DOMAIN.md §7: at least 200 days including up to 30 skills days; two contrasting settings; statutory tasks."""
    first = date(2025, 1, 6)
    days = [(first + timedelta(days=i), "placement") for i in range(175)] + [
        (first + timedelta(days=200 + i), "skills") for i in range(35)
    ]
    settings = [
        SettingFact("Family centre", "voluntary", False, False, 1),
        SettingFact("Child protection team", "statutory-children", True, True, 2),
    ]
    status = placement_status(days, settings, date(2026, 1, 1), REF)
    assert (status.placement_days, status.skills_days, status.total_days) == (175, 35, 205)
    assert status.problems == ["35 skills days logged; at most 30 count"]
    assert status.complete
    one_kind = [
        SettingFact("A", "statutory-children", True, False, 2),
        SettingFact("B", "statutory-children", False, True, 2),
    ]
    assert not placement_status(days, one_kind, date(2026, 1, 1), REF).contrasting


def test_a_stage_1_educator_cannot_hold_the_final_assessment() -> None:
    """DOMAIN.md §7: stage 1 teaches and assesses up to, but not including, the final assessment."""
    settings = [SettingFact("A", "voluntary", True, False, 2), SettingFact("B", "statutory-children", True, True, 1)]
    status = placement_status([], settings, date(2026, 1, 1), REF)
    assert not status.final_assessor_ok
    assert "stage 2" in status.problems[0]
