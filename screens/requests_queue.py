"""The requests queue: the progression requests the actor may see, those waiting for them first, and decisions."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from progression.errors import Conflict
from progression.services.decisions import DecisionResult, decide
from progression.services.requests import RequestRead, list_requests
from screens.context import UiContext
from screens.decide_modal import DecideModal, DecisionDraft
from screens.record_screen import RecordScreen
from screens.widgets.manager_requests import (
    STATE_STYLES,
    RequestDetail,
    possible_outcomes,
    queue_order,
    waits_for,
    waits_for_actor,
)
from screens.widgets.manager_team import SCROLL_GUTTER, abbreviated, clipped, share

COLUMNS = ("#", "Worker", "Step", "State", "Waits for", "Met", "Submitted")
"""The queue's columns, the most needed first (a narrow terminal scrolls to the last)."""
FIXED_WIDTHS = (3, 9, 12, 3, 11)
"""The widths of the id, state, waits for, met and submitted columns."""


class RequestsScreen(RecordScreen):
    """Requests of the actor's reports (an administrator: all), the ones waiting for the actor first."""

    HELP = (
        "Progression requests you may see: your reports' (an administrator: everyone's), those waiting for your "
        "decision first (a report's submitted request for their line managers, an endorsed one for the panel), then "
        "other open ones, then those decided. The panel shows the focused request, its note, evidence and every "
        "decision so far. Press d to decide it."
    )

    BINDING_GROUP_TITLE = "Requests"
    AUTO_FOCUS = "#requests-table"

    BINDINGS = [
        Binding("d", "decide", "Decide", id="requests-decide", tooltip="Decide the focused request"),
        Binding(
            "o",
            "toggle_open",
            "Open only",
            id="requests-open",
            tooltip="Show only the requests still waiting for a decision, or all",
        ),
    ]

    DEFAULT_CSS = """
    RequestsScreen {
        #requests-summary { padding: 0 1; color: $text-muted; }
        #requests-body { height: 1fr; layout: vertical; }
        #requests-table {
            height: 1fr;
            border: round $primary 50%;
            border-title-color: $text-primary;
            scrollbar-size-vertical: 1;
        }
        #request-detail { height: 45%; min-height: 8; }
        &.-wide #requests-body { layout: horizontal; }
        &.-wide #requests-table { width: 3fr; }
        &.-wide #request-detail { width: 2fr; height: 1fr; }
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]

    def __init__(self, context: UiContext) -> None:
        """Prepare the screen.

        Args:
            context: The database, actor and date every service call uses.
        """
        super().__init__(context)
        self.requests: list[RequestRead] = []
        """Every request the actor may see, in the queue's order."""
        self.shown: list[RequestRead] = []
        """The requests in the table."""
        self.open_only = False
        self.chosen: RequestRead | None = None
        """The focused request, which the panel describes and Decide acts on."""

    def compose_body(self) -> ComposeResult:
        """The summary, then the queue beside (or above) the focused request."""
        yield Static("Reading the requests…", id="requests-summary")
        with Horizontal(id="requests-body"):
            yield DataTable(id="requests-table", cursor_type="row", zebra_stripes=True)
            yield RequestDetail(self.context.actor, id="request-detail")

    @property
    def table(self) -> DataTable[object]:
        """The queue."""
        return self.query_one("#requests-table", DataTable)

    @property
    def detail(self) -> RequestDetail:
        """The focused request's panel."""
        return self.query_one("#request-detail", RequestDetail)

    def on_mount(self) -> None:
        """Read the queue (the actor's, whoever the picked worker is)."""
        self.action_reload()

    def on_resize(self) -> None:
        """Share the new width out among the columns again."""
        self.call_after_refresh(self.fill)

    def action_reload(self) -> None:
        """Read the requests again."""
        self.call_service("requests", list_requests, self.context.engine, self.context.actor)

    def done_requests(self, requests: list[RequestRead]) -> None:
        """Order the requests read, the ones waiting for the actor first, and show them."""
        self.requests = queue_order(self.context.actor, requests)
        self.fill()

    def failed_requests(self, error: BaseException) -> None:
        """Show nothing when the requests cannot be read."""
        self.requests = []
        self.fill()

    def fill(self) -> None:
        """One row per request shown, keeping the focused one where it is still there."""
        table, actor = self.table, self.context.actor
        keep = self.chosen.id if self.chosen else None
        colours = self.app.theme_variables
        self.shown = [r for r in self.requests if r.is_open or not self.open_only]
        steps = [
            (f"Appeal of #{r.appeal_of}: " if r.appeal_of is not None else "")
            + f"{abbreviated(r.from_title)} → {abbreviated(r.to_title)}"
            for r in self.shown
        ]
        room = (table.size.width or self.size.width) - SCROLL_GUTTER - 2 * len(COLUMNS) - sum(FIXED_WIDTHS)
        natural = [max([6, *(len(r.name) for r in self.shown)]), max([4, *(len(s) for s in steps)])]
        name_w, step_w = share(room, natural, [12, 14])
        table.clear(columns=True)
        for label, width in zip(COLUMNS, (FIXED_WIDTHS[0], name_w, step_w, *FIXED_WIDTHS[1:]), strict=True):
            table.add_column(label, width=width)
        for request, step in zip(self.shown, steps, strict=True):
            mine = waits_for_actor(actor, request)
            table.add_row(
                str(request.id),
                clipped(request.name, name_w, "bold" if mine else ""),
                clipped(step, step_w),
                Text(request.state, style=colours.get(STATE_STYLES.get(request.state, ""), "")),
                Text("you", style=f"bold {colours['text-accent']}") if mine else waits_for(request) or "—",
                Text("✓", style=colours["text-success"])
                if request.requirements_met
                else Text("✗", style=colours["text-error"]),
                f"{request.submitted_on.day} {request.submitted_on:%b %Y}",
                key=str(request.id),
            )
        ids = [r.id for r in self.shown]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self.choose(self.shown[table.cursor_row] if self.shown else None)
        waiting = sum(waits_for_actor(actor, r) for r in self.requests)
        still_open = sum(r.is_open for r in self.requests)
        table.border_title = f"Requests ({len(self.shown)})" + (" · open only" if self.open_only else "")
        self.query_one("#requests-summary", Static).update(
            f"{waiting} waiting for you · {still_open} open · {len(self.requests)} in all"
            if self.requests
            else "No requests you may see."
        )

    @on(DataTable.RowHighlighted, "#requests-table")
    def _request_focused(self, event: DataTable.RowHighlighted) -> None:
        chosen = next((r for r in self.shown if str(r.id) == event.row_key.value), None)
        if chosen is not None:
            self.choose(chosen)

    def choose(self, request: RequestRead | None) -> None:
        """Focus a request: describe it, and offer Decide when the actor may decide it."""
        self.chosen = request
        self.detail.request = request
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Decide on a request the actor may decide (dimmed on one they may not)."""
        if action == "decide":
            return bool(self.chosen and possible_outcomes(self.context.actor, self.chosen)) or None
        return True

    def action_toggle_open(self) -> None:
        """Show only open requests, or all."""
        self.open_only = not self.open_only
        self.fill()

    def action_decide(self) -> None:
        """Open the decision dialog on the focused request."""
        ctx, request = self.context, self.chosen
        if request is None:
            return
        outcomes = possible_outcomes(ctx.actor, request)
        if not outcomes:
            self.notify("There is nothing for you to decide on this request.", title="Nothing to decide")
            return

        def save(draft: DecisionDraft) -> DecisionResult:
            return decide(
                ctx.engine,
                ctx.actor,
                request.id,
                draft.outcome,
                draft.reason,
                ctx.today,
                effective=draft.effective,
                override=draft.override,
                actions=draft.actions,
            )

        self.app.push_screen(DecideModal(request, outcomes, save, ctx.today), self.decided)

    def decided(self, result: DecisionResult | Conflict | None) -> None:
        """Say what happened, and read the queue again after a decision or a conflict."""
        if result is None:
            return
        if isinstance(result, Conflict):
            self.notify(f"{result} The queue has been read again.", title="Someone decided first", severity="warning")
        else:
            applied = " The move is applied." if result.applied else ""
            self.notify(f"Request {result.request_id} is now {result.state}.{applied}", title="Decision recorded")
        self.action_reload()
