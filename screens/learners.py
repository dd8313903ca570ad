"""The practice educator's dashboard: every learner with their RAG, next review and progress, sorted and filtered."""

from __future__ import annotations

from dataclasses import replace

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from progression.services.learners import LearnerRead, learners
from screens.learner_view import LearnerScreen
from screens.record_screen import RecordScreen
from screens.widgets.learners_list import ListView, is_finished, shown, week_summary
from screens.widgets.learners_table import LearnersTable
from screens.widgets.learners_words import KIND_FILTERS, RAG_FILTERS


def _next(options: list[str], current: str) -> str:
    return options[(options.index(current) + 1) % len(options)]


class LearnersScreen(RecordScreen, inherit_bindings=False):
    """The actor's learners (an administrator: every learner); Enter opens one. Not about the app's subject."""

    HELP = (
        "Your learners: degree apprentices, students on placement and newly qualified workers in their assessed "
        "year. The line at the top counts the reviews due in the next seven days, the overdue reviews and the "
        "learners rated red. RAG paces apprentices' verified off-the-job hours against the plan, students' days "
        "against the 200-day rule, and newly qualified workers' reviews and caseload. Progress is verified hours of "
        "those required, days of the 200, or how much of the assessed year has passed. Current learners are listed; "
        "a shows the finished ones too (completed, withdrawn, or past the final review), after them. Sort with n, "
        "c, d and p (again to reverse), cut the list with k (kind), f (RAG) and / (search); Enter opens the learner."
    )

    BINDING_GROUP_TITLE = "Learners"

    BINDINGS = [
        *Screen.BINDINGS,
        Binding("enter", "open", "Open", tooltip="Open the highlighted learner's record", id="learners-open"),
        Binding(
            "slash",
            "search",
            "Search",
            key_display="/",
            tooltip="Filter by name, staff id or programme",
            id="learners-search",
        ),
        Binding(
            "k",
            "cycle_kind",
            "Kind",
            tooltip="Show all kinds, apprentices, students or newly qualified",
            id="learners-kind",
        ),
        Binding(
            "f",
            "cycle_rag",
            "RAG filter",
            tooltip="Show any RAG, or only red, amber, green or grey",
            id="learners-rag-filter",
        ),
        Binding(
            "a",
            "toggle_finished",
            "Finished",
            tooltip="Also list learners whose programme is completed or withdrawn (again: current only)",
            id="learners-finished",
        ),
        Binding("n", "sort('name')", "Name", tooltip="Sort by name (again: reverse)", id="learners-sort-name"),
        Binding("c", "sort('rag')", "RAG", tooltip="Sort by RAG, red first (again: reverse)", id="learners-sort-rag"),
        Binding(
            "d",
            "sort('review')",
            "Review",
            tooltip="Sort by next review due, soonest first (again: reverse)",
            id="learners-sort-review",
        ),
        Binding(
            "p",
            "sort('progress')",
            "Progress",
            tooltip="Sort by progress, least first (again: reverse)",
            id="learners-sort-progress",
        ),
        Binding("escape", "back_to_list", "List", show=False, tooltip="Leave the search box for the list"),
        Binding("r", "reload", "Refresh", show=False, tooltip="Read the learners again"),
    ]

    DEFAULT_CSS = """
    LearnersScreen {
        #learners-summary { height: auto; padding: 0 1; background: $boost; }
        #learners-search {
            height: 1; border: none; padding: 0 1; background: $boost;
            &:focus { background: $primary 25%; }
        }
        #learners-table {
            height: 1fr; border: round $primary 50%;
            border-title-color: $text-primary; border-subtitle-color: $text-muted;
        }
    }
    """

    rows: reactive[list[LearnerRead] | None] = reactive(None, init=False)
    """Every learner read for the actor, or None before the first read."""
    view: reactive[ListView] = reactive(ListView, init=False)
    """The filters and sort the list is shown with."""

    table = getters.query_one("#learners-table", LearnersTable)

    def compose_body(self) -> ComposeResult:
        """The week's summary, the search box and the list."""
        yield Static("Reading your learners…", id="learners-summary")
        yield Input(placeholder="/ to search by name, staff id or programme", id="learners-search")
        yield LearnersTable(id="learners-table")

    def on_mount(self) -> None:
        """Read the actor's learners; the dashboard does not follow the picked worker."""
        self.table.border_title = "Learners"
        self.table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        """Read again when coming back from a learner, whose record may have changed."""
        if self.rows is not None:
            self.action_reload()

    def action_reload(self) -> None:
        """Read the learners again."""
        ctx = self.context
        self.call_service("learners", learners, ctx.engine, ctx.actor, ctx.today, finished=True)

    def done_learners(self, found: list[LearnerRead]) -> None:
        """Keep what was read."""
        self.rows = found

    def watch_rows(self) -> None:
        """Summarise the week and fill the list."""
        self.query_one("#learners-summary", Static).update(week_summary(self.rows or [], self.context.today))
        self._fill()

    def watch_view(self) -> None:
        """Cut and order the list again."""
        self._fill()

    def _fill(self) -> None:
        read = self.rows or []
        everyone = read if self.view.finished else [learner for learner in read if not is_finished(learner)]
        visible = shown(everyone, self.view, self.context.today)
        self.table.show(visible, self.context.today)
        self.table.border_title = f"Learners ({len(visible)} of {len(everyone)})"
        hidden = len(read) - len(everyone)
        more = f" · a: {hidden} finished" if hidden else ""
        self.table.border_subtitle = f"{self.view.describe()}{more} · ⏎ opens"
        if self.rows is not None and not everyone:
            self.table.border_title = (
                "No current learners: a lists the finished ones" if read else "No learners are assigned to you"
            )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Open only with a learner highlighted; leave the search box only from it."""
        if action == "open":
            return self.table.current_id() is not None or None
        if action == "back_to_list":
            return isinstance(self.focused, Input)
        return True

    @on(DataTable.RowSelected, "#learners-table")
    def row_chosen(self) -> None:
        """Enter (or a click) on a row opens that learner."""
        self.action_open()

    def action_open(self) -> None:
        """Open the highlighted learner's record."""
        enrolment_id = self.table.current_id()
        if enrolment_id is not None:
            self.app.push_screen(LearnerScreen(self.context, enrolment_id))

    def action_search(self) -> None:
        """Move to the search box."""
        self.query_one("#learners-search", Input).focus()

    def action_back_to_list(self) -> None:
        """Leave the search box, keeping what was typed."""
        self.table.focus()

    @on(Input.Changed, "#learners-search")
    def search_changed(self, event: Input.Changed) -> None:
        """Filter as the user types."""
        self.view = replace(self.view, search=event.value)

    @on(Input.Submitted, "#learners-search")
    def search_submitted(self) -> None:
        """Enter in the search box goes back to the list."""
        self.table.focus()

    def action_toggle_finished(self) -> None:
        """List the finished learners too (after the current ones), or current learners only."""
        self.view = replace(self.view, finished=not self.view.finished)

    def action_cycle_kind(self) -> None:
        """Show the next kind of learner: all, apprentices, students, newly qualified."""
        self.view = replace(self.view, kind=_next([key for key, _, _ in KIND_FILTERS], self.view.kind))

    def action_cycle_rag(self) -> None:
        """Show the next RAG: any, red, amber, green, grey."""
        self.view = replace(self.view, rag=_next(list(RAG_FILTERS), self.view.rag))

    def action_sort(self, key: str) -> None:
        """Sort by `key`; the same key again reverses the order."""
        reverse = not self.view.reverse if self.view.sort == key else False
        self.view = replace(self.view, sort=key, reverse=reverse)
