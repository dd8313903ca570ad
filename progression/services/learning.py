"""Importing enrolments and off-the-job hours from CSV, all-or-nothing, with `FILE:LINE: column: problem`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.dates import add_months
from progression.fields import column_limit
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
from progression.services.tables_out import counted
from progression.tables import Cells, Findings, read_table

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
    fields: Counter[str] = field(default_factory=Counter)
    """How many of the updated records had each column's field changed."""

    def summary(self, name: str, what: str) -> str:
        """`what` is the plural noun ("enrolments", "entries"): one record is named in the singular."""
        singular = what[:-3] + "y" if what.endswith("ies") else what.removesuffix("s")
        changed = ", ".join(f"{column}: {n}" for column, n in self.fields.items() if n)
        return (
            f"{name}: {counted(self.created, singular, what)} added, {self.updated:,} updated"
            + (f" ({changed})" if changed else "")
            + f", {self.unchanged:,} unchanged"
        )


MAX_OTJ_HOURS_REQUIRED = 10_000.0
"""No apprenticeship asks for more off-the-job hours than this (20% of a 60-hour week for six years is under
4,000)."""
ENROLMENT_FIELDS = {
    "standard_id": "version",
    "planned_end_on": "planned_end",
    "educator_id": "educator",
    "contracted_hours": "contracted_hours",
    "otj_hours_required": "otj_hours_required",
}
"""Each enrolment field and the column it comes from, as the summary names it."""


@dataclass
class EnrolmentRow:
    line: int
    staff_id: str
    key: str
    standard: ApprenticeshipStandard | None
    start: date
    given: dict[str, Any]
    """The optional values the file gives: a column it does not give is not here; a given None clears."""


def _check_enrolment(
    cells: Cells,
    workers: dict[str, Worker],
    standards: dict[tuple[str, str], ApprenticeshipStandard],
) -> EnrolmentRow | None:
    staff_limit = column_limit(Worker, "staff_id")
    staff_id = cells.text("staff_id", staff_limit, required=True)
    if staff_id is not None and staff_id not in workers:
        cells.bad("staff_id", f"no worker has staff id '{staff_id}'")
    key = cells.text("programme", column_limit(Programme, "key"), required=True)
    version = cells.text("version", column_limit(ApprenticeshipStandard, "version"))
    standard = None
    if key is None:
        pass
    elif key.upper().startswith("ST") or key.upper().startswith("FA"):
        versions = sorted(v for r, v in standards if r == key)
        if not versions:
            cells.bad("programme", f"unknown apprenticeship standard '{key}' (import the standards export first)")
        elif not cells.row.get("version"):
            cells.bad("version", f"required for a standard ({key} has {', '.join(versions)})")
        elif version is None:
            pass  # refused as text
        elif (key, version) not in standards:
            cells.bad("version", f"{key} has no version '{version}' (known: {', '.join(versions)})")
        else:
            standard = standards[(key, version)]
    elif key not in LEARNER_PROGRAMMES:
        cells.bad("programme", f"'{key}' is not a standard reference or one of {', '.join(LEARNER_PROGRAMMES)}")
    start = cells.day("start", required=True)
    given: dict[str, Any] = {}
    planned_end = cells.day("planned_end")
    if planned_end is not None:
        given["planned_end_on"] = planned_end
    if start and planned_end and planned_end <= start:
        cells.bad("planned_end", f"{planned_end} is not after the start {start}")
    learner = workers.get(staff_id) if staff_id else None
    if start and learner is not None and start < learner.employed_since:
        cells.bad(
            "start",
            f"{start} is before {staff_id} was employed ({learner.employed_since}): an enrolment with the council "
            "starts on or after the learner's service began (a programme completed with an earlier employer goes "
            "in the workers file's `completed` column)",
        )
    if standard is not None and start and planned_end:
        rule = reference().otj_rule_for_start(start)
        if rule.min_duration_months and planned_end < add_months(start, rule.min_duration_months):
            cells.bad(
                "planned_end", f"an apprenticeship starting {start} lasts at least {rule.min_duration_months} months"
            )
    if cells.present("educator"):
        educator = given["educator"] = cells.text("educator", staff_limit)
        if educator and educator not in workers:
            cells.bad("educator", f"no worker has staff id '{educator}'")
    hours = cells.number("contracted_hours", low=float("-inf"), high=float("inf"))
    if hours is not None:
        if not 0 < hours <= 60:
            cells.bad("contracted_hours", f"{hours:g} is not a number of hours a week (0 to 60)")
        given["contracted_hours"] = hours
    if cells.present("otj_hours_required"):
        stated = given["otj_hours_required"] = cells.number("otj_hours_required", low=float("-inf"), high=float("inf"))
        if stated is not None and not 0 < stated <= MAX_OTJ_HOURS_REQUIRED:
            cells.bad("otj_hours_required", f"{stated:g} is not a number of hours (0 to {MAX_OTJ_HOURS_REQUIRED:,.0f})")
    if not cells.ok or staff_id is None or key is None or start is None:
        return None
    return EnrolmentRow(cells.row.line, staff_id, key, standard, start, given)


