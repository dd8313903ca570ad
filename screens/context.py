"""What every screen needs from the command line: the database, who is acting, and today's date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from progression.services.actor import Actor


@dataclass(frozen=True)
class UiContext:
    """The fixed facts a UI session runs with, handed to each screen that reads the database."""

    engine: Engine
    """The database every service call reads."""
    actor: Actor
    """The person the UI acts for; every read is checked against them."""
    today: date
    """The date taken as today (`--today`), used for every time-in-role figure."""

    @property
    def date_label(self) -> str:
        """Today as people write it, e.g. '24 Nov 2026'."""
        return f"{self.today.day} {self.today:%b %Y}"

    @property
    def acts_as_worker(self) -> bool:
        """True when the actor is a worker rather than an administrator: the map opens on their standing."""
        return self.actor.worker_id is not None and not self.actor.is_admin
