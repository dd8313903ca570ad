"""A worker's own records: development plan, evidence, CPD, supervision and caseload counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel, UTCDateTime

from progression.models.base import utcnow


class DevelopmentPlan(SQLModel, table=True):
    """A plan that moves draft → submitted → agreed → complete, and can be sent back or reopened."""

    __tablename__ = "development_plan"

    id: int | None = Field(default=None, primary_key=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    title: str = Field(max_length=200)
    state: str = Field(default="draft", max_length=20)
    """draft | submitted | agreed | complete"""
    target_role_id: int | None = Field(default=None, foreign_key="role.id")
    created_at: datetime = Field(default_factory=utcnow)


class PlanStateChange(SQLModel, table=True):
    """Who moved a plan from one state to another, when, and why."""

    __tablename__ = "plan_state_change"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="development_plan.id", index=True)
    from_state: str = Field(max_length=20)
    to_state: str = Field(max_length=20)
    by_id: int = Field(foreign_key="worker.id")
    at: datetime = Field(default_factory=utcnow)
    note: str = ""


class Goal(SQLModel, table=True):
    """A goal in a development plan, linked to the capabilities it builds."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="development_plan.id", index=True)
    title: str = Field(max_length=300)
    description: str = ""
    position: int = 0
    due_on: date | None = None
    done_on: date | None = None
    source: str = Field(default="", max_length=60)
    """Where the goal came from: the worker, a supervision, or a deferred request's actions."""


class GoalCapability(SQLModel, table=True):
    """Links a goal to a capability of any framework."""

    __tablename__ = "goal_capability"

    goal_id: int = Field(foreign_key="goal.id", primary_key=True)
    capability_id: int = Field(foreign_key="capability.id", primary_key=True)


class GoalAction(SQLModel, table=True):
    """A dated action towards a goal."""

    __tablename__ = "goal_action"

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    title: str = Field(max_length=300)
    due_on: date | None = None
    done_on: date | None = None


class Evidence(SQLModel, table=True):
    """A piece of evidence, recorded once and linked to capabilities across frameworks."""

    id: int | None = Field(default=None, primary_key=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    title: str = Field(max_length=300)
    happened_on: date
    kind: str = Field(default="", max_length=60)
    """observation | feedback-person | feedback-professional | written-report | reflection | other"""
    reflection: str = ""
    file_path: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    accepted_by_id: int | None = Field(default=None, foreign_key="worker.id")
    accepted_on: date | None = None


class EvidenceLink(SQLModel, table=True):
    """Evidence counted against a capability, optionally at a framework level (a PCF level)."""

    __tablename__ = "evidence_link"
    __table_args__ = (UniqueConstraint("evidence_id", "capability_id", "level_id"),)

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    capability_id: int = Field(foreign_key="capability.id", index=True)
    level_id: int | None = Field(default=None, foreign_key="framework_level.id")


class CpdRecord(SQLModel, table=True):
    """A CPD record in Social Work England's shape."""

    __tablename__ = "cpd_record"

    id: int | None = Field(default=None, primary_key=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    day: date
    kind: str = Field(max_length=60)
    """course | reading | supervision | peer discussion | research | shadowing | other"""
    title: str = Field(max_length=300)
    what_and_why: str = ""
    learnt: str = ""
    impact: str = ""
    peer_reflection: bool = False
    peer_reflection_with: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class Supervision(SQLModel, table=True):
    """An individual supervision or a group reflection session.

    A session the worker records waits for their supervisor's confirmation (`confirmed_at` None) and does not
    count until confirmed; one recorded by the supervisor, or someone with rights over the worker, counts at once.
    """

    id: int | None = Field(default=None, primary_key=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    supervisor_id: int | None = Field(default=None, foreign_key="worker.id")
    day: date
    kind: str = Field(default="individual", max_length=20)
    """individual | group"""
    minutes: int | None = None
    with_whom: str = ""
    notes: str = ""
    """Private to the worker and the supervisor."""
    recorded_by_id: int | None = Field(default=None, foreign_key="worker.id")
    """Who recorded the session (None: the local administrator, or recorded before revision 0003)."""
    confirmed_at: datetime | None = Field(default_factory=utcnow, sa_type=UTCDateTime().evaluates_none())
    """When the session was confirmed (counted); None while it waits for the supervisor's confirmation. A row
    written without saying (the demo, sessions before revision 0003) counts as confirmed; an explicit None is
    written as NULL (the type evaluates None), not replaced by the default."""
    confirmed_by_id: int | None = Field(default=None, foreign_key="worker.id")
    """Who confirmed it (None: confirmed on recording by the supervisor, or before revision 0003)."""


class CaseloadCount(SQLModel, table=True):
    """A worker's caseload (children) counted on a date."""

    __tablename__ = "caseload_count"
    __table_args__ = (UniqueConstraint("worker_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    day: date
    cases: int
