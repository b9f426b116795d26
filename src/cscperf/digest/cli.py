"""``cscperf benchmarks …`` and ``cscperf digest``: the digest stage's commands."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from cscperf.core.errors import CscperfError
from cscperf.store.clisupport import db_option as _db_option, open_store as _store


@click.group("benchmarks")
def benchmarks() -> None:
    """DfE published statistics (EES, LAIT) and statistical neighbours, for comparison."""


@benchmarks.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_db_option
@click.pass_context
def benchmarks_import(ctx: click.Context, paths: tuple[Path, ...], db: str | None) -> None:
    """Import DfE files (EES CSVs, the LAIT long parquet, neighbour groupings) or folders of them.
    Files are recognised by their columns, whatever their names."""
    from cscperf.digest.benchmarks import import_files, summarise

    if not paths:
        raise CscperfError("give the DfE files (or a folder of them) to import")
    engine = _store(ctx, db)
    summary = import_files(engine, list(paths))
    for line in summarise(summary):
        click.echo(line)
    click.echo(f"imported {summary.rows} rows from {len(summary.files)} file(s)")


@benchmarks.command("show")
@click.argument("indicators", nargs=-1)
@click.option("--la", "la_code", default=None, help="Three-digit LA code (default: the store's council, else 883).")
@_db_option
@click.pass_context
def benchmarks_show(ctx: click.Context, indicators: tuple[str, ...], la_code: str | None, db: str | None) -> None:
    """Show where the council stands on each mapped indicator's published measure."""
    from cscperf.digest.catalogue import default_catalogue, describe
    from cscperf.digest.comparison import indicator_position, measure_map

    engine = _store(ctx, db)
    la = la_code or council_code(engine)
    grid = RichTable("indicator", "measure", "year", "council", "England", "region",
                     "SN 2021 mean / median", "SN 2025 mean / median", "rank", "band")
    catalogue = default_catalogue()
    for iid in indicators or tuple(measure_map()):
        pos = indicator_position(engine, iid, describe(catalogue, iid).polarity, la)
        if pos is None or pos.latest is None:
            grid.add_row(iid, "–", "no data", "", "", "", "", "", "", "")
            continue
        y = pos.latest
        sn = {k: f"{_fmt(v.mean)} / {_fmt(v.median)}" for k, v in y.neighbours.items()}
        grid.add_row(iid, pos.measure_id, y.time_period, y.council.shown, y.england.shown, y.region.shown,
                     sn.get("2021", "–"), sn.get("2025", "–"),
                     f"{y.rank}/{y.ranked}" if y.rank else "–", y.band or "–")
    Console().print(grid)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def council_code(engine) -> str:
    """The store's council (table `council`), else Thurrock (883), the default the product poses as."""
    from cscperf.digest.benchmarks import DEFAULT_LA

    found = engine.execute("SELECT la_code FROM council").scalar()
    return str(found) if found else DEFAULT_LA


@click.command("digest")
@click.option("--month", required=True, metavar="YYYY-MM", help="The month reported.")
@click.option("--audience", type=click.Choice(["director", "board", "scrutiny", "corporate-parenting"]),
              default="director", show_default=True, help="Who it is for; scrutiny is the public, suppressed version.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write to.")
@click.option("--targets", "targets_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The council's targets YAML (default: the shipped defaults).")
@click.option("--la", "la_code", default=None, help="LA code to benchmark as (default: the store's council, else 883).")
@click.option("--spc-baseline", default=None, metavar="YYYY-MM:YYYY-MM",
              help="Compute SPC limits from these months only (e.g. the year before a change).")
@click.option("--no-pdf", is_flag=True, help="Skip the PDF (faster).")
@_db_option
@click.pass_context
def digest(ctx: click.Context, month: str, audience: str, out: Path, targets_path: Path | None,
           la_code: str | None, spc_baseline: str | None, no_pdf: bool, db: str | None) -> None:
    """Write the monthly performance digest: digest.html, digest.pdf and digest.xlsx."""
    from cscperf.digest.build import write_digest
    from cscperf.digest.model import month_start

    baseline = None
    if spc_baseline:
        first, _, last = spc_baseline.partition(":")
        baseline = (month_start(first), month_start(last or first))
        if baseline[0] > baseline[1]:
            raise CscperfError("--spc-baseline: the first month must not be after the last")
    engine = _store(ctx, db)
    written = write_digest(engine, month_start(month), audience, out, la_code=la_code or council_code(engine),
                           targets_path=targets_path, pdf=not no_pdf, baseline=baseline)
    for path in (written.html, written.pdf, written.xlsx):
        if path is not None:
            click.echo(f"wrote {path}")
    off = len(written.model.off_target)
    click.echo(f"{len(written.model.sections())} indicators, {off} off target")
