"""Loading the engine's facts from the database in a handful of queries, whatever the number of workers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import String, func, type_coerce
from sqlmodel import Session, col, select

from progression.engine.facts import (
    CouncilFacts,
    CpdRecordFact,
    RequirementFacts,
    RoleFacts,
    TransitionFacts,
    WorkerFacts,
)
from progression.models import (
    Capability,
    CaseloadCount,
    CpdRecord,
    DevelopmentPlan,
    Enrolment,
    Evidence,
    EvidenceLink,
    Framework,
    FrameworkLevel,
    Goal,
    GoalAction,
    GoalCapability,
    Programme,
    Requirement,
    Role,
    Route,
    Transition,
    Worker,
)
from progression.reference import Reference, reference

ACTIVE = ("active", "gateway")


def _raw(column):  # type: ignore[no-untyped-def]
    """A date column read without SQLAlchemy's per-value processing (3× faster on SQLite); see `_day`."""
    return type_coerce(column, String)


def _day(value: date | str | None) -> date | None:
    """A date as the driver returned it: a date (PostgreSQL) or ISO text (SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def load_council(session: Session, data: Reference | None = None) -> CouncilFacts:
    """The council's roles and transitions, in the authority file's order (3 queries)."""
    data = data or reference()
    roles: dict[str, RoleFacts] = {}
    by_id: dict[int, str] = {}
    for role, route_key, route_kind in session.exec(
        select(Role, Route.key, Route.kind).join(Route, col(Route.id) == Role.route_id).order_by(col(Role.position))
    ):
        by_id[role.id] = role.key  # type: ignore[index]
        if role.retired:
            continue
        roles[role.key] = RoleFacts(
            key=role.key,
            title=role.title,
            route=route_key,
            pcf_level=role.pcf_level,
            caseload_cap=role.caseload_cap,
            retention_amount=role.retention_amount,
            retention_after_months=role.retention_after_months,
            market_supplement=role.market_supplement,
            route_kind=route_kind,
        )
    requirements: dict[int, list[RequirementFacts]] = defaultdict(list)
    for r in session.exec(select(Requirement).order_by(col(Requirement.transition_id), col(Requirement.position))):
        requirements[r.transition_id].append(
            RequirementFacts(r.kind, r.months, r.programme_key, r.framework_key, r.level_key)
        )
    transitions = [
        TransitionFacts(by_id[t.from_role_id], by_id[t.to_role_id], t.decided_by, tuple(requirements[t.id or 0]))
        for t in session.exec(select(Transition).order_by(col(Transition.position)))
        if by_id[t.from_role_id] in roles and by_id[t.to_role_id] in roles
    ]
    months = {p.key: p.duration_months for p in session.exec(select(Programme)) if p.duration_months}
    for key, programme in data.programmes.items():
        if key not in months:
            durations = [v.duration_months for v in programme.versions if v.duration_months]
            if programme.duration_months or durations:
                months[key] = programme.duration_months or durations[-1]
    return CouncilFacts(roles, transitions, data, months)


def load_workers(
    session: Session, on: date, council: CouncilFacts, worker_ids: Iterable[int] | None = None
) -> list[WorkerFacts]:
    """Facts for the given workers (None: every current worker), in 5 queries."""
    ids = None if worker_ids is None else list(worker_ids)
    connection = session.connection()
    needs = {r.kind for t in council.transitions for r in t.requirements}
    programmes = {
        key
        for t in council.transitions
        for r in t.requirements
        if r.kind == "completed" and r.programme
        for key in council.equivalents(r.programme, "children") + council.equivalents(r.programme, "adults")
    }
    levels = {(r.framework, r.level) for t in council.transitions for r in t.requirements if r.kind == "evidence"}

    def only(query, column):  # type: ignore[no-untyped-def]
        return query if ids is None else query.where(col(column).in_(ids))

    completed: dict[int, dict[str, date]] = defaultdict(dict)
    planned: dict[int, dict[str, date]] = defaultdict(dict)
    paused: dict[int, set[str]] = defaultdict(set)
    enrolments = only(
        select(
            Enrolment.worker_id,
            Programme.key,
            Enrolment.status,
            _raw(Enrolment.completed_on),
            _raw(Enrolment.planned_end_on),
        )
        .join(Programme, col(Programme.id) == Enrolment.programme_id)
        .where(col(Programme.key).in_(programmes)),
        Enrolment.worker_id,
    )
    for worker_id, key, status, completed_text, planned_text in (
        connection.execute(enrolments).all() if programmes else ()
    ):
        completed_on, planned_end = _day(completed_text), _day(planned_text)
        if completed_on is not None and completed_on <= on:
            previous = completed[worker_id].get(key)
            completed[worker_id][key] = min(previous, completed_on) if previous else completed_on
        elif status == "break":
            paused[worker_id].add(key)
        elif status in ACTIVE and planned_end is not None:
            planned[worker_id][key] = planned_end

    evidence: dict[int, dict[tuple[str, str], dict[str, date]]] = defaultdict(lambda: defaultdict(dict))
    if levels:
        level_ids = {
            level_id: (framework, level)
            for level_id, framework, level in session.exec(
                select(FrameworkLevel.id, Framework.key, FrameworkLevel.key).join(
                    Framework, col(Framework.id) == FrameworkLevel.framework_id
                )
            )
            if (framework, level) in levels
        }
        accepted = only(
            select(Evidence.worker_id, Capability.code, EvidenceLink.level_id, _raw(func.min(Evidence.accepted_on)))
            .join(EvidenceLink, col(EvidenceLink.evidence_id) == Evidence.id)
            .join(Capability, col(Capability.id) == EvidenceLink.capability_id)
            .where(
                col(Evidence.accepted_on).is_not(None),
                col(Evidence.accepted_on) <= on,
                col(EvidenceLink.level_id).in_(level_ids),
            )
            .group_by(Evidence.worker_id, Capability.id, Capability.code, EvidenceLink.level_id),
            Evidence.worker_id,
        )
        for worker_id, code, level_id, first in connection.execute(accepted).all():
            evidence[worker_id][level_ids[level_id]][code] = _day(first)  # type: ignore[assignment]

    year_start, _ = council.reference.registration_year(on)
    cpd: dict[int, list[CpdRecordFact]] = defaultdict(list)
    records = only(
        select(CpdRecord.worker_id, _raw(CpdRecord.day), CpdRecord.peer_reflection).where(
            col(CpdRecord.day) >= year_start, col(CpdRecord.day) <= on
        ),
        CpdRecord.worker_id,
    )
    for worker_id, day, peer in connection.execute(records).all() if "cpd_compliant" in needs else ():
        cpd[worker_id].append(CpdRecordFact(_day(day), bool(peer)))  # type: ignore[arg-type]

    people = only(
        select(
            Worker.id,
            Worker.staff_id,
            Role.key,
            _raw(Worker.role_since),
            _raw(Worker.employed_since),
            _raw(Worker.qualified_on),
            Worker.fte,
            Worker.service,
        )
        .join(Role, col(Role.id) == Worker.role_id)
        .where(col(Worker.left_on).is_(None))
        .order_by(col(Worker.staff_id)),
        Worker.id,
    )
    facts = []
    for worker_id, staff_id, role, role_since, employed_since, qualified_text, fte, service in connection.execute(
        people
    ).all():
        qualified_on = _day(qualified_text)
        facts.append(
            WorkerFacts(
                staff_id=staff_id,
                role=role,
                role_since=_day(role_since),
                employed_since=_day(employed_since),  # type: ignore[arg-type]
                qualified_on=qualified_on if qualified_on is not None and qualified_on <= on else None,
                fte=fte,
                completed=completed.get(worker_id, {}),
                planned=planned.get(worker_id, {}),
                paused=frozenset(paused.get(worker_id, ())),
                evidence=evidence.get(worker_id, {}),
                cpd=tuple(cpd.get(worker_id, ())),
                service=service,
            )
        )
    return facts


OPEN_PLAN_STATES = ("draft", "submitted", "agreed")
"""Plans whose open goals still say when the worker means to evidence something (a complete plan is closed)."""


def plan_dates(session: Session, worker_id: int) -> dict[tuple[str, str], date]:
    """(framework, capability code) → the date the worker's development plans expect it evidenced (3 queries).

    A goal not yet done, in a plan not complete, with a due date or open actions with due dates, is expected
    done by the latest of them; a capability linked to several such goals takes the earliest. Used to estimate
    the date of missing evidence, never as a fact.
    """
    goals = session.exec(
        select(col(Goal.id), col(Goal.due_on))
        .join(DevelopmentPlan, col(DevelopmentPlan.id) == Goal.plan_id)
        .where(
            DevelopmentPlan.worker_id == worker_id,
            col(DevelopmentPlan.state).in_(OPEN_PLAN_STATES),
            col(Goal.done_on).is_(None),
        )
    ).all()
    if not goals:
        return {}
    due: dict[int, list[date]] = {goal_id: [day] if day else [] for goal_id, day in goals if goal_id is not None}
    for goal_id, day in session.exec(
        select(GoalAction.goal_id, col(GoalAction.due_on)).where(
            col(GoalAction.goal_id).in_(due), col(GoalAction.done_on).is_(None), col(GoalAction.due_on).is_not(None)
        )
    ):
        if day is not None:
            due[goal_id].append(day)
    expected: dict[tuple[str, str], date] = {}
    for goal_id, framework, code in session.exec(
        select(GoalCapability.goal_id, Framework.key, Capability.code)
        .join(Capability, col(Capability.id) == GoalCapability.capability_id)
        .join(Framework, col(Framework.id) == Capability.framework_id)
        .where(col(GoalCapability.goal_id).in_(due))
    ):
        if not due[goal_id]:
            continue
        done_by = max(due[goal_id])
        key = (framework, code)
        expected[key] = min(expected.get(key, done_by), done_by)
    return expected


def latest_caseloads(session: Session, on: date) -> dict[int, int]:
    """Each worker's most recent caseload count on or before `on` (one query)."""
    latest = (
        select(CaseloadCount.worker_id, func.max(CaseloadCount.day).label("day"))
        .where(col(CaseloadCount.day) <= on)
        .group_by(CaseloadCount.worker_id)
        .subquery()
    )
    return dict(
        session.exec(
            select(CaseloadCount.worker_id, CaseloadCount.cases).join(
                latest, (latest.c.worker_id == CaseloadCount.worker_id) & (latest.c.day == CaseloadCount.day)
            )
        ).all()
    )
