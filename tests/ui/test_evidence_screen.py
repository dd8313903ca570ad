"""The evidence screen: the list, the detail, the coverage grid, the form, reviewing, and who may see what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList

from progression.models import Evidence
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.evidence import accept_evidence, add_evidence, list_evidence
from progression.services.evidence_models import EvidenceCreate, LinkIn
from screens.app import ProgressionApp, make_app
from screens.evidence import EvidenceScreen
from screens.widgets.evidence_dialogs import CoverageTargetModal, RemoveEvidenceDialog
from screens.widgets.evidence_form import EvidenceFormModal
from screens.widgets.evidence_grid import CoverageGrid
from screens.widgets.evidence_table import EvidenceTable
from screens.widgets.form import FormField
from tests.ui.helpers import TODAY, settle, text_of

SnapCompare = Callable[..., bool]
ESW = "experienced-social-worker"


def record(
    engine: Engine,
    actor: Actor,
    staff_id: str,
    title: str,
    days_ago: int,
    *links: tuple[str, str, str | None],
    reflection: str = "What I did and what I learnt.",
) -> int:
    data = EvidenceCreate(
        title=title,
        happened_on=TODAY - timedelta(days=days_ago),
        kind="observation",
        reflection=reflection,
        links=[LinkIn(framework=f, code=c, level=lv) for f, c, lv in links],
    )
    return add_evidence(engine, actor, staff_id, data, TODAY).id


def ada_evidence(engine: Engine, ada: Actor) -> list[int]:
    """Two pieces of Ada's evidence: an older one her manager accepted, and a newer one waiting."""
    older = record(
        engine,
        ada,
        "T2",
        "Direct observation of a home visit",
        60,
        ("pcf", "knowledge", ESW),
        ("pcf", "values-and-ethics", ESW),
        ("pqs-cf-practitioner", "kss-6", None),
    )
    accept_evidence(engine, resolve_actor(engine, "T1"), older, TODAY - timedelta(days=30))
    newer = record(
        engine,
        ada,
        "T2",
        "Feedback from a parent",
        10,
        ("pcf", "knowledge", ESW),
        ("pcf", "professionalism", ESW),
        ("ST0510", "K1", None),
    )
    return [newer, older]


async def open_screen(
    app: ProgressionApp, pilot: Pilot[None], subject: str | None = None, *, refused: bool = False
) -> EvidenceScreen:
    if subject is not None:
        app.subject = subject
    screen = EvidenceScreen(app.context)
    await app.push_screen(screen)
    await settle(pilot, failures_expected=refused)
    return screen


