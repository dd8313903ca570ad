"""SQLite is one person's file: created readable by its owner only, tightened by `init`, and its local user named
as the administrator on every decision they take."""

from __future__ import annotations

import getpass
import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, Table, insert, inspect
from sqlmodel import Session, col, select

from progression.db import make_engine, upgrade, write_transaction
from progression.errors import AccessDenied
from progression.models import Decision
from progression.services.actor import local_admin, resolve_actor
from progression.services.decisions import appeal, decide, possible_outcomes
from progression.services.requests import list_requests
from tests.conftest import BACKEND, TODAY
from tests.fixtures.release import RELEASE_0001, load
from tests.unit.test_decisions import open_request
from tests.utils.cli import run_cli

DAY = TODAY.isoformat()

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; on Windows nothing is changed")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def files_of(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


@contextmanager
def opened(db: Path) -> Iterator[None]:
    """The database held open, as the app or another command holds it: SQLite keeps its -wal and -shm files."""
    engine = make_engine(f"sqlite:///{db}", create=False)
    with engine.connect():
        yield
    engine.dispose()


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


@posix_only
@pytest.mark.parametrize("command", [("init",), ("demo", "--workers", "3")])
@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_a_new_database_and_its_wal_and_shm_files_are_owner_only(
    tmp_path: Path, command: tuple[str, ...], mask: int
) -> None:
    """Whatever the umask (0 would give 666), `init` and `demo` create the file, -wal and -shm as 600."""
    db = tmp_path / "new" / "demo.db"
    with umask(mask):
        result = run_cli("--db", str(db), "--today", DAY, *command)
        assert result.exit_code == 0, result.stderr
        with opened(db):
            for file in files_of(db):
                assert mode(file) == 0o600, file
    assert "tightened" not in result.stdout


@posix_only
def test_init_tightens_an_existing_looser_file_and_says_so_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert run_cli("--db", str(db), "--today", DAY, "init").exit_code == 0
    with opened(db):
        for file in files_of(db):
            file.chmod(0o644)
        result = run_cli("--db", str(db), "--today", DAY, "init")
        assert result.exit_code == 0, result.stderr
        assert [mode(file) for file in files_of(db)] == [0o600] * 3
    told = [line for line in result.stdout.splitlines() if "tightened" in line]
    assert told == [f"tightened {db} to owner-only (was 644), with its -wal and -shm files"]
    again = run_cli("--db", str(db), "--today", DAY, "init")
    assert again.exit_code == 0 and "tightened" not in again.stdout


@posix_only
def test_init_tightens_a_file_copied_without_its_wal_and_names_the_old_mode(tmp_path: Path) -> None:
    """A database copied with `cp` under a loose umask (640 here), closed, so no -wal or -shm file beside it."""
    db = tmp_path / "copy.db"
    assert run_cli("--db", str(db), "--today", DAY, "init").exit_code == 0
    db.chmod(0o640)
    result = run_cli("--db", str(db), "--today", DAY, "init")
    assert result.exit_code == 0, result.stderr
    assert f"tightened {db} to owner-only (was 640)" in result.stdout.splitlines()
    assert mode(db) == 0o600


