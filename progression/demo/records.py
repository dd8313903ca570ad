"""Demo records a worker keeps: CPD, supervision, caseloads, evidence and development plans."""

from __future__ import annotations

from datetime import date, timedelta

from progression.dates import add_months
from progression.demo.names import ACTIONS, CPD_ITEMS, EVIDENCE_TITLES, GOALS, SUPERVISION_TOPICS
from progression.demo.people import DemoWorker
from progression.models import (
    CaseloadCount,
    CpdRecord,
    DevelopmentPlan,
    Evidence,
    EvidenceLink,
    Goal,
    GoalAction,
    GoalCapability,
    PlanStateChange,
    Supervision,
)
from progression.models.base import start_of

# The PCF level a worker gathers evidence for: that of their likely next step.
EVIDENCE_LEVEL = {
    "social-worker-1": "experienced-social-worker",
    "social-worker-2": "experienced-social-worker",
    "senior-social-worker": "advanced-practitioner",
    "practice-supervisor": "manager",
    "advanced-social-worker": "strategic",
    "consultant-social-worker": "strategic",
}
PLAN_STATES = ("draft", "submitted", "agreed", "agreed", "complete")


class Records:
    def __init__(self, demo) -> None:  # type: ignore[no-untyped-def]
        self.demo = demo
        self.rows, self.rng, self.today = demo.rows, demo.rng, demo.today

    def cpd(self, worker: DemoWorker) -> None:
        """Two registration years of CPD, spread through each year as real records are (one slot of the year
        each, never two in one slot), and none before the worker joined the council."""
        year_start = date(self.today.year if self.today.month == 12 else self.today.year - 1, 12, 1)
        for start, count in (
            (add_months(year_start, -12), self.rng.randint(2, 4)),
            (year_start, self.rng.choice((0, 1, 1, 2, 2, 3, 4))),
        ):
            end = min(self.today, add_months(start, 12) - timedelta(days=1))
            begin = max(start, worker.employed_since)
            span = (end - begin).days + 1
            if span <= 0 or count == 0:
                continue
            count = min(count, max(1, span // 30))
            slot = span / count
            for index in range(count):
                kind, title, why = self.rng.choice(CPD_ITEMS)
                low = int(index * slot + slot / 4)
                high = max(low, int((index + 1) * slot - slot / 4) - 1)
                day = begin + timedelta(days=min(span - 1, self.rng.randint(low, high)))
                peer = kind in ("peer discussion", "supervision") or self.rng.random() < 0.3
                self.rows.add(
                    CpdRecord,
                    worker_id=worker.id,
                    day=day,
                    kind=kind,
                    title=title,
                    what_and_why=why,
                    learnt="Clearer ways to weigh risk and strengths together.",
                    impact="I now record my analysis more explicitly in assessments.",
                    peer_reflection=peer,
                    peer_reflection_with="My practice supervisor" if peer else "",
                    created_at=start_of(day),
                )

    def supervision(self, worker: DemoWorker, supervisor: int | None, newly_qualified: bool) -> None:
        gap = self.rng.choice((20, 28, 30, 33, 45, 60))  # some fall overdue
        day = self.today - timedelta(days=self.rng.randint(2, gap))
        earliest = max(worker.role_since, add_months(self.today, -8))
        while day >= earliest:
            self.rows.add(
                Supervision,
                worker_id=worker.id,
                supervisor_id=supervisor,
                day=day,
                kind="individual",
                minutes=self.rng.choice((90, 90, 120, 60)),
                with_whom="",
                notes=self.rng.choice(SUPERVISION_TOPICS),
            )
            weeks = (day - worker.role_since).days // 7
            step = 7 if newly_qualified and weeks < 6 else 14 if newly_qualified and weeks < 26 else 28
            day -= timedelta(days=step + self.rng.randint(-2, 3))
        group_day = self.today - timedelta(days=self.rng.randint(10, 80))
        for _ in range(2):
            if group_day >= worker.role_since:
                self.rows.add(
                    Supervision,
                    worker_id=worker.id,
                    supervisor_id=supervisor,
                    day=group_day,
                    kind="group",
                    minutes=90,
                    with_whom="Team group reflection",
                    notes="Group case consultation",
                )
            group_day -= timedelta(days=60)

    def caseload(self, worker: DemoWorker, cap: int | None) -> None:
        if not cap:
            return
        for weeks_ago in (8, 4, 0):
            cases = max(0, cap + self.rng.choice((-5, -3, -2, -1, 0, 0, 1, 2, 3)))
            day = self.today - timedelta(days=7 * weeks_ago + 1)
            if day >= worker.employed_since:
                self.rows.add(CaseloadCount, worker_id=worker.id, day=day, cases=cases)

    def evidence(self, worker: DemoWorker, accepter: int | None, full: bool) -> None:
        level = EVIDENCE_LEVEL.get(worker.role)
        if level is None or level not in self.demo.pcf_levels:
            return
        domains = list(self.demo.pcf_domains)
        covered = domains if full else self.rng.sample(domains, self.rng.randint(2, 7))
        pending = list(covered)
        while pending:
            take = self.rng.randint(1, 3)
            links, pending = pending[:take], pending[take:]
            day = max(self.today - timedelta(days=self.rng.randint(5, 300)), worker.employed_since)
            accepted = full or self.rng.random() < 0.7
            evidence = self.rows.add(
                Evidence,
                worker_id=worker.id,
                title=self.rng.choice(EVIDENCE_TITLES),
                happened_on=day,
                kind=self.rng.choice(("observation", "feedback-person", "feedback-professional", "reflection")),
                reflection="What I did, what I learnt and what I would do differently.",
                accepted_by_id=accepter if accepted else None,
                accepted_on=min(day + timedelta(days=10), self.today) if accepted else None,
                created_at=start_of(day),
            )
            for code in links:
                self.rows.add(
                    EvidenceLink,
                    evidence_id=evidence,
                    capability_id=self.demo.pcf_domains[code],
                    level_id=self.demo.pcf_levels[level],
                )
            if self.demo.pqs_statements and self.rng.random() < 0.5:
                self.rows.add(
                    EvidenceLink,
                    evidence_id=evidence,
                    capability_id=self.rng.choice(self.demo.pqs_statements),
                    level_id=None,
                )

    def apprentice_evidence(self, worker: DemoWorker, accepter: int | None) -> None:
        ksbs = self.demo.ksbs
        if not ksbs:
            return
        for _ in range(self.rng.randint(2, 6)):
            day = max(self.today - timedelta(days=self.rng.randint(5, 400)), worker.employed_since)
            accepted = accepter is not None and self.rng.random() < 0.6
            evidence = self.rows.add(
                Evidence,
                worker_id=worker.id,
                title=self.rng.choice(EVIDENCE_TITLES),
                happened_on=day,
                kind="reflection",
                reflection="Linked to my apprenticeship portfolio.",
                accepted_by_id=accepter if accepted else None,
                accepted_on=min(day + timedelta(days=14), self.today) if accepted else None,
                created_at=start_of(day),
            )
            for capability in self.rng.sample(ksbs, 3):
                self.rows.add(EvidenceLink, evidence_id=evidence, capability_id=capability, level_id=None)

    def plan(
        self,
        worker: DemoWorker,
        manager: int | None,
        target_role: int | None,
        state: str | None = None,
        extra_goal: str | None = None,
    ) -> int:
        state = state or self.rng.choice(PLAN_STATES)
        created = max(self.today - timedelta(days=self.rng.randint(20, 200)), worker.employed_since)
        plan = self.rows.add(
            DevelopmentPlan,
            worker_id=worker.id,
            title=f"Development plan {created.year}",
            state=state,
            target_role_id=target_role,
            created_at=start_of(created),
        )
        path = {
            "draft": [],
            "submitted": ["submitted"],
            "agreed": ["submitted", "agreed"],
            "complete": ["submitted", "agreed", "complete"],
        }[state]
        previous, when = "draft", created
        for step in path:
            when += timedelta(days=self.rng.randint(3, 20))
            by = worker.id if step == "submitted" else (manager or worker.id)
            self.rows.add(
                PlanStateChange,
                plan_id=plan,
                from_state=previous,
                to_state=step,
                by_id=by,
                at=start_of(min(when, self.today)),
            )
            previous = step
        goals = self.rng.sample(GOALS, self.rng.randint(1, 3)) + ([extra_goal] if extra_goal else [])
        for position, title in enumerate(goals):
            due = self.today + timedelta(days=self.rng.randint(-40, 200))
            done = state == "complete" or (due < self.today and self.rng.random() < 0.5)
            goal = self.rows.add(
                Goal,
                plan_id=plan,
                title=title,
                position=position,
                due_on=due,
                done_on=min(max(due, created), self.today) if done else None,
                source="deferred request" if title == extra_goal else "worker",
            )
            for code in self.rng.sample(list(self.demo.pcf_domains), 2):
                self.rows.add(GoalCapability, goal_id=goal, capability_id=self.demo.pcf_domains[code])
            for action in self.rng.sample(ACTIONS, self.rng.randint(1, 3)):
                action_due = due - timedelta(days=self.rng.randint(0, 60))
                self.rows.add(
                    GoalAction,
                    goal_id=goal,
                    title=action,
                    due_on=action_due,
                    done_on=min(max(action_due, created), self.today)
                    if done or (action_due < self.today and self.rng.random() < 0.6)
                    else None,
                )
        return plan
