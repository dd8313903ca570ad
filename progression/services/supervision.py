"""A worker's supervision record: sessions, when the next is due by their schedule, and notes kept private.

A session the worker records waits for their supervisor's confirmation and does not count until confirmed; one
recorded by the supervisor (their line manager, or anyone with rights over the worker) counts at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.engine.supervision import SessionFact, schedule_key, supervision_status
from progression.errors import AccessDenied, InputError, NotFound, Problem, ProblemList
from progression.fields import free_text_issue
from progression.models import Supervision, Worker
from progression.models.base import utcnow
from progression.reference import Period, SupervisionSchedule, reference
from progression.services.actor import Actor, find_worker, is_reviewer, worker_to_read
from progression.services.audit import record
from progression.services.cpd import refusals_recorded, standing_of

SESSION_KINDS = ("individual", "group")
"""Individual supervision, or group reflection."""
LONGEST_MINUTES = 8 * 60
"""The longest session that can be recorded."""


class SessionInput(BaseModel):
    """A session as typed. On an edit, `notes` None keeps the notes as they are."""

    kind: str = "individual"
    day: date | None
    minutes: int | None
    with_whom: str = ""
    notes: str | None = ""


class SessionRead(BaseModel):
    id: int
    staff_id: str
    day: date
    kind: str
    minutes: int | None
    with_whom: str
    supervisor_staff_id: str | None
    supervisor_name: str | None
    notes: str | None
    """None when the notes are private from the actor."""
    notes_private: bool
    """True when the actor is neither the worker nor this session's supervisor."""
    short: bool
    """An individual session shorter than the schedule's minimum length."""
    can_change: bool
    """Whether the actor may edit or remove it: the worker, the session's supervisor, or an admin."""
    confirmed: bool = True
    """False while a session the worker recorded waits for the supervisor's confirmation (it does not count)."""
    recorded_by_staff_id: str | None = None
    """Who recorded it (None: not known, or the local administrator)."""
    can_confirm: bool = False
    """Whether the actor may confirm it now: it waits, and the actor is its supervisor or has rights over the
    worker (never the worker themselves)."""


class SupervisionRecordRead(BaseModel):
    """A worker's sessions, newest first, and their standing against the schedule that applies on `on`."""

    staff_id: str
    name: str
    on: date
    schedule: str
    """The schedule's key: asye (newly qualified, counted from the start of the role), standard (other registered
    social workers), or one with no phases (apprentices, students, other staff) where no source sets one."""
    schedule_title: str
    interval: str
    """How often individual supervision falls due now, e.g. 'every 2 weeks' ('' where no schedule applies)."""
    min_session_hours: float | None
    last_individual: date | None
    next_due: date | None
    """None where no schedule applies (`no_schedule` says why)."""
    overdue: bool
    days_overdue: int
    last_group: date | None
    group_expected: bool
    sessions: list[SessionRead]
    short_sessions: int
    """Individual sessions shorter than `min_session_hours`."""
    can_add: bool
    """Whether the actor may record a session: the worker, or their line manager chain (or educator, admin)."""
    no_schedule: str | None = None
    """Why no supervision schedule applies to this worker (no published source sets one), or None."""
    pending: int = 0
    """Sessions waiting for the supervisor's confirmation (not counted for the next due date)."""


def interval_words(period: Period) -> str:
    """A schedule's interval in words: 'every week', 'every 2 weeks', 'every month'."""
    count, unit = (period.weeks, "week") if period.weeks is not None else (period.months or 1, "month")
    return f"every {unit}" if count == 1 else f"every {count} {unit}s"


def _privy(actor: Actor, row: Supervision) -> bool:
    """Whether the actor may read the session's notes: the worker themselves or that session's supervisor."""
    return actor.worker_id is not None and actor.worker_id in (row.worker_id, row.supervisor_id)


def _may_change(actor: Actor, row: Supervision) -> bool:
    return actor.is_admin or _privy(actor, row)


