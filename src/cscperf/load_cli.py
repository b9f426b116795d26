"""``cscperf load``: the command around ``cscperf.ingest.load``.

It lives outside ``ingest`` because a command may reach every stage (ingest may not): after each
load, ``check_new_loads`` runs the validation rules relevant to the loaded returns.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cscperf.cli import db_option, open_store
from cscperf.core.errors import CscperfError

SHOWN_ISSUES = 25
FORMAT_CHOICES = ["annex-a", "cin", "903", "csww", "hr", "survey", "ofsted-providers"]


def check_new_loads(engine, load_ids: list[int]) -> list[str]:
    """Run the DfE validation rules on what was just loaded: for each return (CIN census, SSDA903), the
    ruleset of its newest collection year in this load. It runs inside the load, before the load's
    records are merged with other loads' copies, so the rules see the return exactly as submitted.
    Returns one summary line per check.

    A new Ofsted provider register without a new SSDA903 re-checks the SSDA903 return already in the
    store (the one ``cscperf check`` would check), so its URN rules run now rather than stay "not run".
    """
    from cscperf.rules.runner import check_load, return_loads

    lines = []
    newest: dict[str, tuple] = {}
    register = False
    for load_id in load_ids:
        fmt, period_end = engine.execute(
            "SELECT source_format, period_end FROM load WHERE load_id = :id", {"id": load_id}).rows()[0]
        register = register or fmt == "ofsted-providers"
        if fmt in ("cin", "903") and (fmt not in newest or (period_end, load_id) > newest[fmt]):
            newest[fmt] = (period_end, load_id)
    if register and "903" not in newest:
        for load_id in return_loads(engine, "903"):
            newest["903"] = (None, load_id)
    for fmt, (_, load_id) in sorted(newest.items()):
        result = check_load(engine, load_id)
        if result is None:
            continue
        rows = engine.execute("SELECT rule_type, COUNT(*) FROM finding WHERE check_id = :c GROUP BY rule_type "
                              "ORDER BY rule_type", {"c": result.check_id}).rows()
        counts = ", ".join(f"{n} {_plural(t) if n != 1 else t}" for t, n in rows) or "no findings"
        lines.append(f"checked {fmt} {result.year} (load {load_id}, {result.rules_run} rules): {counts}; "
                     f"`cscperf check --return {fmt}` lists them")
        reasons: dict[str, list[str]] = {}
        for code, reason in result.not_run.items():
            reasons.setdefault(reason, []).append(code)
        lines += [f"  not run: {reason}: {', '.join(codes)}" for reason, codes in reasons.items()]
    return lines


def prepare_checks(extracts: list[tuple[str, str | None]]) -> None:
    """Load the rulesets ``check_new_loads`` will run on these extracts (newest CIN and SSDA903 year)
    while the files are still being read (their YAML and imports: ~0.2 s off the load's serial tail)."""
    from cscperf.rules.runner import ruleset_for

    newest: dict[str, str | None] = {}
    for fmt, year in extracts:
        if fmt in ("cin", "903") and (fmt not in newest or (year or "") > (newest[fmt] or "")):
            newest[fmt] = year
    for fmt, year in newest.items():
        ruleset_for(fmt, year)


def _plural(rule_type: str) -> str:
    return "queries" if rule_type == "query" else f"{rule_type}s"


def _as_at(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CscperfError(f"--as-at {value!r} is not a date (use YYYY-MM-DD)") from None


@click.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(FORMAT_CHOICES), default=None,
              help="Treat every file as this format instead of detecting it from its content.")
@click.option("--as-at", "as_at", default=None, metavar="YYYY-MM-DD", help="The extract's as-at date (default: from the file).")
@click.option("--check/--no-check", default=True, show_default=True,
              help="Run the DfE validation rules on the newest CIN census and SSDA903 return loaded.")
@db_option
@click.pass_context
def load(ctx: click.Context, paths: tuple[Path, ...], format_: str | None, as_at: str | None, check: bool,
         db: str | None) -> None:
    """Load returns and extracts (files or folders, searched recursively) into the store, all or nothing."""
    from cscperf.ingest.formats import formats
    from cscperf.ingest.load import load_paths

    if format_ and format_ not in formats():
        raise CscperfError(f"--format {format_}: no reader for this format yet (available: {', '.join(formats())})")
    when = _as_at(as_at)
    console = Console()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading", total=None)

        def progress(current: str, rows: int, done: int, total: int) -> None:
            shown = Path(current).name if current else "writing"
            bar.update(task, completed=done, total=total, description=f"{shown} {rows:,} rows" if rows else shown)

        checks: list[str] = []

        def run_checks(eng, load_ids: list[int]) -> None:
            checks.extend(check_new_loads(eng, load_ids))

        # the store is opened once the readers have started: a new store's tables take a moment to make
        report = load_paths(lambda: open_store(ctx, db), paths, format=format_, as_at=when, progress=progress,
                            before_merge=run_checks if check else None,
                            while_reading=prepare_checks if check else None)
    print_report(console, report)
    for line in checks:
        console.print(line, highlight=False, soft_wrap=True)


def print_report(console: Console, report) -> None:
    """Per file: rows read / loaded / rejected and warnings; then each issue (first few on screen, all
    stored in load_issue); then what was superseded or skipped."""
    grid = Table("file", "return", "read", "loaded", "rejected", "warn.", title="Load report",
                 box=box.SIMPLE_HEAD, pad_edge=False)
    grid.columns[0].overflow = "fold"
    grid.columns[0].min_width = 30
    for f in report.files:
        d = f.detection
        skipped = f.skipped is not None
        grid.add_row(f.path.name, f"{d.format} {d.collection_year or ''}".strip() if d else "?",
                     "-" if skipped else str(f.rows_read), "-" if skipped else str(f.rows_loaded),
                     "-" if skipped else str(f.rows_rejected), "-" if skipped else str(f.warnings))
    console.print(grid)
    for f in report.files:
        if f.skipped:
            console.print(f"skipped {f.source_file}: {f.skipped}", highlight=False, soft_wrap=True)
    issues = report.issues
    for issue in issues[:SHOWN_ISSUES]:
        where = f"{issue.source_file}" + (f", row {issue.source_row}" if issue.source_row is not None else "")
        what = f", field {issue.field}" if issue.field else ""
        value = f" (value {issue.value!r})" if issue.value is not None else ""
        console.print(f"{issue.severity}: {where}{what}: {issue.reason}{value}", highlight=False, soft_wrap=True)
    if len(issues) > SHOWN_ISSUES:
        console.print(f"... and {len(issues) - SHOWN_ISSUES} more (all stored in load_issue)")
    for older, newer in report.superseded:
        console.print(f"load {older} superseded by load {newer}", highlight=False)
    if report.nothing_new:
        console.print("Nothing new: every extract given is already loaded; the store is unchanged.")
    else:
        console.print(f"Loaded as load(s) {', '.join(map(str, report.load_ids))}.", highlight=False)
