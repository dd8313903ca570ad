"""A worker cannot see another worker's records through any screen (issue 4), and every refusal is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from textual.notifications import Notification

from progression.models import AuditEntry
from screens.app import ProgressionApp
from tests.ui.helpers import settle

RECORD_SECTIONS = ("home", "plan", "evidence", "cpd", "supervision")


@pytest.mark.parametrize("mode", RECORD_SECTIONS)
async def test_another_workers_records_cannot_be_seen(ui_engine: Engine, ada_app: ProgressionApp, mode: str) -> None:
    """Ada (a social worker with no reports or learners) points the app at Dee (T4): nothing of Dee's shows."""
    notes: list[Notification] = []
    async with ada_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        ada_app.notify = lambda message, **kw: notes.append(Notification(message, **kw))  # type: ignore[method-assign,assignment]
        ada_app.subject = "T4"
        await pilot.press({"home": "1", "plan": "3", "evidence": "4", "cpd": "5", "supervision": "6"}[mode])
        await settle(pilot, failures_expected=True)
        await pilot.pause()
        screen_text = ada_app.export_screenshot()
        assert "Dee" not in screen_text
        refusals = [n for n in notes if "may not" in n.message]
        assert refusals, [n.message for n in notes]
        assert all("Ada Worker (T2)" in n.message for n in refusals)
    with Session(ui_engine) as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.outcome == "refused")).all()
    assert audited and all(entry.actor == "T2" for entry in audited)