def import_enrolments(engine: Engine, actor: Actor, path: Path) -> Counts:
    """Enrol workers on apprenticeship standards (by reference and version), the ASYE, the ECDP or placements.

    Refused, naming the line: a start before the learner's service with the council began (a programme completed
    with an earlier employer is a completion in the workers file), and a planned end not after the start.

    A row matching an existing enrolment (same worker, programme and start) updates it: an optional column the
    file does not have leaves its field as it is; an empty `educator` or `otj_hours_required` cell clears it, an
    empty `planned_end` or `contracted_hours` cell keeps it (a new enrolment ends after the standard's typical
    duration). The same enrolment twice in one file is refused naming both lines.
    """
    require_admin(actor, "import enrolments")
    table = read_table(path, required=ENROLMENT_REQUIRED, known=ENROLMENT_COLUMNS)
    findings = Findings(table)
    with Session(engine) as session:
        workers = {w.staff_id: w for w in session.exec(select(Worker))}
        programmes = {p.key: p for p in session.exec(select(Programme))}
        standards = {(s.reference, s.version): s for s in session.exec(select(ApprenticeshipStandard))}
        rows: list[EnrolmentRow] = []
        seen: dict[tuple[str, str, date], int] = {}
        for row in table.rows:
            item = _check_enrolment(Cells(findings, row), workers, standards)
            if item is None:
                continue
            first = seen.setdefault((item.staff_id, item.key, item.start), item.line)
            if first != item.line:
                findings.add(
                    item.line,
                    "start",
                    f"the same enrolment as line {first} ({item.staff_id} on {item.key} from {item.start}): "
                    "give each enrolment once",
                )
                continue
            rows.append(item)
        if not table.rows:
            findings.whole_file("no enrolments in the file")
        findings.raise_if_any()
        counts = Counts()
        existing: dict[tuple[int | None, int | None, date | None], Enrolment] = {
            (e.worker_id, e.programme_id, e.start_on): e for e in session.exec(select(Enrolment))
        }
        for item in rows:
            programme = programmes.get(item.key)
            standard = item.standard
            if programme is None:
                programme = programmes[item.key] = Programme(
                    key=item.key, title=standard.title if standard else item.key, kind="apprenticeship"
                )
                session.add(programme)
                session.flush()
            worker = workers[item.staff_id]
            enrolment = existing.get((worker.id, programme.id, item.start))
            values: dict[str, Any] = {"standard_id": standard.id if standard else None}
            for name in ("planned_end_on", "contracted_hours", "otj_hours_required"):
                if name in item.given:
                    values[name] = item.given[name]
            if "educator" in item.given:
                values["educator_id"] = workers[item.given["educator"]].id if item.given["educator"] else None
            if enrolment is None:
                if values.get("planned_end_on") is None:
                    months = (standard.typical_duration_months if standard else programme.duration_months) or 12
                    values["planned_end_on"] = add_months(item.start, months)
                assert worker.id is not None and programme.id is not None
                enrolment = Enrolment(
                    worker_id=worker.id, programme_id=programme.id, start_on=item.start, status="active", **values
                )
                session.add(enrolment)
                session.flush()
                assert enrolment.id is not None
                session.add(
                    EnrolmentStatusChange(
                        enrolment_id=enrolment.id,
                        status="active",
                        day=item.start,
                        by_id=actor.worker_id,
                        note="Enrolled by import",
                    )
                )
                existing[(worker.id, programme.id, item.start)] = enrolment
                counts.created += 1
                record(
                    session,
                    actor,
                    "enrol",
                    "enrolment",
                    enrolment.id,
                    after={"staff_id": item.staff_id, "programme": item.key, **values, "start_on": item.start},
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
            counts.fields.update(column for key, column in ENROLMENT_FIELDS.items() if key in changed)
            record(session, actor, "update", "enrolment", enrolment.id, before=before, after=changed)
        record(
            session,
            actor,
            "import",
            "enrolment",
            path.name,
            after={"file": path.name, "created": counts.created, "updated": counts.updated},
        )
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
        spans: list[tuple[date, date | None]] = []
        opened: date | None = None
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

    Refused: hours not above 0 or over 24 in a day (with what is already recorded), a date before the start,
    during a break in learning or after today, a worker with no enrolment on the programme, and the same entry
    (worker, programme, date, hours and activity) twice in one file. An entry already recorded is left as it is.
    """
    require_admin(actor, "import off-the-job hours")
    table = read_table(path, required=OTJ_REQUIRED, known=OTJ_COLUMNS)
    findings = Findings(table)
    with Session(engine) as session:
        workers = {w.staff_id: w.id for w in session.exec(select(Worker))}
        enrolments: dict[tuple[int, str], list[Enrolment]] = defaultdict(list)
        for enrolment, programme_key in session.exec(
            select(Enrolment, Programme.key).join(Programme).where(col(Enrolment.start_on).is_not(None))
        ):
            enrolments[(enrolment.worker_id, programme_key)].append(enrolment)
        breaks = _breaks(session, [e.id for items in enrolments.values() for e in items if e.id is not None])
        day_totals: dict[tuple[int, date], float] = defaultdict(float)
        existing: set[tuple[int, date, float, str]] = set()
        for entry in session.exec(select(OtjEntry)):
            day_totals[(entry.enrolment_id, entry.day)] += entry.hours
            existing.add((entry.enrolment_id, entry.day, entry.hours, entry.activity))
        entries: list[tuple[Enrolment, date, float, str, bool]] = []
        seen: dict[tuple[int, date, float, str], int] = {}
        activity_limit = column_limit(OtjEntry, "activity")
        for row in table.rows:
            cells = Cells(findings, row)
            staff_id = cells.text("staff_id", column_limit(Worker, "staff_id"), required=True)
            key = cells.text("programme", column_limit(Programme, "key"), required=True)
            day = cells.day("date", required=True)
            hours = cells.number("hours", low=float("-inf"), high=float("inf"), required=True)
            if hours is not None and not 0 < hours <= 24:
                cells.bad("hours", f"{hours:g} hours is not between 0 and 24 in a day")
            activity = cells.text("activity", activity_limit) or ""
            verified_text = (cells.text("verified", 10) or "").lower()
            if verified_text not in ("", "yes", "no"):
                cells.bad("verified", f"'{row.get('verified')}' is not yes or no")
            if staff_id is None or key is None:
                continue
            worker_id = workers.get(staff_id)
            if worker_id is None:
                cells.bad("staff_id", f"no worker has staff id '{staff_id}'")
                continue
            candidates = sorted(enrolments.get((worker_id, key), []), key=lambda e: e.start_on or date.min)
            if not candidates:
                cells.bad("programme", f"{staff_id} is not enrolled on '{key}'")
                continue
            if day is None or hours is None or not cells.ok:
                continue
            started = [e for e in candidates if e.start_on is not None and e.start_on <= day]
            if not started:
                cells.bad("date", f"{day} is before {staff_id} started {key} on {candidates[0].start_on}")
                continue
            enrolment = started[-1]
            assert enrolment.id is not None
            if day > today:
                cells.bad("date", f"{day} is in the future")
                continue
            paused = next(
                ((s, e) for s, e in breaks.get(enrolment.id, []) if s <= day and (e is None or day < e)), None
            )
            if paused is not None:
                cells.bad("date", f"{day} falls in a break in learning (from {paused[0]})")
                continue
            identity = (enrolment.id, day, hours, activity)
            first = seen.setdefault(identity, row.line)
            if first != row.line:
                cells.bad(
                    "hours",
                    f"the same entry as line {first} ({hours:g} hours of '{activity}' on {day}): "
                    "give each entry once, or one entry with the hours added up",
                )
                continue
            if identity in existing:
                entries.append((enrolment, day, hours, activity, verified_text == "yes"))
                continue  # already recorded: its hours are already in the day's total
            day_totals[(enrolment.id, day)] += hours
            if day_totals[(enrolment.id, day)] > 24:
                cells.bad("hours", f"{day_totals[(enrolment.id, day)]:g} hours on {day} in all: more than 24 in a day")
                continue
            entries.append((enrolment, day, hours, activity, verified_text == "yes"))
        if not table.rows:
            findings.whole_file("no entries in the file")
        findings.raise_if_any()
        counts = Counts()
        for enrolment, day, hours, activity, verified in entries:
            assert enrolment.id is not None
            if (enrolment.id, day, hours, activity) in existing:
                counts.unchanged += 1
                continue
            session.add(
                OtjEntry(
                    enrolment_id=enrolment.id,
                    day=day,
                    hours=hours,
                    activity=activity,
                    verified_by_id=actor.worker_id if verified else None,
                    verified_on=today if verified else None,
                )
            )
            counts.created += 1
        record(session, actor, "import", "otj_entry", path.name, after={"created": counts.created, "file": path.name})
        session.commit()
        return counts
