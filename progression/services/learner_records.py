"""Recording a learner's progress: off-the-job hours (logged, verified), placement days, reviews, status changes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, InputError, NotFound, Problem
from progression.models import (
    Enrolment,
    EnrolmentStatusChange,
    OtjEntry,
    Placement,
    PlacementDay,
    Programme,
    Review,
    Worker,
)
from progression.reference import reference
from progression.services.actor import Actor
from progression.services.audit import record
from progression.services.learning import _breaks

STATUSES = ("active", "break", "withdrawn", "gateway", "completed")


class OtjEntryRead(BaseModel):
    id: int
    day: date
    hours: float
    activity: str
    verified: bool
    verified_on: date | None


class ReviewRead(BaseModel):
    id: int
    kind: str
    due_on: date | None
    held_on: date | None
    learner_signed_on: date | None
    employer_signed_on: date | None
    educator_signed_on: date | None
    notes: str
    outcome: str | None


class StatusChangeRead(BaseModel):
    status: str
    day: date
    note: str


class LearnerRecord(BaseModel):
    """One enrolment's records, for the learner view."""

    enrolment_id: int
    staff_id: str
    name: str
    programme: str
    kind: str
    status: str
    start: date | None
    planned_end: date | None
    entries: list[OtjEntryRead]
    reviews: list[ReviewRead]
    status_changes: list[StatusChangeRead]
    placement_days: list[tuple[date, str]]
    settings: list[tuple[str, str, bool, bool]]
    """(setting, kind, statutory tasks done, final) per placement."""


def _enrolment(
    session: Session, actor: Actor, enrolment_id: int, *, educator_only: bool = False
) -> tuple[Enrolment, Worker, str]:
    """The enrolment, if the actor is its learner, its educator, or an administrator."""
    found = session.exec(
        select(Enrolment, Worker, Programme.kind)
        .join(Worker, col(Worker.id) == Enrolment.worker_id)
        .join(Programme)
        .where(Enrolment.id == enrolment_id)
    ).first()
    if found is None:
        raise NotFound(f"No enrolment has id {enrolment_id}.")
    enrolment, worker, kind = found
    is_learner = actor.worker_id == worker.id
    is_educator = actor.worker_id is not None and actor.worker_id == enrolment.educator_id
    if educator_only and not (is_educator or actor.is_admin):
        raise AccessDenied(f"{actor.label} may not do that on {worker.staff_id}'s {kind}: it needs their educator.")
    if not (is_learner or is_educator or actor.is_admin):
        raise AccessDenied(f"{actor.label} may not see {worker.staff_id}'s {kind} records.")
    return enrolment, worker, kind


def learner_record(engine: Engine, actor: Actor, enrolment_id: int) -> LearnerRecord:
    """Everything recorded against one enrolment."""
    with Session(engine) as session:
        enrolment, worker, kind = _enrolment(session, actor, enrolment_id)
        programme = session.get_one(Programme, enrolment.programme_id)
        entries = session.exec(
            select(OtjEntry).where(OtjEntry.enrolment_id == enrolment_id).order_by(col(OtjEntry.day).desc())
        ).all()
        reviews = session.exec(
            select(Review).where(Review.enrolment_id == enrolment_id).order_by(col(Review.due_on))
        ).all()
        changes = session.exec(
            select(EnrolmentStatusChange)
            .where(EnrolmentStatusChange.enrolment_id == enrolment_id)
            .order_by(col(EnrolmentStatusChange.day))
        ).all()
        days = session.exec(
            select(PlacementDay.day, PlacementDay.kind)
            .where(PlacementDay.enrolment_id == enrolment_id)
            .order_by(col(PlacementDay.day))
        ).all()
        settings = session.exec(
            select(Placement).where(Placement.enrolment_id == enrolment_id).order_by(col(Placement.start_on))
        ).all()
        return LearnerRecord(
            enrolment_id=enrolment_id,
            staff_id=worker.staff_id,
            name=worker.name,
            programme=programme.key,
            kind=kind,
            status=enrolment.status,
            start=enrolment.start_on,
            planned_end=enrolment.planned_end_on,
            entries=[
                OtjEntryRead(
                    id=e.id,
                    day=e.day,
                    hours=e.hours,
                    activity=e.activity,  # type: ignore[arg-type]
                    verified=e.verified_on is not None,
                    verified_on=e.verified_on,
                )
                for e in entries
            ],
            reviews=[
                ReviewRead(
                    id=r.id,
                    kind=r.kind,
                    due_on=r.due_on,
                    held_on=r.held_on,  # type: ignore[arg-type]
                    learner_signed_on=r.learner_signed_on,
                    employer_signed_on=r.employer_signed_on,
                    educator_signed_on=r.educator_signed_on,
                    notes=r.notes,
                    outcome=r.outcome,
                )
                for r in reviews
            ],
            status_changes=[StatusChangeRead(status=c.status, day=c.day, note=c.note) for c in changes],
            placement_days=[tuple(d) for d in days],  # type: ignore[misc]
            settings=[(p.setting, p.setting_kind, p.statutory_tasks_done, p.final) for p in settings],
        )


