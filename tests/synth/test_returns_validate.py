"""The synthetic council's returns pass the DfE rules, and its deliberate defects are found.

End to end through the real pipeline: ``synthesise`` writes the files, ``load_paths`` reads them into
a DuckDB store and the rule runner checks each CIN census and SSDA903 load inside the load (as
``cscperf load`` does); the clean councils also have every year's return checked with the year
before it. Two or three collection years of the small profile keep it to seconds.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from cscperf.ingest.load import load_paths
import cscperf.cli  # noqa: F401  (load_cli imports cscperf.cli, which registers load_cli: import it first)
from cscperf.load_cli import check_new_loads
from cscperf.rules.ruleset import available_years, load_ruleset
from cscperf.rules.runner import check_load, run_checks, year_before
from cscperf.store import open_engine
from cscperf.store.migrate import migrate
from cscperf.synth.run import synthesise
from support.care_history import qualifying_care_before

AS_AT = date(2026, 10, 31)


def _store(folder: Path):
    engine = open_engine(str(folder / "store.duckdb"))
    migrate(engine)
    return engine


def _synth(folder: Path, defects: float, years: int = 2, seed: int = 1) -> Path:
    out = folder / "council"
    synthesise("small", seed=seed, as_at=AS_AT, years=years, out=out, defects=defects, say=lambda _: None)
    return out


def _april_first(year: str) -> date:
    return date(int(year[:4]), 4, 1)


def _check_every_year(engine, load_ids: list[int]) -> list[tuple[str, str, bool]]:
    """Check each CIN census and SSDA903 load of the council, not only the newest: with its year's
    ruleset (a year older than the first ruleset gets that ruleset's rules on its own dates, as DfE's
    rules for it are the same bar a few codes) and the previous year's load of the same return, so
    the rules comparing two years run wherever there is a year before. Returns (return, year, with
    the previous year) per check."""
    ids = ", ".join(map(str, load_ids))
    loads = {(fmt, year): load_id for load_id, fmt, year in engine.execute(
        "SELECT l.load_id, l.source_format, MAX(f.collection_year) FROM load l JOIN load_file f ON f.load_id = l.load_id "
        f"WHERE l.load_id IN ({ids}) AND l.source_format IN ('cin', '903') GROUP BY l.load_id, l.source_format").rows()}
    done = []
    for (fmt, year), load_id in sorted(loads.items()):
        known = available_years(fmt)
        ruleset = load_ruleset(fmt, year if year in known else known[0])
        previous = loads.get((fmt, year_before(year)))
        run_checks(engine, dataclasses.replace(ruleset, year=year), load_ids=[load_id],
                   previous_loads=[previous] if previous else None, trigger_load_id=load_id)
        done.append((fmt, year, previous is not None))
    return done


# Two councils, each of which once broke a rule a clean council never would: seed 1 over two years
# (a missing period ending on an 18th birthday, 580, in 2024_25) and seed 3 over three (a child born
# on 1 April caught between the readings of 189 and 197B, in 2025_26).
@pytest.mark.parametrize("seed, years", [(1, ["2024_25", "2025_26"]), (3, ["2023_24", "2024_25", "2025_26"])])
def test_clean_council_has_no_error_or_integrity_findings_in_any_year(tmp_path, seed, years):
    """`synth --defects 0` is what a clean council would send, every year of it: each CIN census and
    SSDA903 return checked with its previous year (the first year has none before it)."""
    out = _synth(tmp_path, 0.0, years=len(years), seed=seed)
    engine = _store(tmp_path)
    lines: list[str] = []
    checked: list[tuple[str, str, bool]] = []

    def check(e, ids):
        lines.extend(check_new_loads(e, ids))  # what `cscperf load` does: the newest of each return
        checked.extend(_check_every_year(e, ids))

    load_paths(engine, [out / "cin", out / "ssda903", out / "ofsted"], before_merge=check)
    runs = engine.execute("SELECT DISTINCT return_type, collection_year FROM check_run ORDER BY 1, 2").rows()
    assert runs == [(r, y) for r in ("903", "cin") for y in years], lines
    assert checked == [(r, y, y != years[0]) for r in ("903", "cin") for y in years]
    assert not any("not run: needs the Ofsted" in line for line in lines), lines  # the register's rules ran
    assert engine.execute("SELECT COUNT(DISTINCT urn) FROM ofsted_provider").scalar() > 20
    assert engine.execute("SELECT COUNT(*) FROM cla_episode").scalar() > 50  # there was something to check
    bad = engine.execute(
        "SELECT f.rule_code, c.collection_year, f.child_id, f.table_name, f.field_values FROM finding f "
        "JOIN check_run c ON c.check_id = f.check_id "
        "WHERE f.rule_type IN ('error', 'integrity') ORDER BY 2, 1, 3").rows()
    engine.close()
    explained = [b for b in bad if b[0] in ("1001", "1002")
                 and qualifying_care_before(out / "truth", b[2], _april_first(year_before(b[1])), AS_AT)]
    unexplained = [b for b in bad if b not in explained]
    assert unexplained == [], Counter((r[1], r[0]) for r in unexplained)


def _defect_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("defects")
    out = _synth(folder, 0.2)  # a high rate, so the few children in care of `small` get defects too
    engine = _store(folder)

    def check_every_return(eng, load_ids):  # every year's file, each with its year's ruleset
        for load_id in load_ids:
            check_load(eng, load_id)

    load_paths(engine, [out / "cin", out / "ssda903", out / "ofsted"], before_merge=check_every_return)
    found = {(r[0], r[1], Path(r[2]).relative_to(out).as_posix())
             for r in engine.execute("SELECT rule_code, child_id, source_file FROM finding").rows()}
    engine.close()
    with (out / "defects.csv").open(encoding="utf-8") as fh:
        manifest = list(csv.DictReader(fh))
    return out, manifest, found


@pytest.fixture(scope="module")
def defect_run(tmp_path_factory):
    return _defect_run(tmp_path_factory)


def test_every_claimed_defect_is_found_by_its_rule(defect_run):
    """Recall per rule: each defects.csv row naming a rule is a finding of that rule, for that child,
    in that file. 100% expected; no miss is excused."""
    out, manifest, found = defect_run
    claimed = [m for m in manifest if m["rule_code"]]
    assert len(claimed) > 30
    recall: dict[str, list[int]] = {}
    missed = []
    for m in claimed:
        hit = (m["rule_code"], m["child_id"], m["file"]) in found
        recall.setdefault(m["rule_code"], [0, 0])[0] += hit
        recall[m["rule_code"]][1] += 1
        if not hit:
            missed.append((m["rule_code"], m["file"], m["table"], m["field"], m["value"]))
    print("recall per rule:", {code: f"{h}/{n}" for code, (h, n) in sorted(recall.items())})  # shown with -s
    assert len(recall) >= 10  # a spread of rules, not one
    assert missed == [], {code: f"{h}/{n}" for code, (h, n) in sorted(recall.items())}


def test_defects_are_only_listed_for_files_the_writers_produced(defect_run):
    out, manifest, _ = defect_run
    assert manifest
    for m in manifest:
        assert (out / m["file"]).is_file(), m["file"]
