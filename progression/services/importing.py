"""Importing workers from a council's HR export (CSV or XLSX), all-or-nothing.

An import never erases what its file does not mention: a column absent from the file leaves that field as it
is for existing workers (new workers get the defaults), and an empty cell clears a field only where clearing
makes sense (`CLEARED_BY_EMPTY`); an empty `access` cell never removes anyone's rights. docs/imports.md says
which empty cell does what.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.dates import read_date
from progression.engine.cpd import REGISTERED_FROM
from progression.fields import column_limit, text_problem
from progression.models import Access, Enrolment, Programme, Role, RoleHistory, Team, Worker
from progression.reference import reference
from progression.services.actor import Actor, require_admin
from progression.services.audit import record
from progression.services.tables_out import counted
from progression.tables import Cells, Findings, Table, read_table

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
    "login",
)
CLEARED_BY_EMPTY = ("qualified_on", "team", "manager", "email")
"""Columns whose empty cell clears the field. Every other optional column's empty cell keeps the field as it is
(a new worker gets the default): `employed_since` (new: role_since), `fte` (new: 1), `access` (new: worker),
`area`, `educator_stage`, `completed` (completions are only ever added)."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STANDARD = re.compile(r"^ST\d{4}$")
ACCESS_FIELDS = {Access.EDUCATOR: "is_educator", Access.MANAGER: "is_manager", Access.ADMIN: "is_admin"}
COLUMN_OF = {
    "name": "name",
    "email": "email",
    "role_id": "role",
    "role_since": "role_since",
    "employed_since": "employed_since",
    "qualified_on": "qualified_on",
    "team_id": "team",
    "fte": "fte",
    "is_educator": "access",
    "is_manager": "access",
    "is_admin": "access",
    "educator_stage": "educator_stage",
    "manager_id": "manager",
    "login": "login",
}
"""The file column each worker field comes from, as the summary names it."""
SUMMARY_ORDER = (
    "name",
    "role",
    "role_since",
    "employed_since",
    "qualified_on",
    "team",
    "manager",
    "email",
    "fte",
    "access",
    "educator_stage",
    "completed",
    "login",
)


@dataclass
class WorkerRow:
    """A checked row: the required values, and the optional ones the file gives (a column it does not give is
    not in `given`; a given None clears the field)."""

    line: int
    staff_id: str
    name: str
    role: str
    role_since: date
    given: dict[str, Any] = field(default_factory=dict)
    completed: list[tuple[str, date]] = field(default_factory=list)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0
    teams_updated: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    """How many of the updated workers had each column's field changed."""
    new_teams: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    """Other warnings for standard error, e.g. that logins only matter on PostgreSQL."""
    """Each team the import created, with the first line that names it (so a mistyped name can be found)."""

    def summary(self, name: str) -> str:
        changed = ", ".join(f"{column}: {self.fields[column]}" for column in SUMMARY_ORDER if self.fields[column])
        return (
            f"{name}: {counted(self.created, 'worker')} added, {self.updated:,} updated"
            + (f" ({changed})" if changed else "")
            + f", {self.unchanged:,} unchanged"
            + (f", {counted(self.teams_created, 'team')} added" if self.teams_created else "")
            + (f", {counted(self.teams_updated, 'team area')} changed" if self.teams_updated else "")
        )

    def new_team_warnings(self, name: str) -> list[str]:
        """One line for each team the file created, naming it and its first line (`--new-teams` hides them)."""
        return [
            f"{name}:{line}: team: '{team}' is a new team and was created (check the spelling; "
            "--new-teams accepts new teams without this warning)"
            for team, line in sorted(self.new_teams.items(), key=lambda item: item[1])
        ]


def qualified_roles(roles: dict[str, Role]) -> set[str]:
    """The roles that need a qualification date: a qualified social worker's post, whose PCF level is the ASYE or
    above (the definition `progression.engine.cpd.registered_social_worker` uses). A family support worker, an
    apprentice or a student (no level, or a level before qualifying) needs none."""
    framework = reference().frameworks.get(REGISTERED_FROM[0])
    first = framework.level(REGISTERED_FROM[1]) if framework else None
    if framework is None or first is None:
        return set()
    out = set()
    for key, role in roles.items():
        level = framework.level(role.pcf_level) if role.pcf_level else None
        if level is not None and level.position >= first.position:
            out.add(key)
    return out


