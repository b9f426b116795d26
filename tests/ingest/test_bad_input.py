"""Each bad input is refused with a message naming file, row (or XML line) and field, and the store
is exactly as before (every table's rows compared by checksum); the attempt is recorded as failed."""

import http.server
import threading

import pytest

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
    before = table_checksums(engine)
    loads = engine.execute("SELECT COUNT(*) FROM load").scalar()
    with pytest.raises(InputError) as caught:
        load_paths(engine, paths, **kwargs)
    assert table_checksums(engine) == before
    assert engine.execute("SELECT COUNT(*) FROM load").scalar() == loads + 1
    status, message = engine.execute("SELECT status, message FROM load ORDER BY load_id DESC LIMIT 1").rows()[0]
    assert status == "failed" and message == str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


def cin_text(tmp_path) -> str:
    [path] = cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "w", la_code=LA, collection_year=YEAR)
    return path.read_text(encoding="utf-8")


def s903(tmp_path):
    folder = tmp_path / "2024_25"
    ssda903.write(arrow_tables(S903_ROWS), folder, la_code=LA, collection_year=YEAR)
    return folder


def test_truncated_xml(loaded, tmp_path):
    text = cin_text(tmp_path)
    bad = tmp_path / "cut.xml"
    bad.write_text(text[: len(text) // 2], encoding="utf-8")
    error = refused(loaded, [bad])
    assert error.location.file == str(bad) and error.location.row is not None and error.location.row > 10
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
    assert "DOCTYPE" in str(error)


def test_undeclared_entity_without_a_dtd_is_refused(loaded, tmp_path):
    bad = tmp_path / "ent.xml"
    bad.write_text(cin_text(tmp_path).replace("<LAchildID>C1</LAchildID>", "<LAchildID>&x;</LAchildID>"), encoding="utf-8")
    error = refused(loaded, [bad])
    assert error.location.row is not None and "not well-formed XML" in str(error)


def test_wrong_encoding_xml(loaded, tmp_path):
    bad = tmp_path / "latin.xml"
    data = cin_text(tmp_path).replace("<LAchildID>C1</LAchildID>", "<LAchildID>Cé</LAchildID>").encode("latin-1")
    bad.write_bytes(data)
    error = refused(loaded, [bad])
    assert error.location.row is not None


def test_wrong_encoding_csv(loaded, tmp_path):
    folder = s903(tmp_path)
    header = folder / "ssda903_2024_25_Header.csv"
    lines = header.read_text().splitlines()
    lines[3] = lines[3].replace("MWBC", "MWBÇ")
    header.write_bytes("\r\n".join(lines).encode("cp1252"))
    error = refused(loaded, [folder])
    # rows are data rows (the header is row 0) in every CSV reader; the message names the file line too
    assert error.location.file == str(header) and error.location.row == 3
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
