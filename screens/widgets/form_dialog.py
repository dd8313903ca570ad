"""A form dialog that saves through a service in a thread, keeps what was typed, and shows refusals in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label
from textual.worker import Worker, WorkerState

from progression.errors import InputError, ProgressionError
from screens.safe import plain
from screens.widgets.form import FormField

ResultT = TypeVar("ResultT")


def sentence(message: str) -> str:
    """A service's message as an inline error: capitalised."""
    return message[:1].upper() + message[1:]


class SavingFormModal(ModalScreen[ResultT]):
    """A dialog of fields that saves with `save(data)` off the UI thread and dismisses with the saved read model.

    Subclasses compose their fields in `compose_fields`, validate them in `collect` (returning the service's input,
    or None when a field shows an error), and map the service's field names to FormField ids in `FIELD_IDS`, so a
    problem the service finds appears under its field while everything typed stays. Escape dismisses with None.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "submit", "Save", tooltip="Check the fields and save"),
    ]

    DEFAULT_CSS = """
    SavingFormModal {
        align: center middle;
        background: $background 60%;
        & > VerticalScroll {
            width: 96%;
            max-width: 96;
            height: auto;
            max-height: 96%;
            padding: 0 1;
            border: round $accent;
            border-title-color: $text-accent;
            background: $surface;
            scrollbar-size-vertical: 1;
        }
        & FormField > TextArea { height: 4; }
        & .form-row { height: auto; }
        & .form-row > * { width: 1fr; margin-right: 2; }
        & .form-row > *:last-child { margin-right: 0; }
        & .form-select { height: auto; margin-bottom: 1; }
        & .form-select > Label, & .form-hint { color: $text-muted; }
        & .form-buttons { height: auto; }
        & Button { margin-right: 2; }
    }
    """

    FIELD_IDS: ClassVar[dict[str, str]] = {}
    """The service's field names and the ids of the FormFields that show their problems."""

    form_title = "Form"
    """The dialog's border title."""

    def __init__(self, save: Callable[[Any], ResultT]) -> None:
        """Prepare the dialog.

        Args:
            save: Saves the collected input through a service and returns what was saved; runs in a thread.
        """
        super().__init__()
        self.save = save

    def compose(self) -> ComposeResult:
        """The subclass's fields, then Save and Cancel."""
        with VerticalScroll(classes="form-box") as box:
            box.border_title = plain(self.form_title)
            yield from self.compose_fields()
            with Horizontal(classes="form-buttons"):
                yield Button("Save", id="save-form-button", variant="primary")
                yield Button("Cancel", id="cancel-form-button")
            yield Label("Ctrl+S saves · Tab moves · Esc cancels", classes="form-hint")

    def compose_fields(self) -> ComposeResult:
        """The dialog's own fields."""
        yield from ()

    def collect(self) -> Any | None:
        """Validate the fields in place and return the service's input, or None while any shows an error."""
        return None

    @on(Button.Pressed, "#save-form-button")
    def _save_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel-form-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    def action_submit(self) -> None:
        """Check every field; when all are valid, save off the UI thread."""
        data = self.collect()
        if data is not None:
            self.run_worker(
                lambda: self.save(data),
                name="save",
                group="save",
                thread=True,
                exclusive=True,
                exit_on_error=False,
                description="saving",
            )

    @on(Worker.StateChanged)
    def _saved(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "save":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            self.show_failure(event.worker.error)

    def show_failure(self, error: BaseException | None) -> None:
        """Show the service's problems under their fields; anything else as a notification. The form stays."""
        if isinstance(error, InputError):
            elsewhere = []
            for problem in error.problems:
                field_id = self.FIELD_IDS.get(problem.place)
                if field_id:
                    self.query_one(f"#{field_id}", FormField).show_error(sentence(problem.message))
                else:
                    elsewhere.append(str(problem))
            if elsewhere:
                self.notify("\n".join(elsewhere), title="Not saved", severity="error")
        elif isinstance(error, ProgressionError):
            self.notify(str(error), title="Not saved", severity="error")
        else:
            self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")
