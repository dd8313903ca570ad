"""Next steps out of a role, and the quickest path to any role, each with the dates they can be taken."""

from __future__ import annotations

import heapq
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
    """(so far, needed), for a progress bar."""
    missing: tuple[str, ...] = ()
    """What is still missing, e.g. the capability codes without accepted evidence."""


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


@dataclass(slots=True)
class PathResult:
    staff_id: str
    from_role: str
    to_role: str
    steps: tuple[PathStep, ...]

    @property
    def earliest_on(self) -> date | None:
        return self.steps[-1].earliest_on if self.steps else None


class _Evaluator:
    """Evaluates requirements for one worker on one date (shared work, such as CPD, is done once)."""

    def __init__(self, worker: WorkerFacts, council: CouncilFacts, on: date) -> None:
        self.worker, self.council, self.on = worker, council, on
        self._cpd: CpdStatus | None = None

    @property
    def cpd(self) -> CpdStatus:
        if self._cpd is None:
            self._cpd = cpd_status(self.worker.cpd, self.on, self.council.reference)
        return self._cpd

    def _months(self, kind: str, label: str, since: date | None, months: int, since_missing: str) -> RequirementResult:
        if since is None:
            return RequirementResult(kind, False, None, f"{months} months {label}; {since_missing}", (0, months))
        met_on = add_months(since, months)
        so_far = min(whole_months_between(since, self.on), months)
        return RequirementResult(
            kind, met_on <= self.on, met_on, f"{months} months {label}; {so_far} so far", (so_far, months)
        )

    def requirement(
        self, requirement: RequirementFacts, start: date | None, first: bool, qualified_on: date | None
    ) -> RequirementResult:
        worker, kind, months = self.worker, requirement.kind, requirement.months or 0
        if kind == "months_in_role":
            return self._months(kind, "in role", start, months, "waits on the undated step before")
        if kind == "months_qualified":
            return self._months(kind, "since qualifying", qualified_on, months, "not qualified yet")
        if kind == "months_of_service":
            return self._months(kind, "of service", worker.employed_since, months, "")
        if kind == "completed":
            return self._completed(requirement.programme or "", start, first)
        if kind == "evidence":
            return self._evidence(requirement.framework or "", requirement.level or "")
        if kind == "cpd_compliant":
            if not first and start is not None:
                return RequirementResult(kind, False, start, "CPD assumed kept up to date by then")
            status = self.cpd
            if status.no_rule:
                return RequirementResult(kind, False, None, status.no_rule)
            year = f"{status.year_start.isoformat()} to {status.year_end.isoformat()}"
            if status.compliant:
                return RequirementResult(kind, status.met_on <= self.on, status.met_on, f"CPD met for {year}")  # type: ignore[operator]
            return RequirementResult(
                kind,
                False,
                None,
                f"CPD for {year}: {status.missing} needed by {status.year_end.isoformat()}",
                (min(status.records, status.records_needed), status.records_needed),
            )
        return RequirementResult(kind, False, None, f"unknown requirement '{kind}'")

    def _completed(self, programme: str, start: date | None, first: bool) -> RequirementResult:
        worker, council = self.worker, self.council
        for key in council.equivalents(programme, worker.service):
            if key in worker.completed:
                done = worker.completed[key]
                return RequirementResult("completed", done <= self.on, done, f"{key} completed", (1, 1))
        for key in council.equivalents(programme, worker.service):
            if key in worker.paused:
                return RequirementResult("completed", False, None, f"{key} on a break in learning", (0, 1))
            if key in worker.planned:
                end = worker.planned[key]
                if end > self.on:
                    return RequirementResult(
                        "completed", False, end, f"{key} in progress, planned to finish {end}", (0, 1)
                    )
                return RequirementResult(
                    "completed", False, None, f"{key} past its planned end ({end}), not completed", (0, 1)
                )
        if not first and start is not None:
            chosen = council.programme_starting(programme, start, worker.service)
            months = council.programme_months.get(chosen)
            if months:
                end = add_months(start, months)
                return RequirementResult(
                    "completed", False, end, f"{chosen} assumed to start on joining the role and finish {end}", (0, 1)
                )
        return RequirementResult("completed", False, None, f"{programme} not started", (0, 1))

    def _evidence(self, framework: str, level: str) -> RequirementResult:
        domains = self.council.level_domains(framework, level)
        if not domains:
            return RequirementResult("evidence", False, None, f"{framework} {level} lists no capabilities to evidence")
        accepted = self.worker.evidence.get((framework, level), {})
        dates = [accepted[code] for code in domains if code in accepted]
        missing = tuple(code for code in domains if code not in accepted)
        label, level_title = self.council.level_label(framework, level)
        detail = f"accepted evidence for every {label} domain at {level_title} level: {len(dates)} of {len(domains)}"
        met_on = max(dates) if not missing else None
        return RequirementResult(
            "evidence", met_on is not None and met_on <= self.on, met_on, detail, (len(dates), len(domains)), missing
        )

    def step(
        self, transition: TransitionFacts, start: date | None, first: bool, qualified_on: date | None
    ) -> tuple[date | None, tuple[RequirementResult, ...]]:
        requirement = self.requirement
        results = tuple([requirement(r, start, first, qualified_on) for r in transition.requirements])
        if not results:
            return start, results  # no requirements: ready from the day the worker entered the role
        ready_on = results[0].met_on
        for result in results:
            if result.met_on is None:
                return None, results
            if result.met_on > ready_on:  # type: ignore[operator]
                ready_on = result.met_on
        return ready_on, results


