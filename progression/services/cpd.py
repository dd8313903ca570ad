"""CPD in Social Work England's shape: a registration year's records, its status, edits and the regulator's draft."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.engine.cpd import cpd_status, registered_social_worker
from progression.engine.facts import CpdRecordFact
from progression.engine.supervision import kind_of_worker
from progression.errors import AccessDenied, NotFound, ProblemList
from progression.fields import free_text_issue
from progression.models import CpdRecord, Role, Route, Worker
from progression.reference import reference
from progression.services.actor import Actor, worker_to_edit, worker_to_read
from progression.services.audit import record, record_refusal

KINDS = ("course", "reading", "supervision", "peer discussion", "research", "shadowing", "other")
"""The kinds of CPD activity a record may be."""
FIELDS = ("kind", "day", "title", "what_and_why", "learnt", "impact", "peer_reflection", "peer_reflection_with")


class CpdInput(BaseModel):
    """A CPD record as typed: Social Work England asks what was done and why, what was learnt, and the impact."""

    kind: str
    day: date | None
    title: str
    what_and_why: str = ""
    learnt: str = ""
    impact: str = ""
    peer_reflection: bool = False
    peer_reflection_with: str = ""


class CpdRecordRead(BaseModel):
    id: int
    staff_id: str
    day: date
    kind: str
    title: str
    what_and_why: str
    learnt: str
    impact: str
    peer_reflection: bool
    peer_reflection_with: str


class CpdStatusRead(BaseModel):
    """Where the year stands against the regulator's minimum, from the engine."""

    records: int
    records_needed: int
    peer_reflection_records: int
    peer_reflection_needed: int
    days_left: int
    """Days from `on` to the last day of the registration year (0 on 30 November)."""
    compliant: bool
    met_on: date | None
    grace_until: date | None
    missing: str
    """What is still needed, in words ('' when compliant)."""


WHAT_APPLIES = {
    "apprentice": (
        "a social work degree apprentice, not yet a registered social worker",
        "the apprenticeship's off-the-job learning and progress reviews, kept with their educator, and their "
        "development plan (3 Plan); CPD begins once they register after qualifying",
    ),
    "student": (
        "a social work student, not yet a registered social worker",
        "the placement's learning and the practice educator's assessment, and their development plan (3 Plan); "
        "CPD begins once they register after qualifying",
    ),
    "other": (
        "not a registered social worker",
        "their development plan (3 Plan) and supervision (6 Supervision)",
    ),
}
"""For each kind of worker to whom Social Work England CPD does not apply: what they are, and what applies."""


@dataclass(frozen=True, slots=True)
class Standing:
    """Whom a worker's rules apply to on a date: the one definition, read from their record."""

    registered: bool
    """A registered social worker (`registered_social_worker`): Social Work England CPD applies."""
    kind: str
    """The kind of worker a supervision schedule is for (`kind_of_worker`)."""


def standing_from(
    *, pcf_level: str | None, route_kind: str | None, qualified_on: date | None, swe_number: str | None, on: date
) -> Standing:
    """Whom a worker's rules apply to, from the facts that decide it: the one definition, shared by every screen,
    command and report (the worker's status, their supervision record and the manager's team)."""
    registered = registered_social_worker(
        pcf_level=pcf_level, qualified_on=qualified_on, swe_number=swe_number, on=on, reference=reference()
    )
    return Standing(registered, kind_of_worker(registered=registered, pcf_level=pcf_level, route_kind=route_kind))


def standing_of(session: Session, worker: Worker, on: date) -> Standing:
    """Whether the worker is a registered social worker on `on`, and which kind of worker they are, from their
    role's PCF level and route, their qualification date and their Social Work England number."""
    role = session.get_one(Role, worker.role_id)
    route = session.get(Route, role.route_id)
    return standing_from(
        pcf_level=role.pcf_level,
        route_kind=route.kind if route else None,
        qualified_on=worker.qualified_on,
        swe_number=worker.swe_number,
        on=on,
    )


def not_applicable(name: str, kind: str) -> str:
    """In words, that Social Work England CPD does not apply to a worker of this kind, and what does."""
    what, instead = WHAT_APPLIES.get(kind, WHAT_APPLIES["other"])
    return (
        f"Social Work England CPD applies to registered social workers only, and {name} is {what}, so it does "
        f"not apply. What applies instead: {instead}."
    )


