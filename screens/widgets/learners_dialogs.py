"""The learner view's dialogs for the enrolment: a dated change of status, and a placement or skills day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select

from progression.errors import InputError
from progression.services.learner_records import PlacementDayRead
from screens.safe import plain
from screens.widgets.form import FormField, check_all
from screens.widgets.form_dialog import SavingFormModal, sentence
from screens.widgets.learners_forms import check_day

STATUS_CHOICES = {
    "break": "Break in learning",
    "active": "Back to learning (active)",
    "withdrawn": "Withdrawn",
    "gateway": "Gateway",
    "completed": "Completed",
}
"""The statuses an enrolment can move to, as the dialog offers them."""


@dataclass(frozen=True)
class StatusInput:
    """A change of status as typed."""

    status: str
    day: date
    note: str


@dataclass(frozen=True)
class DayInput:
    """A placement or skills day as typed."""

    day: date
    kind: str


class StatusModal(SavingFormModal[StatusInput | None]):
    """Change an enrolment's status from a date; dismisses with what was saved, or None when cancelled."""

    HELP = (
        "A dated change of status. A break in learning pauses the clock: its weeks count neither as time in "
        "learning nor towards the planned end, which moves out by the break's length. Back to learning ends the "
        "break. Gateway needs a note saying what the decision rests on. Ctrl+S saves; Escape cancels."
    )

    FIELD_IDS = {"date": "status-day", "note": "status-note"}

    form_title = "Change status"

    def __init__(
        self, save: Callable[[StatusInput], StatusInput], today: date, start: date | None, current: str
    ) -> None:
        """Prepare the dialog.

        Args:
            save: Changes the status through the learner records service and returns the input.
            today: The date taken as today; a change cannot be dated later.
            start: The programme's start; a change cannot be dated earlier.
            current: The enrolment's status now, which is not offered.
        """
        super().__init__(save)
        self.today, self.start, self.current = today, start, current

    def compose_fields(self) -> ComposeResult:
        """The new status and its date side by side, then the note."""
        choices = [(words, key) for key, words in STATUS_CHOICES.items() if key != self.current]
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-select"):
                yield Label("New status")
                yield Select(choices, allow_blank=False, id="status-choice")
            yield FormField("From", kind="date", required=True, value=self.today.isoformat(), id="status-day")
        yield FormField("Note", placeholder="why, and what was agreed", id="status-note")

    def on_mount(self) -> None:
        """Start in the choice of status."""
        self.query_one("#status-choice").focus()

    def collect(self) -> StatusInput | None:
        """Check the date, and that a move to gateway says what it rests on."""
        day_field, note = self.query_one("#status-day", FormField), self.query_one("#status-note", FormField)
        status = str(self.query_one("#status-choice", Select).value)
        valid = check_all(day_field, note)
        day = check_day(day_field, self.today, self.start, "programme")
        if status == "gateway" and not note.text:
            note.show_error("Say what the gateway decision rests on")
            valid = False
        if not valid or day is None:
            return None
        return StatusInput(status=status, day=day, note=note.text)


class PlacementDayModal(SavingFormModal[DayInput | None]):
    """Log one placement or skills day; dismisses with what was saved, or None when cancelled."""

    HELP = (
        "One day of a student's placement: a day in the setting, or a skills day. The rule asks for at least 200 "
        "days, of which at most 30 may be skills days. Ctrl+S saves; Escape cancels."
    )

    FIELD_IDS = {"date": "day-date"}

    DEFAULT_CSS = """
    PlacementDayModal #day-kind-error { color: $text-error; display: none; &.-error { display: block; } }
    """

    form_title = "Log a placement day"

    def __init__(
        self,
        save: Callable[[DayInput], DayInput],
        today: date,
        start: date | None,
        skills: int,
        max_skills: int | None,
        current: PlacementDayRead | None = None,
    ) -> None:
        """Prepare the dialog.

        Args:
            save: Logs (or corrects) the day through the learner records service and returns the input.
            today: The date taken as today; a day cannot be logged later.
            start: The placement's start; a day cannot be logged earlier.
            skills: How many skills days are logged already.
            max_skills: At most how many skills days count, or None when unknown.
            current: The day being corrected, whose values the fields start with; None to log a new day.
        """
        super().__init__(save)
        self.today, self.start, self.max_skills, self.current = today, start, max_skills, current
        self.skills = skills - (1 if current is not None and current.kind == "skills" else 0)
        if current is not None:
            self.form_title = "Correct a placement day"

    def compose_fields(self) -> ComposeResult:
        """The date and the kind of day side by side."""
        day = self.current.day if self.current else self.today
        with Horizontal(classes="form-row"):
            yield FormField("Date", kind="date", required=True, value=day.isoformat(), id="day-date")
            with Vertical(classes="form-select"):
                yield Label("Kind of day")
                yield Select(
                    [("Placement day", "placement"), ("Skills day", "skills")],
                    value=self.current.kind if self.current else "placement",
                    allow_blank=False,
                    id="day-kind",
                )
                yield Label("", id="day-kind-error")
        cap = f" of at most {self.max_skills}" if self.max_skills else ""
        yield Label(f"{self.skills} skills days logged so far{cap}.", classes="form-hint")

    def on_mount(self) -> None:
        """Start in the date."""
        self.query_one("#day-date-input").focus()

    def _kind_error(self, message: str | None) -> None:
        label = self.query_one("#day-kind-error", Label)
        label.update(plain(message or ""))
        label.set_class(bool(message), "-error")

    def collect(self) -> DayInput | None:
        """Check the date, and that a skills day would still count."""
        day = check_day(self.query_one("#day-date", FormField), self.today, self.start, "placement")
        kind = str(self.query_one("#day-kind", Select).value)
        full = kind == "skills" and self.max_skills is not None and self.skills >= self.max_skills
        self._kind_error(f"{self.skills} skills days are logged: at most {self.max_skills} count" if full else None)
        if day is None or full:
            return None
        return DayInput(day=day, kind=kind)

    def show_failure(self, error: BaseException | None) -> None:
        """A refusal about the kind of day shows under the choice; anything else as the form does."""
        if isinstance(error, InputError):
            kinds = [p for p in error.problems if p.place == "kind"]
            others = [p for p in error.problems if p.place != "kind"]
            if kinds:
                self._kind_error(sentence(kinds[0].message))
            error = InputError(others) if others else None
        if error is not None:
            super().show_failure(error)
