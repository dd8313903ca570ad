"""The educator's dashboard and the learner view: listing, sorting, filtering, logging, verifying, refusing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from progression.models import EnrolmentStatusChange, OtjEntry, PlacementDay, Review
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.learners import LearnerRead, learners
from screens.app import ProgressionApp, make_app
from screens.learner_view import LearnerScreen
from screens.learners import LearnersScreen
from screens.widgets.form import FormField
from screens.widgets.learners_dialogs import PlacementDayModal, StatusModal
from screens.widgets.learners_entries import EntriesTable
from screens.widgets.learners_facts import FirstYearPanel, LearnerFacts
from screens.widgets.learners_forms import OtjEntryModal, ReviewModal
from screens.widgets.learners_placement import PlacementPanel
from screens.widgets.learners_table import LearnersTable
from tests.ui.helpers import TODAY, settle

SnapCompare = Callable[..., bool]


def everyone(engine: Engine) -> list[LearnerRead]:
    return learners(engine, local_admin(), TODAY)


@pytest.fixture
def apprentice(demo_engine: Engine) -> LearnerRead:
    """The first active apprentice of the demo council."""
    return next(item for item in everyone(demo_engine) if item.kind == "apprenticeship" and item.status == "active")


@pytest.fixture
def educator(demo_engine: Engine, apprentice: LearnerRead) -> Actor:
    """The apprentice's practice educator."""
    return resolve_actor(demo_engine, apprentice.educator or "")


def app_for(engine: Engine, actor: Actor) -> ProgressionApp:
    return make_app(engine=engine, actor=actor, today=TODAY)


async def open_dashboard(app: ProgressionApp, pilot: Pilot[None]) -> LearnersScreen:
    screen = LearnersScreen(app.context)
    await app.push_screen(screen)
    await settle(pilot)
    return screen


async def open_learner(app: ProgressionApp, pilot: Pilot[None], enrolment_id: int, *, refused: bool = False) -> Any:
    screen = LearnerScreen(app.context, enrolment_id)
    await app.push_screen(screen)
    await settle(pilot, failures_expected=refused)
    return screen


def entries_of(engine: Engine, enrolment_id: int) -> list[OtjEntry]:
    with Session(engine) as session:
        return list(
            session.exec(select(OtjEntry).where(OtjEntry.enrolment_id == enrolment_id).order_by(col(OtjEntry.id)))
        )


