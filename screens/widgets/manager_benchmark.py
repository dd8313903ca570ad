"""The DfE benchmark panel: a council's published workforce indicators beside its region and England."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Select, Static

from progression.errors import ProgressionError
from progression.services.benchmark import FIELDS, MARKERS, Benchmark, Indicators, benchmark
from screens.safe import cell, plain

YEARS = tuple(range(2025, 2016, -1))
"""The reporting years the shipped statistics cover, newest first."""

INDICATOR_WORDS = {
    "turnover_rate_fte": "Turnover rate",
    "agency_rate_fte": "Agency rate",
    "vacancy_rate_fte": "Vacancy rate",
    "caseload_fte": "Caseload",
    "inpost_fte": "In post (FTE)",
}
"""Each indicator as a reader names it."""

SOURCE_NOTE = (
    "Source: DfE, children's social work workforce statistics, as at 30 September. Rates are of FTE posts; "
    "caseload is the average per case-holding FTE social worker; in post is FTE social workers employed."
)


def lookup(la: str, year: int | None) -> Benchmark | ProgressionError:
    """The benchmark for a council and year, or the reason there is none (no match, several, no figures)."""
    try:
        return benchmark(la, year)
    except ProgressionError as error:
        return error


def indicator_text(indicators: Indicators, field: str) -> str:
    """A value as published ('11.8%', '15.2', '36,186.3'), or 'suppressed (why)' — never 0 for a gap."""
    value = indicators.values.get(field)
    if value is None:
        marker = indicators.markers.get(field, "x")
        return f"suppressed ({MARKERS.get(marker, marker)})"
    if field.endswith("_rate_fte"):
        return f"{value:.1f}%"
    return f"{value:,.1f}"


@dataclass
class BenchmarkAsked(Message):
    """The reader asked for a council's indicators in a year (None: the latest)."""

    la: str
    year: int | None


class BenchmarkPanel(Vertical):
    """Asks for a council and year; shows the five indicators for the council, its region and England."""

    DEFAULT_CSS = """
    BenchmarkPanel {
        height: 1fr;
        & > Horizontal { height: auto; }
        & #benchmark-la { width: 1fr; }
        & #benchmark-year { width: 20; }
        & #benchmark-status { padding: 0 1; color: $text-muted; }
        & #benchmark-status.-error { color: $text-error; }
        & #benchmark-table { height: auto; max-height: 1fr; margin-top: 1; }
        & #benchmark-source { padding: 0 1; color: $text-muted; margin-top: 1; }
    }
    """

    result: reactive[Benchmark | None] = reactive(None, init=False)
    """The indicators shown, or None before a council is found."""

    def compose(self) -> ComposeResult:
        """The council and year, a status line, the table and the source."""
        with Horizontal():
            yield Input(placeholder="Council name or code, e.g. Manchester", id="benchmark-la")
            yield Select([(str(year), year) for year in YEARS], prompt="Latest year", id="benchmark-year")
        yield Static("Type a council's name or code and press Enter.", id="benchmark-status")
        yield DataTable(id="benchmark-table", cursor_type="row", zebra_stripes=True, show_cursor=False)
        yield Static(SOURCE_NOTE, id="benchmark-source")

    def ask(self) -> None:
        """Ask for the council typed in the year chosen, when something is typed."""
        la = self.query_one("#benchmark-la", Input).value.strip()
        year = self.query_one("#benchmark-year", Select).value
        if la:
            self.post_message(BenchmarkAsked(la, year if isinstance(year, int) else None))

    @on(Input.Submitted, "#benchmark-la")
    @on(Select.Changed, "#benchmark-year")
    def _asked(self) -> None:
        self.ask()

    def show_problem(self, message: str) -> None:
        """Say why there are no figures; the typed council stays."""
        status = self.query_one("#benchmark-status", Static)
        status.add_class("-error")
        status.update(plain(message))
        self.result = None

    def watch_result(self, result: Benchmark | None) -> None:
        """Fill the table: an indicator a row, the council, its region and England as columns."""
        table = self.query_one("#benchmark-table", DataTable)
        table.clear(columns=True)
        if result is None:
            return
        status = self.query_one("#benchmark-status", Static)
        status.remove_class("-error")
        status.update(
            plain(f"{result.la.name} ({result.la.code}) in {result.region.name}, against England · {result.year}")
        )
        areas = (result.la, result.region, result.england)
        label_width = max(len(w) for w in INDICATOR_WORDS.values())
        room = (table.scrollable_content_region.width or self.size.width) - label_width - 2 * 4
        width = max(14, min(28, room // 3))
        table.add_column("Indicator", width=label_width)
        for area in areas:
            table.add_column(cell(area.name), width=width)
        for field in FIELDS:
            cells = [indicator_text(area, field) for area in areas]
            texts = [Text(cell, style="italic" if cell.startswith("suppressed") else "") for cell in cells]
            table.add_row(INDICATOR_WORDS.get(field, field), *texts, height=None, key=field)
