"""A practice educator's learners: apprentices, students on placement, newly qualified workers (issue 5)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.engine.apprenticeship import (
    ApprenticeshipFacts,
    Break,
    OtjFact,
    gateway_check,
    otj_status,
    review_schedule,
)
from progression.engine.first_year import FirstYear, first_year
from progression.engine.placement import SettingFact, placement_status
from progression.engine.reviews import (
    FINISHED,
    ReviewFact,
    ScheduledReview,
    final_review_held,
    first_year_schedule,
    in_order,
    next_review,
    recorded,
)
from progression.models import (
    ApprenticeshipStandard,
    Capability,
    Enrolment,
    EnrolmentStatusChange,
    Evidence,
    EvidenceLink,
    Framework,
    OtjEntry,
    Placement,
    PlacementDay,
    Programme,
    Review,
    Role,
    Worker,
)
from progression.reference import Reference, reference
from progression.services.actor import Actor
from progression.services.facts import latest_caseloads
from progression.services.learning import _breaks

KINDS = {"apprenticeship": "apprenticeship", "placement": "placement", "asye": "asye", "ecdp": "ecdp"}
FIRST_YEAR_KINDS = ("asye", "ecdp")
RECENTLY = timedelta(days=365)
"""Without `finished`, no enrolment completed longer ago than this is read at all."""


@dataclass(frozen=True, slots=True)
class ReviewPlan:
    """An enrolment's reviews on a day: the schedule, the next review, and whether the programme has ended."""

    schedule: list[ScheduledReview]
    next: ScheduledReview | None
    """The earliest review of the schedule not yet held; None once the programme has ended."""
    status: str
    """The enrolment's status, `completed` once a first-year programme's final review is held or its completion
    date has passed."""
    ended_on: date | None
    year: FirstYear | None
    """Newly qualified workers: the programme, with protected time only while it runs."""

    @property
    def ended(self) -> bool:
        return self.status in FINISHED

    def overdue(self, on: date) -> bool:
        """Whether the next review is past its due date on `on`."""
        return self.next is not None and self.next.due_on is not None and self.next.due_on < on


def review_fact(review: Review) -> ReviewFact:
    """A recorded review as the engine reads it."""
    signed = bool(review.learner_signed_on and review.employer_signed_on and review.educator_signed_on)
    return ReviewFact(
        review.due_on, review.held_on, signed, bool((review.outcome or "").strip()), review.kind, review.id
    )


def review_plan(
    kind: str,
    programme: str,
    enrolment: Enrolment,
    worker: Worker,
    reviews: Sequence[Review],
    breaks: Sequence[tuple[date, date | None]],
    status_changes: Sequence[tuple[str, date]],
    on: date,
    data: Reference,
) -> ReviewPlan:
    """The one place a learner's next review is decided, for every kind of learner (see engine/reviews.py)."""
    facts = tuple(review_fact(r) for r in reviews)
    status = enrolment.status
    ended_on: date | None = None
    if status in FINISHED:
        ended_on = enrolment.completed_on or max((d for s, d in status_changes if s == status), default=None) or on
    elif enrolment.completed_on is not None and enrolment.completed_on <= on:
        status, ended_on = "completed", enrolment.completed_on
    year = None
    start = enrolment.start_on or on
    if kind == "apprenticeship":
        schedule = review_schedule(
            ApprenticeshipFacts(
                start=start,
                planned_end=enrolment.planned_end_on or start,
                contracted_hours=enrolment.contracted_hours,
                status=status,
                breaks=tuple(Break(s, e) for s, e in breaks),
                reviews=facts,
            ),
            on,
            data,
        )
    elif kind in FIRST_YEAR_KINDS:
        plain = first_year(
            start, data, worker.service, worker.fte, programme=programme, planned_end=enrolment.planned_end_on
        )
        points = [(f"{kind}-{p.key}", p.title, p.due_on, p.optional) for p in plain.reviews]
        schedule = first_year_schedule(points, facts, on)
        required = [p for p in plain.reviews if not p.optional]
        final_kind = f"{kind}-{max(required, key=lambda p: p.due_on).key}" if required else None
        final_held = final_review_held(schedule, final_kind)
        if ended_on is None and final_held is not None:
            status, ended_on = "completed", final_held
        year = first_year(
            start,
            data,
            worker.service,
            worker.fte,
            programme=programme,
            planned_end=enrolment.planned_end_on,
            ended_on=ended_on,
            on=on,
        )
    else:
        schedule = in_order([recorded(r, "placement review", on) for r in facts])
    return ReviewPlan(schedule, next_review(schedule, status in FINISHED), status, ended_on, year)


