"""Plain-English sentences about one indicator, generated only from facts that are present.

Each sentence has a kind (month, year, spc, target, assurance, benchmark) so tests can check that a
sentence appears exactly when its fact holds. Rules that keep the text honest:
- a one-month or one-year change is described (up / down / unchanged), never called an improvement
  or a deterioration: only an SPC signal supports "improving" or "concerning";
- "unchanged" means equal at the precision shown;
- no value, no comparator or too short a series -> no sentence, never a guess;
- a month with no data (outside what the loaded extracts cover) is never compared with: the text
  says "no data for <month>", or compares with the latest earlier month that has data and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cscperf.digest.catalogue import IndicatorInfo
from cscperf.digest.comparison import YearPosition
from cscperf.digest.spc import RULE_LABELS, XmRChart, assurance_icon, variation_icon
from cscperf.digest.targets import GREEN, Target, rag

MIN_SPC_POINTS = 12  # fewer months than this: no SPC sentence (MDC advises 15-20 for stable limits)


@dataclass(frozen=True)
class Sentence:
    kind: str
    text: str


@dataclass(frozen=True)
class Facts:
    indicator: IndicatorInfo
    month: date
    value: float | None
    last_month: float | None = None
    last_year: float | None = None
    chart: XmRChart | None = None
    target: Target | None = None
    benchmark: YearPosition | None = None
    benchmark_previous: YearPosition | None = None
    council_name: str = "the council"
    benchmark_period: str = ""
    # "no data" (the loaded extracts do not cover the month: the engine stored no row) is not the
    # same as no figure (a suppressed or undefined value): it is said, never compared with
    no_data: bool = False
    last_month_no_data: bool = False
    last_year_no_data: bool = False
    # when last month has no data: the latest earlier month with a figure, compared with instead
    earlier: tuple[date, float] | None = None


def fmt(value: float, unit: str) -> str:
    """A value as the digest prints it."""
    if unit == "percent":
        return f"{value:.1f}%"
    if unit in ("rate_10k", "rate_per_10k", "per_10k"):
        return f"{value:.1f} per 10,000 children"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "days":
        return f"{value:,.0f} days"
    return f"{value:.1f}"


def _rounded(value: float, unit: str) -> float:
    return round(value, 0 if unit in ("count", "days") else 1)


def change_phrase(now: float, before: float, unit: str) -> tuple[str, float]:
    """("up", 1.5) / ("down", 0.4) / ("unchanged", 0) at the precision printed."""
    diff = _rounded(now, unit) - _rounded(before, unit)
    diff = round(diff, 0 if unit in ("count", "days") else 1)
    if diff == 0:
        return "unchanged", 0.0
    return ("up" if diff > 0 else "down"), abs(diff)


def _size(diff: float, unit: str) -> str:
    if unit == "percent":
        return f"{diff:.1f} percentage point{'' if diff == 1 else 's'}"
    if unit in ("count", "days"):
        return fmt(diff, unit)
    if unit in ("rate_10k", "rate_per_10k", "per_10k"):
        return f"{diff:.1f} per 10,000"
    return f"{diff:.1f}"


def _month_name(d: date) -> str:
    return d.strftime("%B %Y")


def _previous_month(d: date) -> date:
    return date(d.year - 1, 12, 1) if d.month == 1 else date(d.year, d.month - 1, 1)


def sentences(facts: Facts) -> list[Sentence]:
    """The sentences the facts support, in reading order."""
    ind, unit = facts.indicator, facts.indicator.unit
    out: list[Sentence] = []
    if facts.value is None:
        if facts.no_data:
            out.append(Sentence("no_data", f"There is no data for {_month_name(facts.month)}: "
                                           "the loaded extracts do not cover it."))
        return out + _benchmark(facts)  # nothing about the month (missing or suppressed); DfE's figures still stand
    now = facts.value
    title = ind.title[0].upper() + ind.title[1:] if ind.title else ind.id
    previous = _previous_month(facts.month)
    if facts.last_month is not None:
        out.append(Sentence("month", _month_change(title, now, facts.month, facts.last_month, previous, unit)))
    elif facts.last_month_no_data and facts.earlier is not None:
        text = _month_change(title, now, facts.month, facts.earlier[1], facts.earlier[0], unit)
        out.append(Sentence("month", f"{text[:-1]}, the latest earlier month with a figure "
                                     f"(there is no data for {_month_name(previous)})."))
    elif facts.last_month_no_data:
        out.append(Sentence("month", f"{title} was {fmt(now, unit)} in {_month_name(facts.month)}; there is no "
                                     f"data for {_month_name(previous)} or any earlier month to compare with."))
    if facts.last_year is None and facts.last_year_no_data:
        when = _month_name(date(facts.month.year - 1, facts.month.month, 1))
        out.append(Sentence("year", f"There is no data for {when} to compare with a year earlier."))
    if facts.last_year is not None:
        direction, diff = change_phrase(now, facts.last_year, unit)
        when = _month_name(date(facts.month.year - 1, facts.month.month, 1))
        if direction == "unchanged":
            text = f"That is the same as a year earlier ({when})."
        else:
            word = "higher" if direction == "up" else "lower"
            text = f"That is {_size(diff, unit)} {word} than a year earlier ({fmt(facts.last_year, unit)} in {when})."
        out.append(Sentence("year", text))
    out.extend(_target(facts))
    out.extend(_spc(facts))
    out.extend(_benchmark(facts))
    return out


def _month_change(title: str, now: float, month: date, before: float, when_month: date, unit: str) -> str:
    direction, diff = change_phrase(now, before, unit)
    when = _month_name(when_month)
    if direction == "unchanged":
        return f"{title} was {fmt(now, unit)} in {_month_name(month)}, unchanged from {when}."
    return (f"{title} was {fmt(now, unit)} in {_month_name(month)}, {direction} "
            f"{_size(diff, unit)} from {fmt(before, unit)} in {when}.")


def _spc(facts: Facts) -> list[Sentence]:
    chart = facts.chart
    if chart is None or len(chart.values) < MIN_SPC_POINTS:
        return []
    unit, polarity = facts.indicator.unit, facts.indicator.polarity
    icon = variation_icon(chart, polarity)
    found = []
    if icon == "common_cause":
        lim = chart.limits
        found.append(Sentence("spc", (
            f"The latest month shows only common-cause variation: over {len(chart.values)} months the "
            f"figure would be expected to vary between {fmt(lim.lcl, unit)} and {fmt(lim.ucl, unit)} "
            "without any real change.")))
    else:
        rules = sorted({s.rule for s in chart.latest_signals()})
        why = " and ".join(RULE_LABELS[r] for r in rules)
        verdict = {"improving": "an improvement", "concerning": "a concern", "neither": "a real change"}[icon.split("_")[0]]
        found.append(Sentence("spc", f"The latest month is a signal of special-cause variation ({why}): {verdict}."))
    target = facts.target
    assurance = assurance_icon(chart, target.target if target else None, polarity)
    if assurance == "consistently_met":
        found.append(Sentence("assurance", "If nothing changes, the target will be met consistently: it lies outside the process limits on the right side."))
    elif assurance == "consistently_missed":
        found.append(Sentence("assurance", "If nothing changes, the target will be missed consistently: it lies outside the process limits on the wrong side, so the process itself has to change."))
    elif assurance == "hit_and_miss":
        found.append(Sentence("assurance", "The target lies within the process limits, so it will be hit and missed from month to month by chance."))
    return found


def _target(facts: Facts) -> list[Sentence]:
    target, unit = facts.target, facts.indicator.unit
    status = rag(facts.value, target)
    if status is None or target is None or target.target is None or facts.value is None:
        return []
    aim = f"{fmt(target.target, unit)} or {'more' if target.polarity == 'up' else 'less'}"
    if status == GREEN:
        return [Sentence("target", f"It meets the target ({aim}).")]
    gap = abs(facts.value - target.target)
    side = "below" if target.polarity == "up" else "above"
    where = "within" if status == "amber" else "beyond"
    return [Sentence("target", (
        f"It is {_size(round(gap, 1), unit)} {side} the target ({aim}): {status}, {where} the "
        f"tolerance of {_size(target.tolerance, unit)}."))]


def _compare(mine: float, other: float, polarity: str) -> str:
    if round(mine, 1) == round(other, 1):
        return "the same as"
    higher = mine > other
    if polarity == "up":
        return "better than" if higher else "worse than"
    if polarity == "down":
        return "better than" if not higher else "worse than"
    return "higher than" if higher else "lower than"


def _benchmark(facts: Facts) -> list[Sentence]:
    pos, unit, polarity = facts.benchmark, facts.indicator.unit, facts.indicator.polarity
    if pos is None or pos.council.value is None:
        return []
    mine = pos.council.value
    parts = []
    if pos.england.value is not None:
        parts.append(f"{_compare(mine, pos.england.value, polarity)} England ({fmt(pos.england.value, unit)})")
    for sn_year in sorted(pos.neighbours, reverse=True)[:1]:
        sn = pos.neighbours[sn_year]
        if sn.median is not None:
            parts.append(f"{_compare(mine, sn.median, polarity)} the median of its {sn_year} statistical "
                         f"neighbours ({fmt(sn.median, unit)})")
    if not parts:
        return []
    period = f" ({facts.benchmark_period})" if facts.benchmark_period else ""
    text = f"In the latest published year, {pos.time_period}{period}, {facts.council_name}'s figure was {fmt(mine, unit)}: {' and '.join(parts)}."
    found = [Sentence("benchmark", text)]
    prev = facts.benchmark_previous
    if prev is not None and prev.council.value is not None:
        direction, diff = change_phrase(mine, prev.council.value, unit)
        if direction == "unchanged":
            found.append(Sentence("published_change", f"That is the same as in {prev.time_period}."))
        else:
            found.append(Sentence("published_change", (
                f"That is {_size(diff, unit)} {'higher' if direction == 'up' else 'lower'} than in "
                f"{prev.time_period} ({fmt(prev.council.value, unit)}).")))
    if pos.rank is not None and pos.band is not None:
        found.append(Sentence("rank", f"It ranked {_ordinal(pos.rank)} of {pos.ranked} councils (quartile {pos.band}, where A is the best quarter)."))
    return found


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
