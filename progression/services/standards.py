"""Importing apprenticeship standards from the Skills England "download all apprenticeships" CSV export.

The export is taken as it is: dates as DD-MM-YYYY, `TBC` for values not yet set, an empty version for standards
still in development, long free-text columns, and a junk last row of NUL bytes, which is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from progression.dates import date_problem
from progression.errors import InputError, Problem
from progression.fields import column_limit, read_integer, read_number, text_problem
from progression.models import ApprenticeshipStandard, Programme
from progression.services.actor import Actor, require_admin
from progression.services.audit import record
from progression.services.tables_out import counted
from progression.tables import Row, Table, read_table

COLUMNS = {
    "reference": "reference",
    "version number": "version",
    "name": "title",
    "level": "level",
    "typical duration": "typical_duration_months",
    "maximum funding (£)": "max_funding",
    "status": "status",
    "lars code for providers only": "lars_code",
    "route": "route",
    "integrated degree": "integrated_degree",
    "regulated standard": "regulated_body",
    "approved for delivery date": "approved_on",
    "link": "url",
}
REQUIRED = ("reference", "version number", "name", "status")
NOT_SET = {"", "tbc", "n/a", "na", "-"}
REFERENCE = re.compile(r"^(ST|FA)\d{4}$")


@dataclass
class StandardsResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def summary(self, name: str) -> str:
        skipped = f", {counted(self.skipped, 'junk row')} skipped" if self.skipped else ""
        return (
            f"{name}: {counted(self.created, 'standard version')} added, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged{skipped}"
        )


LEVELS = (2, 8)
"""Apprenticeship levels: the export has 2 to 7 (8 is a doctorate-level standard, should one come)."""
MAX_DURATION_MONTHS = 120
"""The export's longest typical duration is 72 months; none is over ten years."""
MAX_FUNDING = 1_000_000
"""The export's highest funding band is £27,000; a million pounds is a typing error."""
POUNDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
"""An amount with thousands separators (`27,000`): the only place a comma is read, and never as a decimal point."""
TEXT_FIELDS = (
    ("reference", "reference"),
    ("version number", "version"),
    ("name", "title"),
    ("status", "status"),
    ("lars code for providers only", "lars_code"),
    ("route", "route"),
    ("integrated degree", "integrated_degree"),
    ("link", "url"),
)


def _not_set(text: str) -> bool:
    return text.strip().lower() in NOT_SET


def _day(text: str) -> date | None:
    """A DD-MM-YYYY date (the export's form; ISO and DD/MM/YYYY too) in the range Progression accepts."""
    text = text.strip()
    if _not_set(text):
        return None
    for pattern, form in (
        ("%d-%m-%Y", r"\d{2}-\d{2}-\d{4}"),
        ("%Y-%m-%d", r"\d{4}-\d{2}-\d{2}"),
        ("%d/%m/%Y", r"\d{2}/\d{2}/\d{4}"),
    ):
        if not re.fullmatch(form, text):
            continue
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        problem = date_problem(day)
        if problem is not None:
            raise ValueError(problem)
        return day
    raise ValueError(f"'{text}' is not a date (DD-MM-YYYY)")


def _whole(text: str, low: int, high: int) -> int | None:
    """A whole number in `low..high`; `TBC` and the like are None. `1,5` is refused, never read as 15."""
    text = text.strip()
    if _not_set(text):
        return None
    number, problem = read_integer(text, low=low, high=high)
    if number is None:
        raise ValueError(f"{problem}" if problem and not problem.startswith("'") else f"'{text}' is not a number")
    return number


def _level(text: str) -> int | None:
    return _whole(text, *LEVELS)


def _duration(text: str) -> int | None:
    return _whole(text, 0, MAX_DURATION_MONTHS)


def _funding(text: str) -> int | None:
    """Whole pounds: `27000`, `£27,000` or `27000.00`; `inf`, `nan`, `1e309` and `1,5` are refused."""
    text = text.strip().removeprefix("£").strip()
    if _not_set(text):
        return None
    if POUNDS.match(text):
        text = text.replace(",", "")
    number, problem = read_number(text, low=0, high=MAX_FUNDING)
    if number is None:
        raise ValueError(problem)
    if not number.is_integer():
        raise ValueError(f"'{text}' is not a whole number of pounds")
    return int(number)


def _is_junk(row: Row) -> bool:
    """The export's last row: nothing but NUL bytes (or nothing at all)."""
    return not any(value.replace("\x00", "").strip() for value in row.cells.values())


