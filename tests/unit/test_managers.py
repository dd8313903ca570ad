"""Managers' views: the team, the workforce report with its exports, and the DfE benchmark (issue 6)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.errors import InputError, NotFound
from progression.models import Worker
from progression.services.actor import local_admin, reports_of, resolve_actor
from progression.services.benchmark import benchmark
from progression.services.progress import payments
from progression.services.team import team_view
from progression.services.workforce import next_financial_year, workforce_report
from tests.conftest import TODAY
from tests.utils.cli import run_cli

AS_ADMIN = ("--as", "E1001")


def test_benchmark_matches_the_source_file() -> None:
    """Values checked against csww_indicators_2017_to_2025.csv: County Durham 2025, its region and England."""
    result = benchmark("County Durham", 2025)
    assert result.la.values == {
        "turnover_rate_fte": 7.7,
        "agency_rate_fte": 8.0,
        "vacancy_rate_fte": 9.8,
        "caseload_fte": 16.6,
        "inpost_fte": 403.7,
    }
    assert result.region.name == "North East"
    assert result.region.values["inpost_fte"] == 2299.3
    assert result.england.values == {
        "turnover_rate_fte": 11.8,
        "agency_rate_fte": 13.0,
        "vacancy_rate_fte": 14.2,
        "caseload_fte": 15.2,
        "inpost_fte": 36186.3,
    }
    assert benchmark("E06000047", 2025) == result and benchmark("840", 2025) == result


def test_suppressed_values_are_never_zero() -> None:
    """The source's markers (x, u, low…) are kept: null in JSON with the marker beside it."""
    sunderland = benchmark("Sunderland", 2024).as_contract()["la"]
    assert sunderland["agency_rate_fte"] is None and sunderland["agency_rate_fte_marker"] == "low"  # type: ignore[index]
    assert sunderland["turnover_rate_fte"] is None and sunderland["turnover_rate_fte_marker"] == "u"  # type: ignore[index]
    assert sunderland["caseload_fte"] == 17.2  # type: ignore[index]
    westminster = benchmark("Westminster", 2025).as_contract()["la"]
    assert all(
        westminster[f] is None and westminster[f"{f}_marker"] == "x"  # type: ignore[index]
        for f in ("turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "caseload_fte", "inpost_fte")
    )


def test_benchmark_command_json_and_errors(demo_url: str) -> None:
    result = run_cli("--db", demo_url, *AS_ADMIN, "benchmark", "--la", "Birmingham", "--year", "2024", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["year", "la", "region", "england"] and data["year"] == 2024
    assert data["la"]["name"] == "Birmingham" and data["la"]["agency_rate_fte"] is None
    assert data["la"]["agency_rate_fte_marker"] == "u"
    assert data["region"]["name"] == "West Midlands"
    with pytest.raises(NotFound):
        benchmark("Atlantis")
    with pytest.raises(InputError, match="matches 9 councils"):
        benchmark("north")
    with pytest.raises(NotFound, match="no figures for 2030"):
        benchmark("Manchester", 2030)


def test_a_manager_sees_only_their_reports(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        managers = session.exec(select(Worker).where(Worker.is_manager, ~Worker.is_admin)).all()
        expected = {
            m.staff_id: {
                w.staff_id for w in session.exec(select(Worker).where(Worker.id.in_(reports_of(session, m.id))))
            }
            for m in managers
        }  # type: ignore[arg-type,union-attr]
    for staff_id, reports in expected.items():
        rows = team_view(demo_engine, resolve_actor(demo_engine, staff_id), TODAY)
        assert {r.staff_id for r in rows} == reports
        assert all(r.direct == (r.staff_id in reports) for r in rows if r.direct)
    worker = next(iter(expected.values()))
    plain = resolve_actor(demo_engine, sorted(worker)[0]) if worker else None
    if plain is not None and not plain.is_manager:
        assert {r.staff_id for r in team_view(demo_engine, plain, TODAY)} <= worker


def test_team_flags(demo_engine: Engine) -> None:
    rows = team_view(demo_engine, local_admin(), TODAY)
    assert len(rows) == 60
    flags = {flag for row in rows for flag in row.flags}
    assert {"over-cap", "supervision-overdue", "cpd-deadline"} <= flags
    for row in rows:
        if "over-cap" in row.flags:
            assert row.caseload is not None and row.caseload_cap is not None and row.caseload > row.caseload_cap
        if "supervision-overdue" in row.flags:
            assert row.next_supervision is not None and row.next_supervision < TODAY


def test_the_next_financial_year() -> None:
    assert next_financial_year(date(2026, 11, 24)) == (date(2027, 4, 1), date(2028, 3, 31))
    assert next_financial_year(date(2027, 3, 31)) == (date(2027, 4, 1), date(2028, 3, 31))
    assert next_financial_year(date(2027, 4, 1)) == (date(2028, 4, 1), date(2029, 3, 31))


def test_workforce_report(demo_engine: Engine) -> None:
    report = workforce_report(demo_engine, local_admin(), TODAY)
    assert (
        report.headcount == 60 == sum(h.headcount for h in report.by_role) == sum(h.headcount for h in report.by_area)
    )
    assert report.financial_year == "2027-28"
    assert [m.month for m in report.eligible_next_12_months][0] == "2026-12"
    assert len(report.eligible_next_12_months) == 12
    due = payments(demo_engine, local_admin(), date(2027, 4, 1), date(2028, 3, 31))
    assert report.retention_payments.count == len(due)
    assert report.retention_payments.amount == sum(p.amount for p in due)
    with Session(demo_engine) as session:
        supplements = session.exec(select(Worker.fte, Worker.role_id)).all()
    assert report.market_supplements.count >= 1
    assert report.payments_total == report.retention_payments.amount + report.market_supplements.amount
    assert supplements


def test_workforce_and_team_export_as_csv_and_xlsx(demo_url: str, tmp_path: Path) -> None:
    xlsx, text = tmp_path / "workforce.xlsx", tmp_path / "team.csv"
    result = run_cli("--db", demo_url, *AS_ADMIN, "--today", "2026-11-24", "report", "workforce", "--output", str(xlsx))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(xlsx)
    assert book.sheetnames == ["By role", "By route", "By area", "Eligible", "Costs"]
    assert [c.value for c in book["By role"][1]] == ["key", "title", "headcount", "fte"]
    result = run_cli("--db", demo_url, *AS_ADMIN, "--today", "2026-11-24", "team", "--output", str(text))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(text.open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["staff_id", "name", "role"] and len(rows) == 60
    bad = run_cli("--db", demo_url, *AS_ADMIN, "team", "--output", str(tmp_path / "team.pdf"))
    assert bad.exit_code == 2 and "must end in .csv or .xlsx" in bad.stderr


def test_report_workforce_json(demo_url: str) -> None:
    result = run_cli("--db", demo_url, *AS_ADMIN, "--today", "2026-11-24", "report", "workforce", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {
        "headcount",
        "fte",
        "by_role",
        "by_route",
        "by_area",
        "eligible_next_12_months",
        "retention_payments",
        "market_supplements",
        "payments_total",
    } <= set(data)


def _team_actors(engine: Engine) -> tuple[str, str, str]:
    """A manager with reports, a worker with none who is no manager, and that worker's manager."""
    with Session(engine) as session:
        workers = session.exec(select(Worker)).all()
        managers = {w.manager_id for w in workers if w.manager_id}
        plain = next(w for w in workers if w.id not in managers and not w.is_admin and not w.is_manager)
        boss = next(w for w in workers if w.id == plain.manager_id)
        manager = next(w for w in workers if w.id in managers and not w.is_admin and len(reports_of(session, w.id)) > 3)  # type: ignore[arg-type]
    return manager.staff_id, plain.staff_id, boss.staff_id


def test_the_team_table_is_readable_at_80_columns(demo_url: str, demo_engine: Engine) -> None:
    """Issue 10: staff ids, dates and caseloads never wrap or end in "…"; titles wrap in their columns."""
    import re

    manager, _, _ = _team_actors(demo_engine)
    for actor in ("E1001", manager):
        result = run_cli("--db", demo_url, "--as", actor, "--today", "2026-11-24", "team")
        assert result.exit_code == 0, result.stderr
        assert "…" not in result.stdout
        assert max(len(line) for line in result.stdout.splitlines()) <= 80
        members = team_view(demo_engine, resolve_actor(demo_engine, actor), TODAY)
        for m in members:
            line = next((x for x in result.stdout.splitlines() if x.startswith(m.staff_id + " ")), None)
            assert line is not None, m.staff_id
            if m.next_supervision:
                assert str(m.next_supervision) in line
            if m.caseload is not None and m.caseload_cap is not None:
                assert f"{m.caseload}/{m.caseload_cap}" in line
            if m.next_step_on and not m.next_step_ready:
                assert str(m.next_step_on) in result.stdout
        dates = re.findall(r"\b\d{4}-[\d-]*", result.stdout)
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in dates), dates


def test_someone_with_no_reports_is_told_so_in_words(demo_url: str, demo_engine: Engine) -> None:
    _, plain, _ = _team_actors(demo_engine)
    result = run_cli("--db", demo_url, "--as", plain, "--today", "2026-11-24", "team")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "No reports.\n"
    as_json = run_cli("--db", demo_url, "--as", plain, "--today", "2026-11-24", "team", "--json")
    assert json.loads(as_json.stdout) == []


def test_the_workforce_report_is_refused_to_someone_with_no_reports(demo_url: str, demo_engine: Engine) -> None:
    """Not a report of their own row alone: refused (exit 3) and audited."""
    from progression.errors import AccessDenied
    from progression.models import AuditEntry

    _, plain, boss = _team_actors(demo_engine)
    with pytest.raises(AccessDenied):
        workforce_report(demo_engine, resolve_actor(demo_engine, plain), TODAY)
    result = run_cli("--db", demo_url, "--as", plain, "--today", "2026-11-24", "report", "workforce")
    assert result.exit_code == 3 and result.stdout == ""
    assert "may not see the workforce report" in result.stderr
    with Session(demo_engine) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    allowed = run_cli("--db", demo_url, "--as", boss, "--today", "2026-11-24", "report", "workforce")
    assert allowed.exit_code == 0, allowed.stderr
    assert "…" not in allowed.stdout and max(len(line) for line in allowed.stdout.splitlines()) <= 80


def test_workforce_figures_are_in_words_with_their_units(demo_url: str) -> None:
    from progression.services.tables_out import counted

    assert (counted(1, "person", "people"), counted(2, "person", "people")) == ("1 person", "2 people")
    assert (counted(1, "team"), counted(1_204, "team")) == ("1 team", "1,204 teams")
    result = run_cli("--db", demo_url, *AS_ADMIN, "--today", "2026-11-24", "report", "workforce")
    assert "Workforce on 2026-11-24: 60 people, " in result.stdout
    assert "retention payments £" in result.stdout and " payment" in result.stdout
