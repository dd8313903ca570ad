"""Exporting a manager's tables: the dialog asking where, and the sheets of the team and the workforce."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Static

from screens.widgets.form import FormField
from screens.widgets.form_dialog import SavingFormModal

SUFFIXES = (".csv", ".xlsx")
"""The file types the tables can be written as."""


class ExportModal(SavingFormModal[Path | None]):
    """Asks for the file to write (.csv or .xlsx) and writes it; dismisses with the path written, or None."""

    HELP = (
        "Export: type the file to write. A name ending in .csv writes a CSV file (several tables one after another), "
        "one ending in .xlsx a workbook with a sheet per table. Ctrl+S writes; Escape cancels."
    )

    FIELD_IDS = {"--output": "export-path"}

    def __init__(self, what: str, suggested: str, write: Callable[[Path], Path]) -> None:
        """Prepare the dialog.

        Args:
            what: What is exported, e.g. 'the team'.
            suggested: The file name offered to start with.
            write: Writes the tables to the path given and returns it; runs in a thread.
        """
        super().__init__(write)
        self.what, self.suggested = what, suggested
        self.form_title = f"Export {what}"

    def compose_fields(self) -> ComposeResult:
        """The file's path, and what the suffix decides."""
        yield Static(f"Write {self.what} to a file: .csv for any spreadsheet, .xlsx for Excel.", classes="form-hint")
        yield FormField(
            "File",
            required=True,
            value=self.suggested,
            id="export-path",
            placeholder="e.g. team.xlsx or ~/reports/team.csv",
        )

    def on_mount(self) -> None:
        """Start in the path, with the name selected."""
        self.query_one("#export-path-input").focus()

    def collect(self) -> Path | None:
        """The path typed, when it ends in .csv or .xlsx and its folder exists; else an error under the field."""
        field = self.query_one("#export-path", FormField)
        if not field.check():
            return None
        path = Path(field.text).expanduser()
        if path.suffix.lower() not in SUFFIXES:
            field.show_error(f"'{path.name}' must end in .csv or .xlsx")
            return None
        if not path.parent.is_dir():
            field.show_error(f"There is no folder {path.parent}")
            return None
        if path.is_dir():
            field.show_error(f"{path} is a folder: give a file name")
            return None
        return path.resolve()
