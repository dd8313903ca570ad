"""Evidence, recorded once and linked to capabilities across frameworks: listing, recording, accepting."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from progression.errors import Conflict, InputError, NotFound, Problem, ProblemList
from progression.fields import free_text_issue
from progression.models import (
    Capability,
    Evidence,
    EvidenceLink,
    Framework,
    FrameworkLevel,
    RequestEvidence,
    Worker,
)
from progression.services.actor import Actor, worker_to_edit, worker_to_read, worker_to_review
from progression.services.audit import record
from progression.services.evidence_frameworks import LinkKey, resolve_links
from progression.services.evidence_models import (
    KINDS,
    EvidenceCreate,
    EvidenceRead,
    LinkRead,
    framework_label,
)


def _file_found(file_path: str | None) -> bool:
    if not file_path:
        return False
    try:
        return Path(file_path).expanduser().exists()
    except OSError:
        return False


def read_evidence(session: Session, items: list[Evidence]) -> list[EvidenceRead]:
    """Read models for evidence rows, with their links, acceptor and whether a request offers them."""
    ids = [e.id for e in items]
    links: dict[int, list[LinkRead]] = {i: [] for i in ids if i is not None}
    rows = session.exec(
        select(EvidenceLink.evidence_id, Capability, Framework, FrameworkLevel)
        .join(Capability, col(Capability.id) == EvidenceLink.capability_id)
        .join(Framework, col(Framework.id) == Capability.framework_id)
        .outerjoin(FrameworkLevel, col(FrameworkLevel.id) == EvidenceLink.level_id)
        .where(col(EvidenceLink.evidence_id).in_(ids))
    ).all()
    order = sorted(
        rows, key=lambda r: (r[2].key != "pcf", r[2].key.casefold(), r[1].position, r[3].position if r[3] else -1)
    )
    for evidence_id, capability, framework, level in order:
        links[evidence_id].append(
            LinkRead(
                framework=framework.key,
                framework_label=framework_label(framework.key, framework.kind),
                version=framework.version,
                code=capability.code,
                title=capability.title,
                level=level.key if level else None,
                level_title=level.title if level else None,
            )
        )
    offered = set(session.exec(select(RequestEvidence.evidence_id).where(col(RequestEvidence.evidence_id).in_(ids))))
    people_ids = {e.accepted_by_id for e in items if e.accepted_by_id} | {e.worker_id for e in items}
    people = {w.id: w for w in session.exec(select(Worker).where(col(Worker.id).in_(people_ids)))}
    out = []
    for e in items:
        by = people.get(e.accepted_by_id) if e.accepted_by_id else None
        out.append(
            EvidenceRead(
                id=e.id or 0,
                staff_id=people[e.worker_id].staff_id,
                title=e.title,
                happened_on=e.happened_on,
                kind=e.kind,
                reflection=e.reflection,
                file_path=e.file_path,
                file_found=_file_found(e.file_path),
                accepted=e.accepted_on is not None,
                accepted_by_name=by.name if by else None,
                accepted_by_staff_id=by.staff_id if by else None,
                accepted_on=e.accepted_on,
                offered=e.id in offered,
                links=links.get(e.id or 0, []),
            )
        )
    return out


def evidence_of(session: Session, worker: Worker) -> list[EvidenceRead]:
    """A worker's evidence, newest first."""
    items = session.exec(
        select(Evidence)
        .where(Evidence.worker_id == worker.id)
        .order_by(col(Evidence.happened_on).desc(), col(Evidence.id).desc())
    ).all()
    return read_evidence(session, list(items))


def list_evidence(engine: Engine, actor: Actor, staff_id: str) -> list[EvidenceRead]:
    """A worker's evidence, newest first: for the worker, their managers, their educators and admins."""
    with Session(engine) as session:
        return evidence_of(session, worker_to_read(session, actor, staff_id, "evidence"))


def _checked(session: Session, data: EvidenceCreate, today: date) -> tuple[dict[str, Any], list[LinkKey]]:
    """The validated fields and links, or an InputError naming every problem."""
    problems = ProblemList()
    title = data.title.strip()
    if not title:
        problems.add("title", "give the evidence a title")
    elif (why := free_text_issue(title, "title", Evidence, "title")) is not None or "\n" in title:
        problems.add("title", why or "the title is one line")
    if (why := free_text_issue(data.reflection.strip(), "reflection", Evidence, "reflection")) is not None:
        problems.add("reflection", why)
    if data.happened_on is None:
        problems.add("happened_on", "say when it happened")
    elif data.happened_on > today:
        problems.add("happened_on", f"{data.happened_on} is in the future (today is {today})")
    if data.kind not in KINDS:
        problems.add("kind", f"'{data.kind}' is not a kind of evidence; use one of {', '.join(KINDS)}")
    links = resolve_links(session, data.links, data.happened_on or today, problems)
    problems.raise_if_any()
    file_path = (data.file_path or "").strip() or None
    fields = {
        "title": title,
        "happened_on": data.happened_on,
        "kind": data.kind,
        "reflection": data.reflection.strip(),
        "file_path": file_path,
    }
    return fields, links


def _links_of(session: Session, evidence_id: int) -> list[LinkKey]:
    rows = session.exec(select(EvidenceLink).where(EvidenceLink.evidence_id == evidence_id)).all()
    return [(link.capability_id, link.level_id) for link in rows]