@posix_only
def test_only_the_sidecar_files_loose_are_named_as_such(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert run_cli("--db", str(db), "--today", DAY, "init").exit_code == 0
    with opened(db):
        db.with_name("x.db-shm").chmod(0o664)
        result = run_cli("--db", str(db), "--today", DAY, "init")
        assert mode(db.with_name("x.db-shm")) == 0o600
    assert f"tightened {db}'s -shm file to owner-only (was 664)" in result.stdout.splitlines()


@posix_only
def test_a_file_init_cannot_tighten_is_reported_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone else's file (chmod refused): init still upgrades, and says on standard error what to run."""
    db = tmp_path / "theirs.db"
    assert run_cli("--db", str(db), "--today", DAY, "init").exit_code == 0
    db.chmod(0o644)

    def refuse(self: Path, _mode: int, **_kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted", str(self))

    monkeypatch.setattr(Path, "chmod", refuse)
    result = run_cli("--db", str(db), "--today", DAY, "init")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"progression: could not make {db} readable by its owner only (Operation not permitted): "
        f"run `chmod 600 {db}` as its owner."
    ]
    assert mode(db) == 0o644


# The local administrator is named on every decision they take.

LABEL = f"local administrator ({getpass.getuser()})"


def decisions_of(engine: Engine, request_id: int) -> list[Decision]:
    with Session(engine) as session:
        return list(session.exec(select(Decision).where(Decision.request_id == request_id).order_by(col(Decision.id))))


def test_a_decision_by_the_local_administrator_names_them_never_a_null_decider(demo_engine: Engine) -> None:
    request_id, _ = open_request(demo_engine, "line_manager")
    decide(demo_engine, local_admin(), request_id, "approve", "Ready, as the evidence shows.", TODAY)
    [decision] = decisions_of(demo_engine, request_id)
    assert (decision.by_id, decision.by_label, decision.outcome) == (None, LABEL, "approve")
    with Session(demo_engine) as session:
        every = session.exec(select(Decision)).all()
    automatic = [d for d in every if d.outcome == "automatic"]
    assert all(d.by_id is None and d.by_label is None for d in automatic)  # the system: distinguishable
    assert all(d.by_id is not None or d.by_label for d in every if d.outcome != "automatic")


def test_a_workers_decision_names_them_by_their_row_not_a_label(demo_engine: Engine) -> None:
    request_id, _ = open_request(demo_engine, "line_manager")
    decide(demo_engine, resolve_actor(demo_engine, "E1001"), request_id, "reject", "Not yet.", TODAY)
    [decision] = decisions_of(demo_engine, request_id)
    assert decision.by_id is not None and decision.by_label is None


def test_without_an_os_user_name_the_local_administrator_is_still_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """A container whose uid has no name: getpass raises; the decision still says who (the local administrator)."""

    def nameless() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", nameless)
    assert local_admin().decider_label == "local administrator"
    monkeypatch.setattr(getpass, "getuser", lambda: "ali\x1b[2Jce")
    assert local_admin().decider_label == "local administrator (ali[2Jce)"  # no control character stored


def test_the_local_administrator_who_rejected_may_not_decide_the_appeal(demo_engine: Engine) -> None:
    """One person's file: the local administrator is one person, whichever way their decision is read."""
    request_id, staff_id = open_request(demo_engine, "panel", state="endorsed")
    decide(demo_engine, local_admin(), request_id, "reject", "Not yet at the experienced level.", TODAY)
    appeal_id = appeal(demo_engine, resolve_actor(demo_engine, staff_id), request_id, "Wrong level.", TODAY)
    [read] = [r for r in list_requests(demo_engine, local_admin()) if r.id == appeal_id]
    assert possible_outcomes(local_admin(), read) == ()
    with pytest.raises(AccessDenied, match="took the decision appealed against"):
        decide(demo_engine, local_admin(), appeal_id, "approve", "On appeal.", TODAY)


def test_init_names_the_local_administrator_on_decisions_taken_before_the_label(empty_url: str) -> None:
    """A database of revision 0003 (built up to it, with the last release's rows): its decisions with no decider
    and a person's outcome were the local administrator's; revision 0004 labels them, and leaves automatic ones and
    workers' alone."""
    engine = make_engine(empty_url)
    with write_transaction(engine) as connection:
        upgrade(connection, "0003")
        load(connection, json.loads(RELEASE_0001.read_text(encoding="utf-8")))
        decisions = Table("decision", MetaData(), autoload_with=connection)
        template = dict(connection.execute(select(decisions).limit(1)).mappings().one())
        template.pop("id")
        connection.execute(insert(decisions).values({**template, "by_id": None, "outcome": "defer"}))
        assert "by_label" not in {c["name"] for c in inspect(connection).get_columns("decision")}
        before = {row.id: (row.by_id, row.outcome) for row in connection.execute(select(decisions))}
    with write_transaction(engine) as connection:
        upgrade(connection)
    with Session(engine) as session:
        after = {d.id: d for d in session.exec(select(Decision))}
    assert {i: (d.by_id, d.outcome) for i, d in after.items()} == before
    for decision in after.values():
        expected = None if decision.by_id is not None or decision.outcome == "automatic" else "local administrator"
        assert decision.by_label == expected, decision
    assert max(after.values(), key=lambda d: d.id or 0).by_label == "local administrator"
    engine.dispose()


@pytest.mark.skipif(BACKEND != "sqlite", reason="the local administrator is SQLite's (PostgreSQL needs a login)")
def test_request_list_json_names_the_local_administrator_who_decided(demo_engine: Engine, demo_url: str) -> None:
    request_id, _ = open_request(demo_engine, "line_manager")
    decided = run_cli(
        "--db",
        demo_url,
        "--today",
        DAY,
        "request",
        "decide",
        str(request_id),
        "--outcome",
        "return",
        "--reason",
        "Add evidence.",
    )
    assert decided.exit_code == 0, decided.stderr
    listed = run_cli("--db", demo_url, "--today", DAY, "request", "list", "--json")
    [request] = [r for r in json.loads(listed.stdout) if r["id"] == request_id]
    assert [d["by"] for d in request["decisions"]] == [LABEL]
    [read] = [r for r in list_requests(demo_engine, local_admin()) if r.id == request_id]
    assert [(d.by, d.by_name) for d in read.decisions] == [(LABEL, LABEL)]
