"""Where workers stand: next steps, the quickest path to a role, and retention payments falling due."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.bulk import without_cycle_collection
from progression.engine import CouncilFacts, PathResult, RequirementResult, StepResult, WorkerFacts
from progression.engine import next_steps as engine_next_steps
from progression.engine.pay import retention_in_window
from progression.engine.steps import PathStep, RouteOption, recommended_path
from progression.errors import InputError, NotFound, Problem
from progression.models import Worker
from progression.services.actor import Actor, check_can_see, visible_worker_ids
from progression.services.facts import load_council, load_workers, plan_dates


class NoRoute(NotFound):
    """No sequence of transitions leads to the target role."""


TIME_KINDS = ("months_in_role", "months_qualified", "months_of_service")
"""The requirements counted in whole months: they carry `needed` and `so_far`."""


class RequirementRead(BaseModel):
    kind: str
    met: bool
    met_on: date | None
    detail: str
    progress: list[int] | None = None
    missing: list[str] = []
    needed: int | None = None
    """Time requirements: the whole months needed (null on other kinds)."""
    so_far: int | None = None
    """Time requirements: the whole months so far, never capped at `needed`; null on other kinds and where the
    date they count from is unknown or still to come. `so_far >= needed` exactly when the requirement is met."""
    estimated: bool = False
    """`met_on` is an estimate from the development plan (or counted from one), not a fact (paths only)."""


class StepRead(BaseModel):
    role: str
    route: str
    decided_by: str
    ready: bool
    ready_on: date | None
    requirements: list[RequirementRead]
    title: str = ""


class NextStepsRead(BaseModel):
    """`next-steps --json` (CONTRACT.md)."""

    staff_id: str
    on: date
    role: str
    next_steps: list[StepRead]


class PathStepRead(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    decided_by: str
    earliest_on: date | None
    requirements: list[RequirementRead] = []
    estimated: bool = False
    """`earliest_on` rests on an estimate from the development plan."""
    title: str = ""
    """The title of the role the step leads to."""


class UndatedRead(BaseModel):
    """A requirement of the recommended route that has no date: why, and what would date it."""

    step: str
    """The role the step leads to."""
    requirement: str
    """The requirement's kind."""
    why: str
    would_date_it: str


class RouteRead(BaseModel):
    """Another route to the target (`path --json` `alternatives`)."""

    steps: list[PathStepRead]
    earliest_on: date | None
    leaves_route: bool
    """The route passes through a role on another kind of route than the target's (management, against direct
    work with children: practice, grow-your-own and academy routes)."""
    needs_vacancy: bool
    """A step is decided by recruitment: it needs a post to be advertised and won."""
    estimated: bool = False


class PathRead(BaseModel):
    """`path --json` (CONTRACT.md, extended by issue 10: the recommended route and the others)."""

    model_config = ConfigDict(populate_by_name=True)

    staff_id: str
    from_: str = Field(alias="from")
    to: str
    steps: list[PathStepRead]
    earliest_on: date | None
    estimated: bool = False
    """`earliest_on` rests on an estimate from the development plan."""
    leaves_route: bool = False
    needs_vacancy: bool = False
    recommended_because: str = ""
    """Why this route is the one recommended, in a sentence."""
    undated: list[UndatedRead] = []
    """Each requirement of the route with no date of its own (later steps that wait on it are not repeated)."""
    alternatives: list[RouteRead] = []
    """The other routes, best first (at most five)."""


class PaymentRead(BaseModel):
    """One retention payment falling due (`payments --json`)."""

    staff_id: str
    role: str
    kind: str = "retention"
    amount: int
    due_on: date
    name: str = ""


def _requirement(result: RequirementResult) -> RequirementRead:
    return RequirementRead(
        kind=result.kind,
        met=result.met,
        met_on=result.met_on,
        detail=result.detail,
        progress=list(result.progress) if result.progress else None,
        missing=list(result.missing),
        needed=result.needed if result.kind in TIME_KINDS else None,
        so_far=result.so_far if result.kind in TIME_KINDS else None,
        estimated=result.estimated,
    )


def step_read(step: StepResult, council: CouncilFacts) -> StepRead:
    role = council.roles.get(step.role)
    return StepRead(
        role=step.role,
        route=step.route,
        decided_by=step.decided_by,
        ready=step.ready,
        ready_on=step.ready_on,
        requirements=[_requirement(r) for r in step.requirements],
        title=role.title if role else step.role,
    )


