"""Importing workers from a council's HR export (CSV or XLSX), all-or-nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.errors import InputError, Problem
from progression.models import Access, Enrolment, Programme, Role, RoleHistory, Team, Worker
from progression.services.actor import Actor, require_admin
from progression.services.audit import record
from progression.tables import Row, Table, read_table

REQUIRED = ("staff_id", "name", "role", "role_since")
OPTIONAL = (
    "employed_since",
    "qualified_on",
    "team",
    "manager",
    "email",
    "fte",
    "access",
    "completed",
    "area",
    "educator_stage",
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STANDARD = re.compile(r"^ST\d{4}$")


@dataclass
class WorkerRow:
    """A validated row, ready to write."""

    line: int
    staff_id: str
    name: str
    role: str
    role_since: date
    employed_since: date
    qualified_on: date | None
    team: str | None
    area: str | None
    manager: str | None
    email: str | None
    fte: float
    access: set[Access]
    completed: list[tuple[str, date]] = field(default_factory=list)
    educator_stage: int | None = None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0

    def summary(self, name: str) -> str:
        return f"{name}: {self.created} workers added, {self.updated} updated, {self.unchanged} unchanged" + (
            f", {self.teams_created} teams added" if self.teams_created else ""
        )


class _RowChecker:
    def __init__(self, table: Table, row: Row, problems: list[Problem]) -> None:
        self.table, self.row, self.problems = table, row, problems

    def bad(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.table.place(self.row.line, column), message))

    def text(self, column: str, required: bool = False) -> str | None:
        value = self.row.get(column)
        if not value:
            if required:
                self.bad(column, "required but empty")
            return None
        return value

    def day(self, column: str, required: bool = False) -> date | None:
        value = self.text(column, required)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.bad(column, f"'{value}' is not a date (use YYYY-MM-DD)")
            return None


def _check_row(
    table: Table, row: Row, roles: set[str], programmes: set[str], problems: list[Problem]
) -> WorkerRow | None:
    c = _RowChecker(table, row, problems)
    before = len(problems)
    staff_id = c.text("staff_id", True)
    name = c.text("name", True)
    role = c.text("role", True)
    if role and role not in roles:
        c.bad("role", f"unknown role '{role}' (the authority file's roles: {', '.join(sorted(roles))})")
    role_since = c.day("role_since", True)
    employed_since = c.day("employed_since") or role_since
    qualified_on = c.day("qualified_on")
    if role_since and employed_since and employed_since > role_since:
        c.bad("employed_since", f"{employed_since} is after role_since {role_since}")
    email = c.text("email")
    if email and not EMAIL.match(email):
        c.bad("email", f"'{email}' is not an email address")
    fte = 1.0
    if (text := c.text("fte")) is not None:
        try:
            fte = float(text)
            if not 0 < fte <= 1:
                c.bad("fte", f"{text} is outside 0 < fte ≤ 1")
        except ValueError:
            c.bad("fte", f"'{text}' is not a number")
    access = {Access.WORKER}
    for item in filter(None, (part.strip().lower() for part in (c.text("access") or "").split(";"))):
        try:
            access.add(Access(item))
        except ValueError:
            c.bad("access", f"unknown access '{item}' (worker, educator, manager, admin)")
    completed = []
    for item in filter(None, (part.strip() for part in (c.text("completed") or "").split(";"))):
        key, _, when = item.partition(":")
        key = key.strip()
        if key not in programmes and not STANDARD.match(key):
            c.bad("completed", f"unknown programme '{key}'")
            continue
        try:
            completed.append((key, date.fromisoformat(when.strip())))
        except ValueError:
            c.bad("completed", f"'{item}' is not programme-key:YYYY-MM-DD")
    stage = None
    if (text := c.text("educator_stage")) is not None:
        if text not in ("1", "2"):
            c.bad("educator_stage", f"'{text}' is not a practice educator stage (1 or 2)")
        else:
            stage = int(text)
    if len(problems) > before or not (staff_id and name and role and role_since and employed_since):
        return None
    return WorkerRow(
        row.line,
        staff_id,
        name,
        role,
        role_since,
        employed_since,
        qualified_on,
        c.text("team"),
        c.text("area"),
        c.text("manager"),
        email,
        fte,
        access,
        completed,
        stage,
    )


def import_workers(engine: Engine, actor: Actor, path: Path) -> ImportResult:
    """Import or update workers from `path`; every problem is reported and nothing is written if any.

    Raises:
        AccessDenied: the actor is not an administrator.
        InputError: each problem as `FILE:LINE: column: problem`.
    """
    require_admin(actor, "import workers")
    table = read_table(path, required=REQUIRED, known=REQUIRED + OPTIONAL)
    with Session(engine) as session:
        roles = {r.key: r for r in session.exec(select(Role))}
        programmes = {p.key: p for p in session.exec(select(Programme))}
        existing = {w.staff_id: w for w in session.exec(select(Worker))}
        problems: list[Problem] = []
        checked = [_check_row(table, row, set(roles), set(programmes), problems) for row in table.rows]
        seen: dict[str, int] = {}
        for row in table.rows:
            staff_id = row.get("staff_id")
            if staff_id and staff_id in seen:
                problems.append(
                    Problem(
                        table.place(row.line, "staff_id"),
                        f"'{staff_id}' appears again (first on line {seen[staff_id]})",
                    )
                )
            elif staff_id:
                seen[staff_id] = row.line
        known_ids = set(existing) | set(seen)
        for row in table.rows:
            manager = row.get("manager")
            if manager and manager not in known_ids:
                problems.append(Problem(table.place(row.line, "manager"), f"no worker has staff id '{manager}'"))
            elif manager and manager == row.get("staff_id"):
                problems.append(Problem(table.place(row.line, "manager"), "a worker cannot manage themselves"))
        problems.sort(key=lambda p: int(p.place.split(":")[1]) if p.place.count(":") >= 2 else 0)
        if not table.rows:
            problems.append(Problem(path.name, "no workers in the file"))
        if problems:
            raise InputError(problems)
        rows = [item for item in checked if item is not None]
        result = _write(session, actor, rows, roles, programmes, existing)
        record(
            session,
            actor,
            "import",
            "workers",
            path.name,
            after={"created": result.created, "updated": result.updated, "file": path.name},
        )
        session.commit()
        return result


def _write(
    session: Session,
    actor: Actor,
    rows: list[WorkerRow],
    roles: dict[str, Role],
    programmes: dict[str, Programme],
    existing: dict[str, Worker],
) -> ImportResult:
    result = ImportResult()
    teams = {t.name: t for t in session.exec(select(Team))}
    by_staff = dict(existing)
    for item in rows:
        team = None
        if item.team:
            team = teams.get(item.team)
            if team is None:
                team = teams[item.team] = Team(name=item.team, area=item.area)
                session.add(team)
                result.teams_created += 1
            elif item.area and team.area != item.area:
                team.area = item.area
            session.flush()
        role = roles[item.role]
        values = {
            "name": item.name,
            "email": item.email,
            "role_id": role.id,
            "role_since": item.role_since,
            "employed_since": item.employed_since,
            "qualified_on": item.qualified_on,
            "team_id": team.id if team else None,
            "fte": item.fte,
            "is_educator": Access.EDUCATOR in item.access,
            "is_manager": Access.MANAGER in item.access,
            "is_admin": Access.ADMIN in item.access,
            "educator_stage": item.educator_stage,
        }
        worker = by_staff.get(item.staff_id)
        if worker is None:
            worker = by_staff[item.staff_id] = Worker(staff_id=item.staff_id, **values)
            session.add(worker)
            session.flush()
            session.add(RoleHistory(worker_id=worker.id, role_id=role.id, started_on=item.role_since, reason="import"))
            result.created += 1
            record(session, actor, "create", "worker", item.staff_id, after=values)
            continue
        before = {k: getattr(worker, k) for k in values}
        changed = {k: v for k, v in values.items() if before[k] != v}
        if not changed:
            result.unchanged += 1
            continue
        if "role_id" in changed or "role_since" in changed:
            _move_role_history(session, worker, role.id, item.role_since)  # type: ignore[arg-type]
        for key, value in changed.items():
            setattr(worker, key, value)
        session.add(worker)
        result.updated += 1
        record(session, actor, "update", "worker", item.staff_id, before={k: before[k] for k in changed}, after=changed)
    session.flush()
    for item in rows:
        worker = by_staff[item.staff_id]
        manager_id = by_staff[item.manager].id if item.manager else None
        if worker.manager_id != manager_id:
            worker.manager_id = manager_id
            session.add(worker)
        _record_completions(session, worker, item.completed, programmes)
    return result


def _move_role_history(session: Session, worker: Worker, role_id: int, since: date) -> None:
    current = session.exec(
        select(RoleHistory).where(RoleHistory.worker_id == worker.id, RoleHistory.ended_on.is_(None))
    ).first()  # type: ignore[union-attr]
    if current is not None and current.role_id == role_id:
        current.started_on = since
        session.add(current)
        return
    if current is not None:
        current.ended_on = since
        session.add(current)
    session.add(RoleHistory(worker_id=worker.id, role_id=role_id, started_on=since, reason="import"))


def _record_completions(
    session: Session, worker: Worker, completed: list[tuple[str, date]], programmes: dict[str, Programme]
) -> None:
    if not completed:
        return
    have = {e.programme_id: e for e in session.exec(select(Enrolment).where(Enrolment.worker_id == worker.id))}
    for key, when in completed:
        programme = programmes.get(key)
        if programme is None:  # a standard reference not yet known: record it as an apprenticeship programme
            programme = programmes[key] = Programme(
                key=key, title=f"Apprenticeship standard {key}", kind="apprenticeship"
            )
            session.add(programme)
            session.flush()
        enrolment = have.get(programme.id)
        if enrolment is None:
            enrolment = Enrolment(worker_id=worker.id, programme_id=programme.id)  # type: ignore[arg-type]
        enrolment.status, enrolment.completed_on = "completed", when
        session.add(enrolment)
