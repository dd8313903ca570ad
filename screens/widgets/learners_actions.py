"""The learner view's writing keys: which apply to whom, and the dialogs that log, review and change status."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from progression.services.actor import Actor
from progression.services.learner_records import (
    LearnerRecord,
    OtjEntryRead,
    PlacementDayRead,
    ReviewRead,
    change_status,
    correct_otj,
    correct_placement_day,
    correct_review,
    log_otj,
    log_placement_day,
    record_review,
    remove_otj,
    remove_placement_day,
    remove_review,
)
from progression.services.learners import LearnerRead
from screens.record_screen import RecordScreen
from screens.widgets.confirm import ConfirmModal
from screens.widgets.learners_dialogs import STATUS_CHOICES, DayInput, PlacementDayModal, StatusInput, StatusModal
from screens.widgets.learners_forms import OtjEntryModal, OtjInput, ReviewInput, ReviewModal
from screens.widgets.learners_words import hours, short_date

if TYPE_CHECKING:
    from screens.widgets.learners_entries import DaysTable, EntriesTable, ReviewsTable

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
    reviews: ReviewsTable
    days: DaysTable

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
        if action in ("correct", "remove"):
            return self._editable(action) or None
        return True

    def _target(self) -> OtjEntryRead | ReviewRead | PlacementDayRead | None:
        """What the focused table has under its cursor: an off-the-job entry, a review or a placement day."""
        focused = self.focused
        if focused is self.entries:
            return self.entries.current()
        if focused is self.reviews:
            return self.reviews.current()
        if focused is self.days:
            return self.days.current()
        return None

    def _editable(self, action: str) -> bool:
        """Whether the actor may correct (or remove) the highlighted row: the educator anything; the apprentice
        their own hours not yet verified. A review is removed only once something is recorded for it."""
        target = self._target()
        if isinstance(target, OtjEntryRead):
            own = self.learner is not None and self.learner.staff_id == self.context.actor.staff_id
            return self.may_educate or (own and not target.verified)
        if isinstance(target, ReviewRead):
            return self.may_educate and (action == "correct" or target.held_on is not None)
        return isinstance(target, PlacementDayRead) and self.may_educate

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
                review=data.review,
            )

        choices = [review for review in record.reviews if review.state != "held"]
        highlighted = self.reviews.current() if self.focused is self.reviews else None
        chosen = highlighted if highlighted in choices else record.next_review
        self.app.push_screen(ReviewModal(save, ctx.today, record.start, choices, chosen=chosen), self.reviewed)

    def reviewed(self, review: ReviewRead | None) -> None:
        """Say it is recorded (held, or a draft), and read again."""
        if review is not None:
            if review.state == "held":
                self.notify(f"{review.title} held on {short_date(review.held_on)} recorded.", title="Review")
            else:
                self.notify(
                    f"{review.title} saved as a draft: it is held once it has an outcome and all three signatures.",
                    title="Review draft",
                )
            self.action_reload()

    def action_correct(self) -> None:
        """Correct the highlighted off-the-job entry, review or placement day (a review not yet recorded: record
        it)."""
        ctx, record, target = self.context, self.record, self._target()
        if record is None or target is None or not self._editable("correct"):
            return
        if isinstance(target, OtjEntryRead):
            entry_id = target.id

            def save_hours(data: OtjInput) -> OtjEntryRead:
                return correct_otj(ctx.engine, ctx.actor, entry_id, data.day, data.hours, data.activity, ctx.today)

            self.app.push_screen(OtjEntryModal(save_hours, ctx.today, record.start, target), self.corrected)
        elif isinstance(target, ReviewRead):
            if target.id is None or target.held_on is None:
                self.action_review()
                return
            review_id = target.id

            def save_review(data: ReviewInput) -> ReviewRead:
                return correct_review(
                    ctx.engine,
                    ctx.actor,
                    review_id,
                    data.held_on,
                    data.notes,
                    data.outcome,
                    ctx.today,
                    learner_signed=data.learner_signed,
                    employer_signed=data.employer_signed,
                    educator_signed=data.educator_signed,
                )

            self.app.push_screen(ReviewModal(save_review, ctx.today, record.start, review=target), self.corrected)
        else:
            day_id = target.id

            def save_day(data: DayInput) -> DayInput:
                correct_placement_day(ctx.engine, ctx.actor, day_id, data.day, data.kind, ctx.today)
                return data

            skills = sum(1 for _, kind in record.placement_days if kind == "skills")
            modal = PlacementDayModal(save_day, ctx.today, record.start, skills, self.max_skills, target)
            self.app.push_screen(modal, self.corrected)

    def corrected(self, saved: object | None) -> None:
        """Say it is corrected, and read again."""
        if saved is not None:
            draft = isinstance(saved, ReviewRead) and saved.state != "held"
            words = "it is a draft until it has an outcome and three signatures" if draft else "the change is audited"
            self.notify(f"Corrected; {words}.", title="Corrected")
            self.action_reload()

    def action_remove(self) -> None:
        """Remove the highlighted off-the-job entry or placement day, or take back a review, after asking."""
        ctx, target = self.context, self._target()
        if target is None or not self._editable("remove"):
            return
        call: tuple[Callable[[Engine, Actor, int], object], int | None]
        if isinstance(target, OtjEntryRead):
            question = f"Remove {hours(target.hours)} hours on {short_date(target.day)} ({target.activity})?"
            title, call = "Remove off-the-job hours", (remove_otj, target.id)
        elif isinstance(target, ReviewRead):
            undo = "It will be due again." if target.due_on else "It will be removed."
            question = f"Take back the {target.title} recorded on {short_date(target.held_on)}? {undo}"
            title, call = "Take back a review", (remove_review, target.id)
        else:
            question = f"Remove the {target.kind} day on {short_date(target.day)}?"
            title, call = "Remove a placement day", (remove_placement_day, target.id)
        question += " The audit log keeps what it was."
        service, item_id = call

        def answered(yes: bool | None) -> None:
            if yes and item_id is not None:
                self.call_service("removed", service, ctx.engine, ctx.actor, item_id)

        self.app.push_screen(ConfirmModal(title, question), answered)

    def done_removed(self, _gone: object) -> None:
        """Say it is removed, and read again."""
        self.notify("Removed; the audit log keeps what it was.", title="Removed")
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
