"""Rules live in the services, once (issue 10): how early a step may be asked for, free-text limits by kind, an
action due by its goal, and one StrEnum for request states and one for decision outcomes."""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.errors import InputError
from progression.fields import TEXT_LIMITS, check_free_text, free_text_limit
from progression.models import Decision, Goal, PlanStateChange, ProgressionRequest, Worker
from progression.models.requests import DECIDER_OUTCOMES, Outcome, RequestState
from progression.services.actor import resolve_actor
from progression.services.decisions import OUTCOMES
from progression.services.plans import ActionInput, GoalInput, add_action, add_goal, create_plan, edit_goal
from progression.services.requests import ASK_AHEAD_MONTHS, STATES, submit_request
from tests.conftest import TODAY
from tests.unit.test_requests_service import (  # noqa: F401  the fixture `engine` and its helpers
    count_requests,
    engine,
    keep_cpd_up_to_date,
    set_role_since,
)
from tests.utils.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def url(engine: Engine) -> str:  # noqa: F811
    return engine.url.render_as_string(hide_password=False)


def test_a_step_more_than_three_months_away_is_refused_by_the_service_and_the_cli(
    engine: Engine,  # noqa: F811
    url: str,
) -> None:
    assert ASK_AHEAD_MONTHS == 3
    set_role_since(engine, "W1", date(2026, 2, 25))  # twelve months in role on 25 Feb 2027: too early on 24 Nov
    expected = "Social worker (level 2) is ready on 25 Feb 2027: you can ask from 25 Nov 2026, 3 months before."
    with pytest.raises(InputError) as refused:
        submit_request(engine, resolve_actor(engine, "W1"), "W1", "social-worker-2", "Early", [], TODAY)
    assert str(refused.value.problems[0]) == f"ROLE: {expected}"
    cli = ("--db", url, "--as", "W1", "--today", "2026-11-24", "request", "submit", "W1", "social-worker-2")
    result = run_cli(*cli, "--note", "Early")
    assert result.exit_code == 2 and expected in result.stderr
    assert count_requests(engine) == 0
    next_day = run_cli(*cli[:5], "2026-11-25", *cli[6:], "--note", "Panel in February")
    assert next_day.exit_code == 0, next_day.stderr
    with Session(engine) as session:
        request = session.get_one(ProgressionRequest, int(next_day.stdout))
        assert (request.requirements_met, request.note) == (False, "Panel in February")


def test_a_step_with_no_date_yet_is_refused_naming_what_has_no_date(engine: Engine) -> None:  # noqa: F811
    with pytest.raises(InputError, match="Senior social worker has no date yet: accepted evidence for every PCF"):
        submit_request(engine, resolve_actor(engine, "W2"), "W2", "senior-social-worker", "Please", [], TODAY)
    assert count_requests(engine) == 0


def test_asking_before_the_step_is_ready_needs_a_note(engine: Engine) -> None:  # noqa: F811
    set_role_since(engine, "W1", date(2026, 1, 1))
    with pytest.raises(InputError, match="--note: say why you ask before the step is ready"):
        submit_request(engine, resolve_actor(engine, "W1"), "W1", "social-worker-2", "  ", [], TODAY)
    assert count_requests(engine) == 0


def test_one_limit_per_kind_of_free_text_in_one_place() -> None:
    assert TEXT_LIMITS["note"] == 2_000 and TEXT_LIMITS["reason"] == 2_000
    assert free_text_limit("note", ProgressionRequest, "note") == 2_000
    assert free_text_limit("reason", Decision, "reason") == 2_000
    assert free_text_limit("note", Goal, "description") == 2_000
    assert free_text_limit("title", Goal, "title") == 300  # the column's own limit comes first
    with pytest.raises(InputError, match="note: the text is 2001 characters long; at most 2000 are allowed"):
        check_free_text("x" * 2001, "note", "note", PlanStateChange, "note")
    assert check_free_text("  two\nlines\t ", "note", "note") == "two\nlines"
    for path in ("progression/services/requests.py", "progression/services/decisions.py"):
        source = (ROOT / path).read_text(encoding="utf-8")
        assert "def check_free_text" not in source and "2_000\n" not in source.replace("TEXT_LIMITS", "")


