"""Drill-down membership: the records a run stores behind each figure are exactly those the live
computation lists, a newer run supersedes them, and drill-down falls back to computing them."""

from __future__ import annotations

import dataclasses

import pytest

from canonical import canonical_rows, in_rollback, load
from cscperf.indicators import api, membership
from cscperf.indicators.compute import run
from cscperf.indicators.library import get, library
from cscperf.indicators.periods import Month, month_range

MONTHLY = [i for i in library() if i.monthly]
MONTHS = month_range(Month.parse("2024-12"), Month.parse("2025-02"))


# Six months: the run attributes records for six month ends once and keeps the newest three's
# records one by one (the older months' are summed), which must not change a stored record.
@pytest.mark.parametrize("months", [MONTHS, month_range(Month.parse("2024-09"), Month.parse("2025-02"))],
                         ids=["all-stored", "newest-3-of-6"])
def test_stored_records_are_exactly_the_live_ones_for_every_figure(shared_engine, months, monkeypatch):
    monkeypatch.setenv("CSCPERF_DRILL_MONTHS", "3")  # several stored months (the default stores one)
    stored_months = membership.stored_months(months)
    assert stored_months == months[-3:]

    def check(engine):
        run_id = run(engine, months)
        compared = records = 0
        for indicator in MONTHLY:
            for month in stored_months:
                assert membership.stored_run(engine, indicator.id, month) == run_id
                for part in membership.parts(indicator):
                    stored = membership.stored_records(engine, run_id, indicator.id, month, part)
                    assert stored == api.live_drill(engine, indicator.id, month, part=part), (indicator.id, month, part)
                    assert api.drill(engine, indicator.id, month, part=part) == stored
                    compared += 1
                    records += len(stored)
                    teams = {r["team_id"] for r in stored if r["team_id"]}
                    for team in sorted(teams)[:1]:
                        assert (membership.stored_records(engine, run_id, indicator.id, month, part, team=team)
                                == api.live_drill(engine, indicator.id, month, team=team, part=part))
        assert compared >= len(MONTHLY) * len(stored_months)
        assert records > 100  # the canonical council gives real records, not empty parts

    in_rollback(shared_engine, canonical_rows(5), check)


def test_stored_records_add_up_to_the_stored_figures(shared_engine):
    def check(engine):
        run_id = run(engine, [MONTHS[-1]])
        figures = engine.execute(
            "SELECT indicator_id, level, team_id, worker_id, numerator, denominator FROM indicator_result "
            "WHERE run_id = :r", {"r": run_id}).dicts()
        sums = engine.execute(
            "SELECT indicator_id, part, team_id, worker_id, SUM(value) AS total FROM indicator_record "
            "WHERE run_id = :r GROUP BY indicator_id, part, team_id, worker_id", {"r": run_id}).dicts()
        by_worker = {(s["indicator_id"], s["part"], s["team_id"], s["worker_id"]): s["total"] for s in sums}
        checked = 0
        for f in figures:
            if f["level"] != "worker":
                continue
            for part in membership.parts(get(f["indicator_id"])):
                total = by_worker.get((f["indicator_id"], part, f["team_id"], f["worker_id"]), 0)
                assert total == pytest.approx(f[part] or 0), (f, part)
                checked += 1
        assert checked > 0

    in_rollback(shared_engine, canonical_rows(8), check)


REFERRALS = "front_door.referrals"


def test_drill_shows_what_the_figure_counted_until_a_newer_run(shared_engine, monkeypatch):
    monkeypatch.setenv("CSCPERF_DRILL_MONTHS", "3")  # January and February both stored
    rows = {
        "referral": [{"referral_id": "R1", "child_id": "C1", "referral_date": "2025-01-10"},
                     {"referral_id": "R2", "child_id": "C2", "referral_date": "2025-02-10"}],
        "allocation": [{"child_id": "C1", "worker_id": "W1", "team_id": "T1", "start_date": "2024-01-01"},
                       {"child_id": "C2", "worker_id": "W2", "team_id": "T2", "start_date": "2024-01-01"}],
    }
    jan, feb = Month.parse("2025-01"), Month.parse("2025-02")

    def ids(records):
        return [(r["record_id"], r["team_id"]) for r in records]

    def check(engine):
        first = run(engine, [jan, feb], indicators=[get(REFERRALS)])
        load(engine, {"referral": [{"referral_id": "R3", "child_id": "C1", "referral_date": "2025-02-11"}]})
        # the stored February figure counted R2 only: drill-down lists what it counted, not R3
        assert ids(api.drill(engine, REFERRALS, feb)) == [("R2", "T2")]
        assert ids(api.live_drill(engine, REFERRALS, feb)) == [("R2", "T2"), ("R3", "T1")]
        second = run(engine, [feb], indicators=[get(REFERRALS)])
        assert membership.stored_run(engine, REFERRALS, feb) == second
        assert ids(api.drill(engine, REFERRALS, feb)) == [("R2", "T2"), ("R3", "T1")]
        assert ids(api.drill(engine, REFERRALS, feb, team="T1")) == [("R3", "T1")]
        # January is still the first run's figure; the first run's February records are gone
        assert membership.stored_run(engine, REFERRALS, jan) == first
        assert ids(api.drill(engine, REFERRALS, jan)) == [("R1", "T1")]
        kept = engine.execute("SELECT DISTINCT run_id, period_start FROM indicator_record WHERE indicator_id = :i "
                              "ORDER BY run_id", {"i": REFERRALS}).rows()
        assert kept == [(first, jan.start), (second, feb.start)]

    in_rollback(shared_engine, rows, check)


