"""The route map: every route and role of the council, keyboard moves, and the detail of each role."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.message import Message
from textual.widgets import Label

from progression.services.actor import local_admin
from progression.services.council import route_map
from screens.app import ProgressionApp
from screens.messages import RouteMapLoaded
from screens.route_map import RouteMapScreen
from screens.widgets.role_box import RoleBox
from screens.widgets.role_detail import RoleDetail
from tests.ui.helpers import focused_role, settle, text_of


async def test_map_shows_every_route_and_role_of_the_council(admin_app: ProgressionApp, ui_engine: Engine) -> None:
    expected = route_map(ui_engine, local_admin())
    seen: list[Message] = []
    async with admin_app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RouteMapScreen)
        assert [m.route_map for m in seen if isinstance(m, RouteMapLoaded)] == [expected]
        titles = [str(label.visual) for label in screen.query(".route-title").results(Label)]
        assert sorted(titles) == sorted(route.title for route in expected.routes)
        boxes = {box.role.key: box for box in screen.query(RoleBox)}
        assert set(boxes) == {role.key for route in expected.routes for role in route.roles}
        assert len(boxes) == 14
        assert pilot.app.title == "Fernbridge Metropolitan Borough Council"
        assert pilot.app.sub_title == "local administrator · 24 Nov 2026"


async def test_practice_and_management_are_side_by_side_with_the_feeders_to_their_left(
    admin_app: ProgressionApp,
) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        x = {
            key: screen.query_one(f"#role-{key}").region.x
            for key in (
                "family-support-worker",
                "academy-student",
                "nqsw",
                "principal-social-worker",
                "practice-supervisor",
            )
        }
        assert x["family-support-worker"] == x["academy-student"] < x["nqsw"] == x["principal-social-worker"]
        assert x["nqsw"] < x["practice-supervisor"]


async def test_moving_focus_describes_the_steps_out_of_and_into_the_role(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert focused_role(pilot) == "family-support-worker"
        await pilot.press("right", "down", "down")
        assert focused_role(pilot) == "social-worker-2"
        detail = text_of(pilot.app.screen.query_one(RoleDetail))
        assert "Senior social worker · progression panel decides" in detail
        assert "• 12 months in role" in detail
        assert "• 30 months since qualifying" in detail
        assert "Practice supervisor (assistant team manager) · by application (vacancy)" in detail
        assert "← Social worker (level 1) · line manager decides" in detail


async def test_hjkl_move_like_the_arrows_and_across_prefers_a_linked_role(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l", "j", "j", "j")
        assert focused_role(pilot) == "senior-social-worker"
        await pilot.press("l")
        assert focused_role(pilot) == "practice-supervisor"  # linked both ways, so chosen over nearer boxes
        await pilot.press("j", "h")
        assert focused_role(pilot) == "advanced-social-worker"  # team manager's way back to practice
        await pilot.press("k", "k", "k", "k", "k", "k")
        assert focused_role(pilot) == "nqsw"  # stops at the top of the route


async def test_enter_focuses_the_detail_and_escape_returns_to_the_role(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await pilot.press("enter")
        assert pilot.app.focused is pilot.app.screen.query_one(RoleDetail)
        await pilot.press("escape")
        assert focused_role(pilot) == "social-work-apprentice"


async def test_the_detail_reflows_below_the_map_on_a_small_terminal(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.has_class("-narrow") and screen.has_class("-short")
        detail = screen.query_one(RoleDetail).region
        map_region = screen.query_one("#map").region
        assert detail.y >= map_region.bottom and detail.height >= 5
        assert all(box.region.height == 1 for box in screen.query(RoleBox))


async def test_a_wide_terminal_draws_full_boxes_beside_the_detail(admin_app: ProgressionApp) -> None:
    async with admin_app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.has_class("-wide") and screen.has_class("-tall")
        assert screen.query_one(RoleDetail).region.x > screen.query_one("#map").region.x
        assert screen.query_one("#role-team-manager").border_subtitle == "1 in post"
        assert all(box.region.height >= 4 for box in screen.query(RoleBox))
