"""A tiny hand-made council for the web tests: two teams in two services, three workers, children
with plans, visits and care episodes chosen so each list has a known answer on 2024-06-03."""

from __future__ import annotations

from datetime import date, datetime

from cscperf.store import Engine
from cscperf.store.rows import to_arrow

AS_AT = date(2024, 6, 3)


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


def compute_indicators(engine: Engine) -> int:
    """Every indicator for the twelve months to May 2024, by the indicator engine itself."""
    from cscperf.indicators.api import run_indicators

    return run_indicators(engine, LAST_MONTH, first=FIRST_MONTH)
