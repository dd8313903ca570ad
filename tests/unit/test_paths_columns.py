"""The next-steps, path and payments tables at 80 columns (issue 10): staff ids, dates and amounts never wrap or
end in "…", long titles and names wrap instead; an empty result says so in words; plurals are right."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.models import Role, Worker
from tests.conftest import TODAY
from tests.utils.cli import run_cli

AS_ADMIN = ("--as", "E1001", "--today", TODAY.isoformat())
LONG_NAME = " ".join(["Bartholomew-Featherstonehaugh"] * 6)
"""A name far wider than its column (the column limit is 200 characters)."""


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


def staff_in(engine: Engine, role: str) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(Worker.staff_id).join(Role).where(Role.key == role).order_by(Worker.staff_id)))


def readable(text: str) -> list[str]:
    lines = text.splitlines()
    assert "…" not in text
    assert all(len(line.rstrip()) <= 80 for line in lines), [line for line in lines if len(line.rstrip()) > 80]
    return lines


def on_one_line(lines: list[str], *pieces: str) -> bool:
    """Whether some line holds every piece whole (so none of them wrapped)."""
    return any(all(re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", line) for p in pieces) for line in lines)


def test_payments_at_80_columns_keep_dates_ids_and_amounts_whole(demo_url: str, demo_engine: Engine) -> None:
    window = ("payments", "--from", "2025-01-01", "--to", "2028-12-31")
    due = json.loads(run_cli("--db", demo_url, *AS_ADMIN, *window, "--json").stdout)
    assert due
    with Session(demo_engine) as session:
        someone = session.exec(select(Worker).where(Worker.staff_id == due[0]["staff_id"])).one()
        someone.name = LONG_NAME
        session.add(someone)
        session.commit()
    result = run_cli("--db", demo_url, *AS_ADMIN, *window)
    assert result.exit_code == 0, result.stderr
    lines = readable(result.stdout)
    for payment in due:
        assert on_one_line(lines, payment["due_on"], payment["staff_id"], f"£{payment['amount']:,}"), payment
    assert "Bartholomew-Featherstonehaugh" in result.stdout  # the long name wraps, whole words kept
    count = len(due)
    assert f"{count} retention payments due, £{sum(p['amount'] for p in due):,} in all." in result.stdout


def test_payments_say_when_there_are_none_and_count_one_in_the_singular(demo_url: str) -> None:
    empty = run_cli("--db", demo_url, *AS_ADMIN, "payments", "--from", "2020-01-01", "--to", "2020-01-02")
    assert empty.exit_code == 0
    assert empty.stdout.strip() == "No retention payments fall due from 2020-01-01 to 2020-01-02."
    due = json.loads(
        run_cli("--db", demo_url, *AS_ADMIN, "payments", "--from", "2025-01-01", "--to", "2028-12-31", "--json").stdout
    )
    alone = next(p for p in due if [q["due_on"] for q in due].count(p["due_on"]) == 1)
    one = run_cli("--db", demo_url, *AS_ADMIN, "payments", "--from", alone["due_on"], "--to", alone["due_on"])
    assert f"1 retention payment due, £{alone['amount']:,} in all." in one.stdout


@pytest.mark.parametrize("role", ["family-support-worker", "nqsw", "social-worker-2", "senior-social-worker"])
def test_next_steps_at_80_columns_keep_each_requirement_and_date_whole(
    demo_url: str, demo_engine: Engine, role: str
) -> None:
    staff_id = staff_in(demo_engine, role)[0]
    data = json.loads(run_cli("--db", demo_url, *AS_ADMIN, "next-steps", staff_id, "--json").stdout)
    result = run_cli("--db", demo_url, *AS_ADMIN, "next-steps", staff_id)
    assert result.exit_code == 0, result.stderr
    lines = readable(result.stdout)
    assert lines[0].startswith(f"{staff_id}: next steps from ")
    for step in data["next_steps"]:
        for requirement in step["requirements"]:
            when = requirement["met_on"] or "no date"
            assert on_one_line(lines, requirement["kind"], when), requirement


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("family-support-worker", "senior-social-worker"),
        ("social-worker-2", "principal-social-worker"),
        ("social-worker-2", "head-of-service"),
        ("nqsw", "consultant-social-worker"),
    ],
)
def test_path_at_80_columns_keeps_each_date_whole(demo_url: str, demo_engine: Engine, role: str, target: str) -> None:
    staff_id = staff_in(demo_engine, role)[0]
    data = json.loads(run_cli("--db", demo_url, *AS_ADMIN, "path", staff_id, target, "--json").stdout)
    result = run_cli("--db", demo_url, *AS_ADMIN, "path", staff_id, target)
    assert result.exit_code == 0, result.stderr
    lines = readable(result.stdout)
    assert lines[0].startswith(f"{staff_id}: route from ")
    for number, step in enumerate(data["steps"], start=1):
        when = step["earliest_on"] or "no date"
        assert on_one_line(lines, str(number), step["decided_by"], when), step
    for number, other in enumerate(data["alternatives"], start=1):
        assert any(line.startswith(f"{number} ") and (other["earliest_on"] or "no date") in line for line in lines)
    if not data["alternatives"]:
        assert "No other route leads there." in result.stdout


def test_a_worker_already_in_the_role_is_told_so(demo_url: str, demo_engine: Engine) -> None:
    staff_id = staff_in(demo_engine, "nqsw")[0]
    result = run_cli("--db", demo_url, *AS_ADMIN, "path", staff_id, "nqsw")
    assert result.exit_code == 0 and result.stdout.strip() == f"{staff_id} already holds nqsw."
