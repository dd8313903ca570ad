"""Asking to progress: `request submit` and `request list`, through the services and the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, InputError
from progression.models import (
    AuditEntry,
    CpdRecord,
    Decision,
    Evidence,
    ProgressionRequest,
    RequestEvidence,
    Role,
    Worker,
)
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.importing import import_workers
from progression.services.requests import capability_titles, evidence_choices, list_requests, submit_request
from tests.conftest import TODAY
from tests.utils.cli import run_cli

WORKERS = """staff_id,name,role,role_since,employed_since,qualified_on,team,manager,access
M1,Mia Manager,team-manager,2020-01-01,2015-01-01,2010-06-01,North,,manager
W1,Wes Worker,social-worker-1,2025-09-01,2024-01-01,2024-01-01,North,M1,
W2,Wyn Worker,social-worker-2,2024-01-01,2020-01-01,2019-07-01,North,M1,
F1,Fay Support,family-support-worker,2023-01-01,2023-01-01,,North,M1,
A1,Ann Admin,head-of-service,2019-01-01,2010-01-01,2005-01-01,,,admin
"""
"""A manager with three reports (a level 1 and a level 2 social worker, a support worker) and an admin."""


@pytest.fixture
def engine(council_engine: Engine, tmp_path: Path) -> Engine:
    """The demo council with the workers above; W1's CPD is up to date, so their step to level 2 is ready (a step
    can be asked for only once ready, or within three months of its date)."""
    path = tmp_path / "workers.csv"
    path.write_text(WORKERS, encoding="utf-8")
    import_workers(council_engine, local_admin(), path)
    keep_cpd_up_to_date(council_engine, "W1")
    return council_engine


@pytest.fixture
def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def actor(engine: Engine, staff_id: str) -> Actor:
    return resolve_actor(engine, staff_id)


def add_evidence(engine: Engine, staff_id: str, title: str, accepted: bool = False) -> int:
    with Session(engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        evidence = Evidence(
            worker_id=worker.id or 0,
            title=title,
            happened_on=date(2026, 6, 1),
            accepted_on=date(2026, 7, 1) if accepted else None,
        )
        session.add(evidence)
        session.commit()
        return evidence.id or 0


def keep_cpd_up_to_date(engine: Engine, staff_id: str) -> None:
    """Two CPD records this registration year, one with peer reflection: W1's step to level 2 becomes ready."""
    with Session(engine) as session:
        worker_id = session.exec(select(Worker.id).where(Worker.staff_id == staff_id)).one()
        session.add(CpdRecord(worker_id=worker_id, day=date(2026, 3, 1), kind="course", title="Court skills"))
        session.add(
            CpdRecord(
                worker_id=worker_id,
                day=date(2026, 5, 1),
                kind="peer discussion",
                title="Case review",
                peer_reflection=True,
            )
        )
        session.commit()


