"""The CPD screen: a registration year's records in Social Work England's shape, checked before 30 November."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import DataTable

from progression.dates import add_months
from progression.services.cpd import (
    CpdInput,
    CpdRecordRead,
    CpdYearRead,
    add_cpd,
    cpd_draft,
    cpd_year,
    edit_cpd,
    remove_cpd,
)
from screens.context import UiContext
from screens.record_screen import RecordScreen
from screens.widgets.confirm import ConfirmModal
from screens.widgets.cpd_detail import CpdDetail
from screens.widgets.cpd_draft import CpdDraftModal
from screens.widgets.cpd_form import CpdFormModal
from screens.widgets.cpd_status import CpdYearPanel, short_date

FIXED_COLUMNS = 11 + 15 + 4 + 4 * 2
"""The widths of the date, kind and peer columns, and every column's cell padding."""


def year_end_for(day: date, start: date, end: date) -> date:
    """The last day of the registration year containing `day`, stepping a year at a time from a known year."""
    while day < start:
        start, end = add_months(start, -12), add_months(end, -12)
    while day > end:
        start, end = add_months(start, 12), add_months(end, 12)
    return end


class CpdScreen(RecordScreen):
    """One registration year of the subject's CPD: its status, its records, and the focused record in full."""

    HELP = (
        "CPD in Social Work England's shape. The panel at the top shows the registration year (1 December to "
        "30 November) at a glance: records against the minimum of 2, whether one includes peer reflection, the days "
        "left, and whether the year is met. Below are the year's records and the focused one in full. P and N move "
        "between years; Y shows the year's records as text to paste into the regulator's form. Social Work England "
        "CPD applies to registered social workers only: for an apprentice, a student or a support worker the panel "
        "says so, and what applies to them instead."
    )

    BINDING_GROUP_TITLE = "CPD"

    BINDINGS = [
        Binding("a", "add", "Add", id="cpd-add", tooltip="Record a CPD activity"),
        Binding("e", "edit", "Edit", id="cpd-edit", tooltip="Change the focused record"),
        Binding("x", "remove", "Remove", id="cpd-remove", tooltip="Remove the focused record (asks first)"),
        Binding("p", "previous_year", "Earlier", id="cpd-previous-year", tooltip="The registration year before"),
        Binding(
            "n", "next_year", "Later", id="cpd-next-year", tooltip="The registration year after, up to the current one"
        ),
        Binding(
            "y",
            "draft",
            "Draft",
            id="cpd-draft",
            tooltip="The year's records as text for Social Work England's form, to copy",
        ),
    ]

    DEFAULT_CSS = """
    CpdScreen {
        #cpd-body { height: 1fr; layout: vertical; }
        #cpd-table {
            height: 1fr;
            border: round $primary 50%;
            border-title-color: $text-primary;
            border-subtitle-color: $text-muted;
            scrollbar-size-vertical: 1;
        }
        &.-wide #cpd-body { layout: horizontal; }
        &.-wide #cpd-table { width: 3fr; }
        &.-wide #cpd-detail { width: 2fr; }
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    year: reactive[CpdYearRead | None] = reactive(None, init=False)
    """The registration year shown, once read."""
    record: reactive[CpdRecordRead | None] = reactive(None, init=False)
    """The focused record."""

    def __init__(self, context: UiContext) -> None:
        """Prepare the screen at the current registration year.

        Args:
            context: The database, actor and date every service call uses.
        """
        super().__init__(context)
        self.on_day = context.today
        """A day in the registration year shown: today, or the last day of a past year."""
        self.focus_id: int | None = None
        """The id of the record to keep focused when the table is filled again."""

    def compose_body(self) -> ComposeResult:
        """The year's panel, then the records beside (or above) the focused record."""
        yield CpdYearPanel(self.context.today, id="cpd-year").data_bind(CpdScreen.year)
        with Horizontal(id="cpd-body"):
            yield DataTable(id="cpd-table", cursor_type="row", zebra_stripes=True)
            yield CpdDetail(id="cpd-detail").data_bind(CpdScreen.record, CpdScreen.year)

    @property
    def table(self) -> DataTable[Text | str]:
        """The records table."""
        return self.query_one("#cpd-table", DataTable)

    def on_mount(self) -> None:
        """Set up the table's columns; RecordScreen then reads the subject's year."""
        self.table.border_title = "Records"
        for label, key, width in (
            ("Date", "day", 11),
            ("Kind", "kind", 15),
            ("Activity", "title", None),
            ("Peer", "peer", 4),
        ):
            self.table.add_column(label, key=key, width=width)

    def watch_subject(self) -> None:
        """Another worker: start again at the current registration year."""
        self.on_day = self.context.today
        self.focus_id = None

    def load(self, staff_id: str) -> None:
        """Read the registration year containing `on_day`."""
        ctx = self.context
        self.call_service("year", cpd_year, ctx.engine, ctx.actor, staff_id, self.on_day)

    def done_year(self, year: CpdYearRead) -> None:
        """Show the year read, keeping the focus on the same record where it is still there."""
        self.year = year
        mine = year.staff_id == self.context.actor.staff_id
        self.sub_title = "Your CPD" if mine else f"CPD of {year.name} ({year.staff_id})"
        before = len(year.previous_records)
        self.table.border_subtitle = f"{year.previous_label}: {before} record{'s' if before != 1 else ''} (p)"
        self.table.border_title = f"Records {year.label}"
        self.fill_table()
        self.table.focus()

    def failed_year(self, error: BaseException) -> None:
        """Show nothing when the year cannot be read (for instance, another worker's records)."""
        self.year, self.record = None, None
        self.table.clear()
        self.table.border_title, self.table.border_subtitle = "Records", ""

    def fill_table(self) -> None:
        """One row per record, newest first; titles cut to the table's width."""
        table, year = self.table, self.year
        table.clear()
        if year is None:
            return
        width = max(12, table.scrollable_content_region.width - FIXED_COLUMNS)
        for cpd in year.records:
            peer = Text("✓", style="bold") if cpd.peer_reflection else ""
            title = Text(cpd.title, overflow="ellipsis", no_wrap=True)
            title.truncate(width, overflow="ellipsis")
            table.add_row(short_date(cpd.day), Text(cpd.kind), title, peer, key=str(cpd.id))
        ids = [cpd.id for cpd in year.records]
        if self.focus_id in ids:
            table.move_cursor(row=ids.index(self.focus_id), animate=False)
        self.record = year.records[table.cursor_row] if year.records else None

    @on(DataTable.RowHighlighted, "#cpd-table")
    def _record_focused(self, event: DataTable.RowHighlighted) -> None:
        year = self.year
        if year is None or event.row_key.value is None:
            return
        self.record = next((r for r in year.records if str(r.id) == event.row_key.value), None)
        self.focus_id = self.record.id if self.record else None

    def on_resize(self) -> None:
        """Cut the titles again to the table's new width."""
        self.call_after_refresh(self.fill_table)

    def watch_year(self) -> None:
        """Offer the keys that make sense for the year shown."""
        self.refresh_bindings()

    def watch_record(self) -> None:
        """Offer edit and remove only with a record focused."""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide changes from those who may not make them; dim keys that have nothing to act on."""
        year = self.year
        if action in ("add", "edit", "remove"):
            if year is None or not year.can_edit:
                return False
            return True if action == "add" else self.record is not None or None
        if action == "next_year":
            return year is not None and year.year_end < self.context.today
        if action == "draft":
            return year is not None and year.applies
        if action == "previous_year":
            return year is not None or None
        return True

    def action_add(self) -> None:
        """Open the form for a new record."""
        ctx, staff_id = self.context, self.subject
        if staff_id is None:
            return

        def save(data: CpdInput) -> CpdRecordRead:
            return add_cpd(ctx.engine, ctx.actor, staff_id, data, ctx.today)

        self.app.push_screen(CpdFormModal(save, ctx.today), self.saved)

    def action_edit(self) -> None:
        """Open the form on the focused record."""
        ctx, cpd = self.context, self.record
        if cpd is None:
            return

        def save(data: CpdInput) -> CpdRecordRead:
            return edit_cpd(ctx.engine, ctx.actor, cpd.id, data, ctx.today)

        self.app.push_screen(CpdFormModal(save, ctx.today, cpd), self.saved)

    def saved(self, cpd: CpdRecordRead | None) -> None:
        """After a save: say so, and show the record's year with the record focused."""
        if cpd is None or self.year is None or self.subject is None:
            return
        self.notify(f"“{cpd.title}” is saved.", title="CPD saved")
        self.focus_id = cpd.id
        self.on_day = min(self.context.today, year_end_for(cpd.day, self.year.year_start, self.year.year_end))
        self.load(self.subject)

    def action_remove(self) -> None:
        """Ask, then remove the focused record."""
        cpd = self.record
        if cpd is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_service("removed", remove_cpd, self.context.engine, self.context.actor, cpd.id)

        question = f"Remove “{cpd.title}” of {short_date(cpd.day)} from your CPD? This cannot be undone."
        self.app.push_screen(ConfirmModal("Remove CPD record", question), answered)

    def done_removed(self, _: None) -> None:
        """Say the record is gone and read the year again."""
        self.notify("The record is removed.", title="CPD removed")
        self.action_reload()

    def action_previous_year(self) -> None:
        """Show the registration year before, as it stood at its end."""
        if self.year is not None and self.subject is not None:
            self.on_day, self.focus_id = self.year.year_start - timedelta(days=1), None
            self.load(self.subject)

    def action_next_year(self) -> None:
        """Show the registration year after, up to the current one."""
        if self.year is not None and self.subject is not None:
            self.on_day, self.focus_id = min(self.context.today, add_months(self.year.year_end, 12)), None
            self.load(self.subject)

    def action_draft(self) -> None:
        """Read the year's draft for the regulator's form, then show it."""
        if self.subject is not None:
            ctx = self.context
            self.call_service("draft", cpd_draft, ctx.engine, ctx.actor, self.subject, self.on_day)

    def done_draft(self, text: str) -> None:
        """Show the draft to select and copy."""
        year = self.year
        self.app.push_screen(CpdDraftModal(text, year.label if year else "", len(year.records) if year else 0))
