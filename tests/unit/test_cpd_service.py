"""The CPD services: the registration year and its status, records in the regulator's shape, access, the draft."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, InputError, NotFound
from progression.models import AuditEntry, CpdRecord
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.cpd import CpdInput, add_cpd, cpd_draft, cpd_year, edit_cpd, remove_cpd
from progression.services.importing import import_workers
from tests.conftest import TODAY

HEADER = "staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,access\n"
ROWS = [
    "M1,Mo Manager,team-manager,2020-01-01,2015-01-01,2010-06-01,North,,,1,manager",
    "W1,Wyn Worker,social-worker-2,2024-01-01,2019-09-01,2019-07-01,North,M1,,1,",
    "W2,Val Other,social-worker-1,2024-01-01,2022-09-01,2022-07-01,South,,,1,",
    "H1,Hal Admin,head-of-service,2020-01-01,2010-01-01,2005-07-01,,,,1,admin",
]


@pytest.fixture
def engine(council_engine: Engine, tmp_path: Path) -> Engine:
    """The demo council with a manager, two workers and an admin."""
    path = tmp_path / "workers.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    import_workers(council_engine, local_admin(), path)
    return council_engine


def who(engine: Engine, staff_id: str) -> Actor:
    return resolve_actor(engine, staff_id)


def cpd(
    day: date = date(2026, 3, 10), *, title: str = "Course on contextual safeguarding", **fields: object
) -> CpdInput:
    values: dict[str, object] = {
        "kind": "course",
        "day": day,
        "title": title,
        "what_and_why": "Teenagers on my caseload are at risk outside the home.",
        "learnt": "How to map peer groups and places.",
        "impact": "I now assess the places a child spends time in.",
        **fields,
    }
    return CpdInput(**values)  # type: ignore[arg-type]


def peer(day: date = date(2026, 5, 2), **fields: object) -> CpdInput:
    return cpd(
        day,
        title="Group reflection on a complex case",
        kind="peer discussion",
        peer_reflection=True,
        peer_reflection_with="My team's group supervision",
        **fields,
    )


def audit(engine: Engine, action: str) -> list[AuditEntry]:
    with Session(engine) as session:
        query = select(AuditEntry).where(
            AuditEntry.action == action, col(AuditEntry.entity).in_(["cpd_record", "access"])
        )
        return list(session.exec(query.order_by(col(AuditEntry.id))))


def test_a_record_counts_in_its_year_and_the_status_comes_from_the_engine(engine: Engine) -> None:
    wyn = who(engine, "W1")
    added = add_cpd(engine, wyn, "W1", cpd(), TODAY)
    year = cpd_year(engine, wyn, "W1", TODAY)
    assert (year.year_start, year.year_end, year.label) == (date(2025, 12, 1), date(2026, 11, 30), "2025–26")
    assert [r.id for r in year.records] == [added.id]
    status = year.status
    assert (status.records, status.records_needed, status.peer_reflection_records) == (1, 2, 0)
    assert status.days_left == 6
    assert not status.compliant
    assert status.missing == "1 more record and a record with peer reflection"
    assert year.can_edit
    assert year.standard == "Standard 4: Maintain my continuing professional development"
    created = audit(engine, "create")
    assert created[-1].actor == "W1" and created[-1].after["title"] == "Course on contextual safeguarding"


def test_two_records_with_one_peer_reflection_meet_the_year(engine: Engine) -> None:
    wyn = who(engine, "W1")
    add_cpd(engine, wyn, "W1", cpd(), TODAY)
    add_cpd(engine, wyn, "W1", peer(), TODAY)
    year = cpd_year(engine, wyn, "W1", TODAY)
    assert year.status.compliant and year.status.missing == ""
    assert year.status.met_on == date(2026, 5, 2)
    assert [r.day for r in year.records] == [date(2026, 5, 2), date(2026, 3, 10)]


def test_the_registration_year_ends_on_30_november(engine: Engine) -> None:
    wyn = who(engine, "W1")
    december = date(2026, 12, 1)
    last_day = add_cpd(engine, wyn, "W1", cpd(date(2026, 11, 30), title="Last day"), december)
    first_day = add_cpd(engine, wyn, "W1", cpd(december, title="First day"), december)
    old = cpd_year(engine, wyn, "W1", date(2026, 11, 30))
    assert old.label == "2025–26" and [r.id for r in old.records] == [last_day.id]
    assert old.status.records == 1 and old.status.days_left == 0
    new = cpd_year(engine, wyn, "W1", december)
    assert new.label == "2026–27" and [r.id for r in new.records] == [first_day.id]
    assert new.previous_label == "2025–26" and [r.id for r in new.previous_records] == [last_day.id]
    assert new.status.days_left == 364


@pytest.mark.parametrize(
    ("data", "places"),
    [
        (cpd(date(2026, 11, 25)), {"day"}),
        (cpd(title="  "), {"title"}),
        (cpd(what_and_why="", learnt=" ", impact=""), {"what_and_why", "learnt", "impact"}),
        (cpd(peer_reflection=True, peer_reflection_with=" "), {"peer_reflection_with"}),
        (cpd(kind="conference"), {"kind"}),
        (cpd(None), {"day"}),
    ],
)
def test_bad_input_names_every_field_and_writes_nothing(engine: Engine, data: CpdInput, places: set[str]) -> None:
    with pytest.raises(InputError) as raised:
        add_cpd(engine, who(engine, "W1"), "W1", data, TODAY)
    assert {p.place for p in raised.value.problems} == places
    with Session(engine) as session:
        assert session.exec(select(CpdRecord)).first() is None


def test_without_peer_reflection_the_with_whom_is_dropped(engine: Engine) -> None:
    added = add_cpd(engine, who(engine, "W1"), "W1", cpd(peer_reflection_with="someone"), TODAY)
    assert not added.peer_reflection and added.peer_reflection_with == ""


def test_a_manager_reads_but_may_not_write_and_others_may_not_read(engine: Engine) -> None:
    add_cpd(engine, who(engine, "W1"), "W1", cpd(), TODAY)
    manager = who(engine, "M1")
    year = cpd_year(engine, manager, "W1", TODAY)
    assert len(year.records) == 1 and not year.can_edit
    with pytest.raises(AccessDenied):
        add_cpd(engine, manager, "W1", cpd(), TODAY)
    with pytest.raises(AccessDenied):
        cpd_year(engine, who(engine, "W2"), "W1", TODAY)
    with pytest.raises(AccessDenied):
        cpd_draft(engine, who(engine, "W2"), "W1", TODAY)
    refusals = audit(engine, "refused")
    assert len(refusals) == 3 and refusals[-1].actor == "W2"


def test_edit_keeps_a_before_and_after_and_an_admin_may_edit(engine: Engine) -> None:
    added = add_cpd(engine, who(engine, "W1"), "W1", peer(), TODAY)
    with pytest.raises(AccessDenied):
        edit_cpd(engine, who(engine, "M1"), added.id, cpd(), TODAY)
    changed = edit_cpd(engine, who(engine, "H1"), added.id, peer(learnt="Slowing down helps."), TODAY)
    assert changed.learnt == "Slowing down helps." and changed.staff_id == "W1"
    entry = audit(engine, "update")[-1]
    assert entry.actor == "H1" and entry.before == {"learnt": "How to map peer groups and places."}
    assert entry.after == {"learnt": "Slowing down helps."}
    unpeered = edit_cpd(engine, who(engine, "W1"), added.id, cpd(date(2026, 5, 2)), TODAY)
    assert not unpeered.peer_reflection and unpeered.peer_reflection_with == ""
    with pytest.raises(InputError):
        edit_cpd(engine, who(engine, "W1"), added.id, cpd(title=""), TODAY)


def test_remove_keeps_what_the_record_said_in_the_audit(engine: Engine) -> None:
    added = add_cpd(engine, who(engine, "W1"), "W1", cpd(), TODAY)
    with pytest.raises(AccessDenied):
        remove_cpd(engine, who(engine, "M1"), added.id)
    remove_cpd(engine, who(engine, "W1"), added.id)
    assert cpd_year(engine, who(engine, "W1"), "W1", TODAY).records == []
    entry = audit(engine, "delete")[-1]
    assert entry.before["title"] == "Course on contextual safeguarding" and entry.before["staff_id"] == "W1"
    with pytest.raises(NotFound):
        remove_cpd(engine, who(engine, "W1"), added.id)


def test_the_draft_holds_every_record_of_the_year_oldest_first_and_links_standard_4(engine: Engine) -> None:
    wyn = who(engine, "W1")
    add_cpd(engine, wyn, "W1", peer(), TODAY)
    add_cpd(engine, wyn, "W1", cpd(), TODAY)
    add_cpd(engine, wyn, "W1", cpd(date(2025, 11, 30), title="Last year's reading"), TODAY)
    text = cpd_draft(engine, wyn, "W1", TODAY)
    assert "registration year 2025–26 (1 December 2025 to 30 November 2026)" in text
    assert "professional standard 4: Maintain my continuing professional development." in text
    assert "Last year's reading" not in text
    first, second = text.index("Course on contextual safeguarding"), text.index("Group reflection on a complex case")
    assert first < second
    for heading in (
        "Activity: ",
        "Date: 10 March 2026",
        "What I did and why: ",
        "What I learnt: ",
        "Impact on my practice: ",
        "Peer reflection: No",
        "Peer reflection: Yes, with My team's group",
    ):
        assert heading in text
    assert text.count("Record ") == 2 and "Record 2 of 2" in text
    empty = cpd_draft(engine, wyn, "W1", date(2024, 6, 1))
    assert "No CPD is recorded for this year yet." in empty
