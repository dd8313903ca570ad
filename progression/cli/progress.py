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
@click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/json.md) instead of a table.")
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
        later = f"ready on {step.ready_on}" if step.ready_on else "no date yet"
        verdict = ("ready now", "green") if step.ready else later
        console.print()
        console.print(
            line((step.title, "bold"), f" ({step.role}, {step.route} route, decided by {step.decided_by}): ", verdict)
        )
        if not step.requirements:
            console.print("No requirements: ready from the day the role began.")
            continue
        table = _table()
        table.add_column("", no_wrap=True)
        table.add_column("requirement", no_wrap=True)
        table.add_column("met on", no_wrap=True, min_width=10)
        table.add_column("detail", overflow="fold", ratio=1, min_width=20)
        for requirement in step.requirements:
            table.add_row(
                "✓" if requirement.met else "·", requirement.kind, _on(requirement.met_on, False), requirement.detail
            )
        console.print(table)


def _table() -> Table:
    return Table(show_header=True, header_style="bold", box=None, pad_edge=False)


def _on(day: date | None, estimated: bool) -> str:
    """A path's date: the day, marked when it is an estimate; "no date" when none can be known."""
    if day is None:
        return "no date"
    return f"{day.isoformat()} (estimate)" if estimated else day.isoformat()


def _route_notes(leaves_route: bool, needs_vacancy: bool) -> str:
    notes = []
    if leaves_route:
        notes.append("leaves the route")
    if needs_vacancy:
        notes.append("needs a vacancy")
    return "; ".join(notes)


@cli.command("path")
@click.argument("staff_id")
@click.argument("role")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/json.md) instead of a table.")
@pass_context
def path_command(state: CliContext, staff_id: str, role: str, as_json: bool) -> None:
    """The recommended route from STAFF_ID's role to ROLE, step by step, and the other routes.

    A route to a role in direct work with children keeps to it whenever one exists; to a management role, the
    quickest. Each step is dated as soon as it can be taken; a date estimated from the development plan is
    marked as an estimate, and a step with no date says what would date it.
    """
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
    target = result.steps[-1].title or result.to
    when = f"earliest {_on(result.earliest_on, result.estimated)}" if result.earliest_on else "no date yet"
    console.print(line(f"{staff_id}: route from ", (result.from_, "bold"), " to ", (target, "bold"), f", {when}"))
    console.print(result.recommended_because)
    table = _table()
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("step to", overflow="fold", ratio=1, min_width=12)
    table.add_column("decided by", no_wrap=True)
    table.add_column("earliest", no_wrap=True, min_width=10)
    for number, step in enumerate(result.steps, start=1):
        table.add_row(str(number), step.title or step.to, step.decided_by, _on(step.earliest_on, step.estimated))
    console.print(table)
    titles = {s.to: s.title or s.to for s in result.steps}
    if result.undated:
        console.print()
        console.print(line(("No date yet", "bold"), " (later steps wait on these):"))
        bullets = Table.grid(padding=(0, 1))
        bullets.add_column(no_wrap=True)
        bullets.add_column(overflow="fold", ratio=1)
        for undated in result.undated:
            what = f"{titles.get(undated.step, undated.step)}, {undated.requirement}: "
            bullets.add_row("•", line(what, undated.why, ". Would be dated by ", undated.would_date_it, "."))
        console.print(bullets)
    if result.estimated or any(a.estimated for a in result.alternatives):
        console.print()
        console.print("An estimate is counted from the due dates of development plan goals, not from facts.")
    console.print()
    if not result.alternatives:
        console.print("No other route leads there.")
        return
    count = len(result.alternatives)
    console.print(line((f"{count} other route{'s' if count != 1 else ''}", "bold"), ", best first:"))
    others = _table()
    others.add_column("#", justify="right", no_wrap=True)
    others.add_column("through", overflow="fold", ratio=2, min_width=16)
    others.add_column("earliest", no_wrap=True, min_width=10)
    others.add_column("notes", overflow="fold", ratio=1, min_width=10)
    for number, option in enumerate(result.alternatives, start=1):
        through = " → ".join(s.title or s.to for s in option.steps)
        notes = _route_notes(option.leaves_route, option.needs_vacancy)
        others.add_row(str(number), through, _on(option.earliest_on, option.estimated), notes)
    console.print(others)


@cli.command("payments")
@click.option("--from", "start", required=True, metavar="YYYY-MM-DD", help="First day of the window.")
@click.option("--to", "end", required=True, metavar="YYYY-MM-DD", help="Last day of the window (inclusive).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/json.md) instead of a table.")
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
    if not due:
        console.print(f"No retention payments fall due from {first} to {last}.")
        return
    table = _table()
    table.add_column("due on", no_wrap=True, min_width=10)
    table.add_column("staff id", no_wrap=True)
    table.add_column("name", overflow="fold", ratio=1, min_width=8)
    table.add_column("role", overflow="fold", ratio=1, min_width=8)
    table.add_column("amount", justify="right", no_wrap=True)
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