class CpdYearRead(BaseModel):
    """One registration year of a worker's CPD, with the year before it for context."""

    staff_id: str
    name: str
    on: date
    year_start: date
    year_end: date
    label: str
    """The year as people write it, e.g. '2025–26'."""
    status: CpdStatusRead
    records: list[CpdRecordRead]
    """This year's records, newest first."""
    previous_label: str
    previous_records: list[CpdRecordRead]
    standard: str
    """The professional standard CPD records are linked to, e.g. 'Standard 4: Maintain my … development'."""
    can_edit: bool
    """Whether the actor may add, change and remove these records (the worker themselves, or an admin)."""
    applies: bool = True
    """Whether Social Work England CPD applies: the worker is a registered social worker on `on`."""
    not_applicable: str = ""
    """When it does not apply: that it does not, and what applies instead, in words ('' when it applies)."""


@contextmanager
def refusals_recorded(engine: Engine, actor: Actor) -> Iterator[None]:
    """Record a refused action in the audit log (in its own unit of work), then let the refusal through."""
    try:
        yield
    except AccessDenied as exc:
        record_refusal(engine, actor, str(exc))
        raise


def year_label(start: date) -> str:
    """A registration year starting on `start`, as '2025–26'."""
    return f"{start.year}–{(start.year + 1) % 100:02d}"


def long_date(day: date) -> str:
    """A date as '30 November 2026'."""
    return f"{day.day} {day:%B %Y}"


def _read(record_: CpdRecord, staff_id: str) -> CpdRecordRead:
    return CpdRecordRead(id=record_.id or 0, staff_id=staff_id, **{f: getattr(record_, f) for f in FIELDS})


def _records(session: Session, worker: Worker, start: date, end: date) -> list[CpdRecord]:
    days = col(CpdRecord.day)
    query = select(CpdRecord).where(CpdRecord.worker_id == worker.id, days >= start, days <= end)
    return list(session.exec(query.order_by(days.desc(), col(CpdRecord.id).desc())))


def standard_line(on: date) -> str:
    """The professional standard the CPD rule in force on `on` links records to, as 'Standard 4: title'."""
    data = reference()
    ref = data.cpd_rule_on(on).standard
    framework = data.frameworks.get(ref.framework) if ref else None
    capability = framework.capability(ref.code) if framework and ref else None
    if capability is None:
        return ""
    return f"Standard {capability.number or capability.code}: {capability.title}"


def cpd_year(engine: Engine, actor: Actor, staff_id: str, on: date) -> CpdYearRead:
    """The registration year containing `on`: its records, its status on `on`, and the year before's records.

    Raises:
        AccessDenied: the actor may not see this worker's records.
    """
    data = reference()
    with refusals_recorded(engine, actor), Session(engine) as session:
        worker = worker_to_read(session, actor, staff_id, "CPD")
        start, end = data.registration_year(on)
        previous_start, previous_end = data.registration_year(start - timedelta(days=1))
        rows = _records(session, worker, start, end)
        previous = _records(session, worker, previous_start, previous_end)
        can_edit = actor.is_admin or actor.worker_id == worker.id
        name = worker.name
        standing = standing_of(session, worker, on)
    status = cpd_status([CpdRecordFact(r.day, r.peer_reflection) for r in rows], on, data)
    return CpdYearRead(
        staff_id=staff_id,
        name=name,
        on=on,
        year_start=start,
        year_end=end,
        label=year_label(start),
        status=CpdStatusRead(**{f: getattr(status, f) for f in CpdStatusRead.model_fields}),
        records=[_read(r, staff_id) for r in rows],
        previous_label=year_label(previous_start),
        previous_records=[_read(r, staff_id) for r in previous],
        standard=standard_line(on),
        can_edit=can_edit,
        applies=standing.registered,
        not_applicable="" if standing.registered else not_applicable(name, standing.kind),
    )


def _checked(data: CpdInput, today: date) -> dict[str, Any]:
    """The validated fields, or an InputError naming every problem."""
    problems = ProblemList()
    if data.kind not in KINDS:
        problems.add("kind", f"'{data.kind}' is not a kind of CPD; use one of {', '.join(KINDS)}")
    if data.day is None:
        problems.add("day", "say when the activity took place")
    elif data.day > today:
        problems.add("day", f"{data.day} is in the future (today is {today})")
    title = data.title.strip()
    if not title:
        problems.add("title", "give the activity a title")
    elif (why := free_text_issue(title, "title", CpdRecord, "title")) is not None or "\n" in title:
        problems.add("title", why or "the title is one line")
    asks = {
        "what_and_why": "what you did and why",
        "learnt": "what you learnt",
        "impact": "the impact on your practice",
    }
    texts = {name: getattr(data, name).strip() for name in asks}
    for name, text in texts.items():
        if not text:
            problems.add(name, f"say {asks[name]}: Social Work England asks for it")
        elif (why := free_text_issue(text, "reflection", CpdRecord, name)) is not None:
            problems.add(name, why)
    with_whom = data.peer_reflection_with.strip() if data.peer_reflection else ""
    if data.peer_reflection and not with_whom:
        problems.add("peer_reflection_with", "say who you reflected with (a colleague, a group, your supervisor)")
    elif (why := free_text_issue(with_whom, "title", CpdRecord, "peer_reflection_with")) is not None:
        problems.add("peer_reflection_with", why)
    problems.raise_if_any()
    return {
        "kind": data.kind,
        "day": data.day,
        "title": title,
        **texts,
        "peer_reflection": data.peer_reflection,
        "peer_reflection_with": with_whom,
    }