def _may_confirm(session: Session, actor: Actor, row: Supervision, worker: Worker) -> bool:
    """Whether the actor may confirm a session: its supervisor, or someone with rights over the worker (their line
    manager chain, an assigned educator, an admin); never the worker themselves."""
    if actor.worker_id is not None and actor.worker_id == row.worker_id:
        return False
    return (actor.worker_id is not None and actor.worker_id == row.supervisor_id) or is_reviewer(session, actor, worker)


def _short(row: Supervision, min_hours: float | None) -> bool:
    return row.kind == "individual" and min_hours is not None and (row.minutes or 0) < min_hours * 60


def _reads(session: Session, actor: Actor, rows: list[Supervision], min_hours: float | None) -> list[SessionRead]:
    people_ids = {r.supervisor_id for r in rows if r.supervisor_id} | {r.worker_id for r in rows}
    people_ids |= {r.recorded_by_id for r in rows if r.recorded_by_id}
    people = {w.id: w for w in session.exec(select(Worker).where(col(Worker.id).in_(people_ids)))}
    confirmable = {
        row.id: _may_confirm(session, actor, row, people[row.worker_id]) for row in rows if row.confirmed_at is None
    }
    out = []
    for row in rows:
        supervisor = people.get(row.supervisor_id) if row.supervisor_id else None
        recorder = people.get(row.recorded_by_id) if row.recorded_by_id else None
        privy = _privy(actor, row)
        out.append(
            SessionRead(
                id=row.id or 0,
                staff_id=people[row.worker_id].staff_id,
                day=row.day,
                kind=row.kind,
                minutes=row.minutes,
                with_whom=row.with_whom,
                supervisor_staff_id=supervisor.staff_id if supervisor else None,
                supervisor_name=supervisor.name if supervisor else None,
                notes=row.notes if privy else None,
                notes_private=not privy,
                short=_short(row, min_hours),
                can_change=_may_change(actor, row),
                confirmed=row.confirmed_at is not None,
                recorded_by_staff_id=recorder.staff_id if recorder else None,
                can_confirm=confirmable.get(row.id, False),
            )
        )
    return out


def schedule_of(session: Session, worker: Worker, on: date) -> SupervisionSchedule:
    """The supervision schedule that applies to the worker on `on`, by the kind of worker they are."""
    data = reference()
    return data.supervision[schedule_key(data, standing_of(session, worker, on).kind)]


def supervision_record(engine: Engine, actor: Actor, staff_id: str, on: date) -> SupervisionRecordRead:
    """The worker's sessions and status: the ASYE schedule for a newly qualified worker (counted from the start of
    their role), the standard monthly one for other registered social workers, and for apprentices, students and
    other staff the reference data's schedule (none, with the reason, where no source sets one). Sessions waiting
    for the supervisor's confirmation are listed but not counted.

    Raises:
        AccessDenied: the actor may not see this worker's records.
    """
    data = reference()
    with refusals_recorded(engine, actor), Session(engine) as session:
        worker = worker_to_read(session, actor, staff_id, "supervision record")
        schedule = schedule_of(session, worker, on)
        rows = list(
            session.exec(
                select(Supervision)
                .where(Supervision.worker_id == worker.id)
                .order_by(col(Supervision.day).desc(), col(Supervision.id).desc())
            )
        )
        sessions = _reads(session, actor, rows, schedule.min_session_hours)
        can_add = actor.worker_id == worker.id or is_reviewer(session, actor, worker)
        name, start = worker.name, worker.role_since
    facts = [SessionFact(s.day, s.kind, s.confirmed_at is not None) for s in rows]
    status = supervision_status(facts, start, schedule.key, on, data)
    group = schedule.group_reflection
    return SupervisionRecordRead(
        staff_id=staff_id,
        name=name,
        on=on,
        schedule=status.schedule,
        schedule_title=status.schedule_title,
        interval=interval_words(schedule.interval_on(start, status.last_individual or start))
        if schedule.phases
        else "",
        min_session_hours=schedule.min_session_hours,
        last_individual=status.last_individual,
        next_due=status.next_due,
        overdue=status.overdue,
        days_overdue=status.days_overdue,
        last_group=status.last_group,
        group_expected=bool(group and group.expected),
        sessions=sessions,
        short_sessions=sum(s.short for s in sessions),
        can_add=can_add,
        no_schedule=status.no_schedule,
        pending=sum(not s.confirmed for s in sessions),
    )


