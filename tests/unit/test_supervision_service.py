"""The supervision services: schedules and overdue sessions, who may record them, and notes kept private."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, InputError, NotFound
from progression.models import AuditEntry, Supervision
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.importing import import_workers
from progression.services.supervision import (
    SessionInput,
    add_session,
    confirm_session,
    edit_session,
    remove_session,
    supervision_record,
)
from tests.conftest import TODAY

HEADER = "staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,access\n"
ROWS = [
    "H1,Hal Head,head-of-service,2020-01-01,2010-01-01,2005-07-01,,,,1,manager",
    "M1,Mo Manager,team-manager,2020-01-01,2015-01-01,2010-06-01,North,H1,,1,manager",
    "W1,Wyn Worker,social-worker-2,2024-01-01,2019-09-01,2019-07-01,North,M1,,1,",
    "N1,Nia New,nqsw,2026-09-01,2026-09-01,2026-07-01,North,M1,,1,",
    "N2,Ned Newer,nqsw,2026-11-01,2026-11-01,2026-07-01,North,M1,,1,",
    "W2,Val Other,social-worker-1,2024-01-01,2022-09-01,2022-07-01,South,,,1,",
    "A1,Ash Admin,service-manager,2020-01-01,2010-01-01,2005-07-01,,,,1,admin",
]
NOTES = "We talked about the Smith family's safety plan."


@pytest.fixture
def engine(council_engine: Engine, tmp_path: Path) -> Engine:
    """Head of service over a team manager over a worker and two newly qualified workers; an outsider; an admin."""
    path = tmp_path / "workers.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    import_workers(council_engine, local_admin(), path)
    return council_engine


def who(engine: Engine, staff_id: str) -> Actor:
    return resolve_actor(engine, staff_id)


def held(day: date, minutes: int = 90, kind: str = "individual", notes: str | None = NOTES) -> SessionInput:
    return SessionInput(kind=kind, day=day, minutes=minutes, with_whom="", notes=notes)


def audit(engine: Engine, action: str) -> list[AuditEntry]:
    with Session(engine) as session:
        query = select(AuditEntry).where(AuditEntry.action == action)
        return list(session.exec(query.order_by(col(AuditEntry.id))))


def test_the_manager_is_the_supervisor_and_only_they_and_the_worker_read_the_notes(engine: Engine) -> None:
    added = add_session(engine, who(engine, "M1"), "W1", held(date(2026, 11, 10)), TODAY)
    assert added.supervisor_staff_id == "M1" and added.notes == NOTES
    for reader in ("W1", "M1"):
        (seen,) = supervision_record(engine, who(engine, reader), "W1", TODAY).sessions
        assert seen.notes == NOTES and not seen.notes_private
    for outsider in (who(engine, "H1"), who(engine, "A1"), local_admin()):
        (seen,) = supervision_record(engine, outsider, "W1", TODAY).sessions
        assert seen.notes is None and seen.notes_private
        assert seen.day == date(2026, 11, 10) and seen.supervisor_name == "Mo Manager"
    created = audit(engine, "create")[-1]
    assert NOTES not in str(created.after) and created.actor == "M1"


def test_a_worker_records_their_own_session_with_their_line_manager_as_supervisor(engine: Engine) -> None:
    added = add_session(engine, who(engine, "W1"), "W1", held(date(2026, 11, 3)), TODAY)
    assert added.supervisor_staff_id == "M1"
    (seen,) = supervision_record(engine, who(engine, "M1"), "W1", TODAY).sessions
    assert seen.notes == NOTES


def test_overdue_after_a_month_without_supervision(engine: Engine) -> None:
    wyn = who(engine, "W1")
    add_session(engine, who(engine, "M1"), "W1", held(date(2026, 10, 20)), TODAY)  # the supervisor's: counted
    add_session(engine, who(engine, "M1"), "W1", held(date(2026, 11, 12), kind="group"), TODAY)
    record = supervision_record(engine, wyn, "W1", TODAY)
    assert record.schedule == "standard" and record.interval == "every month"
    assert record.last_individual == date(2026, 10, 20) and record.next_due == date(2026, 11, 20)
    assert record.overdue and record.days_overdue == 4
    assert record.last_group == date(2026, 11, 12) and record.group_expected
    assert [s.day for s in record.sessions] == [date(2026, 11, 12), date(2026, 10, 20)]
    on_time = supervision_record(engine, wyn, "W1", date(2026, 11, 20))
    assert not on_time.overdue and on_time.days_overdue == 0


def test_a_newly_qualified_worker_is_supervised_fortnightly_after_six_weeks(engine: Engine) -> None:
    nia = who(engine, "N1")
    add_session(engine, who(engine, "M1"), "N1", held(date(2026, 11, 9)), TODAY)  # the supervisor's: counted
    record = supervision_record(engine, nia, "N1", TODAY)
    assert record.schedule == "asye" and record.interval == "every 2 weeks"
    assert record.next_due == date(2026, 11, 23) and record.overdue and record.days_overdue == 1


def test_weekly_in_the_first_six_weeks_and_due_a_week_after_starting(engine: Engine) -> None:
    record = supervision_record(engine, who(engine, "N2"), "N2", TODAY)
    assert record.schedule == "asye" and record.interval == "every week"
    assert record.last_individual is None and record.next_due == date(2026, 11, 8) and record.days_overdue == 16


def test_individual_sessions_shorter_than_an_hour_and_a_half_are_flagged(engine: Engine) -> None:
    wyn = who(engine, "W1")
    add_session(engine, wyn, "W1", held(date(2026, 11, 2), minutes=60), TODAY)
    add_session(engine, wyn, "W1", held(date(2026, 11, 4), minutes=60, kind="group"), TODAY)
    add_session(engine, wyn, "W1", held(date(2026, 11, 6), minutes=90), TODAY)
    record = supervision_record(engine, wyn, "W1", TODAY)
    assert [s.short for s in record.sessions] == [False, False, True]
    assert record.short_sessions == 1 and record.min_session_hours == 1.5


@pytest.mark.parametrize(
    ("data", "places"),
    [
        (held(date(2026, 11, 25)), {"day"}),
        (held(date(2026, 11, 2), minutes=0), {"minutes"}),
        (SessionInput(kind="individual", day=None, minutes=None), {"day", "minutes"}),
        (held(date(2026, 11, 2), kind="one-to-one", minutes=9999), {"kind", "minutes"}),
    ],
)
def test_bad_input_names_every_field_and_writes_nothing(engine: Engine, data: SessionInput, places: set[str]) -> None:
    with pytest.raises(InputError) as raised:
        add_session(engine, who(engine, "W1"), "W1", data, TODAY)
    assert {p.place for p in raised.value.problems} == places
    with Session(engine) as session:
        assert session.exec(select(Supervision)).first() is None


def test_who_may_record_read_and_change_a_session(engine: Engine) -> None:
    with pytest.raises(AccessDenied):
        add_session(engine, who(engine, "W2"), "W1", held(date(2026, 11, 2)), TODAY)
    with pytest.raises(AccessDenied):
        supervision_record(engine, who(engine, "W2"), "W1", TODAY)
    assert supervision_record(engine, who(engine, "W1"), "W1", TODAY).can_add
    by_head = add_session(engine, who(engine, "H1"), "W1", held(date(2026, 11, 2)), TODAY)
    assert by_head.supervisor_staff_id == "H1" and by_head.can_change
    by_manager = add_session(engine, who(engine, "M1"), "W1", held(date(2026, 11, 9)), TODAY)
    (seen,) = [s for s in supervision_record(engine, who(engine, "H1"), "W1", TODAY).sessions if s.id == by_manager.id]
    assert not seen.can_change and seen.notes_private
    with pytest.raises(AccessDenied):
        edit_session(engine, who(engine, "H1"), by_manager.id, held(date(2026, 11, 9), notes=None), TODAY)
    with pytest.raises(AccessDenied):
        remove_session(engine, who(engine, "H1"), by_manager.id)
    assert len(audit(engine, "refused")) == 4


def test_an_admin_may_correct_a_session_but_not_its_private_notes(engine: Engine) -> None:
    added = add_session(engine, who(engine, "M1"), "W1", held(date(2026, 11, 9)), TODAY)
    admin = who(engine, "A1")
    with pytest.raises(InputError) as raised:
        edit_session(engine, admin, added.id, held(date(2026, 11, 9), notes="Rewritten"), TODAY)
    assert raised.value.problems[0].place == "notes"
    fixed = edit_session(engine, admin, added.id, held(date(2026, 11, 8), minutes=120, notes=None), TODAY)
    assert fixed.day == date(2026, 11, 8) and fixed.minutes == 120 and fixed.notes is None and fixed.notes_private
    (seen,) = supervision_record(engine, who(engine, "W1"), "W1", TODAY).sessions
    assert seen.notes == NOTES
    entry = audit(engine, "update")[-1]
    assert entry.actor == "A1" and entry.after == {"day": "2026-11-08", "minutes": 120}


def test_the_supervisor_edits_the_notes_without_them_reaching_the_audit_log(engine: Engine) -> None:
    added = add_session(engine, who(engine, "M1"), "W1", held(date(2026, 11, 9)), TODAY)
    changed = edit_session(engine, who(engine, "M1"), added.id, held(date(2026, 11, 9), notes="New plan."), TODAY)
    assert changed.notes == "New plan."
    entry = audit(engine, "update")[-1]
    assert "New plan." not in str(entry.after) and NOTES not in str(entry.before)


def test_the_worker_removes_a_session(engine: Engine) -> None:
    added = add_session(engine, who(engine, "M1"), "W1", held(date(2026, 11, 9)), TODAY)
    remove_session(engine, who(engine, "W1"), added.id)
    assert supervision_record(engine, who(engine, "W1"), "W1", TODAY).sessions == []
    entry = audit(engine, "delete")[-1]
    assert entry.entity == "supervision" and entry.before["day"] == "2026-11-09" and "notes" not in entry.before
    with pytest.raises(NotFound):
        remove_session(engine, who(engine, "W1"), added.id)


def test_a_session_the_worker_records_waits_for_their_supervisor_and_does_not_count_until_confirmed(
    engine: Engine,
) -> None:
    """Issue 10: a session recorded by the supervisee does not count for "next due" until the supervisor confirms
    it; the confirmation is audited."""
    added = add_session(engine, who(engine, "W1"), "W1", held(date(2026, 11, 10)), TODAY)
    assert not added.confirmed and added.recorded_by_staff_id == "W1" and not added.can_confirm
    waiting = supervision_record(engine, who(engine, "W1"), "W1", TODAY)
    assert waiting.pending == 1 and waiting.last_individual is None
    assert waiting.next_due == date(2024, 2, 1) and waiting.overdue  # a month after the role began, as if unheld
    (seen,) = supervision_record(engine, who(engine, "M1"), "W1", TODAY).sessions
    assert seen.can_confirm and not seen.confirmed

    confirmed = confirm_session(engine, who(engine, "M1"), session_id=added.id)
    assert confirmed.confirmed and not confirmed.can_confirm
    counted = supervision_record(engine, who(engine, "W1"), "W1", TODAY)
    assert counted.pending == 0 and counted.last_individual == date(2026, 11, 10)
    assert counted.next_due == date(2026, 12, 10) and not counted.overdue
    entry = audit(engine, "confirm")[-1]
    assert entry.actor == "M1" and entry.entity == "supervision" and entry.after["confirmed"] is True
    again = confirm_session(engine, who(engine, "M1"), session_id=added.id)  # already confirmed: as it is
    assert again.confirmed and len(audit(engine, "confirm")) == 1


def test_a_session_the_supervisor_records_counts_at_once(engine: Engine) -> None:
    added = add_session(engine, who(engine, "M1"), "W1", held(date(2026, 11, 10)), TODAY)
    assert added.confirmed and added.recorded_by_staff_id == "M1"
    record = supervision_record(engine, who(engine, "W1"), "W1", TODAY)
    assert record.pending == 0 and record.last_individual == date(2026, 11, 10)
    by_admin = add_session(engine, local_admin(), "W1", held(date(2026, 11, 12)), TODAY)
    assert by_admin.confirmed and by_admin.recorded_by_staff_id is None


def test_only_the_supervisor_or_someone_with_rights_over_the_worker_confirms(engine: Engine) -> None:
    first = add_session(engine, who(engine, "W1"), "W1", held(date(2026, 11, 3)), TODAY)
    second = add_session(engine, who(engine, "W1"), "W1", held(date(2026, 11, 10)), TODAY)
    for refused in ("W1", "W2", "N1"):  # the worker themselves, an outsider, a colleague
        with pytest.raises(AccessDenied):
            confirm_session(engine, who(engine, refused), session_id=first.id)
    assert len(audit(engine, "refused")) == 3
    assert supervision_record(engine, who(engine, "W1"), "W1", TODAY).pending == 2
    assert confirm_session(engine, who(engine, "H1"), session_id=first.id).confirmed  # the manager's manager
    assert confirm_session(engine, who(engine, "A1"), session_id=second.id).confirmed  # an administrator
    with pytest.raises(NotFound):
        confirm_session(engine, who(engine, "M1"), session_id=second.id + 100)


def test_a_worker_who_moves_a_confirmed_session_sends_it_back_for_confirmation(engine: Engine) -> None:
    added = add_session(engine, who(engine, "M1"), "W1", held(date(2026, 11, 10)), TODAY)
    notes_only = edit_session(engine, who(engine, "W1"), added.id, held(date(2026, 11, 10), notes="Mine."), TODAY)
    assert notes_only.confirmed  # the notes do not count towards the schedule
    moved = edit_session(engine, who(engine, "W1"), added.id, held(date(2026, 11, 20), notes=None), TODAY)
    assert not moved.confirmed
    record = supervision_record(engine, who(engine, "W1"), "W1", TODAY)
    assert record.pending == 1 and record.last_individual is None
    by_supervisor = edit_session(engine, who(engine, "M1"), added.id, held(date(2026, 11, 21), notes=None), TODAY)
    assert not by_supervisor.confirmed and by_supervisor.can_confirm  # confirming is its own act
    assert confirm_session(engine, who(engine, "M1"), session_id=added.id).confirmed


def test_a_pending_session_is_not_counted_by_status(engine: Engine) -> None:
    from progression.services.status import worker_status

    add_session(engine, who(engine, "M1"), "W1", held(date(2026, 10, 20)), TODAY)
    add_session(engine, who(engine, "W1"), "W1", held(date(2026, 11, 18)), TODAY)
    status = worker_status(engine, who(engine, "M1"), "W1", TODAY).supervision
    assert status.pending == 1 and status.last_individual == date(2026, 10, 20)
    assert status.next_due == date(2026, 11, 20) and status.overdue and status.days_overdue == 4
