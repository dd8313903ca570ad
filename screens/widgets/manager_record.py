"""A read-only view of one report's record: where they stand, their next steps, supervision, caseload and flags."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from progression.services.progress import NextStepsRead, StepRead
from progression.services.team import TeamMember
from progression.services.workers import WorkerStanding
from screens.safe import plain
from screens.widgets.manager_team import FLAG_SENTENCES, full_date
from screens.widgets.standing_panel import describe_standing

WHO_DECIDES = {
    "automatic": "automatic when ready",
    "line_manager": "line manager decides",
    "panel": "panel decides",
    "recruitment": "filled by recruitment",
}
"""Who takes each kind of step, in words."""


def step_lines(step: StepRead) -> list[Content]:
    """A next step: its title, when the worker is ready, who decides, then each requirement met or not."""
    if step.ready:
        when = "[b $text-success]ready now[/]"
    elif step.ready_on:
        when = f"ready on {full_date(step.ready_on)}"
    else:
        when = "[$text-warning]no date yet: something is missing[/]"
    lines = [
        Content.from_markup(
            f"[b]$title[/b] · {when} [$text-muted]($who)[/]",
            title=step.title or step.role,
            who=WHO_DECIDES.get(step.decided_by, step.decided_by),
        )
    ]
    for requirement in step.requirements:
        mark = "[$text-success]✓[/]" if requirement.met else "[$text-error]✗[/]"
        lines.append(Content.from_markup(f"  {mark} $detail", detail=requirement.detail))
    return lines


def team_lines(member: TeamMember) -> list[Content]:
    """Caseload, supervision and flags, as the team view sees them."""
    cap = f" of a cap of {member.caseload_cap}" if member.caseload_cap is not None else ""
    cases = f"{member.caseload} cases{cap}" if member.caseload is not None else "no caseload recorded"
    lines = [
        Content(f"Caseload: {cases}"),
        Content(f"Last individual supervision: {full_date(member.last_supervision)}"),
        Content(f"Next supervision due: {full_date(member.next_supervision)}"),
        Content(f"Last group reflection: {full_date(member.last_group)}"),
        Content("Direct report" if member.direct else "Indirect report (through one of your team)"),
    ]
    for flag in member.flags:
        lines.append(Content.from_markup("[b $text-error]! [/]$flag", flag=FLAG_SENTENCES.get(flag, flag)))
    return lines


class WorkerRecordModal(ModalScreen[None]):
    """One report's record, read only; Escape or Enter closes it."""

    HELP = (
        "A report's record, read only: their role, route, team and time in role, the path they came by, every next "
        "step with each requirement met or missing, their caseload, supervision and flags. Escape closes."
    )

    BINDINGS = [
        Binding("escape,enter", "close", "Close", tooltip="Back to the team"),
    ]

    DEFAULT_CSS = """
    WorkerRecordModal {
        align: center middle;
        background: $background 60%;
        & > VerticalScroll {
            width: 96%;
            max-width: 110;
            height: auto;
            max-height: 96%;
            padding: 0 1;
            border: round $accent;
            border-title-color: $text-accent;
            background: $surface;
            scrollbar-size-vertical: 1;
        }
        & .record-heading { color: $text-primary; text-style: bold; margin-top: 1; }
        & .record-hint { color: $text-muted; margin-top: 1; }
    }
    """

    def __init__(self, standing: WorkerStanding, steps: NextStepsRead, member: TeamMember | None) -> None:
        """Prepare the record.

        Args:
            standing: Where the worker stands today.
            steps: Their next steps, with requirements.
            member: Their row of the team view (caseload, supervision, flags), when known.
        """
        super().__init__()
        self.standing, self.steps, self.member = standing, steps, member

    def compose(self) -> ComposeResult:
        """Standing, next steps, then caseload, supervision and flags."""
        with VerticalScroll(id="record-box") as box:
            box.border_title = plain(f"{self.standing.name} ({self.standing.staff_id})")
            yield Static(describe_standing(self.standing), id="record-standing")
            yield Label("Next steps", classes="record-heading")
            lines = [line for step in self.steps.next_steps for line in step_lines(step)]
            yield Static(Content("\n").join(lines) if lines else "No next step from this role.", id="record-steps")
            if self.member is not None:
                yield Label("Caseload and supervision", classes="record-heading")
                yield Static(Content("\n").join(team_lines(self.member)), id="record-team")
            yield Label("Read only · Esc closes", classes="record-hint")

    def action_close(self) -> None:
        """Back to the team."""
        self.dismiss(None)
