"""Shared pieces of the reference models: dates, keys, sources, dated windows, periods and checks."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from progression.dates import add_days, add_months
from progression.errors import InputError, Problem

Loc = tuple[str | int, ...]

MAX_MONTHS = 600
"""The longest span in months any rule, programme, requirement or payment may name (50 years)."""
MAX_WEEKS = 2_600
"""The longest span in weeks (50 years)."""
MAX_DAYS = 3_650
"""The most days a rule may count (ten years)."""
MAX_MONEY = 10_000_000
"""The largest amount of money in pounds (a year's pay, a payment, a funding band)."""
MAX_COUNT = 10_000
"""The largest count of records, hours a year, capabilities and the like."""
MAX_WEEKLY_HOURS = 168
"""Hours in a week."""
Service = Literal["children", "adults"]
SERVICES: tuple[str, ...] = ("children", "adults")


def _iso_date(value: Any) -> Any:
    """Accepts a date or an ISO `YYYY-MM-DD` string, nothing else."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(value)
    raise PydanticCustomError("iso_date", "expected a date as YYYY-MM-DD, got {value}", {"value": repr(value)})


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Key = Annotated[str, StringConstraints(pattern=r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*|ST\d{4})$")]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")]


class Invalid(ValueError):
    """Problems found by a model validator, each with its place inside the model."""

    def __init__(self, items: list[tuple[Loc, str]]) -> None:
        super().__init__("; ".join(f"{format_loc(loc)}: {msg}" for loc, msg in items))
        self.items = items


def raise_if(items: list[tuple[Loc, str]]) -> None:
    """Raises Invalid when a validator found problems."""
    if items:
        raise Invalid(items)


def format_loc(loc: Sequence[str | int]) -> str:
    """Formats a pydantic location as `a[3].b`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Model(BaseModel):
    """No coercion (`true` is not a number, `1` is not `true`); every number has bounds."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Source(Model):
    """Where a fact comes from: the address as cited in DOMAIN.md (a plain string in YAML is the `ref`)."""

    ref: str = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"ref": value} if isinstance(value, str) else value


class Window(Model):
    """A span of dates, both ends inclusive; a missing end is open."""

    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None

    @model_validator(mode="after")
    def _check_window(self) -> Window:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise Invalid([(("valid_to",), f"{self.valid_to} is before valid_from {self.valid_from}")])
        return self

    def covers(self, day: date) -> bool:
        """True when `day` falls inside the window."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Dated(Window):
    """A rule or item that applies between two dates, with its sources."""

    sources: list[Source] = Field(min_length=1)
    note: str | None = None
    unverified: bool = False


class Period(Model):
    """A length of whole weeks or calendar months: `{weeks: 12}` or `{months: 3}`."""

    weeks: int | None = Field(default=None, gt=0, le=MAX_WEEKS)
    months: int | None = Field(default=None, gt=0, le=MAX_MONTHS)

    @model_validator(mode="after")
    def _exactly_one(self) -> Period:
        if (self.weeks is None) == (self.months is None):
            raise Invalid([((), "give exactly one of weeks or months")])
        return self

    def add_to(self, day: date, times: int = 1) -> date:
        """The date `times` periods after `day` (months clamp to the month's end)."""
        if self.weeks is not None:
            return add_days(day, 7 * self.weeks * times)
        return add_months(day, (self.months or 0) * times)


class ReviewInterval(Period):
    """How often apprenticeship progress reviews fall due."""


RuleT = TypeVar("RuleT", bound=Window)


def duplicates(keys: list[str], section: str, field: str) -> list[tuple[Loc, str]]:
    """Problems for repeated keys, located at `section[i].field`."""
    seen: set[str] = set()
    items: list[tuple[Loc, str]] = []
    for i, key in enumerate(keys):
        if key in seen:
            items.append(((section, i, field), f"duplicate {field} '{key}'"))
        seen.add(key)
    return items


def overlaps(windows: Sequence[tuple[Any, Window]], where: Callable[[Any], Loc]) -> list[tuple[Loc, str]]:
    """Problems for windows that overlap; `where(id)` gives the location of a window."""
    ordered = sorted(windows, key=lambda w: w[1].valid_from or date.min)
    items: list[tuple[Loc, str]] = []
    for (prev_id, prev), (cur_id, cur) in zip(ordered, ordered[1:], strict=False):
        if prev.valid_to is None or cur.valid_from is None or cur.valid_from <= prev.valid_to:
            key = getattr(prev, "key", None)
            other = f"'{key}'" if key else format_loc(where(prev_id))
            span = f"{prev.valid_from or 'open'} to {prev.valid_to or 'open'}"
            items.append(((*where(cur_id), "valid_from"), f"overlaps {other} ({span})"))
    return items


def pick(rules: Sequence[RuleT], day: date, what: str, which: str = "") -> RuleT:
    """The first rule covering `day` (validation forbids overlaps); InputError if none does.

    `which` says where the day comes from (such as `--today`), so the message can name it.
    """
    for rule in rules:
        if rule.covers(day):
            return rule
    starts = [rule.valid_from for rule in rules if rule.valid_from is not None]
    span = f"; the first starts on {min(starts).isoformat()}" if starts and day < min(starts) else ""
    source = f" ({which})" if which else ""
    raise InputError(Problem("", f"no {what} covers {day.isoformat()}{source}{span}"))
