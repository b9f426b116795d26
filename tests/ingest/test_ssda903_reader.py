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


EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN,NOTE\n"


def _both(path: Path):
    """(records' table, issues) from the row path, and (batch table, issues) from the column path."""
    from cscperf.ingest.base import Batch, Record
    from cscperf.ingest.columns import batches_of_records

    reader = Ssda903Reader()
    detection = reader.detect(path)
    rows = list(reader.read(path, detection))
    columns = list(reader.read_batches(path, detection))
    by_row = [b.data for b in batches_of_records([r for r in rows if isinstance(r, Record)])]
    return ((by_row, [r for r in rows if not isinstance(r, Record)]),
            ([b.data for b in columns if isinstance(b, Batch)], [b for b in columns if not isinstance(b, Batch)]))


def test_column_path_reads_what_the_row_path_reads(tmp_path):
    # unknown codes (reported on every row they are on), an unknown column, blank lines, a row wider
    # than the header, a row without CHILD and one without its DECOM key, values repeated across rows
    path = tmp_path / "2024_25" / "episodes.csv"
    path.parent.mkdir()
    path.write_text(EPISODES +
                    "A,01/04/2024,S,C2,N1,U1,PR1,,,,,,,x\n"
                    "B,02/05/2024,S,ZZ,N1,U1,PR1,03/06/2024,E8,,,,,\n"
                    "\n"
                    ",02/05/2024,S,C2,N1,U1,PR1,,,,,,,\n"
                    "C,,S,C2,N1,U1,PR1,,,,,,,\n"
                    "D,2024-05-02,S,ZZ,Q9,U1,PR1,,,,,,,,extra\n"
                    "E,01/04/2024,S,C2,N1,U1,PR1,,,,,,,\n")
    (row_tables, row_issues), (col_tables, col_issues) = _both(path)
    assert col_issues == row_issues
    assert [(i.source_row, i.field, i.severity) for i in col_issues] == [
        (None, "NOTE", "warning"), (2, "LS", "warning"), (4, "CHILD", "rejected"), (5, "DECOM", "rejected"),
        (6, "LS", "warning"), (6, "CIN", "warning"), (6, None, "warning")]
    assert len(col_tables) == len(row_tables) == 1
    assert col_tables[0].equals(row_tables[0])
    assert col_tables[0].column("source_row").to_pylist() == [1, 2, 6, 7]


@pytest.mark.parametrize("rows, row, field", [
    ("A,01/04/2024,S,C2,N1,U1,PR1,31/02/2025,E8,,,,,\nB,30/02/2024,S,C2,N1,U1,PR1,,,,,,,\n", 1, "DEC"),
    ("A,01/04/2024,S,C2,N1,U1,PR1,01/04/2025,E8,,,,,\nB,30/02/2024,S,C2,N1,U1,PR1,,,,,,,\n", 1, "DEC"),
    ("A,01/04/2024,S,C2,N1,U1,PR1,,,,,,,\nB,30/02/2024,S,C2,N1,U1,PR1,31/02/2025,E8,,,,,\n", 2, "DECOM"),
])
def test_column_path_refuses_the_cell_the_row_path_meets_first(tmp_path, rows, row, field):
    from cscperf.core.errors import InputError

    path = tmp_path / "2024_25" / "episodes.csv"
    path.parent.mkdir()
    path.write_text(EPISODES + rows)
    reader = Ssda903Reader()
    errors = []
    for read in (reader.read, reader.read_batches):
        with pytest.raises(InputError) as caught:
            list(read(path, reader.detect(path)))
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert f"row {row}, field {field}" in errors[1]
