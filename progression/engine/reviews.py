"""A learner's reviews: the schedule (scheduled, draft, held) and the one rule for the next review.

A review is held when it has a date held, an outcome and the three signatures (learner, employer, educator);
one recorded without them is a draft, and a draft is not held. The next review is the earliest review of the
schedule not yet held (optional review points are offered but never make a review due), and there is none once the
programme has ended. Every place that shows a next review (the learner panel, the reviews table, `learners --json`
and the educators' dashboard) reads it from `next_review`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

ReviewState = Literal["held", "draft", "scheduled"]

FINISHED = ("completed", "withdrawn")
"""Enrolment statuses after which no review is due."""


@dataclass(frozen=True, slots=True)
class ReviewFact:
    """A review as recorded against an enrolment."""

    due_on: date | None
    held_on: date | None
    signed_by_all: bool
    """Signed by the learner, the employer and the educator."""
    has_outcome: bool = True
    kind: str = "progress"
    id: int | None = None


def is_held(review: ReviewFact, on: date | None = None) -> bool:
    """Whether the review was held (by `on`): a date held, an outcome and the three signatures."""
    return (
        review.held_on is not None
        and (on is None or review.held_on <= on)
        and review.signed_by_all
        and review.has_outcome
    )


def state_of(review: ReviewFact, on: date | None = None) -> ReviewState:
    """held, draft (a date held but no outcome or a signature missing) or scheduled."""
    if is_held(review, on):
        return "held"
    return "draft" if review.held_on is not None and (on is None or review.held_on <= on) else "scheduled"


@dataclass(frozen=True, slots=True)
class ScheduledReview:
    """One review of a learner's schedule, recorded or still to be."""

    kind: str
    """The review's kind as recorded (`progress`, `asye-interim`, ...)."""
    title: str
    due_on: date | None
    state: ReviewState = "scheduled"
    optional: bool = False
    review_id: int | None = None
    """The recorded review, or None for a review the rules schedule that has no record yet."""
    held_on: date | None = None


def recorded(review: ReviewFact, title: str, on: date | None, optional: bool = False) -> ScheduledReview:
    """A recorded review as an item of the schedule."""
    return ScheduledReview(review.kind, title, review.due_on, state_of(review, on), optional, review.id, review.held_on)


def next_review(schedule: Sequence[ScheduledReview], ended: bool = False) -> ScheduledReview | None:
    """The earliest dated review of the schedule not yet held (optional ones aside); None once it has ended."""
    if ended:
        return None
    waiting = [r for r in schedule if r.state != "held" and r.due_on is not None and not r.optional]
    return min(waiting, key=lambda r: (r.due_on, r.kind), default=None)


def in_order(schedule: Sequence[ScheduledReview]) -> list[ScheduledReview]:
    """The schedule by due date (undated last), as the reviews table lists it."""
    return sorted(schedule, key=lambda r: (r.due_on is None, r.due_on or date.min, r.held_on or date.min, r.kind))


def first_year_schedule(
    points: Sequence[tuple[str, str, date, bool]], reviews: Sequence[ReviewFact], on: date | None
) -> list[ScheduledReview]:
    """The ASYE or ECDP reviews: each review point `(kind, title, due, optional)` with its recorded review (matched
    by kind; the due date is the programme's, which never falls after the planned end), then reviews recorded
    outside the points."""
    left = list(reviews)
    schedule = []
    for kind, title, due, optional in points:
        short = kind.split("-", 1)[-1]
        matches = [r for r in left if r.kind == kind] or [
            r for r in left if r.kind.endswith(f"-{short}") or r.kind == short
        ]
        if not matches:
            schedule.append(ScheduledReview(kind, title, due, "scheduled", optional))
            continue
        match = next((r for r in matches if is_held(r, on)), matches[0])
        for other in matches:
            left.remove(other)
            if other is not match:  # a second record of the same review point never makes it due again
                schedule.append(recorded(other, f"{title} (another record)", on, optional=True))
        schedule.append(ScheduledReview(kind, title, due, state_of(match, on), optional, match.id, match.held_on))
    schedule += [recorded(r, "review", on) for r in left]
    return in_order(schedule)


def final_review_held(schedule: Sequence[ScheduledReview], final_kind: str | None) -> date | None:
    """The day the programme's final review (of kind `final_kind`) was held, if it was: the programme is then over."""
    final = next((r for r in schedule if final_kind is not None and r.kind == final_kind), None)
    return final.held_on if final is not None and final.state == "held" else None
