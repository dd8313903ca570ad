"""Moving a development plan between states: submit, agree, send back, complete and reopen, with who and why."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from progression.errors import AccessDenied, Conflict, InputError, Problem
from progression.fields import check_free_text
from progression.models import Goal, PlanStateChange
from progression.services.actor import Actor, worker_to_read
from progression.services.audit import record
from progression.services.plan_edits import refusals_recorded
from progression.services.plan_models import MOVES, STATES, PlanRead
from progression.services.plan_reads import plan_and_worker, read_plan, rights_for, stamp


def possible_moves(state: str) -> str:
    """The moves open from a state, in words: 'agreed (agree) or draft (send back)'."""
    moves = [f"{to} ({move.name})" for (src, to), move in MOVES.items() if src == state]
    return " or ".join(moves) if moves else "nowhere"


def move_plan(
    engine: Engine, actor: Actor, plan_id: int, to_state: str, on: date, *, note: str = "", expect: str | None = None
) -> PlanRead:
    """Move a plan to `to_state`, recording who moved it, when and why.

    Args:
        engine: The database.
        actor: Who moves the plan: the owner (the worker or an admin) or a reviewer, as the move requires.
        plan_id: The plan.
        to_state: draft, submitted, agreed or complete.
        on: Today.
        note: Why; required to send a plan back or reopen it.
        expect: The state the actor saw; if someone has moved the plan since, nothing changes.

    Raises:
        AccessDenied: the actor may not make this move (nobody agrees their own plan).
        InputError: the move is not possible from the plan's state, or a required note is missing.
        Conflict: the plan is no longer in the state the actor saw.
    """
    with refusals_recorded(engine, actor), Session(engine) as session:
        plan, worker = plan_and_worker(session, plan_id)
        worker_to_read(session, actor, worker.staff_id, "development plan")
        if expect is not None and plan.state != expect:
            raise Conflict(f"The plan has just been moved from {expect} to {plan.state} by someone else.")
        if to_state not in STATES:
            raise InputError(Problem("state", f"'{to_state}' is not a plan state ({', '.join(STATES)})."))
        move = MOVES.get((plan.state, to_state))
        if move is None:
            raise InputError(
                Problem(
                    "state",
                    f"A {plan.state} plan cannot move to {to_state}; it can move to {possible_moves(plan.state)}.",
                )
            )
        if actor.worker_id is None:
            raise AccessDenied(
                f"{actor.label} may not {move.name} a development plan: a move is recorded against "
                "the worker who makes it, so act as a worker (--as STAFF_ID)."
            )
        rights = rights_for(session, actor, worker, plan.state)
        if move.name not in rights.moves:
            who = {
                "owner": f"{worker.staff_id} themselves",
                "reviewer": "their line manager or educator",
                "either": f"{worker.staff_id} or their line manager or educator",
            }[move.by]
            raise AccessDenied(
                f"{actor.label} may not {move.name} {worker.staff_id}'s development plan: only {who} may."
            )
        clean = check_free_text(note, "note", "note", PlanStateChange, "note")
        if move.note_required and not clean:
            raise InputError(Problem("note", f"Say why: a note is required to {move.name} a plan."))
        if move.name == "submit" and not session.exec(select(func.count()).where(Goal.plan_id == plan.id)).one():
            raise InputError(Problem("state", "A plan needs at least one goal before it is submitted."))
        from_state = plan.state
        plan.state = to_state
        session.add(plan)
        session.add(
            PlanStateChange(
                plan_id=plan.id or 0,
                from_state=from_state,
                to_state=to_state,
                by_id=actor.worker_id,
                at=stamp(on),
                note=clean,
            )
        )
        record(
            session,
            actor,
            move.name.replace(" ", "_"),
            "development_plan",
            plan.id,
            before={"state": from_state},
            after={"state": to_state, "note": clean},
        )
        session.commit()
        session.refresh(plan)
        return read_plan(session, actor, plan, worker, on)


def submit_plan(engine: Engine, actor: Actor, plan_id: int, on: date, *, expect: str | None = None) -> PlanRead:
    """Draft → submitted, by the owner, once the plan has a goal."""
    return move_plan(engine, actor, plan_id, "submitted", on, expect=expect)


def agree_plan(
    engine: Engine, actor: Actor, plan_id: int, on: date, *, note: str = "", expect: str | None = None
) -> PlanRead:
    """Submitted → agreed, by a reviewer (never the worker themselves)."""
    return move_plan(engine, actor, plan_id, "agreed", on, note=note, expect=expect)


def send_back_plan(
    engine: Engine, actor: Actor, plan_id: int, note: str, on: date, *, expect: str | None = None
) -> PlanRead:
    """Submitted → draft, by a reviewer, saying why."""
    return move_plan(engine, actor, plan_id, "draft", on, note=note, expect=expect)


def complete_plan(
    engine: Engine, actor: Actor, plan_id: int, on: date, *, note: str = "", expect: str | None = None
) -> PlanRead:
    """Agreed → complete, by the owner or a reviewer."""
    return move_plan(engine, actor, plan_id, "complete", on, note=note, expect=expect)


def reopen_plan(
    engine: Engine, actor: Actor, plan_id: int, note: str, on: date, *, expect: str | None = None
) -> PlanRead:
    """Reopen with a note: an agreed plan goes back to draft (owner or reviewer), a complete one back to agreed
    (reviewer only)."""
    with refusals_recorded(engine, actor), Session(engine) as session:
        plan, worker = plan_and_worker(session, plan_id)
        worker_to_read(session, actor, worker.staff_id, "development plan")
        state = plan.state
    targets = {"agreed": "draft", "complete": "agreed"}
    if state not in targets:
        moves = possible_moves(state)
        raise InputError(Problem("state", f"A {state} plan cannot be reopened; it can move to {moves}."))
    return move_plan(engine, actor, plan_id, targets[state], on, note=note, expect=expect or state)