def next_steps(worker: WorkerFacts, council: CouncilFacts, on: date) -> list[StepResult]:
    """Each transition out of the worker's role, in the authority file's order, with its requirements on `on`."""
    evaluator = _Evaluator(worker, council, on)
    qualified = worker.qualified_on
    steps = []
    for transition in council.out.get(worker.role, ()):
        ready_on, results = evaluator.step(transition, worker.role_since, True, qualified)
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


def quickest_path(worker: WorkerFacts, council: CouncilFacts, target: str, on: date) -> PathResult | None:
    """The route from the worker's role to `target` that reaches it soonest, or None when there is none.

    Each step is taken as soon as it is ready (never before `on`), and time in role restarts in each new role.
    Routes whose dates are known beat routes with an unknown date; ties go to fewer steps. A route never
    passes through the same role twice, so cycles in the transitions are fine.
    """
    evaluator = _Evaluator(worker, council, on)
    if worker.role == target:
        return PathResult(worker.staff_id, worker.role, target, ())
    never = date.max
    # A route's state is (arrival, qualification date): keep every arrival not beaten on both.
    labels: dict[str, list[tuple[tuple[bool, date, int], date]]] = {}
    start_key = (False, on, 0)
    queue: list[tuple[tuple[bool, date, int], int, str, date | None, date | None, tuple[PathStep, ...]]] = [
        (start_key, 0, worker.role, worker.role_since, worker.qualified_on, ())
    ]
    counter = 0
    while queue:
        key, _, role, start, qualified_on, steps = heapq.heappop(queue)
        if role == target:
            return PathResult(worker.staff_id, worker.role, target, steps)
        first = not steps
        visited = {worker.role, *(s.to_role for s in steps)}
        for transition in council.out.get(role, ()):
            if transition.to_role in visited:
                continue  # a route never passes through the same role twice
            ready_on, results = evaluator.step(transition, start, first, qualified_on)
            floor = on if first else start
            earliest = None if ready_on is None or floor is None else max(ready_on, floor)
            next_key = (earliest is None, earliest or never, len(steps) + 1)
            next_qualified = qualified_on
            if next_qualified is None and earliest is not None and council.qualifies(transition.to_role):
                next_qualified = earliest
            qualified_rank = next_qualified or never
            kept = labels.setdefault(transition.to_role, [])
            if any(k <= next_key and q <= qualified_rank for k, q in kept):
                continue
            kept[:] = [(k, q) for k, q in kept if not (next_key <= k and qualified_rank <= q)]
            kept.append((next_key, qualified_rank))
            step = PathStep(role, transition.to_role, transition.decided_by, earliest, results)
            counter += 1
            heapq.heappush(queue, (next_key, counter, transition.to_role, earliest, next_qualified, (*steps, step)))
    return None
