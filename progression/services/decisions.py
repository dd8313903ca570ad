"""Deciding progression requests: endorse, return, approve, defer, reject, appeal, and applying the move.

Who decides follows the transition's `decided_by` (CONTRACT.md, issue 6):
- `line_manager`: the worker's line manager (or an administrator) approves, returns, defers or rejects;
- `panel`: the line manager endorses or returns; then the panel (an administrator) approves, defers or rejects;
- `automatic`: applied on the day the worker becomes ready (`apply_automatic_steps`);
- `recruitment`: no requests.
Nobody decides a request about themselves, and an appeal is decided by a panel member who did not take the decision
appealed against. Whether the actor has any say over a request (theirs, a report's, or any for the panel) is
checked before anything about it is told: someone with none is refused (exit 3) in the same words whether the
request exists or not. A reason is required for every decision. A decision that lets a
request through (endorse, approve) is refused when the requirements were not met on the day it was submitted,
unless the decider overrides with a reason. Two deciders at once: exactly one decision lands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import Connection, Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, Conflict, InputError, NotFound, Problem, ProblemList
from progression.fields import check_free_text, column_limit, field_problem
from progression.models import (
    Decision,
    DevelopmentPlan,
    Goal,
    GoalAction,
    PlanStateChange,
    ProgressionRequest,
    Role,
    RoleHistory,
    Transition,
    Worker,
)
from progression.models.requests import APPEALABLE_STATES, DECIDER_OUTCOMES, STATE_AFTER, Outcome, RequestState
from progression.services.actor import LOCAL_ADMIN_LABEL, Actor, reports_of
from progression.services.audit import record
from progression.services.requests import RequestRead, appealed_decision, open_request_on_step, request_in_view

_S, _O = RequestState, Outcome
OUTCOMES: tuple[Outcome, ...] = DECIDER_OUTCOMES
"""The outcomes a decider chooses from (`request decide --outcome`)."""
LINE_MANAGER_OUTCOMES: dict[RequestState, tuple[Outcome, ...]] = {
    _S.SUBMITTED: (_O.APPROVE, _O.RETURN, _O.DEFER, _O.REJECT)
}
"""On a step the line manager decides: what they may decide in each open state."""
PANEL_OUTCOMES: dict[RequestState, tuple[Outcome, ...]] = {
    _S.SUBMITTED: (_O.ENDORSE, _O.RETURN),
    _S.ENDORSED: (_O.APPROVE, _O.DEFER, _O.REJECT),
}
"""On a panel step: the line manager endorses or returns a submitted request; the panel decides an endorsed one."""
APPEAL_OUTCOMES: dict[RequestState, tuple[Outcome, ...]] = {_S.SUBMITTED: (_O.APPROVE, _O.DEFER, _O.REJECT)}
"""An appeal goes straight to the panel."""
PANEL_ONLY = (_O.APPROVE, _O.DEFER, _O.REJECT)
"""The outcomes only the panel (an administrator) takes on a panel step or an appeal."""
LETS_THROUGH = (_O.ENDORSE, _O.APPROVE)
"""The outcomes that let a request through, refused on unmet requirements without an override."""


@dataclass
class DecisionResult:
    request_id: int
    state: str
    applied: bool
    effective_on: date | None


def override_needed(outcome: str, requirements_met: bool, submitted_on: date, override: bool) -> str | None:
    """Why this outcome needs the override, or None: letting a request through (endorse, approve) when the
    requirements were not met on the day it was submitted needs the decider to override, with a reason."""
    if outcome in LETS_THROUGH and not requirements_met and not override:
        return (
            f"the requirements were not met on {submitted_on}, the day it was submitted; override with a reason to "
            "let it through"
        )
    return None


def effective_problem(effective: date, submitted_on: date) -> str | None:
    """Why an approval cannot take effect on `effective`, or None: never before the request was submitted."""
    if effective < submitted_on:
        return f"{effective} is before the request ({submitted_on})"
    return None


def possible_outcomes(actor: Actor, request: RequestRead) -> tuple[Outcome, ...]:
    """The outcomes the actor may choose on a request now, by the rules `decide` enforces (the screens offer only
    these; `decide` checks again under a lock).

    Nobody decides their own request; on a line manager's step the line manager (or an administrator) decides; on
    a panel step the line manager endorses or returns and the panel (administrators) decides; an appeal goes
    straight to the panel, and not to the panel member who took the decision appealed against.
    """
    if request.staff_id == actor.staff_id or not RequestState(request.state).is_open:
        return ()
    state = RequestState(request.state)
    if request.appeal_of is not None:
        first = request.appealed_decision
        if not actor.is_admin or (first is not None and _same_person(first.by, actor)):
            return ()
        return APPEAL_OUTCOMES.get(state, ())
    panel = request.decided_by in (None, "panel")
    outcomes = (PANEL_OUTCOMES if panel else LINE_MANAGER_OUTCOMES).get(state, ())
    if panel and not actor.is_admin:
        outcomes = tuple(o for o in outcomes if o not in PANEL_ONLY)
    return outcomes


def _same_person(decider: str | None, actor: Actor) -> bool:
    """Whether a decision's decider (a staff id; for the local administrator, their label or, as read before the
    label was shown, None) is the actor. The local administrator counts as one person, whatever their account."""
    if decider is None or decider.startswith(LOCAL_ADMIN_LABEL):
        return actor.local
    return decider == actor.staff_id


def _locked_request(session: Session, actor: Actor, request_id: int, what: str) -> ProgressionRequest:
    """The request, if the actor has a say over it, locked for this transaction, so a second decider waits and
    then sees the first's decision.

    Raises:
        NotFound: an administrator named an id no request has.
        AccessDenied: anyone else, for a request out of their view or one that does not exist (the same words).
    """
    request_in_view(session, actor, request_id, what)  # before the lock: no row of anyone else's is locked
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(ProgressionRequest)
            .where(col(ProgressionRequest.id) == request_id)
            .values(version=ProgressionRequest.version)
        )
    request = session.exec(
        select(ProgressionRequest)
        .where(ProgressionRequest.id == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if request is None:  # removed since it was read: cannot happen today, as requests are never deleted
        raise NotFound(f"No progression request has id {request_id}.")
    return request


def _allowed(request: ProgressionRequest, decided_by: str) -> dict[RequestState, tuple[Outcome, ...]]:
    if request.appeal_of_id is not None:
        return APPEAL_OUTCOMES
    return PANEL_OUTCOMES if decided_by == "panel" else LINE_MANAGER_OUTCOMES


def _check_decider(session: Session, actor: Actor, worker: Worker, outcome: str, panel: bool) -> None:
    if actor.worker_id == worker.id:
        raise AccessDenied(f"{actor.label} may not decide a request about themselves.")
    if panel and outcome in PANEL_ONLY:
        if not actor.is_admin:
            raise AccessDenied(f"{actor.label} may not take the panel's decision: it needs admin access.")
        return
    manages = actor.worker_id is not None and worker.id in reports_of(session, actor.worker_id)
    if not (manages or actor.is_admin):
        raise AccessDenied(f"{actor.label} may not {outcome} {worker.staff_id}'s request: it needs their line manager.")


def _check_not_first_decider(session: Session, actor: Actor, request: ProgressionRequest) -> None:
    """An appeal is decided by a panel member who did not take the decision appealed against.

    The local administrator (no worker) counts as one person: their decisions carry no worker (by_id), only their
    label.
    """
    if request.appeal_of_id is None:
        return
    first = appealed_decision(session, request)
    if first is not None and first.by_id == actor.worker_id and (first.by_id is not None or actor.local):
        raise AccessDenied(
            f"{actor.label} took the decision appealed against ({first.outcome} of request {request.appeal_of_id} "
            f"on {first.day}): another panel member decides appeal {request.id}."
        )


def decide(
    engine: Engine,
    actor: Actor,
    request_id: int,
    outcome: str,
    reason: str,
    today: date,
    *,
    effective: date | None = None,
    override: bool = False,
    actions: list[str] | None = None,
) -> DecisionResult:
    """Record one decision on a request, in one transaction that locks the request first.

    Access comes first: someone with no say over the request is refused before its state or anything they typed
    is looked at.

    Raises:
        NotFound: an administrator named an id no request has.
        AccessDenied: the actor may not take this decision (no say over the request, their own request, the
            panel's decision without admin access, or the decision appealed against was theirs).
        InputError: an impossible outcome for the request's state, no reason, unmet requirements without an
            override, or an effective date before the request.
        Conflict: someone else decided it first (seen as a state that no longer allows this outcome).
    """
    with Session(engine) as session:
        request = _locked_request(session, actor, request_id, "decide")
        worker = session.get_one(Worker, request.worker_id)
        if actor.worker_id == worker.id:
            raise AccessDenied(f"{actor.label} may not decide a request about themselves.")
        _check_not_first_decider(session, actor, request)
        reason = check_free_text(reason, "--reason", "reason", Decision, "reason")
        actions = _check_actions(actions or [])
        if outcome not in OUTCOMES:
            raise InputError(Problem("--outcome", f"'{outcome}' is not one of {', '.join(OUTCOMES)}"))
        if not reason:
            raise InputError(Problem("--reason", "a reason is required for every decision"))
        transition = session.get(Transition, request.transition_id) if request.transition_id else None
        decided_by = transition.decided_by if transition else "panel"
        allowed = _allowed(request, decided_by)
        panel = decided_by == "panel" or request.appeal_of_id is not None
        if request.state not in allowed:
            raise Conflict(f"Request {request_id} is already {request.state}: no further decision can be taken.")
        choices = allowed[RequestState(request.state)]
        if outcome not in choices:
            raise InputError(
                Problem(
                    "--outcome",
                    f"'{outcome}' is not possible for a {request.state} request (possible: {', '.join(choices)})",
                )
            )
        _check_decider(session, actor, worker, outcome, panel)
        if why := override_needed(outcome, request.requirements_met, request.submitted_on, override):
            raise InputError(Problem("--outcome", why))
        if outcome == Outcome.APPROVE:
            effective = effective or today
            if why := effective_problem(effective, request.submitted_on):
                raise InputError(Problem("--effective", why))
        elif effective is not None:
            raise InputError(Problem("--effective", "only an approval takes an effective date"))
        before = {"state": request.state, "version": request.version}
        session.add(
            Decision(
                request_id=request_id,
                by_id=actor.worker_id,
                by_label=actor.decider_label,  # never a null decider: the local administrator is named
                outcome=Outcome(outcome).value,
                reason=reason,
                day=today,
                effective_on=effective,
                override=override and not request.requirements_met,
            )
        )
        request.state, request.effective_on = STATE_AFTER[Outcome(outcome)].value, effective
        request.version += 1
        session.add(request)
        record(
            session,
            actor,
            outcome,
            "progression_request",
            request_id,
            before=before,
            after={"state": request.state, "reason": reason, "effective_on": effective, "override": override},
        )
        if outcome == Outcome.DEFER:
            _add_development_actions(session, actor, worker, request, reason, actions or [], today)
        applied = False
        if outcome == Outcome.APPROVE and effective is not None and effective <= today:
            _apply(session, actor, worker, request, effective)
            applied = True
        session.commit()
        return DecisionResult(request_id, request.state, applied, effective)


def _apply(session: Session, actor: Actor | str, worker: Worker, request: ProgressionRequest, effective: date) -> None:
    """Move the worker into the request's role on the effective date: role, pay (by role) and history."""
    before = {"role_id": worker.role_id, "role_since": worker.role_since}
    current = session.exec(
        select(RoleHistory).where(RoleHistory.worker_id == worker.id, col(RoleHistory.ended_on).is_(None))
    ).first()
    if current is not None:
        current.ended_on = effective
        session.add(current)
    session.add(
        RoleHistory(
            worker_id=worker.id,
            role_id=request.to_role_id,
            started_on=effective,  # type: ignore[arg-type]
            reason=f"progression request {request.id}",
        )
    )
    worker.role_id, worker.role_since = request.to_role_id, effective
    session.add(worker)
    request.applied_on = effective
    session.add(request)
    record(
        session,
        actor,
        "change-role",
        "worker",
        worker.staff_id,
        before=before,
        after={"role_id": worker.role_id, "role_since": effective, "request": request.id},
    )


def _add_development_actions(
    session: Session,
    actor: Actor,
    worker: Worker,
    request: ProgressionRequest,
    reason: str,
    actions: list[str],
    today: date,
) -> None:
    """A deferral's development actions become a goal in the worker's current plan (a new plan if none)."""
    plan = session.exec(
        select(DevelopmentPlan)
        .where(DevelopmentPlan.worker_id == worker.id, DevelopmentPlan.state != "complete")
        .order_by(col(DevelopmentPlan.id).desc())
    ).first()
    if plan is None:
        plan = DevelopmentPlan(
            worker_id=worker.id,
            title=f"Development plan {today.year}",
            state="draft",  # type: ignore[arg-type]
            target_role_id=request.to_role_id,
        )
        session.add(plan)
        session.flush()
        session.add(
            PlanStateChange(
                plan_id=plan.id,
                from_state="",
                to_state="draft",
                by_id=actor.worker_id or worker.id,  # type: ignore[arg-type]
                note=f"Created for the actions of deferred request {request.id}",
            )
        )
    role = session.get(Role, request.to_role_id)
    goal = Goal(
        plan_id=plan.id,
        title=f"Actions from the {role.title if role else ''} decision".replace("  ", " "),  # type: ignore[arg-type]
        description=reason,
        source=f"deferred request {request.id}",
    )
    session.add(goal)
    session.flush()
    limit = column_limit(GoalAction, "title")
    for title in actions or [_first_words(reason, limit)]:
        session.add(GoalAction(goal_id=goal.id, title=title))  # type: ignore[arg-type]
    record(session, actor, "add-goal", "development_plan", plan.id, after={"goal": goal.title, "actions": actions})


def _check_actions(actions: list[str]) -> list[str]:
    """Deferral actions, stripped, each one line that fits a plan action's title.

    Raises:
        InputError: naming `--action` for an empty, over-long or control-character action.
    """
    checked, problems = [], ProblemList()
    for action in actions:
        text = (action or "").strip()
        problem = "is empty: say what is to be done" if not text else field_problem(GoalAction, "title", text)
        if problem is not None:
            problems.add("--action", f"the action {problem}")
        checked.append(text)
    problems.raise_if_any()
    return checked


def _first_words(text: str, limit: int | None) -> str:
    """The reason as an action title: its first line, cut at a word to fit the title's column."""
    line = text.splitlines()[0] if text else text
    if limit is None or len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return cut + "…"


def appeal(engine: Engine, actor: Actor, request_id: int, note: str, today: date) -> int:
    """The worker's one appeal against a rejection or deferral: a new request, decided by the panel.

    Access comes first: only the worker (or an administrator) may appeal, and anyone else is refused before the
    request's state or the note is looked at, in the same words whether the request exists or not.

    Raises:
        NotFound: an administrator named an id no request has.
        AccessDenied: the actor is neither the worker nor an administrator.
        InputError: no note, a note too long or with a control character, a request that is not rejected or
            deferred, one appealed already, or a new request for the same step that is still open (exit 2).
        Conflict: a request for the same step was opened by another session at the same moment (exit 4).
    """
    with Session(engine) as session:
        original = _locked_request(session, actor, request_id, "appeal")
        worker = session.get_one(Worker, original.worker_id)
        if actor.worker_id != worker.id and not actor.is_admin:
            raise AccessDenied(f"{actor.label} may not appeal request {request_id}: only the worker it is about may.")
        note = check_free_text(note, "--note", "note", ProgressionRequest, "note")
        if not note:
            raise InputError(Problem("--note", "say why you appeal"))
        if original.state not in APPEALABLE_STATES:
            raise InputError(
                Problem(
                    "request",
                    f"only a rejected or deferred request can be appealed; request {request_id} is {original.state}",
                )
            )
        if (
            original.appeal_of_id is not None
            or session.exec(select(ProgressionRequest.id).where(ProgressionRequest.appeal_of_id == request_id)).first()
        ):
            raise InputError(Problem("request", f"request {request_id} has had its one appeal"))
        already = open_request_on_step(session, worker.id or 0, original.from_role_id, original.to_role_id)
        if already is not None:
            raise InputError(
                Problem(
                    "request",
                    f"request {already.id} for the same step is open ({already.state}): it is being decided, so "
                    f"request {request_id} cannot be appealed until it is",
                )
            )
        new = ProgressionRequest(
            worker_id=worker.id,
            transition_id=original.transition_id,  # type: ignore[arg-type]
            from_role_id=original.from_role_id,
            to_role_id=original.to_role_id,
            state=RequestState.SUBMITTED.value,
            submitted_on=today,
            submitted_by_id=actor.worker_id or worker.id,  # type: ignore[arg-type]
            note=note,
            requirements_met=original.requirements_met,
            appeal_of_id=request_id,
        )
        session.add(new)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(
                f"A request for the same step as request {request_id} has just been opened from another session: "
                "it is open now, so the appeal waits until it is decided."
            ) from None
        record(session, actor, "appeal", "progression_request", new.id, after={"appeal_of": request_id, "note": note})
        session.commit()
        return new.id  # type: ignore[return-value]


def apply_due(engine: Engine, today: date) -> int:
    """Apply approved moves whose effective date has come (run at start-up and by `init`). Returns how many."""
    applied = 0
    with Session(engine) as session:
        due = session.exec(
            select(ProgressionRequest).where(
                ProgressionRequest.state == RequestState.APPROVED,
                col(ProgressionRequest.applied_on).is_(None),
                col(ProgressionRequest.effective_on).is_not(None),
                col(ProgressionRequest.effective_on) <= today,
            )
        ).all()
        for request in due:
            worker = session.get_one(Worker, request.worker_id)
            if worker.role_id != request.from_role_id:
                continue  # the worker moved another way since; the approval no longer applies
            _apply(session, "system", worker, request, request.effective_on)  # type: ignore[arg-type]
            applied += 1
        session.commit()
    return applied


def apply_automatic_steps(engine: Engine, today: date) -> int:
    """Take every `automatic` step whose requirements are met, effective on the day the worker became ready.

    Each is recorded as a request with an automatic decision, like any other. Returns how many were taken.
    """
    from progression.services.actor import local_admin
    from progression.services.progress import all_next_steps

    taken = 0
    for _ in range(5):  # a worker may be ready for two automatic steps in a row
        ready = [
            (w, s)
            for w, steps in all_next_steps(engine, local_admin(), today)
            for s in steps
            if s.decided_by == "automatic" and s.ready and s.ready_on is not None
        ]
        if not ready:
            break
        with Session(engine) as session:
            roles = {r.key: r for r in session.exec(select(Role))}
            for facts, step in ready:
                worker = session.exec(select(Worker).where(Worker.staff_id == facts.staff_id)).one()
                transition = session.exec(
                    select(Transition).where(
                        Transition.from_role_id == worker.role_id, Transition.to_role_id == roles[step.role].id
                    )
                ).first()
                effective = max(step.ready_on, worker.role_since)  # type: ignore[type-var]
                request = ProgressionRequest(
                    worker_id=worker.id,
                    transition_id=transition.id if transition else None,  # type: ignore[arg-type]
                    from_role_id=worker.role_id,
                    to_role_id=roles[step.role].id,
                    state=RequestState.APPROVED.value,
                    submitted_on=effective,
                    submitted_by_id=worker.id,
                    note="Automatic when ready",  # type: ignore[arg-type]
                    requirements_met=True,
                    effective_on=effective,
                    version=2,
                )
                session.add(request)
                session.flush()
                detail = "; ".join(r.detail for r in step.requirements)
                session.add(
                    Decision(
                        request_id=request.id,
                        by_id=None,
                        outcome=Outcome.AUTOMATIC.value,  # type: ignore[arg-type]
                        reason=f"Every requirement met: {detail}",
                        day=today,
                        effective_on=effective,
                    )
                )
                record(
                    session,
                    "system",
                    "automatic",
                    "progression_request",
                    request.id,
                    after={"staff_id": worker.staff_id, "to": step.role, "effective_on": effective},
                )
                _apply(session, "system", worker, request, effective)
                taken += 1
            session.commit()
    return taken


def catch_up(bind: Engine | Connection, today: date) -> tuple[int, int]:
    """Apply approved moves now effective, then automatic steps now ready: (moves applied, automatic steps).

    Given a connection in a transaction (`init`, `demo`), the work joins that transaction: their sessions bind
    to the connection and do not commit it, so a kill leaves none of it.
    """
    engine = cast(Engine, bind)  # a Connection serves as a Session's bind just as an Engine does
    return apply_due(engine, today), apply_automatic_steps(engine, today)
