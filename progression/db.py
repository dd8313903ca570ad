"""The database: engines for SQLite and PostgreSQL, sessions, and schema upgrades through Alembic.

Transactions on SQLite. Python's sqlite3 driver opens a transaction only before INSERT, UPDATE and DELETE, so
every CREATE TABLE of a first `init` used to commit on its own (a kill left tables without the Alembic stamp).
Following SQLAlchemy's recipe for pysqlite, the driver is put in autocommit mode and Progression emits BEGIN
itself: a unit of work begins at its first write (reads before it see the latest committed data, as before),
with `BEGIN IMMEDIATE`, which takes the write lock at once and so waits its turn (the busy timeout) behind any
other writer instead of failing half-way. DDL counts as a write, so a migration is one transaction. A unit of
work opened by `write_transaction` takes the write lock on its first statement, reads included.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlmodel import Session, create_engine

from progression.errors import DatabaseUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SUPPORTED = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
"""The databases Progression works with, by SQLAlchemy backend name."""
_PENDING = "progression.begin_pending"
_IMMEDIATE = "progression_write_lock"
_READS = ("SELECT", "PRAGMA", "EXPLAIN")
OWNER_ONLY = 0o600
"""The mode of a SQLite database file and its -wal and -shm files on POSIX: read and written by its owner only."""
SIDECARS = ("-wal", "-shm")
"""The files SQLite keeps beside a database in WAL mode (it gives them the database file's mode)."""


def _sqlite_connect(busy_timeout_ms: int):  # type: ignore[no-untyped-def]
    def on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # the driver never begins or commits by itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.close()

    return on_connect


def _sqlite_begin(connection: Connection) -> None:
    """SQLAlchemy begins a transaction: take the write lock now (write_transaction) or at the first write."""
    if connection.get_execution_options().get(_IMMEDIATE):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.info[_PENDING] = True


def _sqlite_before_execute(  # type: ignore[no-untyped-def]
    connection: Connection, cursor, statement: str, _parameters, _context, _executemany
) -> None:
    if connection.info.get(_PENDING) and not statement.lstrip().upper().startswith(_READS):
        connection.info.pop(_PENDING, None)
        cursor.connection.execute("BEGIN IMMEDIATE")


def _sqlite_end(connection: Connection) -> None:
    connection.info.pop(_PENDING, None)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for another backend or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def create_owner_only(path: Path) -> None:
    """Create an empty SQLite database file readable and writable by its owner only (POSIX), before SQLite writes
    anything to it; SQLite gives the -wal and -shm files it creates beside it the same mode. On Windows SQLite
    creates the file itself, with the folder's permissions."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY)
    except FileExistsError:  # created by another process a moment ago: `init` tightens it if it must
        return
    try:
        os.fchmod(descriptor, OWNER_ONLY)  # whatever the umask
    finally:
        os.close(descriptor)


def tighten_to_owner_only(path: Path) -> tuple[str | None, str | None]:
    """Make a SQLite file and its -wal and -shm files owner-only (POSIX; nothing on Windows).

    Returns:
        (one line saying what was tightened and its mode before, or None when nothing needed it;
        why a file could not be tightened, with what to do, or None).
    """
    if os.name != "posix":
        return None, None
    tightened: list[tuple[Path, int]] = []
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SIDECARS)):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
            if mode & 0o077:
                file.chmod(OWNER_ONLY)
                tightened.append((file, mode))
        except FileNotFoundError:
            continue
        except OSError as exc:
            return _tightened_line(path, tightened), (
                f"could not make {file} readable by its owner only ({exc.strerror}): run `chmod 600 {file}` as its "
                "owner."
            )
    return _tightened_line(path, tightened), None


def _tightened_line(path: Path, tightened: list[tuple[Path, int]]) -> str | None:
    """'tightened demo.db to owner-only (was 644), with its -wal and -shm files'."""
    if not tightened:
        return None
    was = " or ".join(sorted({f"{mode:o}" for _, mode in tightened}))
    sidecars = [file.name[len(path.name) :] for file, _ in tightened if file != path]
    files = f"{' and '.join(sidecars)} file{'s' if len(sidecars) > 1 else ''}"
    if tightened[0][0] != path:
        return f"tightened {path}'s {files} to owner-only (was {was})"
    return f"tightened {path} to owner-only (was {was})" + (f", with its {files}" if sidecars else "")


def make_engine(url: str, *, create: bool = True, busy_timeout: float | None = None) -> Engine:
    """Build an engine for `url` and check that the database answers.

    Args:
        create: whether a missing SQLite file (and its directories) may be created; only `init` and `demo` do.
        busy_timeout: seconds a writer waits for another writer's lock; None: Settings (PROGRESSION_BUSY_TIMEOUT).

    Raises:
        DatabaseUnavailable: the URL is malformed or names an unsupported database, the driver is missing,
            the SQLite file does not exist (and may not be created), or nobody answers.
    """
    if busy_timeout is None:
        from progression.config import Settings

        busy_timeout = Settings().busy_timeout
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"'{url}' is not a database URL or a file path.") from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise DatabaseUnavailable(
            f"Progression works with SQLite and PostgreSQL databases, not '{backend}': use a file path, "
            "sqlite:///PATH or postgresql://USER@HOST/DATABASE."
        )
    try:
        if backend == "sqlite":
            path = sqlite_file(url)
            if path is not None and not path.exists():
                if not create:
                    raise DatabaseUnavailable(
                        f"There is no database at {path}: check the path, or create one with "
                        "`progression init` (or `progression demo`)."
                    )
                path.parent.mkdir(parents=True, exist_ok=True)
                create_owner_only(path)
            engine = create_engine(
                parsed, connect_args={"check_same_thread": False, "timeout": busy_timeout, "isolation_level": None}
            )
            event.listen(engine, "connect", _sqlite_connect(round(busy_timeout * 1000)))
            event.listen(engine, "begin", _sqlite_begin)
            event.listen(engine, "before_cursor_execute", _sqlite_before_execute)
            for name in ("commit", "rollback"):
                event.listen(engine, name, _sqlite_end)
        else:
            engine = create_engine(
                parsed,
                pool_pre_ping=True,
                connect_args={"options": f"-c lock_timeout={round(busy_timeout * 1000)}"},
            )
        with engine.connect():
            pass
    except NoSuchModuleError:
        raise DatabaseUnavailable(f"Progression cannot talk to '{backend}' databases.") from None
    except (OperationalError, DBAPIError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "no answer"
        raise DatabaseUnavailable(
            f"Cannot open the database {parsed.render_as_string(hide_password=True)}: {reason}."
        ) from None
    except OSError as exc:
        raise DatabaseUnavailable(f"Cannot open the database {parsed}: {exc.strerror}.") from None
    return engine


def is_postgresql(engine: Engine) -> bool:
    """Whether the engine talks to PostgreSQL."""
    return engine.dialect.name == "postgresql"


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction that holds the write lock from its first statement (SQLite: BEGIN IMMEDIATE, waiting
    its turn behind other writers), committed on success and rolled back on any error or kill."""
    with engine.connect().execution_options(**{_IMMEDIATE: True}) as connection, connection.begin():
        yield connection


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(connection: Connection, target: str = "head") -> tuple[str | None, str]:
    """Bring the schema to `target` (the newest revision) in place, keeping every row, in the caller's transaction.

    Returns:
        The revision before and after.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    before = MigrationContext.configure(connection).get_current_revision()
    config = _alembic_config(connection.engine)
    config.attributes["connection"] = connection
    command.upgrade(config, target)
    return before, MigrationContext.configure(connection).get_current_revision() or "base"


def repair_schema(connection: Connection) -> list[str]:
    """Finish what a migration had to leave undone, in the caller's transaction; run by every `init`.

    Today: the index that keeps one open request per worker and step (revision 0002 cannot build it while two
    open requests share a step). Returns what still cannot be done, each with what the administrator should do.
    """
    from progression.models import ProgressionRequest

    table: Any = ProgressionRequest.__table__  # type: ignore[attr-defined]
    index = next(ix for ix in table.indexes if ix.name == "uq_progression_request_open_step")
    if index.name in {ix["name"] for ix in inspect(connection).get_indexes(table.name)}:
        return []
    shared = connection.exec_driver_sql(
        "SELECT w.staff_id, a.key, b.key, r.id FROM progression_request r "
        "JOIN worker w ON w.id = r.worker_id JOIN role a ON a.id = r.from_role_id JOIN role b ON b.id = r.to_role_id "
        "WHERE r.state IN ('submitted', 'endorsed') AND EXISTS (SELECT 1 FROM progression_request o "
        "WHERE o.id <> r.id AND o.worker_id = r.worker_id AND o.from_role_id = r.from_role_id "
        "AND o.to_role_id = r.to_role_id AND o.state IN ('submitted', 'endorsed')) ORDER BY w.staff_id, r.id"
    ).all()
    if not shared:
        index.create(connection)
        return []
    steps: dict[tuple[str, str, str], list[int]] = {}
    for staff_id, from_role, to_role, request_id in shared:
        steps.setdefault((staff_id, from_role, to_role), []).append(request_id)
    listed = "; ".join(
        f"{staff_id} {from_role} → {to_role}: requests {', '.join(str(i) for i in ids)}"
        for (staff_id, from_role, to_role), ids in steps.items()
    )
    return [
        "could not add the rule that keeps one open request per worker and step, because "
        f"{len(steps)} step{'s have' if len(steps) != 1 else ' has'} more than one open request ({listed}). "
        "Return or reject all but one of each (`progression request decide ID --outcome return --reason TEXT`), "
        "then run `progression init` again. Everything else was upgraded."
    ]


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision this version of Progression knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config_for_scripts()).get_current_head() or "base"


def _alembic_config_for_scripts():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def has_schema(engine: Engine) -> bool:
    """Whether the database has been initialised (has Progression's tables)."""
    return inspect(engine).has_table("worker")
