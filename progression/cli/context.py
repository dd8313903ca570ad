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
        """Who acts: `--as`; else the local administrator on SQLite; else, on a PostgreSQL database that has
        no workers yet, the system setting it up (there is nobody to act as)."""
        if self._actor is None:
            if self.staff_id is None and self.engine.dialect.name != "sqlite":
                from progression.services.actor import bootstrap_actor_if_empty

                self._actor = bootstrap_actor_if_empty(self.engine)
            if self._actor is None:
                self._actor = resolve_actor(self.engine, self.staff_id)
        return self._actor

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
