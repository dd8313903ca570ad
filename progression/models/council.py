"""The loaded council's routes, roles and the transitions between them, from its authority file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from progression.models.base import utcnow


class Council(SQLModel, table=True):
    """The authority whose routes are loaded (one per database)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    source_file: str = ""
    source_sha256: str = Field(default="", max_length=64)
    loaded_at: datetime = Field(default_factory=utcnow)


class Route(SQLModel, table=True):
    """A career route: practice, management, apprenticeship (grow your own) or academy."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=60)
    title: str
    kind: str = Field(max_length=20)
    position: int = 0


class Role(SQLModel, table=True):
    """A post on a route, with its pay range, caseload cap and payments."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=60)
    title: str
    route_id: int = Field(foreign_key="route.id", index=True)
    position: int = 0
    pcf_level: str | None = Field(default=None, max_length=60)
    caseload_cap: int | None = None
    pay_min: int | None = None
    pay_max: int | None = None
    retention_amount: int | None = None
    retention_after_months: int | None = None
    market_supplement: int | None = None
    retired: bool = False
    """No longer in the authority file but still held by a worker or named in history."""


class Transition(SQLModel, table=True):
    """A step from one role to another and who decides it."""

    __table_args__ = (UniqueConstraint("from_role_id", "to_role_id"),)

    id: int | None = Field(default=None, primary_key=True)
    from_role_id: int = Field(foreign_key="role.id", index=True)
    to_role_id: int = Field(foreign_key="role.id", index=True)
    decided_by: str = Field(max_length=20)
    """automatic | line_manager | panel | recruitment"""
    position: int = 0


class Requirement(SQLModel, table=True):
    """One condition of a transition. Which fields are set depends on `kind`."""

    id: int | None = Field(default=None, primary_key=True)
    transition_id: int = Field(foreign_key="transition.id", index=True)
    position: int = 0
    kind: str = Field(max_length=30)
    """months_in_role | months_qualified | months_of_service | completed | evidence | cpd_compliant"""
    months: int | None = None
    programme_key: str | None = Field(default=None, max_length=60)
    framework_key: str | None = Field(default=None, max_length=60)
    level_key: str | None = Field(default=None, max_length=60)
    flag: bool | None = None
