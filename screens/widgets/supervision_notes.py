"""The focused supervision session: when, how long, with whom, and its notes, or that they are private."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive

from progression.services.cpd import long_date
from progression.services.supervision import SessionRead, SupervisionRecordRead
from screens.widgets.detail_panel import DetailPanel
from screens.widgets.supervision_status import length_words

KIND_WORDS = {"individual": "Individual supervision", "group": "Group reflection"}
"""Each kind of session in words."""


def describe_session(chosen: SessionRead, record: SupervisionRecordRead | None) -> Content:
    """The session's facts, then its notes, or why they are not shown."""
    length = length_words(chosen.minutes)
    lines = [
        Content.from_markup(
            "[b]$kind[/b] · $day", kind=KIND_WORDS.get(chosen.kind, chosen.kind), day=long_date(chosen.day)
        ),
    ]
    if chosen.short and record and record.min_session_hours:
        lines.append(
            Content.from_markup(
                "[$text-warning]$length: shorter than $hours hours[/]",
                length=length,
                hours=f"{record.min_session_hours:g}",
            )
        )
    else:
        lines.append(Content.from_markup("[dim]$length[/dim]", length=length))
    if chosen.supervisor_name:
        lines.append(
            Content.from_markup(
                "[dim]Supervisor:[/dim] $name ($staff)",
                name=chosen.supervisor_name,
                staff=chosen.supervisor_staff_id or "",
            )
        )
    if chosen.with_whom:
        lines.append(Content.from_markup("[dim]With:[/dim] $who", who=chosen.with_whom))
    if not chosen.confirmed:
        by = chosen.supervisor_name or "the supervisor"
        confirm = " Press c to confirm it." if chosen.can_confirm else ""
        lines.append(
            Content.from_markup(
                "[$text-warning]Waiting for $by to confirm it: not counted until then.$confirm[/]",
                by=by,
                confirm=confirm,
            )
        )
    lines.append(Content.from_markup("\n[b $text-primary]Notes[/]"))
    if chosen.notes_private:
        whose = record.name if record else "the worker"
        lines.append(
            Content.from_markup(
                "[$text-muted]Private: only $whose and this session's supervisor may read the notes.[/]", whose=whose
            )
        )
    else:
        lines.append(Content(chosen.notes or "No notes."))
    return Content("\n").join(lines)


def describe_none(record: SupervisionRecordRead | None) -> str:
    """What the panel says when no session is focused."""
    if record is None:
        return ""
    if record.sessions:
        return "Move to a session to read it."
    add = " Press a to record one." if record.can_add else ""
    return f"No supervision recorded yet.{add}"


class SessionNotes(DetailPanel):
    """Shows the focused session and its notes; scrolls when they are long."""

    PANEL_TITLE = "Session"

    chosen: reactive[SessionRead | None] = reactive(None)
    """The focused session, or None."""
    record: reactive[SupervisionRecordRead | None] = reactive(None)
    """The whole record, for the schedule's minimum and what to say when there is no session."""

    def watch_chosen(self) -> None:
        """Show the session."""
        self.redraw()

    def watch_record(self) -> None:
        """Say what to do when there is no session."""
        self.redraw()

    def describe(self) -> Content | str:
        """The session, or what to do when there is none."""
        return describe_session(self.chosen, self.record) if self.chosen else describe_none(self.record)