def _checked(data: SessionInput, today: date) -> dict[str, Any]:
    """The validated fields (notes left out when None), or an InputError naming every problem."""
    problems = ProblemList()
    if data.kind not in SESSION_KINDS:
        problems.add("kind", f"'{data.kind}' is not a kind of session; use individual or group")
    if data.day is None:
        problems.add("day", "say when the session took place")
    elif data.day > today:
        problems.add("day", f"{data.day} is in the future (today is {today})")
    if data.minutes is None:
        problems.add("minutes", "say how long the session lasted, in minutes")
    elif data.minutes <= 0:
        problems.add("minutes", f"must be more than 0, not {data.minutes}")
    elif data.minutes > LONGEST_MINUTES:
        problems.add("minutes", f"must be at most {LONGEST_MINUTES} (8 hours), not {data.minutes}")
    with_whom = data.with_whom.strip()
    if (why := free_text_issue(with_whom, "title", Supervision, "with_whom")) is not None:
        problems.add("with_whom", why)
    if data.notes is not None and (why := free_text_issue(data.notes.strip(), "note", Supervision, "notes")):
        problems.add("notes", why)
    problems.raise_if_any()
    fields: dict[str, Any] = {"kind": data.kind, "day": data.day, "minutes": data.minutes, "with_whom": with_whom}
    if data.notes is not None:
        fields["notes"] = data.notes.strip()
    return fields


def _one(session: Session, actor: Actor, row: Supervision, today: date) -> SessionRead:
    """The read model of one session, judged against the worker's schedule."""
    worker = session.get_one(Worker, row.worker_id)
    return _reads(session, actor, [row], schedule_of(session, worker, today).min_session_hours)[0]


def add_session(engine: Engine, actor: Actor, staff_id: str, data: SessionInput, today: date) -> SessionRead:
    """Record a supervision session: the worker themselves (their line manager is the supervisor, and the session
    waits for their confirmation), or someone in their line manager chain, an assigned educator or an admin (the
    actor is the supervisor, and the session counts at once).

    Raises:
        AccessDenied: the actor may not record this worker's supervision.
        InputError: a field is wrong; every problem is named.
    """
    with refusals_recorded(engine, actor), Session(engine) as session:
        worker = find_worker(session, staff_id)
        own = actor.worker_id == worker.id
        if not (own or is_reviewer(session, actor, worker)):
            raise AccessDenied(
                f"{actor.label} may not record {staff_id}'s supervision: only {staff_id} or their line manager may."
            )
        fields = _checked(data, today)
        fields.setdefault("notes", "")
        supervisor_id = worker.manager_id if own else actor.worker_id
        row = Supervision(
            worker_id=worker.id or 0,
            supervisor_id=supervisor_id,
            recorded_by_id=actor.worker_id,
            confirmed_at=None if own else utcnow(),
            confirmed_by_id=None if own else actor.worker_id,
            **fields,
        )
        session.add(row)
        session.flush()
        after = {
            "staff_id": staff_id,
            "supervisor_id": supervisor_id,
            **fields,
            "notes": "(private)",
            "confirmed": not own,
        }
        record(session, actor, "create", "supervision", row.id, after=after)
        session.commit()
        return _one(session, actor, row, today)


def _changeable(session: Session, actor: Actor, session_id: int) -> Supervision:
    row = session.get(Supervision, session_id)
    if row is None:
        raise NotFound(f"No supervision session has id {session_id}.")
    if not _may_change(actor, row):
        owner = session.get_one(Worker, row.worker_id)
        raise AccessDenied(
            f"{actor.label} may not change {owner.staff_id}'s supervision session of {row.day}: only "
            "the worker or that session's supervisor may."
        )
    return row


