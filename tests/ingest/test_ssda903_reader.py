"""The SSDA903 reader: tables recognised by header, collection year from names or dates."""

from pathlib import Path

import pytest

from cscperf.core.ssda903_layout import recognise
from cscperf.ingest.formats.ssda903 import Ssda903Reader, year_from_name


@pytest.mark.parametrize("path, year", [
    ("903/2024_25/episodes.csv", 2025), ("903/2024-25/x.csv", 2025), ("exports/SSDA903_2025_header.csv", 2025),
    ("a/b/c.csv", None), ("903/2024_26/x.csv", None),
])
def test_year_from_names(path, year):
    assert year_from_name(Path(path)) == year


@pytest.mark.parametrize("header, table", [
    (["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"], "Header"),
    (["CHILD", "SEX", "DOB", "DUC"], "UASC"),
    (["CHILD", "SEX", "DOB", "UPN", "MOTHER", "MC_DOB"], "Header"),  # ETHNIC missing: still Header (then refused)
    (["child", "decom", "rne", "ls", "cin", "place", "place_provider", "dec", "rec", "reason_place_change", "home_post",
      "pl_post", "urn"], "Episodes"),
    (["CHILD", "DOB", "REVIEW", "REVIEW_CODE"], "Reviews"),
    (["Child Unique ID", "Gender"], None),
])
def test_tables_recognised_by_header(header, table):
    layout, _ = recognise(header)
    assert (layout.name if layout else None) == table


def test_year_from_the_latest_event_date_when_names_say_nothing(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "eps.csv").write_text("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                                    "A,01/02/2024,S,C2,N1,U1,PR1,,,,,,\nB,02/05/2024,S,C2,N1,U1,PR1,03/06/2024,E8,,,,\n")
    (folder / "head.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA,1,01/01/2010,WBRI,,,\n")
    reader = Ssda903Reader()
    assert reader.detect(folder / "head.csv").collection_year == "2024_25"
    assert reader.detect(folder / "eps.csv").part == "Episodes"


def test_previous_year_tables_are_not_claimed(tmp_path):
    path = tmp_path / "2024_25" / "Header_last.csv"
    path.parent.mkdir()
    path.write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA,1,01/01/2010,WBRI,,,\n")
    assert Ssda903Reader().detect(path) is None
