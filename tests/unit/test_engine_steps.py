"""next_steps: each requirement kind, its met_on and detail, and how a step's readiness follows from them.

Facts checked: CONTRACT.md "Dates and months" and "JSON shapes" (next-steps), DOMAIN.md §3 (the ECDP
replaces the ASYE for child and family starts from Sep 2027), §4 (CPD: 2 records, 1 with peer reflection)
and §1 (PCF assessment is holistic across all nine domains).
"""

from __future__ import annotations

from datetime import date

from progression.engine import (
    CouncilFacts,
    RequirementFacts,
    RoleFacts,
    StepResult,
    TransitionFacts,
    WorkerFacts,
    next_steps,
)
from progression.engine.facts import CpdRecordFact
from progression.reference import reference

REF = reference()
PCF_DOMAINS = tuple(REF.frameworks["pcf"].level("experienced-social-worker").domains or ())
ESW = ("pcf", "experienced-social-worker")


def req(
    kind: str,
    months: int | None = None,
    programme: str | None = None,
    framework: str | None = None,
    level: str | None = None,
) -> RequirementFacts:
    return RequirementFacts(kind, months, programme, framework, level)


def council(*transitions: TransitionFacts, programme_months: dict[str, int] | None = None) -> CouncilFacts:
    """A council whose roles are those the transitions name (practice route unless the key says 'manage')."""
    keys = dict.fromkeys(k for t in transitions for k in (t.from_role, t.to_role))
    roles = {k: RoleFacts(k, k.title(), "management" if "manage" in k else "practice") for k in keys}
    return CouncilFacts(roles, list(transitions), REF, programme_months)


def worker(role: str = "sw", role_since: date = date(2025, 1, 15), **kw: object) -> WorkerFacts:
    kw.setdefault("employed_since", role_since)
    return WorkerFacts("E1001", role, role_since, **kw)  # type: ignore[arg-type]


def mentions(text: str, day: date) -> bool:
    """Whether `text` names `day`, as ISO or as '30 Nov 2026' (the detail wording is not part of the contract)."""
    return day.isoformat() in text or f"{day.day} {day:%b %Y}" in text


def one_step(requirements: tuple[RequirementFacts, ...], on: date, **kw: object) -> StepResult:
    """The single next step sw → senior with these requirements, for a worker built from `kw`."""
    steps = next_steps(worker(**kw), council(TransitionFacts("sw", "senior", "panel", requirements)), on)
    assert len(steps) == 1
    return steps[0]


# --- time requirements (CONTRACT.md "Dates and months": N months is met on that date) ---


def test_months_in_role_not_met_gives_future_met_on_and_progress_as_in_contract_example() -> None:
    """The contract's own example: 24 months in role from 2025-03-01, on 2026-11-23 → '20 so far', met 2027-03-01."""
    r = one_step((req("months_in_role", 24),), date(2026, 11, 23), role_since=date(2025, 3, 1)).requirements[0]
    assert (r.kind, r.met, r.met_on) == ("months_in_role", False, date(2027, 3, 1))
    assert r.detail == "24 months in role; 20 so far"
    assert r.progress == (20, 24)


def test_months_in_role_met_on_the_anniversary_itself() -> None:
    r = one_step((req("months_in_role", 12),), date(2026, 1, 15)).requirements[0]
    assert (r.met, r.met_on, r.detail) == (True, date(2026, 1, 15), "12 months in role; 12 so far")


def test_months_in_role_so_far_is_the_real_count_never_capped_at_the_months_needed() -> None:
    """Issue 10 ("Time figures are real"): once capped at 12 ("12 so far"), now the worker's actual figure."""
    r = one_step((req("months_in_role", 12),), date(2029, 6, 1)).requirements[0]
    assert r.met and r.progress == (52, 12) and r.detail.endswith("52 so far")
    assert (r.needed, r.so_far) == (12, 52)


def test_months_qualified_counts_from_qualified_on_not_role_since() -> None:
    step = one_step((req("months_qualified", 24),), date(2026, 1, 15), qualified_on=date(2023, 7, 1))
    r = step.requirements[0]
    # issue 10: the real 30 months since qualifying, not capped at the 24 needed
    assert (r.met, r.met_on, r.detail) == (True, date(2025, 7, 1), "24 months since qualifying; 30 so far")


