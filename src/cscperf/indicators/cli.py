"""``cscperf indicators`` (compute and store a run, print it) and ``cscperf drill`` (records behind a
figure)."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from cscperf.core.errors import CscperfError
from cscperf.store.clisupport import db_option, open_store


FORMATS = ("table", "csv", "json", "parquet")
OUT_COLUMNS = ("indicator_id", "period", "level", "team_id", "worker_id", "numerator", "denominator", "value")


def _period(row: dict[str, Any]) -> str:
    start = row["period_start"]
    return start.strftime("%Y-%m") if isinstance(start, date) else str(start)[:7]


def _emit(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str, out: Path | None, title: str) -> None:
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if out is None:
            raise CscperfError("--format parquet needs --out FILE")
        pq.write_table(pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows]), out)
        click.echo(f"wrote {len(rows)} rows to {out}", err=True)
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    elif fmt == "json":
        text = json.dumps([{c: r.get(c) for c in columns} for r in rows], indent=1, default=str) + "\n"
    else:
        from rich.console import Console
        from rich.table import Table

        cells = [["" if r.get(c) is None else (f"{r[c]:.1f}" if isinstance(r[c], float) else str(r[c])) for c in columns]
                 for r in rows]
        table = Table(title=title)
        for i, c in enumerate(columns):
            # widths measured here once: rich would measure every cell of a 1,000-row table itself
            table.add_column(c, width=max([len(c)] + [len(row[i]) for row in cells]), no_wrap=True)
        for row in cells:
            table.add_row(*row)
        console = Console(file=out.open("w", encoding="utf-8") if out else sys.stdout, width=200)
        console.print(table)
        return
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(rows)} rows to {out}", err=True)
    else:
        click.echo(text, nl=False)


@click.command("indicators")
@click.option("--month", "month", metavar="YYYY-MM", help="Last month to compute.")
@click.option("--from", "first", metavar="YYYY-MM", help="First month (default: --month only).")
@click.option("--level", type=click.Choice(("council", "team", "worker")), default="council", show_default=True,
              help="Level to print; every level is computed and stored.")
@click.option("--indicator", "indicator_ids", multiple=True, metavar="ID", help="Only these indicators (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout.")
@click.option("--list", "list_only", is_flag=True, help="List the indicator library and exit.")
@db_option
@click.pass_context
def indicators(ctx: click.Context, month: str | None, first: str | None, level: str, indicator_ids: tuple[str, ...],
               fmt: str, out: Path | None, list_only: bool, db: str | None) -> None:
    """Compute the indicator library for each month (council, teams, workers), store the run for the
    digest and web app, and print the chosen level."""
    from rich.console import Console
    from rich.progress import Progress

    from cscperf.indicators.api import catalogue, results_for_run, run_indicators
    from cscperf.indicators.library import library

    if list_only:
        _emit(catalogue(), ("id", "unit", "period", "polarity", "title"), "table" if fmt == "parquet" else fmt, out,
              "Indicator library")
        return
    if not month:
        raise CscperfError("--month YYYY-MM is required")
    engine = open_store(ctx, db)
    chosen = [i for i in library() if i.monthly and (not indicator_ids or i.id in indicator_ids)]
    with Progress(transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task("indicators", total=len(chosen))
        run_id = run_indicators(engine, month, first, indicator_ids or None,
                                progress=lambda _i: progress.advance(task))
    rows = results_for_run(engine, run_id, level)
    units = {i.id: i.unit for i in library()}
    for row in rows:
        row["period"] = _period(row)
        row["unit"] = units.get(row["indicator_id"])
    _emit(rows, OUT_COLUMNS + (("unit",) if fmt == "table" else ()), fmt, out, f"Indicators, run {run_id} ({level})")


@click.command("drill")
@click.argument("indicator_id")
@click.option("--month", required=True, metavar="YYYY-MM")
@click.option("--team", default=None, help="Only records attributed to this team.")
@click.option("--worker", default=None, help="Only records attributed to this worker.")
@click.option("--part", type=click.Choice(("numerator", "denominator")), default="numerator", show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.pass_context
def drill(ctx: click.Context, indicator_id: str, month: str, team: str | None, worker: str | None, part: str,
          fmt: str, out: Path | None, db: str | None) -> None:
    """List the records behind an indicator's figure for a month (internal use: shows child ids)."""
    from cscperf.indicators.api import drill as drill_records

    engine = open_store(ctx, db)
    rows = drill_records(engine, indicator_id, month, team=team, worker=worker, part=part)
    _emit(rows, ("record_id", "child_id", "team_id", "worker_id", "value"), fmt, out,
          f"{indicator_id} {part}, {month}: {len(rows)} records")


