"""The engine's rules: Social Work England CPD (DOMAIN.md §4), supervision frequency (§3, §8), the first-year
programme (§3, with the ASYE → ECDP changeover of Sep 2027) and pay that follows the role (§5, CONTRACT.md payments).
"""

from __future__ import annotations

from datetime import date

import pytest

from progression.engine import CouncilFacts, RoleFacts, WorkerFacts
from progression.engine.cpd import cpd_status
from progression.engine.facts import CpdRecordFact
from progression.engine.first_year import first_year
from progression.engine.pay import market_supplement, retention_due, retention_in_window
from progression.engine.supervision import SessionFact, supervision_status
from progression.errors import InputError
from progression.reference import reference

REF = reference()


def rec(day: date, peer: bool = False) -> CpdRecordFact:
    return CpdRecordFact(day, peer)


# --- CPD: registration year 1 Dec – 30 Nov; 2 records, 1 with peer reflection; 21 days' grace ---


def test_cpd_30_november_is_the_last_day_of_the_year_from_1_december() -> None:
    status = cpd_status((), date(2026, 11, 30), REF)
    assert (status.year_start, status.year_end) == (date(2025, 12, 1), date(2026, 11, 30))
    assert status.days_left == 0


def test_cpd_1_december_starts_a_new_registration_year() -> None:
    status = cpd_status((), date(2026, 12, 1), REF)
    assert (status.year_start, status.year_end, status.days_left) == (date(2026, 12, 1), date(2027, 11, 30), 364)


def test_cpd_a_leap_day_is_in_the_year_from_the_previous_december() -> None:
    status = cpd_status((), date(2024, 2, 29), REF)
    assert (status.year_start, status.year_end, status.days_left) == (date(2023, 12, 1), date(2024, 11, 30), 275)


def test_cpd_records_from_the_previous_registration_year_do_not_count() -> None:
    records = (rec(date(2026, 6, 1), True), rec(date(2026, 11, 30), True))
    status = cpd_status(records, date(2026, 12, 5), REF)
    assert (status.records, status.peer_reflection_records, status.compliant, status.met_on) == (0, 0, False, None)
    assert cpd_status(records, date(2026, 11, 30), REF).compliant


def test_cpd_records_after_the_date_do_not_count_yet() -> None:
    status = cpd_status((rec(date(2026, 1, 1), True), rec(date(2026, 5, 1))), date(2026, 4, 30), REF)
    assert (status.records, status.compliant) == (1, False)


def test_cpd_grace_period_is_21_days_after_the_year_ends() -> None:
    assert cpd_status((), date(2026, 6, 1), REF).grace_until == date(2026, 12, 21)


def test_cpd_needs_two_records_including_one_peer_reflection_met_on_the_day_both_held() -> None:
    records = (rec(date(2026, 3, 1)), rec(date(2026, 1, 10), True), rec(date(2026, 7, 1)))  # in any order
    status = cpd_status(records, date(2026, 11, 1), REF)
    assert (status.records_needed, status.peer_reflection_needed) == (2, 1)
    assert (status.records, status.peer_reflection_records, status.compliant) == (3, 1, True)
    assert (status.met_on, status.missing) == (date(2026, 3, 1), "")


def test_cpd_two_records_without_peer_reflection_are_not_enough() -> None:
    status = cpd_status((rec(date(2026, 1, 1)), rec(date(2026, 2, 1))), date(2026, 11, 1), REF)
    assert (status.compliant, status.met_on, status.missing) == (False, None, "a record with peer reflection")


@pytest.mark.parametrize(
    ("records", "missing"),
    [
        ((), "2 more records and a record with peer reflection"),
        ((rec(date(2026, 1, 1)),), "1 more record and a record with peer reflection"),
        ((rec(date(2026, 1, 1), True),), "1 more record"),
    ],
)
def test_cpd_missing_says_what_is_still_needed(records: tuple[CpdRecordFact, ...], missing: str) -> None:
    assert cpd_status(records, date(2026, 11, 1), REF).missing == missing


# --- supervision (LGA standard 5): NQSWs weekly for 6 weeks, fortnightly to 6 months, then monthly ---

START = date(2026, 1, 5)  # 6 weeks: 2026-02-16; 6 months: 2026-07-05


def individual(*days: date) -> list[SessionFact]:
    return [SessionFact(d, "individual") for d in days]


