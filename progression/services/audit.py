"""Writing the audit log: append-only, each entry chained to the one before by a SHA-256 hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, event, update
from sqlmodel import Session, col, select

from progression.errors import AuditBroken, InputError, Problem
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


ANCHOR_LENGTH = 64
"""An anchor is an entry's hash: SHA-256 as 64 lowercase hexadecimal digits."""
_RETRIES = 20
"""How many times verification reads the log again when entries were appended while it read."""


def _utc(value: datetime) -> datetime:
    """A timestamp as an aware UTC datetime, however the backend handed it back."""
    return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Mark:
    """One entry of the chain as a point to check against later: an anchor."""

    entry_id: int
    hash: str
    at: datetime
    """When the entry was written (aware, UTC)."""
    entries: int
    """How many entries the chain holds up to and including this one."""


@dataclass
class ChainCheck:
    ok: bool
    entries: int
    problem: str = ""
    entry_id: int | None = None
    newest: Mark | None = None
    """The newest entry of the chain as far as it holds."""
    anchored: Mark | None = None
    """The entry whose hash is the anchor checked against, when it was found with the chain up to it intact."""


def read_anchor(text: str) -> str:
    """The anchor given as `--anchor`: 64 hexadecimal digits (either case), or InputError."""
    value = text.strip().lower()
    if len(value) != ANCHOR_LENGTH or any(c not in "0123456789abcdef" for c in value):
        raise InputError(
            Problem(
                "--anchor",
                f"an anchor is the {ANCHOR_LENGTH}-character hash printed by `progression audit anchor` "
                f"(digits 0-9 and letters a-f); this one has {len(value)} characters"
                + ("" if len(value) != ANCHOR_LENGTH else " and others than 0-9 and a-f"),
            )
        )
    return value


def verify_chain(engine: Engine, actor: Actor, anchor: str | None = None) -> ChainCheck:
    """Check every entry's hash and link, and the head: an edited, removed or inserted entry is found, a missing
    head row is a broken chain, and an entry appended without moving the head is named.

    With `anchor` (a hash printed earlier by `audit anchor` and kept outside the database), also prove that the
    entry with that hash is still in the chain with every entry before it unchanged: a log rewritten and re-chained
    since the anchor was taken no longer holds an entry with that hash.
    """
    require_admin(actor, "verify the audit log")
    with Session(engine) as session:
        for _ in range(_RETRIES):
            head = _head_state(session)
            check = _walk(session, head, anchor)
            if _head_state(session) == head:
                break  # nothing was appended while the chain was read: the head and the entries agree
        return check


def take_anchor(engine: Engine, actor: Actor) -> Mark:
    """The newest entry of a log that holds, to be kept outside the database; AuditBroken when it does not hold
    (an anchor of a tampered log would vouch for the tampering)."""
    check = verify_chain(engine, actor)
    if not check.ok or check.newest is None:
        raise AuditBroken(f"No anchor was taken: the audit log has been tampered with: {check.problem}.")
    return check.newest


_Head = tuple[int, str, int]
"""The head row as (last_id, last_hash, entries)."""


