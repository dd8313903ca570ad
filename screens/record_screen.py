"""The base of every screen about one worker's records: whose records, database work off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from progression.errors import AccessDenied, ProgressionError
from progression.services.audit import record_refusal
from screens.context import UiContext
from screens.safe import tidy
from screens.widgets.nav import NavBar

NOBODY_PICKED = "nobody picked: press w"


class RecordScreen(Screen[None]):
    """Shows one worker's records (the app's `subject`), reading and writing through services in threads.

    Subclasses compose their body in `compose_body`, read in `load(staff_id)` (called whenever the subject
    changes or after a save) and run every service through `call_service(tag, fn, ...)`; the result arrives in
    the method `done_<tag>(result)` on the UI thread. A failure becomes an error notification.
    """

    BINDINGS = [
        Binding("w", "app.pick_subject", "Worker", tooltip="Whose records to show (managers, educators, admins)"),
        Binding("r", "reload", "Refresh", tooltip="Read the records again", show=False),
    ]

    subject: reactive[str | None] = reactive(None, init=False)
    """The staff id whose records the screen shows."""

    def __init__(self, context: UiContext) -> None:
        """Prepare the screen.

        Args:
            context: The database, actor and date every service call uses.
        """
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        """Header, the subclass's body, footer."""
        yield Header()
        yield NavBar()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        """Follow the app's subject: the worker whose records every screen shows."""
        self.watch(self.app, "subject", self._follow_subject, init=True)

    def _follow_subject(self, staff_id: str | None) -> None:
        self.subject = staff_id
        if staff_id is not None:
            if self.sub_title == NOBODY_PICKED:
                self.sub_title = None
            self.load(staff_id)
        else:
            self.no_subject()

    def no_subject(self) -> None:
        """Nobody is picked yet (an administrator who is not a worker): say so once a session, and in the title."""
        self.sub_title = NOBODY_PICKED
        if not getattr(self.app, "told_to_pick", False):
            self.app.told_to_pick = True  # type: ignore[attr-defined]
            self.notify("Press w to pick whose records to show.", title="No worker picked")

    def load(self, staff_id: str) -> None:
        """Read the subject's records (subclasses start their `call_service` reads here)."""

    def action_reload(self) -> None:
        """Read everything again."""
        if self.subject is not None:
            self.load(self.subject)

    @property
    def own_records(self) -> bool:
        """Whether the actor is looking at their own records (and so may change them)."""
        return self.subject is not None and self.subject == self.context.actor.staff_id

    def call_service(self, tag: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run `fn(*args, **kwargs)` in a thread; its result goes to `self.done_<tag>(result)`.

        Calls with the same tag replace one another, so a stale read never lands after a fresh one.
        """
        self.run_worker(
            lambda: fn(*args, **kwargs),
            name=tag,
            group=tag,
            thread=True,
            exclusive=True,
            exit_on_error=False,
            description=tag.replace("_", " "),
        )

    @on(Worker.StateChanged)
    def _service_finished(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.SUCCESS:
            handler = getattr(self, f"done_{worker.name}", None)
            if handler is not None:
                handler(tidy(worker.result))
        elif event.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, AccessDenied):
                self.call_service("refusal", record_refusal, self.context.engine, self.context.actor, str(error))
            if isinstance(error, ProgressionError):
                self.notify(str(error), title="Not done", severity="error")
            else:
                self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")
            failed = getattr(self, f"failed_{worker.name}", None)
            if failed is not None:
                failed(error)
