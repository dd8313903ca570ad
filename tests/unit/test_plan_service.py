"""The development plan service: reading, writing goals and actions, every state move, access and audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, Conflict, InputError, NotFound
from progression.models import AuditEntry, Enrolment, Programme, Worker
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.importing import import_workers
from progression.services.plans import (
    ActionInput,
    GoalInput,
    PlanRead,
    add_action,
    add_goal,
    agree_plan,
    capability_choices,
    complete_plan,
    create_plan,
    edit_action,
    edit_goal,
    mark_action_done,
    mark_action_undone,
    mark_goal_done,
    mark_goal_undone,
    move_plan,
    plan_for,
    plan_page,
    plans_of,
    remove_action,
    remove_goal,
    reopen_plan,
    send_back_plan,
    submit_plan,
)
from tests.conftest import TODAY

PEOPLE = """staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,access,completed
M1,Mo Manager,team-manager,2020-01-01,2015-01-01,2010-06-01,North,,,1,manager,
W1,Ada Worker,social-worker-2,2025-03-01,2021-09-01,2021-07-01,North,M1,,1,,
W2,Ben Other,social-worker-1,2024-03-01,2023-09-01,2023-07-01,South,,,1,,
E1,Eve Educator,practice-supervisor,2022-01-01,2018-01-01,2017-07-01,South,,,1,educator,
A1,Al Admin,head-of-service,2019-01-01,2010-01-01,2005-07-01,,,,1,admin,
"""


@pytest.fixture
def engine(council_engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """The demo council with five people: Ada (W1), her manager Mo (M1), her educator Eve (E1), Ben, Al the admin."""
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    import_workers(council_engine, local_admin(), path)
    with Session(council_engine) as session:
        ids = {w.staff_id: w.id for w in session.exec(select(Worker))}
        programme = session.exec(select(Programme).where(Programme.key == "ST0510")).one()
        session.add(
            Enrolment(
                worker_id=ids["W1"], programme_id=programme.id or 0, educator_id=ids["E1"], start_on=date(2025, 1, 6)
            )
        )
        session.commit()
    yield council_engine


def who(engine: Engine, staff_id: str) -> Actor:
    return resolve_actor(engine, staff_id)


def audit(engine: Engine, action: str, entity: str) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEntry)
                .where(AuditEntry.action == action, AuditEntry.entity == entity)
                .order_by(col(AuditEntry.id))
            )
        )


def new_plan(engine: Engine, *, goals: int = 1) -> PlanRead:
    """Ada's draft plan aiming at senior social worker, with goals each holding one dated action."""
    ada = who(engine, "W1")
    plan = create_plan(engine, ada, "W1", "Towards senior practice", TODAY, target_role="senior-social-worker")
    for number in range(goals):
        plan = add_goal(
            engine, ada, plan.id, GoalInput(title=f"Goal {number + 1}", capabilities=[("pcf", "knowledge")]), TODAY
        )
        plan = add_action(
            engine,
            ada,
            plan.goals[-1].id,
            ActionInput(title=f"Action {number + 1}", due_on=TODAY + timedelta(days=30)),
            TODAY,
        )
    return plan


PATH_TO = {
    "draft": [],
    "submitted": [("W1", "submitted")],
    "agreed": [("W1", "submitted"), ("M1", "agreed")],
    "complete": [("W1", "submitted"), ("M1", "agreed"), ("W1", "complete")],
}


def plan_in(engine: Engine, state: str) -> PlanRead:
    """Ada's plan moved along the allowed path to `state`."""
    plan = new_plan(engine)
    for staff_id, to in PATH_TO[state]:
        plan = move_plan(engine, who(engine, staff_id), plan.id, to, TODAY)
    assert plan.state == state
    return plan


def test_a_worker_starts_a_plan_with_a_target_role(engine: Engine) -> None:
    plan = create_plan(
        engine, who(engine, "W1"), "W1", "  Towards senior practice ", TODAY, target_role="senior-social-worker"
    )
    assert (plan.title, plan.state, plan.staff_id, plan.worker_name) == (
        "Towards senior practice",
        "draft",
        "W1",
        "Ada Worker",
    )
    assert (plan.target_role, plan.target_role_title) == ("senior-social-worker", "Senior social worker")
    assert plan.started_on == TODAY and plan.goals == [] and plan.history == []
    assert plan.rights.may_edit and not plan.rights.may_review and plan.rights.moves == {"submit": "submitted"}
    [entry] = audit(engine, "create", "development_plan")
    assert entry.actor == "W1" and entry.entity_id == str(plan.id) and entry.after["title"] == "Towards senior practice"


