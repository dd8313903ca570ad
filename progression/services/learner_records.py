"""Recording a learner's progress: off-the-job hours (logged, verified), placement days, reviews, status changes."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from progression.engine.reviews import ReviewState, ScheduledReview, state_of
from progression.errors import AccessDenied, InputError, NotFound, Problem
from progression.fields import column_limit, free_text_problem, text_problem
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
from progression.services.learners import ReviewPlan, review_fact, review_plan
from progression.services.learning import _breaks

STATUSES = ("active", "break", "withdrawn", "gateway", "completed")

_Row = TypeVar("_Row", PlacementDay, Review)


class OtjEntryRead(BaseModel):
    id: int
    day: date
    hours: float
    activity: str
    verified: bool
    verified_on: date | None


class ReviewRead(BaseModel):
    """A review of the learner's schedule: held, a draft (no outcome or a signature missing), or scheduled."""

    id: int | None
    """The recorded review; None for a review the programme schedules that nothing is recorded against yet."""
    kind: str
    title: str = "review"
    state: ReviewState = "scheduled"
    optional: bool = False
    due_on: date | None
    held_on: date | None
    learner_signed_on: date | None
    employer_signed_on: date | None
    educator_signed_on: date | None
    notes: str
    outcome: str | None


class PlacementDayRead(BaseModel):
    id: int
    day: date
    kind: str


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
    """The review schedule (engine/reviews.py): every review recorded or scheduled, by due date."""
    next_review: ReviewRead | None = None
    """The earliest review of the schedule not yet held (the one `learners` gives); None once the programme ended."""
    status_changes: list[StatusChangeRead]
    placement_days: list[tuple[date, str]]
    days: list[PlacementDayRead] = []
    """The placement days with their ids, for correcting one."""
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


def _plan(session: Session, enrolment: Enrolment, worker: Worker, kind: str, on: date) -> ReviewPlan:
    """The enrolment's review schedule on `on`, from the one function that decides it."""
    programme = session.get_one(Programme, enrolment.programme_id)
    reviews = session.exec(select(Review).where(Review.enrolment_id == enrolment.id)).all()
    changes = session.exec(
        select(EnrolmentStatusChange.status, EnrolmentStatusChange.day).where(
            EnrolmentStatusChange.enrolment_id == enrolment.id
        )
    ).all()
    breaks = _breaks(session, [enrolment.id]).get(enrolment.id, [])  # type: ignore[list-item, arg-type]
    return review_plan(kind, programme.key, enrolment, worker, reviews, breaks, list(changes), on, reference())


def _review_read(item: ScheduledReview, rows: dict[int, Review]) -> ReviewRead:
    row = rows.get(item.review_id) if item.review_id is not None else None
    return ReviewRead(
        id=item.review_id,
        kind=item.kind,
        title=item.title,
        state=item.state,
        optional=item.optional,
        due_on=item.due_on,
        held_on=row.held_on if row else None,
        learner_signed_on=row.learner_signed_on if row else None,
        employer_signed_on=row.employer_signed_on if row else None,
        educator_signed_on=row.educator_signed_on if row else None,
        notes=row.notes if row else "",
        outcome=row.outcome if row else None,
    )


def _row_read(row: Review, state: ReviewState, title: str = "review") -> ReviewRead:
    return ReviewRead(
        id=row.id,
        kind=row.kind,
        title=title,
        state=state,
        due_on=row.due_on,
        held_on=row.held_on,
        learner_signed_on=row.learner_signed_on,
        employer_signed_on=row.employer_signed_on,
        educator_signed_on=row.educator_signed_on,
        notes=row.notes,
        outcome=row.outcome,
    )


