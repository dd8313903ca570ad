"""Migrations are real: a released revision is never edited, databases of every release upgrade with `init`
keeping every row, a database made by the first (since edited) 0001 is repaired, and the migrations build
exactly the models. Each test runs on the backend chosen by PROGRESSION_TEST_BACKEND."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, text

import progression.models as models
from progression.db import MIGRATIONS, current_revision, head_revision, make_engine, upgrade, write_transaction
from tests.fixtures.release import HISTORIC_0001, RELEASE_0001, dump, load
from tests.utils.cli import run_cli

TODAY = "2026-11-24"
ADMIN = "E1001"
"""An administrator among the fixture's workers (PostgreSQL needs someone to act as)."""
OPEN_STEP_INDEX = "uq_progression_request_open_step"
RELEASED = {
    "0001_the_whole_data_model.py": "414c896a46869159b6260e373f77f32d76d9843c92b9da9dde9c3b6f9e72f81b",
    "0002_repair_early_0001_databases.py": "de1763b80c61021d2145322af1045204b14a842fff76e137df21460e4291ffa0",
}
"""Every released revision and the SHA-256 of its file: a released revision is never edited (a database
stamped with it would never see the edit); a schema change is a new revision, added here when released."""


def fixture_rows() -> dict[str, Any]:
    return json.loads(RELEASE_0001.read_text(encoding="utf-8"))


def schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return list(
            compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), models.metadata)
        )


