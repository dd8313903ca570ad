"""An apprentice's off-the-job hours against the rule of their start date, and their gateway checklist."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import ProgressBar, Static

from progression.services.learner_records import LearnerRecord
from progression.services.learners import LearnerRead
from screens.widgets.learners_words import hours, rag_cell, short_date, yes_no


def otj_lines(learner: LearnerRead, record: LearnerRecord | None, rule_title: str) -> tuple[Text, Text]:
    """What goes above the bar (the rule and how the requirement was worked out) and below it (pace)."""
    above = Text.assemble(("Rule  ", "dim"), (rule_title or learner.otj_rule or "unknown", "bold"))
    above.append("\n")
    above.append("Needs ", style="dim")
    above.append(f"{hours(learner.otj_hours_required)} hours", style="bold")
    if learner.otj_explanation:
        above.append(f": {learner.otj_explanation}")
    waiting = sum(entry.hours for entry in record.entries if not entry.verified) if record else 0.0
    below = Text.assemble(
        ("Verified ", "dim"),
        (f"{hours(learner.otj_hours_verified or 0)}", "bold"),
        f" of {hours(learner.otj_hours_required)} hours",
    )
    if waiting:
        below.append(f" · {hours(waiting)} waiting for verification", style="italic")
    below.append("\n")
    required, verified = learner.otj_hours_required, learner.otj_hours_verified or 0.0
    if required and verified >= required:
        below.append("Forecast ", style="dim")
        below.append("the required hours are reached", style="bold")
    else:
        below.append("Forecast ", style="dim")
        below.append(
            f"reaches them on {short_date(learner.otj_forecast_on)} at the recent rate"
            if learner.otj_forecast_on
            else "no recent verified hours to set a pace",
            style="bold",
        )
        if learner.otj_hours_per_week_needed is not None:
            below.append(f"\nTo finish by {short_date(learner.planned_end)}: ", style="dim")
            below.append(f"{learner.otj_hours_per_week_needed:.1f} hours a week", style="bold")
    return above, below


class OtjPanel(Vertical):
    """The rule and requirement, verified of required hours as a bar, RAG, forecast and weekly hours needed."""

    DEFAULT_CSS = """
    OtjPanel {
        height: auto;
        & > Static { height: auto; }
        & > #otj-progress { margin: 1 0 0 0; height: 1; }
        & #otj-progress Bar { width: 1fr; }
    }
    """

    learner: reactive[LearnerRead | None] = reactive(None)
    record: reactive[LearnerRecord | None] = reactive(None)
    rule_title: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        """The lines above the bar, the bar, the lines below."""
        yield Static("", id="otj-rule")
        yield ProgressBar(show_eta=False, id="otj-progress")
        yield Static("", id="otj-pace")

    def _draw(self) -> None:
        learner = self.learner
        if learner is None or learner.kind != "apprenticeship" or not self.is_mounted:
            return
        above, below = otj_lines(learner, self.record, self.rule_title)
        self.query_one("#otj-rule", Static).update(above)
        rag = Text.assemble("RAG ", rag_cell(learner.rag, self.app.theme_variables), "  ")
        self.query_one("#otj-pace", Static).update(rag + below)
        bar = self.query_one("#otj-progress", ProgressBar)
        required = learner.otj_hours_required or 0.0
        bar.update(total=required or None, progress=min(learner.otj_hours_verified or 0.0, required))

    def on_mount(self) -> None:
        """Draw what is known."""
        self._draw()

    def watch_learner(self) -> None:
        """Draw the new figures."""
        self._draw()

    def watch_record(self) -> None:
        """Count the hours waiting for verification again."""
        self._draw()

    def watch_rule_title(self) -> None:
        """Name the rule."""
        self._draw()


class GatewayPanel(Static):
    """Each gateway condition with ✓ or ✗ and its detail."""

    learner: reactive[LearnerRead | None] = reactive(None, layout=True)

    def render(self) -> Text:
        """Ready or not, then each item."""
        learner = self.learner
        if learner is None or learner.gateway is None:
            return Text("")
        ready = learner.gateway_ready
        text = Text.assemble(("Ready for gateway " if ready else "Not ready for gateway ", "bold"), yes_no(ready))
        for item, met, detail in learner.gateway:
            text.append("\n")
            text.append_text(yes_no(met))
            text.append(f" {item}", style="bold")
            text.append(f" — {detail}", style="dim" if met else "")
        return text
