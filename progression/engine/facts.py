"""The facts the engine reasons over: a council's roles and transitions, and one worker's record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from progression.reference import Reference


@dataclass(slots=True)
class RoleFacts:
    key: str
    title: str
    route: str
    pcf_level: str | None = None
    caseload_cap: int | None = None
    retention_amount: int | None = None
    retention_after_months: int | None = None
    market_supplement: int | None = None
    route_kind: str = ""
    """The kind of the role's route (practice, management, apprenticeship, academy); empty: read from `route`."""


ROUTE_KINDS = ("practice", "management", "apprenticeship", "academy")
MANAGEMENT = "management"
"""The one route kind that leaves direct work with children: the others (practice, grow your own
apprenticeships, academy placements) are one family for paths, the work the councils promise to keep."""


@dataclass(slots=True)
class RequirementFacts:
    """One requirement; which fields are set depends on `kind` (as in the authority file)."""

    kind: str
    months: int | None = None
    programme: str | None = None
    framework: str | None = None
    level: str | None = None


@dataclass(slots=True)
class TransitionFacts:
    from_role: str
    to_role: str
    decided_by: str
    requirements: tuple[RequirementFacts, ...] = ()


@dataclass(slots=True)
class CpdRecordFact:
    day: date
    peer_reflection: bool


@dataclass(slots=True)
class WorkerFacts:
    """What the engine knows of one worker. Dates after the evaluation date are treated as not yet happened."""

    staff_id: str
    role: str
    role_since: date
    employed_since: date
    qualified_on: date | None = None
    fte: float = 1.0
    completed: Mapping[str, date] = field(default_factory=dict)
    """Programme key → the day it was completed."""
    planned: Mapping[str, date] = field(default_factory=dict)
    """Programme key → planned end of an active enrolment (not on a break in learning)."""
    paused: frozenset[str] = frozenset()
    """Programme keys whose enrolment is on a break in learning."""
    evidence: Mapping[tuple[str, str], Mapping[str, date]] = field(default_factory=dict)
    """(framework, level) → capability code → the day its first accepted evidence was accepted."""
    cpd: tuple[CpdRecordFact, ...] = ()
    service: str = "children"
    plan_dates: Mapping[tuple[str, str], date] = field(default_factory=dict)
    """(framework, capability code) → the date the worker's development plan expects it evidenced: the
    earliest due date of an open goal linked to it (its latest open action's, when later). Used only to
    estimate, never as fact; empty unless loaded (paths load it)."""


class CouncilFacts:
    """A council's roles and transitions, indexed for the engine, with the reference data it needs."""

    def __init__(
        self,
        roles: Mapping[str, RoleFacts],
        transitions: list[TransitionFacts],
        reference: Reference,
        programme_months: Mapping[str, int] | None = None,
    ) -> None:
        self.roles = dict(roles)
        self.programme_months = dict(programme_months or {})
        """Programme key → its usual length, for forecasting a programme not yet begun."""
        self.transitions = list(transitions)
        self.reference = reference
        self.out: dict[str, list[TransitionFacts]] = {}
        for transition in self.transitions:
            self.out.setdefault(transition.from_role, []).append(transition)
        self._domains: dict[tuple[str, str], tuple[str, ...]] = {}
        pcf = reference.frameworks.get("pcf")
        asye = pcf.level("asye") if pcf else None
        # PCF levels from the first-year level up are held only by qualified social workers.
        self.qualified_levels = (
            {lv.key for lv in pcf.levels if asye is not None and lv.position >= asye.position} if pcf else set()
        )

    def level_domains(self, framework: str, level: str) -> tuple[str, ...]:
        """The capability codes a framework level covers (every domain, for the PCF)."""
        key = (framework, level)
        if key not in self._domains:
            found = self.reference.frameworks.get(framework)
            found_level = found.level(level) if found else None
            self._domains[key] = tuple(found_level.domains or ()) if found_level else ()
        return self._domains[key]

    def level_label(self, framework: str, level: str) -> tuple[str, str]:
        """A framework's short name (PCF, or its key) and a level's title in lower case, for sentences."""
        found = self.reference.frameworks.get(framework)
        found_level = found.level(level) if found else None
        short = framework.upper() if len(framework) <= 4 else framework
        return short, (found_level.title.lower() if found_level else level.replace("-", " "))

    def route_kind(self, role: str) -> str:
        """The kind of route a role is on; a role whose kind is not given is taken from its route key when that
        names a kind, else practice."""
        found = self.roles.get(role)
        if found is None:
            return "practice"
        if found.route_kind:
            return found.route_kind
        return found.route if found.route in ROUTE_KINDS else "practice"

    def keeps_practice(self, role: str) -> bool:
        """Whether a role is direct work with children (any route kind but management)."""
        return self.route_kind(role) != MANAGEMENT

    def qualifies(self, role: str) -> bool:
        """Whether holding this role means being a qualified social worker."""
        level = self.roles[role].pcf_level if role in self.roles else None
        return level in self.qualified_levels

    def equivalents(self, programme: str, service: str) -> tuple[str, ...]:
        """The programme and those the reference data says replaced it (the ASYE by the ECDP, say)."""
        found = [programme]
        for change in self.reference.changeovers:
            if change.subject == "programme" and change.replaces in found and change.service == service:
                found.append(change.by)
        return tuple(found)

    def programme_starting(self, programme: str, start: date, service: str) -> str:
        """Which of a programme's equivalents someone starting on `start` would take."""
        chosen = programme
        for change in self.reference.changeovers:
            if (
                change.subject == "programme"
                and change.replaces == chosen
                and change.service == service
                and start >= change.effective_on
            ):
                chosen = change.by
        return chosen
