"""The council's routes drawn side by side: a column per route, role boxes joined by arrows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from progression.services.council import RouteMap, RouteRead
from progression.services.workers import WorkerStanding
from screens.widgets.role_box import RoleBox
from screens.widgets.words import DECIDED_BY_SHORT

FEEDER_KINDS = ("apprenticeship", "academy")
"""Route kinds that feed into the others; they share the left-hand column."""

MOVE = Binding.Group("Move")


def route_columns(route_map: RouteMap) -> list[list[RouteRead]]:
    """The map's columns, left to right: the routes that feed in, then each other route in order."""
    feeders = [route for route in route_map.routes if route.kind in FEEDER_KINDS]
    others = [[route] for route in route_map.routes if route.kind not in FEEDER_KINDS]
    return ([feeders] if feeders else []) + others


def connector(route_map: RouteMap, upper: str, lower: str) -> str:
    """The text between two boxes of a route: an arrow and who decides, or a dotted gap."""
    step = next((t for t in route_map.transitions_from(upper) if t.to_role == lower), None)
    if step is not None:
        return f"↓ {DECIDED_BY_SHORT.get(step.decided_by, step.decided_by)}"
    back = next((t for t in route_map.transitions_from(lower) if t.to_role == upper), None)
    return f"↑ {DECIDED_BY_SHORT.get(back.decided_by, back.decided_by)}" if back else "┊"


class RouteMapView(Widget):
    """Every route and role of the council. Arrow keys or hjkl move between the boxes."""

    DEFAULT_CSS = """
    RouteMapView {
        layout: horizontal;
        height: auto;
        & > .route-column { width: 3fr; height: auto; padding: 0 1 0 0; }
        & > .route-column.-practice { width: 4fr; }
        .route-title { width: 1fr; text-style: bold; color: $text-primary; text-wrap: nowrap;
                       text-overflow: ellipsis; }
        .route-column > .route-title.-later { margin-top: 1; }
        .connector { width: 1fr; padding-left: 2; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """

    BINDINGS = [
        Binding(
            "left",
            "move(-1, 0)",
            "Left",
            group=MOVE,
            tooltip="Move between roles: across to the next route, or up and down this one",
        ),
        Binding("down", "move(0, 1)", "Down", group=MOVE),
        Binding("up", "move(0, -1)", "Up", group=MOVE),
        Binding("right", "move(1, 0)", "Right", group=MOVE),
        Binding("h", "move(-1, 0)", "Left", show=False, group=MOVE),
        Binding("j", "move(0, 1)", "Down", show=False, group=MOVE),
        Binding("k", "move(0, -1)", "Up", show=False, group=MOVE),
        Binding("l", "move(1, 0)", "Right", show=False, group=MOVE),
    ]

    route_map: reactive[RouteMap | None] = reactive(None, init=False)
    """The map to draw."""
    standing: reactive[WorkerStanding | None] = reactive(None, init=False)
    """The picked worker, whose role and history are marked."""

    def compose(self) -> ComposeResult:
        """A column per group of routes, each route a title then boxes joined by connectors."""
        if self.route_map is None:
            return
        route_map = self.route_map
        for column in route_columns(route_map):
            practice = any(route.kind == "practice" for route in column)
            with Vertical(classes="route-column -practice" if practice else "route-column"):
                for number, route in enumerate(column):
                    yield Label(route.title, classes="route-title -later" if number else "route-title", markup=False)
                    for index, role in enumerate(route.roles):
                        below = route.roles[index + 1].key if index + 1 < len(route.roles) else None
                        if index:
                            yield Label(connector(route_map, route.roles[index - 1].key, role.key), classes="connector")
                        links = [
                            route_map.role(t.to_role)
                            for t in route_map.transitions_from(role.key)
                            if t.to_role != below
                        ]
                        yield RoleBox(
                            role,
                            links=[r.title for r in links if r is not None],
                            here=self._holds(role.key),
                            passed=self._passed(role.key),
                        )

    async def watch_route_map(self) -> None:
        """Redraw the map, then focus the picked worker's role or the first role."""
        await self.recompose()
        self.watch_standing()  # the worker may have been read while the boxes were being mounted
        boxes = list(self.query(RoleBox))
        target = self.box(self.standing.role) if self.standing else None
        if target or boxes:
            self.screen.set_focus(target or boxes[0])

    def watch_standing(self) -> None:
        """Mark the picked worker's role and the roles they passed through."""
        for box in self.query(RoleBox):
            box.here = self._holds(box.role.key)
            box.passed = self._passed(box.role.key)

    def _holds(self, key: str) -> bool:
        return self.standing is not None and self.standing.role == key

    def _passed(self, key: str) -> bool:
        return self.standing is not None and any(spell.role == key for spell in self.standing.history)

    def box(self, key: str) -> RoleBox | None:
        """The box of a role, or None when the map does not show it."""
        return next((box for box in self.query(RoleBox) if box.role.key == key), None)

    def focus_role(self, key: str) -> None:
        """Focus a role's box, if the map shows it."""
        box = self.box(key)
        if box is not None:
            self.screen.set_focus(box)

    def action_move(self, across: int, down: int) -> None:
        """Move focus to the box beside, above or below the focused one."""
        self.move_focus(across, down)

    def move_focus(self, across: int, down: int) -> None:
        """Move focus by columns (`across`) or by boxes within a column (`down`).

        Moving across prefers a role linked by a transition to the focused one, then the nearest box.
        """
        grid = [list(column.query(RoleBox)) for column in self.query(".route-column")]
        focused = self.screen.focused
        place = next(((c, r) for c, boxes in enumerate(grid) for r, box in enumerate(boxes) if box is focused), None)
        target: RoleBox | None = None
        if place is None:
            target = grid[0][0] if grid and grid[0] else None
        elif down:
            column, row = place
            target = grid[column][row + down] if 0 <= row + down < len(grid[column]) else None
        elif 0 <= place[0] + across < len(grid) and grid[place[0] + across]:
            target = self.nearest(grid[place[0]][place[1]], grid[place[0] + across])
        if target is not None:
            # Focus at once, not after a refresh, so keys typed quickly each move from the last one.
            self.screen.set_focus(target)

    def nearest(self, origin: RoleBox, candidates: list[RoleBox]) -> RoleBox:
        """The candidate linked to `origin` by a transition, or else the one nearest it on screen."""
        linked: set[str] = set()
        if self.route_map is not None:
            linked = {t.to_role for t in self.route_map.transitions_from(origin.role.key)}
            linked |= {t.from_role for t in self.route_map.transitions_to(origin.role.key)}
        return min(candidates, key=lambda box: (box.role.key not in linked, abs(box.region.y - origin.region.y)))
