"""The last line of defence: no ORM write stores what PostgreSQL would refuse, on either backend."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from progression.errors import InputError
from progression.models import CpdRecord, Team, Worker


def teams(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Team)).one()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("North\x00Team", "team.name: contains a control character"),
        ("North\x1b[2J", "team.name: contains a control character"),
        ("North\nTeam", "team.name: contains a control character"),
        ("T" * 121, "team.name: is 121 characters long; at most 120 are allowed"),
    ],
)
def test_text_a_column_cannot_hold_is_refused_before_any_sql(council_engine: Engine, value: str, message: str) -> None:
    before = teams(council_engine)
    with Session(council_engine) as session, pytest.raises(InputError, match=message):
        session.add(Team(name=value))
        session.commit()
    assert teams(council_engine) == before


def test_free_text_keeps_line_breaks_but_not_nul(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        record = session.exec(select(CpdRecord)).first()
        assert record is not None
        record.learnt = "first line\nsecond line\tindented"
        session.add(record)
        session.commit()
        record.learnt = "a\x00b"
        session.add(record)
        with pytest.raises(InputError, match="cpd_record.learnt: contains a control character"):
            session.commit()


@pytest.mark.parametrize("fte", [float("inf"), float("nan")])
def test_numbers_that_are_not_finite_are_refused(demo_engine: Engine, fte: float) -> None:
    with Session(demo_engine) as session:
        worker = session.exec(select(Worker)).first()
        assert worker is not None
        worker.fte = fte
        session.add(worker)
        with pytest.raises(InputError, match="worker.fte: .* is not a finite number"):
            session.commit()


def test_integers_beyond_what_postgresql_holds_are_refused(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        worker = session.exec(select(Worker)).first()
        assert worker is not None
        worker.educator_stage = 2**31
        session.add(worker)
        with pytest.raises(InputError, match="worker.educator_stage: 2147483648 is outside"):
            session.commit()
