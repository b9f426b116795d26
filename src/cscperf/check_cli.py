"""``cscperf check``: validate a return with the DfE rules, on the store or straight on files.

It lives outside ``rules`` because a command may reach every stage and the rules package may not:
checking files loads them into a throwaway in-memory DuckDB with the ingest loader.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
import pyarrow as pa

from cscperf.cli import db_option, open_store
from cscperf.core.errors import CscperfError
from cscperf.rules.output import FORMATS, Report, emit
from cscperf.store.engine import Engine


def _loader():
    try:
        from cscperf.ingest.load import load_paths
    except ImportError:
        raise CscperfError(
            "checking files needs the ingest loader (cscperf.ingest.load), which this installation lacks; "
            "load the files with `cscperf load` and run `cscperf check` without paths"
        ) from None
    return load_paths


def _memory_engine() -> Engine:
    from cscperf.core.config import DatabaseTarget
    from cscperf.store import open_engine
    from cscperf.store.migrate import migrate

    engine = open_engine(DatabaseTarget("duckdb", ":memory:"))
    migrate(engine)
    return engine


def _max_load(engine: Engine) -> int:
    return int(engine.execute("SELECT COALESCE(MAX(load_id), 0) FROM load").scalar())


def load_files(engine: Engine, paths: Sequence[Path]) -> list[int]:
    """Load files with the ingest loader; the ids of the loads it made."""
    before = _max_load(engine)
    _loader()(engine, [Path(p) for p in paths])
    rows = engine.execute("SELECT load_id FROM load WHERE load_id > :b AND status = 'loaded' ORDER BY load_id", {"b": before}).rows()
    if not rows:
        raise CscperfError("the files produced no load to check")
    return [int(r[0]) for r in rows]


def previous_tables(paths: Sequence[Path], return_type: str) -> dict[str, pa.Table]:
    """The previous year's return read into Arrow tables by canonical name (for prev_<table>)."""
    from cscperf.rules.scope import RETURN_TABLES, source_select, source_tables

    engine = _memory_engine()
    try:
        ids = load_files(engine, paths)
        sources = source_tables(engine)
        return {t: engine.execute(source_select(t, ids, sources)).table for t in RETURN_TABLES[return_type]}
    finally:
        engine.close()


def _return_of(engine: Engine, load_ids: Sequence[int] | None, wanted: str | None) -> str:
    if wanted:
        return wanted
    where = f" AND load_id IN ({', '.join(str(i) for i in load_ids)})" if load_ids else ""
    fmt = engine.execute(
        f"SELECT source_format FROM load WHERE status = 'loaded' AND source_format IN ('cin', '903'){where} "
        "ORDER BY load_id DESC LIMIT 1"
    ).scalar()
    if fmt is None:
        raise CscperfError("no CIN census or SSDA903 return loaded; run `cscperf load` or pass the files (or --return)")
    return str(fmt)


def _check(engine: Engine, loaded: Sequence[int] | None, return_type: str | None, year: str | None,
           previous: Sequence[Path]):
    """Run the ruleset on the return: the newest year among ``loaded`` (the loads the files made),
    else the store's latest. Last year's return comes from ``previous`` (files given), else from the
    store (or the files given); every earlier year there makes the history."""
    from cscperf.rules.ruleset import available_years, load_ruleset
    from cscperf.rules.runner import collection_year_of, earlier_loads, return_loads, run_checks

    ret = _return_of(engine, loaded, return_type)
    if loaded is not None:
        mine = [int(r[0]) for r in engine.execute(
            f"SELECT load_id FROM load WHERE source_format = :f AND load_id IN ({', '.join(map(str, loaded))})",
            {"f": ret}).rows()]
        if not mine:
            raise CscperfError(f"the files given hold no {ret} return")
        newest = year or collection_year_of(engine, mine)
        load_ids = [i for i in (return_loads(engine, ret, newest) if newest else []) if i in mine] or mine
    else:
        load_ids = return_loads(engine, ret, year) or return_loads(engine, ret)
        if not load_ids:
            raise CscperfError(f"no loaded {ret} return in the store; run `cscperf load` first or pass the files")
    own_year = collection_year_of(engine, load_ids)
    ruleset = load_ruleset(ret, year or (own_year if own_year in available_years(ret) else None))
    given = previous_tables(previous, ret) if previous else None
    before, history = earlier_loads(engine, ret, own_year)
    if given is not None:
        before = []
    return run_checks(engine, ruleset, load_ids=load_ids, previous=given, previous_loads=before or None,
                      history_loads=history or None)


@click.command("check")
@click.option("--return", "return_type", type=click.Choice(["cin", "903"]), default=None,
              help="Which return to check (default: the one loaded or given).")
@click.option("--year", default=None, metavar="YYYY_YY", help="Ruleset year (default: the return's collection year).")
@click.option("--previous", "previous", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="The previous year's return (files), for rules comparing with it (default: the year before "
                   "in the files given or the store). Repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to this file.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@db_option
@click.pass_context
def check(ctx: click.Context, return_type: str | None, year: str | None, previous: tuple[Path, ...], fmt: str,
          out: Path | None, paths: tuple[Path, ...], db: str | None) -> None:
    """Check a CIN census or SSDA903 return with the DfE validation rules.

    With PATHs, the files are checked on their own (loaded into a throwaway in-memory store); without,
    the latest loaded return in the store is checked and its findings are kept for the digest and web app.
    Files of several years (a return's folder): the newest year is checked, with the year before as
    last year's return. Rules about a child's history see every earlier year at hand.
    """
    from cscperf.rules import summary

    engine = _memory_engine() if paths else open_store(ctx, db)
    if paths:
        ctx.call_on_close(engine.close)
    result = _check(engine, load_files(engine, paths) if paths else None, return_type, year, previous)
    check_row = {"check_id": result.check_id, "return_type": result.return_type, "collection_year": result.year,
                 "rules_run": result.rules_run, "findings": result.findings, "load_ids": result.load_ids}
    report = Report(
        check=check_row, findings=summary.findings(engine, result.check_id),
        by_rule=summary.by_rule(engine, result.check_id), by_team=summary.by_team(engine, result.check_id),
        by_worker=summary.by_worker(engine, result.check_id), skipped=result.skipped,
        trend=summary.trend(engine, result.return_type), not_run=result.not_run,
    )
    emit(report, fmt, out)
    if out is not None:
        click.echo(f"{result.findings} finding(s) written to {out}", err=True)
