"""The managers' screens: the team view, the requests queue with its decisions, and the workforce view."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from sqlalchemy import Engine
from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from progression.errors import InputError
from progression.models import Decision, Worker
from progression.services.actor import Actor, local_admin, reports_of, resolve_actor
from progression.services.decisions import decide
from progression.services.requests import RequestRead, list_requests, submit_request
from progression.services.team import team_view
from screens.app import ProgressionApp, make_app
from screens.decide_modal import DecideModal
from screens.requests_queue import RequestsScreen
from screens.team import TeamScreen
from screens.widgets.form import FormField
from screens.widgets.manager_benchmark import BenchmarkPanel
from screens.widgets.manager_export import ExportModal
from screens.widgets.manager_record import WorkerRecordModal
from screens.workforce import WorkforceScreen
from tests.ui.helpers import TODAY, settle

SnapCompare = Callable[..., bool]
HEAD_OF_SERVICE = "E1001"
"""The demo's head of service, an administrator: the panel."""
TEAM_MANAGER = "E1007"
"""A demo team manager: line manager of a practice supervisor (E1012), who manages E1014."""


def app_for(engine: Engine, staff_id: str) -> ProgressionApp:
    return make_app(engine=engine, actor=resolve_actor(engine, staff_id), today=TODAY)


async def open_screen(pilot: Pilot[Any], screen: Any) -> None:
    await pilot.app.push_screen(screen)
    await settle(pilot)


def row_keys(table: DataTable[Any]) -> list[str]:
    return [str(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)]


def cell(table: DataTable[Any], row: int, column: int) -> str:
    value = table.get_row_at(row)[column]
    return value.plain if isinstance(value, Text) else str(value)


def request_state(engine: Engine, request_id: int) -> str:
    return next(r.state for r in list_requests(engine, resolve_actor(engine, HEAD_OF_SERVICE)) if r.id == request_id)


def decisions_on(engine: Engine, request_id: int) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Decision).where(Decision.request_id == request_id)).all())


async def test_the_team_is_the_managers_reports_only(demo_engine: Engine) -> None:
    app = app_for(demo_engine, TEAM_MANAGER)
    with Session(demo_engine) as session:
        manager = session.exec(select(Worker).where(Worker.staff_id == TEAM_MANAGER)).one()
        ids = reports_of(session, manager.id or 0)
        expected = set(session.exec(select(Worker.staff_id).where(Worker.id.in_(ids))))  # type: ignore[union-attr]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = TeamScreen(app.context)
        await open_screen(pilot, screen)
        assert set(row_keys(screen.table)) == expected and TEAM_MANAGER not in expected
        summary = str(screen.query_one("#team-summary", Static).visual)
        assert summary.startswith(f"{len(expected)} reports") and "waiting for you" in summary


async def test_the_team_sorts_and_filters(demo_engine: Engine) -> None:
    app = app_for(demo_engine, TEAM_MANAGER)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = TeamScreen(app.context)
        await open_screen(pilot, screen)
        names = [m.name for m in screen.shown]
        assert names == sorted(names, key=str.casefold)
        await pilot.press("s", "s", "s")
        await pilot.pause()
        assert "caseload" in str(screen.table.border_title)
        shares = [m.caseload / m.caseload_cap for m in screen.shown if m.caseload and m.caseload_cap]
        assert shares == sorted(shares, reverse=True)
        await pilot.press("slash", *"finn")
        await pilot.pause()
        assert [m.name for m in screen.shown] == ["Finn Underhill"]
        await pilot.press("escape")
        screen.query_one("#team-filter-input", Input).value = ""
        await pilot.press("f")
        await pilot.pause()
        assert screen.query_one("#team-flagged", Checkbox).value
        assert screen.shown and all(m.flags for m in screen.shown) and len(screen.shown) < len(screen.members)
        await pilot.press("f", "i")
        await pilot.pause()
        assert screen.shown and all(m.direct for m in screen.shown)
        await pilot.press("i")
        await pilot.pause()
        assert screen.shown and not any(m.direct for m in screen.shown)


async def test_an_over_cap_caseload_is_flagged_in_red(demo_engine: Engine) -> None:
    app = app_for(demo_engine, TEAM_MANAGER)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = TeamScreen(app.context)
        await open_screen(pilot, screen)
        row = next(i for i, m in enumerate(screen.shown) if "over-cap" in m.flags)
        member = screen.shown[row]
        cases = screen.table.get_row_at(row)[5]
        assert cases.plain == f"{member.caseload}/{member.caseload_cap}" and member.caseload > member.caseload_cap
        assert app.theme_variables["text-error"] in str(cases.style)
        assert "cap" in cell(screen.table, row, 7).split()