def _owned(session: Session, actor: Actor, record_id: int) -> tuple[CpdRecord, Worker]:
    cpd = session.get(CpdRecord, record_id)
    if cpd is None:
        raise NotFound(f"No CPD record has id {record_id}.")
    owner = session.get_one(Worker, cpd.worker_id)
    return cpd, worker_to_edit(session, actor, owner.staff_id, "CPD")


def add_cpd(engine: Engine, actor: Actor, staff_id: str, data: CpdInput, today: date) -> CpdRecordRead:
    """Record a CPD activity (the worker themselves, or an admin).

    Raises:
        AccessDenied: the actor may not change this worker's CPD.
        InputError: a field is wrong; every problem is named.
    """
    with refusals_recorded(engine, actor), Session(engine) as session:
        worker = worker_to_edit(session, actor, staff_id, "CPD")
        fields = _checked(data, today)
        cpd = CpdRecord(worker_id=worker.id or 0, **fields)
        session.add(cpd)
        session.flush()
        record(session, actor, "create", "cpd_record", cpd.id, after={"staff_id": staff_id, **fields})
        session.commit()
        return _read(cpd, staff_id)


def edit_cpd(engine: Engine, actor: Actor, record_id: int, data: CpdInput, today: date) -> CpdRecordRead:
    """Change a CPD record (its owner, or an admin); the audit entry holds what changed.

    Raises:
        NotFound: no record has this id.
        AccessDenied: the actor may not change this worker's CPD.
        InputError: a field is wrong; every problem is named.
    """
    with refusals_recorded(engine, actor), Session(engine) as session:
        cpd, owner = _owned(session, actor, record_id)
        fields = _checked(data, today)
        changed = {k: v for k, v in fields.items() if getattr(cpd, k) != v}
        if changed:
            before = {k: getattr(cpd, k) for k in changed}
            for key, value in changed.items():
                setattr(cpd, key, value)
            session.add(cpd)
            record(session, actor, "update", "cpd_record", record_id, before=before, after=changed)
            session.commit()
        return _read(cpd, owner.staff_id)


def remove_cpd(engine: Engine, actor: Actor, record_id: int) -> None:
    """Remove a CPD record (its owner, or an admin); the audit entry keeps what it said.

    Raises:
        NotFound: no record has this id.
        AccessDenied: the actor may not change this worker's CPD.
    """
    with refusals_recorded(engine, actor), Session(engine) as session:
        cpd, owner = _owned(session, actor, record_id)
        before = {"staff_id": owner.staff_id, **{f: getattr(cpd, f) for f in FIELDS}}
        session.delete(cpd)
        record(session, actor, "delete", "cpd_record", record_id, before=before)
        session.commit()


def _block(number: int, total: int, cpd: CpdRecordRead) -> str:
    peer = f"Yes, with {cpd.peer_reflection_with}" if cpd.peer_reflection else "No"
    return "\n".join(
        [
            f"Record {number} of {total}",
            f"Activity: {cpd.title} ({cpd.kind})",
            f"Date: {long_date(cpd.day)}",
            f"What I did and why: {cpd.what_and_why}",
            f"What I learnt: {cpd.learnt}",
            f"Impact on my practice: {cpd.impact}",
            f"Peer reflection: {peer}",
        ]
    )


def cpd_draft(engine: Engine, actor: Actor, staff_id: str, on: date) -> str:
    """The registration year's records as plain text to paste into Social Work England's form, oldest first,
    one block per record, with the professional standard they are linked to.

    Raises:
        AccessDenied: the actor may not see this worker's records.
    """
    year = cpd_year(engine, actor, staff_id, on)
    records = sorted(year.records, key=lambda r: (r.day, r.id))
    head = [
        f"CPD for {year.name} ({year.staff_id}), Social Work England registration year {year.label} "
        f"({long_date(year.year_start)} to {long_date(year.year_end)})",
    ]
    if not year.applies:
        head.append(year.not_applicable)
    elif year.standard:
        head.append(
            f"These records show how I meet Social Work England professional {year.standard[0].lower()}"
            f"{year.standard[1:]}."
        )
    if not records:
        head.append("No CPD is recorded for this year yet.")
    blocks = [_block(i, len(records), r) for i, r in enumerate(records, start=1)]
    return "\n\n".join(["\n".join(head), *blocks]) + "\n"
