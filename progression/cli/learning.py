"""Commands for practice educators' data: apprenticeship standards, enrolments, off-the-job hours, learners."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from progression.cli.commands import import_
from progression.cli.context import CliContext, pass_context
from progression.cli.main import cli
from progression.safe_text import SafeConsole, json_text, visible

FILE = click.Path(path_type=Path, dir_okay=False)


@import_.command("standards")
@click.argument("file", type=FILE)
@pass_context
def import_standards_command(state: CliContext, file: Path) -> None:
    """Import apprenticeship standards from the Skills England CSV export (all-or-nothing)."""
    from progression.services.standards import import_standards

    state.require_schema()
    click.echo(visible(import_standards(state.engine, state.actor, file).summary(file.name)))


@import_.command("enrolments")
@click.argument("file", type=FILE)
@pass_context
def import_enrolments_command(state: CliContext, file: Path) -> None:
    """Import enrolments on standards, the ASYE, the ECDP or placements from CSV (all-or-nothing)."""
    from progression.services.learning import import_enrolments

    state.require_schema()
    click.echo(visible(import_enrolments(state.engine, state.actor, file).summary(file.name, "enrolments")))


@import_.command("otj")
@click.argument("file", type=FILE)
@pass_context
def import_otj_command(state: CliContext, file: Path) -> None:
    """Import off-the-job hours from CSV (all-or-nothing)."""
    from progression.services.learning import import_otj

    state.require_schema()
    click.echo(visible(import_otj(state.engine, state.actor, file, state.today).summary(file.name, "entries")))


CONTRACT_FIELDS = ("staff_id", "programme", "kind", "educator", "start", "planned_end", "status", "next_review_due")
APPRENTICESHIP_FIELDS = (
    "otj_rule",
    "otj_hours_required",
    "otj_hours_verified",
    "otj_forecast_on",
    "otj_hours_per_week_needed",
)
PLACEMENT_FIELDS = ("placement_days", "skills_days")


@cli.command("learners")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (CONTRACT.md) instead of a table.")
@pass_context
def learners_command(state: CliContext, as_json: bool) -> None:
    """The actor's learners (an administrator: all), with off-the-job hours, placement days and reviews."""
    from progression.services.learners import learners

    state.require_schema()
    found = learners(state.engine, state.actor, state.today)
    if as_json:
        out = []
        for learner in found:
            data = learner.model_dump(mode="json", exclude={"gateway", "enrolment_id"})
            if learner.kind != "apprenticeship":
                for field in APPRENTICESHIP_FIELDS + ("otj_explanation", "gateway_ready"):
                    data.pop(field, None)
            if learner.kind not in ("asye", "ecdp"):
                for field in ("caseload", "caseload_cap", "protected_time_percent"):
                    data.pop(field, None)
            if learner.kind != "placement":
                for field in PLACEMENT_FIELDS + (
                    "placement_days_required",
                    "contrasting_settings",
                    "statutory_tasks_done",
                    "placement_problems",
                ):
                    data.pop(field, None)
            out.append(data)
        click.echo(json_text(out))
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("staff id", "name", "programme", "status", "RAG", "next review", "progress"):
        table.add_column(column)
    for learner in found:
        if learner.kind == "apprenticeship":
            required = f"{learner.otj_hours_required:g}" if learner.otj_hours_required is not None else "?"
            progress = f"{learner.otj_hours_verified:g} of {required} off-the-job hours"
        elif learner.kind == "placement":
            progress = f"{learner.placement_days} placement + {learner.skills_days} skills days"
        else:
            progress = ""
        review = str(learner.next_review_due or "") + (" (overdue)" if learner.review_overdue else "")
        table.add_row(learner.staff_id, learner.name, learner.programme, learner.status, learner.rag, review, progress)
    SafeConsole().print(table)
