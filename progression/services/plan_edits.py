"""Writing a development plan: starting one, its goals and their capability links, actions, and done dates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, delete, func, select

from progression.errors import AccessDenied, InputError, NotFound, Problem, ProblemList
from progression.fields import free_text_limit, free_text_problem, text_problem
from progression.models import Capability, DevelopmentPlan, Framework, Goal, GoalAction, GoalCapability, Role, Worker
from progression.services.actor import Actor, worker_to_edit
from progression.services.audit import record, record_refusal
from progression.services.plan_models import PlanRead
from progression.services.plan_reads import current_plan, plan_and_worker, read_plan, stamp, started_on

Row = TypeVar("Row", Goal, GoalAction)


class GoalInput(BaseModel):
    """A goal as typed: title, description, due date and the capabilities it builds as (framework, code)."""

    title: str
    description: str = ""
    due_on: date | None = None
    capabilities: list[tuple[str, str]] = []


class ActionInput(BaseModel):
    """An action as typed: title and due date."""

    title: str
    due_on: date | None = None


@contextmanager
def refusals_recorded(engine: Engine, actor: Actor) -> Iterator[None]:
    """Record a refused write in the audit log (in its own unit of work), then let the refusal through."""
    try:
        yield
    except AccessDenied as exc:
        record_refusal(engine, actor, str(exc))
        raise


def _owned(session: Session, actor: Actor, plan: DevelopmentPlan) -> Worker:
    """The plan's worker, if the actor may change the plan (the worker themselves or an admin)."""
    worker = session.get_one(Worker, plan.worker_id)
    return worker_to_edit(session, actor, worker.staff_id, "development plan")


def require_state(plan: DevelopmentPlan, allowed: tuple[str, ...], what: str) -> None:
    if plan.state not in allowed:
        when = " or ".join(allowed)
        raise InputError(Problem("state", f"The plan is {plan.state}: {what} only while it is {when}."))


def clean_title(text: str, model: type[Any], problems: ProblemList) -> str:
    """The title stripped; a problem on `title` when it is empty, too long for `model`'s column or holds a control
    character (the same words as the form field: progression.fields)."""
    title = text.strip()
    if not title:
        problems.add("title", "A title is required.")
    elif why := text_problem(title, free_text_limit("title", model, "title")):
        problems.add("title", f"This {why}.")
    return title


def clean_text(text: str, place: str, kind: str, model: type[Any], field: str, problems: ProblemList) -> str:
    """Free text (line breaks allowed) stripped; a problem on `place` when it is too long for its kind or holds a
    control character."""
    value = text.strip()
    if why := free_text_problem(value, free_text_limit(kind, model, field)):
        problems.add(place, f"This {why}.")
    return value


def due_problem(due_on: date | None, started_on: date, goal_due_on: date | None = None) -> str | None:
    """Why a goal or action cannot be due on `due_on`, or None: never before the plan started, and an action
    never after its goal is due. The plan screen's forms show these same words."""
    if due_on is None:
        return None
    if due_on < started_on:
        return f"{due_on} is due before the plan started ({started_on})."
    if goal_due_on is not None and due_on > goal_due_on:
        return f"{due_on} is after its goal is due ({goal_due_on}): an action is due by its goal."
    return None


def check_due(due_on: date | None, plan: DevelopmentPlan, problems: ProblemList, goal: Goal | None = None) -> None:
    if why := due_problem(due_on, started_on(plan), goal.due_on if goal is not None else None):
        problems.add("due_on", why)


def check_actions_due(session: Session, goal_id: int | None, due_on: date | None, problems: ProblemList) -> None:
    """A goal's due date may not fall before one of its actions' due dates."""
    if due_on is None or goal_id is None:
        return
    late = session.exec(
        select(GoalAction).where(GoalAction.goal_id == goal_id, col(GoalAction.due_on) > due_on)
    ).first()
    if late is not None:
        problems.add(
            "due_on",
            f"{due_on} is before its action '{late.title}' is due ({late.due_on}): an action is due by its goal.",
        )


