"""Progression requests, the evidence offered with them, and the decisions taken on them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from progression.models.base import utcnow


class RequestState(StrEnum):
    """Every state a progression request can be in; the values are what the database and JSON hold."""

    SUBMITTED = "submitted"
    ENDORSED = "endorsed"
    RETURNED = "returned"
    APPROVED = "approved"
    DEFERRED = "deferred"
    REJECTED = "rejected"

    @property
    def is_open(self) -> bool:
        """Whether a request in this state still waits for a decision."""
        return self in OPEN_STATES


OPEN_STATES = (RequestState.SUBMITTED, RequestState.ENDORSED)
"""The states in which a request waits for a decision (at most one such request per worker and step)."""
APPEALABLE_STATES = (RequestState.REJECTED, RequestState.DEFERRED)
"""The states a request may be appealed from, once."""


class Outcome(StrEnum):
    """Every outcome a decision on a request can have; the values are what the database and JSON hold."""

    ENDORSE = "endorse"
    RETURN = "return"
    APPROVE = "approve"
    DEFER = "defer"
    REJECT = "reject"
    AUTOMATIC = "automatic"
    """Taken by the system when an `automatic` step becomes ready; nobody chooses it."""

    @property
    def state_after(self) -> RequestState:
        """The state a request is in after this decision."""
        return STATE_AFTER[self]


DECIDER_OUTCOMES = tuple(o for o in Outcome if o is not Outcome.AUTOMATIC)
"""The outcomes a person may choose (`request decide --outcome`)."""
STATE_AFTER = {
    Outcome.ENDORSE: RequestState.ENDORSED,
    Outcome.RETURN: RequestState.RETURNED,
    Outcome.APPROVE: RequestState.APPROVED,
    Outcome.DEFER: RequestState.DEFERRED,
    Outcome.REJECT: RequestState.REJECTED,
    Outcome.AUTOMATIC: RequestState.APPROVED,
}
"""The state each outcome leaves a request in."""


_OPEN_SQL = "state IN ({})".format(", ".join(f"'{s.value}'" for s in OPEN_STATES))


class ProgressionRequest(SQLModel, table=True):
    """A worker's request to move to another role, and where it stands."""

    __tablename__ = "progression_request"
    __table_args__ = (
        # At most one open request (submitted or endorsed) per worker and step, even when two arrive at once.
        Index(
            "uq_progression_request_open_step",
            "worker_id",
            "from_role_id",
            "to_role_id",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    transition_id: int | None = Field(default=None, foreign_key="transition.id")
    from_role_id: int = Field(foreign_key="role.id")
    to_role_id: int = Field(foreign_key="role.id")
    state: str = Field(default=RequestState.SUBMITTED.value, max_length=20, index=True)
    """A `RequestState` value."""
    submitted_on: date
    submitted_by_id: int = Field(foreign_key="worker.id")
    note: str = ""
    requirements_met: bool = False
    """Whether every requirement was met on the day it was submitted."""
    effective_on: date | None = None
    applied_on: date | None = None
    """The day the approved move changed the worker's role."""
    appeal_of_id: int | None = Field(default=None, foreign_key="progression_request.id")
    version: int = 1
    """Optimistic lock: a decision on a stale version is refused."""


class RequestEvidence(SQLModel, table=True):
    """Evidence a worker chose to offer with a request."""

    __tablename__ = "request_evidence"

    request_id: int = Field(foreign_key="progression_request.id", primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", primary_key=True)


class Decision(SQLModel, table=True):
    """One decision on a request, with its reason."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="progression_request.id", index=True)
    by_id: int | None = Field(default=None, foreign_key="worker.id")
    """The worker who decided; None for an automatic decision or one by the local administrator (see by_label)."""
    outcome: str = Field(max_length=20)
    """An `Outcome` value."""
    reason: str
    day: date
    effective_on: date | None = None
    override: bool = False
    """The decider overrode unmet requirements, with a reason."""
    at: datetime = Field(default_factory=utcnow)
    by_label: str | None = Field(default=None, max_length=100)
    """Who decided, when they are not a worker: the local administrator of a SQLite file, named with their
    operating-system account ('local administrator (alice)'). None for a worker's decision (by_id) and for an
    automatic one (outcome `automatic`): a person's decision always names its decider."""