def _check_row(cells: Cells, roles: set[str], programmes: set[str], today: date) -> WorkerRow | None:
    """The row's values, every problem in the row reported; None when the row has any."""
    staff_limit = column_limit(Worker, "staff_id")
    staff_id = cells.text("staff_id", staff_limit, required=True)
    name = cells.text("name", column_limit(Worker, "name"), required=True)
    role = cells.text("role", column_limit(Role, "key"), required=True)
    if role and role not in roles:
        cells.bad("role", f"unknown role '{role}' (the authority file's roles: {', '.join(sorted(roles))})")
    role_since = cells.day("role_since", required=True)
    given: dict[str, Any] = {}
    if (employed_since := cells.day("employed_since")) is not None:
        given["employed_since"] = employed_since
    if role_since and given.get("employed_since") and given["employed_since"] > role_since:
        cells.bad("employed_since", f"{given['employed_since']} is after role_since {role_since}")
    if cells.present("qualified_on"):
        given["qualified_on"] = cells.day("qualified_on")
    for column, day in (
        ("role_since", role_since),
        ("employed_since", given.get("employed_since")),
        ("qualified_on", given.get("qualified_on")),
    ):
        if day is not None and day > today:
            cells.bad(column, f"{day} is after today ({today}): a worker's dates so far cannot be in the future")
    if cells.present("team"):
        given["team"] = cells.text("team", column_limit(Team, "name"))
    if (area := cells.text("area", column_limit(Team, "area"))) is not None:
        given["area"] = area
    if cells.present("manager"):
        given["manager"] = cells.text("manager", staff_limit)
        if staff_id and given["manager"] == staff_id:
            cells.bad("manager", "a worker cannot manage themselves")
    if cells.present("email"):
        email = given["email"] = cells.text("email", column_limit(Worker, "email"))
        if email and not EMAIL.match(email):
            cells.bad("email", f"'{email}' is not an email address")
    if (fte := cells.number("fte", low=float("-inf"), high=float("inf"))) is not None:
        if not 0 < fte <= 1:
            cells.bad("fte", f"{fte:g} is outside 0 < fte ≤ 1")
        given["fte"] = fte
    if (text := cells.text("access", 200)) is not None:
        access = {Access.WORKER}
        for item in filter(None, (part.strip().lower() for part in text.split(";"))):
            try:
                access.add(Access(item))
            except ValueError:
                cells.bad("access", f"unknown access '{item}' (worker, educator, manager, admin)")
        given["access"] = access
    completed: dict[str, date] = {}
    for item in filter(None, (part.strip() for part in (cells.text("completed") or "").split(";"))):
        key, _, when = item.partition(":")
        key = key.strip()
        if len(key) > (column_limit(Programme, "key") or 60):
            cells.bad("completed", f"a programme key of {len(key)} characters is not a programme")
            continue
        if key not in programmes and not STANDARD.match(key):
            cells.bad("completed", f"unknown programme '{key}'")
            continue
        if key in completed:
            cells.bad("completed", f"'{key}' is completed twice")
            continue
        day, problem = read_date(when.strip())
        if day is None:
            malformed = (problem or "").startswith("'")
            cells.bad("completed", f"'{item}' is not programme-key:YYYY-MM-DD" if malformed else f"{key}: {problem}")
            continue
        if day > today:
            cells.bad("completed", f"{key}: {day} is after today ({today}): a completion cannot be in the future")
            continue
        completed[key] = day
    if (stage := cells.text("educator_stage", 10)) is not None:
        if stage not in ("1", "2"):
            cells.bad("educator_stage", f"'{stage}' is not a practice educator stage (1 or 2)")
        else:
            given["educator_stage"] = int(stage)
    if (login := cells.text("login", column_limit(Worker, "login"))) is not None:
        from progression.services.logins import login_problem

        if problem := login_problem(login):
            cells.bad("login", problem)
        given["login"] = login
    if not cells.ok or not (staff_id and name and role and role_since):
        return None
    return WorkerRow(cells.row.line, staff_id, name, role, role_since, given, list(completed.items()))


