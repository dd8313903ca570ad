"""Separation of duties on progression requests (issue 10): an appeal is decided by another panel member, and
access is checked before anything about a request is told."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, NotFound
from progression.models import AuditEntry, Worker
from progression.services.actor import Actor, reports_of, resolve_actor
from progression.services.decisions import appeal, decide, possible_outcomes
from progression.services.requests import list_requests, show_request
from tests.conftest import TODAY
from tests.unit.test_decisions import open_request, other_panel_member, state_of
from tests.utils.cli import run_cli

PANEL = "E1001"  # the demo's head of service, an administrator who sits on the panel


def rejected_and_appealed(engine: Engine) -> tuple[int, int, str]:
    """A panel request rejected by E1001 and appealed by its worker: (request id, appeal id, worker's staff id)."""
    request_id, staff_id = open_request(engine, "panel", state="endorsed")
    decide(engine, resolve_actor(engine, PANEL), request_id, "reject", "Not yet at the experienced level.", TODAY)
    appeal_id = appeal(engine, resolve_actor(engine, staff_id), request_id, "Assessed at the wrong level.", TODAY)
    return request_id, appeal_id, staff_id


def stranger(engine: Engine, staff_id: str) -> Actor:
    """A worker who is not an administrator, not the worker, and not one of the worker's line managers."""
    with Session(engine) as session:
        subject = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        found = next(
            w
            for w in session.exec(select(Worker).where(col(Worker.is_admin).is_(False), Worker.id != subject.id))
            if subject.id not in reports_of(session, w.id or 0)
        )
    return resolve_actor(engine, found.staff_id)


def last_audit(engine: Engine) -> AuditEntry:
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
    assert entry is not None
    return entry


def test_the_first_decider_may_not_decide_the_appeal_exit_3_audited(demo_engine: Engine, demo_url: str) -> None:
    _, appeal_id, _ = rejected_and_appealed(demo_engine)
    with pytest.raises(AccessDenied, match="took the decision appealed against"):
        decide(demo_engine, resolve_actor(demo_engine, PANEL), appeal_id, "approve", "On appeal.", TODAY)
    common = ("--db", demo_url, "--as", PANEL, "--today", "2026-11-24", "request", "decide", str(appeal_id))
    result = run_cli(*common, "--outcome", "approve", "--reason", "On appeal: met.")
    assert result.exit_code == 3, result.stderr
    assert "took the decision appealed against" in result.stderr
    entry = last_audit(demo_engine)
    assert (entry.actor, entry.outcome) == (PANEL, "refused")
    assert state_of(demo_engine, appeal_id) == "submitted"
    second = other_panel_member(demo_engine, PANEL)
    assert possible_outcomes(resolve_actor(demo_engine, PANEL), show_request(demo_engine, second, appeal_id)) == ()
    assert possible_outcomes(second, show_request(demo_engine, second, appeal_id)) == ("approve", "defer", "reject")
    decide(demo_engine, second, appeal_id, "reject", "Upheld on appeal.", TODAY)
    assert state_of(demo_engine, appeal_id) == "rejected"


def test_an_appeal_shows_the_request_it_appeals_and_that_decisions_reason(demo_engine: Engine, demo_url: str) -> None:
    request_id, appeal_id, staff_id = rejected_and_appealed(demo_engine)
    result = run_cli("--db", demo_url, "--as", staff_id, "request", "list", "--json")
    assert result.exit_code == 0, result.stderr
    shown = next(r for r in json.loads(result.stdout) if r["id"] == appeal_id)
    assert shown["appeal_of"] == request_id
    appealed = shown["appealed_decision"]
    assert (appealed["by"], appealed["outcome"], appealed["reason"]) == (
        PANEL,
        "reject",
        "Not yet at the experienced level.",
    )
    original = next(r for r in json.loads(result.stdout) if r["id"] == request_id)
    assert original["appeal_of"] is None and original["appealed_decision"] is None
    assert list(original)[:7] == ["id", "staff_id", "from_role", "to_role", "state", "submitted_on", "decisions"]
    text = run_cli("--db", demo_url, "--as", staff_id, "request", "show", str(appeal_id))
    assert text.exit_code == 0, text.stderr
    assert f"Appeal of request {request_id}" in text.stdout and "Not yet at the experienced level." in text.stdout


@pytest.mark.parametrize("command", ["decide", "appeal", "show"])
def test_someone_with_no_say_gets_exit_3_whatever_the_requests_state(
    demo_engine: Engine, demo_url: str, command: str
) -> None:
    """A decided request (which would be a conflict, exit 4) and an open one: the same refusal, telling nothing."""
    decided_id, staff_id = open_request(demo_engine, "line_manager", state="approved")
    open_id, other_id = open_request(demo_engine, "line_manager")
    outsider = stranger(demo_engine, staff_id)
    assert stranger(demo_engine, other_id) is not None
    args = {
        "decide": ("--outcome", "reject", "--reason", " "),  # an empty reason would be exit 2
        "appeal": ("--note", ""),  # so would an empty note
        "show": (),
    }[command]
    messages = []
    for request_id in (decided_id, open_id, 2_000_000_000):  # the last one does not exist
        owner = staff_id if request_id == decided_id else other_id
        actor = stranger(demo_engine, owner) if request_id != 2_000_000_000 else outsider
        base = ("--db", demo_url, "--as", actor.staff_id, "--today", "2026-11-24", "request", command)
        result = run_cli(*base, str(request_id), *args)
        assert result.exit_code == 3, (request_id, result.stderr)
        assert "approved" not in result.stderr and "submitted" not in result.stderr
        assert staff_id not in result.stderr and other_id not in result.stderr
        messages.append(result.stderr.replace(str(request_id), "N").replace(actor.label, "ACTOR"))
        assert (last_audit(demo_engine).actor, last_audit(demo_engine).outcome) == (actor.staff_id, "refused")
    assert len(set(messages)) == 1, messages  # an id that does not exist reads exactly like one out of view


def test_a_line_manager_is_refused_before_the_state_of_a_request_out_of_view(demo_engine: Engine) -> None:
    request_id, staff_id = open_request(demo_engine, "line_manager", state="rejected")
    outsider = stranger(demo_engine, staff_id)
    with pytest.raises(AccessDenied, match=f"may not decide request {request_id}"):
        decide(demo_engine, outsider, request_id, "approve", "", TODAY)
    with pytest.raises(AccessDenied, match=f"may not appeal request {request_id}"):
        appeal(demo_engine, outsider, request_id, "", TODAY)
    with pytest.raises(AccessDenied, match=f"may not see request {request_id}"):
        show_request(demo_engine, outsider, request_id)
    assert request_id not in [r.id for r in list_requests(demo_engine, outsider)]


def test_an_administrator_is_told_an_id_does_not_exist(demo_engine: Engine) -> None:
    admin = resolve_actor(demo_engine, PANEL)
    for call in (
        lambda: decide(demo_engine, admin, 2_000_000_000, "approve", "Ghost.", TODAY),
        lambda: appeal(demo_engine, admin, 2_000_000_000, "Ghost.", TODAY),
        lambda: show_request(demo_engine, admin, 2_000_000_000),
    ):
        with pytest.raises(NotFound, match="No progression request has id 2000000000"):
            call()


def test_the_worker_and_their_line_manager_see_the_request(demo_engine: Engine, demo_url: str) -> None:
    request_id, staff_id = open_request(demo_engine, "line_manager")
    with Session(demo_engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        manager = session.get_one(Worker, worker.manager_id).staff_id
    for who in (staff_id, manager):
        result = run_cli("--db", demo_url, "--as", who, "request", "show", str(request_id), "--json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["id"] == request_id


def test_request_list_is_readable_at_80_columns_and_says_when_empty(
    demo_engine: Engine, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli("--db", demo_url, "--as", PANEL, "request", "list")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "…" not in result.stdout
    rows = [line for line in lines[1:-1] if re.match(r"^\s*\d+\s", line)]
    assert rows, result.stdout
    listed = list_requests(demo_engine, resolve_actor(demo_engine, PANEL))
    for request_read in listed:
        assert re.search(rf"^\s*{request_read.id}\s+{request_read.submitted_on}\s+", result.stdout, re.M), request_read
        assert request_read.staff_id in result.stdout
    outsider = stranger(demo_engine, listed[0].staff_id)
    assert list_requests(demo_engine, outsider) == []
    empty = run_cli("--db", demo_url, "--as", outsider.staff_id, "request", "list")
    assert empty.exit_code == 0 and empty.stdout.strip() == "No requests you may see."
    none = run_cli("--db", demo_url, "--as", outsider.staff_id, "request", "list", "--state", "approved")
    assert none.exit_code == 0 and none.stdout.strip() == "No approved requests you may see."
