"""The evidence screen: a worker's evidence, one piece in detail, and how it covers a framework level."""

from __future__ import annotations

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import DataTable, Label

from progression.services.evidence import accept_evidence, add_evidence, edit_evidence, remove_evidence
from progression.services.evidence import unaccept_evidence as unaccept
from progression.services.evidence_coverage import evidence_overview
from progression.services.evidence_frameworks import capability_choices
from progression.services.evidence_models import EvidenceCreate, EvidenceOverview, EvidenceRead, FrameworkChoice
from screens.context import UiContext
from screens.record_screen import RecordScreen
from screens.safe import plain
from screens.widgets.evidence_detail import EvidenceDetail
from screens.widgets.evidence_dialogs import CoverageTargetModal, RemoveEvidenceDialog, Target
from screens.widgets.evidence_form import EvidenceFormModal
from screens.widgets.evidence_grid import CoverageGrid
from screens.widgets.evidence_table import EvidenceTable


class EvidenceScreen(RecordScreen):
    """A worker's evidence: the list, the highlighted piece, and the coverage grid of a framework level."""

    HELP = (
        "Evidence, recorded once and counted against every framework it touches (PCF, the post-qualifying "
        "standards, an apprenticeship's KSBs). The grid shows each domain, statement or KSB of one framework "
        "level: green has accepted evidence, amber only evidence waiting to be accepted, red none. It opens "
        "on the level the worker's next step asks for; f shows another. Evidence counts towards a next step "
        "once their line manager or educator accepts it."
    )

    BINDING_GROUP_TITLE = "Evidence"

    DEFAULT_CSS = """
    EvidenceScreen {
        #evidence-top { height: 1fr; min-height: 7; }
        #evidence-table, #evidence-detail {
            height: 1fr; border: round $primary 50%; border-title-color: $text-primary;
        }
        #evidence-table { width: 3fr; }
        #evidence-detail { width: 2fr; }
        #coverage {
            height: auto; max-height: 50%; padding: 0 1; scrollbar-size-vertical: 1;
            border: round $success 60%; border-title-color: $text-success; border-subtitle-color: $text-muted;
        }
        #coverage-summary { color: $text-muted; }
        &.-narrow, &.-medium { HeaderIcon, HeaderClockSpace { display: none; } }
        &.-narrow #evidence-table { width: 1fr; }
        &.-narrow #evidence-detail { width: 1fr; }
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-medium"), (110, "-wide")]

    BINDINGS = [
        Binding("a", "add", "Add", tooltip="Record a new piece of evidence", id="evidence-add"),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Change the highlighted evidence (an accepted piece is reviewed again)",
            id="evidence-edit",
        ),
        Binding("x", "remove", "Remove", tooltip="Remove the highlighted evidence, after asking", id="evidence-remove"),
        Binding(
            "A",
            "accept",
            "Accept",
            tooltip="Accept the highlighted evidence (line manager or educator)",
            id="evidence-accept",
        ),
        Binding(
            "U",
            "unaccept",
            "Unaccept",
            tooltip="Withdraw the acceptance of the highlighted evidence",
            id="evidence-unaccept",
        ),
        Binding(
            "f",
            "change_target",
            "Framework",
            tooltip="Show the coverage of another framework or level",
            id="evidence-framework",
        ),
    ]

    overview: reactive[EvidenceOverview | None] = reactive(None, init=False)
    """What was last read for the subject, or None (nothing read, or refused)."""
    highlighted: reactive[EvidenceRead | None] = reactive(None, init=False)
    """The evidence under the list's cursor."""

    table = getters.query_one("#evidence-table", EvidenceTable)
    detail = getters.query_one("#evidence-detail", EvidenceDetail)
    grid = getters.query_one("#coverage-grid", CoverageGrid)

    def __init__(self, context: UiContext) -> None:
        """Prepare the screen.

        Args:
            context: The database, actor and date every service call uses.
        """
        super().__init__(context)
        self.choices: list[FrameworkChoice] = []
        self.target: Target | None = None
        """The framework level picked with f, or None for the subject's default."""
        self.loaded_for: str | None = None
        """Whose records were last read, so a new subject starts on their own default framework level."""

    def compose_body(self) -> ComposeResult:
        """The list beside the detail, and the coverage grid below."""
        with Horizontal(id="evidence-top"):
            yield EvidenceTable(id="evidence-table")
            yield EvidenceDetail(id="evidence-detail")
        with VerticalScroll(id="coverage", can_focus=False):
            yield Label("", id="coverage-summary")
            yield CoverageGrid(id="coverage-grid")

    def on_mount(self) -> None:
        """Name the panels and read the frameworks the picker offers."""
        super().on_mount()
        self.table.border_title = "Evidence"
        self.detail.border_title = "Detail"
        self.query_one("#coverage").border_title = "Coverage"
        self.query_one("#coverage").border_subtitle = "f: another framework"
        self.call_service("choices", capability_choices, self.context.engine, self.context.actor, self.context.today)

    def done_choices(self, choices: list[FrameworkChoice]) -> None:
        """Keep the frameworks for the picker and the framework switch."""
        self.choices = choices
        self.refresh_bindings()

    def no_subject(self) -> None:
        """Nobody is picked yet: say so in the panels too."""
        super().no_subject()
        self.detail.empty = "Press w to pick whose evidence to show."

    def load(self, staff_id: str) -> None:
        """Read the subject's evidence and coverage; a new subject starts on their default framework level."""
        if staff_id != self.loaded_for:
            self.target, self.loaded_for = None, staff_id
        ctx = self.context
        self.call_service("overview", evidence_overview, ctx.engine, ctx.actor, staff_id, ctx.today, self.target)

    def done_overview(self, overview: EvidenceOverview) -> None:
        """Show what was read."""
        if overview.staff_id == self.subject:
            self.overview = overview

    def failed_overview(self, error: Exception) -> None:
        """Show nothing of a worker whose records the actor may not see."""
        self.overview = None
        self.detail.empty = str(error)

    def watch_overview(self, overview: EvidenceOverview | None) -> None:
        """Fill the list, the grid and the titles."""
        self.table.show(overview.evidence if overview else [])
        self.grid.coverage = overview.coverage if overview else None
        coverage = overview.coverage if overview else None
        panel = self.query_one("#coverage")
        panel.border_title = plain(f"Coverage: {coverage.title}" if coverage else "Coverage")
        summary = ""
        if coverage:
            cells = len(coverage.cells)
            summary = (
                f"✓ {coverage.count('accepted')} of {cells} accepted · ◌ {coverage.count('pending')} waiting only"
                f" · {coverage.count('none')} with no evidence"
            )
        self.query_one("#coverage-summary", Label).update(summary)
        if overview is not None:
            whose = "Your" if overview.staff_id == self.context.actor.staff_id else f"{overview.name}'s"
            self.table.border_title = plain(f"{whose} evidence ({len(overview.evidence)})")
            self.detail.empty = (
                "No evidence yet. Press a to record some." if overview.may_edit else "No evidence recorded yet."
            )
        else:
            self.table.border_title = "Evidence"
        self.highlighted = self.table.current(overview.evidence if overview else [])
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#evidence-table")
    def row_highlighted(self) -> None:
        """Describe the evidence under the cursor."""
        self.highlighted = self.table.current(self.overview.evidence if self.overview else [])

    def watch_highlighted(self, evidence: EvidenceRead | None) -> None:
        """Describe the highlighted evidence and offer the keys that apply to it."""
        self.detail.evidence = evidence
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Writing keys for the owner (or an admin), reviewing keys for reviewers; dimmed when not applicable."""
        overview, evidence = self.overview, self.highlighted
        if action in ("add", "edit", "remove"):
            if overview is None or not overview.may_edit:
                return False
            if not self.choices:
                return None
            if action == "add":
                return True
            return evidence is not None and not (action == "remove" and evidence.offered) or None
        if action in ("accept", "unaccept"):
            if overview is None or not overview.may_review:
                return False
            wanted = action == "unaccept"
            return evidence is not None and evidence.accepted == wanted or None
        if action == "change_target":
            return overview is not None and bool(self.choices) or None
        return True

    def _pcf_level(self) -> str | None:
        target = self.overview.target if self.overview else None
        return target[1] if target and target[0] == "pcf" else None

    def action_add(self) -> None:
        """Open the form for new evidence."""
        ctx, staff_id = self.context, self.subject
        if staff_id is None:
            return

        def save(data: EvidenceCreate) -> EvidenceRead:
            return add_evidence(ctx.engine, ctx.actor, staff_id, data, ctx.today)

        form = EvidenceFormModal(today=ctx.today, choices=self.choices, save=save, pcf_level=self._pcf_level())
        self.app.push_screen(form, self.saved)

    def action_edit(self) -> None:
        """Open the form on the highlighted evidence."""
        ctx, evidence = self.context, self.highlighted
        if evidence is None:
            return

        def save(data: EvidenceCreate) -> EvidenceRead:
            return edit_evidence(ctx.engine, ctx.actor, evidence.id, data, ctx.today)

        self.app.push_screen(
            EvidenceFormModal(today=ctx.today, choices=self.choices, save=save, existing=evidence), self.saved
        )

    def saved(self, evidence: EvidenceRead | None) -> None:
        """After the form: say what happened and read again, keeping the saved evidence under the cursor."""
        if evidence is None:
            return
        was = self.highlighted
        cleared = was is not None and was.id == evidence.id and was.accepted and not evidence.accepted
        self.notify("Saved; it needs accepting again." if cleared else "Saved.", title=evidence.title)
        self.table.keep = evidence.id
        self.action_reload()

    def action_remove(self) -> None:
        """Ask, then remove the highlighted evidence."""
        evidence = self.highlighted
        if evidence is None:
            return

        def answered(remove: bool | None) -> None:
            if remove:
                ctx = self.context
                self.call_service("removed", remove_evidence, ctx.engine, ctx.actor, evidence.id)

        self.app.push_screen(RemoveEvidenceDialog(evidence.title), answered)

    def done_removed(self, _: None) -> None:
        """Say it is gone, and read again."""
        self.notify("Evidence removed.")
        self.action_reload()

    def action_accept(self) -> None:
        """Accept the highlighted evidence today."""
        if self.highlighted is not None:
            ctx = self.context
            self.call_service("reviewed", accept_evidence, ctx.engine, ctx.actor, self.highlighted.id, ctx.today)

    def action_unaccept(self) -> None:
        """Withdraw the acceptance of the highlighted evidence."""
        if self.highlighted is not None:
            self.call_service("reviewed", unaccept, self.context.engine, self.context.actor, self.highlighted.id)

    def done_reviewed(self, evidence: EvidenceRead) -> None:
        """Say what changed, and read again."""
        self.notify("Accepted." if evidence.accepted else "Acceptance withdrawn.", title=evidence.title)
        self.table.keep = evidence.id
        self.action_reload()

    def action_change_target(self) -> None:
        """Choose another framework level for the grid."""

        def picked(target: Target | None) -> None:
            if target is not None:
                self.target = target
                self.action_reload()

        current = self.overview.target if self.overview else None
        self.app.push_screen(CoverageTargetModal(self.choices, current), picked)
