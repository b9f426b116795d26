"""Thurrock (883) benchmarks reproduce DfE's published values exactly, read from the real files in
the shared reference folder (skipped where that folder is absent). Each value is checked twice:
against the cell read straight from the source file, and against the figure DfE publishes."""

import csv
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cscperf.digest.benchmarks import import_files
from cscperf.digest.comparison import indicator_position, position
from cscperf.store import open_engine
from cscperf.store.migrate import migrate

DFE = Path(os.environ.get("CSCPERF_DFE_DIR", Path(__file__).resolve().parents[3] / "shared" / "reference" / "dfe"))
if not (DFE / "lait_bds_long_0.parquet").exists():
    DFE = Path("/work/shared/reference/dfe")
pytestmark = pytest.mark.skipif(not (DFE / "lait_bds_long_0.parquet").exists(), reason="DfE reference files not present")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    engine = open_engine(str(tmp_path_factory.mktemp("dfe") / "dfe.duckdb"))
    migrate(engine)
    import_files(engine, [DFE])
    yield engine
    engine.close()


def lait_cell(short, years, la_number):
    t = pq.read_table(DFE / "lait_bds_long_0.parquet").to_pylist()
    return next(r["Values"] for r in t if r["Short Desc"] == short and r["Years"] == years and r["LA Number"] == la_number)


def ees_cell(name, column, year, la_code, **filters):
    with (DFE / name).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["time_period"] == year and row["old_la_code"] == la_code and all(row[k] == v for k, v in filters.items()):
                return row[column]
    raise AssertionError("row not found")


@pytest.mark.parametrize("indicator, polarity, measure, short, published", [
    ("front_door.re_referrals", "down", "ReReferral", "ReReferral", 16.0),
    ("assessment.within_45_working_days", "up", "Continue_Assess_Comp", "Continue_Assess_Comp", 97.0),
    ("child_protection.icpc_within_15_working_days", "up", "CP_conf_15days", "CP_conf_15days", 94.8),
    ("workforce.vacancy_rate", "down", "Work_Force_Vac_Rate", "Work_Force_Vac_Rate", 22.9),
    ("workforce.agency_rate", "down", "Work_Force_Agecy_Rate", "Work_Force_Agecy_Rate", 19.4),
])
def test_thurrock_2025_from_lait(store, indicator, polarity, measure, short, published):
    pos = indicator_position(store, indicator, polarity, "883")
    assert pos.measure_id == measure and pos.latest.time_period == "2025"
    assert pos.latest.council.value == float(lait_cell(short, "2025", 883.0)) == published


@pytest.mark.parametrize("measure, file, column, published, filters", [
    ("ees.c1.rereferral_percent", "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", "rereferral_percent", 16.0, {}),
    ("ees.csww.vacancy_rate", "csww_indicators_2017_to_2025.csv", "vacancy_rate_fte", 22.9, {}),
    ("ees.csww.agency_rate", "csww_indicators_2017_to_2025.csv", "agency_rate_fte", 19.4, {}),
    ("ees.care_leavers.eet_19_21", "la_care_leavers_activity.csv", "care_leaver_percent", 47.0,
     {"care_leaver_age": "19 to 21 years", "breakdown": "Total in education, employment or training"}),
    ("ees.cla_stability.long_term", "la_cla_placement_stability.csv", "children_percent", 71.0,
     {"placement_stability": "Living with the same carer for at least 2 years"}),
])
def test_thurrock_2025_from_ees(store, measure, file, column, published, filters):
    pos = position(store, measure, "883", "none")
    assert pos.latest.time_period == "2025"
    assert pos.latest.council.value == float(ees_cell(file, column, "2025", "883", **filters)) == published


def test_thurrock_comparators_2025(store):
    y = indicator_position(store, "front_door.re_referrals", "down", "883").latest
    assert (y.england.value, y.region.value, y.region_name) == (22.6, 19.4, "East of England")
    assert y.neighbours["2025"].members == ("866", "303", "311", "887", "940", "822", "941", "332", "925", "935")
    assert y.neighbours["2021"].members[:3] == ("887", "303", "311")
    assert y.ranked > 140 and y.rank is not None and y.band in "ABCD"


def test_suppressed_cells_are_markers_not_zero(store):
    # Thurrock's 2025 count of CP plans open 2+ years is suppressed in d5: it must stay 'c', never 0
    raw = ees_cell("d5_cpps_at31march_by_duration_2013_to_2025.csv", "2_years_or_more_percent", "2025", "883")
    assert raw == "c"
    y = position(store, "ees.d5.cpp_2yrs_active_percent", "883", "down").latest
    assert y.council.value is None and y.council.marker == "c" and y.rank is None