def test_starting_a_plan_checks_title_role_and_any_open_plan(engine: Engine) -> None:
    ada = who(engine, "W1")
    with pytest.raises(InputError) as caught:
        create_plan(engine, ada, "W1", "  ", TODAY, target_role="chief-wizard")
    assert {p.place for p in caught.value.problems} == {"title", "target_role"}
    create_plan(engine, ada, "W1", "First", TODAY)
    with pytest.raises(InputError, match="already has a draft plan, 'First'"):
        create_plan(engine, ada, "W1", "Second", TODAY)


def test_only_the_worker_or_an_admin_writes_a_plan_and_refusals_are_audited(engine: Engine) -> None:
    with pytest.raises(AccessDenied, match="only W1 may"):
        create_plan(engine, who(engine, "M1"), "W1", "By the manager", TODAY)
    [refusal] = audit(engine, "refused", "access")
    assert refusal.actor == "M1" and refusal.outcome == "refused"
    plan = create_plan(engine, who(engine, "A1"), "W1", "By the admin", TODAY)
    with pytest.raises(AccessDenied):
        add_goal(engine, who(engine, "E1"), plan.id, GoalInput(title="Educator's goal"), TODAY)
    assert len(audit(engine, "refused", "access")) == 2


def test_goals_link_capabilities_across_frameworks(engine: Engine) -> None:
    plan = create_plan(engine, who(engine, "W1"), "W1", "Plan", TODAY)
    links = [
        ("pcf", "critical-reflection-and-analysis"),
        ("pqs-cf-practitioner", "kss-7"),
        ("swe-professional-standards", "standard-4"),
        ("ST0510", "K16"),
    ]
    data = GoalInput(
        title="Sharpen analysis",
        description="In writing and at conference",
        due_on=date(2027, 3, 1),
        capabilities=links,
    )
    plan = add_goal(engine, who(engine, "W1"), plan.id, data, TODAY)
    [goal] = plan.goals
    assert (goal.title, goal.description, goal.due_on, goal.source) == (
        "Sharpen analysis",
        "In writing and at conference",
        date(2027, 3, 1),
        "worker",
    )
    assert {(c.framework, c.code) for c in goal.capabilities} == set(links)
    labels = {c.label for c in goal.capabilities}
    assert labels == {"PCF Critical Reflection and Analysis", "PQS KSS 7", "SWE standard 4", "ST0510 K16"}
    [entry] = audit(engine, "create", "goal")
    assert entry.after["capabilities"] == [
        "pcf critical-reflection-and-analysis",
        "pqs-cf-practitioner kss-7",
        "swe-professional-standards standard-4",
        "ST0510 K16",
    ]


def test_a_goal_is_checked_before_it_is_written(engine: Engine) -> None:
    plan = create_plan(engine, who(engine, "W1"), "W1", "Plan", TODAY)
    bad = GoalInput(title="", due_on=TODAY - timedelta(days=1), capabilities=[("pcf", "flying"), ("nope", "1")])
    with pytest.raises(InputError) as caught:
        add_goal(engine, who(engine, "W1"), plan.id, bad, TODAY)
    places = [p.place for p in caught.value.problems]
    assert places == ["title", "due_on", "capabilities", "capabilities"]
    assert "due before the plan started" in str(caught.value)
    assert plan_for(engine, who(engine, "W1"), "W1", TODAY).goals == []  # type: ignore[union-attr]


def test_goals_are_edited_and_removed_with_their_actions(engine: Engine) -> None:
    ada = who(engine, "W1")
    plan = new_plan(engine, goals=2)
    first = plan.goals[0]
    changed = GoalInput(
        title="Goal one, sharper",
        description="Why",
        due_on=date(2027, 1, 31),
        capabilities=[("pcf", "knowledge"), ("pcf", "professionalism")],
    )
    plan = edit_goal(engine, ada, first.id, changed, TODAY)
    assert plan.goals[0].title == "Goal one, sharper"
    assert [c.code for c in plan.goals[0].capabilities] == ["professionalism", "knowledge"]  # framework order
    [entry] = audit(engine, "update", "goal")
    assert entry.before["title"] == "Goal 1" and entry.after["title"] == "Goal one, sharper"
    plan = remove_goal(engine, ada, first.id, TODAY)
    assert [g.title for g in plan.goals] == ["Goal 2"] and plan.actions_total == 1
    [removed] = audit(engine, "delete", "goal")
    assert removed.before["actions"] == ["Action 1"]
    with pytest.raises(NotFound):
        remove_goal(engine, ada, first.id, TODAY)


