"""Rule metadata and rulesets by year: inherit, replace by code, delete; ruleset.yaml is no rule."""

from __future__ import annotations

from datetime import date

import pytest
from rules_helpers import SEX_MISSING, rule_doc, write_rule, write_ruleset

from cscperf.core.errors import CscperfError, DefinitionError
from cscperf.registry.definition import parse_definition
from cscperf.rules.rule import fixture_gaps, rule_from_definition
from cscperf.rules.ruleset import available_years, load_ruleset


def _tree(root):
    write_ruleset(root, "cin", "2024_25")
    write_rule(root, "cin", "2024_25", rule_doc("100", "2024_25", SEX_MISSING, message="old"))
    write_rule(root, "cin", "2024_25", rule_doc("200", "2024_25", SEX_MISSING))
    write_rule(root, "cin", "2024_25", rule_doc("300Q", "2024_25", SEX_MISSING, rule_type="query"))
    write_ruleset(root, "cin", "2025_26", inherits="2024_25", deleted=["200"])
    write_rule(root, "cin", "2025_26", rule_doc("100", "2025_26", SEX_MISSING, message="new"))
    write_rule(root, "cin", "2025_26", rule_doc("400", "2025_26", SEX_MISSING))


def test_a_later_year_inherits_replaces_and_deletes(tmp_path):
    _tree(tmp_path)
    first = load_ruleset("cin", "2024_25", tmp_path)
    assert first.codes() == ["100", "200", "300Q"]
    second = load_ruleset("cin", "2025_26", tmp_path)
    assert second.codes() == ["100", "300Q", "400"]
    assert second.rule("100").message == "new" and second.rule("100").id == "cin.2025_26.100"
    assert second.rule("300Q").id == "cin.2024_25.300Q" and second.rule("300Q").type == "query"
    assert available_years("cin", tmp_path) == ["2024_25", "2025_26"]
    assert load_ruleset("cin", root=tmp_path).year == "2025_26"


def test_run_parameters_follow_the_year(tmp_path):
    _tree(tmp_path)
    params = load_ruleset("cin", "2025_26", tmp_path).params("883")
    assert params == {"collection_start": date(2025, 4, 1), "collection_end": date(2026, 3, 31),
                      "reference_date": date(2026, 3, 31), "collection_year": 2026, "la_code": "883"}


def test_deleting_an_unknown_code_and_unknown_years_are_refused(tmp_path):
    _tree(tmp_path)
    write_ruleset(tmp_path, "cin", "2026_27", inherits="2025_26", deleted=["999"])
    with pytest.raises(DefinitionError, match="deletes '999'"):
        load_ruleset("cin", "2026_27", tmp_path)
    with pytest.raises(CscperfError, match="no cin ruleset for 2019_20"):
        load_ruleset("cin", "2019_20", tmp_path)
    with pytest.raises(CscperfError, match="unknown return"):
        load_ruleset("abc", "2024_25", tmp_path)


@pytest.mark.parametrize("change, message", [
    ({"type": "warning"}, "type must be one of"),
    ({"return": "cla"}, "return must be one of"),
    ({"message": None, "title": ""}, "missing title"),
    ({"fields": []}, "missing fields"),
    ({"id": "cin.2024_25.999"}, "id must be"),
    ({"id": "cin.24_25.100"}, "id must be"),
])
def test_rule_metadata_is_validated(change, message):
    doc = {**rule_doc("100", "2024_25", SEX_MISSING), **change}
    with pytest.raises(DefinitionError, match=message):
        rule_from_definition(parse_definition(doc, "x.yaml"))


def test_a_rule_without_a_dfe_message_shows_its_title():
    doc = {**rule_doc("100", "2024_25", SEX_MISSING), "message": None, "title": "What the rule means"}
    assert rule_from_definition(parse_definition(doc, "x.yaml")).message == "What the rule means"
    del doc["message"]
    with pytest.raises(DefinitionError, match="missing message"):
        rule_from_definition(parse_definition(doc, "x.yaml"))


def test_a_rule_needs_a_passing_and_a_failing_fixture():
    doc = rule_doc("100", "2024_25", SEX_MISSING)
    assert fixture_gaps(rule_from_definition(parse_definition(doc, "x.yaml"))) == []
    only_pass = {**doc, "fixtures": doc["fixtures"][:1]}
    assert fixture_gaps(rule_from_definition(parse_definition(only_pass, "x.yaml"))) == [
        "cin.2024_25.100: no failing fixture (one expecting failures)"]
    only_fail = {**doc, "fixtures": doc["fixtures"][1:]}
    assert fixture_gaps(rule_from_definition(parse_definition(only_fail, "x.yaml"))) == [
        "cin.2024_25.100: no passing fixture (one expecting no failures)"]


def test_a_rule_file_is_named_by_its_code(tmp_path):
    write_ruleset(tmp_path, "cin", "2024_25")
    path = write_rule(tmp_path, "cin", "2024_25", rule_doc("100", "2024_25", SEX_MISSING))
    path.rename(path.with_name("101.yaml"))
    with pytest.raises(DefinitionError, match="<year>/<code>.yaml"):
        load_ruleset("cin", "2024_25", tmp_path)


def test_the_shipped_cin_rulesets_hold_every_rule_in_both_years():
    first, second = load_ruleset("cin", "2024_25"), load_ruleset("cin", "2025_26")
    assert len(first.rules) == 109 and first.codes() == second.codes()
    assert {r.type for r in first.rules} == {"error", "query"}
    assert sum(r.type == "query" for r in first.rules) == 26
