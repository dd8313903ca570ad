"""Date arithmetic at the edges of the calendar: the engine never passes 9999-12-31 and never raises OverflowError,
and it works (or says why not) on days before any CPD rule, such as `--today 1970-01-01` (issue 9)."""

from __future__ import annotations

from datetime import date

from progression.engine import CouncilFacts, RequirementFacts, RoleFacts, TransitionFacts, WorkerFacts, next_steps
from progression.engine.apprenticeship import (
    ApprenticeshipFacts,
    Break,
    OtjFact,
    adjusted_end,
    otj_status,
    review_status,
)
from progression.engine.cpd import cpd_status
from progression.engine.facts import CpdRecordFact
from progression.engine.first_year import first_year
from progression.engine.supervision import supervision_status
from progression.reference import Period, reference

REF = reference()
LAST = date(9999, 12, 31)


def council(*requirements: RequirementFacts) -> CouncilFacts:
    roles = {k: RoleFacts(k, k.title(), "practice") for k in ("sw", "senior")}
    return CouncilFacts(roles, [TransitionFacts("sw", "senior", "line_manager", tuple(requirements))], REF)


def test_months_requirements_saturate_at_the_last_day() -> None:
    worker = WorkerFacts("E1", "sw", date(9999, 6, 1), date(9999, 6, 1), qualified_on=date(9999, 6, 1))
    requirements = (
        RequirementFacts("months_in_role", 600),
        RequirementFacts("months_qualified", 600),
        RequirementFacts("months_of_service", 600),
    )
    [step] = next_steps(worker, council(*requirements), date(9999, 12, 31))
    assert [r.met_on for r in step.requirements] == [LAST, LAST, LAST]
    assert step.ready_on == LAST


def test_cpd_on_the_last_day_of_the_calendar() -> None:
    status = cpd_status((CpdRecordFact(LAST, True),), LAST, REF)
    assert (status.year_start, status.year_end, status.days_left) == (date(9999, 12, 1), LAST, 0)
    assert status.grace_until == LAST  # 21 days' grace would pass the calendar


def test_cpd_before_any_rule_counts_records_and_says_compliance_cannot_be_known() -> None:
    status = cpd_status((CpdRecordFact(date(1969, 12, 5), True),), date(1970, 1, 1), REF)
    assert (status.year_start, status.year_end) == (date(1969, 12, 1), date(1970, 11, 30))
    assert (status.records, status.compliant, status.met_on) == (1, False, None)
    assert status.missing == "no CPD rule covers 1970-01-01, so compliance cannot be known"
    worker = WorkerFacts("E1", "sw", date(1965, 1, 1), date(1965, 1, 1))
    [step] = next_steps(worker, council(RequirementFacts("cpd_compliant")), date(1970, 1, 1))
    [result] = step.requirements
    assert (result.met, result.met_on, step.ready) == (False, None, False)
    assert "no CPD rule covers 1970-01-01" in result.detail


def test_registration_year_before_any_rule_takes_the_nearest_rules_shape() -> None:
    assert REF.registration_year(date(1970, 1, 1)) == (date(1969, 12, 1), date(1970, 11, 30))
    assert REF.registration_year(LAST) == (date(9999, 12, 1), LAST)


def test_periods_in_weeks_and_months_saturate() -> None:
    assert Period(weeks=2600).add_to(date(9990, 1, 1), times=10) == LAST
    assert Period(months=600).add_to(date(9990, 1, 1)) == LAST


def test_supervision_due_after_the_calendar_is_the_last_day() -> None:
    status = supervision_status((), date(9999, 12, 20), False, date(9999, 12, 25), REF)
    assert status.next_due == LAST


def test_an_apprenticeship_forecast_out_of_sight_is_unknown_not_a_crash() -> None:
    facts = ApprenticeshipFacts(
        start=date(2025, 9, 1),
        planned_end=date(2027, 9, 1),
        contracted_hours=37.0,
        status="active",
        stated_hours=9_000_000.0,
        entries=(OtjFact(date(2026, 11, 1), 0.01, True),),
    )
    status = otj_status(facts, date(2026, 11, 24), REF)
    assert status.required == 9_000_000.0
    assert status.forecast_on is None


def test_apprenticeship_dates_near_the_end_of_the_calendar_saturate() -> None:
    facts = ApprenticeshipFacts(
        start=date(9999, 1, 1),
        planned_end=date(9999, 12, 1),
        contracted_hours=37.0,
        status="active",
        breaks=(Break(date(9999, 1, 2), None),),
    )
    assert adjusted_end(facts, LAST) == LAST
    assert review_status(facts, LAST, REF).next_due == LAST


def test_a_first_year_for_a_tiny_fte_saturates() -> None:
    year = first_year(date(2026, 1, 5), REF, "children", fte=0.000001)
    assert year.ends_on == LAST
    assert all(review.due_on == LAST for review in year.reviews)
