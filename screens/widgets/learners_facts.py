"""The learner view's facts: who, which programme, the dates and the status history; a newly qualified year."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from progression.engine.reviews import FINISHED
from progression.services.learner_records import LearnerRecord
from progression.services.learners import LearnerRead
from screens.widgets.learners_words import STATUS_WORDS, rag_cell, short_date, text_bar, yes_no

PROGRAMME_WORDS = {
    "asye": "ASYE (assessed and supported year in employment)",
    "ecdp": "ECDP (early career development programme)",
    "placement": "Academy placement (social work degree)",
}


def programme_title(learner: LearnerRead) -> str:
    """The programme in words: 'ST0510 apprenticeship', 'ASYE (…)'."""
    return PROGRAMME_WORDS.get(learner.programme, f"{learner.programme} apprenticeship")


class LearnerFacts(Static):
    """The programme, start and (break-adjusted) planned end, the status and its dated history."""

    learner: reactive[LearnerRead | None] = reactive(None, layout=True)
    record: reactive[LearnerRecord | None] = reactive(None, layout=True)
    empty: reactive[str] = reactive("Reading the learner's record…", layout=True)
    """What the panel says while there is nothing to show (reading, or refused)."""

    def render(self) -> Text:
        """The facts, a few lines."""
        learner, record = self.learner, self.record
        if learner is None or record is None:
            return Text(self.empty, style="dim")
        text = Text.assemble(
            (programme_title(learner), "bold"),
            f" · educator {learner.educator or 'none'}\n",
            "Started ",
            (short_date(learner.start), "bold"),
            " · planned end ",
            (short_date(learner.planned_end), "bold"),
        )
        if record.planned_end and learner.planned_end and learner.planned_end != record.planned_end:
            text.append(f" (moved from {short_date(record.planned_end)} by breaks in learning)", style="italic")
        text.append("\nStatus ")
        text.append(STATUS_WORDS.get(learner.status, learner.status), style="bold")
        changes = record.status_changes
        if changes:
            text.append(f" since {short_date(changes[-1].day)}")
        text.append("  ")
        text.append_text(rag_cell(learner.rag, self.app.theme_variables))
        for change in changes:
            note = f" — {change.note}" if change.note else ""
            text.append(
                f"\n  {short_date(change.day)}: {STATUS_WORDS.get(change.status, change.status)}{note}",
                style="dim" if change is not changes[-1] else "",
            )
        return text


class FirstYearPanel(Static):
    """A newly qualified worker's assessed year: how far through, next review, protected time, caseload."""

    learner: reactive[LearnerRead | None] = reactive(None, layout=True)
    today: reactive[date | None] = reactive(None)

    def render(self) -> Text:
        """The year's figures, one a line."""
        learner, today = self.learner, self.today
        if learner is None or today is None:
            return Text("")
        text = Text()

        def line(label: str) -> None:
            text.append(("\n" if text else "") + f"{label:<16}", style="dim")

        if learner.planned_end and learner.planned_end > learner.start:
            span = (learner.planned_end - learner.start).days
            done = min(max((today - learner.start).days / span, 0.0), 1.0)
            line("Programme")
            text.append(f"{text_bar(done, 16)} {done:.0%} through, ends {short_date(learner.planned_end)}")
        line("Next review")
        if learner.next_review_due:
            overdue = learner.review_overdue
            text.append(short_date(learner.next_review_due), style="bold red" if overdue else "bold")
            if overdue:
                text.append(" — overdue", style="bold red")
        else:
            text.append("none: the programme has ended" if learner.status in FINISHED else "none due")
        protected = learner.protected_time_percent
        line("Protected time")
        if learner.status in FINISHED:
            text.append("ended with the programme", style="dim")
        else:
            text.append(f"{protected:g}% of the week" if protected is not None else "not set", style="bold")
        line("Caseload")
        if learner.caseload is None:
            text.append("no count recorded", style="dim")
        else:
            cap = learner.caseload_cap
            text.append(f"{learner.caseload} cases", style="bold")
            if cap is None and learner.status in FINISHED:
                text.append(" (the reduced cap ended with the programme)", style="dim")
            if cap is not None:
                text.append(f" against a reduced cap of {cap} ")
                text.append_text(yes_no(learner.caseload <= cap))
                if learner.caseload > cap:
                    text.append(f" {learner.caseload - cap} over", style="bold red")
        return text
