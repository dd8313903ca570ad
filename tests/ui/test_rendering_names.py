"""Names are data on the screens: a name, staff id, team or role title holding markup or escape codes is shown
as typed (escape codes as visible stand-ins), never crashes a screen, never becomes a link or an action; forms
refuse what the services refuse, saying why inside the open form."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from rich.console import Console
from rich.segment import Segment
from sqlalchemy import Engine, select, update
from textual.app import App
from textual.widgets import Label

from progression.db import make_engine
from progression.models import ProgressionRequest, Role, Team, Worker
from progression.services.actor import resolve_actor
from screens.app import make_app
from screens.widgets.form import FormField
from tests.ui.helpers import TODAY, settle

SUBJECT = "E1014"
EVIL_ID = "M[/]2"
MARKUP = "Ann [/] Bee [link=https://evil]x[/link] [@click=app.quit]q[/]"
EVIL_NAME = MARKUP + " \x1b[2J\x9b"


@pytest.fixture
def evil_engine(demo_url: str) -> Iterator[Engine]:
    """The demo council with old data: a name with markup and escape codes, a staff id, team name, role titles
    and request notes with markup."""
    engine = make_engine(demo_url)
    worker, team, role, request = (m.__table__ for m in (Worker, Team, Role, ProgressionRequest))  # type: ignore[attr-defined]
    with engine.begin() as connection:  # straight SQL: old data, from before the services refused it
        team_id = connection.execute(select(worker.c.team_id).where(worker.c.staff_id == SUBJECT)).scalar_one()
        connection.execute(update(worker).where(worker.c.staff_id == SUBJECT).values(name=EVIL_NAME, staff_id=EVIL_ID))
        connection.execute(update(team).where(team.c.id == team_id).values(name="North [/] [b]team"))
        connection.execute(update(role).values(title=role.c.title + " [/]"))
        connection.execute(update(request).values(note="note [/] \x1b[31m"))
    yield engine
    engine.dispose()


def screen_text(app: App[Any]) -> str:
    """What the terminal shows, as plain text (the way Textual draws a screenshot)."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens, simplify=True))
    return console.export_text(styles=False)


def assert_no_control_characters(text: str) -> None:
    assert not [hex(ord(ch)) for ch in text if (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) < 0xA0]


def segments(item: Any) -> Iterator[Segment]:
    """Every Segment in a compositor update's nested lines and strips."""
    if isinstance(item, Segment):
        yield item
    else:
        for part in item:
            yield from segments(part)


def assert_no_links(app: App[Any]) -> None:
    """No part of the screen is a hyperlink or runs `app.quit` on a click (`[link=…]`, `[@click=…]` read as
    markup)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    for segment in segments(update.strips):
        style = segment.style
        if style is not None:
            assert not style.link, segment
            assert "app.quit" not in str((style.meta or {}).get("@click", "")), segment


@pytest.mark.parametrize("section", ["1", "8", "9"])
async def test_home_team_and_requests_show_the_name_literally(evil_engine: Engine, section: str) -> None:
    app = make_app(engine=evil_engine, actor=resolve_actor(evil_engine, "E1001"), today=TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.subject = EVIL_ID
        await settle(pilot)
        await pilot.press(section)
        await settle(pilot)
        text = screen_text(app)
        assert "Ann [/] Bee" in text
        assert_no_control_characters(text)
        assert_no_links(app)
        if section == "1":
            assert "[link=https://evil]x[/link]" in text
            assert "␛[2J" in text
        assert app.is_running


async def test_every_section_opens_with_such_names(evil_engine: Engine) -> None:
    """Each section as a manager and administrator: nothing crashes, no control character is drawn."""
    app = make_app(engine=evil_engine, actor=resolve_actor(evil_engine, "E1001"), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.subject = EVIL_ID
        for key in "1234567890":
            await pilot.press(key)
            await settle(pilot)
            await pilot.press("down", "enter")
            await settle(pilot)
            assert_no_control_characters(screen_text(app))
            assert_no_links(app)
            await pilot.press("escape")
            await settle(pilot)
        assert app.is_running


async def test_the_worker_picker_shows_names_literally(evil_engine: Engine) -> None:
    app = make_app(engine=evil_engine, actor=resolve_actor(evil_engine, "E1001"), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        text = screen_text(app)
        assert "Ann [/] Bee" in text
        assert_no_control_characters(text)


class FieldApp(App[None]):
    """One form field, 80 columns wide, as the dialogs show them."""

    def __init__(self, field: FormField) -> None:
        super().__init__()
        self.field = field

    def compose(self) -> Any:
        yield self.field


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("date", "20240101", "is not a date"),
        ("date", "2024-W01-1", "is not a date"),
        ("date", "1850-01-01", "1900"),
        ("number", "inf", "not a number"),
        ("number", "1e309", "not a finite number"),
        ("number", "1,5", "not a number"),
        ("text", "a" * 301, "at most 300"),
        ("text", "Ann\x1b[2J", "control character"),
    ],
)
async def test_form_fields_refuse_what_the_services_refuse(kind: str, typed: str, message: str) -> None:
    field = FormField("Field", kind=kind, limit=300 if kind == "text" else None, id="f")
    app = FieldApp(field)
    async with app.run_test(size=(80, 24)) as pilot:
        field.text = typed
        assert not field.check()
        await pilot.pause()
        shown = screen_text(app)
        assert message in " ".join(shown.split())
        assert field.has_class("-invalid")
        assert_no_control_characters(str(field.query_one(".field-error", Label).visual))


async def test_form_fields_take_good_values() -> None:
    field = FormField("Day", kind="date", id="f")
    async with FieldApp(field).run_test(size=(80, 24)):
        field.text = "2026-11-24"
        assert field.check() and field.date_value == TODAY