def _parse(row: Row, table: Table, problems: list[Problem]) -> dict[str, object] | None:
    """The row's values for the columns the file has (an absent column leaves its field as it is)."""
    values: dict[str, object] = {}
    before = len(problems)
    present = set(table.header)
    for column, name in TEXT_FIELDS:
        if column not in present:
            continue
        text = row.get(column)
        problem = text_problem(text, column_limit(ApprenticeshipStandard, name))
        if problem is not None:
            label = {"reference": "Reference", "version number": "Version Number"}.get(column, column)
            problems.append(Problem(table.place(row.line, label), problem))
            continue
        values[name] = text or None
    reference = str(values.get("reference") or "")
    if "reference" in values and not REFERENCE.match(reference):
        problems.append(
            Problem(table.place(row.line, "Reference"), f"'{reference}' is not a standard reference (ST0510)")
        )
    values["reference"] = reference
    values["version"] = values.get("version") or ""
    if "title" in values:
        values["title"] = values["title"] or reference
    values["status"] = values.get("status") or ""
    if "lars_code" in values and _not_set(str(values["lars_code"] or "")):
        values["lars_code"] = None
    for column, name, parse in (
        ("level", "level", _level),
        ("typical duration", "typical_duration_months", _duration),
        ("maximum funding (£)", "max_funding", _funding),
        ("approved for delivery date", "approved_on", _day),
    ):
        if column not in present:
            continue
        text = row.get(column)
        if (problem := text_problem(text, 40)) is not None:
            problems.append(Problem(table.place(row.line, column), problem))
            continue
        try:
            values[name] = parse(text)
        except ValueError as exc:
            problems.append(Problem(table.place(row.line, column), str(exc)))
    return values if len(problems) == before else None


def import_standards(engine: Engine, actor: Actor, path: Path) -> StandardsResult:
    """Import or update every standard version in the export, keyed on reference and version; all-or-nothing.

    Raises:
        AccessDenied: the actor is not an administrator.
        InputError: each problem as `FILE:LINE: column: problem`.
    """
    require_admin(actor, "import apprenticeship standards")
    known = tuple(name.lower() for name in _header(path))
    table = read_table(path, required=REQUIRED, known=known)
    result = StandardsResult()
    problems: list[Problem] = []
    parsed: list[tuple[int, dict[str, object]]] = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        if _is_junk(row):
            result.skipped += 1
            continue
        values = _parse(row, table, problems)
        if values is None:
            continue
        key = (str(values["reference"]), str(values["version"]))
        if key in seen:
            problems.append(
                Problem(
                    table.place(row.line, "Version Number"),
                    f"{key[0]} version '{key[1]}' appears again (first on line {seen[key]})",
                )
            )
            continue
        seen[key] = row.line
        parsed.append((row.line, values))
    if problems:
        raise InputError(problems)
    if not parsed:
        raise InputError(Problem(path.name, "no standards in the file"))
    with Session(engine) as session:
        existing = {(s.reference, s.version): s for s in session.exec(select(ApprenticeshipStandard))}
        for _, values in parsed:
            key = (str(values["reference"]), str(values["version"]))
            standard = existing.get(key)
            if standard is None:
                session.add(ApprenticeshipStandard(**values))  # type: ignore[arg-type]
                result.created += 1
                continue
            changed = {k: v for k, v in values.items() if getattr(standard, k) != v}
            if not changed:
                result.unchanged += 1
                continue
            for k, v in changed.items():
                setattr(standard, k, v)
            session.add(standard)
            result.updated += 1
        programmes = {p.key for p in session.exec(select(Programme))}
        for reference in sorted({str(v["reference"]) for _, v in parsed} - programmes):
            titles = [str(v.get("title") or reference) for _, v in parsed if v["reference"] == reference]
            session.add(Programme(key=reference, title=titles[-1], kind="apprenticeship"))
        record(
            session,
            actor,
            "import",
            "apprenticeship_standard",
            path.name,
            after={"created": result.created, "updated": result.updated, "file": path.name},
        )
        session.commit()
    return result


def _header(path: Path) -> list[str]:
    """The export's own header (any of its 33 columns may be present); unknown files fall back to ours."""
    try:
        first = path.read_text(encoding="utf-8-sig", errors="replace").split("\n", 1)[0]
    except OSError:
        return list(COLUMNS)
    import csv

    return next(csv.reader([first]), list(COLUMNS))
