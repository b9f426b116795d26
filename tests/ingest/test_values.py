from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cscperf.ingest.values import parse_date, parse_flag, strip_code
from cscperf.store.schema import code_lists

SEX = code_lists()["sex"].values
NEED = code_lists()["primary_need"].values
SOURCE = code_lists()["referral_source"].values


@pytest.mark.parametrize("raw", ["b) Female", "Female", "2", 2, 2.0, "female", " 2 "])
def test_sex_spellings_all_mean_female(raw):
    assert strip_code(raw, SEX) == "2"


def test_prefixed_codes():
    assert strip_code("N1 - Abuse or neglect", NEED) == "N1"
    assert strip_code("q) 6: Police", SOURCE) == "6"
    assert strip_code("3A", SOURCE) == "3A"


def test_unknown_codes_are_kept_as_read():
    assert strip_code("Z9", NEED) == "Z9"
    assert strip_code("  ", NEED) is None


@pytest.mark.parametrize(
    "raw,expected",
    [("01/02/2024", date(2024, 2, 1)), ("1/2/2024", date(2024, 2, 1)), ("2024-02-01", date(2024, 2, 1)),
     ("2024-02-01T00:00:00", date(2024, 2, 1)), (45000, date(2023, 3, 15)), ("", None), (None, None)],
)
def test_date_spellings(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2024", "2024-13-01", "yesterday", "29/02/2023"])
def test_impossible_dates_are_refused(raw):
    with pytest.raises(ValueError):
        parse_date(raw)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_dmy_round_trip(d):
    assert parse_date(d.strftime("%d/%m/%Y")) == d
    assert parse_date(d.isoformat()) == d


def test_flags():
    assert [parse_flag(v) for v in ("Y", "a) Yes", "No", "0", "", None, True)] == [True, True, False, False, None, None, True]
    with pytest.raises(ValueError):
        parse_flag("maybe")
