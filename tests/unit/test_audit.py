"""The audit log: append-only, hash-chained, verified by `progression audit verify` (issue 6)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from progression.services.actor import local_admin
from progression.services.audit import record, verify_chain
from tests.utils.cli import run_cli

AS_ADMIN = ("--as", "E1001")


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