def plan_with_goal(engine: Engine, due: date | None) -> tuple[int, int]:  # noqa: F811
    actor = resolve_actor(engine, "W1")
    plan = create_plan(engine, actor, "W1", "Towards level 2", TODAY)
    plan = add_goal(engine, actor, plan.id, GoalInput(title="Court skills", due_on=due), TODAY)
    return plan.id, plan.goals[0].id


def test_an_action_is_not_due_after_its_goal(engine: Engine) -> None:  # noqa: F811
    actor = resolve_actor(engine, "W1")
    _, goal_id = plan_with_goal(engine, date(2027, 3, 31))
    with pytest.raises(InputError) as refused:
        add_action(engine, actor, goal_id, ActionInput(title="Shadow a hearing", due_on=date(2027, 4, 1)), TODAY)
    assert [(p.place, p.message) for p in refused.value.problems] == [
        ("due_on", "2027-04-01 is after its goal is due (2027-03-31): an action is due by its goal.")
    ]
    plan = add_action(engine, actor, goal_id, ActionInput(title="Shadow a hearing", due_on=date(2027, 3, 31)), TODAY)
    assert [a.due_on for a in plan.goals[0].actions] == [date(2027, 3, 31)]
    with pytest.raises(InputError, match="is before its action 'Shadow a hearing' is due"):
        edit_goal(engine, actor, goal_id, GoalInput(title="Court skills", due_on=date(2027, 3, 1)), TODAY)


def test_a_goal_description_and_a_plan_note_are_limited_like_every_note(engine: Engine) -> None:  # noqa: F811
    actor = resolve_actor(engine, "W1")
    plan = create_plan(engine, actor, "W1", "Towards level 2", TODAY)
    with pytest.raises(InputError) as refused:
        add_goal(engine, actor, plan.id, GoalInput(title="Court", description="x" * 2001), TODAY)
    assert [p.place for p in refused.value.problems] == ["description"]
    assert "at most 2000 are allowed" in str(refused.value)
    with pytest.raises(InputError, match="contains a control character"):
        add_goal(engine, actor, plan.id, GoalInput(title="Court", description="a\x00b"), TODAY)


def test_request_states_and_outcomes_are_one_strenum_each_with_todays_values() -> None:
    assert [s.value for s in RequestState] == ["submitted", "endorsed", "returned", "approved", "deferred", "rejected"]
    assert [o.value for o in Outcome] == ["endorse", "return", "approve", "defer", "reject", "automatic"]
    assert tuple(RequestState) == STATES and OUTCOMES == DECIDER_OUTCOMES
    assert json.dumps(RequestState.ENDORSED) == '"endorsed"'
    allowed = {"progression/models/requests.py", "progression/services/demo.py"}  # demo.py: see the issue 10 note
    words = {s.value for s in RequestState} | {o.value for o in Outcome}
    for folder in ("progression/services", "progression/cli", "screens"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative in allowed or "plan" in relative or "learner" in relative or "cpd" in relative:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            listed = [
                node
                for node in ast.walk(tree)
                if isinstance(node, ast.Tuple | ast.List | ast.Set)
                and len(node.elts) > 1
                and all(isinstance(e, ast.Constant) and e.value in words for e in node.elts)
            ]
            assert not listed, f"{relative}:{listed[0].lineno} lists request states or outcomes by hand"


def test_the_cli_offers_the_outcomes_and_states_of_the_enums(engine: Engine, url: str) -> None:  # noqa: F811
    help_text = run_cli("request", "decide", "--help").stdout
    for outcome in DECIDER_OUTCOMES:
        assert outcome.value in help_text
    assert "automatic" not in help_text
    listed = run_cli("--db", url, "--as", "M1", "request", "list", "--state", "approved", "--json")
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []
    with Session(engine) as session:
        assert session.exec(select(Worker).where(Worker.staff_id == "W1")).one()
