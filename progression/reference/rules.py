"""Dated rules: CPD, supervision, placements, apprenticeship off-the-job time and reviews, changeovers."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from progression.dates import add_days
from progression.reference.base import (
    MAX_COUNT,
    MAX_DAYS,
    MAX_MONTHS,
    MAX_WEEKLY_HOURS,
    Code,
    Dated,
    Invalid,
    IsoDate,
    Key,
    Model,
    Period,
    ReviewInterval,
    Service,
    Source,
    raise_if,
)


class MonthDay(Model):
    """A day of the year, such as 1 December."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _real_day(self) -> MonthDay:
        if self.day > calendar.monthrange(2001, self.month)[1]:
            raise Invalid([(("day",), f"month {self.month} has no day {self.day}")])
        return self

    def in_year(self, year: int) -> date:
        """This day in `year` (29 February is the 28th in other years), kept inside years 1 to 9999."""
        if year > date.max.year:
            return date.max
        if year < date.min.year:
            return date.min
        return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))


class CapabilityRef(Model):
    """A capability of a framework, by code."""

    framework: Key
    code: Code


class CpdRule(Dated):
    """A regulator's registration year and CPD minimum."""

    key: Key
    regulator: str
    year_starts: MonthDay
    renewal_opens: MonthDay | None = None
    min_records: int = Field(ge=0, le=MAX_COUNT)
    min_peer_reflection_records: int = Field(ge=0, le=MAX_COUNT)
    grace_days: int | None = Field(default=None, ge=0, le=MAX_DAYS)
    standard: CapabilityRef | None = None

    def registration_year(self, on: date) -> tuple[date, date]:
        """The registration year (first day, last day) that contains `on`."""
        start = self.year_starts.in_year(on.year)
        if on < start:
            start = self.year_starts.in_year(on.year - 1)
        if start.year >= date.max.year:
            return start, date.max
        return start, add_days(self.year_starts.in_year(start.year + 1), -1)


class SupervisionPhase(Model):
    """Sessions `every` period until `until` after the start (None: from then on)."""

    until: Period | None = None
    every: Period


class GroupReflection(Model):
    """Whether group reflection is expected, and how often (None: no frequency published)."""

    expected: bool
    every: Period | None = None
    note: str | None = None
    sources: list[Source] = []


WorkerKind = Literal["newly-qualified", "registered", "apprentice", "student", "other"]
"""Whom a supervision schedule is for: a registered social worker in their first year (newly qualified) or after
it, a social work degree apprentice, a social work student, or anyone else (a family support worker, say)."""


class SupervisionSchedule(Dated):
    """How often supervision falls due, phase by phase from a start date; or, where no published source sets a
    schedule for the workers it applies to, no phases and the reason (`none`)."""

    key: Key
    title: str
    applies_to: list[WorkerKind] = Field(default=[], max_length=5)
    """The kinds of worker this schedule is for (each kind has at most one schedule)."""
    phases: list[SupervisionPhase] = []
    none: str | None = Field(default=None, min_length=1)
    """Why no schedule applies (no source sets one): given exactly when there are no phases."""
    min_session_hours: float | None = Field(default=None, gt=0, le=24)
    uninterrupted: bool = False
    group_reflection: GroupReflection | None = None

    @model_validator(mode="after")
    def _check_phases(self) -> SupervisionSchedule:
        base, previous = date(2001, 1, 1), date(2001, 1, 1)
        items: list[tuple[tuple[str | int, ...], str]] = []
        if not self.phases and self.none is None:
            items.append((("phases",), "give the phases, or say with `none` why no schedule applies"))
        if self.phases and self.none is not None:
            items.append((("none",), "a schedule with phases cannot also be none"))
        for i, phase in enumerate(self.phases):
            last = i == len(self.phases) - 1
            if (phase.until is None) != last:
                message = "the last phase must have no end" if last else "only the last phase has no end"
                items.append((("phases", i, "until"), message))
            elif phase.until is not None:
                if phase.until.add_to(base) <= previous:
                    items.append((("phases", i, "until"), "must be later than the previous phase's end"))
                previous = phase.until.add_to(base)
        raise_if(items)
        return self

    def interval_on(self, start: date, on: date) -> Period:
        """The interval between sessions on `on` for a schedule that began on `start`.

        Raises:
            ValueError: the schedule is none (it has no phases).
        """
        if not self.phases:
            raise ValueError(f"supervision schedule {self.key} is none: {self.none}")
        return next(p.every for p in self.phases if p.until is None or on < p.until.add_to(start))


class PlacementRule(Dated):
    """Practice-learning minimums for qualifying courses."""

    key: Key
    min_total_days: int = Field(gt=0, le=MAX_DAYS)
    max_skills_days: int = Field(ge=0, le=MAX_DAYS)
    min_settings: int = Field(ge=1, le=MAX_COUNT)
    contrasting_settings: bool = False
    statutory_tasks_required: bool = False

    @model_validator(mode="after")
    def _check_days(self) -> PlacementRule:
        if self.max_skills_days > self.min_total_days:
            raise Invalid([(("max_skills_days",), "is more than min_total_days")])
        return self

    @property
    def min_placement_days(self) -> int:
        """Days that must be spent on placement (total less the skills days allowed)."""
        return self.min_total_days - self.max_skills_days


class OtjAmount(Model):
    """Off-the-job time: a percentage of hours, hours a week, or the standard's published minimum."""

    percent_of_hours: float | None = Field(default=None, gt=0, le=100)
    hours_per_week: float | None = Field(default=None, gt=0, le=MAX_WEEKLY_HOURS)
    per_standard: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> OtjAmount:
        if [self.percent_of_hours is not None, self.hours_per_week is not None, self.per_standard].count(True) != 1:
            raise Invalid([((), "give exactly one of percent_of_hours, hours_per_week or per_standard: true")])
        return self


class FullTimeThreshold(Model):
    """Contracted weekly hours at or above which an apprentice counts as full-time."""

    min_weekly_hours: float = Field(gt=0, le=MAX_WEEKLY_HOURS)
    sources: list[Source] = Field(min_length=1)
    unverified: bool = False
    note: str | None = None


class OtjRule(Dated):
    """The off-the-job training rule for apprentices who START within the dates."""

    key: Key
    title: str
    full_time: OtjAmount
    part_time: OtjAmount
    full_time_threshold: FullTimeThreshold | None = None
    min_funded_hours: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    min_duration_months: int | None = Field(default=None, gt=0, le=MAX_MONTHS)

    def amount_for(self, weekly_hours: float | None) -> OtjAmount:
        """The amount for an apprentice contracted for `weekly_hours` (None: full-time)."""
        threshold = self.full_time_threshold
        part_time = threshold is not None and weekly_hours is not None and weekly_hours < threshold.min_weekly_hours
        return self.part_time if part_time else self.full_time


class ReviewRule(Dated):
    """The progress-review interval for apprentices who START within the dates."""

    key: Key
    title: str
    every: ReviewInterval
    three_way: bool = True


class Changeover(Model):
    """One framework or programme replacing another for a service on a date."""

    key: Key
    title: str
    subject: Literal["framework", "programme"]
    service: Service
    replaces: Key
    by: Key
    effective_on: IsoDate
    sources: list[Source] = Field(min_length=1)
    note: str | None = None
    unverified: bool = False
