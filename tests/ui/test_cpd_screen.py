"""The CPD screen: the year at a glance, adding, editing and removing records, years, the regulator's draft."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, TextArea

from progression.models import CpdRecord
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.cpd import CpdInput, add_cpd
from screens.app import ProgressionApp, make_app
from screens.cpd import CpdScreen
from screens.widgets.confirm import ConfirmModal
from screens.widgets.cpd_draft import CpdDraftModal
from screens.widgets.cpd_form import CpdFormModal
from screens.widgets.form import FormField
from tests.ui.helpers import TODAY, settle, text_of

SnapCompare = Callable[..., bool]


def record(day: date, title: str, peer: bool = False) -> CpdInput:
    return CpdInput(
        kind="peer discussion" if peer else "course",
        day=day,
        title=title,
        what_and_why="A family on my caseload needed it.",
        learnt="Weighing risk and strengths together.",
        impact="I record my analysis more clearly.",
        peer_reflection=peer,
        peer_reflection_with="My practice supervisor" if peer else "",
    )


def seed(engine: Engine, actor: Actor, staff_id: str = "T2") -> None:
    """Two records this year (one with peer reflection) and one last year."""
    add_cpd(engine, actor, staff_id, record(date(2026, 3, 7), "Research review on neglect"), TODAY)
    add_cpd(engine, actor, staff_id, record(date(2026, 6, 15), "Group reflection on a complex case", True), TODAY)
    add_cpd(engine, actor, staff_id, record(date(2025, 7, 24), "Contextual safeguarding workshop"), TODAY)


def titles(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(CpdRecord.title)))


async def open_cpd(pilot: Pilot[Any]) -> CpdScreen:
    screen = CpdScreen(pilot.app.context)  # type: ignore[attr-defined]
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def field(pilot: Pilot[Any], field_id: str) -> FormField:
    return pilot.app.screen.query_one(f"#{field_id}", FormField)


async def test_opens_on_the_current_year_at_a_glance(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine, ada)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cpd(pilot)
        assert screen.year is not None and screen.year.label == "2025–26"
        panel = text_of(screen.query_one("#cpd-year"))
        for words in ("2 of 2 ✓", "yes ✓", "6 days", "COMPLIANT", "Standard 4"):
            assert words in panel
        assert screen.query_one("#cpd-days-tile").has_class("-warning")
        assert screen.query_one("#cpd-table", DataTable).row_count == 2
        assert screen.record is not None and screen.record.title == "Group reflection on a complex case"
        assert "Yes, with My practice supervisor" in text_of(screen.query_one("#cpd-detail"))
        await pilot.press("down")
        assert screen.record.title == "Research review on neglect"


async def test_add_a_record_from_the_keyboard(ui_engine: Engine, ada: Actor) -> None:
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    seen: list[Message] = []
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        screen = await open_cpd(pilot)
        assert "2 more records" in text_of(screen.query_one("#cpd-year"))
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CpdFormModal)
        await pilot.press(*"Reading", "tab", *"Why", "tab", *"What", "tab", *"Impact", "tab", "space")
        field(pilot, "cpd-with").text = "My team"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert titles(ui_engine) == ["Reading"]
        assert isinstance(app.screen, CpdScreen)
        assert screen.record is not None and screen.record.peer_reflection_with == "My team"
        assert screen.record.what_and_why == "Why" and screen.record.day == TODAY
        assert any("is saved" in m.notification.message for m in seen if isinstance(m, Notify))


async def test_validation_errors_show_in_place_and_keep_what_was_typed(ui_engine: Engine, ada: Actor) -> None:
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_cpd(pilot)
        await pilot.press("a")
        await pilot.pause()
        field(pilot, "cpd-day").text = "2026-12-25"
        field(pilot, "cpd-why").text = "Kept"
        app.screen.query_one("#cpd-peer", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CpdFormModal)
        assert "is in the future" in text_of(field(pilot, "cpd-day"))
        assert field(pilot, "cpd-day").text == "2026-12-25"
        for invalid in ("cpd-day", "cpd-title", "cpd-learnt", "cpd-impact", "cpd-with"):
            assert field(pilot, invalid).has_class("-invalid"), invalid
        assert not field(pilot, "cpd-why").has_class("-invalid") and field(pilot, "cpd-why").text == "Kept"
        assert "Say who you reflected with" in text_of(field(pilot, "cpd-with"))
        field(pilot, "cpd-day").text = "24/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not a date" in text_of(field(pilot, "cpd-day"))
        assert titles(ui_engine) == []


async def test_escape_cancels_without_saving(ui_engine: Engine, ada: Actor) -> None:
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_cpd(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Half typed", "escape")
        await settle(pilot)
        assert isinstance(app.screen, CpdScreen) and titles(ui_engine) == []


async def test_edit_the_focused_record(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine, ada)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cpd(pilot)
        await pilot.press("down", "e")
        await pilot.pause()
        assert field(pilot, "cpd-title").text == "Research review on neglect"
        field(pilot, "cpd-title").text = "Research review on neglect and harm"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Research review on neglect and harm" in titles(ui_engine)
        assert screen.record is not None and screen.record.title == "Research review on neglect and harm"


async def test_remove_asks_first(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine, ada)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cpd(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert len(titles(ui_engine)) == 3
        await pilot.press("x", "y")
        await settle(pilot)
        assert "Group reflection on a complex case" not in titles(ui_engine)
        assert screen.query_one("#cpd-table", DataTable).row_count == 1
        assert "1 of 2" in text_of(screen.query_one("#cpd-year"))


async def test_move_between_registration_years(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine, ada)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cpd(pilot)
        assert not screen.check_action("next_year", ())
        await pilot.press("p")
        await settle(pilot)
        assert screen.year is not None and screen.year.label == "2024–25"
        assert [r.title for r in screen.year.records] == ["Contextual safeguarding workshop"]
        assert "Year ended" in text_of(screen.query_one("#cpd-year"))
        await pilot.press("n")
        await settle(pilot)
        assert screen.year.label == "2025–26" and screen.year.on == TODAY


async def test_the_draft_shows_every_record_and_copies_to_the_clipboard(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine, ada)
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_cpd(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CpdDraftModal)
        draft = app.screen.query_one(TextArea)
        assert draft.read_only
        assert "Research review on neglect" in draft.text and "Group reflection on a complex case" in draft.text
        assert "Contextual safeguarding workshop" not in draft.text
        await pilot.press("c")
        assert app.clipboard == draft.text
        await pilot.press("escape")
        assert isinstance(app.screen, CpdScreen)


async def test_a_manager_reads_but_may_not_change(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine, ada)
    app = make_app(engine=ui_engine, actor=resolve_actor(ui_engine, "T1"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cpd(pilot)
        app.subject = "T2"
        await settle(pilot)
        assert screen.year is not None and len(screen.year.records) == 2
        assert screen.check_action("add", ()) is False and screen.check_action("edit", ()) is False
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CpdScreen)


async def test_another_workers_records_cannot_be_seen(ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine, local_admin(), "T1")
    app = make_app(engine=ui_engine, actor=ada, today=TODAY)
    seen: list[Message] = []
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        screen = await open_cpd(pilot)
        app.subject = "T1"
        await settle(pilot, failures_expected=True)
        assert screen.year is None and screen.record is None
        assert screen.query_one("#cpd-table", DataTable).row_count == 0
        assert "Research review" not in text_of(screen.query_one("#cpd-detail"))
        refusals = [m.notification for m in seen if isinstance(m, Notify) and m.notification.severity == "error"]
        assert any("may not see T1's CPD" in n.message for n in refusals)


def test_cpd_screen_at_100_by_30(snap_compare: SnapCompare, ui_engine: Engine, ada: Actor) -> None:
    seed(ui_engine, ada)
    app: ProgressionApp = make_app(engine=ui_engine, actor=ada, today=TODAY)
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_cpd)


async def test_an_apprentice_is_told_plainly_that_swe_cpd_does_not_apply_and_what_does(ui_engine: Engine) -> None:
    """Issue 10: Social Work England CPD applies to registered social workers only."""
    app = make_app(engine=ui_engine, actor=resolve_actor(ui_engine, "T3"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cpd(pilot)
        assert screen.year is not None and not screen.year.applies
        panel = text_of(screen.query_one("#cpd-year"))
        assert "Social Work England CPD applies to registered social workers only" in " ".join(panel.split())
        assert "off-the-job" in panel and "NOT YET" not in panel and "Records" not in panel.split("\n")[1]
        assert screen.query_one("#cpd-year").has_class("-not-applicable")
        assert screen.check_action("draft", ()) is False  # no draft for the regulator's form
