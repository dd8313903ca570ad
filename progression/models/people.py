"""Teams, workers and the history of the roles they have held."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from progression.models.base import utcnow


class Access(StrEnum):
    """What a worker may do beyond their own record (CONTRACT.md, Access)."""

    WORKER = "worker"
    EDUCATOR = "educator"
    MANAGER = "manager"
    ADMIN = "admin"


class Team(SQLModel, table=True):
    """A team, organised by area as the councils in PRODUCT.md do."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=120)
    area: str | None = Field(default=None, max_length=120)


class Worker(SQLModel, table=True):
    """A member of the workforce: social worker, support worker, apprentice, student or manager."""

    id: int | None = Field(default=None, primary_key=True)
    staff_id: str = Field(unique=True, max_length=40)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=200)
    role_id: int = Field(foreign_key="role.id", index=True)
    role_since: date
    employed_since: date
    qualified_on: date | None = None
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    manager_id: int | None = Field(default=None, foreign_key="worker.id", index=True)
    fte: float = 1.0
    is_educator: bool = False
    is_manager: bool = False
    is_admin: bool = False
    educator_stage: int | None = None
    """Practice educator stage (PEPS): 1 or 2, or None."""
    swe_number: str | None = Field(default=None, max_length=20)
    """Social Work England registration number, once registered."""
    service: str = Field(default="children", max_length=20)
    """children | adults: decides which first-year programme applies."""
    left_on: date | None = None
    login: str | None = Field(default=None, unique=True, index=True, max_length=63)
    """The person's PostgreSQL login (`progression access grant`): on PostgreSQL the actor is the database login."""
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def access(self) -> list[Access]:
        """Every access right the worker holds, `worker` first."""
        rights = [Access.WORKER]
        rights += [
            a
            for a, on in (
                (Access.EDUCATOR, self.is_educator),
                (Access.MANAGER, self.is_manager),
                (Access.ADMIN, self.is_admin),
            )
            if on
        ]
        return rights


class RoleHistory(SQLModel, table=True):
    """One spell in a role. The open spell (no `ended_on`) matches the worker's current role."""

    __tablename__ = "role_history"

    id: int | None = Field(default=None, primary_key=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    role_id: int = Field(foreign_key="role.id")
    started_on: date
    ended_on: date | None = None
    reason: str = Field(default="", max_length=200)
    """import | progression request N | appointment | correction"""
