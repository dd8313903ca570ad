"""The learner view's tables: off-the-job entries (verified or waiting) and the reviews (due, held, signed)."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from progression.services.learner_records import OtjEntryRead, ReviewRead
from screens.widgets.learners_words import hours, short_date


def signed_cell(review: ReviewRead) -> Text:
    """'L✓ E✓ Ed✗': who signed the review."""
    text = Text()
    for label, signed in (
        ("L", review.learner_signed_on),
        ("E", review.employer_signed_on),
        ("Ed", review.educator_signed_on),
    ):
        if text:
            text.append(" ")
        text.append(label)
        text.append("✓" if signed else "✗", style="bold green" if signed else "bold red")
    return text


class EntriesTable(DataTable[Text | str]):
    """Off-the-job entries, newest first; the cursor stays on the same entry across reloads."""

    DEFAULT_CSS = """
    EntriesTable { height: auto; max-height: 12; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        """Make an empty table.

        Args:
            id: The DOM id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.entries: list[OtjEntryRead] = []

    def on_mount(self) -> None:
        """The columns."""
        self.add_column("Date", key="date", width=11)
        self.add_column("Hours", key="hours", width=6)
        self.add_column("Status", key="status", width=11)
        self.add_column("Activity", key="activity")

    def show(self, entries: list[OtjEntryRead]) -> None:
        """Fill the table, keeping the cursor where it was."""
        keep = self.current().id if self.current() else None
        self.entries = entries
        self.clear()
        for entry in entries:
            status = Text("✓ verified", style="green") if entry.verified else Text("◌ waiting", style="bold yellow")
            self.add_row(
                short_date(entry.day),
                Text(hours(entry.hours), justify="right"),
                status,
                Text(entry.activity, no_wrap=True, overflow="ellipsis"),
                key=str(entry.id),
            )
        if keep is not None:
            with contextlib.suppress(RowDoesNotExist):
                self.move_cursor(row=self.get_row_index(str(keep)), animate=False)

    def current(self) -> OtjEntryRead | None:
        """The entry under the cursor, or None."""
        if not self.row_count or not self.entries:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return next((entry for entry in self.entries if str(entry.id) == row_key.value), None)

    def unverified(self) -> list[int]:
        """The ids of every entry still waiting for verification."""
        return [entry.id for entry in self.entries if not entry.verified]


class ReviewsTable(DataTable[Text | str]):
    """Reviews in date order: when due, when held, who signed, the outcome."""

    DEFAULT_CSS = """
    ReviewsTable { height: auto; max-height: 10; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        """Make an empty table.

        Args:
            id: The DOM id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """The columns."""
        self.add_column("Due", key="due", width=11)
        self.add_column("Held", key="held", width=11)
        self.add_column("Signed", key="signed", width=10)
        self.add_column("Outcome", key="outcome")

    def show(self, reviews: list[ReviewRead]) -> None:
        """Fill the table, the latest review last and under the cursor."""
        self.clear()
        for review in reviews:
            held = Text(short_date(review.held_on)) if review.held_on else Text("not yet", style="dim")
            self.add_row(
                short_date(review.due_on),
                held,
                signed_cell(review) if review.held_on else Text(""),
                Text(review.outcome or review.notes or "", no_wrap=True, overflow="ellipsis"),
                key=str(review.id),
            )
        if reviews:
            self.move_cursor(row=len(reviews) - 1, animate=False)
