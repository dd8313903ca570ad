"""Learning: apprenticeship standards, enrolments on programmes, off-the-job hours, reviews, placements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from progression.models.base import utcnow


class ApprenticeshipStandard(SQLModel, table=True):
    """One version of an apprenticeship standard, keyed on reference and version."""

    __tablename__ = "apprenticeship_standard"
    __table_args__ = (UniqueConstraint("reference", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(index=True, max_length=20)
    version: str = Field(max_length=20)
    title: str
    level: int | None = None
    typical_duration_months: int | None = None
    max_funding: int | None = None
    status: str = Field(default="", max_length=60)
    lars_code: str | None = Field(default=None, max_length=20)
    route: str | None = Field(default=None, max_length=120)
    integrated_degree: str | None = Field(default=None, max_length=60)
    regulated_body: str | None = Field(default=None, max_length=200)
    earliest_start: date | None = None
    latest_start: date | None = None
    approved_on: date | None = None
    otj_minimum_hours: int | None = None
    """The published fixed minimum of off-the-job hours (starts from 1 August 2025)."""
    url: str | None = None


class Enrolment(SQLModel, table=True):
    """A worker on a programme: an apprenticeship (standard and version), ASYE/ECDP, a placement, PEPS."""

    id: int | None = Field(default=None, primary_key=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    standard_id: int | None = Field(default=None, foreign_key="apprenticeship_standard.id")
    educator_id: int | None = Field(default=None, foreign_key="worker.id", index=True)
    start_on: date | None = None
    """None for a completion recorded without its history (imported `completed` items)."""
    planned_end_on: date | None = None
    completed_on: date | None = None
    status: str = Field(default="active", max_length=20)
    """active | break | withdrawn | gateway | completed"""
    contracted_hours: float | None = None
    """Hours a week, for the off-the-job rule."""
    otj_hours_required: float | None = None
    """A figure stated for this enrolment, honoured over the computed one."""
    employer_signed_off_on: date | None = None
    outcome: str | None = Field(default=None, max_length=60)
    """Final outcome, e.g. the ASYE moderation panel's."""


class EnrolmentStatusChange(SQLModel, table=True):
    """A dated change of an enrolment's status; a break in learning pauses every clock."""

    __tablename__ = "enrolment_status_change"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    status: str = Field(max_length=20)
    day: date
    by_id: int | None = Field(default=None, foreign_key="worker.id")
    note: str = ""


class OtjEntry(SQLModel, table=True):
    """Off-the-job training hours: submitted by the apprentice, counted once verified by the educator."""

    __tablename__ = "otj_entry"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    day: date
    hours: float
    activity: str = ""
    submitted_at: datetime = Field(default_factory=utcnow)
    verified_by_id: int | None = Field(default=None, foreign_key="worker.id")
    verified_on: date | None = None


class Review(SQLModel, table=True):
    """A review point: a three-way apprenticeship progress review, an ASYE/ECDP review, a placement review."""

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    kind: str = Field(default="progress", max_length=30)
    due_on: date | None = None
    held_on: date | None = None
    learner_signed_on: date | None = None
    employer_signed_on: date | None = None
    educator_signed_on: date | None = None
    notes: str = ""
    outcome: str | None = Field(default=None, max_length=60)


class Placement(SQLModel, table=True):
    """A student's placement in one setting, within an academy placement enrolment."""

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    setting: str = Field(max_length=200)
    setting_kind: str = Field(default="", max_length=60)
    """Used to check two contrasting settings (e.g. statutory child protection, voluntary adult)."""
    start_on: date
    end_on: date | None = None
    educator_id: int | None = Field(default=None, foreign_key="worker.id")
    statutory_tasks_done: bool = False
    final: bool = False
    """The last placement, whose educator holds the final assessment (PEPS stage 2)."""


class PlacementDay(SQLModel, table=True):
    """One day logged on placement or as a skills day."""

    __tablename__ = "placement_day"
    __table_args__ = (UniqueConstraint("enrolment_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    placement_id: int | None = Field(default=None, foreign_key="placement.id")
    day: date
    kind: str = Field(default="placement", max_length=20)
    """placement | skills"""
