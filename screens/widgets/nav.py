"""The nav bar: the app's sections with their keys, the one in front highlighted."""

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

    def on_resize(self) -> None:
        """Fit the line to the new width (short titles when the full ones do not fit)."""
        self.update(self._render_sections())

    def _render_sections(self) -> Text:
        full = self._line(short=False)
        return full if not self.size.width or full.cell_len <= self.size.width - 2 else self._line(short=True)

    def _line(self, *, short: bool) -> Text:
        from screens.sections import sections_for

        app = self.app
        shown = type(self.screen).__name__
        sections = sections_for(app.context.actor)  # type: ignore[attr-defined]
        current = next((s.mode for s in sections if s.target.endswith(f":{shown}")), getattr(app, "current_mode", ""))
        text = Text(no_wrap=True, overflow="ellipsis")
        for section in sections:
            here = section.mode == current
            title = section.short if short else section.title
            text.append(f" {section.key} " if not short else section.key, style="bold reverse" if here else "reverse")
            text.append(f" {title}  " if not short else f"{title} ", style="bold underline" if here else "")
        return text
