"""The progression services and commands: next-steps, path and payments, on the demo council."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from progression.errors import AccessDenied, NotFound
from progression.models import Role, Worker
from progression.services.actor import local_admin, resolve_actor
from progression.services.progress import NoRoute, all_next_steps, next_steps, path, payments
from tests.conftest import TODAY
from tests.utils.cli import run_cli

AS_ADMIN = ("--as", "E1001")
"""The demo's head of service, an administrator (PostgreSQL needs an actor; SQLite would default to one)."""


def staff_in(engine: Engine, role: str) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(Worker.staff_id).join(Role).where(Role.key == role).order_by(Worker.staff_id)))


def test_next_steps_json_has_the_contract_shape(demo_url: str, demo_engine: Engine) -> None:
    staff_id = staff_in(demo_engine, "social-worker-2")[0]
    result = run_cli("--db", demo_url, *AS_ADMIN, "next-steps", staff_id, "--on", "2026-11-23", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data)[:4] == ["staff_id", "on", "role", "next_steps"]
    assert (data["staff_id"], data["on"], data["role"]) == (staff_id, "2026-11-23", "social-worker-2")
    assert [s["role"] for s in data["next_steps"]] == ["senior-social-worker", "practice-supervisor"]  # file order
    senior = data["next_steps"][0]
    assert {"role", "route", "decided_by", "ready", "ready_on", "requirements"} <= set(senior)
    assert senior["decided_by"] == "panel"
    assert [r["kind"] for r in senior["requirements"]] == [
        "months_in_role",
        "months_qualified",
        "evidence",
        "cpd_compliant",
    ]
    for requirement in senior["requirements"]:
        assert {"kind", "met", "met_on", "detail"} <= set(requirement)
    dates = [r["met_on"] for r in senior["requirements"]]
    assert senior["ready_on"] == (max(dates) if None not in dates else None)


def test_next_steps_table_without_json(demo_url: str, demo_engine: Engine) -> None:
    staff_id = staff_in(demo_engine, "nqsw")[0]
    result = run_cli("--db", demo_url, *AS_ADMIN, "--today", "2026-11-24", "next-steps", staff_id)
    assert result.exit_code == 0
    assert "Social worker (level 1)" in result.stdout
    assert "months_in_role" in result.stdout


def test_path_json_has_the_contract_shape(demo_url: str, demo_engine: Engine) -> None:
    staff_id = staff_in(demo_engine, "nqsw")[0]
    result = run_cli(
        "--db", demo_url, *AS_ADMIN, "--today", "2026-11-24", "path", staff_id, "senior-social-worker", "--json"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data)[:5] == ["staff_id", "from", "to", "steps", "earliest_on"]  # issue 10 adds fields after these
    steps = data["steps"]
    assert steps[0]["from"] == "nqsw" and steps[-1]["to"] == "senior-social-worker"
    assert all(a["to"] == b["from"] for a, b in zip(steps, steps[1:], strict=False))
    assert {"from", "to", "decided_by", "earliest_on"} <= set(data["steps"][0])
    assert data["earliest_on"] == data["steps"][-1]["earliest_on"]


def test_path_first_step_is_never_before_next_steps_ready_on(demo_engine: Engine) -> None:
    for staff_id in staff_in(demo_engine, "social-worker-1"):
        ready_on = next_steps(demo_engine, local_admin(), staff_id, TODAY).next_steps[0].ready_on
        first = path(demo_engine, local_admin(), staff_id, "social-worker-2", TODAY).steps[0].earliest_on
        if ready_on is not None:
            assert first == max(ready_on, TODAY)
        else:
            assert first is None


