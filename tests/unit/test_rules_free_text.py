"""Free text is refused alike in every service that takes it: one limit per kind, the same words."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from progression.errors import InputError
from progression.fields import TEXT_LIMITS
from progression.services.actor import local_admin
from progression.services.cpd import KINDS, CpdInput, add_cpd
from progression.services.evidence import add_evidence
from progression.services.evidence_models import EvidenceCreate
from progression.services.supervision import SessionInput, add_session
from tests.conftest import TODAY

DAY = date(2026, 11, 2)
LONG = "x" * (TEXT_LIMITS["reflection"] + 1)


def refused(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        call()
    return str(caught.value)


def test_cpd_reflections_titles_and_names_are_checked_in_the_service(demo_engine: Engine) -> None:
    base = {"kind": KINDS[0], "day": DAY, "what_and_why": "w", "learnt": "l", "impact": "i"}
    said = refused(lambda: add_cpd(demo_engine, local_admin(), "E1042", CpdInput(title="t" * 301, **base), TODAY))
    assert "title: the text is 301 characters long; at most 300 are allowed" in said
    said = refused(
        lambda: add_cpd(demo_engine, local_admin(), "E1042", CpdInput(title="t", **{**base, "learnt": LONG}), TODAY)
    )
    assert f"learnt: the text is {len(LONG)} characters long; at most {TEXT_LIMITS['reflection']}" in said
    said = refused(lambda: add_cpd(demo_engine, local_admin(), "E1042", CpdInput(title="a\x00b", **base), TODAY))
    assert "title: the text contains a control character" in said


def test_evidence_reflection_is_checked_in_the_service(demo_engine: Engine) -> None:
    data = EvidenceCreate(title="Observed visit", happened_on=DAY, reflection=LONG)
    said = refused(lambda: add_evidence(demo_engine, local_admin(), "E1042", data, TODAY))
    assert f"reflection: the text is {len(LONG)} characters long" in said


def test_supervision_notes_and_names_are_checked_in_the_service(demo_engine: Engine) -> None:
    notes = "n" * (TEXT_LIMITS["note"] + 1)
    data = SessionInput(day=DAY, minutes=60, with_whom="w" * 301, notes=notes)
    said = refused(lambda: add_session(demo_engine, local_admin(), "E1042", data, TODAY))
    assert "with_whom: the text is 301 characters long; at most 300 are allowed" in said
    assert f"notes: the text is {len(notes)} characters long; at most {TEXT_LIMITS['note']} are allowed" in said
