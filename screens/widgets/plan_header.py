"""The plan's heading: whose plan, what it aims at, its state as a stepper, and how many actions are done."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.plans import STATES, PlanPage, PlanRead

BAR_WIDTH = 10
"""Cells in the progress bar."""


def stepper(state: str) -> Content:
    """The four states in order: those passed ticked, the current one highlighted, those ahead dim."""
    here = STATES.index(state)
    parts = []
    for index, name in enumerate(STATES):
        if index < here:
            parts.append(Content.from_markup("[$text-success]✓ $name[/]", name=name))
        elif index == here:
            parts.append(Content.from_markup("[b reverse $text-accent] ● $name [/]", name=name))
        else:
            parts.append(Content.from_markup("[dim]○ $name[/]", name=name))
    return Content.from_markup("[dim] ─ [/]").join(parts)


def progress_bar(done: int, total: int) -> Content:
    """'▰▰▰▱▱ 3/5 actions done', or a note that there are no actions yet."""
    if total == 0:
        return Content.from_markup("[dim]no actions yet[/]")
    filled = round(BAR_WIDTH * done / total)
    return Content.from_markup(
        "[$text-success]$filled[/][dim]$empty[/] $done/$total actions done",
        filled="▰" * filled,
        empty="▱" * (BAR_WIDTH - filled),
        done=str(done),
        total=str(total),
    )


def heading(page: PlanPage, plan: PlanRead | None) -> Content:
    """The first line: the plan's title, whose it is and the role it aims at."""
    who = Content.from_markup("[dim]$name ($staff)[/]", name=page.worker_name, staff=page.staff_id)
    if plan is None:
        return Content.assemble(Content.from_markup("[b]No development plan yet[/]  "), who)
    aim = f"  aiming for {plan.target_role_title}" if plan.target_role_title else ""
    started = f"  started {plan.started_on.day} {plan.started_on:%b %Y}"
    return Content.assemble(
        Content.from_markup("[b]$title[/]  ", title=plan.title),
        who,
        Content.from_markup("[dim]$aim$started[/]", aim=aim, started=started),
    )


class PlanHeader(Vertical):
    """Two lines above the plan: the heading, then the state stepper beside the progress bar."""

    DEFAULT_CSS = """
    PlanHeader {
        height: auto;
        padding: 0 1;
        background: $boost;
        & > Static { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """

    page: reactive[PlanPage | None] = reactive(None, init=False)
    """The worker and what the actor may do, or None until read (or when refused)."""
    plan: reactive[PlanRead | None] = reactive(None, init=False)
    """The plan shown, or None when the worker has none."""

    def compose(self) -> ComposeResult:
        """The heading and the state line."""
        yield Static(id="plan-heading")
        yield Static(id="plan-state")

    def watch_page(self) -> None:
        """Describe the worker again."""
        self._draw()

    def watch_plan(self) -> None:
        """Describe the plan again."""
        self._draw()

    def _draw(self) -> None:
        if not self.is_mounted:
            return
        title, state = self.query_one("#plan-heading", Static), self.query_one("#plan-state", Static)
        if self.page is None:
            title.update(Content.from_markup("[dim]Development plan[/]"))
            state.update("")
            return
        title.update(heading(self.page, self.plan))
        if self.plan is None:
            state.update(Content.from_markup("[dim]Goals and actions tied to the capabilities a next step needs.[/]"))
        else:
            state.update(
                Content.assemble(
                    stepper(self.plan.state), "   ", progress_bar(self.plan.actions_done, self.plan.actions_total)
                )
            )
