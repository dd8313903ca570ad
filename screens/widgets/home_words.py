"""Words the home screen's widgets share: dates, who decides, requirement names, and when a step may be asked for."""

from __future__ import annotations

from datetime import date

from progression.services.progress import StepRead

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