def set_role_since(engine: Engine, staff_id: str, day: date) -> None:
    with Session(engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        worker.role_since = day
        session.add(worker)
        session.commit()


def stored_request(engine: Engine, staff_id: str, to_role: str, day: date) -> int:
    """A submitted request written straight to the database (for listing tests, whatever the step's readiness)."""
    with Session(engine) as session:
        worker = session.exec(select(Worker).where(Worker.staff_id == staff_id)).one()
        to_id = session.exec(select(Role.id).where(Role.key == to_role)).one()
        request = ProgressionRequest(
            worker_id=worker.id or 0,
            from_role_id=worker.role_id,
            to_role_id=to_id or 0,
            submitted_on=day,
            submitted_by_id=worker.id or 0,
        )
        session.add(request)
        session.commit()
        return request.id or 0


def count_requests(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(ProgressionRequest)).one()


def test_submit_prints_the_new_id_alone_and_records_it(engine: Engine, url: str) -> None:
    set_role_since(engine, "W1", date(2026, 1, 1))  # twelve months in role on 1 Jan 2027: within three months
    result = run_cli(
        "--db",
        url,
        "--as",
        "W1",
        "--today",
        "2026-11-24",
        "request",
        "submit",
        "W1",
        "social-worker-2",
        "--note",
        "Two years qualified in January.",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().isdigit() and result.stdout == result.stdout.strip() + "\n"
    request_id = int(result.stdout)
    with Session(engine) as session:
        request = session.get_one(ProgressionRequest, request_id)
        assert (request.state, request.submitted_on, request.note) == (
            "submitted",
            TODAY,
            "Two years qualified in January.",
        )
        assert request.requirements_met is False  # not yet twelve months in role
        assert request.transition_id is not None
        entry = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
        assert entry is not None
        assert (entry.actor, entry.action, entry.entity, entry.entity_id) == (
            "W1",
            "submit",
            "progression_request",
            str(request_id),
        )
        assert entry.after and entry.after["to_role"] == "social-worker-2"


def test_requirements_met_records_whether_the_step_was_ready(engine: Engine) -> None:
    keep_cpd_up_to_date(engine, "W1")
    request = submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", "", [], TODAY)
    assert request.requirements_met is True
    assert (request.staff_id, request.from_role, request.to_role, request.state) == (
        "W1",
        "social-worker-1",
        "social-worker-2",
        "submitted",
    )
    assert request.decided_by == "line_manager"


def test_list_json_has_the_contract_shape_with_decisions(engine: Engine, url: str) -> None:
    evidence = add_evidence(engine, "W1", "Court statement", accepted=True)
    request = submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", "Please", [evidence], TODAY)
    with Session(engine) as session:
        manager = session.exec(select(Worker.id).where(Worker.staff_id == "M1")).one()
        session.add(
            Decision(
                request_id=request.id,
                by_id=manager,
                outcome="endorse",
                reason="Strong practice",
                day=date(2026, 11, 25),
            )
        )
        session.get_one(ProgressionRequest, request.id).state = "endorsed"
        session.commit()
    result = run_cli("--db", url, "--as", "W1", "request", "list", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data) == 1
    assert list(data[0])[:7] == ["id", "staff_id", "from_role", "to_role", "state", "submitted_on", "decisions"]
    assert {k: data[0][k] for k in ("id", "staff_id", "from_role", "to_role", "state", "submitted_on")} == {
        "id": request.id,
        "staff_id": "W1",
        "from_role": "social-worker-1",
        "to_role": "social-worker-2",
        "state": "endorsed",
        "submitted_on": "2026-11-24",
    }
    assert [{k: d[k] for k in ("by", "outcome", "reason", "on")} for d in data[0]["decisions"]] == [
        {"by": "M1", "outcome": "endorse", "reason": "Strong practice", "on": "2026-11-25"}
    ]
    assert data[0]["evidence"] == ["Court statement"]


def test_list_table_and_state_filter(engine: Engine, url: str) -> None:
    submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", "", [], TODAY)
    table = run_cli("--db", url, "--as", "M1", "request", "list")
    assert table.exit_code == 0 and "W1" in table.stdout and "1 request." in table.stdout
    assert (
        json.loads(run_cli("--db", url, "--as", "M1", "request", "list", "--state", "approved", "--json").stdout) == []
    )
    bad = run_cli("--db", url, "--as", "M1", "request", "list", "--state", "pending")
    assert bad.exit_code == 2
    assert "'pending' is not a request state" in bad.stderr and "submitted, endorsed, returned" in bad.stderr


def test_each_actor_sees_their_own_their_reports_or_all(engine: Engine) -> None:
    first = submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", "", [], TODAY)
    second_id = stored_request(engine, "W2", "senior-social-worker", date(2026, 11, 25))
    assert [r.id for r in list_requests(engine, actor(engine, "W1"))] == [first.id]
    assert [r.id for r in list_requests(engine, actor(engine, "W2"))] == [second_id]
    assert [r.id for r in list_requests(engine, actor(engine, "M1"))] == [second_id, first.id]  # newest first
    assert [r.id for r in list_requests(engine, actor(engine, "A1"))] == [second_id, first.id]
    assert [r.id for r in list_requests(engine, actor(engine, "M1"), staff_id="W1")] == [first.id]
    with pytest.raises(AccessDenied):
        list_requests(engine, actor(engine, "W2"), staff_id="W1")


def test_a_role_that_does_not_exist_is_refused_naming_the_next_steps(engine: Engine, url: str) -> None:
    with pytest.raises(InputError) as refused:
        submit_request(engine, actor(engine, "W1"), "W1", "chief-executive", "", [], TODAY)
    assert refused.value.problems[0].place == "ROLE"
    assert "chief-executive" in str(refused.value) and "social-worker-2" in str(refused.value)
    result = run_cli("--db", url, "--as", "W1", "request", "submit", "W1", "chief-executive")
    assert result.exit_code == 2 and result.stdout == ""
    assert "ROLE: no role 'chief-executive'" in result.stderr
    assert count_requests(engine) == 0


def test_a_role_that_is_not_a_next_step_is_refused(engine: Engine) -> None:
    with pytest.raises(
        InputError, match="Senior social worker is not a next step from social-worker-1; next steps: social-worker-2"
    ):
        submit_request(engine, actor(engine, "W1"), "W1", "senior-social-worker", "", [], TODAY)
    assert count_requests(engine) == 0


def test_a_step_filled_by_recruitment_needs_no_request(engine: Engine) -> None:
    with pytest.raises(InputError, match="filled by recruitment: you are eligible to apply when ready; no request"):
        submit_request(engine, actor(engine, "F1"), "F1", "social-work-apprentice", "", [], TODAY)
    with pytest.raises(InputError, match="filled by recruitment"):
        submit_request(engine, actor(engine, "W2"), "W2", "practice-supervisor", "", [], TODAY)
    assert count_requests(engine) == 0


def test_a_second_open_request_for_the_same_step_is_refused(engine: Engine) -> None:
    first = submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", "", [], TODAY)
    with pytest.raises(InputError, match=f"request {first.id} for Social worker \\(level 2\\) is already open"):
        submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", "again", [], TODAY)
    assert count_requests(engine) == 1
    with Session(engine) as session:
        session.get_one(ProgressionRequest, first.id).state = "returned"
        session.commit()
    again = submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", "again", [], TODAY)
    assert again.id != first.id


def test_evidence_must_be_the_workers_own(engine: Engine) -> None:
    own = add_evidence(engine, "W1", "My observation", accepted=True)
    theirs = add_evidence(engine, "W2", "Wyn's report")
    with pytest.raises(InputError) as refused:
        submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", "", [own, theirs, 99999], TODAY)
    messages = [str(p) for p in refused.value.problems]
    assert messages == [f"evidence: evidence {theirs} is not W1's own", "evidence: there is no evidence 99999"]
    assert count_requests(engine) == 0
    request = submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", "", [own, own], TODAY)
    assert request.evidence == ["My observation"]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(RequestEvidence)).one() == 1


@pytest.mark.parametrize("who", ["W2", "M1"])
def test_nobody_else_submits_for_a_worker(engine: Engine, url: str, who: str) -> None:
    with pytest.raises(AccessDenied, match="only W1 may"):
        submit_request(engine, actor(engine, who), "W1", "social-worker-2", "", [], TODAY)
    result = run_cli("--db", url, "--as", who, "request", "submit", "W1", "social-worker-2")
    assert result.exit_code == 3 and result.stdout == ""
    assert count_requests(engine) == 0
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
        assert entry is not None and (entry.actor, entry.outcome) == (who, "refused")


def test_an_admin_may_submit_on_a_workers_behalf(engine: Engine) -> None:
    request = submit_request(engine, actor(engine, "A1"), "W1", "social-worker-2", "On Wes's behalf", [], TODAY)
    with Session(engine) as session:
        row = session.get_one(ProgressionRequest, request.id)
        admin = session.exec(select(Worker.id).where(Worker.staff_id == "A1")).one()
        assert row.submitted_by_id == admin
        entry = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
        assert entry is not None and entry.actor == "A1"


def test_evidence_choices_are_the_workers_own_newest_first(engine: Engine) -> None:
    older = add_evidence(engine, "W1", "Older", accepted=True)
    with Session(engine) as session:
        session.get_one(Evidence, older).happened_on = date(2025, 1, 1)
        session.commit()
    newer = add_evidence(engine, "W1", "Newer")
    add_evidence(engine, "W2", "Not Wes's")
    choices = evidence_choices(engine, actor(engine, "W1"), "W1")
    assert [(c.id, c.title, c.accepted) for c in choices] == [(newer, "Newer", False), (older, "Older", True)]
    with pytest.raises(AccessDenied):
        evidence_choices(engine, actor(engine, "M1"), "W1")


def test_capability_titles_name_the_pcf_domains() -> None:
    titles = capability_titles(["pcf", "no-such-framework"])
    assert titles["pcf"]["professionalism"] == "Professionalism"
    assert len(titles["pcf"]) == 9
    assert titles["no-such-framework"] == {}


def test_two_open_requests_for_the_same_step_cannot_both_be_stored(demo_engine) -> None:  # type: ignore[no-untyped-def]
    """The database itself keeps one open request per worker and step (a partial unique index)."""
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session, select

    from progression.models import ProgressionRequest

    with Session(demo_engine) as session:
        open_one = session.exec(select(ProgressionRequest).where(ProgressionRequest.state == "submitted")).first()
        assert open_one is not None
        twin = ProgressionRequest(
            worker_id=open_one.worker_id,
            from_role_id=open_one.from_role_id,
            to_role_id=open_one.to_role_id,
            state="endorsed",
            submitted_on=open_one.submitted_on,
            submitted_by_id=open_one.submitted_by_id,
        )
        session.add(twin)
        with pytest.raises(IntegrityError):
            session.commit()


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Ready\x00now", "--note: the text contains a control character"),
        ("Ready \x1b[2J now", "--note: the text contains a control character"),
        ("x" * 2001, "--note: the text is 2001 characters long; at most 2000 are allowed"),
    ],
    ids=["nul", "escape", "too-long"],
)
def test_a_note_with_a_control_character_or_too_long_is_refused_alike_on_every_backend(
    engine: Engine, url: str, note: str, expected: str
) -> None:
    before = count_requests(engine)
    with pytest.raises(InputError, match=expected.replace("[", r"\[")):
        submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", note, [], TODAY)
    result = run_cli(
        "--db", url, "--as", "W1", "--today", "2026-11-24", "request", "submit", "W1", "social-worker-2", "--note", note
    )
    assert result.exit_code == 2, result.stderr
    assert expected in result.stderr
    assert "SQL" not in result.stderr and "Traceback" not in result.stderr
    assert count_requests(engine) == before


def test_a_note_of_several_lines_within_the_limit_is_kept(engine: Engine) -> None:
    note = "Two years qualified.\nCaseload evidence attached.\t" + "x" * 1900
    request = submit_request(engine, actor(engine, "W1"), "W1", "social-worker-2", f"  {note}  ", [], TODAY)
    assert request.note == note.strip()
