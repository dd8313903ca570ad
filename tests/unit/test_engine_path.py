"""quickest_path: the soonest route to a role across practice and management routes (CONTRACT.md "JSON shapes", path).

CONTRACT.md: earliest_on dates assume each step is taken as soon as it is ready, with time requirements
restarting in each new role; null where a date cannot be known. DOMAIN.md §5: parallel practice and
management ladders. DOMAIN.md §3: the ECDP (24 months) replaces the ASYE for child and family starts from
1 Sep 2027.
"""

from __future__ import annotations

from datetime import date

from progression.engine import CouncilFacts, RequirementFacts, RoleFacts, TransitionFacts, WorkerFacts, quickest_path
from progression.reference import reference

REF = reference()
MONTHS = {"asye": 12, "ecdp": 24}
LEVELS = {
    "student": "end-of-last-placement",
    "nqsw": "asye",
    "sw": "social-worker",
    "senior": "experienced-social-worker",
}


def req(
    kind: str,
    months: int | None = None,
    programme: str | None = None,
    framework: str | None = None,
    level: str | None = None,
) -> RequirementFacts:
    return RequirementFacts(kind, months, programme, framework, level)


def t(from_role: str, to_role: str, *requirements: RequirementFacts, decided_by: str = "panel") -> TransitionFacts:
    return TransitionFacts(from_role, to_role, decided_by, requirements)


def council(*transitions: TransitionFacts, programme_months: dict[str, int] | None = None) -> CouncilFacts:
    """Roles are those the transitions name; 'supervisor'/'manager' are on the management route."""
    keys = dict.fromkeys(k for tr in transitions for k in (tr.from_role, tr.to_role))
    roles = {
        k: RoleFacts(
            k, k.title(), "management" if k in {"supervisor", "manager"} else "practice", pcf_level=LEVELS.get(k)
        )
        for k in keys
    }
    return CouncilFacts(roles, list(transitions), REF, programme_months)


def worker(role: str = "sw", role_since: date = date(2025, 1, 1), **kw: object) -> WorkerFacts:
    kw.setdefault("employed_since", role_since)
    return WorkerFacts("E1001", role, role_since, **kw)  # type: ignore[arg-type]


def route(path: object) -> list[tuple[str, str, date | None]]:
    return [(s.from_role, s.to_role, s.earliest_on) for s in path.steps]  # type: ignore[attr-defined]


def two_ladders(practice_months: int, management_months: int) -> CouncilFacts:
    """DOMAIN.md §5: a practice ladder (sw → senior → lead) beside a management one (sw → supervisor → lead)."""
    return council(
        t("sw", "senior", req("months_in_role", practice_months)),
        t("senior", "lead", req("months_in_role", practice_months)),
        t("sw", "supervisor", req("months_in_role", management_months), decided_by="recruitment"),
        t("supervisor", "lead", req("months_in_role", management_months), decided_by="recruitment"),
    )


def test_quickest_path_takes_the_faster_management_route_with_time_restarting_in_each_role() -> None:
    path = quickest_path(worker(), two_ladders(24, 6), "lead", date(2025, 1, 1))
    assert path is not None and (path.staff_id, path.from_role, path.to_role) == ("E1001", "sw", "lead")
    assert route(path) == [("sw", "supervisor", date(2025, 7, 1)), ("supervisor", "lead", date(2026, 1, 1))]
    assert [s.decided_by for s in path.steps] == ["recruitment", "recruitment"]
    assert path.earliest_on == date(2026, 1, 1)


def test_quickest_path_takes_the_faster_practice_route_when_that_is_quicker() -> None:
    path = quickest_path(worker(), two_ladders(3, 12), "lead", date(2025, 1, 1))
    assert path is not None
    assert route(path) == [("sw", "senior", date(2025, 4, 1)), ("senior", "lead", date(2025, 7, 1))]


def test_first_step_earliest_on_is_on_when_already_ready_and_later_steps_count_from_it() -> None:
    """The first step is never dated before `on`; the next role's time starts when the step is taken."""
    path = quickest_path(worker(role_since=date(2020, 1, 1)), two_ladders(24, 6), "lead", date(2025, 6, 10))
    assert path is not None
    assert route(path) == [("sw", "supervisor", date(2025, 6, 10)), ("supervisor", "lead", date(2025, 12, 10))]


def test_first_step_earliest_on_is_its_ready_on_when_that_is_after_on() -> None:
    path = quickest_path(worker(role_since=date(2025, 1, 31)), two_ladders(24, 1), "supervisor", date(2025, 2, 1))
    assert path is not None and route(path) == [("sw", "supervisor", date(2025, 2, 28))]


def test_each_step_carries_its_requirement_results() -> None:
    path = quickest_path(worker(), two_ladders(24, 6), "lead", date(2025, 1, 1))
    assert path is not None
    second = path.steps[1].requirements[0]
    assert (second.kind, second.met_on) == ("months_in_role", date(2026, 1, 1))


