"""Issue 9: the enrolments, off-the-job and standards imports check every value before writing (the same on
SQLite and PostgreSQL), keep what their files do not mention, refuse the same row twice, change nothing when
refused, and take a long file name."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.errors import InputError
from progression.models import ApprenticeshipStandard, AuditEntry, Enrolment, Worker
from progression.services.actor import local_admin
from progression.services.learning import import_enrolments, import_otj
from progression.services.standards import import_standards
from tests.conftest import TODAY
from tests.unit.test_import_safety import snapshot
from tests.utils.cli import run_cli

ENROLMENT_HEADER = "staff_id,programme,version,start,planned_end,educator,contracted_hours,otj_hours_required\n"
OTJ_HEADER = "staff_id,programme,date,hours,activity,verified\n"
STANDARDS_HEADER = "Reference,Version Number,Name,Status,Level,Typical Duration,Maximum Funding (£)\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(engine: Engine, run: Callable[[], object]) -> list[str]:
    """The problems of a refused import, checking it changed nothing in any table."""
    before = snapshot(engine)
    with pytest.raises(InputError) as caught:
        run()
    assert snapshot(engine) == before
    return [str(p) for p in caught.value.problems]


def enrolments(engine: Engine, path: Path) -> Callable[[], object]:
    return lambda: import_enrolments(engine, local_admin(), path)


def otj(engine: Engine, path: Path) -> Callable[[], object]:
    return lambda: import_otj(engine, local_admin(), path, TODAY)


def apprentice(engine: Engine) -> tuple[str, date]:
    """An active apprentice of the demo council and their start."""
    with Session(engine) as session:
        row = session.exec(
            select(Worker.staff_id, Enrolment.start_on)
            .join(Enrolment, Enrolment.worker_id == Worker.id)  # type: ignore[arg-type]
            .where(Enrolment.status == "active", Enrolment.standard_id.is_not(None))  # type: ignore[union-attr]
        ).first()
    assert row is not None and row[1] is not None
    return row[0], row[1]


def enrolment(engine: Engine, start: date) -> Enrolment:
    with Session(engine) as session:
        return session.exec(select(Enrolment).where(Enrolment.start_on == start)).one()


# Enrolments


def test_optional_enrolment_columns_absent_from_the_file_keep_their_values(demo_engine: Engine, tmp_path: Path) -> None:
    full = ENROLMENT_HEADER + "E1002,ST0510,1.1,2026-09-07,2029-12-07,E1001,30,700\n"
    assert import_enrolments(demo_engine, local_admin(), write(tmp_path, "e.csv", full)).created == 1
    made = enrolment(demo_engine, date(2026, 9, 7))
    short = "staff_id,programme,version,start\nE1002,ST0510,1.1,2026-09-07\n"
    result = import_enrolments(demo_engine, local_admin(), write(tmp_path, "e.csv", short))
    assert result.summary("e.csv", "enrolments") == "e.csv: 0 enrolments added, 0 updated, 1 unchanged"
    kept = enrolment(demo_engine, date(2026, 9, 7))
    assert (kept.planned_end_on, kept.educator_id, kept.contracted_hours, kept.otj_hours_required) == (
        date(2029, 12, 7),
        made.educator_id,
        30,
        700,
    )


def test_empty_enrolment_cells_clear_the_educator_and_stated_hours_and_keep_the_rest(
    demo_engine: Engine, tmp_path: Path
) -> None:
    full = ENROLMENT_HEADER + "E1002,ST0510,1.1,2026-09-07,2029-12-07,E1001,30,700\n"
    import_enrolments(demo_engine, local_admin(), write(tmp_path, "e.csv", full))
    blanks = ENROLMENT_HEADER + "E1002,ST0510,1.1,2026-09-07,,,,\n"
    result = import_enrolments(demo_engine, local_admin(), write(tmp_path, "e.csv", blanks))
    assert result.summary("e.csv", "enrolments") == (
        "e.csv: 0 enrolments added, 1 updated (educator: 1, otj_hours_required: 1), 0 unchanged"
    )
    kept = enrolment(demo_engine, date(2026, 9, 7))
    assert (kept.planned_end_on, kept.educator_id, kept.contracted_hours, kept.otj_hours_required) == (
        date(2029, 12, 7),
        None,
        30,
        None,
    )


def test_the_same_enrolment_twice_in_a_file_is_refused_naming_both_lines(demo_engine: Engine, tmp_path: Path) -> None:
    twice = (
        ENROLMENT_HEADER
        + "E1002,ST0510,1.1,2026-09-07,,,37,\nE1002,asye,,2026-09-07,,,,\nE1002,ST0510,1.1,2026-09-07,,,37,\n"
    )
    assert refused(demo_engine, enrolments(demo_engine, write(tmp_path, "enrolments.csv", twice))) == [
        "enrolments.csv:4: start: the same enrolment as line 2 (E1002 on ST0510 from 2026-09-07): "
        "give each enrolment once"
    ]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("E1002,ST0510,1.1,2026-09-07,,,inf,", "contracted_hours: 'inf' is not a number"),
        ("E1002,ST0510,1.1,2026-09-07,,,nan,", "contracted_hours: 'nan' is not a number"),
        ("E1002,ST0510,1.1,2026-09-07,,,1e309,", "contracted_hours: '1e309' is not a finite number"),
        ("E1002,ST0510,1.1,2026-09-07,,,61,", "contracted_hours: 61 is not a number of hours a week (0 to 60)"),
        ('E1002,ST0510,1.1,2026-09-07,,,"37,5",', "contracted_hours: '37,5' is not a number"),
        ("E1002,ST0510,1.1,2026-09-07,,,37,inf", "otj_hours_required: 'inf' is not a number"),
        ("E1002,ST0510,1.1,2026-09-07,,,37,1e309", "otj_hours_required: '1e309' is not a finite number"),
        ("E1002,ST0510,1.1,2026-09-07,,,37,0", "otj_hours_required: 0 is not a number of hours (0 to 10,000)"),
        ("E1002,ST0510,1.1,2026-09-07,,,37,100000", "otj_hours_required: 100000 is not a number of hours"),
        ("E1002,ST0510,1.1,20260907,,,37,", "start: '20260907' is not a date (use YYYY-MM-DD)"),
        ("E1002,ST0510,1.1,2026-W36-1,,,37,", "start: '2026-W36-1' is not a date (use YYYY-MM-DD)"),
        ("E1002,ST0510,1.1,2026-09-07,9999-12-31,,37,", "planned_end: 9999-12-31 is more than 10 years ahead"),
        (f"{'S' * 50},asye,,2026-09-07,,,,", "staff_id: is 50 characters long; at most 40 are allowed"),
        ("E1002,asy\x00e,,2026-09-07,,,,", "programme: contains a control character"),
        ("E1002,asye,,2026-09-07,,E10\x1b01,,", "educator: contains a control character"),
        (f"E1002,ST0510,{'9' * 30},2026-09-07,,,37,", "version: is 30 characters long; at most 20 are allowed"),
    ],
)
def test_bad_enrolment_values_are_refused_and_nothing_is_written(
    demo_engine: Engine, tmp_path: Path, row: str, problem: str
) -> None:
    found = refused(demo_engine, enrolments(demo_engine, write(tmp_path, "enrolments.csv", ENROLMENT_HEADER + row)))
    assert len(found) == 1 and found[0].startswith(f"enrolments.csv:2: {problem}"), found


def test_a_refused_enrolments_file_changes_nothing_even_with_good_rows(demo_engine: Engine, tmp_path: Path) -> None:
    text = (
        ENROLMENT_HEADER + "E1002,ST0510,1.1,2026-09-07,,E1001,37,\n"  # would be added
        "E1003,asye,,2026-09-07,,,,\n"  # would be added
        "E1002,ST0510,1.1,2026-10-07,,,inf,\n"
    )
    assert refused(demo_engine, enrolments(demo_engine, write(tmp_path, "enrolments.csv", text)))[0].startswith(
        "enrolments.csv:4: contracted_hours:"
    )


def test_learners_json_stays_json_after_every_number_is_checked(demo_url: str, tmp_path: Path) -> None:
    path = write(tmp_path, "enrolments.csv", ENROLMENT_HEADER + "E1002,ST0510,1.1,2026-09-07,,,1e309,1e309\n")
    refused_run = run_cli("--db", demo_url, "--as", "E1001", "import", "enrolments", str(path))
    assert refused_run.exit_code == 2 and refused_run.stderr.startswith("enrolments.csv:2: contracted_hours:")
    shown = run_cli("--db", demo_url, "--as", "E1001", "--today", TODAY.isoformat(), "learners", "--json")
    assert shown.exit_code == 0, shown.stderr
    json.loads(shown.stdout, parse_constant=lambda name: pytest.fail(f"{name} in learners --json"))


# Off-the-job hours


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ("2026-11-20,inf,Reading,no", "hours: 'inf' is not a number"),
        ("2026-11-20,nan,Reading,no", "hours: 'nan' is not a number"),
        ("2026-11-20,1e309,Reading,no", "hours: '1e309' is not a finite number"),
        ("2026-11-20,-1,Reading,no", "hours: -1 hours is not between 0 and 24 in a day"),
        ("2026-11-20,0,Reading,no", "hours: 0 hours is not between 0 and 24 in a day"),
        ("2026-11-20,24.5,Reading,no", "hours: 24.5 hours is not between 0 and 24 in a day"),
        ('2026-11-20,"1,5",Reading,no', "hours: '1,5' is not a number"),
        ("2026-11-20,,Reading,no", "hours: required but empty"),
        ("20261120,3,Reading,no", "date: '20261120' is not a date (use YYYY-MM-DD)"),
        ("2026-W47-5,3,Reading,no", "date: '2026-W47-5' is not a date (use YYYY-MM-DD)"),
        ("2026-11-20,3,Read\x00ing,no", "activity: contains a control character"),
        ("2026-11-20,3,Reading,y\x1bes", "verified: contains a control character"),
    ],
)
def test_bad_off_the_job_values_are_refused_and_nothing_is_written(
    demo_engine: Engine, tmp_path: Path, cells: str, problem: str
) -> None:
    staff, _ = apprentice(demo_engine)
    path = write(tmp_path, "otj.csv", OTJ_HEADER + f"{staff},ST0510,{cells}\n")
    found = refused(demo_engine, otj(demo_engine, path))
    assert len(found) == 1 and found[0].startswith(f"otj.csv:2: {problem}"), found


def test_the_same_off_the_job_entry_twice_in_a_file_is_refused_naming_both_lines(
    demo_engine: Engine, tmp_path: Path
) -> None:
    staff, _ = apprentice(demo_engine)
    text = (
        OTJ_HEADER
        + f"{staff},ST0510,2026-11-20,3,Reading,no\n{staff},ST0510,2026-11-20,2,Reading,no\n"
        + (f"{staff},ST0510,2026-11-20,3,Reading,yes\n")
    )
    assert refused(demo_engine, otj(demo_engine, write(tmp_path, "otj.csv", text))) == [
        "otj.csv:4: hours: the same entry as line 2 (3 hours of 'Reading' on 2026-11-20): "
        "give each entry once, or one entry with the hours added up"
    ]


def test_importing_the_same_long_days_again_is_not_counted_twice(demo_engine: Engine, tmp_path: Path) -> None:
    staff, _ = apprentice(demo_engine)
    path = write(tmp_path, "otj.csv", OTJ_HEADER + f"{staff},ST0510,2026-11-19,15,Residential course,yes\n")
    assert import_otj(demo_engine, local_admin(), path, TODAY).created == 1
    again = import_otj(demo_engine, local_admin(), path, TODAY)
    assert (again.created, again.unchanged) == (0, 1)


# Standards


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ("Approved for delivery,1e30,36,24000", "level: '1e30' is not a number"),
        ("Approved for delivery,-1,36,24000", "level: -1 is outside 2–8"),
        ("Approved for delivery,9,36,24000", "level: 9 is outside 2–8"),
        ("Approved for delivery,inf,36,24000", "level: 'inf' is not a number"),
        ('Approved for delivery,6,"1,5",24000', "typical duration: '1,5' is not a number"),
        ("Approved for delivery,6,1e309,24000", "typical duration: '1e309' is not a number"),
        ("Approved for delivery,6,-3,24000", "typical duration: -3 is outside 0–120"),
        ("Approved for delivery,6,36,inf", "maximum funding (£): 'inf' is not a number"),
        ("Approved for delivery,6,36,nan", "maximum funding (£): 'nan' is not a number"),
        ("Approved for delivery,6,36,1e309", "maximum funding (£): '1e309' is not a finite number"),
        ('Approved for delivery,6,36,"1,5"', "maximum funding (£): '1,5' is not a number"),
        ("Approved for delivery,6,36,24000.5", "maximum funding (£): '24000.5' is not a whole number of pounds"),
        (f"{'S' * 61},6,36,24000", "status: is 61 characters long; at most 60 are allowed"),
        ("Approved\x00,6,36,24000", "status: contains a control character"),
    ],
)
def test_bad_standard_values_are_refused_and_nothing_is_written(
    council_engine: Engine, tmp_path: Path, cells: str, problem: str
) -> None:
    path = write(tmp_path, "export.csv", STANDARDS_HEADER + f"ST0510,1.1,Social worker,{cells}\n")
    found = refused(council_engine, lambda: import_standards(council_engine, local_admin(), path))
    assert len(found) == 1 and found[0].startswith(f"export.csv:2: {problem}"), found


def test_standard_dates_outside_the_accepted_range_are_refused(council_engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "export.csv",
        "Reference,Version Number,Name,Status,Approved for Delivery Date\n"
        "ST0510,1.1,Social worker,Approved for delivery,31-12-9999\n"
        "ST0511,1.0,Other,Approved for delivery,20181130\n",
    )
    found = refused(council_engine, lambda: import_standards(council_engine, local_admin(), path))
    assert found[0].startswith("export.csv:2: approved for delivery date: 9999-12-31 is more than 10 years ahead")
    assert found[1] == "export.csv:3: approved for delivery date: '20181130' is not a date (DD-MM-YYYY)"


def test_funding_with_a_pound_sign_and_thousands_separators_reads_as_pounds(
    council_engine: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path, "export.csv", STANDARDS_HEADER + 'ST0510,1.1,Social worker,Approved,6,36,"£27,000"\n')
    import_standards(council_engine, local_admin(), path)
    with Session(council_engine) as session:
        standard = session.exec(select(ApprenticeshipStandard)).one()
    assert (standard.level, standard.typical_duration_months, standard.max_funding) == (6, 36, 27000)


def test_a_standards_file_without_a_column_keeps_that_field(council_engine: Engine, tmp_path: Path) -> None:
    import_standards(
        council_engine,
        local_admin(),
        write(tmp_path, "a.csv", STANDARDS_HEADER + "ST0510,1.1,Social worker,Approved,6,36,24000\n"),
    )
    result = import_standards(
        council_engine,
        local_admin(),
        write(tmp_path, "b.csv", "Reference,Version Number,Name,Status\nST0510,1.1,Social worker,Retired\n"),
    )
    assert (result.updated, result.unchanged) == (1, 0)
    with Session(council_engine) as session:
        standard = session.exec(select(ApprenticeshipStandard)).one()
    assert (standard.status, standard.level, standard.typical_duration_months, standard.max_funding) == (
        "Retired",
        6,
        36,
        24000,
    )


# Long file names (the audit column holds 60 characters; the whole name is kept in the entry's `after`)

LONG = "exported-from-the-council-learning-management-system-on-2026-11-24-"


def last_import(engine: Engine) -> AuditEntry:
    with Session(engine) as session:
        return session.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()[-1]


def test_long_file_names_import_enrolments_hours_and_standards(demo_engine: Engine, tmp_path: Path) -> None:
    staff, _ = apprentice(demo_engine)
    name = LONG + "enrolments.csv"
    import_enrolments(
        demo_engine, local_admin(), write(tmp_path, name, ENROLMENT_HEADER + "E1002,asye,,2026-09-07,,,,\n")
    )
    assert last_import(demo_engine).after["file"] == name
    name = LONG + "otj.csv"
    import_otj(
        demo_engine, local_admin(), write(tmp_path, name, OTJ_HEADER + f"{staff},ST0510,2026-11-20,3,A,no\n"), TODAY
    )
    assert last_import(demo_engine).after["file"] == name
    name = LONG + "standards.csv"
    import_standards(
        demo_engine,
        local_admin(),
        write(tmp_path, name, STANDARDS_HEADER + "ST0511,1.0,Something,Approved,4,24,9000\n"),
    )
    assert last_import(demo_engine).after["file"] == name
