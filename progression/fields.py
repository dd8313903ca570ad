"""The one definition of what a field may hold: text lengths come from the table models' columns,
and every text and number that comes in is checked here, the same way on SQLite and PostgreSQL
(SQLite would store a 300-character name in a 200-character column; PostgreSQL would refuse it
with an SQL error)."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

MAX_INTEGER = 2**31 - 1
"""The largest value an integer column holds on every backend (PostgreSQL `integer`)."""


def column_limit(model: type[Any], field: str) -> int | None:
    """The length limit of a text column, read from the table model (None: unlimited)."""
    column = model.__table__.c[field]  # type: ignore[attr-defined]
    length = getattr(column.type, "length", None)
    return length if isinstance(length, int) else None


def text_problem(value: str, limit: int | None) -> str | None:
    """Why `value` cannot be stored as text, or None.

    Refused: NUL and other control characters (a line break or tab is allowed only in free text, which
    callers check with `multiline=True` through `free_text_problem`), and text longer than `limit`.
    """
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return "contains a control character (such as NUL or an escape code)"
    if limit is not None and len(value) > limit:
        return f"is {len(value)} characters long; at most {limit} are allowed"
    return None


def free_text_problem(value: str, limit: int | None) -> str | None:
    """Like `text_problem`, for free text where line breaks and tabs are allowed."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
        return "contains a control character (such as NUL or an escape code)"
    if limit is not None and len(value) > limit:
        return f"is {len(value)} characters long; at most {limit} are allowed"
    return None


def field_problem(model: type[Any], field: str, value: str) -> str | None:
    """Why `value` cannot go into `model.field`, or None."""
    return text_problem(value, column_limit(model, field))


def integer_problem(value: int, *, low: int = 0, high: int = MAX_INTEGER) -> str | None:
    """Why an integer is outside `low..high`, or None."""
    if not low <= value <= high:
        return f"{value} is outside {low}–{high:,}"
    return None


def read_number(text: str, *, low: float, high: float) -> tuple[float | None, str | None]:
    """A finite decimal number written with a dot, in `low..high`: (number, None) or (None, why not).

    `inf`, `nan`, `1e309` and `1,5` are refused: the first three are not amounts, and a comma is a
    thousands separator to some and a decimal point to others.
    """
    value = text.strip()
    if not value or any(ch not in "0123456789.-+eE" for ch in value):
        return None, f"'{text}' is not a number (use digits and a dot, such as 7.5)"
    try:
        number = float(value)
    except ValueError:
        return None, f"'{text}' is not a number (use digits and a dot, such as 7.5)"
    if not math.isfinite(number):
        return None, f"'{text}' is not a finite number"
    if not low <= number <= high:
        return None, f"{value} is outside {low:g}–{high:g}"
    return number, None


def read_integer(text: str, *, low: int = 0, high: int = MAX_INTEGER) -> tuple[int | None, str | None]:
    """A whole number in `low..high`, digits only: (number, None) or (None, why not)."""
    value = text.strip()
    sign = value[:1] in "+-" and len(value) > 1
    if not (value[1:] if sign else value).isdigit() or not value.isascii():
        return None, f"'{text}' is not a whole number"
    number = int(value)
    problem = integer_problem(number, low=low, high=high)
    return (None, problem) if problem else (number, None)


def _row_problem(row: object) -> tuple[str, str] | None:
    """The first (table.column, why) that cannot be stored from a mapped row, or None."""
    table = getattr(type(row), "__table__", None)
    if table is None:
        return None
    for column in table.columns:
        value = row.__dict__.get(column.key)
        problem = None
        if isinstance(value, str):
            limit = getattr(column.type, "length", None)
            problem = text_problem(value, limit) if isinstance(limit, int) else free_text_problem(value, None)
        elif isinstance(value, float) and not math.isfinite(value):
            problem = f"{value} is not a finite number"
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            problem = integer_problem(value, low=-MAX_INTEGER)
        if problem is not None:
            return f"{table.name}.{column.name}", problem
    return None


def _check_before_flush(session: Any, _context: Any, _instances: Any) -> None:
    from progression.errors import InputError, Problem

    for row in (*session.new, *session.dirty):
        found = _row_problem(row)
        if found is not None:
            raise InputError(Problem(*found))


def guard_writes() -> None:
    """The last line of defence, the same on every backend: no ORM write stores text longer than its column,
    a control character (outside free text's line breaks and tabs), a number that is not finite or an
    integer that PostgreSQL would refuse. Services check first, with the user's words for the place; this
    catches what they miss, before any SQL is sent."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "before_flush", _check_before_flush):
        event.listen(Session, "before_flush", _check_before_flush)


TEXT_LIMITS: dict[str, int] = {
    "title": 300,
    "note": 2_000,
    "reason": 2_000,
    "reflection": 10_000,
}
"""The longest free text of each kind, where the column itself sets no limit (a column's own limit, such as a
300-character title, always comes first): a short `title` (one line), a `note` (a request's note, a plan move's
note, a goal's description, supervision notes), a decider's `reason`, and a long `reflection` (CPD and evidence
reflections). Every service that takes free text checks it with `check_free_text`, and every form field that
takes it passes `free_text_limit` as its limit, so the command line and the screens refuse the same text with
the same words."""


def free_text_limit(kind: str, model: type[Any] | None = None, field: str | None = None) -> int:
    """The longest text of `kind` (a key of TEXT_LIMITS) that `model.field` takes: the column's own limit
    when it has one, else the kind's."""
    own = column_limit(model, field) if model is not None and field is not None else None
    return own if own is not None else TEXT_LIMITS[kind]


def check_free_text(
    value: str | None, place: str, kind: str, model: type[Any] | None = None, field: str | None = None
) -> str:
    """`value` stripped, when it may be stored as free text of `kind` (line breaks and tabs allowed).

    The limit is `free_text_limit(kind, model, field)`; control characters such as NUL are refused on every
    backend.

    Raises:
        InputError: naming `place` (the option, such as `--note`, or the form field), saying
            "the text is N characters long; at most L are allowed" or what character it holds.
    """
    from progression.errors import InputError, Problem

    text = (value or "").strip()
    problem = free_text_problem(text, free_text_limit(kind, model, field))
    if problem is not None:
        raise InputError(Problem(place, f"the text {problem}"))
    return text


def check_title(value: str | None, place: str, model: type[Any], field: str = "title") -> str:
    """`value` stripped, when it is a one-line title `model.field` takes: not empty, within the column's limit
    (else TEXT_LIMITS["title"]), no control characters.

    Raises:
        InputError: naming `place`.
    """
    from progression.errors import InputError, Problem

    text = (value or "").strip()
    if not text:
        raise InputError(Problem(place, "a title is required"))
    problem = text_problem(text, free_text_limit("title", model, field))
    if problem is not None:
        raise InputError(Problem(place, f"the title {problem}"))
    return text


def free_text_issue(value: str, kind: str, model: type[Any] | None = None, field: str | None = None) -> str | None:
    """Why `value` cannot be stored as free text of `kind` in `model.field` ("the text is N characters long; at
    most L are allowed", or the character it holds), or None: for services that collect every problem of a form
    before refusing it, in the same words as `check_free_text`."""
    problem = free_text_problem(value, free_text_limit(kind, model, field))
    return f"the text {problem}" if problem is not None else None
