"""Writing the audit log: append-only, each entry chained to the one before by a SHA-256 hash."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.models import AuditEntry
from progression.models.base import utcnow
from progression.services.actor import Actor

_LAST_HASH = "progression.audit.last_hash"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def entry_hash(entry: AuditEntry) -> str:
    """The hash of an entry's content and the previous entry's hash."""
    body = {
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "outcome": entry.outcome,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def record(
    session: Session,
    actor: Actor | str,
    action: str,
    entity: str,
    entity_id: object = "",
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    outcome: str = "done",
) -> AuditEntry:
    """Append one entry in the caller's unit of work."""
    prev_hash = session.info.get(_LAST_HASH)
    if prev_hash is None:
        last = session.exec(select(AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)).first()
        prev_hash = last or ""
    entry = AuditEntry(
        at=utcnow(),
        actor=actor if isinstance(actor, str) else actor.staff_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        outcome=outcome,
        before=_jsonable(before),
        after=_jsonable(after),
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(entry)
    session.info[_LAST_HASH] = entry.hash
    session.add(entry)
    return entry


def record_refusal(engine: Engine, actor: Actor, what: str) -> None:
    """Record a refused action in its own unit of work (the refused one wrote nothing)."""
    with Session(engine) as session:
        record(session, actor, "refused", "access", after={"refused": what}, outcome="refused")
        session.commit()
