"""Each bad input is refused with a message naming file, row (or XML line) and field, and the store
is exactly as before (every table's rows compared by checksum); the attempt is recorded as failed."""

import contextlib
import http.server
import io
import threading
import zipfile

import pytest
import xlsxwriter

from cscperf.cli import main
from cscperf.core.errors import InputError
from cscperf.ingest.load import load_paths
from cscperf.returns import cin_census, ssda903
from support.dfe_fixtures import CIN_ROWS, LA, S903_ROWS, YEAR, arrow_tables, table_checksums


@pytest.fixture
def loaded(engine, tmp_path):
    """A store already holding a CIN extract, so 'unchanged' means nothing added AND nothing removed."""
    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "good", la_code=LA, collection_year=YEAR)
    load_paths(engine, [tmp_path / "good"])
    return engine


def refused(engine, paths, **kwargs) -> InputError:
    """The load is refused twice over, and each time the store is exactly as before: through the
    command line (exit code 2, one line on stderr, no traceback) and through ``load_paths`` (the
    ``InputError`` whose location the tests check)."""
    before = table_checksums(engine)
    loads = engine.execute("SELECT COUNT(*) FROM load").scalar()
    line = cli_refuses(engine, paths, **kwargs)
    assert table_checksums(engine) == before
    with pytest.raises(InputError) as caught:
        load_paths(engine, paths, **kwargs)
    assert table_checksums(engine) == before
    assert engine.execute("SELECT COUNT(*) FROM load").scalar() == loads + 2
    for status, message in engine.execute("SELECT status, message FROM load ORDER BY load_id DESC LIMIT 2").rows():
        assert status == "failed" and message == str(caught.value)
    assert "\n" not in str(caught.value) and line == f"error: {caught.value}"
    return caught.value


def cli_refuses(engine, paths, format: str | None = None) -> str:
    """``cscperf load PATHS --db <this store>`` in this process: the one line it prints on stderr."""
    args = ["load", *map(str, paths), "--db", engine.target.location, "--no-check"] + (["--format", format] if format else [])
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), pytest.raises(SystemExit) as done:
        main(args)  # anything but a CscperfError would escape as an exception: a traceback for the user
    assert done.value.code == 2
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err.getvalue(), lines
    return lines[0]


def cin_text(tmp_path) -> str:
    [path] = cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "w", la_code=LA, collection_year=YEAR)
    return path.read_text(encoding="utf-8")


def s903(tmp_path):
    folder = tmp_path / "2024_25"
    ssda903.write(arrow_tables(S903_ROWS), folder, la_code=LA, collection_year=YEAR)
    return folder


def test_truncated_xml(loaded, tmp_path):
    text = cin_text(tmp_path)
    cut = text.index("<CINreferralDate>", len(text) // 2) + len("<CINreferralDate>2024-0")
    bad = tmp_path / "cut.xml"
    bad.write_text(text[:cut], encoding="utf-8")
    error = refused(loaded, [bad])
    line = text[:cut].count("\n") + 1  # the file ends there: the parser stops on its last line
    assert (error.location.file, error.location.row, error.location.field) == (str(bad), line, "CINreferralDate")
    assert "not well-formed XML" in str(error)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802 - http.server's spelling
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"fetched")

    def log_message(self, *args):
        pass


