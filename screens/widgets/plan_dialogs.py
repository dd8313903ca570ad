"""Small dialogs of the plan screen: the base every plan form shares, confirming a removal, a note, a done date."""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from progression.fields import free_text_limit
from progression.models import PlanStateChange
from screens.safe import plain
from screens.widgets.form import FormField

Result = TypeVar("Result")


class PlanModal(ModalScreen[Result | None], Generic[Result]):
    """A centred dialog: ctrl+s (or Enter in a one-line field) saves, Escape cancels with None."""

    DEFAULT_CSS = """
    PlanModal {
        align: center middle;
        background: $background 60%;
        & > .plan-dialog {
            width: 96%;
            max-width: 84;
            height: auto;
            max-height: 100%;
            padding: 0 1;
            border: round $accent;
            border-title-color: $text-accent;
            background: $surface;
        }
        .plan-hint { color: $text-muted; width: 1fr; }
        .plan-question { margin: 1 0; width: 1fr; }
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", tooltip="Check and save what is typed"),
    ]

    def action_cancel(self) -> None:
        """Close, changing nothing."""
        self.dismiss(None)

    def action_save(self) -> None:
        """Check what is typed and, when it is valid, close with it."""
        self.save()

    def save(self) -> None:
        """Check the form; subclasses dismiss with their value when every field is valid."""
        self.dismiss(None)

    def enter_in(self, field: Input) -> None:
        """Enter was pressed in a one-line field: save (subclasses may do otherwise for some fields)."""
        self.save()

    @on(Input.Submitted)
    def _enter_pressed(self, event: Input.Submitted) -> None:
        event.stop()
        self.enter_in(event.input)


class ConfirmModal(PlanModal[bool]):
    """Asks a yes-or-no question; y or Enter confirms, n or Escape cancels."""

    BINDINGS = [
        Binding("y,enter", "confirm", "Yes", tooltip="Go ahead"),
        Binding("n", "cancel", "No", tooltip="Keep it"),
    ]

    def __init__(self, title: str, question: str) -> None:
        """Prepare the question.

        Args:
            title: The dialog's title.
            question: What will happen, as a question.
        """
        super().__init__()
        self.title_text, self.question = title, question

    def compose(self) -> ComposeResult:
        """The question and the keys that answer it."""
        with Vertical(classes="plan-dialog") as box:
            box.border_title = plain(self.title_text)
            yield Static(self.question, classes="plan-question")
            yield Label("y or Enter: yes · n or Esc: no", classes="plan-hint")

    def action_confirm(self) -> None:
        """Answer yes."""
        self.dismiss(True)

    def save(self) -> None:
        """ctrl+s answers yes too."""
        self.dismiss(True)


class NoteModal(PlanModal[str]):
    """Asks why (sending a plan back, reopening it): the note is required."""

    def __init__(self, title: str, prompt: str) -> None:
        """Prepare the note.

        Args:
            title: The dialog's title, e.g. 'Send back'.
            prompt: What the note should say.
        """
        super().__init__()
        self.title_text, self.prompt = title, prompt

    def compose(self) -> ComposeResult:
        """The note field and the keys."""
        with Vertical(classes="plan-dialog") as box:
            box.border_title = plain(self.title_text)
            yield FormField(
                self.prompt,
                kind="multiline",
                required=True,
                id="note",
                limit=free_text_limit("note", PlanStateChange, "note"),
            )
            yield Label("ctrl+s saves · Esc cancels", classes="plan-hint")

    def save(self) -> None:
        """Close with the note, once there is one."""
        note = self.query_one("#note", FormField)
        if note.check():
            self.dismiss(note.text)


class DoneModal(PlanModal[date]):
    """Asks when a goal or action was done: today unless changed, never in the future."""

    def __init__(self, what: str, today: date) -> None:
        """Prepare the question.

        Args:
            what: The goal or action, as its title.
            today: The date taken as today, filled in and the latest allowed.
        """
        super().__init__()
        self.what, self.today = what, today

    def compose(self) -> ComposeResult:
        """The date field and the keys."""
        with Vertical(classes="plan-dialog") as box:
            box.border_title = "Mark done"
            yield Static(self.what, classes="plan-question")
            yield FormField("Done on", kind="date", required=True, value=self.today.isoformat(), id="done-on")
            yield Label("Enter saves · Esc cancels", classes="plan-hint")

    def save(self) -> None:
        """Close with the date, once it is a date that is not in the future."""
        field = self.query_one("#done-on", FormField)
        if not field.check():
            return
        done_on = field.date_value
        if done_on is None or done_on > self.today:
            field.show_error(f"{done_on} is in the future: today is {self.today}")
            return
        self.dismiss(done_on)
