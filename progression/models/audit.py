"""The append-only audit log, each entry chained to the previous one by a hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from progression.models.base import utcnow


class AuditEntry(SQLModel, table=True):
    """Who did what, when, with the record before and after."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=40)
    """The acting staff id, or `system` / `admin` for the local administrator."""
    action: str = Field(max_length=60)
    entity: str = Field(max_length=60)
    entity_id: str = Field(default="", max_length=60)
    outcome: str = Field(default="done", max_length=20)
    """done | refused"""
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


class AuditHead(SQLModel, table=True):
    """The newest entry of the chain: detects removal of the last entries, and serialises appends."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    last_id: int = 0
    last_hash: str = Field(default="", max_length=64)
    entries: int = 0
