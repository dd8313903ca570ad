"""The supervision screen: when the next session is due and whether it is overdue, the sessions, private notes."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import DataTable

from progression.services.supervision import (
    SessionInput,
    SessionRead,
    SupervisionRecordRead,
    add_session,
    confirm_session,
    edit_session,
    remove_session,
    supervision_record,
)
from screens.context import UiContext
from screens.record_screen import RecordScreen
from screens.widgets.confirm import ConfirmModal
from screens.widgets.cpd_status import short_date
from screens.widgets.supervision_form import SessionFormModal
from screens.widgets.supervision_notes import KIND_WORDS, SessionNotes
from screens.widgets.supervision_status import SupervisionPanel, length_words

FIXED_COLUMNS = 11 + 10 + 12 + 20 + 5 * 2
"""The widths of the date, kind, length and supervisor columns, and every column's cell padding."""


def length_cell(chosen: SessionRead, warning: str) -> Text:
    """The session's length, marked in the `warning` colour when an individual session is shorter than the
    schedule asks."""
    if chosen.short:
        return Text(f"{length_words(chosen.minutes)} ⚠", style=f"bold {warning}")
    return Text(length_words(chosen.minutes))


def supervisor_cell(chosen: SessionRead, warning: str) -> Text:
    """The session's supervisor, cut to the column; a session waiting for their confirmation says so first."""
    name = chosen.supervisor_name or "—"
    cell = Text(f"waits: {name}", style=warning) if not chosen.confirmed else Text(name)
    cell.no_wrap, cell.overflow = True, "ellipsis"
    cell.truncate(20, overflow="ellipsis")
    return cell


