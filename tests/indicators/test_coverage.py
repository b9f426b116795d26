"""Months outside what the loaded extracts cover are "no data" (no row), never 0."""

from __future__ import annotations

from datetime import date, datetime

from test_compute import _results, in_rollback
from cscperf.indicators.compute import run
from cscperf.indicators.coverage import Coverage, load_interval, merge, tables_read
from cscperf.indicators.library import get
from cscperf.indicators.periods import Month
from cscperf.store.rows import to_arrow


def registry(engine, loads: list[dict]) -> None:
    rows = [{"started_at": datetime(2026, 1, 1), "loaded_by": "test", "status": "loaded", **r} for r in loads]
    engine.insert("load", to_arrow("load", rows))


def test_an_extract_without_a_period_covers_its_format_span_to_the_as_at_date():
    # Annex A as at 15 Feb 2025: the 12 months before, 16 Feb 2024 to 15 Feb 2025
    assert load_interval("annex-a", date(2025, 2, 15), None, None) == (date(2024, 2, 16), date(2025, 2, 15))
    assert load_interval("annex-a", date(2024, 2, 29), None, None) == (date(2023, 3, 1), date(2024, 2, 29))
    # a recorded period wins; a history extract covers everything up to its as-at date
    assert load_interval("cin", date(2025, 3, 31), date(2024, 4, 1), date(2025, 3, 31)) == (date(2024, 4, 1), date(2025, 3, 31))
    assert load_interval("hr", date(2026, 4, 30), None, None) == (date.min, date(2026, 4, 30))
    assert load_interval("survey", None, None, None) is None


def test_periods_that_touch_merge_and_gaps_stay():
    years = [(date(2024, 4, 1), date(2025, 3, 31)), (date(2023, 4, 1), date(2024, 3, 31)), (date(2025, 6, 1), date(2025, 9, 30))]
    assert merge(years) == ((date(2023, 4, 1), date(2025, 3, 31)), (date(2025, 6, 1), date(2025, 9, 30)))
    cov = Coverage({"referral": merge(years), "visit": None})
    assert cov.covers("referral", date(2025, 3, 1), date(2025, 3, 31))
    assert not cov.covers("referral", date(2025, 3, 1), date(2025, 4, 30))      # window runs past the end
    assert not cov.covers("referral", date(2025, 5, 1), date(2025, 5, 31))      # in the gap
    assert cov.covers("visit", date(1990, 1, 1), date(2099, 1, 1))             # unconstrained
    assert cov.covers("referral", date(2026, 1, 1), date(2026, 1, 31), carry_forward=True)
    assert not cov.covers("referral", date(2023, 3, 1), date(2023, 3, 31), carry_forward=True)


def test_tables_read_come_from_the_queries():
    assert tables_read(get("front_door.contacts")) == {"contact"}
    assert tables_read(get("workforce.vacancy_rate")) == {"staff_spell", "vacancy_snapshot"}
    assert tables_read(get("care_leavers.eet_17_18")) == {"care_leaver"}  # child: who, not when


# A tiny store: the CIN census 2023-24 (1 Apr 2023 - 31 Mar 2024) and Annex A as at 31 Jan 2025 (its
# 12 months: 1 Feb 2024 - 31 Jan 2025). Contacts come only from Annex A; referrals from both.
TINY = {
    "team": [{"team_id": "T1", "team_name": "One"}, {"team_id": "T2", "team_name": "Two"}],
    "contact": [
        {"contact_id": "K1", "child_id": "C1", "contact_date": "2024-01-10", "team_id": "T1", "worker_id": "W1", "load_id": 2},
        {"contact_id": "K2", "child_id": "C1", "contact_date": "2024-02-05", "team_id": "T1", "worker_id": "W1", "load_id": 2},
        {"contact_id": "K3", "child_id": "C2", "contact_date": "2024-02-20", "team_id": "T2", "worker_id": "W2", "load_id": 2},
        {"contact_id": "K4", "child_id": "C3", "contact_date": "2025-01-03", "team_id": "T1", "worker_id": "W1", "load_id": 2},
    ],
    "referral": [
        {"referral_id": "R1", "child_id": "C1", "referral_date": "2024-01-12", "team_id": "T1", "worker_id": "W1", "load_id": 1},
        {"referral_id": "R2", "child_id": "C2", "referral_date": "2024-02-21", "team_id": "T2", "worker_id": "W2", "load_id": 2},
    ],
}
LOADS = [
    {"load_id": 1, "source_format": "cin", "as_at": date(2024, 3, 31), "period_start": date(2023, 4, 1), "period_end": date(2024, 3, 31)},
    {"load_id": 2, "source_format": "annex-a", "as_at": date(2025, 1, 31)},
]
MONTHS = [Month(2024, 1), Month(2024, 2), Month(2025, 1), Month(2025, 2)]


