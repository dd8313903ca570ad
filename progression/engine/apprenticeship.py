"""Apprenticeships: off-the-job hours required under the start date's rule, pace, forecast, reviews, gateway.

DOMAIN.md §6. A break in learning pauses every clock: the weeks of a break count neither as time in learning
nor towards the planned end, which moves out by the length of the break.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from progression.dates import add_days
from progression.engine.reviews import FINISHED, ReviewFact, ScheduledReview, in_order, is_held, next_review, recorded
from progression.reference import Reference

__all__ = ["ReviewFact"]

RECENT_WEEKS = 12
"""The window whose verified hours set the 'recent rate' for the forecast."""
MAX_FORECAST_DAYS = 100 * 366
"""A forecast further out than this (a century) is no forecast: the date is left unknown."""


@dataclass(frozen=True, slots=True)
class Break:
    start: date
    end: date | None
    """The day learning resumed (None: still on the break)."""


@dataclass(frozen=True, slots=True)
class OtjFact:
    day: date
    hours: float
    verified: bool


@dataclass(frozen=True, slots=True)
class ApprenticeshipFacts:
    start: date
    planned_end: date
    contracted_hours: float | None
    """Hours a week; None is taken as full-time."""
    status: str
    stated_hours: float | None = None
    """A figure stated for the enrolment, honoured over the computed one."""
    standard_minimum: float | None = None
    """The standard's published minimum (starts from 1 August 2025)."""
    breaks: tuple[Break, ...] = ()
    entries: tuple[OtjFact, ...] = ()
    reviews: tuple[ReviewFact, ...] = ()
    ksbs_total: int = 0
    ksbs_evidenced: int = 0
    employer_signed_off: bool = False


@dataclass(slots=True)
class OtjStatus:
    rule: str
    rule_title: str
    required: float | None
    explanation: str
    verified: float
    submitted: float
    expected_by_now: float | None
    rag: str
    """green | amber | red | grey (no requirement known)"""
    forecast_on: date | None
    per_week_needed: float | None
    planned_end: date
    """The planned end, moved out by any break in learning."""


@dataclass(slots=True)
class ReviewStatus:
    interval: str | None
    last_held: date | None
    next_due: date | None
    overdue: bool
    explanation: str


@dataclass(slots=True)
class GatewayCheck:
    ready: bool
    items: list[tuple[str, bool, str]] = field(default_factory=list)
    """(what, met, detail) for each condition."""


def _paused_days(breaks: Sequence[Break], start: date, end: date) -> int:
    """Days between start and end (exclusive of end) spent on a break in learning."""
    days = 0
    for b in breaks:
        stop = b.end or end
        lo, hi = max(b.start, start), min(stop, end)
        if hi > lo:
            days += (hi - lo).days
    return days


def learning_weeks(facts: ApprenticeshipFacts, until: date) -> float:
    """Weeks in learning from the start to `until`, breaks excluded."""
    if until <= facts.start:
        return 0.0
    return ((until - facts.start).days - _paused_days(facts.breaks, facts.start, until)) / 7


def adjusted_end(facts: ApprenticeshipFacts, on: date) -> date:
    """The planned end, moved out by the days of every break up to `on`."""
    return add_days(facts.planned_end, _paused_days(facts.breaks, facts.start, max(on, facts.start)))


def required_hours(facts: ApprenticeshipFacts, reference: Reference) -> tuple[str, str, float | None, str]:
    """(rule key, rule title, required hours or None, how it was worked out) under the start date's rule."""
    rule = reference.otj_rule_for_start(facts.start)
    planned_weeks = ((facts.planned_end - facts.start).days) / 7
    if facts.stated_hours is not None and not math.isfinite(facts.stated_hours):
        # Only a database written before figures were checked can hold one: no requirement is known.
        return rule.key, rule.title, None, f"the stated figure ({facts.stated_hours}) is not a number of hours"
    if facts.stated_hours is not None:
        return rule.key, rule.title, facts.stated_hours, f"{facts.stated_hours:g} hours stated for this apprenticeship"
    amount = rule.amount_for(facts.contracted_hours)
    hours = facts.contracted_hours
    if amount.per_standard:
        if facts.standard_minimum is None:
            return (
                rule.key,
                rule.title,
                None,
                "the standard's published minimum is not recorded: state it on the enrolment",
            )
        return (
            rule.key,
            rule.title,
            facts.standard_minimum,
            f"{facts.standard_minimum:g} hours, the standard's published minimum",
        )
    if amount.hours_per_week is not None:
        total = amount.hours_per_week * planned_weeks
        return (
            rule.key,
            rule.title,
            round(total, 1),
            f"{amount.hours_per_week:g} hours a week × {planned_weeks:.1f} planned weeks",
        )
    if hours is None:
        return rule.key, rule.title, None, "contracted hours are not recorded: 20% of them cannot be worked out"
    percent = amount.percent_of_hours or 0
    total = hours * percent / 100 * planned_weeks
    return (
        rule.key,
        rule.title,
        round(total, 1),
        f"{percent:g}% of {hours:g} contracted hours a week × {planned_weeks:.1f} planned weeks",
    )


