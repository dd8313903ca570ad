"""Audit anchors (issue 11): `audit anchor` prints the head to keep outside the database, and `audit verify --anchor`
catches every rewrite of the log up to it, even one re-chained so well that the plain check still holds."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, insert, text
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

from progression.models import AuditEntry
from progression.services.actor import local_admin
from progression.services.audit import entry_hash, record, verify_chain
from tests.conftest import BACKEND
from tests.utils.cli import run_cli

AS_ADMIN: tuple[str, ...] = () if BACKEND == "postgresql" else ("--as", "E1001")
"""On PostgreSQL the database owner acts as the system (an administrator); `--as` would add an impersonation entry."""


def append(engine: Engine, count: int) -> None:
    for number in range(count):
        with Session(engine) as session:
            record(session, "system", "note", "anchor-test", number, after={"n": number})
            session.commit()


def take_anchor(url: str) -> dict[str, object]:
    result = run_cli("--db", url, *AS_ADMIN, "audit", "anchor", "--json")
    assert result.exit_code == 0, result.stderr
    anchor: dict[str, object] = json.loads(result.stdout)
    return anchor


def verify(url: str, *extra: str) -> tuple[int, str]:
    result = run_cli("--db", url, *AS_ADMIN, "audit", "verify", *extra)
    return result.exit_code, result.stdout + result.stderr


def rechain(connection: Connection) -> None:
    """What a careful attacker does after editing the entries: recompute every link and hash, and move the head."""
    previous, last_id, count = "", 0, 0
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    for row in connection.execute(select_rows(table).order_by(table.c.id)).mappings().all():
        entry = AuditEntry(**dict(row))
        entry.prev_hash = previous
        entry.hash = entry_hash(entry)
        connection.execute(
            text("UPDATE audit_entry SET prev_hash = :prev, hash = :hash WHERE id = :id"),
            {"prev": entry.prev_hash, "hash": entry.hash, "id": entry.id},
        )
        previous, last_id, count = entry.hash, entry.id or 0, count + 1
    connection.execute(
        text("UPDATE audit_head SET last_id = :id, last_hash = :hash, entries = :count"),
        {"id": last_id, "hash": previous, "count": count},
    )


def newest_id(connection: Connection) -> int:
    return int(connection.execute(text("SELECT max(id) FROM audit_entry")).scalar_one())


def change_and_rechain(connection: Connection) -> None:
    connection.execute(text("UPDATE audit_entry SET actor = 'E9999' WHERE id = 3"))
    rechain(connection)


def delete_and_rechain(connection: Connection) -> None:
    connection.execute(text("DELETE FROM audit_entry WHERE id = 3"))
    rechain(connection)


def forge_and_update_head(connection: Connection) -> None:
    """Replace the newest entry (the one anchored) by a forged one, chained properly, and move the head to it."""
    connection.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": newest_id(connection)})
    connection.execute(
        insert(AuditEntry.__table__).values(  # type: ignore[attr-defined]
            at=datetime.now(UTC),
            actor="E9999",
            action="approve",
            entity="request",
            entity_id="1",
            outcome="done",
            prev_hash="",
            hash="",
        )
    )
    rechain(connection)


def delete_the_head(connection: Connection) -> None:
    connection.execute(text("DELETE FROM audit_head"))


def delete_everything(connection: Connection) -> None:
    connection.execute(text("DELETE FROM audit_entry"))
    connection.execute(text("DELETE FROM audit_head"))


def delete_every_entry_and_reset_the_head(connection: Connection) -> None:
    connection.execute(text("DELETE FROM audit_entry"))
    connection.execute(text("UPDATE audit_head SET last_id = 0, last_hash = '', entries = 0"))


@pytest.mark.parametrize(
    ("attack", "plain_verify_catches", "anchored_message"),
    [
        (change_and_rechain, False, "no entry has the anchored hash"),
        (delete_and_rechain, False, "no entry has the anchored hash"),
        (forge_and_update_head, False, "no entry has the anchored hash"),
        (delete_the_head, True, "the audit_head row) is missing"),
        (delete_everything, True, "every entry was removed since the anchor was taken"),
        (delete_every_entry_and_reset_the_head, True, "every entry was removed since the anchor was taken"),
    ],
)
def test_each_rewrite_is_caught_against_an_anchor_taken_before_it(
    demo_engine: Engine,
    demo_url: str,
    attack: Callable[[Connection], None],
    plain_verify_catches: bool,
    anchored_message: str,
) -> None:
    append(demo_engine, 5)
    anchor = take_anchor(demo_url)
    assert verify(demo_url, "--anchor", str(anchor["hash"]))[0] == 0
    with demo_engine.begin() as connection:
        attack(connection)
    code, output = verify(demo_url)
    if plain_verify_catches:
        assert code == 6, output
        assert "The audit log has been tampered with" in output
    else:
        assert code == 0, output  # the rewrite is re-chained so well only the anchor can tell
    code, output = verify(demo_url, "--anchor", str(anchor["hash"]))
    assert code == 6, output
    assert "The audit log has been tampered with" in output
    assert anchored_message in output


def test_the_anchor_is_the_newest_entry_and_the_head(demo_engine: Engine, demo_url: str) -> None:
    append(demo_engine, 3)
    anchor = take_anchor(demo_url)
    with Session(demo_engine) as session:
        newest = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
        assert newest is not None
        entries = len(session.exec(select(AuditEntry.id)).all())
    with demo_engine.connect() as connection:
        head = connection.execute(text("SELECT last_id, last_hash FROM audit_head")).one()
    assert anchor["hash"] == newest.hash == head.last_hash
    assert anchor["entry"] == newest.id == head.last_id
    assert anchor["entries"] == entries
    at = datetime.fromisoformat(str(anchor["at"]).replace("Z", "+00:00"))
    stored = newest.at if newest.at.tzinfo else newest.at.replace(tzinfo=UTC)
    assert at == stored
    text_form = run_cli("--db", demo_url, *AS_ADMIN, "audit", "anchor")
    assert text_form.exit_code == 0, text_form.stderr
    assert f"Audit anchor: entry {newest.id} of {entries:,}, written {stored:%Y-%m-%d %H:%M:%S} UTC" in text_form.stdout
    assert f"progression audit verify --anchor {newest.hash}" in text_form.stdout


def test_an_old_anchor_still_holds_as_the_log_grows(demo_engine: Engine, demo_url: str) -> None:
    append(demo_engine, 2)
    anchor = take_anchor(demo_url)
    append(demo_engine, 4)
    code, output = verify(demo_url, "--anchor", str(anchor["hash"]).upper())
    assert code == 0, output
    assert "The audit log holds:" in output
    assert f"The anchored entry {anchor['entry']} (written" in output
    assert "and every entry before it are unchanged since the anchor was taken" in output


def test_plain_verify_of_an_intact_log_says_exactly_what_it_said(demo_engine: Engine, demo_url: str) -> None:
    append(demo_engine, 1)
    count = verify_chain(demo_engine, local_admin()).entries
    result = run_cli("--db", demo_url, *AS_ADMIN, "audit", "verify")
    assert result.exit_code == 0
    assert result.stdout == f"The audit log holds: {count:,} entries, each chained to the one before.\n"


def test_tampering_after_the_anchor_is_found_and_the_anchored_part_vouched_for(
    demo_engine: Engine, demo_url: str
) -> None:
    append(demo_engine, 2)
    anchor = take_anchor(demo_url)
    append(demo_engine, 2)
    with demo_engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET actor = 'E9999' WHERE id = :id"), {"id": newest_id(connection)})
    code, output = verify(demo_url, "--anchor", str(anchor["hash"]))
    assert code == 6
    assert "was changed after it was written" in output
    assert f"after the anchored entry {anchor['entry']}, which holds with every entry before it" in output


def test_tampering_before_the_anchor_without_rechaining_is_named(demo_engine: Engine, demo_url: str) -> None:
    append(demo_engine, 3)
    anchor = take_anchor(demo_url)
    with demo_engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET actor = 'E9999' WHERE id = 2"))
    code, output = verify(demo_url, "--anchor", str(anchor["hash"]))
    assert code == 6
    assert "entry 2 was changed after it was written" in output


def test_no_anchor_is_given_for_a_broken_log(demo_engine: Engine, demo_url: str) -> None:
    append(demo_engine, 2)
    with demo_engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET actor = 'E9999' WHERE id = 2"))
    result = run_cli("--db", demo_url, *AS_ADMIN, "audit", "anchor")
    assert result.exit_code == 6
    assert "No anchor was taken" in result.stderr and "entry 2 was changed" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("bad", ["abc", "z" * 64, "0" * 63, "0" * 65, ""])
def test_a_malformed_anchor_is_refused_as_input(demo_url: str, bad: str) -> None:
    result = run_cli("--db", demo_url, *AS_ADMIN, "audit", "verify", "--anchor", bad)
    assert result.exit_code == 2
    assert "--anchor" in result.stderr and "64-character hash" in result.stderr


def test_only_an_admin_takes_an_anchor(demo_engine: Engine, demo_url: str) -> None:
    with demo_engine.connect() as connection:
        worker = connection.execute(
            text("SELECT staff_id FROM worker WHERE is_admin = false ORDER BY staff_id LIMIT 1")
        ).scalar_one()
    result = run_cli("--db", demo_url, "--as", worker, "audit", "anchor")
    assert result.exit_code == 3
    assert result.stdout == ""
