"""The workforce view's pieces: headcount tables, the chart of who becomes eligible when, and payment costs."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import DataTable
from textual_plotext import PlotextPlot

from progression.services.workforce import EligibleMonth, Headcount, WorkforceReport
from screens.safe import cell
from screens.widgets.manager_team import abbreviated


def money(amount: float) -> str:
    """'£8,000', '£31,482.50'."""
    return f"£{amount:,.0f}" if float(amount).is_integer() else f"£{amount:,.2f}"


def month_label(month: str) -> str:
    """'2027-01' → 'Jan 2027'."""
    return f"{date.fromisoformat(month + '-01'):%b %Y}"


def fill_headcount(
    table: DataTable[object], rows: list[Headcount], heading: str, titles: dict[str, str] | None = None
) -> None:
    """One row per role, route or area with its headcount and FTE, and a total row.

    Args:
        table: The table to fill.
        rows: The figures.
        heading: The first column's heading.
        titles: Better titles by key than the figures carry (a route's title for its key).
    """
    table.clear(columns=True)
    titles = titles or {}
    rows = [h.model_copy(update={"title": titles.get(h.key, h.title)}) for h in rows]
    widest = max([len(heading), *(len(h.title) for h in rows)])
    room = table.scrollable_content_region.width - 6 * 3 if table.size.width else widest
    table.add_column(heading, width=max(8, min(widest, room)))
    table.add_column(Text("People", justify="right"), width=6)
    table.add_column(Text("FTE", justify="right"), width=6)
    for h in rows:
        table.add_row(
            Text(h.title, no_wrap=True, overflow="ellipsis"),
            Text(str(h.headcount), justify="right"),
            Text(f"{h.fte:g}", justify="right"),
            key=h.key,
        )
    total_fte = round(sum(h.fte for h in rows), 1)
    table.add_row(
        Text("Total", style="bold"),
        Text(str(sum(h.headcount for h in rows)), style="bold", justify="right"),
        Text(f"{total_fte:g}", style="bold", justify="right"),
        key="-total",
    )


def step_words(step: str, roles: dict[str, str]) -> str:
    """'nqsw → social-worker-1' as 'Newly qualified SW → SW L1'."""
    return " → ".join(abbreviated(roles.get(key, key)) for key in step.split(" → "))


def fill_steps(table: DataTable[object], months: list[EligibleMonth], roles: dict[str, str]) -> None:
    """Every step workers become ready for, month by month, the roles named by their titles."""
    table.clear(columns=True)
    table.add_column("Month", width=8)
    table.add_column("Step")
    table.add_column(Text("People", justify="right"), width=6)
    for month in months:
        for number, (step, count) in enumerate(month.steps.items()):
            label = month_label(month.month) if number == 0 else ""
            table.add_row(label, cell(step_words(step, roles)), Text(str(count), justify="right"))
    if not any(month.steps for month in months):
        table.add_row("", "Nobody becomes eligible for a step in the next twelve months", "")


def fill_costs(table: DataTable[object], report: WorkforceReport) -> None:
    """Retention payments and market supplements in the next financial year, and their total."""
    table.clear(columns=True)
    table.add_column(f"Payments in {report.financial_year}")
    table.add_column(Text("People", justify="right"), width=6)
    table.add_column(Text("Cost", justify="right"), width=12)
    for name, cost in (
        ("Retention payments", report.retention_payments),
        ("Market supplements", report.market_supplements),
    ):
        table.add_row(name, Text(str(cost.count), justify="right"), Text(money(cost.amount), justify="right"))
    table.add_row(Text("Total", style="bold"), "", Text(money(report.payments_total), style="bold", justify="right"))


class EligibleChart(PlotextPlot):
    """A bar for each of the next twelve months: how many workers become ready for a next step in it."""

    DEFAULT_CSS = """
    EligibleChart { min-height: 8; }
    """

    months: reactive[list[EligibleMonth]] = reactive(list, init=False)
    """The twelve months to draw."""

    def watch_months(self, months: list[EligibleMonth]) -> None:
        """Draw the bars again."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if months:
            first, last = month_label(months[0].month), month_label(months[-1].month)
            labels = [f"{date.fromisoformat(m.month + '-01'):%b}" for m in months]
            totals = [m.total for m in months]
            plt.bar(labels, totals, color="cyan", width=0.6)
            plt.title(f"Becoming eligible for a next step, {first} to {last}")
            highest = max(totals)
            step = max(1, (highest + 3) // 4)
            plt.yticks(list(range(0, highest + step, step)))
            plt.ylim(0, max(1, highest))
        self.refresh()
