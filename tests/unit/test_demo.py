"""The demo council: deterministic, fictional, and covering every route, programme, learner and request state."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from progression.errors import ProgressionError
from progression.models import (
    CaseloadCount,
    CpdRecord,
    Decision,
    Enrolment,
    EvidenceLink,
    OtjEntry,
    PlacementDay,
    Programme,
    ProgressionRequest,
    Role,
    Route,
    Supervision,
    Team,
    Worker,
)
from progression.services.actor import local_admin
from progression.services.demo import build_demo
from tests.conftest import TODAY


def test_every_role_and_route_has_someone(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        roles = set(session.exec(select(Role.key).join(Worker, col(Worker.role_id) == Role.id)))
        assert roles == set(session.exec(select(Role.key)))
        routes = set(session.exec(select(Route.kind).join(Role).join(Worker, col(Worker.role_id) == Role.id)))
        assert routes == {"practice", "management", "apprenticeship", "academy"}


def test_about_sixty_workers_in_several_area_teams(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        assert session.exec(select(func.count()).select_from(Worker)).one() == 60
        areas = set(session.exec(select(Team.area)))
        assert len(areas - {"Council-wide"}) >= 2


def test_every_programme_and_learner_status_appears(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        pairs = set(session.exec(select(Programme.key, Enrolment.status).join(Programme)))
    keys = {key for key, _ in pairs}
    assert {"asye", "ecdp", "ST0510", "placement", "peps-stage-1", "peps-stage-2", "aspiring-managers"} <= keys
    assert {status for key, status in pairs if key == "ST0510"} == {
        "active",
        "break",
        "withdrawn",
        "gateway",
        "completed",
    }
    assert ("asye", "active") in pairs and ("asye", "completed") in pairs


def test_apprentices_start_under_each_off_the_job_rule(demo_engine: Engine) -> None:
    """DOMAIN.md §6: the OTJ rule is chosen by start date (before Aug 2022, Aug 2022–Jul 2025, from Aug 2025)."""
    from progression.reference import reference

    with Session(demo_engine) as session:
        starts = session.exec(
            select(Enrolment.start_on)
            .join(Programme)
            .where(Programme.key == "ST0510", col(Enrolment.start_on).is_not(None))
        ).all()
    rules = {reference().otj_rule_for_start(start).key for start in starts}
    assert rules == {"twenty-percent", "six-hours-a-week", "standard-minimum"}


def test_every_request_state_appears_with_its_decisions(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        states = set(session.exec(select(ProgressionRequest.state)))
        assert states == {"submitted", "endorsed", "returned", "approved", "deferred", "rejected"}
        outcomes = set(session.exec(select(Decision.outcome)))
        assert outcomes == {"endorse", "return", "approve", "defer", "reject", "automatic"}
        assert (
            session.exec(
                select(func.count())
                .select_from(ProgressionRequest)
                .where(col(ProgressionRequest.appeal_of_id).is_not(None))
            ).one()
            >= 1
        )
        for request in session.exec(select(ProgressionRequest)):
            deciders = set(session.exec(select(Decision.by_id).where(Decision.request_id == request.id)))
            assert request.worker_id not in deciders  # nobody decides their own request


def test_records_of_every_kind_exist(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        for model in (CpdRecord, Supervision, CaseloadCount, EvidenceLink, OtjEntry, PlacementDay):
            assert session.exec(select(func.count()).select_from(model)).one() > 0, model.__name__
        assert set(session.exec(select(Supervision.kind))) == {"individual", "group"}
        assert set(session.exec(select(PlacementDay.kind))) == {"placement", "skills"}


def test_placement_days_keep_within_the_rules(demo_engine: Engine) -> None:
    """DOMAIN.md §7: at most 30 skills days."""
    with Session(demo_engine) as session:
        rows = session.exec(
            select(PlacementDay.enrolment_id, PlacementDay.kind, func.count()).group_by(
                PlacementDay.enrolment_id, PlacementDay.kind
            )
        ).all()
    assert all(count <= 30 for _, kind, count in rows if kind == "skills")


def test_the_demo_is_fictional(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        emails = session.exec(select(Worker.email)).all()
    assert all(email and email.endswith("@fernbridge.example") for email in emails)


def test_the_same_seed_gives_the_same_council(council_engine: Engine, databases, council_template: str) -> None:
    from progression.db import make_engine

    other = make_engine(databases.new_url(council_template))
    for engine in (council_engine, other):
        build_demo(engine, local_admin(), workers=40, seed=7, today=TODAY)

    def people(engine: Engine) -> list[tuple]:
        with Session(engine) as session:
            return [
                tuple(row)
                for row in session.exec(
                    select(Worker.staff_id, Worker.name, Worker.role_id, Worker.role_since, Worker.manager_id).order_by(
                        Worker.staff_id
                    )
                )
            ]

    assert people(council_engine) == people(other)
    other.dispose()


def test_the_demo_refuses_a_database_that_has_workers(demo_engine: Engine) -> None:
    with pytest.raises(ProgressionError, match="already has 60 workers"):
        build_demo(demo_engine, local_admin(), workers=10, seed=1, today=TODAY)


def test_a_demo_that_fails_part_way_leaves_nothing_and_runs_again(
    council_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workforce, the requests' readiness and the automatic steps are one transaction: a failure in the
    last of them (here: the automatic steps) leaves no workers, and the demo then runs again."""
    import progression.services.decisions as decisions

    def broken(_bind: object, _today: object) -> tuple[int, int]:
        raise RuntimeError("killed while taking the automatic steps")

    monkeypatch.setattr(decisions, "catch_up", broken)
    with pytest.raises(RuntimeError):
        build_demo(council_engine, local_admin(), workers=20, seed=1, today=TODAY)
    with Session(council_engine) as session:
        assert session.exec(select(func.count()).select_from(Worker)).one() == 0
    monkeypatch.undo()
    result = build_demo(council_engine, local_admin(), workers=20, seed=1, today=TODAY)
    assert result.workers == 20
