"""The evidence services: recording once, counting against every framework, acceptance, access and validation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.errors import AccessDenied, Conflict, InputError
from progression.models import AuditEntry, Enrolment, Programme, ProgressionRequest, RequestEvidence, Role, Worker
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.evidence import (
    accept_evidence,
    add_evidence,
    edit_evidence,
    list_evidence,
    remove_evidence,
    unaccept_evidence,
)
from progression.services.evidence_coverage import coverage, default_coverage_target, evidence_overview
from progression.services.evidence_frameworks import capability_choices
from progression.services.evidence_models import EvidenceCreate, LinkIn
from progression.services.importing import import_workers
from progression.services.progress import next_steps
from tests.conftest import TODAY

HEADER = "staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,access\n"
ROWS = [
    "M1,Mo Manager,team-manager,2020-01-01,2015-01-01,2010-06-01,North,,,1,manager",
    "W1,Wyn Worker,social-worker-2,2024-01-01,2019-09-01,2019-07-01,North,M1,,1,",
    "W2,Val Other,social-worker-1,2024-01-01,2022-09-01,2022-07-01,South,,,1,",
    "A1,Ash Apprentice,social-work-apprentice,2025-09-01,2023-01-09,,North,M1,,1,",
    "E1,Eve Educator,senior-social-worker,2022-01-01,2014-01-01,2013-07-01,South,,,1,educator",
    "H1,Hal Head,head-of-service,2020-01-01,2010-01-01,2005-07-01,,,,1,admin",
    "F1,Fay Support,family-support-worker,2024-01-01,2024-01-01,,North,M1,,1,",
]
PCF_DOMAINS = [
    "professionalism",
    "values-and-ethics",
    "diversity-and-equality",
    "rights-justice-and-economic-wellbeing",
    "knowledge",
    "critical-reflection-and-analysis",
    "skills-and-interventions",
    "contexts-and-organisations",
    "professional-leadership",
]


@pytest.fixture
def engine(council_engine: Engine, tmp_path: Path) -> Engine:
    """The demo council with a manager, two workers, an apprentice with an educator, and an admin."""
    path = tmp_path / "workers.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    import_workers(council_engine, local_admin(), path)
    with Session(council_engine) as session:
        ids = {w.staff_id: w.id for w in session.exec(select(Worker))}
        programme = session.exec(select(Programme).where(Programme.key == "ST0510")).one()
        session.add(
            Enrolment(
                worker_id=ids["A1"], programme_id=programme.id or 0, educator_id=ids["E1"], start_on=date(2025, 9, 1)
            )
        )
        session.commit()
    return council_engine


def who(engine: Engine, staff_id: str) -> Actor:
    return resolve_actor(engine, staff_id)


def piece(*links: tuple[str, str, str | None], title: str = "Home visit observed", **fields: object) -> EvidenceCreate:
    values: dict[str, object] = {
        "title": title,
        "happened_on": TODAY - timedelta(days=7),
        "kind": "observation",
        "reflection": "What I learnt.",
        **fields,
    }
    return EvidenceCreate(links=[LinkIn(framework=f, code=c, level=lv) for f, c, lv in links], **values)  # type: ignore[arg-type]


def audit(engine: Engine, action: str) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(
            session.exec(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.entity == "evidence"))
        )


def test_one_piece_counts_in_the_pcf_pqs_and_st0510_grids(engine: Engine) -> None:
    worker, manager = who(engine, "W1"), who(engine, "M1")
    links = [
        ("pcf", "Knowledge", "experienced-social-worker"),
        ("pqs-cf-practitioner", "kss-6", None),
        ("ST0510", "k1", None),
    ]
    saved = add_evidence(engine, worker, "W1", piece(*links), TODAY)
    assert [(link.framework, link.code, link.level) for link in saved.links] == [
        ("pcf", "knowledge", "experienced-social-worker"),
        ("pqs-cf-practitioner", "kss-6", "practitioner"),
        ("ST0510", "K1", None),
    ]
    grids = [
        ("pcf", "experienced-social-worker", "knowledge"),
        ("pqs-cf-practitioner", "practitioner", "kss-6"),
        ("ST0510", None, "K1"),
    ]
    for framework, level, code in grids:
        grid = coverage(engine, worker, "W1", framework, level, TODAY)
        cell = next(c for c in grid.cells if c.code == code)
        assert (cell.accepted, cell.pending, cell.state) == (0, 1, "pending")
        assert grid.count("pending") == 1
    accept_evidence(engine, manager, saved.id, TODAY)
    for framework, level, code in grids:
        grid = coverage(engine, manager, "W1", framework, level, TODAY)
        cell = next(c for c in grid.cells if c.code == code)
        assert (cell.accepted, cell.pending, cell.first_accepted_on) == (1, 0, TODAY)
        assert grid.count("accepted") == 1 and grid.count("none") == len(grid.cells) - 1
    assert len(coverage(engine, worker, "W1", "ST0510", None, TODAY).cells) == 90


def test_acceptance_by_the_manager_meets_the_evidence_requirement(engine: Engine) -> None:
    worker, manager = who(engine, "W1"), who(engine, "M1")

    def requirement() -> tuple[bool, list[int] | None, date | None]:
        steps = next_steps(engine, local_admin(), "W1", TODAY).next_steps
        found = next(r for r in steps[0].requirements if r.kind == "evidence")
        return found.met, found.progress, found.met_on

    saved = add_evidence(
        engine, worker, "W1", piece(*[("pcf", d, "experienced-social-worker") for d in PCF_DOMAINS]), TODAY
    )
    assert requirement() == (False, [0, 9], None)
    accept_evidence(engine, manager, saved.id, TODAY)
    assert requirement() == (True, [9, 9], TODAY)
    unaccept_evidence(engine, manager, saved.id)
    assert requirement()[0] is False


def test_the_owner_cannot_accept_their_own_evidence(engine: Engine) -> None:
    saved = add_evidence(engine, who(engine, "W1"), "W1", piece(("pcf", "knowledge", None)), TODAY)
    with pytest.raises(AccessDenied, match="their own"):
        accept_evidence(engine, who(engine, "W1"), saved.id, TODAY)
    with pytest.raises(AccessDenied):
        accept_evidence(engine, who(engine, "W2"), saved.id, TODAY)
    assert not list_evidence(engine, who(engine, "W1"), "W1")[0].accepted
    assert audit(engine, "accept") == []


def test_an_admin_and_an_assigned_educator_may_accept(engine: Engine) -> None:
    saved = add_evidence(engine, who(engine, "A1"), "A1", piece(("ST0510", "S1", None)), TODAY)
    accepted = accept_evidence(engine, who(engine, "E1"), saved.id, TODAY)
    assert (accepted.accepted, accepted.accepted_by_staff_id, accepted.accepted_by_name) == (True, "E1", "Eve Educator")
    with pytest.raises(Conflict, match="already accepted by Eve Educator"):
        accept_evidence(engine, who(engine, "H1"), saved.id, TODAY)
    assert not unaccept_evidence(engine, who(engine, "H1"), saved.id).accepted
    with pytest.raises(Conflict, match="not accepted"):
        unaccept_evidence(engine, who(engine, "H1"), saved.id)
    with pytest.raises(AccessDenied):
        accept_evidence(
            engine,
            who(engine, "E1"),
            add_evidence(engine, who(engine, "W1"), "W1", piece(("pcf", "knowledge", None)), TODAY).id,
            TODAY,
        )
    assert [e.after for e in audit(engine, "accept")] == [{"accepted_on": TODAY.isoformat(), "accepted_by": "E1"}]
    assert audit(engine, "unaccept")[0].before["accepted_on"] == TODAY.isoformat()  # type: ignore[index]


def test_a_worker_cannot_list_another_workers_evidence(engine: Engine) -> None:
    add_evidence(engine, who(engine, "W1"), "W1", piece(("pcf", "knowledge", None)), TODAY)
    with pytest.raises(AccessDenied, match="W1's evidence"):
        list_evidence(engine, who(engine, "W2"), "W1")
    with pytest.raises(AccessDenied):
        coverage(engine, who(engine, "W2"), "W1", "pcf", None, TODAY)
    with pytest.raises(AccessDenied):
        evidence_overview(engine, who(engine, "W2"), "W1", TODAY)
    assert len(list_evidence(engine, who(engine, "M1"), "W1")) == 1
    with pytest.raises(AccessDenied, match="only W1 may"):
        add_evidence(engine, who(engine, "M1"), "W1", piece(("pcf", "knowledge", None)), TODAY)


def test_list_is_newest_first_and_says_whether_the_file_is_here(engine: Engine, tmp_path: Path) -> None:
    worker = who(engine, "W1")
    here = tmp_path / "report.pdf"
    here.write_text("report")
    add_evidence(
        engine,
        worker,
        "W1",
        piece(("pcf", "knowledge", None), title="Older", happened_on=date(2026, 1, 5), file_path=str(here)),
        TODAY,
    )
    add_evidence(
        engine,
        worker,
        "W1",
        piece(("pcf", "knowledge", None), title="Newer", file_path="/nowhere/on/this/machine.pdf"),
        TODAY,
    )
    newer, older = list_evidence(engine, worker, "W1")
    assert (newer.title, newer.file_path, newer.file_found) == ("Newer", "/nowhere/on/this/machine.pdf", False)
    assert (older.title, older.file_found, older.kind) == ("Older", True, "observation")
    assert [e.after["title"] for e in audit(engine, "create")] == ["Older", "Newer"]  # type: ignore[index]


def test_bad_input_names_every_field_and_link(engine: Engine) -> None:
    worker = who(engine, "W1")
    bad = piece(
        ("pcf", "knowledge", None),
        ("pcf", "values", None),
        ("pcf", "wizardry", None),
        ("nope", "x", None),
        ("pcf", "knowledge", "grand-master"),
        ("ST0510", "K1", "practitioner"),
        title=" ",
        happened_on=TODAY + timedelta(days=1),
        kind="gossip",
    )
    with pytest.raises(InputError) as raised:
        add_evidence(engine, worker, "W1", bad, TODAY)
    messages = [str(p) for p in raised.value.problems]
    assert "links[2].code: unknown PCF domain 'wizardry'" in messages
    assert "links[1].code: unknown PCF domain 'values'" in messages
    assert "links[3].framework: unknown framework 'nope'" in messages
    assert any(m.startswith("links[4].level: PCF has no level 'grand-master'") for m in messages)
    assert "links[5].level: ST0510 has no level 'practitioner'; it has no levels" in messages
    assert {p.place for p in raised.value.problems} >= {"title", "happened_on", "kind"}
    with pytest.raises(InputError, match="links: link the evidence to at least one capability"):
        add_evidence(engine, worker, "W1", piece(), TODAY)
    with pytest.raises(InputError, match="happened_on: say when it happened"):
        add_evidence(engine, worker, "W1", piece(("pcf", "knowledge", None), happened_on=None), TODAY)
    assert list_evidence(engine, worker, "W1") == []


def test_aliases_and_case_name_the_same_capability(engine: Engine) -> None:
    saved = add_evidence(
        engine,
        who(engine, "W1"),
        "W1",
        piece(("PCF", "diversity", "ASYE"), ("pcf", "Intervention and Skills", None)),
        TODAY,
    )
    assert [(link.code, link.level) for link in saved.links] == [
        ("diversity-and-equality", "asye"),
        ("skills-and-interventions", None),
    ]


def test_editing_accepted_evidence_clears_the_acceptance(engine: Engine) -> None:
    worker = who(engine, "W1")
    saved = add_evidence(engine, worker, "W1", piece(("pcf", "knowledge", None)), TODAY)
    accept_evidence(engine, who(engine, "M1"), saved.id, TODAY)
    unchanged = edit_evidence(engine, worker, saved.id, piece(("pcf", "knowledge", None)), TODAY)
    assert unchanged.accepted and audit(engine, "update") == []
    edited = edit_evidence(
        engine,
        worker,
        saved.id,
        piece(("pcf", "knowledge", None), ("pcf", "knowledge", "asye"), title="Home visit, revised"),
        TODAY,
    )
    assert (edited.title, edited.accepted, edited.accepted_on, len(edited.links)) == (
        "Home visit, revised",
        False,
        None,
        2,
    )
    (entry,) = audit(engine, "update")
    assert entry.after["acceptance_cleared"] == "edited after acceptance"  # type: ignore[index]
    assert entry.before["accepted_on"] == TODAY.isoformat()  # type: ignore[index]
    with pytest.raises(AccessDenied):
        edit_evidence(engine, who(engine, "M1"), saved.id, piece(("pcf", "knowledge", None)), TODAY)


def test_evidence_offered_with_a_request_cannot_be_removed(engine: Engine) -> None:
    worker = who(engine, "W1")
    offered = add_evidence(engine, worker, "W1", piece(("pcf", "knowledge", None), title="Offered"), TODAY)
    spare = add_evidence(engine, worker, "W1", piece(("pcf", "knowledge", None), title="Spare"), TODAY)
    with Session(engine) as session:
        roles = {r.key: r.id for r in session.exec(select(Role))}
        request = ProgressionRequest(
            worker_id=worker.worker_id or 0,
            from_role_id=roles["social-worker-2"],
            to_role_id=roles["senior-social-worker"],
            submitted_on=TODAY,
            submitted_by_id=worker.worker_id or 0,
        )
        session.add(request)
        session.flush()
        session.add(RequestEvidence(request_id=request.id or 0, evidence_id=offered.id))
        session.commit()
    assert [e.offered for e in list_evidence(engine, worker, "W1")] == [False, True]
    with pytest.raises(InputError, match="offered with progression request"):
        remove_evidence(engine, worker, offered.id)
    with pytest.raises(AccessDenied):
        remove_evidence(engine, who(engine, "M1"), spare.id)
    remove_evidence(engine, worker, spare.id)
    assert [e.title for e in list_evidence(engine, worker, "W1")] == ["Offered"]
    (entry,) = audit(engine, "delete")
    assert entry.before["title"] == "Spare" and entry.actor == "W1"  # type: ignore[index]


def test_coverage_counts_links_at_the_level_or_at_any_level(engine: Engine) -> None:
    worker = who(engine, "W1")
    add_evidence(
        engine, worker, "W1", piece(("pcf", "knowledge", "asye"), ("pcf", "knowledge", "social-worker")), TODAY
    )
    add_evidence(engine, worker, "W1", piece(("pcf", "knowledge", None)), TODAY)
    by_level = {c.code: c.pending for c in coverage(engine, worker, "W1", "pcf", "asye", TODAY).cells}
    any_level = {c.code: c.pending for c in coverage(engine, worker, "W1", "pcf", None, TODAY).cells}
    assert (by_level["knowledge"], any_level["knowledge"]) == (1, 2)
    with pytest.raises(InputError, match="level: PCF has no level 'wizard'"):
        coverage(engine, worker, "W1", "pcf", "wizard", TODAY)


@pytest.mark.parametrize(
    ("staff_id", "target"),
    [
        ("W1", ("pcf", "experienced-social-worker")),  # the senior step asks for evidence at that level
        ("A1", ("ST0510", None)),  # the next step asks for the apprenticeship: its KSBs
        ("F1", ("pcf", "readiness-for-direct-practice")),  # no evidence asked for: the next role's PCF level
        ("H1", ("pcf", "strategic")),  # no next step: the worker's own role's level
    ],
)
def test_default_coverage_target(engine: Engine, staff_id: str, target: tuple[str, str]) -> None:
    assert default_coverage_target(engine, local_admin(), staff_id, TODAY) == target


def test_capability_choices_are_the_frameworks_in_force(engine: Engine) -> None:
    today = capability_choices(engine, who(engine, "W2"), TODAY)
    assert [c.key for c in today][0] == "pcf"
    assert {c.key for c in today} == {"pcf", "pqs-cf-practitioner", "ST0510", "swe-professional-standards"}
    pcf = today[0]
    assert (pcf.label, pcf.noun, len(pcf.capabilities)) == ("PCF", "domain", 9)
    assert "experienced-social-worker" in [lv.key for lv in pcf.levels]
    later = capability_choices(engine, who(engine, "W2"), date(2027, 4, 1))
    assert "pqs-cf-practitioner" not in {c.key for c in later}


def test_overview_says_who_may_edit_and_review(engine: Engine) -> None:
    add_evidence(engine, who(engine, "W1"), "W1", piece(("pcf", "knowledge", "experienced-social-worker")), TODAY)
    own = evidence_overview(engine, who(engine, "W1"), "W1", TODAY)
    assert (own.may_edit, own.may_review, own.target, len(own.evidence)) == (
        True,
        False,
        ("pcf", "experienced-social-worker"),
        1,
    )
    assert own.coverage is not None and own.coverage.count("pending") == 1
    managed = evidence_overview(engine, who(engine, "M1"), "W1", TODAY, ("ST0510", None))
    assert (managed.may_edit, managed.may_review) == (False, True)
    assert managed.coverage is not None and managed.coverage.title == "ST0510 1.1"
