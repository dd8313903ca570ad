"""Managers' commands: the team, the workforce report, and the DfE benchmark."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from progression.cli.context import CliContext, pass_context
from progression.cli.main import cli
from progression.safe_text import SafeConsole, json_text, visible

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
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("staff id", "name", "role", "in role", "next step", "on", "cases", "supervision", "flags"):
        table.add_column(column)
    for m in members:
        cases = f"{m.caseload}/{m.caseload_cap}" if m.caseload is not None and m.caseload_cap is not None else ""
        when = "ready" if m.next_step_ready else (str(m.next_step_on) if m.next_step_on else "")
        table.add_row(
            m.staff_id,
            m.name,
            m.role_title,
            m.time_in_role,
            m.next_step_title or "",
            when,
            cases,
            str(m.next_supervision or ""),
            ", ".join(m.flags),
        )
    _console().print(table)
    if output is not None:
        click.echo(f"Written to {visible(output)}")


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
    console.print(f"Workforce on {report.on}: {report.headcount} people, {report.fte:g} FTE")
    table = Table(box=None, header_style="bold", pad_edge=False, title="By role", title_justify="left")
    for column in ("role", "headcount", "FTE"):
        table.add_column(column, justify="left" if column == "role" else "right")
    for h in report.by_role:
        table.add_row(h.title, str(h.headcount), f"{h.fte:g}")
    console.print(table)
    console.print(f"Ready for a next step now: {report.ready_now}")
    months = Table(box=None, header_style="bold", pad_edge=False, title="Becoming eligible", title_justify="left")
    months.add_column("month")
    months.add_column("workers", justify="right")
    months.add_column("bar")
    widest = max((m.total for m in report.eligible_next_12_months), default=0) or 1
    for m in report.eligible_next_12_months:
        months.add_row(m.month, str(m.total), "█" * round(20 * m.total / widest))
    console.print(months)
    console.print(
        f"Financial year {report.financial_year}: retention payments £{report.retention_payments.amount:,.0f} "
        f"({report.retention_payments.count}), market supplements £{report.market_supplements.amount:,.0f} "
        f"({report.market_supplements.count}); £{report.payments_total:,.0f} in all"
    )
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
