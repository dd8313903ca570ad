"""The Progression terminal app: themes, global keys, commands, and the factory the CLI and tests share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial

from sqlalchemy import Engine
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from progression.safe_text import visible
from progression.services.actor import Actor
from progression.services.council import council_name
from screens.context import UiContext
from screens.help import HelpScreen, binding_rows
from screens.preferences import DEFAULT_THEME, load_preferences, save_preference
from screens.sections import first_section, sections_for
from screens.worker_picker import WorkerPickerModal


class ProgressionApp(App[None]):
    """Opens on the council's route map; the screens do the work."""

    CSS_PATH = "app.tcss"
    TITLE = "Progression"

    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Leave Progression", priority=True, id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit-always"),
        Binding("question_mark", "help", "Help", tooltip="This list of keys", key_display="?", id="help"),
        Binding("f1", "help", "Help", show=False, id="help-f1"),
        Binding("ctrl+t", "toggle_dark", "Theme", tooltip="Switch between the light and dark themes", id="theme"),
    ]

    subject: reactive[str | None] = reactive(None, init=False)
    """The staff id whose records the record screens show: the actor's own, or a worker they picked."""

    def __init__(self, context: UiContext, council: str) -> None:
        """Prepare the app.

        Args:
            context: The database, actor and date the screens use.
            council: The loaded council's name, shown as the title.
        """
        self.MODES = {section.mode: section.factory(context) for section in sections_for(context.actor)}
        self.DEFAULT_MODE = first_section(context.actor)
        super().__init__()
        self.context = context
        for section in sections_for(context.actor):
            self.bind(section.key, f"switch_section('{section.mode}')", description=section.title, show=False)
        self.title = visible(council, lines=False)
        self.sub_title = visible(f"{context.actor.label} · {context.date_label}", lines=False)
        self.set_reactive(ProgressionApp.subject, context.actor.staff_id if context.actor.worker_id else None)
        saved = load_preferences().get("theme", DEFAULT_THEME)
        self.theme = saved if saved in self.available_themes else DEFAULT_THEME

    def on_mount(self) -> None:
        """Take the steps that have fallen due since the app last ran (approved moves, automatic steps)."""
        self.run_worker(
            self._catch_up, thread=True, group="catch-up", exit_on_error=False, description="Taking the steps now due"
        )

    def _catch_up(self) -> None:
        from progression.services.decisions import catch_up

        applied, automatic = catch_up(self.context.engine, self.context.today)
        if applied or automatic:
            self.call_from_thread(
                self.notify,
                f"{applied} approved moves applied, {automatic} automatic steps taken since the last run.",
                title="Up to date",
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification. Messages often name people and records, so they are never read as markup
        (whatever `markup` says) and their control characters are shown visibly."""
        super().notify(visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False)

    def watch_theme(self, theme: str) -> None:
        """Remember the theme for the next run."""
        if self.is_running:
            save_preference("theme", theme)

    def action_switch_section(self, mode: str) -> None:
        """Go to one of the app's sections (each keeps its own screens)."""
        if mode in self.MODES and mode != self.current_mode:
            self.switch_mode(mode)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, plus help, the theme switch and, on the map, picking a worker."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "The keys of this screen and what it shows", self.action_help)
        yield SystemCommand("Light or dark", "Switch between the light and dark themes", self.action_toggle_dark)
        for section in sections_for(self.context.actor):
            yield SystemCommand(
                f"Go to {section.title}",
                f"Press {section.key} anywhere",
                partial(self.action_switch_section, section.mode),
            )
        yield SystemCommand("Pick a worker", "Whose records the screens show", self.action_pick_subject)

    def action_pick_subject(self) -> None:
        """Choose whose records the record screens show, among the workers the actor may see."""

        def picked(staff_id: str | None) -> None:
            if staff_id is not None:
                self.subject = staff_id

        self.push_screen(WorkerPickerModal(self.context), picked)

    def action_help(self) -> None:
        """Open help for the screen in front."""
        self.show_help()

    def show_help(self) -> None:
        """Push a help screen listing the active keys of the screen in front, and what it shows."""
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        rows = binding_rows(screen.active_bindings, self.get_key_display)
        self.push_screen(HelpScreen(screen.HELP or "", rows))


def make_app(*, engine: Engine, actor: Actor, today: date) -> ProgressionApp:
    """Build the app for a database, an actor and a date: used by `run` and by the tests.

    Args:
        engine: The database, already prepared by `progression init` or `progression demo`.
        actor: Who the UI acts for.
        today: The date taken as today.
    """
    return ProgressionApp(UiContext(engine=engine, actor=actor, today=today), council_name(engine) or "Progression")


def run(*, engine: Engine, actor: Actor, today: date) -> None:
    """Run the terminal UI until the user quits; the CLI's `progression.ui` entry point."""
    make_app(engine=engine, actor=actor, today=today).run()
