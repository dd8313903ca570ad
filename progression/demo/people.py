"""The demo workforce: areas, teams, a management line, and each worker's career so far."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from progression.dates import add_months
from progression.demo.names import AREAS, FIRST_NAMES, LAST_NAMES, TEAM_KINDS

# The practice career each role has usually passed through, oldest first.
PRIOR = {
    "nqsw": [],
    "social-worker-1": ["nqsw"],
    "social-worker-2": ["nqsw", "social-worker-1"],
    "senior-social-worker": ["nqsw", "social-worker-1", "social-worker-2"],
    "advanced-social-worker": ["nqsw", "social-worker-1", "social-worker-2", "senior-social-worker"],
    "consultant-social-worker": ["nqsw", "social-worker-1", "social-worker-2", "senior-social-worker"],
    "principal-social-worker": [
        "nqsw",
        "social-worker-1",
        "social-worker-2",
        "senior-social-worker",
        "advanced-social-worker",
    ],
    "practice-supervisor": ["nqsw", "social-worker-1", "social-worker-2"],
    "team-manager": ["nqsw", "social-worker-1", "social-worker-2", "practice-supervisor"],
    "service-manager": ["nqsw", "social-worker-1", "social-worker-2", "practice-supervisor", "team-manager"],
    "head-of-service": [
        "nqsw",
        "social-worker-1",
        "social-worker-2",
        "practice-supervisor",
        "team-manager",
        "service-manager",
    ],
    "family-support-worker": [],
    "social-work-apprentice": ["family-support-worker"],
    "academy-student": [],
}
# Months in the current role: (fewest, most).
TENURE = {
    "nqsw": (1, 15),
    "social-worker-1": (1, 30),
    "social-worker-2": (1, 40),
    "senior-social-worker": (3, 60),
    "advanced-social-worker": (6, 72),
    "consultant-social-worker": (6, 72),
    "principal-social-worker": (12, 60),
    "practice-supervisor": (2, 48),
    "team-manager": (6, 96),
    "service-manager": (12, 96),
    "head-of-service": (12, 72),
    "family-support-worker": (3, 96),
    "social-work-apprentice": (1, 34),
    "academy-student": (1, 14),
}
# How the practice and learner roles share out the rest of the workforce.
FILL_WEIGHTS = {
    "social-worker-1": 20,
    "social-worker-2": 17,
    "senior-social-worker": 12,
    "nqsw": 12,
    "family-support-worker": 9,
    "social-work-apprentice": 6,
    "academy-student": 6,
    "advanced-social-worker": 3,
    "consultant-social-worker": 2,
}
# Every route, role and learner kind appears even in a small demo.
MINIMUM = {
    "social-work-apprentice": 5,
    "academy-student": 4,
    "nqsw": 4,
    "family-support-worker": 3,
    "social-worker-1": 6,
    "social-worker-2": 6,
    "senior-social-worker": 4,
    "advanced-social-worker": 1,
    "consultant-social-worker": 2,
}
PRACTICE_HOURS = 37.0


@dataclass
class DemoWorker:
    """A generated worker before it is written."""

    id: int
    staff_id: str
    name: str
    role: str
    role_since: date
    employed_since: date
    qualified_on: date | None
    team: int
    manager: int | None
    fte: float = 1.0
    is_educator: bool = False
    is_manager: bool = False
    is_admin: bool = False
    educator_stage: int | None = None
    history: list[tuple[str, date, date | None]] = field(default_factory=list)
    completed: dict[str, date] = field(default_factory=dict)
    grow_your_own: bool = False


@dataclass
class DemoTeam:
    id: int
    name: str
    area: str
    manager: int | None = None
    supervisor: int | None = None
    members: list[int] = field(default_factory=list)


def area_names(count: int) -> list[str]:
    return [AREAS[i % len(AREAS)] + ("" if i < len(AREAS) else f" {i // len(AREAS) + 1}") for i in range(count)]


def role_plan(total: int, teams: int, service_managers: int, rng: random.Random) -> list[str]:
    """The roles to fill, leadership first, so that managers exist before their reports."""
    plan = ["head-of-service", "principal-social-worker"] + ["service-manager"] * service_managers
    plan += ["team-manager"] * teams + ["practice-supervisor"] * teams
    rest = max(0, total - len(plan))
    minimum = [role for role, n in MINIMUM.items() for _ in range(n)]
    fill = minimum[:rest]
    roles, weights = zip(*FILL_WEIGHTS.items(), strict=True)
    fill += rng.choices(roles, weights=weights, k=rest - len(fill))
    rng.shuffle(fill)
    return (plan + fill)[:total] if total >= len(plan) else plan[:total]


class Workforce:
    """Generates the workforce top-down so that every manager is made before their reports."""

    def __init__(self, rng: random.Random, today: date, total: int) -> None:
        self.rng, self.today, self.total = rng, today, total
        self.workers: list[DemoWorker] = []
        self.teams: list[DemoTeam] = []
        self._names: set[str] = set()

    def _name(self) -> str:
        for _ in range(5):
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self._names:
                self._names.add(name)
                return name
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}-{self.rng.choice(LAST_NAMES)}"
        self._names.add(name)
        return name

    def _days_ago(self, months_low: int, months_high: int) -> date:
        low = add_months(self.today, -months_high)
        high = add_months(self.today, -months_low)
        return low + timedelta(days=self.rng.randint(0, max(0, (high - low).days)))

    def build(self) -> None:
        team_count = max(3, round(self.total / 13))
        area_count = max(2, (team_count + 2) // 3)
        areas = area_names(area_count)
        self.teams = [
            DemoTeam(
                i + 1,
                f"{areas[i % area_count]} {TEAM_KINDS[(i // area_count) % len(TEAM_KINDS)]}",
                areas[i % area_count],
            )
            for i in range(team_count)
        ]
        self.academy = DemoTeam(team_count + 1, "Fernbridge Social Work Academy", "Council-wide")
        self.centre = DemoTeam(team_count + 2, "Practice Development and Quality", "Council-wide")
        self.teams += [self.academy, self.centre]
        service_managers = max(1, area_count // 2)
        plan = role_plan(self.total, team_count, service_managers, self.rng)
        self.service_managers: list[int] = []
        area_teams = self.teams[:team_count]
        for index, role in enumerate(plan):
            self._add(index, role, area_teams)

    def _add(self, index: int, role: str, area_teams: list[DemoTeam]) -> None:
        worker_id = len(self.workers) + 1
        head = 1
        if role == "head-of-service":
            team, manager = self.centre, None
        elif role == "principal-social-worker":
            team, manager = self.centre, head
        elif role == "service-manager":
            team, manager = self.centre, head
            self.service_managers.append(worker_id)
        elif role == "team-manager":
            team = next(t for t in area_teams if t.manager is None)
            manager = self.service_managers[area_teams.index(team) % len(self.service_managers)]
            team.manager = worker_id
        elif role == "practice-supervisor":
            team = next(t for t in area_teams if t.supervisor is None)
            manager, team.supervisor = team.manager, worker_id
        elif role == "academy-student":
            team, manager = self.academy, self.academy.manager or 2
        else:
            team = area_teams[index % len(area_teams)]
            learner = role in ("nqsw", "social-worker-1", "social-work-apprentice", "family-support-worker")
            manager = team.supervisor if learner and team.supervisor else team.manager
        worker = self._career(worker_id, role, team.id, manager)
        team.members.append(worker_id)
        self.workers.append(worker)
        if role == "consultant-social-worker" and self.academy.manager is None:
            # The first consultant leads the academy's practice education.
            self.academy.manager = worker_id
            worker.team = self.academy.id
            worker.manager = 2

    def _career(self, worker_id: int, role: str, team: int, manager: int | None) -> DemoWorker:
        rng = self.rng
        low, high = TENURE[role]
        role_since = self._days_ago(low, high)
        spells: list[tuple[str, date, date | None]] = [(role, role_since, None)]
        start = role_since
        prior = list(PRIOR[role])
        grow_your_own = role in ("nqsw", "social-worker-1", "social-worker-2") and rng.random() < 0.25
        if grow_your_own:
            prior = ["family-support-worker", "social-work-apprentice", *prior]
        for previous in reversed(prior):
            months = {"nqsw": 12, "social-work-apprentice": 36}.get(previous, rng.randint(12, 30))
            begun = add_months(start, -months) - timedelta(days=rng.randint(0, 20) if previous != "nqsw" else 0)
            spells.insert(0, (previous, begun, start))
            start = begun
        qualified_on = next((s for r, s, _ in spells if r == "nqsw"), None)
        if qualified_on is not None:
            qualified_on -= timedelta(days=rng.randint(0, 60))
        # Some joined the council part-way through their career; history starts when they joined.
        joined = 0 if grow_your_own or len(spells) < 3 or rng.random() < 0.6 else rng.randint(1, len(spells) - 1)
        history = spells[joined:]
        worker = DemoWorker(
            id=worker_id,
            staff_id=f"E{1000 + worker_id}",
            name=self._name(),
            role=role,
            role_since=role_since,
            employed_since=history[0][1],
            qualified_on=qualified_on,
            team=team,
            manager=manager,
            fte=rng.choice((1.0, 1.0, 1.0, 1.0, 0.8, 0.6)),
            history=history,
            grow_your_own=grow_your_own,
        )
        for previous, _begun, ended in spells:
            if previous == "nqsw" and ended is not None:
                worker.completed["asye"] = ended
            if previous == "social-work-apprentice" and ended is not None and role != "social-work-apprentice":
                worker.completed["ST0510"] = ended
        self._rights(worker)
        return worker

    def _rights(self, worker: DemoWorker) -> None:
        rng, role = self.rng, worker.role
        worker.is_manager = role in ("practice-supervisor", "team-manager", "service-manager", "head-of-service")
        worker.is_admin = role in ("head-of-service", "principal-social-worker")
        if role in ("consultant-social-worker", "principal-social-worker"):
            worker.educator_stage = 2
        elif role in ("senior-social-worker", "advanced-social-worker", "practice-supervisor") and rng.random() < 0.6:
            worker.educator_stage = rng.choice((1, 2))
        if worker.educator_stage:
            worker.is_educator = True
            started = worker.qualified_on or worker.role_since
            worker.completed["peps-stage-1"] = add_months(started, 30)
            if worker.educator_stage == 2:
                worker.completed["peps-stage-2"] = add_months(started, 44)
        if role in ("team-manager", "service-manager", "head-of-service") or (
            role == "practice-supervisor" and rng.random() < 0.5
        ):
            worker.completed["aspiring-managers"] = add_months(
                worker.role_since, -3 if role != "practice-supervisor" else 4
            )
        worker.completed = {k: v for k, v in worker.completed.items() if v <= self.today}
