"""Progression requests, the evidence offered with them, and the decisions taken on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from progression.models.base import utcnow


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
            sqlite_where=text("state IN ('submitted', 'endorsed')"),
            postgresql_where=text("state IN ('submitted', 'endorsed')"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    transition_id: int | None = Field(default=None, foreign_key="transition.id")
    from_role_id: int = Field(foreign_key="role.id")
    to_role_id: int = Field(foreign_key="role.id")
    state: str = Field(default="submitted", max_length=20, index=True)
    """submitted | endorsed | returned | approved | deferred | rejected"""
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
    """None for an automatic decision."""
    outcome: str = Field(max_length=20)
    """endorse | return | approve | defer | reject | automatic"""
    reason: str
    day: date
    effective_on: date | None = None
    override: bool = False
    """The decider overrode unmet requirements, with a reason."""
    at: datetime = Field(default_factory=utcnow)
