"""The top of the home screen: who the worker is, the time that counts, and their CPD, supervision and pay."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.status import StatusRead
from progression.services.workers import WorkerStanding
from screens.widgets.home_words import day_words
from screens.widgets.words import money


def describe_who(standing: WorkerStanding) -> Content:
    """Two lines: name, role, route and team; then time in role, since qualifying and of service."""
    team = standing.team or "no team"
    first = Content.from_markup(
        "[b]$name[/b] [dim]($staff)[/dim] · $role · $route · $team",
        name=standing.name,
        staff=standing.staff_id,
        role=standing.role_title,
        route=standing.route_title,
        team=team,
    )
    qualified = f"{standing.time_qualified} since qualifying" if standing.time_qualified else "not yet qualified"
    times = [
        f"{standing.time_in_role} in role (since {day_words(standing.role_since)})",
        qualified,
        f"{standing.time_in_service} of service",
    ]
    return Content("\n").join([first, Content.from_markup("[$text-muted]$times[/]", times=" · ".join(times))])


def describe_status(status: StatusRead) -> Content:
    """CPD for the registration year, supervision due or overdue, and retention payment or market supplement."""
    cpd, supervision = status.cpd, status.supervision
    if cpd is None:
        parts = [Content("Social Work England CPD does not apply: not a registered social worker")]
    else:
        records = f"{cpd.records} record{'' if cpd.records == 1 else 's'}"
        days = f"{cpd.days_left} day{'' if cpd.days_left == 1 else 's'} left"
        cpd_words = (
            f"CPD to {day_words(cpd.year_end)}: {records}, {cpd.peer_reflection_records} with peer reflection "
            f"(needs {cpd.records_needed} and {cpd.peer_reflection_needed}); {days}"
        )
        parts = [
            Content.from_markup("[$text-success]✓[/] $cpd", cpd=cpd_words)
            if cpd.compliant
            else Content.from_markup("[$text-warning]![/] $cpd", cpd=cpd_words)
        ]
    if supervision.next_due is None:
        parts.append(Content(f"Supervision: no schedule applies ({supervision.schedule_title.lower()})"))
    elif supervision.overdue:
        parts.append(
            Content.from_markup(
                "[$text-error]! Supervision overdue by $days days[/] (due $due)",
                days=str(supervision.days_overdue),
                due=day_words(supervision.next_due),
            )
        )
    else:
        parts.append(Content(f"Supervision next due {day_words(supervision.next_due)}"))
    if status.retention_amount and status.retention_due_on:
        due = status.retention_due_on
        when = f"due {day_words(due)}" if due > status.on else f"fell due on {day_words(due)}"
        parts.append(Content(f"Retention payment {money(status.retention_amount)} {when}"))
    if status.market_supplement:
        parts.append(Content(f"Market supplement {money(status.market_supplement)} a year"))
    return Content("\n").join(parts)


class StandingHeader(Static):
    """Who the worker is and how long they have been in role, qualified and in service."""

    DEFAULT_CSS = """
    StandingHeader { width: 1fr; height: auto; padding: 0 1; }
    """

    standing: reactive[WorkerStanding | None] = reactive(None)
    """The worker to describe; None while reading."""

    def watch_standing(self, standing: WorkerStanding | None) -> None:
        """Describe the worker (or nothing yet)."""
        self.update(describe_who(standing) if standing else "")


class StatusStrip(Static):
    """The worker's CPD, supervision and pay that follows the role, one line each."""

    DEFAULT_CSS = """
    StatusStrip {
        width: 1fr;
        height: auto;
        padding: 0 1;
        margin: 1 0 0 0;
        border-left: outer $primary 50%;
    }
    """

    status: reactive[StatusRead | None] = reactive(None)
    """The worker's status; None while reading."""

    def watch_status(self, status: StatusRead | None) -> None:
        """Describe the status, or hide the strip until it is read."""
        self.display = status is not None
        self.update(describe_status(status) if status else "")