def test_months_qualified_for_an_unqualified_worker_has_no_date() -> None:
    r = one_step((req("months_qualified", 24),), date(2026, 1, 15)).requirements[0]
    assert (r.met, r.met_on) == (False, None)
    assert r.detail == "24 months since qualifying; not qualified yet"


def test_months_of_service_counts_from_employed_since() -> None:
    step = one_step((req("months_of_service", 24),), date(2026, 1, 15), employed_since=date(2024, 6, 1))
    r = step.requirements[0]
    assert (r.met, r.met_on, r.detail) == (False, date(2026, 6, 1), "24 months of service; 19 so far")


def test_month_end_role_since_plus_one_month_is_met_on_leap_day_not_before() -> None:
    """CONTRACT.md: 2024-01-31 + 1 month = 2024-02-29, and a requirement of N months is met on that date."""
    reqs = (req("months_in_role", 1),)
    on_day = one_step(reqs, date(2024, 2, 29), role_since=date(2024, 1, 31))
    day_before = one_step(reqs, date(2024, 2, 28), role_since=date(2024, 1, 31))
    assert on_day.requirements[0].met_on == date(2024, 2, 29)
    assert on_day.ready and on_day.ready_on == date(2024, 2, 29)
    assert not day_before.ready and day_before.requirements[0].met_on == date(2024, 2, 29)
    assert day_before.requirements[0].detail == "1 month in role; 0 so far"  # issue 10: plurals right


def test_leap_day_plus_twelve_months_is_28_february() -> None:
    r = one_step((req("months_in_role", 12),), date(2025, 2, 28), role_since=date(2024, 2, 29)).requirements[0]
    assert (r.met, r.met_on) == (True, date(2025, 2, 28))


def test_months_qualified_from_a_31st_clamps_to_the_month_end() -> None:
    reqs = (req("months_qualified", 6), req("months_qualified", 1))
    step = one_step(reqs, date(2024, 1, 1), qualified_on=date(2023, 8, 31))
    assert [r.met_on for r in step.requirements] == [date(2024, 2, 29), date(2023, 9, 30)]
    r = one_step((req("months_qualified", 1),), date(2023, 2, 28), qualified_on=date(2023, 1, 31)).requirements[0]
    assert (r.met, r.met_on) == (True, date(2023, 2, 28))


# --- completed programmes ---


def test_completed_programme_is_met_on_its_completion_date() -> None:
    r = one_step(
        (req("completed", programme="asye"),), date(2026, 1, 15), completed={"asye": date(2025, 9, 1)}
    ).requirements[0]
    assert (r.met, r.met_on, r.detail, r.progress) == (True, date(2025, 9, 1), "asye completed", (1, 1))


def test_completed_after_on_is_not_yet_met() -> None:
    """WorkerFacts: dates after the evaluation date are treated as not yet happened."""
    r = one_step(
        (req("completed", programme="asye"),), date(2025, 8, 31), completed={"asye": date(2025, 9, 1)}
    ).requirements[0]
    assert (r.met, r.met_on) == (False, date(2025, 9, 1))


def test_completed_not_started_has_no_date() -> None:
    r = one_step((req("completed", programme="peps-stage-2"),), date(2026, 1, 15)).requirements[0]
    assert (r.met, r.met_on, r.detail, r.progress) == (False, None, "peps-stage-2 not started", (0, 1))


def test_completed_met_on_is_the_planned_end_while_in_progress() -> None:
    r = one_step(
        (req("completed", programme="peps-stage-1"),), date(2026, 1, 15), planned={"peps-stage-1": date(2026, 7, 31)}
    ).requirements[0]
    assert (r.met, r.met_on) == (False, date(2026, 7, 31))
    assert "in progress" in r.detail and mentions(r.detail, date(2026, 7, 31))


def test_completed_on_a_break_in_learning_has_no_date() -> None:
    r = one_step(
        (req("completed", programme="ST0510"),),
        date(2026, 1, 15),
        planned={"ST0510": date(2026, 7, 31)},
        paused=frozenset({"ST0510"}),
    ).requirements[0]
    assert (r.met, r.met_on) == (False, None)
    assert r.detail == "ST0510 on a break in learning"


