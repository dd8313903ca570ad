"""The supervision session dialog: individual or group, when, how long, with whom, and private notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static

from progression.services.supervision import LONGEST_MINUTES, SESSION_KINDS, SessionInput, SessionRead
from screens.widgets.form import FormField, check_all
from screens.widgets.form_dialog import SavingFormModal


class SessionFormModal(SavingFormModal[SessionRead | None]):
    """Record or edit one supervision session; dismisses with the saved session, or None when cancelled."""

    HELP = (
        "A supervision session: individual supervision or group reflection, the day it took place, how long it "
        "lasted in minutes (individual sessions should last at least 1.5 hours), who took part, and notes that only "
        "the worker and the session's supervisor may read. Ctrl+S saves; Escape cancels."
    )

    FIELD_IDS = {
        "day": "session-day",
        "minutes": "session-minutes",
        "with_whom": "session-with",
        "notes": "session-notes",
    }

    def __init__(
        self, save: Callable[[SessionInput], SessionRead], today: date, chosen: SessionRead | None = None
    ) -> None:
        """Prepare the dialog.

        Args:
            save: Saves the session through the supervision service (add or edit) and returns it.
            today: The date taken as today; a session may not be dated later.
            chosen: The session to edit, or None to record one.
        """
        super().__init__(save)
        self.today, self.chosen = today, chosen
        self.form_title = "Edit supervision session" if chosen else "Record a supervision session"
        self.notes_editable = chosen is None or not chosen.notes_private

    def compose_fields(self) -> ComposeResult:
        """Kind, date and length side by side, who took part, and the notes (when the actor may read them)."""
        chosen = self.chosen
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-select"):
                yield Label("Kind")
                yield Select(
                    [(kind.capitalize(), kind) for kind in SESSION_KINDS],
                    allow_blank=False,
                    value=chosen.kind if chosen else "individual",
                    id="session-kind",
                )
            yield FormField(
                "Date",
                kind="date",
                required=True,
                id="session-day",
                value=chosen.day.isoformat() if chosen else self.today.isoformat(),
            )
            yield FormField(
                "Minutes",
                kind="number",
                required=True,
                id="session-minutes",
                value=str(chosen.minutes) if chosen and chosen.minutes else "90",
            )
        yield FormField(
            "With whom",
            id="session-with",
            value=chosen.with_whom if chosen else "",
            placeholder="e.g. the team's group reflection, or a co-supervisor",
        )
        if self.notes_editable:
            yield FormField(
                "Notes (private to the worker and the supervisor)",
                kind="multiline",
                id="session-notes",
                value=(chosen.notes or "") if chosen else "",
            )
        else:
            yield Static(
                "The notes are private to the worker and the session's supervisor; they stay as they are.",
                classes="form-hint",
            )

    def on_mount(self) -> None:
        """Start in the date."""
        self.query_one("#session-day-input").focus()

    def collect(self) -> SessionInput | None:
        """Check every field (a date that is not a date or is in the future, an empty or impossible length) and
        return the input when all are valid."""
        day_field = self.query_one("#session-day", FormField)
        minutes_field = self.query_one("#session-minutes", FormField)
        with_whom = self.query_one("#session-with", FormField)
        valid = check_all(day_field, minutes_field, with_whom)
        day = day_field.date_value if day_field.check() else None
        if day is not None and day > self.today:
            day_field.show_error(f"{day} is in the future (today is {self.today})")
            valid = False
        minutes = minutes_field.number_value if minutes_field.check() else None
        if minutes is not None:
            problem = None
            if not minutes.is_integer():
                problem = "Give whole minutes, e.g. 90"
            elif not 0 < minutes <= LONGEST_MINUTES:
                problem = f"Must be more than 0 and at most {LONGEST_MINUTES} (8 hours)"
            minutes_field.show_error(problem)
            valid = valid and problem is None
        if not valid:
            return None
        notes = self.query_one("#session-notes", FormField).text if self.notes_editable else None
        kind = self.query_one("#session-kind", Select).value
        return SessionInput(kind=str(kind), day=day, minutes=int(minutes or 0), with_whom=with_whom.text, notes=notes)