def _managers(existing: dict[str, Worker], rows: list[WorkerRow], findings: Findings) -> dict[str, str | None]:
    """Every worker's line manager by staff id once the file is written; a cycle (A manages B manages A, through
    workers already held too) is reported on the first line that makes it."""
    by_id = {w.id: w.staff_id for w in existing.values()}
    manager_of: dict[str, str | None] = {
        w.staff_id: by_id.get(w.manager_id) if w.manager_id else None for w in existing.values()
    }
    line_of = {row.staff_id: row.line for row in rows}
    for row in rows:
        if "manager" in row.given:
            manager_of[row.staff_id] = row.given["manager"]
        else:
            manager_of.setdefault(row.staff_id, None)
    reported: set[frozenset[str]] = set()
    for row in rows:
        chain, seen, current = [row.staff_id], {row.staff_id}, manager_of.get(row.staff_id)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = manager_of.get(current)
        if current != row.staff_id or len(chain) < 2:
            continue  # no cycle through this worker (a self-manager is reported with the row)
        members = frozenset(chain)
        if members in reported:
            continue
        reported.add(members)
        lines = sorted({line_of[s] for s in chain if s in line_of} - {row.line})
        also = f" (see also line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))})" if lines else ""
        findings.add(
            row.line,
            "manager",
            "line management would go round in a circle: " + " is managed by ".join([*chain, row.staff_id]) + also,
        )
    return manager_of


def import_workers(engine: Engine, actor: Actor, path: Path, today: date | None = None) -> ImportResult:
    """Import or update workers from `path`; every problem is reported and nothing is written if any.

    `today` (default: the real today; the command line passes `--today`) bounds the dates: a role, service or
    qualification that begins after it, or a completion after it, is refused. So are a role begun before the
    worker's service, and a qualified social worker's post (`qualified_roles`) without a qualification date.
    A team the file names that the council does not have is created, and listed in `new_teams`.

    Raises:
        AccessDenied: the actor is not an administrator.
        InputError: each problem as `FILE:LINE: column: problem`.
    """
    require_admin(actor, "import workers")
    today = today or date.today()
    table = read_table(path, required=REQUIRED, known=REQUIRED + OPTIONAL)
    with Session(engine) as session:
        roles = {r.key: r for r in session.exec(select(Role))}
        programmes = {p.key: p for p in session.exec(select(Programme))}
        existing = {w.staff_id: w for w in session.exec(select(Worker))}
        teams = {t.name: t for t in session.exec(select(Team))}
        findings = Findings(table)
        rows: list[WorkerRow] = []
        seen: dict[str, int] = {}
        for row in table.rows:
            item = _check_row(Cells(findings, row), set(roles), set(programmes), today)
            staff_id = row.get("staff_id")
            if staff_id and staff_id in seen:
                findings.add(row.line, "staff_id", f"'{staff_id}' appears again (first on line {seen[staff_id]})")
                continue
            if staff_id:
                seen[staff_id] = row.line
            if item is not None:
                rows.append(item)
        known = set(existing) | set(seen)
        staff_limit = column_limit(Worker, "staff_id")
        for row in table.rows:
            manager = row.get("manager")
            if manager and manager not in known and text_problem(manager, staff_limit) is None:
                findings.add(row.line, "manager", f"no worker has staff id '{manager}'")
        _check_against_records(rows, existing, teams, findings, qualified_roles(roles))
        _check_logins(rows, existing, findings)
        manager_of = _managers(existing, rows, findings)
        if not table.rows:
            findings.whole_file("no workers in the file")
        findings.raise_if_any()
        result = _write(session, actor, table, rows, roles, programmes, existing, teams, manager_of)
        record(
            session,
            actor,
            "import",
            "workers",
            path.name,
            after={
                "file": path.name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "fields": dict(result.fields),
            },
        )
        session.commit()
        return result


