"""Social Work England CPD status for the registration year that contains a date (DOMAIN.md §4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from progression.dates import add_days
from progression.engine.facts import CpdRecordFact
from progression.reference import Reference
from progression.reference.rules import CpdRule


@dataclass(slots=True)
class CpdStatus:
    year_start: date
    year_end: date
    records: int
    peer_reflection_records: int
    records_needed: int
    peer_reflection_needed: int
    days_left: int
    """Days from the date to the end of the registration year (0 on 30 November)."""
    compliant: bool
    met_on: date | None
    """The day this year's records first met the rule."""
    grace_until: date | None
    """The end of the grace period after the year, where the rule has one."""
    no_rule: str = ""
    """Why no CPD rule applies on the date ('' when one does): compliance cannot be known then."""

    @property
    def missing(self) -> str:
        """What is still needed, in words ('' when compliant)."""
        if self.no_rule:
            return self.no_rule
        parts = []
        if self.records < self.records_needed:
            more = self.records_needed - self.records
            parts.append(f"{more} more record{'s' if more != 1 else ''}")
        if self.peer_reflection_records < self.peer_reflection_needed:
            parts.append("a record with peer reflection")
        return " and ".join(parts)


REGISTERED_FROM = ("pcf", "asye")
"""The framework and level from which a role is a qualified social worker's post: the PCF's assessed and supported
year in employment comes first after qualifying (levels before it are students' and apprentices')."""


def registered_social_worker(
    *, pcf_level: str | None, qualified_on: date | None, swe_number: str | None, on: date, reference: Reference
) -> bool:
    """Whether a worker is a registered social worker on `on`: the one definition of whom Social Work England's
    CPD and the registered social worker's supervision schedule apply to.

    A worker with a Social Work England number is registered, whatever their post (a social worker working as a
    family support worker keeps their registration, and its CPD). Otherwise, a worker is registered when their
    role is a qualified social worker's post (a PCF level at or above the ASYE, which needs registration) and they
    have not qualified after `on` (a missing qualification date is taken as qualified: holding the post needs
    registration). Apprentices, students and family support workers have no such level, so are not registered.
    """
    if swe_number and swe_number.strip():
        return True
    if pcf_level is None or (qualified_on is not None and qualified_on > on):
        return False
    framework = reference.frameworks.get(REGISTERED_FROM[0])
    level = framework.level(pcf_level) if framework else None
    first = framework.level(REGISTERED_FROM[1]) if framework else None
    if level is None or first is None:
        return False
    return level.position >= first.position


_BY_DAY = attrgetter("day")
_YEARS: dict[tuple[int, date], tuple[Reference, CpdRule | None, date, date]] = {}


def _year(reference: Reference, on: date) -> tuple[CpdRule | None, date, date]:
    """The CPD rule (None: no rule covers the date) and registration year on a date, worked out once per
    reference data and date."""
    cached = _YEARS.get((id(reference), on))
    if cached is None or cached[0] is not reference:
        rule = reference.cpd_rule_if_any(on)
        cached = _YEARS[(id(reference), on)] = (reference, rule, *reference.registration_year(on))
        if len(_YEARS) > 256:
            _YEARS.clear()
    return cached[1], cached[2], cached[3]


def cpd_status(records: Iterable[CpdRecordFact], on: date, reference: Reference) -> CpdStatus:
    """Records so far this registration year, whether one has peer reflection, and days left to its end."""
    rule, start, end = _year(reference, on)
    this_year = [r for r in records if start <= r.day <= on]
    if rule is None:
        return CpdStatus(
            year_start=start,
            year_end=end,
            records=len(this_year),
            peer_reflection_records=sum(r.peer_reflection for r in this_year),
            records_needed=0,
            peer_reflection_needed=0,
            days_left=(end - on).days,
            compliant=False,
            met_on=None,
            grace_until=None,
            no_rule=f"no CPD rule covers {on.isoformat()}, so compliance cannot be known",
        )
    if len(this_year) > 1:
        this_year.sort(key=_BY_DAY)
    met_on = None
    count = peers = 0
    for record in this_year:
        count += 1
        peers += record.peer_reflection
        if met_on is None and count >= rule.min_records and peers >= rule.min_peer_reflection_records:
            met_on = record.day
    if met_on is None and rule.min_records == 0 and rule.min_peer_reflection_records == 0:
        met_on = start
    return CpdStatus(
        year_start=start,
        year_end=end,
        records=count,
        peer_reflection_records=peers,
        records_needed=rule.min_records,
        peer_reflection_needed=rule.min_peer_reflection_records,
        days_left=(end - on).days,
        compliant=met_on is not None,
        met_on=met_on,
        grace_until=add_days(end, rule.grace_days) if rule.grace_days else None,
    )
