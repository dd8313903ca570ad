"""The learner view's writing keys: which apply to whom, and the dialogs that log, review and change status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from progression.services.learner_records import (
    LearnerRecord,
    OtjEntryRead,
    ReviewRead,
    change_status,
    log_otj,
    log_placement_day,
    record_review,
)
from progression.services.learners import LearnerRead
from screens.record_screen import RecordScreen
from screens.widgets.learners_dialogs import STATUS_CHOICES, DayInput, PlacementDayModal, StatusInput, StatusModal
from screens.widgets.learners_forms import OtjEntryModal, OtjInput, ReviewInput, ReviewModal
from screens.widgets.learners_words import hours, short_date

if TYPE_CHECKING:
    from screens.widgets.learners_entries import EntriesTable

EDUCATOR_ACTIONS = ("verify", "verify_all", "review", "change_status")
"""Keys only the learner's educator (or an administrator) may use."""


class LearnerActionsScreen(RecordScreen, inherit_bindings=False):
    """The base of the learner view: `check_action` and the actions that open its dialogs. It drops the record
    screens' keys (picking a worker, r to refresh): the view is about one enrolment, and r records a review."""

    enrolment_id: int
    learner: LearnerRead | None
    record: LearnerRecord | None
    max_skills: int | None
    entries: EntriesTable

    @property
    def may_educate(self) -> bool:
        """Whether the actor is this learner's educator (or an administrator), and not the learner."""
        learner, actor = self.learner, self.context.actor
        if learner is None or learner.staff_id == actor.staff_id:
            return False
        return actor.is_admin or learner.educator == actor.staff_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each key for the kind of learner it belongs to; the educator's keys only for the educator; v and V
        dimmed when nothing waits for verification."""
        record = self.record
        if record is None:
            return action not in ("log_hours", "log_day", *EDUCATOR_ACTIONS)
        if action == "log_hours":
            return record.kind == "apprenticeship"
        if action == "log_day":
            return record.kind == "placement"
        if action in ("verify", "verify_all"):
            if record.kind != "apprenticeship" or not self.may_educate:
                return False
            if action == "verify_all":
                return bool(self.entries.unverified()) or None
            entry = self.entries.current()
            return (entry is not None and not entry.verified) or None
        if action in ("review", "change_status"):
            return self.may_educate
        return True

    def action_log_hours(self) -> None:
        """Open the form for off-the-job hours."""
        ctx, enrolment_id, record = self.context, self.enrolment_id, self.record
        if record is None:
            return

        def save(data: OtjInput) -> OtjEntryRead:
            return log_otj(ctx.engine, ctx.actor, enrolment_id, data.day, data.hours, data.activity, ctx.today)

        self.app.push_screen(OtjEntryModal(save, ctx.today, record.start), self.hours_logged)

    def hours_logged(self, entry: OtjEntryRead | None) -> None:
        """Say what was logged, and read again."""
        if entry is not None:
            state = "verified" if entry.verified else "waiting for verification"
            self.notify(f"{hours(entry.hours)} hours on {short_date(entry.day)}, {state}.", title="Logged")
            self.action_reload()

    def action_log_day(self) -> None:
        """Open the dialog for a placement or skills day."""
        ctx, enrolment_id, record = self.context, self.enrolment_id, self.record
        if record is None:
            return

        def save(data: DayInput) -> DayInput:
            log_placement_day(ctx.engine, ctx.actor, enrolment_id, data.day, data.kind, ctx.today)
            return data

        skills = sum(1 for _, kind in record.placement_days if kind == "skills")
        modal = PlacementDayModal(save, ctx.today, record.start, skills, self.max_skills)
        self.app.push_screen(modal, self.day_logged)

    def day_logged(self, day: DayInput | None) -> None:
        """Say what was logged, and read again."""
        if day is not None:
            self.notify(f"{day.kind.capitalize()} day on {short_date(day.day)}.", title="Logged")
            self.action_reload()

    def action_review(self) -> None:
        """Open the dialog for a review held."""
        ctx, enrolment_id, record = self.context, self.enrolment_id, self.record
        if record is None:
            return

        def save(data: ReviewInput) -> ReviewRead:
            return record_review(
                ctx.engine,
                ctx.actor,
                enrolment_id,
                data.held_on,
                data.notes,
                data.outcome,
                ctx.today,
                learner_signed=data.learner_signed,
                employer_signed=data.employer_signed,
                educator_signed=data.educator_signed,
            )

        self.app.push_screen(ReviewModal(save, ctx.today, record.start), self.reviewed)

    def reviewed(self, review: ReviewRead | None) -> None:
        """Say it is recorded, and read again."""
        if review is not None:
            self.notify(f"Review held on {short_date(review.held_on)} recorded.", title="Review")
            self.action_reload()

    def action_change_status(self) -> None:
        """Open the dialog for a dated change of status."""
        ctx, enrolment_id, record = self.context, self.enrolment_id, self.record
        if record is None:
            return

        def save(data: StatusInput) -> StatusInput:
            change_status(ctx.engine, ctx.actor, enrolment_id, data.status, data.day, data.note, ctx.today)
            return data

        self.app.push_screen(StatusModal(save, ctx.today, record.start, record.status), self.status_changed)

    def status_changed(self, change: StatusInput | None) -> None:
        """Say what changed, and read again."""
        if change is not None:
            words = STATUS_CHOICES.get(change.status, change.status)
            self.notify(f"{words} from {short_date(change.day)}.", title="Status changed")
            self.action_reload()