@click.command("survey")
@click.option("--survey", "survey_id", default=None, help="Survey id (default: the latest).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.pass_context
def survey(ctx: click.Context, survey_id: str | None, fmt: str, out: Path | None, db: str | None) -> None:
    """Staff survey: % positive per question, directorate against the rest of the council (z-test, 95%)."""
    from cscperf.indicators.survey import survey_comparison

    engine = open_store(ctx, db)
    rows = survey_comparison(engine, survey_id)
    _emit(rows, ("question_id", "directorate_pct_positive", "rest_pct_positive", "z", "flag"), fmt, out,
          "Staff survey: directorate against the rest of the council")


@click.group("council")
def council() -> None:
    """The council this store describes: LA code, region, regional agency cap, population 0-17."""


@council.command("set")
@click.option("--la-code", required=True, help="DfE three-digit LA code, e.g. 883.")
@click.option("--name", "la_name", required=True)
@click.option("--new-la-code", default=None, help="ONS code, e.g. E06000034.")
@click.option("--region", default=None)
@click.option("--agency-cap", type=float, default=None, help="Regional cap on agency social worker hourly rates (GBP).")
@db_option
@click.pass_context
def council_set(ctx, la_code, la_name, new_la_code, region, agency_cap, db):
    """Set the council row."""
    from cscperf.indicators.council import set_council

    set_council(open_store(ctx, db), la_code, la_name, new_la_code=new_la_code, region=region, agency_hourly_cap=agency_cap)
    click.echo(f"council {la_code} {la_name}" + (f", agency cap {agency_cap:.2f}/h" if agency_cap else ""))


@council.command("population")
@click.option("--ons", "ons", type=click.Path(dir_okay=False, path_type=Path), help="EES ONS mid-year estimates CSV.")
@click.option("--year", type=int, help="Year of a figure given with --children.")
@click.option("--children", type=int, help="Children aged 0-17 in --year (a council's own figure).")
@db_option
@click.pass_context
def council_population(ctx, ons, year, children, db):
    """Load the population aged 0-17 (the denominator of rates per 10,000)."""
    from cscperf.indicators.council import council_config, read_ons_population, set_population

    engine = open_store(ctx, db)
    config = council_config(engine)
    if config is None:
        raise CscperfError("set the council first: cscperf council set --la-code … --name …")
    if ons:
        figures, source = read_ons_population(ons, config["la_code"]), f"ONS mid-year estimate ({ons.name})"
    elif year and children:
        figures, source = {year: children}, "council figure"
    else:
        raise CscperfError("give --ons FILE, or --year and --children")
    set_population(engine, config["la_code"], figures, source)
    click.echo(f"population 0-17 for {config['la_code']}: {len(figures)} year(s), {min(figures)}-{max(figures)}")


@council.command("show")
@db_option
@click.pass_context
def council_show(ctx, db):
    """Show the council configuration."""
    from cscperf.indicators.council import council_config

    config = council_config(open_store(ctx, db))
    click.echo(json.dumps(config, indent=1, default=str) if config else "no council configured")
