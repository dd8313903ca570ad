"""Next steps out of a role, and the quickest path to any role, each with the dates they can be taken."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from progression.dates import add_months, whole_months_between
from progression.engine.cpd import CpdStatus, cpd_status
from progression.engine.facts import CouncilFacts, RequirementFacts, TransitionFacts, WorkerFacts


@dataclass(slots=True)
class RequirementResult:
    kind: str
    met: bool
    met_on: date | None
    """When it was or will be met; None where no date can be known."""
    detail: str
    progress: tuple[int, int] | None = None
    """(so far, needed), for a progress bar (so far is never capped: a bar clamps it)."""
    missing: tuple[str, ...] = ()
    """What is still missing, e.g. the capability codes without accepted evidence."""
    needed: int | None = None
    """Time requirements: the whole months needed."""
    so_far: int | None = None
    """Time requirements: the whole months from the date they count from to the evaluation date, never capped;
    None where that date is unknown or still to come (not qualified, a role not yet begun)."""
    estimated: bool = False
    """met_on is an estimate (from the development plan, or counted from an estimated date), never a fact."""
    why: str = ""
    """Where met_on is None: why no date can be known."""
    would_date_it: str = ""
    """Where met_on is None: what would give it a date."""
    waits: bool = False
    """Undated only because an earlier step of a path has no date (the cause is that step's, not this)."""


@dataclass(slots=True)
class StepResult:
    role: str
    route: str
    decided_by: str
    ready: bool
    ready_on: date | None
    requirements: tuple[RequirementResult, ...]


@dataclass(slots=True)
class PathStep:
    from_role: str
    to_role: str
    decided_by: str
    earliest_on: date | None
    requirements: tuple[RequirementResult, ...]
    estimated: bool = False
    """earliest_on rests on an estimate (this step's or an earlier one's)."""


@dataclass(slots=True)
class RouteOption:
    """One route to the target: its steps, and whether it leaves the target's kind of work or needs a vacancy."""

    steps: tuple[PathStep, ...]
    leaves_route: bool = False
    """The route passes through a role on another kind of route than the target's (management against direct
    work with children: practice, grow your own and academy routes count as one)."""
    needs_vacancy: bool = False
    """A step of the route is decided by recruitment: it waits for a post to be advertised and won."""

    @property
    def earliest_on(self) -> date | None:
        return self.steps[-1].earliest_on if self.steps else None

    @property
    def estimated(self) -> bool:
        return bool(self.steps) and self.steps[-1].estimated


@dataclass(slots=True)
class Undated:
    """A requirement of a path's step that has no date, why, and what would date it."""

    step: PathStep
    requirement: RequirementResult


@dataclass(slots=True)
class PathResult:
    staff_id: str
    from_role: str
    to_role: str
    steps: tuple[PathStep, ...]
    leaves_route: bool = False
    needs_vacancy: bool = False
    alternatives: tuple[RouteOption, ...] = ()
    """The other routes to the target, best first (see `recommended_path`)."""
    reason: str = ""
    """Why this route is the one recommended, in a sentence."""

    @property
    def earliest_on(self) -> date | None:
        return self.steps[-1].earliest_on if self.steps else None

    @property
    def estimated(self) -> bool:
        return bool(self.steps) and self.steps[-1].estimated

    @property
    def undated(self) -> tuple[Undated, ...]:
        """Each requirement that leaves the route undated by itself (not merely waiting on an earlier step)."""
        return tuple(
            Undated(step, r) for step in self.steps for r in step.requirements if r.met_on is None and not r.waits
        )


RECRUITMENT = "recruitment"
"""The decider of a step that is a post to apply for (it needs a vacancy)."""

WAITING = ("the step before has no date", "a date for the step before")
"""Why a requirement of a later step has no date when that step's start has none, and what would date it."""


class _Evaluator:
    """Evaluates requirements for one worker on one date (shared work, such as CPD, is done once).

    With `estimate`, an evidence requirement whose missing capabilities all have dated goals in the worker's
    development plan is dated from them and marked estimated.
    """

    def __init__(self, worker: WorkerFacts, council: CouncilFacts, on: date, estimate: bool = False) -> None:
        self.worker, self.council, self.on, self.estimate = worker, council, on, estimate
        self._cpd: CpdStatus | None = None

    @property
    def cpd(self) -> CpdStatus:
        if self._cpd is None:
            self._cpd = cpd_status(self.worker.cpd, self.on, self.council.reference)
        return self._cpd

    def _months(
        self,
        kind: str,
        label: str,
        since: date | None,
        months: int,
        missing: tuple[str, str, str, bool],
        estimated: bool = False,
    ) -> RequirementResult:
        """A time requirement: met on `since` + `months`; so far is the real count of whole months, uncapped."""
        head = f"{months} {'month' if months == 1 else 'months'} {label}"
        if since is None:
            since_missing, why, would, waits = missing
            return RequirementResult(
                kind,
                False,
                None,
                f"{head}; {since_missing}",
                (0, months),
                needed=months,
                why=why,
                would_date_it=would,
                waits=waits,
            )
        met_on = add_months(since, months)
        if since > self.on:  # the count has not begun
            return RequirementResult(
                kind,
                False,
                met_on,
                f"{head}; counted from {since.isoformat()}",
                (0, months),
                needed=months,
                estimated=estimated,
            )
        so_far = whole_months_between(since, self.on)
        return RequirementResult(
            kind,
            so_far >= months,
            met_on,
            f"{head}; {so_far} so far",
            (so_far, months),
            needed=months,
            so_far=so_far,
            estimated=estimated,
        )

    def requirement(
        self,
        requirement: RequirementFacts,
        start: date | None,
        first: bool,
        qualified_on: date | None,
        start_estimated: bool = False,
        qualified_estimated: bool = False,
    ) -> RequirementResult:
        worker, kind, months = self.worker, requirement.kind, requirement.months or 0
        if kind == "months_in_role":
            return self._months(
                kind, "in role", start, months, ("waits on the undated step before", *WAITING, True), start_estimated
            )
        if kind == "months_qualified":
            unqualified = (
                "not qualified yet",
                "not qualified yet: there is no qualification date to count from",
                "a qualification date (qualified_on) on the worker's record",
                False,
            )
            return self._months(kind, "since qualifying", qualified_on, months, unqualified, qualified_estimated)
        if kind == "months_of_service":
            no_start = ("no start of service", "no start of service", "a start of service (employed_since)", False)
            return self._months(kind, "of service", worker.employed_since, months, no_start)
        if kind == "completed":
            return self._completed(requirement.programme or "", start, first, start_estimated)
        if kind == "evidence":
            return self._evidence(requirement.framework or "", requirement.level or "")
        if kind == "cpd_compliant":
            return self._cpd_requirement(start, first, start_estimated)
        return RequirementResult(
            kind,
            False,
            None,
            f"unknown requirement '{kind}'",
            why=f"'{kind}' is not a requirement Progression knows",
            would_date_it="a correction to the authority file",
        )

    def _cpd_requirement(self, start: date | None, first: bool, start_estimated: bool) -> RequirementResult:
        kind = "cpd_compliant"
        if not first and start is not None:
            assumed = "CPD assumed kept up to date by then"
            return RequirementResult(kind, False, start, assumed, estimated=start_estimated)
        status = self.cpd
        waits = not first  # a later step whose start has no date: CPD would be assumed kept up from that start
        if status.no_rule:
            why, would = WAITING if waits else (status.no_rule, "a CPD rule in the reference data covering the date")
            return RequirementResult(kind, False, None, status.no_rule, why=why, would_date_it=would, waits=waits)
        year = f"{status.year_start.isoformat()} to {status.year_end.isoformat()}"
        if status.compliant:
            return RequirementResult(kind, status.met_on <= self.on, status.met_on, f"CPD met for {year}")  # type: ignore[operator]
        why, would = (
            WAITING
            if waits
            else (
                f"CPD for {year} is not met yet: {status.missing} needed",
                f"recording {status.missing} by {status.year_end.isoformat()}",
            )
        )
        return RequirementResult(
            kind,
            False,
            None,
            f"CPD for {year}: {status.missing} needed by {status.year_end.isoformat()}",
            (min(status.records, status.records_needed), status.records_needed),
            why=why,
            would_date_it=would,
            waits=waits,
        )

    def _completed(self, programme: str, start: date | None, first: bool, start_estimated: bool) -> RequirementResult:
        worker, council = self.worker, self.council
        for key in council.equivalents(programme, worker.service):
            if key in worker.completed:
                done = worker.completed[key]
                return RequirementResult("completed", done <= self.on, done, f"{key} completed", (1, 1))
        for key in council.equivalents(programme, worker.service):
            if key in worker.paused:
                return RequirementResult(
                    "completed",
                    False,
                    None,
                    f"{key} on a break in learning",
                    (0, 1),
                    why=f"{key} is on a break in learning",
                    would_date_it=f"a return to learning on {key}, with a planned end date",
                )
            if key in worker.planned:
                end = worker.planned[key]
                if end > self.on:
                    return RequirementResult(
                        "completed", False, end, f"{key} in progress, planned to finish {end}", (0, 1)
                    )
                return RequirementResult(
                    "completed",
                    False,
                    None,
                    f"{key} past its planned end ({end}), not completed",
                    (0, 1),
                    why=f"{key} is past its planned end ({end}) and not completed",
                    would_date_it=f"the date {key} was completed, or a new planned end date",
                )
        if not first and start is not None:
            chosen = council.programme_starting(programme, start, worker.service)
            months = council.programme_months.get(chosen)
            if months:
                end = add_months(start, months)
                return RequirementResult(
                    "completed",
                    False,
                    end,
                    f"{chosen} assumed to start on joining the role and finish {end}",
                    (0, 1),
                    estimated=start_estimated,
                )
        if not first and start is None:
            why, would = WAITING
            return RequirementResult(
                "completed", False, None, f"{programme} not started", (0, 1), why=why, would_date_it=would, waits=True
            )
        return RequirementResult(
            "completed",
            False,
            None,
            f"{programme} not started",
            (0, 1),
            why=f"{programme} is not started",
            would_date_it=f"an enrolment on {programme} with a planned end date",
        )

    def _evidence(self, framework: str, level: str) -> RequirementResult:
        domains = self.council.level_domains(framework, level)
        if not domains:
            return RequirementResult(
                "evidence",
                False,
                None,
                f"{framework} {level} lists no capabilities to evidence",
                why=f"{framework} {level} lists no capabilities to evidence",
                would_date_it=f"capabilities for {framework} {level} in the reference data",
            )
        accepted = self.worker.evidence.get((framework, level), {})
        dates = [accepted[code] for code in domains if code in accepted]
        missing = tuple(code for code in domains if code not in accepted)
        label, level_title = self.council.level_label(framework, level)
        detail = f"accepted evidence for every {label} domain at {level_title} level: {len(dates)} of {len(domains)}"
        progress = (len(dates), len(domains))
        if not missing:
            met_on = max(dates)
            return RequirementResult("evidence", met_on <= self.on, met_on, detail, progress)
        planned = {code: self.worker.plan_dates.get((framework, code)) for code in missing}
        unplanned = [code for code, day in planned.items() if day is None]
        if self.estimate and not unplanned:
            expected = max([*dates, *(max(day, self.on) for day in planned.values() if day is not None)])
            return RequirementResult(
                "evidence",
                False,
                expected,
                f"{detail}; the development plan's goals for the rest are due by {expected.isoformat()} (an estimate)",
                progress,
                missing,
                estimated=True,
            )
        every = f"each of the {len(domains)} {label} domains"
        lacking = every if len(missing) == len(domains) else ", ".join(missing)
        undated = every if len(unplanned) == len(domains) else ", ".join(unplanned)
        return RequirementResult(
            "evidence",
            False,
            None,
            detail,
            progress,
            missing,
            why=f"no accepted evidence at {level_title} level yet for {lacking}",
            would_date_it=f"accepted evidence, or a development plan goal with a due date linked to it, for {undated}",
        )

    def step(
        self,
        transition: TransitionFacts,
        start: date | None,
        first: bool,
        qualified_on: date | None,
        start_estimated: bool = False,
        qualified_estimated: bool = False,
    ) -> tuple[date | None, tuple[RequirementResult, ...], bool]:
        """The date the step is ready (None if any requirement has no date), its requirements, and whether that
        date rests on an estimate."""
        results = tuple(
            [
                self.requirement(r, start, first, qualified_on, start_estimated, qualified_estimated)
                for r in transition.requirements
            ]
        )
        if not results:
            return start, results, start_estimated  # no requirements: ready from the day the worker entered the role
        ready_on = results[0].met_on
        for result in results:
            if result.met_on is None:
                return None, results, False
            if result.met_on > ready_on:  # type: ignore[operator]
                ready_on = result.met_on
        return ready_on, results, any([r.estimated for r in results])


def next_steps(worker: WorkerFacts, council: CouncilFacts, on: date) -> list[StepResult]:
    """Each transition out of the worker's role, in the authority file's order, with its requirements on `on`."""
    evaluator = _Evaluator(worker, council, on)
    qualified = worker.qualified_on
    steps = []
    for transition in council.out.get(worker.role, ()):
        ready_on, results, _ = evaluator.step(transition, worker.role_since, True, qualified)
        target = council.roles.get(transition.to_role)
        steps.append(
            StepResult(
                role=transition.to_role,
                route=target.route if target else "",
                decided_by=transition.decided_by,
                ready=ready_on is not None and ready_on <= on and all([r.met for r in results]),
                ready_on=ready_on,
                requirements=results,
            )
        )
    return steps


@dataclass(slots=True)
class _Arrival:
    """Where a route has got to: the role, when it was (or will be) entered, and the qualification date then."""

    role: str
    start: date | None
    qualified_on: date | None
    start_estimated: bool
    qualified_estimated: bool
    steps: tuple[PathStep, ...]


def _take(evaluator: _Evaluator, transition: TransitionFacts, at: _Arrival) -> _Arrival:
    """The arrival after taking `transition` from `at` as soon as it is ready (never before the evaluation date)."""
    council, on, first = evaluator.council, evaluator.on, not at.steps
    ready_on, results, estimated = evaluator.step(
        transition, at.start, first, at.qualified_on, at.start_estimated, at.qualified_estimated
    )
    floor = on if first else at.start
    earliest = None if ready_on is None or floor is None else max(ready_on, floor)
    step_estimated = earliest is not None and (estimated or (not first and at.start_estimated))
    qualified_on, qualified_estimated = at.qualified_on, at.qualified_estimated
    if qualified_on is None and earliest is not None and council.qualifies(transition.to_role):
        qualified_on, qualified_estimated = earliest, step_estimated
    step = PathStep(at.role, transition.to_role, transition.decided_by, earliest, results, step_estimated)
    return _Arrival(transition.to_role, earliest, qualified_on, step_estimated, qualified_estimated, (*at.steps, step))


def _rank(steps: tuple[PathStep, ...]) -> tuple[bool, date, int]:
    """Routes whose dates are known (or estimated) first, soonest first, then fewer steps."""
    last = steps[-1].earliest_on if steps else None
    return (last is None, last or date.max, len(steps))


def _start(worker: WorkerFacts) -> _Arrival:
    return _Arrival(worker.role, worker.role_since, worker.qualified_on, False, False, ())


def _search(
    evaluator: _Evaluator, target: str, allowed: Callable[[str], bool] | None = None
) -> tuple[PathStep, ...] | None:
    """The best-ranked route from the worker's role to `target` entering only roles `allowed` lets through.

    A route never passes through the same role twice, so cycles in the transitions are fine. Arrivals at a
    role are kept while no other arrival there beats them on both rank and qualification date.
    """
    worker, council = evaluator.worker, evaluator.council
    never = date.max
    labels: dict[str, list[tuple[tuple[bool, date, int], date]]] = {}
    queue: list[tuple[tuple[bool, date, int], int, _Arrival]] = [((False, evaluator.on, 0), 0, _start(worker))]
    counter = 0
    while queue:
        _, _, at = heapq.heappop(queue)
        if at.role == target:
            return at.steps
        visited = {worker.role, *(s.to_role for s in at.steps)}
        for transition in council.out.get(at.role, ()):
            if transition.to_role in visited or (allowed is not None and not allowed(transition.to_role)):
                continue
            after = _take(evaluator, transition, at)
            next_key = _rank(after.steps)
            qualified_rank = after.qualified_on or never
            kept = labels.setdefault(transition.to_role, [])
            if any(k <= next_key and q <= qualified_rank for k, q in kept):
                continue
            kept[:] = [(k, q) for k, q in kept if not (next_key <= k and qualified_rank <= q)]
            kept.append((next_key, qualified_rank))
            counter += 1
            heapq.heappush(queue, (next_key, counter, after))
    return None


def quickest_path(worker: WorkerFacts, council: CouncilFacts, target: str, on: date) -> PathResult | None:
    """The route from the worker's role to `target` that reaches it soonest, or None when there is none.

    Each step is taken as soon as it is ready (never before `on`), and time in role restarts in each new role.
    Routes whose dates are known beat routes with an unknown date; ties go to fewer steps. A route never
    passes through the same role twice, so cycles in the transitions are fine. No estimates are made.
    """
    if worker.role == target:
        return PathResult(worker.staff_id, worker.role, target, ())
    steps = _search(_Evaluator(worker, council, on), target)
    if steps is None:
        return None
    option = _option(council, target, steps)
    leaves, vacancy = option.leaves_route, option.needs_vacancy
    return PathResult(worker.staff_id, worker.role, target, steps, leaves_route=leaves, needs_vacancy=vacancy)


MAX_ALTERNATIVES = 5
"""How many other routes a path lists."""
SEARCH_BUDGET = 5000
"""How many steps the search for other routes may weigh (the number of routes can grow very fast)."""


def _option(council: CouncilFacts, target: str, steps: tuple[PathStep, ...]) -> RouteOption:
    keeps = council.keeps_practice(target)
    return RouteOption(
        steps,
        leaves_route=any(council.keeps_practice(s.to_role) != keeps for s in steps),
        needs_vacancy=any(s.decided_by == RECRUITMENT for s in steps),
    )


def _every_route(evaluator: _Evaluator, target: str) -> list[tuple[PathStep, ...]]:
    """Routes from the worker's role to `target` (each role at most once), as many as the budget allows."""
    council = evaluator.council
    leads_there, queue = {target}, [target]
    into: dict[str, list[str]] = {}
    for transition in council.transitions:
        into.setdefault(transition.to_role, []).append(transition.from_role)
    while queue:
        for role in into.get(queue.pop(), ()):
            if role not in leads_there:
                leads_there.add(role)
                queue.append(role)
    found: list[tuple[PathStep, ...]] = []
    weighed = 0
    stack = [_start(evaluator.worker)]
    while stack:
        at = stack.pop()
        if at.role == target:
            found.append(at.steps)
            continue
        visited = {evaluator.worker.role, *(s.to_role for s in at.steps)}
        for transition in reversed(council.out.get(at.role, ())):
            if transition.to_role in visited or transition.to_role not in leads_there:
                continue
            weighed += 1
            if weighed > SEARCH_BUDGET:
                return found
            stack.append(_take(evaluator, transition, at))
    return found


def recommended_path(worker: WorkerFacts, council: CouncilFacts, target: str, on: date) -> PathResult | None:
    """The route the worker is advised to take to `target`, with the other routes, or None when there is none.

    The councils promise progression without leaving direct work with children: when the target is not a
    management role, the best route that enters no management role is recommended whenever one exists, even
    if one of its dates cannot be known yet (it is never swapped for a quicker route through management).
    When the target is a management role, or no route keeps to direct work, the quickest route is recommended.
    Routes are ranked as in `quickest_path`. Evidence still missing is dated from the development plan's dated
    goals where every missing capability has one, marked estimated (as is every date counted from it).
    """
    if worker.role == target:
        return PathResult(worker.staff_id, worker.role, target, ())
    evaluator = _Evaluator(worker, council, on, estimate=True)
    best = _search(evaluator, target, council.keeps_practice) if council.keeps_practice(target) else None
    if best is None:
        best = _search(evaluator, target)
    if best is None:
        return None
    chosen = _option(council, target, best)
    others = sorted(
        (steps for steps in _every_route(evaluator, target) if _roles(steps) != _roles(best)),
        key=lambda steps: (_rank(steps), _roles(steps)),
    )
    alternatives = tuple(_option(council, target, steps) for steps in others[:MAX_ALTERNATIVES])
    if not council.keeps_practice(target):
        reason = "It is the quickest route to a management role."
    elif chosen.leaves_route:
        reason = "No route to it keeps to direct work with children: this is the quickest, through management."
    else:
        reason = "It keeps to direct work with children."
        if any(a.leaves_route and _rank(a.steps) < _rank(best) for a in alternatives):
            reason += " A route through management would be sooner (see the other routes)."
    return PathResult(
        worker.staff_id,
        worker.role,
        target,
        best,
        leaves_route=chosen.leaves_route,
        needs_vacancy=chosen.needs_vacancy,
        alternatives=alternatives,
        reason=reason,
    )


def _roles(steps: tuple[PathStep, ...]) -> tuple[str, ...]:
    return tuple(s.to_role for s in steps)
