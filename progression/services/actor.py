"""Who is acting, and what they may see: the access rules of CONTRACT.md in one place."""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.errors import AccessDenied, NotFound
from progression.models import Enrolment, Worker

LOCAL_ADMIN = "admin"
LOCAL_ADMIN_LABEL = "local administrator"
"""How the local administrator of a SQLite database is named, on screen and on every decision they take."""
_OS_USER_LIMIT = 64


@dataclass(frozen=True)
class Actor:
    """The person a command or screen acts for."""

    staff_id: str
    name: str
    worker_id: int | None = None
    is_admin: bool = False
    is_manager: bool = False
    is_educator: bool = False
    local: bool = False
    """The local administrator of a SQLite database, who is not a worker."""
    rights: tuple[str, ...] = field(default=())
    os_user: str | None = None
    """The local administrator: the operating-system account running Progression (getpass.getuser())."""
    owner_login: str | None = None
    """The owner of a PostgreSQL database acting with no `--as`: their database login."""

    @property
    def label(self) -> str:
        if self.owner_login is not None:
            return f"database owner ({self.owner_login})"
        return LOCAL_ADMIN_LABEL if self.local else f"{self.name} ({self.staff_id})"

    @property
    def decider_label(self) -> str | None:
        """How a decision by an actor who is not a worker names who took it: 'local administrator (alice)';
        None for a worker (their decisions name them by their row)."""
        if self.worker_id is not None:
            return None
        if self.owner_login is not None:
            return f"database owner ({self.owner_login})"
        return f"{LOCAL_ADMIN_LABEL} ({self.os_user})" if self.os_user else LOCAL_ADMIN_LABEL


def os_user() -> str | None:
    """The operating-system account running Progression, as printable text that fits a decision's decider (None
    when the system cannot say, e.g. a container with no user name for its uid)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return None
    name = "".join(c for c in name if c.isprintable()).strip()[:_OS_USER_LIMIT]
    return name or None


def local_admin() -> Actor:
    """The default actor on SQLite, the one person whose file it is: sees all and may do all (deciding a request
    too, named on the decision as the local administrator with their operating-system account)."""
    return Actor(
        staff_id=LOCAL_ADMIN,
        name="Local administrator",
        is_admin=True,
        local=True,
        rights=("admin",),
        os_user=os_user(),
    )


def actor_from_worker(worker: Worker) -> Actor:
    return Actor(
        staff_id=worker.staff_id,
        name=worker.name,
        worker_id=worker.id,
        is_admin=worker.is_admin,
        is_manager=worker.is_manager,
        is_educator=worker.is_educator,
        rights=tuple(str(a) for a in worker.access),
    )


_ACTOR_COLUMNS = ("id", "staff_id", "name", "is_admin", "is_manager", "is_educator")
"""The worker columns an actor is built from: all in the first revision, so the actor can be found on a database
that `init` has still to upgrade."""


def _worker_actor(engine: Engine, column: str, value: str) -> Actor | None:
    """The actor for the worker whose `column` is `value`, read with Core so that an older schema still answers."""
    from sqlalchemy import column as sql_column
    from sqlalchemy import table

    worker = table("worker", *(sql_column(name) for name in _ACTOR_COLUMNS), sql_column(column))
    with engine.connect() as connection:
        row = connection.execute(
            select(*(worker.c[name] for name in _ACTOR_COLUMNS)).where(worker.c[column] == value)
        ).first()
    if row is None:
        return None
    rights = ["worker"] + [
        r for r, on in (("educator", row.is_educator), ("manager", row.is_manager), ("admin", row.is_admin)) if on
    ]
    return Actor(
        staff_id=row.staff_id,
        name=row.name,
        worker_id=row.id,
        is_admin=bool(row.is_admin),
        is_manager=bool(row.is_manager),
        is_educator=bool(row.is_educator),
        rights=tuple(rights),
    )


def _worker_by_staff_id(engine: Engine, staff_id: str) -> Actor:
    from sqlalchemy import inspect

    if not inspect(engine).has_table("worker"):
        raise NotFound(f"--as {staff_id}: this database has no workers yet; run `progression init` first.")
    actor = _worker_actor(engine, "staff_id", staff_id)
    if actor is None:
        raise NotFound(f"--as: no worker has staff id '{staff_id}'.")
    return actor


def resolve_actor(engine: Engine, staff_id: str | None) -> Actor:
    """The actor for `--as STAFF_ID`, or the local administrator on SQLite (one person's file, whose user may act
    as anyone: `--as` stays allowed there). On PostgreSQL use `identify`: the actor is the database login.

    Raises:
        AccessDenied: no actor was given on PostgreSQL.
        NotFound: the staff id is unknown.
    """
    if staff_id is None:
        if engine.dialect.name == "sqlite":
            return local_admin()
        raise AccessDenied("On a shared PostgreSQL database say who you are with --as STAFF_ID.")
    return _worker_by_staff_id(engine, staff_id)


GRANT_HINT = "ask an administrator to run `progression access grant STAFF_ID {login}`"


@dataclass(frozen=True)
class Login:
    """Who is connected to a PostgreSQL database: the login (`session_user`) and what it is to Progression."""

    name: str
    is_owner: bool
    """The database owner (pg_database.datdba: whoever ran `init`), or a superuser, who can do anything anyway."""
    actor: Actor | None
    """The worker whose login it is, if any."""

    @property
    def audit_name(self) -> str:
        """The real identity in the audit log: the worker's staff id, or the owner's login as `login:NAME`."""
        return self.actor.staff_id if self.actor is not None else f"login:{self.name}"


def connected_login(engine: Engine) -> Login:
    """The PostgreSQL login this engine connects as, whether it owns the database, and its worker."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        name, is_owner, readable = connection.execute(
            text(
                "SELECT session_user, (d.datdba = r.oid OR r.rolsuper), "
                "CASE WHEN to_regclass('worker') IS NULL THEN false "
                "ELSE has_table_privilege('worker', 'SELECT') END "
                "FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = session_user"
            )
        ).one()
    actor = None
    if readable and "login" in {c["name"] for c in inspect(engine).get_columns("worker")}:
        actor = _worker_actor(engine, "login", str(name))
    return Login(name=str(name), is_owner=bool(is_owner), actor=actor)


