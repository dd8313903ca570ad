"""Exporting a worker's development plan: the data, and its Markdown, JSON and iCalendar forms."""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.models import Enrolment, Programme, Review, Role
from progression.safe_text import json_text
from progression.services.actor import Actor, worker_to_read
from progression.services.plan_models import PlanRead
from progression.services.plan_reads import current_plan, read_plan
from progression.services.progress import next_steps
from progression.services.status import worker_status


class ReadinessRead(BaseModel):
    """A next step and the date the worker is expected to be ready for it (None when no date can be known)."""

    role: str
    title: str
    route: str
    ready: bool
    ready_on: date | None


class ReviewDue(BaseModel):
    """A review point: a first-year review date, or a review recorded on one of the worker's enrolments."""

    key: str
    """Stable within the worker: `<review id>` for a recorded review, `first-year-<slug>` for a planned one."""
    title: str
    due_on: date
    held_on: date | None = None


class CpdDeadline(BaseModel):
    year_start: date
    year_end: date
    records: int
    records_needed: int
    compliant: bool


class PlanExport(BaseModel):
    """Everything `export plan` writes: the plan, and the dates around it."""

    staff_id: str
    worker_name: str
    role: str
    role_title: str
    on: date
    plan: PlanRead | None
    next_steps: list[ReadinessRead]
    reviews: list[ReviewDue]
    cpd: CpdDeadline | None
    """None for a worker who is not a registered social worker (SWE CPD does not apply)."""


def slug(text: str) -> str:
    """Lowercase words joined by hyphens: 'Interim review' → 'interim-review'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _recorded_reviews(session: Session, worker_id: int) -> list[ReviewDue]:
    rows = session.exec(
        select(Review, Programme.title)
        .join(Enrolment, col(Enrolment.id) == Review.enrolment_id)
        .join(Programme, col(Programme.id) == Enrolment.programme_id)
        .where(Enrolment.worker_id == worker_id, col(Review.due_on).is_not(None))
        .order_by(col(Review.due_on), col(Review.id))
    )
    return [
        ReviewDue(
            key=str(review.id),
            title=f"{programme}: {review.kind.replace('-', ' ')} review",
            due_on=review.due_on,
            held_on=review.held_on,
        )
        for review, programme in rows
        if review.due_on is not None
    ]


def plan_export(engine: Engine, actor: Actor, staff_id: str, on: date) -> PlanExport:
    """The worker's current plan with their review dates, CPD deadline and expected readiness dates.

    A first-year review date that a recorded review already covers (the same due date) is listed once.

    Raises:
        NotFound: no such worker, or they have left.
        AccessDenied: the actor may not see the worker's records.
    """
    with Session(engine) as session:
        worker = worker_to_read(session, actor, staff_id, "development plan")
        plan = current_plan(session, worker.id or 0)
        plan_read = read_plan(session, actor, plan, worker, on) if plan else None
        reviews = _recorded_reviews(session, worker.id or 0)
        role = session.get_one(Role, worker.role_id)
        name, role_key, role_title = worker.name, role.key, role.title
    status = worker_status(engine, actor, staff_id, on)
    steps = next_steps(engine, actor, staff_id, on)
    recorded_days = {r.due_on for r in reviews}
    if status.first_year:
        programme = status.first_year.title
        planned = [
            ReviewDue(key=f"first-year-{slug(r.title)}", title=f"{programme}: {r.title}", due_on=r.due_on)
            for r in status.first_year.reviews
            if r.due_on not in recorded_days
        ]
        reviews = sorted(reviews + planned, key=lambda r: (r.due_on, r.key))
    cpd = status.cpd
    return PlanExport(
        staff_id=staff_id,
        worker_name=name,
        role=role_key,
        role_title=role_title,
        on=on,
        plan=plan_read,
        next_steps=[
            ReadinessRead(role=s.role, title=s.title, route=s.route, ready=s.ready, ready_on=s.ready_on)
            for s in steps.next_steps
        ],
        reviews=reviews,
        cpd=CpdDeadline(
            year_start=cpd.year_start,
            year_end=cpd.year_end,
            records=cpd.records,
            records_needed=cpd.records_needed,
            compliant=cpd.compliant,
        )
        if cpd is not None
        else None,
    )


def to_json(export: PlanExport) -> str:
    """The export as JSON: the plan (without the reader's rights), next steps' ready dates, reviews and CPD."""
    return json_text(export.model_dump(mode="json", exclude={"plan": {"rights"}}))