def first_year_of(
    session: Session, worker: Worker, on: date, data: Reference, start: date | None = None
) -> FirstYear | None:
    """A newly qualified worker's first year on `on`, read from their latest ASYE or ECDP enrolment (so `status`
    and the learners list agree): None when they have none. Its protected time and workload reduction end with it.
    """
    found = session.exec(
        select(Enrolment, Programme.key, Programme.kind)
        .join(Programme)
        .where(
            Enrolment.worker_id == worker.id,
            col(Programme.kind).in_(FIRST_YEAR_KINDS),
            col(Enrolment.start_on).is_not(None),
            col(Enrolment.start_on) <= on,
        )
        .order_by(col(Enrolment.start_on).desc(), col(Enrolment.id).desc())
    ).first()
    if found is None:
        return None
    enrolment, key, kind = found
    reviews = session.exec(select(Review).where(Review.enrolment_id == enrolment.id)).all()
    changes = session.exec(
        select(EnrolmentStatusChange.status, EnrolmentStatusChange.day).where(
            EnrolmentStatusChange.enrolment_id == enrolment.id
        )
    ).all()
    plan = review_plan(kind, key, enrolment, worker, reviews, [], list(changes), on, data)
    return plan.year


class LearnerRead(BaseModel):
    """`learners --json` (CONTRACT.md), with a few more fields for the educator's dashboard."""

    staff_id: str
    name: str
    programme: str
    kind: str
    educator: str | None
    start: date
    planned_end: date | None
    status: str
    next_review_due: date | None
    review_overdue: bool = False
    rag: str = "grey"
    otj_rule: str | None = None
    otj_hours_required: float | None = None
    otj_hours_verified: float | None = None
    otj_forecast_on: date | None = None
    otj_hours_per_week_needed: float | None = None
    otj_explanation: str | None = None
    gateway_ready: bool | None = None
    gateway: list[tuple[str, bool, str]] | None = None
    placement_days: int | None = None
    skills_days: int | None = None
    placement_days_required: int | None = None
    contrasting_settings: bool | None = None
    statutory_tasks_done: bool | None = None
    placement_problems: list[str] | None = None
    caseload: int | None = None
    """Newly qualified workers: the latest caseload count, kept under the role's reduced cap."""
    caseload_cap: int | None = None
    protected_time_percent: float | None = None
    enrolment_id: int = 0


def _learner_enrolments(
    session: Session, actor: Actor, on: date, enrolment_id: int | None = None, *, finished: bool = False
) -> list[tuple[Enrolment, str, str, Worker]]:
    query = (
        select(Enrolment, Programme.key, Programme.kind, Worker)
        .join(Programme)
        .join(Worker, col(Worker.id) == Enrolment.worker_id)
        .where(col(Enrolment.start_on).is_not(None), col(Programme.kind).in_(KINDS))
    )
    if enrolment_id is not None:
        query = query.where(Enrolment.id == enrolment_id)
        if not actor.is_admin:  # one enrolment: its learner may read it too
            me = actor.worker_id or -1
            query = query.where((Enrolment.educator_id == me) | (Enrolment.worker_id == me))
    elif not actor.is_admin:
        query = query.where(Enrolment.educator_id == (actor.worker_id or -1))
    found = []
    for enrolment, key, kind, worker in session.exec(query.order_by(col(Worker.name), col(Enrolment.start_on))):
        recent = finished or enrolment.completed_on is None or enrolment.completed_on >= on - RECENTLY
        if (recent or enrolment_id is not None) and enrolment.start_on <= on + timedelta(days=366):  # type: ignore[operator]
            found.append((enrolment, key, kind, worker))
    return found


