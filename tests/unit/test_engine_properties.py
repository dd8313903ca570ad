"""Properties of next_steps and quickest_path over random councils and workers (CONTRACT.md "JSON shapes").

Councils: 3-6 roles, random transitions (cycles included) with 0-3 random requirements of every kind.
Workers: dates from 2015 to 2030, random completions, enrolments, breaks, evidence and CPD records. The
evaluation date runs from 2019-12-02, the first day a CPD rule exists in data/reference/cpd.yaml.
"""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from progression.dates import add_months, whole_months_between
from progression.engine import (
    CouncilFacts,
    RequirementFacts,
    RoleFacts,
    TransitionFacts,
    WorkerFacts,
    next_steps,
    quickest_path,
)
from progression.engine.facts import CpdRecordFact
from progression.engine.steps import recommended_path
from progression.reference import reference

REF = reference()
FIRST, LAST = date(2015, 1, 1), date(2030, 12, 31)
ROLE_KEYS = ("r0", "r1", "r2", "r3", "r4", "r5")
PCF_LEVELS = (None, "end-of-last-placement", "asye", "social-worker", "experienced-social-worker", "manager")
PROGRAMMES = ("asye", "ecdp", "placement", "peps-stage-1", "ST0510", "local-course")
EVIDENCE = (("pcf", "social-worker"), ("pcf", "experienced-social-worker"), ("early-career-standards", "year-1"))
PCF_DOMAINS = tuple(REF.frameworks["pcf"].level("social-worker").domains or ())

SWE_CPD_FROM = date(2019, 12, 2)  # cpd.yaml: no CPD rule before Social Work England; the engine raises InputError
days = st.dates(min_value=FIRST, max_value=LAST)
on_days = st.dates(min_value=SWE_CPD_FROM, max_value=LAST)
requirements = st.one_of(
    st.builds(
        lambda kind, months: RequirementFacts(kind, months=months),
        st.sampled_from(("months_in_role", "months_qualified", "months_of_service")),
        st.integers(0, 48),
    ),
    st.builds(lambda key: RequirementFacts("completed", programme=key), st.sampled_from(PROGRAMMES)),
    st.builds(lambda fl: RequirementFacts("evidence", framework=fl[0], level=fl[1]), st.sampled_from(EVIDENCE)),
    st.just(RequirementFacts("cpd_compliant")),
)
PROPERTY = settings(max_examples=200, deadline=None)


@st.composite
def councils(draw: st.DrawFn) -> CouncilFacts:
    keys = ROLE_KEYS[: draw(st.integers(3, 6))]
    roles = {
        k: RoleFacts(
            k, k.upper(), draw(st.sampled_from(("practice", "management"))), pcf_level=draw(st.sampled_from(PCF_LEVELS))
        )
        for k in keys
    }
    pairs = [(a, b) for a in keys for b in keys if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12))  # cycles are common
    transitions = [
        TransitionFacts(
            a,
            b,
            draw(st.sampled_from(("automatic", "line_manager", "panel", "recruitment"))),
            tuple(draw(st.lists(requirements, max_size=3))),
        )
        for a, b in chosen
    ]
    months = draw(st.dictionaries(st.sampled_from(PROGRAMMES), st.integers(1, 36)))
    return CouncilFacts(roles, transitions, REF, months)


