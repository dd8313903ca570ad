"""Reading tabular files councils have (CSV or the first sheet of an XLSX) into rows with line numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from progression.dates import read_date
from progression.errors import InputError, Problem
from progression.fields import read_integer, read_number, text_problem

csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class Row:
    """One data row: its line in the file and its cells by lower-cased header name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: list[Row]

    def place(self, line: int, column: str | None = None) -> str:
        return f"{self.path.name}:{line}: {column}" if column else f"{self.path.name}:{line}"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(Problem(path.name, f"not a readable .xlsx workbook ({exc})")) from None
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise InputError(Problem(path.name, f"not a readable .xlsx workbook ({type(exc).__name__})")) from None
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _read_csv(path: Path) -> list[tuple[int, list[str]]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(str(path), f"cannot be read: {exc.strerror}")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem(f"{path.name}:{line}", "not UTF-8 text (save the file as CSV UTF-8)")) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise InputError(Problem(f"{path.name}:{reader.line_num}", f"not valid CSV: {exc}")) from None
    return rows


def read_table(path: Path, *, required: tuple[str, ...], known: tuple[str, ...]) -> Table:
    """Read a CSV or XLSX file whose first row is a header.

    Blank rows are skipped. Header names are matched case-insensitively.

    Raises:
        InputError: unreadable file, missing or unknown or repeated columns, or no header.
    """
    if not path.exists():
        raise InputError(Problem(str(path), "no such file"))
    raw_rows = _read_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _read_csv(path)
    raw_rows = [(n, v) for n, v in raw_rows if any(cell.strip() for cell in v)]
    if not raw_rows:
        raise InputError(Problem(path.name, "the file is empty: a header row is required"))
    header_line, header_values = raw_rows[0]
    header = [h.strip().lower() for h in header_values]
    problems: list[Problem] = []
    for name in required:
        if name not in header:
            problems.append(Problem(f"{path.name}:{header_line}", f"missing required column '{name}'"))
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name in seen:
            problems.append(Problem(f"{path.name}:{header_line}: {name}", "column appears twice"))
        elif name not in known:
            problems.append(
                Problem(f"{path.name}:{header_line}: {name}", f"unknown column (expected: {', '.join(known)})")
            )
        seen.add(name)
    if problems:
        raise InputError(problems)
    rows = []
    for number, values in raw_rows[1:]:
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            problems.append(Problem(f"{path.name}:{number}", f"{len(values)} cells but the header has {len(header)}"))
            continue
        cells = {name: values[i] if i < len(values) else "" for i, name in enumerate(header) if name}
        rows.append(Row(number, cells))
    if problems:
        raise InputError(problems)
    return Table(path, header, rows)


class Findings:
    """Problems found in a table, each at its line, reported in line order (a problem about the whole file
    first)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._items: list[tuple[int, Problem]] = []

    def __len__(self) -> int:
        return len(self._items)

    def add(self, line: int, column: str | None, message: str) -> None:
        self._items.append((line, Problem(self.table.place(line, column), message)))

    def whole_file(self, message: str) -> None:
        self._items.append((0, Problem(self.table.path.name, message)))

    def raise_if_any(self) -> None:
        """Raises InputError with every problem, by line (stable: a line's problems keep their order)."""
        if self._items:
            raise InputError([problem for _, problem in sorted(self._items, key=lambda item: item[0])])


class Cells:
    """Reads one row's cells into checked values; every problem goes to `findings` as `FILE:LINE: column`.

    A cell that holds a control character (NUL, an escape code) is refused whatever its column, before its
    value is read or shown in any message. An empty cell reads as None.
    """

    def __init__(self, findings: Findings, row: Row) -> None:
        self.findings, self.row = findings, row
        self._start = len(findings)

    @property
    def ok(self) -> bool:
        """No problem found in this row so far."""
        return len(self.findings) == self._start

    def present(self, column: str) -> bool:
        """The file has this column (an absent column leaves its field as it is)."""
        return column in self.findings.table.header

    def bad(self, column: str, message: str) -> None:
        self.findings.add(self.row.line, column, message)

    def text(self, column: str, limit: int | None = None, *, required: bool = False) -> str | None:
        """The cell's text (stripped), None when empty; refused when over `limit` or holding a control character."""
        value = self.row.get(column)
        if not value:
            if required:
                self.bad(column, "required but empty")
            return None
        problem = text_problem(value, limit)
        if problem is not None:
            self.bad(column, problem)
            return None
        return value

    def day(self, column: str, *, required: bool = False) -> date | None:
        """A strict ISO date in the accepted range (progression.dates.read_date)."""
        value = self.text(column, 40, required=required)
        if value is None:
            return None
        day, problem = read_date(value)
        if problem is not None:
            self.bad(column, problem)
        return day

    def number(self, column: str, *, low: float, high: float, required: bool = False) -> float | None:
        """A finite decimal number in `low..high` (progression.fields.read_number)."""
        value = self.text(column, 40, required=required)
        if value is None:
            return None
        number, problem = read_number(value, low=low, high=high)
        if problem is not None:
            self.bad(column, problem)
        return number

    def integer(self, column: str, *, low: int, high: int, required: bool = False) -> int | None:
        """A whole number in `low..high` (progression.fields.read_integer)."""
        value = self.text(column, 40, required=required)
        if value is None:
            return None
        number, problem = read_integer(value, low=low, high=high)
        if problem is not None:
            self.bad(column, problem)
        return number
