"""The learners screens after issue 10: finished learners on request, the status at 80 columns, choosing the review
to record (a draft without its signatures), and correcting or removing what was entered by mistake."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select
from textual.widgets import Select

from progression.models import OtjEntry, PlacementDay, Review
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.learner_records import log_otj
from progression.services.learners import LearnerRead, learners
from screens.app import ProgressionApp, make_app
from screens.learner_view import LearnerScreen
from screens.learners import LearnersScreen
from screens.widgets.confirm import ConfirmModal
from screens.widgets.learners_dialogs import PlacementDayModal
from screens.widgets.learners_entries import DaysTable, EntriesTable, ReviewsTable
from screens.widgets.learners_forms import OtjEntryModal, ReviewModal
from screens.widgets.learners_table import LearnersTable
from tests.ui.helpers import TODAY, settle


def everyone(engine: Engine) -> list[LearnerRead]:
    return learners(engine, local_admin(), TODAY, finished=True)


def app_for(engine: Engine, actor: Actor) -> ProgressionApp:
    return make_app(engine=engine, actor=actor, today=TODAY)


async def test_finished_learners_are_listed_on_request_after_the_current_ones(demo_engine: Engine) -> None:
    app = app_for(demo_engine, local_admin())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = LearnersScreen(app.context)
        await app.push_screen(screen)
        await settle(pilot)
        table = screen.query_one(LearnersTable)
        assert "status" in table._columns
        assert table.learners and all(item.status not in ("completed", "withdrawn") for item in table.learners)
        assert screen.active_bindings["a"].enabled
        await pilot.press("a")
        await pilot.pause()
        finished = [item.status in ("completed", "withdrawn") for item in table.learners]
        assert any(finished) and finished == sorted(finished)
        assert "current and finished" in str(table.border_subtitle)
        await pilot.press("d")
        await pilot.pause()
        finished = [item.status in ("completed", "withdrawn") for item in table.learners]
        assert finished == sorted(finished)
        await pilot.press("a")
        await pilot.pause()
        assert all(item.status not in ("completed", "withdrawn") for item in table.learners)


async def test_the_educator_chooses_the_review_and_a_review_without_signatures_is_a_draft(
    demo_engine: Engine,
) -> None:
    learner = next(
        item for item in everyone(demo_engine) if item.kind == "asye" and item.status == "active" and item.educator
    )
    app = app_for(demo_engine, resolve_actor(demo_engine, learner.educator or ""))
    async with app.run_test(size=(100, 30)) as pilot:
        view = LearnerScreen(app.context, learner.enrolment_id)
        await app.push_screen(view)
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ReviewModal)
        choice = modal.query_one("#review-choice", Select)
        offered = [str(value) for _, value in choice._options if value != Select.BLANK]
        not_held = [r for r in view.record.reviews if r.state != "held"]
        assert offered == [ReviewModal.choice_key(r) for r in not_held]
        choice.value = offered[-1]
        await pilot.press(*"Talked it through")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is view
        saved = next(r for r in view.record.reviews if r.held_on == TODAY)
        assert saved.state == "draft" and ReviewModal.choice_key(saved) in (offered[-1], str(saved.id))
        assert view.query_one(ReviewsTable).reviews == view.record.reviews
    with Session(demo_engine) as session:
        row = session.exec(select(Review).where(Review.enrolment_id == learner.enrolment_id, Review.held_on == TODAY))
        assert row.one().educator_signed_on is None


async def test_an_apprentice_corrects_and_removes_their_own_hours(demo_engine: Engine) -> None:
    apprentice = next(
        item for item in everyone(demo_engine) if item.kind == "apprenticeship" and item.status == "active"
    )
    me = resolve_actor(demo_engine, apprentice.staff_id)
    logged = log_otj(demo_engine, me, apprentice.enrolment_id, TODAY, 3.0, "Reading", TODAY)
    app = app_for(demo_engine, me)
    async with app.run_test(size=(100, 30)) as pilot:
        view = LearnerScreen(app.context, apprentice.enrolment_id)
        await app.push_screen(view)
        await settle(pilot)
        table = view.query_one(EntriesTable)
        table.focus()
        table.move_cursor(row=[e.id for e in table.entries].index(logged.id))
        await pilot.pause()
        assert view.check_action("correct", ()) is True and view.check_action("remove", ()) is True
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, OtjEntryModal)
        app.screen.query_one("#otj-hours-input").value = "2.5"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is view
        assert next(e for e in table.entries if e.id == logged.id).hours == 2.5
        verified = next(e for e in table.entries if e.verified)
        table.move_cursor(row=table.entries.index(verified))
        await pilot.pause()
        assert view.check_action("correct", ()) is None and view.check_action("remove", ()) is None
        table.move_cursor(row=[e.id for e in table.entries].index(logged.id))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert logged.id not in [e.id for e in table.entries]
    with Session(demo_engine) as session:
        assert session.get(OtjEntry, logged.id) is None


async def test_the_educator_corrects_a_placement_day(demo_engine: Engine) -> None:
    student = next(item for item in everyone(demo_engine) if item.kind == "placement" and item.status == "active")
    app = app_for(demo_engine, resolve_actor(demo_engine, student.educator or ""))
    async with app.run_test(size=(100, 30)) as pilot:
        view = LearnerScreen(app.context, student.enrolment_id)
        await app.push_screen(view)
        await settle(pilot)
        days = view.query_one(DaysTable)
        days.focus()
        await pilot.pause()
        first = days.current()
        assert first is not None and view.check_action("correct", ()) is True
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PlacementDayModal)
        app.screen.query_one("#day-kind", Select).value = "placement"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is view
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
    with Session(demo_engine) as session:
        row = session.get(PlacementDay, first.id)
        assert row is not None and row.kind == "placement"
