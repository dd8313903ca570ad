"""Database logins on PostgreSQL: which login is which worker (`progression access`), and impersonation.

Authentication is the council's own (configured in PostgreSQL, never by Progression): a login role is created with
no password. Every login linked to a worker is a member of the group role `progression_user`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import Session, col, select

from progression.db import session_scope
from progression.errors import Conflict, InputError, NotFound, Problem, ProgressionError
from progression.fields import column_limit, text_problem
from progression.models import Worker
from progression.services import audit
from progression.services.actor import Actor, Login, find_worker, require_admin

GROUP_ROLE = "progression_user"
"""The group role every linked login is a member of."""
_RESERVED = ("pg_",)
_NOT_LOGINS = {GROUP_ROLE, "public", "current_user", "session_user", "current_role", "none"}


class PostgreSQLOnly(ProgressionError):
    """A command about database logins on a SQLite file, which has none."""

    exit_code = 2


@dataclass(frozen=True)
class LoginLink:
    staff_id: str
    name: str
    login: str


def require_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise PostgreSQLOnly(
            "Database logins are for PostgreSQL: a SQLite file is one person's, whose local user is its "
            "administrator. Use a PostgreSQL database (--db postgresql://...) to give people their own logins."
        )


def login_problem(login: str) -> str | None:
    """Why `login` cannot be a Progression login, or None."""
    if not login.strip() or login != login.strip():
        return "a login is a non-empty name with no spaces at either end"
    problem = text_problem(login, column_limit(Worker, "login"))
    if problem:
        return problem
    if login.lower() in _NOT_LOGINS or login.lower().startswith(_RESERVED):
        return f"'{login}' is reserved by PostgreSQL or Progression and cannot be a person's login"
    return None


def _quote(connection: Connection, name: str) -> str:
    """A role name as a quoted SQL identifier (a quote in it doubled): always quoted, never interpreted."""
    return connection.dialect.identifier_preparer.quote_identifier(name)


def ensure_group_role(connection: Connection) -> None:
    """Create the group role `progression_user` if missing (NOLOGIN; safe when two sessions race), and grant it
    what identifying a login needs: reading workers and the schema revision, and appending to the audit log."""
    connection.execute(
        text(
            f"DO $$ BEGIN CREATE ROLE {GROUP_ROLE} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    )
    connection.execute(text(f"GRANT SELECT ON worker, alembic_version TO {GROUP_ROLE}"))
    connection.execute(text(f"GRANT SELECT, INSERT ON audit_entry TO {GROUP_ROLE}"))
    connection.execute(text(f"GRANT SELECT, INSERT, UPDATE ON audit_head TO {GROUP_ROLE}"))
    sequence = connection.execute(text("SELECT pg_get_serial_sequence('audit_entry', 'id')")).scalar()
    if sequence:
        connection.execute(text(f"GRANT USAGE ON SEQUENCE {sequence} TO {GROUP_ROLE}"))


def _owner_or_superuser(connection: Connection, login: str) -> bool:
    return bool(
        connection.execute(
            text(
                "SELECT (d.datdba = r.oid OR r.rolsuper) FROM pg_database d, pg_roles r "
                "WHERE d.datname = current_database() AND r.rolname = :login"
            ),
            {"login": login},
        ).scalar()
    )


def link_login(session: Session, actor: Actor, worker: Worker, login: str) -> str | None:
    """Link the worker to `login` in the caller's transaction: create the role if missing (LOGIN, no password),
    make it a member of `progression_user`, take the group from the worker's previous login, record it.
    Returns the previous login. The caller has checked the login (`login_problem`) and the actor's rights.

    Raises:
        Conflict: another worker has this login, or it is the database owner or a superuser.
    """
    connection = session.connection()
    other = session.exec(select(Worker).where(Worker.login == login, col(Worker.id) != worker.id)).first()
    if other is not None:
        raise Conflict(f"The login '{login}' is already {other.staff_id}'s: revoke it first.")
    if _owner_or_superuser(connection, login):
        raise Conflict(f"'{login}' owns this database (or is a superuser): it acts as the system, not as a worker.")
    ensure_group_role(connection)
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}).first()
    quoted = _quote(connection, login)
    if exists is None:
        connection.execute(text(f"CREATE ROLE {quoted} LOGIN"))
    connection.execute(text(f"GRANT {GROUP_ROLE} TO {quoted}"))
    previous = worker.login
    if previous and previous != login:
        _drop_membership(connection, previous)
    worker.login = login
    session.add(worker)
    audit.record(
        session,
        actor,
        "grant login",
        "worker",
        worker.staff_id,
        before={"login": previous},
        after={"login": login, "created": exists is None},
    )
    return previous


def _drop_membership(connection: Connection, login: str) -> None:
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}).first()
    if exists is not None:
        connection.execute(text(f"REVOKE {GROUP_ROLE} FROM {_quote(connection, login)}"))


def grant(engine: Engine, actor: Actor, staff_id: str, login: str) -> bool:
    """`progression access grant`: link the worker to LOGIN. Returns whether the login role was created."""
    require_postgresql(engine)
    require_admin(actor, "manage database logins")
    problem = login_problem(login)
    if problem:
        raise InputError([Problem("LOGIN", problem)])
    with session_scope(engine) as session:
        worker = find_worker(session, staff_id)
        created = (
            session.connection()
            .execute(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login})
            .first()
            is None
        )
        link_login(session, actor, worker, login)
    return created


def revoke(engine: Engine, actor: Actor, staff_id: str) -> str:
    """`progression access revoke`: unlink the worker's login and take it out of `progression_user` (the role
    itself is the council's account and is kept). Returns the login."""
    require_postgresql(engine)
    require_admin(actor, "manage database logins")
    with session_scope(engine) as session:
        worker = find_worker(session, staff_id)
        login = worker.login
        if not login:
            raise NotFound(f"{staff_id} has no database login to revoke.")
        _drop_membership(session.connection(), login)
        worker.login = None
        session.add(worker)
        audit.record(session, actor, "revoke login", "worker", staff_id, before={"login": login}, after={"login": None})
    return login


def links(engine: Engine, actor: Actor) -> list[LoginLink]:
    """`progression access list`: every worker who has a login, by staff id."""
    require_postgresql(engine)
    require_admin(actor, "see database logins")
    with Session(engine) as session:
        rows = session.exec(
            select(Worker.staff_id, Worker.name, Worker.login)
            .where(col(Worker.login).is_not(None))
            .order_by(col(Worker.staff_id))
        ).all()
    return [LoginLink(staff_id=s, name=n, login=login or "") for s, n, login in rows]


def record_impersonation(engine: Engine, login: Login, actor: Actor) -> None:
    """Record `--as`: who really acts (the owner's login or the admin's staff id) and as whom. A database that
    `init` has still to repair (no audit head yet) is not written to before init: init records itself."""
    if not inspect(engine).has_table("audit_head"):
        return
    with session_scope(engine) as session:
        audit.record(
            session,
            login.audit_name,
            "impersonate",
            "worker",
            actor.staff_id,
            after={"as": actor.staff_id, "login": login.name},
        )
