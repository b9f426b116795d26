"""Every indicator definition's fixtures pass on DuckDB and PostgreSQL, and the files keep the contract."""

import pytest

from cscperf.core.errors import DefinitionError
from cscperf.indicators.fixtures import check_indicator
from cscperf.indicators.library import AREAS, library, parse_indicator

LIBRARY = library()


@pytest.mark.parametrize("indicator", LIBRARY, ids=lambda i: i.id)
def test_fixtures_pass(shared_engine, indicator):
    assert check_indicator(shared_engine, indicator) == []


def test_every_area_has_indicators():
    assert {i.area for i in LIBRARY} == set(AREAS)


def test_dfe_measures_cite_their_source():
    for indicator in LIBRARY:
        source = str(indicator.definition.meta["source"])
        assert "DfE" in source or "Local" in source or "CSWW" in source, indicator.id
        if indicator.definition.meta.get("lait"):
            assert "LAIT" in source, indicator.id


def test_a_wrong_expectation_fails(shared_engine):
    indicator = next(i for i in LIBRARY if i.id == "front_door.contact_conversion")
    wrong = type(indicator)(**{**indicator.__dict__, "results": ({"numerator": 1, "denominator": 3, "value": 50.0},)})
    [problem] = check_indicator(shared_engine, wrong)
    assert "council figure" in problem and "33.333333" in problem


def test_contract_is_enforced():
    base = {"id": "front_door.x", "kind": "indicator", "title": "t", "description": "d", "source": "Local",
            "polarity": "up", "unit": "percent", "period": "in_month", "counts": "records",
            "queries": {"numerator": "SELECT 1"}, "fixtures": [{"expect": {"numerator": []}}]}
    with pytest.raises(DefinitionError, match="needs denominator"):
        parse_indicator(dict(base), "x.yaml", "front_door")
    with pytest.raises(DefinitionError, match="polarity"):
        parse_indicator({**base, "polarity": "higher"}, "x.yaml", "front_door")
    with pytest.raises(DefinitionError, match="period"):
        parse_indicator({**base, "period": "weekly"}, "x.yaml", "front_door")
    with pytest.raises(DefinitionError, match="area folder"):
        parse_indicator({**base, "unit": "count"}, "x.yaml", "workforce")
    with pytest.raises(DefinitionError, match="fixtures"):
        parse_indicator({**base, "unit": "count", "fixtures": []}, "x.yaml", "front_door")


def test_the_record_contract_is_checked(shared_engine):
    """A query returning a record twice in a month, or without the record columns, fails its fixture."""
    base = {"id": "front_door.dup", "kind": "indicator", "title": "t", "description": "d", "source": "Local",
            "polarity": "none", "unit": "count", "period": "in_month", "counts": "records",
            "fixtures": [{"params": {"month": "2025-03"},
                          "tables": {"referral": [{"referral_id": "R1", "child_id": "C1", "referral_date": "2025-03-01"}]},
                          "expect": {"numerator": [{"child_id": "C1"}, {"child_id": "C1"}]}}]}
    doubled = parse_indicator({**base, "queries": {"numerator":
        "SELECT p.period_end, r.child_id AS record_id, r.child_id, r.team_id, r.worker_id, 1 AS value "
        "FROM periods p JOIN referral r ON TRUE CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2) AS two"}}, "x.yaml", "front_door")
    [problem] = check_indicator(shared_engine, doubled)
    assert "repeated within a month" in problem
    short = parse_indicator({**base, "fixtures": [{**base["fixtures"][0], "expect": {"numerator": [{"child_id": "C1"}]}}],
                             "queries": {"numerator": "SELECT p.period_end, r.child_id FROM periods p JOIN referral r ON TRUE"}},
                            "x.yaml", "front_door")
    [problem] = check_indicator(shared_engine, short)
    assert "missing record column" in problem
