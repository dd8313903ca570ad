"""`progression demo`: fill an empty database with the fictional demo council's workforce."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from progression.demo import DemoResult
from progression.demo import build_demo as generate
from progression.services.actor import Actor, require_admin


def build_demo(
    engine: Engine, actor: Actor, *, workers: int, seed: int, today: date, progress: Callable[[int], None] | None = None
) -> DemoResult:
    """Generate the demo workforce in one unit of work (all of it is written, or none), then take the steps
    that are due on `today`, as `init` would."""
    require_admin(actor, "build the demo council")
    with Session(engine) as session:
        result = generate(session, actor, workers=workers, seed=seed, today=today, progress=progress)
        session.commit()
    from progression.services.decisions import catch_up

    result.applied, result.automatic = catch_up(engine, today)
    return result
