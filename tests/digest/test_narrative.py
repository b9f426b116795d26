"""Each kind of sentence appears exactly when its fact holds; missing facts give no sentence."""

from datetime import date

import pytest

from cscperf.digest.catalogue import IndicatorInfo
from cscperf.digest.comparison import NeighbourSummary, Point, YearPosition
from cscperf.digest.narrative import Facts, change_phrase, sentences
from cscperf.digest.spc import xmr
from cscperf.digest.targets import Target

REREF = IndicatorInfo("front_door.re_referrals", "re-referrals within 12 months", "front_door", "down", "percent")
MARCH = date(2026, 3, 1)
COMMON = [10, 12] * 8  # limits 5.68 .. 16.32
SIGNAL = [10, 12] * 8 + [19]  # latest point above the upper limit


def kinds(facts):
    return [s.kind for s in sentences(facts)]


def text(facts, kind):
    return next(s.text for s in sentences(facts) if s.kind == kind)


def bench(council=16.0, england=22.6, median=22.95, rank=27, band="A"):
    return YearPosition("2025", Point(council), Point(england), Point(19.4), "East of England",
                        {"2025": NeighbourSummary("2025", 22.3, median, ("1",), ())}, rank, 153, band)


def test_no_value_this_month_leaves_only_the_published_comparison():
    facts = Facts(REREF, MARCH, None, 12.0, 11.0, xmr(COMMON), Target("r", "down", 20, 2), bench())
    assert kinds(facts) == ["benchmark", "rank"]
    assert sentences(Facts(REREF, MARCH, None, 12.0, 11.0, xmr(COMMON), Target("r", "down", 20, 2))) == []


def test_only_the_value_gives_nothing_to_say():
    assert kinds(Facts(REREF, MARCH, 12.0)) == []


def test_month_sentence_only_with_last_month():
    assert kinds(Facts(REREF, MARCH, 12.0, last_month=10.5)) == ["month"]
    assert text(Facts(REREF, MARCH, 12.0, last_month=10.5), "month") == (
        "Re-referrals within 12 months was 12.0% in March 2026, up 1.5 percentage points from 10.5% in February 2026.")
    assert "unchanged from February 2026" in text(Facts(REREF, MARCH, 12.04, last_month=12.0), "month")
    assert "December 2025" in text(Facts(REREF, date(2026, 1, 1), 12.0, last_month=13.0), "month")


def test_year_sentence_only_with_last_year():
    facts = Facts(REREF, MARCH, 12.0, last_year=14.3)
    assert kinds(facts) == ["year"]
    assert text(facts, "year") == "That is 2.3 percentage points lower than a year earlier (14.3% in March 2025)."


def test_change_never_claims_better_or_worse():
    for s in sentences(Facts(REREF, MARCH, 12.0, last_month=20.0, last_year=30.0)):
        assert not any(word in s.text for word in ("better", "worse", "improv", "deteriorat", "concern"))


@pytest.mark.parametrize("now, before, expected", [
    (12.0, 10.5, ("up", 1.5)), (10.0, 12.0, ("down", 2.0)), (12.04, 12.0, ("unchanged", 0.0)),
    (12.06, 12.0, ("up", 0.1)),
])
def test_change_phrase_at_printed_precision(now, before, expected):
    assert change_phrase(now, before, "percent") == expected


def test_spc_sentence_needs_twelve_points_and_says_common_cause_only_when_it_is():
    assert "spc" not in kinds(Facts(REREF, MARCH, 12.0, chart=xmr(COMMON[:11])))
    common = text(Facts(REREF, MARCH, 12.0, chart=xmr(COMMON)), "spc")
    assert "common-cause" in common and "5.7%" in common and "16.3%" in common


@pytest.mark.parametrize("polarity, verdict", [("down", "a concern"), ("up", "an improvement"), ("none", "a real change")])
def test_special_cause_is_judged_by_polarity(polarity, verdict):
    ind = IndicatorInfo("x", "x", "front_door", polarity, "percent")
    said = text(Facts(ind, MARCH, 19.0, chart=xmr(SIGNAL)), "spc")
    assert "special-cause" in said and "outside the process limits" in said and said.endswith(f"{verdict}.")


def test_assurance_sentence_only_with_a_target_and_a_chart():
    assert "assurance" not in kinds(Facts(REREF, MARCH, 12.0, chart=xmr(COMMON)))
    assert "assurance" not in kinds(Facts(REREF, MARCH, 12.0, target=Target("r", "down", 20, 2)))
    met = Facts(REREF, MARCH, 12.0, chart=xmr(COMMON), target=Target("r", "down", 20, 2))
    assert "met consistently" in text(met, "assurance")
    missed = Facts(REREF, MARCH, 12.0, chart=xmr(COMMON), target=Target("r", "down", 5, 0))
    assert "missed consistently" in text(missed, "assurance")
    hit = Facts(REREF, MARCH, 12.0, chart=xmr(COMMON), target=Target("r", "down", 11, 0))
    assert "hit and missed" in text(hit, "assurance")


