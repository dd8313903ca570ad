"""The command group: global options, and one place that turns errors into messages and exit codes."""

from __future__ import annotations

import sys
import traceback
from datetime import date
from typing import Any

import click

from progression import __version__
from progression.cli.context import CliContext, date_option
from progression.errors import AccessDenied, DatabaseUnavailable, InputError, ProgressionError


def _log_unexpected(exc: BaseException) -> str:
    from progression.locations import user_data_dir

    try:
        directory = user_data_dir()
        directory.mkdir(parents=True, exist_ok=True)
        log = directory / "error.log"
        with log.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(exc)))
        return str(log)
    except OSError:
        return "(could not write the error log)"


class ProgressionGroup(click.Group):
    """Runs a command and reports any failure as one message on standard error."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """No argument may hold a NUL character: no file name, option or value can (the system refuses it).
        Refused here, before any command runs, in the words the services use for other control characters."""
        for position, arg in enumerate(args):
            if "\x00" not in arg:
                continue
            option, equals, _ = arg.partition("=")
            if option.startswith("--") and equals:
                place = option
            elif position and args[position - 1].startswith("-"):
                place = args[position - 1]
            else:
                place = f"argument {position + 1}"
            raise click.UsageError(f"{place}: the text contains a control character (NUL), which no value holds", ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        from sqlalchemy.exc import OperationalError

        try:
            return super().invoke(ctx)
        except AccessDenied as exc:
            _record_refusal(ctx, exc)
            _fail(str(exc), exc.exit_code)
        except InputError as exc:
            from progression.safe_text import visible

            for problem in exc.problems:
                click.echo(visible(str(problem)), err=True)
            count = len(exc.problems)
            _fail(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", exc.exit_code)
        except ProgressionError as exc:
            _fail(str(exc), exc.exit_code)
        except OperationalError as exc:
            _fail(_database_failure(ctx, exc), DatabaseUnavailable.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail("Interrupted; nothing more was written.", 130)
        except Exception as exc:  # noqa: BLE001  the last line of defence against tracebacks
            where = _log_unexpected(exc)
            _fail(f"Progression hit an unexpected error ({type(exc).__name__}: {exc}). Details: {where}", 70)


def _database_failure(ctx: click.Context, exc: Exception) -> str:
    """The message for a database that stopped answering, or was kept busy past the busy timeout."""
    orig = getattr(exc, "orig", None)
    reason = str(orig).strip().splitlines()[0] if orig else "no answer"
    if "locked" in reason or "lock timeout" in reason:
        state = ctx.find_object(CliContext)
        wait = state.settings.busy_timeout if state is not None else 0
        return (
            f"The database is busy: another program kept it locked for over {wait:g} seconds, so nothing was "
            "written. Try again when it has finished (PROGRESSION_BUSY_TIMEOUT sets how long to wait)."
        )
    return f"The database stopped answering: {reason}."


def _record_refusal(ctx: click.Context, exc: AccessDenied) -> None:
    """Record the refusal in the audit log, or tell the user plainly that it could not be recorded."""
    state = ctx.find_object(CliContext)
    if state is None or state._actor is None:
        return  # refused before anyone was identified (no database to record in)
    try:
        from progression.services.audit import record_refusal

        record_refusal(state.engine, state.actor, str(exc))
    except Exception as failure:  # noqa: BLE001  the refusal itself must still be shown, with why it is unrecorded
        reason = str(getattr(failure, "orig", None) or failure).strip().splitlines()
        click.echo(
            "progression: this refusal could not be recorded in the audit log "
            f"({reason[0] if reason else type(failure).__name__}); tell your administrator.",
            err=True,
        )


def _fail(message: str, code: int) -> None:
    from progression.safe_text import visible

    click.echo(f"progression: {visible(message)}", err=True)
    sys.exit(code)


def _parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    return date_option(ctx, param, value) or date.today()


@click.group(
    cls=ProgressionGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--db",
    "db",
    metavar="TARGET",
    help="SQLAlchemy URL or SQLite file path "
    "(default: $PROGRESSION_DATABASE_URL, else a file in the user data directory).",
)
@click.option("--as", "staff_id", metavar="STAFF_ID", help="Act as this worker, with their rights.")
@click.option("--today", callback=_parse_today, metavar="YYYY-MM-DD", help="The date to take as today.")
@click.version_option(__version__, prog_name="progression")
@click.pass_context
def cli(ctx: click.Context, db: str | None, staff_id: str | None, today: date) -> None:
    """Progression: career routes, learning and development records for children's social work teams.

    Without a command, opens the terminal interface.
    """
    ctx.obj = CliContext(db=db, staff_id=staff_id, today=today, creates=ctx.invoked_subcommand in ("init", "demo"))
    if ctx.invoked_subcommand is None:
        from progression.cli.ui import open_ui

        open_ui(ctx.obj)


from progression.cli import access, commands, export, progress, requests  # noqa: E402,F401  (registers the commands)
