"""Reading workers: the list an actor may see, and where one worker stands on the council's routes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.dates import describe_span, whole_months_between
from progression.errors import NotFound
from progression.models import Role, RoleHistory, Route, Team, Worker
from progression.services.actor import Actor, check_can_see, visible_worker_ids


class WorkerSummary(BaseModel):
    """One line of a worker list."""

    staff_id: str
    name: str
    role: str
    role_title: str
    route: str
    team: str | None
    area: str | None


class RoleSpell(BaseModel):
    role: str
    role_title: str
    started_on: date
    ended_on: date | None


class WorkerStanding(BaseModel):
    """Where a worker stands today: role, route, and the time that counts towards next steps."""

    staff_id: str
    name: str
    role: str
    role_title: str
    route: str
    route_title: str
    team: str | None
    area: str | None
    manager: str | None
    role_since: date
    employed_since: date
    qualified_on: date | None
    on: date
    months_in_role: int
    months_of_service: int
    months_qualified: int | None
    time_in_role: str
    time_in_service: str
    time_qualified: str | None
    history: list[RoleSpell]


def list_workers(engine: Engine, actor: Actor, *, search: str = "") -> list[WorkerSummary]:
    """The workers the actor may see, by name; `search` matches name, staff id, role or team."""
    with Session(engine) as session:
        visible = visible_worker_ids(session, actor)
        query = (
            select(Worker, Role, Route, Team)
            .join(Role, col(Role.id) == Worker.role_id)
            .join(Route, col(Route.id) == Role.route_id)
            .outerjoin(Team, col(Team.id) == Worker.team_id)
            .where(col(Worker.left_on).is_(None))
            .order_by(col(Worker.name))
        )
        if visible is not None:
            query = query.where(col(Worker.id).in_(visible))
        needle = search.strip().lower()
        out = []
        for worker, role, route, team in session.exec(query):
            summary = WorkerSummary(
                staff_id=worker.staff_id,
                name=worker.name,
                role=role.key,
                role_title=role.title,
                route=route.key,
                team=team.name if team else None,
                area=team.area if team else None,
            )
            if (
                needle
                and needle
                not in " ".join(filter(None, (summary.staff_id, summary.name, role.title, summary.team))).lower()
            ):
                continue
            out.append(summary)
        return out


def worker_standing(engine: Engine, actor: Actor, staff_id: str, on: date) -> WorkerStanding:
    """Where one worker stands on `on`.

    Raises:
        NotFound: no such worker.
        AccessDenied: the actor may not see this worker.
    """
    with Session(engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).first()
        if worker is None:
            raise NotFound(f"No worker has staff id '{staff_id}'.")
        check_can_see(session, actor, [worker.id or 0], f"see {staff_id}'s record")
        role = session.get_one(Role, worker.role_id)
        route = session.get_one(Route, role.route_id)
        team = session.get(Team, worker.team_id) if worker.team_id else None
        manager = session.get(Worker, worker.manager_id) if worker.manager_id else None
        roles = {r.id: r for r in session.exec(select(Role))}
        spells = session.exec(
            select(RoleHistory).where(RoleHistory.worker_id == worker.id).order_by(col(RoleHistory.started_on))
        ).all()
        qualified = worker.qualified_on if worker.qualified_on and worker.qualified_on <= on else None
        return WorkerStanding(
            staff_id=worker.staff_id,
            name=worker.name,
            role=role.key,
            role_title=role.title,
            route=route.key,
            route_title=route.title,
            team=team.name if team else None,
            area=team.area if team else None,
            manager=manager.name if manager else None,
            role_since=worker.role_since,
            employed_since=worker.employed_since,
            qualified_on=worker.qualified_on,
            on=on,
            months_in_role=whole_months_between(worker.role_since, on),
            months_of_service=whole_months_between(worker.employed_since, on),
            months_qualified=whole_months_between(qualified, on) if qualified else None,
            time_in_role=describe_span(worker.role_since, on),
            time_in_service=describe_span(worker.employed_since, on),
            time_qualified=describe_span(qualified, on) if qualified else None,
            history=[
                RoleSpell(
                    role=roles[s.role_id].key,
                    role_title=roles[s.role_id].title,
                    started_on=s.started_on,
                    ended_on=s.ended_on,
                )
                for s in spells
            ],
        )