def test_actions_are_added_edited_removed_and_counted(engine: Engine) -> None:
    ada = who(engine, "W1")
    plan = new_plan(engine)
    goal = plan.goals[0]
    plan = add_action(engine, ada, goal.id, ActionInput(title="Late one", due_on=TODAY), TODAY)
    assert [a.title for a in plan.goals[0].actions] == ["Late one", "Action 1"]  # by due date
    late = plan.goals[0].actions[0]
    assert not late.overdue
    assert plan_for(engine, ada, "W1", TODAY + timedelta(days=1)).goals[0].actions[0].overdue  # type: ignore[union-attr]
    plan = edit_action(engine, ada, late.id, ActionInput(title="Renamed", due_on=None), TODAY)
    assert (plan.goals[0].actions[-1].title, plan.goals[0].actions[-1].due_on) == ("Renamed", None)  # undated last
    with pytest.raises(InputError, match="due before the plan started"):
        add_action(engine, ada, goal.id, ActionInput(title="Too early", due_on=TODAY - timedelta(days=3)), TODAY)
    with pytest.raises(InputError) as caught:
        edit_action(engine, ada, late.id, ActionInput(title=" "), TODAY)
    assert caught.value.problems[0].place == "title"
    plan = remove_action(engine, ada, late.id, TODAY)
    assert (plan.actions_done, plan.actions_total) == (0, 1)
    assert [len(audit(engine, a, "goal_action")) for a in ("create", "update", "delete")] == [2, 1, 1]


def test_done_dates_are_not_in_the_future_and_can_be_cleared(engine: Engine) -> None:
    ada = who(engine, "W1")
    plan = new_plan(engine)
    action, goal = plan.goals[0].actions[0], plan.goals[0]
    with pytest.raises(InputError, match="in the future") as caught:
        mark_action_done(engine, ada, action.id, TODAY + timedelta(days=1), TODAY)
    assert caught.value.problems[0].place == "done_on"
    plan = mark_action_done(engine, ada, action.id, TODAY, TODAY)
    assert plan.goals[0].actions[0].done_on == TODAY and (plan.actions_done, plan.actions_total) == (1, 1)
    plan = mark_goal_done(engine, ada, goal.id, TODAY, TODAY)
    assert plan.goals[0].done_on == TODAY
    plan = mark_goal_undone(engine, ada, goal.id, TODAY)
    plan = mark_action_undone(engine, ada, action.id, TODAY)
    assert plan.goals[0].done_on is None and plan.actions_done == 0
    assert len(audit(engine, "done", "goal_action")) == 1 and len(audit(engine, "undone", "goal")) == 1


def test_content_is_fixed_once_submitted_but_done_dates_move_while_agreed(engine: Engine) -> None:
    ada = who(engine, "W1")
    plan = plan_in(engine, "submitted")
    goal, action = plan.goals[0], plan.goals[0].actions[0]
    for attempt in (
        lambda: add_goal(engine, ada, plan.id, GoalInput(title="More"), TODAY),
        lambda: edit_goal(engine, ada, goal.id, GoalInput(title="Changed"), TODAY),
        lambda: remove_goal(engine, ada, goal.id, TODAY),
        lambda: add_action(engine, ada, goal.id, ActionInput(title="More"), TODAY),
        lambda: edit_action(engine, ada, action.id, ActionInput(title="Changed"), TODAY),
        lambda: remove_action(engine, ada, action.id, TODAY),
        lambda: mark_action_done(engine, ada, action.id, TODAY, TODAY),
    ):
        with pytest.raises(InputError, match="The plan is submitted"):
            attempt()
    plan = agree_plan(engine, who(engine, "M1"), plan.id, TODAY)
    plan = mark_action_done(engine, ada, action.id, TODAY, TODAY)
    assert plan.goals[0].actions[0].done_on == TODAY
    with pytest.raises(InputError, match="The plan is agreed: actions can be changed only while it is draft"):
        edit_action(engine, ada, action.id, ActionInput(title="Changed"), TODAY)


def set_state(engine: Engine, plan_id: int, state: str) -> None:
    """Put a plan straight into a state (test set-up, not a move)."""
    from progression.models import DevelopmentPlan

    with Session(engine) as session:
        plan = session.get_one(DevelopmentPlan, plan_id)
        plan.state = state
        session.add(plan)
        session.commit()