@pytest.mark.parametrize(
    ("last", "next_due"),
    [
        (None, date(2026, 1, 12)),  # none yet: one interval (a week) after the start
        (date(2026, 2, 9), date(2026, 2, 16)),  # within the first 6 weeks: weekly
        (date(2026, 2, 16), date(2026, 3, 2)),  # from 6 weeks: fortnightly
        (date(2026, 7, 4), date(2026, 7, 18)),  # the day before 6 months: still fortnightly
        (date(2026, 7, 5), date(2026, 8, 5)),  # from 6 months: monthly
        (date(2026, 8, 31), date(2026, 9, 30)),  # monthly, clamped to the month's end
    ],
)
def test_supervision_asye_schedule_counts_from_the_last_individual_session(last: date | None, next_due: date) -> None:
    sessions = individual(last) if last else []
    status = supervision_status(sessions, START, True, last or START, REF)
    assert (status.schedule, status.last_individual, status.next_due) == ("asye", last, next_due)


def test_supervision_uses_the_latest_individual_session() -> None:
    status = supervision_status(individual(date(2026, 1, 12), date(2026, 1, 19)), START, True, date(2026, 1, 20), REF)
    assert (status.last_individual, status.next_due) == (date(2026, 1, 19), date(2026, 1, 26))


def test_supervision_standard_schedule_is_monthly() -> None:
    status = supervision_status(individual(date(2026, 1, 31)), START, False, date(2026, 2, 1), REF)
    assert (status.schedule, status.next_due, status.overdue) == ("standard", date(2026, 2, 28), False)
    assert supervision_status([], START, False, START, REF).next_due == date(2026, 2, 5)


def test_supervision_is_overdue_only_after_the_due_day() -> None:
    on_due = supervision_status(individual(date(2026, 3, 10)), START, False, date(2026, 4, 10), REF)
    late = supervision_status(individual(date(2026, 3, 10)), START, False, date(2026, 4, 17), REF)
    assert (on_due.overdue, on_due.days_overdue) == (False, 0)
    assert (late.next_due, late.overdue, late.days_overdue) == (date(2026, 4, 10), True, 7)


def test_supervision_group_sessions_are_reported_but_do_not_count_as_individual() -> None:
    sessions = [
        *individual(date(2026, 3, 10)),
        SessionFact(date(2026, 4, 1), "group"),
        SessionFact(date(2026, 3, 1), "group"),
    ]
    status = supervision_status(sessions, START, False, date(2026, 4, 20), REF)
    assert (status.last_group, status.last_individual, status.next_due) == (
        date(2026, 4, 1),
        date(2026, 3, 10),
        date(2026, 4, 10),
    )
    assert status.overdue and status.days_overdue == 10


def test_supervision_sessions_after_the_date_are_ignored() -> None:
    sessions = [*individual(date(2026, 3, 10), date(2026, 5, 1)), SessionFact(date(2026, 5, 2), "group")]
    status = supervision_status(sessions, START, False, date(2026, 4, 1), REF)
    assert (status.last_individual, status.last_group) == (date(2026, 3, 10), None)


# --- first year (DOMAIN.md §3) ---


def test_first_year_childrens_start_on_31_august_2027_is_an_asye_with_clamped_review_dates() -> None:
    year = first_year(date(2027, 8, 31), REF, "children")
    assert year.programme == "asye"
    assert [(r.key, r.due_on, r.optional) for r in year.reviews] == [
        ("three-month", date(2027, 11, 30), False),
        ("interim", date(2028, 2, 29), False),
        ("nine-month", date(2028, 5, 31), True),
        ("final", date(2028, 8, 31), False),
    ]
    assert year.ends_on == date(2028, 8, 31)


def test_first_year_childrens_start_from_1_september_2027_is_the_ecdp() -> None:
    year = first_year(date(2027, 9, 1), REF, "children")
    assert (year.programme, year.ends_on, year.reviews) == ("ecdp", date(2029, 9, 1), ())


def test_first_year_adults_keep_the_asye_after_september_2027() -> None:
    year = first_year(date(2027, 9, 1), REF, "adults")
    assert (year.programme, year.ends_on) == ("asye", date(2028, 9, 1))


def test_first_year_asye_has_10_percent_protected_time_and_workload_reduction_and_asye_supervision() -> None:
    year = first_year(date(2026, 1, 5), REF)
    assert (year.protected_time_percent, year.workload_reduction_percent, year.supervision) == (10, 10, "asye")


