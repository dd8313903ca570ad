"""The ask-to-progress dialog: the step asked for, a note for whoever decides, and the evidence to offer."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from progression.fields import free_text_limit
from progression.models import ProgressionRequest
from progression.services.progress import StepRead
from progression.services.requests import EvidenceChoice
from screens.widgets.form import FormField
from screens.widgets.home_words import WHO_DECIDES, day_words, readiness


@dataclass(frozen=True)
class RequestDraft:
    """What the worker filled in: the note, and the ids of the evidence they offer."""

    note: str
    evidence_ids: list[int]


def evidence_prompt(choice: EvidenceChoice) -> Content:
    """One piece of evidence: its title and date, marked when a reviewer has accepted it."""
    mark = "[$text-success]✓ accepted[/]" if choice.accepted else "[$text-muted]not yet accepted[/]"
    return Content.from_markup(f"$title [$text-muted]{day_words(choice.happened_on)}[/] · {mark}", title=choice.title)


class RequestModal(ModalScreen[RequestDraft | None]):
    """Ask to move to the next step; dismisses with the draft, or None when cancelled."""

    HELP = (
        "Ask to progress: write a note for whoever decides (required when the step is not ready yet) and "
        "choose the evidence to offer with Space. Ctrl+S or Submit sends the request; Escape cancels."
    )

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without asking"),
        Binding("ctrl+s", "submit", "Submit", tooltip="Send the request"),
    ]

    DEFAULT_CSS = """
    RequestModal {
        align: center middle;
        background: $background 60%;
        & > VerticalScroll {
            width: 96%;
            max-width: 90;
            height: auto;
            max-height: 95%;
            padding: 0 1;
            border: round $accent;
            border-title-color: $text-accent;
            background: $surface;
        }
        & .step-summary { margin-bottom: 1; }
        & .field-label, & .nothing, & .hint { color: $text-muted; }
        & SelectionList { height: auto; max-height: 8; margin-bottom: 1; }
        & Horizontal { height: auto; }
        & Button { margin-right: 2; }
    }
    """

    def __init__(self, step: StepRead, from_title: str, choices: list[EvidenceChoice]) -> None:
        """Prepare the dialog.

        Args:
            step: The next step asked for.
            from_title: The title of the worker's current role.
            choices: The worker's evidence, any of which may be offered.
        """
        super().__init__()
        self.step, self.from_title, self.choices = step, from_title, choices

    def compose(self) -> ComposeResult:
        """The step, the note, the evidence and the buttons."""
        step = self.step
        with VerticalScroll(id="request-dialog") as box:
            box.border_title = "Ask to progress"
            yield Static(
                Content.from_markup(
                    "$from → [b]$to[/b]\n[$text-muted]$who · $ready[/]",
                    to=step.title,
                    who=WHO_DECIDES.get(step.decided_by, step.decided_by),
                    ready=readiness(step),
                    **{"from": self.from_title},
                ),
                classes="step-summary",
            )
            label = "Note for whoever decides" + ("" if step.ready else " (say why you ask before the date)")
            yield FormField(
                label,
                kind="multiline",
                required=not step.ready,
                limit=free_text_limit("note", ProgressionRequest, "note"),  # the service's limit
                id="request-note",
            )
            yield Label("Evidence to offer (Space chooses)", classes="field-label")
            if self.choices:
                yield SelectionList[int](
                    *(Selection(evidence_prompt(c), c.id) for c in self.choices), id="request-evidence"
                )
            else:
                yield Static("No evidence recorded yet; you can ask without it.", classes="nothing")
            with Horizontal():
                yield Button("Submit", id="submit-request-button", variant="primary")
                yield Button("Cancel", id="cancel-request-button")
            yield Label("Ctrl+S submits · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        """Start in the note."""
        self.query_one("#request-note-input").focus()

    @on(Button.Pressed, "#submit-request-button")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel-request-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_submit(self) -> None:
        """Check the note and send the draft back; an error shows under the note and keeps what was typed."""
        note = self.query_one("#request-note", FormField)
        if not note.check():
            note.query_one("#request-note-input").focus()
            return
        chosen = self.query(SelectionList).first().selected if self.choices else []
        self.dismiss(RequestDraft(note=note.text, evidence_ids=list(chosen)))

    def action_cancel(self) -> None:
        """Close without asking."""
        self.dismiss(None)
