"""The data model: every table of Progression, imported here so the metadata is complete."""

from progression.fields import guard_writes
from progression.models.audit import AuditEntry, AuditHead
from progression.models.base import metadata
from progression.models.council import Council, Requirement, Role, Route, Transition
from progression.models.learning import (
    ApprenticeshipStandard,
    Enrolment,
    EnrolmentStatusChange,
    OtjEntry,
    Placement,
    PlacementDay,
    Review,
)
from progression.models.people import Access, RoleHistory, Team, Worker
from progression.models.records import (
    CaseloadCount,
    CpdRecord,
    DevelopmentPlan,
    Evidence,
    EvidenceLink,
    Goal,
    GoalAction,
    GoalCapability,
    PlanStateChange,
    Supervision,
)
from progression.models.reference import Capability, Framework, FrameworkLevel, Programme
from progression.models.requests import Decision, ProgressionRequest, RequestEvidence

guard_writes()

__all__ = [
    "Access",
    "ApprenticeshipStandard",
    "AuditEntry",
    "AuditHead",
    "Capability",
    "CaseloadCount",
    "Council",
    "CpdRecord",
    "Decision",
    "DevelopmentPlan",
    "Enrolment",
    "EnrolmentStatusChange",
    "Evidence",
    "EvidenceLink",
    "Framework",
    "FrameworkLevel",
    "Goal",
    "GoalAction",
    "GoalCapability",
    "OtjEntry",
    "Placement",
    "PlacementDay",
    "PlanStateChange",
    "Programme",
    "ProgressionRequest",
    "RequestEvidence",
    "Requirement",
    "Review",
    "Role",
    "RoleHistory",
    "Route",
    "Supervision",
    "Team",
    "Transition",
    "Worker",
    "metadata",
]
