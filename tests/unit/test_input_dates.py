"""Every date option accepts exactly YYYY-MM-DD in the sane range and names itself when it refuses; a `--today`
long before the reference data's rules works or names the option (issue 9)."""

from __future__ import annotations

import json

import pytest

from tests.utils.cli import run_cli

ADMIN = ("--as", "E1001")
"""The demo's head of service, an administrator (PostgreSQL needs `--as`)."""
BAD = ["20240101", "2024-W01-1", "2024-02-30", "1899-12-31", "2999-01-01", "2024-1-5", " "]


@pytest.mark.parametrize("value", BAD)
def test_today_refuses_anything_but_a_sane_iso_date(value: str) -> None:
    result = run_cli("--today", value, "team")
    assert result.exit_code == 2
    assert "'--today'" in result.stderr


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(
    "command",
    [
        ("status", "E1001", "--on"),
        ("next-steps", "E1001", "--on"),
        ("request", "decide", "1", "--outcome", "approve", "--reason", "x", "--effective"),
        ("payments", "--to", "2026-12-31", "--from"),
        ("payments", "--from", "2026-01-01", "--to"),
    ],
    ids=["status-on", "next-steps-on", "decide-effective", "payments-from", "payments-to"],
)
def test_every_date_option_refuses_naming_itself(demo_url: str, command: tuple[str, ...], value: str) -> None:
    result = run_cli("--db", demo_url, "--today", "2026-11-24", *command, value)
    assert result.exit_code == 2, result.stderr
    assert command[-1] in result.stderr
    assert "Traceback" not in result.stderr


def test_an_accepted_date_still_works(demo_url: str) -> None:
    result = run_cli(
        "--db",
        demo_url,
        "--as",
        "E1001",
        "--today",
        "2026-11-24",
        "next-steps",
        "E1001",
        "--on",
        "2026-01-05",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["on"] == "2026-01-05"


def test_a_today_in_1970_works_or_names_the_option(empty_url: str) -> None:
    """Before Social Work England's CPD rules (2019): demo, team, status and next-steps work; what needs a rule
    that no date in 1970 has (placements) says which option chose the date."""
    built = run_cli("--db", empty_url, "--today", "1970-01-01", "demo", "--workers", "12")
    assert built.exit_code == 0, built.stderr
    team = run_cli("--db", empty_url, *ADMIN, "--today", "1970-01-01", "team", "--json")
    assert team.exit_code == 0, team.stderr
    staff_id = json.loads(team.stdout)[0]["staff_id"]
    for command in (("status", staff_id), ("next-steps", staff_id), ("report", "workforce"), ("init",)):
        result = run_cli("--db", empty_url, *ADMIN, "--today", "1970-01-01", *command)
        assert result.exit_code == 0, (command, result.stderr)
    learners = run_cli("--db", empty_url, *ADMIN, "--today", "1970-01-01", "learners")
    assert learners.exit_code in (0, 2), learners.stderr
    if learners.exit_code == 2:
        assert "--today" in learners.stderr
    assert "Traceback" not in learners.stderr