def test_drill_computes_live_when_the_newest_run_stored_no_records(shared_engine):
    rows = {"referral": [{"referral_id": "R1", "child_id": "C1", "referral_date": "2025-02-10"}]}
    feb = Month.parse("2025-02")

    def check(engine):
        run_id = run(engine, [feb], indicators=[get(REFERRALS)])
        engine.execute("UPDATE indicator_run SET records_from = NULL WHERE run_id = :r", {"r": run_id})
        engine.execute("DELETE FROM indicator_record WHERE run_id = :r", {"r": run_id})
        assert membership.stored_run(engine, REFERRALS, feb) is None
        assert [r["record_id"] for r in api.drill(engine, REFERRALS, feb)] == ["R1"]
        assert membership.stored_run(engine, REFERRALS, Month.parse("2025-03")) is None  # never computed

    in_rollback(shared_engine, rows, check)


def test_only_the_newest_months_are_stored_and_older_ones_drill_live(shared_engine, monkeypatch):
    rows = {"referral": [{"referral_id": "R1", "child_id": "C1", "referral_date": "2024-12-10"},
                         {"referral_id": "R2", "child_id": "C1", "referral_date": "2025-02-10"}]}
    dec, jan, feb = MONTHS

    def check(engine):
        monkeypatch.setenv("CSCPERF_DRILL_MONTHS", "3")
        first = run(engine, [dec, jan, feb], indicators=[get(REFERRALS)])  # all three stored
        assert membership.stored_run(engine, REFERRALS, dec) == first
        monkeypatch.setenv("CSCPERF_DRILL_MONTHS", "1")
        second = run(engine, [dec, jan, feb], indicators=[get(REFERRALS)])
        assert engine.execute("SELECT records_from FROM indicator_run WHERE run_id = :r", {"r": second}).scalar() == feb.start
        assert membership.stored_run(engine, REFERRALS, feb) == second
        assert membership.stored_run(engine, REFERRALS, dec) is None  # the newest run did not store December
        assert [r["record_id"] for r in api.drill(engine, REFERRALS, dec)] == ["R1"]  # computed live
        assert engine.execute("SELECT DISTINCT run_id, period_start FROM indicator_record WHERE indicator_id = :i",
                              {"i": REFERRALS}).rows() == [(second, feb.start)]

    in_rollback(shared_engine, rows, check)


def test_identical_records_are_stored_as_often_as_they_were_counted(shared_engine):
    # A run sums each month's records by team and worker but keeps the stored month's records one by
    # one; identical records share a row there (with their count), and drill-down must list each.
    referrals = get(REFERRALS)
    once = referrals.definition.query("numerator").strip()
    twice = dataclasses.replace(referrals, definition=dataclasses.replace(
        referrals.definition, queries={"numerator": f"{once}\nUNION ALL\n{once}"}))
    rows = {
        "referral": [{"referral_id": "R1", "child_id": "C1", "referral_date": "2025-01-10"},
                     {"referral_id": "R2", "child_id": "C2", "referral_date": "2025-02-10"},
                     {"referral_id": "R3", "child_id": "C2", "referral_date": "2025-02-12"}],
        "allocation": [{"child_id": "C1", "worker_id": "W1", "team_id": "T1", "start_date": "2024-01-01"},
                       {"child_id": "C2", "worker_id": "W2", "team_id": "T2", "start_date": "2024-01-01"}],
    }
    jan, feb = Month.parse("2025-01"), Month.parse("2025-02")

    def check(engine):
        run_id = run(engine, [jan, feb], indicators=[twice])
        figures = engine.execute("SELECT period_start, level, team_id, numerator FROM indicator_result WHERE run_id = :r "
                                 "AND level <> 'worker' ORDER BY period_start, level, team_id", {"r": run_id}).rows()
        assert [(p, lv, t, n) for p, lv, t, n in figures] == [
            (jan.start, "council", None, 2.0), (jan.start, "team", "T1", 2.0),
            (feb.start, "council", None, 4.0), (feb.start, "team", "T2", 4.0)]
        stored = membership.stored_records(engine, run_id, REFERRALS, feb, "numerator")
        assert [(r["record_id"], r["team_id"], r["worker_id"], r["value"]) for r in stored] == [
            ("R2", "T2", "W2", 1.0), ("R2", "T2", "W2", 1.0), ("R3", "T2", "W2", 1.0), ("R3", "T2", "W2", 1.0)]
        assert membership.stored_records(engine, run_id, REFERRALS, jan, "numerator") == []  # only the newest month

    in_rollback(shared_engine, rows, check)
