"""The development plan screen: starting a plan, goals and actions, done dates, moves, and who sees what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static, TextArea

from progression.models import DevelopmentPlan, Goal, GoalAction, GoalCapability
from progression.services.actor import Actor, resolve_actor
from progression.services.plans import (
    ActionInput,
    GoalInput,
    PlanRead,
    add_action,
    add_goal,
    create_plan,
    plan_for,
    submit_plan,
)
from screens.app import ProgressionApp, make_app
from screens.plan import PlanScreen
from screens.widgets.form import FormField
from screens.widgets.plan_dialogs import ConfirmModal, DoneModal, NoteModal
from screens.widgets.plan_forms import ActionFormModal, PlanFormModal
from screens.widgets.plan_goal_form import GoalFormModal
from screens.widgets.plan_items import PlanItems
from tests.ui.helpers import TODAY, settle

SnapCompare = Callable[..., bool]


def ada_plan(engine: Engine, ada: Actor) -> PlanRead:
    """Ada's draft plan: two goals linked to capabilities of three frameworks, three dated actions."""
    plan = create_plan(engine, ada, "T2", "Towards senior practice", TODAY, target_role="senior-social-worker")
    plan = add_goal(
        engine,
        ada,
        plan.id,
        GoalInput(
            title="Sharpen analysis in assessments",
            description="Clearer reasoning in written assessments.",
            due_on=TODAY + timedelta(days=120),
            capabilities=[("pcf", "critical-reflection-and-analysis"), ("pqs-cf-practitioner", "kss-7")],
        ),
        TODAY,
    )
    first = plan.goals[0].id
    plan = add_action(
        engine,
        ada,
        first,
        ActionInput(title="Read the latest research summary", due_on=TODAY + timedelta(days=20)),
        TODAY,
    )
    plan = add_action(
        engine,
        ada,
        first,
        ActionInput(title="Ask for feedback from a partner agency", due_on=TODAY + timedelta(days=90)),
        TODAY,
    )
    plan = add_goal(
        engine,
        ada,
        plan.id,
        GoalInput(
            title="Lead a group reflection",
            due_on=TODAY + timedelta(days=150),
            capabilities=[("swe-professional-standards", "standard-4")],
        ),
        TODAY,
    )
    return add_action(
        engine,
        ada,
        plan.goals[1].id,
        ActionInput(title="Co-facilitate with a practice supervisor", due_on=TODAY + timedelta(days=60)),
        TODAY,
    )


async def open_plan(pilot: Pilot[Any], *, failures_expected: bool = False) -> PlanScreen:
    """Wait for the first screen, then open the plan screen on the app's subject."""
    await settle(pilot, failures_expected=failures_expected)
    await pilot.app.push_screen(PlanScreen(pilot.app.context))  # type: ignore[attr-defined]
    await settle(pilot, failures_expected=failures_expected)
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    return screen


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


def offered(screen: PlanScreen) -> set[str]:
    """The plan keys the screen offers now."""
    keys = (
        "new_plan",
        "add_goal",
        "add_action",
        "edit",
        "toggle_done",
        "remove",
        "submit",
        "agree",
        "send_back",
        "complete",
        "reopen",
    )
    return {k for k in keys if screen.check_action(k, ())}


def plans_in(engine: Engine) -> list[DevelopmentPlan]:
    with Session(engine) as session:
        return list(session.exec(select(DevelopmentPlan)))


def text(screen: PlanScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).visual)


async def test_a_worker_without_a_plan_starts_one(ui_engine: Engine, ada_app: ProgressionApp) -> None:
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        assert "No development plan yet. Press n to start one" in text(screen, "#plan-empty")
        assert offered(screen) == {"new_plan"}
        await pilot.press("n")
        assert isinstance(pilot.app.screen, PlanFormModal)
        await type_text(pilot, "Towards senior practice")
        await pilot.press("enter")
        await settle(pilot)
        [plan] = plans_in(ui_engine)
        assert (plan.title, plan.state) == ("Towards senior practice", "draft")
        assert pilot.app.screen is screen and screen.plan is not None
        assert "Towards senior practice" in text(screen, "#plan-heading")
        assert "No goals yet. Press g to add one." in text(screen, "#plan-empty")
        assert offered(screen) == {"add_goal"}
        assert any("Plan started" in n.message for n in pilot.app._notifications)