MOVE_CASES = [
    # (from, to, move, who may, who may not)
    ("draft", "submitted", "submit", ["W1", "A1"], ["M1", "E1", "W2"]),
    ("submitted", "agreed", "agree", ["M1", "E1", "A1"], ["W1", "W2"]),
    ("submitted", "draft", "send back", ["M1", "E1", "A1"], ["W1", "W2"]),
    ("agreed", "complete", "complete", ["W1", "M1", "E1", "A1"], ["W2"]),
    ("agreed", "draft", "reopen", ["W1", "M1", "E1", "A1"], ["W2"]),
    ("complete", "agreed", "reopen", ["M1", "E1", "A1"], ["W1", "W2"]),
]


@pytest.mark.parametrize(
    ("start", "to", "move", "allowed", "refused"), MOVE_CASES, ids=[f"{c[0]}-to-{c[1]}" for c in MOVE_CASES]
)
def test_every_allowed_and_refused_move(
    engine: Engine, start: str, to: str, move: str, allowed: list[str], refused: list[str]
) -> None:
    plan = plan_in(engine, start)
    note = "Because it is time"
    for staff_id in [*refused, None]:
        actor = who(engine, staff_id) if staff_id else local_admin()
        with pytest.raises(AccessDenied):
            move_plan(engine, actor, plan.id, to, TODAY, note=note)
        assert plan_for(engine, local_admin(), "W1", TODAY).state == start  # type: ignore[union-attr]
    for staff_id in allowed:
        set_state(engine, plan.id, start)
        actor = who(engine, staff_id)
        assert move in plan_for(engine, actor, "W1", TODAY).rights.moves  # type: ignore[union-attr]
        moved = move_plan(engine, actor, plan.id, to, TODAY, note=note)
        assert moved.state == to
        last = moved.history[-1]
        assert (last.from_state, last.to_state, last.by_staff_id, last.move, last.note) == (
            start,
            to,
            staff_id,
            move,
            note,
        )
        assert last.at.date() == TODAY
    entries = audit(engine, move.replace(" ", "_"), "development_plan")[-len(allowed) :]
    assert [e.actor for e in entries] == allowed
    assert all(e.before == {"state": start} and e.after == {"state": to, "note": note} for e in entries)
    assert len(audit(engine, "refused", "access")) == len(refused) + 1


def test_moves_that_do_not_exist_say_which_do(engine: Engine) -> None:
    plan = plan_in(engine, "draft")
    admin = who(engine, "A1")
    for start in ("draft", "submitted", "agreed", "complete"):
        set_state(engine, plan.id, start)
        for to in ("draft", "submitted", "agreed", "complete"):
            if (start, to) in {(c[0], c[1]) for c in MOVE_CASES}:
                continue
            with pytest.raises(InputError, match=f"A {start} plan cannot move to {to}; it can move to") as caught:
                move_plan(engine, admin, plan.id, to, TODAY, note="x")
            assert caught.value.problems[0].place == "state"
    set_state(engine, plan.id, "submitted")
    with pytest.raises(InputError, match=r"it can move to agreed \(agree\) or draft \(send back\)"):
        move_plan(engine, admin, plan.id, "complete", TODAY)
    with pytest.raises(InputError, match="'archived' is not a plan state"):
        move_plan(engine, admin, plan.id, "archived", TODAY)


def test_sending_back_and_reopening_need_a_note(engine: Engine) -> None:
    plan = plan_in(engine, "submitted")
    manager = who(engine, "M1")
    with pytest.raises(InputError, match="a note is required to send back") as caught:
        send_back_plan(engine, manager, plan.id, "  ", TODAY)
    assert caught.value.problems[0].place == "note"
    plan = send_back_plan(engine, manager, plan.id, "Add a goal on analysis", TODAY)
    assert plan.state == "draft" and plan.history[-1].note == "Add a goal on analysis"
    plan = submit_plan(engine, who(engine, "W1"), plan.id, TODAY)
    plan = agree_plan(engine, manager, plan.id, TODAY)
    with pytest.raises(InputError, match="a note is required to reopen"):
        reopen_plan(engine, who(engine, "W1"), plan.id, "", TODAY)
    plan = complete_plan(engine, who(engine, "W1"), plan.id, TODAY)
    plan = reopen_plan(engine, manager, plan.id, "One goal was not met", TODAY)
    assert plan.state == "agreed"
    plan = reopen_plan(engine, who(engine, "W1"), plan.id, "Rethinking a goal", TODAY)
    assert plan.state == "draft"
    assert [(h.move, h.by_name) for h in plan.history] == [
        ("submit", "Ada Worker"),
        ("send back", "Mo Manager"),
        ("submit", "Ada Worker"),
        ("agree", "Mo Manager"),
        ("complete", "Ada Worker"),
        ("reopen", "Mo Manager"),
        ("reopen", "Ada Worker"),
    ]
    with pytest.raises(InputError, match="A draft plan cannot be reopened"):
        reopen_plan(engine, manager, plan.id, "Again", TODAY)