def test_first_year_asye_runs_pro_rata_for_half_time() -> None:
    year = first_year(date(2026, 1, 15), REF, "adults", fte=0.5)
    assert [r.due_on for r in year.reviews] == [
        date(2026, 7, 15),
        date(2027, 1, 15),
        date(2027, 7, 15),
        date(2028, 1, 15),
    ]
    assert year.ends_on == date(2028, 1, 15)


def test_first_year_ecdp_is_not_stretched_for_part_time_as_its_data_does_not_say_pro_rata() -> None:
    assert first_year(date(2027, 9, 1), REF, "children", fte=0.5).ends_on == date(2029, 9, 1)


def test_first_year_unknown_service_is_an_input_error() -> None:
    with pytest.raises(InputError):
        first_year(date(2026, 1, 1), REF, "probation")


# --- pay: retention (paid once) and market supplements (DOMAIN.md §5; CONTRACT.md payments) ---


def pay_council() -> CouncilFacts:
    roles = {
        "sw1": RoleFacts("sw1", "Social worker 1", "practice", retention_amount=2000, retention_after_months=24),
        "asw": RoleFacts("asw", "Advanced", "practice", market_supplement=5000),
        "tm": RoleFacts("tm", "Team manager", "management", market_supplement=5487),
        "plain": RoleFacts("plain", "Plain", "practice"),
    }
    return CouncilFacts(roles, [], REF)


def pw(staff_id: str, role: str, role_since: date, employed_since: date, fte: float = 1.0) -> WorkerFacts:
    return WorkerFacts(staff_id, role, role_since, employed_since, fte=fte)


def test_retention_is_due_after_the_months_of_service() -> None:
    due = retention_due(pw("E1", "sw1", date(2025, 1, 1), date(2024, 1, 31)), pay_council())
    assert due is not None
    assert (due.staff_id, due.role, due.amount, due.due_on) == ("E1", "sw1", 2000, date(2026, 1, 31))


def test_retention_is_due_on_the_first_day_in_role_when_the_service_was_already_there() -> None:
    due = retention_due(pw("E1", "sw1", date(2025, 1, 1), date(2015, 1, 1)), pay_council())
    assert due is not None and due.due_on == date(2025, 1, 1)


def test_retention_is_none_without_a_payment_or_for_an_unknown_role() -> None:
    assert retention_due(pw("E1", "plain", date(2025, 1, 1), date(2020, 1, 1)), pay_council()) is None
    assert retention_due(pw("E1", "gone", date(2025, 1, 1), date(2020, 1, 1)), pay_council()) is None


def test_retention_window_is_inclusive_at_both_ends_and_sorted_by_date_then_staff_id() -> None:
    workers = [
        pw("E9", "sw1", date(2024, 1, 1), date(2024, 1, 1)),  # due 2026-01-01: the window's first day
        pw("E3", "sw1", date(2024, 6, 30), date(2024, 6, 30)),  # due 2026-06-30: the last day
        pw("E2", "sw1", date(2024, 1, 1), date(2024, 1, 1)),  # same day as E9
        pw("E5", "sw1", date(2023, 12, 31), date(2023, 12, 31)),  # 2025-12-31: the day before
        pw("E6", "sw1", date(2024, 7, 1), date(2024, 7, 1)),  # 2026-07-01: the day after
        pw("E7", "plain", date(2024, 1, 1), date(2024, 1, 1)),
    ]
    due = retention_in_window(workers, pay_council(), date(2026, 1, 1), date(2026, 6, 30))
    assert [(d.staff_id, d.due_on) for d in due] == [
        ("E2", date(2026, 1, 1)),
        ("E9", date(2026, 1, 1)),
        ("E3", date(2026, 6, 30)),
    ]


def test_market_supplement_is_a_year_and_pro_rata_to_fte() -> None:
    c = pay_council()
    assert market_supplement(pw("E1", "asw", date(2025, 1, 1), date(2025, 1, 1)), c) == (5000, 5000.0)
    assert market_supplement(pw("E1", "asw", date(2025, 1, 1), date(2025, 1, 1), fte=0.5), c) == (5000, 2500.0)
    assert market_supplement(pw("E1", "tm", date(2025, 1, 1), date(2025, 1, 1), fte=0.6), c) == (5487, 3292.2)
    assert market_supplement(pw("E1", "plain", date(2025, 1, 1), date(2025, 1, 1)), c) is None
