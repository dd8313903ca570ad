"""The development plan's read models and the moves between its states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel

STATES = ("draft", "submitted", "agreed", "complete")
"""A plan's states, in the order a plan moves through them."""


@dataclass(frozen=True)
class Move:
    """One allowed change of a plan's state: its name, who may make it, and whether it needs a note."""

    name: str
    by: str
    """owner | reviewer | either"""
    note_required: bool = False


MOVES: dict[tuple[str, str], Move] = {
    ("draft", "submitted"): Move("submit", "owner"),
    ("submitted", "agreed"): Move("agree", "reviewer"),
    ("submitted", "draft"): Move("send back", "reviewer", note_required=True),
    ("agreed", "complete"): Move("complete", "either"),
    ("agreed", "draft"): Move("reopen", "either", note_required=True),
    ("complete", "agreed"): Move("reopen", "reviewer", note_required=True),
}
"""Every allowed move, keyed on (from state, to state)."""


class CapabilityRef(BaseModel):
    """A capability of a framework: a PCF domain, a PQS statement, an SWE standard or a KSB."""

    framework: str
    """The framework's key (pcf, pqs-cf-practitioner, swe-professional-standards, ST0510)."""
    code: str
    title: str
    label: str = ""
    """Short, as people say it: 'PCF Values and Ethics', 'PQS KSS 1', 'SWE standard 4', 'ST0510 K1'."""


FRAMEWORK_LABELS = {
    "capabilities": "PCF",
    "post-qualifying-standards": "PQS",
    "professional-standards": "SWE",
    "early-career-standards": "ECS",
}
"""Short names of frameworks by kind; an apprenticeship's KSBs go by the standard's reference."""


def capability_ref(framework_key: str, framework_kind: str, code: str, title: str) -> CapabilityRef:
    """A capability with its short label."""
    short = FRAMEWORK_LABELS.get(framework_kind, framework_key)
    if framework_kind == "capabilities":
        label = f"{short} {title}"
    else:
        words = code.replace("-", " ")
        label = f"{short} {words.upper() if words.startswith('kss') else words}"
    return CapabilityRef(framework=framework_key, code=code, title=title, label=label)


class FrameworkChoices(BaseModel):
    """A framework in force on a date, with the capabilities a goal may be linked to."""

    key: str
    version: str
    title: str
    kind: str
    capabilities: list[CapabilityRef]


class ActionRead(BaseModel):
    id: int
    title: str
    due_on: date | None
    done_on: date | None
    overdue: bool
    """Due before the date read for, and not done."""


class GoalRead(BaseModel):
    id: int
    title: str
    description: str
    position: int
    due_on: date | None
    done_on: date | None
    overdue: bool
    source: str
    capabilities: list[CapabilityRef]
    actions: list[ActionRead]


class StateChangeRead(BaseModel):
    by_name: str
    by_staff_id: str
    from_state: str
    to_state: str
    move: str
    at: datetime
    note: str


class PlanRights(BaseModel):
    """What the actor may do with a worker's plan."""

    may_edit: bool
    """The worker themselves or an administrator: may write the plan and its goals."""
    may_review: bool
    """A line manager up the chain, an assigned educator or an administrator, never the worker."""
    moves: dict[str, str] = {}
    """The moves the actor may make now: move name → the state it leads to."""


class PlanRead(BaseModel):
    """One plan as the worker and their reviewers see it on a date."""

    id: int
    staff_id: str
    worker_name: str
    role: str
    role_title: str
    title: str
    state: str
    target_role: str | None
    target_role_title: str | None
    started_on: date
    on: date
    goals: list[GoalRead]
    history: list[StateChangeRead]
    actions_done: int
    actions_total: int
    rights: PlanRights


class PlanSummary(BaseModel):
    id: int
    title: str
    state: str
    started_on: date
    target_role: str | None
    goals: int
    actions_done: int
    actions_total: int


class RoleChoice(BaseModel):
    key: str
    title: str
