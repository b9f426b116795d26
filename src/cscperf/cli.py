"""The ``cscperf`` command. Each stage adds its subcommands here; errors a user can cause are printed
on one line with a non-zero exit, never as a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from cscperf import __version__
from cscperf.core.config import resolve_db
from cscperf.core.errors import CscperfError

console = Console(stderr=True)

from cscperf.store.clisupport import DB_HELP, db_option, open_store  # noqa: F401  (re-exported for stages)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="cscperf")
@click.option("--db", "db", default=None, metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Performance management for children's social care: ingest DfE returns and Annex A, check data
    quality, compute the national indicators, publish the monthly digest."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


@cli.group()
def db() -> None:
    """Create and inspect the store."""


@db.command("init")
@db_option
@click.pass_context
def db_init(ctx: click.Context, db: str | None) -> None:
    """Create the store (or bring it up to date) with every canonical table."""
    from cscperf.store import open_engine
    from cscperf.store.migrate import migrate

    target = resolve_db(db or ctx.obj.get("db"))
    with open_engine(target) as engine:
        applied = migrate(engine)
        tables = len(engine.table_columns())
    done = f"applied {len(applied)} migration(s)" if applied else "already up to date"
    click.echo(f"{target.display}: {done}; {tables} tables.")


@db.command("status")
@db_option
@click.pass_context
def db_status(ctx: click.Context, db: str | None) -> None:
    """Show migrations applied and the rows in each canonical table."""
    from rich.table import Table as RichTable

    from cscperf.store.migrate import applied, available
    from cscperf.store.schema import tables

    engine = open_store(ctx, db, migrate_first=False)
    done = applied(engine)
    pending = [m for m in available() if m.version not in done]
    click.echo(f"{engine.target.display}: {len(done)} migration(s) applied, {len(pending)} pending")
    if pending:
        return
    grid = RichTable("table", "rows")
    for name, spec in tables().items():
        if spec.provenance:
            grid.add_row(name, str(engine.execute(f"SELECT COUNT(*) FROM {name}").scalar()))
    Console().print(grid)


@cli.command("docs")
@click.option("--write", is_flag=True, help="Rewrite the generated files under docs/.")
@click.option("--check", is_flag=True, help="Exit non-zero if a generated file is out of date.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Repository root.")
def docs_command(write: bool, check: bool, root: Path) -> None:
    """Regenerate the documentation that is generated from the schema and the definitions."""
    from cscperf.docs import generated_docs

    stale = []
    for relative, render in generated_docs().items():
        path = root / relative
        text = render()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(relative)
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for relative in stale:
        click.echo(f"{'wrote' if write else 'out of date'}: {relative}")
    if check and stale and not write:
        raise CscperfError(f"{len(stale)} generated doc(s) out of date; run `cscperf docs --write`")
    if not stale:
        click.echo("generated docs are up to date")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user errors into one line and an exit code."""
    try:
        cli.main(args=argv, prog_name="cscperf", standalone_mode=False)
    except CscperfError as exc:
        console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        console.print("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        console.print("interrupted")
        sys.exit(130)
    sys.exit(0)


def _register_stage_commands() -> None:
    """Subcommands that each stage contributes; imported here so ``cscperf --help`` lists them."""
    from cscperf.load_cli import load

    cli.add_command(load)

    from cscperf.digest.cli import benchmarks, digest

    cli.add_command(benchmarks)
    cli.add_command(digest)

    from cscperf.web.cli import serve, users

    cli.add_command(serve)
    cli.add_command(users)

    from cscperf.synth.cli import synth

    cli.add_command(synth)

    from cscperf.indicators.cli import council, drill, indicators, survey

    cli.add_command(council)
    cli.add_command(indicators)
    cli.add_command(drill)
    cli.add_command(survey)

    from cscperf.check_cli import check
    cli.add_command(check)


_register_stage_commands()