def learner_record(engine: Engine, actor: Actor, enrolment_id: int, on: date | None = None) -> LearnerRecord:
    """Everything recorded against one enrolment, with its review schedule on `on` (default: the real today)."""
    on = on or date.today()
    with Session(engine) as session:
        enrolment, worker, kind = _enrolment(session, actor, enrolment_id)
        programme = session.get_one(Programme, enrolment.programme_id)
        entries = session.exec(
            select(OtjEntry).where(OtjEntry.enrolment_id == enrolment_id).order_by(col(OtjEntry.day).desc())
        ).all()
        plan = _plan(session, enrolment, worker, kind, on)
        rows = {r.id: r for r in session.exec(select(Review).where(Review.enrolment_id == enrolment_id))}
        schedule = [_review_read(item, rows) for item in plan.schedule]  # type: ignore[arg-type]
        changes = session.exec(
            select(EnrolmentStatusChange)
            .where(EnrolmentStatusChange.enrolment_id == enrolment_id)
            .order_by(col(EnrolmentStatusChange.day))
        ).all()
        days = session.exec(
            select(PlacementDay).where(PlacementDay.enrolment_id == enrolment_id).order_by(col(PlacementDay.day))
        ).all()
        settings = session.exec(
            select(Placement).where(Placement.enrolment_id == enrolment_id).order_by(col(Placement.start_on))
        ).all()
        upcoming = plan.next
        return LearnerRecord(
            enrolment_id=enrolment_id,
            staff_id=worker.staff_id,
            name=worker.name,
            programme=programme.key,
            kind=kind,
            status=plan.status,
            start=enrolment.start_on,
            planned_end=enrolment.planned_end_on,
            entries=[_otj_read(e) for e in entries],
            reviews=schedule,
            next_review=next((r for r, item in zip(schedule, plan.schedule, strict=True) if item is upcoming), None),
            status_changes=[StatusChangeRead(status=c.status, day=c.day, note=c.note) for c in changes],
            placement_days=[(d.day, d.kind) for d in days],
            days=[PlacementDayRead(id=d.id, day=d.day, kind=d.kind) for d in days],  # type: ignore[arg-type]
            settings=[(p.setting, p.setting_kind, p.statutory_tasks_done, p.final) for p in settings],
        )


def open_reviews(engine: Engine, actor: Actor, enrolment_id: int, on: date) -> list[ReviewRead]:
    """The scheduled reviews not yet held (drafts among them) that the educator may record, by due date."""
    with Session(engine) as session:
        enrolment, worker, kind = _enrolment(session, actor, enrolment_id, educator_only=True)
        plan = _plan(session, enrolment, worker, kind, on)
        rows = {r.id: r for r in session.exec(select(Review).where(Review.enrolment_id == enrolment_id))}
        return [_review_read(item, rows) for item in plan.schedule if item.state != "held"]  # type: ignore[arg-type]


def _otj_problems(
    session: Session,
    enrolment: Enrolment,
    day: date,
    hours: float,
    activity: str,
    today: date,
    *,
    besides: int | None = None,
) -> list[Problem]:
    """Why off-the-job hours cannot be logged (or an entry corrected to them): hours not above 0 or over 24 in a
    day (with what else is logged that day, the entry `besides` aside), a day before the start, in the future or
    in a break in learning, an empty activity."""
    problems: list[Problem] = []
    if not (math.isfinite(hours) and 0 < hours <= 24):
        problems.append(Problem("hours", f"{hours:g} hours is not between 0 and 24 in a day"))
    if not activity.strip():
        problems.append(Problem("activity", "say what the off-the-job activity was"))
    elif (why := free_text_problem(activity.strip(), column_limit(OtjEntry, "activity"))) is not None:
        problems.append(Problem("activity", f"the text {why}"))
    if day > today:
        problems.append(Problem("date", f"{day} is in the future"))
    if enrolment.start_on and day < enrolment.start_on:
        problems.append(Problem("date", f"{day} is before the apprenticeship started on {enrolment.start_on}"))
    for start, end in _breaks(session, [enrolment.id]).get(enrolment.id, []):  # type: ignore[list-item, arg-type]
        if start <= day and (end is None or day < end):
            problems.append(Problem("date", f"{day} falls in a break in learning (from {start})"))
    query = select(func.coalesce(func.sum(OtjEntry.hours), 0)).where(
        OtjEntry.enrolment_id == enrolment.id, OtjEntry.day == day
    )
    if besides is not None:
        query = query.where(OtjEntry.id != besides)
    logged = session.exec(query).one()
    if math.isfinite(hours) and 0 < hours <= 24 and logged + hours > 24:
        problems.append(
            Problem(
                "hours",
                f"{logged:g} hours are already logged on {day}: {logged + hours:g} in all is more than 24 in a day",
            )
        )
    return problems


