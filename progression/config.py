"""Settings, read once from the environment (prefix `PROGRESSION_`) and the command line."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from progression.locations import default_database_path


class Settings(BaseSettings):
    """Everything configurable without editing code."""

    model_config = SettingsConfigDict(env_prefix="PROGRESSION_", env_nested_delimiter="__", extra="ignore")

    database_url: str | None = None
    """A SQLAlchemy URL or a plain file path; `--db` overrides it. None: the default SQLite file."""
    config_file: Path | None = None
    """Where UI preferences are kept (tests redirect it)."""
    asye_caseload_reduction_percent: int = Field(default=10, ge=0, le=100)
    """How much lower a newly qualified worker's caseload is kept (DOMAIN.md §3: an employer setting)."""
    busy_timeout: float = Field(default=60.0, gt=0, le=3600)
    """Seconds a writer waits for another writer to finish (SQLite's busy timeout, PostgreSQL's lock_timeout)
    before giving up with a message; PROGRESSION_BUSY_TIMEOUT."""


def database_url(target: str | None, settings: Settings | None = None) -> str:
    """Turn `--db`, the environment or the default into a SQLAlchemy URL."""
    target = target or (settings or Settings()).database_url
    if not target:
        return f"sqlite:///{default_database_path()}"
    if "://" in target:
        if target.startswith("postgresql://") or target.startswith("postgres://"):
            return "postgresql+psycopg://" + target.split("://", 1)[1]
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"