def owner_actor(login: str) -> Actor:
    """The database owner with no `--as`: the system, as when setting the database up."""
    return Actor(
        staff_id="system", name="System set-up", is_admin=True, local=True, rights=("admin",), owner_login=login
    )


def unknown_login_actor(login: Login) -> Actor:
    """A login that maps to no worker: it may do nothing; named so that its refusals are recorded."""
    return Actor(staff_id=login.audit_name, name=f"login {login.name}", local=True)


def identify(engine: Engine, staff_id: str | None) -> tuple[Actor, Login]:
    """The actor on PostgreSQL: the worker whose login is connected; the owner acts as the system. With `--as`
    (impersonation) the worker named, if the real identity is the owner or an admin (the caller records it).

    Raises:
        AccessDenied: the login maps to no worker, or someone else tried `--as`. The refusal's actor is
            `unknown_login_actor` or the worker, so that it can be recorded.
        NotFound: `--as` names nobody.
    """
    login = connected_login(engine)
    if staff_id is None:
        if login.is_owner:
            return owner_actor(login.name), login
        if login.actor is None:
            raise LoginRefused(
                None,
                f"The database login '{login.name}' is not linked to any worker, so it may see nothing: "
                + GRANT_HINT.format(login=login.name)
                + ".",
            )
        return login.actor, login
    if not login.is_owner and not (login.actor is not None and login.actor.is_admin):
        who = login.actor.label if login.actor is not None else f"The database login '{login.name}'"
        raise LoginRefused(
            login.actor or unknown_login_actor(login),
            f"{who} may not act as {staff_id} (--as): only the database owner and administrators may.",
        )
    return _worker_by_staff_id(engine, staff_id), login


