"""The team view: every report's role, time in role, next step, caseload, supervision and flags."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from progression.services.progress import NextStepsRead, next_steps
from progression.services.requests import RequestRead, list_requests
from progression.services.tables_out import write_tables
from progression.services.team import TeamMember, team_sheet, team_view
from progression.services.workers import WorkerStanding, worker_standing
from screens.context import UiContext
from screens.record_screen import RecordScreen
from screens.widgets.manager_export import ExportModal
from screens.widgets.manager_record import WorkerRecordModal
from screens.widgets.manager_requests import waits_for_actor
from screens.widgets.manager_team import (
    REACHES,
    SCROLL_GUTTER,
    SORTS,
    TeamTable,
    matches,
    sort_members,
    summary_line,
    team_table,
)


class TeamScreen(RecordScreen):
    """The actor's reports, direct and indirect (an administrator: everyone), one row each."""

    HELP = (
        "Your team: each report's role, time in role, nearest next step and the month they are ready (READY when "
        "they are ready now), caseload against the role's cap (red when over it), last and next supervision (red "
        "when overdue) and flags: cap (over the caseload cap), overdue (supervision), CPD (not compliant with the "
        "deadline near), retention (a payment falls due). Sort, filter, open a read-only record with Enter, and "
        "export the table as shown."
    )

    BINDING_GROUP_TITLE = "Team"
    AUTO_FOCUS = "#team-table"

    BINDINGS = [
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            id="team-sort",
            tooltip="Order by name, time in role, next step date, caseload or supervision due, in turn",
        ),
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            key_display="/",
            id="team-filter",
            tooltip="Type to filter by name, staff id, role, next step or team",
        ),
        Binding("f", "toggle_flagged", "Flagged", id="team-flagged", tooltip="Show only reports with a flag, or all"),
        Binding(
            "i",
            "cycle_reach",
            "Direct/indirect",
            id="team-reach",
            tooltip="Show direct and indirect reports, direct only, or indirect only",
        ),
        Binding("x", "export", "Export", id="team-export", tooltip="Write the table as shown to a .csv or .xlsx file"),
        Binding("escape", "focus_table", "To the table", show=False, tooltip="Leave the filter for the table"),
    ]

    DEFAULT_CSS = """
    TeamScreen {
        #team-filters { height: auto; }
        #team-filter-input { width: 1fr; }
        #team-flagged { width: auto; }
        #team-reach { width: 21; }
        #team-summary { padding: 0 1; color: $text-muted; }
        #team-table {
            height: 1fr;
            border: round $primary 50%;
            border-title-color: $text-primary;
            scrollbar-size-vertical: 1;
        }
    }
    """

    def __init__(self, context: UiContext) -> None:
        """Prepare the screen.

        Args:
            context: The database, actor and date every service call uses.
        """
        super().__init__(context)
        self.members: list[TeamMember] = []
        """Every report, as read."""
        self.shown: list[TeamMember] = []
        """The reports the filter lets through, in the chosen order."""
        self.sort = SORTS[0].name
        self.waiting: int | None = None
        """How many requests wait for the actor, once read."""

    def compose_body(self) -> ComposeResult:
        """The filters, the summary and the table."""
        with Horizontal(id="team-filters"):
            yield Input(placeholder="Filter: name, staff id, role, step or team", id="team-filter-input")
            yield Checkbox("Flagged only", id="team-flagged")
            yield Select([(label, value) for value, label in REACHES], allow_blank=False, value="all", id="team-reach")
        yield Static("Reading your team…", id="team-summary")
        yield TeamTable(id="team-table", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> TeamTable:
        """The team table."""
        return self.query_one("#team-table", TeamTable)

    def on_mount(self) -> None:
        """Read the team (these screens show the actor's team, whoever the picked worker is)."""
        self.sub_title = "Your team" if not self.context.actor.is_admin else "Everyone (administrator)"
        self.action_reload()

    def action_reload(self) -> None:
        """Read the team and the requests waiting for the actor."""
        ctx = self.context
        self.call_service("team", team_view, ctx.engine, ctx.actor, ctx.today)
        self.call_service("queue", list_requests, ctx.engine, ctx.actor)

    def done_team(self, members: list[TeamMember]) -> None:
        """Show the team read."""
        self.members = members
        self.fill()

    def failed_team(self, error: BaseException) -> None:
        """Show nobody when the team cannot be read."""
        self.members = []
        self.fill()

    def done_queue(self, requests: list[RequestRead]) -> None:
        """Count the requests that wait for the actor's decision."""
        self.waiting = sum(waits_for_actor(self.context.actor, r) for r in requests)
        self.show_summary()

    def show_summary(self) -> None:
        """The counts over the whole team, and how many the filter shows."""
        line = summary_line(self.members, self.waiting)
        if self.members and len(self.shown) != len(self.members):
            line += f" · showing {len(self.shown)}"
        self.query_one("#team-summary", Static).update(line)

    def fill(self) -> None:
        """Filter, sort and draw the rows, keeping the highlighted report where it is still shown."""
        table = self.table
        keep = self.highlighted.staff_id if self.highlighted else None
        text = self.query_one("#team-filter-input", Input).value
        flagged = self.query_one("#team-flagged", Checkbox).value
        reach = str(self.query_one("#team-reach", Select).value)
        chosen = [m for m in self.members if matches(m, text, flagged, reach)]
        self.shown = sort_members(chosen, self.sort)
        label = next(s.label for s in SORTS if s.name == self.sort)
        table.border_title = f"Reports ({len(self.shown)}) · by {label}"
        width = (table.size.width or self.size.width) - SCROLL_GUTTER
        columns, rows = team_table(self.shown, width, self.app.theme_variables)
        table.clear(columns=True)
        for label_text, column_width in columns:
            table.add_column(label_text, width=column_width)
        for staff_id, cells in rows:
            table.add_row(*cells, key=staff_id)
        ids = [m.staff_id for m in self.shown]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self.show_summary()

    @property
    def highlighted(self) -> TeamMember | None:
        """The report on the highlighted row."""
        if not self.shown or not 0 <= self.table.cursor_row < len(self.shown):
            return None
        return self.shown[self.table.cursor_row]

    def on_resize(self) -> None:
        """Share the new width out among the columns again."""
        self.call_after_refresh(self.fill)

    @on(Input.Changed, "#team-filter-input")
    @on(Checkbox.Changed, "#team-flagged")
    @on(Select.Changed, "#team-reach")
    def _filter_changed(self) -> None:
        self.fill()

    @on(Input.Submitted, "#team-filter-input")
    def _filter_submitted(self) -> None:
        self.table.focus()

    @on(DataTable.RowSelected, "#team-table")
    def _row_chosen(self) -> None:
        self.action_open_record()

    def action_cycle_sort(self) -> None:
        """Order by the next sort key."""
        names = [s.name for s in SORTS]
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self.fill()

    def action_focus_filter(self) -> None:
        """Move to the filter box."""
        self.query_one("#team-filter-input", Input).focus()

    def action_focus_table(self) -> None:
        """Move back to the table."""
        self.table.focus()

    def action_toggle_flagged(self) -> None:
        """Show only the flagged reports, or everyone."""
        box = self.query_one("#team-flagged", Checkbox)
        box.value = not box.value

    def action_cycle_reach(self) -> None:
        """Direct and indirect, direct only, indirect only, in turn."""
        select = self.query_one("#team-reach", Select)
        values = [value for value, _ in REACHES]
        select.value = values[(values.index(str(select.value)) + 1) % len(values)]

    def action_open_record(self) -> None:
        """Read the highlighted report's standing and next steps, then show them."""
        member = self.highlighted
        if member is None:
            return
        ctx = self.context

        def read() -> tuple[WorkerStanding, NextStepsRead, TeamMember]:
            standing = worker_standing(ctx.engine, ctx.actor, member.staff_id, ctx.today)
            return standing, next_steps(ctx.engine, ctx.actor, member.staff_id, ctx.today), member

        self.call_service("record", read)

    def done_record(self, record: tuple[WorkerStanding, NextStepsRead, TeamMember]) -> None:
        """Show the record read."""
        self.app.push_screen(WorkerRecordModal(*record))

    def action_export(self) -> None:
        """Ask where, then write the rows shown."""
        rows = list(self.shown)

        def write(path: Path) -> Path:
            return write_tables(path, team_sheet(rows))

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"{len(rows)} reports written to {path}", title="Team exported")

        self.app.push_screen(ExportModal("the team", f"team-{self.context.today}.csv", write), written)
