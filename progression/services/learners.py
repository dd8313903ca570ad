"""A practice educator's learners: apprentices, students on placement, newly qualified workers (issue 5)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.engine.apprenticeship import (
    ApprenticeshipFacts,
    Break,
    OtjFact,
    ReviewFact,
    gateway_check,
    otj_status,
    review_status,
)
from progression.engine.first_year import first_year
from progression.engine.placement import SettingFact, placement_status
from progression.models import (
    ApprenticeshipStandard,
    Capability,
    Enrolment,
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
from progression.reference import reference
from progression.services.actor import Actor
from progression.services.facts import latest_caseloads
from progression.services.learning import _breaks

KINDS = {"apprenticeship": "apprenticeship", "placement": "placement", "asye": "asye", "ecdp": "ecdp"}
RECENTLY = timedelta(days=365)


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
    session: Session, actor: Actor, on: date, enrolment_id: int | None = None
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
        recent = enrolment.completed_on is None or enrolment.completed_on >= on - RECENTLY
        if recent and enrolment.start_on <= on + timedelta(days=366):  # type: ignore[operator]
            found.append((enrolment, key, kind, worker))
    return found


def learners(engine: Engine, actor: Actor, on: date, enrolment_id: int | None = None) -> list[LearnerRead]:
    """The actor's learners (an administrator: every learner), each with where they stand on `on`.

    With `enrolment_id`, just that enrolment, which its learner may read as well as its educator.
    """
    data = reference()
    with Session(engine) as session:
        rows = _learner_enrolments(session, actor, on, enrolment_id)
        ids = [e.id for e, _, _, _ in rows]
        names = dict(session.exec(select(Worker.id, Worker.staff_id)).all())
        stages = dict(session.exec(select(Worker.id, Worker.educator_stage)).all())
        entries: dict[int, list[OtjFact]] = defaultdict(list)
        for enrolment_id, day, hours, verified_on in session.exec(
            select(OtjEntry.enrolment_id, OtjEntry.day, OtjEntry.hours, OtjEntry.verified_on).where(
                col(OtjEntry.enrolment_id).in_(ids)
            )
        ):
            entries[enrolment_id].append(OtjFact(day, hours, verified_on is not None and verified_on <= on))
        reviews: dict[int, list[Review]] = defaultdict(list)
        for review in session.exec(select(Review).where(col(Review.enrolment_id).in_(ids))):
            reviews[review.enrolment_id].append(review)
        days: dict[int, list[tuple[date, str]]] = defaultdict(list)
        for enrolment_id, day, kind in session.exec(
            select(PlacementDay.enrolment_id, PlacementDay.day, PlacementDay.kind).where(
                col(PlacementDay.enrolment_id).in_(ids)
            )
        ):
            days[enrolment_id].append((day, kind))
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
        ksb_total, ksb_done = _ksb_coverage(session, [w.id for _, _, _, w in rows], on)  # type: ignore[misc]
        caseloads = latest_caseloads(session, on)
        caps = dict(session.exec(select(Role.id, Role.caseload_cap)).all())
    out = []
    for enrolment, key, kind, worker in rows:
        base = LearnerRead(
            staff_id=worker.staff_id,
            name=worker.name,
            programme=key,
            kind=KINDS[kind],
            educator=names.get(enrolment.educator_id) if enrolment.educator_id else None,
            start=enrolment.start_on,
            planned_end=enrolment.planned_end_on,
            status=enrolment.status,  # type: ignore[arg-type]
            next_review_due=None,
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
                reviews=tuple(
                    ReviewFact(
                        r.due_on, r.held_on, bool(r.learner_signed_on and r.employer_signed_on and r.educator_signed_on)
                    )
                    for r in reviews.get(enrolment.id, [])
                ),  # type: ignore[arg-type]
                ksbs_total=ksb_total.get(key, 0),
                ksbs_evidenced=ksb_done.get((worker.id, key), 0),  # type: ignore[arg-type]
                employer_signed_off=enrolment.employer_signed_off_on is not None,
            )
            otj, due, gate = otj_status(facts, on, data), review_status(facts, on, data), gateway_check(facts, on, data)
            base = base.model_copy(
                update={
                    "otj_rule": otj.rule,
                    "otj_hours_required": otj.required,
                    "otj_hours_verified": otj.verified,
                    "otj_forecast_on": otj.forecast_on,
                    "otj_hours_per_week_needed": otj.per_week_needed,
                    "otj_explanation": otj.explanation,
                    "rag": otj.rag if enrolment.status == "active" else "grey",
                    "next_review_due": due.next_due,
                    "review_overdue": due.overdue,
                    "gateway_ready": gate.ready,
                    "gateway": gate.items,
                    "planned_end": otj.planned_end,
                }
            )
        elif kind == "placement":
            status = placement_status(days.get(enrolment.id, []), settings.get(enrolment.id, []), on, data)  # type: ignore[arg-type]
            pending = sorted(r.due_on for r in reviews.get(enrolment.id, []) if r.due_on and not r.held_on)  # type: ignore[arg-type]
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
                    "next_review_due": pending[0] if pending else None,
                    "rag": rag,
                }
            )
        else:
            year = first_year(enrolment.start_on, data, worker.service, worker.fte)  # type: ignore[arg-type]
            held = {r.kind for r in reviews.get(enrolment.id, []) if r.held_on}  # type: ignore[arg-type]
            due = [
                r
                for r in year.reviews
                if not r.optional and f"{kind}-{r.key}" not in held and not any(h.endswith(r.key) for h in held)
            ]
            upcoming = [r.due_on for r in due if enrolment.status != "completed"]
            next_due = min(upcoming) if upcoming else None
            cases, cap = caseloads.get(worker.id), caps.get(worker.role_id)
            over = cases is not None and cap is not None and cases > cap
            base = base.model_copy(
                update={
                    "next_review_due": next_due,
                    "review_overdue": bool(next_due and next_due < on),
                    "rag": "red" if (next_due and next_due < on) or over else "green",
                    "caseload": cases,
                    "caseload_cap": cap,
                    "protected_time_percent": year.protected_time_percent,
                }
            )
        out.append(base)
    return out


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