def _check_logins(rows: list[WorkerRow], existing: dict[str, Worker], findings: Findings) -> None:
    """A login is one person's: not given twice in the file, nor already another worker's (revoke it first).
    An empty `login` cell keeps the worker's login (revoking is `progression access revoke`)."""
    holder = {w.login: staff_id for staff_id, w in existing.items() if w.login}
    first: dict[str, int] = {}
    for row in rows:
        login = row.given.get("login")
        if not login:
            continue
        if login in first:
            findings.add(row.line, "login", f"'{login}' appears again (first on line {first[login]})")
            continue
        first[login] = row.line
        if holder.get(login, row.staff_id) != row.staff_id:
            findings.add(row.line, "login", f"'{login}' is already {holder[login]}'s login: revoke it first")


def _check_against_records(
    rows: list[WorkerRow], existing: dict[str, Worker], teams: dict[str, Team], findings: Findings, qualified: set[str]
) -> None:
    """Problems only the records already held reveal: a kept service start after a new role start, a qualified
    post whose worker has no qualification date (given or kept), and one team given two areas."""
    areas: dict[str, tuple[str, int]] = {}
    for row in rows:
        worker = existing.get(row.staff_id)
        qualified_on = (
            row.given["qualified_on"] if "qualified_on" in row.given else getattr(worker, "qualified_on", None)
        )
        if row.role in qualified and qualified_on is None:
            findings.add(
                row.line,
                "qualified_on",
                f"required for {row.role}, a qualified social worker's post (give the date of qualification)",
            )
        if worker is not None and "employed_since" not in row.given and worker.employed_since > row.role_since:
            findings.add(
                row.line,
                "role_since",
                f"{row.role_since} is before {row.staff_id}'s service began ({worker.employed_since}); "
                "give employed_since too",
            )
        team, area = row.given.get("team"), row.given.get("area")
        if team and area:
            first = areas.setdefault(team, (area, row.line))
            if first[0] != area:
                findings.add(row.line, "area", f"team '{team}' is in area '{first[0]}' on line {first[1]}")


def _write(
    session: Session,
    actor: Actor,
    table: Table,
    rows: list[WorkerRow],
    roles: dict[str, Role],
    programmes: dict[str, Programme],
    existing: dict[str, Worker],
    teams: dict[str, Team],
    manager_of: dict[str, str | None],
) -> ImportResult:
    result = ImportResult()
    by_staff = dict(existing)
    changes: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for item in rows:
        team_name = item.given.get("team")
        if team_name:
            team = teams.get(team_name)
            area = item.given.get("area")
            if team is None:
                team = teams[team_name] = Team(name=team_name, area=area)
                session.add(team)
                session.flush()
                result.teams_created += 1
                result.new_teams[team_name] = item.line
            elif area and team.area != area:
                team.area = area
                session.add(team)
                result.teams_updated += 1
        worker = by_staff.get(item.staff_id)
        values = _values(item, roles[item.role], worker, teams)
        if worker is None:
            worker = by_staff[item.staff_id] = Worker(staff_id=item.staff_id, **values)
            session.add(worker)
            session.flush()
            assert worker.id is not None
            session.add(
                RoleHistory(worker_id=worker.id, role_id=values["role_id"], started_on=item.role_since, reason="import")
            )
            result.created += 1
            record(session, actor, "create", "worker", item.staff_id, after={**values, "file": table.path.name})
            continue
        before = {k: getattr(worker, k) for k in values}
        changed = {k: v for k, v in values.items() if before[k] != v}
        if "role_id" in changed or "role_since" in changed:
            _move_role_history(session, worker, values["role_id"], item.role_since)
        for key, value in changed.items():
            setattr(worker, key, value)
        session.add(worker)
        changes[item.staff_id] = ({k: before[k] for k in changed}, changed)
    session.flush()
    for item in rows:
        worker = by_staff[item.staff_id]
        manager = manager_of.get(item.staff_id)
        manager_id = by_staff[manager].id if manager else None
        new = item.staff_id not in existing
        if worker.manager_id != manager_id:
            if not new:
                was = next((s for s, w in by_staff.items() if w.id == worker.manager_id), None)
                changes.setdefault(item.staff_id, ({}, {}))[0]["manager"] = was
                changes[item.staff_id][1]["manager"] = manager
            worker.manager_id = manager_id
            session.add(worker)
        login = item.given.get("login")
        if login and login != worker.login:
            previous = _link(session, actor, worker, login, result)
            if not new:
                changes.setdefault(item.staff_id, ({}, {}))[0]["login"] = previous
                changes[item.staff_id][1]["login"] = login
        added = _record_completions(session, worker, item.completed, programmes)
        if added and not new:
            changes.setdefault(item.staff_id, ({}, {}))[1]["completed"] = added
    for item in rows:
        if item.staff_id in existing:
            before, after = changes.get(item.staff_id, ({}, {}))
            if not after:
                result.unchanged += 1
                continue
            result.updated += 1
            result.fields.update(list(dict.fromkeys(COLUMN_OF.get(k, k) for k in after)))
            record(
                session,
                actor,
                "update",
                "worker",
                item.staff_id,
                before=before,
                after={**after, "file": table.path.name},
            )
    return result