def test_payments_json_lists_retention_due_in_the_window(demo_url: str) -> None:
    result = run_cli("--db", demo_url, *AS_ADMIN, "payments", "--from", "2025-01-01", "--to", "2028-12-31", "--json")
    assert result.exit_code == 0, result.stderr
    due = json.loads(result.stdout)
    assert due, "the demo has level 1 social workers with payments due"
    assert all(set(p) == {"staff_id", "role", "kind", "amount", "due_on"} for p in due)
    assert all(p["kind"] == "retention" and p["amount"] == 2000 and p["role"] == "social-worker-1" for p in due)
    assert due == sorted(due, key=lambda p: (p["due_on"], p["staff_id"]))
    first = due[0]["due_on"]
    exact = run_cli("--db", demo_url, *AS_ADMIN, "payments", "--from", first, "--to", first, "--json")
    assert due[0] in json.loads(exact.stdout)  # the window is inclusive


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("next-steps", "NOBODY"), 1, "No worker has staff id 'NOBODY'."),
        (("next-steps", "E1001", "--on", "2026-02-30"), 2, "'2026-02-30' is not a real date"),
        (("path", "E1001", "wizard"), 1, "No role 'wizard' in this council"),
        (("payments", "--from", "2026-13-01", "--to", "2027-01-01"), 2, "--from: '2026-13-01' is not a real date"),
        (("payments", "--from", "2027-01-01", "--to", "2026-01-01"), 2, "--to: 2026-01-01 is before --from"),
    ],
)
def test_bad_input_gives_one_clear_message(demo_url: str, args: tuple[str, ...], code: int, message: str) -> None:
    result = run_cli("--db", demo_url, *AS_ADMIN, *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_no_route_exits_1(demo_engine: Engine, demo_url: str) -> None:
    head = staff_in(demo_engine, "head-of-service")[0]
    with pytest.raises(NoRoute):
        path(demo_engine, local_admin(), head, "nqsw", TODAY)
    result = run_cli("--db", demo_url, *AS_ADMIN, "path", head, "nqsw")
    assert result.exit_code == 1
    assert "No route leads from Head of service to Newly qualified social worker" in result.stderr


def test_a_worker_sees_only_their_own_progression(demo_engine: Engine) -> None:
    staff = staff_in(demo_engine, "social-worker-1")
    worker = resolve_actor(demo_engine, staff[0])
    assert next_steps(demo_engine, worker, staff[0], TODAY).staff_id == staff[0]
    with pytest.raises(AccessDenied):
        next_steps(demo_engine, worker, staff[1], TODAY)
    assert {w.staff_id for w, _ in all_next_steps(demo_engine, worker, TODAY)} == {staff[0]}
    assert all(p.staff_id == staff[0] for p in payments(demo_engine, worker, date(2020, 1, 1), date(2030, 1, 1)))


def test_a_manager_sees_direct_and_indirect_reports(demo_engine: Engine) -> None:
    head = resolve_actor(demo_engine, "E1001")  # the demo's head of service manages everyone, through others
    seen = {w.staff_id for w, _ in all_next_steps(demo_engine, head, TODAY)}
    assert len(seen) == 60


def test_every_workers_next_steps_in_a_handful_of_queries(demo_engine: Engine) -> None:
    statements: list[str] = []
    event.listen(demo_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    results = all_next_steps(demo_engine, local_admin(), TODAY)
    assert len(results) == 60
    assert len(statements) <= 10, statements


def test_unknown_worker_raises_not_found(demo_engine: Engine) -> None:
    with pytest.raises(NotFound):
        next_steps(demo_engine, local_admin(), "E9999", TODAY)


def test_status_of_a_newly_qualified_worker(demo_url: str, demo_engine: Engine) -> None:
    """DOMAIN.md §3/§8: a newly qualified worker is on the ASYE schedule and has first-year reviews."""
    staff_id = staff_in(demo_engine, "nqsw")[0]
    result = run_cli("--db", demo_url, *AS_ADMIN, "status", staff_id, "--on", "2026-11-24", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["supervision"]["schedule"] == "asye"
    assert data["cpd"]["year_start"] == "2025-12-01" and data["cpd"]["year_end"] == "2026-11-30"
    assert data["cpd"]["days_left"] == 6
    assert data["first_year"]["programme"] == "asye"
    assert [r["title"] for r in data["first_year"]["reviews"]][0] == "3-month review"


def test_status_of_a_level_1_social_worker_carries_the_retention_payment(demo_engine: Engine) -> None:
    from progression.services.status import worker_status

    staff_id = staff_in(demo_engine, "social-worker-1")[0]
    status = worker_status(demo_engine, local_admin(), staff_id, TODAY)
    assert status.supervision.schedule == "standard"
    assert status.first_year is None
    assert status.retention_amount == 2000 and status.retention_due_on is not None
    assert status.market_supplement is None
