"""``cscperf load`` as a user meets it: a report on success; one line, exit 2, no traceback on bad input."""

import os
import subprocess
import sys

from cscperf.returns import cin_census, ssda903
from support.dfe_fixtures import CIN_ROWS, LA, S903_ROWS, YEAR, arrow_tables


def run(*args):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, ["src", os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "cscperf", *args], capture_output=True, text=True, env=env, timeout=120)


def test_load_prints_a_report_then_reload_is_a_no_op(tmp_path):
    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "in" / "cin", la_code=LA, collection_year=YEAR)
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in" / "903", la_code=LA, collection_year=YEAR)
    store = str(tmp_path / "s.duckdb")
    out = run("load", str(tmp_path / "in"), "--db", store)
    assert out.returncode == 0, out.stderr
    flat = "".join(out.stdout.split())
    assert "Loadreport" in flat and "cin_census_2025.xml" in flat and "ssda903_2024_25_Episodes.csv" in flat
    assert "Loaded as load(s) 1, 2." in out.stdout
    again = run("load", str(tmp_path / "in"), "--db", store)
    assert again.returncode == 0 and "Nothing new" in again.stdout


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    [path] = cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "in", la_code=LA, collection_year=YEAR)
    path.write_bytes(path.read_bytes()[:300])
    out = run("load", str(path), "--db", str(tmp_path / "s.duckdb"))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(path) in lines[0] and "row " in lines[0]


def test_bad_as_at_and_unknown_format_file(tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\n")
    out = run("load", str(odd), "--db", str(tmp_path / "s.duckdb"))
    assert out.returncode == 2 and "not a file cscperf recognises" in out.stderr
    out = run("load", str(odd), "--as-at", "2025-13-01", "--db", str(tmp_path / "s.duckdb"))
    assert out.returncode == 2 and "--as-at" in out.stderr


def test_long_issue_lists_are_cut_on_screen_and_all_stored(tmp_path):
    import duckdb

    folder = tmp_path / "2024_25"
    folder.mkdir()
    rows = [f"K{n},01/05/2024,S,C2,N1,Q{n},PR1,,,,,," for n in range(30)]
    (folder / "eps.csv").write_text("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                                    + "\n".join(rows) + "\n")
    store = tmp_path / "s.duckdb"
    out = run("load", str(folder), "--db", str(store))
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("warning: ") == 25 and "... and 5 more (all stored in load_issue)" in out.stdout
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT COUNT(*) FROM load_issue WHERE field = 'PLACE'").fetchone()[0] == 30


def test_the_rules_run_once_for_the_new_loads_before_they_merge(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cscperf.cli import cli  # the entry point first: it registers the stage commands
    import cscperf.load_cli as load_cli

    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "in" / "cin", la_code=LA, collection_year=YEAR)
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in" / "903", la_code=LA, collection_year=YEAR)
    seen = []
    monkeypatch.setattr(load_cli, "check_new_loads", lambda engine, load_ids: seen.append(list(load_ids)) or [])
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "in"), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 0, result.output
    assert seen == [[1, 2]]
