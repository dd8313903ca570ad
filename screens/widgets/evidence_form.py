"""The add/edit evidence form: title, date, kind, reflection, file, and the capabilities it counts towards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Select
from textual.worker import Worker, WorkerState

from progression.errors import InputError, ProgressionError
from progression.fields import column_limit
from progression.models import Evidence
from progression.services.evidence_models import KIND_TITLES, KINDS, EvidenceCreate, EvidenceRead, FrameworkChoice
from screens.widgets.evidence_picker import CapabilityPicker
from screens.widgets.form import FormField, check_all

Save = Callable[[EvidenceCreate], EvidenceRead]
"""Writes the evidence through a service (add or edit) and returns what was saved."""


class EvidenceFormModal(ModalScreen[EvidenceRead | None]):
    """Record or change a piece of evidence. Ctrl+S saves, Escape cancels; errors show under their field."""

    HELP = (
        "Record a piece of evidence once and tick every capability it counts towards, across frameworks: "
        "type in the filter to find a PCF domain, a PQS statement or an apprenticeship KSB, and press Space "
        "to tick it. The PCF level applies to the PCF domains ticked."
    )

    DEFAULT_CSS = """
    EvidenceFormModal {
        align: center middle;
        & > #evidence-form {
            width: 100%; height: 100%; max-width: 150; max-height: 46;
            border: thick $primary 60%; border-title-color: $text-primary; background: $surface;
        }
        #form-columns { height: auto; }
        #form-fields, #form-picker { height: auto; }
        #date-and-kind { height: auto; }
        #evidence-date { width: 18; margin-right: 1; }
        #evidence-kind-field { width: 1fr; height: auto; }
        #evidence-kind-field > Label { color: $text-muted; }
        #evidence-reflection > TextArea { height: 4; }
        #form-hint { dock: bottom; width: 100%; color: $text-muted; padding: 0 1; }
        &.-narrow #form-columns { layout: vertical; }
        &.-wide {
            #form-fields { width: 1fr; margin-right: 1; }
            #form-picker { width: 1fr; }
        }
        &.-tall {
            & > #evidence-form { height: auto; }
            #form-scroll { height: auto; }
            #form-picker #picker-list { height: 20; }
            #evidence-reflection > TextArea { height: 12; }
        }
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (78, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the evidence"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving"),
    ]

    def __init__(
        self,
        *,
        today: date,
        choices: list[FrameworkChoice],
        save: Save,
        existing: EvidenceRead | None = None,
        pcf_level: str | None = None,
    ) -> None:
        """Prepare the form.

        Args:
            today: The date taken as today: evidence cannot happen after it.
            choices: The frameworks in force, for the capability picker.
            save: Writes the evidence (add or edit) and returns it; run off the UI thread.
            existing: The evidence being edited, or None to record new evidence.
            pcf_level: The PCF level to start with for new evidence (the coverage target's).
        """
        super().__init__()
        self.today, self.choices, self.save_fn, self.existing = today, choices, save, existing
        pcf_levels = [link.level for link in existing.links if link.framework == "pcf"] if existing else []
        self.pcf_level = max(set(pcf_levels), key=pcf_levels.count) if pcf_levels else pcf_level

    def compose(self) -> ComposeResult:
        """The fields beside (wide) or above (narrow) the capability picker, and a hint line."""
        old = self.existing
        with Vertical(id="evidence-form") as form:
            form.border_title = "Change evidence" if old else "Record evidence"
            with VerticalScroll(id="form-scroll"), Horizontal(id="form-columns"):
                with Vertical(id="form-fields"):
                    yield FormField(
                        "Title",
                        required=True,
                        value=old.title if old else "",
                        id="evidence-title",
                        limit=column_limit(Evidence, "title"),
                    )
                    with Horizontal(id="date-and-kind"):
                        yield FormField(
                            "Date",
                            kind="date",
                            required=True,
                            id="evidence-date",
                            value=old.happened_on.isoformat() if old else self.today.isoformat(),
                        )
                        with Vertical(id="evidence-kind-field"):
                            yield Label("Kind")
                            yield Select(
                                [(KIND_TITLES[k], k) for k in KINDS],
                                allow_blank=False,
                                value=old.kind if old and old.kind in KINDS else "observation",
                                id="evidence-kind",
                            )
                    yield FormField(
                        "Reflection", kind="multiline", value=old.reflection if old else "", id="evidence-reflection"
                    )
                    yield FormField(
                        "File (a path on this machine, optional)",
                        id="evidence-file",
                        value=(old.file_path or "") if old else "",
                    )
                yield CapabilityPicker(self.choices, old.links if old else [], self.pcf_level, id="form-picker")
            yield Label("Ctrl+S saves · Esc cancels · Tab moves · Space ticks a capability", id="form-hint")

    def on_mount(self) -> None:
        """Start in the title."""
        self.query_one("#evidence-title-input").focus()

    def form_field(self, name: str) -> FormField:
        """One of the form's fields by name: title, date, reflection, file."""
        return self.query_one(f"#evidence-{name}", FormField)

    def action_save(self) -> None:
        """Check the fields in place, then save through the service."""
        title, day = self.form_field("title"), self.form_field("date")
        picker = self.query_one(CapabilityPicker)
        valid = check_all(title, day, self.form_field("file"))
        if valid and day.date_value and day.date_value > self.today:
            day.show_error(f"{day.date_value} is in the future (today is {self.today})")
            valid = False
        links = picker.links
        picker.show_error(None if links else "Tick at least one capability")
        if not valid or not links:
            return
        kind = self.query_one("#evidence-kind", Select).value
        data = EvidenceCreate(
            title=title.text,
            happened_on=day.date_value,
            kind=kind if isinstance(kind, str) else "other",
            reflection=self.form_field("reflection").text,
            file_path=self.form_field("file").text or None,
            links=links,
        )
        self.save_evidence(data)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save", description="Saving the evidence")
    def save_evidence(self, data: EvidenceCreate) -> EvidenceRead:
        """Save off the UI thread; the result closes the form."""
        return self.save_fn(data)

    @on(Worker.StateChanged)
    def saved_or_not(self, event: Worker.StateChanged) -> None:
        """Close with the saved evidence, or show each problem under its field and stay open."""
        event.stop()
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, InputError):
                self.show_problems(error)
            elif isinstance(error, ProgressionError):
                self.notify(str(error), title="Not saved", severity="error")
            else:
                self.notify(f"{type(error).__name__}: {error}", title="Not saved", severity="error")

    def show_problems(self, error: InputError) -> None:
        """Put each of the service's problems under the field it names."""
        places = {"title": "title", "happened_on": "date", "file_path": "file", "reflection": "reflection"}
        picker_problems = []
        for problem in error.problems:
            name = places.get(problem.place)
            if name is not None:
                self.form_field(name).show_error(problem.message)
            elif problem.place.startswith("links"):
                picker_problems.append(problem.message)
            else:
                self.notify(str(problem), title="Not saved", severity="error")
        if picker_problems:
            self.query_one(CapabilityPicker).show_error("; ".join(picker_problems))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
