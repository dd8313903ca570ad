"""The plan screen's state: reading the plan, running its writes, and the layout its keys act on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events, getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Footer, Static

from progression.errors import AccessDenied, Conflict, InputError, Problem
from progression.services.plans import (
    ActionRead,
    FrameworkChoices,
    GoalRead,
    PlanPage,
    PlanRead,
    capability_choices,
    plan_page,
)
from screens.record_screen import RecordScreen
from screens.safe import plain
from screens.widgets.plan_header import PlanHeader
from screens.widgets.plan_items import PlanItems
from screens.widgets.plan_side import PlanDetail, PlanHistory

Retry = Callable[[list[Problem]], None]
"""Opens a form again with what was typed and the problems the service found."""


class PlanScreenBase(RecordScreen):
    """Holds one worker's plan as state; its widgets draw it; every change runs a service (see `PlanScreen`)."""

    DEFAULT_CSS = """
    PlanScreenBase {
        #plan-body { height: 1fr; }
        #plan-main {
            width: 1fr;
            height: 1fr;
            border: round $primary 50%;
            border-title-color: $text-primary;
            &:focus-within { border: round $accent; }
        }
        #plan-items { border: none; background: $surface; padding: 0; }
        #plan-empty { padding: 1 2; width: 1fr; color: $text-muted; }
        #plan-side { width: 40; height: 1fr; }
        #plan-detail { height: 1fr; border: round $primary 50%; border-title-color: $text-primary; }
        #plan-history {
            height: auto;
            max-height: 50%;
            border: round $secondary 60%;
            border-title-color: $text-secondary;
        }
        #plan-detail, #plan-history { scrollbar-size-vertical: 1; }
        &.-wide #plan-side { width: 64; }
        &.-narrow {
            #plan-body { layout: vertical; }
            #plan-side { width: 1fr; height: 9; layout: horizontal; }
            #plan-detail { width: 1fr; }
            #plan-history { width: 1fr; height: 1fr; max-height: 100%; }
        }
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-medium"), (150, "-wide")]

    page: reactive[PlanPage | None] = reactive(None, init=False)
    """The worker, their current plan and what the actor may do; None until read, or when refused."""
    plan: reactive[PlanRead | None] = reactive(None, init=False)
    """The plan shown, or None when there is none."""
    item: reactive[str | None] = reactive(None, init=False)
    """The highlighted goal or action: 'goal-<id>' or 'action-<id>'."""

    items = getters.query_one("#plan-items", PlanItems)
    empty = getters.query_one("#plan-empty", Static)

    def compose_body(self) -> ComposeResult:
        """The heading, the goals and actions, and beside them the highlighted item and the history."""
        yield PlanHeader(id="plan-head").data_bind(PlanScreenBase.page, PlanScreenBase.plan)
        with Horizontal(id="plan-body"):
            with Vertical(id="plan-main") as main:
                main.border_title = "Goals and actions"
                yield Static(id="plan-empty")
                yield PlanItems(id="plan-items").data_bind(PlanScreenBase.plan)
            with Vertical(id="plan-side"):
                yield PlanDetail(id="plan-detail").data_bind(PlanScreenBase.plan, PlanScreenBase.item)
                yield PlanHistory(id="plan-history").data_bind(PlanScreenBase.plan)

    def on_mount(self) -> None:
        """Name the panels, then follow the subject (RecordScreen)."""
        self.query_one("#plan-detail").border_title = "Highlighted"
        self.query_one("#plan-history").border_title = "History"
        self._choices: list[FrameworkChoices] | None = None
        self._after_save: Callable[[PlanRead], None] | None = None
        self._retry: Retry | None = None
        self._then_choices: Callable[[list[FrameworkChoices]], None] = lambda _choices: None
        self._saved = ""
        self._show_empty()
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        """Squeeze the footer's keys together on narrow terminals, so more of them show."""
        self.query_one(Footer).compact = event.size.width < 110

    def load(self, staff_id: str) -> None:
        """Read the worker's plan and what the actor may do with it."""
        self.call_service("page", plan_page, self.context.engine, self.context.actor, staff_id, self.context.today)

    def done_page(self, page: PlanPage) -> None:
        """Show the plan that was read."""
        if page.staff_id != self.subject:
            return
        self.page, self.plan = page, page.plan
        self._show_empty()
        self.refresh_bindings()
        self.items.focus()

    def failed_page(self, error: BaseException) -> None:
        """Show nothing of a plan that could not be read."""
        self.page, self.plan, self.item = None, None, None
        self._show_empty(
            "You may not see this worker's development plan." if isinstance(error, AccessDenied) else str(error)
        )
        self.refresh_bindings()

    def _show_empty(self, message: str | None = None) -> None:
        has_goals = bool(self.plan and self.plan.goals)
        self.items.display = has_goals
        self.empty.display = not has_goals
        if message is None:
            message = self._empty_message()
        self.empty.update(plain(message))
        self.query_one("#plan-side").display = self.plan is not None

    def _empty_message(self) -> str:
        page, plan = self.page, self.plan
        if page is None:
            return "Reading the plan…" if self.subject else "Press w to pick whose plan to show."
        if plan is None:
            if page.rights.may_edit:
                whose = "your" if self.own_records else "their"
                return (
                    "No development plan yet. Press n to start one: goals tied to the capabilities "
                    f"{whose} next step needs, each with dated actions."
                )
            return f"{page.worker_name} has no development plan yet."
        if plan.state == "draft" and page.rights.may_edit:
            return "No goals yet. Press g to add one."
        return "This plan has no goals."

    @on(PlanItems.ItemHighlighted)
    def item_highlighted(self, message: PlanItems.ItemHighlighted) -> None:
        """Describe the highlighted goal or action, and offer the keys that act on it."""
        self.item = message.item
        self.refresh_bindings()

    def selected(self) -> tuple[GoalRead, ActionRead | None] | None:
        """The highlighted goal, and the highlighted action (None when a goal is highlighted)."""
        if self.plan is None or self.item is None:
            return None
        kind, _, ident = self.item.partition("-")
        for goal in self.plan.goals:
            if kind == "goal" and goal.id == int(ident):
                return goal, None
            for action in goal.actions:
                if kind == "action" and action.id == int(ident):
                    return goal, action
        return None

    def save(
        self,
        message: str,
        fn: Callable[..., PlanRead],
        *args: Any,
        retry: Retry | None = None,
        then: Callable[[PlanRead], None] | None = None,
        **kwargs: Any,
    ) -> None:
        """Run a write service; on success show the plan it returns and say `message`.

        Args:
            message: What was done, for the notification.
            fn: The service, called as fn(engine, actor, *args, **kwargs).
            *args: The service's arguments after the engine and actor.
            retry: Opens the form again when the service finds a problem with the input.
            then: Runs with the new plan, e.g. to highlight what was added.
            **kwargs: The service's keyword arguments.
        """
        self._saved, self._retry, self._after_save = message, retry, then
        self.call_service("save", fn, self.context.engine, self.context.actor, *args, **kwargs)

    def done_save(self, plan: PlanRead) -> None:
        """Show the saved plan and say what was done."""
        if self.page is not None:
            self.page = self.page.model_copy(update={"plan": plan, "rights": plan.rights})
        self.plan = plan
        self._show_empty()
        self.refresh_bindings()
        if self._after_save is not None:
            self._after_save(plan)
        self.notify(self._saved, title=plan.title)

    def failed_save(self, error: BaseException) -> None:
        """Open the form again on a problem with the input; read the plan again if someone else changed it."""
        if isinstance(error, InputError) and self._retry is not None:
            self._retry(error.problems)
        elif isinstance(error, Conflict) and self.subject is not None:
            self.load(self.subject)

    def choices(self, then: Callable[[list[FrameworkChoices]], None]) -> None:
        """The frameworks in force today, read once, then handed to `then`."""
        if self._choices is not None:
            then(self._choices)
            return
        self._then_choices = then
        self.call_service("choices", capability_choices, self.context.engine, self.context.actor, self.context.today)

    def done_choices(self, choices: list[FrameworkChoices]) -> None:
        """Keep the frameworks read and carry on."""
        self._choices = choices
        self._then_choices(choices)
