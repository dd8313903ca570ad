"""The schema: Alembic migrations match the models, `init` upgrades in place and never loses data."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, text
from sqlmodel import Session, select

import progression.models as models
from progression.db import current_revision, head_revision, make_engine
from progression.models import Framework, Programme, Role, Worker
from progression.services.actor import local_admin
from progression.services.setup import initialise
from tests.conftest import TODAY


def test_migrations_build_exactly_the_models(council_engine: Engine) -> None:
    """A model change without its migration fails here."""
    with council_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), models.metadata)
    assert diff == []


def test_every_table_of_the_domain_exists(council_engine: Engine) -> None:
    tables = set(inspect(council_engine).get_table_names())
    expected = {
        "team",
        "worker",
        "role_history",
        "route",
        "role",
        "transition",
        "requirement",
        "framework",
        "framework_level",
        "capability",
        "programme",
        "apprenticeship_standard",
        "enrolment",
        "enrolment_status_change",
        "otj_entry",
        "review",
        "placement",
        "placement_day",
        "development_plan",
        "plan_state_change",
        "goal",
        "goal_capability",
        "goal_action",
        "evidence",
        "evidence_link",
        "cpd_record",
        "supervision",
        "caseload_count",
        "progression_request",
        "request_evidence",
        "decision",
        "audit_entry",
        "council",
    }
    assert expected <= tables


def test_init_on_an_empty_database_creates_the_schema_and_reference_data(empty_url: str) -> None:
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    report = initialise(engine, local_admin(), authority=None, today=TODAY)
    assert report.revision_before is None and report.revision_after == head_revision()
    with Session(engine) as session:
        keys = set(session.exec(select(Framework.key)))
        assert {"pcf", "pqs-cf-practitioner", "swe-professional-standards", "ST0510", "early-career-standards"} <= keys
        assert {"asye", "ecdp", "peps-stage-1", "peps-stage-2", "placement", "ST0510"} <= set(
            session.exec(select(Programme.key))
        )
    engine.dispose()


def test_init_again_keeps_every_row(demo_engine: Engine) -> None:
    def snapshot() -> dict[str, int]:
        with demo_engine.connect() as connection:
            return {
                name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in inspect(demo_engine).get_table_names()
                if name != "audit_entry"
            }

    before = snapshot()
    assert before["worker"] == 60
    report = initialise(demo_engine, local_admin(), authority=None, today=TODAY, demo_council=True)
    assert report.reference_added == {"frameworks": 0, "capabilities": 0, "programmes": 0}
    assert snapshot() == before


def test_a_changed_authority_file_updates_roles_and_keeps_workers(demo_engine: Engine, tmp_path: Path) -> None:
    from progression.locations import data_dir

    text_ = (data_dir() / "councils" / "demo.yaml").read_text(encoding="utf-8")
    changed = tmp_path / "council.yaml"
    changed.write_text(
        text_.replace("caseload_cap: 14", "caseload_cap: 12").replace(
            "  consultant-social-worker:\n    title: Consultant social worker",
            "  consultant-social-worker:\n    title: Consultant practitioner",
        ),
        encoding="utf-8",
    )
    initialise(demo_engine, local_admin(), authority=changed, today=TODAY)
    with Session(demo_engine) as session:
        assert session.exec(select(Role.caseload_cap).where(Role.key == "nqsw")).one() == 12
        assert (
            session.exec(select(Role.title).where(Role.key == "consultant-social-worker")).one()
            == "Consultant practitioner"
        )
        assert session.exec(select(func.count()).select_from(Worker)).one() == 60


def test_a_role_dropped_from_the_file_is_retired_not_deleted(demo_engine: Engine, tmp_path: Path) -> None:
    from progression.locations import data_dir

    text_ = (data_dir() / "councils" / "demo.yaml").read_text(encoding="utf-8")
    start = text_.index("  principal-social-worker:\n")
    end = text_.index("  practice-supervisor:\n")
    trimmed = text_[:start] + text_[end:]
    trimmed = trimmed.replace(
        "  - from: advanced-social-worker\n    to: principal-social-worker\n    decided_by: recruitment\n"
        "    requires:\n      - months_qualified: 72\n",
        "",
    )
    trimmed = trimmed.replace(
        "  - from: consultant-social-worker\n    to: principal-social-worker\n    decided_by: "
        "recruitment\n    requires:\n      - months_qualified: 72\n",
        "",
    )
    path = tmp_path / "council.yaml"
    path.write_text(trimmed, encoding="utf-8")
    initialise(demo_engine, local_admin(), authority=path, today=TODAY)
    with Session(demo_engine) as session:
        role = session.exec(select(Role).where(Role.key == "principal-social-worker")).one()
        assert role.retired
        assert session.exec(select(func.count()).select_from(Worker).where(Worker.role_id == role.id)).one() == 1


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    engine.dispose()
