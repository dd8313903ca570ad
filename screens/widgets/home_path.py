"""The path panel: the quickest route from the worker's role to a chosen target role, step by step, with dates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.actor import Actor
from progression.services.council import RouteMap
from progression.services.progress import NoRoute, PathRead
from progression.services.progress import path as quickest_path
from screens.widgets.home_words import WHO_DECIDES, day_words


def path_or_none(engine: Engine, actor: Actor, staff_id: str, target: str, on: date) -> PathRead | None:
    """The quickest path to `target`, or None when no route leads there (the service call behind the panel)."""
    try:
        return quickest_path(engine, actor, staff_id, target, on)
    except NoRoute:
        return None


NO_TARGET = "Press t to choose a target role and see the whole route to it."
"""What the panel says before a target is chosen."""


def _when(day: date | None, estimated: bool) -> str:
    """A path's date in words, marked when it is an estimate from the plan."""
    if day is None:
        return "no date yet"
    return f"about {day_words(day)} (an estimate from your plan)" if estimated else day_words(day)


def path_lines(path: PathRead, route_map: RouteMap | None) -> list[tuple[Content, str]]:
    """The recommended route to the target as (line, class) pairs: a summary and why this route, then each step,
    who decides and its date, what has no date and what would date it, and then the other routes."""

    def title(key: str) -> str:
        role = route_map.role(key) if route_map else None
        return role.title if role else key

    if not path.steps:
        return [(Content.from_markup("You already hold [b]$role[/b].", role=title(path.to)), "path-summary")]
    count = len(path.steps)
    when = f"earliest {_when(path.earliest_on, path.estimated)}" if path.earliest_on else "no date can be known yet"
    summary = Content.from_markup(
        "[b]$target[/b]: $count step$s, $when",
        target=title(path.to),
        count=str(count),
        s="" if count == 1 else "s",
        when=when,
    )
    lines = [(summary, "path-summary")]
    if path.recommended_because:
        lines.append((Content(path.recommended_because), "path-why"))
    for number, step in enumerate(path.steps, start=1):
        who = WHO_DECIDES.get(step.decided_by, step.decided_by)
        on = f"from {_when(step.earliest_on, step.estimated)}" if step.earliest_on else "no date yet"
        heading = Content.from_markup(
            "$n. $from → [b]$to[/b]", n=str(number), to=title(step.to), **{"from": title(step.from_)}
        )
        lines += [(heading, "path-step"), (Content(f"{who} · {on}"), "path-when")]
        for undated in path.undated:
            if undated.step == step.to:
                would = undated.would_date_it[:1].upper() + undated.would_date_it[1:]
                lines.append((Content(f"· No date: {undated.why}. {would} would date it."), "path-undated"))
    if path.alternatives:
        lines.append((Content("Other routes"), "path-others"))
        for other in path.alternatives:
            notes = [f"earliest {_when(other.earliest_on, other.estimated)}" if other.earliest_on else "no date yet"]
            notes += ["leaves the route"] if other.leaves_route else []
            notes += ["needs a vacancy"] if other.needs_vacancy else []
            through = " → ".join(title(s.to) for s in other.steps)
            lines.append((Content(f"· {through} ({', '.join(notes)})"), "path-other"))
    return lines


class PathView(Vertical, can_focus=True):
    """Shows the path to the chosen target, a message when there is none, or how to choose one.

    Focusable, so Tab brings a long path into view on a small terminal.
    """

    DEFAULT_CSS = """
    PathView {
        width: 1fr;
        height: auto;
        padding: 0 1;
        &:focus { background: $boost; }
        & > .path-step { margin-top: 1; }
        & > .path-when { padding-left: 3; color: $text-muted; }
        & > .path-undated { padding-left: 3; color: $text-warning; }
        & > .path-why { color: $text-muted; }
        & > .path-others { margin-top: 1; text-style: bold; }
        & > .path-other { padding-left: 1; color: $text-muted; }
    }
    """

    path: reactive[PathRead | None] = reactive(None, recompose=True)
    """The path to the target, or None when there is none to show."""
    message: reactive[str] = reactive(NO_TARGET, recompose=True)
    """What to say when there is no path to show: how to choose a target, or that no route leads there."""
    route_map: reactive[RouteMap | None] = reactive(None, recompose=True)
    """The council's map, for role titles."""

    def compose(self) -> ComposeResult:
        """The path line by line, or the message."""
        if self.path is None:
            yield Static(self.message, classes="path-message", markup=False)
            return
        for line, kind in path_lines(self.path, self.route_map):
            yield Static(line, classes=kind)
