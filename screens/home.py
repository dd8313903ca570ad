"""The worker's home, "My next step": where they stand, each next step and what it needs, a target, requests."""

from __future__ import annotations

from datetime import date

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Label, OptionList, Select

from progression.services.council import RouteMap, route_map
from progression.services.progress import NextStepsRead, PathRead, StepRead, next_steps
from progression.services.requests import (
    EvidenceChoice,
    RequestRead,
    capability_titles,
    evidence_choices,
    list_requests,
    submit_request,
    why_not_ask,
)
from progression.services.status import StatusRead, worker_status
from progression.services.workers import WorkerStanding, worker_standing
from screens.record_screen import RecordScreen
from screens.request_modal import RequestDraft, RequestModal
from screens.safe import cell
from screens.widgets.home_path import NO_TARGET, PathView, path_or_none
from screens.widgets.home_requests import RequestDecisionsModal, RequestList
from screens.widgets.home_standing import StandingHeader, StatusStrip
from screens.widgets.home_steps import StepCard, StepList
from screens.widgets.home_words import WHO_DECIDES


class HomeScreen(RecordScreen):
    """My next step: the worker's standing, their next steps as cards, a target role's path, their requests."""

    HELP = (
        "My next step. At the top: who you are, how long you have been in role, qualified and in service, then "
        "your CPD, supervision and pay. Each card is a next step on a route: who decides, when it is ready, and a "
        "bar for each requirement with what is still missing. Choose a target role to see the whole route to it. "
        "On a step that is ready (or will be within three months) ask to progress; your requests and what was "
        "decided are listed at the end."
    )

    BINDING_GROUP_TITLE = "My next step"

    BINDINGS = [
        Binding("t", "choose_target", "Target", tooltip="Choose a target role to see the whole route to it"),
        Binding("a", "ask_progress", "Ask to progress", tooltip="Ask to move to the focused next step"),
        Binding("v", "view_request", "View request", tooltip="Read the highlighted request and its decisions"),
    ]

    AUTO_FOCUS = "StepCard"

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]

    DEFAULT_CSS = """
    HomeScreen {
        #home-columns { height: 1fr; overflow-y: auto; scrollbar-size-vertical: 1; }
        #home-left, #home-right { height: auto; scrollbar-size-vertical: 1; }
        .home-heading { text-style: bold; color: $text-primary; padding: 0 1; margin-top: 1; }
        #home-steps { padding: 0 1; }
        #home-target { margin: 0 1; width: 1fr; max-width: 70; }
        &.-wide {
            #home-columns { layout: horizontal; overflow-y: hidden; }
            #home-left { width: 3fr; height: 1fr; }
            #home-right { width: 2fr; height: 1fr; border-left: vkey $primary 30%; }
        }
    }
    """

    standing: reactive[WorkerStanding | None] = reactive(None, init=False)
    """Where the worker stands; None while reading."""
    status: reactive[StatusRead | None] = reactive(None, init=False)
    """CPD, supervision and pay; None while reading."""
    next_steps: reactive[NextStepsRead | None] = reactive(None, init=False)
    """The next steps out of the worker's role; None while reading."""
    route_map: reactive[RouteMap | None] = reactive(None, init=False)
    """The council's routes, for titles and the target chooser."""
    route_titles: reactive[dict[str, str]] = reactive(dict, init=False)
    """Route titles by key."""
    titles: reactive[dict[str, str]] = reactive(dict, init=False)
    """Capability titles by code, to name missing evidence."""
    path: reactive[PathRead | None] = reactive(None, init=False)
    """The path to the chosen target role, when there is one."""
    path_message: reactive[str] = reactive(NO_TARGET, init=False)
    """What the path panel says when it shows no path."""
    requests: reactive[list[RequestRead] | None] = reactive(None, init=False)
    """The worker's requests, newest first; None while reading."""

    target_select = getters.query_one("#home-target", Select)
    request_list = getters.query_one("#home-requests", RequestList)

    def compose_body(self) -> ComposeResult:
        """Standing, status and next steps; then the target chooser, its path and the requests."""
        with Vertical(id="home-columns"):
            with VerticalScroll(id="home-left", can_focus=False):
                yield StandingHeader(id="home-standing").data_bind(HomeScreen.standing)
                yield StatusStrip(id="home-status").data_bind(HomeScreen.status)
                yield Label("Next steps", id="home-steps-heading", classes="home-heading")
                yield StepList(id="home-steps").data_bind(
                    HomeScreen.next_steps, HomeScreen.route_titles, HomeScreen.titles
                )
            with VerticalScroll(id="home-right", can_focus=False):
                yield Label("Target role", classes="home-heading")
                yield Select([], prompt="Choose a target role", id="home-target")
                yield PathView(id="home-path").data_bind(
                    path=HomeScreen.path, message=HomeScreen.path_message, route_map=HomeScreen.route_map
                )
                yield Label("Your requests", id="home-requests-heading", classes="home-heading")
                yield RequestList(id="home-requests").data_bind(HomeScreen.requests)

    def on_mount(self) -> None:
        """Read the council's map once; the base class then follows the subject."""
        self._asking: StepRead | None = None
        self._submitted: int | None = None
        self._focus_role: str | None = None
        self.call_service("route_map", route_map, self.context.engine, self.context.actor)
        super().on_mount()

    def load(self, staff_id: str) -> None:
        """Forget the last worker's records and read this one's standing first (the rest follows it)."""
        if self.standing is not None and self.standing.staff_id != staff_id:
            self.target_select.clear()
            self.path, self.path_message, self._focus_role = None, NO_TARGET, None
        elif isinstance(self.focused, StepCard):
            self._focus_role = self.focused.step.role
        self.standing = self.status = self.next_steps = self.requests = None
        self.call_service("standing", worker_standing, self.context.engine, self.context.actor, staff_id, self.today)

    def no_subject(self) -> None:
        """Nobody is picked yet (an administrator who is not a worker): say how to pick someone."""
        super().no_subject()
        self.query_one(StepList).waiting = "Nobody picked yet: press w to pick whose next steps to show."
        self.requests = []

    @property
    def today(self) -> date:
        """The date the UI takes as today."""
        return self.context.today

    def done_standing(self, standing: WorkerStanding) -> None:
        """Show who the worker is, then read the rest of their records."""
        self.standing = standing
        engine, actor, staff_id = self.context.engine, self.context.actor, standing.staff_id
        yours = staff_id == actor.staff_id
        self.sub_title = None if yours else f"{standing.name} ({staff_id}) · {self.app.sub_title}"
        self.query_one("#home-steps-heading", Label).update("Your next steps" if yours else "Next steps")
        self.query_one("#home-requests-heading", Label).update("Your requests" if yours else "Their requests")
        self.call_service("status", worker_status, engine, actor, staff_id, self.today)
        self.call_service("steps", next_steps, engine, actor, staff_id, self.today)
        self.call_service("requests", list_requests, engine, actor, None, staff_id)
        self._read_path()

    def done_status(self, status: StatusRead) -> None:
        """Show CPD, supervision and pay."""
        self.status = status

    def done_steps(self, steps: NextStepsRead) -> None:
        """Show a card for each next step."""
        self.next_steps = steps

    def done_requests(self, requests: list[RequestRead]) -> None:
        """List the requests, highlighting the one just submitted."""
        self.requests = requests
        if self._submitted is not None:
            self.request_list.select_request(self._submitted)
            self._submitted = None

    def failed_requests(self, _error: Exception) -> None:
        """The actor may not see this worker's requests: list none."""
        self.requests = []

    def done_route_map(self, found: RouteMap) -> None:
        """Offer every role as a target, and read the titles of the capabilities steps may need."""
        self.route_map = found
        self.route_titles = {route.key: route.title for route in found.routes}
        options = [(cell(f"{role.title} · {route.title}"), role.key) for route in found.routes for role in route.roles]
        self.target_select.set_options(options)
        frameworks = sorted({r.framework for t in found.transitions for r in t.requirements if r.framework})
        self.call_service("titles", capability_titles, frameworks)

    def done_titles(self, by_framework: dict[str, dict[str, str]]) -> None:
        """Keep the capability titles, to name what is missing."""
        self.titles = {code: title for titles in by_framework.values() for code, title in titles.items()}

    @on(StepList.Shown)
    def _focus_a_step(self) -> None:
        """Once the cards are drawn, and nothing else has focus, focus the card that had it before, or the first."""
        if self.focused is not None:
            return
        steps = self.query_one(StepList)
        cards = list(steps.query(StepCard))
        again = steps.card_for(self._focus_role) if self._focus_role else None
        if again or cards:
            (again or cards[0]).focus()

    @on(Select.Changed, "#home-target")
    def _target_chosen(self) -> None:
        self._read_path()

    def _read_path(self) -> None:
        target = self.target_select.value
        if target is Select.NULL or not isinstance(target, str) or self.subject is None:
            self.path, self.path_message = None, NO_TARGET
            return
        self.path_message = "Working out the route…"
        self.path = None
        self.call_service(
            "path", path_or_none, self.context.engine, self.context.actor, self.subject, target, self.today
        )

    def done_path(self, found: PathRead | None) -> None:
        """Show the path, or say that no route leads to the target, and bring it into view."""
        self.path = found
        view = self.query_one(PathView)
        self.call_after_refresh(view.scroll_visible, animate=False)
        if found is None:
            role = self.route_map.role(str(self.target_select.value)) if self.route_map else None
            here = self.standing.role_title if self.standing else "this role"
            self.path_message = f"No route leads from {here} to {role.title if role else 'that role'} in this council."

    def failed_path(self, _error: Exception) -> None:
        """Say the path could not be worked out."""
        self.path_message = "The route could not be worked out."

    def action_choose_target(self) -> None:
        """Move to the target role chooser."""
        self.target_select.focus()

    def action_ask_progress(self) -> None:
        """Ask to move to the focused next step, if it may be asked for now; otherwise say why not."""
        self.ask_progress()

    def ask_progress(self) -> None:
        """Check the focused step may be asked for, then read the worker's evidence and open the dialog."""
        card = self.focused if isinstance(self.focused, StepCard) else None
        if card is None or self.subject is None or self.next_steps is None:
            self.notify("Move to a next step card first (Tab), then press a.", title="Which step?")
            return
        actor = self.context.actor
        if not (self.own_records or actor.is_admin):
            self.notify(f"Only {self.subject} may ask to progress.", title="Not yours", severity="warning")
            return
        step, from_role = card.step, self.next_steps.role
        open_one = next(
            (r for r in self.requests or [] if r.is_open and (r.from_role, r.to_role) == (from_role, step.role)), None
        )
        reason = why_not_ask(  # the service's rule and words: `request submit` refuses the same
            step, step.title, step.decided_by, self.today, (open_one.id, open_one.state) if open_one else None
        )
        if reason is not None:
            self.notify(reason, title="Not yet", severity="warning")
            return
        self._asking = card.step
        self.call_service("choices", evidence_choices, self.context.engine, actor, self.subject)

    def done_choices(self, choices: list[EvidenceChoice]) -> None:
        """Open the dialog for the step being asked for."""
        if self._asking is None:
            return
        from_title = self.standing.role_title if self.standing else ""
        self.app.push_screen(RequestModal(self._asking, from_title, choices), self._send)

    def _send(self, draft: RequestDraft | None) -> None:
        step, self._asking = self._asking, None
        if draft is None or step is None or self.subject is None:
            return
        self.call_service(
            "submit",
            submit_request,
            self.context.engine,
            self.context.actor,
            self.subject,
            step.role,
            draft.note,
            draft.evidence_ids,
            self.today,
        )

    def done_submit(self, request: RequestRead) -> None:
        """Say the request was sent and who decides, and list it."""
        who = WHO_DECIDES.get(request.decided_by or "", "it is decided")
        self.notify(f"Request #{request.id} to become {request.to_title} submitted ({who}).", title="Asked")
        self._submitted = request.id
        self.call_service("requests", list_requests, self.context.engine, self.context.actor, None, request.staff_id)

    def action_view_request(self) -> None:
        """Open the highlighted request with its decisions."""
        self.view_request()

    @on(OptionList.OptionSelected, "#home-requests")
    def view_request(self) -> None:
        """Show the highlighted request and every decision on it."""
        request = self.request_list.highlighted_request
        if request is None:
            self.notify("There is no request to view yet.", title="No request")
            return
        self.app.push_screen(RequestDecisionsModal(request))
