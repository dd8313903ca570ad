"""Issue 9: a workers import never erases what its file does not mention, checks every value before writing
(the same on SQLite and PostgreSQL), refuses manager cycles, and says which fields it changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, select

import progression.models  # noqa: F401  (registers every table)
from progression.errors import InputError
from progression.models import AuditEntry, Enrolment, Programme, Team, Worker
from progression.services.actor import local_admin
from progression.services.importing import import_workers
from tests.utils.cli import run_cli

FULL = (
    "staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,access,completed,educator_stage\n"
    "A1,Ann Admin,team-manager,2020-01-01,2012-03-01,2010-06-01,North Child Protection,,ann@example.org,1,"
    "admin;manager;educator,,2\n"
    "W1,Wes Worker,social-worker-1,2024-09-01,2023-09-01,2023-08-01,North Child Protection,A1,wes@example.org,0.8,,"
    "asye:2024-09-01,\n"
    "W2,Wyn Worker,social-worker-1,2024-09-01,2023-09-01,2023-08-01,South Assessment,A1,wyn@example.org,1,,,\n"
)


def write(tmp_path: Path, text: str, name: str = "workers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table, as text: two equal snapshots mean nothing was written."""
    with engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(table.select()))
            for table in SQLModel.metadata.sorted_tables
        }


def refused(engine: Engine, path: Path) -> list[str]:
    """The problems of a refused import, checking it changed nothing."""
    before = snapshot(engine)
    with pytest.raises(InputError) as caught:
        import_workers(engine, local_admin(), path)
    assert snapshot(engine) == before
    return [str(p) for p in caught.value.problems]


def worker(engine: Engine, staff_id: str) -> dict[str, Any]:
    with Session(engine) as session:
        record = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one().model_dump()
        team = session.get(Team, record["team_id"]) if record["team_id"] else None
        manager = session.get(Worker, record["manager_id"]) if record["manager_id"] else None
        record["team"] = team.name if team else None
        record["manager"] = manager.staff_id if manager else None
        return record


KEPT = ("is_admin", "is_manager", "is_educator", "team", "qualified_on", "employed_since", "email", "fte", "manager")


def test_a_file_with_only_the_required_columns_keeps_an_administrators_rights_team_and_history(
    council_engine: Engine, tmp_path: Path
) -> None:
    import_workers(council_engine, local_admin(), write(tmp_path, FULL))
    before = {staff: worker(council_engine, staff) for staff in ("A1", "W1")}
    result = import_workers(
        council_engine,
        local_admin(),
        write(
            tmp_path,
            "staff_id,name,role,role_since\n"
            "A1,Ann Admin,head-of-service,2026-01-05\n"
            "W1,Wes Worker,social-worker-1,2024-09-01\n",
        ),
    )
    assert (
        result.summary("workers.csv") == "workers.csv: 0 workers added, 1 updated (role: 1, role_since: 1), 1 unchanged"
    )
    ann = worker(council_engine, "A1")
    assert {k: ann[k] for k in KEPT} == {k: before["A1"][k] for k in KEPT}
    assert (ann["is_admin"], ann["is_manager"], ann["is_educator"], ann["educator_stage"]) == (True, True, True, 2)
    assert ann["employed_since"] == date(2012, 3, 1) and ann["team"] == "North Child Protection"
    assert worker(council_engine, "W1") == before["W1"]
    with Session(council_engine) as session:  # the completion is kept too
        assert session.exec(select(Enrolment.completed_on).join(Programme).where(Programme.key == "asye")).all() == [
            date(2024, 9, 1)
        ]


def test_new_workers_get_the_documented_defaults(council_engine: Engine, tmp_path: Path) -> None:
    text = "staff_id,name,role,role_since\nN1,Nia,family-support-worker,2025-09-01\n"
    import_workers(council_engine, local_admin(), write(tmp_path, text))
    nia = worker(council_engine, "N1")
    assert (nia["employed_since"], nia["fte"], nia["qualified_on"], nia["team"], nia["manager"], nia["email"]) == (
        date(2025, 9, 1),
        1.0,
        None,
        None,
        None,
        None,
    )
    assert not (nia["is_admin"] or nia["is_manager"] or nia["is_educator"])


