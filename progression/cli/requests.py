"""The `request` commands: ask to move to another role, and list the requests the actor may see."""

from __future__ import annotations

import click
from rich.table import Table

from progression.cli.context import CliContext, pass_context
from progression.cli.main import cli
from progression.fields import MAX_INTEGER
from progression.safe_text import SafeConsole, json_text

ID = click.IntRange(1, MAX_INTEGER)
"""A record id: a whole number from 1 to the largest an integer column holds on every backend."""


@cli.group("request")
def request_group() -> None:
    """Progression requests: ask to move role, and follow what was decided."""


@request_group.command("submit")
@click.argument("staff_id")
@click.argument("role")
@click.option("--note", default="", metavar="TEXT", help="Why the worker asks now, in their own words.")
@click.option(
    "--evidence", "evidence_ids", type=ID, multiple=True, metavar="ID", help="Offer this evidence (repeatable)."
)
@pass_context
def submit_command(state: CliContext, staff_id: str, role: str, note: str, evidence_ids: tuple[int, ...]) -> None:
    """Ask for STAFF_ID to move to ROLE; prints the new request's id alone."""
    from progression.services.requests import submit_request

    state.require_schema()
    request = submit_request(state.engine, state.actor, staff_id, role, note, list(evidence_ids), state.today)
    click.echo(request.id)


@request_group.command("list")
@click.option("--state", "state_name", metavar="STATE", help="Only requests in this state (submitted, endorsed, …).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (CONTRACT.md) instead of a table.")
@pass_context
def list_command(state: CliContext, state_name: str | None, as_json: bool) -> None:
    """The requests the actor may see, newest first."""
    from progression.services.requests import list_requests

    state.require_schema()
    found = list_requests(state.engine, state.actor, state_name)
    if as_json:
        click.echo(json_text([r.model_dump(mode="json") for r in found]))
        return
    console = SafeConsole()
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "submitted", "staff id", "to", "state", "last decision"):
        table.add_column(column, justify="right" if column == "id" else "left", no_wrap=column != "last decision")
    for request in found:
        last = request.decisions[-1] if request.decisions else None
        decided = f"{last.on} {last.outcome}" + (f" by {last.by}" if last.by else "") if last else ""
        table.add_row(
            str(request.id), request.submitted_on.isoformat(), request.staff_id, request.to_role, request.state, decided
        )
    console.print(table)
    console.print(f"{len(found)} request{'s' if len(found) != 1 else ''}.")
