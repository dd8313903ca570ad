"""The command line: exit codes, messages on standard error, and nothing written on error."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import Session, select

from progression.db import head_revision, make_engine
from progression.models import AuditEntry, Worker
from tests.conftest import BACKEND
from tests.utils.cli import run_cli


def test_init_creates_then_reports_up_to_date(empty_url: str) -> None:
    first = run_cli("--db", empty_url, "init", "--authority", "data/councils/demo.yaml")
    assert first.exit_code == 0, first.stderr
    assert f"schema: empty → {head_revision()}" in first.stdout
    assert "council: Fernbridge Metropolitan Borough Council (4 routes, 14 roles, 17 transitions)" in first.stdout
    again = run_cli("--db", empty_url, "init")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[:2] == [f"schema: up to date ({head_revision()})", "reference data: up to date"]


def test_a_bad_authority_file_writes_nothing(empty_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "council.yaml"
    bad.write_text(
        "name: X\nroutes:\n  practice: {title: P, kind: practice}\nroles:\n  a: {title: A, route: nowhere}\n",
        encoding="utf-8",
    )
    result = run_cli("--db", empty_url, "init", "--authority", str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "council.yaml:5: roles.a.route: unknown route 'nowhere' (routes: practice)"
    assert "nothing was written" in result.stderr
    engine = make_engine(empty_url)
    assert inspect(engine).get_table_names() == []
    engine.dispose()


def test_demo_then_import_workers(council_url: str, tmp_path: Path) -> None:
    result = run_cli("--db", council_url, "--today", "2026-11-24", "demo", "--workers", "25", "--seed", "3")
    assert result.exit_code == 0, result.stderr
    assert "25 workers" in result.stdout
    csv = tmp_path / "more.csv"
    csv.write_text(
        "staff_id,name,role,role_since,manager,qualified_on\nN1,New Starter,nqsw,2026-11-02,E1001,2026-07-01\n",
        encoding="utf-8",
    )
    admin = ("--as", "E1001")  # the demo's head of service is an administrator
    result = run_cli("--db", council_url, *admin, "import", "workers", str(csv))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "more.csv: 1 worker added, 0 updated, 0 unchanged"


def test_import_errors_use_the_file_line_column_form(council_url: str, tmp_path: Path) -> None:
    csv = tmp_path / "workers.csv"
    csv.write_text("staff_id,name,role,role_since\nA1,Al,nqsw,31/01/2026\n", encoding="utf-8")
    result = run_cli("--db", council_url, "import", "workers", str(csv))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "workers.csv:2: role_since: '31/01/2026' is not a date (use YYYY-MM-DD)",
        "progression: 1 problem found; nothing was written.",
    ]
    assert result.stdout == ""


def test_a_refused_action_exits_3_and_is_audited(demo_url: str, tmp_path: Path) -> None:
    csv = tmp_path / "workers.csv"
    csv.write_text("staff_id,name,role,role_since\nA1,Al,nqsw,2026-01-05\n", encoding="utf-8")
    engine = make_engine(demo_url)
    with Session(engine) as session:
        worker = session.exec(select(Worker).where(~Worker.is_admin, ~Worker.is_manager)).first()
    result = run_cli("--db", demo_url, "--as", worker.staff_id, "import", "workers", str(csv))
    assert result.exit_code == 3
    assert "may not import workers" in result.stderr
    with Session(engine) as session:
        refused = session.exec(select(AuditEntry).where(AuditEntry.outcome == "refused")).all()
        assert [(e.actor, e.after["refused"]) for e in refused] == [
            (worker.staff_id, result.stderr.split(": ", 1)[1].strip())
        ]
    engine.dispose()


def test_an_unknown_actor(demo_url: str) -> None:
    result = run_cli("--db", demo_url, "--as", "NOBODY", "import", "workers", "x.csv")
    assert result.exit_code == 1
    assert result.stderr.strip() == "progression: --as: no worker has staff id 'NOBODY'."


def test_an_unreachable_database_is_one_sentence() -> None:
    result = run_cli("--db", "postgresql+psycopg://nobody@127.0.0.1:1/nowhere", "init")
    assert result.exit_code == 5
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("progression: Cannot open the database")
    assert "Traceback" not in result.stderr


def test_a_database_path_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("--db", str(blocker / "sub" / "p.db"), "init")
    assert result.exit_code == 5
    assert result.stderr.startswith("progression: Cannot open the database")


def test_commands_need_an_initialised_database(empty_url: str, tmp_path: Path) -> None:
    result = run_cli("--db", empty_url, "import", "workers", str(tmp_path / "x.csv"))
    # a SQLite file that does not exist is not created (exit 5); an empty PostgreSQL database needs init (exit 1)
    assert result.exit_code == (5 if BACKEND == "sqlite" else 1)
    assert "progression init" in result.stderr


def test_the_ui_needs_a_council(empty_url: str) -> None:
    run_cli("--db", empty_url, "init")
    result = run_cli("--db", empty_url)
    assert result.exit_code == 1
    assert "No council is loaded" in result.stderr


def test_a_bad_today_is_named() -> None:
    result = run_cli("--today", "tomorrow", "init")
    assert result.exit_code == 2
    assert "'tomorrow' is not a date" in result.stderr


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL needs an actor; SQLite has a local administrator")
def test_postgresql_requires_an_actor_once_there_are_workers(demo_url: str, tmp_path: Path) -> None:
    """Issue 11: the actor is the database login; the owner (postgres here) acts as the system without --as, and a
    login linked to no worker is refused with how to get access (tests/unit/test_logins.py)."""
    result = run_cli("--db", demo_url, "import", "workers", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_the_default_database_lives_in_the_user_data_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    from progression.config import Settings, database_url
    from progression.locations import default_database_path

    assert database_url(None, Settings()) == f"sqlite:///{default_database_path()}"
    monkeypatch.setenv("PROGRESSION_DATABASE_URL", "postgresql://u@h/db")
    assert database_url(None, Settings()) == "postgresql+psycopg://u@h/db"
    assert database_url("team.db", Settings()).endswith("/team.db")
