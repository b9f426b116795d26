"""The engine: attribution, levels, set-based months, stored results, drill-down."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from canonical import canonical_rows, in_rollback
from cscperf.indicators import api
from cscperf.indicators.compute import run
from cscperf.indicators.library import get, library
from cscperf.indicators.periods import Month, month_range

MONTHLY = [i for i in library() if i.monthly]
MONTHS = month_range(Month.parse("2024-12"), Month.parse("2025-02"))


def _results(engine, run_id):
    return engine.execute(
        "SELECT indicator_id, period_start, level, team_id, worker_id, numerator, denominator, value "
        "FROM indicator_result WHERE run_id = :r", {"r": run_id}).dicts()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000))
def test_teams_and_workers_add_up_to_the_council(shared_engine, seed):
    """Every query returns one row per counted unit, attributed once: team and worker sums equal
    the council's numerator and denominator for every indicator (rates: the count)."""

    def check(engine):
        rows = _results(engine, run(engine, MONTHS))
        council = {(r["indicator_id"], r["period_start"]): r for r in rows if r["level"] == "council"}
        sums = {lv: defaultdict(lambda: [0.0, 0.0]) for lv in ("team", "worker")}
        for r in rows:
            if r["level"] in sums:
                s = sums[r["level"]][(r["indicator_id"], r["period_start"])]
                s[0] += r["numerator"] or 0
                s[1] += r["denominator"] or 0
        assert {k[0] for k in council} == {i.id for i in MONTHLY}
        # Annex A (the only source of contacts) as at 31 January 2025: February is "no data" for the
        # two indicators that read contacts, at every level - no council row and no team or worker row
        no_data = {(i, MONTHS[-1].start) for i in ("front_door.contacts", "front_door.contact_conversion")}
        assert len(council) == len(MONTHLY) * len(MONTHS) - len(no_data)
        assert not no_data & set(council)
        assert not no_data & (set(sums["team"]) | set(sums["worker"]))
        assert set(sums["team"]) <= set(council) and set(sums["worker"]) <= set(council)
        for key, c in council.items():
            indicator = get(key[0])
            for level in ("team", "worker"):
                num, den = sums[level].get(key, [0.0, 0.0])
                assert num == pytest.approx(c["numerator"]), (key, level)
                if indicator.has_denominator:
                    assert den == pytest.approx(c["denominator"]), (key, level)

    rows = canonical_rows(seed)
    rows["contact"] = [{**r, "load_id": 2} for r in rows["contact"]]
    rows["load"] = [  # every other record comes from load 1, whose period covers all the months
        {"load_id": 1, "started_at": datetime(2025, 6, 1), "loaded_by": "t", "status": "loaded", "source_format": "cin",
         "as_at": date(2025, 6, 30), "period_start": date(2020, 1, 1), "period_end": date(2025, 6, 30)},
        {"load_id": 2, "started_at": datetime(2025, 6, 1), "loaded_by": "t", "status": "loaded", "source_format": "annex-a",
         "as_at": date(2025, 1, 31)},
    ]
    in_rollback(shared_engine, rows, check)


def test_several_months_at_once_equal_month_by_month(shared_engine):
    def check(engine):
        together = _results(engine, run(engine, MONTHS))
        apart = []
        for m in MONTHS:
            apart += _results(engine, run(engine, [m]))
        key = lambda r: (r["indicator_id"], str(r["period_start"]), r["level"], r["team_id"] or "", r["worker_id"] or "")
        norm = lambda rows: sorted((key(r), round(r["numerator"] or 0, 6), round(r["denominator"] or 0, 6),
                                    None if r["value"] is None else round(r["value"], 6)) for r in rows)
        assert norm(together) == norm(apart)
        assert len(together) > len(MONTHLY) * len(MONTHS)  # team and worker rows too

    in_rollback(shared_engine, canonical_rows(7), check)


def test_drill_lists_exactly_the_records_counted(shared_engine):
    def check(engine):
        run_id = run(engine, [MONTHS[-1]])
        rows = _results(engine, run_id)
        checked = 0
        for r in rows:
            indicator = get(r["indicator_id"])
            if r["level"] == "worker" or (r["level"] == "team" and r["team_id"] is None):
                continue
            for part, total in (("numerator", r["numerator"]), ("denominator", r["denominator"])):
                if part == "denominator" and not indicator.has_denominator:
                    continue
                records = api.drill(engine, indicator.id, "2025-02", team=r["team_id"], part=part)
                assert sum(x["value"] for x in records) == pytest.approx(total or 0), (indicator.id, r["team_id"], part)
                assert len({x["record_id"] for x in records}) == len(records), indicator.id
                checked += 1
        assert checked > 2 * len(MONTHLY)

    in_rollback(shared_engine, canonical_rows(11), check)


