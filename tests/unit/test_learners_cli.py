"""`progression learners` (issue 10): the status, current learners first and finished ones on request, readable at
80 columns, and an empty list said in words."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import Engine

from progression.services.actor import local_admin
from progression.services.learners import learners
from tests.conftest import TODAY
from tests.utils.cli import run_cli

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


ADMIN = "E1001"
"""The demo council's administrator (PostgreSQL needs --as once there are workers)."""


def run(url: str, *args: str, admin: bool = True) -> str:
    who = ("--as", ADMIN) if admin else ()
    result = run_cli("--db", url, "--today", TODAY.isoformat(), *who, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_finished_learners_only_on_request(demo_url: str) -> None:
    current = json.loads(run(demo_url, "learners", "--json"))
    everyone = json.loads(run(demo_url, "learners", "--all", "--json"))
    finished = [item for item in everyone if item["status"] in ("completed", "withdrawn")]
    assert finished and all(item["status"] not in ("completed", "withdrawn") for item in current)
    assert everyone == current + finished
    for item in finished:
        assert item["next_review_due"] is None and item["review_overdue"] is False
    table = run(demo_url, "learners")
    assert f"{len(finished)} finished learners not shown: learners --all lists them too." in table
    assert "completed" in run(demo_url, "learners", "--all")


@pytest.mark.parametrize("width", ["80", "60"])
def test_the_table_keeps_ids_dates_and_numbers_whole(
    demo_url: str, demo_engine: Engine, monkeypatch: pytest.MonkeyPatch, width: str
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    text = run(demo_url, "learners", "--all")
    lines = text.splitlines()
    assert all(len(line) <= int(width) for line in lines)
    assert "…" not in text and "..." not in text
    for learner in learners(demo_engine, local_admin(), TODAY, finished=True):
        assert re.search(rf"(^|\s){re.escape(learner.staff_id)}\s", text, re.MULTILINE), learner.staff_id
        if learner.next_review_due:
            assert learner.next_review_due.isoformat() in text
        if learner.otj_hours_verified is not None and learner.otj_hours_required is not None:
            assert f"{learner.otj_hours_verified:g}/{learner.otj_hours_required:g}h" in text
    assert all(len(found) == 10 for found in DATE.findall(text))


def test_an_empty_list_says_so(council_url: str) -> None:
    assert run(council_url, "learners", admin=False).strip() == "No learners."
    assert json.loads(run(council_url, "learners", "--json", admin=False)) == []
