"""Where Progression keeps its files: the user data directory and the shipped reference data."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "progression"


def data_dir() -> Path:
    """The `data/` directory: inside the installed package (wheel), or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "reference").is_dir():
            return candidate
    raise FileNotFoundError(
        f"Progression's data directory is missing (looked in {here / 'data'} and {here.parent / 'data'})"
    )


def user_data_dir() -> Path:
    """The per-user directory for the default SQLite database."""
    return user_data_path(APP_NAME, appauthor=False, ensure_exists=False)


def default_database_path() -> Path:
    """The default SQLite database file."""
    return user_data_dir() / "progression.db"


def user_config_file() -> Path:
    """The per-user settings file (theme and other UI preferences)."""
    return user_config_path(APP_NAME, appauthor=False) / "settings.json"
