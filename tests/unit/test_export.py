"""`progression export plan`: Markdown, JSON and iCalendar on the demo council, with access checked."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.models import AuditEntry, DevelopmentPlan, Enrolment, Goal, GoalAction, Review, Role, Worker
from progression.services.actor import local_admin
from progression.services.progress import next_steps
from progression.services.status import worker_status
from tests.conftest import TODAY
from tests.utils.cli import run_cli

AS_ADMIN = ("--as", "E1001")
"""The demo's head of service, an administrator (PostgreSQL needs an actor)."""


def with_plan(engine: Engine, role: str) -> str:
    """The first worker in `role` (by staff id) who has a development plan."""
    with Session(engine) as session:
        found = session.exec(
            select(Worker.staff_id)
            .join(Role, col(Role.id) == Worker.role_id)
            .join(DevelopmentPlan, col(DevelopmentPlan.worker_id) == Worker.id)
            .where(Role.key == role)
            .order_by(col(Worker.staff_id))
        ).first()
    assert found is not None
    return found


def without_plan(engine: Engine) -> str:
    with Session(engine) as session:
        planned = select(DevelopmentPlan.worker_id)
        found = session.exec(
            select(Worker.staff_id).where(col(Worker.id).not_in(planned)).order_by(col(Worker.staff_id))
        ).first()
    assert found is not None
    return found


