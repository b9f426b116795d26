"""Council configuration: the council row, population from an ONS file or a council figure, and the
population a month's rate uses."""

from datetime import date

import pytest

from cscperf.core.errors import CscperfError, InputError
from cscperf.indicators.compute import population_by_month_end
from cscperf.indicators.council import council_config, read_ons_population, set_council, set_population

ONS = """time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,age_group,population_estimate
2023,Reporting year,National,E92000001,England,,,,,,Children aged 0 to 17 years,12000000
2023,Reporting year,Local authority,E92000001,England,E1,East,999,E06999999,Testshire,Children aged 0 to 17 years,40000
2024,Reporting year,Local authority,E92000001,England,E1,East,999,E06999999,Testshire,Children aged 0 to 17 years,41000
2024,Reporting year,Local authority,E92000001,England,E1,East,998,E06999998,Other,Children aged 0 to 17 years,7
2024,Reporting year,Local authority,E92000001,England,E1,East,999,E06999999,Testshire,All ages,99999
"""


def test_ons_file_and_month_lookup(engine, tmp_path):
    path = tmp_path / "ons.csv"
    path.write_text(ONS, encoding="utf-8")
    assert read_ons_population(path, "999") == {2023: 40000, 2024: 41000}
    set_council(engine, "999", "Testshire", region="East", agency_hourly_cap=42.5)
    set_population(engine, "999", read_ons_population(path, "999"), "ONS")
    set_population(engine, "999", {2024: 41500}, "council figure")   # replaces 2024
    config = council_config(engine)
    assert config["agency_hourly_cap"] == 42.5 and config["population"] == {2023: 40000, 2024: 41500}
    ends = [date(2022, 12, 31), date(2023, 3, 31), date(2024, 3, 31), date(2026, 3, 31)]
    # the latest year not after the month's year; before every estimate, the earliest
    assert population_by_month_end(engine, ends) == dict(zip(ends, [40000, 40000, 41500, 41500]))
    set_council(engine, "999", "Testshire renamed")
    assert council_config(engine)["la_name"] == "Testshire renamed" and council_config(engine)["agency_hourly_cap"] is None


def test_bad_inputs(tmp_path):
    with pytest.raises(InputError, match="cannot open"):
        read_ons_population(tmp_path / "missing.csv", "999")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="column missing"):
        read_ons_population(wrong, "999")
    ons = tmp_path / "ons.csv"
    ons.write_text(ONS, encoding="utf-8")
    with pytest.raises(CscperfError, match="no population"):
        read_ons_population(ons, "123")
