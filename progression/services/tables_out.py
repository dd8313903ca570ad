"""Writing tables for spreadsheets: CSV (UTF-8, Excel-friendly) and XLSX, chosen by the file's suffix."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from progression.errors import InputError, Problem

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
                sheet.append(list(header))
                for row in rows:
                    sheet.append([_cell(v) for v in row])
            book.save(path)
        elif suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                for number, (name, header, rows) in enumerate(sheets):
                    if len(sheets) > 1:
                        if number:
                            writer.writerow([])
                        writer.writerow([name])
                    writer.writerow(header)
                    writer.writerows([[_cell(v) for v in row] for row in rows])
        else:
            raise InputError(Problem("--output", f"'{path.name}' must end in .csv or .xlsx"))
    except OSError as exc:
        raise InputError(Problem("--output", f"cannot write {path}: {exc.strerror}")) from None
    return path


def _cell(value: object) -> object:
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return value