def test_completed_past_its_planned_end_has_no_date() -> None:
    r = one_step(
        (req("completed", programme="ST0510"),), date(2026, 8, 1), planned={"ST0510": date(2026, 7, 31)}
    ).requirements[0]
    assert (r.met, r.met_on) == (False, None)
    assert "past its planned end" in r.detail


def test_asye_requirement_is_met_by_a_completed_ecdp_for_a_childrens_worker() -> None:
    """DOMAIN.md §3 / early-career.yaml changeover: the ECDP replaces the ASYE for child and family workers."""
    r = one_step(
        (req("completed", programme="asye"),),
        date(2030, 1, 1),
        service="children",
        completed={"ecdp": date(2029, 9, 1)},
    ).requirements[0]
    assert (r.met, r.met_on, r.detail) == (True, date(2029, 9, 1), "ecdp completed")


def test_asye_requirement_is_not_met_by_an_ecdp_for_an_adults_worker() -> None:
    """DOMAIN.md §3: the ASYE stays for adults; the changeover is for children's services only."""
    r = one_step(
        (req("completed", programme="asye"),), date(2030, 1, 1), service="adults", completed={"ecdp": date(2029, 9, 1)}
    ).requirements[0]
    assert (r.met, r.met_on) == (False, None)


def test_ecdp_requirement_is_not_met_by_an_asye() -> None:
    r = one_step((req("completed", programme="ecdp"),), date(2030, 1, 1), completed={"asye": date(2026, 9, 1)})
    assert (r.requirements[0].met, r.requirements[0].met_on) == (False, None)


# --- evidence (DOMAIN.md §1: holistic across all nine domains) ---


def test_evidence_met_when_every_domain_accepted_on_the_latest_first_acceptance() -> None:
    accepted = {code: date(2025, 1, i + 1) for i, code in enumerate(PCF_DOMAINS)}
    r = one_step(
        (req("evidence", framework="pcf", level="experienced-social-worker"),),
        date(2026, 1, 15),
        evidence={ESW: accepted},
    ).requirements[0]
    assert len(PCF_DOMAINS) == 9
    assert (r.met, r.met_on, r.progress, r.missing) == (True, date(2025, 1, 9), (9, 9), ())
    assert r.detail == "accepted evidence for every PCF domain at experienced social worker level: 9 of 9"


def test_evidence_missing_a_domain_has_no_date_and_lists_the_missing_codes() -> None:
    accepted = {code: date(2025, 1, 1) for code in PCF_DOMAINS if code not in {"knowledge", "professionalism"}}
    r = one_step(
        (req("evidence", framework="pcf", level="experienced-social-worker"),),
        date(2026, 1, 15),
        evidence={ESW: accepted},
    ).requirements[0]
    assert (r.met, r.met_on, r.progress) == (False, None, (7, 9))
    assert r.missing == ("professionalism", "knowledge")  # in the framework's domain order


def test_evidence_at_another_level_does_not_count() -> None:
    accepted = {code: date(2025, 1, 1) for code in PCF_DOMAINS}
    r = one_step(
        (req("evidence", framework="pcf", level="experienced-social-worker"),),
        date(2026, 1, 15),
        evidence={("pcf", "social-worker"): accepted},
    ).requirements[0]
    assert (r.met, r.met_on, r.missing) == (False, None, PCF_DOMAINS)


def test_evidence_accepted_after_on_is_dated_but_not_met() -> None:
    accepted = {code: date(2025, 1, 1) for code in PCF_DOMAINS} | {"knowledge": date(2026, 3, 1)}
    r = one_step(
        (req("evidence", framework="pcf", level="experienced-social-worker"),),
        date(2026, 1, 15),
        evidence={ESW: accepted},
    ).requirements[0]
    assert (r.met, r.met_on) == (False, date(2026, 3, 1))