def titles(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(e.title for e in session.exec(select(Evidence)))


async def test_opens_on_the_workers_evidence_and_next_steps_grid(
    ui_engine: Engine, ada: Actor, ada_app: ProgressionApp
) -> None:
    ada_evidence(ui_engine, ada)
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(ada_app, pilot)
        table = screen.query_one(EvidenceTable)
        assert table.row_count == 2 and table.border_title == "Your evidence (2)"
        assert "Feedback from a parent" in text_of(screen.detail)
        coverage = screen.query_one(CoverageGrid).coverage
        assert coverage is not None and (coverage.framework, coverage.level) == ("pcf", ESW)
        cells = {c.code: (c.accepted, c.pending) for c in coverage.cells}
        assert (
            cells["knowledge"] == (1, 1)
            and cells["professionalism"] == (0, 1)
            and cells["skills-and-interventions"] == (0, 0)
        )
        assert screen.check_action("accept", ()) is False and screen.check_action("unaccept", ()) is False
        assert screen.check_action("add", ()) is True
        await pilot.press("down")
        assert "Accepted by Bo Manager" in text_of(screen.detail)


async def test_add_evidence_through_the_form(ui_engine: Engine, ada_app: ProgressionApp) -> None:
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(ada_app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(ada_app.screen, EvidenceFormModal)
        await pilot.press(*"Supervision reflection")
        ada_app.screen.query_one("#picker-filter", Input).focus()
        await pilot.press(*"critical", "enter", "space")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(ada_app.screen, EvidenceScreen)
        (saved,) = list_evidence(ui_engine, local_admin(), "T2")
        assert (saved.title, saved.happened_on) == ("Supervision reflection", TODAY)
        assert [(link.code, link.level) for link in saved.links] == [("critical-reflection-and-analysis", ESW)]
        assert screen.query_one(EvidenceTable).row_count == 1


async def test_a_bad_form_says_what_is_wrong_and_keeps_what_was_typed(
    ui_engine: Engine, ada_app: ProgressionApp
) -> None:
    async with ada_app.run_test(size=(100, 30)) as pilot:
        await open_screen(ada_app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = ada_app.screen
        await pilot.press(*"Half a title", "tab", "ctrl+a", "ctrl+k", *"2026-13-45")
        await pilot.press("ctrl+s")
        await pilot.pause()
        date_field = form.query_one("#evidence-date", FormField)
        assert date_field.has_class("-invalid") and "'2026-13-45' is not a real date" in text_of(date_field)
        assert form.query_one("#form-picker").has_class("-invalid")
        assert form.query_one("#evidence-title", FormField).text == "Half a title"
        date_field.text = (TODAY + timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is in the future" in text_of(date_field)
        assert ada_app.screen is form and titles(ui_engine) == []


async def test_edit_then_cancel(ui_engine: Engine, ada: Actor, ada_app: ProgressionApp) -> None:
    ada_evidence(ui_engine, ada)
    async with ada_app.run_test(size=(100, 30)) as pilot:
        await open_screen(ada_app, pilot)
        await pilot.press("down", "e")
        await pilot.pause()
        form = ada_app.screen
        assert isinstance(form, EvidenceFormModal) and form.query_one(SelectionList).selected
        title = form.query_one("#evidence-title", FormField)
        assert title.text == "Direct observation of a home visit"
        title.text = "Direct observation, revised"
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = next(e for e in list_evidence(ui_engine, ada, "T2") if e.title == "Direct observation, revised")
        assert not edited.accepted  # a change clears the acceptance
        await pilot.press("a", *"Never saved", "escape")
        await settle(pilot)
        assert isinstance(ada_app.screen, EvidenceScreen)
        assert titles(ui_engine) == ["Direct observation, revised", "Feedback from a parent"]


async def test_remove_asks_first(ui_engine: Engine, ada: Actor, ada_app: ProgressionApp) -> None:
    ada_evidence(ui_engine, ada)
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(ada_app, pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(ada_app.screen, RemoveEvidenceDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(titles(ui_engine)) == 2
        await pilot.press("x", "y")
        await settle(pilot)
        assert titles(ui_engine) == ["Direct observation of a home visit"]
        assert screen.query_one(EvidenceTable).row_count == 1


async def test_the_manager_accepts_and_unaccepts(ui_engine: Engine, ada: Actor) -> None:
    newer, _ = ada_evidence(ui_engine, ada)
    app = make_app(engine=ui_engine, actor=resolve_actor(ui_engine, "T1"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(app, pilot, "T2")
        assert screen.query_one(EvidenceTable).border_title == "Ada Worker's evidence (2)"
        assert screen.check_action("add", ()) is False and screen.check_action("unaccept", ()) is None
        await pilot.press("A")
        await settle(pilot)
        accepted = next(e for e in list_evidence(ui_engine, ada, "T2") if e.id == newer)
        assert (accepted.accepted_by_staff_id, accepted.accepted_on) == ("T1", TODAY)
        coverage = screen.query_one(CoverageGrid).coverage
        assert coverage is not None and coverage.count("accepted") == 3
        await pilot.press("U")
        await settle(pilot)
        assert not next(e for e in list_evidence(ui_engine, ada, "T2") if e.id == newer).accepted


async def test_f_shows_another_framework(ui_engine: Engine, ada: Actor, ada_app: ProgressionApp) -> None:
    ada_evidence(ui_engine, ada)
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(ada_app, pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(ada_app.screen, CoverageTargetModal)
        await pilot.press("end", "up", "enter")
        await settle(pilot)
        coverage = screen.query_one(CoverageGrid).coverage
        assert coverage is not None and (coverage.framework, coverage.level) == ("ST0510", None)
        assert next(c for c in coverage.cells if c.code == "K1").pending == 1


async def test_another_workers_evidence_cannot_be_seen(ui_engine: Engine, ada_app: ProgressionApp) -> None:
    record(ui_engine, local_admin(), "T4", "Dee's private evidence", 5, ("pcf", "knowledge", None))
    async with ada_app.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(ada_app, pilot, "T4", refused=True)
        assert screen.overview is None and screen.query_one(EvidenceTable).row_count == 0
        assert screen.query_one(CoverageGrid).coverage is None
        assert "may not see T4's evidence" in text_of(screen.detail)
        assert "Dee's private evidence" not in text_of(screen.detail)
        assert screen.check_action("add", ()) is False


def test_evidence_screen_at_100_by_30(
    snap_compare: SnapCompare, ui_engine: Engine, ada: Actor, ada_app: ProgressionApp
) -> None:
    ada_evidence(ui_engine, ada)

    async def opened(pilot: Pilot[Any]) -> None:
        await open_screen(ada_app, pilot)
        await pilot.pause(0.1)  # the footer redraws once the keys that apply are known

    assert snap_compare(ada_app, terminal_size=(100, 30), run_before=opened)
