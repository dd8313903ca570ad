"""Collects generated rows per table with ids assigned up front, then writes them in bulk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlmodel import Session, SQLModel


def _default(default: Any) -> Any:
    """A column's Python-side default, which COPY (unlike INSERT through SQLAlchemy) does not apply."""
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg


def _complete(table: Any, rows: list[dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every row with the same columns, missing ones filled with the column's Python-side default."""
    present: set[str] = set().union(*rows)
    columns = [c.name for c in table.columns if c.name in present or c.default is not None]
    defaults = {c.name: c.default for c in table.columns}
    return columns, [tuple(row[c] if c in row else _default(defaults[c]) for c in columns) for row in rows]


class Rows:
    """Rows to insert, per table model, in the order the tables must be written."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tables: dict[type[SQLModel], list[dict[str, Any]]] = {}
        self._next: dict[type[SQLModel], int] = {}

    def add(self, model: type[SQLModel], **values: Any) -> int:
        """Queue a row and return its id (0 for a link table without one)."""
        if "id" not in model.__table__.columns:  # type: ignore[attr-defined]
            self.tables.setdefault(model, []).append(values)
            return 0
        if model not in self._next:
            current = self.session.execute(select(func.max(model.id))).scalar()  # type: ignore[attr-defined]
            self._next[model] = (current or 0) + 1
        row_id = self._next[model]
        self._next[model] += 1
        self.tables.setdefault(model, []).append({"id": row_id, **values})
        return row_id

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())

    def write(self, progress: Callable[[int], None] | None = None, batch: int = 5000) -> None:
        """Insert every queued row (COPY on PostgreSQL, executemany elsewhere), in table order."""
        if self.session.get_bind().dialect.name == "postgresql":
            self._copy(progress)
            return
        connection = self.session.connection()
        done = 0
        for model, rows in self.tables.items():
            table = model.__table__  # type: ignore[attr-defined]
            columns, values = _complete(table, rows)
            for start in range(0, len(values), batch):
                chunk = [dict(zip(columns, row, strict=True)) for row in values[start : start + batch]]
                connection.execute(insert(table), chunk)
                done += len(chunk)
                if progress:
                    progress(done)

    def _copy(self, progress: Callable[[int], None] | None) -> None:
        """PostgreSQL's COPY through psycopg, then move the id sequences past the rows written."""
        self.session.flush()
        cursor = self.session.connection().connection.cursor()
        done = 0
        for model, rows in self.tables.items():
            if not rows:
                continue
            table = model.__table__  # type: ignore[attr-defined]
            columns, values = _complete(table, rows)
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in values:
                    copy.write_row(row)
            done += len(rows)
            if progress:
                progress(done)
        for model in self.tables:
            if "id" not in model.__table__.columns:  # type: ignore[attr-defined]
                continue
            table = model.__tablename__  # type: ignore[attr-defined]
            self.session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