def test_an_empty_access_cell_keeps_rights_and_only_an_explicit_value_removes_them(
    council_engine: Engine, tmp_path: Path
) -> None:
    import_workers(council_engine, local_admin(), write(tmp_path, FULL))
    empty = "staff_id,name,role,role_since,access\nA1,Ann Admin,team-manager,2020-01-01,\n"
    assert import_workers(council_engine, local_admin(), write(tmp_path, empty)).unchanged == 1
    assert worker(council_engine, "A1")["is_admin"]
    explicit = "staff_id,name,role,role_since,access\nA1,Ann Admin,team-manager,2020-01-01,worker\n"
    result = import_workers(council_engine, local_admin(), write(tmp_path, explicit))
    assert result.summary("w.csv") == "w.csv: 0 workers added, 1 updated (access: 1), 0 unchanged"
    ann = worker(council_engine, "A1")
    assert not (ann["is_admin"] or ann["is_manager"] or ann["is_educator"])


def test_empty_cells_clear_team_email_manager_and_qualification_but_keep_service_fte_and_stage(
    council_engine: Engine, tmp_path: Path
) -> None:
    import_workers(council_engine, local_admin(), write(tmp_path, FULL))
    blanks = (
        "staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,educator_stage,area\n"
        "W1,Wes Worker,family-support-worker,2024-09-01,,,,,,,,\n"
        "A1,Ann Admin,team-manager,2020-01-01,,2010-06-01,,,,,,\n"
    )
    # Issue 10: a qualified social worker's post needs a qualification date, so only a worker in a post that
    # needs none (W1, now a family support worker) can have it cleared; A1 keeps hers.
    result = import_workers(council_engine, local_admin(), write(tmp_path, blanks))
    assert result.summary("workers.csv") == (
        "workers.csv: 0 workers added, 2 updated (role: 1, qualified_on: 1, team: 2, manager: 1, email: 2), 0 unchanged"
    )
    wes, ann = worker(council_engine, "W1"), worker(council_engine, "A1")
    assert (wes["qualified_on"], wes["team"], wes["manager"], wes["email"]) == (None, None, None, None)
    assert (wes["employed_since"], wes["fte"]) == (date(2023, 9, 1), 0.8)
    assert (ann["educator_stage"], ann["is_admin"], ann["employed_since"]) == (2, True, date(2012, 3, 1))
    with Session(council_engine) as session:  # the team itself is not removed
        assert session.exec(select(Team).where(Team.name == "North Child Protection")).first() is not None


def test_the_summary_counts_each_changed_field_and_the_audit_says_what_changed(
    council_engine: Engine, tmp_path: Path
) -> None:
    import_workers(council_engine, local_admin(), write(tmp_path, FULL))
    moved = (
        FULL.replace("W1,Wes Worker,social-worker-1,2024-09-01", "W1,Wes Worker,social-worker-2,2026-01-05")
        .replace("W2,Wyn Worker,social-worker-1,2024-09-01", "W2,Wyn Worker,social-worker-2,2026-01-05")
        .replace("2023-08-01,South Assessment", "2023-08-01,North Child Protection")
    )
    result = import_workers(council_engine, local_admin(), write(tmp_path, moved))
    assert result.summary("workers.csv") == (
        "workers.csv: 0 workers added, 2 updated (role: 2, role_since: 2, team: 1), 1 unchanged"
    )
    with Session(council_engine) as session:
        update = session.exec(select(AuditEntry).where(AuditEntry.action == "update")).all()[-1]
        assert update.entity_id == "W2"
        assert set(update.before) == {"role_id", "role_since", "team_id"}
        assert update.before["role_since"] == "2024-09-01" and update.after["role_since"] == "2026-01-05"


