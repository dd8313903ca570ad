"""Managers' commands: the team, the workforce report, and the DfE benchmark."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from progression.cli.context import CliContext, pass_context
from progression.cli.main import cli
from progression.safe_text import SafeConsole, json_text, visible
from progression.services.tables_out import counted

if TYPE_CHECKING:
    from progression.services.team import TeamMember

OUTPUT = click.Path(path_type=Path, dir_okay=False)
YEAR = click.IntRange(1900, 9999)


def _console() -> SafeConsole:
    return SafeConsole()


@cli.command("team")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--output", type=OUTPUT, metavar="FILE", help="Also write the table to FILE (.csv or .xlsx).")
@pass_context
def team_command(state: CliContext, as_json: bool, output: Path | None) -> None:
    """The actor's reports: role, time in role, next step, caseload against the cap, supervision, flags."""
    from progression.services.tables_out import write_tables
    from progression.services.team import team_sheet, team_view

    state.require_schema()
    members = team_view(state.engine, state.actor, state.today)
    if output is not None:
        write_tables(output, team_sheet(members))
    if as_json:
        click.echo(json_text([m.model_dump(mode="json") for m in members]))
        return
    if not members:
        click.echo("No reports.")
        if output is not None:
            click.echo(f"Written to {visible(output)} (no rows)")
        return
    _console().print(team_table(members))
    if output is not None:
        click.echo(f"Written to {visible(output)}")


FLAG_WORDS = {
    "over-cap": "over cap",
    "supervision-overdue": "supervision overdue",
    "cpd-deadline": "CPD deadline",
    "retention-due": "retention due",
}


def short_span(months: int) -> str:
    """Whole months as `2y 3m` (`8m`, `4y`): a time in role that fits a narrow column."""
    years, rest = divmod(months, 12)
    if not years:
        return f"{rest}m"
    return f"{years}y" + (f" {rest}m" if rest else "")


def fixed(table: Table, header: str, cells: list[str], *, right: bool = False) -> None:
    """A column that never wraps or ends in "…" (staff ids, dates, amounts): as wide as its widest cell or the
    longest word of its header (a header may take two lines)."""
    width = max([*(len(word) for word in header.split()), *(len(c) for c in cells)])
    table.add_column(header.replace(" ", "\n", 1), no_wrap=True, min_width=width, justify="right" if right else "left")


def team_table(members: list[TeamMember]) -> Table:
    """The team, readable at 80 columns: staff ids, dates and caseloads whole on one line; names, role titles,
    next steps and flags wrap within their columns (a date is never split)."""
    rows = []
    for m in members:
        cases = f"{m.caseload}/{m.caseload_cap}" if m.caseload is not None and m.caseload_cap is not None else ""
        step = m.next_step_title or ""
        if step and m.next_step_ready:
            step += ": ready"
        elif step and m.next_step_on:
            step += f" from {m.next_step_on}"
        rows.append(
            [
                m.staff_id,
                m.name,
                f"{m.role_title} ({short_span(m.months_in_role)})",
                step,
                cases,
                str(m.next_supervision or ""),
                "\n".join(FLAG_WORDS.get(f, f) for f in m.flags),
            ]
        )
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1, 0, 0))
    columns = list(zip(*rows, strict=True))
    fixed(table, "staff id", list(columns[0]))
    table.add_column("name", ratio=3)
    table.add_column("role (time in it)", ratio=4)
    table.add_column("next step", ratio=4)
    fixed(table, "cases", list(columns[4]), right=True)
    fixed(table, "supervision due", list(columns[5]))
    table.add_column("flags", ratio=3)
    for row in rows:
        table.add_row(*row)
    return table


@cli.group("report")
def report_group() -> None:
    """Reports for managers and the workforce strategy."""


@report_group.command("workforce")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option("--output", type=OUTPUT, metavar="FILE", help="Also write the tables to FILE (.csv or .xlsx).")
@pass_context
def report_workforce(state: CliContext, as_json: bool, output: Path | None) -> None:
    """Headcount and FTE by role, route and area; who becomes eligible in the next 12 months; payment costs."""
    from progression.services.tables_out import write_tables
    from progression.services.workforce import workforce_report, workforce_sheets

    state.require_schema()
    report = workforce_report(state.engine, state.actor, state.today)
    if output is not None:
        write_tables(output, workforce_sheets(report))
    if as_json:
        click.echo(json_text(report.model_dump(mode="json")))
        return
    console = _console()
    console.print(f"Workforce on {report.on}: {counted(report.headcount, 'person', 'people')}, {report.fte:g} FTE")
    table = Table(box=None, header_style="bold", pad_edge=False, title="By role", title_justify="left")
    table.add_column("role", overflow="fold")
    fixed(table, "headcount", [str(h.headcount) for h in report.by_role], right=True)
    fixed(table, "FTE", [f"{h.fte:g}" for h in report.by_role], right=True)
    for h in report.by_role:
        table.add_row(h.title, str(h.headcount), f"{h.fte:g}")
    console.print(table)
    console.print(f"Ready for a next step now: {report.ready_now}")
    months = Table(box=None, header_style="bold", pad_edge=False, title="Becoming eligible", title_justify="left")
    fixed(months, "month", [m.month for m in report.eligible_next_12_months])
    fixed(months, "workers", [str(m.total) for m in report.eligible_next_12_months], right=True)
    months.add_column("bar", no_wrap=True, overflow="crop")
    widest = max((m.total for m in report.eligible_next_12_months), default=0) or 1
    for m in report.eligible_next_12_months:
        months.add_row(m.month, str(m.total), "█" * round(20 * m.total / widest))
    console.print(months)
    retention, supplements = report.retention_payments, report.market_supplements
    console.print(f"Financial year {report.financial_year}:")
    console.print(f"  retention payments £{retention.amount:,.0f} ({counted(retention.count, 'payment')})")
    console.print(f"  market supplements £{supplements.amount:,.0f} ({counted(supplements.count, 'person', 'people')})")
    console.print(f"  £{report.payments_total:,.0f} in all")
    if output is not None:
        click.echo(f"Written to {visible(output)}")


@cli.command("benchmark")
@click.option("--la", "la", required=True, metavar="NAME_OR_CODE", help="A council's name or code.")
@click.option("--year", type=YEAR, metavar="YYYY", help="A reporting year (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (CONTRACT.md) instead of a table.")
@pass_context
def benchmark_command(state: CliContext, la: str, year: int | None, as_json: bool) -> None:
    """The council's published DfE workforce indicators beside its region and England."""
    from progression.services.benchmark import FIELDS, MARKERS, benchmark

    result = benchmark(la, year)
    if as_json:
        click.echo(json_text(result.as_contract()))
        return
    labels = {
        "turnover_rate_fte": "Turnover rate (%)",
        "agency_rate_fte": "Agency worker rate (%)",
        "vacancy_rate_fte": "Vacancy rate (%)",
        "caseload_fte": "Average caseload",
        "inpost_fte": "Social workers in post (FTE)",
    }
    table = Table(
        box=None,
        header_style="bold",
        pad_edge=False,
        title=f"DfE children's social work workforce, {result.year}",
        title_justify="left",
    )
    table.add_column("indicator")
    for area in (result.la, result.region, result.england):
        table.add_column(area.name, justify="right")
    for field in FIELDS:
        cells = []
        for area in (result.la, result.region, result.england):
            value = area.values[field]
            marker = area.markers.get(field, "")
            cells.append(f"{value:,g}" if value is not None else f"suppressed ({MARKERS.get(marker, marker)})")
        table.add_row(labels[field], *cells)
    _console().print(table)