def _otj_read(entry: OtjEntry) -> OtjEntryRead:
    return OtjEntryRead(
        id=entry.id,  # type: ignore[arg-type]
        day=entry.day,
        hours=entry.hours,
        activity=entry.activity,
        verified=entry.verified_on is not None,
        verified_on=entry.verified_on,
    )


def _otj_audit(entry: OtjEntry) -> dict[str, object]:
    return {
        "enrolment": entry.enrolment_id,
        "day": entry.day,
        "hours": entry.hours,
        "activity": entry.activity,
        "verified_on": entry.verified_on,
    }


def log_otj(
    engine: Engine, actor: Actor, enrolment_id: int, day: date, hours: float, activity: str, today: date
) -> OtjEntryRead:
    """The apprentice (or their educator) logs off-the-job hours; an educator's own entries count as verified.

    Refused: hours not above 0 or over 24 in a day (with what is already logged that day), a day before the start,
    in the future, or during a break in learning, an empty activity.
    """
    with Session(engine) as session:
        enrolment, worker, kind = _enrolment(session, actor, enrolment_id)
        if kind != "apprenticeship":
            raise InputError(Problem("enrolment", f"off-the-job hours are for apprenticeships, not {kind}"))
        problems = _otj_problems(session, enrolment, day, hours, activity, today)
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
        return _otj_read(entry)


def _editable_entry(session: Session, actor: Actor, entry_id: int) -> tuple[OtjEntry, Enrolment]:
    """The entry, if the actor may correct or remove it: the apprenticeship's educator (or an administrator) any
    entry; the apprentice their own entries not yet verified."""
    entry = session.get(OtjEntry, entry_id)
    if entry is None:
        raise NotFound(f"No off-the-job entry has id {entry_id}.")
    enrolment, worker, _ = _enrolment(session, actor, entry.enrolment_id)
    is_educator = actor.is_admin or (actor.worker_id is not None and actor.worker_id == enrolment.educator_id)
    if actor.worker_id == worker.id and not actor.is_admin:
        if entry.verified_on is not None:
            raise AccessDenied(
                f"{actor.label} may not change off-the-job hours already verified: ask the educator to correct them."
            )
    elif not is_educator:
        raise AccessDenied(f"{actor.label} may not change {worker.staff_id}'s off-the-job hours.")
    return entry, enrolment


def correct_otj(
    engine: Engine,
    actor: Actor,
    entry_id: int,
    day: date,
    hours: float,
    activity: str,
    today: date,
) -> OtjEntryRead:
    """Correct an off-the-job entry logged by mistake (the same checks as logging it); audited before and after.

    The educator (or an administrator) may correct any entry, and it stays verified if it was (by them, today); the
    apprentice only their own entries not yet verified.
    """
    with Session(engine) as session:
        entry, enrolment = _editable_entry(session, actor, entry_id)
        problems = _otj_problems(session, enrolment, day, hours, activity, today, besides=entry_id)
        if problems:
            raise InputError(problems)
        before = _otj_audit(entry)
        entry.day, entry.hours, entry.activity = day, hours, activity.strip()
        if entry.verified_on is not None:
            entry.verified_by_id, entry.verified_on = actor.worker_id, today
        session.add(entry)
        record(session, actor, "correct-otj", "otj_entry", entry_id, before=before, after=_otj_audit(entry))
        session.commit()
        return _otj_read(entry)


def remove_otj(engine: Engine, actor: Actor, entry_id: int) -> OtjEntryRead:
    """Remove an off-the-job entry logged by mistake (who may: as `correct_otj`); the audit log keeps what it was."""
    with Session(engine) as session:
        entry, _ = _editable_entry(session, actor, entry_id)
        gone = _otj_read(entry)
        record(session, actor, "remove-otj", "otj_entry", entry_id, before=_otj_audit(entry))
        session.delete(entry)
        session.commit()
        return gone


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


def _educators_row(session: Session, actor: Actor, model: type[_Row], row_id: int, what: str) -> tuple[_Row, Enrolment]:
    """A learner's placement day or review, if the actor is their educator (or an administrator)."""
    found = session.get(model, row_id)
    if found is None:
        raise NotFound(f"No {what} has id {row_id}.")
    enrolment, _, _ = _enrolment(session, actor, found.enrolment_id, educator_only=True)
    return found, enrolment