def _link(session: Session, actor: Actor, worker: Worker, login: str, result: ImportResult) -> str | None:
    """Give the worker their login: on PostgreSQL as `progression access grant` does, in the import's transaction;
    on SQLite the login is only stored (with a warning: logins only matter on PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from progression.services.logins import link_login

        return link_login(session, actor, worker, login)
    previous = worker.login
    worker.login = login
    session.add(worker)
    if not result.warnings:
        result.warnings.append(
            "login: logins are stored but only matter on PostgreSQL (a SQLite file is one person's, whose local "
            "user is its administrator)"
        )
    return previous


def _values(item: WorkerRow, role: Role, worker: Worker | None, teams: dict[str, Team]) -> dict[str, Any]:
    """The worker's fields once this row is written: what the row gives, else what the worker has, else the
    default."""
    given = item.given

    def kept(name: str, default: Any) -> Any:
        return getattr(worker, name) if worker is not None else default

    access: set[Access] | None = given.get("access")
    values: dict[str, Any] = {
        "name": item.name,
        "role_id": role.id,
        "role_since": item.role_since,
        "employed_since": given.get("employed_since") or kept("employed_since", item.role_since),
        "qualified_on": given["qualified_on"] if "qualified_on" in given else kept("qualified_on", None),
        "email": given["email"] if "email" in given else kept("email", None),
        "team_id": (teams[given["team"]].id if given["team"] else None) if "team" in given else kept("team_id", None),
        "fte": given["fte"] if "fte" in given else kept("fte", 1.0),
        "educator_stage": given["educator_stage"] if "educator_stage" in given else kept("educator_stage", None),
    }
    for right, name in ACCESS_FIELDS.items():
        values[name] = right in access if access is not None else kept(name, False)
    return values


def _move_role_history(session: Session, worker: Worker, role_id: int, since: date) -> None:
    current = session.exec(
        select(RoleHistory).where(RoleHistory.worker_id == worker.id, RoleHistory.ended_on.is_(None))  # type: ignore[union-attr]
    ).first()
    if current is not None and current.role_id == role_id:
        current.started_on = since
        session.add(current)
        return
    if current is not None:
        current.ended_on = since
        session.add(current)
    assert worker.id is not None
    session.add(RoleHistory(worker_id=worker.id, role_id=role_id, started_on=since, reason="import"))


def _record_completions(
    session: Session, worker: Worker, completed: list[tuple[str, date]], programmes: dict[str, Programme]
) -> dict[str, date]:
    """Record each completion the worker does not already have with that date; returns those recorded."""
    if not completed:
        return {}
    have = {e.programme_id: e for e in session.exec(select(Enrolment).where(Enrolment.worker_id == worker.id))}
    added: dict[str, date] = {}
    for key, when in completed:
        programme = programmes.get(key)
        if programme is None:  # a standard reference not yet known: record it as an apprenticeship programme
            programme = programmes[key] = Programme(
                key=key, title=f"Apprenticeship standard {key}", kind="apprenticeship"
            )
            session.add(programme)
            session.flush()
        assert programme.id is not None and worker.id is not None
        enrolment = have.get(programme.id)
        if enrolment is None:
            enrolment = have[programme.id] = Enrolment(worker_id=worker.id, programme_id=programme.id)
        elif enrolment.status == "completed" and enrolment.completed_on == when:
            continue
        enrolment.status, enrolment.completed_on = "completed", when
        session.add(enrolment)
        added[key] = when
    return added
