"""The demo is coherent for every seed: nothing happens with the council before the worker joined it, nothing is
done in the future, reviews are signed after they are held, and the records agree with each other."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.db import make_engine
from progression.models import (
    CaseloadCount,
    CpdRecord,
    Decision,
    DevelopmentPlan,
    Enrolment,
    EnrolmentStatusChange,
    Evidence,
    Goal,
    GoalAction,
    OtjEntry,
    Placement,
    PlacementDay,
    PlanStateChange,
    Programme,
    ProgressionRequest,
    Review,
    Role,
    RoleHistory,
    Supervision,
    Worker,
)
from progression.services.actor import local_admin
from progression.services.demo import build_demo
from tests.conftest import TODAY

SEEDS = (1, 2, 3, 7, 11)
QUALIFIED_ROLES_WITHOUT_QUALIFICATION = {"family-support-worker", "social-work-apprentice", "academy-student"}


def problems(engine: Engine, today: date) -> list[str]:
    """Every incoherence found in the database, each in words naming the worker."""
    found: list[str] = []
    with Session(engine) as session:
        workers = {w.id: w for w in session.exec(select(Worker))}
        roles = {r.id: r.key for r in session.exec(select(Role))}
        programmes = {p.id: p.key for p in session.exec(select(Programme))}
        enrolments = {e.id: e for e in session.exec(select(Enrolment))}

        def joined(worker_id: int) -> date:
            return workers[worker_id].employed_since

        for w in workers.values():
            role = roles[w.role_id]
            if w.employed_since > w.role_since:
                found.append(f"{w.staff_id}: employed {w.employed_since} after starting the role {w.role_since}")
            for name in ("role_since", "employed_since", "qualified_on"):
                value = getattr(w, name)
                if value is not None and value > today:
                    found.append(f"{w.staff_id}: {name} {value} is in the future")
            if role not in QUALIFIED_ROLES_WITHOUT_QUALIFICATION and w.qualified_on is None:
                found.append(f"{w.staff_id}: a {role} with no qualification date")
            if role in QUALIFIED_ROLES_WITHOUT_QUALIFICATION and w.qualified_on is not None:
                found.append(f"{w.staff_id}: a {role} qualified on {w.qualified_on}")
            if w.qualified_on is not None and w.qualified_on > w.role_since and role != "academy-student":
                found.append(f"{w.staff_id}: qualified {w.qualified_on} after starting {role} {w.role_since}")

        history: dict[int, list[RoleHistory]] = defaultdict(list)
        for spell in session.exec(select(RoleHistory)):
            history[spell.worker_id].append(spell)
        for worker_id, w in workers.items():
            spells = sorted(history[worker_id], key=lambda s: s.started_on)
            open_spells = [s for s in spells if s.ended_on is None]
            if len(open_spells) != 1:
                found.append(f"{w.staff_id}: {len(open_spells)} open role spells")
                continue
            current = open_spells[0]
            if current.role_id != w.role_id or current.started_on != w.role_since:
                found.append(
                    f"{w.staff_id}: current spell {roles[current.role_id]} from {current.started_on}, "
                    f"worker is {roles[w.role_id]} from {w.role_since}"
                )
            if spells and spells[0].started_on < w.employed_since:
                found.append(f"{w.staff_id}: a role from {spells[0].started_on} before joining {w.employed_since}")
            for before, after in zip(spells, spells[1:], strict=False):
                if before.ended_on is None or before.ended_on > after.started_on:
                    found.append(f"{w.staff_id}: role spells overlap at {after.started_on}")
            for spell in spells:
                if spell.ended_on is not None and spell.ended_on < spell.started_on:
                    found.append(f"{w.staff_id}: a spell ends {spell.ended_on} before it starts {spell.started_on}")

        for e in enrolments.values():
            w = workers[e.worker_id]
            what = f"{w.staff_id} {programmes[e.programme_id]}"
            if e.start_on is not None and e.start_on < w.employed_since:
                history_done = e.status == "completed" and e.completed_on is not None
                if not (history_done and e.completed_on is not None and e.completed_on <= w.employed_since):
                    found.append(f"{what}: {e.status} enrolment from {e.start_on} before joining {w.employed_since}")
            if e.start_on and e.planned_end_on and e.planned_end_on <= e.start_on:
                found.append(f"{what}: planned end {e.planned_end_on} not after start {e.start_on}")
            if e.completed_on is not None and e.completed_on > today:
                found.append(f"{what}: completed in the future ({e.completed_on})")
            if e.start_on and e.completed_on and e.completed_on < e.start_on:
                found.append(f"{what}: completed {e.completed_on} before it started {e.start_on}")
            if e.employer_signed_off_on is not None and e.employer_signed_off_on > today:
                found.append(f"{what}: signed off in the future")
        for change in session.exec(select(EnrolmentStatusChange)):
            e = enrolments[change.enrolment_id]
            if change.day > today or change.day < joined(e.worker_id) or (e.start_on and change.day < e.start_on):
                found.append(f"{workers[e.worker_id].staff_id}: status change on {change.day} out of place")

        for entry in session.exec(select(OtjEntry)):
            e = enrolments[entry.enrolment_id]
            staff = workers[e.worker_id].staff_id
            if entry.day < joined(e.worker_id):
                found.append(f"{staff}: off-the-job hours on {entry.day} before joining")
            if e.start_on is None or entry.day < e.start_on or entry.day > today:
                found.append(f"{staff}: off-the-job hours on {entry.day} outside the enrolment or in the future")
            if entry.verified_on is not None and (entry.verified_on < entry.day or entry.verified_on > today):
                found.append(f"{staff}: off-the-job hours of {entry.day} verified on {entry.verified_on}")

        for review in session.exec(select(Review)):
            e = enrolments[review.enrolment_id]
            staff = workers[e.worker_id].staff_id
            if review.held_on is not None:
                if review.held_on < joined(e.worker_id):
                    found.append(f"{staff}: a review held {review.held_on} before joining")
                if review.held_on > today:
                    found.append(f"{staff}: a review held in the future ({review.held_on})")
                if e.start_on is not None and review.held_on < e.start_on:
                    found.append(f"{staff}: a review held {review.held_on} before the programme began")
            for name in ("learner_signed_on", "educator_signed_on", "employer_signed_on"):
                signed = getattr(review, name)
                if signed is None:
                    continue
                if review.held_on is None or signed < review.held_on:
                    found.append(f"{staff}: review {name} {signed} before it was held ({review.held_on})")
                if signed > today:
                    found.append(f"{staff}: review {name} {signed} in the future")

        for placement in session.exec(select(Placement)):
            e = enrolments[placement.enrolment_id]
            if placement.start_on < joined(e.worker_id):
                found.append(f"{workers[e.worker_id].staff_id}: a placement before joining")
            if placement.end_on is not None and placement.end_on < placement.start_on:
                found.append(f"{workers[e.worker_id].staff_id}: a placement ends before it starts")
        for day in session.exec(select(PlacementDay)):
            e = enrolments[day.enrolment_id]
            if day.day < joined(e.worker_id) or day.day > today:
                found.append(f"{workers[e.worker_id].staff_id}: a placement day {day.day} out of place")

        cpd_months: dict[int, Counter[int]] = defaultdict(Counter)
        cpd_days: dict[int, list[date]] = defaultdict(list)
        for cpd in session.exec(select(CpdRecord)):
            staff = workers[cpd.worker_id].staff_id
            if cpd.day < joined(cpd.worker_id) or cpd.day > today:
                found.append(f"{staff}: a CPD record on {cpd.day} before joining or in the future")
            if cpd.created_at.date() < cpd.day:
                found.append(f"{staff}: a CPD record written before the day it records")
            cpd_months[cpd.worker_id][cpd.day.month] += 1
            cpd_days[cpd.worker_id].append(cpd.day)
        for worker_id, days in cpd_days.items():
            days.sort()
            for before, after in zip(days, days[1:], strict=False):
                if (after - before).days < 14:
                    found.append(f"{workers[worker_id].staff_id}: CPD records bunched on {before} and {after}")
        for supervision in session.exec(select(Supervision)):
            staff = workers[supervision.worker_id].staff_id
            if supervision.day < joined(supervision.worker_id) or supervision.day > today:
                found.append(f"{staff}: supervision on {supervision.day} before joining or in the future")
            if supervision.supervisor_id == supervision.worker_id:
                found.append(f"{staff}: supervises themselves")
        for count in session.exec(select(CaseloadCount)):
            if count.day > today or count.day < joined(count.worker_id):
                found.append(f"{workers[count.worker_id].staff_id}: a caseload counted on {count.day}")
        for evidence in session.exec(select(Evidence)):
            staff = workers[evidence.worker_id].staff_id
            if evidence.happened_on < joined(evidence.worker_id) or evidence.happened_on > today:
                found.append(f"{staff}: evidence of {evidence.happened_on} before joining or in the future")
            if evidence.accepted_on is not None and (
                evidence.accepted_on < evidence.happened_on or evidence.accepted_on > today
            ):
                found.append(f"{staff}: evidence accepted on {evidence.accepted_on}")

        plans = {p.id: p for p in session.exec(select(DevelopmentPlan))}
        for plan in plans.values():
            if plan.created_at.date() > today or plan.created_at.date() < joined(plan.worker_id):
                found.append(f"{workers[plan.worker_id].staff_id}: a plan made on {plan.created_at.date()}")
        for change in session.exec(select(PlanStateChange)):
            plan = plans[change.plan_id]
            if change.at.date() > today or change.at < plan.created_at:
                found.append(f"{workers[plan.worker_id].staff_id}: a plan changed on {change.at.date()}")
        goals = {g.id: g for g in session.exec(select(Goal))}
        for goal in goals.values():
            if goal.done_on is not None and goal.done_on > today:
                found.append(f"{workers[plans[goal.plan_id].worker_id].staff_id}: a goal done in the future")
        for action in session.exec(select(GoalAction)):
            owner = workers[plans[goals[action.goal_id].plan_id].worker_id]
            if action.done_on is not None and action.done_on > today:
                found.append(f"{owner.staff_id}: an action done in the future ({action.done_on})")
            if action.done_on is not None and action.done_on < plans[goals[action.goal_id].plan_id].created_at.date():
                found.append(f"{owner.staff_id}: an action done {action.done_on} before its plan was made")

        requests = {r.id: r for r in session.exec(select(ProgressionRequest))}
        for request in requests.values():
            staff = workers[request.worker_id].staff_id
            if request.submitted_on > today or request.submitted_on < joined(request.worker_id):
                found.append(f"{staff}: a request submitted on {request.submitted_on}")
        for decision in session.exec(select(Decision)):
            request = requests[decision.request_id]
            if decision.day < request.submitted_on or decision.day > today:
                found.append(f"{workers[request.worker_id].staff_id}: decided {decision.day}")

    found.extend(_cpd_spread(cpd_months, workers))
    return found


def _cpd_spread(months: dict[int, Counter[int]], workers: dict[int | None, Worker]) -> list[str]:
    """Real CPD is recorded all year round: across the demo, no month holds more than a quarter of the records,
    and records fall in at least nine different months."""
    total: Counter[int] = Counter()
    for counts in months.values():
        total.update(counts)
    n = sum(total.values())
    if n < 40:
        return []
    out = []
    if max(total.values()) > n / 4:
        out.append(f"CPD bunched: {dict(total)}")
    if len(total) < 9:
        out.append(f"CPD only in months {sorted(total)}")
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_the_demo_is_coherent_for_every_seed(council_url: str, seed: int) -> None:
    engine = make_engine(council_url)
    try:
        build_demo(engine, local_admin(), workers=40, seed=seed, today=TODAY)
        assert problems(engine, TODAY) == []
    finally:
        engine.dispose()


def test_the_demo_is_coherent_on_another_day(council_url: str) -> None:
    """A demo built on a day early in the registration year (and before some apprentice scenarios' dates)."""
    day = date(2024, 12, 10)
    engine = make_engine(council_url)
    try:
        build_demo(engine, local_admin(), workers=40, seed=5, today=day)
        assert problems(engine, day) == []
    finally:
        engine.dispose()


def test_the_checker_finds_an_incoherence(council_url: str) -> None:
    """The invariants can fail: a review signed before it was held is found."""
    from datetime import timedelta

    from sqlalchemy import update

    engine = make_engine(council_url)
    try:
        build_demo(engine, local_admin(), workers=40, seed=1, today=TODAY)
        with Session(engine) as session:
            review = session.exec(select(Review).where(col(Review.held_on).is_not(None))).first()
            assert review is not None and review.held_on is not None
            early = review.held_on - timedelta(days=3)
            session.execute(update(Review).where(col(Review.id) == review.id).values(learner_signed_on=early))
            session.commit()
        assert any("before it was held" in p for p in problems(engine, TODAY))
    finally:
        engine.dispose()
