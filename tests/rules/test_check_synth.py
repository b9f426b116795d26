"""``cscperf check`` end to end on a synthetic council's real files (issue 6): PATHs with the real
loader, --previous, --return/--year, the Ofsted register given or not, summaries by rule, team and
worker, and the trend across loads in a store."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from cscperf.cli import cli
from cscperf.rules.runner import PREVIOUS_NEEDED
from cscperf.store import open_engine
from support.care_history import qualifying_care_before
from support.roundtrip import AS_AT

REGISTER_RULES = {"219", "221", "224", "227", "228", "241"}  # the 2025_26 rules with requires: [ofsted_provider]


def _files(council: Path, year: str) -> list[str]:
    return sorted(str(p) for p in (council / "ssda903").glob(f"ssda903_{year}_*.csv"))


def _check(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_files_with_register_and_previous_year_run_every_rule(council):
    register = str(council / "ofsted" / "ofsted_providers.csv")
    previous = [arg for path in _files(council, "2024_25") for arg in ("--previous", path)]  # one file each
    doc = _check("--return", "903", "--format", "json", *previous, *_files(council, "2025_26"), register)
    assert doc["check"]["collection_year"] == "2025_26"
    assert doc["not_run"] == [] and doc["skipped_rules"] == [] and doc["check"]["rules_run"] == 316
    # with last year given, only 1001/1002 speak: care leavers whose qualifying care was before last
    # year, which DfE's own note on those rules says two years of episodes cannot show
    errors = {f["rule_code"] for f in doc["findings"] if f["rule_type"] in ("error", "integrity")}
    assert errors <= {"1001", "1002"}


def test_files_without_register_or_previous_year_say_what_did_not_run(council):
    doc = _check("--format", "json", *_files(council, "2025_26"))
    reasons = {r["rule_code"]: r["reason"] for r in doc["not_run"]}
    register = {c for c, why in reasons.items() if "Ofsted provider register" in why}
    assert register == REGISTER_RULES
    assert all(why == PREVIOUS_NEEDED for c, why in reasons.items() if c not in register)
    assert {"202", "203"} <= set(reasons)  # header comparisons with last year
    assert not any(f["rule_code"] in REGISTER_RULES for f in doc["findings"])  # no placement failed for want of it


def _with_unknown_urn(council: Path, folder: Path) -> str:
    """Copy the 2025_26 files with one episode's URN replaced by one on no register; its child."""
    folder.mkdir()
    child = None
    for src in _files(council, "2025_26"):
        rows = list(csv.reader(Path(src).open(encoding="utf-8", newline="")))
        if src.endswith("_Episodes.csv"):
            at = rows[0].index("URN")
            row = next(r for r in rows[1:] if r[at].startswith("SC"))
            row[at], child = "SC000001", row[0]
        with (folder / Path(src).name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    return child


def _allocation_on(council: Path, child: str, day: date) -> tuple[str | None, str | None]:
    """The allocation open on ``day`` (the latest started), as the runner attributes a finding."""
    rows = [r for r in pq.read_table(council / "truth" / "allocation.parquet").to_pylist()
            if r["child_id"] == child and r["start_date"] <= day and (r["end_date"] is None or r["end_date"] >= day)]
    rows.sort(key=lambda r: r["start_date"])
    return (rows[-1]["team_id"], rows[-1]["worker_id"]) if rows else (None, None)


def test_store_summaries_and_trend_across_loads(council, tmp_path):
    db = str(tmp_path / "store.duckdb")
    child = _with_unknown_urn(council, tmp_path / "this_year")

    def load(*paths) -> str:
        result = CliRunner().invoke(cli, ["load", "--db", db, *map(str, paths)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    load(council / "workforce")  # allocations, so findings have a team and worker
    assert "not run: needs the Ofsted provider register" in load(*_files(council, "2024_25"))
    rechecked = load(council / "ofsted")  # the 903 already loaded is checked again, now with the register
    assert "checked 903 2024_25" in rechecked and "not run: needs the Ofsted" not in rechecked
    assert "not run: needs the Ofsted" not in load(tmp_path / "this_year")
    doc = _check("--db", db, "--return", "903", "--year", "2025_26", "--format", "json")
    # 1001/1002 run with the store's 2024_25 as history and report, as DfE's note on them warns, care
    # leavers whose qualifying care was before 2024_25: each must be one the truth explains
    known = [f for f in doc["findings"] if f["rule_code"] in ("1001", "1002")]
    assert all(qualifying_care_before(council / "truth", f["child_id"], date(2024, 4, 1), AS_AT) for f in known)
    errors = sorted((f["rule_code"], f["child_id"], f["field_values"]) for f in doc["findings"]
                    if f["rule_type"] == "error" and f not in known)
    # the one placement given an unknown URN: not on the register (219), and not last year's URN (503F,
    # comparing with the store's 2024_25 return)
    urn = next(f["field_values"].split(";")[1] for f in doc["findings"] if f["rule_code"] == "219")
    assert [e[:2] for e in errors] == [("219", child), ("503F", child)] and errors[0][2] == f"SC000001;{urn}"
    assert errors[1][2].startswith("SC000001;")
    assert sorted((r["rule_code"], r["findings"], r["children"]) for r in doc["by_rule"]
                  if r["rule_type"] == "error" and r["rule_code"] not in ("1001", "1002")) == [("219", 1, 1), ("503F", 1, 1)]
    team, worker = _allocation_on(council, child, date(2026, 3, 31))
    assert team is not None and worker is not None
    assert [(f["team_id"], f["worker_id"]) for f in doc["findings"] if f["rule_code"] in ("219", "503F")] == [(team, worker)] * 2
    error_teams = Counter(f["team_id"] for f in doc["findings"] if f["rule_type"] == "error")
    assert {r["team_id"]: r["errors"] for r in doc["by_team"] if r["errors"]} == dict(error_teams)
    error_workers = Counter((f["worker_id"], f["team_id"]) for f in doc["findings"] if f["rule_type"] == "error")
    assert {(r["worker_id"], r["team_id"]): r["errors"] for r in doc["by_worker"] if r["errors"]} == dict(error_workers)
    # one check per 903 load as it was loaded, one when the register came, then this one; the clean
    # council's 2024_25 file has no error either (tests/synth/test_returns_validate.py checks every year)
    trend = [(t["collection_year"], t["errors"]) for t in doc["trend"]]
    with open_engine(db) as engine:
        first = engine.execute("SELECT COUNT(*) FROM finding WHERE check_id = 1 AND rule_type = 'error'").scalar()
        register_rules = engine.execute("SELECT COUNT(*) FROM finding WHERE check_id = 2 AND rule_code IN "
                                        "('219', '221', '224', '227', '228')").scalar()
    assert first == 0
    assert trend == [("2024_25", 0), ("2024_25", 0), ("2025_26", 2 + len(known)), ("2025_26", 2 + len(known))]
    assert register_rules == 0
    assert len({t["load_id"] for t in doc["trend"]}) == 2


def test_a_folder_of_years_is_checked_as_its_newest_year_with_the_one_before(council, tmp_path):
    """`cscperf check ssda903/` (two years' files): 2025_26 is checked, 2024_25 is its last year (read
    before any merge), so only the register's rules are not run; and `cscperf load` of both years
    runs the rules comparing with last year inside the load."""
    register = str(council / "ofsted" / "ofsted_providers.csv")
    doc = _check("--format", "json", str(council / "ssda903"), register)
    assert doc["check"]["collection_year"] == "2025_26" and doc["not_run"] == [] and doc["check"]["rules_run"] == 316
    known = [f for f in doc["findings"] if f["rule_code"] in ("1001", "1002")]
    assert all(qualifying_care_before(council / "truth", f["child_id"], date(2024, 4, 1), AS_AT) for f in known)
    assert not [f for f in doc["findings"] if f["rule_type"] in ("error", "integrity") and f not in known]
    given = _check("--format", "json", *_files(council, "2025_26"), register,
                   *[arg for path in _files(council, "2024_25") for arg in ("--previous", path)])
    assert sorted(f["rule_code"] + f["child_id"] for f in given["findings"]) == \
        sorted(f["rule_code"] + f["child_id"] for f in doc["findings"])  # the same as giving last year

    result = CliRunner().invoke(cli, ["load", "--db", str(tmp_path / "s.duckdb"), str(council / "ssda903"), register],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "checked 903 2025_26" in result.output and "not run" not in result.output


def test_the_store_is_checked_as_submitted_after_its_returns_are_merged(council, tmp_path):
    """One load of the whole council merges the 903 years' shared episodes and Annex A's copies into
    one row each (filling an open episode's end from the later extract); `cscperf check` on the store
    afterwards still checks 2025_26 as submitted, with 2024_25 from the store: the same findings as
    the check made inside the load, and no error a clean council would not have."""
    db = str(tmp_path / "s.duckdb")
    result = CliRunner().invoke(cli, ["load", "--db", db, str(council)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with open_engine(db) as engine:
        kept = engine.execute("SELECT COUNT(*) FROM submitted_cla_episode").scalar()
        in_load = engine.execute("SELECT check_id FROM check_run WHERE return_type = '903'").scalar()
        at_load = sorted(engine.execute("SELECT rule_code, child_id, source_file, source_row, field_values FROM finding "
                                        "WHERE check_id = :c", {"c": in_load}).rows())
    assert kept > 0  # merging did change some of the returns' rows
    doc = _check("--db", db, "--return", "903", "--format", "json")
    assert doc["check"]["collection_year"] == "2025_26" and doc["not_run"] == []
    assert sorted((f["rule_code"], f["child_id"], f["source_file"], f["source_row"], f["field_values"])
                  for f in doc["findings"]) == at_load
    known = [f for f in doc["findings"] if f["rule_code"] in ("1001", "1002")]
    assert all(qualifying_care_before(council / "truth", f["child_id"], date(2024, 4, 1), AS_AT) for f in known)
    assert not [f for f in doc["findings"] if f["rule_type"] in ("error", "integrity") and f not in known]
