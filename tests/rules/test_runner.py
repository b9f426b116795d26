"""The runner on a store: scoped to the return's loads, previous-year tables, team and worker
attribution, stored findings and the summaries read back from them (DuckDB and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from rules_helpers import SEX_CHANGED, SEX_MISSING, add_load, insert, rule_doc, write_rule, write_ruleset

from cscperf.rules import summary
from cscperf.rules.ruleset import load_ruleset
from cscperf.rules.runner import (PREVIOUS_NEEDED, check_load, collection_year_of, earlier_loads, return_loads,
                                  run_checks)
from cscperf.store.rows import to_arrow


def _store(engine):
    """Load 1: an older CIN return; load 2: the CIN return to check; load 3: an SSDA903 return."""
    add_load(engine, 1, year="2024_25")
    add_load(engine, 2, year="2024_25")
    add_load(engine, 3, fmt="903", file="header.csv")
    insert(engine, "child", [{"child_id": "X", "ethnicity": "BAD"}], load_id=1)
    insert(engine, "child", [{"child_id": "A", "ethnicity": "XXXX"}, {"child_id": "B", "ethnicity": "WBRI"},
                             {"child_id": "C"}], load_id=2)
    insert(engine, "child", [{"child_id": "Z", "ethnicity": "ZZZZ"}], load_id=3)
    insert(engine, "referral", [{"referral_id": "A1", "child_id": "A", "referral_date": "2024-05-01"},
                                {"referral_id": "C1", "child_id": "C", "referral_date": "2024-06-01"}], load_id=2)
    insert(engine, "referral", [{"referral_id": "B1", "child_id": "B", "referral_date": "2024-05-01"}], load_id=1)
    insert(engine, "allocation", [
        {"child_id": "A", "worker_id": "W1", "team_id": "T1", "start_date": "2024-01-01"},
        {"child_id": "B", "worker_id": "W2", "team_id": "T1", "start_date": "2024-01-01", "end_date": "2025-01-01"},
        {"child_id": "B", "worker_id": "W3", "start_date": "2024-06-01"},
    ], load_id=9)
    insert(engine, "worker_team", [{"worker_id": "W3", "team_id": "T2", "start_date": "2023-01-01"}], load_id=9)
    insert(engine, "team", [{"team_id": "T1", "team_name": "Assessment 1"}, {"team_id": "T2", "team_name": "CIN 2"}], load_id=9)


def test_findings_are_scoped_attributed_and_stored(engine):
    _store(engine)
    ruleset = load_ruleset("cin", "2024_25")
    assert return_loads(engine, "cin") == [2] and return_loads(engine, "903") == [3]
    result = run_checks(engine, ruleset, codes=["4220", "8590"])
    assert result.load_ids == [2] and result.rules_run == 2 and result.findings == 3
    stored = summary.findings(engine, result.check_id)
    got = sorted((f["rule_code"], f["child_id"], f["field_values"], f["team_id"], f["worker_id"], f["source_file"], f["source_row"])
                 for f in stored)
    assert got == [
        ("4220", "A", "XXXX", "T1", "W1", "return2.xml", 1),
        ("4220", "C", None, None, None, "return2.xml", 3),
        ("8590", "B", "B", "T2", "W3", "return2.xml", 2),  # B's referral is in load 1, not in the checked return
    ]
    assert {f["message"] for f in stored if f["rule_code"] == "4220"} == {"Ethnicity is missing or invalid (see Ethnicity table)"}
    run = engine.execute("SELECT load_id, return_type, collection_year, findings FROM check_run WHERE check_id = :i",
                         {"i": result.check_id}).rows()
    assert run == [(2, "cin", "2024_25", 3)]
    numbers = [r[0] for r in engine.execute("SELECT finding_no FROM finding ORDER BY finding_no").rows()]
    assert numbers == [1, 2, 3]


def test_summaries_and_trend(engine):
    _store(engine)
    ruleset = load_ruleset("cin", "2024_25")
    first = run_checks(engine, ruleset, codes=["4220", "8590", "8525Q"])
    by_rule = {r["rule_code"]: (int(r["findings"]), int(r["children"])) for r in summary.by_rule(engine, first.check_id)}
    assert by_rule == {"4220": (2, 2), "8590": (1, 1), "8525Q": (3, 3)}
    by_team = {r["team_id"]: (r["team_name"], int(r["errors"]), int(r["queries"]), int(r["children"]))
               for r in summary.by_team(engine, first.check_id)}
    assert by_team == {"T1": ("Assessment 1", 1, 1, 1), "T2": ("CIN 2", 1, 1, 1), None: (None, 1, 1, 1)}
    by_worker = {r["worker_id"]: (r["team_id"], int(r["errors"]) + int(r["queries"])) for r in summary.by_worker(engine, first.check_id)}
    assert by_worker == {"W1": ("T1", 2), "W3": ("T2", 2), None: (None, 2)}
    for table in ("child", "child_source"):  # the runner reads each return's own rows (child_source)
        engine.execute(f"UPDATE {table} SET ethnicity = 'WBRI', date_of_birth = DATE '2015-01-01' "
                       "WHERE load_id = 2 AND child_id = 'C'")
    second = run_checks(engine, ruleset, codes=["4220", "8590", "8525Q"])
    trend = [(t["check_id"], int(t["errors"]), int(t["queries"])) for t in summary.trend(engine, "cin")]
    assert trend == [(first.check_id, 3, 3), (second.check_id, 2, 2)]
    assert summary.latest_check(engine, "cin") == second.check_id


def test_checking_an_explicit_load_and_a_missing_return(engine):
    _store(engine)
    result = run_checks(engine, load_ruleset("cin", "2024_25"), load_ids=[1], codes=["4220"])
    assert [(f["child_id"], f["field_values"]) for f in summary.findings(engine, result.check_id)] == [("X", "BAD")]
    engine.execute("UPDATE load SET status = 'superseded' WHERE source_format = 'cin'")
    from cscperf.core.errors import CscperfError
    with pytest.raises(CscperfError, match="no loaded cin return"):
        run_checks(engine, load_ruleset("cin", "2024_25"))


def test_year_detection_and_check_after_load(engine):
    _store(engine)
    assert collection_year_of(engine, [2]) == "2024_25"
    engine.execute("UPDATE load_file SET collection_year = NULL WHERE load_id = 2")
    assert collection_year_of(engine, [2]) == "2024_25"  # from as_at 31 March 2025
    result = check_load(engine, 2)
    assert result is not None and result.year == "2024_25" and result.rules_run == 109
    assert check_load(engine, 3) is None or check_load(engine, 3).return_type == "903"


def test_a_year_without_its_own_ruleset_is_checked_on_its_own_dates(engine):
    """A 2026_27 return (no ruleset yet) takes the latest rules but its own 1 April to 31 March."""
    _store(engine)
    engine.execute("UPDATE load_file SET collection_year = '2026_27' WHERE load_id = 2")
    result = check_load(engine, 2)
    assert result is not None and result.year == "2026_27" and result.rules_run == 109
    assert (result.params["collection_start"], result.params["collection_end"]) == (date(2026, 4, 1), date(2027, 3, 31))
    engine.execute("UPDATE load_file SET collection_year = '2019_20' WHERE load_id = 2")
    early = check_load(engine, 2)  # before the earliest ruleset: the earliest rules, its own dates
    assert early.year == "2019_20" and early.params["collection_start"] == date(2019, 4, 1)


def _prev_rules(tmp_path):
    write_ruleset(tmp_path, "cin", "2024_25")
    write_rule(tmp_path, "cin", "2024_25", rule_doc("1", "2024_25", SEX_MISSING))
    write_rule(tmp_path, "cin", "2024_25", rule_doc(
        "2", "2024_25", SEX_CHANGED,
        fail_tables={"child": [{"child_id": "A", "sex": "M"}], "prev_child": [{"child_id": "A", "sex": "F"}]},
        fail_expect=[{"child_id": "A", "field_values": "F;M"}]))
    return load_ruleset("cin", "2024_25", tmp_path)


def test_previous_year_tables(engine, tmp_path):
    ruleset = _prev_rules(tmp_path)
    add_load(engine, 1)
    add_load(engine, 2)
    insert(engine, "child", [{"child_id": "A", "sex": "F"}, {"child_id": "B", "sex": "M"}], load_id=1)
    insert(engine, "child", [{"child_id": "A", "sex": "M"}, {"child_id": "B", "sex": "M"}, {"child_id": "C"}], load_id=2)

    without = run_checks(engine, ruleset)
    assert without.skipped == ["2"] and without.rules_run == 1 and without.findings == 1

    from_loads = run_checks(engine, ruleset, previous_loads=[1])
    assert sorted((f["rule_code"], f["child_id"], f["field_values"]) for f in summary.findings(engine, from_loads.check_id)) == [
        ("1", "C", None), ("2", "A", "F;M")]

    prev = to_arrow("child", [{"child_id": "B", "sex": "F", "load_id": 0}])
    from_files = run_checks(engine, ruleset, previous={"child": prev})
    assert sorted((f["rule_code"], f["child_id"], f["field_values"]) for f in summary.findings(engine, from_files.check_id)) == [
        ("1", "C", None), ("2", "B", "F;M")]
    assert isinstance(prev, pa.Table)


SEX_NEVER_SEEN = ("SELECT c.child_id, 'ChildIdentifiers' AS table_name, c.source_file, c.source_row, 'Sex' AS fields, "
                  "c.sex AS field_values FROM child c WHERE NOT EXISTS (SELECT 1 FROM hist_child h "
                  "WHERE h.child_id = c.child_id)")


def test_history_tables_hold_every_earlier_year_and_check_load_finds_them(engine, tmp_path, monkeypatch):
    """Loads 1-3: 2022_23, 2023_24 and 2024_25 returns (3 is checked). ``hist_child`` is every earlier
    year's rows, ``prev_child`` last year's; ``check_load`` finds both in the store."""
    write_ruleset(tmp_path, "cin", "2024_25")
    write_rule(tmp_path, "cin", "2024_25", rule_doc(
        "3", "2024_25", SEX_NEVER_SEEN, fail_tables={"child": [{"child_id": "A"}], "hist_child": [{"child_id": "B"}]},
        fail_expect=[{"child_id": "A"}]))
    write_rule(tmp_path, "cin", "2024_25", rule_doc(
        "2", "2024_25", SEX_CHANGED,
        fail_tables={"child": [{"child_id": "A", "sex": "M"}], "prev_child": [{"child_id": "A", "sex": "F"}]},
        fail_expect=[{"child_id": "A", "field_values": "F;M"}]))
    ruleset = load_ruleset("cin", "2024_25", tmp_path)
    for load_id, year in ((1, "2022_23"), (2, "2023_24"), (3, "2024_25")):
        add_load(engine, load_id, year=year)
    insert(engine, "child", [{"child_id": "OLD", "sex": "F"}], load_id=1)
    insert(engine, "child", [{"child_id": "A", "sex": "F"}], load_id=2)
    insert(engine, "child", [{"child_id": "OLD", "sex": "F"}, {"child_id": "A", "sex": "M"}, {"child_id": "NEW", "sex": "M"}],
           load_id=3)
    assert earlier_loads(engine, "cin", "2024_25") == ([2], [1, 2])
    assert earlier_loads(engine, "cin", "2023_24") == ([1], [1])
    assert earlier_loads(engine, "cin", "2022_23") == ([], [])

    def found(result):
        return sorted((f["rule_code"], f["child_id"]) for f in summary.findings(engine, result.check_id))

    history_only = run_checks(engine, ruleset, load_ids=[3], history_loads=[1, 2])
    assert history_only.not_run == {"2": PREVIOUS_NEEDED} and found(history_only) == [("3", "NEW")]
    last_year_only = run_checks(engine, ruleset, load_ids=[3], previous_loads=[2])  # OLD is not in 2023_24
    assert found(last_year_only) == [("2", "A"), ("3", "NEW"), ("3", "OLD")]
    monkeypatch.setattr("cscperf.rules.ruleset.load_ruleset", lambda fmt, year, root=None: ruleset)
    monkeypatch.setattr("cscperf.rules.ruleset.available_years", lambda fmt: ["2024_25"])
    from_store = check_load(engine, 3)
    assert from_store.not_run == {} and found(from_store) == [("2", "A"), ("3", "NEW")]
    first_year = check_load(engine, 1)
    assert first_year.not_run == {"2": PREVIOUS_NEEDED, "3": PREVIOUS_NEEDED} and found(first_year) == []


def test_every_cin_rule_runs_together_on_both_engines(engine):
    """All 109 rules in their batches on a small return: the totals match each rule run alone."""
    _store(engine)
    ruleset = load_ruleset("cin", "2024_25")
    together = run_checks(engine, ruleset)
    alone = sum(run_checks(engine, ruleset, codes=[code]).findings for code in ["4220", "8590", "8525Q", "4180", "8540"])
    by_rule = {r["rule_code"]: int(r["findings"]) for r in summary.by_rule(engine, together.check_id)}
    assert sum(by_rule.get(c, 0) for c in ["4220", "8590", "8525Q", "4180", "8540"]) == alone
    assert together.findings == sum(by_rule.values()) and together.rules_run == 109


URN_UNKNOWN = ("SELECT c.child_id, 'ChildIdentifiers' AS table_name, c.source_file, c.source_row, 'Sex' AS fields, "
               "c.sex AS field_values FROM child c WHERE NOT EXISTS (SELECT 1 FROM ofsted_provider p WHERE p.urn = c.sex)")


def test_a_rule_requiring_reference_data_is_not_run_without_it(engine, tmp_path):
    """Without the Ofsted register a URN rule would fail every record; it is reported as not run."""
    from cscperf.core.errors import DefinitionError
    from cscperf.rules.output import Report, to_json
    from cscperf.rules.rule import rule_from_definition
    from cscperf.registry.definition import load_definition

    write_ruleset(tmp_path, "cin", "2024_25")
    write_rule(tmp_path, "cin", "2024_25", rule_doc("1", "2024_25", SEX_MISSING))
    doc = rule_doc("2", "2024_25", URN_UNKNOWN, fail_tables={"child": [{"child_id": "A", "sex": "SC1"}]})
    write_rule(tmp_path, "cin", "2024_25", {**doc, "requires": ["ofsted_provider"]})
    ruleset = load_ruleset("cin", "2024_25", tmp_path)
    assert ruleset.rule("2").requires == ("ofsted_provider",)
    add_load(engine, 1)
    insert(engine, "child", [{"child_id": "A", "sex": "SC1"}, {"child_id": "B", "sex": "SC2"}, {"child_id": "C"}], load_id=1)

    without = run_checks(engine, ruleset)
    assert without.rules_run == 1 and without.skipped == ["2"] and without.findings == 1
    assert without.not_run == {"2": "needs the Ofsted provider register (cscperf load --format ofsted-providers)"}
    report = Report(check={"check_id": 1}, findings=[], by_rule=[], by_team=[], by_worker=[], skipped=without.skipped,
                    not_run=without.not_run)
    assert '"reason": "needs the Ofsted provider register' in to_json(report)

    insert(engine, "ofsted_provider", [{"urn": "SC1"}], load_id=5)
    with_register = run_checks(engine, ruleset)
    assert with_register.rules_run == 2 and with_register.skipped == [] and with_register.not_run == {}
    found = sorted((f["rule_code"], f["child_id"]) for f in summary.findings(engine, with_register.check_id))
    assert found == [("1", "C"), ("2", "B"), ("2", "C")]  # C's NULL matches no URN, so NOT EXISTS holds

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml_dump({**doc, "id": "cin.2024_25.bad", "code": "bad", "requires": ["no_such_table"]}), encoding="utf-8")
    with pytest.raises(DefinitionError, match="requires unknown table"):
        rule_from_definition(load_definition(bad))


def yaml_dump(doc: dict) -> str:
    import yaml

    return yaml.safe_dump(doc, sort_keys=False)


def test_903_register_rules_through_the_runner_on_both_engines(engine):
    """The real 2025_26 ruleset, scoped and batched by the runner: the register rules are not run on a
    store without the register, and find exactly the hand-made mismatches once it is there (the
    register is reference data, read whole, not narrowed to the return's load)."""
    add_load(engine, 3, fmt="903", year="2025_26", file="episodes.csv")
    insert(engine, "cla_episode", [
        {"child_id": "A", "decom": "2025-05-01", "place": "K2", "place_provider": "PR4", "urn": "SC111111", "pl_post": "RM17"},
        {"child_id": "B", "decom": "2025-05-01", "place": "K2", "place_provider": "PR5", "urn": "SC111111", "pl_post": "SS1"},
        {"child_id": "C", "decom": "2025-05-01", "place": "U6", "place_provider": "PR4", "urn": "SC999999"},
    ], load_id=3, file="episodes.csv")
    ruleset = load_ruleset("903", "2025_26")
    register_rules = {"219", "221", "224", "227", "228", "241"}

    def urn_findings(check_id):
        return sorted((f["rule_code"], f["child_id"], f["field_values"]) for f in summary.findings(engine, check_id)
                      if f["rule_code"] in register_rules)

    without = run_checks(engine, ruleset, load_ids=[3], codes=register_rules | {"243"})
    assert set(without.not_run) == register_rules and without.rules_run == 1
    insert(engine, "ofsted_provider", [{"urn": "SC111111", "placement_codes": "K2", "provider_codes": "PR4",
                                        "provider_postcode": "RM17 6AB", "registration_date": "2025-06-01"}], load_id=8)
    with_register = run_checks(engine, ruleset, load_ids=[3], codes=register_rules | {"243"})
    assert with_register.not_run == {} and with_register.rules_run == 7
    assert urn_findings(with_register.check_id) == [
        ("219", "C", "SC999999;U6"),
        ("221", "B", "SC111111;SS1"),
        ("224", "B", "SC111111;PR5"),
        ("227", "A", "SC111111;2025-05-01"), ("227", "B", "SC111111;2025-05-01"),
    ]
