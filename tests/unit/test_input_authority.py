"""Authority and reference files: strict types, numbers in range, text that fits its column, and a refused file
changes nothing in the database (issue 9). Each refusal names `file.yaml:LINE: path` and exits 2."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func
from sqlmodel import Session, select

from progression.errors import InputError
from progression.locations import data_dir
from progression.models import AuditEntry, Council, Programme, Requirement, Role, Route, Transition
from progression.reference import load_reference
from tests.unit.test_authority import MINIMAL, problems_of, write
from tests.utils.cli import run_cli

LOCAL = (
    MINIMAL
    + """\
programmes:
  induction: {title: Local induction, kind: local, duration_months: 3}
"""
)
"""The minimal council with pay, a retention payment and a local programme to break."""
LOCAL = LOCAL.replace(
    "  social-worker: {title: Social worker, route: practice}",
    "  social-worker:\n    title: Social worker\n    route: practice\n    pay: {min: 30000, max: 40000}\n"
    "    retention_payment: {amount: 2000, after_months_of_service: 24}\n    market_supplement: 3000",
)


def test_the_base_file_loads(tmp_path: Path) -> None:
    from progression.authority import load_authority
    from progression.reference import reference

    authority = load_authority(write(tmp_path, LOCAL), reference())
    assert authority.roles["social-worker"].market_supplement == 3000


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "caseload_cap: 14",
            "caseload_cap: true",
            "council.yaml:5: roles.nqsw.caseload_cap: Input should be a valid integer",
        ),
        (
            "months_in_role: 12",
            "months_qualified: true",
            "transitions[0].requires[1].months_qualified: Input should be a valid integer",
        ),
        (
            "months_in_role: 12",
            "cpd_compliant: 1",
            "council.yaml:18: transitions[0].requires[1].cpd_compliant: Input should be a valid boolean",
        ),
        (
            "months_in_role: 12",
            "cpd_compliant: yes",
            "transitions[0].requires[1].cpd_compliant: Input should be a valid boolean",
        ),
        ("months_in_role: 12", "cpd_compliant: false", "cpd_compliant: cpd_compliant can only be true"),
        ("months_in_role: 12", "months_in_role: 12.0", "months_in_role: Input should be a valid integer"),
        ("months_in_role: 12", 'months_in_role: "12"', "months_in_role: Input should be a valid integer"),
        ("months_in_role: 12", "months_in_role: .inf", "months_in_role: Input should be a valid integer"),
        (
            "caseload_cap: 14",
            "caseload_cap: 10000000000000000000",
            "council.yaml:5: roles.nqsw.caseload_cap: Input should be less than or equal to 1000",
        ),
        ("caseload_cap: 14", "caseload_cap: -1", "roles.nqsw.caseload_cap: Input should be greater than or equal to 0"),
        (
            "months_in_role: 12",
            "months_in_role: 120000",
            "council.yaml:18: transitions[0].requires[1].months_in_role: Input should be less than or equal to 600",
        ),
        (
            "max: 40000}",
            "max: 10000000000}",
            "roles.social-worker.pay.max: Input should be less than or equal to 10000000",
        ),
        ("amount: 2000,", "amount: 0,", "roles.social-worker.retention_payment.amount: Input should be greater than 0"),
        (
            "after_months_of_service: 24",
            "after_months_of_service: 100000",
            "retention_payment.after_months_of_service: Input should be less than or equal to 600",
        ),
        (
            "market_supplement: 3000",
            "market_supplement: 3000.5",
            "roles.social-worker.market_supplement: Input should be a valid integer",
        ),
        (
            "duration_months: 3",
            "duration_months: 9999999999",
            "programmes.induction.duration_months: Input should be less than or equal to 600",
        ),
        ("title: Social worker", "title: 12", "roles.social-worker.title: Input should be a valid string"),
        (
            "title: Social worker",
            "title: " + "S" * 201,
            "roles.social-worker.title: the title is 201 characters long; at most 200 are allowed",
        ),
        (
            "title: Practice route",
            'title: "Practice\\u001b[2J"',
            "council.yaml:3: routes.practice.title: the title contains a control character",
        ),
        (
            "name: Example Borough Council",
            "name: " + "E" * 201,
            "council.yaml:1: name: the name is 201 characters long",
        ),
        (
            "  induction:",
            "  " + "i" * 61 + ":",
            "programmes." + "i" * 61 + ": the key is 61 characters long; at most 60 are allowed",
        ),
    ],
)
def test_a_value_of_the_wrong_type_or_out_of_range_is_refused_naming_the_place(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in LOCAL
    found = problems_of(write(tmp_path, LOCAL.replace(old, new)))
    assert any(expected in problem for problem in found), found


def snapshot(url: str) -> dict[str, Any]:
    """Every row an authority file writes, and the audit log's length."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return {
                model.__name__: sorted(repr(sorted(row.model_dump().items())) for row in session.exec(select(model)))
                for model in (Council, Route, Role, Transition, Requirement, Programme)
            } | {"audit": session.exec(select(func.count()).select_from(AuditEntry)).one()}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("caseload_cap: 14", "caseload_cap: 10000000000000000000"),
        ("months_in_role: 12", "months_in_role: 120000"),
        ("title: Practice route", "title: " + "P" * 500),
        ("title: Social worker", "title: &t Social worker"),
    ],
)
def test_a_refused_authority_file_changes_nothing(empty_url: str, tmp_path: Path, old: str, new: str) -> None:
    good = write(tmp_path, LOCAL, "good.yaml")
    first = run_cli("--db", empty_url, "init", "--authority", str(good))
    assert first.exit_code == 0, first.stderr
    before = snapshot(empty_url)
    bad = write(tmp_path, LOCAL.replace("Example Borough", "Changed Borough").replace(old, new), "bad.yaml")
    refused = run_cli("--db", empty_url, "init", "--authority", str(bad))
    assert refused.exit_code == 2, refused.stderr
    assert "bad.yaml:" in refused.stderr and "Traceback" not in refused.stderr
    assert snapshot(empty_url) == before


def test_a_long_title_within_the_limit_is_stored_the_same_on_every_backend(empty_url: str, tmp_path: Path) -> None:
    path = write(tmp_path, LOCAL.replace("title: Social worker", "title: " + "S" * 200))
    result = run_cli("--db", empty_url, "init", "--authority", str(path))
    assert result.exit_code == 0, result.stderr
    assert any(f"'title', '{'S' * 200}'" in row for row in snapshot(empty_url)["Role"])


# --- the reference data's models are strict and bounded too ---


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("min_records: 2", "min_records: true", "cpd.yaml: cpd_rules[0].min_records: Input should be a valid integer"),
        (
            "min_records: 2",
            "min_records: 100000",
            "cpd.yaml: cpd_rules[0].min_records: Input should be less than or equal to 10000",
        ),
        (
            "grace_days: 21",
            "grace_days: 1000000000",
            "cpd.yaml: cpd_rules[0].grace_days: Input should be less than or equal to 3650",
        ),
    ],
)
def test_reference_numbers_are_strict_and_bounded(tmp_path: Path, old: str, new: str, expected: str) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(data_dir() / "reference", folder)
    cpd = folder / "cpd.yaml"
    text = cpd.read_text(encoding="utf-8")
    assert old in text
    cpd.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_reference(folder)
    assert expected in [str(p) for p in caught.value.problems]