class LoginRefused(AccessDenied):
    """An access refusal that knows who was refused (None: nobody worth recording)."""

    def __init__(self, actor: Actor | None, message: str) -> None:
        super().__init__(message)
        self.actor = actor


def visible_worker_ids(session: Session, actor: Actor) -> set[int] | None:
    """The ids of the workers the actor may see; None means every worker."""
    if actor.is_admin:
        return None
    assert actor.worker_id is not None
    visible = {actor.worker_id} | reports_of(session, actor.worker_id)
    if actor.is_educator:
        learners = session.exec(select(Enrolment.worker_id).where(Enrolment.educator_id == actor.worker_id))
        visible |= set(learners)
    return visible


def reports_of(session: Session, manager_id: int) -> set[int]:
    """Direct and indirect reports of a manager (cycles in bad data are tolerated)."""
    pairs = session.exec(select(Worker.id, Worker.manager_id).where(Worker.manager_id.is_not(None))).all()  # type: ignore[union-attr]
    children: dict[int, list[int]] = {}
    for worker_id, boss in pairs:
        children.setdefault(boss, []).append(worker_id)
    found: set[int] = set()
    frontier = [manager_id]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found and child != manager_id:
                found.add(child)
                frontier.append(child)
    return found


def require_admin(actor: Actor, what: str) -> None:
    """Refuse anyone but an administrator."""
    if not actor.is_admin:
        raise AccessDenied(f"{actor.label} may not {what}: it needs admin access.")


def check_can_see(session: Session, actor: Actor, worker_ids: Iterable[int], what: str) -> None:
    """Refuse if any of the workers is outside what the actor may see."""
    visible = visible_worker_ids(session, actor)
    if visible is None:
        return
    for worker_id in worker_ids:
        if worker_id not in visible:
            raise AccessDenied(f"{actor.label} may not {what}.")


def find_worker(session: Session, staff_id: str) -> Worker:
    """The worker with this staff id.

    Raises:
        NotFound: nobody has it.
    """
    worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).first()
    if worker is None:
        raise NotFound(f"No worker has staff id '{staff_id}'.")
    return worker


def worker_to_read(session: Session, actor: Actor, staff_id: str, what: str) -> Worker:
    """The worker, if the actor may see their records: themselves, their reports, their learners, or anyone for
    an administrator. `what` names the records in the refusal, e.g. "development plan"."""
    worker = find_worker(session, staff_id)
    check_can_see(session, actor, [worker.id or 0], f"see {staff_id}'s {what}")
    return worker


def worker_to_edit(session: Session, actor: Actor, staff_id: str, what: str) -> Worker:
    """The worker, if the actor may change their own records: only the worker themselves, or an administrator."""
    worker = find_worker(session, staff_id)
    if not (actor.is_admin or actor.worker_id == worker.id):
        raise AccessDenied(f"{actor.label} may not change {staff_id}'s {what}: only {staff_id} may.")
    return worker


def is_reviewer(session: Session, actor: Actor, worker: Worker) -> bool:
    """Whether the actor may review the worker's records (accept evidence, agree a plan): their line manager
    (direct or indirect), an educator they are assigned to, or an administrator; never the worker themselves."""
    if actor.worker_id == worker.id:
        return False
    if actor.is_admin:
        return True
    if actor.worker_id is None:
        return False
    if worker.id in reports_of(session, actor.worker_id):
        return True
    educated = session.exec(
        select(Enrolment.id).where(Enrolment.educator_id == actor.worker_id, Enrolment.worker_id == worker.id)
    ).first()
    return educated is not None


def worker_to_review(session: Session, actor: Actor, staff_id: str, what: str) -> Worker:
    """The worker, if the actor may review their records (see `is_reviewer`)."""
    worker = find_worker(session, staff_id)
    if not is_reviewer(session, actor, worker):
        who = "their own" if actor.worker_id == worker.id else f"{staff_id}'s"
        raise AccessDenied(f"{actor.label} may not {what} on {who} record: it needs their line manager or educator.")
    return worker
