"""The panels beside the plan: the highlighted goal or action in full, and the plan's state history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.plans import GoalRead, PlanRead
from screens.widgets.plan_items import short_date, when


def describe_goal(goal: GoalRead) -> Content:
    """A goal in full: title, description, dates, capabilities with their titles, and action count."""
    lines = [Content.from_markup("[b]$title[/]", title=goal.title)]
    if goal.description:
        lines.append(Content(goal.description))
    lines.append(when(goal.due_on, goal.done_on, goal.overdue))
    done = sum(1 for a in goal.actions if a.done_on)
    lines.append(
        Content.from_markup("[dim]$done of $total actions done[/]", done=str(done), total=str(len(goal.actions)))
    )
    lines.append(Content.from_markup("[b $text-primary]Capabilities[/]"))
    if not goal.capabilities:
        lines.append(Content.from_markup("[dim]none linked: press e to link some[/]"))
    for capability in goal.capabilities:
        extra = "" if capability.framework == "pcf" else f" {capability.title}"
        lines.append(Content.from_markup("• [b]$label[/]$extra", label=capability.label, extra=extra))
    return Content("\n").join(lines)


def describe_item(plan: PlanRead, item: str | None) -> Content:
    """The highlighted goal, or the highlighted action and the goal it serves."""
    if item is None:
        return Content.from_markup("[dim]No goals yet.[/]")
    kind, _, ident = item.partition("-")
    for goal in plan.goals:
        if kind == "goal" and goal.id == int(ident):
            return describe_goal(goal)
        for action in goal.actions:
            if kind == "action" and action.id == int(ident):
                return Content("\n").join(
                    [
                        Content.from_markup("[b]$title[/]", title=action.title),
                        when(action.due_on, action.done_on, action.overdue),
                        Content.from_markup("[dim]towards[/] $goal", goal=goal.title),
                    ]
                )
    return Content("")


def describe_history(plan: PlanRead) -> Content:
    """Who moved the plan, from what to what, when, and why."""
    if not plan.history:
        return Content.from_markup("[dim]Started $day; not yet submitted.[/]", day=short_date(plan.started_on))
    lines = []
    for change in reversed(plan.history):
        lines.append(
            Content.from_markup(
                "[dim]$day[/] [b]$move[/] ($change) [dim]by[/] $who",
                day=short_date(change.at.date()),
                move=change.move,
                change=f"{change.from_state} → {change.to_state}" if change.from_state else f"→ {change.to_state}",
                who=f"{change.by_name} ({change.by_staff_id})",
            )
        )
        if change.note:
            lines.append(Content.from_markup("  [i]“$note”[/]", note=change.note))
    return Content("\n").join(lines)


class PlanDetail(VerticalScroll):
    """The highlighted goal or action in full."""

    DEFAULT_CSS = """
    PlanDetail { padding: 0 1; & > Static { width: 1fr; } }
    """

    plan: reactive[PlanRead | None] = reactive(None, init=False)
    """The plan the item belongs to."""
    item: reactive[str | None] = reactive(None, init=False)
    """The highlighted item: 'goal-<id>' or 'action-<id>'."""

    def compose(self) -> ComposeResult:
        """The description, filled in as the cursor moves."""
        yield Static(id="plan-detail-text")

    def watch_plan(self) -> None:
        """Describe the item again from the fresh plan."""
        self._draw()

    def watch_item(self) -> None:
        """Describe the newly highlighted item."""
        self._draw()

    def _draw(self) -> None:
        if self.is_mounted:
            text = describe_item(self.plan, self.item) if self.plan else ""
            self.query_one("#plan-detail-text", Static).update(text)


class PlanHistory(VerticalScroll):
    """The plan's moves, newest first."""

    DEFAULT_CSS = """
    PlanHistory { padding: 0 1; & > Static { width: 1fr; } }
    """

    plan: reactive[PlanRead | None] = reactive(None, init=False)
    """The plan whose history is shown."""

    def compose(self) -> ComposeResult:
        """The history text."""
        yield Static(id="plan-history-text")

    def watch_plan(self, plan: PlanRead | None) -> None:
        """Show the plan's history."""
        if self.is_mounted:
            self.query_one("#plan-history-text", Static).update(describe_history(plan) if plan else "")