def correct_placement_day(
    engine: Engine, actor: Actor, day_id: int, day: date, kind: str, today: date
) -> PlacementDayRead:
    """Correct a placement or skills day logged by mistake (the educator's); audited before and after. Refused as
    logging it would be: in the future, before the placement started, a day already logged, skills days over the
    rule's most."""
    if kind not in ("placement", "skills"):
        raise InputError(Problem("kind", f"'{kind}' is not placement or skills"))
    if day > today:
        raise InputError(Problem("date", f"{day} is in the future"))
    with Session(engine) as session:
        found, enrolment = _educators_row(session, actor, PlacementDay, day_id, "placement day")
        if enrolment.start_on and day < enrolment.start_on:
            raise InputError(Problem("date", f"{day} is before the placement started on {enrolment.start_on}"))
        others = session.exec(
            select(PlacementDay.day, PlacementDay.kind).where(
                PlacementDay.enrolment_id == enrolment.id, PlacementDay.id != day_id
            )
        ).all()
        if any(d == day for d, _ in others):
            raise InputError(Problem("date", f"{day} is already logged"))
        rule = reference().placement_rule_on(day)
        if kind == "skills" and sum(1 for _, k in others if k == "skills") >= rule.max_skills_days:
            raise InputError(Problem("kind", f"at most {rule.max_skills_days} skills days count"))
        before = {"enrolment": found.enrolment_id, "day": found.day, "kind": found.kind}
        found.day, found.kind = day, kind
        session.add(found)
        after = {"enrolment": found.enrolment_id, "day": day, "kind": kind}
        record(session, actor, "correct-day", "placement_day", day_id, before=before, after=after)
        session.commit()
        return PlacementDayRead(id=day_id, day=day, kind=kind)


def remove_placement_day(engine: Engine, actor: Actor, day_id: int) -> PlacementDayRead:
    """Remove a placement day logged by mistake (the educator's); the audit log keeps what it was."""
    with Session(engine) as session:
        found, _ = _educators_row(session, actor, PlacementDay, day_id, "placement day")
        gone = PlacementDayRead(id=day_id, day=found.day, kind=found.kind)
        before = {"enrolment": found.enrolment_id, "day": found.day, "kind": found.kind}
        record(session, actor, "remove-day", "placement_day", day_id, before=before)
        session.delete(found)
        session.commit()
        return gone


def _review_audit(review: Review) -> dict[str, object]:
    return {
        "enrolment": review.enrolment_id,
        "kind": review.kind,
        "due_on": review.due_on,
        "held_on": review.held_on,
        "outcome": review.outcome,
        "notes": review.notes,
        "learner_signed_on": review.learner_signed_on,
        "employer_signed_on": review.employer_signed_on,
        "educator_signed_on": review.educator_signed_on,
    }


def _review_problems(enrolment: Enrolment, held_on: date, notes: str, outcome: str, today: date) -> list[Problem]:
    problems = []
    if held_on > today:
        problems.append(Problem("held_on", f"{held_on} is in the future"))
    if enrolment.start_on and held_on < enrolment.start_on:
        problems.append(Problem("held_on", f"{held_on} is before the programme started on {enrolment.start_on}"))
    if not notes.strip():
        problems.append(Problem("notes", "say what the review found"))
    elif (why := free_text_problem(notes.strip(), column_limit(Review, "notes"))) is not None:
        problems.append(Problem("notes", f"the text {why}"))
    if (why := text_problem(outcome.strip(), column_limit(Review, "outcome"))) is not None:
        problems.append(Problem("outcome", f"the outcome {why}"))
    return problems


def _fill(
    review: Review, held_on: date, notes: str, outcome: str, learner: bool, employer: bool, educator: bool
) -> None:
    review.held_on, review.notes, review.outcome = held_on, notes.strip(), outcome.strip() or None
    review.learner_signed_on = (review.learner_signed_on or held_on) if learner else None
    review.employer_signed_on = (review.employer_signed_on or held_on) if employer else None
    review.educator_signed_on = (review.educator_signed_on or held_on) if educator else None


def _state(review: Review) -> ReviewState:
    return state_of(review_fact(review))


