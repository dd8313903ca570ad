"""`status` as text (issue 10): readable at 80 columns (no date or amount split, no line padded or cut), plurals
right, and in words for a worker to whom CPD or a supervision schedule does not apply."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.models import Worker
from progression.services.actor import local_admin, resolve_actor
from progression.services.cpd import CpdInput, add_cpd
from progression.services.importing import import_workers
from progression.services.supervision import SessionInput, add_session
from tests.utils.cli import run_cli

HEADER = "staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,access\n"
ROWS = [
    "M1,Mo Manager,team-manager,2020-01-01,2015-01-01,2010-06-01,North,,,1,manager",
    "S1,Sam Social,social-worker-1,2024-01-01,2022-09-01,2022-07-01,North,M1,,1,",
    "P1,Pip Apprentice,social-work-apprentice,2025-09-01,2022-01-01,,North,M1,,1,",
]
ON = "2026-11-29"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def url(council_url: str, council_engine: Engine, tmp_path: Path) -> str:
    path = tmp_path / "workers.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    import_workers(council_engine, local_admin(), path)
    today = date(2026, 11, 29)
    sam = resolve_actor(council_engine, "S1")
    record = CpdInput(kind="reading", day=date(2026, 3, 2), title="Reading", what_and_why="w", learnt="l", impact="i")
    add_cpd(council_engine, sam, "S1", record, today)
    add_session(council_engine, sam, "S1", SessionInput(day=date(2026, 11, 20), minutes=90), today)  # waits
    add_session(
        council_engine,
        resolve_actor(council_engine, "M1"),
        "S1",
        SessionInput(day=date(2026, 10, 27), minutes=90),
        today,
    )
    return council_url


def status_text(url: str, staff_id: str, actor: str = "M1") -> str:
    result = run_cli("--db", url, "--as", actor, "status", staff_id, "--on", ON)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_status_fits_80_columns_without_splitting_a_date_or_padding_a_line(
    url: str, demo_url: str, demo_engine: Engine
) -> None:
    texts = [status_text(url, s) for s in ("S1", "P1", "M1")]
    with Session(demo_engine) as session:
        demo_ids = list(session.exec(select(Worker.staff_id).order_by(Worker.staff_id)))[:60:6]
    texts += [status_text(demo_url, s, "E1001") for s in demo_ids]  # the head of service
    for text in texts:
        for row in text.splitlines():
            assert len(row) <= 80, row
            assert row == row.rstrip(), f"padded: {row!r}"
            assert not row.endswith("…")
            assert not re.search(r"\d{4}-\d{0,1}$|\d{4}-\d{2}-$|^\s+-\d", row), f"a date split: {row!r}"


def test_every_date_of_the_json_is_in_the_text_whole(url: str) -> None:
    for staff_id in ("S1", "P1"):
        text = status_text(url, staff_id)
        data = json.loads(run_cli("--db", url, "--as", "M1", "status", staff_id, "--on", ON, "--json").stdout)
        dates = set(DATE.findall(json.dumps(data["supervision"])))
        if data["cpd"]:
            dates |= set(DATE.findall(json.dumps(data["cpd"])))
        assert all(day in text for day in dates), (dates, text)
        assert dates or staff_id == "P1"  # the apprentice has no session, no due date and no CPD year


def test_plurals_are_right(url: str) -> None:
    text = " ".join(status_text(url, "S1").split())
    assert "1 record," in text and "1 records" not in text
    assert "1 day left." in text and "1 days" not in text
    assert "1 session waits for the supervisor's confirmation (not counted)." in text
    assert "last individual 2026-10-27" in text


def test_a_worker_to_whom_cpd_does_not_apply_is_told_so_in_words(url: str) -> None:
    text = " ".join(status_text(url, "P1").split())
    assert "Social Work England CPD does not apply: not a registered social worker." in text
    assert "Social work degree apprentices: no schedule applies" in text
    assert "No published source sets how often a social work degree apprentice is supervised" in text
    assert "overdue" not in text and "next due" not in text
