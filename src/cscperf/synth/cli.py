"""``cscperf synth``: generate a synthetic council (or all of England) into a folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cscperf.core.errors import CscperfError
from cscperf.synth.profiles import PROFILES


def _as_at(ctx, param, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CscperfError(f"--as-at {value!r} is not a date (YYYY-MM-DD)") from None


@click.command("synth")
@click.option("--profile", type=click.Choice(PROFILES), default="small", show_default=True, help="Council size: small ~5,000 children, medium ~45,000 (like Thurrock), large ~300,000, national = England's 153 councils.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: the same arguments give byte-identical files.")
@click.option("--as-at", "as_at", required=True, callback=_as_at, metavar="YYYY-MM-DD", help="The day the extract is taken.")
@click.option("--years", type=int, default=6, show_default=True, help="Years of history before --as-at.")
@click.option("--defects", type=float, default=0.0, show_default=True, help="Share of records given a deliberate defect (listed in defects.csv).")
@click.option("--la-code", default="883", show_default=True, help="DfE council code whose name the synthetic council borrows.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write into.")
@click.option("--jobs", type=int, default=2, show_default=True, help="Councils simulated in parallel (national profile only).")
def synth(profile: str, seed: int, as_at: date, years: int, defects: float, la_code: str, out: Path, jobs: int) -> None:
    """Generate a realistic synthetic council: children's journeys, workforce and staff survey, in
    every DfE format, with the truth tables and a manifest of injected defects."""
    from cscperf.synth.profiles import councils
    from cscperf.synth.run import synthesise

    console = Console(stderr=True)
    total = len(councils(profile, la_code))
    notes: list[str] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=False) as bar:
        task = bar.add_task("starting", total=total * 2 + 1)

        def on_council(council, stage: str) -> None:
            bar.update(task, advance=1, description=f"{stage} {council.la_name} ({council.la_code})")

        summary = synthesise(profile, seed=seed, as_at=as_at, years=years, out=out, defects=defects, la_code=la_code,
                             on_council=on_council, say=notes.append, jobs=jobs)
        bar.update(task, completed=total * 2 + 1, description="done")
    _print_summary(summary, out, profile, as_at, notes)


def _print_summary(summary, out: Path, profile: str, as_at: date, notes: list[str]) -> None:
    console = Console()
    grid = Table(title=f"cscperf synth --profile {profile}: {summary.councils} council(s) into {out}")
    grid.add_column("truth table")
    grid.add_column("rows", justify="right")
    for name, n in sorted(summary.rows.items()):
        grid.add_row(name, f"{n:,}")
    console.print(grid)
    where = "truth/*.parquet" if profile != "national" else "<la_code>/truth/*.parquet"
    console.print(f"truth tables: {where}; defects: {summary.defects:,} listed in defects.csv")
    for name, n in sorted(summary.files.items()):
        console.print(f"{name}: {n} file(s)")
    for line in notes:
        console.print(f"[yellow]{line}[/]")
    if summary.tables is not None:
        from cscperf.synth.measures import measures

        values = measures(summary.tables, as_at)
        cal = Table(title="calibration (latest complete collection year)")
        cal.add_column("measure")
        cal.add_column("value", justify="right")
        for k, v in values.items():
            cal.add_row(k, "-" if v is None else f"{v}")
        console.print(cal)