def test_external_entity_is_refused_and_nothing_fetched(loaded, tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/secret"
        text = cin_text(tmp_path).replace('<?xml version=\'1.0\' encoding=\'UTF-8\'?>',
                                          f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Message [<!ENTITY x SYSTEM "{url}">'
                                          '<!ENTITY y SYSTEM "file:///etc/hostname">]>')
        text = text.replace("<LAchildID>C1</LAchildID>", "<LAchildID>&x;&y;</LAchildID>")
        assert "<!DOCTYPE" in text
        bad = tmp_path / "xxe.xml"
        bad.write_text(text, encoding="utf-8")
        error = refused(loaded, [bad])
    finally:
        server.shutdown()
    assert "DOCTYPE" in str(error) and error.location.file == str(bad)
    assert "fetched" not in str(error) and "hostname" not in str(error)
    assert (error.location.row, error.location.field) == (2, "DOCTYPE")
    assert _Recorder.hits == []


def test_entity_expansion_bomb_is_refused(loaded, tmp_path):
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    text = cin_text(tmp_path).replace("<?xml version='1.0' encoding='UTF-8'?>",
                                      f"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE Message [{entities}]>")
    text = text.replace("<LAchildID>C1</LAchildID>", "<LAchildID>&a9;</LAchildID>")
    bad = tmp_path / "bomb.xml"
    bad.write_text(text, encoding="utf-8")
    error = refused(loaded, [bad])
    assert "DOCTYPE" in str(error) and (error.location.file, error.location.row, error.location.field) == (
        str(bad), 2, "DOCTYPE")


def test_undeclared_entity_without_a_dtd_is_refused(loaded, tmp_path):
    bad = tmp_path / "ent.xml"
    bad.write_text(cin_text(tmp_path).replace("<LAchildID>C1</LAchildID>", "<LAchildID>&x;</LAchildID>"), encoding="utf-8")
    error = refused(loaded, [bad])
    assert error.location.row is not None and "not well-formed XML" in str(error)


def test_wrong_encoding_xml(loaded, tmp_path):
    bad = tmp_path / "latin.xml"
    text = cin_text(tmp_path).replace("<LAchildID>C1</LAchildID>", "<LAchildID>Cé</LAchildID>")
    bad.write_bytes(text.encode("latin-1"))
    error = refused(loaded, [bad])
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if "Cé" in t)
    assert (error.location.file, error.location.row, error.location.field) == (str(bad), line, "LAchildID")


def test_wrong_encoding_csv(loaded, tmp_path):
    folder = s903(tmp_path)
    header = folder / "ssda903_2024_25_Header.csv"
    lines = header.read_text().splitlines()
    lines[3] = lines[3].replace("MWBC", "MWBÇ")
    header.write_bytes("\r\n".join(lines).encode("cp1252"))
    error = refused(loaded, [folder])
    assert (error.location.file, error.location.row, error.location.field) == (str(header), 3, "ETHNIC")
    assert "UTF-8" in str(error) and "line 4" in str(error)


def test_csv_missing_a_required_column(loaded, tmp_path):
    folder = s903(tmp_path)
    episodes = folder / "ssda903_2024_25_Episodes.csv"
    lines = [",".join(cell for i, cell in enumerate(line.split(",")) if i != 1) for line in episodes.read_text().splitlines()]
    episodes.write_text("\r\n".join(lines) + "\r\n")
    error = refused(loaded, [folder])
    assert error.location.file == str(episodes) and error.location.field == "DECOM"
    assert "header row" in str(error)


def test_impossible_date_names_file_row_field_and_rule(loaded, tmp_path):
    folder = s903(tmp_path)
    episodes = folder / "ssda903_2024_25_Episodes.csv"
    lines = episodes.read_text().splitlines()
    lines[3] = lines[3].replace("01/04/2024", "31/02/2024", 1)
    episodes.write_text("\r\n".join(lines) + "\r\n")
    error = refused(loaded, [folder])
    assert (error.location.file, error.location.row, error.location.field) == (str(episodes), 3, "DECOM")
    assert "not a real date" in str(error) and "DfE rule 141" in str(error) and error.value == "31/02/2024"


def test_impossible_date_in_xml_names_its_line(loaded, tmp_path):
    text = cin_text(tmp_path).replace("<CINreferralDate>2024-04-10</CINreferralDate>", "<CINreferralDate>2024-02-31</CINreferralDate>")
    bad = tmp_path / "date.xml"
    bad.write_text(text, encoding="utf-8")
    error = refused(loaded, [bad])
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if "2024-02-31" in t)
    assert (error.location.row, error.location.field) == (line, "CINreferralDate")


@pytest.mark.parametrize("name", ["empty.xml", "empty.csv"])
def test_empty_file(loaded, tmp_path, name):
    bad = tmp_path / name
    bad.write_bytes(b"")
    error = refused(loaded, [bad])
    assert error.location.file == str(bad) and "empty" in str(error)


def test_903_file_from_the_wrong_year(loaded, tmp_path):
    folder = tmp_path / "2023_24"  # the folder says 2023-24; the files are the 2024-25 return
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "tmp", la_code=LA, collection_year=YEAR)
    folder.mkdir()
    for path in (tmp_path / "tmp").iterdir():
        (folder / path.name.replace("2024_25", "export")).write_bytes(path.read_bytes())
    error = refused(loaded, [folder])
    assert error.location.field in {"DECOM", "DEC", "REVIEW", "MIS_START", "MIS_END", "SW_DECOM", "SW_DEC"}
    assert error.location.row is not None and "2023_24" in str(error)


