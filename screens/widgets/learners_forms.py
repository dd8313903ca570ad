"""The learner view's dialogs for the record: logging off-the-job hours and recording a review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Label, Select

from progression.errors import InputError
from progression.fields import column_limit
from progression.models import Review
from progression.services.learner_records import OtjEntryRead, ReviewRead
from screens.safe import plain
from screens.widgets.form import FormField, check_all
from screens.widgets.form_dialog import SavingFormModal, sentence

MOST_HOURS_A_DAY = 24


@dataclass(frozen=True)
class OtjInput:
    """Off-the-job hours as typed: the day, how many hours, what the activity was."""

    day: date
    hours: float
    activity: str


@dataclass(frozen=True)
class ReviewInput:
    """A review as typed: which scheduled review, when it was held, what it found, its outcome and who signed it."""

    review: int | str | None
    """The recorded review's id, or the kind of a scheduled review with no record yet (None: the next one)."""
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

    def __init__(
        self,
        save: Callable[[OtjInput], OtjEntryRead],
        today: date,
        start: date | None,
        entry: OtjEntryRead | None = None,
    ) -> None:
        """Prepare the dialog.

        Args:
            save: Logs (or corrects) the hours through the learner records service.
            today: The date taken as today; hours may not be logged later.
            start: The apprenticeship's start; hours may not be logged earlier.
            entry: The entry being corrected, whose values the fields start with; None to log new hours.
        """
        super().__init__(save)
        self.today, self.start, self.entry = today, start, entry
        if entry is not None:
            self.form_title = "Correct off-the-job hours"

    def compose_fields(self) -> ComposeResult:
        """Date and hours side by side, then the activity."""
        entry = self.entry
        day = entry.day if entry else self.today
        with Horizontal(classes="form-row"):
            yield FormField("Date", kind="date", required=True, value=day.isoformat(), id="otj-day")
            yield FormField(
                "Hours",
                kind="number",
                required=True,
                placeholder="e.g. 3.5",
                value=f"{entry.hours:g}" if entry else "",
                id="otj-hours",
            )
        yield FormField(
            "Activity",
            required=True,
            placeholder="e.g. university teaching day, shadowing, study",
            value=entry.activity if entry else "",
            id="otj-activity",
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
    """Record a review held (choosing which scheduled review it is), or correct one recorded; dismisses with the
    saved review, or None when cancelled."""

    HELP = (
        "A review held with the learner: which scheduled review it is, the day, what it found, its outcome (on "
        "track, concerns, action plan…) and who signed it. An apprenticeship progress review is three-way: the "
        "learner, the employer and the educator each sign. Without an outcome and all three signatures it is saved "
        "as a draft: it is not held yet, and the review stays due. Ctrl+S saves; Escape cancels."
    )

    FIELD_IDS = {"held_on": "review-held", "notes": "review-notes", "outcome": "review-outcome"}

    DEFAULT_CSS = """
    ReviewModal #review-choice-error { color: $text-error; display: none; &.-error { display: block; } }
    """

    form_title = "Record a review"

    def __init__(
        self,
        save: Callable[[ReviewInput], ReviewRead],
        today: date,
        start: date | None,
        choices: list[ReviewRead] | None = None,
        review: ReviewRead | None = None,
        chosen: ReviewRead | None = None,
    ) -> None:
        """Prepare the dialog.

        Args:
            save: Records (or corrects) the review through the learner records service.
            today: The date taken as today; a review cannot be held later.
            start: The programme's start; a review cannot be held earlier.
            choices: The scheduled reviews not yet held, offered to choose from (none: a review outside the
                schedule).
            review: The recorded review being corrected, whose values the fields start with.
            chosen: The review of `choices` picked at first (else the first).
        """
        super().__init__(save)
        self.today, self.start, self.review = today, start, review
        self.choices = choices or []
        self.chosen = chosen
        if review is not None:
            self.form_title = f"Correct the review: {review.title}"

    @staticmethod
    def choice_key(review: ReviewRead) -> str:
        """What the service takes to name a scheduled review: its id, or its kind while nothing is recorded."""
        return str(review.id) if review.id is not None else review.kind

    def compose_fields(self) -> ComposeResult:
        """Which review, held date and outcome, the notes, the three signatures."""
        review = self.review
        if review is None and self.choices:
            options = [
                (f"{r.title} · due {r.due_on or '—'}" + (" · draft" if r.state == "draft" else ""), self.choice_key(r))
                for r in self.choices
            ]
            chosen = self.chosen
            first = self.choice_key(chosen) if chosen is not None and chosen in self.choices else options[0][1]
            with Vertical(classes="form-select"):
                yield Label("Which review")
                yield Select(options, value=first, allow_blank=False, id="review-choice")
                yield Label("", id="review-choice-error")
        held = review.held_on if review and review.held_on else self.today
        with Horizontal(classes="form-row"):
            yield FormField("Held on", kind="date", required=True, value=held.isoformat(), id="review-held")
            yield FormField(
                "Outcome",
                placeholder="e.g. on track",
                id="review-outcome",
                value=(review.outcome or "") if review else "",
                limit=column_limit(Review, "outcome"),
            )
        yield FormField(
            "What the review found", kind="multiline", required=True, value=review.notes if review else "",
            id="review-notes",
        )  # fmt: skip
        yield Label("Signed by (an outcome and all three: held; else a draft)", classes="form-hint")
        with Horizontal(classes="form-row"):
            yield Checkbox("Learner", bool(review and review.learner_signed_on), id="review-learner")
            yield Checkbox("Employer", bool(review and review.employer_signed_on), id="review-employer")
            yield Checkbox("Educator", bool(review and review.educator_signed_on), id="review-educator")

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
        chosen: int | str | None = self.review.id if self.review else None
        if self.review is None and self.choices:
            value = str(self.query_one("#review-choice", Select).value)
            chosen = int(value) if value.isdigit() else value
        return ReviewInput(
            review=chosen,
            held_on=day,
            notes=notes.text,
            outcome=self.query_one("#review-outcome", FormField).text,
            learner_signed=self.query_one("#review-learner", Checkbox).value,
            employer_signed=self.query_one("#review-employer", Checkbox).value,
            educator_signed=self.query_one("#review-educator", Checkbox).value,
        )

    def show_failure(self, error: BaseException | None) -> None:
        """A refusal about the choice of review shows under it; anything else as the form does."""
        if isinstance(error, InputError) and self.query("#review-choice-error"):
            choice = [p for p in error.problems if p.place == "review"]
            if choice:
                label = self.query_one("#review-choice-error", Label)
                label.update(plain(sentence(choice[0].message)))
                label.set_class(True, "-error")
                others = [p for p in error.problems if p.place != "review"]
                error = InputError(others) if others else None
        if error is not None:
            super().show_failure(error)
