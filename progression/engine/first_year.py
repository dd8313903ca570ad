"""A newly qualified worker's first year: which programme applies to their start, its reviews and protected time."""

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
    workload_reduction_percent: float | None
    supervision: str | None


def first_year(start: date, reference: Reference, service: str = "children", fte: float = 1.0) -> FirstYear:
    """The first-year programme for a start date (ASYE, or the ECDP for child and family starts from Sep 2027).

    A part-time worker's programme runs pro rata where the programme says so (DOMAIN.md §3).
    """
    programme = reference.first_year_programme(start, service)
    stretch = 1 / fte if programme.pro_rata_part_time and 0 < fte < 1 else 1.0
    reviews = tuple(
        ReviewDate(p.key, p.title, add_months(start, round(p.months * stretch)), p.optional)
        for p in programme.review_points
    )
    months = programme.duration_months
    return FirstYear(
        programme=programme.key,
        title=programme.title,
        start=start,
        ends_on=add_months(start, round(months * stretch)) if months else None,
        reviews=reviews,
        protected_time_percent=programme.protected_time.percent if programme.protected_time else None,
        workload_reduction_percent=programme.workload_reduction.percent if programme.workload_reduction else None,
        supervision=programme.supervision,
    )
