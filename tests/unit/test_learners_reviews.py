"""Learners' figures agree (issue 10): one next review everywhere, reviews never after a first year's planned end,
a finished programme shows as finished, drafts are not held, and the educator chooses which review they record."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.dates import add_months
from progression.engine.first_year import first_year
from progression.engine.reviews import ReviewFact, first_year_schedule, next_review
from progression.errors import InputError
from progression.models import Enrolment, Review, Worker
from progression.reference import reference
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.learner_records import learner_record, open_reviews, record_review
from progression.services.learners import LearnerRead, first_year_of, learners
from tests.conftest import TODAY
from tests.utils.cli import run_cli

REF = reference()
DAYS = st.dates(date(2020, 1, 1), date(2030, 12, 31))


def review_facts() -> st.SearchStrategy[ReviewFact]:
    kinds = st.sampled_from(["asye-three-month", "asye-interim", "asye-nine-month", "asye-final", "asye"])
    return st.builds(
        ReviewFact,
        due_on=st.none() | DAYS,
        held_on=st.none() | DAYS,
        signed_by_all=st.booleans(),
        has_outcome=st.booleans(),
        kind=kinds,
        id=st.integers(1, 10_000),
    )


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(date(2020, 1, 1), date(2027, 8, 31)),
    fte=st.sampled_from([1.0, 0.8, 0.6, 0.5, 0.2]),
    end_months=st.none() | st.integers(1, 30),
    recorded=st.lists(review_facts(), max_size=6, unique_by=lambda r: r.id),
    on=DAYS,
)
def test_the_next_review_is_the_earliest_review_not_held(
    start: date, fte: float, end_months: int | None, recorded: list[ReviewFact], on: date
) -> None:
    """For any newly qualified learner: no review falls after the planned end, and the next review is the earliest
    required review whose record is not held (a date held, an outcome and the three signatures)."""
    planned_end = add_months(start, end_months) if end_months else None
    year = first_year(start, REF, "children", fte, programme="asye", planned_end=planned_end)
    assert year.ends_on is not None
    assert all(point.due_on <= year.ends_on for point in year.reviews)
    points = [(f"asye-{p.key}", p.title, p.due_on, p.optional) for p in year.reviews]
    schedule = first_year_schedule(points, recorded, on)
    held_kinds = set()
    for item in schedule:
        fact = next((r for r in recorded if r.id == item.review_id), None)
        held = fact is not None and fact.held_on is not None and fact.held_on <= on
        held = held and fact is not None and fact.signed_by_all and fact.has_outcome
        assert (item.state == "held") == held
        if held and item.kind in {kind for kind, *_ in points}:
            held_kinds.add(item.kind)  # a review point held is never due again
    waiting = [i for i in schedule if i.state != "held" and i.due_on is not None and not i.optional]
    found = next_review(schedule)
    if waiting:
        assert found is not None and found.due_on == min(i.due_on for i in waiting if i.due_on)
        assert found.kind not in held_kinds
    else:
        assert found is None
    assert next_review(schedule, ended=True) is None


def test_a_part_time_asye_has_no_review_after_its_planned_end() -> None:
    """Today the review points stretch pro rata past an enrolment's planned end (a final review 20 months in for
    a 12-month enrolment)."""
    start = date(2026, 1, 5)
    year = first_year(start, REF, "children", 0.6, programme="asye", planned_end=add_months(start, 12))
    assert max(point.due_on for point in year.reviews) == add_months(start, 12)


def test_a_finished_first_year_has_no_protected_time() -> None:
    start = date(2025, 1, 6)
    running = first_year(start, REF, programme="asye", on=date(2025, 6, 1))
    ended = first_year(start, REF, programme="asye", ended_on=date(2026, 1, 6), on=date(2026, 2, 1))
    assert running.protected_time_percent == 10 and running.workload_reduction_percent == 10
    assert ended.ended and ended.protected_time_percent is None and ended.workload_reduction_percent is None


def everyone(engine: Engine, finished: bool = True) -> list[LearnerRead]:
    return learners(engine, local_admin(), TODAY, finished=finished)


def test_every_place_gives_the_same_next_review(demo_engine: Engine, demo_url: str) -> None:
    """The learner panel (learners for one enrolment), the reviews table (learner_record), `learners --json` and
    the dashboard list all give the same next review for every learner."""
    listed = everyone(demo_engine)
    result = run_cli("--db", demo_url, "--today", TODAY.isoformat(), "--as", "E1001", "learners", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    by_json = {(item["staff_id"], item["programme"], item["start"]): item for item in json.loads(result.stdout)}
    for learner in listed:
        one = learners(demo_engine, local_admin(), TODAY, enrolment_id=learner.enrolment_id)
        assert [item.next_review_due for item in one] == [learner.next_review_due]
        record = learner_record(demo_engine, local_admin(), learner.enrolment_id, TODAY)
        table = record.next_review.due_on if record.next_review else None
        assert table == learner.next_review_due, learner.staff_id
        item = by_json[(learner.staff_id, learner.programme, learner.start.isoformat())]
        assert item["next_review_due"] == (learner.next_review_due.isoformat() if learner.next_review_due else None)
        assert item["status"] == learner.status == record.status
        waiting = [r.due_on for r in record.reviews if r.state != "held" and r.due_on and not r.optional]
        if learner.status in ("completed", "withdrawn"):
            assert learner.next_review_due is None and not learner.review_overdue
        elif learner.next_review_due is not None:
            assert learner.next_review_due == min(waiting)


def asye_with_final_held(engine: Engine) -> LearnerRead:
    """A demo ASYE whose final review was held though the enrolment was never marked completed."""
    with Session(engine) as session:
        rows = session.exec(
            select(Enrolment, Worker.staff_id)
            .join(Worker, col(Worker.id) == Enrolment.worker_id)
            .join(Review, col(Review.enrolment_id) == Enrolment.id)
            .where(Enrolment.status == "active", Review.kind == "asye-final", col(Review.held_on).is_not(None))
        ).all()
    assert rows, "the demo has an ASYE past its final review"
    enrolment, _ = rows[0]
    return next(item for item in everyone(engine) if item.enrolment_id == enrolment.id)


def test_a_first_year_past_its_final_review_is_completed(demo_engine: Engine) -> None:
    """Completed: no review due or overdue, no reduced caseload cap and no protected time; `first_year_of` (what
    `status` reads) agrees."""
    learner = asye_with_final_held(demo_engine)
    assert learner.status == "completed"
    assert learner.next_review_due is None and not learner.review_overdue
    assert learner.caseload_cap is None and learner.protected_time_percent is None
    with Session(demo_engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == learner.staff_id)).one()
        year = first_year_of(session, worker, TODAY, REF)
    assert year is not None and year.ended and year.protected_time_percent is None
    assert learner.enrolment_id not in {item.enrolment_id for item in everyone(demo_engine, finished=False)}


def test_withdrawn_and_completed_learners_come_after_current_ones(demo_engine: Engine) -> None:
    listed = everyone(demo_engine)
    finished = [item.status in ("completed", "withdrawn") for item in listed]
    assert any(finished) and not all(finished)
    assert finished == sorted(finished)
    current = everyone(demo_engine, finished=False)
    assert current == [item for item in listed if item.status not in ("completed", "withdrawn")]
    for item in listed:
        if item.status in ("completed", "withdrawn"):
            assert item.next_review_due is None and not item.review_overdue


def running_asye(engine: Engine) -> tuple[LearnerRead, Actor]:
    learner = next(
        item
        for item in everyone(engine, finished=False)
        if item.kind == "asye" and item.educator and item.next_review_due and item.start <= TODAY
    )
    return learner, resolve_actor(engine, learner.educator or "")


def test_a_review_without_its_outcome_or_signatures_is_a_draft(demo_engine: Engine) -> None:
    learner, educator = running_asye(demo_engine)
    due = learner.next_review_due
    held = TODAY - timedelta(days=1)

    def save(outcome: str, employer: bool) -> None:
        record_review(
            demo_engine, educator, learner.enrolment_id, held, "Met and talked it through", outcome, TODAY,
            learner_signed=True, employer_signed=employer, educator_signed=True,
        )  # fmt: skip

    save("on track", employer=False)
    record = learner_record(demo_engine, educator, learner.enrolment_id, TODAY)
    draft = next(r for r in record.reviews if r.held_on == held)
    assert draft.state == "draft" and draft.due_on == due
    assert record.next_review is not None and record.next_review.due_on == due
    save("", employer=True)
    assert learner_record(demo_engine, educator, learner.enrolment_id, TODAY).next_review.due_on == due  # type: ignore[union-attr]
    save("on track", employer=True)
    after = learner_record(demo_engine, educator, learner.enrolment_id, TODAY)
    assert next(r for r in after.reviews if r.id == draft.id).state == "held"
    again = next(item for item in everyone(demo_engine) if item.enrolment_id == learner.enrolment_id)
    assert again.next_review_due != due


def test_the_educator_chooses_which_scheduled_review_they_record(demo_engine: Engine) -> None:
    learner, educator = running_asye(demo_engine)
    offered = open_reviews(demo_engine, educator, learner.enrolment_id, TODAY)
    assert offered and all(r.state != "held" for r in offered)
    assert [r.due_on for r in offered] == sorted(r.due_on for r in offered if r.due_on)
    later = offered[-1]
    saved = record_review(
        demo_engine, educator, learner.enrolment_id, TODAY, "Brought forward", "on track", TODAY,
        learner_signed=True, employer_signed=True, educator_signed=True, review=later.id or later.kind,
    )  # fmt: skip
    assert saved.kind == later.kind and saved.state == "held" and saved.due_on == later.due_on
    left = open_reviews(demo_engine, educator, learner.enrolment_id, TODAY)
    assert later.kind not in {r.kind for r in left} and len(left) == len(offered) - 1
    with pytest.raises(InputError) as refused:
        record_review(
            demo_engine, educator, learner.enrolment_id, TODAY, "Again", "on track", TODAY,
            learner_signed=True, employer_signed=True, educator_signed=True, review=saved.id,
        )  # fmt: skip
    assert {p.place for p in refused.value.problems} == {"review"}
