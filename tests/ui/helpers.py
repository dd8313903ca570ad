"""Small helpers the UI tests share: waiting for the database workers, and reading panels as text."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import WorkerFailed

from screens.widgets.role_box import RoleBox

TODAY = date(2026, 11, 24)
"""The date every UI test takes as today."""


async def settle(pilot: Pilot[None], *, failures_expected: bool = False) -> None:
    """Wait until every database read has finished and its result has been drawn.

    Args:
        pilot: The running app's pilot.
        failures_expected: Wait past a read that failed, for tests of how failures are reported.
    """
    for _ in range(3):  # a result may start another read (a reload after a save): wait for that one too
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerFailed:
            if not failures_expected:
                raise
        await pilot.pause()


def text_of(widget: Widget) -> str:
    """Everything a panel says, its Static children joined line by line."""
    return "\n".join(str(static.visual) for static in widget.query(Static))


def focused_role(pilot: Pilot[None]) -> str | None:
    """The key of the role whose box has focus, or None."""
    focused = pilot.app.focused
    return focused.role.key if isinstance(focused, RoleBox) else None


def marked(pilot: Pilot[None], mark: str) -> set[str]:
    """The keys of the roles whose boxes carry a class, e.g. '-here' or '-passed'."""
    return {box.role.key for box in pilot.app.screen.query(RoleBox) if box.has_class(mark)}
