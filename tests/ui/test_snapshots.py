"""Snapshots of the route map on a fixed date and database: small, test-sized and wide terminals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from screens.app import ProgressionApp
from tests.ui.helpers import settle

SnapCompare = Callable[..., bool]


async def at_senior_social_worker(pilot: Pilot[Any]) -> None:
    """Wait for the map, then move to the senior social worker's box."""
    await settle(pilot)
    await pilot.press("right", "down", "down", "down")
    await pilot.pause()


def test_route_map_at_100_by_30(snap_compare: SnapCompare, admin_app: ProgressionApp) -> None:
    assert snap_compare(admin_app, terminal_size=(100, 30), run_before=settle)


def test_route_map_at_80_by_24(snap_compare: SnapCompare, admin_app: ProgressionApp) -> None:
    assert snap_compare(admin_app, terminal_size=(80, 24), run_before=at_senior_social_worker)


def test_route_map_at_160_by_48_as_a_worker(snap_compare: SnapCompare, ada_app: ProgressionApp) -> None:
    assert snap_compare(ada_app, terminal_size=(160, 48), run_before=settle)
