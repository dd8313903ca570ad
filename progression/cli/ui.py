"""Opening the terminal interface, found as a plugin so the core never imports the UI."""

from __future__ import annotations

from importlib.metadata import entry_points

from progression.cli.context import CliContext
from progression.errors import ProgressionError

UI_GROUP = "progression.ui"


def open_ui(state: CliContext) -> None:
    """Check the database is ready, then hand over to the UI registered under `progression.ui`."""
    state.require_schema()
    from progression.services.council import council_name

    if council_name(state.engine) is None:
        raise ProgressionError("No council is loaded: run `progression init --authority FILE` or `progression demo`.")
    actor = state.actor
    found = {ep.name: ep for ep in entry_points(group=UI_GROUP)}
    if "tui" not in found:
        raise ProgressionError("The terminal interface is not installed: reinstall Progression with `pip install .`.")
    run = found["tui"].load()
    run(engine=state.engine, actor=actor, today=state.today)
