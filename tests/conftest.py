"""Shared fixtures: engines for every supported database, each a fresh migrated store.

``engine`` is parametrised over DuckDB and PostgreSQL, so a test that takes it runs on both. The
PostgreSQL server is started by the suite itself; set CSCPERF_SKIP_POSTGRES=1 to skip those tests on
a machine without PostgreSQL (CI never sets it, so there they must run).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from cscperf.store import Engine, open_engine
from cscperf.store.migrate import migrate
from support.pg import PostgresServer, PostgresUnavailable, fresh_database_url
from support.roundtrip import AS_AT

ENGINES = ("duckdb", "postgres")
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    if os.environ.get("CSCPERF_SKIP_POSTGRES") == "1":
        pytest.skip("CSCPERF_SKIP_POSTGRES=1")
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc))
    try:
        with psycopg.connect(server.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE cscperf_template")
        with open_engine(server.url("cscperf_template")) as engine:
            migrate(engine)
        yield server
    finally:
        server.stop()


def fresh_postgres_url(server: PostgresServer) -> str:
    """A new database cloned from the migrated template (fast: no migrations per test)."""
    return fresh_database_url(server, f"cscperf_t{os.getpid()}_{next(_counter)}")


def make_engine(kind: str, request: pytest.FixtureRequest, tmp_path) -> Engine:
    if kind == "duckdb":
        engine = open_engine(str(tmp_path / f"store{next(_counter)}.duckdb"))
        migrate(engine)
    else:
        server = request.getfixturevalue("pg_server")
        engine = open_engine(fresh_postgres_url(server))
        migrate(engine)
    return engine


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A fresh, migrated store on each supported engine."""
    eng = make_engine(request.param, request, tmp_path)
    yield eng
    eng.close()


@pytest.fixture(scope="module", params=ENGINES)
def shared_engine(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Engine]:
    """One migrated store per engine for a whole module (fixture runners roll back their writes)."""
    eng = make_engine(request.param, request, tmp_path_factory.mktemp("store"))
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def council(tmp_path_factory) -> Path:
    """``cscperf synth --profile small --seed 1 --as-at 2026-10-31 --years 2 --defects 0``: one clean
    synthetic council for the session's round trips and checks (tests read it, never write into it)."""
    from cscperf.synth.run import synthesise

    out = tmp_path_factory.mktemp("council")
    synthesise("small", seed=1, as_at=AS_AT, years=2, out=out, defects=0.0, say=lambda _: None)
    return out


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say how many tests ran against PostgreSQL, so a log shows they ran rather than skipped."""
    counts = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        reports = terminalreporter.stats.get(outcome, [])
        counts[outcome] = sum(1 for r in reports if getattr(r, "when", "call") in ("call", "setup") and "postgres" in r.nodeid)
    if any(counts.values()):
        terminalreporter.write_line(
            "PostgreSQL-backed tests (server started by the suite): "
            + ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        )