def test_one_bad_file_stops_the_whole_load(loaded, tmp_path):
    folder = s903(tmp_path)
    (folder / "ssda903_2024_25_Missing.csv").write_text("CHILD,DOB,MISSING,MIS_START,MIS_END\r\nL1,,M,32/01/2025,\r\n")
    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "also", la_code=LA, collection_year=YEAR + 1)
    error = refused(loaded, [tmp_path / "also", folder])
    assert error.location.field == "MIS_START" and "1004" in str(error)


# The same refusals for the other formats' readers (CSWW XML, Annex A workbooks and CSVs, HR CSVs).

def csww_text(council) -> str:
    [path] = (council / "workforce").glob("CSWW_*.xml")
    return path.read_text(encoding="utf-8")


def test_csww_truncated(loaded, council, tmp_path):
    text = csww_text(council)
    cut = text.index("<RoleStartDate>", len(text) // 2) + len("<RoleStartDate>20")
    bad = tmp_path / "csww_cut.xml"
    bad.write_text(text[:cut], encoding="utf-8")
    error = refused(loaded, [bad])
    assert (error.location.file, error.location.row, error.location.field) == (
        bad.name, text[:cut].count("\n") + 1, "RoleStartDate")
    assert "not well-formed" in str(error)


def test_csww_external_entity_reads_nothing(loaded, council, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SW9999999999")
    text = csww_text(council).replace("<?xml version='1.0' encoding='UTF-8'?>",
                                      f"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE Message [<!ENTITY s SYSTEM \"{secret.as_uri()}\">]>")
    text = text.replace("<SWENo>", "<SWENo>&s;", 1)
    bad = tmp_path / "csww_xxe.xml"
    bad.write_text(text, encoding="utf-8")
    error = refused(loaded, [bad])
    assert bad.name in str(error) and error.location.row == 2 and "SW9999999999" not in str(error)
    assert loaded.execute("SELECT COUNT(*) FROM worker WHERE worker_id LIKE '%9999999999%'").scalar() == 0


def test_xlsx_that_is_a_zip_of_something_else(loaded, tmp_path):
    bad = tmp_path / "annex_a.xlsx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("holiday.jpg", b"\xff\xd8\xff\xe0 not a workbook")
    error = refused(loaded, [bad])
    assert bad.name in str(error) and "not an Excel workbook" in str(error) and "xl/workbook.xml" in str(error)


def test_text_saved_as_xlsx(loaded, tmp_path):
    bad = tmp_path / "annex_a.xlsx"
    bad.write_text("Child Unique ID,Date of Contact\nK1,02/01/2026\n")
    assert "not a zip package" in str(refused(loaded, [bad]))


def test_impossible_date_in_an_annex_a_workbook(loaded, tmp_path):
    bad = tmp_path / "annex_a.xlsx"
    wb = xlsxwriter.Workbook(str(bad))
    ws = wb.add_worksheet("Contacts")
    ws.write_row(0, 0, ["Child Unique ID", "Gender", "Date of Contact", "Contact Source"])
    ws.write_row(1, 0, ["K1", "b) Female", "02/01/2024", "q) 6: Police"])
    ws.write_row(2, 0, ["K2", "a) Male", "31/02/2024", "q) 6: Police"])
    wb.close()
    error = refused(loaded, [bad])
    assert (error.location.file, error.location.row, error.location.field, error.value) == (
        "annex_a.xlsx[Contacts]", 2, "Date of Contact", "31/02/2024")


def test_annex_a_csv_missing_a_required_column(loaded, tmp_path):
    bad = tmp_path / "list_1.csv"
    bad.write_text("Gender,Date of Contact,Contact Source\nb) Female,02/01/2026,q) 6: Police\n")
    error = refused(loaded, [bad])
    assert (error.location.file, error.location.field) == ("list_1.csv", "Child Unique ID")
    assert "required column is missing" in str(error)


def test_impossible_date_in_an_hr_extract(loaded, tmp_path):
    bad = tmp_path / "hr_absence.csv"
    bad.write_text("absence_id,worker_id,start_date,end_date\nA1,W1,01/02/2024,02/02/2024\nA2,W1,31/02/2024,\n")
    error = refused(loaded, [bad])
    assert (error.location.file, error.location.row, error.location.field, error.value) == (
        "hr_absence.csv", 2, "start_date", "31/02/2024")


def test_empty_hr_file_named_with_format(loaded, tmp_path):
    bad = tmp_path / "hr_staff.csv"
    bad.write_bytes(b"")
    error = refused(loaded, [bad], format="hr")
    assert error.location.file == str(bad) and "empty" in str(error)
