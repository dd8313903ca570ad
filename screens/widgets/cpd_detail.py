"""The focused CPD record in full: the activity, its date, the three answers and the peer reflection."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive

from progression.services.cpd import CpdRecordRead, CpdYearRead, long_date
from screens.widgets.detail_panel import DetailPanel


def describe_record(cpd: CpdRecordRead) -> Content:
    """A record as Social Work England's form asks for it, heading by heading."""

    def heading(text: str) -> Content:
        return Content.from_markup("\n[b $text-primary]$text[/]", text=text)

    peer = f"Yes, with {cpd.peer_reflection_with}" if cpd.peer_reflection else "No"
    lines = [
        Content.from_markup("[b]$title[/b]", title=cpd.title),
        Content.from_markup("[dim]$kind · $day[/dim]", kind=cpd.kind.capitalize(), day=long_date(cpd.day)),
        heading("What I did and why"),
        Content(cpd.what_and_why),
        heading("What I learnt"),
        Content(cpd.learnt),
        heading("Impact on my practice"),
        Content(cpd.impact),
        heading("Peer reflection"),
        Content(peer),
    ]
    return Content("\n").join(lines)


def describe_empty(year: CpdYearRead | None) -> str:
    """What the panel says when no record is focused."""
    if year is None:
        return ""
    if year.records:
        return "Move to a record to read it."
    add = " Press a to add one." if year.can_edit else ""
    return f"No CPD recorded for {year.label}.{add}"


class CpdDetail(DetailPanel):
    """Shows the focused record; scrolls when it is long."""

    PANEL_TITLE = "Record"

    record: reactive[CpdRecordRead | None] = reactive(None)
    """The record to show, or None."""
    year: reactive[CpdYearRead | None] = reactive(None)
    """The year shown, for what to say when there is no record."""

    def watch_record(self) -> None:
        """Show the record."""
        self.redraw()

    def watch_year(self) -> None:
        """Say what to do when the year has no record."""
        self.redraw()

    def describe(self) -> Content | str:
        """The record, or what to do when there is none."""
        return describe_record(self.record) if self.record else describe_empty(self.year)
