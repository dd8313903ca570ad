"""The decision dialog: an outcome the decider may take, the reason, and what the outcome needs besides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Label, Select, Static

from progression.errors import Conflict, InputError
from progression.fields import free_text_limit
from progression.models import Decision
from progression.services.decisions import LETS_THROUGH, DecisionResult, effective_problem, override_needed
from progression.services.requests import RequestRead
from screens.safe import plain
from screens.widgets.form import FormField, check_all
from screens.widgets.form_dialog import SavingFormModal, sentence
from screens.widgets.manager_requests import OUTCOME_WORDS
from screens.widgets.manager_team import full_date


@dataclass(frozen=True)
class DecisionDraft:
    """What the decider filled in, ready for the decisions service."""

    outcome: str
    reason: str
    effective: date | None
    override: bool
    actions: list[str]


class DecideModal(SavingFormModal[DecisionResult | Conflict | None]):
    """Decide one request; dismisses with the decision taken, the Conflict when someone decided first, or None."""

    HELP = (
        "Decide a progression request. Choose an outcome (only those you may take now are offered) and give the "
        "reason, which the worker reads. An approval takes the date the move is effective. When the requirements "
        "were not met on the day the request was submitted, endorsing or approving needs the override ticked, and "
        "the reason is then the override's reason. A deferral's development actions, one per line, become a goal "
        "in the worker's plan. Ctrl+S decides; Escape cancels."
    )

    DEFAULT_CSS = """
    DecideModal {
        & .decide-summary { margin-bottom: 1; }
        & #decide-outcome-error { color: $text-error; display: none; }
        & #decide-outcome-box.-invalid > #decide-outcome-error { display: block; }
        & #decide-outcome-box.-invalid > Select > SelectCurrent { border: tall $error; }
        & #decide-override { margin-bottom: 1; }
    }
    """

    FIELD_IDS = {"--reason": "decide-reason", "--effective": "decide-effective", "--actions": "decide-actions"}

    def __init__(
        self,
        request: RequestRead,
        outcomes: tuple[str, ...],
        save: Callable[[DecisionDraft], DecisionResult],
        today: date,
    ) -> None:
        """Prepare the dialog.

        Args:
            request: The request to decide.
            outcomes: The outcomes the actor may take on it now.
            save: Records the decision through the decisions service; runs in a thread.
            today: The date taken as today, the effective date offered for an approval.
        """
        super().__init__(save)
        self.request, self.outcomes, self.today = request, outcomes, today
        self.form_title = f"Decide request {request.id}"

    def compose_fields(self) -> ComposeResult:
        """The request in brief, then outcome and effective date, override, reason and development actions."""
        request = self.request
        met = (
            "[$text-success]✓ requirements met[/]"
            if request.requirements_met
            else ("[$text-error]✗ requirements not met[/]")
        )
        yield Static(
            Content.from_markup(
                "[b]$name[/b] ($staff): $from → [b]$to[/b]\n[$text-muted]Submitted $on ·[/] " + met,
                name=request.name,
                staff=request.staff_id,
                to=request.to_title,
                on=full_date(request.submitted_on),
                **{"from": request.from_title},
            ),
            classes="decide-summary",
        )
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-select", id="decide-outcome-box"):
                yield Label("Outcome *")
                yield Select(
                    [(OUTCOME_WORDS.get(o, o), o) for o in self.outcomes],
                    prompt="Choose an outcome",
                    id="decide-outcome",
                )
                yield Label("", id="decide-outcome-error")
            yield FormField(
                "Effective date", kind="date", required=True, value=self.today.isoformat(), id="decide-effective"
            )
        yield Checkbox("Override: let it through although the requirements were not met", id="decide-override")
        yield FormField(
            "Reason (the worker reads it)",
            kind="multiline",
            required=True,
            id="decide-reason",
            limit=free_text_limit("reason", Decision, "reason"),
        )
        yield FormField("Development actions, one per line", kind="multiline", id="decide-actions")

    def on_mount(self) -> None:
        """Start in the outcome, with only the fields every outcome needs."""
        self.query_one("#decide-outcome", Select).focus()
        self.show_fields()

    @property
    def outcome(self) -> str | None:
        """The outcome chosen, or None."""
        value = self.query_one("#decide-outcome", Select).value
        return value if isinstance(value, str) else None

    @on(Select.Changed, "#decide-outcome")
    @on(Checkbox.Changed, "#decide-override")
    def show_fields(self) -> None:
        """Show the effective date for an approval, the override where it is needed, actions for a deferral."""
        outcome = self.outcome
        needs_override = outcome in LETS_THROUGH and not self.request.requirements_met
        self.query_one("#decide-effective").display = outcome == "approve"
        self.query_one("#decide-override").display = needs_override
        self.query_one("#decide-actions").display = outcome == "defer"
        override = needs_override and self.query_one("#decide-override", Checkbox).value
        reason = self.query_one("#decide-reason", FormField)
        reason.query_one(".field-label", Label).update(
            "Reason for the override (the worker reads it) *" if override else "Reason (the worker reads it) *"
        )
        if outcome:
            self.show_outcome_error(None)

    def show_outcome_error(self, message: str | None) -> None:
        """Show (or clear) the message under the outcome."""
        self.query_one("#decide-outcome-box").set_class(bool(message), "-invalid")
        self.query_one("#decide-outcome-error", Label).update(plain(message or ""))

    def collect(self) -> DecisionDraft | None:
        """Check every field in place (no outcome, no reason, a bad or early effective date, a missing override)
        and return the draft when all are valid."""
        outcome = self.outcome
        reason = self.query_one("#decide-reason", FormField)
        effective = self.query_one("#decide-effective", FormField)
        override = self.query_one("#decide-override", Checkbox).value
        valid = check_all(reason)
        if outcome is None:
            self.show_outcome_error("Choose an outcome")
            valid = False
        elif why := override_needed(outcome, self.request.requirements_met, self.request.submitted_on, override):
            self.show_outcome_error(sentence(why))  # the decisions service's words
            valid = False
        day = None
        if outcome == "approve" and effective.check():
            day = effective.date_value
            if day is not None and (why := effective_problem(day, self.request.submitted_on)):
                effective.show_error(sentence(why))
                valid = False
        elif outcome == "approve":
            valid = False
        if not valid or outcome is None:
            return None
        actions = self.query_one("#decide-actions", FormField).text.splitlines() if outcome == "defer" else []
        return DecisionDraft(
            outcome=outcome,
            reason=reason.text,
            effective=day,
            override=override and outcome in LETS_THROUGH,
            actions=[line.strip() for line in actions if line.strip()],
        )

    def show_failure(self, error: BaseException | None) -> None:
        """Someone decided first: close with the Conflict so the queue reloads. A refused outcome shows under it;
        anything else as the base dialog shows it."""
        if isinstance(error, Conflict):
            self.dismiss(error)
            return
        if isinstance(error, InputError):
            outcome = [p for p in error.problems if p.place == "--outcome"]
            for problem in outcome:
                self.show_outcome_error(sentence(problem.message))
            rest = [p for p in error.problems if p.place != "--outcome"]
            if not rest:
                return
            error = InputError(rest)
        super().show_failure(error)