def one_worker(session: Session, actor: Actor, staff_id: str, on: date) -> tuple[WorkerFacts, CouncilFacts]:
    worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).first()
    if worker is None:
        raise NotFound(f"No worker has staff id '{staff_id}'.")
    check_can_see(session, actor, [worker.id or 0], f"see {staff_id}'s progression")
    council = load_council(session)
    facts = load_workers(session, on, council, [worker.id or 0])
    if not facts:
        raise NotFound(f"{staff_id} has left the council ({worker.left_on}).")
    return facts[0], council


def next_steps(engine: Engine, actor: Actor, staff_id: str, on: date) -> NextStepsRead:
    """Every next step out of the worker's role on `on`, with each requirement and the date it is met."""
    with Session(engine) as session:
        worker, council = one_worker(session, actor, staff_id, on)
    steps = engine_next_steps(worker, council, on)
    return NextStepsRead(staff_id=staff_id, on=on, role=worker.role, next_steps=[step_read(s, council) for s in steps])


def all_next_steps(engine: Engine, actor: Actor, on: date) -> list[tuple[WorkerFacts, list[StepResult]]]:
    """Next steps of every worker the actor may see, read in a handful of queries."""
    with without_cycle_collection(), Session(engine) as session:
        visible = visible_worker_ids(session, actor)
        council = load_council(session)
        workers = load_workers(session, on, council, visible)
        return [(worker, engine_next_steps(worker, council, on)) for worker in workers]


def path(engine: Engine, actor: Actor, staff_id: str, target: str, on: date) -> PathRead:
    """The recommended route from the worker's role to `target`, and the other routes.

    For a target in direct work with children, the route that keeps to it (see `recommended_path`); for a
    management target, the quickest. Missing evidence is estimated from the worker's development plan.

    Raises:
        NotFound: unknown worker or role.
        NoRoute: no transitions lead there.
    """
    with Session(engine) as session:
        worker, council = one_worker(session, actor, staff_id, on)
        if target not in council.roles:
            raise NotFound(f"No role '{target}' in this council (roles: {', '.join(council.roles)}).")
        worker_id = session.exec(select(Worker.id).where(Worker.staff_id == staff_id)).one()
        worker.plan_dates = plan_dates(session, worker_id or 0)
    found = recommended_path(worker, council, target, on)
    if found is None:
        title = council.roles[target].title
        raise NoRoute(f"No route leads from {council.roles[worker.role].title} to {title} in this council.")
    return path_read(found, {key: role.title for key, role in council.roles.items()})


def _path_step(step: PathStep, titles: dict[str, str]) -> PathStepRead:
    return PathStepRead(
        from_=step.from_role,
        to=step.to_role,
        decided_by=step.decided_by,
        earliest_on=step.earliest_on,
        requirements=[_requirement(r) for r in step.requirements],
        estimated=step.estimated,
        title=titles.get(step.to_role, step.to_role),
    )


def _route(option: RouteOption, titles: dict[str, str]) -> RouteRead:
    return RouteRead(
        steps=[_path_step(s, titles) for s in option.steps],
        earliest_on=option.earliest_on,
        leaves_route=option.leaves_route,
        needs_vacancy=option.needs_vacancy,
        estimated=option.estimated,
    )


def path_read(found: PathResult, titles: dict[str, str] | None = None) -> PathRead:
    """The JSON shape of a path; `titles` (role key → title) names the roles for people."""
    titles = titles or {}
    return PathRead(
        staff_id=found.staff_id,
        from_=found.from_role,
        to=found.to_role,
        earliest_on=found.earliest_on,
        steps=[_path_step(s, titles) for s in found.steps],
        estimated=found.estimated,
        leaves_route=found.leaves_route,
        needs_vacancy=found.needs_vacancy,
        recommended_because=found.reason,
        undated=[
            UndatedRead(
                step=u.step.to_role,
                requirement=u.requirement.kind,
                why=u.requirement.why,
                would_date_it=u.requirement.would_date_it,
            )
            for u in found.undated
        ],
        alternatives=[_route(a, titles) for a in found.alternatives],
    )


def payments(engine: Engine, actor: Actor, start: date, end: date) -> list[PaymentRead]:
    """Retention payments for the workers the actor may see that fall due from `start` to `end`, inclusive."""
    if end < start:
        raise InputError(Problem("--to", f"{end} is before --from {start}"))
    with Session(engine) as session:
        visible = visible_worker_ids(session, actor)
        council = load_council(session)
        workers = load_workers(session, end, council, visible)
        names = dict(session.exec(select(Worker.staff_id, Worker.name)).all())
    return [
        PaymentRead(staff_id=d.staff_id, role=d.role, amount=d.amount, due_on=d.due_on, name=names.get(d.staff_id, ""))
        for d in retention_in_window(workers, council, start, end)
    ]
