"""Amounts as honest as their sources: exact, approximate ("etwa 35.000 €"), a range, or unknown.

Unknown is never zero: a missing value stays None and is shown as "keine Angabe"; a sum of what is known says how
many items it covers (`Total.known` of `Total.count`). Approximate parts make the sum approximate, ranges make it a
range. Every figure on the site (and later in reports) is added up with these types, once, in publish.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import model as m


@dataclass(frozen=True)
class Quantity:
    low: float
    high: float
    approx: bool = False

    @classmethod
    def of(cls, value: m.Amount | None) -> Quantity | None:
        """The model's value (a number or an `Estimate`) as a quantity; None stays None (unknown)."""
        if value is None:
            return None
        if isinstance(value, m.Estimate):
            if value.approx is not None:
                return cls(value.approx, value.approx, approx=True)
            return cls(value.min, value.max)
        return cls(float(value), float(value))

    @property
    def ranged(self) -> bool:
        return self.high != self.low

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.low + other.low, self.high + other.high, self.approx or other.approx)

    def times(self, factor: float) -> Quantity:
        return Quantity(self.low * factor, self.high * factor, self.approx)


def add(values: Iterable[Quantity | None]) -> Quantity | None:
    """The sum of the known values; None when none is known."""
    known = [value for value in values if value is not None]
    if not known:
        return None
    total = known[0]
    for value in known[1:]:
        total = total + value
    return total


@dataclass
class Total:
    """A sum and what it covers: `value` is known for `known` of `count` items (plus `reported` totals that
    networks published for an event or a year)."""

    value: Quantity | None = None
    known: int = 0
    count: int = 0
    reported: int = 0

    def include(self, value: Quantity | None) -> None:
        """One item (a cooperation) with its value, known or not."""
        self.count += 1
        if value is not None:
            self.known += 1
            self.value = add([self.value, value])

    def include_reported(self, value: Quantity | None) -> None:
        """A total the network reported (an event's or a year's results), if it states this figure."""
        if value is not None:
            self.reported += 1
            self.value = add([self.value, value])

    @property
    def complete(self) -> bool:
        return self.known == self.count