def otj_status(facts: ApprenticeshipFacts, on: date, reference: Reference) -> OtjStatus:
    """Hours verified against the requirement, the pace (RAG), the forecast date and the hours a week needed."""
    rule, title, required, explanation = required_hours(facts, reference)
    entries = [e for e in facts.entries if e.day <= on]
    verified = sum(e.hours for e in entries if e.verified)
    submitted = sum(e.hours for e in entries)
    end = adjusted_end(facts, on)
    total_weeks = learning_weeks(facts, end) or 1.0
    done_weeks = min(learning_weeks(facts, on), total_weeks)
    expected = required * done_weeks / total_weeks if required is not None else None
    rag = "grey"
    if expected is not None:
        ratio = verified / expected if expected > 0 else 1.0
        rag = "green" if ratio >= 0.9 else "amber" if ratio >= 0.75 else "red"
    forecast = per_week = None
    if required is not None:
        remaining = max(required - verified, 0.0)
        weeks_left = learning_weeks(facts, end) - learning_weeks(facts, on)
        per_week = round(remaining / weeks_left, 1) if weeks_left > 0 else (0.0 if remaining == 0 else None)
        forecast = _forecast(facts, entries, on, required, remaining)
    return OtjStatus(
        rule,
        title,
        required,
        explanation,
        round(verified, 1),
        round(submitted, 1),
        round(expected, 1) if expected is not None else None,
        rag,
        forecast,
        per_week,
        end,
    )


def _forecast(
    facts: ApprenticeshipFacts, entries: list[OtjFact], on: date, required: float, remaining: float
) -> date | None:
    """When the required hours will be (or were) reached, at the verified rate of the last 12 weeks in learning."""
    if remaining <= 0:
        reached = 0.0
        for entry in sorted((e for e in entries if e.verified), key=lambda e: e.day):
            reached += entry.hours
            if reached >= required:
                return entry.day
        return facts.start
    on_break = any(b.start <= on and (b.end is None or b.end > on) for b in facts.breaks)
    if facts.status in ("withdrawn", "completed") or on_break:
        return None
    window_start = add_days(on, -7 * RECENT_WEEKS)
    window_start = max(window_start, facts.start)
    weeks = learning_weeks(facts, on) - learning_weeks(facts, window_start)
    recent = sum(e.hours for e in entries if e.verified and e.day > window_start)
    if weeks <= 0 or recent <= 0:
        return None
    rate = recent / weeks
    days = remaining / rate * 7
    if not days < MAX_FORECAST_DAYS:
        return None  # at this pace the hours are out of sight: no date is a forecast
    return add_days(on, round(days))


def review_schedule(facts: ApprenticeshipFacts, on: date, reference: Reference) -> list[ScheduledReview]:
    """The three-way progress reviews: those recorded, and while none is waiting, the next one the start date's
    interval schedules (counted from the last review held, moved out by any break since)."""
    schedule = [recorded(r, "progress review", on) for r in facts.reviews]
    if facts.status in FINISHED or any(r.state != "held" and r.due_on is not None for r in schedule):
        return in_order(schedule)
    try:
        rule = reference.review_rule_for_start(facts.start)
    except Exception:  # noqa: BLE001  no rule covers starts before August 2022
        return in_order(schedule)
    held = max((r.held_on for r in facts.reviews if r.held_on and is_held(r, on)), default=None)
    base = held or facts.start
    due = add_days(rule.every.add_to(base), _paused_days(facts.breaks, base, max(on, base)))
    return in_order([*schedule, ScheduledReview("progress", "progress review", due)])


def review_status(facts: ApprenticeshipFacts, on: date, reference: Reference) -> ReviewStatus:
    """When the next three-way progress review is due under the start date's interval, and whether it is late: the
    earliest review of `review_schedule` not yet held."""
    held = max((r.held_on for r in facts.reviews if r.held_on and is_held(r, on)), default=None)
    try:
        rule = reference.review_rule_for_start(facts.start)
    except Exception:  # noqa: BLE001  no rule covers starts before August 2022
        rule = None
    if facts.status in FINISHED:
        title = rule.title if rule else None
        return ReviewStatus(title, held, None, False, f"no more reviews: the apprenticeship is {facts.status}")
    upcoming = next_review(review_schedule(facts, on, reference))
    due = upcoming.due_on if upcoming else None
    if rule is None:
        why = "no review interval is set for starts before 1 August 2022"
        return ReviewStatus(None, held, due, due is not None and due < on, why)
    return ReviewStatus(
        rule.title, held, due, due is not None and due < on, f"{rule.title.lower()}, counted from the last review held"
    )


def gateway_check(facts: ApprenticeshipFacts, on: date, reference: Reference) -> GatewayCheck:
    """Gateway readiness: every KSB evidenced, required hours verified, reviews up to date, employer sign-off."""
    otj = otj_status(facts, on, reference)
    reviews = review_status(facts, on, reference)
    hours_met = otj.required is not None and otj.verified >= otj.required
    items = [
        (
            "KSBs evidenced",
            facts.ksbs_total > 0 and facts.ksbs_evidenced >= facts.ksbs_total,
            f"{facts.ksbs_evidenced} of {facts.ksbs_total} knowledge, skills and behaviours have accepted evidence",
        ),
        (
            "Off-the-job hours verified",
            hours_met,
            f"{otj.verified:g} of {otj.required:g} hours verified" if otj.required is not None else otj.explanation,
        ),
        (
            "Reviews up to date",
            not reviews.overdue,
            f"next review due {reviews.next_due}" if reviews.next_due else reviews.explanation,
        ),
        ("Employer sign-off", facts.employer_signed_off, "signed off" if facts.employer_signed_off else "not yet"),
    ]
    return GatewayCheck(all(met for _, met, _ in items), items)
