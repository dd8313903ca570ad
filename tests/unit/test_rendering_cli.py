"""Names are data on the command line: markup, emoji codes and escape codes in names, staff ids, team names,
role titles and notes are printed literally; JSON is JSON; ids out of range are refused by name."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, update

from progression.db import make_engine
from progression.models import OtjEntry, ProgressionRequest, Role, Team, Worker
from tests.utils.cli import Run, run_cli

TODAY = "2026-11-24"
ADMIN = "E1001"
SUBJECT = "E1014"
"""A demo social worker in a team, with a line manager, a retention payment and a request."""
EVIL_ID = "M[/]2"
MARKUP = "Ann [/] Bee [link=https://evil]x[/link] [@click=app.quit]q[/] :smile: [bold]b"
ESCAPES = "\x1b[2J\x1b]8;;https://evil\x1b\\\x9b31m\x07"  # no NUL: PostgreSQL cannot hold one
EVIL_NAME = MARKUP + ESCAPES
SHOWN_NAME = MARKUP + "␛[2J␛]8;;https://evil␛\\\ufffd31m␇"
"""How the name must look: the markup literally, each control character as a visible stand-in."""
EVIL_TEAM = "North [/] =cmd|' /C calc'!A0"
EVIL_ROLE_SUFFIX = " [/] [red]"


@pytest.fixture
def evil_engine(demo_url: str) -> Iterator[Engine]:
    """The demo council after old data slipped through: a worker's name with markup and escape codes (inserted
    straight into the database, as imports now refuse control characters), a staff id with markup, a team
    name, role titles and a request note with markup."""
    engine = make_engine(demo_url)
    worker, team, role, request = (m.__table__ for m in (Worker, Team, Role, ProgressionRequest))  # type: ignore[attr-defined]
    with engine.begin() as connection:  # straight SQL: old data, from before the services refused it
        team_id = connection.execute(select(worker.c.team_id).where(worker.c.staff_id == SUBJECT)).scalar_one()
        assert team_id is not None
        connection.execute(update(worker).where(worker.c.staff_id == SUBJECT).values(name=EVIL_NAME, staff_id=EVIL_ID))
        connection.execute(update(team).where(team.c.id == team_id).values(name=EVIL_TEAM))
        connection.execute(update(role).values(title=role.c.title + EVIL_ROLE_SUFFIX))
        connection.execute(update(request).values(note="note [/] \x1b[31m"))
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide terminal, so that names are not wrapped across lines."""
    monkeypatch.setenv("COLUMNS", "500")


def run(engine: Engine, *args: str) -> Run:
    return run_cli("--db", engine.url.render_as_string(hide_password=False), "--today", TODAY, "--as", ADMIN, *args)


def assert_safe(result: Run) -> None:
    """Exit 0, and no control character other than a line break ever reaches the terminal."""
    assert result.exit_code == 0, result.stderr
    for text in (result.stdout, result.stderr):
        assert not [ch for ch in text if (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) < 0xA0]


@pytest.mark.parametrize(
    "args",
    [
        ("team",),
        ("learners", "--all"),
        ("payments", "--from", "2026-01-01", "--to", "2027-12-31"),
    ],
)
def test_lists_show_names_literally(evil_engine: Engine, args: tuple[str, ...]) -> None:
    result = run(evil_engine, *args)
    assert_safe(result)
    assert SHOWN_NAME in result.stdout
    assert EVIL_ID in result.stdout


def test_team_shows_role_titles_literally(evil_engine: Engine) -> None:
    result = run(evil_engine, "team")
    assert_safe(result)
    assert EVIL_ROLE_SUFFIX.strip() in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("next-steps", EVIL_ID),
        ("status", EVIL_ID),
        ("path", EVIL_ID, "team-manager"),
    ],
)
def test_worker_commands_take_and_show_a_staff_id_with_markup(evil_engine: Engine, args: tuple[str, ...]) -> None:
    result = run(evil_engine, *args)
    assert_safe(result)
    assert result.stdout.startswith(f"{EVIL_ID}:") or result.stdout.startswith(f"{EVIL_ID} (")


def test_next_steps_shows_role_titles_literally(evil_engine: Engine) -> None:
    result = run(evil_engine, "next-steps", EVIL_ID)
    assert_safe(result)
    assert f"{EVIL_ROLE_SUFFIX.strip()} (" in result.stdout


def test_request_list_and_workforce_report(evil_engine: Engine) -> None:
    listed = run(evil_engine, "request", "list")
    assert_safe(listed)
    assert EVIL_ID in listed.stdout
    report = run(evil_engine, "report", "workforce")
    assert_safe(report)
    assert f"Social worker (level 1){EVIL_ROLE_SUFFIX}" in report.stdout


def test_markdown_plan_export_shows_escape_codes_visibly(evil_engine: Engine) -> None:
    result = run(evil_engine, "export", "plan", EVIL_ID, "--format", "md")
    assert_safe(result)
    assert f"- Worker: {SHOWN_NAME} ({EVIL_ID})" in result.stdout


def test_calendar_export_has_no_escape_codes(evil_engine: Engine) -> None:
    result = run(evil_engine, "export", "plan", EVIL_ID, "--format", "ics")
    assert_safe(result)
    assert "␛[2J" in result.stdout


def test_json_keeps_the_name_exactly(evil_engine: Engine) -> None:
    result = run(evil_engine, "team", "--json")
    assert_safe(result)
    names = {m["staff_id"]: m["name"] for m in json.loads(result.stdout)}
    assert names[EVIL_ID] == EVIL_NAME


def test_learners_json_has_no_infinity(evil_engine: Engine) -> None:
    """Old data: off-the-job hours of 1e309 (infinite) verified before imports refused them."""
    entry = OtjEntry.__table__  # type: ignore[attr-defined]
    with evil_engine.begin() as connection:
        first = connection.execute(select(entry.c.id).where(entry.c.verified_on.is_not(None))).scalars().first()
        assert first is not None
        connection.execute(update(entry).where(entry.c.id == first).values(hours=float("inf")))
    result = run(evil_engine, "learners", "--json")
    assert_safe(result)
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout
    learners = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert any("otj_hours_verified" in learner and learner["otj_hours_verified"] is None for learner in learners)


@pytest.mark.parametrize("number", [str(2**31), str(2**63), "0"])
@pytest.mark.parametrize(
    "args",
    [
        ("request", "decide", "{}", "--outcome", "approve", "--reason", "fine"),
        ("request", "appeal", "{}", "--note", "again"),
        ("request", "submit", SUBJECT, "social-worker-2", "--evidence", "{}"),
    ],
)
def test_ids_out_of_range_exit_2_naming_the_argument(demo_url: str, args: tuple[str, ...], number: str) -> None:
    result = run_cli("--db", demo_url, "--today", TODAY, "--as", "E1001", *(a.replace("{}", number) for a in args))
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert ("'ID'" in result.stderr) or ("'--evidence'" in result.stderr)
    assert "2147483647" in result.stderr


def test_a_year_out_of_range_exits_2(demo_url: str) -> None:
    result = run_cli("--db", demo_url, "--as", "E1001", "benchmark", "--la", "Leeds", "--year", str(2**63))
    assert result.exit_code == 2
    assert "'--year'" in result.stderr
