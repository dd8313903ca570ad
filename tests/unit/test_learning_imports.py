"""Importing standards, enrolments and off-the-job hours, and the learners command (issue 5)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from progression.errors import InputError
from progression.models import ApprenticeshipStandard, Enrolment, OtjEntry, Worker
from progression.services.actor import local_admin, resolve_actor
from progression.services.learners import learners
from progression.services.learning import import_enrolments, import_otj
from progression.services.standards import import_standards
from tests.conftest import TODAY
from tests.utils.cli import run_cli

EXPORT = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "skills-england"
    / "apprenticeship-standards-export-2025-05-25.csv"
)
AS_ADMIN = ("--as", "E1001")


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXPORT, tmp_path / EXPORT.name))


def count(engine: Engine, model) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_the_whole_real_export_imports_once_and_again_without_duplicates(council_engine: Engine, export: Path) -> None:
    first = import_standards(council_engine, local_admin(), export)
    assert (first.created, first.skipped) == (1600, 1)  # every standard version; the NUL junk row skipped
    again = import_standards(council_engine, local_admin(), export)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1600)
    assert count(council_engine, ApprenticeshipStandard) == 1600
    with Session(council_engine) as session:
        versions = {
            s.version: s
            for s in session.exec(select(ApprenticeshipStandard).where(ApprenticeshipStandard.reference == "ST0510"))
        }
    assert (versions["1.0"].typical_duration_months, versions["1.0"].max_funding, versions["1.0"].status) == (
        30,
        23000,
        "Retired",
    )
    assert (versions["1.1"].typical_duration_months, versions["1.1"].max_funding, versions["1.1"].level) == (
        36,
        24000,
        6,
    )
    assert versions["1.1"].approved_on == date(2018, 11, 30)


def test_a_bad_standards_file_names_the_place_and_writes_nothing(council_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Reference,Version Number,Name,Status,Level,Approved for Delivery Date\n"
        "ST0510,1.1,Social worker,Approved for delivery,six,30-11-2018\n"
        "XX1,1.0,Odd,Retired,3,31-02-2020\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        import_standards(council_engine, local_admin(), path)
    assert [str(p) for p in caught.value.problems] == [
        "export.csv:2: level: 'six' is not a number",
        "export.csv:3: Reference: 'XX1' is not a standard reference (ST0510)",
        "export.csv:3: approved for delivery date: '31-02-2020' is not a date (DD-MM-YYYY)",
    ]
    assert count(council_engine, ApprenticeshipStandard) == 0


def enrolment_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "enrolments.csv"
    path.write_text(
        "staff_id,programme,version,start,planned_end,educator,contracted_hours,otj_hours_required\n"
        + "".join(row + "\n" for row in rows),
        encoding="utf-8",
    )
    return path


def test_enrolments_and_their_errors(demo_engine: Engine, tmp_path: Path) -> None:
    before = count(demo_engine, Enrolment)
    bad = enrolment_file(
        tmp_path,
        "E1002,ST0510,9.9,2026-09-01,2029-09-01,E1001,37,",
        "E1002,ST9999,1.0,2026-09-01,2029-09-01,,37,",
        "NOBODY,asye,,2026-09-01,,,,",
        "E1002,ST0510,1.1,2026-09-01,2026-12-01,,37,",
        "E1002,ST0510,1.1,2026-09-01,2029-09-01,,-5,",
        "E1002,wizardry,,2026-09-01,,,,",
    )
    with pytest.raises(InputError) as caught:
        import_enrolments(demo_engine, local_admin(), bad)
    assert [str(p) for p in caught.value.problems] == [
        "enrolments.csv:2: version: ST0510 has no version '9.9' (known: 1.1)",
        "enrolments.csv:3: programme: unknown apprenticeship standard 'ST9999' (import the standards export first)",
        "enrolments.csv:4: staff_id: no worker has staff id 'NOBODY'",
        "enrolments.csv:5: planned_end: an apprenticeship starting 2026-09-01 lasts at least 8 months",
        "enrolments.csv:6: contracted_hours: -5 is not a number of hours a week (0 to 60)",
        "enrolments.csv:7: programme: 'wizardry' is not a standard reference or one of asye, ecdp, placement",
    ]
    assert count(demo_engine, Enrolment) == before
    good = enrolment_file(tmp_path, "E1002,ST0510,1.1,2026-09-07,,E1001,37,")
    assert import_enrolments(demo_engine, local_admin(), good).created == 1
    assert import_enrolments(demo_engine, local_admin(), good).unchanged == 1
    with Session(demo_engine) as session:
        enrolment = session.exec(select(Enrolment).where(Enrolment.start_on == date(2026, 9, 7))).one()
        assert enrolment.planned_end_on == date(2029, 9, 7)  # the standard's typical 36 months


def otj_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "otj.csv"
    path.write_text(
        "staff_id,programme,date,hours,activity,verified\n" + "".join(r + "\n" for r in rows), encoding="utf-8"
    )
    return path


def apprentice(engine: Engine, status: str) -> tuple[str, date]:
    with Session(engine) as session:
        row = session.exec(
            select(Worker.staff_id, Enrolment.start_on)
            .join(Enrolment, Enrolment.worker_id == Worker.id)
            .where(Enrolment.status == status, Enrolment.standard_id.is_not(None))
        ).first()
    assert row is not None
    return row  # type: ignore[return-value]


def test_off_the_job_hours_and_their_errors(demo_engine: Engine, tmp_path: Path) -> None:
    staff, start = apprentice(demo_engine, "active")
    on_break, _ = apprentice(demo_engine, "break")
    before = count(demo_engine, OtjEntry)
    bad = otj_file(
        tmp_path,
        f"{staff},ST0510,2026-11-20,-2,Reading,yes",
        f"{staff},ST0510,2026-11-20,25,Reading,yes",
        f"{staff},ST0510,{start.replace(year=start.year - 1)},3,Reading,no",
        f"{on_break},ST0510,2026-11-20,3,Reading,no",
        f"{staff},ST0510,2026-12-25,3,Reading,no",
        f"{staff},asye,2026-11-20,3,Reading,no",
        f"{staff},ST0510,2026-11-20,3,Reading,maybe",
    )
    with pytest.raises(InputError) as caught:
        import_otj(demo_engine, local_admin(), bad, TODAY)
    found = [str(p) for p in caught.value.problems]
    assert found[0] == "otj.csv:2: hours: -2 hours is not between 0 and 24 in a day"
    assert found[1] == "otj.csv:3: hours: 25 hours is not between 0 and 24 in a day"
    assert found[2].startswith("otj.csv:4: date:") and "is before" in found[2]
    assert found[3].startswith("otj.csv:5: date: 2026-11-20 falls in a break in learning")
    assert found[4] == "otj.csv:6: date: 2026-12-25 is in the future"
    assert found[5] == f"otj.csv:7: programme: {staff} is not enrolled on 'asye'"
    assert found[6] == "otj.csv:8: verified: 'maybe' is not yes or no"
    assert count(demo_engine, OtjEntry) == before
    good = otj_file(
        tmp_path, f"{staff},ST0510,2026-11-23,7.5,University day,yes", f"{staff},ST0510,2026-11-23,2,Reading,no"
    )
    assert import_otj(demo_engine, local_admin(), good, TODAY).created == 2
    assert import_otj(demo_engine, local_admin(), good, TODAY).unchanged == 2
    too_many = otj_file(tmp_path, f"{staff},ST0510,2026-11-23,15,More,no")
    with pytest.raises(InputError, match="more than 24 in a day"):
        import_otj(demo_engine, local_admin(), too_many, TODAY)


def test_learners_json_has_the_contract_fields(demo_url: str) -> None:
    result = run_cli("--db", demo_url, *AS_ADMIN, "--today", "2026-11-24", "learners", "--json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    kinds = {item["kind"] for item in found}
    assert {"apprenticeship", "placement", "asye", "ecdp"} <= kinds
    for item in found:
        assert {
            "staff_id",
            "programme",
            "kind",
            "educator",
            "start",
            "planned_end",
            "status",
            "next_review_due",
        } <= set(item)
        assert item["status"] in {"active", "break", "withdrawn", "gateway", "completed"}
        if item["kind"] == "apprenticeship":
            assert {
                "otj_rule",
                "otj_hours_required",
                "otj_hours_verified",
                "otj_forecast_on",
                "otj_hours_per_week_needed",
            } <= set(item)
            assert item["otj_rule"] in {"twenty-percent", "six-hours-a-week", "standard-minimum"}
        if item["kind"] == "placement":
            assert {"placement_days", "skills_days"} <= set(item)
            assert item["skills_days"] <= 30


def test_educators_see_only_their_learners(demo_engine: Engine) -> None:
    everyone = learners(demo_engine, local_admin(), TODAY)
    educators = {item.educator for item in everyone if item.educator}
    for staff_id in educators:
        mine = learners(demo_engine, resolve_actor(demo_engine, staff_id), TODAY)
        assert mine and all(item.educator == staff_id for item in mine)
    with Session(demo_engine) as session:
        plain = session.exec(select(Worker.staff_id).where(~Worker.is_admin, ~Worker.is_educator)).first()
    assert learners(demo_engine, resolve_actor(demo_engine, plain), TODAY) == []  # type: ignore[arg-type]
