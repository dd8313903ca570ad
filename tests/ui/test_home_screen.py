"""The home screen, "My next step": Ada's steps with their bars, a target's path, asking to progress."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from textual.pilot import Pilot
from textual.widgets import Label, ProgressBar, TextArea

from progression.models import (
    Capability,
    CpdRecord,
    Decision,
    Evidence,
    EvidenceLink,
    Framework,
    FrameworkLevel,
    ProgressionRequest,
    RequestEvidence,
    Role,
    Worker,
)
from progression.services.actor import Actor, resolve_actor
from screens.app import ProgressionApp, make_app
from screens.home import HomeScreen
from screens.request_modal import RequestModal
from screens.widgets.form import FormField
from screens.widgets.home_path import PathView
from screens.widgets.home_requests import RequestDecisionsModal, RequestList
from screens.widgets.home_steps import RequirementRow, StepCard
from tests.ui.helpers import TODAY, settle, text_of


def worker_id(session: Session, staff_id: str) -> int:
    return session.exec(select(Worker.id).where(Worker.staff_id == staff_id)).one()  # type: ignore[return-value]


def make_ada_ready(engine: Engine, role_since: date | None = None) -> int:
    """Accepted evidence for every PCF domain at experienced social worker, and CPD kept up to date.

    Returns the evidence's id. With `role_since`, Ada's time in role restarts then.
    """
    with Session(engine) as session:
        ada = session.exec(select(Worker).where(Worker.staff_id == "T2")).one()
        level_id, framework_id = session.exec(
            select(FrameworkLevel.id, Framework.id)
            .join(Framework, col(Framework.id) == FrameworkLevel.framework_id)
            .where(Framework.key == "pcf", FrameworkLevel.key == "experienced-social-worker")
        ).one()
        accepted = {"accepted_on": date(2026, 6, 1), "accepted_by_id": worker_id(session, "T1")}
        evidence = Evidence(worker_id=ada.id or 0, title="Reflective account", happened_on=date(2026, 5, 1), **accepted)
        session.add(evidence)
        session.flush()
        for capability in session.exec(select(Capability.id).where(Capability.framework_id == framework_id)):
            session.add(EvidenceLink(evidence_id=evidence.id or 0, capability_id=capability or 0, level_id=level_id))
        for day, kind in ((date(2026, 2, 1), "course"), (date(2026, 4, 1), "peer discussion")):
            session.add(
                CpdRecord(worker_id=ada.id or 0, day=day, kind=kind, title=kind, peer_reflection=kind != "course")
            )
        if role_since is not None:
            ada.role_since = role_since
            session.add(ada)
        session.commit()
        return evidence.id or 0


def requests_of_ada(engine: Engine) -> list[ProgressionRequest]:
    with Session(engine) as session:
        ada = worker_id(session, "T2")
        return list(session.exec(select(ProgressionRequest).where(ProgressionRequest.worker_id == ada)))


async def until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    """Let the app run until `condition` holds (redrawing after a read can take a few turns on a busy machine)."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


async def open_home(pilot: Pilot[Any]) -> HomeScreen:
    """Push the home screen and wait until its steps are drawn, one has focus, and the requests are listed."""
    screen = HomeScreen(pilot.app.context)  # type: ignore[attr-defined]
    await pilot.app.push_screen(screen)
    await settle(pilot)

    def drawn() -> bool:
        steps = screen.next_steps
        cards = len(screen.query(StepCard))
        return (
            steps is not None
            and cards == len(steps.next_steps)
            and screen.requests is not None
            and (not cards or isinstance(pilot.app.focused, StepCard))
        )

    await until(pilot, drawn)
    return screen


