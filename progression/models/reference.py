"""Frameworks, their levels and capabilities, and programmes: reference data copied from data/."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Framework(SQLModel, table=True):
    """A capability framework at one version: PCF, a PQS, SWE standards, a standard's KSBs."""

    __table_args__ = (UniqueConstraint("key", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, max_length=60)
    version: str = Field(max_length=20)
    title: str
    owner: str = ""
    kind: str = Field(max_length=40)
    valid_from: date | None = None
    valid_to: date | None = None
    sources: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class FrameworkLevel(SQLModel, table=True):
    """A level of a framework (PCF's nine levels and advanced pathways); capabilities apply at each."""

    __tablename__ = "framework_level"
    __table_args__ = (UniqueConstraint("framework_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="framework.id", index=True)
    key: str = Field(max_length=60)
    title: str
    position: int = 0
    pathway_of: str | None = Field(default=None, max_length=60)


class Capability(SQLModel, table=True):
    """One domain, statement, standard or KSB of a framework."""

    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="framework.id", index=True)
    code: str = Field(max_length=60)
    title: str
    group: str | None = Field(default=None, max_length=60)
    position: int = 0
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Programme(SQLModel, table=True):
    """A programme a worker can be enrolled on: ASYE, ECDP, an apprenticeship, a placement, PEPS, a local course."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=60)
    title: str
    kind: str = Field(max_length=30)
    """asye | ecdp | apprenticeship | placement | peps | local"""
    duration_months: int | None = None
    local: bool = False
    """Declared by the authority file rather than the reference data."""