def learners(
    engine: Engine, actor: Actor, on: date, enrolment_id: int | None = None, *, finished: bool = False
) -> list[LearnerRead]:
    """The actor's current learners (an administrator: every learner), each with where they stand on `on`.

    A learner whose programme is completed or withdrawn (or past its final review) is listed only with `finished`,
    after the current ones. With `enrolment_id`, just that enrolment, finished or not, which its learner may read as
    well as its educator.
    """
    data, one = reference(), enrolment_id
    with Session(engine) as session:
        rows = _learner_enrolments(session, actor, on, one, finished=finished)
        ids = [e.id for e, _, _, _ in rows]
        names = dict(session.exec(select(Worker.id, Worker.staff_id)).all())
        stages = dict(session.exec(select(Worker.id, Worker.educator_stage)).all())
        entries: dict[int, list[OtjFact]] = defaultdict(list)
        for entry_of, day, hours, verified_on in session.exec(
            select(OtjEntry.enrolment_id, OtjEntry.day, OtjEntry.hours, OtjEntry.verified_on).where(
                col(OtjEntry.enrolment_id).in_(ids)
            )
        ):
            entries[entry_of].append(OtjFact(day, hours, verified_on is not None and verified_on <= on))
        reviews: dict[int, list[Review]] = defaultdict(list)
        for review in session.exec(select(Review).where(col(Review.enrolment_id).in_(ids))):
            reviews[review.enrolment_id].append(review)
        days: dict[int, list[tuple[date, str]]] = defaultdict(list)
        for day_of, day, kind in session.exec(
            select(PlacementDay.enrolment_id, PlacementDay.day, PlacementDay.kind).where(
                col(PlacementDay.enrolment_id).in_(ids)
            )
        ):
            days[day_of].append((day, kind))
        settings: dict[int, list[SettingFact]] = defaultdict(list)
        for placement in session.exec(select(Placement).where(col(Placement.enrolment_id).in_(ids))):
            settings[placement.enrolment_id].append(
                SettingFact(
                    placement.setting,
                    placement.setting_kind,
                    placement.statutory_tasks_done,
                    placement.final,
                    stages.get(placement.educator_id) if placement.educator_id else None,
                )
            )
        standards = {s.id: s for s in session.exec(select(ApprenticeshipStandard))}
        breaks = _breaks(session, ids)  # type: ignore[arg-type]
        changes: dict[int, list[tuple[str, date]]] = defaultdict(list)
        for enrolment_id_, change, day in session.exec(
            select(EnrolmentStatusChange.enrolment_id, EnrolmentStatusChange.status, EnrolmentStatusChange.day).where(
                col(EnrolmentStatusChange.enrolment_id).in_(ids)
            )
        ):
            changes[enrolment_id_].append((change, day))
        ksb_total, ksb_done = _ksb_coverage(session, [w.id for _, _, _, w in rows], on)  # type: ignore[misc]
        caseloads = latest_caseloads(session, on)
        caps = dict(session.exec(select(Role.id, Role.caseload_cap)).all())
    current: list[LearnerRead] = []
    done: list[LearnerRead] = []
    for enrolment, key, kind, worker in rows:
        plan = review_plan(
            kind,
            key,
            enrolment,
            worker,
            reviews.get(enrolment.id, []),  # type: ignore[arg-type]
            breaks.get(enrolment.id, []),  # type: ignore[arg-type]
            changes.get(enrolment.id, []),  # type: ignore[arg-type]
            on,
            data,
        )
        if plan.ended and not finished and one is None:
            continue
        next_due = plan.next.due_on if plan.next else None
        base = LearnerRead(
            staff_id=worker.staff_id,
            name=worker.name,
            programme=key,
            kind=KINDS[kind],
            educator=names.get(enrolment.educator_id) if enrolment.educator_id else None,
            start=enrolment.start_on,
            planned_end=enrolment.planned_end_on,
            status=plan.status,
            next_review_due=next_due,
            review_overdue=plan.overdue(on),
            enrolment_id=enrolment.id or 0,
        )
        if kind == "apprenticeship":
            standard = standards.get(enrolment.standard_id) if enrolment.standard_id else None
            facts = ApprenticeshipFacts(
                start=enrolment.start_on,
                planned_end=enrolment.planned_end_on or enrolment.start_on,  # type: ignore[arg-type]
                contracted_hours=enrolment.contracted_hours,
                status=enrolment.status,
                stated_hours=enrolment.otj_hours_required,
                standard_minimum=standard.otj_minimum_hours if standard else None,
                breaks=tuple(Break(s, e) for s, e in breaks.get(enrolment.id, [])),  # type: ignore[arg-type]
                entries=tuple(entries.get(enrolment.id, [])),  # type: ignore[arg-type]
                reviews=tuple(review_fact(r) for r in reviews.get(enrolment.id, [])),  # type: ignore[arg-type]
                ksbs_total=ksb_total.get(key, 0),
                ksbs_evidenced=ksb_done.get((worker.id, key), 0),  # type: ignore[arg-type]
                employer_signed_off=enrolment.employer_signed_off_on is not None,
            )
            otj, gate = otj_status(facts, on, data), gateway_check(facts, on, data)
            base = base.model_copy(
                update={
                    "otj_rule": otj.rule,
                    "otj_hours_required": otj.required,
                    "otj_hours_verified": otj.verified,
                    "otj_forecast_on": otj.forecast_on,
                    "otj_hours_per_week_needed": otj.per_week_needed,
                    "otj_explanation": otj.explanation,
                    "rag": otj.rag if plan.status == "active" else "grey",
                    "gateway_ready": gate.ready,
                    "gateway": gate.items,
                    "planned_end": otj.planned_end,
                }
            )
        elif kind == "placement":
            status = placement_status(days.get(enrolment.id, []), settings.get(enrolment.id, []), on, data)  # type: ignore[arg-type]
            expected = status.min_total_days * _elapsed(enrolment, on)
            rag = (
                "green"
                if status.total_days >= expected * 0.9
                else "amber"
                if status.total_days >= expected * 0.75
                else "red"
            )
            base = base.model_copy(
                update={
                    "placement_days": status.placement_days,
                    "skills_days": status.skills_days,
                    "placement_days_required": status.min_total_days,
                    "contrasting_settings": status.contrasting,
                    "statutory_tasks_done": status.statutory_tasks_done,
                    "placement_problems": status.problems,
                    "rag": "grey" if plan.ended else rag,
                }
            )
        else:
            year = plan.year
            cases, cap = caseloads.get(worker.id), caps.get(worker.role_id)
            cap = None if plan.ended else cap  # the reduced cap ends with the programme
            over = cases is not None and cap is not None and cases > cap
            base = base.model_copy(
                update={
                    "rag": "grey" if plan.ended else "red" if plan.overdue(on) or over else "green",
                    "caseload": cases,
                    "caseload_cap": cap,
                    "protected_time_percent": year.protected_time_percent if year else None,
                }
            )
        (done if plan.ended else current).append(base)
    return current + done


