"""A student's placement: days against the 200-day rule, skills days, settings, statutory tasks, final educator."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.learner_records import LearnerRecord
from progression.services.learners import LearnerRead
from screens.widgets.learners_words import short_date, text_bar, yes_no

FINAL_EDUCATOR_PROBLEM = "stage 2"
"""How the placement rule's problem about the final placement's educator can be recognised."""


def bar_line(label: str, done: int, of: int | None, width: int, *, cap: bool = False) -> Text:
    """'All days  ██████░░░░ 59 of 200'; with `cap`, 'of at most 30'."""
    text = Text(f"{label:<10}", style="dim")
    if of:
        text.append(text_bar(done / of, width), style="bold" if done >= of else "")
        text.append(f" {done} of {'at most ' if cap else ''}{of}")
    else:
        text.append(str(done))
    return text


class PlacementPanel(Static):
    """Draws the placement's figures and checks; the bars stretch to the panel's width."""

    learner: reactive[LearnerRead | None] = reactive(None, layout=True)
    record: reactive[LearnerRecord | None] = reactive(None, layout=True)
    max_skills: reactive[int | None] = reactive(None)

    def render(self) -> Text:
        """Days and skills days as bars, then settings and the checks, then any problems."""
        learner, record = self.learner, self.record
        if learner is None or record is None or learner.kind != "placement":
            return Text("")
        width = max(10, min(40, self.content_size.width - 22))
        placement, skills = learner.placement_days or 0, learner.skills_days or 0
        counted_skills = min(skills, self.max_skills) if self.max_skills is not None else skills
        text = bar_line("All days", placement + counted_skills, learner.placement_days_required, width)
        text.append("\n")
        text.append_text(bar_line("Skills", skills, self.max_skills, width, cap=True))
        text.append(f"\n{'':<10}{placement} days in settings")
        last = record.placement_days[-1] if record.placement_days else None
        if last:
            text.append(f", last logged {short_date(last[0])} ({last[1]})", style="dim")
        text.append("\n\nTwo contrasting settings ")
        text.append_text(yes_no(learner.contrasting_settings))
        for setting, kind, statutory, final in record.settings:
            text.append(f"\n  • {setting}", style="bold")
            text.append(f" ({kind or 'kind not given'})" + (" · final" if final else ""), style="dim")
            if statutory:
                text.append(" · statutory tasks", style="dim")
        if not record.settings:
            text.append("\n  no settings recorded yet", style="dim")
        text.append("\nStatutory tasks with legal interventions ")
        text.append_text(yes_no(learner.statutory_tasks_done))
        problems = learner.placement_problems or []
        final_problem = next((p for p in problems if FINAL_EDUCATOR_PROBLEM in p), None)
        has_final = any(final for *_, final in record.settings)
        text.append("\nFinal placement's educator at PEPS stage 2 ")
        text.append_text(yes_no(None if not has_final else final_problem is None))
        if not has_final:
            text.append(" (no final placement yet)", style="dim")
        for problem in problems:
            text.append(f"\n⚠ {problem}", style="bold red")
        return text
