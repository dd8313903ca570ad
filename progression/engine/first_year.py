"""A newly qualified worker's first year: which programme applies to their start, its reviews and protected time.

The programme ends when it is completed or withdrawn, or when its final review is held: from then on no review is
due, and the reduced caseload and protected time it gives end with it. Learners and `status` both read it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from progression.dates import add_months
from progression.reference import Reference


@dataclass(frozen=True, slots=True)
class ReviewDate:
    key: str
    title: str
    due_on: date
    optional: bool


@dataclass(frozen=True, slots=True)
class FirstYear:
    programme: str
    title: str
    start: date
    ends_on: date | None
    reviews: tuple[ReviewDate, ...]
    protected_time_percent: float | None
    """None once the programme has ended (and where the programme sets none)."""
    workload_reduction_percent: float | None
    """None once the programme has ended (and where the programme sets none)."""
    supervision: str | None
    ended_on: date | None = None
    """The day the programme ended (completed, withdrawn, final review held), when it has ended by `on`."""

    @property
    def ended(self) -> bool:
        """Whether the programme had ended on the day it was worked out for."""
        return self.ended_on is not None


def first_year(
    start: date,
    reference: Reference,
    service: str = "children",
    fte: float = 1.0,
    *,
    programme: str | None = None,
    planned_end: date | None = None,
    ended_on: date | None = None,
    on: date | None = None,
) -> FirstYear:
    """The first-year programme for a start date (ASYE, or the ECDP for child and family starts from Sep 2027).

    A part-time worker's programme runs pro rata where the programme says so (DOMAIN.md §3). `programme` names the
    programme the worker is enrolled on (else it is picked by the start date); `planned_end` is the enrolment's
    planned end (else the programme's length from the start). No review falls after the planned end: a review point
    beyond it is due on the planned end. `ended_on` is the day the programme ended (completed, withdrawn or its
    final review held); on or after it (by `on`) the protected time and the workload reduction no longer apply.
    """
    chosen = reference.programmes.get(programme) if programme else None
    if chosen is None or chosen.kind not in ("asye", "ecdp"):
        chosen = reference.first_year_programme(start, service)
    stretch = 1 / fte if chosen.pro_rata_part_time and 0 < fte < 1 else 1.0
    months = chosen.duration_months
    ends_on = planned_end or (add_months(start, round(months * stretch)) if months else None)
    reviews = []
    for point in chosen.review_points:
        due = add_months(start, round(point.months * stretch))
        if ends_on is not None and ends_on >= start and due > ends_on:
            due = ends_on
        reviews.append(ReviewDate(point.key, point.title, due, point.optional))
    ended = ended_on if ended_on is not None and (on is None or ended_on <= on) else None
    return FirstYear(
        programme=chosen.key,
        title=chosen.title,
        start=start,
        ends_on=ends_on,
        reviews=tuple(reviews),
        protected_time_percent=chosen.protected_time.percent if chosen.protected_time and not ended else None,
        workload_reduction_percent=(
            chosen.workload_reduction.percent if chosen.workload_reduction and not ended else None
        ),
        supervision=chosen.supervision,
        ended_on=ended,
    )
