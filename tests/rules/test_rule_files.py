"""Every rule file under src/cscperf/rules/definitions (CIN and SSDA903) is well formed and its
fixtures pass on DuckDB and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cscperf.registry.fixtures import check_definition, create_previous_tables, previous_tables
from cscperf.rules.rule import fixture_gaps, load_rule
from cscperf.rules.ruleset import all_rule_files, definitions_folder, load_ruleset

FILES = all_rule_files()
CATALOGUES = Path("/work/shared/reference/validation_rules")
YEARS = ("2024_25", "2025_26")


def _rel(path: Path) -> str:
    return str(path.relative_to(definitions_folder()))


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_rule_fixtures_pass(shared_engine, path):
    rule = load_rule(path)
    assert fixture_gaps(rule) == []
    assert check_definition(shared_engine, rule.definition) == []


def _catalogue(name: str) -> dict[str, set[str]]:
    """{year: codes} from a DfE catalogue CSV."""
    years: dict[str, set[str]] = {y: set() for y in YEARS}
    with (CATALOGUES / name).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for year in row["collection_years"].split(";"):
                if year in years:
                    years[year].add(row["code"].strip())
    return years


@pytest.mark.skipif(not CATALOGUES.exists(), reason="DfE catalogues not on this machine")
def test_every_cin_catalogue_rule_is_in_its_ruleset():
    for year, codes in _catalogue("cin_census_validation_rules.csv").items():
        have = set(load_ruleset("cin", year).codes())
        assert codes - have == set(), f"cin {year}: missing {sorted(codes - have)}"
        assert have - codes == set(), f"cin {year}: not in the catalogue {sorted(have - codes)}"


# SSDA903 rules that compare the URN with Ofsted's register of providers (ofsted_provider): they
# declare it with `requires:` so that, without a register loaded, they are not run rather than failing.
NEED_PROVIDER_REGISTER = {"2024_25": {"219", "221", "224", "227", "228"},
                          "2025_26": {"219", "221", "224", "227", "228", "241"}}


@pytest.mark.skipif(not CATALOGUES.exists(), reason="DfE catalogues not on this machine")
def test_every_ssda903_catalogue_rule_is_in_its_ruleset():
    for year, codes in _catalogue("ssda903_validation_rules.csv").items():
        ruleset = load_ruleset("903", year)
        have = set(ruleset.codes())
        assert have - codes == set(), f"903 {year}: rules not in the catalogue {sorted(have - codes)}"
        assert codes - have == set(), f"903 {year}: missing {sorted(codes - have)}"
        requiring = {r.code for r in ruleset.rules if r.requires}
        assert requiring == NEED_PROVIDER_REGISTER[year]
        assert all(ruleset.rule(c).requires == ("ofsted_provider",) for c in requiring)


FINDING_COLUMNS = ["child_id", "table_name", "source_file", "source_row", "fields", "field_values"]


class _Discard(Exception):
    pass


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_failures_return_exactly_the_finding_columns(shared_engine, path):
    definition = load_rule(path).definition
    try:
        with shared_engine.transaction():
            create_previous_tables(shared_engine, previous_tables(definition))
            result = shared_engine.execute(definition.query("failures"), definition.fixtures[0].params)
            assert list(result.table.column_names) == FINDING_COLUMNS
            raise _Discard
    except _Discard:
        pass