def test_attribution_follows_the_record_then_the_allocation(shared_engine):
    rows = {
        "referral": [
            {"referral_id": "R1", "child_id": "C1", "referral_date": "2025-02-10"},
            {"referral_id": "R2", "child_id": "C1", "referral_date": "2025-03-10"},
            {"referral_id": "R3", "child_id": "C2", "referral_date": "2025-03-11", "worker_id": "W3"},
            {"referral_id": "R4", "child_id": "C2", "referral_date": "2025-03-12", "team_id": "T9", "worker_id": "W9"},
            {"referral_id": "R5", "child_id": "C3", "referral_date": "2025-03-12"},
            {"referral_id": "R6", "child_id": "C4", "referral_date": "2025-03-13"},
            {"referral_id": "R7", "child_id": "C5", "referral_date": "2025-03-14"},
        ],
        "allocation": [
            {"child_id": "C1", "worker_id": "W1", "team_id": "T1", "start_date": "2025-01-01", "end_date": "2025-03-15"},
            {"child_id": "C1", "worker_id": "W2", "team_id": "T2", "start_date": "2025-03-16"},
            {"child_id": "C2", "worker_id": "W1", "team_id": "T1", "start_date": "2025-01-01"},
            {"child_id": "C4", "worker_id": "W7", "team_id": "T7", "start_date": "2024-01-01", "end_date": "2024-12-31"},
            {"child_id": "C4", "worker_id": "W8", "team_id": "T8", "start_date": "2023-01-01", "end_date": "2023-12-31"},
            {"child_id": "C5", "worker_id": "W9", "team_id": "T9", "start_date": "2025-04-01"},
        ],
        "worker_team": [{"worker_id": "W3", "team_id": "T3", "start_date": "2020-01-01"}],
    }

    def check(engine):
        feb = api.drill(engine, "front_door.referrals", "2025-02")
        mar = api.drill(engine, "front_door.referrals", "2025-03")
        assert [(r["record_id"], r["team_id"], r["worker_id"]) for r in feb] == [("R1", "T1", "W1")]
        assert [(r["record_id"], r["team_id"], r["worker_id"]) for r in mar] == [
            ("R2", "T2", "W2"),   # allocation open on 31 March, not the one on the referral date
            ("R3", "T3", "W3"),   # own worker, the worker's team
            ("R4", "T9", "W9"),   # own team and worker
            ("R5", None, None),   # nobody allocated: unattributed
            ("R6", "T7", "W7"),   # none open on 31 March: the latest allocation
            ("R7", None, None),   # its only allocation starts after the month: unattributed
        ]
        assert [r["record_id"] for r in api.drill(engine, "front_door.referrals", "2025-03", team="T2")] == ["R2"]
        run(engine, [Month.parse("2025-03")], indicators=[get("front_door.referrals")])
        teams = {r["team_id"]: r["numerator"] for r in api.latest_results(engine, "2025-03", level="team")}
        assert teams == {None: 2, "T2": 1, "T3": 1, "T7": 1, "T9": 1}

    in_rollback(shared_engine, rows, check)


def test_latest_results_reads_the_newest_run(shared_engine):
    def check(engine):
        ids = ["front_door.referrals", "front_door.referrals_rate"]
        first = api.run_indicators(engine, "2025-02", "2025-01", ids)
        second = api.run_indicators(engine, "2025-02", indicator_ids=ids)
        rows = api.latest_results(engine, "2025-02", first="2025-01")
        assert {(r["indicator_id"], str(r["period_start"])[:7], r["run_id"]) for r in rows} == {
            ("front_door.referrals", "2025-01", first), ("front_door.referrals", "2025-02", second),
            ("front_door.referrals_rate", "2025-01", first), ("front_door.referrals_rate", "2025-02", second)}
        rate = next(r for r in rows if r["indicator_id"] == "front_door.referrals_rate" and r["run_id"] == second)
        count = engine.execute("SELECT COUNT(*) FROM referral WHERE referral_date BETWEEN '2024-03-01' AND '2025-02-28'").scalar()
        assert rate["numerator"] == count and rate["denominator"] == 5300  # population year 2025
        assert rate["value"] == pytest.approx(10000 * count / 5300)
        assert all(r["level"] == "team" for r in api.latest_results(engine, "2025-02", level="team"))

    in_rollback(shared_engine, canonical_rows(3), check)


def test_rates_are_blank_without_population(shared_engine):
    def check(engine):
        run_id = api.run_indicators(engine, "2025-03", indicator_ids=["front_door.referrals_rate"])
        [row] = [r for r in _results(engine, run_id) if r["level"] == "council"]
        assert row["numerator"] == 1 and row["value"] is None

    in_rollback(shared_engine, {"referral": [{"referral_id": "R1", "child_id": "C1", "referral_date": "2025-03-01"}]}, check)


@pytest.mark.parametrize("period, expected", [
    ("in_month", [1, 1, 1]),
    ("snapshot_month_end", [1, 1, 1]),
    ("rolling_12_months", [12, 12, 12]),
    ("financial_ytd", [10, 11, 12]),      # April 2024 to January, February, March 2025
    ("rolling_3_years", [36, 36, 36]),
    ("quarter_to_date", [1, 2, 3]),
])
def test_every_period_type_through_the_engine(shared_engine, period, expected):
    """One referral on the 1st of every month: each period type's window, as the SQL sees it."""
    from cscperf.indicators.library import parse_indicator

    indicator = parse_indicator({
        "id": "front_door.window_probe", "kind": "indicator", "title": "probe", "description": "d", "source": "Local",
        "polarity": "none", "unit": "count", "period": period, "counts": "records",
        "queries": {"numerator": "SELECT p.period_end, r.referral_id AS record_id, r.child_id, r.team_id, r.worker_id, 1 AS value "
                                 "FROM periods p JOIN referral r ON r.referral_date BETWEEN p.period_start AND p.period_end"},
        "fixtures": [{"expect": {"numerator": []}}],
    }, "probe.yaml", "front_door")
    rows = {"referral": [{"referral_id": f"R{y}{m}", "child_id": "C1", "referral_date": f"{y}-{m:02d}-01"}
                         for y in (2022, 2023, 2024, 2025) for m in range(1, 13)]}

    def check(engine):
        months = month_range(Month.parse("2025-01"), Month.parse("2025-03"))
        results = _results(engine, run(engine, months, indicators=[indicator], levels=("council",)))
        assert [r["numerator"] for r in sorted(results, key=lambda r: r["period_start"])] == expected
        assert [str(r["period_start"]) for r in sorted(results, key=lambda r: r["period_start"])] == ["2025-01-01", "2025-02-01", "2025-03-01"]

    in_rollback(shared_engine, rows, check)
