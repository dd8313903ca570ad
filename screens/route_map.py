"""The route map screen: the council's routes, the selected role's steps, and a picked worker's standing."""

from __future__ import annotations

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from progression.services.council import RouteMap, route_map
from progression.services.workers import WorkerStanding, worker_standing
from screens.context import UiContext
from screens.messages import RoleSelected, RouteMapLoaded, StandingLoaded
from screens.safe import tidy
from screens.widgets.nav import NavBar
from screens.widgets.role_box import RoleBox
from screens.widgets.role_detail import RoleDetail
from screens.widgets.route_map_view import RouteMapView
from screens.widgets.standing_panel import StandingPanel
from screens.worker_picker import WorkerPickerModal


class RouteMapScreen(Screen[None]):
    """The council's routes as a map. The screen holds the state; its widgets draw it."""

    HELP = (
        "The route map: each column is a route, each box a role, arrows the steps between them. "
        "The panel describes the focused role: every step out of it and into it, what each requires "
        "and who decides. Pick a worker to mark where they are and the roles they came through."
    )

    BINDING_GROUP_TITLE = "Route map"

    BINDINGS = [
        Binding("w", "pick_worker", "Worker", tooltip="Pick a worker to see where they stand"),
        Binding("enter", "focus_detail", "Detail", tooltip="Read the focused role's steps"),
        Binding("escape", "focus_map", "Back to map", tooltip="Back to the role the panel describes"),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-medium"), (150, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]

    route_map: reactive[RouteMap | None] = reactive(None, init=False)
    """The council's map, once read."""
    standing: reactive[WorkerStanding | None] = reactive(None, init=False)
    """The picked worker's standing, or None before one is picked."""
    role: reactive[str | None] = reactive(None, init=False)
    """The key of the focused role."""

    map_view = getters.query_one("#map-view", RouteMapView)
    detail = getters.query_one("#role-detail", RoleDetail)

    def __init__(self, context: UiContext) -> None:
        """Prepare the map for one UI session.

        Args:
            context: The database, actor and date every read uses.
        """
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        """Header, the map beside (or above) the detail and standing panels, footer."""
        yield Header()
        yield NavBar()
        with Horizontal(id="body"):
            with VerticalScroll(id="map", can_focus=False):
                yield RouteMapView(id="map-view").data_bind(RouteMapScreen.route_map, RouteMapScreen.standing)
            with Vertical(id="side"):
                yield RoleDetail(id="role-detail").data_bind(RouteMapScreen.route_map, RouteMapScreen.role)
                yield StandingPanel(id="standing").data_bind(RouteMapScreen.standing)
        yield Footer()

    def on_mount(self) -> None:
        """Start reading the map, and the actor's own standing when they are a worker."""
        self.query_one("#map", VerticalScroll).loading = True
        self.query_one("#role-detail").border_title = "Role"
        self.load_route_map()
        if self.context.acts_as_worker:
            self.load_standing(self.context.actor.staff_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="map", description="Reading the route map")
    def load_route_map(self) -> None:
        """Read the council's route map off the UI thread."""
        self.post_message(RouteMapLoaded(tidy(route_map(self.context.engine, self.context.actor))))

    @work(thread=True, exclusive=True, exit_on_error=False, group="standing", description="Reading the worker")
    def load_standing(self, staff_id: str) -> None:
        """Read one worker's standing off the UI thread."""
        standing = worker_standing(self.context.engine, self.context.actor, staff_id, self.context.today)
        self.post_message(StandingLoaded(tidy(standing)))

    @on(RouteMapLoaded)
    def show_route_map(self, message: RouteMapLoaded) -> None:
        """Draw the map that was read."""
        self.route_map = message.route_map
        self.query_one("#map", VerticalScroll).loading = False

    @on(StandingLoaded)
    def show_standing(self, message: StandingLoaded) -> None:
        """Mark the worker on the map, describe them, and name them in the sub-title."""
        self.standing = message.standing
        yours = message.standing.staff_id == self.context.actor.staff_id
        self.query_one("#standing").border_title = "Where you stand" if yours else "Where they stand"
        picked = f"{message.standing.name} ({message.standing.staff_id})"
        self.sub_title = None if yours else f"{picked} · {self.app.sub_title}"
        self.map_view.focus_role(message.standing.role)

    @on(RoleSelected)
    def select_role(self, message: RoleSelected) -> None:
        """Describe the role whose box took focus."""
        self.role = message.role

    @on(Worker.StateChanged)
    def report_failure(self, event: Worker.StateChanged) -> None:
        """Tell the user when a read failed; the screen keeps working."""
        if event.state == WorkerState.ERROR:
            self.query_one("#map", VerticalScroll).loading = False
            self.notify(str(event.worker.error), title=event.worker.description, severity="error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Enter on the map, and Escape only from the detail panel."""
        if action == "focus_detail":
            return isinstance(self.focused, RoleBox)
        if action == "focus_map":
            return self.focused is self.detail
        return True

    def action_pick_worker(self) -> None:
        """Open the worker picker."""
        self.pick_worker()

    def action_focus_detail(self) -> None:
        """Move focus to the detail panel, to scroll a long description."""
        self.set_focus(self.detail)

    def action_focus_map(self) -> None:
        """Move focus back to the role the detail describes."""
        if self.role is not None:
            self.map_view.focus_role(self.role)

    def pick_worker(self) -> None:
        """Ask for a worker, then read and show their standing."""

        def picked(staff_id: str | None) -> None:
            if staff_id is not None:
                self.app.subject = staff_id  # type: ignore[attr-defined]
                self.load_standing(staff_id)

        self.app.push_screen(WorkerPickerModal(self.context), picked)
