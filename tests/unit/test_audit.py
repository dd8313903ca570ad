"""The audit log: append-only, hash-chained, verified by `progression audit verify` (issue 6)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, insert, text
from sqlmodel import Session, col, select

from progression.models import AuditEntry
from progression.services.actor import local_admin
from progression.services.audit import entry_hash, record, verify_chain
from tests.conftest import BACKEND
from tests.utils.cli import run_cli

AS_ADMIN: tuple[str, ...] = () if BACKEND == "postgresql" else ("--as", "E1001")
"""On PostgreSQL the database owner acts as the system (an administrator); `--as` would add an impersonation entry."""


def append(engine: Engine, count: int, label: str = "test") -> None:
    for number in range(count):
        with Session(engine) as session:
            record(session, "system", "note", label, number, before={"n": number}, after={"n": number + 1})
            session.commit()


def test_a_fresh_chain_holds(demo_engine: Engine, demo_url: str) -> None:
    start = verify_chain(demo_engine, local_admin()).entries
    append(demo_engine, 5)
    assert verify_chain(demo_engine, local_admin()).ok
    result = run_cli("--db", demo_url, *AS_ADMIN, "audit", "verify")
    assert result.exit_code == 0, result.stderr
    assert f"The audit log holds: {start + 5} entries" in result.stdout


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ("UPDATE audit_entry SET actor = 'E9999' WHERE id = 4", "entry 4 was changed after it was written"),
        ("UPDATE audit_entry SET after = NULL WHERE id = 5", "entry 5 was changed after it was written"),
        ("DELETE FROM audit_entry WHERE id = 4", "entry 5 does not follow the entry before it"),
        ("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)", "the newest entries were removed"),
        (
            "INSERT INTO audit_entry (id, at, actor, action, entity, entity_id, outcome, prev_hash, hash) "
            "SELECT 100, at, actor, action, entity, entity_id, outcome, 'x', 'y' FROM audit_entry WHERE id = 3",
            "entry 100 does not follow the entry before it",
        ),
    ],
)
def test_tampering_is_found_and_named(demo_engine: Engine, demo_url: str, tamper: str, message: str) -> None:
    append(demo_engine, 5)
    with demo_engine.begin() as connection:
        connection.execute(text(tamper))
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok and message in check.problem
    result = run_cli("--db", demo_url, *AS_ADMIN, "audit", "verify")
    assert result.exit_code == 6
    assert message in result.stderr


def test_appends_from_concurrent_connections_never_fork_the_chain(demo_engine: Engine) -> None:
    """Several writers at once (threads with their own connections) still build one unbroken chain."""
    errors: list[BaseException] = []
    start = verify_chain(demo_engine, local_admin()).entries

    def writer(label: str) -> None:
        try:
            append(demo_engine, 15, label)
        except BaseException as exc:  # noqa: BLE001  reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"writer-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = verify_chain(demo_engine, local_admin())
    assert check.ok, check.problem
    assert check.entries == start + 4 * 15


def _entry_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM audit_entry")).scalar_one())


def append_outside_progression(engine: Engine) -> int:
    """Add an entry with plain SQL, correctly chained to the newest one, without moving the head; its id."""
    with Session(engine) as session:
        newest = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
        assert newest is not None
        forged = AuditEntry(
            at=newest.at, actor="E9999", action="note", entity="forged", entity_id="1", prev_hash=newest.hash
        )
        forged.hash = entry_hash(forged)
        values = forged.model_dump(exclude={"id"})
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.begin() as connection:
        key = connection.execute(insert(table).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def test_a_missing_head_row_is_a_broken_chain(demo_engine: Engine, demo_url: str) -> None:
    """Deleting the head row used to skip the head check (and so hid removal of the newest entries)."""
    append(demo_engine, 3)
    with demo_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_head"))
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok
    assert "the head of the chain (the audit_head row) is missing" in check.problem
    result = run_cli("--db", demo_url, *AS_ADMIN, "audit", "verify")
    assert result.exit_code == 6
    assert "audit_head row) is missing" in result.stderr


def test_a_missing_head_row_with_the_newest_entries_removed_is_still_found(demo_engine: Engine) -> None:
    append(demo_engine, 3)
    with demo_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)"))
        connection.execute(text("DELETE FROM audit_head"))
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok and "is missing" in check.problem


def test_an_entry_written_after_the_head_was_deleted_stays_a_broken_chain(demo_engine: Engine) -> None:
    """The next append re-creates the head from nothing: the entry it writes starts a new chain, which is named."""
    append(demo_engine, 2)
    with demo_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_head"))
    append(demo_engine, 1)
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok
    assert "does not follow the entry before it" in check.problem
    assert "starts a new chain" in check.problem


def test_an_entry_appended_without_updating_the_head_is_named_as_such(demo_engine: Engine, demo_url: str) -> None:
    append(demo_engine, 2)
    forged = append_outside_progression(demo_engine)
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok
    assert f"entry {forged} was appended without updating the head" in check.problem
    assert "removed" not in check.problem
    assert check.entry_id == forged
    result = run_cli("--db", demo_url, *AS_ADMIN, "audit", "verify")
    assert result.exit_code == 6
    assert f"entry {forged} was appended without updating the head" in result.stderr


def test_several_entries_appended_without_updating_the_head_name_the_first(demo_engine: Engine) -> None:
    append(demo_engine, 1)
    first = append_outside_progression(demo_engine)
    append_outside_progression(demo_engine)
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok
    assert f"entry {first} was appended without updating the head (with 1 more after it)" in check.problem


def test_removing_the_newest_entries_is_not_called_an_append(demo_engine: Engine) -> None:
    append(demo_engine, 3)
    with demo_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)"))
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok
    assert "the newest entries were removed" in check.problem and "appended" not in check.problem


def test_an_edited_head_count_is_found(demo_engine: Engine) -> None:
    append(demo_engine, 2)
    with demo_engine.begin() as connection:
        connection.execute(text("UPDATE audit_head SET entries = entries + 7"))
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok and "the head was edited" in check.problem


def test_an_emptied_log_is_broken_with_or_without_its_head(demo_engine: Engine) -> None:
    """`init` writes the first entry of every database, so an empty log was emptied."""
    with demo_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry"))
        connection.execute(text("UPDATE audit_head SET last_id = 0, last_hash = '', entries = 0"))
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok and "every entry was removed" in check.problem
    with demo_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_head"))
    check = verify_chain(demo_engine, local_admin())
    assert not check.ok and "every entry was removed" in check.problem


def test_verifying_while_others_append_never_reports_a_false_break(demo_engine: Engine) -> None:
    """The head and the entries are read until they agree: appends landing mid-check are not tampering."""
    errors: list[BaseException] = []

    def writer(label: str) -> None:
        try:
            append(demo_engine, 25, label)
        except BaseException as exc:  # noqa: BLE001  reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"writer-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    checks = []
    while any(thread.is_alive() for thread in threads):
        checks.append(verify_chain(demo_engine, local_admin()))
    for thread in threads:
        thread.join()
    assert errors == []
    assert [check.problem for check in checks if not check.ok] == []
    assert checks
    assert verify_chain(demo_engine, local_admin()).entries == _entry_count(demo_engine)