def test_evidence_for_a_level_without_capabilities_can_never_be_met() -> None:
    """early-career-standards.yaml holds no statements yet (DOMAIN.md §2), so nothing can be evidenced."""
    r = one_step(
        (req("evidence", framework="early-career-standards", level="year-2"),),
        date(2028, 1, 1),
        evidence={("early-career-standards", "year-2"): {"x": date(2027, 1, 1)}},
    ).requirements[0]
    assert (r.met, r.met_on) == (False, None)
    assert "lists no capabilities" in r.detail


# --- CPD (DOMAIN.md §4) ---


def test_cpd_met_on_the_day_this_years_records_first_included_two_and_a_peer_reflection() -> None:
    records = (
        CpdRecordFact(date(2025, 11, 20), True),  # previous registration year: does not count
        CpdRecordFact(date(2025, 12, 10), False),
        CpdRecordFact(date(2026, 2, 1), False),
        CpdRecordFact(date(2026, 3, 5), True),
        CpdRecordFact(date(2026, 6, 1), True),
    )
    r = one_step((req("cpd_compliant"),), date(2026, 11, 23), cpd=records).requirements[0]
    assert (r.met, r.met_on) == (True, date(2026, 3, 5))
    assert r.detail.startswith("CPD met for ")
    assert mentions(r.detail, date(2025, 12, 1)) and mentions(r.detail, date(2026, 11, 30))


def test_cpd_not_met_has_no_date_and_says_what_is_missing() -> None:
    records = (CpdRecordFact(date(2026, 1, 10), False),)
    r = one_step((req("cpd_compliant"),), date(2026, 11, 23), cpd=records).requirements[0]
    assert (r.met, r.met_on, r.progress) == (False, None, (1, 2))
    assert "1 more record and a record with peer reflection needed by" in r.detail
    assert mentions(r.detail, date(2025, 12, 1)) and mentions(r.detail, date(2026, 11, 30))


# --- the step as a whole (CONTRACT.md "JSON shapes") ---


def test_step_is_ready_only_when_every_requirement_is_met_and_ready_on_is_the_latest_met_on() -> None:
    reqs = (req("months_in_role", 12), req("completed", programme="asye"))
    kw = {"completed": {"asye": date(2025, 9, 1)}}
    before = one_step(reqs, date(2026, 1, 14), **kw)
    on_day = one_step(reqs, date(2026, 1, 15), **kw)
    assert [r.met for r in before.requirements] == [False, True]
    assert (before.ready, before.ready_on) == (False, date(2026, 1, 15))
    assert (on_day.ready, on_day.ready_on) == (True, date(2026, 1, 15))


def test_ready_on_is_none_when_any_requirement_has_no_date() -> None:
    step = one_step((req("months_in_role", 12), req("months_qualified", 12)), date(2027, 1, 1))
    assert step.requirements[0].met and step.requirements[0].met_on == date(2026, 1, 15)
    assert (step.ready, step.ready_on) == (False, None)


def test_step_carries_target_route_and_decided_by() -> None:
    c = council(TransitionFacts("sw", "practice-manager", "recruitment", ()))
    (step,) = next_steps(worker(), c, date(2026, 1, 1))
    assert (step.role, step.route, step.decided_by) == ("practice-manager", "management", "recruitment")


def test_a_transition_with_no_requirements_is_ready_from_joining_the_role() -> None:
    step = one_step((), date(2026, 1, 1))
    assert (step.ready, step.requirements, step.ready_on) == (True, (), date(2025, 1, 15))


def test_next_steps_come_in_the_authority_files_order_and_only_from_the_workers_role() -> None:
    c = council(
        TransitionFacts("sw", "zeta", "panel", ()),
        TransitionFacts("other", "sw", "panel", ()),
        TransitionFacts("sw", "alpha", "line_manager", ()),
        TransitionFacts("sw", "mid-manager", "recruitment", ()),
    )
    assert [s.role for s in next_steps(worker(), c, date(2026, 1, 1))] == ["zeta", "alpha", "mid-manager"]
    assert next_steps(worker(role="alpha"), c, date(2026, 1, 1)) == []


def test_an_unknown_requirement_kind_is_never_met() -> None:
    r = one_step((req("a_new_kind"),), date(2026, 1, 1)).requirements[0]
    assert (r.met, r.met_on) == (False, None) and "unknown requirement" in r.detail
