"""Supervision status: last individual session, next due by the schedule that applies, overdue (DOMAIN.md §8).

Which schedule applies depends on the kind of worker (`kind_of_worker`): the ASYE schedule for a newly qualified
social worker, the standard one for other registered social workers, and for apprentices, students and other
staff whatever the reference data says (none, with the reason, where no published source sets one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from progression.reference import Reference
from progression.reference.rules import SupervisionSchedule

APPRENTICESHIP_ROUTE = "apprenticeship"
"""The route kind of a grow-your-own route, on which a pre-qualifying PCF level is a degree apprentice's."""


@dataclass(frozen=True, slots=True)
class SessionFact:
    day: date
    kind: str
    """individual | group"""
    confirmed: bool = True
    """False while a session the worker recorded waits for their supervisor's confirmation: it does not count."""


@dataclass(frozen=True, slots=True)
class SupervisionStatus:
    schedule: str
    schedule_title: str
    last_individual: date | None
    next_due: date | None
    """None where no schedule applies (`no_schedule` says why)."""
    overdue: bool
    days_overdue: int
    last_group: date | None
    pending: int = 0
    """Sessions held by the date that wait for the supervisor's confirmation (not counted above)."""
    no_schedule: str | None = None
    """Why no schedule applies to this worker (no published source sets one), or None."""


def schedule_for(newly_qualified: bool) -> str:
    """The ASYE schedule for newly qualified workers, the standard (monthly) one for other registered social workers.

    For a worker who may not be a registered social worker, use `kind_of_worker` and `schedule_key`.
    """
    return "asye" if newly_qualified else "standard"


def kind_of_worker(*, registered: bool, pcf_level: str | None, route_kind: str | None) -> str:
    """The kind of worker a supervision schedule is for (`WorkerKind` in the reference data).

    `registered` comes from `progression.engine.cpd.registered_social_worker`, the one definition. A registered
    social worker in the ASYE is newly qualified; one who is not registered is an apprentice on an apprenticeship
    route with a social work (PCF) level, a student with a PCF level elsewhere, and otherwise other staff.
    """
    if registered:
        return "newly-qualified" if pcf_level == "asye" else "registered"
    if pcf_level is None:
        return "other"
    return "apprentice" if route_kind == APPRENTICESHIP_ROUTE else "student"


def schedule_key(reference: Reference, kind: str) -> str:
    """The key of the schedule that applies to a kind of worker (`kind_of_worker`).

    Raises:
        KeyError: the reference data has no schedule for this kind.
    """
    schedule = reference.supervision_for(kind)
    if schedule is None:
        raise KeyError(f"the reference data has no supervision schedule for {kind}")
    return schedule.key


def _schedule(reference: Reference, schedule: bool | str) -> SupervisionSchedule:
    key = schedule_for(schedule) if isinstance(schedule, bool) else schedule
    return reference.supervision[key]


def supervision_status(
    sessions: Iterable[SessionFact], schedule_start: date, schedule: bool | str, on: date, reference: Reference
) -> SupervisionStatus:
    """When individual supervision is next due, counting the schedule's phases from `schedule_start`.

    `schedule` is a schedule's key (`schedule_key`), or True for the ASYE schedule and False for the standard one.
    Only confirmed sessions count. With no session yet, the first falls due one interval after the schedule
    starts. A schedule that is none has no due date and is never overdue.
    """
    chosen = _schedule(reference, schedule)
    held = [s for s in sessions if s.day <= on]
    counted = [s for s in held if s.confirmed]
    individual = max((s.day for s in counted if s.kind == "individual"), default=None)
    group = max((s.day for s in counted if s.kind == "group"), default=None)
    pending = len(held) - len(counted)
    if not chosen.phases:
        return SupervisionStatus(
            schedule=chosen.key,
            schedule_title=chosen.title,
            last_individual=individual,
            next_due=None,
            overdue=False,
            days_overdue=0,
            last_group=group,
            pending=pending,
            no_schedule=chosen.none or "no schedule applies",
        )
    base = individual or schedule_start
    next_due = chosen.interval_on(schedule_start, base).add_to(base)
    overdue = next_due < on
    return SupervisionStatus(
        schedule=chosen.key,
        schedule_title=chosen.title,
        last_individual=individual,
        next_due=next_due,
        overdue=overdue,
        days_overdue=(on - next_due).days if overdue else 0,
        last_group=group,
        pending=pending,
    )
