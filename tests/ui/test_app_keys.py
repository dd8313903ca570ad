"""The app's own keys and commands: help, the theme switch, quitting, and reporting a failed read."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import DataTable, Static

from progression.services.actor import Actor
from screens.app import ProgressionApp
from screens.help import HelpScreen
from screens.route_map import RouteMapScreen
from tests.ui.helpers import settle


def help_rows(app: ProgressionApp) -> dict[str, str]:
    """The open help screen's table, as what the keys do → the keys."""
    table = app.screen.query_one(DataTable)
    return {str(row[1]): str(row[0]) for row in (table.get_row_at(i) for i in range(table.row_count))}


async def test_help_lists_the_active_keys_and_escape_closes_it(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        rows = help_rows(pilot.app)
        assert list(rows.items())[:6] == [  # the footer's keys first, explained
            ("Move between roles: across to the next route, or up and down this one", "←, ↓, ↑, →, h, j, k, l"),
            ("Pick a worker to see where they stand", "w"),
            ("Read the focused role's steps", "⏎"),
            ("Leave Progression", "^q, q"),
            ("This list of keys", "?, f1"),
            ("Switch between the light and dark themes", "^t"),
        ]
        assert "Back to the role the panel describes" not in rows  # not active while a role box has focus
        summary = str(pilot.app.screen.query_one("#help-summary", Static).visual)
        assert summary.startswith("The route map: each column is a route")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, RouteMapScreen)
        await pilot.press("f1")
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, RouteMapScreen)


async def test_help_from_the_detail_panel_lists_its_keys(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "question_mark")
        rows = help_rows(pilot.app)
        assert rows["Back to the role the panel describes"] == "esc"
        assert "Read the focused role's steps" not in rows
        assert not any(does.startswith("Move between roles") for does in rows)


async def test_t_toggles_between_dark_and_light(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert pilot.app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert pilot.app.theme == "textual-dark"


async def test_q_quits_cleanly(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not pilot.app.is_running
    assert admin_app.return_code == 0


async def test_q_quits_from_the_worker_list_too(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("down", "q")
        await pilot.pause()
        assert not pilot.app.is_running
    assert admin_app.return_code == 0


async def test_the_command_palette_offers_picking_a_worker_help_and_the_theme(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [command.title for command in pilot.app.get_system_commands(pilot.app.screen)]
        assert {"Pick a worker", "Help", "Light or dark"} <= set(titles)


async def test_a_failed_read_is_reported_and_the_map_keeps_working(admin_app: ProgressionApp) -> None:
    seen: list[Message] = []
    async with admin_app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RouteMapScreen)
        screen.load_standing("NOBODY")
        await settle(pilot, failures_expected=True)
        notes = [m.notification for m in seen if isinstance(m, Notify)]
        assert [(n.title, n.message, n.severity) for n in notes] == [
            ("Reading the worker", "No worker has staff id 'NOBODY'.", "error")
        ]
        assert screen.standing is None
        await pilot.press("down")
        assert screen.role == "social-work-apprentice"


async def test_the_theme_is_remembered_between_runs(ui_engine, ada) -> None:
    """Light and dark themes, remembered between runs (issue 4, 'Everywhere')."""
    from screens.app import make_app
    from screens.preferences import load_preferences
    from tests.ui.helpers import TODAY

    first = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with first.run_test(size=(100, 30)) as pilot:
        start = first.theme
        await pilot.press("ctrl+t")
        await pilot.pause()
        changed = first.theme
    assert changed != start
    assert load_preferences()["theme"] == changed
    second = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with second.run_test(size=(100, 30)):
        assert second.theme == changed


async def test_the_app_takes_automatic_steps_now_due(ui_engine: Engine, ada: Actor) -> None:
    """Issue 6: an automatic step is applied on the day the worker becomes ready, also when the app runs."""
    from sqlmodel import Session, select

    from progression.models import Role, Worker
    from screens.app import make_app
    from tests.ui.helpers import TODAY

    with Session(ui_engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == "T2")).one()
        nqsw = session.exec(select(Role).where(Role.key == "nqsw")).one()
        worker.role_id = nqsw.id  # type: ignore[assignment]
        session.add(worker)
        session.commit()
    # T2 completed the ASYE (2022-09-01) and has had far more than 12 months in role: ready long ago.
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any(n.title == "Up to date" for n in app._notifications)
    with Session(ui_engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == "T2")).one()
        assert session.get_one(Role, worker.role_id).key == "social-worker-1"
