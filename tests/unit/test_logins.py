"""Who you are is proven on PostgreSQL: the actor is the database login (`progression access` links logins to
workers), the database owner acts as the system, and `--as` is impersonation, only for the owner and admins,
recorded with both identities. Logins are real roles made per test with unique names and dropped after."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from tests.conftest import BACKEND
from tests.utils.cli import run_cli

ADMIN = "E1001"
PG_ONLY = pytest.mark.skipif(BACKEND != "postgresql", reason="database logins exist on PostgreSQL only")


def _non_admin(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT staff_id FROM worker WHERE NOT is_admin ORDER BY id")).first()[0])


def _as_login(url: str, login: str) -> str:
    return make_url(url).set(username=login, password=None).render_as_string(hide_password=False)


def _audit(engine: Engine, action: str) -> list[tuple[str, str, dict[str, str] | None]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT actor, entity_id, after FROM audit_entry WHERE action = :a ORDER BY id"), {"a": action}
        ).all()
    return [(r[0], r[1], r[2] if isinstance(r[2], dict) or r[2] is None else json.loads(r[2])) for r in rows]


@pytest.fixture
def logins(demo_engine: Engine) -> Iterator[list[str]]:
    """Unique login names for this test (one with a quote and a space); every role made is dropped after."""
    tag = uuid.uuid4().hex[:8]
    names = [f"pl_{tag}_a", f"pl_{tag}_b", f'pl "{tag}" c']
    yield names
    demo_engine.dispose()
    with demo_engine.connect() as connection:
        for name in names:
            quoted = connection.dialect.identifier_preparer.quote_identifier(name)
            connection.execute(text(f"DROP ROLE IF EXISTS {quoted}"))
        connection.commit()


def test_access_commands_say_they_are_for_postgresql_on_sqlite(demo_url: str) -> None:
    if BACKEND != "sqlite":
        pytest.skip("the SQLite message")
    for args in (("grant", ADMIN, "alice"), ("revoke", ADMIN), ("list",)):
        result = run_cli("--db", demo_url, "access", *args)
        assert result.exit_code == 2, result.stderr
        assert "Database logins are for PostgreSQL" in result.stderr


def test_sqlite_keeps_as_for_its_local_administrator(demo_url: str, demo_engine: Engine) -> None:
    if BACKEND != "sqlite":
        pytest.skip("SQLite's local administrator")
    worker = _non_admin(demo_engine)
    assert run_cli("--db", demo_url, "--as", worker, "team").exit_code == 0


@PG_ONLY
def test_grant_creates_the_login_and_it_becomes_the_actor(
    demo_url: str, demo_engine: Engine, logins: list[str]
) -> None:
    worker = _non_admin(demo_engine)
    quoted = logins[2]
    granted = run_cli("--db", demo_url, "access", "grant", worker, quoted)
    assert granted.exit_code == 0, granted.stderr
    assert "(created)" in granted.stdout
    with demo_engine.connect() as connection:
        member = connection.execute(
            text("SELECT pg_has_role(:l, 'progression_user', 'MEMBER'), rolcanlogin FROM pg_roles WHERE rolname = :l"),
            {"l": quoted},
        ).one()
    assert member == (True, True)
    listed = run_cli("--db", demo_url, "access", "list", "--json")
    assert {"staff_id": worker, "login": quoted} in [
        {k: r[k] for k in ("staff_id", "login")} for r in json.loads(listed.stdout)
    ]
    # the login itself is now the actor: refused what only admins may do, as the worker
    as_login = run_cli("--db", _as_login(demo_url, quoted), "access", "list")
    assert as_login.exit_code == 3
    assert f"({worker}) may not see database logins" in as_login.stderr
    assert _audit(demo_engine, "refused")[-1][0] == worker
    # revoke: the link and the group membership go; the login now maps to nobody
    revoked = run_cli("--db", demo_url, "access", "revoke", worker)
    assert revoked.exit_code == 0, revoked.stderr
    with demo_engine.connect() as connection:
        assert not connection.execute(
            text("SELECT pg_has_role(:l, 'progression_user', 'MEMBER')"), {"l": quoted}
        ).scalar()
        assert connection.execute(text("SELECT login FROM worker WHERE staff_id = :s"), {"s": worker}).scalar() is None
    assert [a[1] for a in _audit(demo_engine, "grant login")] == [worker]
    assert [a[1] for a in _audit(demo_engine, "revoke login")] == [worker]


@PG_ONLY
def test_a_login_linked_to_nobody_reads_nothing_and_is_told_how_to_get_access(
    demo_url: str, demo_engine: Engine, logins: list[str]
) -> None:
    with demo_engine.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{logins[0]}" LOGIN'))
        connection.commit()
    result = run_cli("--db", _as_login(demo_url, logins[0]), "team")
    assert result.exit_code == 3
    assert f"ask an administrator to run `progression access grant STAFF_ID {logins[0]}`" in result.stderr
    assert result.stdout == ""


@PG_ONLY
def test_as_is_impersonation_for_the_owner_and_admins_only(
    demo_url: str, demo_engine: Engine, logins: list[str]
) -> None:
    worker = _non_admin(demo_engine)
    admin_login, worker_login = logins[0], logins[1]
    assert run_cli("--db", demo_url, "access", "grant", ADMIN, admin_login).exit_code == 0
    assert run_cli("--db", demo_url, "access", "grant", worker, worker_login).exit_code == 0
    # the owner (postgres) impersonates: allowed, recorded with the owner's login and the worker acted as
    assert run_cli("--db", demo_url, "--as", worker, "access", "list").exit_code == 3
    assert ("login:postgres", worker, {"as": worker, "login": "postgres"}) in _audit(demo_engine, "impersonate")
    # an admin's login may impersonate (the worker's rights then apply)
    by_admin = run_cli("--db", _as_login(demo_url, admin_login), "--as", worker, "access", "list")
    assert by_admin.exit_code == 3 and "may not see database logins" in by_admin.stderr
    assert (ADMIN, worker, {"as": worker, "login": admin_login}) in _audit(demo_engine, "impersonate")
    # a worker's login may not: refused, exit 3, recorded as the real worker
    refused = run_cli("--db", _as_login(demo_url, worker_login), "--as", ADMIN, "access", "list")
    assert refused.exit_code == 3
    assert f"may not act as {ADMIN} (--as)" in refused.stderr
    last = _audit(demo_engine, "refused")[-1]
    assert last[0] == worker and f"act as {ADMIN}" in str(last[2])
    assert not any(a[0] == worker for a in _audit(demo_engine, "impersonate"))
    # the owner with no --as acts as the system (an admin)
    listed = run_cli("--db", demo_url, "access", "list", "--json")
    assert listed.exit_code == 0
    assert sorted(r["login"] for r in json.loads(listed.stdout)) == sorted([admin_login, worker_login])


@PG_ONLY
def test_grant_refuses_bad_and_taken_logins_and_changes_nothing(
    demo_url: str, demo_engine: Engine, logins: list[str]
) -> None:
    worker = _non_admin(demo_engine)
    for bad in ("", " x", "pg_monitor", "progression_user", "a" * 64, "bad\x1bname"):
        result = run_cli("--db", demo_url, "access", "grant", worker, bad)
        assert result.exit_code == 2, (bad, result.stderr)
    assert run_cli("--db", demo_url, "access", "grant", ADMIN, logins[0]).exit_code == 0
    taken = run_cli("--db", demo_url, "access", "grant", worker, logins[0])
    assert taken.exit_code == 4 and f"already {ADMIN}'s" in taken.stderr
    owner = run_cli("--db", demo_url, "access", "grant", worker, "postgres")
    assert owner.exit_code == 4
    assert json.loads(run_cli("--db", demo_url, "access", "list", "--json").stdout) == [
        {
            "staff_id": ADMIN,
            "name": json.loads(run_cli("--db", demo_url, "access", "list", "--json").stdout)[0]["name"],
            "login": logins[0],
        }
    ]


def _csv(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "workers.csv"
    path.write_text("staff_id,name,role,role_since,manager,qualified_on,login\n" + rows, encoding="utf-8")
    return path


def test_an_import_with_logins_on_sqlite_stores_them_and_warns(
    demo_url: str, demo_engine: Engine, tmp_path: Path
) -> None:
    if BACKEND != "sqlite":
        pytest.skip("the SQLite warning")
    from progression.services.actor import local_admin
    from progression.services.importing import import_workers

    path = _csv(tmp_path, "N1,New Starter,nqsw,2026-11-02,E1001,2026-07-01,alice\n")
    result = import_workers(demo_engine, local_admin(), path, date(2026, 11, 24))
    assert result.created == 1
    assert any("only matter on PostgreSQL" in w for w in result.warnings)
    with demo_engine.connect() as connection:
        assert connection.execute(text("SELECT login FROM worker WHERE staff_id = 'N1'")).scalar() == "alice"
    again = _csv(tmp_path, "N2,Next Starter,nqsw,2026-11-02,E1001,2026-07-01,bob\n")
    shown = run_cli("--db", demo_url, "--today", "2026-11-24", "import", "workers", str(again))
    assert shown.exit_code == 0, shown.stderr
    assert "warning:" in shown.stderr and "only matter on PostgreSQL" in shown.stderr


def test_an_import_refuses_a_login_given_twice_or_already_taken(demo_engine: Engine, tmp_path: Path) -> None:
    from progression.errors import InputError
    from progression.services.actor import local_admin, owner_actor
    from progression.services.importing import import_workers

    actor = local_admin() if BACKEND == "sqlite" else owner_actor("postgres")
    twice = _csv(
        tmp_path,
        "N1,New Starter,nqsw,2026-11-02,E1001,2026-07-01,pl_same\nN2,Other,nqsw,2026-11-02,E1001,2026-07-01,pl_same\n",
    )
    with pytest.raises(InputError) as caught:
        import_workers(demo_engine, actor, twice, date(2026, 11, 24))
    assert "'pl_same' appears again (first on line 2)" in str(caught.value.problems)
    bad = _csv(tmp_path, "N1,New Starter,nqsw,2026-11-02,E1001,2026-07-01,pg_x\n")
    with pytest.raises(InputError):
        import_workers(demo_engine, actor, bad, date(2026, 11, 24))
    with demo_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM worker WHERE login IS NOT NULL")).scalar() == 0
        if BACKEND == "postgresql":
            assert connection.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = 'pl_same'")).scalar() == 0


@PG_ONLY
def test_an_import_with_logins_grants_them_in_its_one_transaction(
    demo_url: str, demo_engine: Engine, tmp_path: Path, logins: list[str]
) -> None:
    quoted = logins[2].replace('"', '""')
    path = _csv(
        tmp_path,
        f"N1,New Starter,nqsw,2026-11-02,E1001,2026-07-01,{logins[0]}\n"
        f'N2,Other,nqsw,2026-11-02,E1001,2026-07-01,"{quoted}"\n',
    )
    result = run_cli("--db", demo_url, "--today", "2026-11-24", "import", "workers", str(path))
    assert result.exit_code == 0, result.stderr
    with demo_engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT w.staff_id, pg_has_role(w.login, 'progression_user', 'MEMBER') FROM worker w "
                "WHERE w.login IS NOT NULL ORDER BY w.staff_id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [("N1", True), ("N2", True)]
    assert sorted(a[1] for a in _audit(demo_engine, "grant login")) == ["N1", "N2"]
    # the new login is the actor at once
    as_new = run_cli("--db", _as_login(demo_url, logins[2]), "access", "list")
    assert as_new.exit_code == 3 and "(N2) may not see database logins" in as_new.stderr


def test_the_database_owner_is_named_as_such_on_decisions_and_refusals() -> None:
    from progression.services.actor import local_admin, owner_actor

    owner = owner_actor("council_owner")
    assert owner.is_admin and owner.worker_id is None
    assert owner.decider_label == owner.label == "database owner (council_owner)"
    assert local_admin().label == "local administrator"