async def test_a_plan_needs_a_title_and_escape_cancels(ui_engine: Engine, ada_app: ProgressionApp) -> None:
    async with ada_app.run_test(size=(100, 30)) as pilot:
        await open_plan(pilot)
        await pilot.press("n", "enter")
        form = pilot.app.screen
        assert isinstance(form, PlanFormModal)
        field = form.query_one("#plan-title", FormField)
        assert field.has_class("-invalid") and "Required" in str(field.query_one(".field-error", Static).visual)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PlanScreen) and plans_in(ui_engine) == []


async def test_adding_a_goal_with_capabilities_and_an_action(
    ui_engine: Engine, ada: Actor, ada_app: ProgressionApp
) -> None:
    create_plan(ui_engine, ada, "T2", "My plan", TODAY)
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        await pilot.press("g")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, GoalFormModal)
        await type_text(pilot, "Sharpen analysis")
        await pilot.press("tab")
        await type_text(pilot, "2026-13-01")
        await pilot.press("ctrl+s")
        due = form.query_one("#goal-due", FormField)
        assert "'2026-13-01' is not a real date" in str(due.query_one(".field-error", Static).visual)
        assert form.query_one("#goal-title-input", Input).value == "Sharpen analysis"  # kept
        due.text = (TODAY - timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        assert "due before the plan started" in str(due.query_one(".field-error", Static).visual)
        due.text = "2027-03-01"
        form.query_one("#goal-description-input", TextArea).text = "In writing and at conference."
        await pilot.press("ctrl+f")
        await type_text(pilot, "kss 7")
        await pilot.press("enter", "space")
        await pilot.press("ctrl+f", "ctrl+a", "ctrl+k")
        await type_text(pilot, "K16")
        await pilot.press("enter", "space")
        assert form.chosen == ["pqs-cf-practitioner:kss-7", "ST0510:K16"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        [goal] = screen.plan.goals  # type: ignore[union-attr]
        assert (goal.title, goal.due_on, goal.description) == (
            "Sharpen analysis",
            date(2027, 3, 1),
            "In writing and at conference.",
        )
        assert [c.label for c in goal.capabilities] == ["ST0510 K16", "PQS KSS 7"]
        assert screen.item == f"goal-{goal.id}"
        await pilot.press("a")
        action_form = pilot.app.screen
        assert isinstance(action_form, ActionFormModal)
        await type_text(pilot, "Read research")
        await pilot.press("tab")
        await type_text(pilot, "2027-01-15")
        await pilot.press("enter")
        await settle(pilot)
        [action] = screen.plan.goals[0].actions  # type: ignore[union-attr]
        assert (action.title, action.due_on) == ("Read research", date(2027, 1, 15))
        assert screen.item == f"action-{action.id}"
        assert "0/1 actions done" in text(screen, "#plan-state")
    with Session(ui_engine) as session:
        assert len(session.exec(select(GoalCapability)).all()) == 2


async def test_a_title_too_long_keeps_the_form_open_with_what_was_typed(
    ui_engine: Engine, ada: Actor, ada_app: ProgressionApp
) -> None:
    create_plan(ui_engine, ada, "T2", "My plan", TODAY)
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        await pilot.press("g")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, GoalFormModal)
        long_title = "Build confidence " * 20  # longer than a goal title may be
        form.query_one("#goal-title-input", Input).value = long_title
        await pilot.press("ctrl+f", "enter", "space")  # to the list, then pick the first capability
        await pilot.press("ctrl+s")
        await settle(pilot)
        again = pilot.app.screen
        assert again is form  # the field knows the column's limit: the form never closed
        title = again.query_one("#goal-title", FormField)
        assert title.has_class("-invalid") and "at most 300 are allowed" in str(
            title.query_one(".field-error", Static).visual
        )
        assert again.query_one("#goal-title-input", Input).value == long_title
        assert again.chosen == ["pcf:professionalism"]
        await pilot.press("escape")
        await settle(pilot)
        assert screen.plan is not None and screen.plan.goals == []


async def test_editing_a_goal_and_an_action_keeps_what_is_not_changed(
    ui_engine: Engine, ada: Actor, ada_app: ProgressionApp
) -> None:
    ada_plan(ui_engine, ada)
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, GoalFormModal)
        assert form.query_one("#goal-title-input", Input).value == "Sharpen analysis in assessments"
        assert sorted(form.chosen) == ["pcf:critical-reflection-and-analysis", "pqs-cf-practitioner:kss-7"]
        assert set(form.query_one(SelectionList).selected) == set(form.chosen)
        form.query_one("#goal-title-input", Input).value = "Sharper analysis"
        await pilot.press("ctrl+s")
        await settle(pilot)
        goal = screen.plan.goals[0]  # type: ignore[union-attr]
        assert goal.title == "Sharper analysis" and len(goal.capabilities) == 2
        await pilot.press("down", "e")
        action_form = pilot.app.screen
        assert isinstance(action_form, ActionFormModal)
        assert action_form.query_one("#action-title-input", Input).value == "Read the latest research summary"
        await pilot.press("escape")
        await settle(pilot)
        assert screen.plan.goals[0].actions[0].title == "Read the latest research summary"  # type: ignore[union-attr]


