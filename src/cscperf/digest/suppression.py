"""Small-number suppression for the public (scrutiny) digest.

Primary: every count from 1 to 4 is replaced by the marker "c" (any value above 0 and below 5, so a
fractional FTE count is covered too; 0 is shown). Secondary: in any group of cells whose total is
shown, a single suppressed cell could be recovered by subtraction, so one more cell - the smallest
non-zero one - is suppressed too; if there is none, the total is suppressed instead.

A percentage is a group of two cells (numerator and denominator - numerator) with the denominator as
total, so a numerator of 2, or a numerator 2 short of its denominator, hides the numerator and the
percentage. Any statistic computed over months (mean, limits) is computed only from published
months, so a hidden month cannot be recovered from it either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Hashable, TypeVar

SUPPRESSED = "c"
K = TypeVar("K", bound=Hashable)


def is_small(count: float | None) -> bool:
    return count is not None and 0 < count < 5


def suppress_group(cells: Mapping[K, float | None]) -> tuple[set[K], bool]:
    """(cells to hide, whether the group's total must be hidden) for cells summing to a shown total."""
    hidden = {k for k, v in cells.items() if is_small(v)}
    if len(hidden) != 1:
        return hidden, False
    candidates = sorted((v, str(k), k) for k, v in cells.items() if k not in hidden and v)
    if candidates:
        hidden.add(candidates[0][2])
        return hidden, False
    return hidden, True


@dataclass(frozen=True)
class Published:
    """A rate as published: each part a number or the marker."""

    numerator: float | str | None
    denominator: float | str | None
    value: float | str | None

    @property
    def hidden(self) -> bool:
        return self.value == SUPPRESSED


def publish_rate(numerator: float | None, denominator: float | None, value: float | None, unit: str) -> Published:
    """Suppress a numerator/denominator/value triple for public output."""
    if is_small(denominator):
        return Published(SUPPRESSED, SUPPRESSED, SUPPRESSED if value is not None else None)
    if numerator is None:
        return Published(None, denominator, value)
    cells = {"numerator": numerator}
    if unit == "percent" and denominator is not None:
        cells["rest"] = denominator - numerator
    hidden, _ = suppress_group(cells)
    if "numerator" in hidden:
        return Published(SUPPRESSED, denominator, SUPPRESSED if value is not None else None)
    return Published(numerator, denominator, value)


def publish_table(rows: Mapping[K, float]) -> tuple[dict[K, float | str], float | str]:
    """A table of counts with its total row, suppressed (the total is the true total or "c")."""
    hidden, hide_total = suppress_group(rows)
    shown: dict[K, float | str] = {k: (SUPPRESSED if k in hidden else v) for k, v in rows.items()}
    total = sum(rows.values())
    return shown, (SUPPRESSED if hide_total or is_small(total) else total)
