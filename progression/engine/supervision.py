"""Supervision status: last individual session, next due by the schedule that applies, overdue (DOMAIN.md §8)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from progression.reference import Reference


@dataclass(frozen=True, slots=True)
class SessionFact:
    day: date
    kind: str
    """individual | group"""


@dataclass(frozen=True, slots=True)
class SupervisionStatus:
    schedule: str
    schedule_title: str
    last_individual: date | None
    next_due: date
    overdue: bool
    days_overdue: int
    last_group: date | None


def schedule_for(newly_qualified: bool) -> str:
    """The ASYE schedule for newly qualified workers, the standard (monthly) one for everyone else."""
    return "asye" if newly_qualified else "standard"


def supervision_status(
    sessions: Iterable[SessionFact], schedule_start: date, newly_qualified: bool, on: date, reference: Reference
) -> SupervisionStatus:
    """When individual supervision is next due, counting the schedule's phases from `schedule_start`.

    With no session yet, the first falls due one interval after the schedule starts.
    """
    schedule = reference.supervision[schedule_for(newly_qualified)]
    held = [s for s in sessions if s.day <= on]
    individual = max((s.day for s in held if s.kind == "individual"), default=None)
    group = max((s.day for s in held if s.kind == "group"), default=None)
    base = individual or schedule_start
    next_due = schedule.interval_on(schedule_start, base).add_to(base)
    overdue = next_due < on
    return SupervisionStatus(
        schedule=schedule.key,
        schedule_title=schedule.title,
        last_individual=individual,
        next_due=next_due,
        overdue=overdue,
        days_overdue=(on - next_due).days if overdue else 0,
        last_group=group,
    )
