"""The standing panel: where the picked worker stands today, and the roles they came through."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.workers import WorkerStanding
from screens.widgets.role_box import HERE_MARK, PASSED_MARK


def role_path(standing: WorkerStanding) -> list[Content]:
    """The roles the worker held, oldest first, each with the month it began; the last is where they are."""
    spells = [(spell.role_title, spell.started_on) for spell in standing.history]
    if not spells or standing.history[-1].role != standing.role:
        spells.append((standing.role_title, standing.role_since))
    lines = [
        Content.from_markup(f"{PASSED_MARK} $title [dim]from $month[/dim]", title=title, month=f"{started:%b %Y}")
        for title, started in spells[:-1]
    ]
    title, started = spells[-1]
    lines.append(
        Content.from_markup(f"[b]{HERE_MARK} $title[/b] [dim]from $month[/dim]", title=title, month=f"{started:%b %Y}")
    )
    return lines


def describe_standing(standing: WorkerStanding) -> Content:
    """The worker, their role and route, team, the time that counts, and their path so far."""
    team = standing.team or "no team"
    if standing.manager:
        team += f", managed by {standing.manager}"
    qualified = f"{standing.time_qualified} since qualifying" if standing.time_qualified else "not yet qualified"
    lines = [
        Content.from_markup("[b]$name[/b] ($staff)", name=standing.name, staff=standing.staff_id),
        Content.from_markup("$role [dim]on the[/dim] $route", role=standing.role_title, route=standing.route_title),
        Content(team),
        Content(f"{standing.time_in_role} in role (since {standing.role_since.day} {standing.role_since:%b %Y})"),
        Content(qualified),
        Content(f"{standing.time_in_service} of service"),
        Content.from_markup("[b $text-primary]Path[/]"),
        *role_path(standing),
    ]
    return Content("\n").join(lines)


class StandingPanel(VerticalScroll):
    """Shows the picked worker's standing; hidden until a worker is picked."""

    DEFAULT_CSS = """
    StandingPanel {
        display: none;
        height: auto;
        padding: 0 1;
        &.-shown { display: block; }
        & > Static { width: 1fr; }
    }
    """

    standing: reactive[WorkerStanding | None] = reactive(None)
    """The worker to describe, or None before one is picked."""

    def compose(self) -> ComposeResult:
        """The description, filled in when a worker is picked."""
        yield Static(id="standing-text")

    def watch_standing(self, standing: WorkerStanding | None) -> None:
        """Describe the worker, or hide the panel when there is none."""
        self.set_class(standing is not None, "-shown")
        if self.is_mounted:
            self.query_one("#standing-text", Static).update(describe_standing(standing) if standing else "")