def test_a_requirement_that_cannot_be_dated_makes_that_step_and_every_later_step_none() -> None:
    c = council(
        t("sw", "a", req("months_in_role", 1)),
        t("a", "b", req("evidence", framework="pcf", level="experienced-social-worker")),
        t("b", "c", req("months_in_role", 1)),
    )
    path = quickest_path(worker(), c, "c", date(2025, 1, 1))
    assert path is not None
    assert route(path) == [("sw", "a", date(2025, 2, 1)), ("a", "b", None), ("b", "c", None)]
    assert path.earliest_on is None
    assert path.steps[1].requirements[0].met_on is None
    assert path.steps[2].requirements[0].detail.endswith("waits on the undated step before")


def test_a_route_with_known_dates_beats_a_shorter_one_with_an_unknown_date() -> None:
    c = council(
        t("sw", "c", req("months_qualified", 1)),  # the worker is not qualified: never dated
        t("sw", "a", req("months_in_role", 24)),
        t("a", "c", req("months_in_role", 24)),
    )
    path = quickest_path(worker(), c, "c", date(2025, 1, 1))
    assert path is not None
    assert route(path) == [("sw", "a", date(2027, 1, 1)), ("a", "c", date(2029, 1, 1))]


def test_an_unknown_route_is_still_returned_when_it_is_the_only_one() -> None:
    path = quickest_path(worker(), council(t("sw", "c", req("months_qualified", 1))), "c", date(2025, 1, 1))
    assert path is not None and route(path) == [("sw", "c", None)] and path.earliest_on is None


def test_equally_quick_routes_prefer_fewer_steps() -> None:
    c = council(
        t("sw", "a", req("months_in_role", 6)),
        t("a", "c", req("months_in_role", 6)),
        t("sw", "c", req("months_in_role", 12)),
    )
    path = quickest_path(worker(), c, "c", date(2025, 1, 1))
    assert path is not None and route(path) == [("sw", "c", date(2026, 1, 1))]


def test_no_route_gives_none() -> None:
    c = council(t("sw", "a"), t("b", "c"))
    assert quickest_path(worker(), c, "c", date(2025, 1, 1)) is None
    assert quickest_path(worker(), c, "no-such-role", date(2025, 1, 1)) is None
    assert quickest_path(worker(role="c"), c, "sw", date(2025, 1, 1)) is None


def test_target_equal_to_the_current_role_is_a_path_of_zero_steps() -> None:
    path = quickest_path(worker(), two_ladders(24, 6), "sw", date(2025, 1, 1))
    assert path is not None
    assert (path.from_role, path.to_role, path.steps, path.earliest_on) == ("sw", "sw", (), None)


def test_a_council_whose_transitions_form_a_cycle_terminates_and_finds_the_way_out() -> None:
    c = council(
        t("a", "b", req("months_in_role", 1)),
        t("b", "a", req("months_in_role", 1)),
        t("b", "c", req("months_in_role", 1)),
    )
    path = quickest_path(worker(role="a"), c, "c", date(2025, 1, 1))
    assert path is not None
    assert route(path) == [("a", "b", date(2025, 2, 1)), ("b", "c", date(2025, 3, 1))]
    assert quickest_path(worker(role="a"), c, "zzz", date(2025, 1, 1)) is None


def test_an_unqualified_worker_counts_months_qualified_from_entering_a_qualifying_role() -> None:
    """The PCF ASYE level and above are held only by qualified social workers (DOMAIN.md §1, §3)."""
    c = council(
        t("student", "nqsw", req("completed", programme="placement")), t("nqsw", "sw", req("months_qualified", 18))
    )
    student = worker(role="student", role_since=date(2024, 9, 1), completed={"placement": date(2025, 6, 30)})
    path = quickest_path(student, c, "sw", date(2025, 9, 1))
    assert path is not None
    assert route(path) == [("student", "nqsw", date(2025, 9, 1)), ("nqsw", "sw", date(2027, 3, 1))]


def test_a_qualified_worker_keeps_their_own_qualified_on() -> None:
    c = council(t("student", "nqsw"), t("nqsw", "sw", req("months_qualified", 18)))
    path = quickest_path(worker(role="student", qualified_on=date(2025, 1, 31)), c, "sw", date(2025, 3, 1))
    assert path is not None and route(path)[-1] == ("nqsw", "sw", date(2026, 7, 31))


def test_months_of_service_does_not_restart_in_a_new_role() -> None:
    c = council(t("sw", "a", req("months_in_role", 1)), t("a", "b", req("months_of_service", 60)))
    path = quickest_path(worker(employed_since=date(2021, 3, 1)), c, "b", date(2025, 1, 1))
    assert path is not None and route(path)[-1] == ("a", "b", date(2026, 3, 1))


