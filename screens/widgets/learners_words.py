"""Words, bars and coloured marks the learner screens share: kinds, RAG, dates, text progress bars."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from progression.services.learners import LearnerRead

KIND_WORDS = {"apprenticeship": "Apprentice", "placement": "Student", "asye": "Newly qual.", "ecdp": "Newly qual."}
"""What each kind of learner is called in the list."""
KIND_FILTERS = (
    ("all", "all kinds", ()),
    ("apprentices", "apprentices", ("apprenticeship",)),
    ("students", "students", ("placement",)),
    ("newly-qualified", "newly qualified", ("asye", "ecdp")),
)
"""The kind filter's steps: key, words for the title, the learner kinds it keeps (none: all)."""
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "grey": 3}
"""Most urgent first."""
RAG_FILTERS = ("any", "red", "amber", "green", "grey")
STATUS_WORDS = {
    "active": "active",
    "break": "on a break",
    "withdrawn": "withdrawn",
    "gateway": "at gateway",
    "completed": "completed",
}
EIGHTHS = " ▏▎▍▌▋▊▉"


def short_date(day: date | None) -> str:
    """A date as '30 Nov 2026', or a dash."""
    return f"{day.day} {day:%b %Y}" if day else "—"


def hours(value: float | None) -> str:
    """Hours without a needless decimal: '862', '939.4'."""
    return "—" if value is None else f"{value:,.1f}".removesuffix(".0")


def text_bar(fraction: float, width: int) -> str:
    """A bar of `width` cells filled to `fraction` (0–1), drawn in eighths of a cell."""
    filled = max(0.0, min(fraction, 1.0)) * width
    whole = int(filled)
    part = EIGHTHS[int((filled - whole) * 8)] if whole < width else ""
    return ("█" * whole + part.strip()).ljust(width, "░")


def rag_colours(variables: dict[str, str], rag: str) -> str:
    """A rich style for a RAG mark, from the app theme's variables."""
    name = {"red": "error", "amber": "warning", "green": "success"}.get(rag)
    if name is None:
        return "dim"
    return f"bold {variables.get(f'text-{name}', name)} on {variables.get(f'{name}-muted', 'default')}"


def rag_cell(rag: str, variables: dict[str, str]) -> Text:
    """' ● red ' on the RAG's colour; grey (no figure to pace against) is a dim dash."""
    if rag not in ("red", "amber", "green"):
        return Text(" – ", style="dim")
    return Text(f" ● {rag} ", style=rag_colours(variables, rag))


def progress(learner: LearnerRead, today: date) -> tuple[float | None, str]:
    """How far a learner has come (0–1, None when unknown) and the figures in a few characters.

    Apprentices: verified of required off-the-job hours. Students: days of the 200. Newly qualified workers:
    how much of their assessed year has passed.
    """
    if learner.kind == "apprenticeship":
        required, verified = learner.otj_hours_required, learner.otj_hours_verified or 0.0
        if not required:
            return None, f"{hours(verified)}h"
        return verified / required, f"{verified:.0f}/{required:.0f}h"
    if learner.kind == "placement":
        days = (learner.placement_days or 0) + (learner.skills_days or 0)
        required_days = learner.placement_days_required or 0
        return (days / required_days if required_days else None), f"{days}/{required_days}d"
    if learner.planned_end is None or learner.planned_end <= learner.start:
        return None, ""
    span = (learner.planned_end - learner.start).days
    done = min(max((today - learner.start).days / span, 0.0), 1.0)
    months = round(span / 30.44)
    return done, f"{round(done * months)}/{months} mo"


def progress_cell(learner: LearnerRead, today: date, width: int = 8) -> Text:
    """A text bar and its figures, e.g. '█████▌░░ 862/939h'."""
    fraction, label = progress(learner, today)
    if fraction is None:
        return Text(label or "—", style="dim")
    return Text.assemble((text_bar(fraction, width), "bold" if fraction >= 1 else ""), " ", label)


def review_cell(learner: LearnerRead, today: date, variables: dict[str, str]) -> Text:
    """The next review's date; overdue in the error colour with a mark."""
    due = learner.next_review_due
    if due is None:
        return Text("—", style="dim")
    if learner.review_overdue:
        return Text(f"{short_date(due)} ⚠", style=f"bold {variables.get('text-error', 'red')}")
    return Text(short_date(due))


def yes_no(value: bool | None) -> Text:
    """✓ or ✗, coloured; a dash when unknown."""
    if value is None:
        return Text("–", style="dim")
    return Text("✓", style="bold green") if value else Text("✗", style="bold red")
