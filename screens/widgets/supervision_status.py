"""Supervision at a glance: when the next individual session is due, whether it is overdue, and group reflection."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.supervision import SupervisionRecordRead
from screens.safe import plain
from screens.widgets.cpd_status import Tile, short_date


def length_words(minutes: int | None) -> str:
    """A session's length: '1 h 30 min', '1 h', '45 min'."""
    if not minutes:
        return "—"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def due_tile(record: SupervisionRecordRead) -> tuple[str, str, str | None]:
    """The standing tile: no schedule applies, overdue by how long, due today, or on time."""
    if record.next_due is None:
        return "Standing", "NO SCHEDULE", None
    if record.overdue:
        days = record.days_overdue
        return "Standing", f"OVERDUE {days} day{'s' if days != 1 else ''}", "bad"
    if record.next_due == record.on:
        return "Standing", "DUE TODAY", "warning"
    return "Standing", "ON TIME", "good"


def schedule_note(record: SupervisionRecordRead) -> Content:
    """The schedule that applies, how often now, the minimum length, short sessions and sessions waiting for the
    supervisor's confirmation; where no schedule applies, why."""
    parts = [Content(f"Individual supervision {record.interval}")] if record.interval else []
    if record.min_session_hours:
        parts.append(Content(f"at least {record.min_session_hours:g} hours a session"))
    if record.short_sessions:
        many = record.short_sessions
        parts.append(Content.from_markup(f"[$text-warning]{many} session{'s' if many != 1 else ''} shorter[/]"))
    if record.pending:
        many = record.pending
        waiting = f"{many} session{'s' if many != 1 else ''} waiting for confirmation, not counted"
        parts.append(Content.from_markup("[$text-warning]$waiting[/]", waiting=waiting))
    if record.no_schedule:
        parts.append(Content(f"No schedule applies. {record.no_schedule}"))
    return Content(" · ").join(parts)


class SupervisionPanel(Vertical):
    """The worker's supervision standing from the engine; blank until a record is read."""

    DEFAULT_CSS = """
    SupervisionPanel {
        height: auto;
        padding: 0 1;
        border: round $primary 50%;
        border-title-color: $text-primary;
        border-subtitle-color: $text-muted;
        & > Horizontal { height: 2; }
        & > .supervision-note { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
        & > .supervision-note.-reason { text-wrap: wrap; }
        &.-overdue { border: round $error; border-title-color: $text-error; }
    }
    """

    record: reactive[SupervisionRecordRead | None] = reactive(None)
    """The record to describe."""

    def compose(self) -> ComposeResult:
        """Four tiles and the schedule's note."""
        with Horizontal():
            yield Tile(id="supervision-next-tile")
            yield Tile(id="supervision-standing-tile")
            yield Tile(id="supervision-last-tile")
            yield Tile(id="supervision-group-tile")
        yield Static(classes="supervision-note", id="supervision-note")

    def watch_record(self, record: SupervisionRecordRead | None) -> None:
        """Describe the record, or nothing while none is read."""
        if not self.is_mounted:
            return
        self.border_title = "Supervision"
        self.border_subtitle = plain(record.schedule_title if record else "")
        self.set_class(bool(record and record.overdue), "-overdue")
        if record is None:
            for tile in self.query(Tile):
                tile.update("")
            self.query_one("#supervision-note", Static).update("")
            return
        next_tone = "bad" if record.overdue else None
        next_due = short_date(record.next_due) if record.next_due else "no schedule"
        self.query_one("#supervision-next-tile", Tile).show("Next due", next_due, next_tone)
        label, figure, tone = due_tile(record)
        self.query_one("#supervision-standing-tile", Tile).show(label, figure, tone, badge=True)
        last = short_date(record.last_individual) if record.last_individual else "none yet"
        self.query_one("#supervision-last-tile", Tile).show("Last individual", last)
        group = short_date(record.last_group) if record.last_group else "none yet"
        group_tone = "warning" if record.group_expected and record.last_group is None else None
        self.query_one("#supervision-group-tile", Tile).show("Last group", group, group_tone)
        note = self.query_one("#supervision-note", Static)
        note.set_class(bool(record.no_schedule), "-reason")
        note.update(plain(schedule_note(record)))
