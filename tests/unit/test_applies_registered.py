"""Who a rule applies to (issue 10): Social Work England CPD and the registered social worker's supervision
schedule apply to registered social workers only, decided by one function; apprentices, students and family
support workers follow their own schedule from the reference data, or none, with the reason."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.engine.cpd import registered_social_worker
from progression.engine.supervision import kind_of_worker
from progression.errors import InputError
from progression.models import Role, Worker
from progression.reference import reference
from progression.reference.loader import load_reference
from progression.services.actor import local_admin, resolve_actor
from progression.services.cpd import CpdInput, add_cpd, cpd_draft, cpd_year
from progression.services.importing import import_workers
from progression.services.status import worker_status
from progression.services.supervision import supervision_record
from tests.conftest import TODAY
from tests.utils.cli import run_cli

DATA = Path(__file__).resolve().parents[2] / "data" / "reference"
HEADER = "staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,access\n"
ROWS = [
    "M1,Mo Manager,team-manager,2020-01-01,2015-01-01,2010-06-01,North,,,1,manager",
    "S1,Sam Social,social-worker-1,2025-01-01,2024-09-01,2024-07-01,North,M1,,1,",
    "N1,Nia New,nqsw,2026-09-01,2026-09-01,2026-07-01,North,M1,,1,",
    "P1,Pip Apprentice,social-work-apprentice,2025-09-01,2022-01-01,,North,M1,,1,",
    "T1,Tam Student,academy-student,2026-09-01,2026-09-01,,North,M1,,1,",
    "F1,Fay Support,family-support-worker,2023-01-01,2023-01-01,,North,M1,,1,",
]
NOT_REGISTERED = {"P1": "apprentice", "T1": "student", "F1": "other-staff"}


@pytest.fixture
def engine(council_engine: Engine, tmp_path: Path) -> Engine:
    """A manager over a social worker, a newly qualified worker, an apprentice, a student and a support worker."""
    path = tmp_path / "workers.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    import_workers(council_engine, local_admin(), path)
    return council_engine


def registered(pcf_level: str | None, qualified_on: date | None = None, swe_number: str | None = None) -> bool:
    return registered_social_worker(
        pcf_level=pcf_level, qualified_on=qualified_on, swe_number=swe_number, on=TODAY, reference=reference()
    )


@pytest.mark.parametrize(
    ("pcf_level", "qualified_on", "swe_number", "expected"),
    [
        (None, None, None, False),  # a family support worker
        ("readiness-for-direct-practice", None, None, False),  # a degree apprentice
        ("end-of-first-placement", None, None, False),  # a student on placement
        ("end-of-last-placement", date(2020, 1, 1), None, False),  # a student level, whatever the date says
        ("asye", date(2026, 7, 1), None, True),  # newly qualified
        ("asye", None, None, True),  # the post needs registration: a missing date is taken as qualified
        ("asye", date(2026, 12, 1), None, False),  # qualifies after the day asked about
        ("experienced-social-worker", date(2010, 1, 1), None, True),
        ("advanced-practitioner", date(2010, 1, 1), None, True),  # a pathway of the advanced level
        ("manager", date(2010, 1, 1), None, True),
        ("strategic", date(2010, 1, 1), None, True),
        ("not-a-pcf-level", date(2010, 1, 1), None, False),
        (None, None, "SW123456", True),  # on the register, whatever their post
        ("readiness-for-direct-practice", None, "  ", False),  # a blank number is no number
    ],
)
def test_one_function_decides_who_is_a_registered_social_worker(
    pcf_level: str | None, qualified_on: date | None, swe_number: str | None, expected: bool
) -> None:
    assert registered(pcf_level, qualified_on, swe_number) is expected


def test_every_role_of_the_demo_council_before_the_first_qualified_post_is_not_registered(
    council_engine: Engine,
) -> None:
    with Session(council_engine) as session:
        levels = {role.key: role.pcf_level for role in session.exec(select(Role))}
    for key in ("family-support-worker", "social-work-apprentice", "academy-student"):
        assert not registered(levels[key], None), key
    for key in ("nqsw", "social-worker-1", "senior-social-worker", "team-manager", "head-of-service"):
        assert registered(levels[key], date(2010, 1, 1)), key


def test_the_kind_of_worker_follows_registration_level_and_route() -> None:
    assert kind_of_worker(registered=True, pcf_level="asye", route_kind="practice") == "newly-qualified"
    assert kind_of_worker(registered=True, pcf_level="social-worker", route_kind="practice") == "registered"
    assert kind_of_worker(registered=True, pcf_level=None, route_kind="grow-your-own") == "registered"
    assert kind_of_worker(registered=False, pcf_level="readiness-for-direct-practice", route_kind="apprenticeship") == (
        "apprentice"
    )
    assert kind_of_worker(registered=False, pcf_level="end-of-first-placement", route_kind="academy") == "student"
    assert kind_of_worker(registered=False, pcf_level=None, route_kind="apprenticeship") == "other"


def test_status_json_has_no_cpd_for_a_worker_who_is_not_a_registered_social_worker(engine: Engine) -> None:
    for staff_id in NOT_REGISTERED:
        status = worker_status(engine, local_admin(), staff_id, TODAY)
        assert status.cpd is None and not status.registered_social_worker, staff_id
        assert status.first_year is None
    for staff_id in ("S1", "N1", "M1"):
        status = worker_status(engine, local_admin(), staff_id, TODAY)
        assert status.cpd is not None and status.registered_social_worker, staff_id


def test_status_json_on_the_command_line_keeps_every_other_field(demo_url: str, demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        apprentice = session.exec(
            select(Worker.staff_id).join(Role).where(Role.key == "social-work-apprentice").order_by(Worker.staff_id)
        ).first()
    assert apprentice is not None
    result = run_cli("--db", demo_url, "--as", "E1001", "status", apprentice, "--on", "2026-11-24", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["cpd"] is None and data["registered_social_worker"] is False
    assert {"staff_id", "on", "role", "supervision", "first_year", "retention_amount", "market_supplement"} <= set(data)
    assert data["supervision"]["schedule"] == "apprentice" and data["supervision"]["next_due"] is None
    assert "no published source" in data["supervision"]["no_schedule"].lower()
    assert data["supervision"]["overdue"] is False


def test_their_supervision_follows_their_own_schedule_or_none_with_the_reason(engine: Engine) -> None:
    for staff_id, schedule in NOT_REGISTERED.items():
        record = supervision_record(engine, local_admin(), staff_id, TODAY)
        assert record.schedule == schedule, staff_id
        assert record.next_due is None and not record.overdue and record.days_overdue == 0
        assert record.no_schedule and record.interval == ""
    assert supervision_record(engine, local_admin(), "S1", TODAY).schedule == "standard"
    assert supervision_record(engine, local_admin(), "N1", TODAY).schedule == "asye"


def test_the_data_file_gives_every_kind_of_worker_a_schedule_and_each_none_its_reason_and_sources() -> None:
    ref = reference()
    for kind in ("newly-qualified", "registered", "apprentice", "student", "other"):
        schedule = ref.supervision_for(kind)
        assert schedule is not None, kind
        assert schedule.sources
        assert bool(schedule.phases) != bool(schedule.none), kind
    for kind in ("apprentice", "student", "other"):
        assert ref.supervision_for(kind).none  # type: ignore[union-attr]  # no source sets one: said so


def _edited_reference(tmp_path: Path, change: Any) -> dict[str, list[str]]:
    folder = tmp_path / "reference"
    folder.mkdir(parents=True)
    for path in DATA.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    data = yaml.safe_load((folder / "supervision.yaml").read_text(encoding="utf-8"))
    change(data["supervision"])
    (folder / "supervision.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_reference(folder)
    problems: dict[str, list[str]] = {}
    for problem in raised.value.problems:
        problems.setdefault(problem.place, []).append(problem.message)
    return problems


def test_a_schedule_without_phases_must_say_why_and_a_kind_has_one_schedule(tmp_path: Path) -> None:
    def no_reason(items: list[dict[str, Any]]) -> None:
        items[2].pop("none")

    problems = _edited_reference(tmp_path / "a", no_reason)
    assert any("phases" in place and "none" in " ".join(m) for place, m in problems.items()), problems

    def twice(items: list[dict[str, Any]]) -> None:
        items[3]["applies_to"] = ["apprentice"]

    problems = _edited_reference(tmp_path / "b", twice)
    assert any("applies_to" in place for place in problems), problems


def test_the_cpd_year_says_plainly_that_swe_cpd_does_not_apply_and_what_does(engine: Engine) -> None:
    year = cpd_year(engine, local_admin(), "P1", TODAY)
    assert not year.applies
    assert "Social Work England CPD applies to registered social workers only" in year.not_applicable
    assert "Pip Apprentice" in year.not_applicable and "off-the-job" in year.not_applicable
    assert "placement" in cpd_year(engine, local_admin(), "T1", TODAY).not_applicable
    assert "development plan" in cpd_year(engine, local_admin(), "F1", TODAY).not_applicable
    social_worker = cpd_year(engine, local_admin(), "S1", TODAY)
    assert social_worker.applies and social_worker.not_applicable == ""
    draft = cpd_draft(engine, local_admin(), "P1", TODAY)
    assert "does not apply" in draft and "Standard 4" not in draft


def test_a_social_work_england_number_makes_cpd_apply_whatever_the_post(engine: Engine) -> None:
    with Session(engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == "F1")).one()
        worker.swe_number = "SW000123"
        session.add(worker)
        session.commit()
    assert worker_status(engine, local_admin(), "F1", TODAY).cpd is not None
    assert cpd_year(engine, local_admin(), "F1", TODAY).applies
    record = supervision_record(engine, local_admin(), "F1", TODAY)
    assert record.schedule == "standard" and record.next_due is not None


def test_records_kept_by_a_worker_to_whom_cpd_does_not_apply_are_still_theirs(engine: Engine) -> None:
    pip = resolve_actor(engine, "P1")
    added = add_cpd(
        engine,
        pip,
        "P1",
        CpdInput(kind="reading", day=date(2026, 11, 2), title="Reading", what_and_why="w", learnt="l", impact="i"),
        TODAY,
    )
    year = cpd_year(engine, pip, "P1", TODAY)
    assert [r.id for r in year.records] == [added.id] and not year.applies
