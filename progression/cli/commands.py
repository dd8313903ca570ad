"""The commands of CONTRACT.md: init, demo, import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from progression.cli.context import CliContext, pass_context
from progression.cli.main import cli


@cli.command()
@click.option(
    "--authority",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="An authority file (YAML) with the council's routes, roles and transitions.",
)
@pass_context
def init(state: CliContext, authority: Path | None) -> None:
    """Create the database or upgrade it in place, load reference data and an authority file."""
    from progression.services.setup import initialise

    report = initialise(state.engine, state.actor, authority=authority, today=state.today)
    for line in report.lines():
        click.echo(line)
    for problem in report.problems:
        click.echo(f"progression: {problem}", err=True)


@cli.command()
@click.option(
    "--workers",
    "count",
    type=click.IntRange(1, 200_000),
    default=60,
    show_default=True,
    help="How many fictional workers.",
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="Random seed (the same seed gives the same council)."
)
@pass_context
def demo(state: CliContext, count: int, seed: int) -> None:
    """Fill the database with a fictional council and its workforce (all of it, or on any failure nothing)."""
    from progression.db import write_transaction
    from progression.services.demo import build_demo_on
    from progression.services.setup import initialise_on, prepare_init

    actor, prepared = state.actor, prepare_init(None, demo_council=True)
    with write_transaction(state.engine) as connection:
        report = initialise_on(connection, actor, prepared, state.today)
        result = build_demo_on(
            connection, actor, workers=count, seed=seed, today=state.today, progress=_progress_printer(count)
        )
    for problem in report.problems:
        click.echo(f"progression: {problem}", err=True)
    click.echo(result.summary())


def _progress_printer(total: int):  # type: ignore[no-untyped-def]
    if total < 2000:
        return None

    def show(done: int) -> None:
        click.echo(f"  {done:,} records written", err=True)

    return show


@cli.group("import")
def import_() -> None:
    """Import workers, apprenticeship standards, enrolments or off-the-job hours from files (each all-or-nothing;
    docs/imports.md describes every column)."""


class ImportCommand(click.Command):
    """An import command whose `--help` ends with its columns, read from the service only when help is shown
    (so that starting the program does not load the services)."""

    def __init__(self, *args: Any, columns: Callable[[], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.epilog = self.columns()
        super().format_epilog(ctx, formatter)


def columns_epilog(required: tuple[str, ...], optional: tuple[str, ...], note: str = "") -> str:
    """The `--help` text that lists an import's columns (from the service's own lists, so it cannot drift)."""
    lines = [
        "\b",
        "Columns (a header row, in any order):",
        f"  required: {', '.join(required)}",
    ]
    if optional:
        lines.append(f"  optional: {', '.join(optional)}")
    if note:
        lines.append(note)
    lines.append("Every column is described in docs/imports.md; docs/examples/ has a small valid file.")
    return "\n".join(lines)


def _workers_epilog() -> str:
    from progression.services.importing import OPTIONAL, REQUIRED

    return columns_epilog(REQUIRED, OPTIONAL, "CSV (UTF-8) or XLSX (the first sheet).")


@import_.command("workers", cls=ImportCommand, columns=_workers_epilog)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--new-teams",
    is_flag=True,
    help="Accept team names the council does not have yet without a warning (they are created either way).",
)
@pass_context
def import_workers(state: CliContext, file: Path, new_teams: bool) -> None:
    """Import or update workers from CSV or XLSX (all-or-nothing).

    A team name the council does not have is created, with a warning on standard error naming it and its line
    (so that a mistyped name is seen); --new-teams accepts new teams quietly.
    """
    from progression.safe_text import visible
    from progression.services.importing import import_workers as run

    state.require_schema()
    result = run(state.engine, state.actor, file, state.today)
    if not new_teams:
        for warning in result.new_team_warnings(file.name):
            click.echo(f"progression: warning: {visible(warning)}", err=True)
    click.echo(visible(result.summary(file.name)))


from progression.cli import decide, learning, manage  # noqa: E402,F401  (registers their commands)


@cli.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@pass_context
def audit_verify(state: CliContext) -> None:
    """Check the audit log's hash chain; exit 0 when it holds, 6 naming the first entry that does not."""
    from progression.errors import AuditBroken
    from progression.services.audit import verify_chain

    state.require_schema()
    check = verify_chain(state.engine, state.actor)
    if not check.ok:
        raise AuditBroken(f"The audit log has been tampered with: {check.problem}.")
    click.echo(f"The audit log holds: {check.entries:,} entries, each chained to the one before.")