def edit_session(engine: Engine, actor: Actor, session_id: int, data: SessionInput, today: date) -> SessionRead:
    """Change a session: the worker, that session's supervisor, or an admin. Only the worker and the supervisor
    may change the notes; anyone else passes `notes=None` to keep them. When the worker changes a session's date,
    kind or length, it waits for their supervisor's confirmation again (it does not count until then).

    Raises:
        NotFound: no session has this id.
        AccessDenied: the actor may not change it.
        InputError: a field is wrong, or the notes are private from the actor.
    """
    with refusals_recorded(engine, actor), Session(engine) as session:
        row = _changeable(session, actor, session_id)
        fields = _checked(data, today)
        if "notes" in fields and not _privy(actor, row) and fields["notes"] != row.notes:
            raise InputError(
                Problem(
                    "notes", "the notes are private to the worker and their supervisor, so only they may change them"
                )
            )
        changed = {k: v for k, v in fields.items() if getattr(row, k) != v}
        if changed:
            before = {k: getattr(row, k) for k in changed}
            for key, value in changed.items():
                setattr(row, key, value)
            if "notes" in changed:
                before["notes"], changed["notes"] = "(private)", "(private, changed)"
            counted = {"day", "kind", "minutes"} & changed.keys()
            if counted and actor.worker_id == row.worker_id and row.confirmed_at is not None:
                row.confirmed_at, row.confirmed_by_id = None, None
                before["confirmed"], changed["confirmed"] = True, False
            session.add(row)
            record(session, actor, "update", "supervision", session_id, before=before, after=changed)
            session.commit()
        return _one(session, actor, row, today)


def confirm_session(engine: Engine, actor: Actor, *, session_id: int) -> SessionRead:
    """Confirm a session the worker recorded, so that it counts: its supervisor, or someone with rights over the
    worker (their line manager chain, an assigned educator, an admin), never the worker themselves. A session
    already confirmed is returned as it is.

    Raises:
        NotFound: no session has this id.
        AccessDenied: the actor may not confirm it (checked before anything about the session is told).
    """
    with refusals_recorded(engine, actor), Session(engine) as session:
        row = session.get(Supervision, session_id)
        if row is None:
            raise NotFound(f"No supervision session has id {session_id}.")
        worker = session.get_one(Worker, row.worker_id)
        if not _may_confirm(session, actor, row, worker):
            whose = "their own" if actor.worker_id == worker.id else f"{worker.staff_id}'s"
            raise AccessDenied(
                f"{actor.label} may not confirm {whose} supervision session: only the session's supervisor or "
                f"{worker.staff_id}'s line manager may."
            )
        if row.confirmed_at is None:
            row.confirmed_at, row.confirmed_by_id = utcnow(), actor.worker_id
            session.add(row)
            after = {"staff_id": worker.staff_id, "day": row.day, "kind": row.kind, "confirmed": True}
            record(session, actor, "confirm", "supervision", session_id, before={"confirmed": False}, after=after)
            session.commit()
        return _one(session, actor, row, row.day)


def remove_session(engine: Engine, actor: Actor, session_id: int) -> None:
    """Remove a session: the worker, that session's supervisor, or an admin.

    Raises:
        NotFound: no session has this id.
        AccessDenied: the actor may not change it.
    """
    with refusals_recorded(engine, actor), Session(engine) as session:
        row = _changeable(session, actor, session_id)
        owner = session.get_one(Worker, row.worker_id)
        before = {
            "staff_id": owner.staff_id,
            "supervisor_id": row.supervisor_id,
            "day": row.day,
            "kind": row.kind,
            "minutes": row.minutes,
            "with_whom": row.with_whom,
        }
        session.delete(row)
        record(session, actor, "delete", "supervision", session_id, before=before)
        session.commit()
