"""Determinism, the defect manifest and the command."""

from __future__ import annotations

import csv
import hashlib
import sys
import types
from datetime import date

import pyarrow.parquet as pq
from click.testing import CliRunner

from cscperf.cli import cli
from cscperf.synth.council import simulate_council
from cscperf.synth.days import collection_years, to_day
from cscperf.synth.defects import KEYS, inject, record_key
from cscperf.synth.draw import child_stream
from cscperf.synth.profiles import Council
from cscperf.synth.run import synthesise

AS_AT = date(2026, 10, 31)


def digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_arguments_give_byte_identical_files(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out in (a, b):
        synthesise("small", seed=7, as_at=AS_AT, years=4, out=out, defects=0.02, say=lambda _: None)
    synthesise("small", seed=8, as_at=AS_AT, years=4, out=c, defects=0.02, say=lambda _: None)
    first = digest(a)
    assert "truth/referral.parquet" in first and "defects.csv" in first
    assert first == digest(b)
    assert first["truth/referral.parquet"] != digest(c)["truth/referral.parquet"]


def test_truth_tables_are_canonical_parquet(tmp_path):
    from cscperf.store.rows import arrow_schema

    synthesise("small", seed=1, as_at=AS_AT, years=2, out=tmp_path, say=lambda _: None)
    for name in ("child", "referral", "cla_episode", "staff_spell", "survey_response"):
        table = pq.read_table(tmp_path / "truth" / f"{name}.parquet")
        assert table.schema.equals(arrow_schema(name)), name
        assert table.num_rows > 0, name
    with (tmp_path / "defects.csv").open() as fh:
        assert list(csv.reader(fh)) == [["file", "table", "record", "child_id", "field", "defect", "rule_code", "return_table", "value"]]


def test_defect_manifest_points_at_real_changed_records():
    council = Council(0, "883", "Thurrock", "E06000034", "East of England", 6000)
    truth = simulate_council(council, seed=3, as_at=AS_AT, years=6)
    years = collection_years(to_day(date(2020, 10, 31)), to_day(AS_AT))
    copy, manifest = inject(truth, 0.05, child_stream(3, 0, 99), years, AS_AT)
    assert len(manifest) > 50
    codes = {m["rule_code"] for m in manifest}
    assert codes >= {"8866", "1103", "8608"}
    assert codes & {"143", "144", "146", "356", "148", "149"}
    before = {t: {} for t in KEYS}
    for t in KEYS:
        for row in truth[t].to_pylist():
            before[t].setdefault(record_key(t, row), []).append(row)
    after = {t: {} for t in KEYS}
    for t in KEYS:
        for row in copy[t].to_pylist():
            after[t].setdefault(record_key(t, row), []).append(row)
    for m in manifest:
        t = m["table"]
        rows = after[t].get(m["record"])
        assert rows, m
        if m["defect"] == "duplicate":
            assert len(rows) == 2 and rows[0] == rows[1]
            continue
        value = rows[0][m["field"]]
        assert ("" if value is None else str(value)) == m["value"]
        original = before[t].get(m["record"]) or next(iter(v for v in before[t].values() if v[0]["child_id"] == m["child_id"]))
        assert m["child_id"] == rows[0]["child_id"]
        if m["field"] not in KEYS[t]:
            assert original[0][m["field"]] != value
        # the file is one this record lands in
        if m["file"].startswith("cin/"):
            year = int(m["file"][-8:-4])
            assert year in years
        elif m["file"].startswith("ssda903/"):
            name = m["file"].split("/")[1]  # ssda903_<yyyy_yy>_<Table>.csv, as the writer names it
            assert int(name[8:12]) + 1 in years and name.endswith(f"_{m['return_table']}.csv")
    # the truth is untouched
    assert truth["referral"].equals(simulate_council(council, seed=3, as_at=AS_AT, years=6)["referral"])
    # specific rules: 1103 assessment starts before its referral
    refs = {r["referral_id"]: r["referral_date"] for r in copy["referral"].to_pylist()}
    for m in (m for m in manifest if m["rule_code"] == "1103"):
        a = after["assessment"][m["record"]][0]
        assert a["start_date"] < refs[a["referral_id"]]


def test_writers_are_called_with_the_agreed_signatures(tmp_path, monkeypatch):
    calls = []

    def fake(name, kind):
        mod = types.ModuleType(name)

        def write(tables, out, **kw):
            calls.append((kind, out.relative_to(tmp_path).as_posix(), kw))
            assert "referral" in tables and "cla_episode" in tables
            return [out / f"{kind}.file"]
        mod.write = write
        monkeypatch.setitem(sys.modules, name, mod)

    for name, kind in (("cscperf.returns.cin_census", "cin"), ("cscperf.returns.ssda903", "903"), ("cscperf.returns.annex_a", "annex")):
        fake(name, kind)
    for missing in ("cscperf.returns.csww", "cscperf.returns.hr", "cscperf.returns.survey", "cscperf.returns.ofsted_providers"):
        monkeypatch.setitem(sys.modules, missing, None)  # import raises ImportError
    said = []
    summary = synthesise("small", seed=1, as_at=AS_AT, years=2, out=tmp_path, say=said.append)
    assert ("cin", "cin", {"la_code": "883", "collection_year": 2025}) in calls
    assert ("903", "ssda903", {"la_code": "883", "collection_year": 2026}) in calls
    assert ("annex", "annex_a.xlsx", {"as_at": AS_AT}) in calls
    assert summary.files == {"CIN census": 2, "SSDA903": 2, "Annex A": 1}
    assert summary.missing_writers == {"workforce census", "HR extracts", "staff survey", "Ofsted provider register"}
    assert any("not available yet" in line and "cscperf.returns.csww" in line for line in said)


def test_command_writes_and_summarises(tmp_path):
    result = CliRunner().invoke(cli, ["synth", "--profile", "small", "--seed", "2", "--as-at", "2025-06-30", "--years", "2", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "referral" in result.output and "defects.csv" in result.output
    assert (tmp_path / "truth" / "cla_episode.parquet").exists()
    bad = CliRunner().invoke(cli, ["synth", "--as-at", "2025-13-01", "--out", str(tmp_path)])
    assert bad.exit_code != 0


def test_national_streams_council_by_council(tmp_path, monkeypatch):
    import cscperf.synth.run as run
    from cscperf.synth import profiles

    few = [Council(i, c.la_code, c.la_name, c.new_la_code, c.region, 400) for i, c in enumerate(profiles.england()[:3])]
    monkeypatch.setattr(run, "councils", lambda profile, la_code: few)
    summary = synthesise("national", seed=1, as_at=AS_AT, years=1, out=tmp_path / "serial", say=lambda _: None)
    assert summary.councils == 3 and summary.tables is None
    parallel = synthesise("national", seed=1, as_at=AS_AT, years=1, out=tmp_path / "pool", say=lambda _: None, jobs=2)
    assert parallel.rows == summary.rows
    assert digest(tmp_path / "serial") == digest(tmp_path / "pool")
    tmp_path = tmp_path / "serial"
    for c in few:
        ids = pq.read_table(tmp_path / c.la_code / "truth" / "child.parquet").column("child_id").to_pylist()
        assert ids and all(i.startswith(c.la_code) for i in ids)
