"""`progression demo`: fill an empty database with the fictional demo council's workforce."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from progression.db import write_transaction
from progression.demo import DemoResult
from progression.demo import build_demo as generate
from progression.services.actor import Actor, require_admin


def build_demo(
    engine: Engine, actor: Actor, *, workers: int, seed: int, today: date, progress: Callable[[int], None] | None = None
) -> DemoResult:
    """Generate the demo workforce and take the steps that are due on `today`, as `init` would, in one
    transaction: all of it is written, or (on any error or a kill) none of it."""
    require_admin(actor, "build the demo council")
    with write_transaction(engine) as connection:
        return build_demo_on(connection, actor, workers=workers, seed=seed, today=today, progress=progress)


def build_demo_on(
    connection: Connection,
    actor: Actor,
    *,
    workers: int,
    seed: int,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """The demo's work in the caller's transaction (the `demo` command shares it with `init`'s)."""
    require_admin(actor, "build the demo council")
    with Session(connection, join_transaction_mode="create_savepoint") as session:
        result = generate(session, actor, workers=workers, seed=seed, today=today, progress=progress)
        session.commit()
    _mark_requirements_met(connection)
    from progression.services.decisions import catch_up

    result.applied, result.automatic = catch_up(connection, today)
    return result


def _mark_requirements_met(connection: Connection) -> None:
    """Record, for each open or refused demo request, whether its step was ready on the day it was submitted."""
    from sqlmodel import col, select

    from progression.engine import next_steps
    from progression.models import ProgressionRequest, Role, Worker
    from progression.services.facts import load_council, load_workers

    with Session(connection, join_transaction_mode="create_savepoint") as session:
        council = load_council(session)
        keys = {r.id: r.key for r in session.exec(select(Role))}
        requests = session.exec(
            select(ProgressionRequest).where(
                col(ProgressionRequest.state).in_(("submitted", "endorsed", "returned", "deferred", "rejected"))
            )
        ).all()
        for request in requests:
            worker = session.get_one(Worker, request.worker_id)
            if worker.role_id != request.from_role_id:
                continue
            facts = load_workers(session, request.submitted_on, council, [worker.id or 0])
            steps = next_steps(facts[0], council, request.submitted_on) if facts else []
            step = next((s for s in steps if s.role == keys[request.to_role_id]), None)
            request.requirements_met = bool(step and step.ready)
            session.add(request)
        session.commit()
