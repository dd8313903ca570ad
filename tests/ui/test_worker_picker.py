"""Picking a worker: the filter, Enter and Escape, the marks on the map, and who may be picked."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import DataTable, Input

from progression.services.actor import resolve_actor
from screens.app import ProgressionApp, make_app
from screens.route_map import RouteMapScreen
from screens.widgets.standing_panel import StandingPanel
from screens.worker_picker import WorkerPickerModal
from tests.ui.helpers import TODAY, focused_role, marked, settle, text_of


def picker_rows(app: ProgressionApp) -> list[str]:
    """The staff ids listed in the open picker, top to bottom."""
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(index)[1]) for index in range(table.row_count)]


async def test_typing_a_filter_and_enter_picks_the_worker_and_marks_the_map(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorkerPickerModal)
        assert picker_rows(pilot.app) == ["T2", "T1", "T3", "T4"]  # by name
        await pilot.press(*"ada")
        await settle(pilot)
        assert picker_rows(pilot.app) == ["T2"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RouteMapScreen)
        assert marked(pilot, "-here") == {"social-worker-2"}
        assert marked(pilot, "-passed") == {"nqsw", "social-worker-1"}
        assert focused_role(pilot) == "social-worker-2"
        standing = text_of(pilot.app.screen.query_one(StandingPanel))
        for words in (
            "Ada Worker (T2)",
            "Social worker (level 2) on the Practice route",
            "North Child Protection, managed by Bo Manager",
            "1 year 8 months in role (since 1 Mar 2025)",
            "5 years 4 months since qualifying",
            "5 years 2 months of service",
            "✓ Newly qualified social worker from Sep 2021",
            "◉ Social worker (level 2) from Mar 2025",
        ):
            assert words in standing
        assert pilot.app.screen.sub_title == "Ada Worker (T2) · local administrator · 24 Nov 2026"


async def test_the_list_can_be_walked_and_a_row_picked(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # into the list, then to its second row
        await settle(pilot)
        assert marked(pilot, "-here") == {"team-manager"}


async def test_escape_cancels_the_picker_without_change(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await pilot.press("w")
        await settle(pilot)
        await pilot.press(*"ada", "escape")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RouteMapScreen)
        assert screen.standing is None and marked(pilot, "-here") == set()
        assert not screen.query_one(StandingPanel).display
        assert focused_role(pilot) == "social-work-apprentice"
        assert screen.sub_title is None


async def test_typing_q_in_the_filter_does_not_quit(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press(*"qt?w")
        await settle(pilot)
        assert pilot.app.is_running and pilot.app.theme == "textual-dark"
        assert pilot.app.screen.query_one(Input).value == "qt?w"
        assert picker_rows(pilot.app) == []


async def test_a_worker_opens_on_their_own_standing_and_can_pick_only_themselves(ada_app: ProgressionApp) -> None:
    async with ada_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.current_mode == "home"  # a worker's session opens on their home
        await pilot.press("2")
        await settle(pilot)
        assert marked(pilot, "-here") == {"social-worker-2"}
        assert "Ada Worker (T2)" in text_of(pilot.app.screen.query_one(StandingPanel))
        assert pilot.app.sub_title == "Ada Worker (T2) · 24 Nov 2026"
        assert pilot.app.screen.sub_title is None  # already named as the actor
        await pilot.press("w")
        await settle(pilot)
        assert picker_rows(pilot.app) == ["T2"]


async def test_a_manager_can_pick_their_reports_but_no_one_else(ui_engine: Engine) -> None:
    app = make_app(engine=ui_engine, actor=resolve_actor(ui_engine, "T1"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert picker_rows(pilot.app) == ["T2", "T1", "T3"]
        await pilot.press(*"ada", "enter")
        await settle(pilot)
        assert pilot.app.screen.sub_title == "Ada Worker (T2) · Bo Manager (T1) · 24 Nov 2026"
        assert pilot.app.screen.query_one(StandingPanel).border_title == "Where they stand"
        await pilot.press("w")
        await settle(pilot)
        await pilot.press(*"bo m", "enter")
        await settle(pilot)
        assert marked(pilot, "-here") == {"team-manager"}
        assert pilot.app.screen.sub_title is None
        assert pilot.app.screen.query_one(StandingPanel).border_title == "Where you stand"
