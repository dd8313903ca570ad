"""The learner view's tables: off-the-job entries (verified or waiting), the reviews (due, held or draft, signed) and
a student's placement days."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from progression.services.learner_records import OtjEntryRead, PlacementDayRead, ReviewRead
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


STATE_CELLS = {
    "held": ("✓ held", "green"),
    "draft": ("✎ draft", "bold yellow"),
    "scheduled": ("◌ to hold", "dim"),
}
"""How each state of a review shows in the table."""


def review_key(review: ReviewRead) -> str:
    """The table's key for a review: its id, or its kind while nothing is recorded against it."""
    return str(review.id) if review.id is not None else f"kind:{review.kind}"


class ReviewsTable(DataTable[Text | str]):
    """The review schedule in date order: when due, when held, held or draft or still to hold, who signed, what
    it is and its outcome. The next review (the one the learners list gives) is marked."""

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
        self.reviews: list[ReviewRead] = []

    def on_mount(self) -> None:
        """The columns."""
        self.add_column("Due", key="due", width=11)
        self.add_column("Held", key="held", width=11)
        self.add_column("State", key="state", width=10)
        self.add_column("Signed", key="signed", width=10)
        self.add_column("Review · outcome", key="outcome")

    def show(self, reviews: list[ReviewRead], next_review: ReviewRead | None = None, ended: bool = False) -> None:
        """Fill the table; the cursor on the next review (else the latest), or where it was. Once the programme
        has `ended`, a review never recorded is 'not held' rather than still to hold."""
        keep = self.current()
        self.reviews = reviews
        self.clear()
        for review in reviews:
            held = Text(short_date(review.held_on)) if review.held_on else Text("—", style="dim")
            words, style = STATE_CELLS.get(review.state, (review.state, ""))
            if ended and review.state == "scheduled":
                words = "– not held"
            is_next = next_review is not None and review_key(review) == review_key(next_review)
            mark = "✎" if review.state == "draft" else "◌"
            state = Text(f"{mark} next", style="bold") if is_next else Text(words, style=style)
            what = review.title + (" (optional)" if review.optional else "")
            found = review.outcome or review.notes
            self.add_row(
                short_date(review.due_on),
                held,
                state,
                signed_cell(review) if review.held_on else Text(""),
                Text(f"{what} · {found}" if found else what, no_wrap=True, overflow="ellipsis"),
                key=review_key(review),
            )
        target = keep or next_review
        if target is not None:
            with contextlib.suppress(RowDoesNotExist):
                self.move_cursor(row=self.get_row_index(review_key(target)), animate=False)
                return
        if reviews:
            self.move_cursor(row=len(reviews) - 1, animate=False)

    def current(self) -> ReviewRead | None:
        """The review under the cursor, or None."""
        if not self.row_count or not self.reviews:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return next((review for review in self.reviews if review_key(review) == row_key.value), None)


class DaysTable(DataTable[Text | str]):
    """A student's placement and skills days, the latest first."""

    DEFAULT_CSS = """
    DaysTable { height: auto; max-height: 10; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        """Make an empty table.

        Args:
            id: The DOM id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.days: list[PlacementDayRead] = []

    def on_mount(self) -> None:
        """The columns."""
        self.add_column("Date", key="date", width=11)
        self.add_column("Kind", key="kind")

    def show(self, days: list[PlacementDayRead]) -> None:
        """Fill the table, the latest day first, keeping the cursor on the same day."""
        keep = self.current()
        self.days = sorted(days, key=lambda d: d.day, reverse=True)
        self.clear()
        for day in self.days:
            self.add_row(short_date(day.day), Text(f"{day.kind} day"), key=str(day.id))
        if keep is not None:
            with contextlib.suppress(RowDoesNotExist):
                self.move_cursor(row=self.get_row_index(str(keep.id)), animate=False)

    def current(self) -> PlacementDayRead | None:
        """The day under the cursor, or None."""
        if not self.row_count or not self.days:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return next((day for day in self.days if str(day.id) == row_key.value), None)
