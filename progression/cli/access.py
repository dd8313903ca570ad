"""`progression access`: which database login is which worker (PostgreSQL)."""

from __future__ import annotations

import click

from progression.cli.context import CliContext, pass_context
from progression.cli.main import cli
from progression.safe_text import SafeConsole, json_text, visible


@cli.group("access")
def access() -> None:
    """Database logins (PostgreSQL): on a shared database the actor is the login, linked to a worker here."""


@access.command("grant")
@click.argument("staff_id")
@click.argument("login")
@pass_context
def grant_command(state: CliContext, staff_id: str, login: str) -> None:
    """Link STAFF_ID to the database LOGIN: the role is created if missing (no password: the council's own
    authentication applies) and made a member of `progression_user`. Owner or admin only."""
    from progression.services.logins import grant

    _postgresql_only(state)
    state.require_schema()
    created = grant(state.engine, state.actor, staff_id, login)
    click.echo(f"{visible(staff_id)} now signs in as the login {visible(login)}" + (" (created)." if created else "."))


@access.command("revoke")
@click.argument("staff_id")
@pass_context
def revoke_command(state: CliContext, staff_id: str) -> None:
    """Unlink STAFF_ID's login and take it out of `progression_user`: it then reads and changes nothing."""
    from progression.services.logins import revoke

    _postgresql_only(state)
    state.require_schema()
    login = revoke(state.engine, state.actor, staff_id)
    click.echo(f"{visible(staff_id)} no longer signs in as {visible(login)}.")


@access.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def list_command(state: CliContext, as_json: bool) -> None:
    """Who has which login."""
    from rich.table import Table

    from progression.services.logins import links

    _postgresql_only(state)
    state.require_schema()
    rows = links(state.engine, state.actor)
    if as_json:
        click.echo(json_text([{"staff_id": r.staff_id, "name": r.name, "login": r.login} for r in rows]))
        return
    if not rows:
        click.echo("No worker has a database login yet.")
        return
    table = Table("Staff id", "Name", "Login")
    for row in rows:
        table.add_row(row.staff_id, row.name, row.login)
    SafeConsole().print(table)


def _postgresql_only(state: CliContext) -> None:
    """Said before anything else on SQLite (no actor is needed to say it)."""
    from progression.services.logins import require_postgresql

    require_postgresql(state.engine)
