"""A chart of an apprentice's verified off-the-job hours against the straight-line plan, week by week."""

from __future__ import annotations

from datetime import date, timedelta

from textual.reactive import reactive
from textual_plotext import PlotextPlot

Points = list[tuple[date, float, float | None]]
"""(week, verified hours so far, planned hours so far), as `hours_over_time` gives them."""
TICKS = 4
"""How many dates the x axis names."""


def weeks_between(start: date, day: date) -> float:
    """Weeks from `start` to `day`."""
    return (day - start).days / 7


class HoursChart(PlotextPlot):
    """Verified hours so far (a braille line) beside the plan from nothing at the start to the requirement at
    the planned end; a vertical line marks today."""

    DEFAULT_CSS = """
    HoursChart { height: 14; }
    """

    points: reactive[Points] = reactive(list, init=False)
    """The verified hours by week."""
    plan: reactive[tuple[date, date, float] | None] = reactive(None, init=False)
    """(start, planned end, hours required), or None when no requirement is known."""
    today: reactive[date | None] = reactive(None, init=False)

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if self.plan is None:
            plt.title("No off-the-job requirement to chart")
            self.refresh()
            return
        start, end, required = self.plan
        last = max([end, self.today or end, *(week for week, _, _ in self.points)])
        plt.plot([0, weeks_between(start, end)], [0, required], label="plan", marker="braille", color="blue")
        if self.points:
            xs = [0.0] + [weeks_between(start, week + timedelta(days=6)) for week, _, _ in self.points]
            ys = [0.0] + [verified for _, verified, _ in self.points]
            plt.plot(xs, ys, label="verified", marker="braille", color="green")
        if self.today is not None and start <= self.today <= last:
            plt.vline(weeks_between(start, self.today), color="red")
        span = weeks_between(start, last) or 1.0
        ticks = [span * index / (TICKS - 1) for index in range(TICKS)]
        plt.xticks(ticks, [f"{start + timedelta(weeks=tick):%b %Y}" for tick in ticks])
        plt.ylim(0, max([required, *(verified for _, verified, _ in self.points)]) * 1.05 or 1)
        self.refresh()

    def on_mount(self) -> None:
        """Draw what is known."""
        self._draw()

    def watch_points(self) -> None:
        """Draw the new hours."""
        self._draw()

    def watch_plan(self) -> None:
        """Draw the new plan."""
        self._draw()
