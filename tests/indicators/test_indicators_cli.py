"""`cscperf indicators`, `cscperf drill` and `cscperf survey` as a user meets them (subprocess)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from canonical import canonical_rows, load
from cscperf.indicators import api
from cscperf.indicators.library import library
from cscperf.store import open_engine
from cscperf.store.migrate import migrate

MONTHLY = [i for i in library() if i.monthly]


def cscperf(*args):
    return subprocess.run([sys.executable, "-m", "cscperf", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"}, timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store.duckdb"
    with open_engine(str(path)) as engine:
        migrate(engine)
        rows = canonical_rows(5)
        rows["survey_response"] = [
            {"survey_id": "S1", "respondent_id": f"R{i}", "respondent_group": "directorate" if i < 100 else "rest_of_council",
             "question_id": "Q1", "question_set": "engagement", "answer": "agree" if (i < 60 or 100 <= i < 500) else "disagree"}
            for i in range(1100)
        ]
        load(engine, rows)
    return str(path)


def test_csv_json_and_parquet_carry_the_same_rows(store, tmp_path):
    out = cscperf("indicators", "--month", "2025-02", "--from", "2025-01", "--format", "csv", "--db", store)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == ["indicator_id", "period", "level", "team_id", "worker_id", "numerator", "denominator", "value"]
    assert {r["period"] for r in rows} == {"2025-01", "2025-02"}
    assert {r["level"] for r in rows} == {"council"}
    assert len(rows) == 2 * len(MONTHLY)

    out = cscperf("indicators", "--month", "2025-02", "--level", "team", "--format", "json", "--db", store)
    team_rows = json.loads(out.stdout)
    assert team_rows and {r["level"] for r in team_rows} == {"team"}
    referrals = [r for r in team_rows if r["indicator_id"] == "front_door.referrals"]
    council = next(r for r in rows if r["indicator_id"] == "front_door.referrals" and r["period"] == "2025-02")
    assert sum(r["numerator"] for r in referrals) == float(council["numerator"])

    target = tmp_path / "w.parquet"
    out = cscperf("indicators", "--month", "2025-02", "--level", "worker", "--format", "parquet", "--out", str(target), "--db", store)
    assert out.returncode == 0, out.stderr
    table = pq.read_table(target)
    assert table.column_names[:3] == ["indicator_id", "period", "level"] and set(table.column("level").to_pylist()) == {"worker"}

    out = cscperf("indicators", "--month", "2025-02", "--indicator", "front_door.referrals", "--db", store)
    assert out.returncode == 0 and "front_door.referrals" in out.stdout and "children_in_care" not in out.stdout


def test_drill_matches_the_api_and_the_figure(store):
    out = cscperf("drill", "front_door.referrals", "--month", "2025-02", "--format", "json", "--db", store)
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    with open_engine(store) as engine:
        assert records == json.loads(json.dumps(api.drill(engine, "front_door.referrals", "2025-02"), default=str))
        [council] = api.latest_results(engine, "2025-02", indicator_ids=["front_door.referrals"])
    assert len(records) == council["numerator"]


def test_survey_flags_a_significant_difference(store):
    out = cscperf("survey", "--format", "json", "--db", store)
    [q1] = json.loads(out.stdout)
    # directorate 60/100 positive against 400/1000: z = 3.86596, significantly higher
    assert q1["directorate_pct_positive"] == 60.0 and q1["rest_pct_positive"] == 40.0
    assert q1["z"] == pytest.approx(3.86596, abs=1e-5) and q1["flag"] == "significantly higher"


def test_user_errors_are_one_line(store):
    for args in (("indicators", "--month", "2025-13"), ("indicators",), ("drill", "no.such", "--month", "2025-01"),
                 ("indicators", "--month", "2025-01", "--format", "parquet")):
        out = cscperf(*args, "--db", store)
        assert out.returncode != 0 and "Traceback" not in out.stderr and out.stderr.strip().count("\n") == 0, (args, out.stderr)


def test_list(store):
    out = cscperf("indicators", "--list", "--format", "csv")
    ids = [r["id"] for r in csv.DictReader(io.StringIO(out.stdout))]
    assert ids == [i.id for i in library()]
