"""Paths keep people in practice (issue 10): the recommended route, the other routes, what would date an
undated step, and estimates from the development plan.

The councils promise progression without leaving direct work with children: for a target on a practice route
the recommended route keeps to practice, grow-your-own and academy roles whenever one exists, even when one of
its dates cannot be known; for a management target the quickest route stands.
"""

from __future__ import annotations

from datetime import date

from progression.engine import CouncilFacts, RequirementFacts, RoleFacts, TransitionFacts, WorkerFacts, quickest_path
from progression.engine.steps import MAX_ALTERNATIVES, PathResult, next_steps, recommended_path
from progression.reference import reference

REF = reference()
ESW = ("pcf", "experienced-social-worker")
PCF_DOMAINS = tuple(REF.frameworks["pcf"].level("experienced-social-worker").domains or ())
ON = date(2026, 1, 1)
KINDS = {
    "fsw": "apprenticeship",
    "apprentice": "apprenticeship",
    "student": "academy",
    "supervisor": "management",
    "manager": "management",
}
"""Route kinds of the test roles; any other role is on the practice route."""
LEVELS = {"nqsw": "asye", "sw": "social-worker", "senior": "experienced-social-worker"}


def req(kind: str, months: int | None = None, **kw: str) -> RequirementFacts:
    return RequirementFacts(kind, months, kw.get("programme"), kw.get("framework"), kw.get("level"))


EVIDENCE = req("evidence", framework="pcf", level="experienced-social-worker")


def t(from_role: str, to_role: str, *requirements: RequirementFacts, decided_by: str = "panel") -> TransitionFacts:
    return TransitionFacts(from_role, to_role, decided_by, requirements)


def council(*transitions: TransitionFacts) -> CouncilFacts:
    keys = dict.fromkeys(k for tr in transitions for k in (tr.from_role, tr.to_role))
    roles = {
        k: RoleFacts(k, k.title(), f"{kind}-route", LEVELS.get(k), route_kind=kind)
        for k in keys
        if (kind := KINDS.get(k, "practice"))
    }
    return CouncilFacts(roles, list(transitions), REF, {"asye": 12})


def worker(role: str = "sw", **kw: object) -> WorkerFacts:
    kw.setdefault("employed_since", date(2020, 1, 1))
    kw.setdefault("qualified_on", date(2019, 7, 1))
    return WorkerFacts("E1001", role, date(2025, 1, 1), **kw)  # type: ignore[arg-type]


def roles(path: PathResult | None) -> list[str]:
    assert path is not None
    return [s.to_role for s in path.steps]


def through_management(*senior: RequirementFacts) -> CouncilFacts:
    """sw → senior directly (practice), or sw → supervisor → senior through a management post (recruitment)."""
    return council(
        t("sw", "senior", *senior),
        t("sw", "supervisor", req("months_in_role", 6), decided_by="recruitment"),
        t("supervisor", "senior", req("months_in_role", 6), decided_by="line_manager"),
        t("supervisor", "manager", req("months_in_role", 12), decided_by="recruitment"),
        t("senior", "manager", req("months_in_role", 24), decided_by="recruitment"),
    )


def test_a_practice_target_is_reached_in_practice_even_when_its_date_cannot_be_known() -> None:
    """Before issue 10 the path sent this worker through the management post, whose dates were known."""
    c = through_management(req("months_in_role", 12), EVIDENCE)
    assert roles(quickest_path(worker(), c, "senior", ON)) == ["supervisor", "senior"]  # the quickest, unchanged
    path = recommended_path(worker(), c, "senior", ON)
    assert roles(path) == ["senior"]
    assert path is not None and path.earliest_on is None
    assert (path.leaves_route, path.needs_vacancy) == (False, False)
    assert path.reason.startswith("It keeps to direct work with children.")
    assert "through management would be sooner" in path.reason


def test_a_slower_practice_route_beats_a_quicker_one_through_management() -> None:
    path = recommended_path(worker(), through_management(req("months_in_role", 36)), "senior", ON)
    assert roles(path) == ["senior"] and path is not None and path.earliest_on == date(2028, 1, 1)


