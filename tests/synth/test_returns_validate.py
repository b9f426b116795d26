"""The synthetic council's returns pass the DfE rules, and its deliberate defects are found.

End to end through the real pipeline: ``synthesise`` writes the files, ``load_paths`` reads them into
a DuckDB store and the rule runner checks each CIN census and SSDA903 load inside the load (as
``cscperf load`` does). Two collection years keep it to a few seconds.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from cscperf.ingest.load import load_paths
import cscperf.cli  # noqa: F401  (load_cli imports cscperf.cli, which registers load_cli: import it first)
from cscperf.load_cli import check_new_loads
from cscperf.rules.runner import check_load
from cscperf.store import open_engine
from cscperf.store.migrate import migrate
from cscperf.synth.run import synthesise

AS_AT = date(2026, 10, 31)


def _store(folder: Path):
    engine = open_engine(str(folder / "store.duckdb"))
    migrate(engine)
    return engine


def _synth(folder: Path, defects: float) -> Path:
    out = folder / "council"
    synthesise("small", seed=1, as_at=AS_AT, years=2, out=out, defects=defects, say=lambda _: None)
    return out


def test_clean_council_has_no_error_or_integrity_findings(tmp_path):
    out = _synth(tmp_path, 0.0)
    engine = _store(tmp_path)
    lines: list[str] = []
    load_paths(engine, [out / "cin", out / "ssda903", out / "ofsted"],
               before_merge=lambda e, ids: lines.extend(check_new_loads(e, ids)))
    runs = engine.execute("SELECT return_type, collection_year FROM check_run ORDER BY return_type").rows()
    assert runs == [("903", "2025_26"), ("cin", "2025_26")], lines  # the newest of each return was checked
    assert not any("not run: needs the Ofsted" in line for line in lines), lines  # the register's rules ran
    assert engine.execute("SELECT COUNT(DISTINCT urn) FROM ofsted_provider").scalar() > 20
    checked = engine.execute("SELECT COUNT(*) FROM cla_episode").scalar()
    assert checked > 50  # there was something to check
    bad = engine.execute(
        "SELECT f.rule_code, f.rule_type, f.child_id, f.table_name, f.field_values FROM finding f "
        "WHERE f.rule_type IN ('error', 'integrity') ORDER BY f.rule_code, f.child_id").rows()
    assert bad == [], Counter(r[0] for r in bad)
    engine.close()


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
