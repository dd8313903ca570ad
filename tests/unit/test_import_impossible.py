"""Imports refuse the impossible, naming the line (issue 10): dates after today, a role begun before the worker's
service, a qualified social worker's post without a qualification date, an enrolment that starts before the
learner was employed; a new team name is created with a warning naming it (`--new-teams`: quietly)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from progression.errors import InputError
from progression.models import Enrolment, Team, Worker
from progression.services.actor import local_admin
from progression.services.importing import import_workers, qualified_roles
from progression.services.learning import import_enrolments
from tests.utils.cli import run_cli

TODAY = date(2026, 11, 24)
HEADER = "staff_id,name,role,role_since,employed_since,qualified_on,team,completed\n"


def write(tmp_path: Path, text: str, name: str = "workers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(engine: Engine, path: Path) -> list[str]:
    with Session(engine) as session:
        before = session.exec(select(func.count()).select_from(Worker)).one()
    with pytest.raises(InputError) as caught:
        import_workers(engine, local_admin(), path, TODAY)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Worker)).one() == before
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "F1,Fay,social-worker-1,2026-12-01,2020-01-01,2019-07-01,,",
            "workers.csv:2: role_since: 2026-12-01 is after today (2026-11-24)",
        ),
        (
            "F1,Fay,family-support-worker,2026-11-30,2026-11-25,,,",
            "workers.csv:2: employed_since: 2026-11-25 is after today (2026-11-24)",
        ),
        (
            "F1,Fay,social-worker-1,2025-01-01,2024-01-01,2027-01-01,,",
            "workers.csv:2: qualified_on: 2027-01-01 is after today (2026-11-24)",
        ),
        (
            "F1,Fay,social-worker-1,2025-01-01,2024-01-01,2023-07-01,,asye:2027-01-05",
            "workers.csv:2: completed: asye: 2027-01-05 is after today (2026-11-24)",
        ),
    ],
)
def test_a_date_after_today_is_refused_naming_the_line(
    council_engine: Engine, tmp_path: Path, row: str, expected: str
) -> None:
    found = refused(council_engine, write(tmp_path, HEADER + row + "\n"))
    assert any(p.startswith(expected) for p in found), found


def test_the_command_takes_today_from_the_today_option(council_url: str, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "F1,Fay,social-worker-1,2025-06-01,2024-01-01,2023-07-01,,\n")
    early = run_cli("--db", council_url, "--today", "2025-05-01", "import", "workers", str(path))
    assert early.exit_code == 2
    assert "workers.csv:2: role_since: 2025-06-01 is after today (2025-05-01)" in early.stderr
    later = run_cli("--db", council_url, "--today", "2025-06-01", "import", "workers", str(path))
    assert later.exit_code == 0, later.stderr
    assert "1 worker added" in later.stdout


def test_a_role_begun_before_the_service_is_refused(council_engine: Engine, tmp_path: Path) -> None:
    found = refused(
        council_engine, write(tmp_path, HEADER + "F1,Fay,social-worker-1,2024-01-01,2024-02-01,2023-07-01,,\n")
    )
    assert found == ["workers.csv:2: employed_since: 2024-02-01 is after role_since 2024-01-01"]


def test_a_qualified_post_needs_a_qualification_date(council_engine: Engine, tmp_path: Path) -> None:
    text = (
        HEADER + "Q1,Quin,nqsw,2025-09-01,2025-09-01,,,\n"  # refused: no date
        "Q2,Rae,team-manager,2020-01-01,2015-01-01,,,\n"  # refused
        "Q3,Sam,family-support-worker,2024-01-01,2024-01-01,,,\n"  # fine: not a qualified post
        "Q4,Tam,social-work-apprentice,2024-01-01,2023-01-01,,,\n"  # fine
        "Q5,Uma,academy-student,2025-01-01,2025-01-01,,,\n"  # fine
    )
    assert refused(council_engine, write(tmp_path, text)) == [
        "workers.csv:2: qualified_on: required for nqsw, a qualified social worker's post "
        "(give the date of qualification)",
        "workers.csv:3: qualified_on: required for team-manager, a qualified social worker's post "
        "(give the date of qualification)",
    ]


def test_the_rule_for_qualified_posts_follows_the_pcf_level(council_engine: Engine) -> None:
    """A post whose PCF level is the ASYE or above needs a qualification date; the grow-your-own and academy
    posts do not (data/councils/demo.yaml)."""
    from progression.models import Role

    with Session(council_engine) as session:
        roles = {r.key: r for r in session.exec(select(Role))}
    assert qualified_roles(roles) == set(roles) - {"family-support-worker", "social-work-apprentice", "academy-student"}


def test_a_kept_qualification_date_satisfies_the_rule(council_engine: Engine, tmp_path: Path) -> None:
    import_workers(council_engine, local_admin(), write(tmp_path, HEADER + "Q1,Quin,nqsw,2025-09-01,,2025-07-01,,\n"))
    moved = write(tmp_path, "staff_id,name,role,role_since\nQ1,Quin,social-worker-1,2026-09-01\n", "moved.csv")
    assert import_workers(council_engine, local_admin(), moved, TODAY).updated == 1
    cleared = write(tmp_path, "staff_id,name,role,role_since,qualified_on\nQ1,Quin,social-worker-1,2026-09-01,\n")
    assert refused(council_engine, cleared) == [
        "workers.csv:2: qualified_on: required for social-worker-1, a qualified social worker's post "
        "(give the date of qualification)"
    ]


def test_an_enrolment_before_the_learner_was_employed_is_refused(council_engine: Engine, tmp_path: Path) -> None:
    import_workers(
        council_engine,
        local_admin(),
        write(tmp_path, HEADER + "L1,Lee,social-work-apprentice,2025-09-01,2024-09-01,,,\n"),
        TODAY,
    )
    text = (
        "staff_id,programme,start,planned_end\n"
        "L1,placement,2024-08-30,2026-04-30\n"  # before L1 was employed
        "L1,placement,2025-09-01,2025-08-01\n"  # ends before it starts
    )
    with pytest.raises(InputError) as caught:
        import_enrolments(council_engine, local_admin(), write(tmp_path, text, "enrolments.csv"))
    assert [str(p) for p in caught.value.problems] == [
        "enrolments.csv:2: start: 2024-08-30 is before L1 was employed (2024-09-01): an enrolment with the council "
        "starts on or after the learner's service began (a programme completed with an earlier employer goes in "
        "the workers file's `completed` column)",
        "enrolments.csv:3: planned_end: 2025-08-01 is not after the start 2025-09-01",
    ]
    with Session(council_engine) as session:
        assert session.exec(select(func.count()).select_from(Enrolment)).one() == 0
    fine = write(tmp_path, "staff_id,programme,start,planned_end\nL1,placement,2024-09-01,2026-04-30\n", "ok.csv")
    assert import_enrolments(council_engine, local_admin(), fine).created == 1


def test_a_programme_completed_before_joining_is_history(council_engine: Engine, tmp_path: Path) -> None:
    """A completion with an earlier employer is accepted from the workers file."""
    text = HEADER + "S1,Sol,social-worker-1,2025-01-01,2025-01-01,2022-07-01,,asye:2023-09-01\n"
    assert import_workers(council_engine, local_admin(), write(tmp_path, text), TODAY).created == 1


def test_a_new_team_is_created_with_a_warning_naming_it(council_url: str, tmp_path: Path) -> None:
    first = write(
        tmp_path,
        "staff_id,name,role,role_since,employed_since,qualified_on,team,access\n"
        "A1,Ann,team-manager,2020-01-01,2015-01-01,2010-06-01,North Child Protection,admin\n",
    )
    result = run_cli("--db", council_url, "--today", "2026-11-24", "import", "workers", str(first))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "workers.csv: 1 worker added, 0 updated, 0 unchanged, 1 team added"
    assert result.stderr == (
        "progression: warning: workers.csv:2: team: 'North Child Protection' is a new team and was created "
        "(check the spelling; --new-teams accepts new teams without this warning)\n"
    )
    typo = write(
        tmp_path,
        HEADER + "B1,Bo,social-worker-1,2024-01-01,2023-01-01,2022-07-01,North Child Protection,\n"
        "B2,Cy,social-worker-1,2024-01-01,2023-01-01,2022-07-01,North Child Protecton,\n"
        "B3,Di,social-worker-1,2024-01-01,2023-01-01,2022-07-01,North Child Protecton,\n",
    )
    result = run_cli("--db", council_url, "--as", "A1", "--today", "2026-11-24", "import", "workers", str(typo))
    assert result.exit_code == 0
    assert result.stderr.count("progression: warning") == 1
    assert "workers.csv:3: team: 'North Child Protecton' is a new team" in result.stderr
    assert "3 workers added" in result.stdout and "1 team added" in result.stdout


def test_new_teams_are_accepted_quietly_with_the_option(council_url: str, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "A1,Ann,team-manager,2020-01-01,2015-01-01,2010-06-01,East,\n"
        "A2,Bea,team-manager,2020-01-01,2015-01-01,2010-06-01,West,\n",
    )
    result = run_cli("--db", council_url, "--today", "2026-11-24", "import", "workers", "--new-teams", str(path))
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.strip() == "workers.csv: 2 workers added, 0 updated, 0 unchanged, 2 teams added"
    engine_url = council_url
    from progression.db import make_engine

    engine = make_engine(engine_url)
    try:
        with Session(engine) as session:
            assert set(session.exec(select(Team.name))) == {"East", "West"}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("command", "columns"),
    [
        (
            "workers",
            ("staff_id", "role_since", "employed_since", "qualified_on", "team", "completed", "educator_stage"),
        ),
        ("enrolments", ("staff_id", "programme", "version", "start", "planned_end", "otj_hours_required")),
        ("otj", ("staff_id", "programme", "date", "hours", "activity", "verified")),
        ("standards", ("reference", "version number", "name", "status", "typical duration")),
    ],
)
def test_every_import_help_lists_its_columns(command: str, columns: tuple[str, ...]) -> None:
    result = run_cli("import", command, "--help")
    assert result.exit_code == 0
    assert "required:" in result.stdout and "docs/imports.md" in result.stdout
    for column in columns:
        assert column in result.stdout, column