def test_the_other_routes_are_listed_with_whether_they_leave_the_route_or_need_a_vacancy() -> None:
    path = recommended_path(worker(), through_management(req("months_in_role", 12), EVIDENCE), "senior", ON)
    assert path is not None
    (other,) = path.alternatives
    assert [s.to_role for s in other.steps] == ["supervisor", "senior"]
    assert (other.leaves_route, other.needs_vacancy) == (True, True)
    assert other.earliest_on == date(2026, 7, 1) and not other.estimated


def test_a_management_target_takes_the_quickest_route_as_before() -> None:
    c = through_management(req("months_in_role", 12))
    quickest = quickest_path(worker(), c, "manager", ON)
    path = recommended_path(worker(), c, "manager", ON)
    assert roles(path) == roles(quickest) == ["supervisor", "manager"]
    assert path is not None and path.earliest_on == date(2027, 1, 1)
    assert (path.leaves_route, path.needs_vacancy) == (False, True)
    assert path.reason == "It is the quickest route to a management role."
    assert [[s.to_role for s in a.steps] for a in path.alternatives] == [
        ["senior", "manager"],
        ["supervisor", "senior", "manager"],
    ]
    assert [a.leaves_route for a in path.alternatives] == [True, True]  # senior is a practice role


def test_when_no_route_keeps_to_practice_the_quickest_one_is_recommended_and_says_so() -> None:
    c = council(
        t("sw", "supervisor", req("months_in_role", 6), decided_by="recruitment"),
        t("supervisor", "senior", req("months_in_role", 6)),
    )
    path = recommended_path(worker(), c, "senior", ON)
    assert roles(path) == ["supervisor", "senior"]
    assert path is not None and path.leaves_route and path.alternatives == ()
    assert "No route to it keeps to direct work with children" in path.reason


def test_grow_your_own_and_academy_routes_count_as_practice() -> None:
    c = council(
        t("fsw", "apprentice", req("months_of_service", 12), decided_by="recruitment"),
        t("apprentice", "nqsw", req("completed", programme="ST0510"), decided_by="automatic"),
        t("fsw", "supervisor", decided_by="recruitment"),
        t("supervisor", "nqsw"),
        t("student", "nqsw", req("completed", programme="placement"), decided_by="recruitment"),
    )
    path = recommended_path(worker("fsw", qualified_on=None, planned={"ST0510": date(2028, 8, 31)}), c, "nqsw", ON)
    assert roles(path) == ["apprentice", "nqsw"]
    assert path is not None and not path.leaves_route and path.needs_vacancy
    assert path.earliest_on == date(2028, 8, 31)
    assert [a.leaves_route for a in path.alternatives] == [True]
    student = recommended_path(worker("student", qualified_on=None), c, "nqsw", ON)
    assert student is not None and not student.leaves_route


# --- what would date an undated step ---


def test_an_undated_step_says_which_requirement_has_no_date_and_what_would_date_it() -> None:
    c = council(t("sw", "senior", req("months_in_role", 12), EVIDENCE), t("senior", "lead", req("months_in_role", 12)))
    accepted = {code: date(2025, 6, 1) for code in PCF_DOMAINS if code not in {"knowledge", "professionalism"}}
    path = recommended_path(worker(evidence={ESW: accepted}), c, "lead", ON)
    assert path is not None and [s.earliest_on for s in path.steps] == [None, None]
    (undated,) = path.undated  # the later step only waits on it: not listed again
    assert (undated.step.to_role, undated.requirement.kind) == ("senior", "evidence")
    assert "professionalism, knowledge" in undated.requirement.why
    assert undated.requirement.would_date_it == (
        "accepted evidence, or a development plan goal with a due date linked to it, for professionalism, knowledge"
    )
    assert path.steps[1].requirements[0].waits


