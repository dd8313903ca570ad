"""Entries made by mistake (issue 10): off-the-job hours, placement days and reviews can be corrected or removed by
the person who may edit them, with the change audited before and after; nothing goes silently."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, InputError, NotFound
from progression.models import AuditEntry, OtjEntry, PlacementDay, Review
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.learner_records import (
    correct_otj,
    correct_placement_day,
    correct_review,
    learner_record,
    log_otj,
    remove_otj,
    remove_placement_day,
    remove_review,
)
from progression.services.learners import LearnerRead, learners
from tests.conftest import TODAY


def learner(engine: Engine, kind: str) -> LearnerRead:
    return next(
        item for item in learners(engine, local_admin(), TODAY) if item.kind == kind and item.status == "active"
    )


def actor(engine: Engine, staff_id: str | None) -> Actor:
    return resolve_actor(engine, staff_id or "")


def other_educator(engine: Engine, of: LearnerRead) -> Actor:
    staff_id = next(item.educator for item in learners(engine, local_admin(), TODAY) if item.educator != of.educator)
    return actor(engine, staff_id)


def last_audit(engine: Engine, action: str) -> AuditEntry:
    with Session(engine) as session:
        found = session.exec(
            select(AuditEntry).where(AuditEntry.action == action).order_by(col(AuditEntry.id).desc())
        ).first()
    assert found is not None, action
    return found


def before_after(entry: AuditEntry) -> tuple[dict[str, object] | None, dict[str, object] | None]:
    def read(value: object) -> dict[str, object] | None:
        return json.loads(value) if isinstance(value, str) else value  # type: ignore[return-value]

    return read(entry.before), read(entry.after)


def test_an_apprentice_corrects_and_removes_their_own_unverified_hours(demo_engine: Engine) -> None:
    apprentice = learner(demo_engine, "apprenticeship")
    me = actor(demo_engine, apprentice.staff_id)
    day = TODAY - timedelta(days=1)
    logged = log_otj(demo_engine, me, apprentice.enrolment_id, day, 3.0, "Reading", TODAY)
    assert not logged.verified
    fixed = correct_otj(demo_engine, me, logged.id, day, 2.5, "Reading on neglect", TODAY)
    assert (fixed.hours, fixed.activity, fixed.verified) == (2.5, "Reading on neglect", False)
    before, after = before_after(last_audit(demo_engine, "correct-otj"))
    assert before and after and before["hours"] == 3.0 and after["hours"] == 2.5
    with pytest.raises(InputError) as refused:
        correct_otj(demo_engine, me, logged.id, TODAY + timedelta(days=2), 30, " ", TODAY)
    assert {p.place for p in refused.value.problems} == {"date", "hours", "activity"}
    removed = remove_otj(demo_engine, me, logged.id)
    assert removed.id == logged.id
    with Session(demo_engine) as session:
        assert session.get(OtjEntry, logged.id) is None
    before, after = before_after(last_audit(demo_engine, "remove-otj"))
    assert before and before["hours"] == 2.5 and before["activity"] == "Reading on neglect" and after is None
    with pytest.raises(NotFound):
        remove_otj(demo_engine, me, logged.id)


def test_verified_hours_are_the_educators_to_correct(demo_engine: Engine) -> None:
    apprentice = learner(demo_engine, "apprenticeship")
    me, educator = actor(demo_engine, apprentice.staff_id), actor(demo_engine, apprentice.educator)
    record = learner_record(demo_engine, educator, apprentice.enrolment_id, TODAY)
    verified = next(entry for entry in record.entries if entry.verified)
    for refused_actor in (me, other_educator(demo_engine, apprentice)):
        with pytest.raises(AccessDenied):
            correct_otj(demo_engine, refused_actor, verified.id, verified.day, 1.0, "x", TODAY)
        with pytest.raises(AccessDenied):
            remove_otj(demo_engine, refused_actor, verified.id)
    fixed = correct_otj(demo_engine, educator, verified.id, verified.day, 1.0, verified.activity, TODAY)
    assert fixed.verified and fixed.hours == 1.0
    with Session(demo_engine) as session:
        assert session.get_one(OtjEntry, verified.id).hours == 1.0


def test_the_educator_corrects_and_removes_placement_days(demo_engine: Engine) -> None:
    student = learner(demo_engine, "placement")
    educator = actor(demo_engine, student.educator)
    record = learner_record(demo_engine, educator, student.enrolment_id, TODAY)
    first, second = record.days[0], record.days[1]
    with pytest.raises(AccessDenied):
        correct_placement_day(demo_engine, actor(demo_engine, student.staff_id), first.id, first.day, "skills", TODAY)
    with pytest.raises(InputError) as refused:
        correct_placement_day(demo_engine, educator, first.id, second.day, first.kind, TODAY)
    assert "already logged" in str(refused.value)
    other = "skills" if first.kind == "placement" else "placement"
    try:
        correct_placement_day(demo_engine, educator, first.id, first.day, other, TODAY)
    except InputError:  # already 30 skills days: the placement kind is always allowed
        other = "placement"
    before, after = before_after(last_audit(demo_engine, "correct-day"))
    assert before and after and before["kind"] == first.kind and after["kind"] == other
    remove_placement_day(demo_engine, educator, second.id)
    with Session(demo_engine) as session:
        assert session.get(PlacementDay, second.id) is None
    before, _ = before_after(last_audit(demo_engine, "remove-day"))
    assert before and before["day"] == second.day.isoformat()
    again = next(
        item for item in learners(demo_engine, local_admin(), TODAY) if item.enrolment_id == student.enrolment_id
    )
    assert (again.placement_days or 0) + (again.skills_days or 0) == (student.placement_days or 0) + (
        student.skills_days or 0
    ) - 1


def test_the_educator_corrects_and_takes_back_a_review(demo_engine: Engine) -> None:
    apprentice = learner(demo_engine, "apprenticeship")
    educator = actor(demo_engine, apprentice.educator)
    record = learner_record(demo_engine, educator, apprentice.enrolment_id, TODAY)
    held = next(r for r in record.reviews if r.state == "held" and r.id is not None and r.due_on)
    assert held.id is not None and held.held_on is not None
    with pytest.raises(AccessDenied):
        correct_review(
            demo_engine, actor(demo_engine, apprentice.staff_id), held.id, held.held_on, "x", "on track", TODAY,
            learner_signed=True, employer_signed=True, educator_signed=True,
        )  # fmt: skip
    fixed = correct_review(
        demo_engine, educator, held.id, held.held_on, "Corrected notes", "on track", TODAY,
        learner_signed=True, employer_signed=False, educator_signed=True,
    )  # fmt: skip
    assert fixed.state == "draft" and fixed.notes == "Corrected notes" and fixed.employer_signed_on is None
    before, after = before_after(last_audit(demo_engine, "correct-review"))
    assert before and after and before["employer_signed_on"] is not None and after["employer_signed_on"] is None
    taken = remove_review(demo_engine, educator, held.id)
    assert taken.state == "scheduled"
    with Session(demo_engine) as session:
        row = session.get_one(Review, held.id)
        assert row.held_on is None and row.due_on == held.due_on and row.outcome is None
    before, _ = before_after(last_audit(demo_engine, "remove-review"))
    assert before and before["notes"] == "Corrected notes"
    after_record = learner_record(demo_engine, educator, apprentice.enrolment_id, TODAY)
    assert after_record.next_review is not None and after_record.next_review.due_on == held.due_on
