"""Dates as precise as the source: a day (`2018-11-08`), a month (`2017-10`) or only a year (`2017`).

Real networks report "im Oktober 2017" or "2018"; forcing a day would make editors invent one. A `Period` knows
its first and last day, sorts by its start, and two periods are out of order only when the later one ends
before the earlier one begins (so `started: 2017-10` and `completed: 2017` are fine).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic_core import PydanticCustomError

Precision = Literal["year", "month", "day"]
_FORM = re.compile(r"(?P<year>[0-9]{4})(-(?P<month>[0-9]{2}))?")
PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        if self.day:
            return self.start
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def ends_before(self, other: Period) -> bool:
        """Certainly earlier: this period is over before `other` begins."""
        return self.end < other.start

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end) < (other.start, other.end)

    def __str__(self) -> str:
        if self.day:
            return self.start.isoformat()
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    @classmethod
    def of_date(cls, day: dt.date) -> Period:
        return cls(day.year, day.month, day.day)


def parse_period(value: Any) -> Period:
    """The validator behind every date field: a YAML date, a year (`2017`), `2017-10` or `2017-10-03` as text."""
    if isinstance(value, Period):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Period.of_date(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return Period(value)
    if isinstance(value, str):
        period = _from_text(value.strip())
        if period is not None:
            return period
    raise PydanticCustomError("period", "not a date, month or year", {"value": value})


def _from_text(text: str) -> Period | None:
    try:
        return Period.of_date(dt.date.fromisoformat(text)) if len(text) == 10 else _month_or_year(text)
    except ValueError:
        return None


def _month_or_year(text: str) -> Period | None:
    match = _FORM.fullmatch(text)
    if match is None:
        return None
    month = int(match["month"]) if match["month"] else None
    if month is not None and not 1 <= month <= 12:
        return None
    return Period(int(match["year"]), month)
