"""Authority files: one council's routes, roles, transitions and programmes, validated on load."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from progression.errors import InputError, Problem
from progression.reference import Reference
from progression.yamlfile import YamlDocument, pydantic_problems, read_yaml

KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
STANDARD_REFERENCE = re.compile(r"^ST\d{4}$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
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
    model_config = ConfigDict(extra="forbid", frozen=True)


class RouteSpec(Strict):
    title: Text
    kind: RouteKind


class PaySpec(Strict):
    min: int = Field(gt=0)
    max: int = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> PaySpec:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


class RetentionSpec(Strict):
    amount: int = Field(gt=0)
    after_months_of_service: int = Field(gt=0)


class RoleSpec(Strict):
    title: Text
    route: Text
    pcf_level: str | None = None
    caseload_cap: int | None = Field(default=None, ge=0)
    pay: PaySpec | None = None
    retention_payment: RetentionSpec | None = None
    market_supplement: int | None = Field(default=None, gt=0)


class EvidenceSpec(Strict):
    framework: Text
    level: Text


class RequirementSpec(Strict):
    """One requirement: a mapping with exactly one key, e.g. `{months_in_role: 12}`."""

    completed: Text | None = None
    months_in_role: int | None = Field(default=None, gt=0)
    months_qualified: int | None = Field(default=None, gt=0)
    months_of_service: int | None = Field(default=None, gt=0)
    evidence: EvidenceSpec | None = None
    cpd_compliant: Literal[True] | None = None

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
    duration_months: int | None = Field(default=None, gt=0)


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

    for section in ("routes", "roles", "programmes"):
        for key in getattr(authority, section):
            if not KEY.match(key):
                bad((section, key), f"'{key}' is not a key: use lowercase letters, digits and hyphens")
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
