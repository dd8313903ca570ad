"""One truth per figure: the manager's team and the worker's own status agree, for every worker."""

from __future__ import annotations

from sqlalchemy import Engine

from progression.services.actor import local_admin
from progression.services.status import worker_status
from progression.services.team import team_view
from tests.conftest import TODAY


def test_team_and_status_agree_on_supervision_and_cpd_for_everyone(demo_engine: Engine) -> None:
    members = team_view(demo_engine, local_admin(), TODAY)
    assert len(members) >= 50
    kinds = set()
    for member in members:
        status = worker_status(demo_engine, local_admin(), member.staff_id, TODAY)
        assert member.next_supervision == status.supervision.next_due, member.staff_id
        assert ("supervision-overdue" in member.flags) == status.supervision.overdue, member.staff_id
        if status.cpd is None:  # SWE CPD does not apply: never flagged for it
            assert "cpd-deadline" not in member.flags, member.staff_id
        kinds.add(status.cpd is None)
    assert kinds == {True, False}  # the demo has both registered social workers and others


def test_the_learners_list_and_status_agree_on_the_first_year(demo_engine: Engine) -> None:
    from progression.services.learners import learners

    compared = 0
    for learner in learners(demo_engine, local_admin(), TODAY, finished=True):
        if learner.kind not in ("asye", "ecdp"):
            continue
        status = worker_status(demo_engine, local_admin(), learner.staff_id, TODAY)
        if status.first_year is None:  # no longer in a newly qualified post
            continue
        compared += 1
        assert status.first_year.protected_time_percent == learner.protected_time_percent, learner.staff_id
        if learner.status in ("completed", "withdrawn"):  # protected time ends with the programme
            assert status.first_year.protected_time_percent is None, learner.staff_id
    assert compared >= 3


def test_the_workforce_report_names_routes_by_their_titles(demo_engine: Engine) -> None:
    from progression.services.workforce import workforce_report

    report = workforce_report(demo_engine, local_admin(), TODAY)
    titles = {h.key: h.title for h in report.by_route}
    assert titles["academy"] == "Social work academy" and titles["practice"] == "Practice route"
    assert sum(h.headcount for h in report.by_route) == report.headcount
