"""Authority files: one council's routes, roles, transitions and programmes, validated on load."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from progression.errors import InputError, Problem
from progression.fields import column_limit, text_problem
from progression.models import Council, Programme, Role, Route
from progression.reference import Reference
from progression.yamlfile import YamlDocument, pydantic_problems, read_yaml

KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
STANDARD_REFERENCE = re.compile(r"^ST\d{4}$")

TITLE_LIMIT = 200
"""The longest council name or route, role or programme title, where the column itself sets no limit."""
MAX_MONTHS = 600
"""The longest span in months a requirement, payment or programme may name (50 years)."""
MAX_MONEY = 10_000_000
"""The largest amount of money (pounds a year, or a payment) an authority file may name."""
MAX_CASELOAD = 1_000
"""The largest caseload cap."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Months = Annotated[int, Field(strict=True, gt=0, le=MAX_MONTHS)]
Money = Annotated[int, Field(strict=True, gt=0, le=MAX_MONEY)]
RouteKind = Literal["practice", "management", "apprenticeship", "academy"]
DecidedBy = Literal["automatic", "line_manager", "panel", "recruitment"]
REQUIREMENT_KINDS = (
    "completed",
    "months_in_role",
    "months_qualified",
    "months_of_service",
    "evidence",
    "cpd_compliant",
)


class Strict(BaseModel):
    """No coercion: `true` is not a number, `1` is not `true`, `12` is not a title."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class RouteSpec(Strict):
    title: Text
    kind: RouteKind


class PaySpec(Strict):
    min: Money
    max: Money

    @model_validator(mode="after")
    def _ordered(self) -> PaySpec:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


class RetentionSpec(Strict):
    amount: Money
    after_months_of_service: Months


class RoleSpec(Strict):
    title: Text
    route: Text
    pcf_level: str | None = None
    caseload_cap: int | None = Field(default=None, ge=0, le=MAX_CASELOAD)
    pay: PaySpec | None = None
    retention_payment: RetentionSpec | None = None
    market_supplement: Money | None = None


class EvidenceSpec(Strict):
    framework: Text
    level: Text


class RequirementSpec(Strict):
    """One requirement: a mapping with exactly one key, e.g. `{months_in_role: 12}`."""

    completed: Text | None = None
    months_in_role: Months | None = None
    months_qualified: Months | None = None
    months_of_service: Months | None = None
    evidence: EvidenceSpec | None = None
    cpd_compliant: bool | None = None
    """Only `true` (a strict bool: `1` and `yes` are refused)."""

    @field_validator("cpd_compliant")
    @classmethod
    def _only_true(cls, value: bool | None) -> bool | None:
        if value is False:
            raise ValueError("cpd_compliant can only be true (leave the requirement out instead)")
        return value

    @model_validator(mode="before")
    @classmethod
    def _one_key(cls, value: Any) -> Any:
        if isinstance(value, dict) and len(value) != 1:
            raise ValueError(
                f"a requirement has exactly one of {', '.join(REQUIREMENT_KINDS)}; found {len(value)} keys"
            )
        return value

    @property
    def kind(self) -> str:
        return next(k for k in REQUIREMENT_KINDS if getattr(self, k) is not None)


class TransitionSpec(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: Text = Field(alias="from")
    to: Text
    decided_by: DecidedBy
    requires: list[RequirementSpec] = Field(default_factory=list)


class ProgrammeSpec(Strict):
    title: Text
    kind: Literal["local", "asye", "ecdp", "apprenticeship", "placement", "peps"] = "local"
    duration_months: Months | None = None


class Authority(Strict):
    """A whole authority file."""

    name: Text
    routes: dict[str, RouteSpec] = Field(min_length=1)
    roles: dict[str, RoleSpec] = Field(min_length=1)
    transitions: list[TransitionSpec] = Field(default_factory=list)
    programmes: dict[str, ProgrammeSpec] = Field(default_factory=dict)


def _cross_check(authority: Authority, doc: YamlDocument, reference: Reference) -> list[Problem]:
    problems: list[Problem] = []

    def bad(parts: tuple[Any, ...], message: str) -> None:
        problems.append(Problem(doc.place(parts), message))

    for section, model in (("routes", Route), ("roles", Role), ("programmes", Programme)):
        for key, spec in getattr(authority, section).items():
            if not KEY.match(key):
                bad((section, key), f"'{key}' is not a key: use lowercase letters, digits and hyphens")
            elif problem := text_problem(key, column_limit(model, "key")):
                bad((section, key), f"the key {problem}")
            if problem := text_problem(spec.title, column_limit(model, "title") or TITLE_LIMIT):
                bad((section, key, "title"), f"the title {problem}")
    if problem := text_problem(authority.name, column_limit(Council, "name") or TITLE_LIMIT):
        bad(("name",), f"the name {problem}")
    for key in authority.programmes:
        if key in reference.programmes:
            bad(("programmes", key), f"'{key}' is a reference programme already; choose another key")
    programmes = set(reference.programmes) | set(authority.programmes)
    pcf = reference.frameworks.get("pcf")
    pcf_levels = {level.key for level in pcf.levels} if pcf else set()
    for key, role in authority.roles.items():
        if role.route not in authority.routes:
            bad(("roles", key, "route"), f"unknown route '{role.route}' (routes: {', '.join(authority.routes)})")
        if role.pcf_level is not None and role.pcf_level not in pcf_levels:
            bad(("roles", key, "pcf_level"), f"unknown PCF level '{role.pcf_level}'")
    seen: dict[tuple[str, str], int] = {}
    for index, transition in enumerate(authority.transitions):
        here = ("transitions", index)
        for end, name in (("from", transition.from_), ("to", transition.to)):
            if name not in authority.roles:
                bad((*here, end), f"unknown role '{name}'")
        if transition.from_ == transition.to:
            bad(here, f"a transition from '{transition.from_}' to itself")
        pair = (transition.from_, transition.to)
        if pair in seen:
            bad(here, f"duplicate transition {pair[0]} → {pair[1]} (first at transitions[{seen[pair]}])")
        seen.setdefault(pair, index)
        kinds: set[str] = set()
        for r_index, requirement in enumerate(transition.requires):
            at = (*here, "requires", r_index)
            if requirement.kind in kinds and requirement.kind != "completed":
                bad(at, f"'{requirement.kind}' appears twice in this transition")
            kinds.add(requirement.kind)
            if (
                requirement.completed is not None
                and requirement.completed not in programmes
                and not STANDARD_REFERENCE.match(requirement.completed)
            ):
                bad((*at, "completed"), f"unknown programme '{requirement.completed}'")
            if requirement.evidence is not None:
                framework = reference.frameworks.get(requirement.evidence.framework)
                if framework is None:
                    bad((*at, "evidence", "framework"), f"unknown framework '{requirement.evidence.framework}'")
                elif requirement.evidence.level not in {level.key for level in framework.levels}:
                    bad(
                        (*at, "evidence", "level"),
                        f"unknown level '{requirement.evidence.level}' of framework '{framework.key}'",
                    )
    return problems


def load_authority(path: Path, reference: Reference) -> Authority:
    """Read and validate an authority file.

    Raises:
        InputError: every problem found, each naming the file, line and path inside it.
    """
    doc = read_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(Problem(path.name, "an authority file is a mapping with name, routes, roles and transitions"))
    try:
        authority = Authority.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(pydantic_problems(doc, exc)) from None
    problems = _cross_check(authority, doc, reference)
    if problems:
        raise InputError(problems)
    return authority
