"""The CPD year at a glance: records against the minimum, peer reflection, days to 30 November, compliance."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.cpd import CpdYearRead
from screens.safe import plain

WARN_DAYS = 60
"""Inside this many days of the year's end, the days left show in the warning colour."""


def short_date(day: date) -> str:
    """A date as '30 Nov 2026'."""
    return f"{day.day} {day:%b %Y}"


class Tile(Static):
    """A figure with its label above it; `-good`, `-warning` and `-bad` colour the figure."""

    DEFAULT_CSS = """
    Tile {
        width: 1fr;
        height: 2;
        padding: 0 1 0 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &.-good { color: $text-success; }
        &.-warning { color: $text-warning; }
        &.-bad { color: $text-error; }
    }
    """

    def show(self, label: str, figure: str, tone: str | None = None, *, badge: bool = False) -> None:
        """Show a label and its figure in a tone: good, warning, bad, or None for plain.

        Args:
            label: What the figure is, shown dim above it.
            figure: The figure itself, in bold.
            tone: good, warning or bad, or None.
            badge: Draw the figure reversed, as a badge.
        """
        style = "b reverse" if badge else "b"
        self.update(Content.from_markup(f"[dim]$label[/dim]\n[{style}] $figure [/]", label=label, figure=figure))
        for name in ("good", "warning", "bad"):
            self.set_class(tone == name, f"-{name}")


def days_tile(year: CpdYearRead, today: date) -> tuple[str, str, str | None]:
    """The days-left tile: days to the year's end (a warning inside WARN_DAYS), or that the year has ended."""
    end = f"To {year.year_end.day} {year.year_end:%B}"
    if year.year_end < today:
        return "Year ended", short_date(year.year_end), None
    days = year.status.days_left
    return end, f"{days} day{'s' if days != 1 else ''}", "warning" if days <= WARN_DAYS else None


class CpdYearPanel(Vertical):
    """The registration year's standing, from the CPD engine; blank until a year is read."""

    DEFAULT_CSS = """
    CpdYearPanel {
        height: auto;
        padding: 0 1;
        border: round $primary 50%;
        border-title-color: $text-primary;
        border-subtitle-color: $text-muted;
        & > Horizontal { height: 2; }
        & > .cpd-note { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
        & > #cpd-not-applicable { display: none; height: auto; }
        &.-not-applicable > Horizontal { display: none; }
        &.-not-applicable > #cpd-not-applicable { display: block; }
        &.-not-applicable > .cpd-note { display: none; }
    }
    """

    year: reactive[CpdYearRead | None] = reactive(None)
    """The year to describe."""

    def __init__(self, today: date, *, id: str | None = None) -> None:  # noqa: A002
        """Prepare the panel.

        Args:
            today: The date taken as today, to tell the current year from past ones.
            id: The panel's DOM id.
        """
        super().__init__(id=id)
        self.today = today

    def compose(self) -> ComposeResult:
        """Four tiles and a note."""
        with Horizontal():
            yield Tile(id="cpd-records-tile")
            yield Tile(id="cpd-peer-tile")
            yield Tile(id="cpd-days-tile")
            yield Tile(id="cpd-compliant-tile")
        yield Static(classes="cpd-note", id="cpd-note")
        yield Static(id="cpd-not-applicable")

    def watch_year(self, year: CpdYearRead | None) -> None:
        """Describe the year, or nothing while none is read."""
        if not self.is_mounted:
            return
        self.border_title = (
            f"CPD {year.label} · {short_date(year.year_start)} to {short_date(year.year_end)}" if year else "CPD"
        )
        self.border_subtitle = "Social Work England" if year else ""
        self.set_class(bool(year and not year.applies), "-not-applicable")
        if year is None:
            for tile in self.query(Tile):
                tile.update("")
            self.query_one("#cpd-note", Static).update("")
            self.query_one("#cpd-not-applicable", Static).update("")
            return
        if not year.applies:
            self.border_subtitle = "Social Work England CPD does not apply"
            self.query_one("#cpd-not-applicable", Static).update(plain(year.not_applicable))
            return
        status = year.status
        enough = status.records >= status.records_needed
        self.query_one("#cpd-records-tile", Tile).show(
            "Records",
            f"{status.records} of {status.records_needed}" + (" ✓" if enough else ""),
            "good" if enough else "warning",
        )
        peer = status.peer_reflection_records >= status.peer_reflection_needed
        self.query_one("#cpd-peer-tile", Tile).show(
            "Peer reflection", "yes ✓" if peer else "not yet", "good" if peer else "warning"
        )
        self.query_one("#cpd-days-tile", Tile).show(*days_tile(year, self.today))
        ended = year.year_end < self.today
        late = ended or status.days_left <= WARN_DAYS
        figure = "COMPLIANT" if status.compliant else "NOT MET" if ended else "NOT YET"
        self.query_one("#cpd-compliant-tile", Tile).show(
            "Status", figure, "good" if status.compliant else "bad" if late else "warning", badge=True
        )
        self.query_one("#cpd-note", Static).update(plain(self.note(year)))

    def note(self, year: CpdYearRead) -> Content:
        """When the year's minimum was met, or what is still needed; then the standard the records link to."""
        status = year.status
        if status.compliant and status.met_on:
            first = Content.from_markup("[$text-success]Met on $day[/]", day=short_date(status.met_on))
        else:
            first = Content.from_markup("[$text-warning]Still needed: $missing[/]", missing=status.missing)
        standard = Content(f" · linked to {year.standard}") if year.standard else Content("")
        return first + standard
