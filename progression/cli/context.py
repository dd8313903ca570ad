"""What every command needs: the database, the actor and today's date, built once and lazily."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import click
from sqlalchemy import Engine

from progression.config import Settings, database_url
from progression.services.actor import Actor, resolve_actor


@dataclass
class CliContext:
    db: str | None
    staff_id: str | None
    today: date
    creates: bool = False
    """Whether the command may create the database (a missing SQLite file and its directories): init, demo."""
    settings: Settings = field(default_factory=Settings)
    _engine: Engine | None = None
    _actor: Actor | None = None

    @property
    def url(self) -> str:
        return database_url(self.db, self.settings)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from progression.db import make_engine

            self._engine = make_engine(self.url, create=self.creates, busy_timeout=self.settings.busy_timeout)
        return self._engine

    @property
    def actor(self) -> Actor:
        """Who acts. On SQLite: `--as`, else the local administrator (one person's file: `--as` stays allowed).
        On PostgreSQL: the database login's worker; the database owner acts as the system; `--as` is impersonation,
        only for the owner and administrators, recorded in the audit log with both identities."""
        if self._actor is None:
            if self.engine.dialect.name == "sqlite":
                self._actor = resolve_actor(self.engine, self.staff_id)
            else:
                self._actor = self._login_actor()
        return self._actor

    def _login_actor(self) -> Actor:
        from progression.services.actor import LoginRefused, identify
        from progression.services.logins import record_impersonation

        try:
            actor, login = identify(self.engine, self.staff_id)
        except LoginRefused as exc:
            self._actor = exc.actor  # the refusal is recorded as them (main.py), or not at all when None
            raise
        if self.staff_id is not None:
            record_impersonation(self.engine, login, actor)
        return actor

    def require_schema(self) -> None:
        """Refuse to work on a database that `init` has not prepared, with the fix in words."""
        from progression.db import current_revision, head_revision
        from progression.errors import ProgressionError

        revision = current_revision(self.engine)
        if revision is None:
            raise ProgressionError(
                "This database has no Progression data yet: run `progression init` (or `progression demo`) first."
            )
        if revision != head_revision():
            raise ProgressionError("This database uses an older schema: run `progression init` to upgrade it in place.")


pass_context = click.make_pass_decorator(CliContext)


def date_option(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A click callback for a `YYYY-MM-DD` option (`--today`, `--on`, `--effective`, ...): a date, None when not
    given, or a message naming the option.

    Exactly `YYYY-MM-DD` between 1900 and ten years from the real today (`progression.dates.read_date`):
    `20240101` and `2024-W01-1` are refused.
    """
    if value is None:
        return None
    from progression.dates import read_date

    day, why = read_date(value)
    if day is None:
        raise click.BadParameter(why or f"'{value}' is not a date (use YYYY-MM-DD)", param=param)
    return day
