"""Words the home screen's widgets share: dates, who decides, requirement names, and when a step may be asked for."""

from __future__ import annotations

from datetime import date

from progression.dates import add_months
from progression.services.progress import StepRead
from progression.services.requests import RECRUITMENT, RequestRead

ASK_AHEAD_MONTHS = 3
"""How long before a step is ready a worker may already ask for it."""

WHO_DECIDES = {
    "automatic": "automatic",
    "line_manager": "line manager decides",
    "panel": "panel decides",
    "recruitment": "eligible to apply",
}
"""Who decides a next step, in words."""

REQUIREMENT_NAMES = {
    "months_in_role": "Time in role",
    "months_qualified": "Since qualifying",
    "months_of_service": "Service",
    "completed": "Programme",
    "evidence": "Evidence",
    "cpd_compliant": "CPD",
}
"""The short name of each kind of requirement, shown beside its bar."""

STATE_WORDS = {
    "submitted": "submitted, waiting for a decision",
    "endorsed": "endorsed, waiting for the panel",
    "returned": "returned to you",
    "approved": "approved",
    "deferred": "deferred, with actions",
    "rejected": "rejected",
}
"""What each request state means to the worker."""


def day_words(day: date | None) -> str:
    """A date as people write it, e.g. '1 Mar 2027'; 'no date' for None."""
    return f"{day.day} {day:%b %Y}" if day else "no date"


def readiness(step: StepRead) -> str:
    """READY, 'ready on <date>' or 'no date yet'."""
    if step.ready:
        return "READY"
    return f"ready on {day_words(step.ready_on)}" if step.ready_on else "no date yet"


def why_not_ask(step: StepRead, today: date, requests: list[RequestRead], from_role: str) -> str | None:
    """Why the worker may not ask for this next step now, in one sentence; None when they may.

    A step may be asked for when it is ready or will be within three months, is not filled by recruitment,
    and has no request still open. (The service refuses recruitment and duplicates too; the three months
    are the screen's rule, so nobody asks for a step years away.)
    """
    if step.decided_by == "recruitment":
        return f"{step.title} {RECRUITMENT}."
    open_one = next((r for r in requests if r.is_open and (r.from_role, r.to_role) == (from_role, step.role)), None)
    if open_one is not None:
        return f"Request {open_one.id} for {step.title} is already open ({open_one.state}); wait for its decision."
    if step.ready:
        return None
    if step.ready_on is None:
        missing = "; ".join(r.detail for r in step.requirements if not r.met and r.met_on is None)
        return f"{step.title} has no date yet: {missing}."
    opens = add_months(step.ready_on, -ASK_AHEAD_MONTHS)
    if opens > today:
        return (
            f"{step.title} is ready on {day_words(step.ready_on)}: you can ask from {day_words(opens)}, "
            f"{ASK_AHEAD_MONTHS} months before."
        )
    return None
