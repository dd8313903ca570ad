"""The requests queue's rules and words: who a request waits for, what the actor may decide, and its detail."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.models.requests import Outcome, RequestState
from progression.services.actor import Actor
from progression.services.decisions import possible_outcomes as service_outcomes
from progression.services.requests import RequestRead
from screens.widgets.manager_team import full_date

OUTCOME_WORDS: dict[str, str] = {
    Outcome.ENDORSE: "Endorse (send to the panel)",
    Outcome.RETURN: "Return to the worker",
    Outcome.APPROVE: "Approve",
    Outcome.DEFER: "Defer, with development actions",
    Outcome.REJECT: "Reject",
    Outcome.AUTOMATIC: "Automatic",
}
"""Each outcome as the decider reads it (every `Outcome`)."""

STATE_STYLES: dict[str, str] = {
    RequestState.SUBMITTED: "text-warning",
    RequestState.ENDORSED: "text-accent",
    RequestState.RETURNED: "text-muted",
    RequestState.APPROVED: "text-success",
    RequestState.DEFERRED: "text-warning",
    RequestState.REJECTED: "text-error",
}
"""The theme colour each state is drawn in (every `RequestState`)."""


def is_panel_step(request: RequestRead) -> bool:
    """Whether the panel takes the final decision (a step the council no longer lists counts as a panel step)."""
    return request.decided_by in (None, "panel")


def possible_outcomes(actor: Actor, request: RequestRead) -> tuple[str, ...]:
    """The outcomes the actor may choose for the request now: the decisions service's rule
    (`progression.services.decisions.possible_outcomes`), which `decide` checks again."""
    return tuple(o.value for o in service_outcomes(actor, request))


def waits_for(request: RequestRead) -> str:
    """Whose decision an open request waits for: 'line manager' or 'panel'; '' once decided."""
    if request.state == RequestState.SUBMITTED:
        return "panel" if request.appeal_of is not None else "line manager"
    if request.state == RequestState.ENDORSED:
        return "panel"
    return ""


def waits_for_actor(actor: Actor, request: RequestRead) -> bool:
    """Whether the request waits for this actor: a report's submitted request for their line managers, an
    endorsed one for the panel (administrators)."""
    if not possible_outcomes(actor, request):
        return False
    if request.appeal_of is not None:
        return actor.is_admin
    return actor.is_admin if request.state == RequestState.ENDORSED else not actor.is_admin


def queue_order(actor: Actor, requests: list[RequestRead]) -> list[RequestRead]:
    """Those waiting for the actor first, then other open ones, then the decided; newest first within each."""
    return sorted(requests, key=lambda r: (not waits_for_actor(actor, r), not r.is_open))


def describe_request(request: RequestRead, actor: Actor) -> Content:
    """The request in full: worker, step, who decides, the note, evidence offered, and every decision so far."""
    met = "[$text-success]✓ met[/]" if request.requirements_met else "[$text-error]✗ not met[/]"
    who = (
        "the panel (an appeal)"
        if request.appeal_of is not None
        else "the panel, after the line manager endorses"
        if is_panel_step(request)
        else "the line manager"
    )
    lines = [
        Content.from_markup(
            "[b]$name[/b] ($staff) · request $id", name=request.name, staff=request.staff_id, id=str(request.id)
        ),
        Content.from_markup("$from → [b]$to[/b]", to=request.to_title, **{"from": request.from_title}),
        Content.from_markup(f"Submitted $on · requirements {met} that day", on=full_date(request.submitted_on)),
        Content(f"Decided by {who}"),
    ]
    if request.appeal_of is not None:
        lines.append(Content.from_markup("[b $text-primary]Appeal of request $id[/]", id=str(request.appeal_of)))
        appealed = request.appealed_decision
        if appealed is not None:
            lines.append(
                Content.from_markup(
                    "$on · [b]$outcome[/b] by $by (who may not decide the appeal)",
                    on=full_date(appealed.on),
                    outcome=appealed.outcome,
                    by=appealed.by_name or appealed.by or "the local administrator",
                )
            )
            lines.append(Content.from_markup("  [$text-muted]$reason[/]", reason=appealed.reason))
    if request.effective_on:
        lines.append(Content(f"Effective {full_date(request.effective_on)}"))
    if request.note:
        lines += [Content.from_markup("[b $text-primary]Note[/]"), Content(request.note)]
    if request.evidence:
        lines.append(Content.from_markup("[b $text-primary]Evidence offered[/]"))
        lines += [Content(f"• {title}") for title in request.evidence]
    lines.append(Content.from_markup("[b $text-primary]Decisions[/]"))
    if not request.decisions:
        lines.append(Content.from_markup("[$text-muted]None yet[/]"))
    for decision in request.decisions:
        by = decision.by_name or decision.by or "automatic"
        effective = f", effective {full_date(decision.effective_on)}" if decision.effective_on else ""
        lines.append(
            Content.from_markup(
                "$on · [b]$outcome[/b] by $by$effective",
                on=full_date(decision.on),
                outcome=decision.outcome,
                by=by,
                effective=effective,
            )
        )
        lines.append(Content.from_markup("  [$text-muted]$reason[/]", reason=decision.reason))
    outcomes = possible_outcomes(actor, request)
    if outcomes:
        lines.append(Content.from_markup("[$text-accent]Press d to decide: $choices[/]", choices=", ".join(outcomes)))
    return Content("\n").join(lines)


class RequestDetail(VerticalScroll):
    """The focused request and its decisions; the screen sets `request` and `actor`."""

    DEFAULT_CSS = """
    RequestDetail {
        padding: 0 1;
        border: round $primary 50%;
        border-title-color: $text-primary;
        scrollbar-size-vertical: 1;
        & > Static { width: 1fr; }
    }
    """

    request: reactive[RequestRead | None] = reactive(None, init=False)
    """The request to describe, or None when the list is empty."""

    def __init__(self, actor: Actor, *, id: str | None = None) -> None:  # noqa: A002
        """Prepare the panel.

        Args:
            actor: Who reads, for what they may decide.
            id: The panel's DOM id.
        """
        super().__init__(id=id)
        self.actor = actor

    def compose(self) -> ComposeResult:
        """The description."""
        yield Static("No request", id="request-text")

    def on_mount(self) -> None:
        """Title the panel."""
        self.border_title = "Request"

    def watch_request(self, request: RequestRead | None) -> None:
        """Describe the request."""
        text = describe_request(request, self.actor) if request else Content("No request to show.")
        self.query_one("#request-text", Static).update(text)
        self.scroll_home(animate=False)
