"""Pay that follows the role: retention payments (paid once) and market supplements (a year, while in the role)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from progression.dates import add_months
from progression.engine.facts import CouncilFacts, WorkerFacts


@dataclass(frozen=True, slots=True)
class RetentionDue:
    staff_id: str
    role: str
    amount: int
    due_on: date


def retention_due(worker: WorkerFacts, council: CouncilFacts) -> RetentionDue | None:
    """The retention payment of the worker's current role: due after the role's months of service, once.

    Someone who already had that service when they took the role is due it on their first day in it.
    """
    role = council.roles.get(worker.role)
    if role is None or not role.retention_amount or role.retention_after_months is None:
        return None
    due_on = max(add_months(worker.employed_since, role.retention_after_months), worker.role_since)
    return RetentionDue(worker.staff_id, worker.role, role.retention_amount, due_on)


def retention_in_window(
    workers: list[WorkerFacts], council: CouncilFacts, start: date, end: date
) -> list[RetentionDue]:
    """Retention payments falling due from `start` to `end` inclusive, by date then staff id."""
    due = [d for w in workers if (d := retention_due(w, council)) is not None and start <= d.due_on <= end]
    return sorted(due, key=lambda d: (d.due_on, d.staff_id))


def market_supplement(worker: WorkerFacts, council: CouncilFacts) -> tuple[int, float] | None:
    """The role's market supplement a year, and that amount pro rata to the worker's FTE; None without one."""
    role = council.roles.get(worker.role)
    if role is None or not role.market_supplement:
        return None
    return role.market_supplement, round(role.market_supplement * worker.fte, 2)
