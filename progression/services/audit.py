"""Writing the audit log: append-only, each entry chained to the one before by a SHA-256 hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, event, update
from sqlmodel import Session, col, select

from progression.fields import column_limit
from progression.models import AuditEntry, AuditHead
from progression.models.base import utcnow
from progression.services.actor import Actor, require_admin

_HEAD = "progression.audit.head"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def _timestamp(value: datetime) -> str:
    """A timestamp as UTC text, however the backend handed it back (aware or naive UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def entry_hash(entry: AuditEntry) -> str:
    """The hash of an entry's content and the previous entry's hash."""
    body = {
        "at": _timestamp(entry.at),
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


def _lock_head(session: Session) -> AuditHead:
    """The chain's head row, locked until the caller's transaction ends, so appends never fork the chain.

    PostgreSQL locks the row (SELECT … FOR UPDATE); SQLite takes its write lock with a no-op UPDATE first.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(AuditHead).where(col(AuditHead.id) == 1).values(entries=AuditHead.entries))
    head = session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        head = AuditHead(id=1)
        session.add(head)
        session.flush()
    return head


def _fit(value: str, field: str) -> str:
    """`value` cut to its column's length, marked with an ellipsis where cut: the audit trail never fails
    to record an action because a name is long (callers keep the whole value in `after`)."""
    limit = column_limit(AuditEntry, field)
    if limit is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"


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
    """Append one entry in the caller's unit of work, chained to the newest entry."""
    head = session.info.get(_HEAD)
    if head is None:
        head = session.info[_HEAD] = _lock_head(session)
    entry = AuditEntry(
        at=utcnow(),
        actor=_fit(actor if isinstance(actor, str) else actor.staff_id, "actor"),
        action=_fit(action, "action"),
        entity=_fit(entity, "entity"),
        entity_id=_fit(str(entity_id), "entity_id"),
        outcome=outcome,
        before=_jsonable(before),
        after=_jsonable(after),
        prev_hash=head.last_hash,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    head.last_id, head.last_hash, head.entries = entry.id, entry.hash, head.entries + 1
    session.add(head)
    return entry


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_head(session: Session) -> None:
    """The locked head is only valid in the transaction that locked it."""
    session.info.pop(_HEAD, None)


def record_refusal(engine: Engine, actor: Actor, what: str) -> None:
    """Record a refused action in its own unit of work (the refused one wrote nothing)."""
    with Session(engine) as session:
        record(session, actor, "refused", "access", after={"refused": what}, outcome="refused")
        session.commit()


@dataclass
class ChainCheck:
    ok: bool
    entries: int
    problem: str = ""
    entry_id: int | None = None


def verify_chain(engine: Engine, actor: Actor) -> ChainCheck:
    """Check every entry's hash and link, and the head: an edited, removed or inserted entry is found."""
    require_admin(actor, "verify the audit log")
    with Session(engine) as session:
        previous_hash, previous_id, count = "", 0, 0
        for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).yield_per(2000):
            count += 1
            if entry.prev_hash != previous_hash:
                where = f"after entry {previous_id}" if previous_id else "at the start"
                return ChainCheck(
                    False,
                    count,
                    f"entry {entry.id} does not follow the entry before it: "
                    f"an entry {where} was removed, or entry {entry.id} was inserted",
                    entry.id,
                )
            if entry_hash(entry) != entry.hash:
                return ChainCheck(False, count, f"entry {entry.id} was changed after it was written", entry.id)
            previous_hash, previous_id = entry.hash, entry.id or 0
        head = session.get(AuditHead, 1)
        if head is not None and (head.last_hash != previous_hash or head.entries != count):
            return ChainCheck(
                False,
                count,
                f"the newest entries were removed: the log should end at entry "
                f"{head.last_id} ({head.entries} entries) but ends at entry "
                f"{previous_id} ({count} entries)",
                head.last_id,
            )
        return ChainCheck(True, count)
