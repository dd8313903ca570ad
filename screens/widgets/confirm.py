"""A yes-or-no question before something is removed: Y removes, N or Escape keeps."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from screens.safe import plain


class ConfirmModal(ModalScreen[bool]):
    """Asks before a removal; dismisses with True to go ahead, False to keep."""

    HELP = "Confirm a removal: Y removes, N or Escape keeps."

    BINDINGS = [
        Binding("y", "answer(True)", "Remove", tooltip="Go ahead and remove it"),
        Binding("n,escape", "answer(False)", "Keep", tooltip="Keep it and close"),
    ]

    DEFAULT_CSS = """
    ConfirmModal {
        align: center middle;
        background: $background 60%;
        & > Vertical {
            width: 96%;
            max-width: 64;
            height: auto;
            padding: 0 1;
            border: round $error;
            border-title-color: $text-error;
            background: $surface;
        }
        & .confirm-question { margin-bottom: 1; }
        & Horizontal { height: auto; }
        & Button { margin-right: 2; }
        & .confirm-hint { color: $text-muted; }
    }
    """

    def __init__(self, title: str, question: str, yes: str = "Remove") -> None:
        """Prepare the question.

        Args:
            title: The dialog's border title.
            question: What will happen, as a question.
            yes: The label of the button that goes ahead.
        """
        super().__init__()
        self.title_text, self.question, self.yes = title, question, yes

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical() as box:
            box.border_title = plain(self.title_text)
            yield Static(self.question, classes="confirm-question", markup=False)
            with Horizontal():
                yield Button(self.yes, id="confirm-yes-button", variant="error")
                yield Button("Keep", id="confirm-no-button")
            yield Label("Y removes · N or Esc keeps", classes="confirm-hint")

    def on_mount(self) -> None:
        """Start on Keep, so Enter alone never removes anything."""
        self.query_one("#confirm-no-button").focus()

    @on(Button.Pressed, "#confirm-yes-button")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no-button")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