def notes_of(screen: HomeScreen, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Catch what the screen says in notifications."""
    said: list[str] = []
    monkeypatch.setattr(screen, "notify", lambda message, **_: said.append(message))
    return said


def card(screen: HomeScreen, role: str) -> StepCard:
    return next(c for c in screen.query(StepCard) if c.step.role == role)


async def test_home_shows_adas_steps_with_bars(ui_engine: Engine, ada: Actor) -> None:
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_home(pilot)
        assert "Ada Worker" in str(screen.query_one("#home-standing").visual)
        assert [c.step.role for c in screen.query(StepCard)] == ["senior-social-worker", "practice-supervisor"]
        senior = card(screen, "senior-social-worker")
        assert app.focused is senior
        assert senior.border_subtitle == "no date yet"
        bars = [(bar.progress, bar.total) for bar in senior.query(ProgressBar)]
        assert bars[:3] == [(12, 12), (30, 30), (0, 9)]
        evidence_row = list(senior.query(RequirementRow))[2]
        assert "Missing: Professionalism, Values and Ethics" in text_of(evidence_row)
        assert card(screen, "practice-supervisor").border_subtitle == "READY"
        assert "eligible to apply" in text_of(card(screen, "practice-supervisor"))
        assert "Supervision" in str(screen.query_one("#home-status").visual)
        assert "No requests yet" in str(screen.query_one(RequestList).get_option_at_index(0).prompt)


async def test_choosing_a_target_shows_the_whole_path(ui_engine: Engine, ada: Actor) -> None:
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_home(pilot)
        await pilot.press("t")
        assert app.focused is screen.target_select
        view = screen.query_one(PathView)
        screen.target_select.value = "advanced-social-worker"
        await settle(pilot)
        await until(pilot, lambda: "Advanced social worker:" in text_of(view))
        shown = text_of(view)
        # issue 10: a practice target is reached in practice, even undated; the quicker route by management is
        # listed among the other routes (it was the route shown before)
        assert "Advanced social worker: 2 steps, no date can be known yet" in shown
        assert "It keeps to direct work with children." in shown
        assert "1. Social worker (level 2) → Senior social worker\npanel decides · no date yet" in shown
        assert "2. Senior social worker → Advanced social worker" in shown
        assert "· No date: no accepted evidence at experienced social worker level yet" in shown
        assert "for each of the 9 PCF domains would date it." in shown
        assert (
            "Other routes\n· Practice supervisor (assistant team manager) → Team manager → Advanced social worker "
            "(earliest 24 Nov 2027, leaves the route, needs a vacancy)"
        ) in shown
        screen.target_select.value = "family-support-worker"
        await settle(pilot)
        await until(pilot, lambda: "No route" in text_of(view))
        assert "No route leads from Social worker (level 2) to Family support worker" in text_of(
            screen.query_one(PathView)
        )


async def test_asking_to_progress_submits_a_request(
    ui_engine: Engine, ada: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence_id = make_ada_ready(ui_engine)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_home(pilot)
        said = notes_of(screen, monkeypatch)
        assert card(screen, "senior-social-worker").border_subtitle == "READY"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RequestModal)
        await pilot.press(*"Ready", "tab", "space", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        [request] = requests_of_ada(ui_engine)
        assert (request.state, request.note, request.requirements_met) == ("submitted", "Ready", True)
        with Session(ui_engine) as session:
            offered = session.exec(select(RequestEvidence.evidence_id)).all()
        assert offered == [evidence_id]
        assert said and said[-1].startswith(f"Request #{request.id} to become Senior social worker submitted")
        listed = screen.query_one(RequestList)
        assert listed.highlighted_request is not None and listed.highlighted_request.id == request.id
        assert "submitted" in str(listed.get_option_at_index(0).prompt)
        card(screen, "senior-social-worker").focus()
        await pilot.press("a")
        assert "already open" in said[-1]


async def test_cancelling_the_request_leaves_nothing(ui_engine: Engine, ada: Actor) -> None:
    make_ada_ready(ui_engine)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_home(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Maybe", "escape")
        await settle(pilot)
        assert app.screen is screen
        assert requests_of_ada(ui_engine) == []


async def test_asking_ahead_needs_a_note_and_keeps_what_was_typed(ui_engine: Engine, ada: Actor) -> None:
    make_ada_ready(ui_engine, role_since=date(2025, 12, 24))  # twelve months in role on 24 Dec 2026
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_home(pilot)
        assert card(screen, "senior-social-worker").border_subtitle == "ready on 24 Dec 2026"
        await pilot.press("a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RequestModal)
        await pilot.press("ctrl+s")
        note = modal.query_one("#request-note", FormField)
        assert app.screen is modal and note.has_class("-invalid")
        await pilot.press(*"Panel in December")
        modal.query_one(TextArea).text = "x" * 2001
        await pilot.press("ctrl+s")
        assert app.screen is modal and "at most 2000 are allowed" in str(note.query_one(".field-error").visual)
        assert modal.query_one(TextArea).text == "x" * 2001
        modal.query_one(TextArea).text = "Panel in December"
        await pilot.press("ctrl+s")
        await settle(pilot)
        [request] = requests_of_ada(ui_engine)
        assert (request.note, request.requirements_met) == ("Panel in December", False)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("senior-social-worker", "Senior social worker has no date yet: accepted evidence for every PCF domain"),
        ("practice-supervisor", "is filled by recruitment: you are eligible to apply when ready; no request is needed"),
    ],
)
async def test_a_step_that_cannot_be_asked_for_says_why(
    ui_engine: Engine, ada: Actor, role: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_home(pilot)
        said = notes_of(screen, monkeypatch)
        card(screen, role).focus()
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen
        assert expected in said[-1]
        assert requests_of_ada(ui_engine) == []


async def test_v_shows_a_requests_decisions(ui_engine: Engine, ada: Actor) -> None:
    with Session(ui_engine) as session:  # an undated step, asked for before the rule on asking early
        worker = worker_id(session, "T2")
        roles = {r.key: r.id for r in session.exec(select(Role))}
        ada_now = session.get_one(Worker, worker)
        request = ProgressionRequest(
            worker_id=worker,
            submitted_by_id=worker,
            from_role_id=ada_now.role_id,
            to_role_id=roles["senior-social-worker"],
            submitted_on=date(2026, 9, 1),
        )
        session.add(request)
        session.flush()
        reason = "Two more observations"
        session.add(
            Decision(
                request_id=request.id,
                by_id=worker_id(session, "T1"),
                outcome="defer",
                reason=reason,
                day=date(2026, 9, 20),
            )
        )
        session.commit()
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_home(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, RequestDecisionsModal)
        shown = text_of(app.screen)
        assert "defer by Bo Manager (T1)" in shown and "Two more observations" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, RequestDecisionsModal)


async def test_another_workers_home_is_refused(ui_engine: Engine, ada: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_home(pilot)
        said = notes_of(screen, monkeypatch)
        app.subject = "T4"
        await settle(pilot, failures_expected=True)
        assert screen.standing is None and screen.next_steps is None
        assert list(screen.query(StepCard)) == []
        assert "Dee" not in str(screen.query_one("#home-standing").visual)
        assert any("may not see T4's record" in message for message in said)


async def test_only_the_worker_asks_to_progress(ui_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    make_ada_ready(ui_engine)
    app = make_app(engine=ui_engine, actor=resolve_actor(ui_engine, "T1"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        app.subject = "T2"
        screen = await open_home(pilot)
        said = notes_of(screen, monkeypatch)
        assert screen.query_one("#home-requests-heading", Label).content == "Their requests"
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen and said == ["Only T2 may ask to progress."]
        assert requests_of_ada(ui_engine) == []


def test_home_at_100_by_30(snap_compare: Callable[..., bool], ada_app: ProgressionApp) -> None:
    assert snap_compare(ada_app, terminal_size=(100, 30), run_before=open_home)
