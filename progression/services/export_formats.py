"""A plan export written as Markdown for people, or as an iCalendar file of its dates for their calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event

from progression.safe_text import visible
from progression.services.export import PlanExport
from progression.services.plan_models import GoalRead

EVENT_KINDS = ("action", "review", "cpd", "readiness")
"""The kinds of calendar event, each the first part of its UID and its CATEGORIES value."""


def _day(day: date | None) -> str:
    return day.isoformat() if day else "—"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _goal_markdown(number: int, goal: GoalRead) -> list[str]:
    lines = [f"### {number}. {goal.title}", ""]
    if goal.description:
        lines += [goal.description, ""]
    status = f"done {_day(goal.done_on)}" if goal.done_on else ("**overdue**" if goal.overdue else "not done")
    lines.append(f"- Due: {_day(goal.due_on)} ({status})")
    links = "; ".join(c.label if c.framework == "pcf" else f"{c.label} {c.title}" for c in goal.capabilities)
    lines += [f"- Capabilities: {links or 'none linked'}", ""]
    if goal.actions:
        lines += ["| Action | Due | Done |", "|---|---|---|"]
        for action in goal.actions:
            done = _day(action.done_on) if action.done_on else ("**overdue**" if action.overdue else "—")
            lines.append(f"| {_cell(action.title)} | {_day(action.due_on)} | {done} |")
        lines.append("")
    return lines


def to_markdown(export: PlanExport) -> str:
    """A readable plan: the worker, role and state, goals with capabilities and actions, history, dates ahead."""
    plan = export.plan
    lines = [f"# Development plan: {plan.title if plan else 'none yet'}", ""]
    lines += [f"- Worker: {export.worker_name} ({export.staff_id})", f"- Role: {export.role_title}"]
    if plan is None:
        lines += [f"- Exported: {export.on.isoformat()}", "", f"{export.worker_name} has no development plan yet.", ""]
    else:
        lines += [
            f"- Aiming for: {plan.target_role_title or 'no target role'}",
            f"- State: {plan.state}",
            f"- Started: {plan.started_on.isoformat()}",
            f"- Progress: {plan.actions_done} of {plan.actions_total} actions done",
            f"- Exported: {export.on.isoformat()}",
            "",
            "## Goals",
            "",
        ]
        for number, goal in enumerate(plan.goals, start=1):
            lines += _goal_markdown(number, goal)
        if not plan.goals:
            lines += ["No goals yet.", ""]
        lines += ["## State history", ""]
        if plan.history:
            lines += ["| When | Who | Move | Note |", "|---|---|---|---|"]
            for change in plan.history:
                who = f"{change.by_name} ({change.by_staff_id})"
                move = f"{change.from_state or 'start'} → {change.to_state}"
                lines.append(f"| {change.at.date().isoformat()} | {_cell(who)} | {move} | {_cell(change.note)} |")
        else:
            lines.append("Not yet submitted.")
        lines.append("")
    lines += ["## Dates ahead", ""]
    for step in export.next_steps:
        when = "ready now" if step.ready else (f"ready on {step.ready_on}" if step.ready_on else "no date yet")
        lines.append(f"- {step.title} ({step.route} route): {when}")
    for review in export.reviews:
        held = f", held {review.held_on}" if review.held_on else ""
        lines.append(f"- {review.title}: due {review.due_on}{held}")
    if export.cpd is not None:
        lines.append(
            f"- CPD: registration year ends {export.cpd.year_end} "
            f"({export.cpd.records} of {export.cpd.records_needed} records)"
        )
    return visible("\n".join(lines) + "\n")


def _event(kind: str, key: str, day: date, summary: str, stamp: datetime, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{kind}-{key}@progression")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", visible(summary, lines=False))
    if description:
        event.add("description", visible(description))
    event.add("categories", [kind])
    event.add("transp", "TRANSPARENT")
    return event


def to_ics(export: PlanExport) -> bytes:
    """An iCalendar file with one all-day event per dated action, review, CPD deadline and expected readiness date.

    UIDs are stable (`<kind>-<id or key>@progression`), so importing a later export updates the same events.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Progression//Development plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", visible(f"{export.worker_name}: development plan", lines=False))
    stamp = datetime.combine(export.on, time.min, tzinfo=UTC)
    who = export.staff_id
    events: list[Event] = []
    for goal in export.plan.goals if export.plan else []:
        for action in goal.actions:
            if action.due_on is not None:
                done = f" (done {action.done_on})" if action.done_on else ""
                events.append(
                    _event(
                        "action",
                        str(action.id),
                        action.due_on,
                        f"Plan action due: {action.title}{done}",
                        stamp,
                        f"Goal: {goal.title}",
                    )
                )
    for review in export.reviews:
        key = f"{who}-{review.key}" if not review.key.isdigit() else review.key
        events.append(_event("review", key, review.due_on, f"Review due: {review.title}", stamp))
    cpd = export.cpd
    if cpd is not None:  # SWE CPD applies to registered social workers only
        events.append(
            _event(
                "cpd",
                f"{who}-{cpd.year_end.isoformat()}",
                cpd.year_end,
                "CPD deadline: Social Work England registration year ends",
                stamp,
                f"{cpd.records} of {cpd.records_needed} CPD records so far.",
            )
        )
    for step in export.next_steps:
        if step.ready_on is not None:
            summary = f"{'Ready' if step.ready else 'Expected ready'} for {step.title}"
            events.append(
                _event(
                    "readiness",
                    f"{who}-{step.role}",
                    step.ready_on,
                    summary,
                    stamp,
                    f"{step.title} on the {step.route} route.",
                )
            )
    for event in events:
        calendar.add_component(event)
    return bytes(calendar.to_ical())
