"""Writing a development plan's actions, and marking actions and goals done or not done."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from progression.errors import InputError, Problem, ProblemList
from progression.models import DevelopmentPlan, Goal, GoalAction
from progression.services.actor import Actor
from progression.services.audit import record
from progression.services.plan_edits import ActionInput, check_due, clean_title, require_state, row_write
from progression.services.plan_models import PlanRead

DONE_STATES = ("draft", "agreed")
"""Done dates may change while the plan is a draft, and while it is agreed (the plan is being carried out)."""


def _action_fields(plan: DevelopmentPlan, goal: Goal, data: ActionInput) -> str:
    """The action's title, checked, once its due date falls between the plan's start and its goal's due date."""
    problems = ProblemList()
    title = clean_title(data.title, GoalAction, problems)
    check_due(data.due_on, plan, problems, goal)
    problems.raise_if_any()
    return title


def add_action(engine: Engine, actor: Actor, goal_id: int, data: ActionInput, on: date) -> PlanRead:
    """Add a dated action to a goal of a draft plan.

    Raises:
        AccessDenied: only the worker or an admin may change the plan.
        InputError: no title, a due date before the plan started or after the goal is due, or the plan is not a
            draft.
    """

    def change(session: Session, goal: Goal, plan: DevelopmentPlan) -> None:
        require_state(plan, ("draft",), "actions can be added")
        title = _action_fields(plan, goal, data)
        action = GoalAction(goal_id=goal.id or 0, title=title, due_on=data.due_on)
        session.add(action)
        session.flush()
        record(
            session,
            actor,
            "create",
            "goal_action",
            action.id,
            after={"goal_id": goal.id, "title": title, "due_on": data.due_on},
        )

    return row_write(engine, actor, Goal, goal_id, on, change)


def edit_action(engine: Engine, actor: Actor, action_id: int, data: ActionInput, on: date) -> PlanRead:
    """Change an action's title and due date while the plan is a draft."""

    def change(session: Session, action: GoalAction, plan: DevelopmentPlan) -> None:
        require_state(plan, ("draft",), "actions can be changed")
        title = _action_fields(plan, session.get_one(Goal, action.goal_id), data)
        before = {"title": action.title, "due_on": action.due_on}
        action.title, action.due_on = title, data.due_on
        session.add(action)
        record(
            session,
            actor,
            "update",
            "goal_action",
            action.id,
            before=before,
            after={"title": title, "due_on": data.due_on},
        )

    return row_write(engine, actor, GoalAction, action_id, on, change)


def remove_action(engine: Engine, actor: Actor, action_id: int, on: date) -> PlanRead:
    """Remove an action while the plan is a draft."""

    def change(session: Session, action: GoalAction, plan: DevelopmentPlan) -> None:
        require_state(plan, ("draft",), "actions can be removed")
        before = {"goal_id": action.goal_id, "title": action.title, "due_on": action.due_on, "done_on": action.done_on}
        session.delete(action)
        record(session, actor, "delete", "goal_action", action.id, before=before)

    return row_write(engine, actor, GoalAction, action_id, on, change)


def _done_on(done_on: date, on: date) -> None:
    if done_on > on:
        raise InputError(Problem("done_on", f"{done_on} is in the future: today is {on}."))


def _mark(session: Session, row: Goal | GoalAction, done_on: date | None, actor: Actor) -> None:
    entity = "goal" if isinstance(row, Goal) else "goal_action"
    before = {"done_on": row.done_on}
    row.done_on = done_on
    session.add(row)
    record(session, actor, "done" if done_on else "undone", entity, row.id, before=before, after={"done_on": done_on})


def mark_action_done(engine: Engine, actor: Actor, action_id: int, done_on: date, on: date) -> PlanRead:
    """Record the date an action was done (not in the future), while the plan is a draft or agreed."""

    def change(session: Session, action: GoalAction, plan: DevelopmentPlan) -> None:
        require_state(plan, DONE_STATES, "actions can be marked done")
        _done_on(done_on, on)
        _mark(session, action, done_on, actor)

    return row_write(engine, actor, GoalAction, action_id, on, change)


def mark_action_undone(engine: Engine, actor: Actor, action_id: int, on: date) -> PlanRead:
    """Clear an action's done date, while the plan is a draft or agreed."""

    def change(session: Session, action: GoalAction, plan: DevelopmentPlan) -> None:
        require_state(plan, DONE_STATES, "actions can be marked not done")
        _mark(session, action, None, actor)

    return row_write(engine, actor, GoalAction, action_id, on, change)


def mark_goal_done(engine: Engine, actor: Actor, goal_id: int, done_on: date, on: date) -> PlanRead:
    """Record the date a goal was met (not in the future), while the plan is a draft or agreed."""

    def change(session: Session, goal: Goal, plan: DevelopmentPlan) -> None:
        require_state(plan, DONE_STATES, "goals can be marked done")
        _done_on(done_on, on)
        _mark(session, goal, done_on, actor)

    return row_write(engine, actor, Goal, goal_id, on, change)


def mark_goal_undone(engine: Engine, actor: Actor, goal_id: int, on: date) -> PlanRead:
    """Clear a goal's done date, while the plan is a draft or agreed."""

    def change(session: Session, goal: Goal, plan: DevelopmentPlan) -> None:
        require_state(plan, DONE_STATES, "goals can be marked not done")
        _mark(session, goal, None, actor)

    return row_write(engine, actor, Goal, goal_id, on, change)
