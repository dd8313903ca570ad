"""The learners list: one row per learner, columns chosen for the width, the cursor kept across reloads."""

from __future__ import annotations

import contextlib
from datetime import date

from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from progression.services.learners import LearnerRead
from screens.safe import cell
from screens.widgets.learners_words import (
    KIND_WORDS,
    STATUS_WORDS,
    progress_cell,
    rag_cell,
    review_cell,
    short_date,
)

COLUMNS = {
    "programme": ("Programme", 9),
    "kind": ("Kind", 11),
    "status": ("Status", 10),
    "rag": ("RAG", 9),
    "review": ("Next review", 13),
    "progress": ("Progress", 19),
    "forecast": ("OTJ forecast", 12),
    "end": ("Planned end", 11),
}
"""Each column's heading and width (the name takes what is left)."""
MODES = (
    (130, ("programme", "kind", "status", "rag", "review", "progress", "forecast", "end")),
    (110, ("programme", "kind", "status", "rag", "review", "progress", "forecast")),
    (90, ("programme", "status", "rag", "review", "progress", "forecast")),
    (0, ("status", "rag", "review", "progress")),
)
"""From which width each set of columns is shown."""
NAME_MOST = 30
"""The name column grows to this width; room beyond it lengthens the progress bars."""
BAR = 8
"""The progress bar's shortest length."""


def programme_words(learner: LearnerRead) -> str:
    """A programme as people name it: ST0510, placement, ASYE, ECDP."""
    return learner.programme.upper() if learner.kind in ("asye", "ecdp") else learner.programme


def forecast_words(learner: LearnerRead) -> Text:
    """When an apprentice will reach the required hours at their recent rate; blank for other learners."""
    if learner.kind != "apprenticeship":
        return Text("")
    required, verified = learner.otj_hours_required, learner.otj_hours_verified or 0.0
    if required and verified >= required:
        return Text("reached", style="bold")
    return Text(short_date(learner.otj_forecast_on)) if learner.otj_forecast_on else Text("no pace yet", style="dim")


class LearnersTable(DataTable[Text | str]):
    """The educator's learners; `show` fills it, keeping the cursor on the same enrolment."""

    DEFAULT_CSS = """
    LearnersTable { scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        """Make an empty list.

        Args:
            id: The DOM id.
        """
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.learners: list[LearnerRead] = []
        self.today: date | None = None
        self._columns: tuple[str, ...] = ()
        self.bar = BAR
        """The progress bars' length at the current width."""

    def show(self, learners: list[LearnerRead], today: date) -> None:
        """Fill the list in the given order, keeping the cursor on the enrolment it was on."""
        keep = self.current_id()
        self.learners, self.today = learners, today
        width = self.scrollable_content_region.width or 96
        columns = next(names for least, names in MODES if width >= least)
        fixed = sum(COLUMNS[name][1] + 2 for name in columns)
        name_width = max(12, width - fixed - 2)
        self.bar = BAR + max(0, min(name_width - NAME_MOST, 24))
        self.clear(columns=columns != self._columns)
        if columns != self._columns:
            self._columns = columns
            self.add_column("Name", key="name", width=name_width - (self.bar - BAR))
            for name in columns:
                heading, column_width = COLUMNS[name]
                self.add_column(heading, key=name, width=column_width + (self.bar - BAR if name == "progress" else 0))
        variables = self.app.theme_variables
        for learner in learners:
            cells: dict[str, Text | str] = {
                "programme": programme_words(learner),
                "kind": KIND_WORDS.get(learner.kind, learner.kind),
                "status": STATUS_WORDS.get(learner.status, learner.status),
                "rag": rag_cell(learner.rag, variables),
                "review": review_cell(learner, today, variables),
                "progress": progress_cell(learner, today, self.bar),
                "forecast": forecast_words(learner),
                "end": short_date(learner.planned_end),
            }
            name = cell(learner.name, no_wrap=True, overflow="ellipsis")
            shown = [cell(cells[c]) if isinstance(cells[c], str) else cells[c] for c in columns]
            self.add_row(name, *shown, key=str(learner.enrolment_id))
        if keep is not None:
            with contextlib.suppress(RowDoesNotExist):
                self.move_cursor(row=self.get_row_index(str(keep)), animate=False)

    def current_id(self) -> int | None:
        """The enrolment id of the row under the cursor, or None."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    def on_resize(self, event: events.Resize) -> None:
        """Choose the columns again for the new width."""
        if self.today is not None:
            self._columns = ()
            self.show(self.learners, self.today)
