"""Reference data (frameworks, programmes and dated rules) loaded and validated from data/reference/."""

from __future__ import annotations

import functools
from datetime import date

from progression.reference.base import Dated, IsoDate, Key, Period, ReviewInterval, Service, Source
from progression.reference.dataset import Reference
from progression.reference.frameworks import CapabilitiesFile, Capability, Framework, Group, Level
from progression.reference.loader import load_reference
from progression.reference.programmes import (
    Allowance,
    Applicability,
    EvidenceItem,
    Programme,
    ProgrammeVersion,
    ReviewPoint,
)
from progression.reference.rules import (
    CapabilityRef,
    Changeover,
    CpdRule,
    FullTimeThreshold,
    GroupReflection,
    MonthDay,
    OtjAmount,
    OtjRule,
    PlacementRule,
    ReviewRule,
    SupervisionPhase,
    SupervisionSchedule,
)

__all__ = [
    "Allowance",
    "Applicability",
    "CapabilitiesFile",
    "Capability",
    "CapabilityRef",
    "Changeover",
    "CpdRule",
    "Dated",
    "EvidenceItem",
    "Framework",
    "FullTimeThreshold",
    "Group",
    "GroupReflection",
    "IsoDate",
    "Key",
    "Level",
    "MonthDay",
    "OtjAmount",
    "OtjRule",
    "Period",
    "PlacementRule",
    "Programme",
    "ProgrammeVersion",
    "Reference",
    "ReviewInterval",
    "ReviewPoint",
    "ReviewRule",
    "Service",
    "Source",
    "SupervisionPhase",
    "SupervisionSchedule",
    "first_year_programme",
    "load_reference",
    "reference",
    "registration_year",
]


@functools.lru_cache(maxsize=1)
def reference() -> Reference:
    """The packaged reference data, loaded once."""
    return load_reference()


def first_year_programme(start: date, service: str = "children") -> Programme:
    """The first-year programme (ASYE or ECDP) for a start on `start`, from the packaged data."""
    return reference().first_year_programme(start, service)


def registration_year(on: date) -> tuple[date, date]:
    """The Social Work England registration year (first day, last day) containing `on`."""
    return reference().registration_year(on)