class SupervisionScreen(RecordScreen):
    """The subject's supervision: the next session due by their schedule, every session, the focused one's notes."""

    HELP = (
        "Supervision. The panel shows when individual supervision is next due by the schedule that applies (weekly "
        "then fortnightly then monthly for a newly qualified worker, at least monthly for everyone else), whether it "
        "is overdue, and the last group reflection; for an apprentice, a student or other staff, for whom no "
        "published source sets a schedule, it says so and why. Below are the sessions, newest first, and the focused "
        "one. A session the worker records waits for their supervisor's confirmation and does not count until then: "
        "the supervisor (or their line manager) presses c to confirm it. Notes are private to the worker and that "
        "session's supervisor; anyone else sees that they are private."
    )

    BINDING_GROUP_TITLE = "Supervision"

    BINDINGS = [
        Binding("a", "add", "Add", id="supervision-add", tooltip="Record a supervision session"),
        Binding("e", "edit", "Edit", id="supervision-edit", tooltip="Change the focused session"),
        Binding("x", "remove", "Remove", id="supervision-remove", tooltip="Remove the focused session (asks first)"),
        Binding(
            "c",
            "confirm",
            "Confirm",
            id="supervision-confirm",
            tooltip="Confirm the focused session the worker recorded, so that it counts",
        ),
    ]

    DEFAULT_CSS = """
    SupervisionScreen {
        #supervision-body { height: 1fr; layout: vertical; }
        #supervision-table {
            height: 1fr;
            border: round $primary 50%;
            border-title-color: $text-primary;
            scrollbar-size-vertical: 1;
        }
        &.-wide #supervision-body { layout: horizontal; }
        &.-wide #supervision-table { width: 3fr; }
        &.-wide #session-notes { width: 2fr; }
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    record: reactive[SupervisionRecordRead | None] = reactive(None, init=False)
    """The subject's supervision record, once read."""
    chosen: reactive[SessionRead | None] = reactive(None, init=False)
    """The focused session."""

    def __init__(self, context: UiContext) -> None:
        """Prepare the screen.

        Args:
            context: The database, actor and date every service call uses.
        """
        super().__init__(context)
        self.focus_id: int | None = None
        """The id of the session to keep focused when the table is filled again."""

    def compose_body(self) -> ComposeResult:
        """The standing panel, then the sessions beside (or above) the focused session."""
        yield SupervisionPanel(id="supervision-panel").data_bind(SupervisionScreen.record)
        with Horizontal(id="supervision-body"):
            yield DataTable(id="supervision-table", cursor_type="row", zebra_stripes=True)
            yield SessionNotes(id="session-notes").data_bind(SupervisionScreen.chosen, SupervisionScreen.record)

    @property
    def table(self) -> DataTable[Text | str]:
        """The sessions table."""
        return self.query_one("#supervision-table", DataTable)

    def on_mount(self) -> None:
        """Set up the table's columns; RecordScreen then reads the subject's record."""
        self.table.border_title = "Sessions"
        for label, width in (("Date", 11), ("Kind", 10), ("Length", 12), ("Supervisor", 20), ("With", None)):
            self.table.add_column(label, width=width)

    def watch_subject(self) -> None:
        """Another worker: forget the focused session."""
        self.focus_id = None

    def load(self, staff_id: str) -> None:
        """Read the subject's supervision record as it stands today."""
        ctx = self.context
        self.call_service("record", supervision_record, ctx.engine, ctx.actor, staff_id, ctx.today)

    def done_record(self, record: SupervisionRecordRead) -> None:
        """Show the record read, keeping the focus on the same session where it is still there."""
        self.record = record
        mine = record.staff_id == self.context.actor.staff_id
        self.sub_title = "Your supervision" if mine else f"Supervision of {record.name} ({record.staff_id})"
        self.table.border_title = f"Sessions ({len(record.sessions)})"
        self.fill_table()
        self.table.focus()

    def failed_record(self, error: BaseException) -> None:
        """Show nothing when the record cannot be read (for instance, another worker's)."""
        self.record, self.chosen = None, None
        self.table.clear()
        self.table.border_title = "Sessions"

    def fill_table(self) -> None:
        """One row per session, newest first."""
        table, record = self.table, self.record
        table.clear()
        if record is None:
            return
        warning = self.app.current_theme.warning or "yellow"
        width = max(8, table.scrollable_content_region.width - FIXED_COLUMNS)
        for chosen in record.sessions:
            supervisor = supervisor_cell(chosen, warning)
            with_whom = Text(chosen.with_whom, no_wrap=True)
            with_whom.truncate(width, overflow="ellipsis")
            table.add_row(
                short_date(chosen.day),
                KIND_WORDS[chosen.kind].split()[0],
                length_cell(chosen, warning),
                supervisor,
                with_whom,
                key=str(chosen.id),
            )
        ids = [chosen.id for chosen in record.sessions]
        if self.focus_id in ids:
            table.move_cursor(row=ids.index(self.focus_id), animate=False)
        self.chosen = record.sessions[table.cursor_row] if record.sessions else None

    def on_resize(self) -> None:
        """Cut the 'with' column again to the table's new width."""
        self.call_after_refresh(self.fill_table)

    @on(DataTable.RowHighlighted, "#supervision-table")
    def _session_focused(self, event: DataTable.RowHighlighted) -> None:
        record = self.record
        if record is None or event.row_key.value is None:
            return
        self.chosen = next((s for s in record.sessions if str(s.id) == event.row_key.value), None)
        self.focus_id = self.chosen.id if self.chosen else None

    def watch_record(self) -> None:
        """Offer the keys that make sense for the record shown."""
        self.refresh_bindings()

    def watch_chosen(self) -> None:
        """Offer edit and remove only on a session the actor may change."""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide changes from those who may not make them; dim edit and remove on a session they may not change."""
        record, chosen = self.record, self.chosen
        if action == "add":
            return record is not None and record.can_add
        if action in ("edit", "remove"):
            if record is None or not (record.can_add or any(s.can_change for s in record.sessions)):
                return False
            return chosen is not None and chosen.can_change or None
        if action == "confirm":
            if record is None or not any(s.can_confirm for s in record.sessions):
                return False
            return chosen is not None and chosen.can_confirm or None
        return True

    def action_confirm(self) -> None:
        """Confirm the focused session, so that it counts."""
        chosen = self.chosen
        if chosen is not None and chosen.can_confirm:
            ctx = self.context
            self.call_service("confirmed", confirm_session, ctx.engine, ctx.actor, session_id=chosen.id)

    def done_confirmed(self, chosen: SessionRead) -> None:
        """Say the session now counts and read the record again."""
        self.notify(f"The session of {short_date(chosen.day)} is confirmed and counts.", title="Supervision confirmed")
        self.focus_id = chosen.id
        self.action_reload()

    def action_add(self) -> None:
        """Open the form for a new session."""
        ctx, staff_id = self.context, self.subject
        if staff_id is None:
            return

        def save(data: SessionInput) -> SessionRead:
            return add_session(ctx.engine, ctx.actor, staff_id, data, ctx.today)

        self.app.push_screen(SessionFormModal(save, ctx.today), self.saved)

    def action_edit(self) -> None:
        """Open the form on the focused session."""
        ctx, chosen = self.context, self.chosen
        if chosen is None:
            return

        def save(data: SessionInput) -> SessionRead:
            return edit_session(ctx.engine, ctx.actor, chosen.id, data, ctx.today)

        self.app.push_screen(SessionFormModal(save, ctx.today, chosen), self.saved)

    def saved(self, chosen: SessionRead | None) -> None:
        """After a save: say so, and read the record again with the session focused."""
        if chosen is None:
            return
        self.notify(f"The session of {short_date(chosen.day)} is saved.", title="Supervision saved")
        self.focus_id = chosen.id
        self.action_reload()

    def action_remove(self) -> None:
        """Ask, then remove the focused session."""
        chosen = self.chosen
        if chosen is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_service("removed", remove_session, self.context.engine, self.context.actor, chosen.id)

        kind = KIND_WORDS[chosen.kind].lower()
        question = f"Remove the {kind} session of {short_date(chosen.day)}, notes and all? This cannot be undone."
        self.app.push_screen(ConfirmModal("Remove supervision session", question), answered)

    def done_removed(self, _: None) -> None:
        """Say the session is gone and read the record again."""
        self.notify("The session is removed.", title="Supervision removed")
        self.action_reload()
