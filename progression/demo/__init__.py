"""The fictional Fernbridge council's workforce, generated deterministically from a seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from progression.demo.learning import Learning
from progression.demo.people import DemoWorker, Workforce
from progression.demo.records import EVIDENCE_LEVEL, Records
from progression.demo.requests import Requests
from progression.demo.writer import Rows
from progression.errors import ProgressionError
from progression.models import (
    ApprenticeshipStandard,
    Capability,
    Framework,
    FrameworkLevel,
    Programme,
    Role,
    RoleHistory,
    Team,
    Transition,
    Worker,
)
from progression.services.actor import Actor
from progression.services.audit import record
from progression.services.tables_out import counted

ECDP_FIRST_START = date(2027, 9, 6)
LEARNER_ROLES = ("nqsw", "social-work-apprentice", "academy-student")


@dataclass
class DemoResult:
    workers: int
    teams: int
    rows: int
    requests: int
    applied: int = 0
    automatic: int = 0

    def summary(self) -> str:
        caught_up = (
            f"; {counted(self.applied, 'approved move')} applied, {counted(self.automatic, 'automatic step')} taken"
            if self.applied or self.automatic
            else ""
        )
        return (
            f"Fernbridge Metropolitan Borough Council (fictional): {counted(self.workers, 'worker')} in "
            f"{counted(self.teams, 'team')}, {counted(self.requests, 'progression request')}, "
            f"{counted(self.rows, 'record')} written{caught_up}"
        )


class Demo:
    """Holds the lookups and generators for one demo build."""

    def __init__(self, session: Session, seed: int, today: date) -> None:
        self.session, self.today = session, today
        self.rng = random.Random(seed)
        self.rows = Rows(session)
        self.roles = {r.key: r.id for r in session.exec(select(Role))}
        self.caps = {r.key: r.caseload_cap for r in session.exec(select(Role))}
        self.programmes = {p.key: p.id for p in session.exec(select(Programme))}
        self.transitions = {}
        by_id = {v: k for k, v in self.roles.items()}
        for t in session.exec(select(Transition)):
            self.transitions[(by_id[t.from_role_id], by_id[t.to_role_id])] = t.id
        self.pcf_domains: dict[str, int] = {}
        self.pcf_levels: dict[str, int] = {}
        self.pqs_statements: list[int] = []
        self.ksbs: list[int] = []
        for framework in session.exec(select(Framework)):
            capabilities = session.exec(
                select(Capability).where(Capability.framework_id == framework.id).order_by(col(Capability.position))
            ).all()
            if framework.key == "pcf":
                self.pcf_domains = {c.code: c.id for c in capabilities}  # type: ignore[misc]
                self.pcf_levels = {
                    lv.key: lv.id
                    for lv in session.exec(  # type: ignore[misc]
                        select(FrameworkLevel).where(FrameworkLevel.framework_id == framework.id)
                    )
                }
            elif framework.key == "pqs-cf-practitioner":
                self.pqs_statements = [c.id for c in capabilities]  # type: ignore[misc]
            elif framework.key == "ST0510":
                self.ksbs = [c.id for c in capabilities]  # type: ignore[misc]
        self.deferred_goals: dict[int, str] = {}

    def standard_id(self) -> int | None:
        standard = self.session.exec(
            select(ApprenticeshipStandard).where(
                ApprenticeshipStandard.reference == "ST0510", ApprenticeshipStandard.version == "1.1"
            )
        ).first()
        if standard is None:
            standard = ApprenticeshipStandard(
                reference="ST0510",
                version="1.1",
                title="Social worker (integrated degree)",
                level=6,
                typical_duration_months=36,
                max_funding=24000,
                status="Approved for delivery",
            )
            self.session.add(standard)
            self.session.flush()
        return standard.id

    def check_ready(self) -> None:
        missing = [
            key
            for key in (
                "nqsw",
                "social-worker-1",
                "social-work-apprentice",
                "academy-student",
                "team-manager",
                "head-of-service",
            )
            if key not in self.roles
        ]
        if missing:
            raise ProgressionError(
                f"The loaded council is not the demo council (no role {missing[0]}): "
                "run `progression demo` on a new database."
            )


def _educators(workers: list[DemoWorker]) -> tuple[dict[int, list[int]], list[int]]:
    """Practice educators by team, and every stage 2 educator."""
    by_team: dict[int, list[int]] = {}
    stage_two = []
    for worker in workers:
        if worker.is_educator:
            by_team.setdefault(worker.team, []).append(worker.id)
            if worker.educator_stage == 2:
                stage_two.append(worker.id)
    return by_team, stage_two


def build_demo(
    session: Session,
    actor: Actor,
    *,
    workers: int,
    seed: int,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """Generate and write the demo workforce in the caller's unit of work.

    Raises:
        ProgressionError: the database already has workers, or the demo council is not loaded.
    """
    existing = session.exec(select(func.count()).select_from(Worker)).one()
    if existing:
        raise ProgressionError(
            f"This database already has {existing:,} workers; the demo fills an empty database (use a new --db file)."
        )
    demo = Demo(session, seed, today)
    demo.check_ready()
    workforce = Workforce(demo.rng, today, workers)
    workforce.build()
    people = workforce.workers
    learning, records, requests = Learning(demo), Records(demo), Requests(demo)
    standard = demo.standard_id()
    educators, stage_two = _educators(people)
    lead = workforce.academy.manager or (stage_two[0] if stage_two else None)
    students = 0
    for worker in people:
        local = educators.get(worker.team) or stage_two or [None]
        educator = demo.rng.choice(local)
        if worker.role == "social-work-apprentice":
            learning.apprenticeship(worker, educator, standard)
            records.apprentice_evidence(worker, educator)
        elif worker.role == "academy-student":
            first = demo.rng.choice([e for e in educators.get(workforce.academy.id, [])] + stage_two or [None])
            learning.placement(worker, first, lead)
            students += 1
            if students == 1 and today < ECDP_FIRST_START:
                learning.planned_ecdp(worker, lead, ECDP_FIRST_START)
        elif worker.role == "nqsw":
            learning.asye(worker, educator)
        learning.completions(worker, educator)
    for worker in people:
        practising = worker.qualified_on is not None and worker.role != "academy-student"
        if practising:
            records.cpd(worker)
        if worker.role not in ("academy-student",) and worker.manager:
            records.supervision(worker, worker.manager, worker.role == "nqsw")
        records.caseload(worker, demo.caps.get(worker.role))
    for start in range(0, len(people), 60):  # requests in every state in each slice of the workforce
        requests.build(people[start : start + 60], panel_chair=1)
    full_evidence = 0
    for worker in people:
        if worker.role in EVIDENCE_LEVEL and demo.rng.random() < 0.8:
            full = worker.role == "social-worker-2" and full_evidence < max(2, len(people) // 30)
            full_evidence += full
            records.evidence(worker, worker.manager, full)
        if demo.rng.random() < 0.6 or worker.id in demo.deferred_goals:
            state = "agreed" if worker.id in demo.deferred_goals else None
            records.plan(worker, worker.manager, None, state, demo.deferred_goals.get(worker.id))
    _write_people(demo, workforce)
    demo.rows.write(progress)
    record(
        session,
        actor,
        "demo",
        "council",
        "Fernbridge",
        after={"workers": len(people), "seed": seed, "today": today.isoformat()},
    )
    return DemoResult(workers=len(people), teams=len(workforce.teams), rows=demo.rows.count(), requests=requests.count)


def _write_people(demo: Demo, workforce: Workforce) -> None:
    """Teams, workers and role history go first in the write order (rows refer to them)."""
    ordered = Rows(demo.session)
    for team in workforce.teams:
        ordered.tables.setdefault(Team, []).append({"id": team.id, "name": team.name, "area": team.area})
    for worker in workforce.workers:
        ordered.tables.setdefault(Worker, []).append(
            {
                "id": worker.id,
                "staff_id": worker.staff_id,
                "name": worker.name,
                "email": worker.name.lower().replace(" ", ".").replace("'", "") + "@fernbridge.example",
                "role_id": demo.roles[worker.role],
                "role_since": worker.role_since,
                "employed_since": min(worker.employed_since, worker.role_since),
                "qualified_on": worker.qualified_on,
                "team_id": worker.team,
                "manager_id": worker.manager,
                "fte": worker.fte,
                "is_educator": worker.is_educator,
                "is_manager": worker.is_manager,
                "is_admin": worker.is_admin,
                "educator_stage": worker.educator_stage,
                "service": "children",
            }
        )
    history = [
        {"worker_id": w.id, "role_id": demo.roles[role], "started_on": start, "ended_on": end, "reason": "demo history"}
        for w in workforce.workers
        for role, start, end in w.history
    ]
    ordered.tables[RoleHistory] = [{"id": i + 1, **row} for i, row in enumerate(history)]
    ordered.tables.update(demo.rows.tables)
    demo.rows.tables = ordered.tables