def _head_state(session: Session) -> _Head | None:
    row = session.exec(
        select(AuditHead.last_id, AuditHead.last_hash, AuditHead.entries).where(AuditHead.id == 1)
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def _walk(session: Session, head: _Head | None, anchor: str | None) -> ChainCheck:
    previous_hash, previous_id, count = "", 0, 0
    newest: Mark | None = None
    anchored: Mark | None = None
    head_seen: Mark | None = None
    appended: int | None = None
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).yield_per(2000):
        count += 1
        problem = ""
        if entry.prev_hash != previous_hash:
            where = f"after entry {previous_id}" if previous_id else "at the start"
            problem = (
                f"entry {entry.id} does not follow the entry before it: "
                f"an entry {where} was removed, or entry {entry.id} was inserted"
            )
            if entry.prev_hash == "" and previous_id:
                problem += " (it starts a new chain, as one written after the head row was deleted does)"
        elif entry_hash(entry) != entry.hash:
            problem = f"entry {entry.id} was changed after it was written"
        if problem:
            return ChainCheck(
                False,
                count,
                problem + _anchor_note(session, anchor, anchored),
                entry.id,
                newest,
                anchored,
            )
        newest = Mark(entry.id or 0, entry.hash, _utc(entry.at), count)
        if head_seen is not None and appended is None:
            appended = newest.entry_id
        if head is not None and entry.hash == head[1]:
            head_seen = newest
        if anchor is not None and entry.hash == anchor:
            anchored = newest
        previous_hash, previous_id = entry.hash, entry.id or 0
    problems: list[tuple[str, int | None]] = []
    if anchor is not None and anchored is None:
        problems.append(
            (
                "the log is empty: every entry was removed since the anchor was taken"
                if count == 0
                else f"no entry has the anchored hash {anchor}: the log was rewritten since the anchor was taken "
                "(an entry up to the anchored one was changed, removed or inserted, and the later ones re-chained)",
                None,
            )
        )
    problems.extend(_head_problems(head, head_seen, appended, newest, count))
    if problems:
        return ChainCheck(False, count, "; and ".join(text for text, _ in problems), problems[0][1], newest, anchored)
    return ChainCheck(True, count, newest=newest, anchored=anchored)


def _anchor_note(session: Session, anchor: str | None, anchored: Mark | None) -> str:
    """What a broken chain means for the anchor being checked against."""
    if anchor is None:
        return ""
    if anchored is not None:
        return f" (after the anchored entry {anchored.entry_id}, which holds with every entry before it)"
    if session.exec(select(AuditEntry.id).where(AuditEntry.hash == anchor)).first() is None:
        return "; and no entry has the anchored hash: the log was rewritten since the anchor was taken"
    return ""


def _head_problems(
    head: _Head | None, head_seen: Mark | None, appended: int | None, newest: Mark | None, count: int
) -> list[tuple[str, int | None]]:
    """What is wrong with the head row, given the chain as read."""
    if head is None:
        if count == 0:
            return [("the log is empty and its head (the audit_head row) is missing: every entry was removed", None)]
        return [
            (
                "the head of the chain (the audit_head row) is missing: it was deleted, which hides the removal "
                "of the newest entries",
                None,
            )
        ]
    last_id, last_hash, entries = head
    if count == 0:
        if entries == 0 and last_hash == "":
            return [
                (
                    "the log is empty, but `init` writes the first entry of every database: every entry was removed "
                    "and the head was reset",
                    None,
                )
            ]
        return [
            (
                f"the newest entries were removed: the log should end at entry {last_id} ({entries} entries) but "
                "it is empty",
                last_id,
            )
        ]
    assert newest is not None
    if head_seen is None:
        if entries > count or last_id > newest.entry_id:
            return [
                (
                    f"the newest entries were removed: the log should end at entry {last_id} ({entries} entries) "
                    f"but ends at entry {newest.entry_id} ({count} entries)",
                    last_id,
                )
            ]
        return [
            (
                f"no entry has the head's hash: the head (naming entry {last_id} of {entries} entries) was edited, "
                "or its entry was removed and others written in its place",
                last_id,
            )
        ]
    if appended is not None:
        after = count - head_seen.entries
        more = f" (with {after - 1} more after it)" if after > 1 else ""
        return [
            (
                f"entry {appended} was appended without updating the head{more}: the head still ends at entry "
                f"{head_seen.entry_id}, so it was written outside Progression",
                appended,
            )
        ]
    if entries != count or last_id != newest.entry_id:
        return [
            (
                f"the head was edited: it names entry {last_id} of {entries} entries, but the chain ends at entry "
                f"{newest.entry_id} of {count} entries",
                last_id,
            )
        ]
    return []