def log_otj(
    engine: Engine, actor: Actor, enrolment_id: int, day: date, hours: float, activity: str, today: date
) -> OtjEntryRead:
    """The apprentice (or their educator) logs off-the-job hours; an educator's own entries count as verified.

    Refused: hours not above 0 or over 24 in a day (with what is already logged that day), a day before the start,
    in the future, or during a break in learning, an empty activity.
    """
    problems: list[Problem] = []
    if not 0 < hours <= 24:
        problems.append(Problem("hours", f"{hours:g} hours is not between 0 and 24 in a day"))
    if not activity.strip():
        problems.append(Problem("activity", "say what the off-the-job activity was"))
    if day > today:
        problems.append(Problem("date", f"{day} is in the future"))
    with Session(engine) as session:
        enrolment, worker, kind = _enrolment(session, actor, enrolment_id)
        if kind != "apprenticeship":
            raise InputError(Problem("enrolment", f"off-the-job hours are for apprenticeships, not {kind}"))
        if enrolment.start_on and day < enrolment.start_on:
            problems.append(Problem("date", f"{day} is before the apprenticeship started on {enrolment.start_on}"))
        for start, end in _breaks(session, [enrolment_id]).get(enrolment_id, []):
            if start <= day and (end is None or day < end):
                problems.append(Problem("date", f"{day} falls in a break in learning (from {start})"))
        logged = session.exec(
            select(func.coalesce(func.sum(OtjEntry.hours), 0)).where(
                OtjEntry.enrolment_id == enrolment_id, OtjEntry.day == day
            )
        ).one()
        if 0 < hours <= 24 and logged + hours > 24:
            problems.append(
                Problem(
                    "hours",
                    f"{logged:g} hours are already logged on {day}: {logged + hours:g} in all is more than 24 in a day",
                )
            )
        if problems:
            raise InputError(problems)
        by_educator = actor.worker_id is not None and actor.worker_id == enrolment.educator_id
        entry = OtjEntry(
            enrolment_id=enrolment_id,
            day=day,
            hours=hours,
            activity=activity.strip(),
            verified_by_id=actor.worker_id if by_educator else None,
            verified_on=today if by_educator else None,
        )
        session.add(entry)
        session.flush()
        record(
            session,
            actor,
            "log-otj",
            "enrolment",
            enrolment_id,
            after={"day": day, "hours": hours, "activity": activity, "verified": by_educator},
        )
        session.commit()
        return OtjEntryRead(
            id=entry.id,
            day=day,
            hours=hours,
            activity=entry.activity,
            verified=by_educator,  # type: ignore[arg-type]
            verified_on=entry.verified_on,
        )


def verify_otj(engine: Engine, actor: Actor, entry_ids: list[int], today: date) -> int:
    """The educator verifies submitted hours (only verified hours count). Returns how many were verified."""
    with Session(engine) as session:
        entries = session.exec(select(OtjEntry).where(col(OtjEntry.id).in_(entry_ids))).all()
        if len(entries) != len(set(entry_ids)):
            raise NotFound("Some of those off-the-job entries do not exist.")
        done = 0
        for enrolment_id in {e.enrolment_id for e in entries}:
            _, worker, _ = _enrolment(session, actor, enrolment_id, educator_only=True)
            if actor.worker_id == worker.id:
                raise AccessDenied(f"{actor.label} may not verify their own off-the-job hours.")
        for entry in entries:
            if entry.verified_on is None:
                entry.verified_by_id, entry.verified_on = actor.worker_id, today
                session.add(entry)
                done += 1
        record(session, actor, "verify-otj", "otj_entry", ",".join(map(str, entry_ids)), after={"verified": done})
        session.commit()
        return done


def log_placement_day(engine: Engine, actor: Actor, enrolment_id: int, day: date, kind: str, today: date) -> None:
    """Log a placement day or a skills day; refused past the placement rule's 30 skills days, twice on one day,
    in the future, or before the placement started."""
    if kind not in ("placement", "skills"):
        raise InputError(Problem("kind", f"'{kind}' is not placement or skills"))
    if day > today:
        raise InputError(Problem("date", f"{day} is in the future"))
    with Session(engine) as session:
        enrolment, _, programme_kind = _enrolment(session, actor, enrolment_id)
        if programme_kind != "placement":
            raise InputError(Problem("enrolment", f"placement days are for placements, not {programme_kind}"))
        if enrolment.start_on and day < enrolment.start_on:
            raise InputError(Problem("date", f"{day} is before the placement started on {enrolment.start_on}"))
        days = session.exec(
            select(PlacementDay.day, PlacementDay.kind).where(PlacementDay.enrolment_id == enrolment_id)
        ).all()
        if any(d == day for d, _ in days):
            raise InputError(Problem("date", f"{day} is already logged"))
        rule = reference().placement_rule_on(day)
        skills = sum(1 for _, k in days if k == "skills")
        if kind == "skills" and skills >= rule.max_skills_days:
            raise InputError(
                Problem(
                    "kind",
                    f"{skills} skills days are logged already: at most "
                    f"{rule.max_skills_days} count towards the {rule.min_total_days} days",
                )
            )
        placements = session.exec(
            select(Placement).where(Placement.enrolment_id == enrolment_id).order_by(col(Placement.start_on))
        ).all()
        current = [p for p in placements if p.start_on <= day and (p.end_on is None or day <= p.end_on)]
        session.add(
            PlacementDay(
                enrolment_id=enrolment_id, day=day, kind=kind, placement_id=current[-1].id if current else None
            )
        )
        record(session, actor, "log-day", "enrolment", enrolment_id, after={"day": day, "kind": kind})
        session.commit()


