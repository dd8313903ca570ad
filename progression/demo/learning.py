"""Demo learners: ASYE years, degree apprenticeships under each off-the-job rule, academy placements."""

from __future__ import annotations

from datetime import date, timedelta

from progression.dates import add_months
from progression.demo.names import SETTINGS
from progression.demo.people import DemoWorker
from progression.models import (
    Enrolment,
    EnrolmentStatusChange,
    OtjEntry,
    Placement,
    PlacementDay,
    Review,
)

OTJ_ACTIVITIES = (
    "University teaching day",
    "Directed study: law and policy",
    "Shadowing a duty social worker",
    "Skills workshop: assessment",
    "Reflective log and portfolio",
    "Simulated interview practice",
)
# Apprentice scenarios, one each before any random ones: (start, status, contracted hours a week).
APPRENTICE_SCENARIOS = (
    (date(2022, 3, 7), "gateway", 37.0),  # started under the 20% rule, now at gateway
    (date(2023, 9, 4), "break", 37.0),  # six hours a week, on a break in learning
    (date(2024, 1, 8), "active", 22.5),  # part-time, 20% of hours
    (date(2025, 9, 1), "active", 37.0),  # the standard's published minimum applies
    (date(2024, 9, 2), "withdrawn", 37.0),  # withdrew and went back to family support work
)