def test_cpd_in_a_later_step_is_assumed_kept_up_and_does_not_delay_it() -> None:
    c = council(t("sw", "a", req("months_in_role", 1)), t("a", "b", req("cpd_compliant"), req("months_in_role", 2)))
    path = quickest_path(worker(), c, "b", date(2025, 1, 1))
    assert path is not None and route(path)[-1] == ("a", "b", date(2025, 4, 1))
    assert path.steps[1].requirements[0].met_on == date(2025, 2, 1)


def _nqsw_path(joins: date, service: str = "children", months: dict[str, int] | None = MONTHS) -> object:
    """A student who enters the NQSW role on `joins`; the NQSW → SW step needs the ASYE, not yet begun."""
    c = council(
        t("student", "nqsw", req("completed", programme="placement")),
        t("nqsw", "sw", req("completed", programme="asye")),
        programme_months=months,
    )
    student = worker(
        role="student", role_since=date(2024, 9, 1), completed={"placement": date(2025, 6, 30)}, service=service
    )
    return quickest_path(student, c, "sw", joins)


def test_an_unstarted_asye_in_a_later_step_is_forecast_from_its_usual_length() -> None:
    """DOMAIN.md §3: the ASYE lasts 12 months; a child and family start on 2027-08-31 still takes it."""
    path = _nqsw_path(date(2027, 8, 31))
    assert route(path) == [("student", "nqsw", date(2027, 8, 31)), ("nqsw", "sw", date(2028, 8, 31))]
    assert "asye" in path.steps[1].requirements[0].detail  # type: ignore[attr-defined]


def test_an_asye_requirement_forecasts_the_24_month_ecdp_for_a_childrens_start_from_1_sep_2027() -> None:
    """DOMAIN.md §3 / programmes.yaml: the ECDP (24 months) replaces the ASYE for child and family starts."""
    path = _nqsw_path(date(2027, 9, 1))
    assert route(path)[-1] == ("nqsw", "sw", date(2029, 9, 1))
    assert "ecdp" in path.steps[1].requirements[0].detail  # type: ignore[attr-defined]


def test_an_adults_start_from_1_sep_2027_is_still_forecast_as_a_12_month_asye() -> None:
    path = _nqsw_path(date(2027, 9, 1), service="adults")
    assert route(path)[-1] == ("nqsw", "sw", date(2028, 9, 1))


def test_an_unstarted_programme_without_a_usual_length_cannot_be_forecast() -> None:
    path = _nqsw_path(date(2027, 8, 31), months=None)
    assert route(path)[-1] == ("nqsw", "sw", None)


def test_a_programme_in_progress_in_a_later_step_uses_its_planned_end_and_a_break_has_no_date() -> None:
    c = council(t("sw", "a", req("months_in_role", 1)), t("a", "b", req("completed", programme="peps-stage-1")))
    going = worker(planned={"peps-stage-1": date(2025, 10, 31)})
    paused = worker(planned={"peps-stage-1": date(2025, 10, 31)}, paused=frozenset({"peps-stage-1"}))
    assert route(quickest_path(going, c, "b", date(2025, 1, 1)))[-1] == ("a", "b", date(2025, 10, 31))
    assert route(quickest_path(paused, c, "b", date(2025, 1, 1)))[-1] == ("a", "b", None)


# --- known bug: the search keeps one arrival per role, ignoring when the worker qualified on the way ---


def test_a_known_route_through_a_qualifying_role_beats_a_quicker_unqualified_arrival() -> None:
    c = council(
        t("x", "r", req("months_in_role", 1)),  # reaches r soonest, still unqualified
        t("x", "nqsw", req("months_in_role", 2)),  # nqsw (PCF asye) qualifies the worker
        t("nqsw", "r", req("months_in_role", 1)),
        t("r", "goal", req("months_qualified", 12)),
    )
    path = quickest_path(worker(role="x", role_since=date(2026, 1, 1)), c, "goal", date(2026, 1, 1))
    assert path is not None
    assert route(path) == [
        ("x", "nqsw", date(2026, 3, 1)),
        ("nqsw", "r", date(2026, 4, 1)),
        ("r", "goal", date(2027, 3, 1)),
    ]


def test_qualifying_earlier_on_a_slower_route_can_reach_the_target_sooner() -> None:
    c = council(
        t("x", "sw", req("months_in_role", 12)),  # sw qualifies on arrival, 2027-01-01
        t("x", "nqsw"),  # nqsw qualifies at once, 2026-01-01
        t("nqsw", "sw", req("months_in_role", 24)),  # ... but reaches sw later, 2028-01-01
        t("sw", "goal", req("months_qualified", 60)),
    )
    path = quickest_path(worker(role="x", role_since=date(2026, 1, 1)), c, "goal", date(2026, 1, 1))
    assert path is not None and path.earliest_on == date(2031, 1, 1)  # not 2032-01-01 via the direct route
