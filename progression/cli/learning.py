"""Commands for practice educators' data: apprenticeship standards, enrolments, off-the-job hours, learners."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from progression.cli.commands import ImportCommand, columns_epilog, import_
from progression.cli.context import CliContext, pass_context
from progression.cli.main import cli
from progression.engine.reviews import FINISHED
from progression.safe_text import SafeConsole, json_text, line, visible

if TYPE_CHECKING:
    from progression.services.learners import LearnerRead

FILE = click.Path(path_type=Path, dir_okay=False)


def _standards_columns() -> str:
    from progression.services.standards import COLUMNS, REQUIRED

    return columns_epilog(
        REQUIRED,
        tuple(c for c in COLUMNS if c not in REQUIRED),
        "The Skills England export as it is (CSV, UTF-8): its other columns are ignored.",
    )


@import_.command("standards", cls=ImportCommand, columns=_standards_columns)
@click.argument("file", type=FILE)
@pass_context
def import_standards_command(state: CliContext, file: Path) -> None:
    """Import apprenticeship standards from the Skills England CSV export (all-or-nothing)."""
    from progression.services.standards import import_standards

    state.require_schema()
    click.echo(visible(import_standards(state.engine, state.actor, file).summary(file.name)))


def _enrolment_columns() -> str:
    from progression.services.learning import ENROLMENT_COLUMNS, ENROLMENT_REQUIRED

    return columns_epilog(
        ENROLMENT_REQUIRED,
        tuple(c for c in ENROLMENT_COLUMNS if c not in ENROLMENT_REQUIRED),
        "programme: a standard reference (ST0510, with its version), asye, ecdp or placement.",
    )


def _otj_columns() -> str:
    from progression.services.learning import OTJ_COLUMNS, OTJ_REQUIRED

    return columns_epilog(
        OTJ_REQUIRED, tuple(c for c in OTJ_COLUMNS if c not in OTJ_REQUIRED), "verified: yes or no (default no)."
    )


@import_.command("enrolments", cls=ImportCommand, columns=_enrolment_columns)
@click.argument("file", type=FILE)
@pass_context
def import_enrolments_command(state: CliContext, file: Path) -> None:
    """Import enrolments on standards, the ASYE, the ECDP or placements from CSV (all-or-nothing)."""
    from progression.services.learning import import_enrolments

    state.require_schema()
    counts = import_enrolments(state.engine, state.actor, file)
    click.echo(visible(counts.summary(file.name, "enrolments")))


@import_.command("otj", cls=ImportCommand, columns=_otj_columns)
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
NAME_LEAST = 10
LATE = "!"
"""Marks a next review that is overdue (a line under the table says so)."""
"""The learners table's name column is never narrower than this (names wrap inside it)."""


def _progress(learner: LearnerRead) -> str:
    """A learner's progress in a few characters: verified of required off-the-job hours, days of the 200."""
    if learner.kind == "apprenticeship":
        verified = f"{learner.otj_hours_verified:g}" if learner.otj_hours_verified is not None else "?"
        required = f"{learner.otj_hours_required:g}" if learner.otj_hours_required is not None else "?"
        return f"{verified}/{required}h"
    if learner.kind == "placement":
        days = (learner.placement_days or 0) + (learner.skills_days or 0)
        return f"{days}/{learner.placement_days_required or '?'} days"
    return ""


def _review(learner: LearnerRead) -> str:
    if learner.next_review_due is None:
        return "none" if learner.status in FINISHED else "—"
    return f"{learner.next_review_due}" + (LATE if learner.review_overdue else "")


@cli.command("learners")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (CONTRACT.md) instead of a table.")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Also list learners whose programme is completed or withdrawn (after the current ones).",
)
@pass_context
def learners_command(state: CliContext, as_json: bool, show_all: bool) -> None:
    """The actor's learners (an administrator: all), with off-the-job hours, placement days and reviews.

    Current learners only, unless --all: then the finished ones follow them.
    """
    from progression.services.learners import learners

    state.require_schema()
    everyone = learners(state.engine, state.actor, state.today, finished=True)
    found = everyone if show_all else [learner for learner in everyone if learner.status not in FINISHED]
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
    console = SafeConsole()
    hidden = len(everyone) - len(found)
    if not found:
        words = "No learners." if show_all or not hidden else "No current learners."
        console.print(line(words))
    else:
        headers = ("staff id", "name", "programme", "status", "RAG", "next review", "progress")
        rows = [
            (l.staff_id, l.name, l.programme, l.status, l.rag, _review(l), _progress(l))  # noqa: E741
            for l in found  # noqa: E741
        ]
        fixed = [max(len(visible(row[i])) for row in [headers, *rows]) for i in (0, 2, 3, 4, 5, 6)]
        if sum(fixed) + NAME_LEAST + 2 * (len(headers) - 1) <= console.width:
            table = Table(box=None, header_style="bold", pad_edge=False)
            for heading in headers:
                table.add_column(
                    heading,
                    no_wrap=heading != "name",
                    overflow="fold",
                    min_width=NAME_LEAST if heading == "name" else None,
                    justify="right" if heading == "progress" else "left",
                )
            for row in rows:
                table.add_row(*row)
            console.print(table)
        else:  # too narrow for the table without cutting an id or a date: one learner a paragraph
            for staff_id, name, programme, status, rag, review, progress in rows:
                console.print(line((staff_id, "bold"), "  ", name))
                details = [programme, status, rag, f"next review {review}"] + ([progress] if progress else [])
                console.print(line("  " + " · ".join(details)))
    if any(learner.review_overdue for learner in found):
        console.print(line(f"{LATE} the review is overdue."))
    if hidden and not show_all:
        finished = f"{hidden} finished learner" + ("" if hidden == 1 else "s")
        console.print(line(f"{finished} not shown: learners --all lists them too."))