def _is(item: ScheduledReview, review: int | str) -> bool:
    """Whether `review` (a recorded review's id, or a scheduled review's kind) names the item."""
    if isinstance(review, int):
        return item.review_id == review
    return item.kind == review or (item.review_id is not None and str(item.review_id) == review)


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
    review: int | str | None = None,
) -> ReviewRead:
    """Record a review the educator (or an administrator) held, signed by whom it was signed.

    `review` chooses which scheduled review this is: a recorded review's id, or the kind of a review the programme
    schedules (`asye-interim`, `progress`); None is the next review due. It must be one not yet held (a draft may be
    completed). Without an outcome and all three signatures it is saved as a draft: it is not held, and the review
    stays due.
    """
    with Session(engine) as session:
        enrolment, worker, kind = _enrolment(session, actor, enrolment_id, educator_only=True)
        problems = _review_problems(enrolment, held_on, notes, outcome, today)
        if problems:
            raise InputError(problems)
        plan = _plan(session, enrolment, worker, kind, today)
        waiting = [item for item in plan.schedule if item.state != "held"]
        if review is None:
            chosen = plan.next or next(iter(waiting), None)
        else:
            chosen = next(
                (
                    item
                    for item in waiting
                    if item.review_id == review or (item.review_id is None and item.kind == review)
                ),
                None,
            )
            if chosen is None:
                offered = ", ".join(str(item.review_id or item.kind) for item in waiting) or "none"
                raise InputError(
                    Problem("review", f"'{review}' is not a scheduled review still to hold (open: {offered})")
                )
        row = session.get(Review, chosen.review_id) if chosen and chosen.review_id is not None else None
        before = _review_audit(row) if row is not None else None
        if row is None:
            default = "progress" if kind == "apprenticeship" else kind
            row = Review(
                enrolment_id=enrolment_id,
                kind=chosen.kind if chosen else default,
                due_on=chosen.due_on if chosen else None,
            )
        _fill(row, held_on, notes, outcome, learner_signed, employer_signed, educator_signed)
        session.add(row)
        session.flush()
        state = _state(row)
        after = {**_review_audit(row), "state": state}
        record(session, actor, "review", "enrolment", enrolment_id, before=before, after=after)
        session.commit()
        return _row_read(row, state, chosen.title if chosen else "review")


def correct_review(
    engine: Engine,
    actor: Actor,
    review_id: int,
    held_on: date,
    notes: str,
    outcome: str,
    today: date,
    *,
    learner_signed: bool,
    employer_signed: bool,
    educator_signed: bool,
) -> ReviewRead:
    """Correct a recorded review (the educator's): its date, findings, outcome and signatures, checked as when it
    was recorded; audited before and after. Taking away the outcome or a signature makes it a draft again."""
    with Session(engine) as session:
        row, enrolment = _educators_row(session, actor, Review, review_id, "review")
        if row.held_on is None:
            raise InputError(Problem("review", "this review has not been recorded yet: record it instead"))
        problems = _review_problems(enrolment, held_on, notes, outcome, today)
        if problems:
            raise InputError(problems)
        before = _review_audit(row)
        _fill(row, held_on, notes, outcome, learner_signed, employer_signed, educator_signed)
        session.add(row)
        state = _state(row)
        record(
            session,
            actor,
            "correct-review",
            "review",
            review_id,
            before=before,
            after={**_review_audit(row), "state": state},
        )
        session.commit()
        return _row_read(row, state)


def remove_review(engine: Engine, actor: Actor, review_id: int) -> ReviewRead:
    """Take back a review recorded by mistake (the educator's): a review the schedule had is due again (its date
    held, notes, outcome and signatures cleared), one recorded outside it is removed. The audit log keeps what it
    was."""
    with Session(engine) as session:
        row, _ = _educators_row(session, actor, Review, review_id, "review")
        if row.held_on is None:
            raise InputError(Problem("review", "this review has not been recorded: there is nothing to remove"))
        before = _review_audit(row)
        if row.due_on is None:
            gone = _row_read(row, _state(row))
            session.delete(row)
            record(session, actor, "remove-review", "review", review_id, before=before)
            session.commit()
            return gone
        row.held_on, row.notes, row.outcome = None, "", None
        row.learner_signed_on = row.employer_signed_on = row.educator_signed_on = None
        session.add(row)
        record(session, actor, "remove-review", "review", review_id, before=before, after=_review_audit(row))
        session.commit()
        return _row_read(row, "scheduled")


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
