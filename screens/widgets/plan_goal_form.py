"""The goal form: title, description and due date beside a filterable list of capabilities across frameworks."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, SelectionList
from textual.widgets.selection_list import Selection

from progression.errors import Problem
from progression.fields import column_limit, free_text_limit
from progression.models import Goal
from progression.services.plans import FrameworkChoices, GoalInput, GoalRead
from screens.safe import cell, plain
from screens.widgets.form import FormField, check_all
from screens.widgets.plan_dialogs import PlanModal
from screens.widgets.plan_forms import check_due, show_problems


def link_key(framework: str, code: str) -> str:
    """A capability as one value: 'pcf:knowledge'."""
    return f"{framework}:{code}"


class GoalFormModal(PlanModal[GoalInput]):
    """Adds or changes a goal and the capabilities it builds; the filter narrows the list, picks are kept."""

    DEFAULT_CSS = """
    GoalFormModal {
        & > .plan-dialog { max-width: 120; height: 100%; max-height: 30; }
        #goal-columns { height: 1fr; }
        #goal-fields { width: 1fr; height: 1fr; margin-right: 1; }
        #goal-links { width: 1fr; height: 1fr; }
        #goal-filter { margin-bottom: 0; }
        #goal-capabilities { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
        #goal-fields FormField > TextArea { height: 4; }
        #goal-links-error { color: $text-error; }
    }
    """

    BINDINGS = [Binding("ctrl+f", "focus_filter", "Filter", tooltip="Type to narrow the capabilities")]

    def __init__(
        self,
        choices: list[FrameworkChoices],
        started_on: date,
        goal: GoalRead | None = None,
        typed: GoalInput | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        """Prepare the form.

        Args:
            choices: The frameworks in force and their capabilities.
            started_on: The plan's start: no goal may be due before it.
            goal: The goal being changed, or None for a new one.
            typed: What was typed before a save that failed.
            problems: Why that save failed, shown under the fields.
        """
        super().__init__()
        self.choices, self.started_on, self.problems = choices, started_on, problems or []
        self.editing = goal is not None
        self.start = typed or (
            GoalInput(
                title=goal.title,
                description=goal.description,
                due_on=goal.due_on,
                capabilities=[(c.framework, c.code) for c in goal.capabilities],
            )
            if goal
            else GoalInput(title="")
        )
        self.chosen: list[str] = [link_key(f, c) for f, c in self.start.capabilities]
        """The picked capabilities, in the order picked, kept while the filter hides some."""
        self.labels = {
            link_key(c.framework, c.code): f"{c.label} · {c.title}" if c.framework != "pcf" else c.label
            for f in choices
            for c in f.capabilities
        }

    def compose(self) -> ComposeResult:
        """The goal's fields on the left, the capabilities on the right, the keys below."""
        with Vertical(classes="plan-dialog") as box:
            box.border_title = "Change goal" if self.editing else "New goal"
            with Horizontal(id="goal-columns"):
                with Vertical(id="goal-fields"):
                    yield FormField(
                        "Goal",
                        required=True,
                        value=self.start.title,
                        id="goal-title",
                        limit=column_limit(Goal, "title"),
                    )
                    due = self.start.due_on.isoformat() if self.start.due_on else ""
                    yield FormField("Due on", kind="date", value=due, id="goal-due")
                    yield FormField(
                        "Description",
                        kind="multiline",
                        value=self.start.description,
                        id="goal-description",
                        limit=free_text_limit("note", Goal, "description"),
                    )
                with Vertical(id="goal-links"):
                    yield Label("Capabilities it builds (space picks)", classes="plan-hint", id="goal-links-label")
                    yield Input(placeholder="Filter: pcf, kss, K12, leadership…", id="goal-filter")
                    yield SelectionList[str](id="goal-capabilities")
                    yield Label("", id="goal-links-error")
            yield Label("ctrl+s saves · ctrl+f filters · Tab moves · Esc cancels", classes="plan-hint")

    def on_mount(self) -> None:
        """List every capability, tick those already linked, and show why an earlier save failed."""
        self.list_capabilities("")
        fields = {
            "title": self.query_one("#goal-title", FormField),
            "due_on": self.query_one("#goal-due", FormField),
            "description": self.query_one("#goal-description", FormField),
        }
        left = show_problems(fields, self.problems)
        self.query_one("#goal-links-error", Label).update(plain("\n".join(p.message for p in left)))
        self._count()

    def list_capabilities(self, needle: str) -> None:
        """Show the capabilities whose framework, code or title contains `needle`."""
        needle = needle.strip().lower()
        options = [
            Selection(cell(self.labels[key]), key, key in self.chosen)
            for framework in self.choices
            for capability in framework.capabilities
            if (key := link_key(capability.framework, capability.code))
            and (not needle or needle in f"{key} {self.labels[key]} {framework.title}".lower())
        ]
        listing = self.query_one("#goal-capabilities", SelectionList)
        listing.clear_options()
        listing.add_options(options)
        listing.highlighted = 0 if options else None

    def _count(self) -> None:
        picked = len(self.chosen)
        count = f": {picked} picked" if picked else ""
        self.query_one("#goal-links-label", Label).update(f"Capabilities it builds{count} (space picks)")

    @on(Input.Changed, "#goal-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        """Narrow the list; picks stay picked."""
        self.list_capabilities(event.value)

    def enter_in(self, field: Input) -> None:
        """Enter in the filter moves to the list; in the other fields it saves."""
        if field.id == "goal-filter":
            self.query_one("#goal-capabilities", SelectionList).focus()
        else:
            self.save()

    @on(SelectionList.SelectionToggled, "#goal-capabilities")
    def toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        """Remember a pick, or forget one."""
        key = event.selection.value
        if key in self.chosen:
            self.chosen.remove(key)
        else:
            self.chosen.append(key)
        self._count()

    def action_focus_filter(self) -> None:
        """Move to the filter."""
        self.query_one("#goal-filter", Input).focus()

    def save(self) -> None:
        """Close with the goal typed, once its title and due date are valid."""
        title, due = self.query_one("#goal-title", FormField), self.query_one("#goal-due", FormField)
        description = self.query_one("#goal-description", FormField)
        if not (check_all(title, due, description) and check_due(due, self.started_on)):
            return
        links = [tuple(key.split(":", 1)) for key in self.chosen]
        self.dismiss(
            GoalInput(
                title=title.text,
                description=self.query_one("#goal-description", FormField).text,
                due_on=due.date_value,
                capabilities=[(f, c) for f, c in links],
            )
        )
