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
