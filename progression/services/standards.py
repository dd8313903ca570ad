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

from progression.errors import InputError, Problem
from progression.models import ApprenticeshipStandard, Programme
from progression.services.actor import Actor, require_admin
from progression.services.audit import record
from progression.tables import Row, read_table

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
        skipped = f", {self.skipped} junk rows skipped" if self.skipped else ""
        return (
            f"{name}: {self.created} standard versions added, {self.updated} updated, "
            f"{self.unchanged} unchanged{skipped}"
        )


def _day(text: str) -> date | None:
    text = text.strip()
    if text.lower() in NOT_SET:
        return None
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (DD-MM-YYYY)")


def _number(text: str) -> int | None:
    text = text.strip().replace(",", "").replace("£", "")
    if text.lower() in NOT_SET:
        return None
    try:
        return int(float(text))
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def _is_junk(row: Row) -> bool:
    """The export's last row: nothing but NUL bytes (or nothing at all)."""
    return not any(value.replace("\x00", "").strip() for value in row.cells.values())


def _parse(row: Row, place, problems: list[Problem]) -> dict[str, object] | None:  # type: ignore[no-untyped-def]
    values: dict[str, object] = {}
    before = len(problems)
    reference = row.get("reference")
    if not REFERENCE.match(reference):
        problems.append(Problem(place(row.line, "Reference"), f"'{reference}' is not a standard reference (ST0510)"))
    values["reference"] = reference
    values["version"] = row.get("version number")
    values["title"] = row.get("name") or reference
    values["status"] = row.get("status")
    for column, field, parse in (
        ("level", "level", _number),
        ("typical duration", "typical_duration_months", _number),
        ("maximum funding (£)", "max_funding", _number),
        ("approved for delivery date", "approved_on", _day),
    ):
        try:
            values[field] = parse(row.get(column))
        except ValueError as exc:
            problems.append(Problem(place(row.line, column), str(exc)))
    lars = row.get("lars code for providers only")
    values["lars_code"] = None if lars.lower() in NOT_SET else lars
    values["route"] = row.get("route") or None
    values["integrated_degree"] = row.get("integrated degree") or None
    values["url"] = row.get("link") or None
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
        values = _parse(row, table.place, problems)
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
            titles = [str(v["title"]) for _, v in parsed if v["reference"] == reference]
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
