"""A tiny hand-made council for the web tests: two teams in two services, three workers, children
with plans, visits and care episodes chosen so each list has a known answer on 2024-06-03."""

from __future__ import annotations

from datetime import date, datetime

from cscperf.store import Engine
from cscperf.store.rows import to_arrow

AS_AT = date(2024, 6, 3)

PASSWORD = "correct horse battery staple 42"
USERS = {
    "director": {"role": "director"},
    "analyst": {"role": "analyst"},
    "servicecp": {"role": "service_manager", "service": "child_protection"},
    "tm1": {"role": "team_manager", "team_id": "T1"},
    "tm2": {"role": "team_manager", "team_id": "T2"},
    "sw1": {"role": "social_worker", "worker_id": "W1"},
    "member": {"role": "member"},
}



def _with_provenance(rows):
    return [{"load_id": 1, "source_file": "council.csv", "source_row": i, **r} for i, r in enumerate(rows, 1)]


TABLES = {
    "team": [
        {"team_id": "T1", "team_name": "Child Protection 1", "service": "child_protection"},
        {"team_id": "T2", "team_name": "Children in Care 1", "service": "children_in_care"},
    ],
    "worker": [
        {"worker_id": "W1", "worker_name": "Sam Social", "role": "social_worker", "fte": 1.0},
        {"worker_id": "W2", "worker_name": "Pat Practitioner", "role": "social_worker", "fte": 0.5},
        {"worker_id": "W3", "worker_name": "Lee Looked", "role": "social_worker", "fte": 1.0},
    ],
    "worker_team": [
        {"worker_id": "W1", "team_id": "T1", "start_date": "2020-01-01"},
        {"worker_id": "W2", "team_id": "T1", "start_date": "2020-01-01"},
        {"worker_id": "W3", "team_id": "T2", "start_date": "2020-01-01"},
    ],
    "child": [{"child_id": c, "sex": "1", "date_of_birth": "2015-05-05"} for c in ("CA", "CB", "CC", "CE", "CF")],
    "allocation": [
        {"child_id": "CA", "worker_id": "W1", "team_id": "T1", "start_date": "2024-01-01"},
        {"child_id": "CB", "worker_id": "W2", "team_id": "T1", "start_date": "2024-01-01"},
        {"child_id": "CC", "worker_id": "W1", "team_id": "T1", "start_date": "2024-01-01"},
        {"child_id": "CE", "worker_id": "W3", "team_id": "T2", "start_date": "2023-01-01"},
        {"child_id": "CF", "worker_id": "W3", "team_id": "T2", "start_date": "2023-01-01"},
    ],
    "cp_plan": [
        # CA: visited 20 May -> due Tue 4 Jun (due soon); CB: no visit since 1 May -> overdue 16 May.
        {"cp_plan_id": "P1", "child_id": "CA", "start_date": "2024-01-10", "team_id": "T1", "worker_id": "W1"},
        {"cp_plan_id": "P2", "child_id": "CB", "start_date": "2024-05-01", "team_id": "T1", "worker_id": "W2"},
        {"cp_plan_id": "P3", "child_id": "CC", "start_date": "2024-03-01", "team_id": "T1", "worker_id": "W1"},
    ],
    "visit": [
        {"visit_id": "V1", "child_id": "CA", "visit_date": "2024-05-20", "visit_type": "CP", "seen": True},
        {"visit_id": "V2", "child_id": "CC", "visit_date": "2024-05-31", "visit_type": "CP", "seen_alone": True},
        {"visit_id": "V3", "child_id": "CE", "visit_date": "2024-04-10", "visit_type": "CLA"},
        {"visit_id": "V4", "child_id": "CF", "visit_date": "2024-05-30", "visit_type": "CLA"},
    ],
    "cla_episode": [
        # CE: last CLA visit 10 Apr -> due 22 May: overdue. CF: visited 30 May -> due 11 Jul.
        {"child_id": "CE", "decom": "2023-01-09", "rne": "S", "legal_status": "C2", "place": "U4", "team_id": "T2", "worker_id": "W3"},
        {"child_id": "CF", "decom": "2023-01-09", "rne": "S", "legal_status": "C2", "place": "U6", "team_id": "T2", "worker_id": "W3"},
    ],
    "referral": [{"referral_id": "R1", "child_id": "CA", "referral_date": "2023-12-01", "referral_source": "6"}],
}