async def test_enter_opens_a_read_only_record(demo_engine: Engine) -> None:
    app = app_for(demo_engine, TEAM_MANAGER)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = TeamScreen(app.context)
        await open_screen(pilot, screen)
        await pilot.press("enter")
        await settle(pilot)
        record = app.screen
        assert isinstance(record, WorkerRecordModal) and record.standing.staff_id == screen.shown[0].staff_id
        assert "Next steps" in str(record.query_one(".record-heading", Static).visual)
        await pilot.press("escape")
        assert app.screen is screen


async def test_export_checks_the_suffix_then_writes(demo_engine: Engine, tmp_path: Path) -> None:
    app = app_for(demo_engine, TEAM_MANAGER)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = TeamScreen(app.context)
        await open_screen(pilot, screen)
        await pilot.press("x")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportModal)
        field = modal.query_one("#export-path", FormField)
        field.text = str(tmp_path / "team.pdf")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field.has_class("-invalid") and field.text.endswith("team.pdf") and app.screen is modal
        field.text = str(tmp_path / "team.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        lines = (tmp_path / "team.csv").read_text(encoding="utf-8-sig").splitlines()
        assert lines[0].startswith("staff_id,name,role") and len(lines) == len(screen.shown) + 1


def mark_met(engine: Engine, request_id: int) -> None:
    """Arrange a request whose requirements were met on the day it was submitted (no override needed)."""
    from sqlmodel import Session

    from progression.models import ProgressionRequest

    with Session(engine) as session:
        request = session.get_one(ProgressionRequest, request_id)
        request.requirements_met = True
        session.add(request)
        session.commit()


async def open_decision(pilot: Pilot[Any], app: ProgressionApp, request_id: int) -> tuple[RequestsScreen, DecideModal]:
    screen = RequestsScreen(app.context)
    await open_screen(pilot, screen)
    screen.table.move_cursor(row=[r.id for r in screen.shown].index(request_id))
    await pilot.pause()
    await pilot.press("d")
    await pilot.pause()
    assert isinstance(app.screen, DecideModal)
    return screen, app.screen


async def test_the_panel_approves_an_endorsed_request(demo_engine: Engine) -> None:
    mark_met(demo_engine, 3)
    app = app_for(demo_engine, HEAD_OF_SERVICE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = RequestsScreen(app.context)
        await open_screen(pilot, screen)
        assert screen.shown[0].state == "endorsed" and cell(screen.table, 0, 4) == "you"
        screen, modal = await open_decision(pilot, app, screen.shown[0].id)
        request_id = modal.request.id
        modal.query_one("#decide-outcome", Select).value = "approve"
        await pilot.pause()
        assert modal.query_one("#decide-effective").display and not modal.query_one("#decide-actions").display
        modal.query_one("#decide-reason", FormField).text = "Panel agreed: the evidence meets the senior standard."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert request_state(demo_engine, request_id) == "approved"
        assert any(n.title == "Decision recorded" for n in app._notifications)
        assert next(r for r in screen.requests if r.id == request_id).state == "approved"


async def test_a_decision_without_a_reason_keeps_what_was_typed(demo_engine: Engine) -> None:
    app = app_for(demo_engine, HEAD_OF_SERVICE)
    async with app.run_test(size=(100, 30)) as pilot:
        _, modal = await open_decision(pilot, app, 3)
        modal.query_one("#decide-outcome", Select).value = "defer"
        await pilot.pause()
        actions = modal.query_one("#decide-actions", FormField)
        actions.text = "Shadow a senior at two child protection conferences"
        await pilot.press("ctrl+s")
        await settle(pilot)
        reason = modal.query_one("#decide-reason", FormField)
        assert app.screen is modal and reason.has_class("-invalid")
        assert "Required" in str(reason.query_one(".field-error", Static).visual)
        assert actions.text == "Shadow a senior at two child protection conferences"
        assert request_state(demo_engine, 3) == "endorsed" and decisions_on(demo_engine, 3) == 1


async def test_no_outcome_is_refused_in_place(demo_engine: Engine) -> None:
    app = app_for(demo_engine, HEAD_OF_SERVICE)
    async with app.run_test(size=(100, 30)) as pilot:
        _, modal = await open_decision(pilot, app, 3)
        modal.query_one("#decide-reason", FormField).text = "Looks right"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert modal.query_one("#decide-outcome-box").has_class("-invalid") and app.screen is modal
        assert modal.outcomes == ("approve", "defer", "reject")


async def test_cancel_changes_nothing(demo_engine: Engine) -> None:
    app = app_for(demo_engine, HEAD_OF_SERVICE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, modal = await open_decision(pilot, app, 3)
        modal.query_one("#decide-outcome", Select).value = "reject"
        modal.query_one("#decide-reason", FormField).text = "Not yet"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert request_state(demo_engine, 3) == "endorsed" and decisions_on(demo_engine, 3) == 1


async def test_someone_deciding_first_is_reported(demo_engine: Engine) -> None:
    mark_met(demo_engine, 3)
    app = app_for(demo_engine, HEAD_OF_SERVICE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, modal = await open_decision(pilot, app, 3)
        other = resolve_actor(demo_engine, "E1002")
        decide(demo_engine, other, 3, "reject", "The panel met this morning.", TODAY)
        modal.query_one("#decide-outcome", Select).value = "approve"
        modal.query_one("#decide-reason", FormField).text = "Approved by the panel."
        await pilot.press("ctrl+s")
        await settle(pilot, failures_expected=True)
        await settle(pilot)
        assert app.screen is screen
        assert any(n.title == "Someone decided first" for n in app._notifications)
        assert request_state(demo_engine, 3) == "rejected" and decisions_on(demo_engine, 3) == 2
        assert next(r for r in screen.requests if r.id == 3).state == "rejected"


async def test_a_line_manager_decides_their_reports_request(demo_engine: Engine) -> None:
    mark_met(demo_engine, 1)
    app = app_for(demo_engine, TEAM_MANAGER)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, modal = await open_decision(pilot, app, 1)
        assert modal.outcomes == ("approve", "return", "defer", "reject")
        modal.query_one("#decide-outcome", Select).value = "approve"
        modal.query_one("#decide-reason", FormField).text = "Two years qualified, CPD up to date."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert request_state(demo_engine, 1) == "approved" and app.screen is screen


def early_request(engine: Engine) -> tuple[RequestRead, str]:
    """A request by a worker for a line manager's step they are not ready for, and their line manager's id."""
    for member in team_view(engine, local_admin(), TODAY):
        if member.next_step is None or member.next_step_ready:
            continue
        with Session(engine) as session:
            worker = session.exec(select(Worker).where(Worker.staff_id == member.staff_id)).one()
            manager = session.get(Worker, worker.manager_id) if worker.manager_id else None
        if manager is None or not manager.is_manager:
            continue
        try:
            request = submit_request(
                engine,
                resolve_actor(engine, member.staff_id),
                member.staff_id,
                member.next_step,
                "Asking early",
                [],
                TODAY,
            )
        except InputError:
            continue
        if request.decided_by == "line_manager" and not request.requirements_met:
            return request, manager.staff_id
    raise AssertionError("the demo has no worker who can ask early for a line manager's step")


async def test_unmet_requirements_need_the_override(demo_engine: Engine) -> None:
    """A request made before the worker was ready is approved only with the override ticked."""
    request, manager = early_request(demo_engine)
    app = app_for(demo_engine, manager)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, modal = await open_decision(pilot, app, request.id)
        override = modal.query_one("#decide-override", Checkbox)
        assert not override.display
        modal.query_one("#decide-outcome", Select).value = "approve"
        await pilot.pause()
        assert override.display
        modal.query_one("#decide-reason", FormField).text = "Covering a vacancy; the experience is there."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal and modal.query_one("#decide-outcome-box").has_class("-invalid")
        override.value = True
        await pilot.pause()
        assert "override" in str(modal.query_one("#decide-reason .field-label", Static).visual)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and request_state(demo_engine, request.id) == "approved"
    with Session(demo_engine) as session:
        decision = session.exec(select(Decision).where(Decision.request_id == request.id)).one()
        assert decision.override and decision.reason == "Covering a vacancy; the experience is there."


async def test_a_worker_sees_only_their_own(demo_engine: Engine) -> None:
    """Through these screens a plain worker sees no one else: no team, only their own request, no decisions."""
    worker: Actor = resolve_actor(demo_engine, "E1014")
    assert not worker.is_manager and not worker.is_admin
    app = make_app(engine=demo_engine, actor=worker, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        team = TeamScreen(app.context)
        await open_screen(pilot, team)
        assert team.table.row_count == 0 and "No reports" in str(team.query_one("#team-summary", Static).visual)
        queue = RequestsScreen(app.context)
        await open_screen(pilot, queue)
        assert {r.staff_id for r in queue.requests} == {"E1014"}
        assert queue.check_action("decide", ()) is None
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is queue
        workforce = WorkforceScreen(app.context)
        await pilot.app.push_screen(workforce)
        await settle(pilot, failures_expected=True)
        assert workforce.report is None  # refused, not shown with their own row alone (issue 10)


async def test_the_benchmark_shows_westminster_2025_as_suppressed(demo_engine: Engine) -> None:
    app = app_for(demo_engine, HEAD_OF_SERVICE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = WorkforceScreen(app.context)
        await open_screen(pilot, screen)
        assert screen.report is not None and screen.report.headcount == 60
        await pilot.press("b")
        await pilot.press(*"Westminster", "enter")
        await settle(pilot)
        screen.query_one("#benchmark-year", Select).value = 2025
        await settle(pilot)
        panel = screen.query_one(BenchmarkPanel)
        assert panel.result is not None and panel.result.year == 2025
        table = panel.query_one(DataTable)
        westminster = [cell(table, row, 1) for row in range(table.row_count)]
        assert westminster == ["suppressed (not available)"] * 5
        assert cell(table, 0, 3) == "11.8%"
        await pilot.press("escape")
        screen.query_one("#benchmark-la", Input).value = "north"
        await pilot.press("b", "enter")
        await settle(pilot)
        status = panel.query_one("#benchmark-status", Static)
        assert status.has_class("-error") and "matches 9 councils" in str(status.visual)


async def test_the_workforce_exports_every_table(demo_engine: Engine, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    app = app_for(demo_engine, HEAD_OF_SERVICE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = WorkforceScreen(app.context)
        await open_screen(pilot, screen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportModal)
        app.screen.query_one("#export-path", FormField).text = str(tmp_path / "workforce.xlsx")
        await pilot.press("ctrl+s")
        await settle(pilot)
    book = load_workbook(tmp_path / "workforce.xlsx")
    assert book.sheetnames == ["By role", "By route", "By area", "Eligible", "Costs"]


def test_team_screen_at_100_by_30(snap_compare: SnapCompare, demo_engine: Engine) -> None:
    app = app_for(demo_engine, TEAM_MANAGER)

    async def show_team(pilot: Pilot[Any]) -> None:
        await open_screen(pilot, TeamScreen(app.context))

    assert snap_compare(app, terminal_size=(100, 30), run_before=show_team)


async def test_the_section_keys_open_the_managers_screens(demo_engine: Engine) -> None:
    app = app_for(demo_engine, TEAM_MANAGER)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key, kind in (("8", TeamScreen), ("9", RequestsScreen), ("0", WorkforceScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, kind)
        assert isinstance(app.screen, WorkforceScreen) and app.screen.report is not None


async def test_an_appeal_names_its_request_and_reason_and_is_not_offered_to_its_first_decider(
    demo_engine: Engine,
) -> None:
    """The demo's request 6 appeals request 5, which the head of service rejected: another panel member decides."""
    [appealed] = [r for r in list_requests(demo_engine, local_admin()) if r.appeal_of is not None]
    assert appealed.appealed_decision is not None and appealed.appealed_decision.by == HEAD_OF_SERVICE
    app = app_for(demo_engine, HEAD_OF_SERVICE)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = RequestsScreen(app.context)
        await open_screen(pilot, screen)
        row = [r.id for r in screen.shown].index(appealed.id)
        assert cell(screen.table, row, 2).startswith(f"Appeal of #{appealed.appeal_of}")
        screen.table.move_cursor(row=row)
        await pilot.pause()
        shown = str(screen.query_one("#request-text", Static).visual)
        assert f"Appeal of request {appealed.appeal_of}" in shown
        assert appealed.appealed_decision.reason in shown
        assert screen.check_action("decide", ()) is None  # dimmed: the head of service took the decision appealed
    other = next(
        w.staff_id
        for w in Session(demo_engine).exec(select(Worker).where(Worker.is_admin, Worker.staff_id != HEAD_OF_SERVICE))
        if w.staff_id != appealed.staff_id
    )
    app = app_for(demo_engine, other)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = RequestsScreen(app.context)
        await open_screen(pilot, screen)
        screen.choose(next(r for r in screen.shown if r.id == appealed.id))
        assert screen.check_action("decide", ()) is True
