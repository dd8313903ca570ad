"""Importing enrolments and off-the-job hours from CSV, all-or-nothing, with `FILE:LINE: column: problem`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.dates import add_months
from progression.errors import InputError, Problem
from progression.models import (
    ApprenticeshipStandard,
    Enrolment,
    EnrolmentStatusChange,
    OtjEntry,
    Programme,
    Worker,
)
from progression.reference import reference
from progression.services.actor import Actor, require_admin
from progression.services.audit import record
from progression.tables import read_table

ENROLMENT_REQUIRED = ("staff_id", "programme", "start")
ENROLMENT_COLUMNS = (
    "staff_id",
    "programme",
    "version",
    "start",
    "planned_end",
    "educator",
    "contracted_hours",
    "otj_hours_required",
)
OTJ_REQUIRED = ("staff_id", "programme", "date", "hours")
OTJ_COLUMNS = ("staff_id", "programme", "date", "hours", "activity", "verified")
LEARNER_PROGRAMMES = ("asye", "ecdp", "placement")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self, name: str, what: str) -> str:
        return f"{name}: {self.created} {what} added, {self.updated} updated, {self.unchanged} unchanged"


def _date(text: str, place: str, problems: list[Problem], required: bool = True) -> date | None:
    if not text:
        if required:
            problems.append(Problem(place, "required but empty"))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(place, f"'{text}' is not a date (use YYYY-MM-DD)"))
        return None


def _number(text: str, place: str, problems: list[Problem]) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        problems.append(Problem(place, f"'{text}' is not a number"))
        return None


def import_enrolments(engine: Engine, actor: Actor, path: Path) -> Counts:
    """Enrol workers on apprenticeship standards (by reference and version), the ASYE, the ECDP or placements.

    A row matching an existing enrolment (same worker, programme and start) updates it.
    """
    require_admin(actor, "import enrolments")
    table = read_table(path, required=ENROLMENT_REQUIRED, known=ENROLMENT_COLUMNS)
    problems: list[Problem] = []
    with Session(engine) as session:
        workers = {w.staff_id: w for w in session.exec(select(Worker))}
        programmes = {p.key: p for p in session.exec(select(Programme))}
        standards = {(s.reference, s.version): s for s in session.exec(select(ApprenticeshipStandard))}
        rows = []
        for row in table.rows:
            at = lambda column, line=row.line: table.place(line, column)  # noqa: E731
            staff_id, key, version = row.get("staff_id"), row.get("programme"), row.get("version")
            if staff_id not in workers:
                problems.append(Problem(at("staff_id"), f"no worker has staff id '{staff_id}'"))
            standard = None
            if key.upper().startswith("ST") or key.upper().startswith("FA"):
                versions = sorted(v for r, v in standards if r == key)
                if not versions:
                    problems.append(
                        Problem(
                            at("programme"),
                            f"unknown apprenticeship standard '{key}' (import the standards export first)",
                        )
                    )
                elif not version:
                    problems.append(
                        Problem(at("version"), f"required for a standard ({key} has {', '.join(versions)})")
                    )
                elif (key, version) not in standards:
                    problems.append(
                        Problem(at("version"), f"{key} has no version '{version}' (known: {', '.join(versions)})")
                    )
                else:
                    standard = standards[(key, version)]
            elif key not in LEARNER_PROGRAMMES:
                problems.append(
                    Problem(
                        at("programme"),
                        f"'{key}' is not a standard reference or one of {', '.join(LEARNER_PROGRAMMES)}",
                    )
                )
            start = _date(row.get("start"), at("start"), problems)
            planned_end = _date(row.get("planned_end"), at("planned_end"), problems, required=False)
            if start and planned_end and planned_end <= start:
                problems.append(Problem(at("planned_end"), f"{planned_end} is not after the start {start}"))
            if standard is not None and start and planned_end:
                rule = reference().otj_rule_for_start(start)
                if rule.min_duration_months and planned_end < add_months(start, rule.min_duration_months):
                    problems.append(
                        Problem(
                            at("planned_end"),
                            f"an apprenticeship starting {start} lasts at least {rule.min_duration_months} months",
                        )
                    )
            educator = row.get("educator")
            if educator and educator not in workers:
                problems.append(Problem(at("educator"), f"no worker has staff id '{educator}'"))
            hours = _number(row.get("contracted_hours"), at("contracted_hours"), problems)
            if hours is not None and not 0 < hours <= 60:
                problems.append(Problem(at("contracted_hours"), f"{hours:g} is not a number of hours a week (0 to 60)"))
            stated = _number(row.get("otj_hours_required"), at("otj_hours_required"), problems)
            if stated is not None and stated <= 0:
                problems.append(Problem(at("otj_hours_required"), f"{stated:g} is not a number of hours"))
            rows.append((staff_id, key, standard, start, planned_end, educator, hours, stated))
        if not table.rows:
            problems.append(Problem(path.name, "no enrolments in the file"))
        if problems:
            raise InputError(problems)
        counts = Counts()
        existing = {(e.worker_id, e.programme_id, e.start_on): e for e in session.exec(select(Enrolment))}
        for staff_id, key, standard, start, planned_end, educator, hours, stated in rows:
            programme = programmes.get(key)
            if programme is None:
                programme = programmes[key] = Programme(
                    key=key, title=standard.title if standard else key, kind="apprenticeship"
                )
                session.add(programme)
                session.flush()
            worker = workers[staff_id]
            if planned_end is None:
                months = (standard.typical_duration_months if standard else programme.duration_months) or 12
                planned_end = add_months(start, months)  # type: ignore[arg-type]
            values = {
                "standard_id": standard.id if standard else None,
                "planned_end_on": planned_end,
                "educator_id": workers[educator].id if educator else None,
                "contracted_hours": hours,
                "otj_hours_required": stated,
            }
            enrolment = existing.get((worker.id, programme.id, start))
            if enrolment is None:
                enrolment = Enrolment(
                    worker_id=worker.id,
                    programme_id=programme.id,
                    start_on=start,  # type: ignore[arg-type]
                    status="active",
                    **values,
                )
                session.add(enrolment)
                session.flush()
                session.add(
                    EnrolmentStatusChange(
                        enrolment_id=enrolment.id,
                        status="active",
                        day=start,  # type: ignore[arg-type]
                        by_id=actor.worker_id,
                        note="Enrolled by import",
                    )
                )
                counts.created += 1
                record(
                    session,
                    actor,
                    "enrol",
                    "enrolment",
                    enrolment.id,
                    after={"staff_id": staff_id, "programme": key, **values, "start_on": start},
                )
                continue
            changed = {k: v for k, v in values.items() if getattr(enrolment, k) != v}
            if not changed:
                counts.unchanged += 1
                continue
            before = {k: getattr(enrolment, k) for k in changed}
            for k, v in changed.items():
                setattr(enrolment, k, v)
            session.add(enrolment)
            counts.updated += 1
            record(session, actor, "update", "enrolment", enrolment.id, before=before, after=changed)
        session.commit()
        return counts


def _breaks(session: Session, enrolment_ids: list[int]) -> dict[int, list[tuple[date, date | None]]]:
    """Each enrolment's breaks in learning, from its dated status changes."""
    changes: dict[int, list[EnrolmentStatusChange]] = defaultdict(list)
    for change in session.exec(
        select(EnrolmentStatusChange)
        .where(col(EnrolmentStatusChange.enrolment_id).in_(enrolment_ids))
        .order_by(col(EnrolmentStatusChange.day))
    ):
        changes[change.enrolment_id].append(change)
    out: dict[int, list[tuple[date, date | None]]] = {}
    for enrolment_id, items in changes.items():
        spans, opened = [], None
        for change in items:
            if change.status == "break" and opened is None:
                opened = change.day
            elif change.status != "break" and opened is not None:
                spans.append((opened, change.day))
                opened = None
        if opened is not None:
            spans.append((opened, None))
        out[enrolment_id] = spans
    return out