def populate(engine: Engine) -> None:
    with engine.transaction():
        engine.execute(
            "INSERT INTO load (load_id, started_at, finished_at, loaded_by, status, source_format, as_at) "
            "VALUES (1, :t, :t, 'test', 'loaded', 'annex-a', :as_at)",
            {"t": datetime(2024, 6, 3, 9, 0), "as_at": AS_AT},
        )
        for table, rows in TABLES.items():
            engine.insert(table, to_arrow(table, _with_provenance(rows)))
        engine.execute(
            "INSERT INTO check_run (check_id, load_id, checked_at, return_type, collection_year, findings) "
            "VALUES (1, 1, :t, '903', '2024_25', 2)",
            {"t": datetime(2024, 6, 3, 9, 5)},
        )
        engine.execute(
            "INSERT INTO finding (check_id, finding_no, rule_code, rule_type, message, child_id, team_id, worker_id) VALUES "
            "(1, 1, '103', 'error', 'The ethnicity code is either not valid or has not been entered.', 'CE', 'T2', 'W3'), "
            "(1, 2, '101', 'error', 'The sex is not valid.', 'CA', 'T1', 'W1')"
        )


# A council target for the CP visits indicator, so the home page has a RAG status to show.
TARGETS_YAML = """council: tiny
indicators:
  child_protection.visits_within_10_working_days: {target: 80, tolerance: 5, polarity: up}
"""
FIRST_MONTH, LAST_MONTH = "2023-06", "2024-05"


# A published measure for the digest's re-referrals indicator (its fallback id, which the measure
# map knows): England 22.4, East of England 21.0; the council 18.0 and its two 2025 neighbours 20.0
# and 25.0 -> with polarity down the council ranks 1 of 3 (band A), neighbours' median 22.5.
BENCHMARK = [
    ("National", "E92000001", "England", 22.4), ("Regional", "E12000006", "East of England", 21.0),
    ("Local authority", "883", "Tiny Council", 18.0), ("Local authority", "881", "Essex", 20.0),
    ("Local authority", "882", "Southend-on-Sea", 25.0),
]
# Its stored council results (run 0, as if an older run had computed it): 5 of 25, then 4 of 20.
RE_REFERRALS = [("2024-04-01", "2024-04-30", 5.0, 25.0, 20.0), ("2024-05-01", "2024-05-31", 4.0, 20.0, 20.0)]


def add_benchmarks(engine: Engine) -> None:
    with engine.transaction():
        engine.execute("INSERT INTO council (la_code, la_name, region) VALUES ('883', 'Tiny Council', 'East of England')")
        for rank, code, name in ((1, "881", "Essex"), (2, "882", "Southend-on-Sea")):
            engine.execute(
                "INSERT INTO stat_neighbour (sn_year, la_code, la_name, region_name, sn_rank, neighbour_code, source) "
                "VALUES ('2025', '883', 'Tiny Council', 'East of England', :r, :c, 'test')", {"r": rank, "c": code})
        for level, code, name, value in BENCHMARK:
            engine.execute(
                "INSERT INTO benchmark (measure_id, time_period, area_level, area_code, area_name, value, source) "
                "VALUES ('ReReferral', '2024', :l, :c, :n, :v, 'test')", {"l": level, "c": code, "n": name, "v": value})
        for start, end, num, den, value in RE_REFERRALS:
            engine.execute(
                "INSERT INTO indicator_result (run_id, indicator_id, period_start, period_end, level, numerator, "
                "denominator, value) VALUES (999, 'front_door.re_referrals', :s, :e, 'council', :n, :d, :v)",
                {"s": start, "e": end, "n": num, "d": den, "v": value})


def compute_indicators(engine: Engine) -> int:
    """Every indicator for the twelve months to May 2024, by the indicator engine itself."""
    from cscperf.indicators.api import run_indicators

    return run_indicators(engine, LAST_MONTH, first=FIRST_MONTH)
