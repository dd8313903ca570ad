"""Importing workers from CSV and XLSX: all-or-nothing, with `FILE:LINE: column: problem` messages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from progression.errors import AccessDenied, InputError
from progression.models import AuditEntry, Enrolment, Programme, RoleHistory, Team, Worker
from progression.services.actor import local_admin, resolve_actor
from progression.services.importing import import_workers

HEADER = "staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,access,completed\n"
GOOD = HEADER + (
    "T2,Ada Worker,social-worker-1,2024-09-01,2023-09-01,2023-08-01,North Child Protection,T1,ada@example.org,0.8,,"
    "asye:2024-09-01\n"
    "T1,Bo Manager,team-manager,2020-01-01,2015-01-01,2010-06-01,North Child Protection,,bo@example.org,1,"
    "manager;educator,aspiring-managers:2019-10-01\n"
)


def write(tmp_path: Path, text: str, name: str = "workers.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def counts(engine: Engine) -> tuple[int, int, int, int]:
    with Session(engine) as session:
        return tuple(
            session.exec(select(func.count()).select_from(model)).one()  # type: ignore[return-value]
            for model in (Worker, Team, RoleHistory, Enrolment)
        )


def problems(engine: Engine, path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        import_workers(engine, local_admin(), path)
    return [str(p) for p in caught.value.problems]


def test_import_creates_workers_teams_managers_history_and_completions(council_engine: Engine, tmp_path: Path) -> None:
    result = import_workers(council_engine, local_admin(), write(tmp_path, GOOD))
    assert (result.created, result.updated, result.teams_created) == (2, 0, 1)
    with Session(council_engine) as session:
        ada = session.exec(select(Worker).where(Worker.staff_id == "T2")).one()
        bo = session.exec(select(Worker).where(Worker.staff_id == "T1")).one()
        assert ada.manager_id == bo.id  # the manager appears later in the same file
        assert (ada.fte, ada.qualified_on, ada.employed_since) == (0.8, date(2023, 8, 1), date(2023, 9, 1))
        assert bo.is_manager and bo.is_educator and not bo.is_admin
        history = session.exec(select(RoleHistory).where(RoleHistory.worker_id == ada.id)).all()
        assert [(h.started_on, h.ended_on) for h in history] == [(date(2024, 9, 1), None)]
        completed = session.exec(
            select(Programme.key, Enrolment.completed_on).join(Programme).where(Enrolment.worker_id == ada.id)
        ).all()
        assert completed == [("asye", date(2024, 9, 1))]


def test_importing_again_updates_in_place_and_records_the_role_change(council_engine: Engine, tmp_path: Path) -> None:
    import_workers(council_engine, local_admin(), write(tmp_path, GOOD))
    again = import_workers(council_engine, local_admin(), write(tmp_path, GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    promoted = GOOD.replace("T2,Ada Worker,social-worker-1,2024-09-01", "T2,Ada Worker,social-worker-2,2026-01-05")
    result = import_workers(council_engine, local_admin(), write(tmp_path, promoted))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    with Session(council_engine) as session:
        ada = session.exec(select(Worker).where(Worker.staff_id == "T2")).one()
        spells = session.exec(
            select(RoleHistory).where(RoleHistory.worker_id == ada.id).order_by(RoleHistory.started_on)
        ).all()
        assert [(s.started_on, s.ended_on) for s in spells] == [
            (date(2024, 9, 1), date(2026, 1, 5)),
            (date(2026, 1, 5), None),
        ]
        assert session.exec(select(Enrolment).where(Enrolment.worker_id == ada.id)).one().completed_on == date(
            2024, 9, 1
        )  # no duplicate completion
        updates = session.exec(select(AuditEntry).where(AuditEntry.action == "update")).all()
        assert updates[-1].before["role_since"] == "2024-09-01"


def test_a_bad_file_reports_every_problem_and_writes_nothing(council_engine: Engine, tmp_path: Path) -> None:
    before = counts(council_engine)
    bad = HEADER + (
        "B1,Bad One,wizard,2024-13-01,,,,ZZ,not-an-email,1.5,root,asye:yesterday\n"
        "B1,,nqsw,2024-01-01,2024-02-01,,,,,,,\n"
        "B3,Fine,nqsw,2024-01-01,,,,,,abc,,\n"
    )
    found = problems(council_engine, write(tmp_path, bad))
    assert found == [
        "workers.csv:2: role: unknown role 'wizard' (the authority file's roles: academy-student, "
        "advanced-social-worker, consultant-social-worker, family-support-worker, head-of-service, nqsw, "
        "practice-supervisor, principal-social-worker, senior-social-worker, service-manager, social-work-apprentice, "
        "social-worker-1, social-worker-2, team-manager)",
        "workers.csv:2: role_since: '2024-13-01' is not a real date",
        "workers.csv:2: email: 'not-an-email' is not an email address",
        "workers.csv:2: fte: 1.5 is outside 0 < fte ≤ 1",
        "workers.csv:2: access: unknown access 'root' (worker, educator, manager, admin)",
        "workers.csv:2: completed: 'asye:yesterday' is not programme-key:YYYY-MM-DD",
        "workers.csv:2: manager: no worker has staff id 'ZZ'",
        "workers.csv:3: name: required but empty",
        "workers.csv:3: employed_since: 2024-02-01 is after role_since 2024-01-01",
        "workers.csv:3: staff_id: 'B1' appears again (first on line 2)",
        "workers.csv:4: fte: 'abc' is not a number (use digits and a dot, such as 7.5)",
    ]
    assert counts(council_engine) == before


def test_one_bad_row_among_good_ones_writes_nothing(council_engine: Engine, tmp_path: Path) -> None:
    bad = GOOD + "T3,Cy Late,nqsw,2026-02-30,,,,,,,,\n"
    assert problems(council_engine, write(tmp_path, bad)) == [
        "workers.csv:4: role_since: '2026-02-30' is not a real date"
    ]
    assert counts(council_engine)[0] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("staff_id,name,role\nT1,A,nqsw\n", "workers.csv:1: missing required column 'role_since'"),
        ("staff_id,name,role,role_since,grade\n", "workers.csv:1: grade: unknown column"),
        ("staff_id,name,role,role_since,name\n", "workers.csv:1: name: column appears twice"),
        ("", "workers.csv: the file is empty: a header row is required"),
        ("staff_id,name,role,role_since\n", "workers.csv: no workers in the file"),
        ("staff_id,name,role,role_since\nT1,A,nqsw,2024-01-01,extra\n", "workers.csv:2: 5 cells but the header has 4"),
        ('staff_id,name,role,role_since\nT1,"A,nqsw,2024-01-01\n', "workers.csv:"),
    ],
)
def test_malformed_files(council_engine: Engine, tmp_path: Path, text: str, expected: str) -> None:
    found = problems(council_engine, write(tmp_path, text))
    assert any(p.startswith(expected) for p in found), found
    assert counts(council_engine)[0] == 0


def test_a_byte_order_mark_and_any_column_order_are_accepted(council_engine: Engine, tmp_path: Path) -> None:
    text = "role_since,role,name,staff_id\n2025-09-01,family-support-worker,Dee Newly,T9\n"
    import_workers(council_engine, local_admin(), write(tmp_path, text, encoding="utf-8-sig"))
    assert counts(council_engine)[0] == 1


def test_a_file_that_is_not_utf8_is_named(council_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "workers.csv"
    path.write_bytes(b"staff_id,name,role,role_since\nT1,Zo\xe9,nqsw,2025-01-01\n")
    assert problems(council_engine, path) == ["workers.csv:2: not UTF-8 text (save the file as CSV UTF-8)"]


def test_xlsx_with_real_date_cells(council_engine: Engine, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["staff_id", "name", "role", "role_since", "fte", "completed", "qualified_on"])
    sheet.append(["X1", "Ed Excel", "social-worker-1", date(2025, 3, 3), 1, "asye:2025-03-03", date(2024, 2, 1)])
    sheet.append([1002, "Fi Numeric", "nqsw", "2026-01-12", 0.5, None, date(2025, 7, 1)])
    path = tmp_path / "workers.xlsx"
    book.save(path)
    result = import_workers(council_engine, local_admin(), path)
    assert result.created == 2
    with Session(council_engine) as session:
        assert session.exec(select(Worker.role_since).where(Worker.staff_id == "X1")).one() == date(2025, 3, 3)
        assert session.exec(select(Worker.fte).where(Worker.staff_id == "1002")).one() == 0.5


def test_xlsx_errors_name_the_row(council_engine: Engine, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["staff_id", "name", "role", "role_since"])
    book.active.append(["X1", "Ed Excel", "nqsw", "soon"])
    path = tmp_path / "workers.xlsx"
    book.save(path)
    assert problems(council_engine, path) == ["workers.xlsx:2: role_since: 'soon' is not a date (use YYYY-MM-DD)"]


def test_a_file_that_is_not_a_workbook(council_engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "hello", name="workers.xlsx")
    assert problems(council_engine, path)[0].startswith("workers.xlsx: not a readable .xlsx workbook")


def test_only_an_administrator_may_import(council_engine: Engine, tmp_path: Path) -> None:
    import_workers(council_engine, local_admin(), write(tmp_path, GOOD))
    manager = resolve_actor(council_engine, "T1")
    with pytest.raises(AccessDenied):
        import_workers(council_engine, manager, write(tmp_path, GOOD))