def import_otj(engine: Engine, actor: Actor, path: Path, today: date) -> Counts:
    """Import off-the-job hours; `verified: yes` marks them verified by the importer. All-or-nothing.

    Refused: hours not above 0 or over 24 in a day, a date before the start, during a break in learning or
    after today, and a worker with no enrolment on the programme.
    """
    require_admin(actor, "import off-the-job hours")
    table = read_table(path, required=OTJ_REQUIRED, known=OTJ_COLUMNS)
    problems: list[Problem] = []
    with Session(engine) as session:
        workers = {w.staff_id: w.id for w in session.exec(select(Worker))}
        enrolments: dict[tuple[int, str], list[Enrolment]] = defaultdict(list)
        for enrolment, key in session.exec(
            select(Enrolment, Programme.key).join(Programme).where(col(Enrolment.start_on).is_not(None))
        ):
            enrolments[(enrolment.worker_id, key)].append(enrolment)
        breaks = _breaks(session, [e.id for items in enrolments.values() for e in items])  # type: ignore[misc]
        day_totals: dict[tuple[int, date], float] = defaultdict(float)
        for enrolment_id, day, hours in session.exec(select(OtjEntry.enrolment_id, OtjEntry.day, OtjEntry.hours)):
            day_totals[(enrolment_id, day)] += hours
        existing = {(e.enrolment_id, e.day, e.hours, e.activity) for e in session.exec(select(OtjEntry))}
        entries = []
        for row in table.rows:
            at = lambda column, line=row.line: table.place(line, column)  # noqa: E731
            before = len(problems)
            staff_id, key = row.get("staff_id"), row.get("programme")
            day = _date(row.get("date"), at("date"), problems)
            hours = _number(row.get("hours"), at("hours"), problems)
            if row.get("hours") == "":
                problems.append(Problem(at("hours"), "required but empty"))
            verified_text = row.get("verified").lower()
            if verified_text not in ("", "yes", "no"):
                problems.append(Problem(at("verified"), f"'{row.get('verified')}' is not yes or no"))
            if hours is not None and not 0 < hours <= 24:
                problems.append(Problem(at("hours"), f"{hours:g} hours is not between 0 and 24 in a day"))
            worker_id = workers.get(staff_id)
            if worker_id is None:
                problems.append(Problem(at("staff_id"), f"no worker has staff id '{staff_id}'"))
                continue
            candidates = sorted(enrolments.get((worker_id, key), []), key=lambda e: e.start_on)  # type: ignore[arg-type,return-value]
            if not candidates:
                problems.append(Problem(at("programme"), f"{staff_id} is not enrolled on '{key}'"))
                continue
            if day is None or hours is None or len(problems) > before:
                continue
            started = [e for e in candidates if e.start_on <= day]  # type: ignore[operator]
            if not started:
                problems.append(
                    Problem(at("date"), f"{day} is before {staff_id} started {key} on {candidates[0].start_on}")
                )
                continue
            enrolment = started[-1]
            if day > today:
                problems.append(Problem(at("date"), f"{day} is in the future"))
                continue
            paused = next(
                ((s, e) for s, e in breaks.get(enrolment.id, []) if s <= day and (e is None or day < e)), None
            )  # type: ignore[arg-type]
            if paused is not None:
                problems.append(Problem(at("date"), f"{day} falls in a break in learning (from {paused[0]})"))
                continue
            day_totals[(enrolment.id, day)] += hours  # type: ignore[index]
            if day_totals[(enrolment.id, day)] > 24:  # type: ignore[index]
                problems.append(
                    Problem(
                        at("hours"),
                        f"{day_totals[(enrolment.id, day)]:g} hours on {day} in all: "  # type: ignore[index]
                        "more than 24 in a day",
                    )
                )
                continue
            entries.append((enrolment, day, hours, row.get("activity"), verified_text == "yes"))
        if not table.rows:
            problems.append(Problem(path.name, "no entries in the file"))
        if problems:
            raise InputError(problems)
        counts = Counts()
        for enrolment, day, hours, activity, verified in entries:
            if (enrolment.id, day, hours, activity) in existing:
                counts.unchanged += 1
                continue
            session.add(
                OtjEntry(
                    enrolment_id=enrolment.id,
                    day=day,
                    hours=hours,
                    activity=activity,  # type: ignore[arg-type]
                    verified_by_id=actor.worker_id if verified else None,
                    verified_on=today if verified else None,
                )
            )
            counts.created += 1
        record(session, actor, "import", "otj_entry", path.name, after={"created": counts.created, "file": path.name})
        session.commit()
        return counts
