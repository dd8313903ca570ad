"""`progression export plan`: a worker's development plan as Markdown, JSON or an iCalendar file of its dates."""

from __future__ import annotations

from pathlib import Path

import click

from progression.cli.context import CliContext, pass_context
from progression.cli.main import cli
from progression.errors import InputError, Problem
from progression.safe_text import visible

FORMATS = ("md", "json", "ics")


@cli.group("export")
def export_group() -> None:
    """Export a worker's records to share or to keep."""


@export_group.command("plan")
@click.argument("staff_id")
@click.option(
    "--format",
    "form",
    type=click.Choice(FORMATS),
    required=True,
    help="md: a readable plan; json: the plan and readiness dates; ics: a calendar of its dates.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE and print its path (default: standard output).",
)
@pass_context
def export_plan_command(state: CliContext, staff_id: str, form: str, output: Path | None) -> None:
    """STAFF_ID's development plan, with its actions, reviews, CPD deadline and expected readiness dates."""
    from progression.services.export import plan_export, to_json
    from progression.services.export_formats import to_ics, to_markdown

    state.require_schema()
    export = plan_export(state.engine, state.actor, staff_id, state.today)
    if form == "ics":
        data = to_ics(export)
    else:
        data = (to_json(export) + "\n" if form == "json" else to_markdown(export)).encode("utf-8")
    if output is None:
        click.echo(data, nl=False)
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise InputError(Problem(f"--output {output}", f"cannot be written ({exc.strerror or exc}).")) from None
    click.echo(visible(output))
