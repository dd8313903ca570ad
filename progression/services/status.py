"""One worker's standing with the regulator and their employer: CPD, supervision, first year, pay."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.engine.cpd import cpd_status
from progression.engine.facts import CpdRecordFact
from progression.engine.first_year import first_year
from progression.engine.pay import market_supplement, retention_due
from progression.engine.supervision import SessionFact, schedule_key, supervision_status
from progression.models import CpdRecord, Supervision, Worker
from progression.services.actor import Actor
from progression.services.cpd import standing_of
from progression.services.learners import first_year_of
from progression.services.progress import one_worker


class CpdRead(BaseModel):
    year_start: date
    year_end: date
    records: int
    peer_reflection_records: int
    records_needed: int
    peer_reflection_needed: int
    days_left: int
    compliant: bool
    met_on: date | None
    missing: str


class SupervisionRead(BaseModel):
    schedule: str
    schedule_title: str
    last_individual: date | None
    next_due: date | None
    """None where no schedule applies (`no_schedule` says why)."""
    overdue: bool
    days_overdue: int
    last_group: date | None
    pending: int
    """Sessions the worker recorded that wait for their supervisor's confirmation (not counted above)."""
    no_schedule: str | None
    """Why no supervision schedule applies to this worker (no published source sets one), or None."""


class ReviewRead(BaseModel):
    title: str
    due_on: date
    optional: bool


class FirstYearRead(BaseModel):
    programme: str
    title: str
    start: date
    ends_on: date | None
    reviews: list[ReviewRead]
    protected_time_percent: float | None
    workload_reduction_percent: float | None


class StatusRead(BaseModel):
    """`status --json`: CPD (registered social workers only), supervision, the first year (newly qualified only)
    and pay that follows the role."""

    staff_id: str
    on: date
    role: str
    registered_social_worker: bool
    """Whether Social Work England CPD and the registered social worker's supervision schedule apply."""
    cpd: CpdRead | None
    """None for a worker who is not a registered social worker (an apprentice, a student, a support worker)."""
    supervision: SupervisionRead
    first_year: FirstYearRead | None
    retention_amount: int | None
    retention_due_on: date | None
    market_supplement: int | None
    market_supplement_pro_rata: float | None


def worker_status(engine: Engine, actor: Actor, staff_id: str, on: date) -> StatusRead:
    """CPD for the registration year containing `on` (registered social workers only), supervision due by the
    schedule that applies (confirmed sessions only), and the rest."""
    with Session(engine) as session:
        worker, council = one_worker(session, actor, staff_id, on)
        person = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        worker_id = person.id
        standing = standing_of(session, person, on)
        newly_qualified = standing.kind == "newly-qualified"
        # The programme the worker is enrolled on, as the learners list reads it (one truth for both).
        enrolled = first_year_of(session, person, on, council.reference) if newly_qualified else None
        year_start, _ = council.reference.registration_year(on)
        records = [
            CpdRecordFact(day, peer)
            for day, peer in session.exec(
                select(CpdRecord.day, CpdRecord.peer_reflection).where(
                    CpdRecord.worker_id == worker_id, col(CpdRecord.day) >= year_start, col(CpdRecord.day) <= on
                )
            )
        ]
        sessions = [
            SessionFact(day, kind, confirmed_at is not None)
            for day, kind, confirmed_at in session.exec(
                select(col(Supervision.day), col(Supervision.kind), col(Supervision.confirmed_at)).where(
                    Supervision.worker_id == worker_id, col(Supervision.day) <= on
                )
            )
        ]
    reference = council.reference
    cpd = cpd_status(records, on, reference) if standing.registered else None
    supervision = supervision_status(sessions, worker.role_since, schedule_key(reference, standing.kind), on, reference)
    year = enrolled
    if year is None and newly_qualified:  # no enrolment recorded: the programme's usual length, ending with it
        usual = first_year(worker.role_since, reference, worker.service, worker.fte)
        year = first_year(worker.role_since, reference, worker.service, worker.fte, ended_on=usual.ends_on, on=on)
    retention = retention_due(worker, council)
    supplement = market_supplement(worker, council)
    return StatusRead(
        staff_id=staff_id,
        on=on,
        role=worker.role,
        registered_social_worker=standing.registered,
        cpd=CpdRead(**{f: getattr(cpd, f) for f in CpdRead.model_fields if f != "missing"}, missing=cpd.missing)
        if cpd
        else None,
        supervision=SupervisionRead(**{f: getattr(supervision, f) for f in SupervisionRead.model_fields}),
        first_year=FirstYearRead(
            programme=year.programme,
            title=year.title,
            start=year.start,
            ends_on=year.ends_on,
            reviews=[ReviewRead(title=r.title, due_on=r.due_on, optional=r.optional) for r in year.reviews],
            protected_time_percent=year.protected_time_percent,
            workload_reduction_percent=year.workload_reduction_percent,
        )
        if year
        else None,
        retention_amount=retention.amount if retention else None,
        retention_due_on=retention.due_on if retention else None,
        market_supplement=supplement[0] if supplement else None,
        market_supplement_pro_rata=supplement[1] if supplement else None,
    )
