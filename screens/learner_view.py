"""One learner's record for their educator: off-the-job hours, KSBs, reviews and gateway; days; the first year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Label

from progression.reference import reference
from progression.services.actor import Actor
from progression.services.evidence_coverage import coverage
from progression.services.evidence_models import CoverageRead
from progression.services.learner_records import LearnerRecord, hours_over_time, learner_record, verify_otj
from progression.services.learners import LearnerRead, learners
from screens.context import UiContext
from screens.safe import plain
from screens.widgets.evidence_grid import CoverageGrid
from screens.widgets.learners_actions import LearnerActionsScreen
from screens.widgets.learners_chart import HoursChart, Points
from screens.widgets.learners_entries import DaysTable, EntriesTable, ReviewsTable
from screens.widgets.learners_facts import FirstYearPanel, LearnerFacts
from screens.widgets.learners_otj import GatewayPanel, OtjPanel
from screens.widgets.learners_placement import PlacementPanel
from screens.widgets.learners_words import short_date

FIRST_YEAR_TITLES = {"asye": "Assessed and supported year", "ecdp": "Early career development programme"}
KIND_CLASSES = {"apprenticeship": "-is-apprentice", "placement": "-is-student", "asye": "-is-nq", "ecdp": "-is-nq"}


@dataclass(frozen=True)
class LearnerFile:
    """Everything the view reads at once for one enrolment."""

    record: LearnerRecord
    learner: LearnerRead | None
    """Where the learner stands today; None when they are not among the actor's learners."""
    points: Points
    rule_title: str
    max_skills: int | None


def read_learner(engine: Engine, actor: Actor, enrolment_id: int, on: date) -> LearnerFile:
    """Read the enrolment's records (refused unless the actor is its educator, its learner or an admin), where
    the learner stands, their verified hours by week, and the names of the rules that apply."""
    record = learner_record(engine, actor, enrolment_id, on)
    found = next(iter(learners(engine, actor, on, enrolment_id=enrolment_id)), None)
    data, rule_title, max_skills, points = reference(), "", None, []
    if record.kind == "apprenticeship" and record.start:
        rule_title = data.otj_rule_for_start(record.start).title
        points = hours_over_time(record, found.otj_hours_required if found else None)
    if record.kind == "placement":
        max_skills = data.placement_rule_on(on).max_skills_days
    return LearnerFile(record, found, points, rule_title, max_skills)


