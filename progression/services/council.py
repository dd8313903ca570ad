"""The loaded council: applying an authority file, and reading its routes as a map."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import Engine, inspect
from sqlmodel import Session, col, delete, select

from progression.authority import Authority, RequirementSpec
from progression.models import Council, Programme, ProgressionRequest, Requirement, Role, Route, Transition, Worker
from progression.services.actor import Actor
from progression.services.audit import record


class RequirementRead(BaseModel):
    kind: str
    months: int | None = None
    programme: str | None = None
    framework: str | None = None
    level: str | None = None
    text: str
    """The requirement in words, e.g. '12 months in role'."""


class TransitionRead(BaseModel):
    from_role: str
    to_role: str
    decided_by: str
    requirements: list[RequirementRead]


class RoleRead(BaseModel):
    key: str
    title: str
    route: str
    pcf_level: str | None
    caseload_cap: int | None
    pay_min: int | None
    pay_max: int | None
    retention_amount: int | None
    retention_after_months: int | None
    market_supplement: int | None
    headcount: int = 0


class RouteRead(BaseModel):
    key: str
    title: str
    kind: str
    roles: list[RoleRead]


class RouteMap(BaseModel):
    """The council's routes, roles in route order, and every transition with what it requires."""

    council: str
    routes: list[RouteRead]
    transitions: list[TransitionRead]

    def role(self, key: str) -> RoleRead | None:
        return next((r for route in self.routes for r in route.roles if r.key == key), None)

    def transitions_from(self, key: str) -> list[TransitionRead]:
        return [t for t in self.transitions if t.from_role == key]

    def transitions_to(self, key: str) -> list[TransitionRead]:
        return [t for t in self.transitions if t.to_role == key]


DECIDED_BY_TEXT = {
    "automatic": "automatic when ready",
    "line_manager": "line manager decides",
    "panel": "progression panel decides",
    "recruitment": "by application (vacancy)",
}


def describe_requirement(requirement: Requirement, programme_titles: dict[str, str]) -> str:
    """A requirement in words a worker reads."""
    months = requirement.months or 0
    span = (
        f"{months // 12} years"
        if months and months % 12 == 0 and months >= 24
        else f"{months} month{'s' if months != 1 else ''}"
    )
    match requirement.kind:
        case "months_in_role":
            return f"{span} in role"
        case "months_qualified":
            return f"{span} since qualifying"
        case "months_of_service":
            return f"{span} of service"
        case "completed":
            key = requirement.programme_key or ""
            return f"completed {programme_titles.get(key, key)}"
        case "evidence":
            return (
                f"evidence for every {requirement.framework_key.upper() if requirement.framework_key else ''} "
                f"domain at {requirement.level_key} level"
            )
        case "cpd_compliant":
            return "CPD up to date with Social Work England"
    return requirement.kind


def council_name(engine: Engine) -> str | None:
    """The loaded council's name, or None when none is loaded (or the database is empty)."""
    if not inspect(engine).has_table("council"):
        return None
    with Session(engine) as session:
        council = session.exec(select(Council)).first()
        return council.name if council else None


def route_map(engine: Engine, actor: Actor) -> RouteMap:
    """The council's route map. Routes and roles are not personal: every actor may read them.

    Headcounts are included for managers and admins only.
    """
    with Session(engine) as session:
        council = session.exec(select(Council)).one()
        routes = session.exec(select(Route).order_by(col(Route.position))).all()
        roles = session.exec(select(Role).where(Role.retired == False).order_by(col(Role.position))).all()  # noqa: E712
        by_id = {r.id: r for r in roles}
        titles = {p.key: p.title for p in session.exec(select(Programme))}
        counts: dict[int, int] = {}
        if actor.is_admin or actor.is_manager:
            from sqlalchemy import func

            rows = session.exec(
                select(Worker.role_id, func.count())
                .where(Worker.left_on.is_(None))  # type: ignore[union-attr]
                .group_by(Worker.role_id)
            ).all()
            counts = dict(rows)
        requirements: dict[int, list[Requirement]] = {}
        for requirement in session.exec(select(Requirement).order_by(col(Requirement.position))):
            requirements.setdefault(requirement.transition_id, []).append(requirement)
        transitions = []
        for t in session.exec(select(Transition).order_by(col(Transition.position))):
            if t.from_role_id not in by_id or t.to_role_id not in by_id:
                continue
            transitions.append(
                TransitionRead(
                    from_role=by_id[t.from_role_id].key,
                    to_role=by_id[t.to_role_id].key,
                    decided_by=t.decided_by,
                    requirements=[
                        RequirementRead(
                            kind=r.kind,
                            months=r.months,
                            programme=r.programme_key,
                            framework=r.framework_key,
                            level=r.level_key,
                            text=describe_requirement(r, titles),
                        )
                        for r in requirements.get(t.id or 0, [])
                    ],
                )
            )
        route_reads = []
        for route in routes:
            route_roles = [
                RoleRead(
                    key=r.key,
                    title=r.title,
                    route=route.key,
                    pcf_level=r.pcf_level,
                    caseload_cap=r.caseload_cap,
                    pay_min=r.pay_min,
                    pay_max=r.pay_max,
                    retention_amount=r.retention_amount,
                    retention_after_months=r.retention_after_months,
                    market_supplement=r.market_supplement,
                    headcount=counts.get(r.id or 0, 0),
                )
                for r in roles
                if r.route_id == route.id
            ]
            route_reads.append(RouteRead(key=route.key, title=route.title, kind=route.kind, roles=route_roles))
        return RouteMap(council=council.name, routes=route_reads, transitions=transitions)


