"""Writer -> reader -> canonical: every field each DfE return carries comes back equal, on DuckDB and
PostgreSQL."""

from datetime import date

from cscperf.ingest.load import load_paths
from cscperf.returns import cin_census, ssda903
from support.dfe_fixtures import (CIN_CARRIES, CIN_ROWS, LA, S903_CARRIES, S903_ROWS, YEAR, arrow_tables, expected,
                                  stored)


def test_cin_census_round_trip(engine, tmp_path):
    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "in", la_code=LA, collection_year=YEAR)
    report = load_paths(engine, [tmp_path / "in"])
    assert [f.detection.collection_year for f in report.files] == ["2024_25"]
    assert report.issues == []
    assert stored(engine, CIN_CARRIES) == expected(CIN_ROWS, CIN_CARRIES)
    # provenance: the XML line of the element each row came from
    lines = engine.execute("SELECT source_row FROM referral ORDER BY source_row").rows()
    assert all(r[0] > 10 for r in lines)


def test_ssda903_round_trip(engine, tmp_path):
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in", la_code=LA, collection_year=YEAR)
    report = load_paths(engine, [tmp_path / "in"])
    assert {f.detection.part for f in report.files} == set(ssda903.TABLES)
    assert report.issues == []
    assert stored(engine, S903_CARRIES) == expected(S903_ROWS, S903_CARRIES)
    # Header rows are the child's provenance even when the child also has a UASC row (MAPPING.md).
    row = engine.execute("SELECT source_file, source_row FROM child WHERE child_id = 'L1'").rows()
    assert row[0][0].endswith("_Header.csv") and row[0][1] == 1


def test_both_returns_and_the_same_child(engine, tmp_path):
    """A child in both returns is one child row: CIN fields and 903 fields together."""
    cin_rows = {k: [dict(r) for r in v] for k, v in CIN_ROWS.items()}
    cin_rows["child"].append({"child_id": "L1", "sex": "1", "ethnicity": "AOTH", "former_upn": "B12345678901C",
                              "disabilities": "AUT"})
    cin_rows["referral"].append({"referral_id": "L1/2024-05-01", "child_id": "L1", "referral_date": date(2024, 5, 1),
                                 "referral_source": "6", "nfa": False})
    cin_census.write(arrow_tables(cin_rows), tmp_path / "cin", la_code=LA, collection_year=YEAR)
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "903", la_code=LA, collection_year=YEAR)
    load_paths(engine, [tmp_path / "903"])
    load_paths(engine, [tmp_path / "cin"])
    rows = engine.execute("SELECT child_id, former_upn, disabilities, uasc, date_of_birth, source_file FROM child "
                          "WHERE child_id = 'L1'").rows()
    assert len(rows) == 1
    child_id, former_upn, disabilities, uasc, dob, source = rows[0]
    assert (former_upn, disabilities, uasc, str(dob)) == ("B12345678901C", "AUT", True, "2008-02-29")
    assert source.endswith("cin_census_2025.xml")  # the latest writer
    assert engine.execute("SELECT COUNT(*) FROM child").scalar() == 7
