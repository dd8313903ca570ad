"""Where workers stand: next steps, the quickest path to a role, and retention payments falling due."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.bulk import without_cycle_collection
from progression.engine import CouncilFacts, PathResult, RequirementResult, StepResult, WorkerFacts, quickest_path
from progression.engine import next_steps as engine_next_steps
from progression.engine.pay import retention_in_window
from progression.errors import InputError, NotFound, Problem
from progression.models import Worker
from progression.services.actor import Actor, check_can_see, visible_worker_ids
from progression.services.facts import load_council, load_workers


class NoRoute(NotFound):
    """No sequence of transitions leads to the target role."""


class RequirementRead(BaseModel):
    kind: str
    met: bool
    met_on: date | None
    detail: str
    progress: list[int] | None = None
    missing: list[str] = []


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


class PathRead(BaseModel):
    """`path --json` (CONTRACT.md)."""

    model_config = ConfigDict(populate_by_name=True)

    staff_id: str
    from_: str = Field(alias="from")
    to: str
    steps: list[PathStepRead]
    earliest_on: date | None


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
    """The quickest route from the worker's role to `target`.

    Raises:
        NotFound: unknown worker or role.
        NoRoute: no transitions lead there.
    """
    with Session(engine) as session:
        worker, council = one_worker(session, actor, staff_id, on)
    if target not in council.roles:
        raise NotFound(f"No role '{target}' in this council (roles: {', '.join(council.roles)}).")
    found = quickest_path(worker, council, target, on)
    if found is None:
        title = council.roles[target].title
        raise NoRoute(f"No route leads from {council.roles[worker.role].title} to {title} in this council.")
    return path_read(found)


def path_read(found: PathResult) -> PathRead:
    return PathRead(
        staff_id=found.staff_id,
        from_=found.from_role,
        to=found.to_role,
        earliest_on=found.earliest_on,
        steps=[
            PathStepRead(
                from_=s.from_role,
                to=s.to_role,
                decided_by=s.decided_by,
                earliest_on=s.earliest_on,
                requirements=[_requirement(r) for r in s.requirements],
            )
            for s in found.steps
        ],
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
