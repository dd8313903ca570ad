"""A bordered, scrolling panel that shows one focused item in full, redrawn when its data changes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static


class DetailPanel(VerticalScroll):
    """Subclasses declare their reactives, call `redraw` from their watchers and say what to show in `describe`."""

    DEFAULT_CSS = """
    DetailPanel {
        height: 1fr;
        padding: 0 1;
        border: round $primary 50%;
        border-title-color: $text-primary;
        scrollbar-size-vertical: 1;
        & > Static { width: 1fr; }
    }
    """

    PANEL_TITLE = ""
    """The panel's border title."""

    def compose(self) -> ComposeResult:
        """The item's text."""
        yield Static(classes="detail-text")

    def on_mount(self) -> None:
        """Name the panel and draw what is known."""
        self.border_title = self.PANEL_TITLE
        self.redraw()

    def describe(self) -> Content | str:
        """What the panel shows now."""
        return ""

    def redraw(self) -> None:
        """Show the current item from the top."""
        if self.is_mounted:
            self.query_one(".detail-text", Static).update(self.describe())
            self.scroll_home(animate=False)
