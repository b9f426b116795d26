"""Everything one digest says, gathered from the store before any rendering: per indicator the
24-month series, target and RAG, SPC chart and icons, benchmark position, narrative and team
breakdown; the off-target list; data quality from the `finding` table.

The audience decides what is gathered: the public (scrutiny) digest is aggregate only and passes every
count through suppression *before* anything is computed from it, so no renderer can leak a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from cscperf.core.errors import CscperfError
from cscperf.digest.catalogue import AREAS, Catalogue, IndicatorInfo, describe
from cscperf.digest.comparison import MappedMeasure, MeasurePosition, indicator_position, measure_map
from cscperf.digest.narrative import Facts, Sentence, sentences
from cscperf.digest.spc import XmRChart, assurance_icon, variation_icon, xmr
from cscperf.digest.suppression import publish_rate, publish_table
from cscperf.digest.targets import OffTarget, Target, Targets, off_target, rag
from cscperf.store.engine import Engine

MONTHS = 24


@dataclass(frozen=True)
class Audience:
    key: str
    title: str
    areas: tuple[str, ...] | None  # None = every area
    teams: bool
    public: bool


AUDIENCES = {
    "director": Audience("director", "Director's monthly performance digest", None, True, False),
    "board": Audience("board", "Performance digest for the improvement board", None, True, False),
    "corporate-parenting": Audience("corporate-parenting", "Performance digest for the corporate parenting panel",
                                    ("children_in_care", "care_leavers", "adoption"), True, False),
    "scrutiny": Audience("scrutiny", "Children's social care performance: report to Overview and Scrutiny",
                         None, False, True),
}


@dataclass(frozen=True)
class MonthPoint:
    month: date
    value: float | str | None  # "c" when suppressed
    numerator: float | str | None
    denominator: float | str | None

    @property
    def number(self) -> float | None:
        return self.value if isinstance(self.value, (int, float)) else None


@dataclass(frozen=True)
class TeamRow:
    team_id: str
    team_name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    rag: str | None


@dataclass
class IndicatorSection:
    info: IndicatorInfo
    series: list[MonthPoint]
    current: MonthPoint | None
    target: Target | None
    rag: str | None
    trend: str | None  # up / down / flat vs last month
    chart: XmRChart | None
    chart_months: list[date]
    variation: str | None
    assurance: str | None
    benchmark: MeasurePosition | None
    mapped: MappedMeasure | None
    sentences: list[Sentence]
    teams: list[TeamRow] = field(default_factory=list)


@dataclass
class DataQuality:
    by_rule: list[tuple[str, str, str, float | str]]  # rule code, type, message, count
    by_type: dict[str, float | str]
    total: float | str


@dataclass
class DigestModel:
    council_name: str
    la_code: str
    month: date
    audience: Audience
    run_id: int
    generated_at: datetime
    areas: list[tuple[str, str, list[IndicatorSection]]]
    off_target: list[OffTarget]
    data_quality: DataQuality | None

    def sections(self) -> list[IndicatorSection]:
        return [s for _, _, items in self.areas for s in items]


def month_start(text: str) -> date:
    try:
        year, month = (int(p) for p in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CscperfError(f"--month must be YYYY-MM, not {text!r}") from None


def add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def build_model(engine: Engine, month: date, audience: Audience, catalogue: Catalogue, targets: Targets,
                la_code: str, council_name: str | None = None,
                baseline: tuple[date, date] | None = None) -> DigestModel:
    """Gather the digest. ``baseline`` (first month, last month): SPC limits are computed from the
    months in that range only and applied to the whole series."""
    run_id = engine.execute(
        "SELECT MAX(run_id) FROM indicator_result WHERE period_start = :m AND level = 'council'", {"m": month}
    ).scalar()
    if run_id is None:
        raise CscperfError(f"no indicator results for {month:%Y-%m}: compute the indicators first")
    first = add_months(month, -(MONTHS - 1))
    rows = engine.execute(
        "SELECT indicator_id, period_start, numerator, denominator, value FROM indicator_result "
        "WHERE run_id = :r AND level = 'council' AND period_start BETWEEN :a AND :b ORDER BY indicator_id, period_start",
        {"r": run_id, "a": first, "b": month},
    ).rows()
    series: dict[str, dict[date, tuple]] = {}
    for iid, start, num, den, value in rows:
        series.setdefault(iid, {})[start] = (num, den, value)
    teams = _teams(engine, run_id, month) if audience.teams else {}
    name = council_name or _council_name(engine, la_code)
    sections: dict[str, list[IndicatorSection]] = {}
    for iid in sorted(series):
        info = describe(catalogue, iid)
        if audience.areas is not None and info.area not in audience.areas:
            continue
        section = _section(engine, info, month, series[iid], targets.get(iid), audience, la_code, name, baseline)
        section.teams = [
            TeamRow(t, tname, v, n, d, rag(v, section.target.for_team(t) if section.target else None))
            for t, tname, n, d, v in teams.get(iid, [])
        ]
        sections.setdefault(info.area, []).append(section)
    order = list(AREAS) + sorted(set(sections) - set(AREAS))
    areas = [(a, AREAS.get(a, a.replace("_", " ").capitalize()), sections[a]) for a in order if a in sections]
    current = [(s.info.id, None, s.current.number if s.current else None) for _, _, items in areas for s in items]
    team_values = [(s.info.id, t.team_id, t.value) for _, _, items in areas for s in items for t in s.teams]
    dq = None if audience.areas is not None and "data_quality" not in audience.areas else _data_quality(engine, audience)
    return DigestModel(name, la_code, month, audience, int(run_id), datetime.now(timezone.utc), areas,
                       off_target(current + team_values, targets), dq)


def _section(engine: Engine, info: IndicatorInfo, month: date, data: dict[date, tuple], target: Target | None,
             audience: Audience, la_code: str, council_name: str,
             baseline: tuple[date, date] | None = None) -> IndicatorSection:
    points = []
    for i in range(MONTHS):
        m = add_months(month, -(MONTHS - 1) + i)
        num, den, value = data.get(m, (None, None, None))
        if audience.public:
            pub = publish_rate(num, den, value, info.unit)
            points.append(MonthPoint(m, pub.value, pub.numerator, pub.denominator))
        else:
            points.append(MonthPoint(m, value, num, den))
    by_month = {p.month: p for p in points}
    current = by_month.get(month)
    last_month = by_month.get(add_months(month, -1))
    last_year = by_month.get(add_months(month, -12))
    published = [(p.month, p.number) for p in points if p.number is not None]
    chart = xmr([v for _, v in published], baseline_slice([m for m, _ in published], baseline))
    value = current.number if current else None
    mapped = measure_map().get(info.id)
    bench = indicator_position(engine, info.id, info.polarity, la_code)
    trend = None
    if value is not None and last_month and last_month.number is not None:
        trend = "up" if value > last_month.number else "down" if value < last_month.number else "flat"
    # no row for a month = the extracts do not cover it ("no data"), unlike a suppressed or blank value
    no_data = {p.month for p in points if p.month not in data}
    previous = add_months(month, -1)
    earlier = None
    if previous in no_data:
        earlier = next(((p.month, p.number) for p in reversed(points)
                        if p.month < previous and p.number is not None), None)
    facts = Facts(
        indicator=info, month=month, value=value,
        last_month=last_month.number if last_month else None,
        last_year=last_year.number if last_year else None,
        # the chart is only a fact about this month if this month is its last point
        chart=chart if value is not None and published and published[-1][0] == month else None,
        target=target, benchmark=bench.latest if bench else None,
        benchmark_previous=bench.previous if bench else None, council_name=council_name,
        benchmark_period=mapped.period if mapped else "",
        no_data=month in no_data, last_month_no_data=previous in no_data,
        last_year_no_data=add_months(month, -12) in no_data, earlier=earlier,
    )
    return IndicatorSection(
        info=info, series=points, current=current, target=target, rag=rag(value, target), trend=trend,
        chart=chart, chart_months=[m for m, _ in published],
        variation=variation_icon(facts.chart, info.polarity) if facts.chart else None,
        assurance=assurance_icon(chart, target.target if target else None, info.polarity) if chart else None,
        benchmark=bench, mapped=mapped, sentences=sentences(facts),
    )


def indicator_section(engine: Engine, info: IndicatorInfo, month: date, data: dict[date, tuple],
                      target: Target | None, audience: Audience, la_code: str,
                      council_name: str | None = None) -> IndicatorSection:
    """One indicator's section on its own (the web app's indicator page): ``data`` maps month ->
    (numerator, denominator, value) at council level; suppression follows ``audience``."""
    return _section(engine, info, month, data, target, audience, la_code,
                    council_name or _council_name(engine, la_code))


def baseline_slice(months: list[date], baseline: tuple[date, date] | None) -> slice | None:
    """The points of a series inside the baseline months; None (whole series) when fewer than two."""
    if baseline is None:
        return None
    inside = [i for i, m in enumerate(months) if baseline[0] <= m <= baseline[1]]
    return slice(inside[0], inside[-1] + 1) if len(inside) >= 2 else None


def _teams(engine: Engine, run_id: int, month: date) -> dict[str, list[tuple]]:
    rows = engine.execute(
        "SELECT r.indicator_id, r.team_id, t.team_name, r.numerator, r.denominator, r.value FROM indicator_result r "
        "LEFT JOIN team t ON t.team_id = r.team_id "
        "WHERE r.run_id = :r AND r.level = 'team' AND r.period_start = :m ORDER BY r.indicator_id, r.team_id",
        {"r": run_id, "m": month},
    ).rows()
    found: dict[str, list[tuple]] = {}
    for iid, team_id, team_name, num, den, value in rows:
        found.setdefault(iid, []).append((team_id, team_name or team_id, num, den, value))
    return found


def _council_name(engine: Engine, la_code: str) -> str:
    name = engine.execute("SELECT la_name FROM council WHERE la_code = :la", {"la": la_code}).scalar()
    if name:
        return str(name)
    name = engine.execute(
        "SELECT MAX(area_name) FROM benchmark WHERE area_code = :la AND area_level = 'Local authority'", {"la": la_code}
    ).scalar()
    return str(name) if name else f"Council {la_code}"


def _data_quality(engine: Engine, audience: Audience) -> DataQuality | None:
    """Findings of the latest check run of each return type."""
    latest = engine.execute("SELECT return_type, MAX(check_id) FROM check_run GROUP BY return_type").rows()
    if not latest:
        return None
    by_rule: dict[tuple[str, str, str], int] = {}
    for _, check_id in latest:
        for code, rtype, message, count in engine.execute(
            "SELECT rule_code, rule_type, MIN(message), COUNT(*) FROM finding WHERE check_id = :c "
            "GROUP BY rule_code, rule_type", {"c": check_id}
        ).rows():
            key = (str(code), str(rtype), str(message))
            by_rule[key] = by_rule.get(key, 0) + int(count)
    by_type: dict[str, int] = {}
    for (_, rtype, _), count in by_rule.items():
        by_type[rtype] = by_type.get(rtype, 0) + count
    if audience.public:
        shown, total = publish_table(by_type)
        return DataQuality([], shown, total)
    ordered = sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0][0]))[:20]
    return DataQuality([(c, t, m, n) for (c, t, m), n in ordered], dict(by_type), sum(by_type.values()))
