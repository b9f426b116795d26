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