def _requirement_row(transition_id: int, position: int, spec: RequirementSpec) -> Requirement:
    row = Requirement(transition_id=transition_id, position=position, kind=spec.kind)
    if spec.kind.startswith("months_"):
        row.months = getattr(spec, spec.kind)
    elif spec.kind == "completed":
        row.programme_key = spec.completed
    elif spec.kind == "evidence" and spec.evidence:
        row.framework_key, row.level_key = spec.evidence.framework, spec.evidence.level
    elif spec.kind == "cpd_compliant":
        row.flag = True
    return row


def apply_authority(session: Session, actor: Actor, authority: Authority, source: Path) -> dict[str, int]:
    """Load or update the council from a validated authority file, keeping every worker and their history.

    Roles that leave the file are kept, marked retired, because workers and history may name them.
    """
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    council = session.exec(select(Council)).first()
    before = {"name": council.name, "sha256": council.source_sha256} if council else None
    if council is None:
        council = Council(name=authority.name)
    council.name, council.source_file, council.source_sha256 = authority.name, source.name, digest
    session.add(council)

    routes = {r.key: r for r in session.exec(select(Route))}
    for position, (key, spec) in enumerate(authority.routes.items()):
        route = routes.get(key) or Route(key=key, title=spec.title, kind=spec.kind)
        route.title, route.kind, route.position = spec.title, spec.kind, position
        session.add(route)
        routes[key] = route
    session.flush()

    roles = {r.key: r for r in session.exec(select(Role))}
    for role in roles.values():
        role.retired = role.key not in authority.roles
    for position, (key, spec) in enumerate(authority.roles.items()):
        role = roles.get(key) or Role(key=key, title=spec.title, route_id=0)
        role.title, role.route_id, role.position, role.retired = spec.title, routes[spec.route].id, position, False
        role.pcf_level, role.caseload_cap, role.market_supplement = (
            spec.pcf_level,
            spec.caseload_cap,
            spec.market_supplement,
        )
        role.pay_min, role.pay_max = (spec.pay.min, spec.pay.max) if spec.pay else (None, None)
        role.retention_amount, role.retention_after_months = (
            (spec.retention_payment.amount, spec.retention_payment.after_months_of_service)
            if spec.retention_payment
            else (None, None)
        )
        session.add(role)
        roles[key] = role
    session.flush()

    programmes = {p.key: p for p in session.exec(select(Programme))}
    for key, spec in authority.programmes.items():
        programme = programmes.get(key) or Programme(key=key, title=spec.title, kind=spec.kind, local=True)
        programme.title, programme.kind, programme.duration_months = spec.title, spec.kind, spec.duration_months
        session.add(programme)

    existing = {(t.from_role_id, t.to_role_id): t for t in session.exec(select(Transition))}
    session.exec(delete(Requirement))  # type: ignore[call-overload]
    keep: set[int] = set()
    for position, spec in enumerate(authority.transitions):
        pair = (roles[spec.from_].id, roles[spec.to].id)
        transition = existing.get(pair) or Transition(
            from_role_id=pair[0], to_role_id=pair[1], decided_by=spec.decided_by
        )  # type: ignore[arg-type]
        transition.decided_by, transition.position = spec.decided_by, position
        session.add(transition)
        session.flush()
        keep.add(transition.id)  # type: ignore[arg-type]
        for r_position, requirement in enumerate(spec.requires):
            session.add(_requirement_row(transition.id, r_position, requirement))  # type: ignore[arg-type]
    gone = [t for t in existing.values() if t.id not in keep]
    if gone:
        ids = [t.id for t in gone]
        for request in session.exec(select(ProgressionRequest).where(col(ProgressionRequest.transition_id).in_(ids))):
            request.transition_id = None
            session.add(request)
        session.flush()
        for transition in gone:
            session.delete(transition)
    after = {
        "name": authority.name,
        "sha256": digest,
        "routes": len(authority.routes),
        "roles": len(authority.roles),
        "transitions": len(authority.transitions),
    }
    if before is None or before.get("sha256") != digest:
        record(session, actor, "load-authority", "council", authority.name, before=before, after=after)
    return after
