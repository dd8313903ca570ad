"""Reading development plans: the current plan, its goals, capabilities, actions, history and who may do what."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from progression.errors import NotFound
from progression.models import (
    Capability,
    DevelopmentPlan,
    Framework,
    Goal,
    GoalAction,
    GoalCapability,
    PlanStateChange,
    Role,
    Worker,
)
from progression.models.base import utcnow
from progression.services.actor import Actor, is_reviewer
from progression.services.plan_models import (
    MOVES,
    ActionRead,
    CapabilityRef,
    GoalRead,
    PlanRead,
    PlanRights,
    StateChangeRead,
    capability_ref,
)


def stamp(on: date) -> datetime:
    """A timestamp on the date the program takes as today, at the current time of day (UTC)."""
    return datetime.combine(on, utcnow().time(), tzinfo=UTC)


def started_on(plan: DevelopmentPlan) -> date:
    """The date the plan was started."""
    return plan.created_at.date()


def rights_for(session: Session, actor: Actor, worker: Worker, state: str | None) -> PlanRights:
    """What the actor may do with this worker's plan in `state` (None: there is no plan yet)."""
    may_edit = actor.is_admin or actor.worker_id == worker.id
    may_review = is_reviewer(session, actor, worker)
    allowed = {"owner": may_edit, "reviewer": may_review, "either": may_edit or may_review}
    moves = {m.name: to for (src, to), m in MOVES.items() if src == state and allowed[m.by]}
    if actor.worker_id is None:
        moves = {}  # a move is recorded against the worker who makes it
    return PlanRights(may_edit=may_edit, may_review=may_review, moves=moves)


def current_plan(session: Session, worker_id: int) -> DevelopmentPlan | None:
    """The worker's current plan: the newest that is not complete, else the newest."""
    plans = session.exec(
        select(DevelopmentPlan)
        .where(DevelopmentPlan.worker_id == worker_id)
        .order_by(col(DevelopmentPlan.created_at).desc(), col(DevelopmentPlan.id).desc())
    ).all()
    return next((p for p in plans if p.state != "complete"), plans[0] if plans else None)


def plan_and_worker(session: Session, plan_id: int) -> tuple[DevelopmentPlan, Worker]:
    """A plan and the worker whose plan it is.

    Raises:
        NotFound: no plan has this id.
    """
    plan = session.get(DevelopmentPlan, plan_id)
    if plan is None:
        raise NotFound(f"No development plan has id {plan_id}.")
    return plan, session.get_one(Worker, plan.worker_id)


def _capabilities(session: Session, goal_ids: list[int]) -> dict[int, list[CapabilityRef]]:
    found: dict[int, list[CapabilityRef]] = defaultdict(list)
    if not goal_ids:
        return found
    rows = session.exec(
        select(GoalCapability.goal_id, Framework.key, Framework.kind, Capability.code, Capability.title)
        .join(Capability, col(Capability.id) == GoalCapability.capability_id)
        .join(Framework, col(Framework.id) == Capability.framework_id)
        .where(col(GoalCapability.goal_id).in_(goal_ids))
        .order_by(col(Framework.key), col(Capability.position), col(Capability.code))
    )
    for goal_id, framework, kind, code, title in rows:
        found[goal_id].append(capability_ref(framework, kind, code, title))
    return found


def _move_name(from_state: str, to_state: str) -> str:
    """The name of a recorded move; a change from no state is the plan being started (by a deferred request)."""
    if not from_state:
        return "start"
    move = MOVES.get((from_state, to_state))
    return move.name if move else "moved"


def _history(session: Session, plan_id: int) -> list[StateChangeRead]:
    rows = session.exec(
        select(PlanStateChange, Worker.name, Worker.staff_id)
        .join(Worker, col(Worker.id) == PlanStateChange.by_id)
        .where(PlanStateChange.plan_id == plan_id)
        .order_by(col(PlanStateChange.at), col(PlanStateChange.id))
    )
    return [
        StateChangeRead(
            by_name=name,
            by_staff_id=staff_id,
            from_state=change.from_state,
            to_state=change.to_state,
            move=_move_name(change.from_state, change.to_state),
            at=change.at,
            note=change.note,
        )
        for change, name, staff_id in rows
    ]


def read_plan(session: Session, actor: Actor, plan: DevelopmentPlan, worker: Worker, on: date) -> PlanRead:
    """The plan with its goals, their capabilities and actions, its history and the actor's rights."""
    goals = session.exec(select(Goal).where(Goal.plan_id == plan.id).order_by(col(Goal.position), col(Goal.id))).all()
    goal_ids = [g.id for g in goals if g.id is not None]
    actions: dict[int, list[GoalAction]] = defaultdict(list)
    if goal_ids:
        for action in session.exec(
            select(GoalAction).where(col(GoalAction.goal_id).in_(goal_ids)).order_by(col(GoalAction.id))
        ):
            actions[action.goal_id].append(action)
    capabilities = _capabilities(session, goal_ids)
    roles = {r.id: r for r in session.exec(select(Role))}
    target = roles.get(plan.target_role_id) if plan.target_role_id else None
    role = roles[worker.role_id]
    goal_reads = [
        GoalRead(
            id=g.id or 0,
            title=g.title,
            description=g.description,
            position=g.position,
            due_on=g.due_on,
            done_on=g.done_on,
            overdue=g.done_on is None and g.due_on is not None and g.due_on < on,
            source=g.source,
            capabilities=capabilities.get(g.id or 0, []),
            actions=[
                ActionRead(
                    id=a.id or 0,
                    title=a.title,
                    due_on=a.due_on,
                    done_on=a.done_on,
                    overdue=a.done_on is None and a.due_on is not None and a.due_on < on,
                )
                for a in sorted(actions.get(g.id or 0, []), key=lambda a: (a.due_on or date.max, a.id or 0))
            ],
        )
        for g in goals
    ]
    every_action = [a for g in goal_reads for a in g.actions]
    return PlanRead(
        id=plan.id or 0,
        staff_id=worker.staff_id,
        worker_name=worker.name,
        role=role.key,
        role_title=role.title,
        title=plan.title,
        state=plan.state,
        target_role=target.key if target else None,
        target_role_title=target.title if target else None,
        started_on=started_on(plan),
        on=on,
        goals=goal_reads,
        history=_history(session, plan.id or 0),
        actions_done=sum(1 for a in every_action if a.done_on is not None),
        actions_total=len(every_action),
        rights=rights_for(session, actor, worker, plan.state),
    )