def _tiny(engine):
    from cscperf.store.schema import tables

    registry(engine, LOADS)
    for name, items in TINY.items():
        data = [{"source_file": "f", "source_row": i, **({"load_id": 1} if tables()[name].provenance else {}), **r}
                for i, r in enumerate(items, 1)]
        engine.insert(name, to_arrow(name, data))


def test_counts_before_and_after_an_extracts_coverage_are_no_data_at_every_level(shared_engine):
    def check(engine):
        _tiny(engine)
        ids = [get("front_door.contacts"), get("front_door.referrals")]
        rows = _results(engine, run(engine, MONTHS, indicators=ids))
        got = {(r["indicator_id"], str(r["period_start"])[:7], r["level"], r["team_id"], r["worker_id"]): r["numerator"]
               for r in rows}
        assert got == {
            # contacts: January 2024 is before Annex A's 12 months, February 2025 after its as-at date
            ("front_door.contacts", "2024-02", "council", None, None): 2,
            ("front_door.contacts", "2024-02", "team", "T1", None): 1,
            ("front_door.contacts", "2024-02", "team", "T2", None): 1,
            ("front_door.contacts", "2024-02", "worker", "T1", "W1"): 1,
            ("front_door.contacts", "2024-02", "worker", "T2", "W2"): 1,
            ("front_door.contacts", "2025-01", "council", None, None): 1,
            ("front_door.contacts", "2025-01", "team", "T1", None): 1,
            ("front_door.contacts", "2025-01", "worker", "T1", "W1"): 1,
            # referrals: CIN covers January 2024, Annex A the rest but February 2025; a covered
            # month with nothing in it is a true 0
            ("front_door.referrals", "2024-01", "council", None, None): 1,
            ("front_door.referrals", "2024-01", "team", "T1", None): 1,
            ("front_door.referrals", "2024-01", "worker", "T1", "W1"): 1,
            ("front_door.referrals", "2024-02", "council", None, None): 1,
            ("front_door.referrals", "2024-02", "team", "T2", None): 1,
            ("front_door.referrals", "2024-02", "worker", "T2", "W2"): 1,
            ("front_door.referrals", "2025-01", "council", None, None): 0,
        }

    in_rollback(shared_engine, {}, check)


def test_a_percentage_needs_every_source_covered(shared_engine):
    """Contact conversion reads contacts only; a rolling-12-month window needs all 12 months."""

    def check(engine):
        _tiny(engine)
        conv = _results(engine, run(engine, MONTHS, indicators=[get("front_door.contact_conversion")], levels=("council",)))
        assert sorted(str(r["period_start"])[:7] for r in conv) == ["2024-02", "2025-01"]
        ytd = _results(engine, run(engine, MONTHS, indicators=[get("front_door.referrals_ytd")], levels=("council",)))
        # financial year to date: 2023-24 from 1 April 2023 (CIN, then Annex A from February): R1 in
        # January, R1 and R2 by February; 2024-25 from 1 April 2024 is covered to 31 January 2025
        # and holds no referral (a true 0); February 2025 runs past Annex A's as-at date
        assert {str(r["period_start"])[:7]: r["numerator"] for r in ytd} == {"2024-01": 1, "2024-02": 2, "2025-01": 0}

    in_rollback(shared_engine, {}, check)


