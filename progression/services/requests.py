"""Asking to progress: submitting a request to move role, and listing the requests an actor may see."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from progression.engine import CouncilFacts, WorkerFacts
from progression.engine import next_steps as engine_next_steps
from progression.errors import AccessDenied, Conflict, InputError, Problem, ProblemList
from progression.fields import column_limit, free_text_problem
from progression.models import Decision, Evidence, ProgressionRequest, RequestEvidence, Role, Transition, Worker
from progression.reference import reference
from progression.services.actor import Actor, find_worker, reports_of, worker_to_edit
from progression.services.audit import record
from progression.services.progress import one_worker

STATES = ("submitted", "endorsed", "returned", "approved", "deferred", "rejected")
"""Every state a request can be in (CONTRACT.md)."""
OPEN_STATES = ("submitted", "endorsed")
"""States in which a request still waits for a decision."""
RECRUITMENT = "is filled by recruitment: you are eligible to apply when ready; no request is needed"
"""Why a step filled by recruitment needs no request (after the role's title)."""
NOTE_LIMIT = 2_000
"""The longest request note or decision reason, where the column itself sets no limit."""


def check_free_text(value: str, place: str, model: type[Any], field: str) -> str:
    """`value` stripped, when it may go into `model.field` as free text (line breaks allowed).

    The limit is the column's, else NOTE_LIMIT; control characters such as NUL are refused on every backend.

    Raises:
        InputError: naming `place` (the option, such as `--note`).
    """
    value = (value or "").strip()
    problem = free_text_problem(value, column_limit(model, field) or NOTE_LIMIT)
    if problem is not None:
        raise InputError(Problem(place, f"the text {problem}"))
    return value


def open_request_on_step(
    session: Session, worker_id: int | None, from_id: int | None, to_id: int | None
) -> ProgressionRequest | None:
    """The worker's open (submitted or endorsed) request for this step, if any: there is at most one."""
    return session.exec(
        select(ProgressionRequest).where(
            ProgressionRequest.worker_id == worker_id,
            ProgressionRequest.from_role_id == from_id,
            ProgressionRequest.to_role_id == to_id,
            col(ProgressionRequest.state).in_(OPEN_STATES),
        )
    ).first()


class DecisionRead(BaseModel):
    """One decision on a request (`request list --json`)."""

    by: str | None
    """The decider's staff id; None for an automatic decision."""
    outcome: str
    reason: str
    on: date
    by_name: str | None = None
    effective_on: date | None = None


class RequestRead(BaseModel):
    """A progression request and its decisions, in the shape of `request list --json` with extra fields."""

    id: int
    staff_id: str
    from_role: str
    to_role: str
    state: str
    submitted_on: date
    decisions: list[DecisionRead]
    name: str = ""
    from_title: str = ""
    to_title: str = ""
    decided_by: str | None = None
    """Who decides the step (automatic, line_manager, panel), when the council still has the transition."""
    note: str = ""
    requirements_met: bool = False
    evidence: list[str] = []
    """The titles of the evidence offered with the request."""
    effective_on: date | None = None
    appeal_of: int | None = None
    """The request this one appeals against (an appeal goes straight to the panel)."""

    @property
    def is_open(self) -> bool:
        """Whether the request still waits for a decision."""
        return self.state in OPEN_STATES


class EvidenceChoice(BaseModel):
    """A piece of the worker's evidence they may offer with a request."""

    id: int
    title: str
    accepted: bool
    happened_on: date


def _check_step(facts: WorkerFacts, council: CouncilFacts, to_role: str) -> str:
    """The target role's title, if it is a next step a request can be made for; else an `InputError` on ROLE."""
    steps = [t for t in council.transitions if t.from_role == facts.role]
    listed = ", ".join(t.to_role for t in steps) or "none"
    if to_role not in council.roles:
        raise InputError(
            Problem("ROLE", f"no role '{to_role}' in this council; next steps from {facts.role}: {listed}")
        )
    title = council.roles[to_role].title
    transition = next((t for t in steps if t.to_role == to_role), None)
    if transition is None:
        raise InputError(Problem("ROLE", f"{title} is not a next step from {facts.role}; next steps: {listed}"))
    if transition.decided_by == "recruitment":
        raise InputError(Problem("ROLE", f"{title} {RECRUITMENT}"))
    return title


def submit_request(
    engine: Engine, actor: Actor, staff_id: str, to_role: str, note: str, evidence_ids: list[int], today: date
) -> RequestRead:
    """Ask for the worker to move to `to_role` (a next step from their role); the request starts `submitted`.

    `requirements_met` records whether the step was ready on `today`.

    Raises:
        AccessDenied: the actor is neither the worker nor an administrator.
        InputError: the role is not a next step, is filled by recruitment, already has an open request, the
            note is too long or holds a control character, or some evidence is not the worker's.
        Conflict: another session opened a request for the same step at the same moment.
    """
    note = check_free_text(note, "--note", ProgressionRequest, "note")
    with Session(engine) as session:
        worker = worker_to_edit(session, actor, staff_id, "progression requests")
        facts, council = one_worker(session, actor, staff_id, today)
        title = _check_step(facts, council, to_role)
        roles = dict(session.exec(select(Role.key, Role.id).where(col(Role.key).in_([facts.role, to_role]))).all())
        from_id, to_id = roles[facts.role], roles[to_role]
        already = open_request_on_step(session, worker.id or 0, from_id, to_id)
        if already is not None:
            raise InputError(
                Problem("ROLE", f"request {already.id} for {title} is already open ({already.state}); wait for it")
            )
        _check_evidence(session, worker, evidence_ids)
        ready = next((s.ready for s in engine_next_steps(facts, council, today) if s.role == to_role), False)
        request = ProgressionRequest(
            worker_id=worker.id or 0,
            transition_id=session.exec(
                select(Transition.id).where(Transition.from_role_id == from_id, Transition.to_role_id == to_id)
            ).first(),
            from_role_id=from_id,
            to_role_id=to_id,
            submitted_on=today,
            submitted_by_id=actor.worker_id or worker.id or 0,
            note=note,
            requirements_met=ready,
        )
        session.add(request)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(
                f"{staff_id} has just asked for {to_role} from another session: that request is open."
            ) from None
        offered = list(dict.fromkeys(evidence_ids))
        session.add_all(RequestEvidence(request_id=request.id or 0, evidence_id=e) for e in offered)
        after = {
            "staff_id": staff_id,
            "from_role": facts.role,
            "to_role": to_role,
            "state": request.state,
            "requirements_met": ready,
            "evidence": offered,
            "note": request.note,
        }
        record(session, actor, "submit", "progression_request", request.id, after=after)
        session.commit()
        return _reads(session, [request])[0]


def _check_evidence(session: Session, worker: Worker, evidence_ids: list[int]) -> None:
    if not evidence_ids:
        return
    owners = dict(session.exec(select(Evidence.id, Evidence.worker_id).where(col(Evidence.id).in_(evidence_ids))).all())
    problems = ProblemList()
    for evidence_id in dict.fromkeys(evidence_ids):
        if evidence_id not in owners:
            problems.add("evidence", f"there is no evidence {evidence_id}")
        elif owners[evidence_id] != worker.id:
            problems.add("evidence", f"evidence {evidence_id} is not {worker.staff_id}'s own")
    problems.raise_if_any()


def _request_worker_ids(session: Session, actor: Actor) -> set[int] | None:
    """Whose requests the actor sees: their own and their reports' (down the line), or everyone's for an admin."""
    if actor.is_admin:
        return None
    if actor.worker_id is None:
        return set()
    return {actor.worker_id} | reports_of(session, actor.worker_id)


def list_requests(
    engine: Engine, actor: Actor, state: str | None = None, staff_id: str | None = None
) -> list[RequestRead]:
    """The requests the actor may see, newest first: their own, their reports', or all for an administrator.

    Args:
        engine: The database.
        actor: Who asks.
        state: Only requests in this state.
        staff_id: Only this worker's requests (one the actor may see requests of).

    Raises:
        InputError: `state` is not a request state.
        AccessDenied: `staff_id` is someone whose requests the actor may not see.
        NotFound: no worker has `staff_id`.
    """
    if state is not None and state not in STATES:
        raise InputError(Problem("state", f"'{state}' is not a request state (states: {', '.join(STATES)})"))
    with Session(engine) as session:
        visible = _request_worker_ids(session, actor)
        query = select(ProgressionRequest).order_by(
            col(ProgressionRequest.submitted_on).desc(), col(ProgressionRequest.id).desc()
        )
        if staff_id is not None:
            worker = find_worker(session, staff_id)
            if visible is not None and worker.id not in visible:
                raise AccessDenied(f"{actor.label} may not see {staff_id}'s progression requests.")
            query = query.where(ProgressionRequest.worker_id == worker.id)
        elif visible is not None:
            query = query.where(col(ProgressionRequest.worker_id).in_(visible))
        if state is not None:
            query = query.where(ProgressionRequest.state == state)
        return _reads(session, list(session.exec(query)))


def _reads(session: Session, requests: list[ProgressionRequest]) -> list[RequestRead]:
    """Read models for requests, with their decisions and evidence, in a fixed number of queries."""
    if not requests:
        return []
    ids = [r.id for r in requests]
    decisions: dict[int, list[Decision]] = {}
    for decision in session.exec(
        select(Decision).where(col(Decision.request_id).in_(ids)).order_by(col(Decision.day), col(Decision.id))
    ):
        decisions.setdefault(decision.request_id, []).append(decision)
    evidence: dict[int, list[str]] = {}
    for request_id, title in session.exec(
        select(RequestEvidence.request_id, Evidence.title)
        .join(Evidence, col(Evidence.id) == RequestEvidence.evidence_id)
        .where(col(RequestEvidence.request_id).in_(ids))
        .order_by(col(Evidence.happened_on), col(Evidence.id))
    ):
        evidence.setdefault(request_id, []).append(title)
    people = {r.worker_id for r in requests} | {d.by_id for ds in decisions.values() for d in ds if d.by_id}
    workers = {w.id: w for w in session.exec(select(Worker).where(col(Worker.id).in_(people)))}
    roles = {r.id: r for r in session.exec(select(Role))}
    transition_ids = [r.transition_id for r in requests if r.transition_id]
    deciders = dict(
        session.exec(select(Transition.id, Transition.decided_by).where(col(Transition.id).in_(transition_ids))).all()
    )

    def decision(d: Decision) -> DecisionRead:
        by = workers[d.by_id] if d.by_id else None
        return DecisionRead(
            by=by.staff_id if by else None,
            outcome=d.outcome,
            reason=d.reason,
            on=d.day,
            by_name=by.name if by else None,
            effective_on=d.effective_on,
        )

    return [
        RequestRead(
            id=r.id or 0,
            staff_id=workers[r.worker_id].staff_id,
            from_role=roles[r.from_role_id].key,
            to_role=roles[r.to_role_id].key,
            state=r.state,
            submitted_on=r.submitted_on,
            decisions=[decision(d) for d in decisions.get(r.id or 0, [])],
            name=workers[r.worker_id].name,
            from_title=roles[r.from_role_id].title,
            to_title=roles[r.to_role_id].title,
            decided_by=deciders.get(r.transition_id),
            note=r.note,
            requirements_met=r.requirements_met,
            evidence=evidence.get(r.id or 0, []),
            effective_on=r.effective_on,
            appeal_of=r.appeal_of_id,
        )
        for r in requests
    ]


def evidence_choices(engine: Engine, actor: Actor, staff_id: str) -> list[EvidenceChoice]:
    """The worker's evidence, newest first, to offer with a request (only the worker or an admin may ask)."""
    with Session(engine) as session:
        worker = worker_to_edit(session, actor, staff_id, "progression requests")
        rows = session.exec(
            select(Evidence)
            .where(Evidence.worker_id == worker.id)
            .order_by(col(Evidence.happened_on).desc(), col(Evidence.id).desc())
        )
        return [
            EvidenceChoice(id=e.id or 0, title=e.title, accepted=e.accepted_on is not None, happened_on=e.happened_on)
            for e in rows
        ]


def capability_titles(frameworks: Iterable[str]) -> dict[str, dict[str, str]]:
    """For each framework, its capabilities' titles by code (e.g. the PCF domains), from the reference data.

    A framework the reference data does not hold maps to an empty dict.
    """
    data = reference().frameworks
    return {key: {c.code: c.title for c in data[key].capabilities} if key in data else {} for key in frameworks}
