"""The schema: Alembic migrations match the models, `init` upgrades in place and never loses data."""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, text
from sqlmodel import Session, col, select

import progression.models as models
from progression.db import current_revision, head_revision, make_engine
from progression.models import AuditEntry, Framework, Programme, Role, Worker
from progression.services.actor import local_admin
from progression.services.audit import record, verify_chain
from progression.services.setup import initialise
from tests.conftest import BACKEND, TODAY
from tests.utils.cli import run_cli


def test_migrations_build_exactly_the_models(council_engine: Engine) -> None:
    """A model change without its migration fails here."""
    with council_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), models.metadata)
    assert diff == []


def test_every_table_of_the_domain_exists(council_engine: Engine) -> None:
    tables = set(inspect(council_engine).get_table_names())
    expected = {
        "team",
        "worker",
        "role_history",
        "route",
        "role",
        "transition",
        "requirement",
        "framework",
        "framework_level",
        "capability",
        "programme",
        "apprenticeship_standard",
        "enrolment",
        "enrolment_status_change",
        "otj_entry",
        "review",
        "placement",
        "placement_day",
        "development_plan",
        "plan_state_change",
        "goal",
        "goal_capability",
        "goal_action",
        "evidence",
        "evidence_link",
        "cpd_record",
        "supervision",
        "caseload_count",
        "progression_request",
        "request_evidence",
        "decision",
        "audit_entry",
        "council",
    }
    assert expected <= tables


def test_init_on_an_empty_database_creates_the_schema_and_reference_data(empty_url: str) -> None:
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    report = initialise(engine, local_admin(), authority=None, today=TODAY)
    assert report.revision_before is None and report.revision_after == head_revision()
    with Session(engine) as session:
        keys = set(session.exec(select(Framework.key)))
        assert {"pcf", "pqs-cf-practitioner", "swe-professional-standards", "ST0510", "early-career-standards"} <= keys
        assert {"asye", "ecdp", "peps-stage-1", "peps-stage-2", "placement", "ST0510"} <= set(
            session.exec(select(Programme.key))
        )
    engine.dispose()


def test_init_again_keeps_every_row(demo_engine: Engine) -> None:
    def snapshot() -> dict[str, int]:
        with demo_engine.connect() as connection:
            return {
                name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in inspect(demo_engine).get_table_names()
                if name != "audit_entry"
            }

    before = snapshot()
    assert before["worker"] == 60
    report = initialise(demo_engine, local_admin(), authority=None, today=TODAY, demo_council=True)
    assert report.reference_added == {"frameworks": 0, "capabilities": 0, "programmes": 0}
    assert snapshot() == before


def test_a_changed_authority_file_updates_roles_and_keeps_workers(demo_engine: Engine, tmp_path: Path) -> None:
    from progression.locations import data_dir

    text_ = (data_dir() / "councils" / "demo.yaml").read_text(encoding="utf-8")
    changed = tmp_path / "council.yaml"
    changed.write_text(
        text_.replace("caseload_cap: 14", "caseload_cap: 12").replace(
            "  consultant-social-worker:\n    title: Consultant social worker",
            "  consultant-social-worker:\n    title: Consultant practitioner",
        ),
        encoding="utf-8",
    )
    initialise(demo_engine, local_admin(), authority=changed, today=TODAY)
    with Session(demo_engine) as session:
        assert session.exec(select(Role.caseload_cap).where(Role.key == "nqsw")).one() == 12
        assert (
            session.exec(select(Role.title).where(Role.key == "consultant-social-worker")).one()
            == "Consultant practitioner"
        )
        assert session.exec(select(func.count()).select_from(Worker)).one() == 60


def test_a_role_dropped_from_the_file_is_retired_not_deleted(demo_engine: Engine, tmp_path: Path) -> None:
    from progression.locations import data_dir

    text_ = (data_dir() / "councils" / "demo.yaml").read_text(encoding="utf-8")
    start = text_.index("  principal-social-worker:\n")
    end = text_.index("  practice-supervisor:\n")
    trimmed = text_[:start] + text_[end:]
    trimmed = trimmed.replace(
        "  - from: advanced-social-worker\n    to: principal-social-worker\n    decided_by: recruitment\n"
        "    requires:\n      - months_qualified: 72\n",
        "",
    )
    trimmed = trimmed.replace(
        "  - from: consultant-social-worker\n    to: principal-social-worker\n    decided_by: "
        "recruitment\n    requires:\n      - months_qualified: 72\n",
        "",
    )
    path = tmp_path / "council.yaml"
    path.write_text(trimmed, encoding="utf-8")
    initialise(demo_engine, local_admin(), authority=path, today=TODAY)
    with Session(demo_engine) as session:
        role = session.exec(select(Role).where(Role.key == "principal-social-worker")).one()
        assert role.retired
        assert session.exec(select(func.count()).select_from(Worker).where(Worker.role_id == role.id)).one() == 1


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    engine.dispose()


def _non_admin(engine: Engine) -> str:
    with Session(engine) as session:
        return session.exec(select(Worker.staff_id).where(col(Worker.is_admin).is_(False)).order_by(Worker.id)).first()


def _refusals(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.outcome == "refused")).one()


