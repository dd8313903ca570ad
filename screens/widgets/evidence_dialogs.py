"""Small evidence dialogs: confirm a removal, and choose the framework level the coverage grid shows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select

from progression.services.evidence_models import FrameworkChoice

Target = tuple[str, str | None]
"""(framework key, level key or None)."""

DIALOG_CSS = """
    align: center middle;
    & > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: thick $primary 60%; border-title-color: $text-primary; background: $surface; padding: 1 2;
    }
    & .dialog-hint { color: $text-muted; margin-top: 1; }
"""


class RemoveEvidenceDialog(ModalScreen[bool]):
    """Asks before removing a piece of evidence: y removes, n or Escape keeps it."""

    HELP = "Removing evidence takes it out of every coverage grid it counts in. It cannot be undone."

    DEFAULT_CSS = "RemoveEvidenceDialog {" + DIALOG_CSS + "}"

    BINDINGS = [
        Binding("y", "answer(True)", "Remove", tooltip="Remove the evidence"),
        Binding("n", "answer(False)", "Keep", tooltip="Keep the evidence"),
        Binding("escape", "answer(False)", "Keep", show=False),
    ]

    def __init__(self, title: str) -> None:
        """Prepare the question.

        Args:
            title: The title of the evidence to remove.
        """
        super().__init__()
        self.evidence_title = title

    def compose(self) -> ComposeResult:
        """The question and the keys that answer it."""
        with Vertical() as box:
            box.border_title = "Remove evidence"
            yield Label(f"Remove '{self.evidence_title}'? It will no longer count in any framework.")
            yield Label("y removes · n or Esc keeps it", classes="dialog-hint")

    def action_answer(self, remove: bool) -> None:
        """Close with the answer."""
        self.dismiss(remove)


def target_options(choices: list[FrameworkChoice]) -> list[tuple[str, str]]:
    """(prompt, 'framework|level') for every framework level that has capabilities to cover."""
    options = []
    for framework in choices:
        name = f"{framework.label} {framework.version}"
        if not framework.levels:
            options.append((f"{name} · every {framework.noun}", f"{framework.key}|"))
        for level in framework.levels:
            options.append((f"{name} · {level.title}", f"{framework.key}|{level.key}"))
    return options


class CoverageTargetModal(ModalScreen[Target | None]):
    """Choose the framework and level the coverage grid shows; Enter picks, Escape cancels."""

    HELP = "Choose which framework and level the coverage grid measures the evidence against."

    DEFAULT_CSS = (
        "CoverageTargetModal {"
        + DIALOG_CSS
        + "& > Vertical { height: 21; max-height: 100%; padding: 0 1; } & .dialog-hint { dock: bottom; } }"
    )

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Keep the framework shown")]

    def __init__(self, choices: list[FrameworkChoice], current: Target | None) -> None:
        """Prepare the choice.

        Args:
            choices: The frameworks in force, with their levels.
            current: The framework level shown now.
        """
        super().__init__()
        self.options = target_options(choices)
        self.current = f"{current[0]}|{current[1] or ''}" if current else None
        self.is_closing = False

    def compose(self) -> ComposeResult:
        """A Select of framework levels."""
        known = {value for _, value in self.options}
        with Vertical() as box:
            box.border_title = "Coverage of"
            yield Select(
                self.options,
                allow_blank=False,
                id="coverage-target",
                value=self.current if self.current in known else self.options[0][1],
            )
            yield Label("↑↓ move · Enter picks · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        """Open the list at once; closing it (a pick, or Escape) closes the dialog."""
        select = self.query_one(Select)
        select.focus()
        select.expanded = True
        self.watch(select, "expanded", self._list_closed, init=False)

    def _list_closed(self, expanded: bool) -> None:
        """Close with the framework level picked, or with None when the pick did not change it."""
        if expanded or self.is_closing:
            return
        self.is_closing = True
        value = self.query_one(Select).value
        if isinstance(value, str) and value != self.current:
            framework, _, level = value.partition("|")
            self.dismiss((framework, level or None))
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without changing the grid."""
        if not self.is_closing:
            self.is_closing = True
            self.dismiss(None)
