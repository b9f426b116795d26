"""`cscperf benchmarks import|show` as a user runs them (subprocess: a traceback would show)."""

import os
import subprocess
import sys

from dfe_fixtures import write_c1, write_lait, write_sn2025


def run(*args):
    return subprocess.run([sys.executable, "-m", "cscperf", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"}, timeout=120)


def test_import_then_show(tmp_path):
    db = str(tmp_path / "s.duckdb")
    files = [str(write_c1(tmp_path)), str(write_lait(tmp_path)), str(write_sn2025(tmp_path))]
    out = run("--db", db, "benchmarks", "import", *files)
    assert out.returncode == 0, out.stderr
    assert "c1_download.csv: Children in need: referrals and re-referrals (EES c1), 48 rows" in out.stdout  # 16 rows x 3 c1 measures
    assert "imported" in out.stdout
    shown = run("--db", db, "benchmarks", "show", "front_door.re_referrals", "--la", "883")
    assert shown.returncode == 0, shown.stderr
    line = next(l for l in shown.stdout.splitlines() if "front_door.re_referrals" in l)
    assert "ReReferral" in line and "16" in line and "22.6" in line and "19.4" in line


def test_unrecognised_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n")
    out = run("--db", str(tmp_path / "s.duckdb"), "benchmarks", "import", str(bad))
    assert out.returncode == 2 and "not a DfE file" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
