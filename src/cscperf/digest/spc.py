"""Statistical process control for a monthly series: an XmR chart with NHS England's "Making Data
Count" rules and icons, so the digest tells a real change from month-to-month noise.

Limits: mean ± 2.66 × mean moving range (2.66 = 3 / 1.128, i.e. ±3 sigma); the "near a limit" line
is mean ± 2 sigma (sigma = mean MR / 1.128). Limits may be computed from a baseline (a slice of the
series) and applied to all of it. Missing months (None) are left out of the chart.

Rules (docs/spc.md), each flagging the points that make it:
  outside_limits - a point strictly above the upper or below the lower limit
  shift          - 7 or more consecutive points on the same side of the mean (a point exactly on
                   the mean ends a run)
  trend          - 6 or more consecutive points each strictly higher (or lower) than the one before
  two_of_three   - 2 of 3 consecutive points strictly beyond the same 2-sigma line
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

D2 = 1.128  # bias constant for moving ranges of two
LIMIT_FACTOR = 2.66  # = 3 / D2 to two decimals, as MDC publishes it
SHIFT_RUN = 7
TREND_RUN = 6
RULES = ("outside_limits", "shift", "trend", "two_of_three")


@dataclass(frozen=True)
class Limits:
    mean: float
    mr_mean: float
    ucl: float
    lcl: float
    upper_2s: float
    lower_2s: float
    slack: float = 0.0  # floating-point tolerance: a point this close to a line is on it


@dataclass(frozen=True)
class Signal:
    rule: str
    side: str  # high | low
    points: tuple[int, ...]  # indices into the chart's values


@dataclass(frozen=True)
class XmRChart:
    values: tuple[float, ...]
    limits: Limits
    signals: tuple[Signal, ...] = field(default_factory=tuple)

    def rules_at(self, index: int) -> set[str]:
        return {s.rule for s in self.signals if index in s.points}

    def latest_signals(self) -> list[Signal]:
        """Signals that include the most recent point."""
        last = len(self.values) - 1
        return [s for s in self.signals if last in s.points]


def limits_of(values: Sequence[float]) -> Limits:
    """Mean, mean moving range and limits of a (baseline) series of at least two points."""
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least two points")
    mean = statistics.fmean(values)
    mr_mean = statistics.fmean(abs(b - a) for a, b in zip(values, values[1:]))
    spread = LIMIT_FACTOR * mr_mean
    two_sigma = 2 * mr_mean / D2
    slack = 1e-9 * max(1.0, abs(mean), mr_mean)
    return Limits(mean, mr_mean, mean + spread, mean - spread, mean + two_sigma, mean - two_sigma, slack)


def xmr(values: Sequence[float | None], baseline: slice | None = None) -> XmRChart | None:
    """The chart of a series (None = missing month, dropped); None with fewer than two points.
    ``baseline`` selects the points (after dropping missing ones) the limits are computed from."""
    points = tuple(float(v) for v in values if v is not None)
    base = points[baseline] if baseline is not None else points
    if len(points) < 2 or len(base) < 2:
        return None
    limits = limits_of(base)
    signals = _outside(points, limits) + _shifts(points, limits) + _trends(points) + _two_of_three(points, limits)
    return XmRChart(points, limits, tuple(signals))


def _outside(values: tuple[float, ...], lim: Limits) -> list[Signal]:
    found = []
    for i, v in enumerate(values):
        if v > lim.ucl + lim.slack:
            found.append(Signal("outside_limits", "high", (i,)))
        elif v < lim.lcl - lim.slack:
            found.append(Signal("outside_limits", "low", (i,)))
    return found


def _runs(flags: list[str | None], minimum: int, rule: str, offset: int = 0) -> list[Signal]:
    """Maximal runs of the same non-None flag at least ``minimum`` long, as signals."""
    found, start = [], 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            side = flags[start]
            if side is not None and i - start >= minimum:
                found.append(Signal(rule, side, tuple(range(start + offset, i + offset))))
            start = i
    return found


def _shifts(values: tuple[float, ...], lim: Limits) -> list[Signal]:
    sides = ["high" if v > lim.mean + lim.slack else "low" if v < lim.mean - lim.slack else None for v in values]
    return _runs(sides, SHIFT_RUN, "shift")


def _trends(values: tuple[float, ...]) -> list[Signal]:
    # step i describes values[i] -> values[i+1]; a run of k equal steps covers k+1 points
    steps = ["high" if b > a else "low" if b < a else None for a, b in zip(values, values[1:])]
    found = []
    for s in _runs(steps, TREND_RUN - 1, "trend"):
        found.append(Signal("trend", s.side, tuple(range(s.points[0], s.points[-1] + 2))))
    return found


def _two_of_three(values: tuple[float, ...], lim: Limits) -> list[Signal]:
    found: list[Signal] = []
    for side, beyond in (("high", lambda v: v > lim.upper_2s + lim.slack),
                         ("low", lambda v: v < lim.lower_2s - lim.slack)):
        flagged: set[int] = set()
        for start in range(0, max(0, len(values) - 2)):
            window = [i for i in range(start, start + 3) if beyond(values[i])]
            if len(window) >= 2:
                flagged.update(window)
        if flagged:
            # contiguous groups of flagged windows are reported as one signal each
            ordered = sorted(flagged)
            group = [ordered[0]]
            for i in ordered[1:]:
                if i - group[-1] <= 2:
                    group.append(i)
                else:
                    found.append(Signal("two_of_three", side, tuple(group)))
                    group = [i]
            found.append(Signal("two_of_three", side, tuple(group)))
    return found


# --- icons -----------------------------------------------------------------------------------------

COMMON_CAUSE = "common_cause"


def variation_icon(chart: XmRChart | None, polarity: str) -> str | None:
    """MDC variation icon for the latest point: improving_high / improving_low / concerning_high /
    concerning_low / neither_high / neither_low (special cause, no polarity) / common_cause."""
    if chart is None:
        return None
    sides = {s.side for s in chart.latest_signals()}
    if not sides:
        return COMMON_CAUSE
    side = "high" if len(sides) == 1 and "high" in sides else "low" if len(sides) == 1 else _latest_side(chart)
    if polarity == "up":
        return f"improving_{side}" if side == "high" else f"concerning_{side}"
    if polarity == "down":
        return f"improving_{side}" if side == "low" else f"concerning_{side}"
    return f"neither_{side}"


def _latest_side(chart: XmRChart) -> str:
    """Conflicting signals on the latest point (rare): its side of the mean decides."""
    return "high" if chart.values[-1] >= chart.limits.mean else "low"


def assurance_icon(chart: XmRChart | None, target: float | None, polarity: str) -> str | None:
    """MDC assurance icon: consistently_met (the whole process is on the right side of the target),
    consistently_missed (on the wrong side), hit_and_miss (the target lies within the limits)."""
    if chart is None or target is None or polarity not in ("up", "down"):
        return None
    lim = chart.limits
    if polarity == "up":
        if target <= lim.lcl:
            return "consistently_met"
        if target > lim.ucl:
            return "consistently_missed"
    else:
        if target >= lim.ucl:
            return "consistently_met"
        if target < lim.lcl:
            return "consistently_missed"
    return "hit_and_miss"


ICON_LABELS = {
    "common_cause": "Common cause variation",
    "improving_high": "Special cause: improving (high)",
    "improving_low": "Special cause: improving (low)",
    "concerning_high": "Special cause: concerning (high)",
    "concerning_low": "Special cause: concerning (low)",
    "neither_high": "Special cause: higher (no judgement)",
    "neither_low": "Special cause: lower (no judgement)",
    "consistently_met": "Target consistently met",
    "hit_and_miss": "Target hit and miss",
    "consistently_missed": "Target consistently missed",
}
RULE_LABELS = {
    "outside_limits": "a point outside the process limits",
    "shift": f"a run of {SHIFT_RUN} or more points on one side of the mean",
    "trend": f"{TREND_RUN} or more points rising or falling in a row",
    "two_of_three": "2 of 3 points close to a process limit",
}
