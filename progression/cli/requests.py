"""The `request` commands: ask to move to another role, list the requests the actor may see, and show one."""

from __future__ import annotations

import click
from rich.table import Table

from progression.cli.context import CliContext, pass_context
from progression.cli.main import cli
from progression.fields import MAX_INTEGER
from progression.models.requests import RequestState
from progression.safe_text import SafeConsole, json_text

ID = click.IntRange(1, MAX_INTEGER)
"""A record id: a whole number from 1 to the largest an integer column holds on every backend."""
STATE_NAMES = [s.value for s in RequestState]
"""The request states, as `--state` takes them."""


@cli.group("request")
def request_group() -> None:
    """Progression requests: ask to move role, and follow what was decided."""


@request_group.command("submit")
@click.argument("staff_id")
@click.argument("role")
@click.option("--note", default="", metavar="TEXT", help="Why the worker asks now (required before the step is ready).")
@click.option(
    "--evidence", "evidence_ids", type=ID, multiple=True, metavar="ID", help="Offer this evidence (repeatable)."
)
@pass_context
def submit_command(state: CliContext, staff_id: str, role: str, note: str, evidence_ids: tuple[int, ...]) -> None:
    """Ask for STAFF_ID to move to ROLE; prints the new request's id alone.

    A step may be asked for once it is ready, or from three months before the date it will be ready.
    """
    from progression.services.requests import submit_request

    state.require_schema()
    request = submit_request(state.engine, state.actor, staff_id, role, note, list(evidence_ids), state.today)
    click.echo(request.id)


@request_group.command("list")
@click.option("--state", "state_name", metavar="STATE", help=f"Only requests in this state ({', '.join(STATE_NAMES)}).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (docs) instead of a table.")
@pass_context
def list_command(state: CliContext, state_name: str | None, as_json: bool) -> None:
    """The requests the actor may see, newest first (who decided each: `request show ID` or --json)."""
    from progression.services.requests import list_requests

    state.require_schema()
    found = list_requests(state.engine, state.actor, state_name)
    if as_json:
        click.echo(json_text([r.model_dump(mode="json") for r in found]))
        return
    console = SafeConsole()
    if not found:
        which = f" {state_name}" if state_name else ""
        console.print(f"No{which} requests you may see.")
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("submitted", no_wrap=True)
    table.add_column("staff id", no_wrap=True)
    table.add_column("to", overflow="fold", min_width=8)
    table.add_column("state", no_wrap=True)
    table.add_column("last decision", no_wrap=True)
    for request in found:
        last = request.decisions[-1] if request.decisions else None
        to = request.to_role + (f" (appeal of {request.appeal_of})" if request.appeal_of else "")
        decided = f"{last.on} {last.outcome}" if last else ""
        table.add_row(str(request.id), request.submitted_on.isoformat(), request.staff_id, to, request.state, decided)
    console.print(table)
    console.print(f"{len(found)} request{'s' if len(found) != 1 else ''}.")


@request_group.command("show")
@click.argument("request_id", type=ID, metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object, as in `request list --json`).")
@pass_context
def show_command(state: CliContext, request_id: int, as_json: bool) -> None:
    """One request with its note, evidence and every decision; for an appeal, the decision appealed against.

    Exits 3 for a request the actor has no say over, and for an id no request has (the same words), so that
    nobody learns about a request that is not theirs to see.
    """
    from progression.services.requests import show_request

    state.require_schema()
    request = show_request(state.engine, state.actor, request_id)
    if as_json:
        click.echo(json_text(request.model_dump(mode="json")))
        return
    console = SafeConsole()
    lines = [
        f"Request {request.id}: {request.name} ({request.staff_id}), {request.from_role} → {request.to_role}",
        f"State: {request.state} · submitted {request.submitted_on}"
        + (f" · effective {request.effective_on}" if request.effective_on else ""),
        f"Requirements {'met' if request.requirements_met else 'not met'} on the day it was submitted",
    ]
    if request.appeal_of is not None:
        lines.append(f"Appeal of request {request.appeal_of}")
        appealed = request.appealed_decision
        if appealed is not None:
            lines.append(f"  appealed decision: {appealed.on} {appealed.outcome} by {appealed.by or 'the system'}")
            lines.append(f"  reason: {appealed.reason}")
    if request.note:
        lines.append(f"Note: {request.note}")
    for title in request.evidence:
        lines.append(f"Evidence: {title}")
    if not request.decisions:
        lines.append("No decision yet.")
    for decision in request.decisions:
        by = f" by {decision.by}" if decision.by else ""
        lines.append(f"{decision.on} {decision.outcome}{by}: {decision.reason}")
    for line in lines:
        console.print(line)
