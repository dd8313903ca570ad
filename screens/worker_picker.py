"""The worker picker: a filter box over the workers the actor may see; Enter picks, Escape cancels."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label
from textual.worker import Worker, WorkerState

from progression.services.workers import list_workers
from screens.context import UiContext
from screens.messages import WorkersListed
from screens.safe import cell, tidy


class WorkerPickerModal(ModalScreen[str | None]):
    """Pick one worker; dismisses with their staff id, or None when cancelled."""

    HELP = "Type to filter the workers you may see by name, staff id, role or team."

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "focus_table", "To the list", show=False),
    ]

    def __init__(self, context: UiContext) -> None:
        """Prepare the picker.

        Args:
            context: The database and actor whose visible workers are listed.
        """
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        """A filter, the list, and a line saying what the keys do."""
        with Vertical(id="picker") as picker:
            picker.border_title = "Pick a worker"
            yield Input(placeholder="Filter by name, staff id, role or team", id="worker-filter")
            yield DataTable(id="worker-table", cursor_type="row", zebra_stripes=True)
            yield Label("Enter picks · ↓ to the list · Esc cancels", id="picker-hint")

    def on_mount(self) -> None:
        """Set up the columns and read the first list."""
        table = self.query_one(DataTable)
        table.add_column("Name")
        table.add_column("Staff id")
        table.add_column("Role", width=22)
        table.add_column("Team", width=16)
        self.list_matching("")

    @work(thread=True, exclusive=True, exit_on_error=False, group="db", description="Reading the workers")
    def list_matching(self, search: str) -> None:
        """Read the workers that match `search`, off the UI thread."""
        workers = tidy(list_workers(self.context.engine, self.context.actor, search=search))
        self.post_message(WorkersListed(search=search, workers=workers))

    @on(Input.Changed, "#worker-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        """Read the list again for the new filter."""
        self.list_matching(event.value)

    @on(WorkersListed)
    def show_workers(self, message: WorkersListed) -> None:
        """Fill the table, unless the filter has moved on since this list was asked for."""
        if message.search != self.query_one(Input).value:
            return
        table = self.query_one(DataTable)
        table.clear()
        for worker in message.workers:
            cells = (worker.name, worker.staff_id, worker.role_title, worker.team or "")
            table.add_row(*(cell(text, overflow="ellipsis", no_wrap=True) for text in cells), key=worker.staff_id)
        self.query_one("#picker-hint", Label).update(
            f"{len(message.workers)} shown · Enter picks · ↓ to the list · Esc cancels"
            if message.workers
            else "Nobody matches · Esc cancels"
        )

    @on(Input.Submitted, "#worker-filter")
    def pick_highlighted(self) -> None:
        """Pick the highlighted worker (the first, until the list is moved)."""
        table = self.query_one(DataTable)
        if table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self.dismiss(row_key.value)

    @on(DataTable.RowSelected, "#worker-table")
    def pick_row(self, event: DataTable.RowSelected) -> None:
        """Pick the worker whose row was chosen."""
        self.dismiss(event.row_key.value)

    def action_cancel(self) -> None:
        """Close without picking anyone."""
        self.dismiss(None)

    def action_focus_table(self) -> None:
        """Move from the filter to the list."""
        self.set_focus(self.query_one(DataTable))

    @on(Worker.StateChanged)
    def report_failure(self, event: Worker.StateChanged) -> None:
        """Tell the user when the list could not be read."""
        if event.state == WorkerState.ERROR:
            self.notify(str(event.worker.error), title=event.worker.description, severity="error")
