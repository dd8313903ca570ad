"""`path` on the demo council (issue 10, "Paths keep people in practice"): a practitioner is never sent through a
management post to reach a practice grade, `--json` lists the other routes and what would date an undated step,
and missing evidence is estimated from the worker's dated development plan goals (marked as estimates)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.models import (
    Capability,
    CpdRecord,
    DevelopmentPlan,
    Framework,
    Goal,
    GoalAction,
    GoalCapability,
    Role,
    Route,
    Worker,
)
from progression.services.actor import local_admin
from progression.services.progress import NoRoute, next_steps, path
from tests.conftest import TODAY
from tests.utils.cli import run_cli

AS_ADMIN = ("--as", "E1001", "--today", TODAY.isoformat())


def staff_in(engine: Engine, role: str) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(Worker.staff_id).join(Role).where(Role.key == role).order_by(Worker.staff_id)))


def kinds(engine: Engine) -> dict[str, str]:
    """Role key → the kind of its route."""
    with Session(engine) as session:
        return dict(session.exec(select(Role.key, Route.kind).join(Route, col(Route.id) == Role.route_id)).all())


def test_a_level_2_social_worker_is_sent_to_senior_directly_not_through_practice_supervisor(
    demo_engine: Engine,
) -> None:
    """Before issue 10 the quickest route went through the practice supervisor post (recruitment) and back."""
    for staff_id in staff_in(demo_engine, "social-worker-2"):
        found = path(demo_engine, local_admin(), staff_id, "senior-social-worker", TODAY)
        assert [s.to for s in found.steps] == ["senior-social-worker"], staff_id
        assert not found.leaves_route
        assert found.recommended_because.startswith("It keeps to direct work with children.")
        via = [[s.to for s in a.steps] for a in found.alternatives]
        assert ["practice-supervisor", "senior-social-worker"] in via
        detour = found.alternatives[via.index(["practice-supervisor", "senior-social-worker"])]
        assert (detour.leaves_route, detour.needs_vacancy) == (True, True)


def test_no_practitioner_passes_through_management_to_reach_a_practice_role(demo_engine: Engine) -> None:
    """For each role of direct work with children held in the demo, and every practice role it can reach."""
    kind = kinds(demo_engine)
    practice_targets = [role for role, k in kind.items() if k == "practice"]
    for role, route_kind in kind.items():
        held = staff_in(demo_engine, role)
        if route_kind == "management" or not held:
            continue
        for target in practice_targets:
            if target == role:
                continue
            try:
                found = path(demo_engine, local_admin(), held[0], target, TODAY)
            except NoRoute:
                continue
            assert all(kind[s.to] != "management" for s in found.steps), (role, target, [s.to for s in found.steps])
            assert not found.leaves_route


def test_a_management_target_keeps_the_quickest_route(demo_engine: Engine) -> None:
    staff_id = staff_in(demo_engine, "social-worker-2")[0]
    found = path(demo_engine, local_admin(), staff_id, "team-manager", TODAY)
    assert [s.to for s in found.steps] == ["practice-supervisor", "team-manager"]
    assert found.needs_vacancy and not found.leaves_route
    assert found.recommended_because == "It is the quickest route to a management role."


def test_path_json_has_alternatives_and_says_what_would_date_an_undated_step(
    demo_url: str, demo_engine: Engine
) -> None:
    staff_id = staff_in(demo_engine, "social-worker-2")[0]
    result = run_cli("--db", demo_url, *AS_ADMIN, "path", staff_id, "principal-social-worker", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data)[:5] == ["staff_id", "from", "to", "steps", "earliest_on"]
    assert {"alternatives", "undated", "leaves_route", "needs_vacancy", "estimated"} <= set(data)
    assert data["leaves_route"] is False and data["needs_vacancy"] is True  # principal is filled by recruitment
    assert data["alternatives"]
    for other in data["alternatives"]:
        assert {"steps", "earliest_on", "leaves_route", "needs_vacancy"} <= set(other)
        assert other["steps"][0]["from"] == "social-worker-2" and other["steps"][-1]["to"] == "principal-social-worker"
        assert other["steps"] != data["steps"]
        assert other["needs_vacancy"] == any(s["decided_by"] == "recruitment" for s in other["steps"])
    if data["earliest_on"] is None:
        assert data["undated"], "an undated route names the requirement that has no date"
        for undated in data["undated"]:
            assert set(undated) == {"step", "requirement", "why", "would_date_it"}
            assert undated["step"] in [s["to"] for s in data["steps"]]
            assert undated["why"] and undated["would_date_it"]


def _plan_everything(engine: Engine, staff_id: str, due: date) -> None:
    """A development plan with a dated goal for every PCF domain, CPD kept this registration year, and goals
    that must not count: one done, one in a complete plan."""
    with Session(engine) as session:
        worker_id = session.exec(select(Worker.id).where(Worker.staff_id == staff_id)).one()
        pcf = session.exec(
            select(Capability.id, Capability.code)
            .join(Framework, col(Framework.id) == Capability.framework_id)
            .where(Framework.key == "pcf")
        ).all()
        live = DevelopmentPlan(worker_id=worker_id, title="Towards senior", state="agreed")
        closed = DevelopmentPlan(worker_id=worker_id, title="Last year", state="complete")
        session.add_all([live, closed])
        session.flush()
        early = Goal(plan_id=live.id, title="First half", due_on=date(2027, 1, 31))
        late = Goal(plan_id=live.id, title="Second half", due_on=date(2027, 3, 31))
        done = Goal(plan_id=live.id, title="Done already", due_on=date(2026, 12, 1), done_on=date(2026, 11, 1))
        old = Goal(plan_id=closed.id, title="Closed", due_on=date(2026, 12, 1))
        session.add_all([early, late, done, old])
        session.flush()
        session.add(GoalAction(goal_id=late.id, title="Portfolio to the panel", due_on=due))  # after its goal
        for index, (capability_id, _) in enumerate(pcf):
            session.add(GoalCapability(goal_id=(early if index % 2 else late).id, capability_id=capability_id))
            session.add(GoalCapability(goal_id=done.id, capability_id=capability_id))
            session.add(GoalCapability(goal_id=old.id, capability_id=capability_id))
        for day, peer in ((date(2026, 2, 1), True), (date(2026, 3, 1), False)):
            session.add(CpdRecord(worker_id=worker_id, day=day, kind="reading", title="Reading", peer_reflection=peer))
        session.commit()


def test_missing_evidence_is_estimated_from_the_development_plan_and_marked(demo_url: str, demo_engine: Engine) -> None:
    staff_id = staff_in(demo_engine, "social-worker-2")[0]
    _plan_everything(demo_engine, staff_id, due=date(2027, 9, 30))
    result = run_cli("--db", demo_url, *AS_ADMIN, "path", staff_id, "senior-social-worker", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    (step,) = data["steps"]
    evidence = next(r for r in step["requirements"] if r["kind"] == "evidence")
    assert (evidence["met"], evidence["met_on"], evidence["estimated"]) == (False, "2027-09-30", True)
    dates = [r["met_on"] for r in step["requirements"]]
    assert step["earliest_on"] == max(dates) and step["estimated"] is True
    assert data["earliest_on"] == step["earliest_on"] and data["estimated"] is True
    assert data["undated"] == []
    assert all(r["estimated"] is False for r in step["requirements"] if r["kind"] != "evidence")
    # never as fact: next steps still has no date for the evidence
    facts = next_steps(demo_engine, local_admin(), staff_id, TODAY).next_steps[0]
    assert next(r for r in facts.requirements if r.kind == "evidence").met_on is None
    text = run_cli("--db", demo_url, *AS_ADMIN, "path", staff_id, "senior-social-worker")
    assert "2027-09-30 (estimate)" in text.stdout
    assert "An estimate is counted from the due dates of development plan goals" in text.stdout


@pytest.mark.parametrize("target", ["senior-social-worker", "principal-social-worker"])
def test_path_text_says_what_has_no_date_and_lists_the_other_routes(
    demo_url: str, demo_engine: Engine, target: str
) -> None:
    staff_id = staff_in(demo_engine, "social-worker-2")[0]
    data = json.loads(run_cli("--db", demo_url, *AS_ADMIN, "path", staff_id, target, "--json").stdout)
    text = run_cli("--db", demo_url, *AS_ADMIN, "path", staff_id, target).stdout
    assert data["recommended_because"].split(".")[0] in text
    count = len(data["alternatives"])
    assert f"{count} other route{'s' if count != 1 else ''}, best first:" in text
    for undated in data["undated"]:
        assert undated["requirement"] in text
    if data["undated"]:
        assert "No date yet" in text and "Would be dated by" in text