async def test_done_dates_and_overdue_actions(ui_engine: Engine, ada: Actor) -> None:
    ada_plan(ui_engine, ada)
    later = TODAY + timedelta(days=30)  # the first action was due 10 days before this
    app = make_app(engine=ui_engine, actor=ada, today=later)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        items = screen.query_one(PlanItems)
        prompt = items.get_option_at_index(1).prompt
        assert isinstance(prompt, Content)
        assert "overdue 14 Dec 2026" in prompt.plain and "Read the latest research summary" in prompt.plain
        assert any("text-error" in str(span.style) for span in prompt.spans)  # the error colour
        assert "overdue" not in str(items.get_option_at_index(2).prompt)
        await pilot.press("down")
        assert "overdue" in text(screen, "#plan-detail-text")
        await pilot.press("d")
        dialog = pilot.app.screen
        assert isinstance(dialog, DoneModal)
        assert dialog.query_one("#done-on-input", Input).value == later.isoformat()
        dialog.query_one("#done-on", FormField).text = (later + timedelta(days=1)).isoformat()
        await pilot.press("enter")
        assert "is in the future" in str(dialog.query_one(".field-error", Static).visual)
        dialog.query_one("#done-on", FormField).text = "2026-12-20"
        await pilot.press("enter")
        await settle(pilot)
        action = screen.plan.goals[0].actions[0]  # type: ignore[union-attr]
        assert action.done_on == date(2026, 12, 20) and not action.overdue
        assert "1/3 actions done" in text(screen, "#plan-state")
        await pilot.press("d")  # done → not done, no question asked
        await settle(pilot)
        assert screen.plan.goals[0].actions[0].done_on is None  # type: ignore[union-attr]


async def test_removing_asks_first(ui_engine: Engine, ada: Actor, ada_app: ProgressionApp) -> None:
    ada_plan(ui_engine, ada)
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        await pilot.press("x")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmModal)
        assert "Remove the goal 'Sharpen analysis in assessments' and its 2 actions?" in dialog.question
        await pilot.press("n")
        await settle(pilot)
        assert len(screen.plan.goals) == 2  # type: ignore[union-attr]
        await pilot.press("x", "y")
        await settle(pilot)
        assert [g.title for g in screen.plan.goals] == ["Lead a group reflection"]  # type: ignore[union-attr]
    with Session(ui_engine) as session:
        assert len(session.exec(select(Goal)).all()) == 1 and len(session.exec(select(GoalAction)).all()) == 1