def weekdays(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


class Learning:
    """Adds enrolments and their records for the generated workforce."""

    def __init__(self, demo) -> None:  # type: ignore[no-untyped-def]
        self.demo = demo
        self.rows, self.rng, self.today = demo.rows, demo.rng, demo.today
        self.programmes = demo.programmes
        self.scenario = 0

    def completions(self, worker: DemoWorker, educator: int | None) -> None:
        for key, when in worker.completed.items():
            if key not in self.programmes or (key == "asye" and worker.role == "nqsw"):
                continue  # a newly qualified worker's ASYE enrolment is made by `asye`
            start = add_months(when, -12) if key == "asye" else None
            self.rows.add(
                Enrolment,
                worker_id=worker.id,
                programme_id=self.programmes[key],
                start_on=start,
                planned_end_on=when if start else None,
                completed_on=when,
                status="completed",
                educator_id=educator if key == "asye" else None,
            )

    def asye(self, worker: DemoWorker, educator: int | None) -> None:
        start = worker.role_since
        planned_end = add_months(start, 12)
        done = planned_end <= self.today and self.rng.random() < 0.5
        enrolment = self.rows.add(
            Enrolment,
            worker_id=worker.id,
            programme_id=self.programmes["asye"],
            educator_id=educator,
            start_on=start,
            planned_end_on=planned_end,
            completed_on=planned_end if done else None,
            status="completed" if done else "active",
        )
        if done:
            worker.completed["asye"] = planned_end
        skip_one = self.rng.random() < 0.2
        for months, kind in ((3, "asye-three-month"), (6, "asye-interim"), (12, "asye-final")):
            due = add_months(start, months)
            held = due <= self.today and not (skip_one and months == 6)
            held_on = min(due + timedelta(days=self.rng.randint(0, 6)), self.today) if held else None
            self.rows.add(
                Review,
                enrolment_id=enrolment,
                kind=kind,
                due_on=due,
                held_on=held_on,
                learner_signed_on=held_on,
                educator_signed_on=held_on,
                employer_signed_on=held_on,
                outcome="on track" if held else None,
            )

    def apprenticeship(self, worker: DemoWorker, educator: int | None, standard_id: int | None) -> None:
        if self.scenario < len(APPRENTICE_SCENARIOS):
            start, status, hours = APPRENTICE_SCENARIOS[self.scenario]
            self.scenario += 1
            if start > self.today - timedelta(days=60):
                start = self.today - timedelta(days=60 + 30 * self.scenario)
            self._begin_apprenticeship(worker, start)
        else:
            start = worker.role_since
            status, hours = "active", self.rng.choice((37.0, 37.0, 30.0))
        planned_end = add_months(start, 36)
        elapsed = (self.today - start).days
        stated = 1100.0 if start >= date(2025, 8, 1) else None
        enrolment = self.rows.add(
            Enrolment,
            worker_id=worker.id,
            programme_id=self.programmes["ST0510"],
            standard_id=standard_id,
            educator_id=educator,
            start_on=start,
            planned_end_on=planned_end,
            status=status,
            contracted_hours=hours,
            otj_hours_required=stated,
            employer_signed_off_on=self.today - timedelta(days=min(20, elapsed // 5)) if status == "gateway" else None,
        )
        self.rows.add(
            EnrolmentStatusChange,
            enrolment_id=enrolment,
            status="active",
            day=start,
            by_id=educator,
            note="Started the apprenticeship",
        )
        stop = self.today
        if status == "break":
            stop = self.today - timedelta(days=min(70, elapsed // 3))
            self.rows.add(
                EnrolmentStatusChange,
                enrolment_id=enrolment,
                status="break",
                day=stop,
                by_id=educator,
                note="Break in learning: parental leave",
            )
        elif status == "withdrawn":
            stop = self.today - timedelta(days=min(210, elapsed // 2))
            self.rows.add(
                EnrolmentStatusChange,
                enrolment_id=enrolment,
                status="withdrawn",
                day=stop,
                by_id=educator,
                note="Withdrew for personal reasons",
            )
            worker.role, worker.role_since = "family-support-worker", stop
            worker.history[-1] = ("social-work-apprentice", worker.history[-1][1], stop)
            worker.history.append(("family-support-worker", stop, None))
        elif status == "gateway":
            stop = self.today - timedelta(days=min(25, elapsed // 4))
            self.rows.add(
                EnrolmentStatusChange,
                enrolment_id=enrolment,
                status="gateway",
                day=stop,
                by_id=educator,
                note="Passed to gateway",
            )
        weekly = (hours * 0.2) if hours < 30 else 6.0
        if start < date(2022, 8, 1):
            weekly = hours * 0.2
        self._otj(enrolment, start, stop, weekly, educator)
        self._reviews(enrolment, start, stop, weeks=None if start >= date(2025, 8, 1) else 12)

    def _begin_apprenticeship(self, worker: DemoWorker, start: date) -> None:
        """Make the worker's career fit an apprenticeship that began on `start`: family support work with the
        council for a year or more before it (the route's own requirement), then the apprenticeship."""
        joined = add_months(start, -self.rng.randint(12, 40))
        worker.role_since, worker.employed_since = start, joined
        worker.history = [("family-support-worker", joined, start), ("social-work-apprentice", start, None)]

    def _otj(self, enrolment: int, start: date, stop: date, weekly: float, educator: int | None) -> None:
        pace = self.rng.uniform(0.75, 1.15)
        day = start + timedelta(days=(4 - start.weekday()) % 7)
        while day <= stop:
            if self.rng.random() < 0.9:
                hours = round(max(0.5, min(12.0, self.rng.gauss(weekly * pace, 1.2))) * 2) / 2
                verified = (self.today - day).days > 14 and self.rng.random() < 0.97
                self.rows.add(
                    OtjEntry,
                    enrolment_id=enrolment,
                    day=day,
                    hours=hours,
                    activity=self.rng.choice(OTJ_ACTIVITIES),
                    verified_by_id=educator if verified else None,
                    verified_on=day + timedelta(days=7) if verified else None,
                )
            day += timedelta(days=7)

    def _reviews(self, enrolment: int, start: date, stop: date, weeks: int | None) -> None:
        number = 1
        while True:
            due = start + timedelta(weeks=weeks * number) if weeks else add_months(start, 3 * number)
            if due > self.today + timedelta(days=90):
                break
            held = due <= stop and (due < self.today - timedelta(days=10) or self.rng.random() < 0.5)
            if due > stop and due > self.today:
                self.rows.add(Review, enrolment_id=enrolment, kind="progress", due_on=due)
                break
            self.rows.add(
                Review,
                enrolment_id=enrolment,
                kind="progress",
                due_on=due,
                held_on=due if held else None,
                learner_signed_on=due if held else None,
                employer_signed_on=due if held else None,
                educator_signed_on=min(due + timedelta(days=2), self.today) if held else None,
                outcome="on track" if held else None,
            )
            number += 1

    def placement(self, worker: DemoWorker, first_educator: int | None, final_educator: int | None) -> None:
        start = worker.role_since
        enrolment = self.rows.add(
            Enrolment,
            worker_id=worker.id,
            programme_id=self.programmes["placement"],
            educator_id=final_educator,
            start_on=start,
            planned_end_on=add_months(start, 20),
            status="active",
        )
        settings = self.rng.sample(SETTINGS, 2)
        days = weekdays(start, self.today - timedelta(days=1))
        first_end = days[69] if len(days) > 70 else None
        first = self.rows.add(
            Placement,
            enrolment_id=enrolment,
            setting=settings[0][0],
            setting_kind=settings[0][1],
            start_on=start,
            end_on=first_end,
            educator_id=first_educator,
            statutory_tasks_done=False,
            final=False,
        )
        second = None
        if first_end is not None:
            second = self.rows.add(
                Placement,
                enrolment_id=enrolment,
                setting=settings[1][0],
                setting_kind=settings[1][1],
                start_on=first_end + timedelta(days=14),
                educator_id=final_educator,
                statutory_tasks_done=self.rng.random() < 0.5,
                final=True,
            )
        skills = logged = 0
        for day in days:
            if logged >= 200:
                break
            if second is not None and first_end and first_end < day < first_end + timedelta(days=14):
                continue
            if self.rng.random() < 0.12 and skills < 30:
                kind, skills = "skills", skills + 1
            elif self.rng.random() < 0.7:
                kind = "placement"
            else:
                continue
            logged += 1
            placement = first if (first_end is None or day <= first_end) else second
            self.rows.add(PlacementDay, enrolment_id=enrolment, placement_id=placement, day=day, kind=kind)

    def planned_ecdp(self, worker: DemoWorker, educator: int | None, starts: date) -> None:
        """A student with an offer to start the early career programme when it begins."""
        self.rows.add(
            Enrolment,
            worker_id=worker.id,
            programme_id=self.programmes["ecdp"],
            educator_id=educator,
            start_on=starts,
            planned_end_on=add_months(starts, 24),
            status="active",
        )
