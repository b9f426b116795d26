"""Property: for any in-year canonical rows, writer -> reader gives back the same rows (no store)."""

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cscperf.ingest.base import Record
from cscperf.ingest.formats.cin_census import CinCensusReader
from cscperf.ingest.formats.ssda903 import Ssda903Reader
from cscperf.returns import cin_census, ssda903
from cscperf.store.schema import code_lists
from cscperf.core.ids import record_id
from support.dfe_fixtures import arrow_tables

FIRST, LAST = date(2024, 4, 1), date(2025, 3, 31)
in_year = st.integers(0, (LAST - FIRST).days).map(lambda n: FIRST + timedelta(days=n))
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
code = lambda name: st.sampled_from(sorted(code_lists()[name].values))  # noqa: E731
ids = st.text("ABCXYZ0123456789", min_size=1, max_size=6)


@st.composite
def looked_after(draw):
    children = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    child = [{"child_id": c, "sex": draw(code("sex")), "ethnicity": draw(code("ethnicity")),
              "date_of_birth": draw(maybe(st.dates(date(2000, 1, 1), date(2024, 1, 1)))), "mother": draw(maybe(st.booleans()))}
             for c in children]
    episodes = []
    for c in children:
        for start in draw(st.lists(in_year, min_size=1, max_size=3, unique=True)):
            end = draw(maybe(in_year.filter(lambda d, s=start: d >= s)))
            episodes.append({"child_id": c, "decom": start, "rne": draw(code("rne")), "legal_status": draw(code("legal_status")),
                             "place": draw(code("placement_type")), "dec": end, "rec": draw(code("rec")) if end else None,
                             "home_post": draw(maybe(st.sampled_from(["RM17", "SS1 2", "CM1"])))})
    return {"child": child, "cla_episode": episodes}


def _read(reader, folder: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for path in sorted(folder.iterdir()):
        detection = reader.detect(path)
        for item in reader.read(path, detection):
            assert isinstance(item, Record), item
            out.setdefault(item.table, []).append(item.values)
    return out


def _norm(rows, cols):
    return sorted((tuple(r.get(c) for c in cols) for r in rows), key=repr)


@settings(max_examples=40, deadline=None)
@given(looked_after())
def test_ssda903_round_trip_property(rows):
    with tempfile.TemporaryDirectory() as tmp:
        ssda903.write(arrow_tables(rows), Path(tmp), la_code="883", collection_year=2025)
        back = _read(Ssda903Reader(), Path(tmp))
    cols = ["child_id", "decom", "rne", "legal_status", "place", "dec", "rec", "home_post"]
    assert _norm(back["cla_episode"], cols) == _norm(rows["cla_episode"], cols)
    cols = ["child_id", "sex", "ethnicity", "date_of_birth", "mother"]
    # MOTHER is returned for girls looked after in the year (every child here is), 0 when not known
    # to be a mother, and blank for boys (903 rule 165)
    expected = [{**c, "mother": bool(c["mother"]) if c["sex"] in ("2", "F") else None} for c in rows["child"]]
    assert _norm(back["child"], cols) == _norm(expected, cols)


@st.composite
def in_need(draw):
    children = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    child, referral, assessment = [], [], []
    for c in children:
        child.append({"child_id": c, "sex": draw(code("sex")), "ethnicity": draw(code("ethnicity")),
                      "disabilities": draw(maybe(st.sampled_from(["NONE", "MOB;LD", "AUT"])))})
        for start in draw(st.lists(in_year, min_size=1, max_size=2, unique=True)):
            rid = record_id(c, None, start)
            referral.append({"referral_id": rid, "child_id": c, "referral_date": start,
                             "referral_source": draw(st.sampled_from(["1A", "5A", "6", "10"])), "nfa": draw(st.booleans()),
                             "primary_need": draw(maybe(code("primary_need")))})
            for a_start in draw(st.lists(in_year.filter(lambda d, s=start: d >= s), max_size=3, unique=True)):
                assessment.append({"assessment_id": record_id(c, "assessment", a_start), "referral_id": rid, "child_id": c,
                                   "start_date": a_start})
    return {"child": child, "referral": referral, "assessment": assessment}


@settings(max_examples=40, deadline=None)
@given(in_need())
def test_cin_census_round_trip_property(rows):
    with tempfile.TemporaryDirectory() as tmp:
        cin_census.write(arrow_tables(rows), Path(tmp), la_code="883", collection_year=2025)
        back = _read(CinCensusReader(), Path(tmp))
    for table, cols in {"child": ["child_id", "sex", "ethnicity", "disabilities"],
                        "referral": ["referral_id", "child_id", "referral_date", "referral_source", "nfa", "primary_need"],
                        "assessment": ["assessment_id", "referral_id", "start_date"]}.items():
        assert _norm(back.get(table, []), cols) == _norm(rows[table], cols), table
