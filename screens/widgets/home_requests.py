"""The worker's progression requests: a list of them with their state, and a dialog with one request's decisions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from progression.services.requests import DecisionRead, RequestRead
from screens.widgets.home_words import STATE_WORDS, day_words

NO_REQUESTS = "No requests yet. On a step that is ready, press a to ask to progress."
"""What the list says when the worker has made no request."""


def decision_line(decision: DecisionRead) -> Content:
    """One decision: when, what, by whom, and why."""
    if not decision.by:
        by = ""
    elif decision.by_name == decision.by:  # the local administrator: a label, not a staff id
        by = f" by {decision.by_name}"
    else:
        by = f" by {decision.by_name} ({decision.by})"
    effective = f", effective {day_words(decision.effective_on)}" if decision.effective_on else ""
    return Content.from_markup(
        "[b]$on[/b] $outcome$by$effective\n  [$text-muted]$reason[/]",
        on=day_words(decision.on),
        outcome=decision.outcome,
        by=by,
        effective=effective,
        reason=decision.reason,
    )


def request_prompt(request: RequestRead) -> Content:
    """A request in two lines: the step and when it was asked for; then its state or the last decision."""
    first = Content.from_markup(
        "[b]#$id[/b] → $to [$text-muted]· asked $on[/]",
        id=str(request.id),
        to=request.to_title or request.to_role,
        on=day_words(request.submitted_on),
    )
    last = request.decisions[-1] if request.decisions else None
    state = STATE_WORDS.get(request.state, request.state)
    if last is not None:
        by = f" by {last.by_name}" if last.by_name else ""
        state = f"{state}: {last.outcome}{by} on {day_words(last.on)}"
    colour = "$text-success" if request.state == "approved" else "$text-warning" if request.is_open else "$text-muted"
    return Content("\n").join([first, Content.from_markup(f"   [{colour}]$state[/]", state=state)])


class RequestList(OptionList):
    """The requests, newest first; the highlighted one is the one `v` opens."""

    DEFAULT_CSS = """
    RequestList, RequestList:focus { height: auto; max-height: 16; border: none; padding: 0 1; }
    """

    requests: reactive[list[RequestRead] | None] = reactive(None, init=False)
    """The requests to list; None while reading."""

    def watch_requests(self, requests: list[RequestRead] | None) -> None:
        """List the requests, or say there are none, keeping the highlight on the same request."""
        keep = self.highlighted_request.id if self.highlighted_request else None
        self.clear_options()
        if requests is None:
            self.add_option(Option("Reading requests…", disabled=True))
            return
        if not requests:
            self.add_option(Option(NO_REQUESTS, disabled=True))
            return
        self.add_options(Option(request_prompt(r), id=str(r.id)) for r in requests)
        ids = [r.id for r in requests]
        self.highlighted = ids.index(keep) if keep in ids else 0

    @property
    def highlighted_request(self) -> RequestRead | None:
        """The request under the highlight, if any."""
        if not self.requests or self.highlighted is None or self.highlighted >= len(self.requests):
            return None
        return self.requests[self.highlighted]

    def select_request(self, request_id: int) -> None:
        """Move the highlight to a request (after it was submitted, say)."""
        ids = [r.id for r in self.requests or []]
        if request_id in ids:
            self.highlighted = ids.index(request_id)


class RequestDecisionsModal(ModalScreen[None]):
    """One request: what was asked, with which note and evidence, and every decision taken on it."""

    HELP = "One progression request and every decision on it, with the reasons. Escape closes."

    BINDINGS = [Binding("escape", "close", "Close", tooltip="Back to the home screen")]

    DEFAULT_CSS = """
    RequestDecisionsModal {
        align: center middle;
        background: $background 60%;
        & > VerticalScroll {
            width: 96%;
            max-width: 90;
            height: auto;
            max-height: 90%;
            padding: 0 1;
            border: round $accent;
            border-title-color: $text-accent;
            background: $surface;
        }
        & .heading { text-style: bold; color: $text-primary; margin-top: 1; }
        & .hint { color: $text-muted; margin-top: 1; }
    }
    """

    def __init__(self, request: RequestRead) -> None:
        """Show one request.

        Args:
            request: The request and its decisions.
        """
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        """What was asked, then the decisions, then how to close."""
        request = self.request
        with VerticalScroll(id="request-decisions") as box:
            box.border_title = f"Request #{request.id}"
            yield Static(
                Content.from_markup(
                    "[b]$from → $to[/b]\n$who · asked $on · $state",
                    to=request.to_title or request.to_role,
                    who=f"{request.name} ({request.staff_id})",
                    on=day_words(request.submitted_on),
                    state=STATE_WORDS.get(request.state, request.state),
                    **{"from": request.from_title or request.from_role},
                )
            )
            met = "every requirement was met" if request.requirements_met else "some requirements were not yet met"
            yield Static(f"When asked, {met}.", markup=False)
            if request.note:
                yield Static(Content.from_markup("Note: [i]$note[/i]", note=request.note))
            if request.evidence:
                yield Static("Evidence offered: " + "; ".join(request.evidence), markup=False)
            yield Label("Decisions", classes="heading")
            if not request.decisions:
                yield Static("No decision yet.", markup=False)
            for decision in request.decisions:
                yield Static(decision_line(decision))
            yield Label("Esc closes", classes="hint")

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