class LearnerScreen(LearnerActionsScreen):
    """One learner's record, pushed from the learners dashboard; Escape goes back."""

    HELP = (
        "One learner. Apprentices: the off-the-job rule of their start date and how the hours required were worked "
        "out, verified hours against them (only verified hours count), the forecast and the hours a week still "
        "needed, the entries (l logs hours, v verifies the highlighted entry, V every waiting one), a chart of "
        "verified hours against the plan, KSB coverage, reviews (r records one: choose which scheduled review; "
        "without an outcome and the three signatures it is a draft, not held) and the gateway checklist. "
        "Students: days against the 200-day rule, skills days, settings, statutory tasks and the final placement's "
        "educator (d logs a day). Newly qualified workers: the assessed year, reviews, protected time and caseload "
        "against the cap, which end with the programme. s changes the status (a break in learning moves the planned "
        "end). Something entered by mistake: Tab to its table, then e corrects the highlighted entry, review or day "
        "and x removes it (the educator; an apprentice their own hours not yet verified); the audit log keeps both."
    )

    BINDING_GROUP_TITLE = "Learner"

    BINDINGS = [
        *Screen.BINDINGS,
        Binding("escape", "back", "Back", tooltip="Back to the learners list", id="learner-back"),
        Binding("l", "log_hours", "Log hours", tooltip="Log off-the-job hours", id="learner-log-hours"),
        Binding("v", "verify", "Verify", tooltip="Verify the highlighted entry (educator)", id="learner-verify"),
        Binding(
            "V",
            "verify_all",
            "Verify all",
            tooltip="Verify every entry still waiting (educator)",
            id="learner-verify-all",
        ),
        Binding("d", "log_day", "Log day", tooltip="Log a placement or skills day", id="learner-log-day"),
        Binding("r", "review", "Review", tooltip="Record a scheduled review held (educator)", id="learner-review"),
        Binding(
            "e",
            "correct",
            "Correct",
            tooltip="Correct the highlighted entry, review or placement day",
            id="learner-correct",
        ),
        Binding(
            "x",
            "remove",
            "Remove",
            tooltip="Remove the highlighted entry or day, or take back a review (asks first)",
            id="learner-remove",
        ),
        Binding(
            "s",
            "change_status",
            "Status",
            tooltip="Change the status from a date: break, return, withdraw, gateway, completed (educator)",
            id="learner-status",
        ),
        Binding("ctrl+r", "reload", "Refresh", show=False, tooltip="Read the record again"),
    ]

    DEFAULT_CSS = """
    LearnerScreen {
        #learner-body { height: 1fr; scrollbar-size-vertical: 1; }
        #learner-columns { height: auto; layout: vertical; }
        .learner-column { height: auto; }
        .learner-panel {
            height: auto; padding: 0 1; border: round $primary 50%;
            border-title-color: $text-primary; border-subtitle-color: $text-muted;
        }
        EntriesTable.learner-panel, ReviewsTable.learner-panel, DaysTable.learner-panel { padding: 0; }
        #otj-chart { height: 14; padding: 0; }
        #ksb-summary { color: $text-muted; }
        .-apprentice, .-student, .-nq { display: none; }
        &.-is-apprentice .-apprentice { display: block; }
        &.-is-student .-student { display: block; }
        &.-is-nq .-nq { display: block; }
        &.-wide #learner-columns { layout: horizontal; }
        &.-wide .learner-column { width: 1fr; }
        &.-narrow HeaderIcon { display: none; }
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    learner: reactive[LearnerRead | None] = reactive(None, init=False)
    """Where the learner stands today."""
    record: reactive[LearnerRecord | None] = reactive(None, init=False)
    """Everything recorded against the enrolment."""
    rule_title: reactive[str] = reactive("", init=False)
    """The off-the-job rule of an apprentice's start date, in words."""
    max_skills: reactive[int | None] = reactive(None, init=False)
    """At most how many skills days count (students)."""

    entries = getters.query_one("#otj-entries", EntriesTable)
    reviews = getters.query_one("#reviews", ReviewsTable)
    days = getters.query_one("#placement-days", DaysTable)

    def __init__(self, context: UiContext, enrolment_id: int) -> None:
        """Prepare the view.

        Args:
            context: The database, actor and date every service call uses.
            enrolment_id: The learner's enrolment to show.
        """
        super().__init__(context)
        self.enrolment_id = enrolment_id

    def compose_body(self) -> ComposeResult:
        """The facts, then two columns (one below the other when narrow); panels show by kind of learner."""
        S = LearnerScreen
        with VerticalScroll(id="learner-body"):
            yield LearnerFacts(id="learner-facts", classes="learner-panel").data_bind(S.learner, S.record)
            with Horizontal(id="learner-columns"):
                with Vertical(classes="learner-column"):
                    yield OtjPanel(id="otj", classes="learner-panel -apprentice").data_bind(
                        S.learner, S.record, S.rule_title
                    )
                    yield HoursChart(id="otj-chart", classes="learner-panel -apprentice")
                    yield GatewayPanel(id="gateway", classes="learner-panel -apprentice").data_bind(S.learner)
                    yield PlacementPanel(id="placement", classes="learner-panel -student").data_bind(
                        S.learner, S.record, S.max_skills
                    )
                    yield FirstYearPanel(id="first-year", classes="learner-panel -nq").data_bind(S.learner)
                with Vertical(classes="learner-column"):
                    yield EntriesTable(id="otj-entries", classes="learner-panel -apprentice")
                    with Vertical(id="ksb", classes="learner-panel -apprentice"):
                        yield Label("Reading the KSBs…", id="ksb-summary")
                        yield CoverageGrid(id="ksb-grid")
                    yield DaysTable(id="placement-days", classes="learner-panel -student")
                    yield ReviewsTable(id="reviews", classes="learner-panel")

    def on_mount(self) -> None:
        """Name the panels and read the record."""
        titles = {
            "#learner-facts": "Learner",
            "#otj": "Off-the-job hours",
            "#otj-chart": "Verified hours against the plan",
            "#gateway": "Gateway",
            "#placement": "Placement days",
            "#first-year": "Assessed first year",
            "#otj-entries": "Entries",
            "#ksb": "KSB coverage",
            "#reviews": "Reviews",
            "#placement-days": "Days logged",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = plain(title)
        self.query_one(FirstYearPanel).today = self.context.today
        self.query_one(HoursChart).today = self.context.today
        self.query_one("#learner-body").focus()
        self.action_reload()

    def action_reload(self) -> None:
        """Read the record again."""
        ctx = self.context
        self.call_service("file", read_learner, ctx.engine, ctx.actor, self.enrolment_id, ctx.today)

    def done_file(self, file: LearnerFile) -> None:
        """Show what was read, and read the KSB coverage of an apprentice's standard."""
        record, learner = file.record, file.learner
        for kind_class in set(KIND_CLASSES.values()):
            self.set_class(KIND_CLASSES.get(record.kind) == kind_class, kind_class)
        self.rule_title, self.max_skills = file.rule_title, file.max_skills
        self.record, self.learner = record, learner
        self.query_one("#learner-facts").border_title = plain(f"{record.name} ({record.staff_id})")
        self.query_one("#first-year").border_title = FIRST_YEAR_TITLES.get(record.kind, "")
        self.reviews.border_subtitle = self._reviews_subtitle()
        self.sub_title = f"{record.name} ({record.staff_id})"
        if learner is None:
            self.query_one("#learner-facts", LearnerFacts).empty = f"{record.name} is not one of your learners today."
        chart = self.query_one(HoursChart)
        chart.points = file.points
        required = learner.otj_hours_required if learner else None
        ends = learner.planned_end if learner else None
        chart.plan = (record.start, ends, required) if record.start and ends and required else None
        self.entries.show(record.entries)
        self.entries.border_subtitle = self._entries_subtitle()
        self.reviews.show(record.reviews, record.next_review, record.status in ("completed", "withdrawn"))
        self.days.show(record.days)
        self.days.border_subtitle = f"{len(record.days)} days" if record.days else "none logged yet"
        if record.kind == "apprenticeship":
            ctx = self.context
            self.call_service(
                "coverage", coverage, ctx.engine, ctx.actor, record.staff_id, record.programme, None, ctx.today
            )
        self.refresh_bindings()

    def failed_file(self, error: Exception) -> None:
        """Show nothing of a learner the actor may not see."""
        self.record = self.learner = None
        self.query_one("#learner-facts", LearnerFacts).empty = str(error)

    def done_coverage(self, found: CoverageRead) -> None:
        """Colour the KSB grid."""
        self.query_one(CoverageGrid).coverage = found
        self.query_one("#ksb").border_title = plain(f"KSB coverage: {found.title}")
        self.query_one("#ksb-summary", Label).update(
            f"✓ {found.count('accepted')} of {len(found.cells)} accepted · ◌ {found.count('pending')} waiting only"
            f" · {found.count('none')} with no evidence"
        )

    def failed_coverage(self, error: Exception) -> None:
        """Say why there is no grid."""
        self.query_one("#ksb-summary", Label).update(plain(error))

    def _entries_subtitle(self) -> str:
        waiting, logged = len(self.entries.unverified()), len(self.entries.entries)
        if not logged:
            return "none logged yet"
        return f"{logged} entries · {waiting} waiting" if waiting else f"{logged} entries, all verified"

    def _reviews_subtitle(self) -> str:
        record = self.record
        if record is None or not record.reviews:
            return "none scheduled or recorded"
        upcoming = record.next_review
        if upcoming is None:
            return "none due"
        late = upcoming.due_on is not None and upcoming.due_on < self.context.today
        return f"next: {upcoming.title}, due {short_date(upcoming.due_on)}" + (" (overdue)" if late else "")

    @on(DataTable.RowHighlighted)
    def row_highlighted(self) -> None:
        """Offer v only on an entry waiting for verification; e and x only on what the actor may change."""
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        """e and x follow the table in focus."""
        self.refresh_bindings()

    def action_back(self) -> None:
        """Back to the learners list."""
        self.dismiss()

    def action_verify(self) -> None:
        """Verify the highlighted entry."""
        entry = self.entries.current()
        if entry is not None and not entry.verified:
            self._verify([entry.id])

    def action_verify_all(self) -> None:
        """Verify every entry still waiting."""
        if self.entries.unverified():
            self._verify(self.entries.unverified())

    def _verify(self, entry_ids: list[int]) -> None:
        ctx = self.context
        self.call_service("verified", verify_otj, ctx.engine, ctx.actor, entry_ids, ctx.today)

    def done_verified(self, count: int) -> None:
        """Say how many were verified, and read again."""
        self.notify(f"{count} entr{'y' if count == 1 else 'ies'} verified; they now count.", title="Verified")
        self.action_reload()