def test_a_role_start_before_the_kept_service_start_is_refused(council_engine: Engine, tmp_path: Path) -> None:
    import_workers(council_engine, local_admin(), write(tmp_path, FULL))
    earlier = write(tmp_path, "staff_id,name,role,role_since\nA1,Ann Admin,team-manager,2011-01-01\n")
    assert refused(council_engine, earlier) == [
        "workers.csv:2: role_since: 2011-01-01 is before A1's service began (2012-03-01); give employed_since too"
    ]


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("role_since", "9999-12-31", "role_since: 9999-12-31 is more than 10 years ahead"),
        ("role_since", "20240101", "role_since: '20240101' is not a date (use YYYY-MM-DD)"),
        ("role_since", "2024-W01-1", "role_since: '2024-W01-1' is not a date (use YYYY-MM-DD)"),
        ("role_since", "1899-12-31", "role_since: 1899-12-31 is before 1900-01-01"),
        ("employed_since", "20240101", "employed_since: '20240101' is not a date"),
        ("qualified_on", "9999-12-31", "qualified_on: 9999-12-31 is more than 10 years ahead"),
        ("completed", "asye:9999-12-31", "completed: asye: 9999-12-31 is more than 10 years ahead"),
        ("completed", "asye:20240101", "completed: 'asye:20240101' is not programme-key:YYYY-MM-DD"),
        ("name", "N" * 300, "name: is 300 characters long; at most 200 are allowed"),
        ("staff_id", "S" * 50, "staff_id: is 50 characters long; at most 40 are allowed"),
        ("team", "T" * 200, "team: is 200 characters long; at most 120 are allowed"),
        ("name", "Ann\x00Bee", "name: contains a control character"),
        ("team", "North\x1b[2J", "team: contains a control character"),
        ("email", "a@b.c\x00", "email: contains a control character"),
        ("manager", "M" * 50, "manager: is 50 characters long; at most 40 are allowed"),
        ("fte", "inf", "fte: 'inf' is not a number"),
        ("fte", "nan", "fte: 'nan' is not a number"),
        ("fte", "1e309", "fte: '1e309' is not a finite number"),
        ("fte", "0,5", "fte: '0,5' is not a number"),
        ("area", "A" * 121, "area: is 121 characters long; at most 120 are allowed"),
    ],
)
def test_bad_values_are_refused_before_anything_is_written(
    council_engine: Engine, tmp_path: Path, column: str, value: str, problem: str
) -> None:
    cells = {"staff_id": "V1", "name": "Val Value", "role": "nqsw", "role_since": "2025-09-01", "team": "East"}
    cells[column] = value
    header = ",".join(cells)
    path = write(tmp_path, header + "\n" + ",".join(f'"{v}"' for v in cells.values()) + "\n")
    found = refused(council_engine, path)
    assert len(found) == 1 and found[0].startswith(f"workers.csv:2: {problem}"), found


def test_a_bad_date_on_the_command_line_exits_2_naming_the_place(council_url: str, tmp_path: Path) -> None:
    path = write(tmp_path, "staff_id,name,role,role_since\nV1,Val,nqsw,9999-12-31\n")
    result = run_cli("--db", council_url, "import", "workers", str(path))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("workers.csv:2: role_since: 9999-12-31 is more than 10 years ahead")


def test_a_manager_cycle_in_the_file_is_refused_naming_the_line(council_engine: Engine, tmp_path: Path) -> None:
    text = (
        "staff_id,name,role,role_since,manager\n"
        "C1,Cy,family-support-worker,2025-01-01,C2\nC2,Di,family-support-worker,2025-01-01,C1\n"
    )
    assert refused(council_engine, write(tmp_path, text)) == [
        "workers.csv:2: manager: line management would go round in a circle: "
        "C1 is managed by C2 is managed by C1 (see also line 3)"
    ]


