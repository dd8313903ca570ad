"""The supervision screen: next due and overdue, recording and changing sessions, and notes kept private."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import DataTable

from progression.models import Supervision
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.supervision import SessionInput, add_session
from screens.app import ProgressionApp, make_app
from screens.supervision import SupervisionScreen
from screens.widgets.confirm import ConfirmModal
from screens.widgets.form import FormField
from screens.widgets.supervision_form import SessionFormModal
from tests.ui.helpers import TODAY, settle, text_of

SnapCompare = Callable[..., bool]
NOTES = "Planning for the child protection conference"


def seed(engine: Engine) -> None:
    """Bo, Ada's manager, supervised her a month ago, briefly, and ran a group reflection since."""
    bo = resolve_actor(engine, "T1")
    add_session(engine, bo, "T2", SessionInput(day=date(2026, 10, 20), minutes=60, notes=NOTES), TODAY)
    group = SessionInput(kind="group", day=date(2026, 11, 2), minutes=90, with_whom="Team reflection", notes="Cases")
    add_session(engine, bo, "T2", group, TODAY)


def sessions(engine: Engine) -> list[tuple[date, int | None]]:
    with Session(engine) as session:
        rows = session.exec(select(Supervision.day, Supervision.minutes).order_by(col(Supervision.day)))
        return [(day, minutes) for day, minutes in rows]


async def open_supervision(pilot: Pilot[Any]) -> SupervisionScreen:
    screen = SupervisionScreen(pilot.app.context)  # type: ignore[attr-defined]
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def field(pilot: Pilot[Any], field_id: str) -> FormField:
    return pilot.app.screen.query_one(f"#{field_id}", FormField)


async def test_opens_on_next_due_overdue_and_the_last_group_reflection(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_supervision(pilot)
        panel = text_of(screen.query_one("#supervision-panel"))
        for words in ("20 Nov 2026", "OVERDUE 4 days", "20 Oct 2026", "2 Nov 2026", "every month", "1 session shorter"):
            assert words in panel, words
        assert screen.query_one("#supervision-panel").has_class("-overdue")
        assert screen.query_one("#supervision-table", DataTable).row_count == 2
        assert screen.chosen is not None and screen.chosen.kind == "group"
        await pilot.press("down")
        notes = text_of(screen.query_one("#session-notes"))
        assert NOTES in notes and "shorter than 1.5 hours" in notes and "Bo Manager (T1)" in notes


async def test_record_a_session_from_the_keyboard(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    seen: list[Message] = []
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        screen = await open_supervision(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SessionFormModal)
        await pilot.press("tab", "backspace", "backspace", *"105", "tab", "tab", *"Next", "space", *"steps")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SupervisionScreen)
        assert (TODAY, 105) in sessions(ui_engine)
        # Issue 10: a session the worker records waits for the supervisor's confirmation and does not count yet.
        assert screen.record is not None and screen.record.overdue and screen.record.pending == 1
        assert screen.chosen is not None and screen.chosen.notes == "Next steps"
        assert screen.chosen.supervisor_staff_id == "T1" and not screen.chosen.confirmed
        assert "1 session waiting for confirmation" in text_of(screen.query_one("#supervision-panel"))
        assert "Waiting for Bo Manager to confirm it" in text_of(screen.query_one("#session-notes"))
        assert any("is saved" in m.notification.message for m in seen if isinstance(m, Notify))
        assert not app.screen.check_action("confirm", ())  # not by the worker themselves


async def test_the_supervisor_confirms_a_waiting_session_with_c_and_it_counts(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine)
    add_session(ui_engine, ada, "T2", SessionInput(day=date(2026, 11, 23), minutes=90), TODAY)
    app = make_app(engine=ui_engine, actor=resolve_actor(ui_engine, "T1"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        app.subject = "T2"  # Ada, whom Bo supervises
        screen = await open_supervision(pilot)
        assert screen.record is not None and screen.record.overdue and screen.record.pending == 1
        assert screen.chosen is not None and screen.chosen.day == date(2026, 11, 23) and screen.chosen.can_confirm
        row = screen.query_one("#supervision-table", DataTable).get_row_at(0)
        assert "waits: Bo Manager" in str(row[3])
        await pilot.press("c")
        await settle(pilot)
        assert screen.record is not None and not screen.record.overdue and screen.record.pending == 0
        assert screen.record.last_individual == date(2026, 11, 23)
        assert "ON TIME" in text_of(screen.query_one("#supervision-panel"))


async def test_validation_errors_show_in_place_and_keep_what_was_typed(ui_engine: Engine, ada: Actor) -> None:
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_supervision(pilot)
        await pilot.press("a")
        await pilot.pause()
        field(pilot, "session-day").text = "2026-11-30"
        field(pilot, "session-minutes").text = "0"
        field(pilot, "session-notes").text = "Kept"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionFormModal)
        assert "is in the future" in text_of(field(pilot, "session-day"))
        assert "Must be more than 0" in text_of(field(pilot, "session-minutes"))
        assert field(pilot, "session-day").text == "2026-11-30" and field(pilot, "session-notes").text == "Kept"
        field(pilot, "session-day").text = ""
        field(pilot, "session-minutes").text = "an hour"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Required" in text_of(field(pilot, "session-day"))
        assert "is not a number" in text_of(field(pilot, "session-minutes"))
        assert sessions(ui_engine) == []


async def test_escape_cancels_without_saving(ui_engine: Engine, ada: Actor) -> None:
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_supervision(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SupervisionScreen) and sessions(ui_engine) == []


async def test_edit_and_remove_the_focused_session(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_supervision(pilot)
        await pilot.press("down", "e")
        await pilot.pause()
        assert field(pilot, "session-notes").text == NOTES
        field(pilot, "session-minutes").text = "90"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sessions(ui_engine)[0] == (date(2026, 10, 20), 90)
        assert screen.record is not None and screen.record.short_sessions == 0
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert sessions(ui_engine) == [(date(2026, 11, 2), 90)]


async def test_the_manager_reads_the_notes_but_an_admin_sees_they_are_private(ui_engine: Engine) -> None:
    seed(ui_engine)
    for actor, private in ((resolve_actor(ui_engine, "T1"), False), (local_admin(), True)):
        app = make_app(engine=ui_engine, actor=actor, today=TODAY)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_supervision(pilot)
            app.subject = "T2"
            await settle(pilot)
            await pilot.press("down")
            notes = text_of(screen.query_one("#session-notes"))
            assert (NOTES not in notes) is private
            assert ("Private: only Ada Worker and this session's supervisor" in notes) is private
            assert screen.check_action("edit", ()) is True


async def test_another_workers_records_cannot_be_seen(ui_engine: Engine, ada: Actor) -> None:
    add_session(ui_engine, local_admin(), "T1", SessionInput(day=date(2026, 11, 2), minutes=90, notes=NOTES), TODAY)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    seen: list[Message] = []
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        screen = await open_supervision(pilot)
        app.subject = "T1"
        await settle(pilot, failures_expected=True)
        assert screen.record is None and screen.chosen is None
        assert screen.query_one("#supervision-table", DataTable).row_count == 0
        assert NOTES not in text_of(screen.query_one("#session-notes"))
        assert screen.check_action("add", ()) is False
        refusals = [m.notification for m in seen if isinstance(m, Notify) and m.notification.severity == "error"]
        assert any("may not see T1's supervision record" in n.message for n in refusals)


def test_supervision_screen_at_100_by_30(snap_compare: SnapCompare, ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine)
    app: ProgressionApp = make_app(engine=ui_engine, actor=ada, today=TODAY)
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_supervision)