@contextmanager
def _audit_log_held(engine: Engine, seconds: float | None) -> Iterator[None]:
    """Another writer appends to the audit log and keeps its transaction open for `seconds` (None: until the
    block ends), holding the log's head: SQLite's write lock, PostgreSQL's row lock."""
    session = Session(engine)
    record(session, "other-writer", "hold", "test")
    released = threading.Event()

    def finish() -> None:
        released.wait(seconds)
        session.commit()
        session.close()

    thread = threading.Thread(target=finish)
    thread.start()
    try:
        yield
    finally:
        released.set()
        thread.join()


def test_a_writer_waits_for_another_and_its_refusal_is_audited(demo_engine: Engine, demo_url: str) -> None:
    """A refusal while another writer holds the database for 6 seconds waits its turn and is recorded (the busy
    timeout used to be 5 seconds on SQLite, and the failure to record was swallowed)."""
    worker, before = _non_admin(demo_engine), _refusals(demo_engine)
    started = time.monotonic()
    with _audit_log_held(demo_engine, 6.0):
        result = run_cli("--db", demo_url, "--as", worker, "audit", "verify")
    assert result.exit_code == 3
    assert time.monotonic() - started >= 5.9
    assert "could not be recorded" not in result.stderr
    assert _refusals(demo_engine) == before + 1
    assert verify_chain(demo_engine, local_admin()).ok


def test_a_refusal_that_cannot_be_recorded_says_so(
    demo_engine: Engine, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the busy timeout (PROGRESSION_BUSY_TIMEOUT, here half a second) the refusal is still shown, and the
    user is told it could not be recorded, and why."""
    monkeypatch.setenv("PROGRESSION_BUSY_TIMEOUT", "0.5")
    worker, before = _non_admin(demo_engine), _refusals(demo_engine)
    with _audit_log_held(demo_engine, None):
        result = run_cli("--db", demo_url, "--as", worker, "audit", "verify")
    if BACKEND == "postgresql":
        # There `--as` is the owner's impersonation, itself audited before the command runs: with the log held,
        # the command stops as busy (exit 5) and nothing is written.
        assert result.exit_code == 5 and "The database is busy" in result.stderr, result.stderr
        assert _refusals(demo_engine) == before
        return
    assert result.exit_code == 3
    assert "this refusal could not be recorded in the audit log" in result.stderr
    assert "tell your administrator" in result.stderr
    assert _refusals(demo_engine) == before
    assert verify_chain(demo_engine, local_admin()).ok


def test_a_writer_kept_waiting_past_the_busy_timeout_is_told_plainly(
    demo_engine: Engine, demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`init` with a changed authority file appends to the audit log; while another writer holds it past the
    busy timeout, init says the database is busy, exits 5 and writes nothing."""
    from progression.locations import data_dir

    changed = tmp_path / "council.yaml"
    changed.write_text((data_dir() / "councils" / "demo.yaml").read_text(encoding="utf-8") + "\n# changed\n")
    monkeypatch.setenv("PROGRESSION_BUSY_TIMEOUT", "0.5")
    with Session(demo_engine) as session:
        admin = session.exec(select(Worker.staff_id).where(col(Worker.is_admin)).order_by(Worker.id)).first()
    with demo_engine.connect() as connection:
        entries = connection.execute(text("SELECT count(*) FROM audit_entry")).scalar_one()
    with _audit_log_held(demo_engine, None):
        result = run_cli("--db", demo_url, "--as", admin, "--today", "2026-11-24", "init", "--authority", str(changed))
    assert result.exit_code == 5, result.stderr
    assert "The database is busy: another program kept it locked for over 0.5 seconds" in result.stderr
    assert "Traceback" not in result.stderr
    with demo_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_entry")).scalar_one() == entries + 1  # the holder's


def test_the_busy_timeout_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from progression.config import Settings

    assert Settings().busy_timeout == 60
    monkeypatch.setenv("PROGRESSION_BUSY_TIMEOUT", "2.5")
    assert Settings().busy_timeout == 2.5


@pytest.mark.parametrize("url", ["mysql://user@host/db", "mssql+pyodbc://user@host/db", "oracle://u@h/x"])
def test_unsupported_databases_are_named_with_exit_5(url: str) -> None:
    result = run_cli("--db", url, "team")
    assert result.exit_code == 5
    assert "Progression works with SQLite and PostgreSQL databases" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args", [("team",), ("request", "list"), ("audit", "verify"), ("import", "workers", "w.csv"), ()]
)
def test_a_missing_sqlite_file_is_named_and_nothing_is_created(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Only init and demo create a database; any other command (or the app) on a mistyped path says so."""
    missing = tmp_path / "typo" / "councl.db"
    result = run_cli("--db", str(missing), *args)
    assert result.exit_code == 5
    assert f"There is no database at {missing}" in result.stderr
    assert "`progression init`" in result.stderr
    assert not missing.parent.exists()


def test_init_creates_a_missing_sqlite_file_and_its_directories(tmp_path: Path) -> None:
    target = tmp_path / "new" / "dir" / "council.db"
    assert run_cli("--db", str(target), "init").exit_code == 0
    assert target.exists()
    assert run_cli("--db", str(target), "request", "list").exit_code == 0


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; on Windows nothing is changed")
def test_a_sqlite_file_is_created_owner_only_before_anything_is_written(tmp_path: Path) -> None:
    """The engine makes the empty file 600 itself (umask 0 would give 666); SQLite copies its mode to -wal and -shm."""
    old = os.umask(0)
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
        with engine.connect() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.commit()
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
        engine.dispose()
    finally:
        os.umask(old)
    assert modes == {"x.db": 0o600, "x.db-wal": 0o600, "x.db-shm": 0o600}
