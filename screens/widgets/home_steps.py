"""The next-step cards: each step out of the worker's role, who decides, when it is ready, and what is missing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Label, ProgressBar, Static

from progression.services.progress import NextStepsRead, RequirementRead, StepRead
from screens.safe import plain
from screens.widgets.home_words import REQUIREMENT_NAMES, WHO_DECIDES, readiness


def missing_words(requirement: RequirementRead, titles: dict[str, str]) -> str | None:
    """What is still missing for a requirement, by title where the reference data has one."""
    if requirement.met or not requirement.missing:
        return None
    return "Missing: " + ", ".join(titles.get(code, code) for code in requirement.missing)


class RequirementRow(Vertical):
    """One requirement: its name and a bar of progress so far, then the detail in words and what is missing."""

    DEFAULT_CSS = """
    RequirementRow {
        height: auto;
        & > Horizontal { height: 1; }
        & .req-name { width: 20; }
        & .req-name.-met { color: $text-success; }
        & ProgressBar { width: 1fr; max-width: 48; }
        & ProgressBar Bar { width: 1fr; }
        & .req-count { width: 8; padding-left: 1; color: $text-muted; }
        & .req-detail { padding-left: 2; color: $text-muted; }
        & .req-missing { padding-left: 2; color: $text-warning; }
    }
    """

    def __init__(self, requirement: RequirementRead, titles: dict[str, str]) -> None:
        """Show one requirement.

        Args:
            requirement: The requirement and how far the worker is.
            titles: Capability titles by code, to name what is missing.
        """
        super().__init__()
        self.requirement, self.titles = requirement, titles

    def compose(self) -> ComposeResult:
        """Name and bar on one line, the detail below, then what is missing."""
        requirement = self.requirement
        so_far, needed = requirement.progress or ((1, 1) if requirement.met else (0, 1))
        name = REQUIREMENT_NAMES.get(requirement.kind, requirement.kind)
        with Horizontal():
            mark = "✓ " if requirement.met else "· "
            yield Label(mark + name, classes="req-name -met" if requirement.met else "req-name")
            yield ProgressBar(total=max(needed, 1), show_eta=False, show_percentage=False)
            count = f"{so_far}/{needed}" if requirement.progress else ("met" if requirement.met else "not met")
            yield Label(count, classes="req-count")
        yield Static(requirement.detail, classes="req-detail", markup=False)
        missing = missing_words(requirement, self.titles)
        if missing:
            yield Static(missing, classes="req-missing", markup=False)

    def on_mount(self) -> None:
        """Fill the bar to the progress so far (full once met: the count beside it keeps the real figure)."""
        so_far, needed = self.requirement.progress or ((1, 1) if self.requirement.met else (0, 1))
        self.query_one(ProgressBar).progress = min(so_far, max(needed, 1))


class StepCard(Vertical, can_focus=True):
    """One next step: the target role, its route, who decides and when it is ready, then each requirement."""

    DEFAULT_CSS = """
    StepCard {
        height: auto;
        padding: 0 1;
        margin: 0 0 1 0;
        border: round $primary 40%;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        &.-ready { border-subtitle-color: $text-success; border-subtitle-style: bold; }
        &:focus { border: round $accent; background: $boost; }
        & > .step-meta { color: $text-muted; }
    }
    """

    def __init__(self, step: StepRead, route_title: str, titles: dict[str, str]) -> None:
        """Show one next step.

        Args:
            step: The step and its requirements.
            route_title: The title of the route the target role is on.
            titles: Capability titles by code, to name what is missing.
        """
        super().__init__(classes="-ready" if step.ready else "")
        self.step, self.route_title, self.titles = step, route_title, titles
        self.border_title = plain(step.title)
        self.border_subtitle = readiness(step)

    def compose(self) -> ComposeResult:
        """The route and who decides, then each requirement."""
        who = WHO_DECIDES.get(self.step.decided_by, self.step.decided_by)
        yield Static(Content(f"{self.route_title} · {who} · {readiness(self.step)}"), classes="step-meta")
        for requirement in self.step.requirements:
            yield RequirementRow(requirement, self.titles)


class StepList(Vertical):
    """Every next step out of the worker's role, one card each, in the council's order."""

    DEFAULT_CSS = """
    StepList {
        height: auto;
        & > .nothing { color: $text-muted; padding: 0 1; }
    }
    """

    next_steps: reactive[NextStepsRead | None] = reactive(None, recompose=True)
    """The worker's next steps; None while reading."""
    route_titles: reactive[dict[str, str]] = reactive(dict, recompose=True)
    """Route titles by key."""
    titles: reactive[dict[str, str]] = reactive(dict, recompose=True)
    """Capability titles by code, to name what is missing."""
    waiting: reactive[str] = reactive("Reading next steps…", recompose=True)
    """What to say while there are no steps to show."""

    class Shown(Message):
        """The cards for new next steps have been drawn."""

    async def recompose(self) -> None:
        """Draw the cards again, then say so (the screen puts focus back on a card)."""
        await super().recompose()
        self.post_message(self.Shown())

    def compose(self) -> ComposeResult:
        """A card per step, or a line saying there is none."""
        if self.next_steps is None:
            yield Static(self.waiting, classes="nothing", markup=False)
            return
        if not self.next_steps.next_steps:
            yield Static("No further step leads out of this role in the council's routes.", classes="nothing")
        for step in self.next_steps.next_steps:
            yield StepCard(step, self.route_titles.get(step.route, step.route), self.titles)

    def card_for(self, role: str) -> StepCard | None:
        """The card of the step to `role`, if shown."""
        return next((card for card in self.query(StepCard) if card.step.role == role), None)