async def test_submitted_then_sent_back_agreed_completed_and_reopened(
    ui_engine: Engine, ada: Actor, ada_app: ProgressionApp
) -> None:
    plan = ada_plan(ui_engine, ada)
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        assert offered(screen) == {"add_goal", "add_action", "edit", "toggle_done", "remove", "submit"}
        await pilot.press("s")
        await settle(pilot)
        assert screen.plan.state == "submitted"  # type: ignore[union-attr]
        assert offered(screen) == set()  # nothing for the worker until it is agreed or sent back
        await pilot.press("A", "g")
        await settle(pilot)
        assert screen.plan.state == "submitted" and not isinstance(pilot.app.screen, GoalFormModal)  # type: ignore[union-attr]
    bo = make_app(engine=ui_engine, actor=resolve_actor(ui_engine, "T1"), today=TODAY)
    bo.set_reactive(ProgressionApp.subject, "T2")
    async with bo.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        assert offered(screen) == {"agree", "send_back"}
        await pilot.press("b")
        note = pilot.app.screen
        assert isinstance(note, NoteModal)
        await pilot.press("ctrl+s")
        assert note.query_one("#note", FormField).has_class("-invalid")
        await type_text(pilot, "Add a goal on court work")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.plan.state == "draft"  # type: ignore[union-attr]
        assert "“Add a goal on court work”" in text(screen, "#plan-history-text")
        assert "send back (submitted → draft) by Bo Manager (T1)" in text(screen, "#plan-history-text")
    plan = plan_for(ui_engine, ada, "T2", TODAY)  # type: ignore[assignment]
    submit_plan(ui_engine, ada, plan.id, TODAY)
    bo = make_app(engine=ui_engine, actor=resolve_actor(ui_engine, "T1"), today=TODAY)
    bo.set_reactive(ProgressionApp.subject, "T2")
    async with bo.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert screen.plan.state == "agreed" and offered(screen) == {"complete", "reopen"}  # type: ignore[union-attr]
        await pilot.press("c")
        await settle(pilot)
        assert screen.plan.state == "complete"  # type: ignore[union-attr]
        await pilot.press("o")
        await type_text(pilot, "One goal was not met")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.plan.state == "agreed"  # type: ignore[union-attr]
        assert [h.move for h in screen.plan.history] == [
            "submit",
            "send back",
            "submit",
            "agree",
            "complete",  # type: ignore[union-attr]
            "reopen",
        ]


async def test_another_workers_plan_cannot_be_seen(ui_engine: Engine, ada_app: ProgressionApp) -> None:
    dee = resolve_actor(ui_engine, "T4")
    create_plan(ui_engine, dee, "T4", "Dee's private plan", TODAY)
    ada_app.set_reactive(ProgressionApp.subject, "T4")  # someone Ada may not see
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot, failures_expected=True)
        assert screen.page is None and screen.plan is None
        assert "You may not see this worker's development plan." in text(screen, "#plan-empty")
        assert "Dee" not in text(screen, "#plan-heading")
        assert not screen.query_one(PlanItems).display and screen.query_one(PlanItems).option_count == 0
        assert offered(screen) == set()
        assert any("may not see T4's development plan" in n.message for n in pilot.app._notifications)


def test_the_plan_at_100_by_30(snap_compare: SnapCompare, ui_engine: Engine, ada: Actor) -> None:
    ada_plan(ui_engine, ada)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY + timedelta(days=30))

    async def opened(pilot: Pilot[Any]) -> None:
        await open_plan(pilot)
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=opened)