def snapshot(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        return dump(connection)["tables"]


def index_names(engine: Engine, table: str) -> set[str]:
    return {index["name"] for index in inspect(engine).get_indexes(table)}


def build_historic_0001(connection: Connection, workdir: Path) -> None:
    """Build the schema of revision 0001 as first released (kept as text, run by today's env.py)."""
    scripts = workdir / "historic_migrations"
    (scripts / "versions").mkdir(parents=True)
    shutil.copyfile(MIGRATIONS / "env.py", scripts / "env.py")
    shutil.copyfile(HISTORIC_0001, scripts / "versions" / "0001_the_whole_data_model.py")
    config = Config()
    config.set_main_option("script_location", str(scripts))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def assert_every_row_kept(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Every table and row is still there, unchanged; the audit log only grew (init records the upgrade). A later
    revision may add columns after a table's own (0003: who recorded a supervision session and when it was
    confirmed); every old column keeps every value."""
    for table, content in before.items():
        assert table in after, f"table {table} lost"
        old = content["columns"]
        assert after[table]["columns"][: len(old)] == old, table
        if table in ("audit_entry", "audit_head"):
            continue
        assert [row[: len(old)] for row in after[table]["rows"]] == content["rows"], f"rows of {table} changed"
    entries = before["audit_entry"]["rows"]
    assert after["audit_entry"]["rows"][: len(entries)] == entries


def test_released_revisions_are_never_edited() -> None:
    files = {path.name: path for path in (MIGRATIONS / "versions").glob("*.py")}
    for name, digest in RELEASED.items():
        assert name in files, f"released revision {name} was removed"
        assert hashlib.sha256(files[name].read_bytes()).hexdigest() == digest, f"released revision {name} was edited"


def test_the_migrations_build_exactly_the_models(empty_url: str) -> None:
    """Alembic's autogenerate comparison finds no difference between a migrated database and the models."""
    engine = make_engine(empty_url)
    with write_transaction(engine) as connection:
        assert upgrade(connection) == (None, head_revision())
    assert schema_differences(engine) == []
    engine.dispose()


def test_a_database_of_release_0001_upgrades_with_init_keeping_every_row(empty_url: str) -> None:
    engine = make_engine(empty_url)
    with write_transaction(engine) as connection:
        upgrade(connection, "0001")
        counts = load(connection, fixture_rows())
    assert counts["worker"] == 30 and counts["audit_entry"] >= 1
    before = snapshot(engine)
    assert current_revision(engine) == "0001"

    result = run_cli("--db", empty_url, "--as", ADMIN, "--today", TODAY, "init")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert f"schema: 0001 → {head_revision()}" in result.stdout
    assert current_revision(engine) == head_revision()
    assert_every_row_kept(before, snapshot(engine))
    assert schema_differences(engine) == []
    verify = run_cli("--db", empty_url, "--as", ADMIN, "audit", "verify")
    assert verify.exit_code == 0, verify.stderr
    engine.dispose()


def test_supervision_sessions_of_an_upgraded_database_count_as_confirmed(empty_url: str) -> None:
    """Revision 0003 adds who recorded a session and when it was confirmed: sessions already there were counted
    before, so they stay confirmed (who recorded or confirmed them is not known)."""
    engine = make_engine(empty_url)
    with write_transaction(engine) as connection:
        upgrade(connection, "0002")
        counts = load(connection, fixture_rows())
    assert counts["supervision"] > 0
    with write_transaction(engine) as connection:
        upgrade(connection)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT recorded_by_id, confirmed_at, confirmed_by_id FROM supervision")).all()
    assert len(rows) == counts["supervision"]
    assert all(row.confirmed_at is not None and row.recorded_by_id is row.confirmed_by_id is None for row in rows)
    assert schema_differences(engine) == []
    engine.dispose()


def test_commands_refuse_a_database_at_an_older_revision_until_init(empty_url: str) -> None:
    engine = make_engine(empty_url)
    with write_transaction(engine) as connection:
        upgrade(connection, "0001")
        load(connection, fixture_rows())
    result = run_cli("--db", empty_url, "--as", ADMIN, "--today", TODAY, "team")
    assert result.exit_code == 1
    assert "older schema: run `progression init`" in result.stderr
    engine.dispose()


def test_a_database_made_by_the_first_0001_is_repaired_by_init(empty_url: str, tmp_path: Path) -> None:
    """The first 0001 had no audit_head table and no one-open-request-per-step index: init adds both, the
    head rebuilt from the existing chain, and keeps every row."""
    engine = make_engine(empty_url)
    with write_transaction(engine) as connection:
        build_historic_0001(connection, tmp_path)
        load(connection, fixture_rows(), skip={"audit_head"})
    assert current_revision(engine) == "0001"
    assert not inspect(engine).has_table("audit_head")
    assert OPEN_STEP_INDEX not in index_names(engine, "progression_request")
    before = snapshot(engine)
    entries = len(before["audit_entry"]["rows"])

    result = run_cli("--db", empty_url, "--as", ADMIN, "--today", TODAY, "init")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert current_revision(engine) == head_revision()
    assert OPEN_STEP_INDEX in index_names(engine, "progression_request")
    assert schema_differences(engine) == []
    after = snapshot(engine)
    assert_every_row_kept(before, after)
    with engine.connect() as connection:
        head = connection.execute(text("SELECT last_id, entries FROM audit_head")).one()
    assert head.entries == len(after["audit_entry"]["rows"]) == entries + 1  # the chain, then init's upgrade entry
    for args in (("audit", "verify"), ("--today", TODAY, "team")):
        checked = run_cli("--db", empty_url, "--as", ADMIN, *args)
        assert checked.exit_code == 0, checked.stderr
    engine.dispose()


def test_two_open_requests_for_one_step_are_named_and_the_rest_repaired(empty_url: str, tmp_path: Path) -> None:
    """Where the index cannot be built, init upgrades the rest, names the requests and says what to do; once
    they are resolved, the next init builds the index."""
    data = fixture_rows()
    requests = data["tables"]["progression_request"]
    columns = requests["columns"]
    first = dict(zip(columns, requests["rows"][0], strict=True))
    assert first["state"] == "submitted"
    twin = {**first, "id": max(row[0] for row in requests["rows"]) + 1, "note": "Asked twice"}
    requests["rows"].append([twin[c] for c in columns])
    engine = make_engine(empty_url)
    with write_transaction(engine) as connection:
        build_historic_0001(connection, tmp_path)
        load(connection, data, skip={"audit_head"})

    result = run_cli("--db", empty_url, "--as", ADMIN, "--today", TODAY, "init")
    assert result.exit_code == 0, result.stderr
    assert "could not add the rule that keeps one open request per worker and step" in result.stderr
    assert f"requests {first['id']}, {twin['id']}" in result.stderr
    assert "then run `progression init` again" in result.stderr
    assert "Traceback" not in result.stderr
    assert current_revision(engine) == head_revision()
    assert inspect(engine).has_table("audit_head")
    assert OPEN_STEP_INDEX not in index_names(engine, "progression_request")
    assert run_cli("--db", empty_url, "--as", ADMIN, "request", "list").exit_code == 0  # the database is usable

    with engine.begin() as connection:
        connection.execute(text("UPDATE progression_request SET state = 'returned' WHERE id = :id"), {"id": twin["id"]})
    again = run_cli("--db", empty_url, "--as", ADMIN, "--today", TODAY, "init")
    assert again.exit_code == 0, again.stderr
    assert again.stderr == ""
    assert OPEN_STEP_INDEX in index_names(engine, "progression_request")
    assert schema_differences(engine) == []
    engine.dispose()


def test_the_newest_revision_downgrades_and_upgrades_a_populated_database(demo_url: str) -> None:
    """A populated database steps back one revision and forward again, keeping every worker (on SQLite a rebuild
    of `worker` would trip the foreign keys that point at it)."""
    engine = make_engine(demo_url)
    with engine.connect() as connection:
        workers = connection.execute(text("SELECT count(*) FROM worker")).scalar()
    with write_transaction(engine) as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    with write_transaction(engine) as connection:
        upgrade(connection)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM worker")).scalar() == workers
    engine.dispose()
