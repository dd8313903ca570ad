"""The CPD record dialog: the activity, when, and what Social Work England asks (why, what was learnt, impact)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Label, Select

from progression.fields import column_limit
from progression.models import CpdRecord
from progression.services.cpd import KINDS, CpdInput, CpdRecordRead
from screens.widgets.form import FormField, check_all
from screens.widgets.form_dialog import SavingFormModal


class CpdFormModal(SavingFormModal[CpdRecordRead | None]):
    """Add or edit one CPD record; dismisses with the saved record, or None when cancelled."""

    HELP = (
        "A CPD record in Social Work England's shape: the activity and its date, what you did and why, what you "
        "learnt, and the impact on your practice (all required), and whether it included peer reflection and with "
        "whom. Ctrl+S saves; Escape cancels."
    )

    FIELD_IDS = {
        "day": "cpd-day",
        "title": "cpd-title",
        "what_and_why": "cpd-why",
        "learnt": "cpd-learnt",
        "impact": "cpd-impact",
        "peer_reflection_with": "cpd-with",
    }

    def __init__(
        self, save: Callable[[CpdInput], CpdRecordRead], today: date, record: CpdRecordRead | None = None
    ) -> None:
        """Prepare the dialog.

        Args:
            save: Saves the record through the CPD service (add or edit) and returns it.
            today: The date taken as today; a record may not be dated later.
            record: The record to edit, or None to add one.
        """
        super().__init__(save)
        self.today, self.record = today, record
        self.form_title = "Edit CPD record" if record else "Add a CPD record"

    def compose_fields(self) -> ComposeResult:
        """Kind and date side by side, the title, the three questions, and peer reflection."""
        cpd = self.record
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-select"):
                yield Label("Kind of activity")
                yield Select(
                    [(kind.capitalize(), kind) for kind in KINDS],
                    allow_blank=False,
                    value=cpd.kind if cpd else "course",
                    id="cpd-kind",
                )
            yield FormField(
                "Date",
                kind="date",
                required=True,
                id="cpd-day",
                value=cpd.day.isoformat() if cpd else self.today.isoformat(),
            )
        yield FormField(
            "Activity",
            required=True,
            id="cpd-title",
            limit=column_limit(CpdRecord, "title"),
            value=cpd.title if cpd else "",
            placeholder="e.g. Course on contextual safeguarding",
        )
        yield FormField(
            "What I did and why", kind="multiline", required=True, id="cpd-why", value=cpd.what_and_why if cpd else ""
        )
        yield FormField(
            "What I learnt", kind="multiline", required=True, id="cpd-learnt", value=cpd.learnt if cpd else ""
        )
        yield FormField(
            "Impact on my practice", kind="multiline", required=True, id="cpd-impact", value=cpd.impact if cpd else ""
        )
        yield Checkbox(
            "Included peer reflection",
            value=cpd.peer_reflection if cpd else False,
            id="cpd-peer",
        )
        yield FormField(
            "Reflected with",
            id="cpd-with",
            value=cpd.peer_reflection_with if cpd else "",
            placeholder="e.g. a colleague, my team's group supervision, others at training",
        )

    def on_mount(self) -> None:
        """Start in the activity's title; show 'reflected with' only when there was peer reflection."""
        self.query_one("#cpd-title-input").focus()
        self._show_with(self.query_one("#cpd-peer", Checkbox).value)

    @on(Checkbox.Changed, "#cpd-peer")
    def _peer_changed(self, event: Checkbox.Changed) -> None:
        self._show_with(event.value)

    def _show_with(self, peer: bool) -> None:
        field = self.query_one("#cpd-with", FormField)
        field.display = peer
        if not peer:
            field.show_error(None)

    def collect(self) -> CpdInput | None:
        """Check every field (a date that is not a date or is in the future, an empty answer, peer reflection
        without whom) and return the input when all are valid."""
        fields = [self.query_one(f"#{field_id}", FormField) for field_id in self.FIELD_IDS.values()]
        day_field, title, why, learnt, impact, with_whom = fields
        peer = self.query_one("#cpd-peer", Checkbox).value
        valid = check_all(day_field, title, why, learnt, impact)
        day = day_field.date_value if day_field.check() else None
        if day is not None and day > self.today:
            day_field.show_error(f"{day} is in the future (today is {self.today})")
            valid = False
        missing_with = peer and not with_whom.text
        with_whom.show_error("Say who you reflected with" if missing_with else None)
        valid = valid and not missing_with
        if not valid:
            return None
        kind = self.query_one("#cpd-kind", Select).value
        return CpdInput(
            kind=str(kind),
            day=day,
            title=title.text,
            what_and_why=why.text,
            learnt=learnt.text,
            impact=impact.text,
            peer_reflection=peer,
            peer_reflection_with=with_whom.text if peer else "",
        )