@st.composite
def workers(draw: st.DrawFn, council: CouncilFacts, on: date, role: str | None = None) -> WorkerFacts:
    """A worker already in their role on `on` (role_since <= on); every other date may fall either side of it."""
    role_since = draw(st.dates(min_value=FIRST, max_value=on))
    near_on = st.dates(min_value=max(FIRST, on - timedelta(days=730)), max_value=min(LAST, on + timedelta(days=365)))
    any_day = days | near_on  # dates near `on` make "met" and "met later" as common as "never"
    completed, planned, paused = {}, {}, set()
    for key in PROGRAMMES:
        state = draw(st.sampled_from(("none", "completed", "planned", "paused")))
        if state == "completed":
            completed[key] = draw(any_day)
        elif state != "none":
            planned[key] = draw(any_day)
            if state == "paused":
                paused.add(key)
    evidence = {  # per level: nothing, some domains, or every domain
        level: draw(st.dictionaries(st.sampled_from(PCF_DOMAINS), any_day, min_size=size))
        for level in EVIDENCE
        if (size := draw(st.sampled_from((-1, 0, 9)))) >= 0
    }
    this_year = st.dates(min_value=max(FIRST, on - timedelta(days=200)), max_value=min(LAST, on + timedelta(days=30)))
    cpd = tuple(draw(st.lists(st.builds(CpdRecordFact, this_year, st.booleans()), max_size=5)))
    return WorkerFacts(
        staff_id="E1001",
        role=role or draw(st.sampled_from(sorted(council.roles))),
        role_since=role_since,
        employed_since=draw(st.dates(min_value=FIRST, max_value=role_since)),
        qualified_on=draw(st.none() | any_day),
        completed=completed,
        planned=planned,
        paused=frozenset(paused),
        evidence=evidence,
        cpd=cpd,
        service=draw(st.sampled_from(("children", "adults"))),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[CouncilFacts, WorkerFacts, date]:
    council, on = draw(councils()), draw(on_days)
    return council, draw(workers(council, on)), on


def latest_last(day: date | None) -> tuple[bool, date]:
    """A sort key where None (no date can be known) counts as the latest of all."""
    return (day is None, day or date.min)


def reachable(council: CouncilFacts, start: str) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for t in council.out.get(queue.popleft(), ()):
            if t.to_role not in seen:
                seen.add(t.to_role)
                queue.append(t.to_role)
    return seen


@PROPERTY
@given(scenarios())
def test_ready_on_is_never_before_any_met_on_and_is_the_latest_when_all_are_known(
    scenario: tuple[CouncilFacts, WorkerFacts, date],
) -> None:
    council, worker, on = scenario
    for step in next_steps(worker, council, on):
        met_ons = [r.met_on for r in step.requirements]
        assert step.ready == all(r.met for r in step.requirements)
        if step.requirements:
            expected = None if None in met_ons else max(d for d in met_ons if d is not None)
            assert step.ready_on == expected
        if step.ready_on is not None:
            assert all(d is not None and d <= step.ready_on for d in met_ons)


@PROPERTY
@given(scenarios())
def test_a_step_ready_on_the_date_has_ready_on_no_later_than_that_date(
    scenario: tuple[CouncilFacts, WorkerFacts, date],
) -> None:
    council, worker, on = scenario
    for step in next_steps(worker, council, on):
        if step.ready:
            assert step.ready_on is not None and step.ready_on <= on
        for r in step.requirements:
            assert not r.met or (r.met_on is not None and r.met_on <= on)


@PROPERTY
@given(scenarios())
def test_a_paths_first_step_is_never_dated_before_that_steps_ready_on(
    scenario: tuple[CouncilFacts, WorkerFacts, date],
) -> None:
    council, worker, on = scenario
    ready_on = {s.role: s.ready_on for s in next_steps(worker, council, on)}
    for target in council.roles:
        path = quickest_path(worker, council, target, on)
        if path is None or not path.steps:
            continue
        first = path.steps[0]
        assert first.to_role in ready_on
        if first.earliest_on is not None:
            assert first.earliest_on >= on
            if ready_on[first.to_role] is not None:
                assert first.earliest_on >= ready_on[first.to_role]  # type: ignore[operator]


@st.composite
def added_requirement(draw: st.DrawFn) -> tuple[CouncilFacts, CouncilFacts, WorkerFacts, date, int]:
    """A council, the same council with one more requirement on one transition, a worker in its from role."""
    council, on = draw(councils()), draw(on_days)
    candidates = [i for i, t in enumerate(council.transitions) if t.requirements]
    assume(candidates)
    index = draw(st.sampled_from(candidates))
    old = council.transitions[index]
    position = draw(st.integers(0, len(old.requirements)))
    extra = (*old.requirements[:position], draw(requirements), *old.requirements[position:])
    changed = [*council.transitions]
    changed[index] = TransitionFacts(old.from_role, old.to_role, old.decided_by, extra)
    stricter = CouncilFacts(council.roles, changed, REF, council.programme_months)
    worker = draw(workers(council, on, role=old.from_role))
    return council, stricter, worker, on, council.out[old.from_role].index(old)


@PROPERTY
@given(added_requirement())
def test_adding_a_requirement_never_makes_a_step_ready_earlier(
    case: tuple[CouncilFacts, CouncilFacts, WorkerFacts, date, int],
) -> None:
    council, stricter, worker, on, index = case
    before = next_steps(worker, council, on)[index]
    after = next_steps(worker, stricter, on)[index]
    assert before.role == after.role
    assert latest_last(after.ready_on) >= latest_last(before.ready_on)
    assert before.ready or not after.ready


@PROPERTY
@given(scenarios())
def test_quickest_path_terminates_and_its_steps_chain_with_dates_that_never_decrease(
    scenario: tuple[CouncilFacts, WorkerFacts, date],
) -> None:
    council, worker, on = scenario
    pairs = {(t.from_role, t.to_role) for t in council.transitions}
    can_reach = reachable(council, worker.role)
    for target in council.roles:
        path = quickest_path(worker, council, target, on)
        if target == worker.role:
            assert path is not None and path.steps == ()
            continue
        assert (path is not None) == (target in can_reach)
        if path is None:
            continue
        roles = [worker.role, *(s.to_role for s in path.steps)]
        assert [s.from_role for s in path.steps] == roles[:-1]
        assert roles[-1] == target and len(set(roles)) == len(roles)  # no role visited twice
        assert all((s.from_role, s.to_role) in pairs for s in path.steps)
        dates = [s.earliest_on for s in path.steps]
        known = [d for d in dates if d is not None]
        assert known == sorted(known)
        assert dates == known + [None] * (len(dates) - len(known))  # once undated, every later step is too
        assert path.earliest_on == dates[-1]


TIME_KINDS = ("months_in_role", "months_qualified", "months_of_service")


@PROPERTY
@given(scenarios())
def test_so_far_is_at_least_needed_exactly_when_a_time_requirement_is_met(
    scenario: tuple[CouncilFacts, WorkerFacts, date],
) -> None:
    """Issue 10: for any worker and date, `so_far` (never capped) >= `needed` exactly when the requirement is met;
    `so_far` is None only where the date it counts from is unknown or still to come, and then it is not met."""
    council, worker, on = scenario
    since = {
        "months_in_role": worker.role_since,
        "months_qualified": worker.qualified_on,
        "months_of_service": worker.employed_since,
    }
    for step in next_steps(worker, council, on):
        for r in step.requirements:
            if r.kind not in TIME_KINDS:
                assert (r.needed, r.so_far) == (None, None)
                continue
            start = since[r.kind]
            assert r.needed is not None and r.needed >= 0
            if r.so_far is None:
                assert not r.met and (start is None or start > on)
                continue
            assert start is not None and r.so_far == whole_months_between(start, on)
            assert r.met_on == add_months(start, r.needed)
            assert (r.so_far >= r.needed) == r.met == (r.met_on <= on)


def management_free_route(council: CouncilFacts, start: str, target: str) -> bool:
    """Whether some route from `start` to `target` enters no management role."""
    seen, queue = {start}, deque([start])
    while queue:
        for t in council.out.get(queue.popleft(), ()):
            if t.to_role not in seen and council.keeps_practice(t.to_role):
                seen.add(t.to_role)
                queue.append(t.to_role)
    return target in seen


@PROPERTY
@given(scenarios())
def test_a_practice_target_is_reached_without_management_whenever_a_route_allows_it(
    scenario: tuple[CouncilFacts, WorkerFacts, date],
) -> None:
    """Issue 10: the recommended route to a practice role keeps out of management whenever one can; to a
    management role it is the quickest route (with no plan to estimate from, exactly `quickest_path`)."""
    council, worker, on = scenario
    for target in council.roles:
        if target == worker.role:
            continue
        path = recommended_path(worker, council, target, on)
        quickest = quickest_path(worker, council, target, on)
        assert (path is None) == (quickest is None)
        if path is None or quickest is None:
            continue
        roles = [s.to_role for s in path.steps]
        assert path.leaves_route == any(council.keeps_practice(r) != council.keeps_practice(target) for r in roles)
        assert path.needs_vacancy == any(s.decided_by == "recruitment" for s in path.steps)
        assert all(a.steps != path.steps and a.steps[-1].to_role == target for a in path.alternatives)
        if not council.keeps_practice(target):
            assert [(s.to_role, s.earliest_on) for s in path.steps] == [
                (s.to_role, s.earliest_on) for s in quickest.steps
            ]
        elif management_free_route(council, worker.role, target):
            assert not path.leaves_route, roles


# --- where the properties above are limited, and why ---


def test_a_step_without_requirements_is_ready_from_the_day_the_role_began() -> None:
    """With nothing to wait for, a step can be taken from the day the worker entered the role.

    (So "adding a requirement never makes a step ready earlier" is a property of steps that have requirements:
    one already met before the role began moves ready_on to that earlier met_on, as CONTRACT.md defines it.)
    """
    roles = {k: RoleFacts(k, k, "practice") for k in ("a", "b")}
    worker = WorkerFacts("E1", "a", date(2024, 1, 1), date(2018, 1, 1))
    step = next_steps(worker, CouncilFacts(roles, [TransitionFacts("a", "b", "panel")], REF), date(2026, 1, 1))[0]
    assert (step.ready, step.ready_on) == (True, date(2024, 1, 1))


def test_an_unconditional_step_out_of_a_role_not_yet_started_is_not_ready_before_it_starts() -> None:
    roles = {k: RoleFacts(k, k, "practice") for k in ("a", "b")}
    worker = WorkerFacts("E1", "a", date(2026, 3, 1), date(2026, 3, 1))
    step = next_steps(worker, CouncilFacts(roles, [TransitionFacts("a", "b", "panel")], REF), date(2026, 1, 1))[0]
    assert not step.ready
    assert step.ready_on == date(2026, 3, 1)
