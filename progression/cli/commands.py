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
    for warning in result.warnings:
        click.echo(f"progression: warning: {visible(warning)}", err=True)
    click.echo(visible(result.summary(file.name)))


from progression.cli import decide, learning, manage  # noqa: E402,F401  (registers their commands)


@cli.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@click.option(
    "--anchor",
    metavar="HASH",
    help="A hash printed earlier by `audit anchor`: also prove that nothing up to that entry was changed since.",
)
@pass_context
def audit_verify(state: CliContext, anchor: str | None) -> None:
    """Check the audit log's hash chain; exit 0 when it holds, 6 naming the first entry that does not.

    With --anchor, also prove that the entry with that hash is still there with every entry before it unchanged,
    removed or re-chained entries included (docs/audit.md).
    """
    from progression.errors import AuditBroken
    from progression.services.audit import read_anchor, verify_chain

    wanted = read_anchor(anchor) if anchor is not None else None
    state.require_schema()
    check = verify_chain(state.engine, state.actor, wanted)
    if not check.ok:
        raise AuditBroken(f"The audit log has been tampered with: {check.problem}.")
    click.echo(f"The audit log holds: {check.entries:,} entries, each chained to the one before.")
    if check.anchored is not None:
        click.echo(
            f"The anchored entry {check.anchored.entry_id} (written {_anchor_time(check.anchored.at)}) and every "
            "entry before it are unchanged since the anchor was taken."
        )


@audit_group.command("anchor")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: hash, entry, entries and at.")
@pass_context
def audit_anchor(state: CliContext, as_json: bool) -> None:
    """Print the audit log's current head hash, its entry number and time, to keep outside the database.

    Exit 6 (and no anchor) when the log does not hold. Check the log against a kept anchor later with
    `progression audit verify --anchor HASH`.
    """
    from progression.safe_text import json_text
    from progression.services.audit import take_anchor

    state.require_schema()
    mark = take_anchor(state.engine, state.actor)
    if as_json:
        click.echo(
            json_text(
                {
                    "hash": mark.hash,
                    "entry": mark.entry_id,
                    "entries": mark.entries,
                    "at": mark.at.isoformat(timespec="microseconds").replace("+00:00", "Z"),
                }
            )
        )
        return
    click.echo(f"Audit anchor: entry {mark.entry_id} of {mark.entries:,}, written {_anchor_time(mark.at)}")
    click.echo(mark.hash)
    click.echo("Keep it where the database's administrators cannot edit it; check the log against it with:")
    click.echo(f"  progression audit verify --anchor {mark.hash}")


def _anchor_time(at: Any) -> str:
    """An entry's time (aware UTC) as `YYYY-MM-DD HH:MM:SS UTC`."""
    return f"{at:%Y-%m-%d %H:%M:%S} UTC"
