"""Deciding progression requests: every transition of state, every refusal, and two deciders at once (issue 6)."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, Conflict, InputError, NotFound
from progression.models import (
    Decision,
    Goal,
    GoalAction,
    ProgressionRequest,
    Role,
    RoleHistory,
    Transition,
    Worker,
)
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.decisions import appeal, apply_due, decide
from tests.conftest import TODAY
from tests.utils.cli import run_cli


def open_request(engine: Engine, decided_by: str, state: str = "submitted", met: bool = True) -> tuple[int, str]:
    """A fresh request on a transition decided by `decided_by`, by a worker in its from-role who has a manager."""
    with Session(engine) as session:
        transition = session.exec(
            select(Transition).where(Transition.decided_by == decided_by).order_by(Transition.position)
        ).first()
        assert transition is not None
        busy = set(
            session.exec(
                select(ProgressionRequest.worker_id).where(
                    col(ProgressionRequest.state).in_(("submitted", "endorsed")),
                    ProgressionRequest.to_role_id == transition.to_role_id,
                )
            )
        )
        candidates = session.exec(
            select(Worker)
            .where(col(Worker.manager_id).is_not(None))
            .order_by(Worker.role_id != transition.from_role_id, Worker.staff_id)
        ).all()
        worker = next(w for w in candidates if w.id not in busy)
        if worker.role_id != transition.from_role_id:
            worker.role_id = transition.from_role_id
            session.add(worker)
        request = ProgressionRequest(
            worker_id=worker.id,
            transition_id=transition.id,  # type: ignore[union-attr]
            from_role_id=transition.from_role_id,
            to_role_id=transition.to_role_id,
            state=state,
            submitted_on=TODAY - timedelta(days=5),
            submitted_by_id=worker.id,
            requirements_met=met,
        )  # type: ignore[union-attr]
        session.add(request)
        session.commit()
        return request.id, worker.staff_id  # type: ignore[return-value, union-attr]


def line_manager(engine: Engine, staff_id: str) -> Actor:
    with Session(engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        manager = session.get_one(Worker, worker.manager_id)
        return resolve_actor(engine, manager.staff_id)


def state_of(engine: Engine, request_id: int) -> str:
    with Session(engine) as session:
        return session.get_one(ProgressionRequest, request_id).state


def decisions(engine: Engine, request_id: int) -> list[str]:
    with Session(engine) as session:
        return list(
            session.exec(select(Decision.outcome).where(Decision.request_id == request_id).order_by(Decision.id))
        )


PANEL = resolve_actor  # the demo's head of service (E1001) is an administrator and chairs the panel


def test_line_manager_approval_moves_the_worker_on_the_effective_date(demo_engine: Engine) -> None:
    request_id, staff_id = open_request(demo_engine, "line_manager")
    manager = line_manager(demo_engine, staff_id)
    later = TODAY + timedelta(days=7)
    result = decide(demo_engine, manager, request_id, "approve", "Ready: strong practice.", TODAY, effective=later)
    assert (result.state, result.applied) == ("approved", False)
    assert apply_due(demo_engine, TODAY) == 0
    assert apply_due(demo_engine, later) == 1
    with Session(demo_engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        request = session.get_one(ProgressionRequest, request_id)
        assert (worker.role_id, worker.role_since, request.applied_on) == (request.to_role_id, later, later)
        spells = session.exec(
            select(RoleHistory).where(RoleHistory.worker_id == worker.id).order_by(col(RoleHistory.started_on))
        ).all()
        assert spells[-1].started_on == later and spells[-1].ended_on is None
        assert spells[-2].ended_on == later


@pytest.mark.parametrize("outcome", ["return", "defer", "reject"])
def test_line_manager_other_outcomes(demo_engine: Engine, outcome: str) -> None:
    request_id, staff_id = open_request(demo_engine, "line_manager")
    decide(demo_engine, line_manager(demo_engine, staff_id), request_id, outcome, "A reason.", TODAY)
    assert (
        state_of(demo_engine, request_id) == {"return": "returned", "defer": "deferred", "reject": "rejected"}[outcome]
    )


def test_panel_route_endorse_then_panel_approves(demo_engine: Engine) -> None:
    request_id, staff_id = open_request(demo_engine, "panel")
    manager = line_manager(demo_engine, staff_id)
    with pytest.raises(InputError, match="not possible for a submitted request"):
        decide(demo_engine, manager, request_id, "approve", "Straight through.", TODAY)
    decide(demo_engine, manager, request_id, "endorse", "Endorsed for panel.", TODAY)
    assert state_of(demo_engine, request_id) == "endorsed"
    with pytest.raises(AccessDenied, match="panel"):
        decide(demo_engine, manager, request_id, "approve", "I am not the panel.", TODAY)
    result = decide(demo_engine, PANEL(demo_engine, "E1001"), request_id, "approve", "Panel agrees.", TODAY)
    assert (result.state, result.applied, result.effective_on) == ("approved", True, TODAY)
    assert decisions(demo_engine, request_id) == ["endorse", "approve"]


def test_a_deferral_puts_development_actions_in_the_plan(demo_engine: Engine) -> None:
    request_id, staff_id = open_request(demo_engine, "panel", state="endorsed")
    decide(
        demo_engine,
        PANEL(demo_engine, "E1001"),
        request_id,
        "defer",
        "Lead two complex cases first.",
        TODAY,
        actions=["Lead a complex child protection case", "Present it at the practice forum"],
    )
    with Session(demo_engine) as session:
        goal = session.exec(select(Goal).where(Goal.source == f"deferred request {request_id}")).one()
        titles = list(session.exec(select(GoalAction.title).where(GoalAction.goal_id == goal.id)))
    assert titles == ["Lead a complex child protection case", "Present it at the practice forum"]


def test_one_appeal_against_a_rejection_decided_by_the_panel(demo_engine: Engine) -> None:
    request_id, staff_id = open_request(demo_engine, "panel", state="endorsed")
    panel = PANEL(demo_engine, "E1001")
    decide(demo_engine, panel, request_id, "reject", "Not yet at the experienced level.", TODAY)
    worker = resolve_actor(demo_engine, staff_id)
    with pytest.raises(InputError, match="say why"):
        appeal(demo_engine, worker, request_id, "", TODAY)
    appeal_id = appeal(demo_engine, worker, request_id, "My account was assessed against the wrong level.", TODAY)
    with pytest.raises(InputError, match="has had its one appeal"):
        appeal(demo_engine, worker, request_id, "Again.", TODAY)
    with pytest.raises(AccessDenied, match="panel"):
        decide(demo_engine, line_manager(demo_engine, staff_id), appeal_id, "approve", "Manager.", TODAY)
    with pytest.raises(AccessDenied, match="took the decision appealed against"):  # issue 10: another panel member
        decide(demo_engine, panel, appeal_id, "approve", "On appeal: met.", TODAY)
    decide(demo_engine, other_panel_member(demo_engine, "E1001"), appeal_id, "approve", "On appeal: met.", TODAY)
    assert state_of(demo_engine, appeal_id) == "approved"


def other_panel_member(engine: Engine, not_staff_id: str) -> Actor:
    """An administrator (a panel member) other than `not_staff_id`."""
    with Session(engine) as session:
        staff_id = session.exec(
            select(Worker.staff_id).where(col(Worker.is_admin).is_(True), Worker.staff_id != not_staff_id)
        ).first()
    assert staff_id is not None
    return resolve_actor(engine, staff_id)


def test_refusals(demo_engine: Engine) -> None:
    request_id, staff_id = open_request(demo_engine, "line_manager", met=False)
    manager = line_manager(demo_engine, staff_id)
    worker = resolve_actor(demo_engine, staff_id)
    with pytest.raises(AccessDenied, match="about themselves"):
        decide(demo_engine, worker, request_id, "approve", "Me.", TODAY)
    with pytest.raises(InputError, match="a reason is required"):
        decide(demo_engine, manager, request_id, "approve", "  ", TODAY)
    with pytest.raises(InputError, match="requirements were not met"):
        decide(demo_engine, manager, request_id, "approve", "Looks fine.", TODAY)
    with pytest.raises(InputError, match="is before the request"):
        decide(
            demo_engine,
            manager,
            request_id,
            "approve",
            "Override.",
            TODAY,
            override=True,
            effective=TODAY - timedelta(days=30),
        )
    with pytest.raises(InputError, match="not one of"):
        decide(demo_engine, manager, request_id, "promote", "Why not.", TODAY)
    with pytest.raises(AccessDenied, match="may not decide request 99999"):  # issue 10: no id is probed
        decide(demo_engine, manager, 99999, "approve", "Ghost.", TODAY)
    from progression.services.actor import reports_of

    with Session(demo_engine) as session:
        subject = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        stranger = next(
            w
            for w in session.exec(select(Worker).where(~Worker.is_admin, Worker.id != subject.id))
            if subject.id not in reports_of(session, w.id)
        )  # type: ignore[arg-type]
    with pytest.raises(AccessDenied):
        decide(demo_engine, resolve_actor(demo_engine, stranger.staff_id), request_id, "return", "No.", TODAY)  # type: ignore[union-attr]
    assert decisions(demo_engine, request_id) == []
    result = decide(
        demo_engine, manager, request_id, "approve", "Override: caseload evidence seen.", TODAY, override=True
    )
    assert result.state == "approved"
    with pytest.raises(Conflict, match="already approved"):
        decide(demo_engine, manager, request_id, "return", "Too late.", TODAY)


def test_nobody_decides_a_request_about_themselves_even_an_administrator(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        admin = session.exec(select(Worker).where(Worker.staff_id == "E1001")).one()
        role = session.exec(select(Role).where(Role.id == admin.role_id)).one()
        other = session.exec(select(Role).where(Role.id != role.id)).first()
        request = ProgressionRequest(
            worker_id=admin.id,
            from_role_id=role.id,
            to_role_id=other.id,  # type: ignore[arg-type,union-attr]
            submitted_on=TODAY,
            submitted_by_id=admin.id,
            requirements_met=True,
        )  # type: ignore[arg-type]
        session.add(request)
        session.commit()
        request_id = request.id
    with pytest.raises(AccessDenied, match="about themselves"):
        decide(demo_engine, resolve_actor(demo_engine, "E1001"), request_id, "approve", "Mine.", TODAY)  # type: ignore[arg-type]


def test_two_deciders_at_the_same_moment_exactly_one_lands(demo_engine: Engine) -> None:
    """Real concurrent connections (threads, each with its own): one decision lands, the other is refused."""
    request_id, staff_id = open_request(demo_engine, "panel", state="endorsed")
    panel = PANEL(demo_engine, "E1001")
    with Session(demo_engine) as session:
        second_admin = session.exec(
            select(Worker).where(Worker.is_admin, Worker.staff_id != "E1001", Worker.staff_id != staff_id)
        ).first()
    other = resolve_actor(demo_engine, second_admin.staff_id) if second_admin else local_admin()  # type: ignore[union-attr]
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decider(name: str, actor: Actor, outcome: str) -> None:
        start.wait()
        try:
            outcomes[name] = decide(demo_engine, actor, request_id, outcome, f"{name} decides.", TODAY).state
        except Exception as exc:  # noqa: BLE001  the loser's error is the point of the test
            outcomes[name] = exc

    threads = [
        threading.Thread(target=decider, args=("first", panel, "approve")),
        threading.Thread(target=decider, args=("second", other, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    landed = [v for v in outcomes.values() if isinstance(v, str)]
    refused = [v for v in outcomes.values() if isinstance(v, Exception)]
    assert len(landed) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], Conflict), refused
    assert "already" in str(refused[0])
    assert state_of(demo_engine, request_id) == landed[0]
    assert len(decisions(demo_engine, request_id)) == 1
    with Session(demo_engine) as session:
        assert (
            session.exec(select(func.count()).select_from(Decision).where(Decision.request_id == request_id)).one() == 1
        )


def test_applied_moves_wait_for_their_date(demo_engine: Engine) -> None:
    assert apply_due(demo_engine, date(2000, 1, 1)) == 0


def test_request_decide_command(demo_url: str, demo_engine: Engine) -> None:
    """`request decide` prints the new state; a second decision on a decided request exits 4."""
    from tests.utils.cli import run_cli

    request_id, _ = open_request(demo_engine, "panel", state="endorsed")
    ok = run_cli(
        "--db",
        demo_url,
        "--as",
        "E1001",
        "--today",
        "2026-11-24",
        "request",
        "decide",
        str(request_id),
        "--outcome",
        "approve",
        "--reason",
        "Panel agrees.",
        "--effective",
        "2026-12-01",
    )
    assert ok.exit_code == 0, ok.stderr
    assert ok.stdout.strip() == f"Request {request_id} is now approved; takes effect on 2026-12-01."
    late = run_cli(
        "--db",
        demo_url,
        "--as",
        "E1001",
        "request",
        "decide",
        str(request_id),
        "--outcome",
        "reject",
        "--reason",
        "Too late.",
    )
    assert late.exit_code == 4
    assert f"Request {request_id} is already approved" in late.stderr
    no_reason = run_cli(
        "--db", demo_url, "--as", "E1001", "request", "decide", str(request_id), "--outcome", "reject", "--reason", " "
    )
    assert no_reason.exit_code == 2 and "a reason is required" in no_reason.stderr


def rejected_with_a_new_open_request(engine: Engine) -> tuple[int, str, int]:
    """A rejected panel request, and the worker's new (submitted) request for the same step."""
    request_id, staff_id = open_request(engine, "panel", state="endorsed")
    decide(engine, PANEL(engine, "E1001"), request_id, "reject", "Not yet at the experienced level.", TODAY)
    with Session(engine) as session:
        old = session.get_one(ProgressionRequest, request_id)
        new = ProgressionRequest(
            worker_id=old.worker_id,
            transition_id=old.transition_id,
            from_role_id=old.from_role_id,
            to_role_id=old.to_role_id,
            state="submitted",
            submitted_on=TODAY,
            submitted_by_id=old.worker_id,
        )
        session.add(new)
        session.commit()
        return request_id, staff_id, new.id  # type: ignore[return-value]


