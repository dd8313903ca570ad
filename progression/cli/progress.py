"""The commands that answer "what do I still need, and when will I be ready?": next-steps, path, payments."""

from __future__ import annotations

from datetime import date

import click
from rich.table import Table

from progression.cli.context import CliContext, date_option, pass_context
from progression.cli.main import cli
from progression.dates import parse_date
from progression.safe_text import SafeConsole, json_text, line


def _console() -> SafeConsole:
    return SafeConsole()


def _when(day: date | None) -> str:
    return day.isoformat() if day else "unknown"


@cli.command("next-steps")
@click.argument("staff_id")
@click.option("--on", "on", callback=date_option, metavar="YYYY-MM-DD", help="Evaluate on this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (CONTRACT.md) instead of a table.")
@pass_context
def next_steps_command(state: CliContext, staff_id: str, on: date | None, as_json: bool) -> None:
    """What STAFF_ID needs for each next role, and when they will be ready."""
    from progression.services.progress import next_steps

    state.require_schema()
    result = next_steps(state.engine, state.actor, staff_id, on or state.today)
    if as_json:
        click.echo(json_text(result.model_dump(mode="json")))
        return
    console = _console()
    console.print(line(f"{staff_id}: next steps from ", (result.role, "bold"), f" on {result.on}"))
    if not result.next_steps:
        console.print("No transitions lead out of this role in the council's routes.")
    for step in result.next_steps:
        verdict = ("ready now", "green") if step.ready else f"ready on {_when(step.ready_on)}"
        console.print()
        console.print(
            line((step.title, "bold"), f" ({step.role}, {step.route} route, decided by {step.decided_by}): ", verdict)
        )
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("", "requirement", "met on", "detail"):
            table.add_column(column)
        for requirement in step.requirements:
            table.add_row(
                "✓" if requirement.met else "·", requirement.kind, _when(requirement.met_on), requirement.detail
            )
        console.print(table)


@cli.command("path")
@click.argument("staff_id")
@click.argument("role")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (CONTRACT.md) instead of a table.")
@pass_context
def path_command(state: CliContext, staff_id: str, role: str, as_json: bool) -> None:
    """The quickest route from STAFF_ID's role to ROLE, step by step."""
    from progression.services.progress import path

    state.require_schema()
    result = path(state.engine, state.actor, staff_id, role, state.today)
    if as_json:
        click.echo(json_text(result.model_dump(mode="json", by_alias=True)))
        return
    console = _console()
    if not result.steps:
        console.print(f"{staff_id} already holds {role}.")
        return
    console.print(
        line(
            f"{staff_id}: quickest route from ",
            (result.from_, "bold"),
            " to ",
            (result.to, "bold"),
            f", earliest {_when(result.earliest_on)}",
        )
    )
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("#", "from", "to", "decided by", "earliest", "still needed"):
        table.add_column(column)
    for number, step in enumerate(result.steps, start=1):
        unknown = [r.detail for r in step.requirements if r.met_on is None]
        table.add_row(str(number), step.from_, step.to, step.decided_by, _when(step.earliest_on), "; ".join(unknown))
    console.print(table)


@cli.command("payments")
@click.option("--from", "start", required=True, metavar="YYYY-MM-DD", help="First day of the window.")
@click.option("--to", "end", required=True, metavar="YYYY-MM-DD", help="Last day of the window (inclusive).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (CONTRACT.md) instead of a table.")
@pass_context
def payments_command(state: CliContext, start: str, end: str, as_json: bool) -> None:
    """Retention payments falling due from --from to --to."""
    from progression.services.progress import payments

    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    state.require_schema()
    due = payments(state.engine, state.actor, first, last)
    if as_json:
        click.echo(json_text([p.model_dump(mode="json", exclude={"name"}) for p in due]))
        return
    console = _console()
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("due on", "staff id", "name", "role", "amount"):
        table.add_column(column, justify="right" if column == "amount" else "left")
    for payment in due:
        table.add_row(payment.due_on.isoformat(), payment.staff_id, payment.name, payment.role, f"£{payment.amount:,}")
    console.print(table)
    total = sum(p.amount for p in due)
    console.print(f"{len(due)} retention payment{'s' if len(due) != 1 else ''} due, £{total:,} in all.")


@cli.command("status")
@click.argument("staff_id")
@click.option("--on", "on", callback=date_option, metavar="YYYY-MM-DD", help="Evaluate on this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_context
def status_command(state: CliContext, staff_id: str, on: date | None, as_json: bool) -> None:
    """STAFF_ID's CPD for the registration year, supervision due, first year and pay that follows the role."""
    from progression.services.status import worker_status

    state.require_schema()
    result = worker_status(state.engine, state.actor, staff_id, on or state.today)
    if as_json:
        click.echo(json_text(result.model_dump(mode="json")))
        return
    console = _console()
    cpd, supervision = result.cpd, result.supervision
    console.print(f"{staff_id} ({result.role}) on {result.on}")
    verdict = ("met", "green") if cpd.compliant else (f"{cpd.missing} needed", "yellow")
    console.print(
        line(
            f"CPD {cpd.year_start} to {cpd.year_end}: {cpd.records} records, "
            f"{cpd.peer_reflection_records} with peer reflection; ",
            verdict,
            f"; {cpd.days_left} days left",
        )
    )
    due = (
        (f"overdue by {supervision.days_overdue} days", "red") if supervision.overdue else f"due {supervision.next_due}"
    )
    console.print(
        line(
            f"Supervision ({supervision.schedule_title}): last {_when(supervision.last_individual)}, ",
            due,
            f"; last group reflection {_when(supervision.last_group)}",
        )
    )
    if result.first_year:
        year = result.first_year
        console.print(
            f"First year: {year.title}, {year.start} to {_when(year.ends_on)}; protected time "
            f"{year.protected_time_percent or 0:g}%"
        )
        for review in year.reviews:
            console.print(f"  {review.title}: {review.due_on}{' (optional)' if review.optional else ''}")
    if result.retention_amount:
        console.print(f"Retention payment £{result.retention_amount:,} due {result.retention_due_on}")
    if result.market_supplement:
        console.print(
            f"Market supplement £{result.market_supplement:,} a year "
            f"(£{result.market_supplement_pro_rata:,.0f} at this FTE)"
        )
