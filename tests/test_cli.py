"""The command line as a user meets it (run as a subprocess, so tracebacks would show)."""

import os
import subprocess
import sys

import duckdb

from cscperf.store.schema import tables


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "cscperf", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("db", "docs"):
        assert f"  {command} " in out.stdout


def test_every_subcommand_has_help():
    from cscperf.cli import cli

    def walk(group, prefix):
        for name, command in group.commands.items():
            yield [*prefix, name]
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])

    for path in walk(cli, []):
        out = run(*path, "--help")
        assert out.returncode == 0 and "Usage:" in out.stdout, path


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == "cscperf, version 0.1.0"


def test_db_init_creates_every_table(tmp_path):
    store = tmp_path / "x.duckdb"
    out = run("db", "init", "--db", str(store))
    assert out.returncode == 0, out.stderr
    with duckdb.connect(str(store), read_only=True) as con:
        found = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert set(tables()) <= found
    again = run("db", "init", "--db", str(store))
    assert "already up to date" in again.stdout


def test_db_from_environment(tmp_path):
    store = tmp_path / "env.duckdb"
    out = run("db", "init", env={"CSCPERF_DB": str(store)})
    assert out.returncode == 0 and store.exists()


def _one_line_error(out):
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), out.stderr
    return lines[0]


def test_bad_database_url_is_one_line(tmp_path):
    line = _one_line_error(run("db", "init", "--db", "postgresql://someone:secret@127.0.0.1:1/nowhere"))
    assert "cannot connect to PostgreSQL" in line and "secret" not in line


def test_unknown_scheme_is_one_line():
    assert "unsupported database URL scheme" in _one_line_error(run("--db", "mysql://x/y", "db", "init"))


def test_unwritable_path_is_one_line(tmp_path):
    line = _one_line_error(run("db", "init", "--db", str(tmp_path / "missing" / "x.duckdb")))
    assert "does not exist" in line
    not_a_db = tmp_path / "notes.duckdb"
    not_a_db.write_text("not a database", encoding="utf-8")
    assert "cannot open DuckDB store" in _one_line_error(run("db", "init", "--db", str(not_a_db)))