def test_nobody_agrees_their_own_plan_not_even_an_admin(engine: Engine) -> None:
    admin = who(engine, "A1")
    plan = create_plan(engine, admin, "A1", "My own plan", TODAY)
    plan = add_goal(engine, admin, plan.id, GoalInput(title="Lead"), TODAY)
    plan = submit_plan(engine, admin, plan.id, TODAY)
    assert not plan.rights.may_review and plan.rights.moves == {}
    with pytest.raises(AccessDenied, match="may not agree A1's development plan"):
        agree_plan(engine, admin, plan.id, TODAY)


def test_a_plan_needs_a_goal_to_be_submitted_and_a_stale_move_is_a_conflict(engine: Engine) -> None:
    ada = who(engine, "W1")
    plan = create_plan(engine, ada, "W1", "Empty", TODAY)
    with pytest.raises(InputError, match="at least one goal"):
        submit_plan(engine, ada, plan.id, TODAY)
    plan = add_goal(engine, ada, plan.id, GoalInput(title="One"), TODAY)
    submit_plan(engine, ada, plan.id, TODAY, expect="draft")
    with pytest.raises(Conflict, match="just been moved from draft to submitted"):
        submit_plan(engine, ada, plan.id, TODAY, expect="draft")


def test_the_current_plan_is_the_newest_open_one_and_plans_are_listed(engine: Engine) -> None:
    first = plan_in(engine, "complete")
    ada = who(engine, "W1")
    assert plan_for(engine, ada, "W1", TODAY).id == first.id  # type: ignore[union-attr]
    second = create_plan(engine, ada, "W1", "Next year", TODAY)
    assert plan_for(engine, ada, "W1", TODAY).id == second.id  # type: ignore[union-attr]
    summaries = plans_of(engine, ada, "W1")
    assert [(s.title, s.state, s.goals, s.actions_total) for s in summaries] == [
        ("Next year", "draft", 0, 0),
        ("Towards senior practice", "complete", 1, 1),
    ]
    assert summaries[1].target_role == "senior-social-worker"


def test_who_sees_a_plan(engine: Engine) -> None:
    plan_in(engine, "submitted")
    for staff_id in ("W1", "M1", "E1", "A1"):
        assert plan_for(engine, who(engine, staff_id), "W1", TODAY) is not None
    with pytest.raises(AccessDenied, match="may not see W1's development plan"):
        plan_for(engine, who(engine, "W2"), "W1", TODAY)
    with pytest.raises(AccessDenied):
        plans_of(engine, who(engine, "W2"), "W1")
    assert plan_for(engine, who(engine, "W2"), "W2", TODAY) is None
    page = plan_page(engine, who(engine, "M1"), "W1", TODAY)
    assert page.plan is not None and page.rights.may_review and not page.rights.may_edit
    assert set(page.rights.moves) == {"agree", "send back"}
    empty = plan_page(engine, who(engine, "W2"), "W2", TODAY)
    assert empty.plan is None and empty.rights.may_edit and empty.worker_name == "Ben Other"
    assert "senior-social-worker" in [r.key for r in empty.roles]


def test_capability_choices_follow_the_frameworks_in_force(engine: Engine) -> None:
    now = capability_choices(engine, who(engine, "W2"), TODAY)
    assert [f.key for f in now] == ["pcf", "pqs-cf-practitioner", "swe-professional-standards", "ST0510"]
    counts = {f.key: len(f.capabilities) for f in now}
    assert counts["pcf"] == 9 and counts["pqs-cf-practitioner"] == 10 and counts["swe-professional-standards"] == 6
    assert now[0].capabilities[0].label == "PCF Professionalism"
    later = capability_choices(engine, who(engine, "W2"), date(2027, 4, 1))
    assert "pqs-cf-practitioner" not in [f.key for f in later]  # replaced by the early career standards
