"""The digest's view of indicator metadata: definition files win over the shipped fallback."""

import pytest
import yaml
from importlib import resources

from cscperf.core.errors import DefinitionError
from cscperf.digest.catalogue import IndicatorInfo, default_catalogue, describe, fallback_catalogue, from_definitions
from cscperf.digest.comparison import measure_map
from cscperf.digest.targets import load_targets


def test_fallback_entries_are_complete():
    # flow-style YAML splits at commas: every entry must keep exactly its four keys
    raw = yaml.safe_load(resources.files("cscperf.digest").joinpath("data/indicators_fallback.yaml").read_text())
    for iid, spec in raw.items():
        assert set(spec) == {"title", "area", "polarity", "unit"}, iid
    assert fallback_catalogue().get("child_protection.cp_rate").title == "Children on a child protection plan per 10,000 children"


def test_every_mapped_or_targeted_indicator_is_in_the_library_with_the_same_polarity():
    """Targets and the published-measure map name indicators the library computes, so none is silently
    without a target or a benchmark in the digest."""
    from cscperf.indicators.api import catalogue

    library = {item["id"]: item for item in catalogue()}
    targets = load_targets()
    for iid in set(measure_map()) | set(targets):
        assert iid in library, iid
        assert targets.get(iid) is None or targets[iid].polarity == library[iid]["polarity"], iid


def test_definitions_override_the_fallback(tmp_path):
    folder = tmp_path / "definitions" / "cp"
    folder.mkdir(parents=True)
    (folder / "child_protection.icpc_within_15_working_days.yaml").write_text("id: child_protection.icpc_within_15_working_days\ntitle: ICPCs on time\npolarity: up\nunit: percent\n")
    cat = default_catalogue(tmp_path / "definitions")
    assert cat.get("child_protection.icpc_within_15_working_days") == IndicatorInfo("child_protection.icpc_within_15_working_days", "ICPCs on time", "child_protection", "up", "percent")
    assert cat.get("front_door.re_referrals").title == "Re-referrals within 12 months"
    assert from_definitions(tmp_path / "missing").all() == []


def test_unknown_indicator_is_shown_by_its_id_and_bad_polarity_rejected():
    assert describe(fallback_catalogue(), "local_thing").title == "local thing"
    with pytest.raises(DefinitionError):
        IndicatorInfo("x", "x", "front_door", "sideways")


def test_unit_spellings_from_definitions_are_normalised(tmp_path):
    from cscperf.digest.catalogue import normalise_unit

    assert [normalise_unit(u) for u in ("percentage", "%", "rate per 10,000", "per_10k", "days", "count")] == [
        "percent", "percent", "rate_10k", "rate_10k", "days", "count"]
    folder = tmp_path / "cla"
    folder.mkdir()
    (folder / "children_in_care.cla_rate.yaml").write_text("id: children_in_care.cla_rate\ntitle: CLA rate\npolarity: none\nunit: rate per 10,000\n")
    assert from_definitions(tmp_path).get("children_in_care.cla_rate").unit == "rate_10k"
    assert from_definitions(tmp_path).get("children_in_care.cla_rate").area == "children_in_care"