def _resolve(session: Session, links: list[tuple[str, str]], on: date, problems: ProblemList) -> list[int]:
    """Capability ids for (framework key, code) pairs: the framework version in force on `on`, else the newest."""
    keys = {framework for framework, _ in links}
    rows = session.exec(
        select(Framework, Capability)
        .join(Capability, col(Capability.framework_id) == Framework.id)
        .where(col(Framework.key).in_(keys))
    ).all()
    found: dict[tuple[str, str], list[tuple[Framework, Capability]]] = {}
    for framework, capability in rows:
        found.setdefault((framework.key, capability.code), []).append((framework, capability))
    ids: list[int] = []
    for framework_key, code in links:
        versions = found.get((framework_key, code))
        if not versions:
            problems.add("capabilities", f"No capability '{code}' in a framework '{framework_key}'.")
            continue
        in_force = [v for v in versions if (v[0].valid_from or date.min) <= on <= (v[0].valid_to or date.max)]
        _, capability = max(in_force or versions, key=lambda v: (v[0].valid_from or date.min, v[0].id or 0))
        if capability.id not in ids:
            ids.append(capability.id or 0)
    return ids


def plan_write(
    engine: Engine, actor: Actor, plan_id: int, on: date, change: Callable[[Session, DevelopmentPlan], None]
) -> PlanRead:
    """Run `change` on a plan the actor owns, commit once, and read the plan back."""
    with refusals_recorded(engine, actor), Session(engine) as session:
        plan, _ = plan_and_worker(session, plan_id)
        worker = _owned(session, actor, plan)
        change(session, plan)
        session.commit()
        session.refresh(plan)
        return read_plan(session, actor, plan, worker, on)


def _row(session: Session, kind: type[Row], row_id: int) -> tuple[Row, DevelopmentPlan]:
    row = session.get(kind, row_id)
    if row is None:
        raise NotFound(f"No {'goal' if kind is Goal else 'action'} has id {row_id}.")
    goal = row if isinstance(row, Goal) else session.get_one(Goal, row.goal_id)
    return row, session.get_one(DevelopmentPlan, goal.plan_id)


def row_write(
    engine: Engine,
    actor: Actor,
    kind: type[Row],
    row_id: int,
    on: date,
    change: Callable[[Session, Row, DevelopmentPlan], None],
) -> PlanRead:
    with refusals_recorded(engine, actor), Session(engine) as session:
        row, plan = _row(session, kind, row_id)
        worker = _owned(session, actor, plan)
        change(session, row, plan)
        session.commit()
        session.refresh(plan)
        return read_plan(session, actor, plan, worker, on)


def create_plan(
    engine: Engine, actor: Actor, staff_id: str, title: str, on: date, target_role: str | None = None
) -> PlanRead:
    """Start a draft plan for the worker (only the worker or an admin), when they have no plan open.

    Raises:
        AccessDenied: the actor may not change the worker's plan.
        InputError: no title, an unknown target role, or a plan is still open.
    """
    with refusals_recorded(engine, actor), Session(engine) as session:
        worker = worker_to_edit(session, actor, staff_id, "development plan")
        problems = ProblemList()
        clean = clean_title(title, DevelopmentPlan, problems)
        role = None
        if target_role:
            role = session.exec(select(Role).where(Role.key == target_role, col(Role.retired).is_(False))).first()
            if role is None:
                problems.add("target_role", f"No role '{target_role}' in this council.")
        open_plan = current_plan(session, worker.id or 0)
        if open_plan is not None and open_plan.state != "complete":
            problems.add(
                "plan",
                f"{staff_id} already has a {open_plan.state} plan, '{open_plan.title}'; "
                "complete it before starting another.",
            )
        problems.raise_if_any()
        plan = DevelopmentPlan(
            worker_id=worker.id or 0, title=clean, target_role_id=role.id if role else None, created_at=stamp(on)
        )
        session.add(plan)
        session.flush()
        record(
            session,
            actor,
            "create",
            "development_plan",
            plan.id,
            after={"staff_id": staff_id, "title": clean, "target_role": target_role, "state": "draft"},
        )
        session.commit()
        session.refresh(plan)
        return read_plan(session, actor, plan, worker, on)


