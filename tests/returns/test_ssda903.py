"""The SSDA903 writer: DfE's tables and column names, dd/mm/yyyy dates, the year's rows only."""

import csv
from datetime import date

from cscperf.returns import ssda903
from support.dfe_fixtures import LA, S903_ROWS, YEAR, arrow_tables


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_every_table_is_written_with_dfe_columns(tmp_path):
    paths = ssda903.write(arrow_tables(S903_ROWS), tmp_path, la_code=LA, collection_year=YEAR)
    names = [p.name for p in paths]
    assert names == [f"ssda903_2024_25_{t}.csv" for t in ssda903.TABLES]
    header = _read(tmp_path / "ssda903_2024_25_Header.csv")
    assert header[0] == ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
    assert header[1] == ["L1", "1", "29/02/2008", "AOTH", "A123456789012", "", ""]
    assert header[2] == ["L2", "2", "01/10/2007", "WBRI", "", "1", "09/09/2024"]
    episodes = _read(tmp_path / "ssda903_2024_25_Episodes.csv")
    assert episodes[0] == ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                           "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
    assert episodes[1][:3] == ["L1", "01/05/2024", "S"]
    uasc = _read(tmp_path / "ssda903_2024_25_UASC.csv")
    assert uasc == [["CHILD", "SEX", "DOB", "DUC"], ["L1", "1", "29/02/2008", "28/02/2026"]]
    reviews = _read(tmp_path / "ssda903_2024_25_Reviews.csv")
    assert reviews[0] == ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"] and reviews[1] == ["L1", "29/02/2008", "28/05/2024", "PN1"]


def test_only_the_years_rows_and_unknown_end_dates_blank(tmp_path):
    rows = {**S903_ROWS, "cla_episode": [
        {"child_id": "L1", "decom": date(2023, 1, 1), "rne": "S", "dec": date(2024, 3, 1), "rec": "E8"},  # ended last year
        {"child_id": "L2", "decom": date(2025, 1, 1), "rne": "S", "dec": date(2025, 5, 1), "rec": "E8",
         "reason_place_change": "CARPL"},  # ends after 31 March
    ]}
    ssda903.write(arrow_tables(rows), tmp_path, la_code=LA, collection_year=YEAR)
    episodes = _read(tmp_path / "ssda903_2024_25_Episodes.csv")
    assert [r[:2] + r[7:10] for r in episodes[1:]] == [["L2", "01/01/2025", "", "", ""]]
    # L1 is still in the return through its OC2 row; L4 (no episode, OC2 or OC3 this year) is not.
    assert [r[0] for r in _read(tmp_path / "ssda903_2024_25_Header.csv")[1:]] == ["L1", "L2", "L3"]


def test_a_child_without_a_child_row_still_gets_a_header_row(tmp_path):
    rows = {"cla_episode": [{"child_id": "Z9", "decom": date(2024, 6, 1), "rne": "S"}]}
    ssda903.write(arrow_tables(rows), tmp_path, la_code=LA, collection_year=YEAR)
    assert _read(tmp_path / "ssda903_2024_25_Header.csv")[1] == ["Z9", "", "", "", "", "", ""]