def test_a_longer_cycle_and_one_through_workers_already_held_are_refused(
    council_engine: Engine, tmp_path: Path
) -> None:
    longer = (
        "staff_id,name,role,role_since,manager\n"
        "C1,Cy,family-support-worker,2025-01-01,C2\nC2,Di,family-support-worker,2025-01-01,C3\n"
        "C3,Ed,family-support-worker,2025-01-01,C4\nC4,Fa,family-support-worker,2025-01-01,C1\n"
    )
    assert refused(council_engine, write(tmp_path, longer)) == [
        "workers.csv:2: manager: line management would go round in a circle: "
        "C1 is managed by C2 is managed by C3 is managed by C4 is managed by C1 (see also lines 3, 4, 5)"
    ]
    import_workers(council_engine, local_admin(), write(tmp_path, FULL))  # A1 manages W1 and W2
    through_held = "staff_id,name,role,role_since,manager\nA1,Ann Admin,team-manager,2020-01-01,W1\n"
    assert refused(council_engine, write(tmp_path, through_held)) == [
        "workers.csv:2: manager: line management would go round in a circle: A1 is managed by W1 is managed by A1"
    ]
    chain = (
        "staff_id,name,role,role_since,manager\n"
        "B1,Bo,family-support-worker,2025-01-01,W2\n"  # W2 is managed by A1 (held)
        "A1,Ann Admin,team-manager,2020-01-01,B1\n"
    )
    assert refused(council_engine, write(tmp_path, chain)) == [
        "workers.csv:2: manager: line management would go round in a circle: "
        "B1 is managed by W2 is managed by A1 is managed by B1 (see also line 3)"
    ]


def test_a_manager_change_that_is_not_a_cycle_is_accepted(council_engine: Engine, tmp_path: Path) -> None:
    import_workers(council_engine, local_admin(), write(tmp_path, FULL))
    swap = "staff_id,name,role,role_since,manager\nW2,Wyn Worker,social-worker-1,2024-09-01,W1\n"
    result = import_workers(council_engine, local_admin(), write(tmp_path, swap))
    assert result.summary("workers.csv") == "workers.csv: 0 workers added, 1 updated (manager: 1), 0 unchanged"
    assert worker(council_engine, "W2")["manager"] == "W1"


def test_one_team_given_two_areas_is_refused(council_engine: Engine, tmp_path: Path) -> None:
    text = (
        "staff_id,name,role,role_since,team,area\n"
        "C1,Cy,family-support-worker,2025-01-01,East,Coast\nC2,Di,family-support-worker,2025-01-01,East,Hills\n"
    )
    assert refused(council_engine, write(tmp_path, text)) == [
        "workers.csv:3: area: team 'East' is in area 'Coast' on line 2"
    ]


def test_a_refused_file_changes_nothing_in_a_populated_database(demo_engine: Engine, tmp_path: Path) -> None:
    with Session(demo_engine) as session:
        held = session.exec(select(Worker).where(Worker.manager_id.is_not(None))).first()  # type: ignore[union-attr]
        assert held is not None
    text = (
        "staff_id,name,role,role_since,team,access\n"
        f"{held.staff_id},Someone Else,nqsw,2025-01-01,A Brand New Team,admin\n"  # would update, add a team
        "Z1,Zed,family-support-worker,2025-01-01,Another New Team,\n"  # would add a worker
        "Z2,Zoe,nqsw,9999-12-31,,\n"  # refused
    )
    found = refused(demo_engine, write(tmp_path, text))  # `refused` compares every table before and after
    assert len(found) == 1 and found[0].startswith("workers.csv:4: role_since: 9999-12-31 is more than 10 years ahead")


def test_a_file_name_over_60_characters_imports_and_is_kept_whole_in_the_audit(
    council_engine: Engine, tmp_path: Path
) -> None:
    name = "workers-export-from-the-council-hr-system-" + "x" * 40 + ".csv"
    result = import_workers(council_engine, local_admin(), write(tmp_path, FULL, name=name))
    assert result.created == 3
    with Session(council_engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()[-1]
        assert entry.after["file"] == name
