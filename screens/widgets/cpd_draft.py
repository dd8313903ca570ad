"""The draft for Social Work England's form: the year's CPD as plain text to select, copy and paste."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from screens.safe import plain


class CpdDraftModal(ModalScreen[None]):
    """Shows the draft read-only: select part of it with the mouse or Shift+arrows, or copy all of it with C."""

    HELP = (
        "The year's CPD records as plain text, one block per record, in the order Social Work England's form asks "
        "for them. Select text with the mouse or Shift+arrows (Ctrl+C copies a selection), press C to copy it all "
        "to the clipboard, Escape to close."
    )

    BINDINGS = [
        Binding("c", "copy_all", "Copy all", tooltip="Copy the whole draft to the clipboard"),
        Binding("escape", "close", "Close", tooltip="Close the draft"),
    ]

    DEFAULT_CSS = """
    CpdDraftModal {
        align: center middle;
        background: $background 60%;
        & > Vertical {
            width: 96%;
            max-width: 110;
            height: 92%;
            padding: 0 1;
            border: round $accent;
            border-title-color: $text-accent;
            background: $surface;
        }
        & TextArea { height: 1fr; }
        & .draft-hint { color: $text-muted; }
    }
    """

    def __init__(self, text: str, label: str, records: int) -> None:
        """Prepare the draft.

        Args:
            text: The draft, as the CPD service writes it.
            label: The registration year, e.g. '2025–26'.
            records: How many records the draft holds.
        """
        super().__init__()
        self.text, self.label, self.records = text, label, records

    def compose(self) -> ComposeResult:
        """The draft, and what the keys do."""
        with Vertical() as box:
            box.border_title = plain(f"Draft for Social Work England · {self.label}")
            yield TextArea(self.text, read_only=True, soft_wrap=True, show_line_numbers=False, id="cpd-draft-text")
            yield Label(
                "C copies it all · Shift+arrows select, Ctrl+C copies the selection · Esc closes", classes="draft-hint"
            )

    def on_mount(self) -> None:
        """Focus the text, so it can be scrolled and selected at once."""
        self.query_one(TextArea).focus()

    def action_copy_all(self) -> None:
        """Copy the whole draft to the clipboard."""
        self.app.copy_to_clipboard(self.text)
        what = f"{self.records} record{'s' if self.records != 1 else ''}"
        self.notify(
            f"The draft ({what}) is on the clipboard; paste it into Social Work England's form.", title="Copied"
        )

    def action_close(self) -> None:
        """Close the draft."""
        self.dismiss(None)
