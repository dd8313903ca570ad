"""The learner view's dialogs for the record: logging off-the-job hours and recording a review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Label

from progression.fields import column_limit
from progression.models import Review
from progression.services.learner_records import OtjEntryRead, ReviewRead
from screens.widgets.form import FormField, check_all
from screens.widgets.form_dialog import SavingFormModal

MOST_HOURS_A_DAY = 24


@dataclass(frozen=True)
class OtjInput:
    """Off-the-job hours as typed: the day, how many hours, what the activity was."""

    day: date
    hours: float
    activity: str


@dataclass(frozen=True)
class ReviewInput:
    """A review as typed: when it was held, what it found, its outcome and who signed it."""

    held_on: date
    notes: str
    outcome: str
    learner_signed: bool
    employer_signed: bool
    educator_signed: bool


def check_day(field: FormField, today: date, start: date | None, what: str) -> date | None:
    """The date in `field` if it is a date, not in the future and not before `start`; else show why, None."""
    if not field.check():
        return None
    day = field.date_value
    if day is None:
        return None
    if day > today:
        field.show_error(f"{day} is in the future (today is {today})")
        return None
    if start is not None and day < start:
        field.show_error(f"{day} is before the {what} started on {start}")
        return None
    return day


class OtjEntryModal(SavingFormModal[OtjEntryRead | None]):
    """Log off-the-job hours; dismisses with the saved entry, or None when cancelled."""

    HELP = (
        "Off-the-job training: the day, the hours (more than 0, at most 24 in a day with what is already logged) "
        "and what the learning was. Hours count once the educator verifies them; an educator's own entries count "
        "at once. Ctrl+S saves; Escape cancels."
    )

    FIELD_IDS = {"date": "otj-day", "hours": "otj-hours", "activity": "otj-activity"}

    form_title = "Log off-the-job hours"

    def __init__(self, save: Callable[[OtjInput], OtjEntryRead], today: date, start: date | None) -> None:
        """Prepare the dialog.

        Args:
            save: Logs the hours through the learner records service.
            today: The date taken as today; hours may not be logged later.
            start: The apprenticeship's start; hours may not be logged earlier.
        """
        super().__init__(save)
        self.today, self.start = today, start

    def compose_fields(self) -> ComposeResult:
        """Date and hours side by side, then the activity."""
        with Horizontal(classes="form-row"):
            yield FormField("Date", kind="date", required=True, value=self.today.isoformat(), id="otj-day")
            yield FormField("Hours", kind="number", required=True, placeholder="e.g. 3.5", id="otj-hours")
        yield FormField(
            "Activity", required=True, placeholder="e.g. university teaching day, shadowing, study", id="otj-activity"
        )

    def on_mount(self) -> None:
        """Start in the hours."""
        self.query_one("#otj-hours-input").focus()

    def collect(self) -> OtjInput | None:
        """Check the date, the hours (a number above 0, at most 24) and the activity, in place."""
        day_field = self.query_one("#otj-day", FormField)
        hours_field = self.query_one("#otj-hours", FormField)
        activity = self.query_one("#otj-activity", FormField)
        valid = check_all(day_field, hours_field, activity)
        day = check_day(day_field, self.today, self.start, "apprenticeship")
        hours = hours_field.number_value if hours_field.check() else None
        if hours is not None and not 0 < hours <= MOST_HOURS_A_DAY:
            hours_field.show_error(f"At most {MOST_HOURS_A_DAY} in a day" if hours > 0 else "Must be more than 0")
            hours = None
        if not valid or day is None or hours is None:
            return None
        return OtjInput(day=day, hours=hours, activity=activity.text)


class ReviewModal(SavingFormModal[ReviewRead | None]):
    """Record a review held; dismisses with the saved review, or None when cancelled."""

    HELP = (
        "A review held with the learner: the day, what it found, its outcome (on track, concerns, action plan…) "
        "and who signed it. An apprenticeship progress review is three-way: the learner, the employer and the "
        "educator each sign. It completes the earliest review still due. Ctrl+S saves; Escape cancels."
    )

    FIELD_IDS = {"held_on": "review-held", "notes": "review-notes"}

    form_title = "Record a review"

    def __init__(self, save: Callable[[ReviewInput], ReviewRead], today: date, start: date | None) -> None:
        """Prepare the dialog.

        Args:
            save: Records the review through the learner records service.
            today: The date taken as today; a review cannot be held later.
            start: The programme's start; a review cannot be held earlier.
        """
        super().__init__(save)
        self.today, self.start = today, start

    def compose_fields(self) -> ComposeResult:
        """Held date and outcome, the notes, the three signatures."""
        with Horizontal(classes="form-row"):
            yield FormField("Held on", kind="date", required=True, value=self.today.isoformat(), id="review-held")
            yield FormField(
                "Outcome", placeholder="e.g. on track", id="review-outcome", limit=column_limit(Review, "outcome")
            )
        yield FormField("What the review found", kind="multiline", required=True, id="review-notes")
        yield Label("Signed by", classes="form-hint")
        with Horizontal(classes="form-row"):
            yield Checkbox("Learner", id="review-learner")
            yield Checkbox("Employer", id="review-employer")
            yield Checkbox("Educator", id="review-educator")

    def on_mount(self) -> None:
        """Start in the notes."""
        self.query_one("#review-notes-input").focus()

    def collect(self) -> ReviewInput | None:
        """Check the date and the notes in place."""
        held = self.query_one("#review-held", FormField)
        notes = self.query_one("#review-notes", FormField)
        valid = check_all(held, notes)
        day = check_day(held, self.today, self.start, "programme")
        if not valid or day is None:
            return None
        return ReviewInput(
            held_on=day,
            notes=notes.text,
            outcome=self.query_one("#review-outcome", FormField).text,
            learner_signed=self.query_one("#review-learner", Checkbox).value,
            employer_signed=self.query_one("#review-employer", Checkbox).value,
            educator_signed=self.query_one("#review-educator", Checkbox).value,
        )
