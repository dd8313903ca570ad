"""Writing tables for spreadsheets: CSV (UTF-8, Excel-friendly) and XLSX, chosen by the file's suffix.

No cell is ever a formula: in CSV, text that a spreadsheet would run (`=`, `+`, `-`, `@`, tab or carriage
return first) gets a leading single quote; in XLSX every text is written as a string (never a formula), with
Excel's quote prefix on such text so that editing the cell keeps it text. Numbers and dates stay numbers and
dates. Control characters are shown as visible stand-ins (and XLSX could not hold them anyway)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from progression.errors import InputError, Problem
from progression.safe_text import FORMULA_STARTS, spreadsheet_cell, visible

Sheet = tuple[str, Sequence[str], Sequence[Sequence[object]]]
"""(sheet name, header, rows)"""


def write_tables(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write one or more tables: an .xlsx gets a sheet each; a .csv gets them one after another, blank-line apart.

    Raises:
        InputError: the suffix is neither .csv nor .xlsx, or the file cannot be written.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            from openpyxl import Workbook

            book = Workbook()
            book.remove(book.active)  # type: ignore[arg-type]
            for name, header, rows in sheets:
                sheet = book.create_sheet(title=name[:31])
                for number, values in enumerate([header, *rows], start=1):
                    for column, value in enumerate(values, start=1):
                        _xlsx_cell(sheet.cell(row=number, column=column), _cell(value))
            book.save(path)
        elif suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                for number, (name, header, rows) in enumerate(sheets):
                    if len(sheets) > 1:
                        if number:
                            writer.writerow([])
                        writer.writerow([spreadsheet_cell(name)])
                    writer.writerow([spreadsheet_cell(v) for v in header])
                    writer.writerows([[spreadsheet_cell(_cell(v)) for v in row] for row in rows])
        else:
            raise InputError(Problem("--output", f"'{path.name}' must end in .csv or .xlsx"))
    except OSError as exc:
        raise InputError(Problem("--output", f"cannot write {path}: {exc.strerror}")) from None
    return path


def _cell(value: object) -> object:
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return value


def _xlsx_cell(cell: Any, value: object) -> None:
    """Put `value` in an openpyxl cell: text as a string, never a formula (openpyxl reads text that starts
    with `=` as one)."""
    if isinstance(value, str):
        text = visible(value)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun in the right number, with thousands separated: "1 team", "2 teams", "1,204 people"
    (`counted(n, "person", "people")`)."""
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"
