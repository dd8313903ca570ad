"""Forms for starting a plan and for an action: checked in place, keeping what was typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Select

from progression.errors import Problem
from progression.fields import column_limit
from progression.models import DevelopmentPlan, GoalAction
from progression.services.plan_edits import due_problem
from progression.services.plans import ActionInput, ActionRead, RoleChoice
from screens.safe import cell, plain
from screens.widgets.form import FormField, check_all
from screens.widgets.plan_dialogs import PlanModal


def show_problems(fields: dict[str, FormField], problems: list[Problem]) -> list[Problem]:
    """Put each problem under the field it names; return those that name no field."""
    left = []
    for problem in problems:
        field = fields.get(problem.place)
        if field is None:
            left.append(problem)
        else:
            field.show_error(problem.message)
    return left


def check_due(field: FormField, started_on: date, goal_due_on: date | None = None) -> bool:
    """Whether a due date (already a valid date or empty) may be taken: the plan service's rule and words (not
    before the plan started; an action not after its goal is due)."""
    why = due_problem(field.date_value, started_on, goal_due_on)
    field.show_error(why)
    return why is None


@dataclass(frozen=True)
class NewPlan:
    """A plan as typed: its title and the role it aims at (or None)."""

    title: str
    target_role: str | None


class PlanFormModal(PlanModal[NewPlan]):
    """Starts a plan: a title, and optionally the role it aims at."""

    def __init__(
        self, roles: list[RoleChoice], typed: NewPlan | None = None, problems: list[Problem] | None = None
    ) -> None:
        """Prepare the form.

        Args:
            roles: The roles a plan may aim at.
            typed: What was typed before a save that failed.
            problems: Why that save failed, shown under the fields.
        """
        super().__init__()
        self.roles, self.typed, self.problems = roles, typed, problems or []

    def compose(self) -> ComposeResult:
        """The title, the target role, and the keys."""
        with Vertical(classes="plan-dialog") as box:
            box.border_title = "New development plan"
            yield FormField(
                "Title",
                required=True,
                limit=column_limit(DevelopmentPlan, "title"),
                value=self.typed.title if self.typed else "",
                placeholder="e.g. Towards senior practice",
                id="plan-title",
            )
            yield Label("Aiming for (optional)", classes="plan-hint")
            yield Select(
                [(cell(r.title), r.key) for r in self.roles],
                prompt="No target role",
                id="plan-role",
                value=self.typed.target_role if self.typed and self.typed.target_role else Select.NULL,
            )
            yield Label("", id="plan-form-error", classes="plan-hint")
            yield Label("Enter or ctrl+s saves · Esc cancels", classes="plan-hint")

    def on_mount(self) -> None:
        """Show why an earlier save failed, if it did."""
        left = show_problems({"title": self.query_one("#plan-title", FormField)}, self.problems)
        self.query_one("#plan-form-error", Label).update(plain("\n".join(p.message for p in left)))

    def save(self) -> None:
        """Close with the plan typed, once it has a title."""
        title = self.query_one("#plan-title", FormField)
        if title.check():
            role = self.query_one("#plan-role", Select).value
            self.dismiss(NewPlan(title.text, role if isinstance(role, str) else None))


class ActionFormModal(PlanModal[ActionInput]):
    """Adds or changes an action: its title and due date."""

    def __init__(
        self,
        goal_title: str,
        started_on: date,
        action: ActionRead | None = None,
        typed: ActionInput | None = None,
        problems: list[Problem] | None = None,
        goal_due_on: date | None = None,
    ) -> None:
        """Prepare the form.

        Args:
            goal_title: The goal the action serves, named in the title.
            started_on: The plan's start: no action may be due before it.
            action: The action being changed, or None for a new one.
            typed: What was typed before a save that failed.
            problems: Why that save failed, shown under the fields.
            goal_due_on: When the goal is due: no action may be due after it.
        """
        super().__init__()
        self.goal_title, self.started_on, self.problems = goal_title, started_on, problems or []
        self.goal_due_on = goal_due_on
        self.start = typed or (ActionInput(title=action.title, due_on=action.due_on) if action else None)
        self.editing = action is not None

    def compose(self) -> ComposeResult:
        """The title, the due date, and the keys."""
        with Vertical(classes="plan-dialog") as box:
            box.border_title = plain(f"{'Change action' if self.editing else 'New action'} · {self.goal_title}")
            yield FormField(
                "Action",
                required=True,
                value=self.start.title if self.start else "",
                id="action-title",
                limit=column_limit(GoalAction, "title"),
            )
            due = self.start.due_on.isoformat() if self.start and self.start.due_on else ""
            yield FormField("Due on", kind="date", value=due, id="action-due")
            yield Label("Enter or ctrl+s saves · Esc cancels", classes="plan-hint")

    def on_mount(self) -> None:
        """Show why an earlier save failed, if it did."""
        fields = {
            "title": self.query_one("#action-title", FormField),
            "due_on": self.query_one("#action-due", FormField),
        }
        for problem in show_problems(fields, self.problems):
            fields["title"].show_error(problem.message)

    def save(self) -> None:
        """Close with the action typed, once its title and due date are valid."""
        title, due = self.query_one("#action-title", FormField), self.query_one("#action-due", FormField)
        if check_all(title, due) and check_due(due, self.started_on, self.goal_due_on):
            self.dismiss(ActionInput(title=title.text, due_on=due.date_value))
