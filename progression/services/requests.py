"""Asking to progress: submitting a request to move role, and listing the requests an actor may see."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from progression.dates import add_months
from progression.engine import CouncilFacts, WorkerFacts
from progression.engine import next_steps as engine_next_steps
from progression.errors import AccessDenied, Conflict, InputError, NotFound, Problem, ProblemList
from progression.fields import MAX_INTEGER, TEXT_LIMITS, check_free_text
from progression.models import Decision, Evidence, ProgressionRequest, RequestEvidence, Role, Transition, Worker
from progression.models.requests import OPEN_STATES, Outcome, RequestState
from progression.reference import reference
from progression.services.actor import Actor, find_worker, reports_of, worker_to_edit
from progression.services.audit import record
from progression.services.progress import one_worker

STATES = tuple(RequestState)
"""Every state a request can be in (CONTRACT.md), in the order a request moves through them."""
RECRUITMENT = "is filled by recruitment: you are eligible to apply when ready; no request is needed"
"""Why a step filled by recruitment needs no request (after the role's title)."""
NOTE_LIMIT = TEXT_LIMITS["note"]
"""The longest request note (progression.fields.TEXT_LIMITS, the one place free-text limits live)."""
ASK_AHEAD_MONTHS = 3
"""How long before a step is ready a worker may ask for it. One rule for every council: no authority file or
national guidance sets it; it is this product's rule so that a decider sees a request close to the date it could
take effect, with the worker's note saying why they ask early, and nobody asks for a step years away."""


class _Requirement(Protocol):
    @property
    def met(self) -> bool: ...
    @property
    def met_on(self) -> date | None: ...
    @property
    def detail(self) -> str: ...


class _Step(Protocol):
    """A next step as the engine (`StepResult`) or the progress service (`StepRead`) gives it."""

    @property
    def ready(self) -> bool: ...
    @property
    def ready_on(self) -> date | None: ...
    @property
    def requirements(self) -> Sequence[_Requirement]: ...


def _day(day: date) -> str:
    """A date as people write it: '1 Mar 2027'."""
    return f"{day.day} {day:%b %Y}"


def too_early(step: _Step, title: str, today: date) -> str | None:
    """Why the worker may not ask for this step yet, in one sentence; None when they may.

    A step may be asked for once it is ready, or from ASK_AHEAD_MONTHS before the date it will be ready. A step
    with no date yet (a requirement that cannot be forecast, such as CPD or evidence still to record) cannot be
    asked for until that requirement is met or dated. The screens and `request submit` say the same words.
    """
    if step.ready:
        return None
    if step.ready_on is None:
        missing = "; ".join(r.detail for r in step.requirements if not r.met and r.met_on is None)
        return f"{title} has no date yet: {missing}."
    opens = add_months(step.ready_on, -ASK_AHEAD_MONTHS)
    if opens > today:
        return (
            f"{title} is ready on {_day(step.ready_on)}: you can ask from {_day(opens)}, "
            f"{ASK_AHEAD_MONTHS} months before."
        )
    return None


def why_not_ask(
    step: _Step, title: str, decided_by: str, today: date, open_request: tuple[int, str] | None = None
) -> str | None:
    """Why this next step cannot be asked for now, in one sentence; None when it can.

    Filled by recruitment, an open request for it already (`open_request` is its id and state), or too early
    (`too_early`). `submit_request` refuses with these words, and the home screen shows them before the dialog.
    """
    if decided_by == "recruitment":
        return f"{title} {RECRUITMENT}."
    if open_request is not None:
        return f"Request {open_request[0]} for {title} is already open ({open_request[1]}); wait for its decision."
    return too_early(step, title, today)


NOTE_BEFORE_READY = "say why you ask before the step is ready: whoever decides reads it"
"""Why a request for a step that is not ready yet needs a note."""


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
    """An `Outcome` value."""
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
    """A `RequestState` value."""
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
    appealed_decision: DecisionRead | None = None
    """For an appeal: the decision appealed against (the rejection or deferral, with its reason and who took it);
    its decider may not decide the appeal."""

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


def _check_step(facts: WorkerFacts, council: CouncilFacts, to_role: str) -> tuple[str, str]:
    """The target role's title and who decides it, if it is a next step; else an `InputError` on ROLE."""
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
    return title, transition.decided_by


def submit_request(
    engine: Engine, actor: Actor, staff_id: str, to_role: str, note: str, evidence_ids: list[int], today: date
) -> RequestRead:
    """Ask for the worker to move to `to_role` (a next step from their role); the request starts `submitted`.

    `requirements_met` records whether the step was ready on `today`. A step may be asked for once it is ready or
    from ASK_AHEAD_MONTHS before its date (`too_early`); asked for before it is ready, the note must say why.

    Raises:
        AccessDenied: the actor is neither the worker nor an administrator.
        InputError: the role is not a next step, is filled by recruitment, already has an open request, is asked
            for too early or without a note before it is ready, the note is too long or holds a control
            character, or some evidence is not the worker's.
        Conflict: another session opened a request for the same step at the same moment.
    """
    with Session(engine) as session:
        worker = worker_to_edit(session, actor, staff_id, "progression requests")
        note = check_free_text(note, "--note", "note", ProgressionRequest, "note")
        facts, council = one_worker(session, actor, staff_id, today)
        title, decided_by = _check_step(facts, council, to_role)
        roles = dict(session.exec(select(Role.key, Role.id).where(col(Role.key).in_([facts.role, to_role]))).all())
        from_id, to_id = roles[facts.role] or 0, roles[to_role] or 0
        already = open_request_on_step(session, worker.id or 0, from_id, to_id)
        step = next(s for s in engine_next_steps(facts, council, today) if s.role == to_role)
        why = why_not_ask(step, title, decided_by, today, (already.id or 0, already.state) if already else None)
        if why is not None:
            raise InputError(Problem("ROLE", why[:1].lower() + why[1:] if why.startswith("Request ") else why))
        if not step.ready and not note:
            raise InputError(Problem("--note", NOTE_BEFORE_READY))
        _check_evidence(session, worker, evidence_ids)
        ready = step.ready
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


def no_say(actor: Actor, request_id: int, what: str) -> AccessDenied:
    """The refusal for a request the actor has no say over, in words that tell nothing about it.

    The same words whether the request exists or not, so a request id cannot be probed: only the worker, their
    line managers and the panel (administrators) may see or act on a request.
    """
    return AccessDenied(
        f"{actor.label} may not {what} request {request_id}: only the worker it is about, their line managers "
        "and the panel may."
    )


def request_in_view(session: Session, actor: Actor, request_id: int, what: str) -> ProgressionRequest:
    """The request, if the actor has a say over it (theirs, a report's, or any for an administrator).

    Checked before anything about the request is told. An id that does not exist is NotFound for an
    administrator (who sees every request) and the same AccessDenied as a request out of view for anyone else.

    Raises:
        NotFound: an administrator asked for an id no request has.
        AccessDenied: anyone else, for a request out of their view or one that does not exist.
    """
    request = session.get(ProgressionRequest, request_id) if 1 <= request_id <= MAX_INTEGER else None
    if actor.is_admin:
        if request is None:
            raise NotFound(f"No progression request has id {request_id}.")
        return request
    visible = _request_worker_ids(session, actor) or set()
    if request is None or request.worker_id not in visible:
        raise no_say(actor, request_id, what)
    return request


def show_request(engine: Engine, actor: Actor, request_id: int) -> RequestRead:
    """One request with its decisions (`request show`), if the actor has a say over it.

    Raises:
        NotFound: an administrator asked for an id no request has.
        AccessDenied: anyone else, for a request out of their view or one that does not exist (the same words).
    """
    with Session(engine) as session:
        return _reads(session, [request_in_view(session, actor, request_id, "see")])[0]


def list_requests(
    engine: Engine, actor: Actor, state: str | None = None, staff_id: str | None = None
) -> list[RequestRead]:
    """The requests the actor may see, newest first: their own, their reports', or all for an administrator.

    Args:
        engine: The database.
        actor: Who asks.
        state: Only requests in this state (a `RequestState` value).
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


def appealed_decision(session: Session, request: ProgressionRequest) -> Decision | None:
    """For an appeal, the decision it appeals against: the last rejection or deferral of the request appealed."""
    if request.appeal_of_id is None:
        return None
    return session.exec(
        select(Decision)
        .where(
            Decision.request_id == request.appeal_of_id,
            col(Decision.outcome).in_((Outcome.REJECT, Outcome.DEFER)),
        )
        .order_by(col(Decision.day).desc(), col(Decision.id).desc())
    ).first()


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
    appealed = {r.id or 0: found for r in requests if (found := appealed_decision(session, r)) is not None}
    people = {r.worker_id for r in requests} | {d.by_id for ds in decisions.values() for d in ds if d.by_id}
    people |= {d.by_id for d in appealed.values() if d.by_id}
    workers = {w.id: w for w in session.exec(select(Worker).where(col(Worker.id).in_(people)))}
    roles = {r.id: r for r in session.exec(select(Role))}
    transition_ids = [r.transition_id for r in requests if r.transition_id]
    deciders = dict(
        session.exec(select(Transition.id, Transition.decided_by).where(col(Transition.id).in_(transition_ids))).all()
    )

    def read_decision(d: Decision) -> DecisionRead:
        by = workers[d.by_id] if d.by_id else None
        return DecisionRead(
            by=by.staff_id if by else d.by_label,
            outcome=d.outcome,
            reason=d.reason,
            on=d.day,
            by_name=by.name if by else d.by_label,
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
            decisions=[read_decision(d) for d in decisions.get(r.id or 0, [])],
            name=workers[r.worker_id].name,
            from_title=roles[r.from_role_id].title,
            to_title=roles[r.to_role_id].title,
            decided_by=deciders.get(r.transition_id),
            note=r.note,
            requirements_met=r.requirements_met,
            evidence=evidence.get(r.id or 0, []),
            effective_on=r.effective_on,
            appeal_of=r.appeal_of_id,
            appealed_decision=read_decision(appealed[r.id or 0]) if (r.id or 0) in appealed else None,
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
