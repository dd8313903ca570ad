"""Development plans: reading a worker's plan, and (re-exported here) writing it and moving it between states.

A plan moves draft → submitted → agreed → complete; a reviewer may send a submitted plan back, and a plan can
be reopened with a note. Goals link to capabilities of any framework in force (PCF, PQS, SWE standards, KSBs).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, or_, select

from progression.models import Capability, DevelopmentPlan, Framework, Goal, GoalAction, Role, Route
from progression.services.actor import Actor, worker_to_read
from progression.services.plan_actions import (
    add_action,
    edit_action,
    mark_action_done,
    mark_action_undone,
    mark_goal_done,
    mark_goal_undone,
    remove_action,
)
from progression.services.plan_edits import ActionInput, GoalInput, add_goal, create_plan, edit_goal, remove_goal
from progression.services.plan_models import (
    MOVES,
    STATES,
    ActionRead,
    CapabilityRef,
    FrameworkChoices,
    GoalRead,
    PlanRead,
    PlanRights,
    PlanSummary,
    RoleChoice,
    StateChangeRead,
    capability_ref,
)
from progression.services.plan_moves import (
    agree_plan,
    complete_plan,
    move_plan,
    reopen_plan,
    send_back_plan,
    submit_plan,
)
from progression.services.plan_reads import current_plan, read_plan, rights_for, started_on

KIND_ORDER = ("capabilities", "post-qualifying-standards", "early-career-standards", "professional-standards")
"""Frameworks are offered PCF first, then the post-qualifying standards, SWE's standards, then KSBs."""


class PlanPage(BaseModel):
    """Everything the plan screen shows for one worker: their current plan (if any) and what the actor may do."""

    staff_id: str
    worker_name: str
    plan: PlanRead | None
    rights: PlanRights
    roles: list[RoleChoice]
    """Roles a plan may aim at."""


def plan_for(engine: Engine, actor: Actor, staff_id: str, on: date) -> PlanRead | None:
    """The worker's current plan (the newest not complete, else the newest), or None when they have none.

    Raises:
        NotFound: no such worker.
        AccessDenied: the actor may not see the worker's records.
    """
    with Session(engine) as session:
        worker = worker_to_read(session, actor, staff_id, "development plan")
        plan = current_plan(session, worker.id or 0)
        return read_plan(session, actor, plan, worker, on) if plan else None


def plan_page(engine: Engine, actor: Actor, staff_id: str, on: date) -> PlanPage:
    """The worker's current plan with the actor's rights (also when there is no plan yet) and the roles."""
    with Session(engine) as session:
        worker = worker_to_read(session, actor, staff_id, "development plan")
        plan = current_plan(session, worker.id or 0)
        read = read_plan(session, actor, plan, worker, on) if plan else None
        return PlanPage(
            staff_id=worker.staff_id,
            worker_name=worker.name,
            plan=read,
            rights=read.rights if read else rights_for(session, actor, worker, None),
            roles=_roles(session),
        )


def plans_of(engine: Engine, actor: Actor, staff_id: str) -> list[PlanSummary]:
    """Every plan of the worker, newest first, with counts of goals and actions."""
    with Session(engine) as session:
        worker = worker_to_read(session, actor, staff_id, "development plans")
        plans = session.exec(
            select(DevelopmentPlan)
            .where(DevelopmentPlan.worker_id == worker.id)
            .order_by(col(DevelopmentPlan.created_at).desc(), col(DevelopmentPlan.id).desc())
        ).all()
        roles = {r.id: r.key for r in session.exec(select(Role))}
        out = []
        for plan in plans:
            goal_ids = list(session.exec(select(Goal.id).where(Goal.plan_id == plan.id)))
            done = session.exec(select(GoalAction.done_on).where(col(GoalAction.goal_id).in_(goal_ids))).all()
            out.append(
                PlanSummary(
                    id=plan.id or 0,
                    title=plan.title,
                    state=plan.state,
                    started_on=started_on(plan),
                    target_role=roles.get(plan.target_role_id) if plan.target_role_id else None,
                    goals=len(goal_ids),
                    actions_done=sum(1 for d in done if d is not None),
                    actions_total=len(done),
                )
            )
        return out


def capability_choices(engine: Engine, actor: Actor, on: date) -> list[FrameworkChoices]:
    """The frameworks in force on `on`, each with its capabilities, for linking goals (reference data: any actor).

    Args:
        engine: The database.
        actor: Who asks (every actor may read the reference frameworks).
        on: The date the frameworks must be valid on.
    """
    with Session(engine) as session:
        frameworks = session.exec(
            select(Framework).where(
                or_(col(Framework.valid_from).is_(None), col(Framework.valid_from) <= on),
                or_(col(Framework.valid_to).is_(None), col(Framework.valid_to) >= on),
            )
        ).all()
        ranked = sorted(
            frameworks,
            key=lambda f: (KIND_ORDER.index(f.kind) if f.kind in KIND_ORDER else len(KIND_ORDER), f.key),
        )
        out = []
        for framework in ranked:
            capabilities = session.exec(
                select(Capability)
                .where(Capability.framework_id == framework.id)
                .order_by(col(Capability.position), col(Capability.id))
            ).all()
            if not capabilities:
                continue
            out.append(
                FrameworkChoices(
                    key=framework.key,
                    version=framework.version,
                    title=framework.title,
                    kind=framework.kind,
                    capabilities=[capability_ref(framework.key, framework.kind, c.code, c.title) for c in capabilities],
                )
            )
        return out


def _roles(session: Session) -> list[RoleChoice]:
    rows = session.exec(
        select(Role)
        .join(Route, col(Route.id) == Role.route_id)
        .where(col(Role.retired).is_(False))
        .order_by(col(Route.position), col(Role.position))
    )
    return [RoleChoice(key=r.key, title=r.title) for r in rows]


__all__ = [
    "MOVES",
    "STATES",
    "ActionInput",
    "ActionRead",
    "CapabilityRef",
    "FrameworkChoices",
    "GoalInput",
    "GoalRead",
    "PlanPage",
    "PlanRead",
    "PlanRights",
    "PlanSummary",
    "RoleChoice",
    "StateChangeRead",
    "add_action",
    "add_goal",
    "agree_plan",
    "capability_choices",
    "complete_plan",
    "create_plan",
    "edit_action",
    "edit_goal",
    "mark_action_done",
    "mark_action_undone",
    "mark_goal_done",
    "mark_goal_undone",
    "move_plan",
    "plan_for",
    "plan_page",
    "plans_of",
    "remove_action",
    "remove_goal",
    "reopen_plan",
    "send_back_plan",
    "submit_plan",
]