def add_evidence(engine: Engine, actor: Actor, staff_id: str, data: EvidenceCreate, today: date) -> EvidenceRead:
    """Record a piece of evidence for a worker (only the worker themselves, or an admin).

    Raises:
        InputError: a field or link is wrong; every problem is named.
    """
    with Session(engine) as session:
        worker = worker_to_edit(session, actor, staff_id, "evidence")
        fields, links = _checked(session, data, today)
        evidence = Evidence(worker_id=worker.id or 0, **fields)
        session.add(evidence)
        session.flush()
        for capability_id, level_id in links:
            session.add(EvidenceLink(evidence_id=evidence.id or 0, capability_id=capability_id, level_id=level_id))
        record(
            session, actor, "create", "evidence", evidence.id, after={"staff_id": staff_id, **fields, "links": links}
        )
        session.commit()
        return read_evidence(session, [evidence])[0]


def _owned(session: Session, actor: Actor, evidence_id: int, what: str) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(f"No evidence has id {evidence_id}.")
    owner = session.get_one(Worker, evidence.worker_id)
    worker_to_edit(session, actor, owner.staff_id, what)
    return evidence


def edit_evidence(engine: Engine, actor: Actor, evidence_id: int, data: EvidenceCreate, today: date) -> EvidenceRead:
    """Change a piece of evidence (its owner, or an admin). A change to accepted evidence clears the acceptance,
    so a reviewer looks at it again; the audit entry says so."""
    with Session(engine) as session:
        evidence = _owned(session, actor, evidence_id, "evidence")
        fields, links = _checked(session, data, today)
        old_links = _links_of(session, evidence_id)
        before = {k: getattr(evidence, k) for k in fields}
        changed = {k: v for k, v in fields.items() if before[k] != v}
        if not changed and set(links) == set(old_links):
            return read_evidence(session, [evidence])[0]
        after: dict[str, Any] = dict(changed)
        before = {k: before[k] for k in changed}
        if set(links) != set(old_links):
            before["links"], after["links"] = old_links, links
            session.exec(delete(EvidenceLink).where(col(EvidenceLink.evidence_id) == evidence_id))  # type: ignore[call-overload]
            for capability_id, level_id in links:
                session.add(EvidenceLink(evidence_id=evidence_id, capability_id=capability_id, level_id=level_id))
        if evidence.accepted_on is not None:
            before.update(accepted_by_id=evidence.accepted_by_id, accepted_on=evidence.accepted_on)
            after.update(accepted_by_id=None, accepted_on=None, acceptance_cleared="edited after acceptance")
            evidence.accepted_by_id, evidence.accepted_on = None, None
        for key, value in changed.items():
            setattr(evidence, key, value)
        session.add(evidence)
        record(session, actor, "update", "evidence", evidence_id, before=before, after=after)
        session.commit()
        return read_evidence(session, [evidence])[0]


def remove_evidence(engine: Engine, actor: Actor, evidence_id: int) -> None:
    """Remove a piece of evidence and its links (its owner, or an admin).

    Raises:
        InputError: the evidence was offered with a progression request, which must keep it.
    """
    with Session(engine) as session:
        evidence = _owned(session, actor, evidence_id, "evidence")
        request_id = session.exec(
            select(RequestEvidence.request_id).where(RequestEvidence.evidence_id == evidence_id)
        ).first()
        if request_id is not None:
            raise InputError(
                Problem(
                    "evidence",
                    f"'{evidence.title}' was offered with progression request {request_id}, so it cannot be removed",
                )
            )
        before = {k: getattr(evidence, k) for k in ("title", "happened_on", "kind", "file_path", "accepted_on")}
        before["links"] = _links_of(session, evidence_id)
        session.exec(delete(EvidenceLink).where(col(EvidenceLink.evidence_id) == evidence_id))  # type: ignore[call-overload]
        session.delete(evidence)
        record(session, actor, "delete", "evidence", evidence_id, before=before)
        session.commit()


def _reviewed(session: Session, actor: Actor, evidence_id: int, what: str) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(f"No evidence has id {evidence_id}.")
    owner = session.get_one(Worker, evidence.worker_id)
    worker_to_review(session, actor, owner.staff_id, what)
    return evidence


def accept_evidence(engine: Engine, actor: Actor, evidence_id: int, today: date) -> EvidenceRead:
    """Accept a piece of evidence on `today`: the worker's line manager, an assigned educator or an admin.

    Raises:
        AccessDenied: the actor is not a reviewer of the worker (the worker never is).
        Conflict: it is already accepted.
    """
    with Session(engine) as session:
        evidence = _reviewed(session, actor, evidence_id, "accept evidence")
        if evidence.accepted_on is not None:
            by = session.get(Worker, evidence.accepted_by_id) if evidence.accepted_by_id else None
            who = f" by {by.name}" if by else ""
            raise Conflict(f"'{evidence.title}' was already accepted{who} on {evidence.accepted_on}.")
        evidence.accepted_by_id, evidence.accepted_on = actor.worker_id, today
        session.add(evidence)
        record(
            session,
            actor,
            "accept",
            "evidence",
            evidence_id,
            after={"accepted_on": today, "accepted_by": actor.staff_id},
        )
        session.commit()
        return read_evidence(session, [evidence])[0]


def unaccept_evidence(engine: Engine, actor: Actor, evidence_id: int) -> EvidenceRead:
    """Withdraw the acceptance of a piece of evidence (a reviewer of the worker, as for accepting).

    Raises:
        Conflict: it is not accepted.
    """
    with Session(engine) as session:
        evidence = _reviewed(session, actor, evidence_id, "withdraw the acceptance of evidence")
        if evidence.accepted_on is None:
            raise Conflict(f"'{evidence.title}' is not accepted, so there is no acceptance to withdraw.")
        before = {"accepted_by_id": evidence.accepted_by_id, "accepted_on": evidence.accepted_on}
        evidence.accepted_by_id, evidence.accepted_on = None, None
        session.add(evidence)
        record(session, actor, "unaccept", "evidence", evidence_id, before=before, after={"accepted_on": None})
        session.commit()
        return read_evidence(session, [evidence])[0]
