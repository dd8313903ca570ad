"""The plan's goals and, under each, its actions: one list to move through, overdue actions standing out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from progression.services.plans import ActionRead, GoalRead, PlanRead


def short_date(day: date) -> str:
    """A date as people write it: '1 Mar 2027'."""
    return f"{day.day} {day:%b %Y}"


def when(due_on: date | None, done_on: date | None, overdue: bool) -> Content:
    """Due and done dates in words; an overdue item says so in the error colour."""
    if done_on is not None:
        return Content.from_markup("[$text-success]done $day[/]", day=short_date(done_on))
    if due_on is None:
        return Content.from_markup("[dim]no due date[/]")
    if overdue:
        return Content.from_markup("[b $text-error]overdue[/] [$text-error]$day[/]", day=short_date(due_on))
    return Content.from_markup("[dim]due $day[/]", day=short_date(due_on))


DATE_COLUMN = 20
"""Cells for an action's date, so the titles line up after it."""


def goal_prompt(number: int, goal: GoalRead) -> Content:
    """A goal's two lines: its mark, number and title; then its dates, actions done and capabilities."""
    mark = "[$text-success]✓[/]" if goal.done_on else "◆"
    done = sum(1 for a in goal.actions if a.done_on)
    head = Content.from_markup(f"{mark} [b]$number. $title[/b]", number=str(number), title=goal.title)
    links = ", ".join(c.label for c in goal.capabilities) or "no capabilities linked"
    facts = Content.from_markup(
        "[dim] · $done/$total done · [/][$text-primary]$links[/]",
        done=str(done),
        total=str(len(goal.actions)),
        links=links,
    )
    return Content.assemble(head, "\n     ", when(goal.due_on, goal.done_on, goal.overdue), facts)


def action_prompt(action: ActionRead) -> Content:
    """An action's line under its goal: its box, its date in a column, then its title."""
    mark = "[$text-success]☑[/]" if action.done_on else ("[$text-error]☐[/]" if action.overdue else "☐")
    dated = when(action.due_on, action.done_on, action.overdue)
    title = Content.from_markup("[$text-error]$title[/]" if action.overdue else "$title", title=action.title)
    return Content.assemble(Content.from_markup(f"     {mark} "), dated, " " * max(1, DATE_COLUMN - len(dated)), title)


def item_id(kind: str, ident: int) -> str:
    """The option id of a goal or an action: 'goal-12', 'action-40'."""
    return f"{kind}-{ident}"


class PlanItems(OptionList):
    """Lists the plan's goals, each followed by its actions; tells the screen which item is highlighted."""

    DEFAULT_CSS = """
    PlanItems {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .option-list--option { padding: 0 1 0 0; }
    }
    """

    @dataclass
    class ItemHighlighted(Message):
        """The cursor moved to a goal or an action."""

        item: str | None
        """'goal-<id>' or 'action-<id>', or None when the list is empty."""

    plan: reactive[PlanRead | None] = reactive(None, init=False)
    """The plan whose goals and actions are listed."""

    def watch_plan(self, plan: PlanRead | None) -> None:
        """List the plan's items again, keeping the cursor on the same item where it still exists."""
        kept = self.highlighted_option.id if self.highlighted_option else None
        options: list[Option | None] = []
        for number, goal in enumerate(plan.goals if plan else [], start=1):
            if options:
                options.append(None)
            options.append(Option(goal_prompt(number, goal), id=item_id("goal", goal.id)))
            options += [Option(action_prompt(a), id=item_id("action", a.id)) for a in goal.actions]
        self.set_options(options)
        ids = [o.id for o in self.options]
        if kept in ids:
            self.highlighted = ids.index(kept)
        elif ids:
            self.highlighted = 0
        self.post_message(self.ItemHighlighted(self.highlighted_option.id if self.highlighted_option else None))

    def show_item(self, item: str) -> None:
        """Move the cursor to an item (a goal or action just added)."""
        ids = [o.id for o in self.options]
        if item in ids:
            self.highlighted = ids.index(item)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.ItemHighlighted(event.option.id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