def _elapsed(enrolment: Enrolment, on: date) -> float:
    if not enrolment.start_on or not enrolment.planned_end_on or enrolment.planned_end_on <= enrolment.start_on:
        return 1.0
    span = (enrolment.planned_end_on - enrolment.start_on).days
    return min(max((on - enrolment.start_on).days / span, 0.0), 1.0)


def _ksb_coverage(
    session: Session, worker_ids: list[int], on: date
) -> tuple[dict[str, int], dict[tuple[int, str], int]]:
    """How many KSBs each standard has, and how many each learner has accepted evidence for."""
    totals: dict[str, int] = defaultdict(int)
    for key, _ in session.exec(
        select(Framework.key, Capability.id)
        .join(Capability, col(Capability.framework_id) == Framework.id)
        .where(Framework.kind == "apprenticeship-ksbs")
    ):
        totals[key] += 1
    done: dict[tuple[int, str], set[int]] = defaultdict(set)
    for worker_id, key, capability_id in session.exec(
        select(Evidence.worker_id, Framework.key, EvidenceLink.capability_id)
        .join(EvidenceLink, col(EvidenceLink.evidence_id) == Evidence.id)
        .join(Capability, col(Capability.id) == EvidenceLink.capability_id)
        .join(Framework, col(Framework.id) == Capability.framework_id)
        .where(
            Framework.kind == "apprenticeship-ksbs",
            col(Evidence.worker_id).in_(worker_ids),
            col(Evidence.accepted_on).is_not(None),
            col(Evidence.accepted_on) <= on,
        )
    ):
        done[(worker_id, key)].add(capability_id)
    return dict(totals), {k: len(v) for k, v in done.items()}
