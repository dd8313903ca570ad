"""Time figures are real (issue 10): "N so far" is the worker's actual count of whole months, never capped at
the requirement, and `next-steps --json` gives it as `so_far` beside `needed` on every time requirement."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.dates import add_months, whole_months_between
from progression.engine import CouncilFacts, RequirementFacts, RoleFacts, TransitionFacts, WorkerFacts, next_steps
from progression.models import Role, Worker
from progression.reference import reference
from tests.conftest import TODAY
from tests.utils.cli import run_cli

TIME_KINDS = ("months_in_role", "months_qualified", "months_of_service")


def one_requirement(requirement: RequirementFacts, on: date, **kw: object) -> object:
    roles = {k: RoleFacts(k, k, "practice") for k in ("a", "b")}
    council = CouncilFacts(roles, [TransitionFacts("a", "b", "recruitment", (requirement,))], reference())
    kw.setdefault("employed_since", date(2015, 1, 1))
    worker = WorkerFacts("E1", "a", date(2020, 1, 1), **kw)  # type: ignore[arg-type]
    return next_steps(worker, council, on)[0].requirements[0]


def test_someone_qualified_93_months_ago_has_93_so_far_not_72() -> None:
    """The issue's own example: '72 months since qualifying; 72 so far' for someone qualified 93 months ago."""
    r = one_requirement(RequirementFacts("months_qualified", 72), date(2026, 11, 24), qualified_on=date(2019, 2, 24))
    assert r.detail == "72 months since qualifying; 93 so far"  # type: ignore[attr-defined]
    assert (r.needed, r.so_far, r.met, r.progress) == (72, 93, True, (93, 72))  # type: ignore[attr-defined]


def test_so_far_is_counted_as_met_on_is() -> None:
    """The same arithmetic: the day before the anniversary is one month short; the anniversary is met."""
    since = date(2024, 1, 31)
    requirement = RequirementFacts("months_of_service", 13)
    before = one_requirement(requirement, date(2025, 2, 27), employed_since=since)
    on_day = one_requirement(requirement, date(2025, 2, 28), employed_since=since)
    assert before.met_on == on_day.met_on == add_months(since, 13) == date(2025, 2, 28)  # type: ignore[attr-defined]
    assert (before.so_far, before.met, on_day.so_far, on_day.met) == (12, False, 13, True)  # type: ignore[attr-defined]
    assert on_day.detail == "13 months of service; 13 so far"  # type: ignore[attr-defined]


def test_an_unqualified_worker_has_no_months_so_far_since_qualifying() -> None:
    r = one_requirement(RequirementFacts("months_qualified", 24), date(2026, 1, 1))
    assert (r.needed, r.so_far, r.met, r.met_on) == (24, None, False, None)  # type: ignore[attr-defined]


def test_a_role_not_yet_begun_counts_nothing_so_far() -> None:
    r = one_requirement(RequirementFacts("months_in_role", 1), date(2019, 12, 1))
    assert (r.so_far, r.met, r.met_on) == (None, False, date(2020, 2, 1))  # type: ignore[attr-defined]
    assert r.detail == "1 month in role; counted from 2020-01-01"  # type: ignore[attr-defined]


def test_other_requirements_carry_no_months() -> None:
    r = one_requirement(RequirementFacts("completed", programme="asye"), date(2026, 1, 1))
    assert (r.needed, r.so_far) == (None, None)  # type: ignore[attr-defined]


def test_next_steps_json_gives_needed_and_so_far_on_every_time_requirement(demo_url: str, demo_engine: Engine) -> None:
    """On the demo, for every worker: whole months from the date each kind counts from to `--on`."""
    with Session(demo_engine) as session:
        people = session.exec(
            select(Worker.staff_id, Worker.role_since, Worker.employed_since, Worker.qualified_on).where(
                Worker.left_on == None  # noqa: E711
            )
        ).all()
        seniors = session.exec(select(Worker.staff_id).join(Role).where(Role.key == "advanced-social-worker")).all()
    checked = 0
    for staff_id, role_since, employed_since, qualified_on in people:
        result = run_cli("--db", demo_url, "--as", "E1001", "next-steps", staff_id, "--on", TODAY.isoformat(), "--json")
        assert result.exit_code == 0, result.stderr
        since = {"months_in_role": role_since, "months_of_service": employed_since, "months_qualified": qualified_on}
        for step in json.loads(result.stdout)["next_steps"]:
            for r in step["requirements"]:
                if r["kind"] not in TIME_KINDS:
                    assert (r["needed"], r["so_far"]) == (None, None)
                    continue
                start = since[r["kind"]]
                assert isinstance(r["needed"], int)
                if start is None or start > TODAY:
                    assert r["so_far"] is None and not r["met"]
                    continue
                assert r["so_far"] == whole_months_between(start, TODAY)
                assert r["met_on"] == add_months(start, r["needed"]).isoformat()
                assert (r["so_far"] >= r["needed"]) == r["met"]
                assert r["detail"].endswith(f"; {r['so_far']} so far")
                checked += 1
    assert checked > 60
    assert seniors
    # the demo's advanced social workers qualified long before the 72 months principal needs
    for staff_id in seniors:
        data = json.loads(run_cli("--db", demo_url, "--as", "E1001", "next-steps", staff_id, "--json").stdout)
        (months,) = [r for s in data["next_steps"] for r in s["requirements"] if r["kind"] == "months_qualified"]
        assert months["so_far"] > months["needed"] == 72
