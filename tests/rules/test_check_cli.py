"""``cscperf check`` as a user meets it: on a store, on files, in every output format."""

from __future__ import annotations

import csv
import io
import json
import sys
import types

import openpyxl
import pytest
from click.testing import CliRunner
from rules_helpers import add_load, insert

from cscperf.cli import cli
from cscperf.store import open_engine
from cscperf.store.migrate import migrate


def _fill(engine, load_id=1):
    add_load(engine, load_id, year="2024_25")
    insert(engine, "child", [
        {"child_id": "A", "ethnicity": "XXXX", "sex": "M", "date_of_birth": "2015-01-01", "disabilities": "NONE", "upn_unknown": "UN5"},
        {"child_id": "B", "ethnicity": "WBRI", "sex": "F", "date_of_birth": "2016-01-01", "disabilities": "MOB", "upn_unknown": "UN5"},
    ], load_id=load_id)
    insert(engine, "referral", [
        {"referral_id": "A1", "child_id": "A", "referral_date": "2024-05-01", "nfa": False, "primary_need": "N1", "referral_source": "1A"},
        {"referral_id": "B1", "child_id": "B", "referral_date": "2024-05-01", "nfa": False, "primary_need": "N1", "referral_source": "<b>"},
    ], load_id=load_id)
    insert(engine, "allocation", [{"child_id": "A", "worker_id": "W1", "team_id": "T1", "start_date": "2024-01-01"}], load_id=9)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store.duckdb"
    with open_engine(str(path)) as engine:
        migrate(engine)
        _fill(engine)
    return path


def _check(*args):
    result = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


EXPECTED = {("4220", "A", "XXXX"), ("8866", "B", "2024-05-01;<b>")}


def _rows_without_return_level(rows):
    return {(r["Rule"], r["Child"], r["Value(s)"]) for r in rows if r["Child"]}


def test_csv_on_the_store(store, tmp_path):
    out = tmp_path / "f.csv"
    _check("--db", str(store), "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert _rows_without_return_level(rows) == EXPECTED
    a = next(r for r in rows if r["Rule"] == "4220")
    assert (a["Type"], a["Table"], a["File"], a["Row"], a["Field(s)"], a["Team"], a["Worker"]) == (
        "error", "ChildCharacteristics", "return1.xml", "1", "Ethnicity", "T1", "W1")
    assert a["DfE message"] == "Ethnicity is missing or invalid (see Ethnicity table)"
    with open_engine(str(store)) as engine:  # the findings were kept
        assert engine.execute("SELECT COUNT(*) FROM finding").scalar() == len(rows)


def test_json_and_summaries(store):
    doc = json.loads(_check("--db", str(store), "--return", "cin", "--year", "2025_26", "--format", "json"))
    assert doc["check"]["collection_year"] == "2025_26" and doc["check"]["rules_run"] == 109
    assert {(f["rule_code"], f["child_id"], f["field_values"]) for f in doc["findings"] if f["child_id"]} == EXPECTED
    by_rule = {r["rule_code"]: r["findings"] for r in doc["by_rule"]}
    assert by_rule["4220"] == 1 and by_rule["8866"] == 1
    assert {r["team_id"] for r in doc["by_team"]} == {"T1", None}
    # checked against 2025_26, the return's reference date (31 March 2025) is wrong: rule 100 adds an error
    assert [(t["check_id"], t["errors"]) for t in doc["trend"]] == [(1, 3)]
    assert {(f["rule_code"], f["field_values"]) for f in doc["findings"] if f["rule_code"] == "100"} == {("100", "2025-03-31")}
    again = json.loads(_check("--db", str(store), "--format", "json"))
    assert again["check"]["collection_year"] == "2024_25"
    assert [(t["check_id"], t["errors"]) for t in again["trend"]] == [(1, 3), (2, 2)]


def test_xlsx(store, tmp_path):
    out = tmp_path / "f.xlsx"
    _check("--db", str(store), "--format", "xlsx", "--out", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Findings", "By rule", "By team", "By worker", "Trend"]
    sheet = book["Findings"]
    heads = [c.value for c in sheet[1]]
    rows = [dict(zip(heads, [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]
    assert _rows_without_return_level(rows) == EXPECTED


def test_html_is_self_contained_and_escaped(store, tmp_path):
    out = tmp_path / "f.html"
    _check("--db", str(store), "--format", "html", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<link" not in text and "<script" not in text
    assert "Ethnicity is missing or invalid" in text and "&lt;b&gt;" in text and "<b>" not in text


def test_table_output(store):
    text = _check("--db", str(store))
    assert "4220" in text and "8866" in text and "finding(s) from 109 rule(s)" in text


def test_files_are_checked_in_a_throwaway_store(tmp_path, monkeypatch):
    """The files path: the ingest loader (stand-in here) fills an in-memory store that is then checked."""
    calls = []

    def load_paths(engine, paths, fmt=None, as_at=None):
        calls.append([p.name for p in paths])
        _fill(engine, load_id=1)

    module = types.ModuleType("cscperf.ingest.load")
    module.load_paths = load_paths
    monkeypatch.setitem(sys.modules, "cscperf.ingest.load", module)
    (tmp_path / "cin.xml").write_text("<Message/>", encoding="utf-8")
    out = tmp_path / "f.json"
    _check("--format", "json", "--out", str(out), str(tmp_path / "cin.xml"))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert calls == [["cin.xml"]]
    assert {(f["rule_code"], f["child_id"], f["field_values"]) for f in doc["findings"] if f["child_id"]} == EXPECTED


def test_files_without_the_loader_is_one_clear_error(tmp_path, monkeypatch):
    from cscperf.cli import main

    monkeypatch.setitem(sys.modules, "cscperf.ingest.load", None)
    (tmp_path / "cin.xml").write_text("<Message/>", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(tmp_path / "cin.xml")])
    assert exit_info.value.code == 2


def test_xlsx_needs_a_file_and_an_empty_store_is_explained(tmp_path):
    from cscperf.cli import main

    empty = tmp_path / "empty.duckdb"
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--db", str(empty)])
    assert exit_info.value.code == 2


def test_not_run_rules_are_listed_with_their_reason_in_every_format(capsys):
    from cscperf.rules.output import Report, print_table, to_html, to_json

    report = Report(check={"check_id": 7, "return_type": "903", "collection_year": "2025_26", "rules_run": 3},
                    findings=[], by_rule=[], by_team=[], by_worker=[], skipped=["202", "219", "221"],
                    not_run={"219": "needs the Ofsted provider register", "221": "needs the Ofsted provider register"})
    assert report.not_run_groups() == [("needs the previous year's return (--previous)", ["202"]),
                                       ("needs the Ofsted provider register", ["219", "221"])]
    assert json.loads(to_json(report))["not_run"] == [
        {"rule_code": "202", "reason": "needs the previous year's return (--previous)"},
        {"rule_code": "219", "reason": "needs the Ofsted provider register"},
        {"rule_code": "221", "reason": "needs the Ofsted provider register"}]
    assert "Not run: needs the Ofsted provider register: 219, 221" in to_html(report)
    print_table(report)
    assert "Not run: needs the Ofsted provider register: 219, 221" in capsys.readouterr().out
