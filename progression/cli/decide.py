"""`request decide` and `request appeal`: one decision by the actor, or the worker's one appeal."""

from __future__ import annotations

from datetime import date

import click

from progression.cli.context import CliContext, date_option, pass_context
from progression.cli.requests import ID, request_group
from progression.services.decisions import OUTCOMES


@request_group.command("decide")
@click.argument("request_id", type=ID, metavar="ID")
@click.option(
    "--outcome",
    required=True,
    type=click.Choice([o.value for o in OUTCOMES]),
    help="The decision (who may take it: docs).",
)
@click.option("--reason", required=True, metavar="TEXT", help="Why (required for every decision).")
@click.option(
    "--effective", callback=date_option, metavar="YYYY-MM-DD", help="When an approval takes effect (default: today)."
)
@click.option("--override", is_flag=True, help="Let it through although the requirements were not met when submitted.")
@click.option(
    "--action", "actions", multiple=True, metavar="TEXT", help="A development action, with defer (repeatable)."
)
@pass_context
def decide_command(
    state: CliContext,
    request_id: int,
    outcome: str,
    reason: str,
    effective: date | None,
    override: bool,
    actions: tuple[str, ...],
) -> None:
    """Take one decision on request ID; exits 4 when someone else has just decided it."""
    from progression.services.decisions import decide

    state.require_schema()
    result = decide(
        state.engine,
        state.actor,
        request_id,
        outcome,
        reason,
        state.today,
        effective=effective,
        override=override,
        actions=list(actions),
    )
    applied = (
        f"; the move took effect on {result.effective_on}"
        if result.applied
        else (f"; takes effect on {result.effective_on}" if result.effective_on else "")
    )
    click.echo(f"Request {request_id} is now {result.state}{applied}.")


@request_group.command("appeal")
@click.argument("request_id", type=ID, metavar="ID")
@click.option("--note", required=True, metavar="TEXT", help="Why the decision should be looked at again.")
@pass_context
def appeal_command(state: CliContext, request_id: int, note: str) -> None:
    """Appeal once against a rejection or deferral; prints the appeal's request id alone."""
    from progression.services.decisions import appeal

    state.require_schema()
    click.echo(appeal(state.engine, state.actor, request_id, note, state.today))
