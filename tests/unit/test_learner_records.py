"""Learner records: off-the-job hours logged and verified, placement days, reviews and status changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, InputError
from progression.models import AuditEntry, OtjEntry, PlacementDay, Review
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.learner_records import (
    ReviewRead,
    change_status,
    hours_over_time,
    learner_record,
    log_otj,
    log_placement_day,
    record_review,
    verify_otj,
)
from progression.services.learners import LearnerRead, learners
from tests.conftest import TODAY


def learner_of(engine: Engine, kind: str, status: str = "active") -> LearnerRead:
    """The first learner of a kind and status in the demo council."""
    return next(item for item in learners(engine, local_admin(), TODAY) if item.kind == kind and item.status == status)


def educator_of(engine: Engine, learner: LearnerRead) -> Actor:
    assert learner.educator is not None
    return resolve_actor(engine, learner.educator)


def other_educator(engine: Engine, learner: LearnerRead) -> Actor:
    """An educator with learners, but not this one."""
    staff_id = next(
        item.educator
        for item in learners(engine, local_admin(), TODAY)
        if item.educator not in (None, learner.educator)
    )
    return resolve_actor(engine, staff_id or "")


def count(engine: Engine, model: type, **where: object) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.exec(query).one()


def audits(engine: Engine, action: str) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(col(AuditEntry.id))))


def problem_places(error: pytest.ExceptionInfo[InputError]) -> set[str]:
    return {problem.place for problem in error.value.problems}


def test_logging_hours_is_refused_outside_the_rules(demo_engine: Engine) -> None:
    apprentice = learner_of(demo_engine, "apprenticeship")
    actor, enrolment = resolve_actor(demo_engine, apprentice.staff_id), apprentice.enrolment_id
    before = count(demo_engine, OtjEntry, enrolment_id=enrolment)
    yesterday = TODAY - timedelta(days=1)
    cases = [
        (yesterday, -2.0, "Study", "hours"),
        (yesterday, 0.0, "Study", "hours"),
        (yesterday, 25.0, "Study", "hours"),
        (TODAY + timedelta(days=1), 3.0, "Study", "date"),
        (apprentice.start - timedelta(days=1), 3.0, "Study", "date"),
        (yesterday, 3.0, "   ", "activity"),
    ]
    for day, hours, activity, place in cases:
        with pytest.raises(InputError) as refused:
            log_otj(demo_engine, actor, enrolment, day, hours, activity, TODAY)
        assert place in problem_places(refused), (day, hours, activity)
    log_otj(demo_engine, actor, enrolment, TODAY, 20, "Study block", TODAY)
    with pytest.raises(InputError, match="more than 24 in a day"):
        log_otj(demo_engine, actor, enrolment, TODAY, 5, "More study", TODAY)
    assert count(demo_engine, OtjEntry, enrolment_id=enrolment) == before + 1


def test_hours_during_a_break_in_learning_are_refused(demo_engine: Engine) -> None:
    apprentice = learner_of(demo_engine, "apprenticeship")
    educator = educator_of(demo_engine, apprentice)
    on_break = TODAY - timedelta(days=20)
    change_status(demo_engine, educator, apprentice.enrolment_id, "break", on_break, "Parental leave", TODAY)
    with pytest.raises(InputError, match="break in learning"):
        log_otj(demo_engine, educator, apprentice.enrolment_id, on_break + timedelta(days=3), 3, "Study", TODAY)
    change_status(demo_engine, educator, apprentice.enrolment_id, "active", TODAY - timedelta(days=5), "Back", TODAY)
    log_otj(demo_engine, educator, apprentice.enrolment_id, TODAY - timedelta(days=2), 3, "Study", TODAY)
    changes = learner_record(demo_engine, educator, apprentice.enrolment_id).status_changes
    assert [(c.status, c.day) for c in changes[-2:]] == [("break", on_break), ("active", TODAY - timedelta(days=5))]
    assert [a.after["status"] for a in audits(demo_engine, "change-status")[-2:]] == ["break", "active"]  # type: ignore[index]


def test_only_verified_hours_count_and_only_the_educator_verifies(demo_engine: Engine) -> None:
    apprentice = learner_of(demo_engine, "apprenticeship")
    enrolment, verified_before = apprentice.enrolment_id, apprentice.otj_hours_verified or 0.0
    learner = resolve_actor(demo_engine, apprentice.staff_id)
    entry = log_otj(demo_engine, learner, enrolment, TODAY - timedelta(days=1), 10, "University teaching day", TODAY)
    assert not entry.verified and audits(demo_engine, "log-otj")[-1].after["verified"] is False  # type: ignore[index]

    def verified_now() -> float:
        again = next(item for item in learners(demo_engine, local_admin(), TODAY) if item.enrolment_id == enrolment)
        return again.otj_hours_verified or 0.0

    assert verified_now() == pytest.approx(verified_before)
    with pytest.raises(AccessDenied):
        verify_otj(demo_engine, learner, [entry.id], TODAY)
    with pytest.raises(AccessDenied):
        verify_otj(demo_engine, other_educator(demo_engine, apprentice), [entry.id], TODAY)
    assert verified_now() == pytest.approx(verified_before)
    assert verify_otj(demo_engine, educator_of(demo_engine, apprentice), [entry.id], TODAY) == 1
    assert verified_now() == pytest.approx(verified_before + 10)
    assert audits(demo_engine, "verify-otj")[-1].entity_id == str(entry.id)
    by_educator = log_otj(
        demo_engine, educator_of(demo_engine, apprentice), enrolment, TODAY, 2, "Supervised practice", TODAY
    )
    assert by_educator.verified and by_educator.verified_on == TODAY


def test_an_apprentice_may_not_verify_their_own_hours(demo_engine: Engine) -> None:
    apprentice = learner_of(demo_engine, "apprenticeship")
    learner = resolve_actor(demo_engine, apprentice.staff_id)
    entry = log_otj(demo_engine, learner, apprentice.enrolment_id, TODAY, 2, "Reading", TODAY)
    with pytest.raises(AccessDenied, match="may not"):
        verify_otj(demo_engine, learner, [entry.id], TODAY)
    with Session(demo_engine) as session:
        assert session.get_one(OtjEntry, entry.id).verified_on is None


def test_placement_days_and_the_thirty_skills_days(demo_engine: Engine) -> None:
    student = learner_of(demo_engine, "placement")
    educator, enrolment = educator_of(demo_engine, student), student.enrolment_id
    logged = {day for day, _ in learner_record(demo_engine, educator, enrolment).placement_days}
    free = [d for d in (TODAY - timedelta(days=n) for n in range(1, 200)) if d not in logged and d >= student.start]
    skills, audited = student.skills_days or 0, len(audits(demo_engine, "log-day"))
    for day in free[: 30 - skills]:
        log_placement_day(demo_engine, educator, enrolment, day, "skills", TODAY)
    with pytest.raises(InputError, match="at most 30") as refused:
        log_placement_day(demo_engine, educator, enrolment, free[30 - skills], "skills", TODAY)
    assert problem_places(refused) == {"kind"}
    log_placement_day(demo_engine, educator, enrolment, free[30 - skills], "placement", TODAY)
    for day, place in (
        (free[0], "date"),
        (TODAY + timedelta(days=1), "date"),
        (student.start - timedelta(days=1), "date"),
    ):
        with pytest.raises(InputError) as refused:
            log_placement_day(demo_engine, educator, enrolment, day, "placement", TODAY)
        assert problem_places(refused) == {place}
    assert count(demo_engine, PlacementDay, enrolment_id=enrolment, kind="skills") == 30
    again = next(item for item in learners(demo_engine, local_admin(), TODAY) if item.enrolment_id == enrolment)
    assert again.skills_days == 30
    assert len(audits(demo_engine, "log-day")) == audited + 30 - skills + 1


def test_only_the_educator_records_a_review(demo_engine: Engine) -> None:
    apprentice = learner_of(demo_engine, "apprenticeship")
    enrolment = apprentice.enrolment_id
    held = TODAY - timedelta(days=1)

    def review(actor: Actor, on: date, notes: str, employer: bool = True) -> ReviewRead:
        return record_review(
            demo_engine, actor, enrolment, on, notes, "on track", TODAY,
            learner_signed=True, employer_signed=employer, educator_signed=True,
        )  # fmt: skip

    for refused_actor in (resolve_actor(demo_engine, apprentice.staff_id), other_educator(demo_engine, apprentice)):
        with pytest.raises(AccessDenied):
            review(refused_actor, held, "Going well")
    educator = educator_of(demo_engine, apprentice)
    with pytest.raises(InputError) as refused:
        review(educator, TODAY + timedelta(days=3), "Going well")
    assert problem_places(refused) == {"held_on"}
    with pytest.raises(InputError) as refused:
        review(educator, held, "  ")
    assert problem_places(refused) == {"notes"}
    held_before = count(demo_engine, Review, enrolment_id=enrolment)
    saved = review(educator, held, "Going well", employer=False)
    assert saved.held_on == held and saved.employer_signed_on is None and saved.learner_signed_on == held
    assert count(demo_engine, Review, enrolment_id=enrolment) in (held_before, held_before + 1)
    assert audits(demo_engine, "review")[-1].entity_id == str(enrolment)


def test_status_changes_are_the_educators_and_dated(demo_engine: Engine) -> None:
    apprentice = learner_of(demo_engine, "apprenticeship")
    enrolment, educator = apprentice.enrolment_id, educator_of(demo_engine, apprentice)
    with pytest.raises(AccessDenied):
        change_status(
            demo_engine, resolve_actor(demo_engine, apprentice.staff_id), enrolment, "withdrawn", TODAY, "", TODAY
        )
    for status, day, note, place in (
        ("paused", TODAY, "", "status"),
        ("active", TODAY, "", "status"),
        ("gateway", TODAY, "", "note"),
        ("break", TODAY + timedelta(days=1), "", "date"),
    ):
        with pytest.raises(InputError) as refused:
            change_status(demo_engine, educator, enrolment, status, day, note, TODAY)
        assert problem_places(refused) == {place}
    assert learner_record(demo_engine, educator, enrolment).status == "active"


def test_a_learners_record_is_refused_to_anyone_else(demo_engine: Engine) -> None:
    apprentice = learner_of(demo_engine, "apprenticeship")
    with pytest.raises(AccessDenied):
        learner_record(demo_engine, other_educator(demo_engine, apprentice), apprentice.enrolment_id)
    own = learner_record(demo_engine, resolve_actor(demo_engine, apprentice.staff_id), apprentice.enrolment_id)
    assert own.staff_id == apprentice.staff_id and own.kind == "apprenticeship"


def test_hours_over_time_counts_only_verified_hours_week_by_week(demo_engine: Engine) -> None:
    apprentice = learner_of(demo_engine, "apprenticeship")
    record = learner_record(demo_engine, local_admin(), apprentice.enrolment_id)
    points = hours_over_time(record, apprentice.otj_hours_required)
    assert points, "the demo apprentice has verified hours"
    assert all(week.weekday() == 0 for week, _, _ in points)
    assert [v for _, v, _ in points] == sorted(v for _, v, _ in points)
    assert points[-1][1] == pytest.approx(sum(e.hours for e in record.entries if e.verified), abs=0.1)
    assert hours_over_time(record.model_copy(update={"start": None}), 100) == []
    assert date.min not in {week for week, _, _ in points}


def test_an_apprentice_reads_their_own_enrolment_but_not_the_list(demo_engine) -> None:  # type: ignore[no-untyped-def]
    """`learners(..., enrolment_id=…)` lets the learner read their own enrolment; the dashboard list stays the
    educator's."""
    from progression.services.actor import local_admin, resolve_actor
    from progression.services.learners import learners
    from tests.conftest import TODAY

    apprentice = next(item for item in learners(demo_engine, local_admin(), TODAY) if item.kind == "apprenticeship")
    actor = resolve_actor(demo_engine, apprentice.staff_id)
    own = learners(demo_engine, actor, TODAY, enrolment_id=apprentice.enrolment_id)
    assert [item.enrolment_id for item in own] == [apprentice.enrolment_id]
    assert own[0].otj_hours_required == apprentice.otj_hours_required
    assert learners(demo_engine, actor, TODAY) == []
    others = [i for i in learners(demo_engine, local_admin(), TODAY) if i.staff_id != apprentice.staff_id]
    assert learners(demo_engine, actor, TODAY, enrolment_id=others[0].enrolment_id) == []