def _goal_fields(
    session: Session, plan: DevelopmentPlan, data: GoalInput, on: date, goal_id: int | None = None
) -> tuple[str, str, list[int]]:
    """The goal's title and description, checked, and its capabilities' ids; every problem at once."""
    problems = ProblemList()
    title = clean_title(data.title, Goal, problems)
    description = clean_text(data.description, "description", "note", Goal, "description", problems)
    check_due(data.due_on, plan, problems)
    check_actions_due(session, goal_id, data.due_on, problems)
    capability_ids = _resolve(session, data.capabilities, on, problems)
    problems.raise_if_any()
    return title, description, capability_ids


def _link(session: Session, goal_id: int, capability_ids: list[int]) -> None:
    session.exec(delete(GoalCapability).where(col(GoalCapability.goal_id) == goal_id))  # type: ignore[call-overload]
    for capability_id in capability_ids:
        session.add(GoalCapability(goal_id=goal_id, capability_id=capability_id))


def add_goal(engine: Engine, actor: Actor, plan_id: int, data: GoalInput, on: date) -> PlanRead:
    """Add a goal to a draft plan, linked to the capabilities it builds."""

    def change(session: Session, plan: DevelopmentPlan) -> None:
        require_state(plan, ("draft",), "goals can be added")
        title, description, capability_ids = _goal_fields(session, plan, data, on)
        last = session.exec(select(func.max(Goal.position)).where(Goal.plan_id == plan.id)).one()
        goal = Goal(
            plan_id=plan.id or 0,
            title=title,
            description=description,
            due_on=data.due_on,
            position=(last + 1) if last is not None else 0,
            source="worker",
        )
        session.add(goal)
        session.flush()
        _link(session, goal.id or 0, capability_ids)
        record(session, actor, "create", "goal", goal.id, after={"plan_id": plan.id, **_goal_audit(data)})

    return plan_write(engine, actor, plan_id, on, change)


def _goal_audit(data: GoalInput) -> dict[str, Any]:
    return {
        "title": data.title.strip(),
        "description": data.description.strip(),
        "due_on": data.due_on,
        "capabilities": [f"{f} {c}" for f, c in data.capabilities],
    }


def edit_goal(engine: Engine, actor: Actor, goal_id: int, data: GoalInput, on: date) -> PlanRead:
    """Change a goal of a draft plan: title, description, due date and capability links."""

    def change(session: Session, goal: Goal, plan: DevelopmentPlan) -> None:
        require_state(plan, ("draft",), "goals can be changed")
        title, description, capability_ids = _goal_fields(session, plan, data, on, goal.id)
        linked = session.exec(
            select(Framework.key, Capability.code)
            .join(Capability, col(Capability.framework_id) == Framework.id)
            .join(GoalCapability, col(GoalCapability.capability_id) == Capability.id)
            .where(GoalCapability.goal_id == goal.id)
        ).all()
        before = {
            "title": goal.title,
            "description": goal.description,
            "due_on": goal.due_on,
            "capabilities": [f"{f} {c}" for f, c in linked],
        }
        goal.title, goal.description, goal.due_on = title, description, data.due_on
        session.add(goal)
        _link(session, goal.id or 0, capability_ids)
        record(session, actor, "update", "goal", goal.id, before=before, after=_goal_audit(data))

    return row_write(engine, actor, Goal, goal_id, on, change)


def remove_goal(engine: Engine, actor: Actor, goal_id: int, on: date) -> PlanRead:
    """Remove a goal of a draft plan, with its actions and capability links."""

    def change(session: Session, goal: Goal, plan: DevelopmentPlan) -> None:
        require_state(plan, ("draft",), "goals can be removed")
        actions = session.exec(select(GoalAction).where(GoalAction.goal_id == goal.id)).all()
        before = {"plan_id": plan.id, "title": goal.title, "due_on": goal.due_on, "actions": [a.title for a in actions]}
        for action in actions:
            session.delete(action)
        _link(session, goal.id or 0, [])
        session.delete(goal)
        record(session, actor, "delete", "goal", goal.id, before=before)

    return row_write(engine, actor, Goal, goal_id, on, change)