def test_without_a_registry_nothing_is_held_back(shared_engine):
    def check(engine):
        contacts = [{**r, "load_id": 9} for r in TINY["contact"]]  # load 9 is in no registry
        engine.insert("contact", to_arrow("contact", [{"source_file": "f", "source_row": i, **r} for i, r in enumerate(contacts, 1)]))
        rows = _results(engine, run(engine, MONTHS, indicators=[get("front_door.contacts")], levels=("council",)))
        assert {str(r["period_start"])[:7]: r["numerator"] for r in rows} == {"2024-01": 1, "2024-02": 2, "2025-01": 1, "2025-02": 0}

    in_rollback(shared_engine, {}, check)


def test_icpc_months_follow_the_cin_census_not_annex_a_alone(shared_engine):
    """Every CIN census carries the conference with its enquiry (s47_enquiry.icpc_date); Annex A's
    icpc list only adds to it (``supplementary``), so it must not confine ICPC figures to its 12
    months, and a conference in both counts once."""

    data = {
        "s47_enquiry": [
            # CIN 2023-24: 1 Jun -> 15 Jun 2023 is 10 working days
            {"s47_id": "S1", "child_id": "C1", "start_date": "2023-06-01", "icpc_date": "2023-06-15", "load_id": 1},
            # Annex A: Fri 1 Mar -> Thu 28 Mar 2024 is 19 working days; also in Annex A's icpc list
            {"s47_id": "S2", "child_id": "C2", "start_date": "2024-03-01", "icpc_date": "2024-03-28", "load_id": 2},
        ],
        "icpc": [{"icpc_id": "I2", "s47_id": "S2", "child_id": "C2", "icpc_date": "2024-03-28", "load_id": 2}],
    }

    def check(engine):
        registry(engine, LOADS)
        for name, items in data.items():
            engine.insert(name, to_arrow(name, [{"source_file": "f", "source_row": i, **r} for i, r in enumerate(items, 1)]))
        ids = [get("child_protection.icpc_within_15_working_days"), get("child_protection.s47_to_icpc")]
        months = [Month(2024, 3), Month(2025, 1), Month(2025, 2)]
        rows = _results(engine, run(engine, months, indicators=ids, levels=("council",)))
        got = {(r["indicator_id"].split(".")[1], str(r["period_start"])[:7]): (r["numerator"], r["denominator"]) for r in rows}
        assert got == {
            # March 2024's 12 months (April 2023 on) are the CIN census's, before Annex A's period
            ("icpc_within_15_working_days", "2024-03"): (1, 2),
            ("icpc_within_15_working_days", "2025-01"): (0, 1),
            ("s47_to_icpc", "2024-03"): (2, 2),
            ("s47_to_icpc", "2025-01"): (1, 1),
            # February 2025 runs past Annex A's as-at date: no data
        }

    in_rollback(shared_engine, {}, check)


def test_drill_says_there_is_no_data_for_a_month_the_run_has_no_row_for(shared_engine):
    import pytest

    from cscperf.indicators import api
    from cscperf.indicators.coverage import NoData

    def check(engine):
        _tiny(engine)
        # covered: exactly the contacts counted in February 2024
        assert sorted(r["record_id"] for r in api.drill(engine, "front_door.contacts", "2024-02")) == ["K2", "K3"]
        # January 2024 holds contact K1, but Annex A does not cover the month: no data, not 1 record
        with pytest.raises(NoData, match="no data for front_door.contacts in January 2024: the loaded extracts do not cover it"):
            api.drill(engine, "front_door.contacts", "2024-01")
        with pytest.raises(NoData, match=r"in February 2025 \(its window 01 April 2024 to 28 February 2025\)"):
            api.drill(engine, "front_door.referrals_ytd", "2025-02")
        # the run agrees: no row for either month
        rows = _results(engine, run(engine, [Month(2024, 1), Month(2025, 2)], indicators=[get("front_door.contacts")]))
        assert rows == []

    in_rollback(shared_engine, {}, check)
