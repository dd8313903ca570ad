"""The workforce view: headcount and FTE, who becomes eligible when, payment costs, and the DfE benchmark."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tabs

from progression.errors import ProgressionError
from progression.services.benchmark import Benchmark
from progression.services.council import RouteMap, route_map
from progression.services.tables_out import write_tables
from progression.services.workforce import WorkforceReport, workforce_report, workforce_sheets
from screens.context import UiContext
from screens.record_screen import RecordScreen
from screens.safe import plain
from screens.widgets.manager_benchmark import BenchmarkAsked, BenchmarkPanel, lookup
from screens.widgets.manager_export import ExportModal
from screens.widgets.manager_workforce import EligibleChart, fill_costs, fill_headcount, fill_steps, money

TABS = {"headcount": "Headcount", "eligible": "Eligible", "costs": "Costs", "benchmark": "DfE benchmark"}
"""The view's tabs: id and title."""


class WorkforceScreen(RecordScreen):
    """The council's workforce picture (a manager: the workers they may see), and how it compares nationally."""

    HELP = (
        "The workforce: headcount and FTE by role, route and area; a chart of how many workers become ready for a "
        "next step in each of the next twelve months, with the steps; what retention payments and market "
        "supplements will cost in the next financial year; and the DfE's published workforce indicators for any "
        "council beside its region and England (a value the DfE suppresses is shown as suppressed, never as 0). "
        "Export writes every table to a .csv or .xlsx file."
    )

    BINDING_GROUP_TITLE = "Workforce"

    BINDINGS = [
        Binding("h", "show_tab('headcount')", "Headcount", id="workforce-headcount", tooltip="Headcount and FTE"),
        Binding(
            "e",
            "show_tab('eligible')",
            "Eligible",
            id="workforce-eligible",
            tooltip="Who becomes eligible for a next step, month by month",
        ),
        Binding(
            "c",
            "show_tab('costs')",
            "Costs",
            id="workforce-costs",
            tooltip="Retention payments and market supplements next financial year",
        ),
        Binding(
            "b",
            "show_tab('benchmark')",
            "Benchmark",
            id="workforce-benchmark",
            tooltip="Compare a council with its region and England",
        ),
        Binding("x", "export", "Export", id="workforce-export", tooltip="Write the workforce tables to a file"),
        Binding("escape", "leave_input", "Leave the box", show=False, tooltip="Back to the tabs from a box"),
    ]

    DEFAULT_CSS = """
    WorkforceScreen {
        #workforce-summary { padding: 0 1; color: $text-muted; }
        #workforce-tabs { height: 1fr; }
        TabPane { padding: 0; height: 1fr; }
        DataTable { scrollbar-size-vertical: 1; }
        #headcount-grid { grid-size: 2 2; grid-columns: 3fr 2fr; grid-gutter: 0 1; height: 1fr; }
        #by-role { row-span: 2; }
        .workforce-table { height: 1fr; border: round $primary 50%; border-title-color: $text-primary; }
        #eligible-body { height: 1fr; }
        #eligible-chart { height: 1fr; }
        #eligible-steps { height: 2fr; }
        #costs-table { height: auto; }
        #costs-note { padding: 1 1 0 1; color: $text-muted; }
        &.-wide #eligible-body { layout: horizontal; }
        &.-wide #eligible-chart { width: 3fr; }
        &.-wide #eligible-steps { width: 2fr; height: 1fr; }
        &.-wide #headcount-grid { grid-size: 3 1; grid-columns: 1fr 1fr 1fr; }
        &.-wide #by-role { row-span: 1; }
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]

    def __init__(self, context: UiContext) -> None:
        """Prepare the screen.

        Args:
            context: The database, actor and date every service call uses.
        """
        super().__init__(context)
        self.report: WorkforceReport | None = None
        """The figures read, once read."""
        self.roles: dict[str, str] = {}
        """Role titles by key."""
        self.routes: dict[str, str] = {}
        """Route titles by key."""

    def compose_body(self) -> ComposeResult:
        """The summary, then a tab each for headcount, eligibility, costs and the benchmark."""
        yield Static("Reading the workforce…", id="workforce-summary")
        with TabbedContent(id="workforce-tabs", initial="headcount"):
            with TabPane(TABS["headcount"], id="headcount"), Grid(id="headcount-grid"):
                for key in ("by-role", "by-route", "by-area"):
                    yield DataTable(id=key, cursor_type="row", zebra_stripes=True, classes="workforce-table")
            with TabPane(TABS["eligible"], id="eligible"), Vertical(id="eligible-body"):
                yield EligibleChart(id="eligible-chart")
                yield DataTable(id="eligible-steps", cursor_type="row", zebra_stripes=True, classes="workforce-table")
            with TabPane(TABS["costs"], id="costs"), Vertical():
                yield DataTable(id="costs-table", cursor_type="row", classes="workforce-table")
                yield Static(id="costs-note")
            with TabPane(TABS["benchmark"], id="benchmark"):
                yield BenchmarkPanel(id="benchmark-panel")

    def on_mount(self) -> None:
        """Title the tables and read the figures (the actor's workforce, whoever the picked worker is)."""
        titles = {
            "by-role": "By role",
            "by-route": "By route",
            "by-area": "By area",
            "eligible-steps": "Steps by month",
            "costs-table": "Next financial year",
        }
        for key, title in titles.items():
            self.query_one(f"#{key}", DataTable).border_title = plain(title)
        self.action_reload()

    def action_reload(self) -> None:
        """Read the figures again, and the council's role and route titles to name them by."""
        ctx = self.context

        def read() -> tuple[WorkforceReport, RouteMap]:
            return workforce_report(ctx.engine, ctx.actor, ctx.today), route_map(ctx.engine, ctx.actor)

        self.call_service("report", read)

    def done_report(self, answer: tuple[WorkforceReport, RouteMap]) -> None:
        """Show the figures read."""
        self.report, council = answer
        self.roles = {role.key: role.title for route in council.routes for role in route.roles}
        self.routes = {route.key: route.title for route in council.routes}
        self.fill()

    def on_resize(self) -> None:
        """Fit the tables to the new width."""
        self.call_after_refresh(self.fill)

    @on(TabbedContent.TabActivated)
    def _tab_shown(self) -> None:
        self.call_after_refresh(self.fill)

    def fill(self) -> None:
        """Draw the figures: the summary, headcount, the chart and steps, and the costs."""
        report, roles, routes = self.report, self.roles, self.routes
        if report is None:
            return
        self.query_one("#workforce-summary", Static).update(
            f"{report.headcount} people · {report.fte:g} FTE · {report.ready_now} ready for a step now · "
            f"{report.financial_year} payments {money(report.payments_total)}"
        )
        fill_headcount(self.query_one("#by-role", DataTable), report.by_role, "Role")
        fill_headcount(self.query_one("#by-route", DataTable), report.by_route, "Route", routes)
        fill_headcount(self.query_one("#by-area", DataTable), report.by_area, "Area")
        self.query_one(EligibleChart).months = report.eligible_next_12_months
        fill_steps(self.query_one("#eligible-steps", DataTable), report.eligible_next_12_months, roles)
        fill_costs(self.query_one("#costs-table", DataTable), report)
        self.query_one("#costs-note", Static).update(
            f"The financial year {report.financial_year} runs from April to March. Retention payments count those "
            "falling due in it; market supplements count every worker in a role that carries one, by their FTE."
        )

    @on(BenchmarkAsked)
    def _benchmark_asked(self, message: BenchmarkAsked) -> None:
        self.call_service("benchmark", lookup, message.la, message.year)

    def done_benchmark(self, answer: Benchmark | ProgressionError) -> None:
        """Show the indicators found, or why there are none."""
        panel = self.query_one(BenchmarkPanel)
        if isinstance(answer, ProgressionError):
            panel.show_problem(str(answer))
        else:
            panel.result = answer

    def action_show_tab(self, tab: str) -> None:
        """Show one tab."""
        self.query_one(TabbedContent).active = tab
        if tab == "benchmark":
            self.query_one("#benchmark-la").focus()

    def action_leave_input(self) -> None:
        """Move focus from a box to the tabs, so the keys work again."""
        self.query_one(TabbedContent).query_one(Tabs).focus()

    def action_export(self) -> None:
        """Ask where, then write every workforce table."""
        report = self.report
        if report is None:
            self.notify("The figures are still being read.", title="Nothing to export yet")
            return

        def write(path: Path) -> Path:
            return write_tables(path, workforce_sheets(report))

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"The workforce tables are written to {path}", title="Workforce exported")

        self.app.push_screen(
            ExportModal("the workforce tables", f"workforce-{self.context.today}.xlsx", write), written
        )
