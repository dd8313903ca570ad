"""The help screen: what the screen underneath shows, and every key active on it."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static


def binding_rows(active: dict[str, ActiveBinding], display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """One row per action: its keys joined, and what it does; the footer's keys come first.

    Args:
        active: The active bindings of a screen, by key, from the focused widget out to the app.
        display: How a binding's key is shown to the user (`App.get_key_display`).

    Returns:
        (keys, what they do) pairs, the tooltip where there is one, else the footer's description;
        system bindings and bindings without a description are left out.
    """
    rows: dict[tuple[int, str], tuple[list[str], str, bool]] = {}
    for found in active.values():
        binding = found.binding
        if binding.system or not binding.description:
            continue
        name = binding.group.description if binding.group else binding.description
        keys, does, shown = rows.get((id(found.node), name), ([], name, False))
        keys.append(display(binding))
        rows[(id(found.node), name)] = (keys, does if does != name else binding.tooltip or name, shown or binding.show)
    ordered = sorted(rows.values(), key=lambda row: not row[2])
    return [(", ".join(keys), description) for keys, description, _ in ordered]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen it was opened from. Escape closes it."""

    HELP = "Help: the keys of the screen underneath."

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def __init__(self, summary: str, rows: list[tuple[str, str]]) -> None:
        """Prepare the help.

        Args:
            summary: What the screen underneath shows, in a sentence.
            rows: (keys, description) pairs, as `binding_rows` builds them.
        """
        super().__init__()
        self.summary = summary
        self.rows = rows

    def compose(self) -> ComposeResult:
        """The summary, the table of keys, and how to close."""
        with Vertical(id="help") as help_box:
            help_box.border_title = "Help"
            yield Static(self.summary, id="help-summary")
            yield DataTable(id="help-keys", cursor_type="none", show_header=True, zebra_stripes=True)
            yield Label("Esc closes", id="help-hint")

    def on_mount(self) -> None:
        """Fill the table of keys."""
        table = self.query_one(DataTable)
        table.add_columns("Keys", "Does")
        table.add_rows(self.rows)

    def action_close(self) -> None:
        """Go back to the screen underneath."""
        self.dismiss(None)
