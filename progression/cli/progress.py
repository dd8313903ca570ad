"""The commands that answer "what do I still need, and when will I be ready?": next-steps, path, payments."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from progression.cli.context import CliContext, date_option, pass_context
from progression.cli.main import cli
from progression.dates import parse_date
from progression.safe_text import SafeConsole, json_text, line

if TYPE_CHECKING:
    from progression.services.status import StatusRead


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
    """STAFF_ID's CPD for the registration year (registered social workers), supervision due, first year and pay
    that follows the role."""
    from progression.services.status import worker_status

    state.require_schema()
    result = worker_status(state.engine, state.actor, staff_id, on or state.today)
    if as_json:
        click.echo(json_text(result.model_dump(mode="json")))
        return
    console = _console()
    console.print(line((staff_id, "bold"), f" ({result.role}) on {result.on}"))
    _labelled(console, "CPD", _status_cpd(result))
    _labelled(console, "Supervision", *_status_supervision(result))
    year = result.first_year
    if year:
        protected = f"; protected time {year.protected_time_percent:g}%" if year.protected_time_percent else ""
        reviews = [line(f"{r.title}: {r.due_on}{' (optional)' if r.optional else ''}") for r in year.reviews]
        _labelled(
            console, "First year", line(f"{year.title}, {year.start} to {_when(year.ends_on)}{protected}"), *reviews
        )
    if result.retention_amount:
        _labelled(console, "Retention", line(f"£{result.retention_amount:,} due {_when(result.retention_due_on)}"))
    if result.market_supplement:
        pro_rata = result.market_supplement_pro_rata or 0
        _labelled(console, "Supplement", line(f"£{result.market_supplement:,} a year (£{pro_rata:,.0f} at this FTE)"))


LABEL_WIDTH = 13
"""The width of the labels of `status` ('Supervision' and two spaces)."""


def _labelled(console: SafeConsole, label: str, *paragraphs: Text) -> None:
    """Paragraphs beside a bold label, each wrapped at word boundaries to the console's width (80 columns when
    not a terminal) with a hanging indent, so that no date or amount is split and no line is padded."""
    width = max(20, console.width - LABEL_WIDTH)
    first = True
    for paragraph in paragraphs:
        for wrapped in paragraph.wrap(console, width):
            wrapped.rstrip()
            head = Text(label.ljust(LABEL_WIDTH) if first else " " * LABEL_WIDTH, style="bold")
            console.print(head + wrapped, soft_wrap=True)
            first = False


def _seen(day: date | None) -> str:
    """A last session's date, or 'none recorded'."""
    return day.isoformat() if day else "none recorded"


def _count(number: int, noun: str) -> str:
    """'1 record', '2 records'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _status_cpd(result: StatusRead) -> Text:
    """The registration year's CPD in words, or that Social Work England CPD does not apply."""
    cpd = result.cpd
    if cpd is None:
        return line("Social Work England CPD does not apply: not a registered social worker.")
    verdict = (f"met on {_when(cpd.met_on)}", "green") if cpd.compliant else (f"{cpd.missing} needed", "yellow")
    return line(
        f"{cpd.year_start} to {cpd.year_end}: {_count(cpd.records, 'record')}, "
        f"{cpd.peer_reflection_records} with peer reflection; ",
        verdict,
        f"; {_count(cpd.days_left, 'day')} left.",
    )


def _status_supervision(result: StatusRead) -> list[Text]:
    """The schedule, when individual supervision is next due (or that no schedule applies, and why), and the
    sessions that wait for the supervisor's confirmation."""
    supervision = result.supervision
    parts: list[str | tuple[str, str]] = [f"{supervision.schedule_title}: "]
    if supervision.no_schedule:
        parts.append(("no schedule applies", "bold"))
        parts.append("; ")
    parts.append(f"last individual {_seen(supervision.last_individual)}")
    if supervision.overdue:
        parts += ["; ", (f"overdue by {_count(supervision.days_overdue, 'day')}", "red")]
        parts.append(f" (due {_when(supervision.next_due)})")
    elif supervision.next_due:
        parts.append(f"; next due {supervision.next_due}")
    parts.append(f"; last group reflection {_seen(supervision.last_group)}.")
    if supervision.pending:
        waiting = _count(supervision.pending, "session")
        verb = "waits" if supervision.pending == 1 else "wait"
        parts.append((f" {waiting} {verb} for the supervisor's confirmation (not counted).", "yellow"))
    paragraphs = [line(*parts)]
    if supervision.no_schedule:
        paragraphs.append(line((supervision.no_schedule, "dim")))
    return paragraphs
