"""The nav bar: the app's sections with their keys, the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class NavBar(Static):
    """One line: `1 Home  2 Routes  3 Plan …`; press the number to go there."""

    DEFAULT_CSS = """
    NavBar {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        """Draw once the app's sections are known."""
        self.update(self._render_sections())

    def _render_sections(self) -> Text:
        from screens.sections import sections_for

        app = self.app
        current = getattr(app, "current_mode", "")
        text = Text(no_wrap=True, overflow="ellipsis")
        for section in sections_for(app.context.actor):  # type: ignore[attr-defined]
            style = "bold reverse" if section.mode == current else ""
            text.append(f" {section.key} ", style=style or "bold")
            text.append(f"{section.title} ", style=style)
        return text