def test_what_would_date_each_kind_of_requirement() -> None:
    c = council(
        t(
            "sw",
            "senior",
            req("months_qualified", 24),
            req("completed", programme="peps-stage-1"),
            req("completed", programme="ST0510"),
            req("completed", programme="asye"),
            req("a_new_kind"),
        )
    )
    someone = worker(
        qualified_on=None,
        planned={"ST0510": date(2025, 6, 1), "asye": date(2026, 9, 1)},
        paused=frozenset({"asye"}),
    )
    path = recommended_path(someone, c, "senior", ON)
    assert path is not None
    found = {u.requirement.kind + (u.requirement.detail[:6]): u.requirement for u in path.undated}
    would = sorted(r.would_date_it for r in found.values())
    assert would == [
        "a correction to the authority file",
        "a qualification date (qualified_on) on the worker's record",
        "a return to learning on asye, with a planned end date",
        "an enrolment on peps-stage-1 with a planned end date",
        "the date ST0510 was completed, or a new planned end date",
    ]
    assert all(r.why for r in found.values())


# --- estimates from the development plan ---


def test_missing_evidence_is_estimated_from_dated_plan_goals_and_marked_as_an_estimate() -> None:
    c = council(t("sw", "senior", req("months_in_role", 12), EVIDENCE), t("senior", "lead", req("months_in_role", 12)))
    accepted = {code: date(2025, 6, 1) for code in PCF_DOMAINS if code not in {"knowledge", "professionalism"}}
    plans = {("pcf", "knowledge"): date(2026, 3, 31), ("pcf", "professionalism"): date(2026, 5, 15)}
    someone = worker(evidence={ESW: accepted}, plan_dates=plans)
    path = recommended_path(someone, c, "lead", ON)
    assert path is not None
    first, second = path.steps
    evidence = first.requirements[1]
    assert (evidence.met, evidence.met_on, evidence.estimated) == (False, date(2026, 5, 15), True)
    assert "(an estimate)" in evidence.detail
    assert not first.requirements[0].estimated  # 12 months in role is a fact
    assert (first.earliest_on, first.estimated) == (date(2026, 5, 15), True)
    assert (second.earliest_on, second.estimated) == (date(2027, 5, 15), True)
    assert second.requirements[0].estimated  # counted from an estimated date
    assert path.estimated and path.earliest_on == date(2027, 5, 15) and path.undated == ()
    # next steps state facts only: the evidence still has no date there
    assert next_steps(someone, c, ON)[0].requirements[1].met_on is None


def test_an_estimate_needs_a_dated_goal_for_every_missing_capability() -> None:
    c = council(t("sw", "senior", EVIDENCE))
    accepted = {code: date(2025, 6, 1) for code in PCF_DOMAINS if code not in {"knowledge", "professionalism"}}
    someone = worker(evidence={ESW: accepted}, plan_dates={("pcf", "knowledge"): date(2026, 3, 31)})
    path = recommended_path(someone, c, "senior", ON)
    assert path is not None and path.earliest_on is None and not path.estimated
    (undated,) = path.undated
    assert undated.requirement.would_date_it.endswith("for professionalism")
    other_framework = worker(evidence={ESW: accepted}, plan_dates={("kss", "knowledge"): date(2026, 3, 31)})
    assert recommended_path(other_framework, c, "senior", ON).earliest_on is None  # type: ignore[union-attr]


def test_an_overdue_goal_estimates_no_earlier_than_today() -> None:
    c = council(t("sw", "senior", EVIDENCE))
    plans = {("pcf", code): date(2025, 10, 1) for code in PCF_DOMAINS}
    path = recommended_path(worker(plan_dates=plans), c, "senior", ON)
    assert path is not None and (path.earliest_on, path.estimated) == (ON, True)


def test_at_most_five_other_routes_best_first() -> None:
    middles = [f"m{i}" for i in range(8)]
    c = council(
        *[t("sw", m, req("months_in_role", i + 1)) for i, m in enumerate(middles)],
        *[t(m, "lead", req("months_in_role", 1)) for m in middles],
    )
    path = recommended_path(worker(), c, "lead", ON)
    assert path is not None and roles(path) == ["m0", "lead"]
    assert len(path.alternatives) == MAX_ALTERNATIVES == 5
    assert [a.steps[0].to_role for a in path.alternatives] == ["m1", "m2", "m3", "m4", "m5"]