def test_target_sentence_states_the_rag_the_numbers_give():
    t = Target("r", "down", 20.0, 2.0)
    assert text(Facts(REREF, MARCH, 20.0, target=t), "target") == "It meets the target (20.0% or less)."
    assert text(Facts(REREF, MARCH, 21.5, target=t), "target") == (
        "It is 1.5 percentage points above the target (20.0% or less): amber, within the tolerance of 2.0 percentage points.")
    assert ": red, beyond" in text(Facts(REREF, MARCH, 25.0, target=t), "target")
    assert "target" not in kinds(Facts(REREF, MARCH, 25.0, target=Target("r", "none", 20.0)))
    assert "target" not in kinds(Facts(REREF, MARCH, 25.0, target=Target("r", "down", None)))


def test_benchmark_sentence_compares_only_what_is_published():
    said = text(Facts(REREF, MARCH, 12.0, benchmark=bench(median=23.0), council_name="Thurrock",
                      benchmark_period="year to 31 March"), "benchmark")
    assert said == ("In the latest published year, 2025 (year to 31 March), Thurrock's figure was 16.0%: better than "
                    "England (22.6%) and better than the median of its 2025 statistical neighbours (23.0%).")
    worse = text(Facts(REREF, MARCH, 12.0, benchmark=bench(council=25.0)), "benchmark")
    assert "worse than England" in worse and "worse than the median" in worse
    no_england = YearPosition("2025", Point(16.0), Point(None, "x"), Point(None), None, {}, None, 0, None)
    assert kinds(Facts(REREF, MARCH, 12.0, benchmark=no_england)) == []
    suppressed = YearPosition("2025", Point(None, "c"), Point(22.6), Point(19.4), None, {}, None, 150, None)
    assert kinds(Facts(REREF, MARCH, 12.0, benchmark=suppressed)) == []


def test_rank_sentence_only_with_a_rank():
    assert text(Facts(REREF, MARCH, 12.0, benchmark=bench()), "rank") == (
        "It ranked 27th of 153 councils (quartile A, where A is the best quarter).")
    assert "rank" not in kinds(Facts(REREF, MARCH, 12.0, benchmark=bench(rank=None, band=None)))


def test_no_polarity_says_higher_or_lower_not_better():
    ind = IndicatorInfo("children_in_care.cla_rate", "children looked after per 10,000", "children_in_care", "none", "rate_10k")
    said = text(Facts(ind, MARCH, 60.0, benchmark=bench(council=60.0, england=67.0, median=50.0)), "benchmark")
    assert "lower than England (67.0 per 10,000 children)" in said and "higher than the median" in said
    assert "better" not in said and "worse" not in said


def test_published_change_only_with_a_previous_published_value():
    prev = YearPosition("2024", Point(18.4), Point(22.4), Point(20.6), None, {}, None, 0, None)
    facts = Facts(REREF, MARCH, 12.0, benchmark=bench(), benchmark_previous=prev)
    assert text(facts, "published_change") == "That is 2.4 percentage points lower than in 2024 (18.4%)."
    gone = YearPosition("2024", Point(None, "c"), Point(22.4), Point(20.6), None, {}, None, 0, None)
    assert "published_change" not in kinds(Facts(REREF, MARCH, 12.0, benchmark=bench(), benchmark_previous=gone))
    assert "published_change" not in kinds(Facts(REREF, MARCH, 12.0, benchmark_previous=prev))


CONTACTS = IndicatorInfo("front_door.contacts", "contacts received", "front_door", "none", "count")


def test_a_month_with_no_data_is_said_and_never_compared():
    facts = Facts(CONTACTS, MARCH, None, no_data=True)
    assert [(s.kind, s.text) for s in sentences(facts)] == [
        ("no_data", "There is no data for March 2026: the loaded extracts do not cover it.")]
    # a blank value that is not "no data" (suppressed, or nothing to divide by) says nothing
    assert sentences(Facts(CONTACTS, MARCH, None)) == []


def test_last_month_without_data_compares_with_the_latest_month_that_has_it():
    facts = Facts(CONTACTS, MARCH, 2310.0, last_month_no_data=True, earlier=(date(2025, 12, 1), 2200.0))
    assert text(facts, "month") == (
        "Contacts received was 2,310 in March 2026, up 110 from 2,200 in December 2025, the latest earlier "
        "month with a figure (there is no data for February 2026).")
    alone = Facts(CONTACTS, MARCH, 2310.0, last_month_no_data=True)
    assert text(alone, "month") == ("Contacts received was 2,310 in March 2026; there is no data for February 2026 "
                                    "or any earlier month to compare with.")
    assert all("from 0" not in s.text for s in sentences(alone))


def test_last_year_without_data_is_said():
    facts = Facts(CONTACTS, MARCH, 2310.0, last_month=2290.0, last_year_no_data=True)
    assert kinds(facts) == ["month", "year"]
    assert text(facts, "year") == "There is no data for March 2025 to compare with a year earlier."
