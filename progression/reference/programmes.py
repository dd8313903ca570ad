"""Programmes: ASYE, ECDP, PEPS stages, placements and apprenticeship standards."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from progression.reference.base import (
    MAX_COUNT,
    MAX_MONEY,
    MAX_MONTHS,
    SERVICES,
    Key,
    Model,
    Service,
    Source,
    Window,
    duplicates,
    overlaps,
    raise_if,
)


class ReviewPoint(Model):
    """A review due a number of months into a programme."""

    key: Key
    months: int = Field(gt=0, le=MAX_MONTHS)
    title: str
    optional: bool = False


class Allowance(Model):
    """A percentage of working time; `employer_setting` means councils may change it."""

    percent: float = Field(ge=0, le=100)
    employer_setting: bool = False
    note: str | None = None


class EvidenceItem(Model):
    """Evidence a programme expects: how many, when (months in), for which services (None: all)."""

    key: Key
    title: str
    count: int = Field(ge=1, le=MAX_COUNT)
    at_months: list[Annotated[int, Field(ge=0, le=MAX_MONTHS)]] = []
    services: list[Service] | None = None


class Applicability(Window):
    """The start dates, for one service, that a programme is for."""

    service: Service
    note: str | None = None


class ProgrammeVersion(Model):
    """One version of an apprenticeship standard."""

    version: str
    duration_months: int | None = Field(default=None, gt=0, le=MAX_MONTHS)
    max_funding_gbp: int | None = Field(default=None, ge=0, le=MAX_MONEY)
    status: Literal["approved-for-delivery", "retired"] | None = None
    unverified: bool = False
    note: str | None = None


class Programme(Model):
    """A programme a worker or learner takes: ASYE, ECDP, PEPS stage, placement, apprenticeship."""

    key: Key
    title: str
    kind: Literal["asye", "ecdp", "peps", "placement", "apprenticeship"]
    sources: list[Source] = Field(min_length=1)
    note: str | None = None
    unverified: bool = False
    first_year: bool = False  # a candidate for first_year_programme()
    applies: list[Applicability] = []  # start dates by service; empty: any start
    framework: Key | None = None  # the framework it assesses against
    level: Key | None = None  # the level of that framework it assesses at
    duration_months: int | None = Field(default=None, gt=0, le=MAX_MONTHS)
    pro_rata_part_time: bool = False
    review_points: list[ReviewPoint] = []
    protected_time: Allowance | None = None
    workload_reduction: Allowance | None = None
    supervision: Key | None = None
    evidence: list[EvidenceItem] = []
    pausable_for: list[Key] = []
    can_hold_final_assessment: bool | None = None
    qualification_level: int | None = Field(default=None, ge=1, le=8)  # apprenticeship level
    versions: list[ProgrammeVersion] = []

    @model_validator(mode="after")
    def _check_programme(self) -> Programme:
        items = duplicates([r.key for r in self.review_points], "review_points", "key")
        items += duplicates([e.key for e in self.evidence], "evidence", "key")
        items += duplicates([v.version for v in self.versions], "versions", "version")
        for service in SERVICES:
            windows = [(i, a) for i, a in enumerate(self.applies) if a.service == service]
            items += overlaps(windows, lambda i: ("applies", i))
        if self.level and not self.framework:
            items.append((("level",), "needs a framework"))
        if self.first_year and not self.applies:
            items.append((("applies",), "a first-year programme must say which starts it applies to"))
        raise_if(items)
        return self

    def applies_to(self, start: date, service: str) -> bool:
        """True when a start on `start` in `service` is for this programme (no `applies`: always)."""
        return not self.applies or any(a.service == service and a.covers(start) for a in self.applies)

    def version(self, version: str) -> ProgrammeVersion | None:
        """The named version, or None."""
        return next((v for v in self.versions if v.version == version), None)
