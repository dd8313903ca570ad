"""A manager's team: every report with role, time in role, next step, caseload, supervision and flags."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.bulk import without_cycle_collection
from progression.dates import describe_span, whole_months_between
from progression.engine import next_steps
from progression.engine.cpd import cpd_status
from progression.engine.facts import CpdRecordFact
from progression.engine.pay import retention_due
from progression.engine.supervision import SessionFact, schedule_key, supervision_status
from progression.models import CpdRecord, Supervision, Team, Worker
from progression.services.actor import Actor, reports_of
from progression.services.cpd import standing_from
from progression.services.facts import latest_caseloads, load_council, load_workers
from progression.services.tables_out import Sheet

CPD_DEADLINE_NEAR = timedelta(days=60)
RETENTION_SOON = timedelta(days=90)


class TeamMember(BaseModel):
    staff_id: str
    name: str
    role: str
    role_title: str
    team: str | None
    area: str | None
    direct: bool
    """A direct report (else indirect)."""
    months_in_role: int
    time_in_role: str
    next_step: str | None
    next_step_title: str | None
    next_step_on: date | None
    next_step_ready: bool
    caseload: int | None
    caseload_cap: int | None
    last_supervision: date | None
    next_supervision: date | None
    last_group: date | None
    flags: list[str]
    """over-cap, supervision-overdue, cpd-deadline, retention-due"""


def team_view(engine: Engine, actor: Actor, on: date) -> list[TeamMember]:
    """The actor's reports, direct and indirect (an administrator: everyone), as one row each."""
    with without_cycle_collection(), Session(engine) as session:
        if actor.is_admin:
            ids: set[int] | None = None
            direct: set[int] = set()
        else:
            ids = reports_of(session, actor.worker_id or -1)
            direct = set(session.exec(select(Worker.id).where(Worker.manager_id == (actor.worker_id or -1))))
        council = load_council(session)
        facts = load_workers(session, on, council, ids)
        people = {w.staff_id: w for w in session.exec(select(Worker).where(col(Worker.left_on).is_(None)))}
        teams = {t.id: t for t in session.exec(select(Team))}
        caseloads = latest_caseloads(session, on)
        sessions: dict[int, list[SessionFact]] = defaultdict(list)
        for worker_id, day, kind, confirmed_at in session.exec(
            select(Supervision.worker_id, Supervision.day, Supervision.kind, Supervision.confirmed_at).where(
                col(Supervision.day) <= on, col(Supervision.day) >= on - timedelta(days=400)
            )
        ):
            sessions[worker_id].append(SessionFact(day, kind, confirmed_at is not None))
        year_start, _ = council.reference.registration_year(on)
        cpd: dict[int, list[CpdRecordFact]] = defaultdict(list)
        for worker_id, day, peer in session.exec(
            select(CpdRecord.worker_id, CpdRecord.day, CpdRecord.peer_reflection).where(
                col(CpdRecord.day) >= year_start, col(CpdRecord.day) <= on
            )
        ):
            cpd[worker_id].append(CpdRecordFact(day, peer))
        rows = []
        for worker in facts:
            person = people[worker.staff_id]
            if ids is None and person.id == actor.worker_id:
                continue
            role = council.roles.get(worker.role)
            steps = next_steps(worker, council, on)
            dated = [s for s in steps if s.ready_on is not None]
            nearest = min(dated, key=lambda s: s.ready_on) if dated else (steps[0] if steps else None)  # type: ignore[arg-type,return-value]
            standing = standing_from(
                pcf_level=role.pcf_level if role else None,
                route_kind=council.route_kind(worker.role),
                qualified_on=person.qualified_on,
                swe_number=person.swe_number,
                on=on,
            )
            supervision = supervision_status(
                sessions.get(person.id, []),
                worker.role_since,  # type: ignore[arg-type]
                schedule_key(council.reference, standing.kind),
                on,
                council.reference,
            )
            status = cpd_status(cpd.get(person.id, []), on, council.reference)  # type: ignore[arg-type]
            retention = retention_due(worker, council)
            cases = caseloads.get(person.id)
            flags = []
            if cases is not None and role and role.caseload_cap is not None and cases > role.caseload_cap:
                flags.append("over-cap")
            if supervision.overdue:
                flags.append("supervision-overdue")
            if standing.registered and not status.compliant and status.year_end - on <= CPD_DEADLINE_NEAR:
                flags.append("cpd-deadline")
            if retention and on - timedelta(days=30) <= retention.due_on <= on + RETENTION_SOON:
                flags.append("retention-due")
            team = teams.get(person.team_id) if person.team_id else None
            rows.append(
                TeamMember(
                    staff_id=worker.staff_id,
                    name=person.name,
                    role=worker.role,
                    role_title=role.title if role else worker.role,
                    team=team.name if team else None,
                    area=team.area if team else None,
                    direct=person.id in direct,
                    months_in_role=whole_months_between(worker.role_since, on),
                    time_in_role=describe_span(worker.role_since, on),
                    next_step=nearest.role if nearest else None,
                    next_step_title=council.roles[nearest.role].title
                    if nearest and nearest.role in council.roles
                    else None,
                    next_step_on=nearest.ready_on if nearest else None,
                    next_step_ready=bool(nearest and nearest.ready),
                    caseload=cases,
                    caseload_cap=role.caseload_cap if role else None,
                    last_supervision=supervision.last_individual,
                    next_supervision=supervision.next_due,
                    last_group=supervision.last_group,
                    flags=flags,
                )
            )
        return sorted(rows, key=lambda r: (not r.direct, r.name))


def team_sheet(members: list[TeamMember]) -> list[Sheet]:
    """The team as one sheet, a column per field of the team view (`team --output` and the team screen)."""
    header = list(TeamMember.model_fields)
    return [("Team", header, [list(m.model_dump().values()) for m in members])]
