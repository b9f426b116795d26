"""The council's figures as the digest judges them: target and RAG, trend, SPC variation, benchmarks,
narrative and chart. The web app computes nothing of its own here - it calls the digest's pure
functions on the stored council series, so a page and the digest never disagree.

A role without child-level access sees the public (scrutiny) figures: every series goes through the
digest's small-number suppression before anything is computed from it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from cscperf.digest.catalogue import Catalogue, IndicatorInfo, default_catalogue, describe
from cscperf.digest.charts import chart_svg
from cscperf.digest.model import AUDIENCES, MONTHS, IndicatorSection, add_months, indicator_section
from cscperf.digest.spc import ICON_LABELS, variation_icon, xmr
from cscperf.digest.suppression import publish_rate
from cscperf.digest.targets import Target, Targets, load_targets, rag
from cscperf.store import Engine

DEFAULT_LA = "883"  # the digest's default when the store has no `council` row


@cache
def catalogue() -> Catalogue:
    return default_catalogue()


@cache
def targets() -> Targets:
    """The shipped default targets, overlaid with ``CSCPERF_TARGETS`` (a council's targets file)."""
    path = os.environ.get("CSCPERF_TARGETS")
    return load_targets(Path(path) if path else None)


def info(indicator_id: str) -> IndicatorInfo:
    return describe(catalogue(), indicator_id)


def council_series(engine: Engine, indicator_id: str | None = None) -> dict[str, dict[date, tuple]]:
    """indicator -> month -> (numerator, denominator, value): the newest run's council figure per month."""
    where, params = "", {}
    if indicator_id is not None:
        where, params = " AND r.indicator_id = :i", {"i": indicator_id}
    rows = engine.execute(
        "SELECT r.indicator_id, r.period_start, r.numerator, r.denominator, r.value FROM indicator_result r "
        "JOIN (SELECT indicator_id, period_start, MAX(run_id) AS run_id FROM indicator_result "
        "      WHERE level = 'council' GROUP BY indicator_id, period_start) n "
        "  ON n.indicator_id = r.indicator_id AND n.period_start = r.period_start AND n.run_id = r.run_id "
        "WHERE r.level = 'council'" + where + " ORDER BY r.indicator_id, r.period_start",
        params,
    ).rows()
    found: dict[str, dict[date, tuple]] = {}
    for iid, start, num, den, value in rows:
        found.setdefault(iid, {})[start] = (num, den, value)
    return found


@dataclass(frozen=True)
class Summary:
    """One line of the home page."""

    info: IndicatorInfo
    month: date
    value: float | str | None  # "c" when suppressed
    previous: float | str | None
    target: Target | None
    rag: str | None
    trend: str | None  # up / down / flat
    variation: str | None

    @property
    def variation_label(self) -> str:
        return ICON_LABELS.get(self.variation or "", "Too few months for SPC")


def _number(value) -> float | None:
    return value if isinstance(value, (int, float)) else None


def summarise(indicator_id: str, data: dict[date, tuple], public: bool) -> Summary:
    """The latest month of one council series with its target status, trend and SPC icon."""
    meta = info(indicator_id)
    month = max(data)
    shown: list[tuple[date, float | str | None]] = []
    for i in range(MONTHS):
        m = add_months(month, -(MONTHS - 1) + i)
        num, den, value = data.get(m, (None, None, None))
        shown.append((m, publish_rate(num, den, value, meta.unit).value if public else value))
    value, previous = shown[-1][1], shown[-2][1]
    now, before = _number(value), _number(previous)
    trend = None
    if now is not None and before is not None:
        trend = "up" if now > before else "down" if now < before else "flat"
    published = [(m, v) for m, v in shown if _number(v) is not None]
    chart = xmr([v for _, v in published])
    # the SPC icon describes this month only if this month is the chart's last point
    variation = variation_icon(chart, meta.polarity) if chart and now is not None and published[-1][0] == month else None
    target = targets().get(indicator_id)
    return Summary(meta, month, value, previous, target, rag(now, target), trend, variation)


def home_summary(engine: Engine, public: bool) -> list[Summary]:
    order = {i.id: n for n, i in enumerate(catalogue().all())}
    series = council_series(engine)
    found = [summarise(iid, data, public) for iid, data in series.items() if data]
    return sorted(found, key=lambda s: (order.get(s.info.id, len(order)), s.info.id))


def la_code(engine: Engine) -> str:
    found = engine.execute("SELECT MIN(la_code) FROM council").scalar()
    return str(found) if found else DEFAULT_LA


def section(engine: Engine, indicator_id: str, public: bool) -> IndicatorSection | None:
    """The digest's section for one indicator (series, target, RAG, SPC, benchmark, narrative);
    None when it has no council results."""
    data = council_series(engine, indicator_id).get(indicator_id)
    if not data:
        return None
    audience = AUDIENCES["scrutiny" if public else "director"]
    return indicator_section(engine, info(indicator_id), max(data), data, targets().get(indicator_id), audience,
                             la_code(engine))


_SVG_OPEN = re.compile(r"<svg\b")


def chart(section: IndicatorSection, title: str) -> str | None:
    """The section's XmR chart as inline SVG, labelled for screen readers (the table beside it
    carries the numbers)."""
    svg = chart_svg(section)
    if not svg:
        return None
    label = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return _SVG_OPEN.sub(f'<svg role="img" aria-label="Chart of {label} by month, with mean and process limits"',
                         svg, count=1)