def expected_events(engine: Engine, staff_id: str) -> Counter[str]:
    """How many events of each kind the worker's data calls for, counted straight from the database."""
    with Session(engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        plans = session.exec(
            select(DevelopmentPlan)
            .where(DevelopmentPlan.worker_id == worker.id)
            .order_by(col(DevelopmentPlan.created_at).desc(), col(DevelopmentPlan.id).desc())
        ).all()
        plan = next((p for p in plans if p.state != "complete"), plans[0] if plans else None)
        actions = 0
        if plan is not None:
            actions = len(
                session.exec(
                    select(GoalAction.id)
                    .join(Goal, col(Goal.id) == GoalAction.goal_id)
                    .where(Goal.plan_id == plan.id, col(GoalAction.due_on).is_not(None))
                ).all()
            )
        review_days = list(
            session.exec(
                select(Review.due_on)
                .join(Enrolment, col(Enrolment.id) == Review.enrolment_id)
                .where(Enrolment.worker_id == worker.id, col(Review.due_on).is_not(None))
            )
        )
    status = worker_status(engine, local_admin(), staff_id, TODAY)
    planned = [r for r in status.first_year.reviews if r.due_on not in review_days] if status.first_year else []
    steps = next_steps(engine, local_admin(), staff_id, TODAY).next_steps
    return Counter(
        {
            "action": actions,
            "review": len(review_days) + len(planned),
            "cpd": 1 if status.cpd is not None else 0,  # SWE CPD: registered social workers only
            "readiness": sum(1 for s in steps if s.ready_on is not None),
        }
    )


def events_by_kind(ics: bytes) -> tuple[Counter[str], list[str]]:
    calendar = Calendar.from_ical(ics)
    events = list(calendar.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    return Counter(uid.split("-", 1)[0] for uid in uids), uids


def test_ics_has_one_event_per_dated_action_review_cpd_deadline_and_readiness(
    demo_url: str, demo_engine: Engine
) -> None:
    seen: Counter[str] = Counter()
    for role in ("nqsw", "social-work-apprentice", "social-worker-2"):
        staff_id = with_plan(demo_engine, role)
        result = run_cli(
            "--db", demo_url, *AS_ADMIN, "--today", TODAY.isoformat(), "export", "plan", staff_id, "--format", "ics"
        )
        assert result.exit_code == 0, result.stderr
        kinds, uids = events_by_kind(result.stdout.encode())
        expected = expected_events(demo_engine, staff_id)
        assert kinds == +expected, role
        seen += kinds
        assert len(set(uids)) == len(uids) and all(uid.endswith("@progression") for uid in uids)
        if role == "nqsw":
            assert expected["review"] >= 3  # recorded ASYE reviews and the planned 9-month one
        calendar = Calendar.from_ical(result.stdout.encode())
        for event in calendar.walk("VEVENT"):
            assert type(event.decoded("DTSTART")) is date  # all-day
            assert str(event["SUMMARY"])
        cpd = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("cpd-")]
        assert len(cpd) == (0 if role == "social-work-apprentice" else 1), role
        for event in cpd:
            assert event.decoded("DTSTART") == date(2026, 11, 30)
            assert str(event["SUMMARY"]).startswith("CPD deadline")
        again = run_cli(
            "--db", demo_url, *AS_ADMIN, "--today", TODAY.isoformat(), "export", "plan", staff_id, "--format", "ics"
        )
        assert again.stdout == result.stdout  # stable UIDs and stamps
    assert all(seen[kind] > 0 for kind in ("action", "review", "cpd", "readiness"))


def test_markdown_reads_as_a_plan(demo_url: str, demo_engine: Engine) -> None:
    staff_id = with_plan(demo_engine, "social-worker-2")
    result = run_cli(
        "--db", demo_url, *AS_ADMIN, "--today", TODAY.isoformat(), "export", "plan", staff_id, "--format", "md"
    )
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    with Session(demo_engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        plan = session.exec(select(DevelopmentPlan).where(DevelopmentPlan.worker_id == worker.id)).first()
        assert plan is not None
        goals = session.exec(select(Goal).where(Goal.plan_id == plan.id)).all()
    assert text.startswith(f"# Development plan: {plan.title}\n")
    assert f"- Worker: {worker.name} ({staff_id})" in text
    assert "- Role: Social worker (level 2)" in text and f"- State: {plan.state}" in text
    for goal in goals:
        assert f". {goal.title}\n" in text
    assert "- Capabilities: PCF " in text and "| Action | Due | Done |" in text
    assert "## State history" in text and "## Dates ahead" in text
    assert "- CPD: registration year ends 2026-11-30" in text


def test_json_is_the_plan_with_readiness_dates(demo_url: str, demo_engine: Engine) -> None:
    staff_id = with_plan(demo_engine, "social-worker-1")
    result = run_cli(
        "--db", demo_url, *AS_ADMIN, "--today", TODAY.isoformat(), "export", "plan", staff_id, "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["staff_id"], data["role"], data["on"]) == (staff_id, "social-worker-1", TODAY.isoformat())
    plan = data["plan"]
    assert {"id", "title", "state", "goals", "history", "actions_done", "actions_total"} <= set(plan)
    assert "rights" not in plan
    for goal in plan["goals"]:
        assert {"capabilities", "actions", "due_on", "done_on"} <= set(goal)
        assert all({"framework", "code", "title"} <= set(c) for c in goal["capabilities"])
    for change in plan["history"]:
        assert {"by_name", "by_staff_id", "from_state", "to_state", "at", "note"} <= set(change)
    steps = next_steps(demo_engine, local_admin(), staff_id, TODAY).next_steps
    assert [(s["role"], s["ready_on"]) for s in data["next_steps"]] == [
        (s.role, s.ready_on.isoformat() if s.ready_on else None) for s in steps
    ]


def test_output_writes_the_file_and_prints_its_path(demo_url: str, demo_engine: Engine, tmp_path: Path) -> None:
    staff_id = with_plan(demo_engine, "nqsw")
    target = tmp_path / "plan.ics"
    result = run_cli(
        "--db",
        demo_url,
        *AS_ADMIN,
        "--today",
        TODAY.isoformat(),
        "export",
        "plan",
        staff_id,
        "--format",
        "ics",
        "--output",
        str(target),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(target)
    kinds, _ = events_by_kind(target.read_bytes())
    assert kinds == +expected_events(demo_engine, staff_id)
    missing = tmp_path / "no-such-dir" / "plan.md"
    failed = run_cli(
        "--db", demo_url, *AS_ADMIN, "export", "plan", staff_id, "--format", "md", "--output", str(missing)
    )
    assert failed.exit_code == 2 and f"--output {missing}: cannot be written" in failed.stderr


def test_a_worker_without_a_plan_still_gets_their_dates(demo_url: str, demo_engine: Engine) -> None:
    staff_id = without_plan(demo_engine)
    md = run_cli("--db", demo_url, *AS_ADMIN, "export", "plan", staff_id, "--format", "md")
    assert md.exit_code == 0 and "has no development plan yet." in md.stdout
    data = json.loads(run_cli("--db", demo_url, *AS_ADMIN, "export", "plan", staff_id, "--format", "json").stdout)
    assert data["plan"] is None
    ics = run_cli(
        "--db", demo_url, *AS_ADMIN, "--today", TODAY.isoformat(), "export", "plan", staff_id, "--format", "ics"
    )
    kinds, _ = events_by_kind(ics.stdout.encode())
    assert kinds["action"] == 0 and kinds["cpd"] == 1


def test_export_is_refused_to_someone_who_may_not_see_the_worker(demo_url: str, demo_engine: Engine) -> None:
    target = with_plan(demo_engine, "social-worker-2")
    with Session(demo_engine) as session:
        stranger = session.exec(
            select(Worker).where(
                Worker.staff_id != target,
                col(Worker.is_admin).is_(False),
                col(Worker.is_manager).is_(False),
                col(Worker.is_educator).is_(False),
            )
        ).first()
    assert stranger is not None
    result = run_cli("--db", demo_url, "--as", stranger.staff_id, "export", "plan", target, "--format", "md")
    assert result.exit_code == 3 and result.stdout == ""
    assert f"may not see {target}'s development plan" in result.stderr
    with Session(demo_engine) as session:
        refusal = session.exec(select(AuditEntry).where(AuditEntry.action == "refused")).one()
    assert refusal.actor == stranger.staff_id
    own = run_cli("--db", demo_url, "--as", stranger.staff_id, "export", "plan", stranger.staff_id, "--format", "md")
    assert own.exit_code == 0


def test_bad_arguments(demo_url: str) -> None:
    assert run_cli("--db", demo_url, *AS_ADMIN, "export", "plan", "E1001", "--format", "pdf").exit_code == 2
    assert run_cli("--db", demo_url, *AS_ADMIN, "export", "plan", "E1001").exit_code == 2
    unknown = run_cli("--db", demo_url, *AS_ADMIN, "export", "plan", "NOBODY", "--format", "md")
    assert unknown.exit_code == 1 and "No worker has staff id 'NOBODY'" in unknown.stderr