def record_review(
    engine: Engine,
    actor: Actor,
    enrolment_id: int,
    held_on: date,
    notes: str,
    outcome: str,
    today: date,
    *,
    learner_signed: bool,
    employer_signed: bool,
    educator_signed: bool,
) -> ReviewRead:
    """Record a review held (the educator or an administrator), signed by whom it was signed."""
    if held_on > today:
        raise InputError(Problem("held_on", f"{held_on} is in the future"))
    if not notes.strip():
        raise InputError(Problem("notes", "say what the review found"))
    with Session(engine) as session:
        enrolment, _, kind = _enrolment(session, actor, enrolment_id, educator_only=True)
        due = session.exec(
            select(Review)
            .where(Review.enrolment_id == enrolment_id, col(Review.held_on).is_(None))
            .order_by(col(Review.due_on))
        ).first()
        review = due or Review(enrolment_id=enrolment_id, kind="progress" if kind == "apprenticeship" else kind)
        review.held_on, review.notes, review.outcome = held_on, notes.strip(), outcome.strip() or None
        review.learner_signed_on = held_on if learner_signed else None
        review.employer_signed_on = held_on if employer_signed else None
        review.educator_signed_on = held_on if educator_signed else None
        session.add(review)
        session.flush()
        record(session, actor, "review", "enrolment", enrolment_id, after={"held_on": held_on, "outcome": outcome})
        session.commit()
        return ReviewRead(
            id=review.id,
            kind=review.kind,
            due_on=review.due_on,
            held_on=held_on,  # type: ignore[arg-type]
            learner_signed_on=review.learner_signed_on,
            employer_signed_on=review.employer_signed_on,
            educator_signed_on=review.educator_signed_on,
            notes=review.notes,
            outcome=review.outcome,
        )


def change_status(
    engine: Engine, actor: Actor, enrolment_id: int, status: str, day: date, note: str, today: date
) -> None:
    """A dated change of status (a break in learning, a return, withdrawal, gateway, completion); the educator's."""
    if status not in STATUSES:
        raise InputError(Problem("status", f"'{status}' is not one of {', '.join(STATUSES)}"))
    if day > today:
        raise InputError(Problem("date", f"{day} is in the future"))
    with Session(engine) as session:
        enrolment, _, _ = _enrolment(session, actor, enrolment_id, educator_only=True)
        if status == enrolment.status:
            raise InputError(Problem("status", f"the enrolment is already {status}"))
        if enrolment.start_on and day < enrolment.start_on:
            raise InputError(Problem("date", f"{day} is before the start ({enrolment.start_on})"))
        last = session.exec(
            select(func.max(EnrolmentStatusChange.day)).where(EnrolmentStatusChange.enrolment_id == enrolment_id)
        ).one()
        if last is not None and day < last:
            raise InputError(Problem("date", f"{day} is before the last change of status ({last})"))
        before = enrolment.status
        enrolment.status = status
        if status == "completed":
            enrolment.completed_on = day
        if status == "gateway" and not note.strip():
            raise InputError(Problem("note", "say what the gateway decision rests on"))
        session.add(enrolment)
        session.add(
            EnrolmentStatusChange(
                enrolment_id=enrolment_id, status=status, day=day, by_id=actor.worker_id, note=note.strip()
            )
        )
        record(
            session,
            actor,
            "change-status",
            "enrolment",
            enrolment_id,
            before={"status": before},
            after={"status": status, "day": day, "note": note},
        )
        session.commit()


def hours_over_time(record_: LearnerRecord, required: float | None) -> list[tuple[date, float, float | None]]:
    """Cumulative verified hours by week against the straight-line plan: (week, verified so far, planned so far)."""
    if record_.start is None:
        return []
    weekly: dict[date, float] = defaultdict(float)
    for entry in record_.entries:
        if entry.verified:
            weekly[entry.day - timedelta(days=entry.day.weekday())] += entry.hours
    total_days = ((record_.planned_end or record_.start) - record_.start).days or 1
    points, running = [], 0.0
    for week in sorted(weekly):
        running += weekly[week]
        planned = required * min((week - record_.start).days / total_days, 1.0) if required else None
        points.append((week, round(running, 1), round(planned, 1) if planned is not None else None))
    return points