async def test_the_dashboard_lists_only_the_educators_learners(demo_engine: Engine, educator: Actor) -> None:
    app = app_for(demo_engine, educator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dashboard(app, pilot)
        table = screen.query_one(LearnersTable)
        shown = {learner.enrolment_id for learner in table.learners}
        theirs = {item.enrolment_id for item in everyone(demo_engine) if item.educator == educator.staff_id}
        assert shown == theirs and table.row_count == len(theirs)
        assert len(theirs) < len(everyone(demo_engine))
        assert f"Learners ({len(theirs)} of {len(theirs)})" == table.border_title


async def test_sorting_and_filtering(demo_engine: Engine) -> None:
    app = app_for(demo_engine, local_admin())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dashboard(app, pilot)
        table = screen.query_one(LearnersTable)
        names = [learner.name for learner in table.learners]
        assert names == sorted(names, key=str.casefold)
        await pilot.press("n")
        assert [learner.name for learner in table.learners] == names[::-1]
        await pilot.press("c")
        rags = [learner.rag for learner in table.learners]
        assert rags[0] == "red" and rags == sorted(rags, key=["red", "amber", "green", "grey"].index)
        await pilot.press("k")
        assert {learner.kind for learner in table.learners} == {"apprenticeship"}
        await pilot.press("k", "k")
        assert {learner.kind for learner in table.learners} <= {"asye", "ecdp"}
        await pilot.press("k", "f")
        assert table.learners and {learner.rag for learner in table.learners} == {"red"}
        await pilot.press("f", "f", "f", "f", "d")
        dues = [learner.next_review_due for learner in table.learners if learner.next_review_due]
        assert dues == sorted(dues)
        target = table.learners[-1]
        await pilot.press("slash", *target.name.split()[0].lower())
        assert isinstance(app.focused, Input)
        assert target in table.learners and all(
            target.name.split()[0].lower() in learner.name.lower() for learner in table.learners
        )
        await pilot.press("enter")
        assert app.focused is table


async def test_enter_opens_the_learner_view(demo_engine: Engine, educator: Actor, apprentice: LearnerRead) -> None:
    app = app_for(demo_engine, educator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dashboard(app, pilot)
        table = screen.query_one(LearnersTable)
        row = next(i for i, learner in enumerate(table.learners) if learner.enrolment_id == apprentice.enrolment_id)
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, LearnerScreen) and view.enrolment_id == apprentice.enrolment_id
        assert view.learner is not None and view.learner.staff_id == apprentice.staff_id
        assert view.has_class("-is-apprentice") and view.check_action("log_day", ()) is False
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_the_apprentice_logs_hours_and_the_educator_verifies_them(
    demo_engine: Engine, apprentice: LearnerRead, educator: Actor
) -> None:
    before = len(entries_of(demo_engine, apprentice.enrolment_id))
    app = app_for(demo_engine, resolve_actor(demo_engine, apprentice.staff_id))
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_learner(app, pilot, apprentice.enrolment_id)
        assert view.check_action("verify_all", ()) is False
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, OtjEntryModal)
        await pilot.press("3", "tab", *"Study day", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
        table = view.query_one(EntriesTable)
        newest = table.entries[0]
        assert (newest.day, newest.hours, newest.activity, newest.verified) == (TODAY, 3, "Study day", False)
    added = entries_of(demo_engine, apprentice.enrolment_id)
    assert len(added) == before + 1 and added[-1].verified_on is None

    app = app_for(demo_engine, educator)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_learner(app, pilot, apprentice.enrolment_id)
        table = view.query_one(EntriesTable)
        table.move_cursor(row=0)
        await pilot.pause()
        assert table.current() is not None and table.current().id == added[-1].id
        assert view.check_action("verify", ()) is True
        await pilot.press("v")
        await settle(pilot)
        assert table.entries[0].verified
    assert entries_of(demo_engine, apprentice.enrolment_id)[-1].verified_on == TODAY


async def test_too_many_hours_keep_what_was_typed_and_cancel_saves_nothing(
    demo_engine: Engine, apprentice: LearnerRead, educator: Actor
) -> None:
    before = len(entries_of(demo_engine, apprentice.enrolment_id))
    app = app_for(demo_engine, educator)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_learner(app, pilot, apprentice.enrolment_id)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("2", "5", "tab", *"Long day", "ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, OtjEntryModal)
        hours = modal.query_one("#otj-hours", FormField)
        assert hours.has_class("-invalid") and hours.text == "25"
        assert modal.query_one("#otj-activity", FormField).text == "Long day"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
    assert len(entries_of(demo_engine, apprentice.enrolment_id)) == before


async def test_the_educator_records_a_review_and_a_break(
    demo_engine: Engine, apprentice: LearnerRead, educator: Actor
) -> None:
    app = app_for(demo_engine, educator)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_learner(app, pilot, apprentice.enrolment_id)
        await pilot.press("r")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ReviewModal)
        await pilot.press(*"Good progress")
        modal.query_one("#review-learner", Checkbox).value = True
        modal.query_one("#review-educator", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is view
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatusModal)
        app.screen.query_one("#status-note-input", Input).value = "Parental leave"
        app.screen.query_one("#status-day-input", Input).value = (TODAY - timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is view and view.learner.status == "break"
    with Session(demo_engine) as session:
        review = session.exec(
            select(Review).where(Review.enrolment_id == apprentice.enrolment_id, Review.held_on == TODAY)
        ).one()
        assert review.notes == "Good progress" and review.learner_signed_on and review.employer_signed_on is None
        change = session.exec(
            select(EnrolmentStatusChange)
            .where(EnrolmentStatusChange.enrolment_id == apprentice.enrolment_id)
            .order_by(col(EnrolmentStatusChange.id).desc())
        ).first()
        assert change is not None and (change.status, change.note) == ("break", "Parental leave")


async def test_a_students_educator_logs_a_placement_day(demo_engine: Engine) -> None:
    student = next(item for item in everyone(demo_engine) if item.kind == "placement" and item.status == "active")
    app = app_for(demo_engine, resolve_actor(demo_engine, student.educator or ""))
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_learner(app, pilot, student.enrolment_id)
        assert view.has_class("-is-student") and view.check_action("log_hours", ()) is False
        assert "of 200" in str(view.query_one(PlacementPanel).render())
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, PlacementDayModal)
        app.screen.query_one("#day-date-input", Input).value = "not a date"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#day-date", FormField).has_class("-invalid")
        app.screen.query_one("#day-date-input", Input).value = TODAY.isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is view and view.learner.placement_days == (student.placement_days or 0) + 1
    with Session(demo_engine) as session:
        days = session.exec(
            select(PlacementDay).where(PlacementDay.enrolment_id == student.enrolment_id, PlacementDay.day == TODAY)
        ).all()
        assert [day.kind for day in days] == ["placement"]


async def test_a_newly_qualified_workers_year(demo_engine: Engine) -> None:
    newly = next(item for item in everyone(demo_engine) if item.kind == "asye" and item.caseload is not None)
    app = app_for(demo_engine, resolve_actor(demo_engine, newly.educator or ""))
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_learner(app, pilot, newly.enrolment_id)
        assert view.has_class("-is-nq")
        assert not view.check_action("log_hours", ()) and not view.check_action("log_day", ())
        text = str(view.query_one(FirstYearPanel).render())
        assert f"{newly.caseload} cases" in text and "Protected time" in text


async def test_another_educators_learner_is_refused_and_nothing_shown(
    demo_engine: Engine, apprentice: LearnerRead, educator: Actor
) -> None:
    stranger = next(item for item in everyone(demo_engine) if item.educator not in (None, educator.staff_id))
    app = app_for(demo_engine, educator)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_learner(app, pilot, stranger.enrolment_id, refused=True)
        assert view.record is None and view.learner is None
        assert "may not see" in str(view.query_one(LearnerFacts).render())
        assert view.check_action("log_hours", ()) is False and view.check_action("review", ()) is False
        assert stranger.name not in str(view.query_one(LearnerFacts).render())


async def test_a_worker_with_no_learners_sees_an_empty_dashboard(ui_engine: Engine, ada: Actor) -> None:
    app = app_for(ui_engine, ada)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dashboard(app, pilot)
        assert screen.query_one(LearnersTable).row_count == 0
        assert screen.query_one(LearnersTable).border_title == "No learners are assigned to you"


def test_learners_dashboard_at_100_by_30(snap_compare: SnapCompare, demo_engine: Engine, educator: Actor) -> None:
    app = app_for(demo_engine, educator)

    async def opened(pilot: Pilot[Any]) -> None:
        await open_dashboard(app, pilot)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(100, 30), run_before=opened)