def count_requests(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(ProgressionRequest)).one()


def test_an_appeal_while_a_new_request_for_the_step_is_open_is_refused_clearly(
    demo_engine: Engine, demo_url: str
) -> None:
    request_id, staff_id, open_id = rejected_with_a_new_open_request(demo_engine)
    before = count_requests(demo_engine)
    with pytest.raises(InputError, match=f"request {open_id} for the same step is open \\(submitted\\)"):
        appeal(demo_engine, resolve_actor(demo_engine, staff_id), request_id, "Assessed at the wrong level.", TODAY)
    result = run_cli(
        "--db",
        demo_url,
        "--as",
        staff_id,
        "--today",
        "2026-11-24",
        "request",
        "appeal",
        str(request_id),
        "--note",
        "Why.",
    )
    assert result.exit_code == 2, result.stderr
    assert f"request {open_id} for the same step is open" in result.stderr
    assert "IntegrityError" not in result.stderr and "INSERT" not in result.stderr
    assert count_requests(demo_engine) == before


def test_an_appeal_that_loses_the_race_for_the_step_is_a_conflict(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check and the insert are apart: when another session opens a request in between, the unique index
    refuses the insert, and that is a Conflict (exit 4), not an SQL error."""
    from progression.services import decisions as service

    request_id, staff_id, _ = rejected_with_a_new_open_request(demo_engine)
    before = count_requests(demo_engine)
    monkeypatch.setattr(service, "open_request_on_step", lambda *_: None)  # the other session is not seen yet
    with pytest.raises(Conflict, match="has just been opened from another session"):
        appeal(demo_engine, resolve_actor(demo_engine, staff_id), request_id, "Assessed at the wrong level.", TODAY)
    assert count_requests(demo_engine) == before


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"reason": "No\x00way"}, "--reason: the text contains a control character"),
        ({"reason": "r" * 2001}, "--reason: the text is 2001 characters long"),
        ({"actions": ["Lead a case", "x" * 301]}, "--action: the action is 301 characters long; at most 300"),
        ({"actions": ["Lead\x00a case"]}, "--action: the action contains a control character"),
        ({"actions": ["Lead a case\nand another"]}, "--action: the action contains a control character"),
        ({"actions": ["  "]}, "--action: the action is empty"),
    ],
    ids=["reason-nul", "reason-long", "action-long", "action-nul", "action-newline", "action-empty"],
)
def test_reasons_and_actions_are_checked_before_anything_is_written(
    demo_engine: Engine, kwargs: dict[str, object], expected: str
) -> None:
    request_id, staff_id = open_request(demo_engine, "line_manager")
    arguments: dict[str, object] = {"reason": "Not yet.", "actions": []} | kwargs
    with pytest.raises(InputError, match=expected):
        decide(
            demo_engine,
            line_manager(demo_engine, staff_id),
            request_id,
            "defer",
            arguments["reason"],  # type: ignore[arg-type]
            TODAY,
            actions=arguments["actions"],  # type: ignore[arg-type]
        )
    assert decisions(demo_engine, request_id) == []
    assert state_of(demo_engine, request_id) == "submitted"


def test_a_nul_in_a_reason_or_appeal_note_exits_2_on_every_backend(demo_engine: Engine, demo_url: str) -> None:
    request_id, staff_id = open_request(demo_engine, "line_manager")
    with Session(demo_engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        manager = session.get_one(Worker, worker.manager_id).staff_id
    common = ("--db", demo_url, "--today", "2026-11-24", "request")
    decided = run_cli(
        *common[:4],
        "--as",
        manager,
        *common[4:],
        "decide",
        str(request_id),
        "--outcome",
        "reject",
        "--reason",
        "a\x00b",
    )
    assert decided.exit_code == 2 and "--reason" in decided.stderr, decided.stderr
    assert (
        decide(demo_engine, line_manager(demo_engine, staff_id), request_id, "reject", "No.", TODAY).state == "rejected"
    )
    appealed = run_cli(*common[:4], "--as", staff_id, *common[4:], "appeal", str(request_id), "--note", "a\x00b")
    assert appealed.exit_code == 2 and "--note" in appealed.stderr, appealed.stderr
    assert "SQL" not in decided.stderr + appealed.stderr


@pytest.mark.parametrize("request_id", [0, -1, 2**31, 2**63])
def test_a_request_id_no_request_can_have_is_not_found(demo_engine: Engine, request_id: int) -> None:
    with pytest.raises(NotFound, match=f"No progression request has id {request_id}"):
        decide(demo_engine, PANEL(demo_engine, "E1001"), request_id, "approve", "Ghost.", TODAY)
    with pytest.raises(NotFound):
        appeal(demo_engine, PANEL(demo_engine, "E1001"), request_id, "Ghost.", TODAY)


def test_a_deferral_without_actions_turns_a_long_reason_into_one_action_that_fits(demo_engine: Engine) -> None:
    request_id, staff_id = open_request(demo_engine, "line_manager")
    reason = "Build more experience " * 50 + "\nSecond line."
    decide(demo_engine, line_manager(demo_engine, staff_id), request_id, "defer", reason, TODAY)
    with Session(demo_engine) as session:
        goal = session.exec(select(Goal).where(Goal.source == f"deferred request {request_id}")).one()
        [title] = session.exec(select(GoalAction.title).where(GoalAction.goal_id == goal.id)).all()
    assert len(title) <= 300 and title.endswith("…") and title.startswith("Build more experience")
